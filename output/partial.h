/*
 * The partial file of a campaign (docs/output.md): OUT.h5.partial
 * holds the finished runs in /runs and, in /manifest, which runs are done and
 * a checksum of each one's rows. The campaign keeps it up to date while it
 * runs (checkpoint.h), so that `tokensim run|sweep ... --resume OUT.h5`
 * continues it after a signal, a failed run, or a kill.
 *
 * partial_open() checks that the file belongs to the campaign about to run
 * (the same resolved scenario text, the same tokensim version, the same shape
 * and metrics), because a resumed file must be exactly the file an
 * uninterrupted campaign would have written, and that its data agrees with
 * its manifest: every run marked done is read back and its checksum
 * compared. partial_read() returns finished runs in the writer's own layout,
 * so the runner writes them again, in order, through the same code path.
 */
#ifndef OUTPUT_PARTIAL_H
#define OUTPUT_PARTIAL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "h5out.h"

typedef struct partial partial_t;

/* What the campaign about to run expects of the partial file. */
typedef struct {
    const char *scenario_yaml;  /* the resolved scenario, compared with /scenario */
    const char *version;        /* tokensim version */
    size_t npoints;             /* 0 or 1: no points dimension */
    size_t runs;
    size_t ntimes;
    const h5out_metric_t *metrics;
    size_t nmetrics;
    int float32;                /* /runs is stored as float32 (output.dtype) */
} partial_expect_t;

/* Open path and check it against ex (see above). SIM_EINVAL (with what
 * differs, or the first run whose rows disagree with the manifest) when it
 * belongs to another campaign or is damaged, SIM_EIO when unreadable.
 * writable: opened for the campaign's checkpoints (checkpoint.h), with
 * tokensim's lock (publish_lock), which another running campaign's refuses. */
sim_status_t partial_open(partial_t **out, const char *path, const partial_expect_t *ex,
                          int writable, sim_error_t *err);

/* Runs marked done (over all points). */
size_t partial_runs_done(const partial_t *pt);

/* 1 if run `run` of point `point` is finished in the file. */
int partial_done(const partial_t *pt, size_t point, size_t run);

/* Runs [first, first + count) of point into data [count][nmetrics][ntimes]
 * (runs not done read as NaN, the fill value). */
sim_status_t partial_read(partial_t *pt, size_t point, size_t first, size_t count, double *data,
                          sim_error_t *err);

/* The checksum /manifest/checksum holds for a run: its n values in the
 * writer's order (metric by metric, each in time order), as stored (float32:
 * rounded to float), every NaN alike. */
uint64_t partial_checksum(const double *values, size_t n, int float32);

/* Accepts NULL. */
void partial_close(partial_t *pt);

#endif
