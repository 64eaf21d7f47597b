/*
 * libFuzzer harness for CSV tables (core/csvfile.c on libcsv) through the price
 * series reader (pricefile_parse): the input is a CSV file. Checked beyond the
 * sanitizers: a refused table leaves the series untouched and its message
 * starts with the table's name; an accepted one has 1 to PARAMS_MAX_PRICE_POINTS
 * points with strictly increasing dates and finite positive prices.
 * Build and run: make fuzz (tests/fuzz/fuzz.mk).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static price_series_t s;
    sim_error_t err;
    sim_error_clear(&err);
    s.npoints = -1;
    sim_status_t st = pricefile_parse("in.csv", (const char *)data, size, &s, &err);
    if (st != SIM_OK) {
        if (s.npoints != -1 || strncmp(err.msg, "in.csv", 6) != 0) {
            fprintf(stderr, "refused, but the series changed or the message is '%s'\n", err.msg);
            abort();
        }
        return 0;
    }
    if (s.npoints < 1 || s.npoints > PARAMS_MAX_PRICE_POINTS)
        abort();
    for (int64_t k = 0; k < s.npoints; k++)
        if (!isfinite(s.usd[k]) || s.usd[k] <= 0 || (k > 0 && s.day[k] <= s.day[k - 1]))
            abort();
    return 0;
}
