/*
 * The /summary pass: /runs read back a block of time columns at a time
 * (memory about SUMMARY_BLOCK doubles whatever the runs), each column's
 * statistics (stats.h) computed on every thread, point by point.
 */
#include "h5out_state.h"
#include "stats.h"

#include <stdlib.h>

#include <omp.h>

typedef struct {
    size_t block;               /* time columns per block */
    int raw;                    /* 1: blocks of whole chunk columns, read raw and unfiltered here */
    size_t cache;               /* chunk cache for reading /runs (bytes) */
    double *buf;                /* raw: [block][runs] (column-major); else [runs][block] */
    double *col;                /* not raw: [threads][runs] one column per thread */
    double *val;                /* [STATS_N][block] */
} summary_work_t;

/* Columns per block: as many as SUMMARY_BLOCK allows, in whole chunk columns
 * when that is possible so that each chunk is decompressed once: those blocks
 * are read raw and decompressed in parallel. Otherwise (more than
 * SUMMARY_BLOCK / 256 runs) a power of two, which tiles a 256-wide chunk, read
 * by H5Dread through a cache holding a column of chunks. */
static void plan_summary(const h5out_t *o, summary_work_t *w)
{
    size_t cols = (size_t)o->chunk[1];
    size_t chunk_bytes = (size_t)(o->chunk[0] * o->chunk[1]) * o->elem;
    size_t chunk_rows = (o->runs + (size_t)o->chunk[0] - 1) / (size_t)o->chunk[0];
    size_t b = max_size(1, SUMMARY_BLOCK / o->runs);
    w->cache = max_size(MIB, chunk_bytes);
    w->raw = o->direct;
    if (b >= o->ntimes) {
        b = o->ntimes;
    } else if (b >= cols) {
        b = b / cols * cols;
    } else {
        w->raw = 0;
        size_t p = 1;
        while (p * 2 <= b)
            p *= 2;
        b = p;
        w->cache = max_size(w->cache, min_size(READ_CACHE_MAX, (chunk_rows + 1) * chunk_bytes));
    }
    /* never more than a point's chunks: the cache's slots (about 100 a chunk it
     * holds) are allocated and zeroed at each open, which for a small campaign's
     * tiny chunks cost more than its whole simulation */
    size_t per_row = (o->ntimes + cols - 1) / cols;
    w->cache = max_size(chunk_bytes, min_size(w->cache, chunk_rows * per_row * chunk_bytes));
    w->block = b;
}

/* Read columns [c0, c0 + b) of point p of /runs/<metric> and write their
 * statistics. Each column's statistics depend on its values only (stats.h),
 * so sorting the columns on several threads changes nothing. */
static sim_status_t summary_block(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                                  const hid_t out[STATS_N], size_t c0, size_t b,
                                  summary_work_t *w)
{
    sim_status_t st = h5out_chunks_read(o, err, d, m, p, c0, b, w->raw, w->buf);
    if (st != SIM_OK)
        return st;

    size_t runs = o->runs;
#pragma omp parallel for schedule(dynamic, 4) num_threads(o->threads)
    for (size_t j = 0; j < b; j++) {
        double v[STATS_N], *col;
        if (w->raw) {
            col = w->buf + j * runs;
        } else {
            col = w->col + (size_t)omp_get_thread_num() * runs;
            for (size_t r = 0; r < runs; r++)
                col[r] = w->buf[r * b + j];
        }
        stats_summarise(col, runs, v);
        for (int k = 0; k < STATS_N; k++)
            w->val[(size_t)k * b + j] = v[k];
    }

    /* [c0, c0 + b), or (p, [c0, c0 + b)) with points */
    hsize_t start[2] = { p, c0 }, count[2] = { 1, b };
    int skip = o->points ? 0 : 1;
    hid_t mspace = H5Screate_simple(1, &count[1], NULL);
    if (mspace < 0)
        return h5out_fail(err, o->path, "cannot create a dataspace for '/summary/%s'", o->mname[m]);
    for (int k = 0; k < STATS_N && st == SIM_OK; k++) {
        hid_t fspace = H5Dget_space(out[k]);
        if (fspace < 0
            || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start + skip, NULL, count + skip, NULL) < 0
            || H5Dwrite(out[k], H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT,
                        w->val + (size_t)k * b) < 0)
            st = h5out_fail(err, o->path, "cannot write dataset '/summary/%s/%s'", o->mname[m],
                            stats_name[k]);
        if (fspace >= 0)
            H5Sclose(fspace);
    }
    H5Sclose(mspace);
    return st;
}

