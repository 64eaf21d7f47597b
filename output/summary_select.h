/*
 * Which metrics and which recorded times a `tokensim summary` table shows, for
 * run, comparison and sweep files alike: by default a list of the command's
 * own (or every metric of the file) at the horizons 0, 30, 90, 365, 730,
 * 1825 and 3650 days and the last recorded day; with summary_opts_t's
 * metrics and at_days, those. A horizon or a requested day uses the last
 * recorded time at or before it.
 */
#ifndef OUTPUT_SUMMARY_SELECT_H
#define OUTPUT_SUMMARY_SELECT_H

#include <stddef.h>

#include "err.h"
#include "summary.h"

/* The indices into avail[navail] (the file's metrics) to show, malloc'd into
 * *idx (*n of them; may be 0). opts->nmetrics > 0: the requested names in
 * their order, each once; a name not in avail is SIM_EINVAL: "PATH: no metric
 * 'x' SCOPE (did you mean 'y'?)" with the nearest names. Otherwise the
 * names of defaults[ndefaults] found in avail, in that order, or every one of
 * avail when defaults is NULL. scope says where the names were looked for
 * ("in this file", "in /sensitivity"). */
sim_status_t summary_select_metrics(const char *path, const summary_opts_t *opts, const char *const *avail,
                                    size_t navail, const char *const *defaults, size_t ndefaults,
                                    const char *scope, size_t **idx, size_t *n, sim_error_t *err);

/* The indices into time[ntimes] (increasing) to show, malloc'd into *idx (*n
 * of them, increasing, each once): for opts->nat > 0 the last recorded time
 * at or before each requested day, a day that is negative, not finite or past
 * time[ntimes - 1] being SIM_EINVAL naming it; otherwise the default horizons
 * and the last recorded time, plus extra[nextra] (a sweep's own horizons). */
sim_status_t summary_select_times(const char *path, const summary_opts_t *opts, const double *time, size_t ntimes,
                                  const double *extra, size_t nextra, size_t **idx, size_t *n, sim_error_t *err);

#endif
