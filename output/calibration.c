/* Calibration targets beside simulated values; see calibration.h. */
#include "calibration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "stats.h"

typedef enum { STAT_MEDIAN, STAT_SUM, STAT_MEAN_YEAR, STAT_AT } stat_t;

typedef struct {
    const char *quantity;
    const char *metric;
    stat_t stat;
    double from, to;        /* days, inclusive */
    double lo, hi;          /* target range (NAN: open) */
    const char *source;
} target_t;

static const target_t targets[] = {
    {"AKT minted on day 1 (AKT)", "minted", STAT_AT, 1, 1, 94609 * 0.99, 94609 * 1.01,
     "report: 94,609 AKT/day at ~15 % (within 1 %)"},
    {"bonded ratio on day 0", "bonded_ratio", STAT_AT, 0, 0, 0.578, 0.578, "report: 57.8 % staked"},
    {"CPU utilisation, median of days 0-90", "cpu_utilisation", STAT_MEDIAN, 0, 90, 0.50, 0.60,
     "report: 50-60 %"},
    {"GPU utilisation, median of days 0-90", "gpu_utilisation", STAT_MEDIAN, 0, 90, 0.40, 0.60,
     "report: 40-60 %"},
    {"new leases in days 1-200", "orders_filled", STAT_SUM, 1, 200, 162700, NAN,
     "report: > 162,700 leases in ~200 days after the GPU launch"},
    {"gross market volume, USD a year (days 1-365)", "spend_usd", STAT_MEAN_YEAR, 1, 365, 0.5e6, 1e6,
     "Modular Capital (Jan 2024): $0.5-1 M GMV a year"},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* One statistic of each run of /runs/<metric> over recorded times in [from, to].
 * Returns 0 and fills vals[runs], or -1 (metric absent or the horizon not covered). */
static int run_stats(hid_t file, const target_t *t, const double *time, size_t ntimes, size_t runs,
                     double *vals, double *row)
{
    size_t a = ntimes, b = 0;
    for (size_t i = 0; i < ntimes; i++)
        if (time[i] >= t->from && time[i] <= t->to) {
            if (a == ntimes) a = i;
            b = i;
        }
    if (a == ntimes || time[ntimes - 1] < t->to)
        return -1;
    /* sums of daily flows need every day recorded */
    if ((t->stat == STAT_SUM || t->stat == STAT_MEAN_YEAR) && (double)(b - a) != t->to - t->from)
        return -1;
    char obj[128];
    snprintf(obj, sizeof obj, "/runs/%s", t->metric);
    if (H5Lexists(file, obj, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(file, obj, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t fs = H5Dget_space(d);
    size_t n = b - a + 1;
    hsize_t count[2] = {1, n};
    hid_t ms = H5Screate_simple(2, count, NULL);
    int rc = fs >= 0 && ms >= 0 ? 0 : -1;
    for (size_t r = 0; r < runs && rc == 0; r++) {
        hsize_t start[2] = {r, a};
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, row) < 0) {
            rc = -1;
            break;
        }
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += row[i];
        switch (t->stat) {
        case STAT_MEDIAN:
            stats_sort(row, n);
            vals[r] = stats_quantile_sorted(row, n, 0.5);
            break;
        case STAT_SUM: vals[r] = s; break;
        case STAT_MEAN_YEAR: vals[r] = s / (double)n * 365.0; break;
        case STAT_AT: vals[r] = row[0]; break;
        }
    }
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(d);
    return rc;
}

static int read_dims(hid_t file, size_t *runs, double **time, size_t *ntimes)
{
    hid_t d = H5Dopen2(file, "/time", H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t s = H5Dget_space(d);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(s, &n, NULL);
    H5Sclose(s);
    *ntimes = (size_t)n;
    *time = malloc((n ? n : 1) * sizeof **time);
    int rc = *time && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *time) >= 0 ? 0 : -1;
    H5Dclose(d);
    hid_t r = H5Dopen2(file, "/runs/supply_total", H5P_DEFAULT);
    if (r < 0)
        return -1;
    hid_t rs = H5Dget_space(r);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(rs, dims, NULL);
    H5Sclose(rs);
    H5Dclose(r);
    *runs = (size_t)dims[0];
    return rc;
}

sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot open the file", path);
    size_t runs = 0, ntimes = 0;
    double *time = NULL;
    if (read_dims(file, &runs, &time, &ntimes) != 0 || runs == 0) {
        free(time);
        H5Fclose(file);
        SIM_FAIL(err, SIM_EIO, "%s: cannot read /time and /runs", path);
    }
    double *vals = malloc(runs * sizeof *vals);
    double *row = malloc(ntimes * sizeof *row);
    if (!vals || !row) {
        free(vals);
        free(row);
        free(time);
        H5Fclose(file);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    fprintf(out, "\ncalibration targets (calibration.md, Akash on 2024-03-20): across runs, median [p05, p95]\n");
    fprintf(out, "%-46s %-24s %-38s %s\n", "quantity", "target", "simulated", "source");
    for (size_t k = 0; k < NTARGETS; k++) {
        const target_t *t = &targets[k];
        char target[64], sim[96];
        if (isnan(t->hi))
            snprintf(target, sizeof target, "> %.6g", t->lo);
        else if (t->lo == t->hi)
            snprintf(target, sizeof target, "%.6g", t->lo);
        else
            snprintf(target, sizeof target, "%.6g - %.6g", t->lo, t->hi);
        if (run_stats(file, t, time, ntimes, runs, vals, row) != 0) {
            snprintf(sim, sizeof sim, "(not in this file)");
        } else {
            stats_sort(vals, runs);
            double med = stats_quantile_sorted(vals, runs, 0.5);
            int ok = med >= t->lo - 1e-12 * fabs(t->lo) && (isnan(t->hi) || med <= t->hi + 1e-12 * fabs(t->hi));
            snprintf(sim, sizeof sim, "%.6g [%.6g, %.6g] %s", med, stats_quantile_sorted(vals, runs, 0.05),
                     stats_quantile_sorted(vals, runs, 0.95), ok ? "ok" : "OUTSIDE");
        }
        fprintf(out, "%-46s %-24s %-38s %s\n", t->quantity, target, sim, t->source);
    }
    free(vals);
    free(row);
    free(time);
    H5Fclose(file);
    return SIM_OK;
}
