/*
 * What `tokensim sweep` adds to its result file (whose /runs and /summary have a
 * leading `point` dimension):
 *  - /sweep/points float64 [points, params], each point's value of every swept
 *    parameter, with string-array attributes `params` (the dotted names, in
 *    column order) and `units`, and for ranged modes `min` and `max` (float64
 *    [params]); its dimension scales /sweep/point (a link to /point) and
 *    /sweep/param (the names), and its coordinates along point (netCDF's
 *    attribute `coordinates`, which xarray reads): /sweep/<param> float64
 *    [points] for each parameter and /sweep/label (/point's labels);
 *  - /sweep attributes: `mode` (grid, zip, lhs, sobol, morris, saltelli),
 *    `outputs` (the metrics analysed or tabulated), `horizons_days` (int64),
 *    and the design: `points` (lhs, sobol), `trajectories` and `levels`
 *    (morris), `samples` (saltelli);
 *  - morris and saltelli: /sensitivity, the indices of every output at every
 *    horizon, computed from /summary/<metric>/mean (output/sensitivity.h):
 *    attributes `method` ("morris" or "sobol"), `params`, `units`, `outputs`,
 *    `time` (float64 [horizons]: the recorded day used for each horizon, the
 *    last recorded day <= it), `resamples`, `confidence`; per output metric
 *    /sensitivity/<metric>/{mu_star, mu_star_ci, mu, sigma} (morris) or
 *    {S1, S1_ci, ST, ST_ci} float64 [horizons, params] and `variance`
 *    [horizons] (sobol), each with `units` and `description`, along the
 *    dimension scales /sensitivity/horizon (the days used, with /time's CF
 *    units) and /sweep/param, linked into /sensitivity and each metric's group.
 * docs/output.md describes the layout for users.
 */
#ifndef OUTPUT_SWEEP_FILE_H
#define OUTPUT_SWEEP_FILE_H

#include <stddef.h>

#include "err.h"
#include "params.h"

typedef struct {
    const char *path;               /* the final name, for messages */
    size_t npoints, nparams;
    const double *values;           /* [npoints * nparams] */
    const char *const *names;       /* [nparams] */
    const char *const *units;       /* [nparams] */
    const params_t *params;         /* the swept scenario (its sweep block, seed, days);
                                     * NULL: /sweep/points alone */
} sweep_file_t;

/* Add /sweep (and /sensitivity) to the complete, closed file at file_path. */
sim_status_t sweep_file_append(const char *file_path, const sweep_file_t *s, sim_error_t *err);

#endif
