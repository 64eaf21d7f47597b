/*
 * The `sweep:` block of a scenario (sweep.h, scenarios/README.md): the mode, the
 * parameters with their values or ranges, the design's sizes, and the metrics
 * and horizons a sweep analyses.
 */
#include "scenario_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "metric_table.h"
#include "sweep.h"

/* A whole number in [min, max] for sweep key `what`. */
static sim_status_t sweep_whole(loader_t *L, const yaml_node_t *k, const yaml_node_t *v, const char *what,
                                long min, long max, size_t *out)
{
    const char *t = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
    char *end;
    errno = 0;
    long n = strtol(t, &end, 10);
    if (*end || end == t || errno || n < min || n > max)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: expected a whole number in [%ld, %ld]", L->path,
                 mark_line(k->start_mark), mark_col(k->start_mark), what, min, max);
    *out = (size_t)n;
    return SIM_OK;
}

/* sweep: outputs: [metric, ...]: names from the metric table, each once. */
static sim_status_t sweep_outputs_list(loader_t *L, const yaml_node_t *k, const yaml_node_t *v)
{
    params_sweep_t *sw = &L->p->sweep;
    int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: expected a list of metric names", L->path, l, c);
    sw->noutputs = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *x = node_at(L->doc, *it);
        if (!x || x->type != YAML_SCALAR_NODE)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: expected metric names", L->path, l, c);
        const char *name = (const char *)x->data.scalar.value;
        int xl = mark_line(x->start_mark), xc = mark_col(x->start_mark);
        char shown[SHOW_MAX + 8];
        text_show(name, shown, sizeof shown);
        int m = metric_find(name);
        if (m < 0) {
            const char *near = metric_suggest(name);
            if (near)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: unknown metric '%s' (did you mean '%s'?)",
                         L->path, xl, xc, shown, near);
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: unknown metric '%s' (docs/output.md lists them)",
                     L->path, xl, xc, shown);
        }
        for (size_t j = 0; j < sw->noutputs; j++)
            if (sw->output[j] == m)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: %s given twice", L->path, xl, xc, shown);
        if (sw->noutputs == PARAMS_MAX_SWEEP_OUTPUTS)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: at most %d metrics", L->path, xl, xc,
                     PARAMS_MAX_SWEEP_OUTPUTS);
        sw->output[sw->noutputs++] = m;
    }
    return SIM_OK;
}

/* sweep: horizons_days: [N, ...]: days >= 1, increasing. */
static sim_status_t sweep_horizons_list(loader_t *L, const yaml_node_t *k, const yaml_node_t *v)
{
    params_sweep_t *sw = &L->p->sweep;
    int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected a list of days", L->path, l, c);
    sw->nhorizons = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *x = node_at(L->doc, *it);
        const char *t = x && x->type == YAML_SCALAR_NODE ? (const char *)x->data.scalar.value : "";
        int xl = x ? mark_line(x->start_mark) : l, xc = x ? mark_col(x->start_mark) : c;
        char *end;
        errno = 0;
        long long d = strtoll(t, &end, 10);
        if (*end || end == t || errno || d < 1 || d > 1000000)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected whole days in [1, 1000000]",
                     L->path, xl, xc);
        if (sw->nhorizons > 0 && d <= sw->horizon[sw->nhorizons - 1])
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected increasing days", L->path, xl, xc);
        if (sw->nhorizons == PARAMS_MAX_SWEEP_HORIZONS)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: at most %d", L->path, xl, xc,
                     PARAMS_MAX_SWEEP_HORIZONS);
        sw->horizon[sw->nhorizons++] = (int64_t)d;
    }
    return SIM_OK;
}

/* A mode's keys: where each was given (line 0: absent), to reject those of another mode. */
typedef struct {
    const char *name;
    int line, col;
} sweep_key_t;

/* sweep: {mode: grid | zip | lhs | sobol | morris | saltelli, params: {param: [values] or {min: a, max: b}},
 *         points: N (lhs, sobol), trajectories: r, levels: p (morris), samples: N (saltelli),
 *         outputs: [metric, ...], horizons_days: [day, ...]} */
