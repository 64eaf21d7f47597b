/*
 * The HDF5 result file of a campaign (its layout, compression and guarantees:
 * docs/output.md): created under a temporary name, given runs in any order of
 * blocks, finished with /summary and moved to its name. One thread calls these
 * functions; chunks and statistics are computed on spec->threads threads.
 */
#ifndef OUTPUT_H5OUT_H
#define OUTPUT_H5OUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"

typedef struct h5out h5out_t;

/* deflate level of /runs (libdeflate's) when the spec says 0 */
#define H5OUT_DEFLATE_DEFAULT 1

/* The compression of /runs (docs/output.md, "Compression"). */
typedef enum {
    H5OUT_DEFLATE = 0,          /* HDF5's shuffle + deflate filters: any reader */
    H5OUT_BLOSC,                /* the Blosc filter: faster; readers need its plugin */
} h5out_compression_t;

typedef struct {
    const char *name;           /* snake_case dataset name */
    const char *unit;
    const char *description;
} h5out_metric_t;

typedef struct {
    const char *name;           /* dotted parameter name (an attribute of /params) */
    const char *unit;
    int is_text;                /* 1: text holds the value; 0: number does */
    double number;
    const char *text;
} h5out_param_t;

typedef struct {
    const char *path;           /* final file name */
    const char *command;        /* "run" */
    const char *scenario_name;
    const char *scenario_yaml;  /* resolved scenario as YAML text -> /scenario */
    const char *start_date;     /* YYYY-MM-DD */
    const char *version;        /* tokensim version */
    int format_version;
    uint64_t seed;
    size_t runs;                /* rows of every /runs dataset */
    int64_t days;               /* horizon */
    int64_t record_every_days;
    size_t ntimes;
    const double *time;         /* [ntimes] days since start -> /time (a dimension scale) */
    const h5out_metric_t *metrics;
    size_t nmetrics;
    const h5out_param_t *params;
    size_t nparams;
    int threads;                /* threads for the chunk filters and the summary (<= 0: 1) */
    int compression;            /* h5out_compression_t (0: deflate) */
    int deflate_level;          /* deflate's, 1..9; 0: H5OUT_DEFLATE_DEFAULT */
    int float32;                /* 1: /runs stored as float32 (half the bytes, about 7
                                 * significant digits); /summary is float64 either way */
    size_t npoints;             /* 0 or 1: no points dimension; > 1: leading dimension */
    const char *point_dim;      /* npoints > 1: its name ("arm", "point"); must not be a
                                 * metric, a statistic or a name of the format */
    const char *const *point_labels;    /* npoints > 1: [npoints] labels, or NULL */
    /* Optional: called by h5out_finish with the closed, complete temporary file,
     * before it is renamed into place, to add groups of a command's own (a
     * comparison's /compare). A failure leaves no file, like any other. */
    sim_status_t (*before_publish)(const char *tmp_path, void *ctx, sim_error_t *err);
    void *before_publish_ctx;
    int replace;                /* 1 (--force): finish may replace a regular file under path */
} h5out_spec_t;

/* Once, before any HDF5 call: HDF5 must not run its own clean-up at exit
 * (after a failed close, e.g. on a full disk, it crashes); every file is
 * closed or removed explicitly. */
void h5out_library_init(void);

/* Create the temporary file and write everything that does not depend on runs. */
sim_status_t h5out_create(h5out_t **out, const h5out_spec_t *spec, sim_error_t *err);

/* Rows (runs) of a /runs chunk. Blocks of runs aligned to it are written
 * fastest (compressed in parallel); the runner sizes its batches in multiples of it. */
size_t h5out_chunk_rows(const h5out_t *o);

/* Write runs [first, first + count). data is [count][nmetrics][ntimes], row-major.
 * Files without points only (npoints <= 1). */
sim_status_t h5out_write_runs(h5out_t *o, size_t first, size_t count, const double *data,
                              sim_error_t *err);

/* Write runs [first, first + count) of point `point` (< npoints; 0 when the
 * file has no points), data as for h5out_write_runs(). Blocks of whole chunk
 * rows are compressed in parallel, point by point. */
sim_status_t h5out_write_point_runs(h5out_t *o, size_t point, size_t first, size_t count,
                                    const double *data, sim_error_t *err);

/* Compute /summary/<metric>/<stat> from /runs (point by point), close, move
 * to the final name. Every run of every point must have been written (else
 * SIM_EINVAL and no file). When the name was taken while the file was being
 * written (and may not be replaced): SIM_EEXIST, the file kept beside it
 * under a name the message gives (publish_elsewhere).
 * Frees o whatever the outcome (on failure the temporary file is removed). */
sim_status_t h5out_finish(h5out_t *o, sim_error_t *err);

/* Close the file as it is (no /summary), without moving it: *tmp_path
 * (malloc'd) names the temporary file, which the caller now owns (the
 * skeleton of a partial file, see checkpoint.h). Frees o whatever the
 * outcome (on failure the temporary file is removed and *tmp_path is NULL). */
sim_status_t h5out_close_as_is(h5out_t *o, char **tmp_path, sim_error_t *err);

/* The hid_t of /runs/<metric> (the checkpoint copies its chunks), or -1. */
int64_t h5out_runs_dataset(const h5out_t *o, size_t metric);

/* The time created_utc records: now, or $SOURCE_DATE_EPOCH when set and not
 * empty. A value that is not digits only, or beyond 9999-12-31T23:59:59Z, is
 * SIM_EINVAL naming the variable and its value (reproducible-builds.org: a
 * malformed value must fail, not be ignored). h5out_create checks it first. */
sim_status_t h5out_source_date(time_t *t, sim_error_t *err);

/* (point, run) pairs written so far. */
size_t h5out_runs_written(const h5out_t *o);

/* Close and remove the temporary file; frees o. Accepts NULL. */
void h5out_abort(h5out_t *o);

/* Copy the innermost message of this thread's HDF5 error stack into buf
 * ("" when there is none), to give SIM_EIO messages their cause. */
void h5out_error_detail(char *buf, size_t size);

/* Record SIM_EIO as "<path>: <what>: <HDF5 detail>" (what from fmt; the
 * detail from h5out_error_detail, left out with its ": " when there is none)
 * and return SIM_EIO. Call it right after the failing HDF5 call: the next API
 * call clears the error stack. */
sim_status_t h5out_fail(sim_error_t *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
