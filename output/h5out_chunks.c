/*
 * The chunk pipeline of /runs: HDF5 serialises its API, so chunks are packed
 * and compressed (codec.h) here on OpenMP threads, a group of slots at a
 * time, and HDF5 only moves finished chunks (H5Dwrite_chunk, H5Dread_chunk)
 * on the calling thread, in a fixed order; /summary reads them back the same
 * way. A block of runs that is not whole chunk rows (partial files only) has
 * its chunks read back, merged and compressed again, serially. The file never
 * depends on the thread count or on the blocks the runs came in.
 */
#include "h5out_state.h"

#include <stdlib.h>
#include <string.h>

#include <omp.h>

/* Chunk slots per thread: a group of slots is filtered in parallel and then
 * written in order; more slots per thread, less idling at the group's end. */
#define SLOTS_PER_THREAD 16
/* Cap on the slot ring (bytes), whatever the number of threads. */
#define SLOTS_BYTES_MAX ((size_t)64 << 20)

/* The pipeline's buffers and codec states, all allocated here so that writing
 * and summarising allocate nothing per chunk. */
sim_status_t h5out_chunks_init(h5out_t *o, sim_error_t *err)
{
    /* Filtering here makes HDF5's layout for IEEE binary64 doubles (of
     * either byte order: the packing takes bytes by shifts); otherwise every
     * write goes through H5Dwrite (and HDF5's own filters). */
    o->direct = (H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0
                 || H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64BE) > 0)
                && (o->elem == 8 || H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32LE) > 0
                    || H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32BE) > 0);
    size_t threads = (size_t)o->threads;
    o->chunk_bytes = (size_t)(o->chunk[0] * o->chunk[1]) * o->elem;
    o->codec = codec_create(o->codec_kind, o->level, o->elem, o->chunk_bytes, o->threads);
    if (!o->codec)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory for the compression states", o->path);
    o->slot_size = codec_bound(o->codec);
    o->nslots = max_size(threads, min_size(threads * SLOTS_PER_THREAD,
                                           SLOTS_BYTES_MAX / o->slot_size));
    o->slots = malloc(o->nslots * o->slot_size);
    o->slot_len = calloc(o->nslots, sizeof *o->slot_len);
    o->slot_mask = calloc(o->nslots, sizeof *o->slot_mask);
    o->slot_rc = calloc(o->nslots, sizeof *o->slot_rc);
    o->scratch = malloc(threads * o->chunk_bytes);
    o->rowbuf = malloc(threads * (size_t)o->chunk[1] * sizeof *o->rowbuf);
    if (!o->slots || !o->slot_len || !o->slot_mask || !o->slot_rc || !o->scratch || !o->rowbuf)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory for %zu chunk buffers of %zu bytes", o->path,
                 o->nslots, o->slot_size);
    return SIM_OK;
}

void h5out_chunks_free(h5out_t *o)
{
    codec_free(o->codec);
    o->codec = NULL;
    free(o->scratch);
    free(o->rowbuf);
    free(o->slots);
    free(o->slot_len);
    free(o->slot_mask);
    free(o->slot_rc);
}

/* --- into chunks -------------------------------------------------------- */

/* One row of a chunk: cols elements of elem bytes (a constant once inlined,
 * so the byte loop unrolls), the first ncols from src (NULL: none), the
 * others the fill value; byte j of element c, little-endian, goes to
 * dst[j * js + c * cs]: js = the chunk's elements, cs = 1 for HDF5's shuffle
 * (byte planes), js = 1, cs = elem for the elements as they are stored. */
static inline void pack_row(const double *src, size_t ncols, size_t cols, uint64_t fill,
                            size_t js, size_t cs, size_t elem, unsigned char *dst)
{
    if (!src)
        ncols = 0;
    for (size_t c = 0; c < cols; c++) {
        uint64_t u = fill;
        if (c < ncols) {
            if (elem == 4) {
                float f = (float)src[c];
                uint32_t v;
                memcpy(&v, &f, sizeof v);
                u = v;
            } else {
                memcpy(&u, src + c, sizeof u);
            }
        }
        for (size_t j = 0; j < elem; j++)
            dst[j * js + c * cs] = (unsigned char)(u >> (8 * j));
    }
}

