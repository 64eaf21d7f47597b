/* Readable numbers; see numfmt.h. */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"

void numfmt_readable(double x, char *buf, size_t size)
{
    double a = fabs(x);
    if (isnan(x)) {
        snprintf(buf, size, "nan");
    } else if (a >= 1e4 && a < 1e15) {
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", a);
        size_t n = strlen(digits), o = 0;
        if (x < 0 && o + 1 < size)
            buf[o++] = '-';
        for (size_t i = 0; i < n && o + 1 < size; i++) {
            if (i > 0 && (n - i) % 3 == 0 && o + 2 < size)
                buf[o++] = ',';
            buf[o++] = digits[i];
        }
        buf[o] = '\0';
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
