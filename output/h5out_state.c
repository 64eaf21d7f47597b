/* The result file writer's small helpers; see h5out_state.h. */
#include "h5out_state.h"

#include <stdarg.h>
#include <stdio.h>

/* --- errors ----------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t size;
} detail_t;

static herr_t detail_walk(unsigned n, const H5E_error2_t *e, void *data)
{
    detail_t *d = data;
    if (n == 0 && e->desc)
        snprintf(d->buf, d->size, "%s", e->desc);
    return 0;
}

void h5out_error_detail(char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    detail_t d = { buf, size };
    /* Upward: the first entry is where HDF5 detected the problem (e.g. errno). */
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, detail_walk, &d);
}

sim_status_t h5out_fail(sim_error_t *err, const char *path, const char *fmt, ...)
{
    char what[512], detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    h5out_error_detail(detail, sizeof detail);
    return sim_fail(err, SIM_EIO, "%s: %s%s%s", path, what, detail[0] ? ": " : "", detail);
}

/* File coordinates of (point p, run r, column c) in a /runs dataset: rank 3
 * with points, else rank 2 (p ignored). Returns the rank. */
int runs_coords(const h5out_t *o, size_t p, size_t r, size_t c, hsize_t out[3])
{
    int k = 0;
    if (o->points)
        out[k++] = p;
    out[k++] = r;
    out[k++] = c;
    return k;
}

/* " of <pdim> <p>" for messages about one point's data; "" without points. */
const char *point_tag(const h5out_t *o, size_t p, char buf[160])
{
    if (!o->points)
        return "";
    snprintf(buf, 160, " of %s %zu", o->pdim, p);
    return buf;
}
