/*
 * ceil() to an integer for the hot paths, without a call into libm (x86-64's
 * baseline has no rounding instruction, so ceil is a call through the PLT).
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

#endif
