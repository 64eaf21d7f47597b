/*
 * The result file writer's state, its small helpers (h5out_state.c: HDF5's
 * error text, coordinates, names in messages) and the calls between its parts
 * (h5out.c the life cycle, h5out_root.c the provenance, h5out_layout.c the
 * groups, datasets and scales, h5out_chunks.c the chunk pipeline,
 * h5out_summary.c the /summary pass). Private to output/h5out*.c.
 */
#ifndef OUTPUT_H5OUT_STATE_H
#define OUTPUT_H5OUT_STATE_H

#include <stdio.h>

#include <hdf5.h>

#include "codec.h"
#include "h5out.h"

/* /runs chunks: at most 256 time columns so that a summary block of whole
 * chunk columns fits SUMMARY_BLOCK for up to 16k runs; 32k values = 256 KiB. */
#define CHUNK_COLS_MAX 256
#define CHUNK_VALUES 32768
/* Doubles read back per summary block (32 MiB). */
#define SUMMARY_BLOCK ((size_t)4 << 20)
/* Chunk cache cap while reading a summary block narrower than a chunk. */
#define READ_CACHE_MAX ((size_t)256 << 20)
#define MIB ((size_t)1 << 20)

struct h5out {
    char *path;                 /* final name */
    char *tmp;                  /* "<path>.tmp-<pid>" (publish_tmp_name), moved to path by finish */
    int replace;                /* finish may replace a regular file under path */
    hid_t file;
    hid_t str_type;             /* variable-length UTF-8 string */
    hid_t time;                 /* /time, the dimension scale of the times */
    hid_t run;                  /* /run, the dimension scale of the runs */
    hid_t point;                /* /<pdim>, the dimension scale of the points (points only) */
    hid_t runs_grp;             /* /runs */
    hid_t *dset;                /* [nmetrics] /runs/<metric>, -1 once closed */
    char **mname, **munit, **mdesc;     /* [nmetrics] copies of the spec's metric table */
    size_t runs, ntimes, nmetrics;
    int points;                 /* 1: /runs is [npoints, runs, times] (npoints > 1) */
    size_t npoints;             /* 1 when points is 0 */
    char *pdim;                 /* name of the points dimension (points only) */
    hsize_t chunk[2];           /* rows, columns of a /runs chunk (a chunk is [1, rows,
                                 * columns] with points) */
    size_t elem;                /* bytes of a stored value: 8 (float64) or 4 (float32) */
    unsigned char *written;     /* bitmap over (point, run): bit p * runs + r */
    size_t nwritten;            /* (point, run) pairs marked in the bitmap */

    /* the chunk pipeline (h5out_chunks.c) */
    int threads;
    codec_kind_t codec_kind;
    int level;                  /* deflate level */
    codec_t *codec;
    int direct;                 /* 1: native double is IEEE binary64, chunks are filtered here */
    uint64_t fill_bits;         /* the fill value (NaN) as stored (float32: low 32 bits) */
    size_t chunk_bytes;         /* bytes of a full chunk */
    size_t slot_size;           /* the largest stored chunk (a compression bound) */
    size_t nslots;
    unsigned char *slots;       /* [nslots][slot_size] filtered chunks of one group */
    size_t *slot_len;           /* [nslots] bytes used */
    unsigned *slot_mask;        /* [nslots] filter mask of a chunk read back */
    int *slot_rc;               /* [nslots] 0, or -1 when the last filter call failed */
    unsigned char *scratch;     /* [threads][chunk_bytes] a chunk on its way in or out */
    uint64_t *rowbuf;           /* [threads][chunk columns] a row of elements read back */
    sim_status_t (*before_publish)(const char *, void *, sim_error_t *);
    void *before_publish_ctx;
};

static inline size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static inline size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* File coordinates of (point p, run r, column c) in a /runs dataset: rank 3
 * with points, else rank 2 (p ignored). Returns the rank. */
int runs_coords(const h5out_t *o, size_t p, size_t r, size_t c, hsize_t out[3]);

/* " of <pdim> <p>" for messages about one point's data; "" without points. */
const char *point_tag(const h5out_t *o, size_t p, char buf[160]);

/* --- h5out_root.c: the root attributes, /scenario and /params ---------- */

sim_status_t h5out_write_provenance(h5out_t *o, const h5out_spec_t *spec, sim_error_t *err);

/* --- h5out_layout.c: groups, datasets, attributes, dimension scales ----- */

sim_status_t h5out_check_spec(const h5out_spec_t *spec, sim_error_t *err);
/* Create the temporary file (open(2) first: its errno says why it cannot be). */
sim_status_t h5out_open_file(h5out_t *o, sim_error_t *err);
/* A group whose links and attributes keep their creation order; < 0 on failure. */
hid_t h5out_group(hid_t loc, const char *name);
/* A dataset access list with a chunk cache of `bytes` for chunks of `chunk_bytes`. */
hid_t h5out_cache_dapl(size_t bytes, size_t chunk_bytes);
/* A scalar attribute of loc (`obj` in messages). */
sim_status_t h5out_attr_str(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                            const char *name, const char *value);
sim_status_t h5out_attr_f64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                            const char *name, double value);
sim_status_t h5out_attr_i64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                            const char *name, int64_t value);
sim_status_t h5out_attr_u64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                            const char *name, uint64_t value);
sim_status_t h5out_attr_i32(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                            const char *name, int value);
/* /time, /run and (points only) /<pdim>: the dimension scales. */
sim_status_t h5out_write_scales(h5out_t *o, const h5out_spec_t *spec, sim_error_t *err);
/* /runs, its links to the scales and its datasets (the codec's filters). */
sim_status_t h5out_create_runs(h5out_t *o, sim_error_t *err);
/* /summary/<metric> (group mgrp, under /summary sgrp): the links to the scales
 * and the STATS_N datasets, into out. */
sim_status_t h5out_summary_datasets(h5out_t *o, sim_error_t *err, hid_t mgrp, size_t m,
                                    hid_t *out);

/* --- h5out_chunks.c: the parallel chunk pipeline ------------------------ */

/* Buffers and codec states, allocated once (after h5out_create_runs). */
sim_status_t h5out_chunks_init(h5out_t *o, sim_error_t *err);
void h5out_chunks_free(h5out_t *o);
/* Runs [first, first + count) of point p into /runs (any block). */
sim_status_t h5out_chunks_write(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                size_t count, const double *data);
/* Columns [c0, c0 + b) of point p of dataset d (metric m) into buf: with raw
 * (whole chunk columns, chunks filtered here), column-major [b][runs];
 * else through HDF5's pipeline, row-major [runs][b]. */
sim_status_t h5out_chunks_read(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                               size_t c0, size_t b, int raw, double *buf);

/* --- h5out_summary.c: the /summary pass --------------------------------- */

sim_status_t h5out_write_summary(h5out_t *o, sim_error_t *err);

#endif
