/* The campaign loop; see runner.h. */
#include "runner.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <unistd.h>

#include <omp.h>

#include "checkpoint.h"
#include "dist.h"
#include "h5out.h"
#include "metrics.h"
#include "outpath.h"
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

/* The campaign's partial file (partial.h, checkpoint.h), open for its
 * checkpoints: with opts->resume_path an interrupted campaign's, which must
 * hold this very campaign; else a new one, made from the result file's
 * skeleton. */
static sim_status_t open_partial(const runner_opts_t *opts, const char *path, size_t npoints, size_t ntimes, const double *times,
                                 const runner_points_t *points, partial_t **part, sim_error_t *err)
{
    h5out_metric_t hm[METRIC_COUNT];
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        hm[m].name = metric_table[m].name;
        hm[m].unit = metric_table[m].unit;
        hm[m].description = metric_table[m].description;
    }
    char *yaml = scenario_to_yaml(opts->params);
    if (!yaml)
        SIM_FAIL(err, SIM_ENOMEM, "out of memory reading '%s'", path);
    partial_expect_t ex = {
        .scenario_yaml = yaml,
        .version = TOKENSIM_VERSION,
        .npoints = npoints,
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
        rc = runner_open_output(&skel, 1, ntimes, times, points, &o, err);
        if (rc == SIM_OK)
            rc = h5out_close_as_is(o, &tmp, err);
        if (rc == SIM_OK)
            rc = checkpoint_create(part, path, tmp, &ex, opts->how_to_continue, opts->force, err);
        free(tmp);
    }
    free(yaml);
    return rc;
}

/* What became of each run of a batch: one byte a run, gathered to rank 0. */
enum { RUN_TODO, RUN_IN_FILE, RUN_DONE, RUN_STOPPED, RUN_FAILED };

/* The state of a campaign that its batches share. part and out are rank 0's
 * (NULL on the other ranks); buf, state and errs hold one batch. */
typedef struct {
    const runner_opts_t *opts;
    world_t **worlds;           /* [threads] */
    uint64_t (*draws)[WORLD_STREAMS];   /* [threads] random draws of this rank's runs */
    int threads;
    partial_t *part;
    h5out_t *out;
    size_t npoints, ntimes, stride;
    size_t rows;                /* runs of a chunk row of the file (rank 0) */
    double *buf;                /* [batch][METRIC_COUNT][ntimes] on rank 0; the other ranks
                                 * hold their slice only (see dist_gather) */
    unsigned char *state;       /* [batch] RUN_* */
    sim_error_t *errs;          /* [batch] */
    unsigned char *have;        /* [batch] 1: the run is in the result file (rank 0) */
    uint64_t *sums;             /* [batch] checksums of the runs simulated (rank 0) */
    int float32;
    size_t resumed;             /* runs copied from the partial file (rank 0) */
    int interrupted;            /* runs were stopped by runner_request_stop() */
    int failed;                 /* a run failed: its error stops the campaign */
    int broken;                 /* writing the result or the partial file failed */
    double t_sim, t_write, t_ckpt;  /* wall seconds simulating, writing, checkpointing */
} campaign_t;

static sim_status_t run_failure(const campaign_t *c, size_t point, size_t run, const sim_error_t *e,
                                sim_error_t *err)
{
    char where[96];
    int n = 0;
    if (dist_size() > 1)
        n = snprintf(where, sizeof where, "rank %d, ", dist_rank());
    if (c->npoints > 1)
        n += snprintf(where + n, sizeof where - (size_t)n, "point %zu, ", point);
    snprintf(where + n, sizeof where - (size_t)n, "run %zu", run);
    return sim_fail(err, e->code, "%s: %s", where, e->msg);
}

/* Rank 0: read the batch's runs that the partial file holds, then write every
 * finished run: the whole batch, or, when runs stopped or failed, each stretch
 * of the others. A whole batch goes one chunk row at a time: the writer then
 * makes the same calls into HDF5, and so the same bytes, whatever the batch
 * size (which depends on the threads and ranks); each call is whole chunk
 * rows, which take the writer's parallel path. */
