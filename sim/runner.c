/* The campaign loop; see runner.h. */
#include "runner.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <unistd.h>

#include <omp.h>

#include "h5out.h"
#include "metrics.h"
#include "partial.h"
#include "scenario.h"
#include "sweep.h"
#include "sweep_file.h"
#include "version.h"

/* A batch is whole rows of /runs chunks (the writer then compresses them on
 * all threads) and at least this many runs per thread. */
#define RUNS_PER_THREAD_MIN 8

static volatile sig_atomic_t stop_requested;

void runner_request_stop(void)
{
    stop_requested = 1;
}

void runner_clear_stop(void)
{
    stop_requested = 0;
}

size_t runner_ntimes(const params_t *p)
{
    int64_t every = p->output.record_every_days;
    size_t n = (size_t)(p->days / every) + 1;
    if (p->days % every != 0)
        n++;
    return n;
}

void runner_times(const params_t *p, double *times)
{
    size_t n = runner_ntimes(p);
    for (size_t i = 0; i + 1 < n; i++)
        times[i] = (double)((int64_t)i * p->output.record_every_days);
    times[n - 1] = (double)p->days;
}

static void store(double *buf, size_t ntimes, size_t idx, const double *values)
{
    for (size_t m = 0; m < METRIC_COUNT; m++)
        buf[m * ntimes + idx] = values[m];
}

sim_status_t runner_simulate(world_t *w, uint64_t point, uint64_t run, double *buf,
                             size_t ntimes, sim_error_t *err)
{
    const params_t *p = w->p;
    double values[METRIC_COUNT];
    int64_t every = p->output.record_every_days;
    size_t idx = 0;

    sim_status_t rs = world_reset(w, point, run, err);
    if (rs != SIM_OK)
        return rs;
    metrics_record(w, values);
    store(buf, ntimes, idx++, values);
    for (int64_t day = 1; day <= p->days; day++) {
        if (stop_requested)
            SIM_FAIL(err, SIM_EINTR, "run %" PRIu64 ": interrupted on day %" PRId64, run, day);
        sim_status_t rc = world_step(w, err);
        if (rc != SIM_OK)
            return rc;
        if (day % every == 0 || day == p->days) {
            metrics_record(w, values);
            store(buf, ntimes, idx++, values);
        }
    }
    if (idx != ntimes)
        SIM_FAIL(err, SIM_ERANGE, "run %" PRIu64 ": recorded %zu times, expected %zu", run, idx, ntimes);
    return SIM_OK;
}

static void progress_line(size_t done, size_t total, double elapsed, int final)
{
    double rate = elapsed > 0 ? (double)done / elapsed : 0.0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0.0;
    fprintf(stderr, "\rruns %zu/%zu  %.1f runs/s  elapsed %.1f s  ETA %.0f s   ",
            done, total, rate, elapsed, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* Everything the file needs besides the runs: attributes, /params, /time. */
sim_status_t runner_open_output(const runner_opts_t *opts, int threads, size_t ntimes, const double *times,
                                const runner_points_t *points, h5out_t **out, sim_error_t *err)
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
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        hm[m].name = metric_table[m].name;
        hm[m].unit = metric_table[m].unit;
        hm[m].description = metric_table[m].description;
    }
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

static sim_status_t add_sweep(const char *tmp_path, void *ctx, sim_error_t *err)
{
    return sweep_file_append(tmp_path, (const sweep_file_t *)ctx, err);
}

static void destroy_worlds(world_t **worlds, int threads)
{
    for (int t = 0; worlds && t < threads; t++) {
        world_destroy(worlds[t]);
        worlds[t] = NULL;
    }
}

/* The partial file of an interrupted campaign about to be resumed: it must
 * hold this very campaign (see partial.h). */
static sim_status_t open_partial(const runner_opts_t *opts, size_t npoints, size_t ntimes,
                                 partial_t **part, sim_error_t *err)
{
    h5out_metric_t hm[METRIC_COUNT];
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        hm[m].name = metric_table[m].name;
        hm[m].unit = metric_table[m].unit;
        hm[m].description = metric_table[m].description;
    }
    char *yaml = scenario_to_yaml(opts->params);
    if (!yaml)
        SIM_FAIL(err, SIM_ENOMEM, "out of memory reading '%s'", opts->resume_path);
    partial_expect_t ex = {
        .scenario_yaml = yaml,
        .version = TOKENSIM_VERSION,
        .npoints = npoints,
        .runs = (size_t)opts->params->runs,
        .ntimes = ntimes,
        .metrics = hm,
        .nmetrics = METRIC_COUNT,
    };
    sim_status_t rc = partial_open(part, opts->resume_path, &ex, err);
    free(yaml);
    return rc;
}

/* One batch of runs [first, first + count) of a point: runs the partial file
 * holds are read back, the others simulated. On interruption the runs that
 * finished are stored and *interrupted is set. */
