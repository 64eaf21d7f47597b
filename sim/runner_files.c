/* The files of a campaign; see runner_files.h. */
#include "runner_files.h"

#include <stdlib.h>

#include "checkpoint.h"
#include "metric_table.h"
#include "scenario.h"
#include "version.h"

/* The metric table as the writer takes it. */
static void metrics_for_file(h5out_metric_t hm[METRIC_COUNT])
{
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        hm[m].name = metric_table[m].name;
        hm[m].unit = metric_table[m].unit;
        hm[m].description = metric_table[m].description;
    }
}

sim_status_t runner_open_output(const runner_opts_t *opts, const runner_points_t *points, int threads,
                                size_t ntimes, const double *times, h5out_t **out, sim_error_t *err)
{
    const params_t *p = opts->params;
    size_t nparams;
    const param_def_t *defs = params_table(&nparams);
    h5out_param_t *hp = calloc(nparams, sizeof *hp);
    char (*text)[PARAMS_TEXT_MAX] = calloc(nparams, sizeof *text);
    h5out_metric_t hm[METRIC_COUNT];
    char *yaml = scenario_to_yaml(p);
    sim_status_t rc = SIM_OK;
    if (!hp || !text || !yaml) {
        rc = sim_fail(err, SIM_ENOMEM, "out of memory preparing the output file");
        goto done;
    }
    for (size_t i = 0; i < nparams; i++) {
        hp[i].name = defs[i].name;
        hp[i].unit = defs[i].unit;
        if (defs[i].type == PARAM_TEXT || defs[i].type == PARAM_DATE || defs[i].type == PARAM_ENUM ||
            defs[i].type == PARAM_BOOL) {
            params_format(p, &defs[i], text[i], sizeof text[i]);
            hp[i].is_text = 1;
            hp[i].text = text[i];
        } else {
            hp[i].number = params_value(p, &defs[i]);
        }
    }
    metrics_for_file(hm);
    h5out_spec_t spec = {
        .path = opts->out_path,
        .command = opts->command,
        .scenario_name = p->name,
        .scenario_yaml = yaml,
        .start_date = p->start_date,
        .version = TOKENSIM_VERSION,
        .format_version = TOKENSIM_FORMAT_VERSION,
        .seed = (uint64_t)p->seed,
        .runs = (size_t)p->runs,
        .days = p->days,
        .record_every_days = p->output.record_every_days,
        .ntimes = ntimes,
        .time = times,
        .metrics = hm,
        .nmetrics = METRIC_COUNT,
        .params = hp,
        .nparams = nparams,
        .threads = threads,
        .float32 = p->output.dtype == DTYPE_FLOAT32,
        .compression = p->output.compression == COMPRESSION_BLOSC ? H5OUT_BLOSC : H5OUT_DEFLATE,
        .replace = opts->force,
    };
    if (points) {
        spec.npoints = points->npoints;
        spec.point_dim = points->dim;
        spec.point_labels = points->labels;
        spec.before_publish = points->before_publish;
        spec.before_publish_ctx = points->ctx;
    }
    rc = h5out_create(out, &spec, err);
done:
    free(hp);
    free(text);
    free(yaml);
    return rc;
}

sim_status_t runner_open_partial(const runner_opts_t *opts, const runner_points_t *points, size_t ntimes,
                                 const double *times, partial_t **part, sim_error_t *err)
{
    const char *path = opts->partial_path;
    h5out_metric_t hm[METRIC_COUNT];
    metrics_for_file(hm);
    char *yaml = scenario_to_yaml(opts->params);
    if (!yaml)
        SIM_FAIL(err, SIM_ENOMEM, "out of memory reading '%s'", path);
    partial_expect_t ex = {
        .scenario_yaml = yaml,
        .version = TOKENSIM_VERSION,
        .npoints = points ? points->npoints : 1,
        .runs = (size_t)opts->params->runs,
        .ntimes = ntimes,
        .metrics = hm,
        .nmetrics = METRIC_COUNT,
        .float32 = opts->params->output.dtype == DTYPE_FLOAT32,
    };
    sim_status_t rc;
    if (opts->resume_path) {
        rc = partial_open(part, opts->resume_path, &ex, 1, err);
        if (rc == SIM_OK)
            rc = checkpoint_status(*part, "running", err);
    } else {
        runner_opts_t skel = *opts;
        skel.out_path = path;
        h5out_t *o = NULL;
        char *tmp = NULL;
        rc = runner_open_output(&skel, points, 1, ntimes, times, &o, err);
        if (rc == SIM_OK)
            rc = h5out_close_as_is(o, &tmp, err);
        if (rc == SIM_OK)
            rc = checkpoint_create(part, path, tmp, &ex, opts->how_to_continue, opts->force, err);
        free(tmp);
    }
    free(yaml);
    return rc;
}
