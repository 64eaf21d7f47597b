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

#endif
