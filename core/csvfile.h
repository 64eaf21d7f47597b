/*
 * CSV tables with a header row (RFC 4180, parsed by libcsv in strict mode):
 * each data row is handed to a callback as named fields with the line it
 * starts on. Lines whose first non-blank character is '#' are comments and
 * blank lines are skipped (both outside quoted fields); a UTF-8 byte-order mark
 * is allowed. Every row has as many fields as the header; unquoted fields are
 * trimmed of blanks. Only regular files are read, at most CSVFILE_MAX_BYTES.
 *
 * Errors are values (err.h): "FILE:LINE: what is wrong", and the callback's
 * own messages get the same prefix through csv_row_fail. Reading stops at the
 * first error. Used by the observed price series (pricefile.h); any dated
 * table (calibration targets with date, metric, value, band, source) can use
 * it the same way: a csv_spec_t naming its columns and a row callback.
 */
#ifndef SIM_CSVFILE_H
#define SIM_CSVFILE_H

#include <stddef.h>

#include "err.h"

#define CSVFILE_MAX_BYTES ((size_t)16 << 20)
#define CSVFILE_MAX_COLUMNS 256

/* The columns a table has. The lists end with NULL; either may be NULL. */
typedef struct {
    const char *const *required;    /* each must be in the header */
    const char *const *optional;    /* may be in the header */
    int allow_unknown;              /* 0: any other column is an error naming the known ones */
    size_t max_rows;                /* 0: no limit; a row beyond it is an error */
} csv_spec_t;

/* One data row, valid during the callback only. */
typedef struct {
    const char *path;               /* as given to csvfile_read, for messages */
    long line;                      /* 1-based line of the row's first character */
    size_t index;                   /* 0 for the first data row */
    size_t nfields;                 /* = the header's columns */
    const char *const *names;       /* [nfields] the header */
    const char *const *fields;      /* [nfields] NUL-terminated values */
} csv_row_t;

/* Called for each data row in file order; a status other than SIM_OK stops the read. */
typedef sim_status_t (*csv_row_fn)(const csv_row_t *row, void *ctx, sim_error_t *err);

/* Read the regular file at `path`. SIM_EINVAL for a bad table, SIM_EIO when
 * the file cannot be read, SIM_ENOMEM; the callback's status otherwise. */
sim_status_t csvfile_read(const char *path, const csv_spec_t *spec, csv_row_fn fn, void *ctx,
                          sim_error_t *err);

/* The same for `len` bytes in memory; `path` only names them in messages. */
sim_status_t csvfile_parse(const char *path, const char *buf, size_t len, const csv_spec_t *spec,
                           csv_row_fn fn, void *ctx, sim_error_t *err);

/* The value of column `name` in the row, or NULL when the table has no such column. */
const char *csv_field(const csv_row_t *row, const char *name);

/* sim_fail with "PATH:LINE: " before the message; returns SIM_EINVAL. */
sim_status_t csv_row_fail(const csv_row_t *row, sim_error_t *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Column `name` as a finite number (strtod's syntax, the whole field). */
sim_status_t csv_real(const csv_row_t *row, const char *name, double *out, sim_error_t *err);

/* Column `name` as a date YYYY-MM-DD (1970 or later): days since 1970-01-01. */
sim_status_t csv_date(const csv_row_t *row, const char *name, long *days, sim_error_t *err);

#endif
