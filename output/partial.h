/*
 * Reading back an interrupted campaign's partial file (design.md §6) so that
 * `tokensim run|sweep ... --resume OUT.h5` can continue it.
 *
 * h5out_suspend() leaves OUT.h5.partial: the /runs finished so far and
 * /manifest/done (1 for every finished run). partial_open() checks that the
 * file belongs to the campaign about to run (the same resolved scenario text,
 * the same tokensim version, the same shape and metrics), because a resumed
 * file must be exactly the file an uninterrupted campaign would have written.
 * partial_read() returns finished runs in the writer's own layout, so the
 * runner writes them again, in order, through the same code path.
 */
#ifndef OUTPUT_PARTIAL_H
#define OUTPUT_PARTIAL_H

#include <stddef.h>

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
} partial_expect_t;

/* Open path read-only and check it against ex. SIM_EINVAL (with what
 * differs) when it belongs to another campaign, SIM_EIO when unreadable. */
sim_status_t partial_open(partial_t **out, const char *path, const partial_expect_t *ex,
                          sim_error_t *err);

/* Runs marked done (over all points). */
size_t partial_runs_done(const partial_t *pt);

/* 1 if run `run` of point `point` is finished in the file. */
int partial_done(const partial_t *pt, size_t point, size_t run);

/* Runs [first, first + count) of point into data [count][nmetrics][ntimes]
 * (runs not done read as NaN, the fill value). */
sim_status_t partial_read(partial_t *pt, size_t point, size_t first, size_t count, double *data,
                          sim_error_t *err);

/* Accepts NULL. */
void partial_close(partial_t *pt);

#endif
