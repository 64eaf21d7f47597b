/* Calibration targets beside simulated values; see calibration.h. */
#include "calibration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CALIBRATION_DATE "2024-03-20"

#include "runstats.h"
#include "stats.h"

typedef struct {
    const char *quantity;
    const char *metric;
    runstat_t stat;
    double from, to;        /* days, inclusive */
    double lo, hi;          /* target range (NAN: open) */
    const char *source;
} target_t;

static const target_t targets[] = {
    {"AKT minted on day 1 (AKT)", "minted", RUNSTAT_AT, 1, 1, 94609 * 0.99, 94609 * 1.01,
     "report: 94,609 AKT/day at ~15 % (within 1 %)"},
    {"bonded ratio on day 0", "bonded_ratio", RUNSTAT_AT, 0, 0, 0.578, 0.578, "report: 57.8 % staked"},
    {"CPU utilisation, median of days 0-90", "cpu_utilisation", RUNSTAT_MEDIAN, 0, 90, 0.50, 0.60,
     "report: 50-60 %"},
    {"GPU utilisation, median of days 0-90", "gpu_utilisation", RUNSTAT_MEDIAN, 0, 90, 0.40, 0.60,
     "report: 40-60 %"},
    {"new leases in days 1-200", "orders_filled", RUNSTAT_SUM, 1, 200, 162700, NAN,
     "report: > 162,700 leases in ~200 days after the GPU launch"},
    {"gross market volume, USD a year (days 1-365)", "spend_usd", RUNSTAT_MEAN_YEAR, 1, 365, 0.5e6, 1e6,
     "Modular Capital (Jan 2024): $0.5-1 M GMV a year"},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* Print `vals` (one a run) as "median [p05, p95]" into buf; sorts vals. */
void calibration_band(double *vals, size_t runs, char *buf, size_t len)
{
    stats_sort(vals, runs);
    snprintf(buf, len, "%.6g [%.6g, %.6g]", stats_quantile_sorted(vals, runs, 0.5),
             stats_quantile_sorted(vals, runs, 0.05), stats_quantile_sorted(vals, runs, 0.95));
}

/* Does the file start on the calibration date? Its targets mean nothing elsewhere. */
static int starts_on_calibration_date(hid_t file)
{
    int yes = 0;
    hid_t a = H5Aopen_by_name(file, "/", "start_date", H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return 0;
    hid_t t = H5Tcopy(H5T_C_S1);
    char *text = NULL;
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Aread(a, t, &text) >= 0 && text) {
        yes = strcmp(text, CALIBRATION_DATE) == 0;
        H5free_memory(text);
    }
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return yes;
}

sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err)
{
    runstats_t rs;
    if (runstats_open(&rs, path) != 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot read /time and /runs", path);
    if (!starts_on_calibration_date(rs.file)) {
        runstats_close(&rs);
        return SIM_OK;
    }
    double *vals = malloc(rs.runs * sizeof *vals);
    if (!vals) {
        runstats_close(&rs);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    fprintf(out, "\ncalibration targets (calibration.md, Akash on 2024-03-20): across runs, median [p05, p95]\n");
    fprintf(out, "%-46s %-24s %-38s %s\n", "quantity", "target", "simulated", "source");
    for (size_t k = 0; k < NTARGETS; k++) {
        const target_t *t = &targets[k];
        char target[64], sim[96], band[80];
        if (isnan(t->hi))
            snprintf(target, sizeof target, "> %.6g", t->lo);
        else if (t->lo == t->hi)
            snprintf(target, sizeof target, "%.6g", t->lo);
        else
            snprintf(target, sizeof target, "%.6g - %.6g", t->lo, t->hi);
        if (runstats_compute(&rs, t->metric, t->stat, t->from, t->to, vals) != 0) {
            snprintf(sim, sizeof sim, "(not in this file)");
        } else {
            calibration_band(vals, rs.runs, band, sizeof band);
            double med = stats_quantile_sorted(vals, rs.runs, 0.5);
            int ok = med >= t->lo - 1e-12 * fabs(t->lo) && (isnan(t->hi) || med <= t->hi + 1e-12 * fabs(t->hi));
            snprintf(sim, sizeof sim, "%s %s", band, ok ? "ok" : "OUTSIDE");
        }
        fprintf(out, "%-46s %-24s %-38s %s\n", t->quantity, target, sim, t->source);
    }
    free(vals);
    runstats_close(&rs);
    return SIM_OK;
}