/* The chunk of metric m at file rows [row0, row0 + chunk[0]) and columns
 * [col0, col0 + chunk[1]) into buf, laid out for the codec (shuffled or
 * not), taking runs [first, first + count) from data
 * ([count][nmetrics][ntimes]); elements outside the block get the fill
 * value, or, with keep, rows outside it keep what buf holds (a stored chunk,
 * decompressed). float32 values are the doubles rounded to nearest, as
 * HDF5's conversion does. */
static void pack_chunk(const h5out_t *o, const double *data, size_t first, size_t count,
                       size_t m, size_t row0, size_t col0, int keep, unsigned char *buf)
{
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1], n = rows * cols;
    size_t ncols = min_size(cols, o->ntimes - col0);
    int shuffled = codec_takes_shuffled(o->codec);
    for (size_t r = 0; r < rows; r++) {
        size_t run = row0 + r;
        const double *src = NULL;
        if (run >= first && run - first < count)
            src = data + ((run - first) * o->nmetrics + m) * o->ntimes + col0;
        else if (keep)
            continue;
        /* the rows lie a run's series apart, each too short for the hardware to
         * see its stream in time: load the next row while this one is packed */
        if (run + 1 >= first && run + 1 - first < count) {
            const double *next = data + ((run + 1 - first) * o->nmetrics + m) * o->ntimes + col0;
            for (size_t c = 0; c < ncols; c += 64 / sizeof *next)
                __builtin_prefetch(next + c);
        }
        if (shuffled && o->elem == 8)
            pack_row(src, ncols, cols, o->fill_bits, n, 1, 8, buf + r * cols);
        else if (shuffled)
            pack_row(src, ncols, cols, o->fill_bits, n, 1, 4, buf + r * cols);
        else if (o->elem == 8)
            pack_row(src, ncols, cols, o->fill_bits, 1, 8, 8, buf + r * cols * 8);
        else
            pack_row(src, ncols, cols, o->fill_bits, 1, 4, 4, buf + r * cols * 4);
    }
}

/* Write metric m of a [count][nmetrics][ntimes] block of point p: select its
 * rows in place (mspace) instead of copying them out. */
static sim_status_t write_metric_rows(h5out_t *o, sim_error_t *err, size_t m, hid_t mspace,
                                      size_t p, size_t first, size_t count, const double *data)
{
    hsize_t mstart[3] = { 0, m, 0 }, mcount[3] = { count, 1, o->ntimes };
    hsize_t fstart[3], fcount[3];
    runs_coords(o, p, first, 0, fstart);
    runs_coords(o, 1, count, o->ntimes, fcount);
    sim_status_t st = SIM_OK;
    hid_t fspace = H5Dget_space(o->dset[m]);
    if (fspace < 0 || H5Sselect_hyperslab(mspace, H5S_SELECT_SET, mstart, NULL, mcount, NULL) < 0
        || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, fstart, NULL, fcount, NULL) < 0
        || H5Dwrite(o->dset[m], H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, data) < 0) {
        char tag[160];
        st = h5out_fail(err, o->path, "cannot write runs [%zu, %zu)%s of dataset '/runs/%s'",
                        first, first + count, point_tag(o, p, tag), o->mname[m]);
    }
    if (fspace >= 0)
        H5Sclose(fspace);
    return st;
}

