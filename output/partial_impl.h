/*
 * The partial file's handle, shared by its reading side (partial.c) and its
 * writing side (checkpoint.c); nothing else sees it.
 */
#ifndef OUTPUT_PARTIAL_IMPL_H
#define OUTPUT_PARTIAL_IMPL_H

#include <stdint.h>

#include <hdf5.h>

#include "partial.h"

struct partial {
    char *path;
    hid_t file;
    hid_t *dset;                /* [nmetrics] /runs/<metric> */
    hid_t done_d, sum_d;        /* /manifest/done, /manifest/checksum */
    hid_t manifest;             /* /manifest */
    size_t nmetrics, npoints, runs, ntimes;
    int points;
    int float32;                /* /runs stores float32 (checksums of the stored values) */
    hsize_t chunk[2];           /* rows, columns of a /runs chunk */
    unsigned char *done;        /* [npoints * runs]: what /manifest/done says on disk */
    size_t ndone;
    int writable;               /* opened for checkpoints (checkpoint.h) */
    int lock_fd;                /* the file, holding tokensim's lock (publish_lock), or -1 */
    unsigned char *cbuf;        /* a stored chunk being copied (checkpoint.c) */
    size_t cbuf_size;
};

/* partial_open(), with lock_fd (>= 0) the file already locked by this
 * process (its descriptor, which pt now owns: closing another descriptor of
 * the file would drop the lock). */
sim_status_t partial_open_locked(partial_t **out, const char *path, const partial_expect_t *ex,
                                int writable, int lock_fd, sim_error_t *err);

/* The manifest's datasets are [npoints, runs] with points, else [runs]:
 * select runs [first, first + count) of point p in space. */
int partial_select(const partial_t *pt, hid_t space, size_t p, size_t first, size_t count);

#endif
