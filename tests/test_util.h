/*
 * Shared test helpers. cmocka 1.1.5's assert_float_equal casts to float, so
 * doubles get their own check: |a - b| <= atol + rtol * |b|.
 */
#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>

#include <cmocka.h>

#define assert_close(a, b, rtol, atol) \
    assert_close_impl((double)(a), (double)(b), (rtol), (atol), #a, #b, __FILE__, __LINE__)

static inline void assert_close_impl(double a, double b, double rtol, double atol,
                                     const char *sa, const char *sb, const char *file, int line)
{
    double tol = atol + rtol * fabs(b);
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g is not within %.3g of %s = %.17g (diff %.3g)\n", sa, a, tol, sb, b,
                    fabs(a - b));
        _fail(file, line);
    }
}

#endif