sim_status_t load_sweep(loader_t *L, const yaml_node_t *key, const yaml_node_t *val)
{
    int kl = mark_line(key->start_mark), kc = mark_col(key->start_mark);
    params_sweep_t *sw = &L->p->sweep;
    memset(sw, 0, sizeof *sw);
    sw->mode = SWEEP_GRID;
    if (val->type != YAML_MAPPING_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: expected {mode: grid|zip|lhs|sobol|morris|saltelli, "
                 "params: {param: [values] or {min: a, max: b}}}", L->path, kl, kc);
    const yaml_node_t *params = NULL;
    /* keys of one mode only: points (lhs, sobol), trajectories and levels (morris), samples (saltelli) */
    sweep_key_t only[4] = {{"points", 0, 0}, {"trajectories", 0, 0}, {"levels", 0, 0}, {"samples", 0, 0}};
    for (yaml_node_pair_t *pr = val->data.mapping.pairs.start; pr < val->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
        const char *kt = "";
        if (!k || !v)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        sim_status_t st = key_text(L, k, "sweep: ", &kt);
        if (st != SIM_OK)
            return st;
        int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
        for (size_t i = 0; i < 4; i++)
            if (!strcmp(kt, only[i].name)) {
                only[i].line = l;
                only[i].col = c;
            }
        if (!strcmp(kt, "mode")) {
            const char *m = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
            int mode = SWEEP_NONE;
            for (int i = SWEEP_GRID; i <= SWEEP_SALTELLI; i++)
                if (!strcmp(m, sweep_mode_name(i)))
                    mode = i;
            if (mode == SWEEP_NONE)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: mode: expected grid, zip, lhs, sobol, morris or "
                         "saltelli, got '%s'", L->path, l, c, m);
            sw->mode = mode;
        } else if (!strcmp(kt, "points")) {
            st = sweep_whole(L, k, v, "points", 1, PARAMS_MAX_SWEEP_POINTS, &sw->npoints);
        } else if (!strcmp(kt, "trajectories")) {
            st = sweep_whole(L, k, v, "trajectories", 2, PARAMS_MAX_SWEEP_POINTS / 2, &sw->trajectories);
        } else if (!strcmp(kt, "levels")) {
            st = sweep_whole(L, k, v, "levels", 2, 64, &sw->levels);
            if (st == SIM_OK && sw->levels % 2)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: levels: expected an even number (4, 6, 8, ...): "
                         "a step of p / (2 (p - 1)) then lands on the grid", L->path, l, c);
        } else if (!strcmp(kt, "samples")) {
            st = sweep_whole(L, k, v, "samples", 2, PARAMS_MAX_SWEEP_POINTS / 3, &sw->samples);
        } else if (!strcmp(kt, "outputs")) {
            st = sweep_outputs_list(L, k, v);
        } else if (!strcmp(kt, "horizons_days")) {
            st = sweep_horizons_list(L, k, v);
        } else if (!strcmp(kt, "params")) {
            params = v;
        } else {
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: unknown key '%s' (mode, params, points, trajectories, "
                     "levels, samples, outputs, horizons_days)", L->path, l, c, kt);
        }
        if (st != SIM_OK)
            return st;
    }
    /* the keys of another mode are mistakes: say which mode they belong to */
    static const int owner[4] = {SWEEP_LHS, SWEEP_MORRIS, SWEEP_MORRIS, SWEEP_SALTELLI};
    for (size_t i = 0; i < 4; i++) {
        int mine = sw->mode == owner[i] || (i == 0 && sw->mode == SWEEP_SOBOL);
        if (only[i].line && !mine)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: only for mode %s, not %s", L->path, only[i].line,
                     only[i].col, only[i].name, i == 0 ? "lhs or sobol" : sweep_mode_name(owner[i]),
                     sweep_mode_name(sw->mode));
    }
    if (sw->mode == SWEEP_MORRIS) {
        if (!sw->trajectories)
            sw->trajectories = 10;
        if (!sw->levels)
            sw->levels = 4;
    }
    int ranged = sweep_mode_ranged(sw->mode);
    if (!params || params->type != YAML_MAPPING_NODE || params->data.mapping.pairs.start == params->data.mapping.pairs.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: params: expected {param: %s, ...}", L->path, kl, kc,
                 ranged ? "{min: a, max: b}" : "[values]");
    for (yaml_node_pair_t *pr = params->data.mapping.pairs.start; pr < params->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
        const char *name = "";
        if (!k || !v)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        sim_status_t st = key_text(L, k, "sweep: params: ", &name);
        if (st != SIM_OK)
            return st;
        int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
        const param_def_t *def = params_find(name);
        if (!def)
            return unknown_parameter(L, name, k);
        if (!strcmp(name, "runs") || !strcmp(name, "days") || !strcmp(name, "seed") || !strncmp(name, "output.", 7))
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: the same for every point of a sweep", L->path, l, c, name);
        if (!strcmp(name, "price.series_file"))
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: read once, at load; a sweep cannot change it (compare "
                     "scenarios, or sweep price.mode)", L->path, l, c, name);
        for (size_t i = 0; i < sw->nparams; i++)
            if (L->table + sw->param[i] == def)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: params: %s given twice", L->path, l, c, name);
        if (sw->nparams == PARAMS_MAX_SWEEP)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: at most %d parameters", L->path, l, c, PARAMS_MAX_SWEEP);
        size_t j = sw->nparams;
        if (ranged) {
            /* a range {min: a, max: b} of a numeric parameter */
            if (def->type != PARAM_REAL && def->type != PARAM_INT && def->type != PARAM_AMOUNT)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s sweeps numbers only", L->path, l, c, name,
                         sweep_mode_name(sw->mode));
            double r[2] = {NAN, NAN};
            if (v->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                    const yaml_node_t *qk = node_at(L->doc, q->key), *qv = node_at(L->doc, q->value);
                    if (!qk || !qv || qk->type != YAML_SCALAR_NODE || qv->type != YAML_SCALAR_NODE)
                        continue;
                    const char *qt = (const char *)qk->data.scalar.value;
                    char *end;
                    double x = strtod((const char *)qv->data.scalar.value, &end);
                    if (*end)
                        continue;
                    if (!strcmp(qt, "min")) r[0] = x;
                    if (!strcmp(qt, "max")) r[1] = x;
                }
            if (isnan(r[0]) || isnan(r[1]) || r[0] > r[1] || r[0] < def->min || r[1] > def->max)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a range {min: a, max: b} within [%g, %g]",
                         L->path, l, c, name, def->min, def->max);
            /* elementary effects divide by each step: every step must change the value */
            if (sw->mode == SWEEP_MORRIS && def->type == PARAM_INT && r[1] - r[0] < (double)(sw->levels - 1))
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: a whole-number parameter needs max - min >= levels - 1 "
                         "(%zu) in a morris sweep", L->path, l, c, name, sw->levels - 1);
            double least = def->type == PARAM_AMOUNT ? 1e-5 : 0.0;   /* amounts keep 6 decimals */
            if (sw->mode == SWEEP_MORRIS && !(r[1] - r[0] > least))
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: a morris sweep needs max > min%s", L->path, l, c, name,
                         def->type == PARAM_AMOUNT ? " + 0.00001" : "");
            sw->param[j] = (int)(def - L->table);
            sw->lo[j] = r[0];
            sw->hi[j] = r[1];
            sw->nparams++;
            continue;
        }
        if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a list of values", L->path, l, c, name);
        sw->nparams++;
        sw->param[j] = (int)(def - L->table);
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
            const yaml_node_t *x = node_at(L->doc, *it);
            if (!x || x->type != YAML_SCALAR_NODE)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected plain values in the list", L->path, l, c, name);
            if (sw->nvalues[j] == PARAMS_MAX_SWEEP_VALUES)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: at most %d values", L->path, l, c, name,
                         PARAMS_MAX_SWEEP_VALUES);
            const char *text = (const char *)x->data.scalar.value;
            params_t scratch = *L->p;
            char msg[512];
            if (strlen(text) >= sizeof sw->values[0][0] || params_set_text(&scratch, def, text, msg, sizeof msg) != 0)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s", L->path, mark_line(x->start_mark),
                         mark_col(x->start_mark), name, strlen(text) >= sizeof sw->values[0][0] ? "value too long" : msg);
            snprintf(sw->values[j][sw->nvalues[j]++], sizeof sw->values[0][0], "%s", text);
        }
        if (sw->mode == SWEEP_ZIP && j > 0 && sw->nvalues[j] != sw->nvalues[0])
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: zip needs lists of one length (%s has %zu, the first %zu)",
                     L->path, l, c, name, sw->nvalues[j], sw->nvalues[0]);
    }
    if ((sw->mode == SWEEP_LHS || sw->mode == SWEEP_SOBOL) && sw->npoints == 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: lhs and sobol need points: N", L->path, kl, kc);
    if (sw->mode == SWEEP_SALTELLI && sw->samples == 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: saltelli needs samples: N (N (k + 2) points for k parameters)",
                 L->path, kl, kc);
    if ((sw->mode == SWEEP_MORRIS || sw->mode == SWEEP_SALTELLI) && sweep_npoints(L->p) > PARAMS_MAX_SWEEP_POINTS)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: %zu %s x (%zu parameters + %d) = %zu points, at most %d",
                 L->path, kl, kc, sweep_mode_name(sw->mode),
                 sw->mode == SWEEP_MORRIS ? sw->trajectories : sw->samples,
                 sw->mode == SWEEP_MORRIS ? "trajectories" : "samples", sw->nparams,
                 sw->mode == SWEEP_MORRIS ? 1 : 2, sweep_npoints(L->p), PARAMS_MAX_SWEEP_POINTS);
    return SIM_OK;
}
