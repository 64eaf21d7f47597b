/* Issuance and burns; see issuance.h. */
#include "issuance.h"

#include <math.h>
#include <stdlib.h>

#include "numfmt.h"
#include "runstats.h"
#include "stats.h"

#define TAIL_DAYS 30.0   /* "today" at the horizon: the mean of its last days */

typedef struct {
    runstats_t rs;
    FILE *out;
    size_t n;
    double *v;          /* scratch, one value a run */
} table_t;

static void row(table_t *t, const char *quantity, const char *unit, const double *vals, int ok)
{
    char band[128] = "(not in this file)";
    if (ok) {
        for (size_t r = 0; r < t->n; r++)
            t->v[r] = vals[r];
        numfmt_band(t->v, t->n, band, sizeof band);
    }
    fprintf(t->out, "%-50s %-9s %s\n", quantity, unit, band);
}

/* The median across runs of vals (copied: vals keeps its order). */
static double median(table_t *t, const double *vals)
{
    for (size_t r = 0; r < t->n; r++)
        t->v[r] = vals[r];
    stats_sort(t->v, t->n);
    return stats_quantile_sorted(t->v, t->n, 0.5);
}

static int get(table_t *t, const char *metric, runstat_t stat, double from, double to, double *vals)
{
    return runstats_compute(&t->rs, metric, stat, from, to, vals) == 0;
}

sim_status_t issuance_print(const char *path, FILE *out, sim_error_t *err)
{
    table_t t = {.out = out};
    if (runstats_open(&t.rs, path) != 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot read /time and /runs", path);
    size_t n = t.n = t.rs.runs;
    enum { INFL, REMINT, BURNED, NET, IN, OUT, A, B, NBUF };
    double *buf = malloc((NBUF + 1) * n * sizeof *buf);
    if (!buf) {
        runstats_close(&t.rs);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    double *x[NBUF];
    for (int k = 0; k < NBUF; k++)
        x[k] = buf + (size_t)k * n;
    t.v = buf + (size_t)NBUF * n;

    double end = runstats_horizon(&t.rs);
    double tail = end - TAIL_DAYS + 1 < 1 ? 1 : end - TAIL_DAYS + 1;
    fprintf(out, "\nissuance and burns over days 1-%.0f: across runs, median [p05, p95]\n", end);
    int ok_infl = get(&t, "minted_inflation", RUNSTAT_SUM, 1, end, x[INFL]);
    int ok_remint = get(&t, "bme_akt_reminted", RUNSTAT_SUM, 1, end, x[REMINT]);
    int ok_burned = get(&t, "burned", RUNSTAT_SUM, 1, end, x[BURNED]);
    int ok_net = get(&t, "supply_total", RUNSTAT_AT, end, end, x[NET]) &&
                 get(&t, "supply_total", RUNSTAT_AT, 0, 0, x[A]);
    for (size_t r = 0; r < n && ok_net; r++)
        x[NET][r] -= x[A][r];
    row(&t, "AKT minted by x/mint inflation", "AKT", x[INFL], ok_infl);
    row(&t, "AKT reminted by BME (beyond the vault's credits)", "AKT", x[REMINT], ok_remint);
    row(&t, "AKT burned", "AKT", x[BURNED], ok_burned);
    row(&t, "net supply change", "AKT", x[NET], ok_net);
    row(&t, "effective inflation (x/mint paid out), mean", "1/yr", x[A],
        get(&t, "inflation_realised", RUNSTAT_MEAN, 1, end, x[A]));
    row(&t, "net issuance (every mint and burn), mean", "1/yr", x[A],
        get(&t, "net_issuance", RUNSTAT_MEAN, 1, end, x[A]));

    int ok_in = get(&t, "bme_akt_in", RUNSTAT_SUM, 1, end, x[IN]);
    int bme = ok_in && median(&t, x[IN]) > 0;
    if (bme) {
        row(&t, "AKT tenants turned into ACT (BME)", "AKT", x[IN], 1);
        row(&t, "AKT paid to providers for ACT (BME)", "AKT", x[OUT],
            get(&t, "bme_akt_out", RUNSTAT_SUM, 1, end, x[OUT]));
        row(&t, "AKT in the BME vault on the last day", "AKT", x[A],
            get(&t, "vault_akt", RUNSTAT_AT, end, end, x[A]));
        row(&t, "ACT outstanding on the last day", "ACT", x[A],
            get(&t, "act_outstanding", RUNSTAT_AT, end, end, x[A]));
    }

    /* Do burns offset issuance? Only burns that BME does not mint back count. */
    if (ok_infl && ok_remint && ok_burned) {
        for (size_t r = 0; r < n; r++)
            x[A][r] = x[INFL][r] > 0 ? (x[BURNED][r] - x[REMINT][r]) / x[INFL][r] : 0.0;
        row(&t, "burns net of BME remints / x/mint inflation", "fraction", x[A], 1);
        int net_tail = get(&t, "burned", RUNSTAT_SUM, tail, end, x[A]) &&
                       get(&t, "bme_akt_reminted", RUNSTAT_SUM, tail, end, x[B]);
        for (size_t r = 0; r < n && net_tail; r++)
            x[A][r] -= x[B][r];
        if (net_tail && median(&t, x[A]) > 0 && get(&t, "minted_inflation", RUNSTAT_SUM, tail, end, x[B]) &&
            get(&t, "spend_usd", RUNSTAT_SUM, tail, end, x[IN])) {
            /* the spend at which the last days' net burn per dollar would match inflation; a run
             * with no net burn would need unlimited spend (inf, which sorts last) */
            for (size_t r = 0; r < n; r++)
                x[A][r] = x[A][r] > 0 ? x[IN][r] / (end - tail + 1) * x[B][r] / x[A][r] : INFINITY;
            row(&t, "spend at which net burns would offset inflation", "USD/day", x[A], 1);
            fprintf(out, "  (at the last %.0f days' net burn per dollar of spend; inf: no net burn in a run)\n",
                    end - tail + 1);
        } else if (bme && median(&t, x[BURNED]) == 0) {
            fprintf(out, "  Under BME in vault mode (bme.true_burn: false) tenants' AKT is held in the vault and "
                         "paid back out\n  to providers: nothing is burned, and BME's effect on the supply is its "
                         "remint.\n");
        } else if (median(&t, x[BURNED]) == 0) {
            fprintf(out, "  Nothing is burned in these runs: burns offset none of the issuance.\n");
        }
    }
    free(buf);
    runstats_close(&t.rs);
    return SIM_OK;
}
