/*
 * The files a campaign writes, for the engine (runner.h): the result file
 * with everything but the runs, and the partial file its checkpoints go to.
 */
#ifndef SIM_RUNNER_FILES_H
#define SIM_RUNNER_FILES_H

#include <stddef.h>

#include "err.h"
#include "h5out.h"
#include "partial.h"
#include "runner.h"

/* Open the result file at opts->out_path (attributes, /params, /scenario,
 * /time; points > 1: their leading dimension and the before_publish hook). */
sim_status_t runner_open_output(const runner_opts_t *opts, const runner_points_t *points, int threads,
                                size_t ntimes, const double *times, h5out_t **out, sim_error_t *err);

/* The campaign's partial file at opts->partial_path (partial.h, checkpoint.h),
 * open for its checkpoints: with opts->resume_path an interrupted campaign's,
 * which must hold this very campaign; else a new one, made from the result
 * file's skeleton. */
sim_status_t runner_open_partial(const runner_opts_t *opts, const runner_points_t *points, size_t ntimes,
                                 const double *times, partial_t **part, sim_error_t *err);

#endif
