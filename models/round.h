/*
 * Rounding to whole base units: ceil() for the hot paths, without a call into
 * libm (x86-64's baseline has no rounding instruction, so ceil is a call
 * through the PLT), and truncation of a product by a decimal rate as the chain's
 * exact decimals give it.
 */
#ifndef MODELS_ROUND_H
#define MODELS_ROUND_H

#include <stdint.h>

/* (int64_t)ceil(x), exactly, for 0 <= x < 2^63: the conversion truncates,
 * which for x >= 0 is floor(x), and floor(x) == x only when x is whole
 * (beyond 2^53 every double is whole and converts exactly). */
static inline int64_t round_up_i64(double x)
{
    int64_t f = (int64_t)x;
    return f + ((double)f < x);
}

/* round_up_i64((double)n * x) for n >= 0 and x >= 0 with n x < 2^63: when x
 * is whole and small and n under 2^40, the double product is exact (under
 * 2^53), and an integer multiply gives the same number by a shorter chain of
 * dependent operations (a fill's rate, deposit and count follow each other). */
static inline int64_t round_up_mul_i64(int64_t n, double x)
{
    int64_t whole = (int64_t)x;
    if ((double)whole == x && whole < (INT64_C(1) << 13) && n < (INT64_C(1) << 40))
        return n * whole;
    return round_up_i64((double)n * x);
}

/* trunc(n x rate) for n >= 0 and a rate in [0, 1] given as a decimal (a tax, a
 * share, a take rate): the chain multiplies exact decimals (LegacyDec), where
 * the double product of 90 and 0.7 is 62.99999999999999. A product within a few
 * units in the last place under a whole number is taken as that number. */
static inline int64_t trunc_rate_i64(int64_t n, double rate)
{
    double p = (double)n * rate;
    int64_t t = (int64_t)p;
    return (double)(t + 1) - p <= p * 0x1p-50 ? t + 1 : t;
}

#endif
