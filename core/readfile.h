/*
 * An input file read whole into memory (scenarios, CSV tables): only a
 * regular file, at most a given size, so that a FIFO or a device (which could
 * block for ever or never end) or a huge file is refused at once with a message.
 */
#ifndef SIM_READFILE_H
#define SIM_READFILE_H

#include <stddef.h>

#include "err.h"

/* How a file is named in messages, and how an unreadable one is reported. */
typedef struct {
    const char *noun;           /* "scenario": "PATH: cannot open scenario: ..."; NULL: "cannot open: ..." */
    const char *kind;           /* "a scenario": "PATH: file too large for a scenario (N bytes; ...)" */
    size_t max_bytes;           /* larger files are refused (SIM_EINVAL) */
    sim_status_t unreadable;    /* the status when it cannot be opened or read */
} readfile_spec_t;

/* The file at `path` into a malloc'd buffer *out of *len bytes plus a NUL
 * (the caller frees it). A file that grows while it is read is read up to the
 * size it had when opened. */
sim_status_t readfile(const char *path, const readfile_spec_t *spec, char **out, size_t *len, sim_error_t *err);

#endif