static sim_status_t run_batch(world_t **worlds, int threads,
                              partial_t *part, h5out_t *out, size_t point, size_t npoints,
                              size_t first, size_t count, double *buf, size_t ntimes,
                              sim_error_t *errs, size_t *resumed, int *interrupted,
                              uint64_t (*draws)[WORLD_STREAMS], sim_error_t *err)
{
    size_t stride = METRIC_COUNT * ntimes;
    size_t from_file = 0;
    for (size_t i = 0; i < count; i++) {
        sim_error_clear(&errs[i]);
        from_file += partial_done(part, point, first + i);
    }
    if (from_file > 0) {
        sim_status_t rc = partial_read(part, point, first, count, buf, err);
        if (rc != SIM_OK)
            return rc;
        *resumed += from_file;
    }
    if (from_file < count) {
        /* a run's numbers depend only on its index, never on the thread that runs it;
         * replication k of every sweep point draws from the same streams */
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (size_t i = 0; i < count; i++) {
            if (partial_done(part, point, first + i))
                continue;
            int tid = omp_get_thread_num();
            world_t *w = worlds[tid];
            runner_simulate(w, 0, first + i, buf + i * stride, ntimes, &errs[i]);
            uint64_t d[WORLD_STREAMS];
            world_draws(w, d);
            for (int k = 0; k < WORLD_STREAMS; k++)
                draws[tid][k] += d[k];
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (errs[i].code == SIM_EINTR) {
            *interrupted = 1;
        } else if (errs[i].code != SIM_OK) {
            return npoints > 1 ? sim_fail(err, errs[i].code, "point %zu, run %zu: %s", point, first + i, errs[i].msg)
                               : sim_fail(err, errs[i].code, "run %zu: %s", first + i, errs[i].msg);
        }
    }
    if (!*interrupted)
        return h5out_write_point_runs(out, point, first, count, buf, err);
    /* keep what finished: each stretch of runs that completed */
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && errs[j].code == SIM_OK)
            j++;
        if (j > i) {
            sim_status_t rc = h5out_write_point_runs(out, point, first + i, j - i, buf + i * stride, err);
            if (rc != SIM_OK)
                return rc;
        }
        i = j + 1;
    }
    return SIM_OK;
}

/* Interrupted: the finished runs go to the partial file, with the way on. */
static sim_status_t suspend(const runner_opts_t *opts, h5out_t *out, size_t total, sim_error_t *err)
{
    char partial[4096];
    const char *path = opts->partial_path;
    if (!path) {
        snprintf(partial, sizeof partial, "%s.partial", opts->out_path);
        path = partial;
    }
    size_t done = h5out_runs_written(out);
    sim_status_t rc = h5out_suspend(out, path, opts->how_to_continue, err);
    if (rc != SIM_OK)
        return rc;
    if (opts->how_to_continue)
        SIM_FAIL(err, SIM_EINTR, "interrupted: %zu of %zu runs are saved in %s; continue with:\n  %s",
                 done, total, path, opts->how_to_continue);
    SIM_FAIL(err, SIM_EINTR, "interrupted: %zu of %zu runs are saved in %s", done, total, path);
}