static sim_status_t summary_metric(h5out_t *o, sim_error_t *err, hid_t sgrp, size_t m,
                                   summary_work_t *w)
{
    const char *name = o->mname[m];
    /* Reopen with a cache sized for reading column blocks: the cache belongs
     * to the open dataset, so the writing handle must go first. */
    herr_t closed = H5Dclose(o->dset[m]);
    o->dset[m] = H5I_INVALID_HID;
    if (closed < 0)
        return h5out_fail(err, o->path, "cannot close dataset '/runs/%s'", name);
    size_t chunk_bytes = (size_t)(o->chunk[0] * o->chunk[1]) * o->elem;
    hid_t dapl = h5out_cache_dapl(w->cache, chunk_bytes);
    if (dapl < 0)
        return h5out_fail(err, o->path, "cannot set up reading dataset '/runs/%s'", name);
    hid_t d = H5Dopen2(o->runs_grp, name, dapl);
    H5Pclose(dapl);
    if (d < 0)
        return h5out_fail(err, o->path, "cannot reopen dataset '/runs/%s'", name);

    sim_status_t st = SIM_OK;
    hid_t out[STATS_N];
    for (int k = 0; k < STATS_N; k++)
        out[k] = H5I_INVALID_HID;
    hid_t mgrp = h5out_group(sgrp, name);
    if (mgrp < 0)
        st = h5out_fail(err, o->path, "cannot create group '/summary/%s'", name);
    if (st == SIM_OK)
        st = h5out_summary_datasets(o, err, mgrp, m, out);
    for (size_t p = 0; p < o->npoints && st == SIM_OK; p++)
        for (size_t c0 = 0; c0 < o->ntimes && st == SIM_OK; c0 += w->block)
            st = summary_block(o, err, d, m, p, out, c0, min_size(w->block, o->ntimes - c0), w);

    for (int k = 0; k < STATS_N; k++)
        if (out[k] >= 0 && H5Dclose(out[k]) < 0 && st == SIM_OK)
            st = h5out_fail(err, o->path, "cannot close dataset '/summary/%s/%s'", name,
                            stats_name[k]);
    if (mgrp >= 0 && H5Gclose(mgrp) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close group '/summary/%s'", name);
    if (H5Dclose(d) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close dataset '/runs/%s'", name);
    return st;
}

sim_status_t h5out_write_summary(h5out_t *o, sim_error_t *err)
{
    hid_t g = h5out_group(o->file, "summary");
    if (g < 0)
        return h5out_fail(err, o->path, "cannot create group '/summary'");
    sim_status_t st = h5out_attr_str(o, err, g, "/summary", "quantile_method",
                               "linear interpolation between order statistics "
                               "(Hyndman-Fan type 7, numpy's default); sd uses n - 1");
    summary_work_t w = { 0 };
    plan_summary(o, &w);
    if (st == SIM_OK && o->nmetrics > 0) {
        w.buf = malloc(o->runs * w.block * sizeof *w.buf);
        if (!w.raw)
            w.col = malloc((size_t)o->threads * o->runs * sizeof *w.col);
        w.val = malloc(STATS_N * w.block * sizeof *w.val);
        if (!w.buf || (!w.raw && !w.col) || !w.val)
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory for the summary (%zu x %zu values)",
                          o->path, o->runs, w.block);
    }
    for (size_t m = 0; m < o->nmetrics && st == SIM_OK; m++)
        st = summary_metric(o, err, g, m, &w);
    free(w.buf);
    free(w.col);
    free(w.val);
    if (H5Gclose(g) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close group '/summary'");
    return st;
}
