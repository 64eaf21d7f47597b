/* Sweep points; see sweep.h. */
#include "sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>

#include "metric_table.h"
#include "rng.h"
#include "schedule.h"

size_t sweep_npoints(const params_t *p)
{
    const params_sweep_t *sw = &p->sweep;
    if (sw->mode == SWEEP_NONE || sw->nparams == 0)
        return 1;
    if (sw->mode == SWEEP_ZIP)
        return sw->nvalues[0];
    if (sw->mode == SWEEP_LHS || sw->mode == SWEEP_SOBOL)
        return sw->npoints;
    if (sw->mode == SWEEP_MORRIS)
        return sw->trajectories * (sw->nparams + 1);
    if (sw->mode == SWEEP_SALTELLI)
        return sw->samples * (sw->nparams + 2);
    size_t n = 1;
    for (size_t j = 0; j < sw->nparams; j++)
        n *= sw->nvalues[j];
    return n;
}

/* Which value of parameter j point k takes. */
static size_t value_index(const params_sweep_t *sw, size_t k, size_t j)
{
    if (sw->mode == SWEEP_ZIP)
        return k;
    size_t stride = 1;
    for (size_t i = j + 1; i < sw->nparams; i++)
        stride *= sw->nvalues[i];
    return k / stride % sw->nvalues[j];
}

/* Point k of a Morris design (see sweep.h) into u[d]: step s of trajectory t. */
static int morris_point(const params_t *base, size_t k, double *u)
{
    const params_sweep_t *sw = &base->sweep;
    size_t d = sw->nparams, t = k / (d + 1), s = k % (d + 1);
    size_t p = sw->levels, half = p / 2;
    gsl_rng *r = rng_stream_alloc((uint64_t)base->seed, 0, t, RNG_SWEEP);
    if (!r)
        return -1;
    size_t level[PARAMS_MAX_SWEEP], order[PARAMS_MAX_SWEEP];
    int up[PARAMS_MAX_SWEEP];
    for (size_t j = 0; j < d; j++) {
        /* up: start in the lower levels 0 .. p/2 - 1; down: in p/2 .. p - 1 */
        up[j] = (int)gsl_rng_uniform_int(r, 2);
        level[j] = gsl_rng_uniform_int(r, half) + (up[j] ? 0 : half);
        order[j] = j;
    }
    gsl_ran_shuffle(r, order, d, sizeof *order);
    gsl_rng_free(r);
    for (size_t i = 0; i < s; i++) {
        size_t j = order[i];
        level[j] = up[j] ? level[j] + half : level[j] - half;
    }
    for (size_t j = 0; j < d; j++)
        u[j] = (double)level[j] / (double)(p - 1);
    return 0;
}

/* Point k of a Saltelli design (see sweep.h) into u[d]. */
static int saltelli_point(const params_t *base, size_t k, double *u)
{
    const params_sweep_t *sw = &base->sweep;
    size_t d = sw->nparams, i = k / (d + 2), pos = k % (d + 2);
    double q[2 * PARAMS_MAX_SWEEP], shift[2 * PARAMS_MAX_SWEEP];
    gsl_qrng *g = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * d));
    gsl_rng *r = rng_stream_alloc((uint64_t)base->seed, 0, 0, RNG_SWEEP);
    if (!g || !r) {
        gsl_qrng_free(g);
        gsl_rng_free(r);
        return -1;
    }
    for (size_t n = 0; n <= i; n++)
        gsl_qrng_get(g, q);
    for (size_t j = 0; j < 2 * d; j++)
        shift[j] = gsl_rng_uniform(r);
    gsl_qrng_free(g);
    gsl_rng_free(r);
    for (size_t j = 0; j < 2 * d; j++) {
        q[j] += shift[j];
        if (q[j] >= 1.0)
            q[j] -= 1.0;
    }
    for (size_t j = 0; j < d; j++) {
        const double *from = pos == d + 1 || pos == j + 1 ? q + d : q;   /* B, or B's column j */
        u[j] = from[j];
    }
    return 0;
}

/* Point k of a Sobol sequence, a Latin hypercube or a sensitivity design in
 * [0, 1)^d, into u[d]. The hypercube: one permutation of the N strata per
 * dimension and a uniform offset within each stratum, from the scenario's
 * seed (stream RNG_SWEEP). */
static int unit_point(const params_t *base, size_t k, double *u)
{
    const params_sweep_t *sw = &base->sweep;
    size_t d = sw->nparams, n = sw->npoints;
    if (sw->mode == SWEEP_MORRIS)
        return morris_point(base, k, u);
    if (sw->mode == SWEEP_SALTELLI)
        return saltelli_point(base, k, u);
    if (sw->mode == SWEEP_SOBOL) {
        gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)d);
        if (!q)
            return -1;
        for (size_t i = 0; i <= k; i++)
            gsl_qrng_get(q, u);
        gsl_qrng_free(q);
        return 0;
    }
    gsl_rng *r = rng_stream_alloc((uint64_t)base->seed, 0, 0, RNG_SWEEP);
    size_t *perm = malloc(n * sizeof *perm);
    double *jitter = malloc(n * sizeof *jitter);
    if (!r || !perm || !jitter) {
        gsl_rng_free(r);
        free(perm);
        free(jitter);
        return -1;
    }
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        gsl_ran_shuffle(r, perm, n, sizeof *perm);
        for (size_t i = 0; i < n; i++)
            jitter[i] = gsl_rng_uniform(r);
        u[j] = ((double)perm[k] + jitter[k]) / (double)n;
    }
    gsl_rng_free(r);
    free(perm);
    free(jitter);
    return 0;
}