/* Runs [first, first + count) of point p through HDF5's own pipeline (any block). */
static sim_status_t write_rows(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                               size_t count, const double *data)
{
    if (count == 0)
        return SIM_OK;
    hsize_t mdims[3] = { count, o->nmetrics, o->ntimes };
    hid_t mspace = H5Screate_simple(3, mdims, NULL);
    if (mspace < 0)
        return h5out_fail(err, o->path, "cannot create a memory dataspace for runs [%zu, %zu)",
                          first, first + count);
    sim_status_t st = SIM_OK;
    for (size_t m = 0; m < o->nmetrics && st == SIM_OK; m++)
        st = write_metric_rows(o, err, m, mspace, p, first, count, data);
    H5Sclose(mspace);
    return st;
}

/* Runs [first, first + count) of point p, whole chunk rows (first a multiple
 * of the chunk rows; first + count one too, or the last run), filtered here
 * in parallel, a group of slots at a time, and written in task order:
 * metric, chunk row, chunk column (a dataset's chunks of a block lie
 * together). With points a chunk is [1, rows, cols]: the same elements in
 * the same order as a [rows, cols] chunk, so the filtering is the same. */
static sim_status_t write_direct(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                 size_t count, const double *data)
{
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1];
    size_t ncol = (o->ntimes + cols - 1) / cols;
    size_t per_metric = (count + rows - 1) / rows * ncol, ntask = o->nmetrics * per_metric;
    for (size_t g0 = 0; g0 < ntask; g0 += o->nslots) {
        size_t gn = min_size(o->nslots, ntask - g0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads)
        for (size_t i = 0; i < gn; i++) {
            size_t t = g0 + i, m = t / per_metric, k = t % per_metric;
            int tid = omp_get_thread_num();
            unsigned char *buf = o->scratch + (size_t)tid * o->chunk_bytes;
            pack_chunk(o, data, first, count, m, first + k / ncol * rows, k % ncol * cols, 0, buf);
            o->slot_len[i] = codec_compress(o->codec, tid, buf, o->slots + i * o->slot_size,
                                            o->slot_size);
            o->slot_rc[i] = o->slot_len[i] > 0 ? 0 : -1;
        }
        for (size_t i = 0; i < gn; i++) {
            size_t t = g0 + i, m = t / per_metric, k = t % per_metric;
            size_t row = first + k / ncol * rows, col = k % ncol * cols;
            hsize_t off[3];
            runs_coords(o, p, row, col, off);
            char tag[160];
            if (o->slot_rc[i] != 0)
                SIM_FAIL(err, SIM_EIO, "%s: cannot compress the chunk at (%zu, %zu)%s of dataset "
                         "'/runs/%s'", o->path, row, col, point_tag(o, p, tag), o->mname[m]);
            if (H5Dwrite_chunk(o->dset[m], H5P_DEFAULT, 0, off, o->slot_len[i],
                               o->slots + i * o->slot_size) < 0)
                return h5out_fail(err, o->path,
                                  "cannot write the chunk at (%zu, %zu)%s of dataset '/runs/%s'",
                                  row, col, point_tag(o, p, tag), o->mname[m]);
        }
    }
    return SIM_OK;
}

/* Whether the file holds any run of point p's chunk row that starts at row0. */
static int chunk_row_written(const h5out_t *o, size_t p, size_t row0)
{
    size_t end = min_size(row0 + (size_t)o->chunk[0], o->runs);
    for (size_t r = p * o->runs + row0; r < p * o->runs + end; r++)
        if (o->written[r / 8] & (1u << (r % 8)))
            return 1;
    return 0;
}

/* Runs [first, first + count) of point p, part of one chunk row: each chunk
 * of the row is read back when the row holds runs already, takes the block's
 * rows, and is filtered and written again (serially: only partial files get
 * such blocks). */
