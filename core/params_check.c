/*
 * The checks of a scenario on day 0 (params.h): the rules between parameters
 * (params_rules.c), a price series to follow, and the limits on sizes that
 * decide memory and disk (one run's tables, the values kept, a sweep's points).
 */
#include "params.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The models' count of a run's memory, handed over by the program (params.h). */
static params_run_size_fn run_size;

void params_set_run_size(params_run_size_fn fn)
{
    run_size = fn;
}

/* p with each swept parameter at its largest value, into *out: the sizes that
 * bound every point's memory (sweep_point checks each point again). */
static void sweep_largest(const params_t *p, params_t *out)
{
    *out = *p;
    const params_sweep_t *sw = &p->sweep;
    char msg[256], text[64];
    size_t n;
    const param_def_t *table = params_table(&n);
    for (size_t j = 0; j < sw->nparams && sw->mode != SWEEP_NONE; j++) {
        const param_def_t *d = &table[sw->param[j]];
        if (d->type != PARAM_INT && d->type != PARAM_REAL && d->type != PARAM_AMOUNT)
            continue;
        if (sw->mode == SWEEP_LHS || sw->mode == SWEEP_SOBOL) {
            snprintf(text, sizeof text, "%.17g", d->type == PARAM_REAL ? sw->hi[j] : floor(sw->hi[j]));
            params_set_text(out, d, text, msg, sizeof msg);
            continue;
        }
        double best = -HUGE_VAL;
        size_t best_v = SIZE_MAX;
        for (size_t v = 0; v < sw->nvalues[j]; v++)
            if (params_set_text(out, d, sw->values[j][v], msg, sizeof msg) == 0 && params_value(out, d) > best) {
                best = params_value(out, d);
                best_v = v;
            }
        if (best_v != SIZE_MAX)
            params_set_text(out, d, sw->values[j][best_v], msg, sizeof msg);
        else
            memcpy((char *)out + d->offset, (const char *)p + d->offset, d->size);
    }
}

/* Memory and disk: one run's tables, the values kept, the points of a sweep. */
static int check_limits(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads)
{
    const params_sweep_t *sw = &p->sweep;
    double npoints = 1;
    if (sw->mode == SWEEP_ZIP && sw->nparams > 0)
        npoints = (double)sw->nvalues[0];
    else if (sw->mode == SWEEP_LHS || sw->mode == SWEEP_SOBOL)
        npoints = (double)sw->npoints;
    else if (sw->mode == SWEEP_GRID)
        for (size_t j = 0; j < sw->nparams; j++)
            npoints *= (double)sw->nvalues[j];
    if (npoints > PARAMS_MAX_SWEEP_POINTS) {
        snprintf(msg, msglen, "the sweep has %.0f points; the limit is %d", npoints, PARAMS_MAX_SWEEP_POINTS);
        *blame = NULL;
        *reads = "";
        return -1;
    }
    /* recorded times as runner_ntimes counts them: day 0, every record_every_days, the last day */
    double ntimes = (double)(p->days / p->output.record_every_days + 1 + (p->days % p->output.record_every_days != 0));
    double values = (double)p->runs * npoints * ntimes;
    if (values > PARAMS_VALUES_MAX) {
        snprintf(msg, msglen, "runs x sweep points x recorded times = %lld x %.0f x %.0f = %.3g values a metric; "
                 "the limit is %.0e (%.0f GB a metric before compression): fewer runs, or record less often "
                 "(output.record_every_days)", (long long)p->runs, npoints, ntimes, values, PARAMS_VALUES_MAX,
                 PARAMS_VALUES_MAX * 8 / 1e9);
        *blame = "runs";
        *reads = "runs days output.record_every_days";
        return -1;
    }
    params_t *big = sw->mode != SWEEP_NONE ? malloc(sizeof *big) : NULL;
    const params_t *q = p;
    if (big) {
        sweep_largest(p, big);
        q = big;
    }
    params_run_size_t size = {0};
    if (run_size)
        run_size(q, &size);
    if (size.bytes > PARAMS_RUN_BYTES_MAX) {
        *blame = size.blame;
        *reads = size.reads;
        snprintf(msg, msglen, "one run's tables would need %.1f GiB (%s)%s; the limit is %.0f GiB a run, and each "
                 "thread holds one: lower %s", size.bytes / 1073741824.0, size.detail,
                 big ? " at the sweep's largest values" : "", PARAMS_RUN_BYTES_MAX / 1073741824.0, size.blame);
        free(big);
        return -1;
    }
    free(big);
    return 0;
}

/* price.mode series: points to follow, and a start on or after the first of them. */
static int check_price_series(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads)
{
    const price_series_t *s = &p->price.series;
    if (p->price.mode != PRICE_SERIES)
        return 0;
    if (s->npoints == 0) {
        snprintf(msg, msglen, "price.mode series needs observed prices: set price.series_file (a CSV of date, "
                 "usd, source)");
        *blame = "price.mode";
        *reads = "price.mode price.series_file";
        return -1;
    }
    if (params_date_to_days(p->start_date) < s->day[0]) {
        char first[PARAMS_DATE_MAX];
        params_days_to_date((long)s->day[0], first);
        snprintf(msg, msglen, "start_date %s is before the first price of the series%s%s%s, %s: price.mode "
                 "series starts on or after it", p->start_date, p->price.series_file[0] ? " (" : "",
                 p->price.series_file, p->price.series_file[0] ? ")" : "", first);
        *blame = "start_date";
        *reads = "start_date price.series_file price.mode";
        return -1;
    }
    return 0;
}

int params_check_reads(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads)
{
    if (params_check_rules(p, msg, msglen, blame, reads) != 0)
        return -1;
    if (check_price_series(p, msg, msglen, blame, reads) != 0)
        return -1;
    return check_limits(p, msg, msglen, blame, reads);
}

int params_check(const params_t *p, char *msg, size_t msglen, const char **blame)
{
    const char *reads;
    return params_check_reads(p, msg, msglen, blame, &reads);
}
