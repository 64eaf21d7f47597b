/* Calibration targets beside simulated values; see calibration.h. */
#include "calibration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
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

/* akash-2024.yaml: calibration.md, the network on 2024-03-20 */
static const target_t targets_2024[] = {
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

/* akash-bme-2026.yaml: economics.md §7.2 (PIP3.5 figures), day 0 = 2026-02-01, so Feb 2026 is
 * days 0-27, May days 89-119 and June days 120-149. Revenue and prices within 15 %, utilisations
 * within 5 points. The model's h100 class stands for H100 and H200, rtx-a6000 for the RTX 5090. */
static const target_t targets_2026[] = {
    {"spend, Feb 2026, USD/day (mean, days 1-27)", "spend_usd", RUNSTAT_MEAN, 1, 27,
     2296.73 * 0.85, 2296.73 * 1.15, "economics.md §7.2: revenue $2,296.73/day (within 15 %)"},
    {"spend, May 2026, USD/day (mean, d 89-119)", "spend_usd", RUNSTAT_MEAN, 89, 119,
     4949.70 * 0.85, 4949.70 * 1.15, "economics.md §7.2: revenue $4,949.70/day (within 15 %)"},
    {"GPU utilisation, Feb 2026 (median, d 0-27)", "gpu_utilisation", RUNSTAT_MEDIAN, 0, 27, 0.539, 0.639,
     "economics.md §7.2: weighted 58.9 % (within 5 points)"},
    {"GPU utilisation, May 2026 (median, d 89-119)", "gpu_utilisation", RUNSTAT_MEDIAN, 89, 119, 0.671, 0.771,
     "economics.md §7.2: weighted 72.1 %"},
    {"H100 utilisation, Feb 2026 (median, d 0-27)", "h100_utilisation", RUNSTAT_MEDIAN, 0, 27, 0.543, 0.643,
     "economics.md §7.2: stated at PIP3.5 launch 59.3 % (H200 57.3 %)"},
    {"A100 utilisation, Feb 2026 (median, d 0-27)", "a100_utilisation", RUNSTAT_MEDIAN, 0, 27, 0.566, 0.666,
     "economics.md §7.2: stated at PIP3.5 launch 61.6 %"},
    {"H100 utilisation, May 2026 (median, d 89-119)", "h100_utilisation", RUNSTAT_MEDIAN, 89, 119, 0.733, 0.833,
     "economics.md §7.2: 78.3 % (H200 79.0 %)"},
    {"A100 utilisation, May 2026 (median, d 89-119)", "a100_utilisation", RUNSTAT_MEDIAN, 89, 119, 0.444, 0.544,
     "economics.md §7.2: 49.4 %"},
    {"RTX class util., May 2026 (median, d 89-119)", "rtx_a6000_utilisation", RUNSTAT_MEDIAN, 89, 119, 0.807, 0.907,
     "economics.md §7.2: RTX 5090 85.7 %"},
    {"H100 USD/GPU-h, PIP3.5 launch (mean, d 1-14)", "h100_price_usd_per_hour", RUNSTAT_MEAN, 1, 14,
     1.50 * 0.85, 1.50 * 1.15, "economics.md §7.2: $1.50 (within 15 %)"},
    {"H100 USD/GPU-h, June 2026 (mean, d 120-149)", "h100_price_usd_per_hour", RUNSTAT_MEAN, 120, 149,
     2.69 * 0.85, 2.69 * 1.15, "economics.md §7.2: $2.69 (H200 $2.00 -> $3.59)"},
    {"A100 USD/GPU-h, PIP3.5 launch (mean, d 1-14)", "a100_price_usd_per_hour", RUNSTAT_MEAN, 1, 14,
     0.82 * 0.85, 0.82 * 1.15, "economics.md §7.2: $0.82"},
    {"A100 USD/GPU-h, June 2026 (mean, d 120-149)", "a100_price_usd_per_hour", RUNSTAT_MEAN, 120, 149,
     1.34 * 0.85, 1.34 * 1.15, "economics.md §7.2: $1.34"},
};

typedef struct {
    const char *start_date;   /* the targets mean something only for files that start on it */
    const char *title;
    const target_t *targets;
    size_t count;
} target_set_t;

#define SET(date, title, t) {date, title, t, sizeof t / sizeof t[0]}
static const target_set_t sets[] = {
    SET("2024-03-20", "calibration.md, Akash on 2024-03-20", targets_2024),
    SET("2026-02-01", "economics.md §7.2, Akash from 2026-02-01 (PIP3.5)", targets_2026),
};
#undef SET
#define NSETS (sizeof sets / sizeof sets[0])

/* The target set for the file's start date, or NULL. */
static const target_set_t *set_for_start_date(hid_t file)
{
    const target_set_t *found = NULL;
    hid_t a = H5Aopen_by_name(file, "/", "start_date", H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t t = H5Tcopy(H5T_C_S1);
    char *text = NULL;
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Aread(a, t, &text) >= 0 && text) {
        for (size_t k = 0; k < NSETS && !found; k++)
            if (strcmp(text, sets[k].start_date) == 0)
                found = &sets[k];
        H5free_memory(text);
    }
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return found;
}

sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err)
{
    runstats_t rs;
    if (runstats_open(&rs, path) != 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot read /time and /runs", path);
    const target_set_t *set = set_for_start_date(rs.file);
    if (!set) {
        runstats_close(&rs);
        return SIM_OK;
    }
    double *vals = malloc(rs.runs * sizeof *vals);
    if (!vals) {
        runstats_close(&rs);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    fprintf(out, "\ncalibration targets (%s): across runs, median [p05, p95]\n", set->title);
    fprintf(out, "%-47s %-24s %-38s %s\n", "quantity", "target", "simulated", "source");
    for (size_t k = 0; k < set->count; k++) {
        const target_t *t = &set->targets[k];
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
            numfmt_band(vals, rs.runs, band, sizeof band);
            double med = stats_quantile_sorted(vals, rs.runs, 0.5);
            int ok = med >= t->lo - 1e-12 * fabs(t->lo) && (isnan(t->hi) || med <= t->hi + 1e-12 * fabs(t->hi));
            snprintf(sim, sizeof sim, "%s %s", band, ok ? "ok" : "OUTSIDE");
        }
        fprintf(out, "%-47s %-24s %-38s %s\n", t->quantity, target, sim, t->source);
    }
    free(vals);
    runstats_close(&rs);
    return SIM_OK;
}