static sim_status_t write_partial(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                  size_t count, const double *data)
{
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1], row0 = first / rows * rows;
    size_t ncol = (o->ntimes + cols - 1) / cols;
    int old = chunk_row_written(o, p, row0);
    unsigned char *buf = o->scratch, *slot = o->slots;
    char tag[160];
    for (size_t m = 0; m < o->nmetrics; m++)
        for (size_t k = 0; k < ncol; k++) {
            hsize_t off[3], size = 0;
            runs_coords(o, p, row0, k * cols, off);
            uint32_t mask = 0;
            if (old && (H5Dget_chunk_storage_size(o->dset[m], off, &size) < 0 || size == 0
                        || size > o->slot_size
                        || H5Dread_chunk(o->dset[m], H5P_DEFAULT, off, &mask, slot) < 0))
                return h5out_fail(err, o->path, "cannot read back the chunk at (%zu, %zu)%s of "
                                  "dataset '/runs/%s'", row0, k * cols, point_tag(o, p, tag),
                                  o->mname[m]);
            int shuffled = 0;
            const unsigned char *back = old && mask == 0
                ? codec_decompress(o->codec, 0, slot, (size_t)size, mask, buf, &shuffled) : NULL;
            if (old && back != buf)
                SIM_FAIL(err, SIM_EIO, "%s: the chunk at (%zu, %zu)%s of dataset '/runs/%s' is "
                         "corrupt", o->path, row0, k * cols, point_tag(o, p, tag), o->mname[m]);
            pack_chunk(o, data, first, count, m, row0, k * cols, old, buf);
            size_t len = codec_compress(o->codec, 0, buf, slot, o->slot_size);
            if (len == 0)
                SIM_FAIL(err, SIM_EIO, "%s: cannot compress the chunk at (%zu, %zu)%s of dataset "
                         "'/runs/%s'", o->path, row0, k * cols, point_tag(o, p, tag), o->mname[m]);
            if (H5Dwrite_chunk(o->dset[m], H5P_DEFAULT, 0, off, len, slot) < 0)
                return h5out_fail(err, o->path,
                                  "cannot write the chunk at (%zu, %zu)%s of dataset '/runs/%s'",
                                  row0, k * cols, point_tag(o, p, tag), o->mname[m]);
        }
    return SIM_OK;
}

sim_status_t h5out_chunks_write(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                size_t count, const double *data)
{
    if (count == 0 || o->nmetrics == 0)
        return SIM_OK;
    if (!o->direct)
        return write_rows(o, err, p, first, count, data);
    /* [first, a) and [b, end) lie in one chunk row each, [a, b) is whole
     * chunk rows (the last one may end at the last run) */
    size_t end = first + count, rows = (size_t)o->chunk[0], stride = o->nmetrics * o->ntimes;
    size_t a = min_size((first + rows - 1) / rows * rows, end);
    size_t b = end == o->runs ? end : end / rows * rows;
    if (b < a)
        b = a;
    sim_status_t st = SIM_OK;
    if (first < a)
        st = write_partial(o, err, p, first, a - first, data);
    if (st == SIM_OK && b > a)
        st = write_direct(o, err, p, a, b - a, data + (a - first) * stride);
    if (st == SIM_OK && end > b)
        st = write_partial(o, err, p, b, end - b, data + (b - first) * stride);
    return st;
}

/* --- out of chunks ---------------------------------------------------- */

/* One column of a chunk into dst[0, nrows): element r's byte j at
 * b[r * step + j * plane], elem bytes (a constant once inlined). */
static inline void unshuffle_column(const unsigned char *b, size_t nrows, size_t step, size_t plane,
                                    size_t elem, double *dst)
{
    for (size_t r = 0; r < nrows; r++, b += step) {
        uint64_t u = 0;
        for (size_t j = 0; j < elem; j++)
            u |= (uint64_t)b[j * plane] << (8 * j);
        if (elem == 4) {
            uint32_t v = (uint32_t)u;
            float f;
            memcpy(&f, &v, sizeof f);
            dst[r] = (double)f;
        } else {
            memcpy(&dst[r], &u, sizeof u);
        }
    }
}

/* Elements 0 .. ncols - 1 of a row as stored (elem bytes each, little-endian;
 * elem a constant once inlined) into dst[c * step]. */
