/* The campaign engine: points x replications in batches; see runner.h. */
#include "runner.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <signal.h>

#include <omp.h>

#include "checkpoint.h"
#include "dist.h"
#include "h5out.h"
#include "metrics.h"
#include "partial.h"
#include "runner_files.h"
#include "sweep.h"
#include "sweep_points.h"

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

static void progress_line(const char *unit, size_t done, size_t total, double elapsed, int final)
{
    double rate = elapsed > 0 ? (double)done / elapsed : 0.0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0.0;
    fprintf(stderr, "\r%s %zu/%zu  %.1f %s/s  elapsed %.1f s  ETA %.0f s   ",
            unit, done, total, rate, unit, elapsed, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* What became of each run of a batch: one byte a run, gathered to rank 0. */
enum { RUN_TODO, RUN_IN_FILE, RUN_DONE, RUN_STOPPED, RUN_FAILED };

/* The state of a campaign that its batches share. A batch holds runs
 * [first, first + count) of `width` points: the point being run, or every
 * point of a paired campaign. part and out are rank 0's (NULL on the other
 * ranks); buf, state and errs hold one batch, point by point. */
typedef struct {
    const runner_opts_t *opts;
    const runner_points_t *points;  /* NULL: one point, the scenario */
    int threads;
    size_t npoints, width, runs, ntimes, stride;
    size_t batch;               /* runs of a point a batch holds */
    size_t held;                /* of which this rank holds: batch on rank 0, its largest
                                 * slice on the others (see dist_gather) */
    params_t *params;           /* [width] the parameters of the points being run */
    world_t **worlds;           /* [width * threads]: point j's on thread t at j * threads + t */
    uint64_t (*draws)[WORLD_STREAMS];   /* [threads] random draws of this rank's runs */
    partial_t *part;
    h5out_t *out;
    size_t rows;                /* runs of a chunk row of the file (rank 0) */
    double *buf;                /* [width][held][METRIC_COUNT][ntimes] */
    const double **blocks;      /* [width] each point's part of buf, for on_batch */
    unsigned char *state;       /* [width][batch] RUN_* */
    sim_error_t *errs;          /* [width][batch] */
    unsigned char *have;        /* [batch] 1: the run is in the result file (rank 0) */
    uint64_t *sums;             /* [batch] checksums of the runs simulated (rank 0) */
    int float32;
    size_t resumed;             /* runs copied from the partial file (rank 0) */
    int interrupted;            /* runs were stopped by runner_request_stop() */
    int failed;                 /* a run failed: its error stops the campaign */
    int broken;                 /* writing the result or the partial file failed */
    double t_sim, t_write, t_ckpt;  /* wall seconds simulating, writing, checkpointing */
} campaign_t;

/* Point j's series of the batch: run `first + i`'s at block(c, j) + i * stride on rank 0. */
static double *block(const campaign_t *c, size_t j)
{
    return c->buf + j * c->held * c->stride;
}

static unsigned char *states(const campaign_t *c, size_t j)
{
    return c->state + j * c->batch;
}

static void destroy_worlds(campaign_t *c)
{
    for (size_t i = 0; c->worlds && i < c->width * (size_t)c->threads; i++) {
        world_destroy(c->worlds[i]);
        c->worlds[i] = NULL;
    }
}

/* The worlds of points [point, point + width), which borrow their parameters. */
static sim_status_t create_worlds(campaign_t *c, size_t point, sim_error_t *err)
{
    destroy_worlds(c);
    sim_status_t rc = SIM_OK;
    for (size_t j = 0; j < c->width && rc == SIM_OK; j++) {
        if (c->points)
            rc = c->points->point_params(c->points->ctx, point + j, &c->params[j], err);
        else
            c->params[j] = *c->opts->params;
        for (int t = 0; t < c->threads && rc == SIM_OK; t++)
            rc = world_create(&c->worlds[j * (size_t)c->threads + (size_t)t], &c->params[j], err);
    }
    return rc;
}

static sim_status_t run_failure(const campaign_t *c, size_t point, size_t run, const sim_error_t *e,
                                sim_error_t *err)
{
    char where[160];
    int n = 0;
    if (dist_size() > 1)
        n = snprintf(where, sizeof where, "rank %d, ", dist_rank());
    if (c->points && c->points->names)
        n += snprintf(where + n, sizeof where - (size_t)n, "%s, ", c->points->names[point]);
    else if (c->points)
        n += snprintf(where + n, sizeof where - (size_t)n, "%s %zu, ", c->points->dim, point);
    snprintf(where + n, sizeof where - (size_t)n, "run %zu", run);
    return sim_fail(err, e->code, "%s: %s", where, e->msg);
}

/* Rank 0: read the batch's runs that the partial file holds, then write every
 * finished run: the whole batch, or, when runs stopped or failed, each stretch
 * of the others. A whole batch goes one chunk row at a time, point after
 * point in each: the writer then makes the same calls into HDF5, and so the
 * same bytes, whatever the batch size (which depends on the threads and
 * ranks); each call is whole chunk rows, which take the writer's parallel
 * path. Returns whether the batch was whole in *whole. */
static sim_status_t store_batch(campaign_t *c, size_t point, size_t first, size_t count, int *whole,
                                sim_error_t *err)
{
    *whole = 1;
    for (size_t j = 0; j < c->width; j++) {
        const unsigned char *state = states(c, j);
        for (size_t i = 0; i < count;) {
            size_t k = i;
            while (k < count && state[k] == RUN_IN_FILE)
                k++;
            if (k > i) {
                sim_status_t rc = partial_read(c->part, point + j, first + i, k - i, block(c, j) + i * c->stride, err);
                if (rc != SIM_OK)
                    return rc;
                c->resumed += k - i;
                i = k;
                continue;
            }
            *whole &= state[i] == RUN_DONE;
            c->interrupted |= state[i] == RUN_STOPPED;
            i++;
        }
    }
    if (*whole) {
        sim_status_t rc = SIM_OK;
        for (size_t i = 0; i < count && rc == SIM_OK; i += c->rows) {
            size_t n = count - i < c->rows ? count - i : c->rows;
            for (size_t j = 0; j < c->width && rc == SIM_OK; j++)
                rc = h5out_write_point_runs(c->out, point + j, first + i, n, block(c, j) + i * c->stride, err);
        }
        return rc;
    }
    for (size_t j = 0; j < c->width; j++) {
        const unsigned char *state = states(c, j);
        for (size_t i = 0; i < count;) {
            size_t k = i;
            while (k < count && (state[k] == RUN_DONE || state[k] == RUN_IN_FILE))
                k++;
            if (k > i) {
                sim_status_t rc = h5out_write_point_runs(c->out, point + j, first + i, k - i,
                                                         block(c, j) + i * c->stride, err);
                if (rc != SIM_OK)
                    return rc;
            }
            i = k + 1;
        }
    }
    return SIM_OK;
}

/* Rank 0, once a batch is stored: the checkpoint of its runs (checkpoint.h),
 * point by point, with the checksums of those simulated here. final: the
 * campaign stops. */
static sim_status_t checkpoint_batch(campaign_t *c, size_t point, size_t first, size_t count, int final,
                                     sim_error_t *err)
{
    sim_status_t rc = SIM_OK;
    for (size_t j = 0; j < c->width && rc == SIM_OK; j++) {
        const unsigned char *state = states(c, j);
        const double *runs = block(c, j);
#pragma omp parallel for schedule(dynamic, 1) num_threads(c->threads)
        for (size_t i = 0; i < count; i++) {
            c->have[i] = state[i] == RUN_DONE || state[i] == RUN_IN_FILE;
            c->sums[i] = state[i] == RUN_DONE ? partial_checksum(runs + i * c->stride, c->stride, c->float32) : 0;
        }
        rc = checkpoint_commit(c->part, c->out, point + j, first, count, c->have, c->sums, final, err);
    }
    return rc;
}

/* Simulate this rank's slice [lo, hi) of the batch on its threads, every
 * point of the batch, into buf. */
static void simulate_slice(campaign_t *c, size_t first, size_t lo, size_t hi)
{
    size_t w = c->width, fail_run = c->opts->fail_run;
    size_t at = dist_rank() == 0 ? lo : 0;   /* where run lo's series go in a point's block */
    /* a run's numbers depend only on its index, never on the rank or thread that runs
     * it; replication k of every point draws from the same streams */
#pragma omp parallel for schedule(dynamic, 1) num_threads(c->threads)
    for (size_t k = 0; k < (hi - lo) * w; k++) {
        size_t i = lo + k / w, j = k % w;
        unsigned char *state = states(c, j);
        if (state[i] == RUN_IN_FILE)
            continue;
        sim_error_t *e = &c->errs[j * c->batch + i];
        sim_error_clear(e);
        int tid = omp_get_thread_num();
        world_t *world = c->worlds[j * (size_t)c->threads + (size_t)tid];
        runner_simulate(world, 0, first + i, block(c, j) + (at + i - lo) * c->stride, c->ntimes, e);
        uint64_t d[WORLD_STREAMS];
        world_draws(world, d);
        for (int s = 0; s < WORLD_STREAMS; s++)
            c->draws[tid][s] += d[s];
        if (fail_run == first + i + 1)   /* fault injection for tests, see runner.h */
            sim_fail(e, SIM_ERANGE, "fault injected by TOKENSIM_TEST_FAIL_RUN=%zu", first + i);
        state[i] = e->code == SIM_OK ? RUN_DONE : e->code == SIM_EINTR ? RUN_STOPPED : RUN_FAILED;
    }
}

/* One batch of runs [first, first + count) of points [point, point + width),
 * over the ranks: rank 0 says which runs the partial file holds, each rank
 * simulates its slice of the others on its threads, rank 0 gathers the slices
 * and stores every finished run. Every rank returns the same status and
 * flags. A failed run (the first, in run order, then point order) becomes
 * the campaign's error, naming the run and its rank; the batch's finished runs
 * are stored all the same, so that the campaign can be resumed. */
static sim_status_t run_batch(campaign_t *c, size_t point, size_t first, size_t count, sim_error_t *err)
{
    size_t lo, hi, w = c->width;
    int root = dist_rank() == 0;
    for (size_t j = 0; j < w; j++)
        for (size_t i = 0; i < count; i++)
            states(c, j)[i] = c->part && partial_done(c->part, point + j, first + i) ? RUN_IN_FILE : RUN_TODO;
    dist_bcast(c->state, w * c->batch);
    dist_slice(count, dist_rank(), dist_size(), &lo, &hi);
    double t0 = omp_get_wtime();
    simulate_slice(c, first, lo, hi);
    sim_status_t rc = SIM_OK;
    for (size_t i = lo; i < hi && rc == SIM_OK; i++)
        for (size_t j = 0; j < w && rc == SIM_OK; j++)
            if (states(c, j)[i] == RUN_FAILED)
                rc = run_failure(c, point + j, first + i, &c->errs[j * c->batch + i], err);
    for (size_t j = 0; j < w; j++) {
        dist_gather(block(c, j), count, c->stride * sizeof *c->buf);
        dist_gather(root ? states(c, j) : states(c, j) + lo, count, 1);
    }
    rc = dist_agree(rc, err);   /* the lowest rank's failure is the first in run order */
    c->failed = rc != SIM_OK;
    double t1 = omp_get_wtime();
    c->t_sim += t1 - t0;

    sim_error_t werr;
    sim_error_clear(&werr);
    int whole = 0;
    sim_status_t wrc = root ? store_batch(c, point, first, count, &whole, &werr) : SIM_OK;
    if (root && wrc == SIM_OK && whole && c->points && c->points->on_batch) {
        for (size_t j = 0; j < w; j++)
            c->blocks[j] = block(c, j);
        c->points->on_batch(c->points->ctx, point, w, first, count, c->blocks);
    }
    double t2 = omp_get_wtime();
    c->t_write += t2 - t1;
    if (root && wrc == SIM_OK && c->part)
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
 * command that continues follows it (main prints it: it may be long).
 * Without a partial file, nothing is kept: the cause is the message. */
static sim_status_t suspend(const runner_opts_t *opts, campaign_t *c, size_t total, sim_error_t *err)
{
    sim_error_t cause = *err;
    h5out_abort(c->out);
    c->out = NULL;
    if (!c->part) {
        if (cause.code == SIM_OK)
            SIM_FAIL(err, SIM_EINTR, "interrupted: nothing is kept");
        return cause.code;
    }
    sim_error_clear(err);
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

/* Every batch of every point, until done, stopped or failed. */
static sim_status_t run_batches(campaign_t *c, size_t *stored, sim_error_t *err)
{
    const runner_opts_t *opts = c->opts;
    int root = dist_rank() == 0;
    size_t total = c->npoints * c->runs;
    int paired = c->width > 1;
    const char *unit = paired && c->points->unit ? c->points->unit : "runs";
    sim_status_t rc = SIM_OK;
    double t0 = omp_get_wtime();
    for (size_t point = 0; point < c->npoints && rc == SIM_OK && !c->interrupted && !c->failed && !c->broken;
         point += c->width) {
        /* the worlds borrow the points' parameters: new ones for each point */
        rc = dist_agree(create_worlds(c, point, err), err);
        for (size_t first = 0; first < c->runs && rc == SIM_OK && !c->failed; first += c->batch) {
            size_t count = c->runs - first < c->batch ? c->runs - first : c->batch;
            /* the same decision on every rank: a signal may reach some ranks only */
            int stop = stop_requested ||
                       (opts->stop_after_runs > 0 && *stored >= opts->stop_after_runs && *stored < total);
            if (dist_any(stop)) {
                c->interrupted = 1;
                break;
            }
            rc = run_batch(c, point, first, count, err);
            *stored = root ? h5out_runs_written(c->out) : 0;
            if (c->interrupted)
                break;
            if (opts->progress && root && rc == SIM_OK && !c->failed) {
                /* paired: replications of every point; else runs */
                size_t done = paired ? first + count : point * c->runs + first + count;
                size_t all = paired ? c->runs : total;
                progress_line(unit, done, all, omp_get_wtime() - t0, done == all);
            }
        }
    }
    return rc;
}

/* Memory: batch x metrics x times doubles of each point run at once, whatever
 * the number of runs (a chunk row is at most 32k values wide per metric, see
 * h5out.h); a batch has runs for every thread of every rank (as many threads
 * as rank 0), RUNS_PER_THREAD_MIN each unless opts->batch_runs says. */
static sim_status_t allocate_batch(campaign_t *c, sim_error_t *err)
{
    int root = dist_rank() == 0;
    size_t batch = 0;
    if (root) {
        size_t rows = c->rows = h5out_chunk_rows(c->out);
        size_t want = c->opts->batch_runs ? c->opts->batch_runs
                                          : (size_t)dist_size() * (size_t)c->threads * RUNS_PER_THREAD_MIN;
        batch = (want + rows - 1) / rows * rows;
        if (batch > c->runs)
            batch = c->runs;
    }
    dist_bcast(&batch, sizeof batch);
    size_t lo, mine;   /* rank 0 holds a batch, the others their largest slice */
    dist_slice(batch, 0, dist_size(), &lo, &mine);
    c->batch = batch;
    c->held = root ? batch : mine;
    size_t w = c->width, held = w * c->held, runs = w * batch;   /* at least 1 each: malloc(0) may be NULL */
    c->buf = malloc((held + 1) * c->stride * sizeof *c->buf);
    c->state = calloc(runs + 1, 1);
    c->errs = calloc(runs + 1, sizeof *c->errs);
    c->have = malloc(batch + 1);
    c->sums = malloc((batch + 1) * sizeof *c->sums);
    sim_status_t rc = SIM_OK;
    if (!c->buf || !c->state || !c->errs || !c->have || !c->sums)
        rc = sim_fail(err, SIM_ENOMEM, "out of memory: %zu points x %zu runs x %zu metrics x %zu times per batch",
                      w, batch, (size_t)METRIC_COUNT, c->ntimes);
    return dist_agree(rc, err);
}

static void fill_stats(const campaign_t *c, runner_stats_t *stats)
{
    stats->runs = c->runs * c->npoints;
    stats->ntimes = c->ntimes;
    stats->seconds_simulating = c->t_sim;
    stats->seconds_writing = c->t_write;
    stats->seconds_checkpoint = c->t_ckpt;
    stats->runs_resumed = c->resumed;
    stats->interrupted = c->interrupted;
    for (int k = 0; k < WORLD_STREAMS; k++) {
        stats->draws[k] = 0;
        for (int t = 0; t < c->threads; t++)
            stats->draws[k] += c->draws[t][k];
    }
}

sim_status_t runner_campaign(const runner_opts_t *opts, runner_stats_t *stats, sim_error_t *err)
{
    const params_t *p = opts->params;
    int root = dist_rank() == 0;   /* rank 0 alone reads and writes files, and prints */
    campaign_t c = {.opts = opts, .threads = opts->threads > 0 ? opts->threads : 1, .runs = (size_t)p->runs,
                    .ntimes = runner_ntimes(p), .float32 = p->output.dtype == DTYPE_FLOAT32};
    c.stride = METRIC_COUNT * c.ntimes;
    size_t stored = 0;
    sim_status_t rc = SIM_OK;

    /* a sweep's points: every point's label and values, checked before anything starts */
    sweep_points_t sweep;
    int swept = !opts->points && p->sweep.mode != SWEEP_NONE && sweep_npoints(p) > 1;
    if (swept)
        rc = sweep_points_init(&sweep, p, opts->out_path, err);
    c.points = opts->points ? opts->points : swept && rc == SIM_OK ? &sweep.points : NULL;
    c.npoints = c.points ? c.points->npoints : 1;
    c.width = c.points && c.points->paired ? c.npoints : 1;

    double *times = malloc(c.ntimes * sizeof *times);
    c.params = malloc(c.width * sizeof *c.params);
    c.blocks = calloc(c.width, sizeof *c.blocks);
    c.worlds = calloc(c.width * (size_t)c.threads, sizeof *c.worlds);
    c.draws = calloc((size_t)c.threads, sizeof *c.draws);
    if (rc == SIM_OK && (!times || !c.params || !c.blocks || !c.worlds || !c.draws))
        rc = sim_fail(err, SIM_ENOMEM, "out of memory preparing %d threads and %zu points", c.threads, c.npoints);
    if (rc == SIM_OK)
        runner_times(p, times);
    /* the result's file first: what is wrong with the output's directory names the output */
    if (root && rc == SIM_OK)
        rc = runner_open_output(opts, c.points, c.threads, c.ntimes, times, &c.out, err);
    if (root && rc == SIM_OK && opts->partial_path)
        rc = runner_open_partial(opts, c.points, c.ntimes, times, &c.part, err);
    if (dist_agree(rc, err) != SIM_OK || allocate_batch(&c, err) != SIM_OK) {
        rc = err->code;
        goto done;
    }

    double t0 = omp_get_wtime(), t_finish = 0;
    rc = run_batches(&c, &stored, err);
    int resumable = 0;
    if ((rc == SIM_OK && c.interrupted) || c.failed || c.broken) {
        if (opts->progress && root)
            fputc('\n', stderr);
        if (root)
            rc = suspend(opts, &c, c.npoints * c.runs, err);
        resumable = opts->partial_path != NULL;
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
            rc = suspend(opts, &c, c.npoints * c.runs, err);
            resumable = opts->partial_path != NULL;
        }
    }
    rc = dist_agree(rc, err);
    resumable = dist_any(resumable);
    if (stats) {
        fill_stats(&c, stats);
        stats->seconds = omp_get_wtime() - t0;
        stats->seconds_summary = t_finish;
        stats->runs_done = stored;
        stats->resumable = resumable;
    }
done:
    if (c.part && partial_runs_done(c.part) == 0 && !opts->resume_path)
        checkpoint_remove(c.part);   /* a new campaign that never got going leaves nothing */
    else
        partial_close(c.part);
    h5out_abort(c.out);
    destroy_worlds(&c);
    free(c.worlds);
    free(c.params);
    free(c.blocks);
    free(c.draws);
    free(c.errs);
    free(c.have);
    free(c.sums);
    free(c.state);
    free(c.buf);
    free(times);
    if (swept)
        sweep_points_free(&sweep);
    return rc;
}