sim_status_t runner_campaign(const runner_opts_t *opts, runner_stats_t *stats, sim_error_t *err)
{
    const params_t *p = opts->params;
    int threads = opts->threads > 0 ? opts->threads : 1;
    size_t runs = (size_t)p->runs;
    size_t ntimes = runner_ntimes(p);
    size_t stride = METRIC_COUNT * ntimes;
    size_t npoints = sweep_npoints(p);
    size_t batch = 0, resumed = 0, stored = 0;
    int interrupted = 0;
    double *buf = NULL;
    sim_error_t *errs = NULL;
    partial_t *part = NULL;

    /* a sweep: every point's labels and values, and the point's own parameters */
    size_t nsw = p->sweep.mode != SWEEP_NONE ? p->sweep.nparams : 0;
    char (*labels)[256] = npoints > 1 ? calloc(npoints, sizeof *labels) : NULL;
    const char **label_ptrs = npoints > 1 ? calloc(npoints, sizeof *label_ptrs) : NULL;
    double *values = nsw ? calloc(npoints * nsw, sizeof *values) : NULL;
    const char *names[PARAMS_MAX_SWEEP], *units[PARAMS_MAX_SWEEP];
    params_t *point_params = malloc(sizeof *point_params);
    sweep_file_t swf = {.path = opts->out_path, .npoints = npoints, .nparams = nsw, .values = values,
                        .names = names, .units = units, .params = p};
    runner_points_t pts = {.npoints = npoints, .dim = "point", .before_publish = add_sweep, .ctx = &swf};

    double *times = malloc(ntimes * sizeof *times);
    world_t **worlds = calloc((size_t)threads, sizeof *worlds);
    uint64_t (*draws)[WORLD_STREAMS] = calloc((size_t)threads, sizeof *draws);
    h5out_t *out = NULL;
    sim_status_t rc = SIM_OK;
    if (!times || !worlds || !draws || !point_params || (npoints > 1 && (!labels || !label_ptrs || (nsw && !values)))) {
        rc = sim_fail(err, SIM_ENOMEM, "out of memory preparing %d threads and %zu points", threads, npoints);
        goto done;
    }
    if (npoints > 1) {
        size_t n;
        const param_def_t *table = params_table(&n);
        for (size_t j = 0; j < nsw; j++) {
            names[j] = table[p->sweep.param[j]].name;
            units[j] = table[p->sweep.param[j]].unit;
        }
        for (size_t k = 0; k < npoints && rc == SIM_OK; k++) {
            rc = sweep_point(p, k, point_params, labels[k], sizeof labels[k], err);
            label_ptrs[k] = labels[k];
        }
        sweep_values(p, values);
        pts.labels = label_ptrs;
    }
    runner_times(p, times);
    if (rc == SIM_OK && opts->resume_path)
        rc = open_partial(opts, npoints, ntimes, &part, err);
    if (rc == SIM_OK)
        rc = runner_open_output(opts, threads, ntimes, times, npoints > 1 ? &pts : NULL, &out, err);
    if (rc != SIM_OK)
        goto done;

    /* Memory: batch x metrics x times doubles, whatever the number of runs
     * (a chunk row is at most 32k values wide per metric, see h5out.h). */
    size_t rows = h5out_chunk_rows(out);
    size_t want = (size_t)threads * RUNS_PER_THREAD_MIN;
    batch = (want + rows - 1) / rows * rows;
    if (batch > runs)
        batch = runs;
    buf = malloc(batch * stride * sizeof *buf);
    errs = calloc(batch, sizeof *errs);
    if (!buf || !errs) {
        rc = sim_fail(err, SIM_ENOMEM, "out of memory: %zu runs x %zu metrics x %zu times per batch",
                      batch, (size_t)METRIC_COUNT, ntimes);
        goto done;
    }

    double t0 = omp_get_wtime();
    for (size_t point = 0; point < npoints && rc == SIM_OK && !interrupted; point++) {
        /* the worlds borrow the point's parameters: new ones for each point */
        destroy_worlds(worlds, threads);
        if (npoints > 1)
            rc = sweep_point(p, point, point_params, NULL, 0, err);
        else
            *point_params = *p;
        for (int t = 0; t < threads && rc == SIM_OK; t++)
            rc = world_create(&worlds[t], point_params, err);
        for (size_t first = 0; first < runs && rc == SIM_OK && !interrupted; first += batch) {
            size_t count = runs - first < batch ? runs - first : batch;
            if (stop_requested) {
                interrupted = 1;
                break;
            }
            rc = run_batch(worlds, threads, part, out, point, npoints, first, count, buf, ntimes,
                           errs, &resumed, &interrupted, draws, err);
            stored = h5out_runs_written(out);
            if (opts->stop_after_runs > 0 && stored >= opts->stop_after_runs && stored < npoints * runs)
                interrupted = 1;
            if (opts->progress && rc == SIM_OK) {
                size_t done_runs = point * runs + first + count;
                progress_line(done_runs, npoints * runs, omp_get_wtime() - t0, done_runs == npoints * runs);
            }
        }
    }
    partial_close(part);   /* before the partial file is replaced or removed */
    part = NULL;
    if (rc == SIM_OK && interrupted) {
        if (opts->progress)
            fputc('\n', stderr);
        rc = suspend(opts, out, npoints * runs, err);
        out = NULL;   /* suspend frees it whatever the outcome */
    } else if (rc == SIM_OK) {
        rc = h5out_finish(out, err);
        out = NULL;   /* finish frees it whatever the outcome */
        if (rc == SIM_OK && opts->resume_path)
            unlink(opts->resume_path);
    }
    if (stats) {
        stats->runs = runs * npoints;
        stats->ntimes = ntimes;
        stats->seconds = omp_get_wtime() - t0;
        stats->runs_resumed = resumed;
        stats->runs_done = stored;
        stats->interrupted = interrupted;
        for (int k = 0; k < WORLD_STREAMS; k++) {
            stats->draws[k] = 0;
            for (int t = 0; t < threads; t++)
                stats->draws[k] += draws[t][k];
        }
    }
done:
    partial_close(part);
    h5out_abort(out);
    destroy_worlds(worlds, threads);
    free(worlds);
    free(draws);
    free(errs);
    free(buf);
    free(times);
    free(labels);
    free(label_ptrs);
    free(values);
    free(point_params);
    return rc;
}
