/*
 * Errors as values: library code fills a sim_error_t and returns its status;
 * only main() prints and chooses the exit status (README.md).
 * Messages carry their own context ("file:line:col: parameter: what is wrong").
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stdarg.h>

typedef enum {
    SIM_OK = 0,
    SIM_EINVAL,   /* bad input: scenario, --set, command line (exit status 2) */
    SIM_ENOMEM,   /* allocation failed */
    SIM_EIO,      /* file or HDF5 failure */
    SIM_ERANGE,   /* a model quantity left its valid range (a bug or absurd input) */
    SIM_EINTR,    /* interrupted by a signal */
    SIM_EEXIST    /* the name was taken meanwhile: the result is kept under another (exit 1) */
} sim_status_t;

typedef struct {
    sim_status_t code;
    char msg[1024];
} sim_error_t;

/* Record the first error only: later failures are usually consequences. */
sim_status_t sim_fail(sim_error_t *err, sim_status_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear an error slot. */
void sim_error_clear(sim_error_t *err);

/* Exit status for a status code: 0 ok, 2 bad input, 1 anything else. */
int sim_exit_status(sim_status_t code);

#define SIM_FAIL(err, code, ...) return sim_fail((err), (code), __VA_ARGS__)

#endif