static sim_status_t store_batch(campaign_t *c, size_t point, size_t first, size_t count, sim_error_t *err)
{
    int whole = 1;
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && c->state[j] == RUN_IN_FILE)
            j++;
        if (j > i) {
            sim_status_t rc = partial_read(c->part, point, first + i, j - i, c->buf + i * c->stride, err);
            if (rc != SIM_OK)
                return rc;
            c->resumed += j - i;
            i = j;
            continue;
        }
        whole &= c->state[i] == RUN_DONE;
        c->interrupted |= c->state[i] == RUN_STOPPED;
        i++;
    }
    if (whole) {
        sim_status_t rc = SIM_OK;
        for (size_t i = 0; i < count && rc == SIM_OK; i += c->rows) {
            size_t n = count - i < c->rows ? count - i : c->rows;
            rc = h5out_write_point_runs(c->out, point, first + i, n, c->buf + i * c->stride, err);
        }
        return rc;
    }
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && (c->state[j] == RUN_DONE || c->state[j] == RUN_IN_FILE))
            j++;
        if (j > i) {
            sim_status_t rc = h5out_write_point_runs(c->out, point, first + i, j - i, c->buf + i * c->stride, err);
            if (rc != SIM_OK)
                return rc;
        }
        i = j + 1;
    }
    return SIM_OK;
}

/* Rank 0, once a batch is stored: the checkpoint of its runs (checkpoint.h),
 * with the checksums of those simulated here. final: the campaign stops. */
static sim_status_t checkpoint_batch(campaign_t *c, size_t point, size_t first, size_t count, int final,
                                     sim_error_t *err)
{
#pragma omp parallel for schedule(dynamic, 1) num_threads(c->threads)
    for (size_t i = 0; i < count; i++) {
        c->have[i] = c->state[i] == RUN_DONE || c->state[i] == RUN_IN_FILE;
        c->sums[i] = c->state[i] == RUN_DONE ? partial_checksum(c->buf + i * c->stride, c->stride, c->float32) : 0;
    }
    return checkpoint_commit(c->part, c->out, point, first, count, c->have, c->sums, final, err);
}

/* One batch of runs [first, first + count) of a point, over the ranks: rank 0
 * says which runs the partial file holds, each rank simulates its slice of
 * the others on its threads, rank 0 gathers the slices and stores every
 * finished run. Every rank returns the same status and flags. A failed run
 * (the first, in run order) becomes the campaign's error, naming the run and
 * its rank; the batch's finished runs are stored all the same, so that the
 * campaign can be resumed. */
static sim_status_t run_batch(campaign_t *c, size_t point, size_t first, size_t count, sim_error_t *err)
{
    size_t lo, hi, fail_run = c->opts->fail_run;
    int root = dist_rank() == 0;
    for (size_t i = 0; i < count; i++)
        c->state[i] = c->part && partial_done(c->part, point, first + i) ? RUN_IN_FILE : RUN_TODO;
    dist_bcast(c->state, count);
    dist_slice(count, dist_rank(), dist_size(), &lo, &hi);
    double *mine = root ? c->buf + lo * c->stride : c->buf;   /* run lo's series */
    double t0 = omp_get_wtime();
    /* a run's numbers depend only on its index, never on the rank or thread that runs
     * it; replication k of every sweep point draws from the same streams */
#pragma omp parallel for schedule(dynamic, 1) num_threads(c->threads)
    for (size_t i = lo; i < hi; i++) {
        if (c->state[i] == RUN_IN_FILE)
            continue;
        sim_error_t *e = &c->errs[i];
        sim_error_clear(e);
        int tid = omp_get_thread_num();
        runner_simulate(c->worlds[tid], 0, first + i, mine + (i - lo) * c->stride, c->ntimes, e);
        uint64_t d[WORLD_STREAMS];
        world_draws(c->worlds[tid], d);
        for (int k = 0; k < WORLD_STREAMS; k++)
            c->draws[tid][k] += d[k];
        if (fail_run == first + i + 1)   /* fault injection for tests, see runner.h */
            sim_fail(e, SIM_ERANGE, "fault injected by TOKENSIM_TEST_FAIL_RUN=%zu", first + i);
        c->state[i] = e->code == SIM_OK ? RUN_DONE : e->code == SIM_EINTR ? RUN_STOPPED : RUN_FAILED;
    }
    sim_status_t rc = SIM_OK;
    for (size_t i = lo; i < hi && rc == SIM_OK; i++)
        if (c->state[i] == RUN_FAILED)
            rc = run_failure(c, point, first + i, &c->errs[i], err);
    dist_gather(c->buf, count, c->stride * sizeof *c->buf);
    dist_gather(root ? c->state : c->state + lo, count, 1);
    rc = dist_agree(rc, err);   /* the lowest rank's failure is the first in run order */
    c->failed = rc != SIM_OK;
    double t1 = omp_get_wtime();
    c->t_sim += t1 - t0;

    sim_error_t werr;
    sim_error_clear(&werr);
    sim_status_t wrc = root ? store_batch(c, point, first, count, &werr) : SIM_OK;
    double t2 = omp_get_wtime();
    c->t_write += t2 - t1;
    if (root && wrc == SIM_OK)
        wrc = checkpoint_batch(c, point, first, count, c->interrupted || c->failed, &werr);
    c->t_ckpt += omp_get_wtime() - t2;
    wrc = dist_agree(wrc, &werr);
    c->interrupted = dist_any(c->interrupted);
    if (wrc != SIM_OK) {   /* the partial file keeps the batches before this one */
        c->failed = 0;
        c->broken = 1;
        *err = werr;
        return wrc;
    }
    return rc;
}

