/*
 * What `tokensim sweep` adds to its result file (whose /runs and /summary have a
 * leading `point` dimension): /sweep/points float64 [points, params], each
 * point's value of every swept parameter, with string-array attributes `params`
 * (the dotted names, in column order) and `units`.
 */
#ifndef OUTPUT_SWEEP_FILE_H
#define OUTPUT_SWEEP_FILE_H

#include <stddef.h>

#include "err.h"

typedef struct {
    const char *path;               /* the final name, for messages */
    size_t npoints, nparams;
    const double *values;           /* [npoints * nparams] */
    const char *const *names;       /* [nparams] */
    const char *const *units;       /* [nparams] */
} sweep_file_t;

/* Add /sweep to the complete, closed file at file_path. */
sim_status_t sweep_file_append(const char *file_path, const sweep_file_t *s, sim_error_t *err);

#endif
