/*
 * The campaign: R replications of one scenario, in parallel with OpenMP, each
 * run's series streamed to the HDF5 writer (which only the calling thread uses).
 *
 * Runs are simulated in batches of whole rows of the file's chunks (at least
 * a few runs per thread); each batch is written, its chunks compressed on all
 * threads, before the next starts, so memory is batch x metrics x times
 * (plus per-thread buffers), whatever R is. Run k's random streams depend on
 * (seed, point, k) only, so the file is bit-identical for any thread count.
 * After each batch, the campaign's partial file gets the batch's runs
 * (checkpoint.h), so a kill loses at most the batch in flight.
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

typedef struct {
    const params_t *params;
    const char *out_path;       /* final HDF5 file */
    const char *command;        /* "run", recorded in the file */
    int threads;                /* OpenMP threads (>= 1) */
    int progress;               /* 1: a progress line on stderr */
    int force;                  /* --force: replace a regular file under out_path, and an
                                 * interrupted campaign's partial file */
    const char *resume_path;    /* a partial file to continue (see partial.h), or NULL */
    const char *partial_path;   /* the campaign's partial file, kept up to date while it runs
                                 * (checkpoint.h; NULL: outpath_partial(out_path)) */
    const char *how_to_continue;/* the command that resumes, for /manifest (the message
                                 * ends "continue with:"; the caller prints it) */
    size_t stop_after_runs;     /* > 0: behave as if interrupted once this many runs are
                                 * stored (fault injection for tests) */
    size_t fail_run;            /* > 0: run fail_run - 1 (of each point) fails with SIM_ERANGE
                                 * once simulated (fault injection for tests) */
} runner_opts_t;

typedef struct {
    size_t runs;
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
 * finished runs are kept in a partial file with a /manifest, and the
 * campaign returns SIM_EINTR with a message that says how to continue. */
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

/* A leading dimension for the output (comparison arms, sweep points) and a
 * hook that adds a command's own groups before the file is published. */
typedef struct {
    size_t npoints;
    const char *dim;
    const char *const *labels;
    sim_status_t (*before_publish)(const char *tmp_path, void *ctx, sim_error_t *err);
    void *ctx;
} runner_points_t;

/* Open the result file of opts->params (attributes, /params, /scenario, /time). */
sim_status_t runner_open_output(const runner_opts_t *opts, int threads, size_t ntimes, const double *times,
                                const runner_points_t *points, h5out_t **out, sim_error_t *err);

/* The whole campaign into opts->out_path, its partial file kept up to date
 * meanwhile. With opts->resume_path, the runs that file holds (checked
 * against their checksums) are copied instead of simulated: the result is the
 * file an uninterrupted campaign writes (bit for bit with SOURCE_DATE_EPOCH
 * set), and the partial file is removed once the result is in place (or kept
 * beside its name: SIM_EEXIST, see h5out_finish). Interrupted: SIM_EINTR, and
 * the finished runs are in the partial file; a run that failed, or a file
 * that could not be written: its status, and the same partial file
 * (stats->resumable says so). Under MPI every rank calls it and gets the same
 * status and message; stats are rank 0's. */
sim_status_t runner_campaign(const runner_opts_t *opts, runner_stats_t *stats, sim_error_t *err);

#endif