/* Interrupted, a run failed or a file could not be written (err holds the
 * cause): the result file goes, the partial file keeps the finished runs
 * (the last checkpoint), and the message says how many and where; the
 * command that continues follows it (main prints it: it may be long). */
static sim_status_t suspend(const runner_opts_t *opts, campaign_t *c, size_t total, sim_error_t *err)
{
    sim_error_t cause = *err;
    sim_error_clear(err);
    h5out_abort(c->out);
    c->out = NULL;
    size_t done = partial_runs_done(c->part);
    const char *path = opts->resume_path ? opts->resume_path : opts->partial_path;
    sim_error_t ignored;   /* the cause says more than a second failure */
    sim_error_clear(&ignored);
    checkpoint_status(c->part, "interrupted", &ignored);
    partial_close(c->part);
    c->part = NULL;
    const char *go_on = opts->how_to_continue ? "; continue with:" : "";
    if (cause.code == SIM_OK)
        SIM_FAIL(err, SIM_EINTR, "interrupted: %zu of %zu runs are saved in %s%s", done, total, path, go_on);
    if (opts->how_to_continue)
        go_on = "; once the cause is fixed, continue with:";
    SIM_FAIL(err, cause.code, "%s\n%zu of %zu runs are saved in %s%s", cause.msg, done, total, path, go_on);
}

