/*
 * The campaign engine: P points x R replications, in parallel with OpenMP,
 * each run's series streamed to the HDF5 writer (which only the calling
 * thread uses). `run` is one point, `sweep` the points of the scenario's
 * sweep one after another, `compare` two points paired run by run; under MPI
 * every rank calls the same engine.
 *
 * Runs are simulated in batches of whole rows of the file's chunks (at least
 * a few runs per thread); each batch is written, its chunks compressed on all
 * threads, before the next starts, so memory is batch x metrics x times
 * (plus per-thread buffers), whatever R is. Run k's random streams depend on
 * (seed, k) only, the same for every point (common random numbers), so the
 * file is bit-identical for any thread count. After each batch, the
 * campaign's partial file gets the batch's runs (checkpoint.h), so a kill
 * loses at most the batch in flight.
 *
 * Under MPI (dist.h) each batch is split into contiguous slices, one per
 * rank; rank 0 gathers them and alone reads and writes files, so the file is
 * bit-identical for any number of ranks too. The ranks agree on errors, on
 * the stop flag and on what the partial file holds batch by batch: they
 * leave the loop together. A run that fails stops the campaign like an
 * interruption (its finished runs kept in the partial file), with an error
 * that names the run, and its rank under MPI.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "h5out.h"
#include "params.h"
#include "world.h"

/* The points of a campaign, each replicated params->runs times: a leading
 * dimension of the file (comparison arms, sweep points), the parameters of
 * each point, and hooks of the command that set them. */
typedef struct {
    size_t npoints;             /* > 1 (one point needs no runner_points_t) */
    int paired;                 /* 1: every batch holds replications [first, first + count) of
                                 * every point, written chunk row by chunk row, point after
                                 * point in each (compare); 0: the points one after another */
    const char *dim;            /* the file's leading dimension: "arm", "point" */
    const char *const *labels;  /* [npoints] the labels of /<dim>, or NULL */
    const char *const *names;   /* [npoints] how messages name a point ("base arm"), or
                                 * NULL: "<dim> k" */
    const char *unit;           /* paired: what the progress line counts, one replication of
                                 * every point ("pairs"); else runs */
    /* point k's parameters into *out, which the point's worlds borrow while
     * its runs are simulated */
    sim_status_t (*point_params)(void *ctx, size_t k, params_t *out, sim_error_t *err);
    /* Optional, rank 0: every run of points [point, point + npoints) with
     * indices [first, first + count) is stored; runs[j] holds point + j's, as
     * [count][METRIC_COUNT][ntimes]. Called batch by batch, in run order, for
     * every run once (those resumed from the partial file too). */
    void (*on_batch)(void *ctx, size_t point, size_t npoints, size_t first, size_t count,
                     const double *const *runs);
    /* Optional: adds a command's own groups to the complete file before it is
     * published (h5out_spec_t's before_publish) */
    sim_status_t (*before_publish)(const char *tmp_path, void *ctx, sim_error_t *err);
    void *ctx;
} runner_points_t;

typedef struct {
    const params_t *params;     /* the campaign's scenario: its runs, days, seed; the
                                 * file's /scenario and /params */
    const runner_points_t *points;  /* NULL: the scenario's own, its sweep's points (a
                                 * leading "point" dimension) or, without a sweep, one */
    const char *out_path;       /* final HDF5 file */
    const char *command;        /* "run", recorded in the file */
    int threads;                /* OpenMP threads (>= 1) */
    int progress;               /* 1: a progress line on stderr */
    int force;                  /* --force: replace a regular file under out_path, and an
                                 * interrupted campaign's partial file */
    const char *resume_path;    /* a partial file to continue (see partial.h), or NULL */
    const char *partial_path;   /* the campaign's partial file, kept up to date while it runs
                                 * (checkpoint.h); NULL: none, and a stopped campaign leaves
                                 * nothing to resume (compare) */
    const char *how_to_continue;/* the command that resumes, for /manifest (the message
                                 * ends "continue with:"; the caller prints it) */
    size_t batch_runs;          /* runs of a point a batch holds at least, rounded up to whole
                                 * chunk rows of the file; 0: 8 for every thread of every rank */
    size_t stop_after_runs;     /* > 0: behave as if interrupted once this many runs are
                                 * stored (fault injection for tests) */
    size_t fail_run;            /* > 0: run fail_run - 1 (of each point) fails with SIM_ERANGE
                                 * once simulated (fault injection for tests) */
} runner_opts_t;

typedef struct {
    size_t runs;                /* of all points */
    size_t ntimes;
    double seconds;             /* wall time of simulate + write */
    double seconds_simulating;  /* of which: simulating runs (and gathering them over ranks) */
    double seconds_writing;     /* writing /runs */
    double seconds_summary;     /* computing and writing /summary, closing the file */
    double seconds_checkpoint;  /* copying finished runs to the partial file (checkpoint.h) */
    size_t runs_resumed;        /* runs taken from the partial file */
    size_t runs_done;           /* runs stored (all of them unless interrupted) */
    int interrupted;            /* 1: stopped by runner_request_stop() */
    int resumable;              /* 1: the campaign stopped and its partial file keeps it */
    uint64_t draws[WORLD_STREAMS];  /* random draws of the simulated runs, per stream */
} runner_stats_t;

/* Ask the running campaign to stop: async-signal-safe (a SIGINT/SIGTERM
 * handler calls it). Runs in flight stop at their next day and are dropped;
 * finished runs are kept in the campaign's partial file with a /manifest,
 * and the campaign returns SIM_EINTR with a message that says how to
 * continue. */
void runner_request_stop(void);

/* Forget an earlier request (tests, and before a new campaign). */
void runner_clear_stop(void);

/* Number of recorded times: day 0, every record_every_days, and the last day. */
size_t runner_ntimes(const params_t *p);

/* The recorded days, into times[runner_ntimes(p)]. */
void runner_times(const params_t *p, double *times);

/* Simulate run `run` of point `point` on world w (reset first); series go to
 * buf[METRIC_COUNT][ntimes]. */
sim_status_t runner_simulate(world_t *w, uint64_t point, uint64_t run, double *buf,
                             size_t ntimes, sim_error_t *err);

/* The whole campaign into opts->out_path, its partial file kept up to date
 * meanwhile. With opts->resume_path, the runs that file holds (checked
 * against their checksums) are copied instead of simulated: the result is the
 * file an uninterrupted campaign writes (bit for bit with SOURCE_DATE_EPOCH
 * set), and the partial file is removed once the result is in place (or kept
 * beside its name: SIM_EEXIST, see h5out_finish). Interrupted: SIM_EINTR, and
 * the finished runs are in the partial file; a run that failed, or a file
 * that could not be written: its status, and the same partial file
 * (stats->resumable says so). Without a partial file such a campaign leaves
 * no file at all. Under MPI every rank calls it and gets the same status and
 * message; stats are rank 0's. */
sim_status_t runner_campaign(const runner_opts_t *opts, runner_stats_t *stats, sim_error_t *err);

#endif
