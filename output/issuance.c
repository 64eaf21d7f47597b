/* Issuance against burns; see issuance.h. */
#include "issuance.h"

#include <stdlib.h>

#include "calibration.h"
#include "runstats.h"

#define TAIL_DAYS 30.0   /* "today" at the horizon: the mean of its last days */

static void row(FILE *out, const char *quantity, const char *unit, double *vals, size_t runs, int ok)
{
    char band[96] = "(not in this file)";
    if (ok)
        calibration_band(vals, runs, band, sizeof band);
    fprintf(out, "%-58s %-10s %s\n", quantity, unit, band);
}

sim_status_t issuance_print(const char *path, FILE *out, sim_error_t *err)
{
    runstats_t rs;
    if (runstats_open(&rs, path) != 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot read /time and /runs", path);
    size_t n = rs.runs;
    double *minted = malloc(n * sizeof *minted), *burned = malloc(n * sizeof *burned);
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!minted || !burned || !a || !b) {
        free(minted); free(burned); free(a); free(b);
        runstats_close(&rs);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    double end = runstats_horizon(&rs);
    double tail = end - TAIL_DAYS + 1 < 1 ? 1 : end - TAIL_DAYS + 1;
    fprintf(out, "\nissuance and burns, days 1-%.0f: across runs, median [p05, p95]\n", end);
    int okm = runstats_compute(&rs, "minted", RUNSTAT_SUM, 1, end, minted) == 0;
    int okb = runstats_compute(&rs, "burned", RUNSTAT_SUM, 1, end, burned) == 0;
    for (size_t r = 0; r < n && okm && okb; r++)
        a[r] = minted[r] > 0 ? burned[r] / minted[r] : 0.0;
    row(out, "AKT minted (inflation and BME remint)", "AKT", minted, n, okm);
    row(out, "AKT burned", "AKT", burned, n, okb);
    row(out, "burned / minted", "fraction", a, n, okm && okb);
    row(out, "AKT turned into ACT (BME)", "AKT", a,
        n, runstats_compute(&rs, "bme_akt_in", RUNSTAT_SUM, 1, end, a) == 0);
    row(out, "AKT paid to providers for ACT (BME)", "AKT", a,
        n, runstats_compute(&rs, "bme_akt_out", RUNSTAT_SUM, 1, end, a) == 0);
    /* break-even demand: minted x price, both averaged over the last days of each run */
    int okbe = runstats_compute(&rs, "minted", RUNSTAT_MEAN, tail, end, a) == 0 &&
               runstats_compute(&rs, "price_usd", RUNSTAT_MEAN, tail, end, b) == 0;
    for (size_t r = 0; r < n && okbe; r++)
        a[r] *= b[r];
    row(out, "spend whose AKT burned would offset issuance (last 30 d)", "USD/day", a, n, okbe);
    int oks = runstats_compute(&rs, "spend_usd", RUNSTAT_MEAN, tail, end, b) == 0;
    for (size_t r = 0; r < n && okbe && oks; r++)
        a[r] = a[r] > 0 ? b[r] / a[r] : 0.0;
    row(out, "spend (last 30 d)", "USD/day", b, n, oks);
    row(out, "spend / that level", "fraction", a, n, okbe && oks);
    free(minted); free(burned); free(a); free(b);
    runstats_close(&rs);
    return SIM_OK;
}
