/* Readable numbers; see numfmt.h. */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"

/* digits[0..n) (an unsigned whole part, then possibly ".ddd") into buf with a
 * sign and a comma every three digits of the whole part. */
static void group(const char *digits, int negative, char *buf, size_t size)
{
    size_t whole = strcspn(digits, "."), o = 0;
    if (size == 0)
        return;
    if (negative && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; digits[i] && o + 1 < size; i++) {
        if (i > 0 && i < whole && (whole - i) % 3 == 0) {
            if (o + 2 >= size)
                break;
            buf[o++] = ',';
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void numfmt_readable(double x, char *buf, size_t size)
{
    double a = fabs(x);
    if (isnan(x)) {
        snprintf(buf, size, "nan");
    } else if (a >= 1e4 && a < 1e15) {
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", a);
        group(digits, x < 0, buf, size);
    } else {
        snprintf(buf, size, "%.6g", x);
    }
}

void numfmt_band(double *vals, size_t n, char *buf, size_t size)
{
    char med[40], lo[40], hi[40];
    stats_sort(vals, n);
    numfmt_readable(stats_quantile_sorted(vals, n, 0.5), med, sizeof med);
    numfmt_readable(stats_quantile_sorted(vals, n, 0.05), lo, sizeof lo);
    numfmt_readable(stats_quantile_sorted(vals, n, 0.95), hi, sizeof hi);
    snprintf(buf, size, "%s [%s, %s]", med, lo, hi);
}

int numfmt_decimals(double scale, int digits)
{
    double a = fabs(scale);
    if (!(a > 0) || !isfinite(a))
        return 0;
    int d = digits - 1 - (int)floor(log10(a));
    return d < 0 ? 0 : d > NUMFMT_MAX_DECIMALS ? NUMFMT_MAX_DECIMALS : d;
}

void numfmt_fixed(double x, int decimals, char *buf, size_t size)
{
    if (isnan(x)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, size, "%s", x < 0 ? "-inf" : "inf");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > NUMFMT_MAX_DECIMALS)
        decimals = NUMFMT_MAX_DECIMALS;
    char digits[352];   /* DBL_MAX has 309 digits */
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(x));
    /* "-0.000" is no number a reader wants: a value that rounds to 0 has no sign */
    int zero = strspn(digits, "0.") == strlen(digits);
    group(digits, x < 0 && !zero, buf, size);
}