static inline void unpack_row(const unsigned char *p, size_t ncols, size_t elem, size_t step,
                              double *dst)
{
    for (size_t c = 0; c < ncols; c++, p += elem) {
        uint64_t u = 0;
        for (size_t j = 0; j < elem; j++)
            u |= (uint64_t)p[j] << (8 * j);
        if (elem == 4) {
            uint32_t v = (uint32_t)u;
            float f;
            memcpy(&f, &v, sizeof f);
            dst[c * step] = (double)f;
        } else {
            memcpy(&dst[c * step], &u, sizeof u);
        }
    }
}

/* Elements 0 .. ncols - 1 of a shuffled row of 8-byte elements (byte j of
 * element c at p[j * plane + c]) into out. */
static inline void unshuffle_row8(const unsigned char *p, size_t ncols, size_t plane, uint64_t *out)
{
    const unsigned char *p0 = p, *p1 = p + plane, *p2 = p + 2 * plane, *p3 = p + 3 * plane,
                        *p4 = p + 4 * plane, *p5 = p + 5 * plane, *p6 = p + 6 * plane, *p7 = p + 7 * plane;
    for (size_t c = 0; c < ncols; c++)
        out[c] = (uint64_t)p0[c] | (uint64_t)p1[c] << 8 | (uint64_t)p2[c] << 16 | (uint64_t)p3[c] << 24 |
                 (uint64_t)p4[c] << 32 | (uint64_t)p5[c] << 40 | (uint64_t)p6[c] << 48 | (uint64_t)p7[c] << 56;
}

/* Undo the filters of a stored chunk (len bytes, filter mask) at file rows
 * row0.. and columns col0..; put its elements that lie inside the dataset
 * into colbuf, column-major from column c0: colbuf[(col - c0) * runs + row].
 * 0, or -1 when the chunk is corrupt. */
static int unfilter_chunk(h5out_t *o, int tid, const unsigned char *in, size_t len, unsigned mask,
                          size_t row0, size_t col0, size_t c0, double *colbuf)
{
    int shuffled = 0;
    const unsigned char *raw = codec_decompress(o->codec, tid, in, len, mask,
                                                o->scratch + (size_t)tid * o->chunk_bytes, &shuffled);
    if (!raw)
        return -1;
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1], n = rows * cols;
    size_t nrows = min_size(rows, o->runs - row0), ncols = min_size(cols, o->ntimes - col0);
    if (shuffled && o->elem == 8) {
        /* row by row: each plane's bytes of a row lie side by side, so the
         * gathering of elements vectorises; then into the columns */
        uint64_t *row = o->rowbuf + (size_t)tid * cols;
        for (size_t r = 0; r < nrows; r++) {
            unshuffle_row8(raw + r * cols, ncols, n, row);
            double *dst = colbuf + (col0 - c0) * o->runs + row0 + r;
            for (size_t c = 0; c < ncols; c++)
                memcpy(dst + c * o->runs, row + c, sizeof *row);
        }
        return 0;
    }
    if (!shuffled) {
        /* row by row: the elements as stored, side by side */
        for (size_t r = 0; r < nrows; r++) {
            double *dst = colbuf + (col0 - c0) * o->runs + row0 + r;
            if (o->elem == 8)
                unpack_row(raw + r * cols * 8, ncols, 8, o->runs, dst);
            else
                unpack_row(raw + r * cols * 4, ncols, 4, o->runs, dst);
        }
        return 0;
    }
    /* shuffled float32, column by column: byte j of element e at raw[j * n + e] */
    for (size_t c = 0; c < ncols; c++)
        unshuffle_column(raw + c, nrows, cols, n, 4, colbuf + (col0 + c - c0) * o->runs + row0);
    return 0;
}

/* Columns [c0, c0 + b) of point p of dataset d (metric m), whole chunk
 * columns, into buf column-major ([b][runs]): chunks read raw a group of
 * slots at a time, then decompressed and unpacked in parallel. */
