/* A sweep's points for the engine; see sweep_points.h. */
#include "sweep_points.h"

#include <stdlib.h>
#include <string.h>

#include "sweep.h"

static sim_status_t point_params(void *ctx, size_t k, params_t *out, sim_error_t *err)
{
    const sweep_points_t *s = ctx;
    return sweep_point(s->scenario, k, out, NULL, 0, err);
}

static sim_status_t add_sweep(const char *tmp_path, void *ctx, sim_error_t *err)
{
    const sweep_points_t *s = ctx;
    return sweep_file_append(tmp_path, &s->file, err);
}

sim_status_t sweep_points_init(sweep_points_t *s, const params_t *p, const char *out_path, sim_error_t *err)
{
    memset(s, 0, sizeof *s);
    size_t npoints = sweep_npoints(p), nsw = p->sweep.nparams;
    s->scenario = p;
    s->labels = calloc(npoints, sizeof *s->labels);
    s->label_ptrs = calloc(npoints, sizeof *s->label_ptrs);
    s->values = calloc(npoints * nsw + 1, sizeof *s->values);   /* + 1: calloc(0) may be NULL */
    params_t *point = malloc(sizeof *point);   /* large (the event table): not on the stack */
    sim_status_t rc = SIM_OK;
    if (!s->labels || !s->label_ptrs || !s->values || !point)
        rc = sim_fail(err, SIM_ENOMEM, "out of memory preparing %zu points", npoints);
    size_t n;
    const param_def_t *table = params_table(&n);
    for (size_t j = 0; j < nsw; j++) {
        s->names[j] = table[p->sweep.param[j]].name;
        s->units[j] = table[p->sweep.param[j]].unit;
    }
    for (size_t k = 0; k < npoints && rc == SIM_OK; k++) {
        rc = sweep_point(p, k, point, s->labels[k], sizeof s->labels[k], err);
        s->label_ptrs[k] = s->labels[k];
    }
    free(point);
    if (rc != SIM_OK) {
        sweep_points_free(s);
        return rc;
    }
    sweep_values(p, s->values);
    s->file = (sweep_file_t){.path = out_path, .npoints = npoints, .nparams = nsw, .values = s->values,
                             .names = s->names, .units = s->units, .params = p};
    s->points = (runner_points_t){.npoints = npoints, .dim = "point", .labels = s->label_ptrs,
                                  .point_params = point_params, .before_publish = add_sweep, .ctx = s};
    return SIM_OK;
}

void sweep_points_free(sweep_points_t *s)
{
    free(s->labels);
    free(s->label_ptrs);
    free(s->values);
    memset(s, 0, sizeof *s);
}