sim_status_t runner_campaign(const runner_opts_t *opts, runner_stats_t *stats, sim_error_t *err)
{
    const params_t *p = opts->params;
    int threads = opts->threads > 0 ? opts->threads : 1;
    int root = dist_rank() == 0;   /* rank 0 alone reads and writes files, and prints */
    size_t runs = (size_t)p->runs;
    size_t ntimes = runner_ntimes(p);
    size_t stride = METRIC_COUNT * ntimes;
    size_t npoints = sweep_npoints(p);
    size_t batch = 0, stored = 0;
    campaign_t c = {.opts = opts, .threads = threads, .npoints = npoints, .ntimes = ntimes, .stride = stride};

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
    c.worlds = calloc((size_t)threads, sizeof *c.worlds);
    c.draws = calloc((size_t)threads, sizeof *c.draws);
    sim_status_t rc = SIM_OK;
    if (!times || !c.worlds || !c.draws || !point_params || (npoints > 1 && (!labels || !label_ptrs || (nsw && !values))))
        rc = sim_fail(err, SIM_ENOMEM, "out of memory preparing %d threads and %zu points", threads, npoints);
    if (rc == SIM_OK && npoints > 1) {
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
    if (rc == SIM_OK)
        runner_times(p, times);
    char partial[PATH_MAX];
    if (opts->partial_path)
        snprintf(partial, sizeof partial, "%s", opts->partial_path);
    else if (rc == SIM_OK)
        rc = outpath_partial(opts->out_path, partial, sizeof partial, err);
    runner_opts_t o = *opts;   /* the suspend message names the partial file */
    o.partial_path = partial;
    c.float32 = p->output.dtype == DTYPE_FLOAT32;
    /* the result's file first: what is wrong with the output's directory names the output */
    if (root && rc == SIM_OK)
        rc = runner_open_output(opts, threads, ntimes, times, npoints > 1 ? &pts : NULL, &c.out, err);
    if (root && rc == SIM_OK)
        rc = open_partial(&o, partial, npoints, ntimes, times, npoints > 1 ? &pts : NULL, &c.part, err);
    if (dist_agree(rc, err) != SIM_OK) {
        rc = err->code;
        goto done;
    }

    /* Memory: batch x metrics x times doubles, whatever the number of runs
     * (a chunk row is at most 32k values wide per metric, see h5out.h); a
     * batch has runs for every thread of every rank (as many threads as rank 0). */
    if (root) {
        size_t rows = c.rows = h5out_chunk_rows(c.out);
        size_t want = (size_t)dist_size() * (size_t)threads * RUNS_PER_THREAD_MIN;
        batch = (want + rows - 1) / rows * rows;
        if (batch > runs)
            batch = runs;
    }
    dist_bcast(&batch, sizeof batch);
    size_t lo, mine;   /* rank 0 holds a batch, the others their largest slice */
    dist_slice(batch, 0, dist_size(), &lo, &mine);
    c.buf = malloc((root ? batch : mine) * stride * sizeof *c.buf);
    c.state = malloc(batch ? batch : 1);
    c.errs = calloc(batch, sizeof *c.errs);
    c.have = malloc(batch ? batch : 1);
    c.sums = malloc((batch ? batch : 1) * sizeof *c.sums);
    if (!c.buf || !c.state || !c.errs || !c.have || !c.sums)
        rc = sim_fail(err, SIM_ENOMEM, "out of memory: %zu runs x %zu metrics x %zu times per batch",
                      batch, (size_t)METRIC_COUNT, ntimes);
    if (dist_agree(rc, err) != SIM_OK) {
        rc = err->code;
        goto done;
    }

    double t0 = omp_get_wtime(), t_finish = 0;
    for (size_t point = 0; point < npoints && rc == SIM_OK && !c.interrupted && !c.failed && !c.broken; point++) {
        /* the worlds borrow the point's parameters: new ones for each point */
        destroy_worlds(c.worlds, threads);
        if (npoints > 1)
            rc = sweep_point(p, point, point_params, NULL, 0, err);
        else
            *point_params = *p;
        for (int t = 0; t < threads && rc == SIM_OK; t++)
            rc = world_create(&c.worlds[t], point_params, err);
        rc = dist_agree(rc, err);
        for (size_t first = 0; first < runs && rc == SIM_OK && !c.failed; first += batch) {
            size_t count = runs - first < batch ? runs - first : batch;
            /* the same decision on every rank: a signal may reach some ranks only */
            int stop = stop_requested ||
                       (opts->stop_after_runs > 0 && stored >= opts->stop_after_runs && stored < npoints * runs);
            if (dist_any(stop)) {
                c.interrupted = 1;
                break;
            }
            rc = run_batch(&c, point, first, count, err);
            stored = root ? h5out_runs_written(c.out) : 0;
            if (c.interrupted)
                break;
            if (opts->progress && root && rc == SIM_OK && !c.failed) {
                size_t done_runs = point * runs + first + count;
                progress_line(done_runs, npoints * runs, omp_get_wtime() - t0, done_runs == npoints * runs);
            }
        }
    }
    int resumable = 0;
    if ((rc == SIM_OK && c.interrupted) || c.failed || c.broken) {
        if (opts->progress && root)
            fputc('\n', stderr);
        if (root)
            rc = suspend(&o, &c, npoints * runs, err);
        resumable = 1;
    } else if (rc == SIM_OK) {
        t_finish = omp_get_wtime();
        if (root)
            rc = h5out_finish(c.out, err);
        t_finish = omp_get_wtime() - t_finish;
        c.out = NULL;   /* finish frees it whatever the outcome */
        if (root && (rc == SIM_OK || rc == SIM_EEXIST)) {
            checkpoint_remove(c.part);   /* the result is whole, under its name or another */
            c.part = NULL;
        } else if (root && rc != SIM_OK) {   /* every run is in the partial file still */
            rc = suspend(&o, &c, npoints * runs, err);
            resumable = 1;
        }
    }
    rc = dist_agree(rc, err);
    resumable = dist_any(resumable);
    if (stats) {
        stats->runs = runs * npoints;
        stats->ntimes = ntimes;
        stats->seconds = omp_get_wtime() - t0;
        stats->seconds_simulating = c.t_sim;
        stats->seconds_writing = c.t_write;
        stats->seconds_checkpoint = c.t_ckpt;
        stats->resumable = resumable;
        stats->seconds_summary = t_finish;
        stats->runs_resumed = c.resumed;
        stats->runs_done = stored;
        stats->interrupted = c.interrupted;
        for (int k = 0; k < WORLD_STREAMS; k++) {
            stats->draws[k] = 0;
            for (int t = 0; t < threads; t++)
                stats->draws[k] += c.draws[t][k];
        }
    }
done:
    if (c.part && partial_runs_done(c.part) == 0 && !opts->resume_path)
        checkpoint_remove(c.part);   /* a new campaign that never got going leaves nothing */
    else
        partial_close(c.part);
    h5out_abort(c.out);
    destroy_worlds(c.worlds, threads);
    free(c.worlds);
    free(c.draws);
    free(c.errs);
    free(c.have);
    free(c.sums);
    free(c.state);
    free(c.buf);
    free(times);
    free(labels);
    free(label_ptrs);
    free(values);
    free(point_params);
    return rc;
}