/* The text of the value at unit coordinate u of swept parameter j. */
static void range_value(const params_sweep_t *sw, const param_def_t *def, size_t j, double u, char *buf, size_t len)
{
    double x = sw->lo[j] + u * (sw->hi[j] - sw->lo[j]);
    if (def->type == PARAM_INT)
        snprintf(buf, len, "%.0f", floor(x + 0.5));
    else if (def->type == PARAM_AMOUNT)
        snprintf(buf, len, "%.6f", x);
    else
        snprintf(buf, len, "%.17g", x);
}

sim_status_t sweep_point(const params_t *base, size_t k, params_t *out, char *label, size_t len, sim_error_t *err)
{
    const params_sweep_t *sw = &base->sweep;
    size_t n;
    const param_def_t *table = params_table(&n);
    *out = *base;
    if (label && len)
        label[0] = '\0';
    int ranged = sweep_mode_ranged(sw->mode);
    double u[PARAMS_MAX_SWEEP];
    if (ranged && unit_point(base, k, u) != 0)
        SIM_FAIL(err, SIM_ENOMEM, "sweep point %zu: out of memory", k);
    char ranged_text[64];
    for (size_t j = 0; j < sw->nparams && sw->mode != SWEEP_NONE; j++) {
        const param_def_t *def = &table[sw->param[j]];
        const char *text = ranged_text;
        if (ranged)
            range_value(sw, def, j, u[j], ranged_text, sizeof ranged_text);
        else
            text = sw->values[j][value_index(sw, k, j)];
        char msg[256];
        if (params_set_text(out, def, text, msg, sizeof msg) != 0)
            SIM_FAIL(err, SIM_EINVAL, "sweep point %zu: %s = %s: %s", k, def->name, text, msg);
        if (label && len) {
            size_t used = strlen(label);
            snprintf(label + used, len - used, "%s%s=%s", j ? ", " : "", def->name, text);
        }
    }
    char msg[1024];
    const char *blame = NULL;
    if (params_check(out, msg, sizeof msg, &blame) != 0 || schedule_check(out, msg, sizeof msg) != 0)
        SIM_FAIL(err, SIM_EINVAL, "sweep point %zu: %s", k, msg);
    return SIM_OK;
}

void sweep_values(const params_t *base, double *values)
{
    const params_sweep_t *sw = &base->sweep;
    size_t n, np = sweep_npoints(base);
    const param_def_t *table = params_table(&n);
    static params_t point;   /* large; one thread */
    sim_error_t err;
    for (size_t k = 0; k < np; k++) {
        sim_error_clear(&err);
        if (sweep_point(base, k, &point, NULL, 0, &err) != SIM_OK)
            point = *base;   /* an invalid point stops the campaign anyway (runner) */
        for (size_t j = 0; j < sw->nparams; j++)
            values[k * sw->nparams + j] = params_value(&point, &table[sw->param[j]]);
    }
}

const char *sweep_mode_name(int mode)
{
    switch (mode) {
    case SWEEP_GRID: return "grid";
    case SWEEP_ZIP: return "zip";
    case SWEEP_LHS: return "lhs";
    case SWEEP_SOBOL: return "sobol";
    case SWEEP_MORRIS: return "morris";
    case SWEEP_SALTELLI: return "saltelli";
    default: return "none";
    }
}

int sweep_mode_ranged(int mode)
{
    return mode == SWEEP_LHS || mode == SWEEP_SOBOL || mode == SWEEP_MORRIS || mode == SWEEP_SALTELLI;
}

size_t sweep_outputs(const params_t *p, int *metrics)
{
    static const int fallback[] = {M_SUPPLY_TOTAL, M_BONDED_RATIO, M_PRICE_USD, M_COMMUNITY_POOL};
    const params_sweep_t *sw = &p->sweep;
    if (sw->noutputs > 0) {
        memcpy(metrics, sw->output, sw->noutputs * sizeof *metrics);
        return sw->noutputs;
    }
    size_t n = sizeof fallback / sizeof fallback[0];
    memcpy(metrics, fallback, sizeof fallback);
    return n;
}

size_t sweep_horizons(const params_t *p, int64_t *days)
{
    const params_sweep_t *sw = &p->sweep;
    if (sw->nhorizons > 0) {
        memcpy(days, sw->horizon, sw->nhorizons * sizeof *days);
        return sw->nhorizons;
    }
    days[0] = p->days;
    return 1;
}