static sim_status_t read_block_raw(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                                   size_t c0, size_t b, double *buf)
{
    char tag[160];
    point_tag(o, p, tag);
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1];
    size_t ncol = (b + cols - 1) / cols, ntask = (o->runs + rows - 1) / rows * ncol;
    for (size_t g0 = 0; g0 < ntask; g0 += o->nslots) {
        size_t gn = min_size(o->nslots, ntask - g0);
        for (size_t i = 0; i < gn; i++) {
            size_t t = g0 + i, row = t / ncol * rows, col = c0 + t % ncol * cols;
            hsize_t off[3], size = 0;
            runs_coords(o, p, row, col, off);
            uint32_t mask = 0;
            if (H5Dget_chunk_storage_size(d, off, &size) < 0)
                return h5out_fail(err, o->path,
                                  "cannot find the chunk at (%zu, %zu)%s of dataset '/runs/%s'",
                                  row, col, o->points ? tag : "", o->mname[m]);
            if (size == 0 || size > o->slot_size)
                SIM_FAIL(err, SIM_EIO, "%s: the chunk at (%zu, %zu)%s of dataset '/runs/%s' is %s "
                         "(%zu bytes)", o->path, row, col, o->points ? tag : "", o->mname[m],
                         size == 0 ? "missing" : "too large", (size_t)size);
            if (H5Dread_chunk(d, H5P_DEFAULT, off, &mask, o->slots + i * o->slot_size) < 0)
                return h5out_fail(err, o->path,
                                  "cannot read the chunk at (%zu, %zu)%s of dataset '/runs/%s'",
                                  row, col, o->points ? tag : "", o->mname[m]);
            o->slot_len[i] = (size_t)size;
            o->slot_mask[i] = mask;
        }
#pragma omp parallel for schedule(dynamic, 1) num_threads(o->threads)
        for (size_t i = 0; i < gn; i++) {
            size_t t = g0 + i;
            o->slot_rc[i] = unfilter_chunk(o, omp_get_thread_num(), o->slots + i * o->slot_size,
                                           o->slot_len[i], o->slot_mask[i], t / ncol * rows,
                                           c0 + t % ncol * cols, c0, buf);
        }
        for (size_t i = 0; i < gn; i++)
            if (o->slot_rc[i] != 0) {
                size_t t = g0 + i;
                SIM_FAIL(err, SIM_EIO, "%s: cannot decompress the chunk at (%zu, %zu)%s of "
                         "dataset '/runs/%s' (corrupt)", o->path, t / ncol * rows,
                         c0 + t % ncol * cols, o->points ? tag : "", o->mname[m]);
            }
    }
    return SIM_OK;
}

/* Columns [c0, c0 + b) of point p of dataset d (metric m) into buf
 * row-major ([runs][b]). */
static sim_status_t read_block_h5(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                                  size_t c0, size_t b, double *buf)
{
    sim_status_t st = SIM_OK;
    hsize_t fstart[3], fcount[3], mcount[2] = { o->runs, b };
    runs_coords(o, p, 0, c0, fstart);
    runs_coords(o, 1, o->runs, b, fcount);
    hid_t fspace = H5Dget_space(d);
    hid_t mspace = H5Screate_simple(2, mcount, NULL);
    if (fspace < 0 || mspace < 0
        || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, fstart, NULL, fcount, NULL) < 0
        || H5Dread(d, H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, buf) < 0) {
        char tag[160];
        st = h5out_fail(err, o->path, "cannot read columns [%zu, %zu)%s of dataset '/runs/%s'",
                        c0, c0 + b, point_tag(o, p, tag), o->mname[m]);
    }
    if (fspace >= 0)
        H5Sclose(fspace);
    if (mspace >= 0)
        H5Sclose(mspace);
    return st;
}

sim_status_t h5out_chunks_read(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                               size_t c0, size_t b, int raw, double *buf)
{
    return raw ? read_block_raw(o, err, d, m, p, c0, b, buf)
               : read_block_h5(o, err, d, m, p, c0, b, buf);
}
