/*
 * The HDF5 result file writer (layout in h5out.h, contract in design.md §6).
 * Everything goes to "<path>.tmp-<pid>" (publish.h: a shorter name when that
 * is too long) and is moved to <path> only once the file is complete and
 * closed, without replacing anything unless spec->replace. /summary is computed from /runs read back
 * a block of time columns at a time: memory is about SUMMARY_BLOCK doubles
 * whatever the number of runs. Every failing HDF5 call becomes SIM_EIO naming
 * the file and the object.
 *
 * Parallel chunk filters: HDF5 serialises its API (one global lock), so the
 * shuffle + deflate work is done here, on OpenMP threads, and HDF5 only
 * moves finished chunks (H5Dwrite_chunk, H5Dread_chunk) on the calling
 * thread. The bytes are HDF5's own: the shuffle filter transposes the bytes
 * of the chunk's 8-byte elements (plane j holds byte j, little-endian, of
 * every element), then deflate at the dataset's level, one zlib stream a
 * chunk, as HDF5's deflate filter stores it. At level 1 (the default) the
 * streams are zplanes': each byte plane stored when it is noise, else one
 * block of literals and runs (three times as fast as libdeflate on such
 * planes, issue 10); at higher levels libdeflate's (twice as fast as zlib's).
 * libdeflate inflates them when /summary reads them back; any reader inflates
 * them with its own zlib.
 * A block that is not whole chunk rows (only partial files get such blocks)
 * has its chunks read back, merged and filtered again here, serially: every
 * chunk is this writer's, whatever the blocks. Edge chunks are
 * full-size, padded with the fill value. Chunks go through a ring of
 * preallocated slots, a group at a time: filter the group in parallel, then
 * write (or read) it in a fixed order, so the file does not depend on the
 * thread count.
 */
#include "h5out.h"
#include "publish.h"
#include "stats.h"
#include "zplanes.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <omp.h>
#define ZLIB_CONST              /* const next_in */
#include <libdeflate.h>
#include <zlib.h>

/* /runs chunks: at most 256 time columns so that a summary block of whole
 * chunk columns fits SUMMARY_BLOCK for up to 16k runs; 32k values = 256 KiB. */
#define CHUNK_COLS_MAX 256
#define CHUNK_VALUES 32768
/* Doubles read back per summary block (32 MiB). */
#define SUMMARY_BLOCK ((size_t)4 << 20)
/* Values of /run written at a time. */
#define RUN_BLOCK ((size_t)1 << 16)
/* Chunk cache while writing, shared out over the metrics (bytes). */
#define WRITE_CACHE_TOTAL ((size_t)256 << 20)
/* Chunk cache cap while reading a summary block narrower than a chunk. */
#define READ_CACHE_MAX ((size_t)256 << 20)
#define MIB ((size_t)1 << 20)
/* Chunk slots per thread: a group of slots is filtered in parallel and then
 * written in order; more slots per thread, less idling at the group's end. */
#define SLOTS_PER_THREAD 16
/* Cap on the slot ring (bytes), whatever the number of threads. */
#define SLOTS_BYTES_MAX ((size_t)64 << 20)
/* Filter mask bits of a stored chunk: filter i of the pipeline was skipped. */
#define MASK_SHUFFLE 1u
#define MASK_DEFLATE 2u

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

    /* chunk filters (see the top of this file) */
    int threads;
    int level;                  /* deflate level */
    int direct;                 /* 1: native double is IEEE binary64, chunks are filtered here */
    uint64_t fill_bits;         /* the fill value (NaN) as stored (float32: low 32 bits) */
    size_t chunk_bytes;         /* bytes of a full chunk */
    size_t slot_size;           /* the largest stored chunk (a deflate bound) */
    size_t nslots;
    unsigned char *slots;       /* [nslots][slot_size] filtered chunks of one group */
    size_t *slot_len;           /* [nslots] bytes used */
    unsigned *slot_mask;        /* [nslots] filter mask of a chunk read back */
    int *slot_rc;               /* [nslots] 0, or -1 when the last filter call failed */
    unsigned char *scratch;     /* [threads][chunk_bytes] a shuffled chunk */
    uint64_t *rowbuf;           /* [threads][chunk columns] a row of elements read back */
    uint16_t *ztok;             /* [threads][chunk_bytes / elem] zplanes' scratch */
    struct libdeflate_compressor **zdef;     /* [threads] */
    struct libdeflate_decompressor **zinf;   /* [threads] */
    sim_status_t (*before_publish)(const char *, void *, sim_error_t *);
    void *before_publish_ctx;
};

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

/* --- small helpers ---------------------------------------------------- */

static char *dup_str(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void close_id(hid_t *id, herr_t (*close)(hid_t))
{
    if (*id >= 0)
        close(*id);
    *id = H5I_INVALID_HID;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* File coordinates of (point p, run r, column c) in a /runs dataset: rank 3
 * with points, else rank 2 (p ignored). Returns the rank. */
static int runs_coords(const h5out_t *o, size_t p, size_t r, size_t c, hsize_t out[3])
{
    int k = 0;
    if (o->points)
        out[k++] = p;
    out[k++] = r;
    out[k++] = c;
    return k;
}

/* " of <pdim> <p>" for messages about one point's data; "" without points. */
static const char *point_tag(const h5out_t *o, size_t p, char buf[160])
{
    if (!o->points)
        return "";
    snprintf(buf, 160, " of %s %zu", o->pdim, p);
    return buf;
}

static size_t next_prime(size_t n)
{
    if (n <= 2)
        return 2;
    for (n |= 1;; n += 2) {
        size_t d = 3;
        while (d * d <= n && n % d != 0)
            d += 2;
        if (d * d > n)
            return n;
    }
}

/* A dataset access list with a chunk cache of `bytes` for chunks of `chunk_bytes`. */
static hid_t cache_dapl(size_t bytes, size_t chunk_bytes)
{
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (dapl < 0)
        return dapl;
    /* HDF5's advice: a prime number of slots, ~100 per chunk that fits. w0 = 1:
     * evict chunks that were read or written in full first. */
    size_t slots = next_prime(100 * (bytes / chunk_bytes + 1));
    if (H5Pset_chunk_cache(dapl, slots, bytes, 1.0) < 0) {
        H5Pclose(dapl);
        return H5I_INVALID_HID;
    }
    return dapl;
}

/* 9999-12-31T23:59:59Z: the last second created_utc's four-digit year can say */
#define SOURCE_DATE_MAX 253402300799LL

sim_status_t h5out_source_date(time_t *t, sim_error_t *err)
{
    /* reproducible-builds.org's SOURCE_DATE_EPOCH: a fixed time makes the files
     * identical; a malformed value must fail, not be ignored. Empty = unset. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *t = time(NULL);
    if (!sde || !*sde)
        return SIM_OK;
    long long v = -1;
    if (strspn(sde, "0123456789") == strlen(sde) && strlen(sde) <= 12)
        v = strtoll(sde, NULL, 10);
    if (v < 0 || v > SOURCE_DATE_MAX) {
        char shown[48];
        snprintf(shown, sizeof shown, "%.40s%s", sde, strlen(sde) > 40 ? "..." : "");
        for (char *c = shown; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
        SIM_FAIL(err, SIM_EINVAL, "SOURCE_DATE_EPOCH='%s' is not a whole number of seconds since "
                 "1970-01-01T00:00:00Z in [0, %lld] (digits only, as `date +%%s` prints): set it "
                 "to one or unset it", shown, SOURCE_DATE_MAX);
    }
    *t = (time_t)v;
    return SIM_OK;
}

static sim_status_t utc_now(char buf[32], sim_error_t *err)
{
    time_t t;
    sim_status_t st = h5out_source_date(&t, err);
    struct tm tm;
    if (st == SIM_OK && (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0))
        st = sim_fail(err, SIM_EIO, "cannot format the time %lld as UTC", (long long)t);
    return st;
}

/* --- chunk filters ---------------------------------------------------- */

/* Shuffle the chunk of metric m at file rows [row0, row0 + chunk[0]) and
 * columns [col0, col0 + chunk[1]) into sh, taking runs [first, first + count)
 * from data ([count][nmetrics][ntimes]); elements outside the block get the
 * fill value, or, with keep, rows outside it keep what sh holds (a stored
 * chunk, inflated). Byte j of element e goes to sh[j * n + e]: HDF5's shuffle
 * of a little-endian chunk of n elements of o->elem bytes (float32 values are
 * the doubles rounded to nearest, as HDF5's conversion does). */
/* One row of a chunk: cols elements of elem bytes (a constant once inlined,
 * so the byte loop unrolls), the first ncols from src (NULL: none), the
 * others the fill value; byte j of element c goes to dst[j * n + c]. */
static inline void shuffle_row(const double *src, size_t ncols, size_t cols, uint64_t fill,
                               size_t n, size_t elem, unsigned char *dst)
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
            dst[j * n + c] = (unsigned char)(u >> (8 * j));
    }
}

static void shuffle_chunk(const h5out_t *o, const double *data, size_t first, size_t count,
                          size_t m, size_t row0, size_t col0, int keep, unsigned char *sh)
{
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1], n = rows * cols;
    size_t ncols = min_size(cols, o->ntimes - col0);
    for (size_t r = 0; r < rows; r++) {
        size_t run = row0 + r;
        const double *src = NULL;
        if (run >= first && run - first < count)
            src = data + ((run - first) * o->nmetrics + m) * o->ntimes + col0;
        else if (keep)
            continue;
        /* the rows lie a run's series apart, each too short for the hardware to
         * see its stream in time: load the next row while this one shuffles */
        if (run + 1 >= first && run + 1 - first < count) {
            const double *next = data + ((run + 1 - first) * o->nmetrics + m) * o->ntimes + col0;
            for (size_t c = 0; c < ncols; c += 64 / sizeof *next)
                __builtin_prefetch(next + c);
        }
        if (o->elem == 8)
            shuffle_row(src, ncols, cols, o->fill_bits, n, 8, sh + r * cols);
        else
            shuffle_row(src, ncols, cols, o->fill_bits, n, 4, sh + r * cols);
    }
}

/* Deflate a shuffled chunk into out (slot_size bytes) with thread tid's
 * scratch: one zlib stream, as HDF5's deflate filter stores it. At level 1,
 * zplanes' (noise planes stored, the others as literals and runs); above,
 * libdeflate's search for matches, for smaller files at a higher cost. 0, or
 * -1 on failure. */
static int deflate_chunk(h5out_t *o, int tid, const unsigned char *sh, unsigned char *out,
                         size_t *len)
{
    size_t elem = (size_t)o->elem, plane = o->chunk_bytes / elem;
    *len = o->level == 1 ? zplanes_deflate(sh, elem, plane, o->ztok + (size_t)tid * plane, out, o->slot_size)
                         : libdeflate_zlib_compress(o->zdef[tid], sh, o->chunk_bytes, out, o->slot_size);
    return *len > 0 ? 0 : -1;
}

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

/* Inflate a stored chunk (len bytes) into sh, a whole chunk of shuffled
 * bytes, with thread tid's decompressor; 0, or -1 if it is not one. */
static int inflate_chunk(h5out_t *o, int tid, const unsigned char *in, size_t len, unsigned char *sh)
{
    /* no actual length asked for: anything but a whole chunk is an error */
    return libdeflate_zlib_decompress(o->zinf[tid], in, len, sh, o->chunk_bytes, NULL)
           == LIBDEFLATE_SUCCESS ? 0 : -1;
}

/* Undo the filters of a stored chunk (len bytes, filter mask) at file rows
 * row0.. and columns col0..; put its elements that lie inside the dataset
 * into colbuf, column-major from column c0: colbuf[(col - c0) * runs + row].
 * 0, or -1 when the chunk is corrupt. */
static int unfilter_chunk(h5out_t *o, int tid, const unsigned char *in, size_t len, unsigned mask,
                          size_t row0, size_t col0, size_t c0, double *colbuf)
{
    const unsigned char *raw = in;
    if (!(mask & MASK_DEFLATE)) {
        unsigned char *sh = o->scratch + (size_t)tid * o->chunk_bytes;
        if (inflate_chunk(o, tid, in, len, sh) != 0)
            return -1;
        raw = sh;
    } else if (len != o->chunk_bytes) {
        return -1;
    }
    size_t rows = (size_t)o->chunk[0], cols = (size_t)o->chunk[1], n = rows * cols;
    size_t nrows = min_size(rows, o->runs - row0), ncols = min_size(cols, o->ntimes - col0);
    if (!(mask & MASK_SHUFFLE) && o->elem == 8) {
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
    /* byte j of element e: raw[j * plane + e * elem] */
    size_t plane = (mask & MASK_SHUFFLE) ? 1 : n, elem = (mask & MASK_SHUFFLE) ? o->elem : 1;
    for (size_t c = 0; c < ncols; c++) {
        double *dst = colbuf + (col0 + c - c0) * o->runs + row0;
        const unsigned char *b = raw + c * elem;
        if (o->elem == 8)
            unshuffle_column(b, nrows, cols * elem, plane, 8, dst);
        else
            unshuffle_column(b, nrows, cols * elem, plane, 4, dst);
    }
    return 0;
}

/* --- attributes ------------------------------------------------------- */

/* A scalar attribute `name` on loc (called `obj` in messages). */
static sim_status_t attr_write(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                               const char *name, hid_t ftype, hid_t mtype, const void *buf)
{
    sim_status_t st = SIM_OK;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for attribute '%s' of '%s'", name,
                          obj);
    hid_t a = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        st = h5out_fail(err, o->path, "cannot create attribute '%s' of '%s'", name, obj);
    else if (H5Awrite(a, mtype, buf) < 0)
        st = h5out_fail(err, o->path, "cannot write attribute '%s' of '%s'", name, obj);
    if (a >= 0 && H5Aclose(a) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close attribute '%s' of '%s'", name, obj);
    H5Sclose(space);
    return st;
}

static sim_status_t attr_str(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, const char *value)
{
    const char *v = value ? value : "";
    return attr_write(o, err, loc, obj, name, o->str_type, o->str_type, &v);
}

static sim_status_t attr_f64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, double value)
{
    return attr_write(o, err, loc, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

static sim_status_t attr_i64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, int64_t value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

static sim_status_t attr_u64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, uint64_t value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

static sim_status_t attr_i32(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, int value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT, &value);
}

/* --- create ----------------------------------------------------------- */

static sim_status_t check_spec(const h5out_spec_t *spec, sim_error_t *err)
{
    if (!spec || !spec->path || !spec->path[0])
        SIM_FAIL(err, SIM_EINVAL, "h5out: no output file name");
    if (spec->runs == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: an output file needs at least one run", spec->path);
    if (spec->ntimes == 0 || !spec->time)
        SIM_FAIL(err, SIM_EINVAL, "%s: an output file needs at least one recorded time", spec->path);
    if (spec->nmetrics > 0 && !spec->metrics)
        SIM_FAIL(err, SIM_EINVAL, "%s: metric table missing", spec->path);
    if (spec->nparams > 0 && !spec->params)
        SIM_FAIL(err, SIM_EINVAL, "%s: parameter table missing", spec->path);
    if (spec->deflate_level < 0 || spec->deflate_level > 9)
        SIM_FAIL(err, SIM_EINVAL, "%s: deflate level %d is not in 1..9", spec->path,
                 spec->deflate_level);
    for (size_t m = 0; m < spec->nmetrics; m++) {
        const char *name = spec->metrics[m].name;
        if (!name || !name[0] || strchr(name, '/') || strcmp(name, ".") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: metric %zu has an invalid name '%s'", spec->path, m,
                     name ? name : "(null)");
        if (strcmp(name, "run") == 0 || strcmp(name, "time") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: metric name '%s' is reserved (/runs/%s is a dimension "
                     "scale)", spec->path, name, name);
    }
    for (size_t p = 0; p < spec->nparams; p++) {
        const char *name = spec->params[p].name;
        if (!name || !name[0])
            SIM_FAIL(err, SIM_EINVAL, "%s: parameter %zu has no name", spec->path, p);
    }
    if (spec->npoints > 1) {
        /* /<point_dim> sits at the root and is linked into /runs and into
         * every /summary/<metric>: its name must clash with none of theirs. */
        static const char *const reserved[] = { "run", "time", "runs", "summary", "scenario",
                                                "params", "compare", "manifest" };
        const char *pd = spec->point_dim;
        if (!pd || !pd[0] || strchr(pd, '/') || strcmp(pd, ".") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension has an invalid name '%s'",
                     spec->path, pd ? pd : "(null)");
        if (strlen(pd) > 64)
            SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension name '%s' is too long", spec->path,
                     pd);
        for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
            if (strcmp(pd, reserved[i]) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (reserved)",
                         spec->path, pd);
        for (int k = 0; k < STATS_N; k++)
            if (strcmp(pd, stats_name[k]) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (a "
                         "statistic of /summary)", spec->path, pd);
        for (size_t m = 0; m < spec->nmetrics; m++)
            if (strcmp(pd, spec->metrics[m].name) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (a "
                         "metric)", spec->path, pd);
        if (spec->runs > SIZE_MAX / spec->npoints)
            SIM_FAIL(err, SIM_EINVAL, "%s: %zu points x %zu runs is too many", spec->path,
                     spec->npoints, spec->runs);
    }
    return SIM_OK;
}

/* Create the temporary file with open(2) first: its errno says plainly why a
 * directory is missing or unwritable, which HDF5's error stack buries. */
static sim_status_t touch_tmp(const h5out_t *o, sim_error_t *err)
{
    struct stat sb;
    if (stat(o->path, &sb) == 0 && S_ISDIR(sb.st_mode))
        SIM_FAIL(err, SIM_EIO, "%s: cannot write the output file: it is a directory", o->path);
    /* O_EXCL: never write through a link; a file under this process's name is a dead
     * process's (the same pid before), unless someone holds it (another node's) */
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno == EEXIST && publish_holder(o->tmp) == 0 && unlink(o->tmp) == 0)
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file: its directory does not exist",
                     o->path);
        if (e == ENOTDIR)
            SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file: part of its directory is "
                     "not a directory", o->path);
        SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file (temporary '%s'): %s", o->path,
                 o->tmp, strerror(e));
    }
    close(fd);
    return SIM_OK;
}

static sim_status_t write_root_attrs(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    char created[32];
    if (utc_now(created, err) != SIM_OK)
        return err->code;
    hid_t f = o->file;
    sim_status_t st = SIM_OK;
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "format", "tokensim");
    if (st == SIM_OK) st = attr_i32(o, err, f, "/", "format_version", s->format_version);
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "tokensim_version", s->version);
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "command", s->command);
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "scenario_name", s->scenario_name);
    if (st == SIM_OK) st = attr_u64(o, err, f, "/", "seed", s->seed);
    if (st == SIM_OK) st = attr_u64(o, err, f, "/", "runs", (uint64_t)s->runs);
    if (st == SIM_OK) st = attr_i64(o, err, f, "/", "days", s->days);
    if (st == SIM_OK) st = attr_i64(o, err, f, "/", "record_every_days", s->record_every_days);
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "start_date", s->start_date);
    if (st == SIM_OK) st = attr_str(o, err, f, "/", "created_utc", created);
    return st;
}

static sim_status_t write_scenario(h5out_t *o, const char *yaml, sim_error_t *err)
{
    const char *v = yaml ? yaml : "";
    sim_status_t st = SIM_OK;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/scenario'");
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t d = H5I_INVALID_HID;
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/scenario'");
    else if ((d = H5Dcreate2(o->file, "scenario", o->str_type, space, H5P_DEFAULT, dcpl,
                             H5P_DEFAULT)) < 0)
        st = h5out_fail(err, o->path, "cannot create dataset '/scenario'");
    else if (H5Dwrite(d, o->str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        st = h5out_fail(err, o->path, "cannot write dataset '/scenario'");
    if (st == SIM_OK)
        st = attr_str(o, err, d, "/scenario", "description",
                      "the resolved scenario (after overrides) as YAML");
    if (d >= 0 && H5Dclose(d) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close dataset '/scenario'");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* A group whose links (and attributes) keep their creation order. */
static hid_t ordered_group(hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0)
        return gcpl;
    hid_t g = H5I_INVALID_HID;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_link_creation_order(gcpl, order) >= 0 && H5Pset_attr_creation_order(gcpl, order) >= 0
        && H5Pset_obj_track_times(gcpl, 0) >= 0)
        g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static sim_status_t write_params(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    hid_t g = ordered_group(o->file, "params");
    if (g < 0)
        return h5out_fail(err, o->path, "cannot create group '/params'");
    sim_status_t st = SIM_OK;
    char unit_name[512];
    for (size_t i = 0; i < s->nparams && st == SIM_OK; i++) {
        const h5out_param_t *p = &s->params[i];
        if (p->is_text)
            st = attr_str(o, err, g, "/params", p->name, p->text);
        else
            st = attr_f64(o, err, g, "/params", p->name, p->number);
        if (st != SIM_OK)
            break;
        int n = snprintf(unit_name, sizeof unit_name, "units:%s", p->name);
        if (n < 0 || (size_t)n >= sizeof unit_name)
            st = sim_fail(err, SIM_EINVAL, "%s: parameter name too long: '%s'", o->path, p->name);
        else
            st = attr_str(o, err, g, "/params", unit_name, p->unit);
    }
    if (H5Gclose(g) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close group '/params'");
    return st;
}

static sim_status_t write_time(h5out_t *o, const double *time, sim_error_t *err)
{
    hsize_t dim = o->ntimes;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/time'");
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/time'");
    if (st == SIM_OK) {
        o->time = H5Dcreate2(o->file, "time", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (o->time < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '/time'");
    }
    if (st == SIM_OK && H5Dwrite(o->time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, time) < 0)
        st = h5out_fail(err, o->path, "cannot write dataset '/time'");
    if (st == SIM_OK)
        st = attr_str(o, err, o->time, "/time", "units", "days");
    if (st == SIM_OK)
        st = attr_str(o, err, o->time, "/time", "description",
                      "time of each recorded value, in days since start_date (day 0)");
    if (st == SIM_OK && H5DSset_scale(o->time, "time") < 0)
        st = h5out_fail(err, o->path, "cannot make '/time' a dimension scale");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* /run: the replication index 0..runs-1, int64, a dimension scale (h5netcdf
 * and xarray need a scale on every dimension of a variable, or none). */
static sim_status_t write_run(h5out_t *o, sim_error_t *err)
{
    hsize_t dim = o->runs;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/run'");
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/run'");
    if (st == SIM_OK) {
        o->run = H5Dcreate2(o->file, "run", H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (o->run < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '/run'");
    }
    /* a block at a time: memory does not grow with the number of runs */
    size_t nbuf = min_size(o->runs, RUN_BLOCK);
    int64_t *buf = st == SIM_OK ? malloc(nbuf * sizeof *buf) : NULL;
    if (st == SIM_OK && !buf)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    for (size_t first = 0; first < o->runs && st == SIM_OK; first += nbuf) {
        size_t n = min_size(nbuf, o->runs - first);
        for (size_t i = 0; i < n; i++)
            buf[i] = (int64_t)(first + i);
        hsize_t start = first, count = n;
        hid_t mspace = H5Screate_simple(1, &count, NULL);
        if (mspace < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0
            || H5Dwrite(o->run, H5T_NATIVE_INT64, mspace, space, H5P_DEFAULT, buf) < 0)
            st = h5out_fail(err, o->path, "cannot write dataset '/run'");
        if (mspace >= 0)
            H5Sclose(mspace);
    }
    free(buf);
    if (st == SIM_OK)
        st = attr_str(o, err, o->run, "/run", "units", "index");
    if (st == SIM_OK)
        st = attr_str(o, err, o->run, "/run", "description",
                      "replication index k; its random streams derive from (seed, k)");
    if (st == SIM_OK && H5DSset_scale(o->run, "run") < 0)
        st = h5out_fail(err, o->path, "cannot make '/run' a dimension scale");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* /<pdim> (points only): the point index 0..npoints-1, int64, a dimension
 * scale named pdim; the points' labels, when given, in its attribute
 * "labels" (a string array [npoints]). */
static sim_status_t write_point(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    char obj[80];
    snprintf(obj, sizeof obj, "/%s", o->pdim);
    hsize_t dim = o->npoints;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '%s'", obj);
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '%s'", obj);
    if (st == SIM_OK) {
        o->point = H5Dcreate2(o->file, o->pdim, H5T_STD_I64LE, space, H5P_DEFAULT, dcpl,
                              H5P_DEFAULT);
        if (o->point < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '%s'", obj);
    }
    int64_t *idx = st == SIM_OK ? malloc(o->npoints * sizeof *idx) : NULL;
    if (st == SIM_OK && !idx)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    if (st == SIM_OK) {
        for (size_t p = 0; p < o->npoints; p++)
            idx[p] = (int64_t)p;
        if (H5Dwrite(o->point, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx) < 0)
            st = h5out_fail(err, o->path, "cannot write dataset '%s'", obj);
    }
    free(idx);
    if (st == SIM_OK)
        st = attr_str(o, err, o->point, obj, "units", "index");
    if (st == SIM_OK) {
        char desc[200];
        snprintf(desc, sizeof desc, "%s index (the leading dimension of /runs and /summary)%s",
                 o->pdim, s->point_labels ? "; attribute labels names each" : "");
        st = attr_str(o, err, o->point, obj, "description", desc);
    }
    if (st == SIM_OK && s->point_labels) {
        const char **lab = malloc(o->npoints * sizeof *lab);
        hid_t a = H5I_INVALID_HID;
        if (!lab)
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
        else {
            for (size_t p = 0; p < o->npoints; p++)
                lab[p] = s->point_labels[p] ? s->point_labels[p] : "";
            a = H5Acreate2(o->point, "labels", o->str_type, space, H5P_DEFAULT, H5P_DEFAULT);
            if (a < 0 || H5Awrite(a, o->str_type, lab) < 0)
                st = h5out_fail(err, o->path, "cannot write attribute 'labels' of '%s'", obj);
            if (a >= 0 && H5Aclose(a) < 0 && st == SIM_OK)
                st = h5out_fail(err, o->path, "cannot close attribute 'labels' of '%s'", obj);
        }
        free(lab);
    }
    if (st == SIM_OK && H5DSset_scale(o->point, o->pdim) < 0)
        st = h5out_fail(err, o->path, "cannot make '%s' a dimension scale", obj);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* Hard link <loc>/<name> to the root dataset /<name> (a dimension scale): the
 * same object seen from a group. h5netcdf, hence xarray, shows as coordinates
 * only the scales that live in the group opened. */
static sim_status_t link_scale(h5out_t *o, sim_error_t *err, hid_t loc, const char *grp,
                               const char *name)
{
    if (H5Lcreate_hard(o->file, name, loc, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
        return h5out_fail(err, o->path, "cannot link '/%s' into group '%s'", name, grp);
    return SIM_OK;
}

static sim_status_t create_runs(h5out_t *o, sim_error_t *err)
{
    o->runs_grp = ordered_group(o->file, "runs");
    if (o->runs_grp < 0)
        return h5out_fail(err, o->path, "cannot create group '/runs'");
    sim_status_t st = SIM_OK;
    if (o->points)
        st = link_scale(o, err, o->runs_grp, "/runs", o->pdim);
    if (st == SIM_OK)
        st = link_scale(o, err, o->runs_grp, "/runs", "run");
    if (st == SIM_OK)
        st = link_scale(o, err, o->runs_grp, "/runs", "time");
    if (st != SIM_OK)
        return st;

    hsize_t cols = min_size(o->ntimes, CHUNK_COLS_MAX);
    hsize_t rows = min_size(o->runs, max_size(1, CHUNK_VALUES / cols));
    o->chunk[0] = rows;
    o->chunk[1] = cols;
    /* Cache one row of chunks (plus one, for a block straddling two rows) so
     * that blocks of runs smaller than a chunk do not recompress it each time. */
    size_t chunk_bytes = (size_t)(rows * cols) * o->elem;
    size_t per_row = (o->ntimes + cols - 1) / cols;
    size_t budget = max_size(MIB, WRITE_CACHE_TOTAL / max_size(1, o->nmetrics));
    size_t cache = max_size(min_size((per_row + 1) * chunk_bytes, budget), chunk_bytes);

    double nan = NAN;
    memcpy(&o->fill_bits, &nan, sizeof o->fill_bits);
    if (o->elem == 4) {
        float fnan = NAN;
        uint32_t v;
        memcpy(&v, &fnan, sizeof v);
        o->fill_bits = v;
    }
    /* [runs, times], chunks [rows, cols]; with points [npoints, runs, times],
     * chunks [1, rows, cols]: a chunk holds the same values either way. */
    hsize_t dims[3], chunk[3];
    int rank = runs_coords(o, o->npoints, o->runs, o->ntimes, dims);
    runs_coords(o, 1, rows, cols, chunk);
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dapl = cache_dapl(cache, chunk_bytes);
    if (space < 0 || dcpl < 0 || dapl < 0 || H5Pset_chunk(dcpl, rank, chunk) < 0
        || H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, (unsigned)o->level) < 0
        || H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up the datasets of '/runs'");

    for (size_t m = 0; m < o->nmetrics && st == SIM_OK; m++) {
        const char *name = o->mname[m];
        o->dset[m] = H5Dcreate2(o->runs_grp, name, o->elem == 4 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE,
                                space, H5P_DEFAULT, dcpl, dapl);
        if (o->dset[m] < 0) {
            st = h5out_fail(err, o->path, "cannot create dataset '/runs/%s'", name);
            break;
        }
        char obj[300];
        snprintf(obj, sizeof obj, "/runs/%s", name);
        st = attr_str(o, err, o->dset[m], obj, "units", o->munit[m]);
        if (st == SIM_OK)
            st = attr_str(o, err, o->dset[m], obj, "description", o->mdesc[m]);
        unsigned d0 = (unsigned)o->points;      /* the run dimension */
        if (st == SIM_OK && o->points && (H5DSattach_scale(o->dset[m], o->point, 0) < 0
                                          || H5DSset_label(o->dset[m], 0, o->pdim) < 0))
            st = h5out_fail(err, o->path, "cannot attach '/%s' to dataset '%s'", o->pdim, obj);
        if (st == SIM_OK && (H5DSattach_scale(o->dset[m], o->run, d0) < 0
                             || H5DSattach_scale(o->dset[m], o->time, d0 + 1) < 0
                             || H5DSset_label(o->dset[m], d0, "run") < 0
                             || H5DSset_label(o->dset[m], d0 + 1, "time") < 0))
            st = h5out_fail(err, o->path, "cannot attach '/run' and '/time' to dataset '%s'", obj);
    }
    if (dapl >= 0)
        H5Pclose(dapl);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return st;
}

/* The chunk filters' buffers and deflate states, all allocated here so that
 * writing and summarising allocate nothing per chunk. */
static sim_status_t alloc_filters(h5out_t *o, sim_error_t *err)
{
    /* Filtering here makes HDF5's layout for IEEE binary64 doubles (of
     * either byte order: the shuffle takes bytes by shifts); otherwise every
     * write goes through H5Dwrite (and HDF5's zlib). */
    o->direct = (H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0
                 || H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64BE) > 0)
                && (o->elem == 8 || H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32LE) > 0
                    || H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32BE) > 0);
    size_t threads = (size_t)o->threads;
    o->chunk_bytes = (size_t)(o->chunk[0] * o->chunk[1]) * o->elem;
    /* room for a chunk of either library (HDF5's own are zlib's) */
    o->slot_size = max_size(max_size(libdeflate_zlib_compress_bound(NULL, o->chunk_bytes),
                                     (size_t)compressBound((uLong)o->chunk_bytes)),
                            zplanes_bound((size_t)o->elem, o->chunk_bytes / o->elem));
    o->nslots = max_size(threads, min_size(threads * SLOTS_PER_THREAD,
                                           SLOTS_BYTES_MAX / o->slot_size));
    o->slots = malloc(o->nslots * o->slot_size);
    o->slot_len = calloc(o->nslots, sizeof *o->slot_len);
    o->slot_mask = calloc(o->nslots, sizeof *o->slot_mask);
    o->slot_rc = calloc(o->nslots, sizeof *o->slot_rc);
    o->scratch = malloc(threads * o->chunk_bytes);
    o->rowbuf = malloc(threads * (size_t)o->chunk[1] * sizeof *o->rowbuf);
    /* level 1 deflates with zplanes (its token scratch), the others with libdeflate */
    o->ztok = o->level == 1 ? malloc(threads * (o->chunk_bytes / o->elem) * sizeof *o->ztok) : NULL;
    o->zdef = calloc(threads, sizeof *o->zdef);
    o->zinf = calloc(threads, sizeof *o->zinf);
    if (!o->slots || !o->slot_len || !o->slot_mask || !o->slot_rc || !o->scratch || !o->rowbuf
        || (o->level == 1 && !o->ztok) || !o->zdef || !o->zinf)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory for %zu chunk buffers of %zu bytes", o->path,
                 o->nslots, o->slot_size);
    for (size_t t = 0; t < threads; t++)
        if ((o->level != 1 && !(o->zdef[t] = libdeflate_alloc_compressor(o->level)))
            || !(o->zinf[t] = libdeflate_alloc_decompressor()))
            SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory for a deflate state", o->path);
    return SIM_OK;
}

static void free_h5out(h5out_t *o)
{
    for (int t = 0; t < o->threads && o->zdef; t++)
        libdeflate_free_compressor(o->zdef[t]);
    for (int t = 0; t < o->threads && o->zinf; t++)
        libdeflate_free_decompressor(o->zinf[t]);
    free(o->zdef);
    free(o->zinf);
    free(o->scratch);
    free(o->rowbuf);
    free(o->ztok);
    free(o->slots);
    free(o->slot_len);
    free(o->slot_mask);
    free(o->slot_rc);
    for (size_t m = 0; m < o->nmetrics; m++) {
        if (o->mname)
            free(o->mname[m]);
        if (o->munit)
            free(o->munit[m]);
        if (o->mdesc)
            free(o->mdesc[m]);
    }
    free(o->mname);
    free(o->munit);
    free(o->mdesc);
    free(o->dset);
    free(o->written);
    free(o->pdim);
    free(o->tmp);
    free(o->path);
    free(o);
}

/* Close every HDF5 object we hold, ignoring errors (failure paths). */
static void close_all(h5out_t *o)
{
    if (o->dset)
        for (size_t m = 0; m < o->nmetrics; m++)
            close_id(&o->dset[m], H5Dclose);
    close_id(&o->time, H5Dclose);
    close_id(&o->run, H5Dclose);
    close_id(&o->point, H5Dclose);
    close_id(&o->runs_grp, H5Gclose);
    close_id(&o->str_type, H5Tclose);
    close_id(&o->file, H5Fclose);
}

/* On failure *out may hold a partly built o: h5out_abort() takes it apart. */
static sim_status_t alloc_h5out(h5out_t **out, const h5out_spec_t *spec, sim_error_t *err)
{
    h5out_t *o = calloc(1, sizeof *o);
    if (!o)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    o->file = o->str_type = o->time = o->run = o->point = o->runs_grp = H5I_INVALID_HID;
    o->runs = spec->runs;
    o->points = spec->npoints > 1;
    o->npoints = o->points ? spec->npoints : 1;
    o->ntimes = spec->ntimes;
    o->nmetrics = spec->nmetrics;
    o->threads = spec->threads > 0 ? spec->threads : 1;
    o->before_publish = spec->before_publish;
    o->before_publish_ctx = spec->before_publish_ctx;
    o->level = spec->deflate_level > 0 ? spec->deflate_level : H5OUT_DEFLATE_DEFAULT;
    o->elem = spec->float32 ? 4 : 8;
    *out = o;

    size_t n = spec->nmetrics ? spec->nmetrics : 1;
    o->dset = malloc(n * sizeof *o->dset);
    if (o->dset)
        for (size_t m = 0; m < spec->nmetrics; m++)
            o->dset[m] = H5I_INVALID_HID;
    o->path = dup_str(spec->path);
    o->replace = spec->replace;
    char tmp[PATH_MAX];
    if (publish_tmp_name(spec->path, tmp, sizeof tmp, err) != SIM_OK)
        return err->code;
    o->tmp = dup_str(tmp);
    o->mname = calloc(n, sizeof *o->mname);
    o->munit = calloc(n, sizeof *o->munit);
    o->mdesc = calloc(n, sizeof *o->mdesc);
    o->written = calloc(o->npoints * spec->runs / 8 + 1, 1);
    if (o->points)
        o->pdim = dup_str(spec->point_dim);
    if (!o->path || !o->tmp || !o->dset || !o->mname || !o->munit || !o->mdesc || !o->written
        || (o->points && !o->pdim))
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    for (size_t m = 0; m < spec->nmetrics; m++) {
        o->mname[m] = dup_str(spec->metrics[m].name);
        o->munit[m] = dup_str(spec->metrics[m].unit);
        o->mdesc[m] = dup_str(spec->metrics[m].description);
        if (!o->mname[m] || !o->munit[m] || !o->mdesc[m])
            SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    }
    return SIM_OK;
}

static sim_status_t open_file(h5out_t *o, sim_error_t *err)
{
    sim_status_t st = SIM_OK;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    /* STRONG: H5Fclose closes whatever a failure path left open. The 1.8
     * format allows dense attribute storage (hundreds of /params) and stays
     * readable by any HDF5 >= 1.8. */
    if (fapl < 0 || fcpl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0
        || H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0
        || H5Pset_link_creation_order(fcpl, order) < 0 || H5Pset_attr_creation_order(fcpl, order) < 0
        || H5Pset_obj_track_times(fcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up file properties");
    if (st == SIM_OK) {
        o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, fcpl, fapl);
        if (o->file < 0)
            st = h5out_fail(err, o->path, "cannot create HDF5 file '%s'", o->tmp);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (st != SIM_OK)
        return st;

    o->str_type = H5Tcopy(H5T_C_S1);
    if (o->str_type < 0 || H5Tset_size(o->str_type, H5T_VARIABLE) < 0
        || H5Tset_cset(o->str_type, H5T_CSET_UTF8) < 0)
        return h5out_fail(err, o->path, "cannot create the string type");
    return SIM_OK;
}

void h5out_library_init(void)
{
    H5dont_atexit();
}

sim_status_t h5out_create(h5out_t **out, const h5out_spec_t *spec, sim_error_t *err)
{
    if (!out)
        SIM_FAIL(err, SIM_EINVAL, "h5out_create: no result pointer");
    *out = NULL;
    sim_status_t st = check_spec(spec, err);
    if (st != SIM_OK)
        return st;
    /* Errors are reported through err, never printed by HDF5 itself. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    time_t now;
    if (h5out_source_date(&now, err) != SIM_OK)   /* before any file exists */
        return err->code;
    h5out_t *o = NULL;
    st = alloc_h5out(&o, spec, err);
    if (st == SIM_OK) st = touch_tmp(o, err);
    if (st == SIM_OK) st = open_file(o, err);
    if (st == SIM_OK) st = write_root_attrs(o, spec, err);
    if (st == SIM_OK) st = write_scenario(o, spec->scenario_yaml, err);
    if (st == SIM_OK) st = write_params(o, spec, err);
    if (st == SIM_OK) st = write_time(o, spec->time, err);
    if (st == SIM_OK) st = write_run(o, err);
    if (st == SIM_OK && o->points) st = write_point(o, spec, err);
    if (st == SIM_OK) st = create_runs(o, err);
    if (st == SIM_OK) st = alloc_filters(o, err);
    if (st != SIM_OK) {
        h5out_abort(o);
        return st;
    }
    *out = o;
    return SIM_OK;
}

/* --- write runs ------------------------------------------------------- */

size_t h5out_chunk_rows(const h5out_t *o)
{
    return o ? (size_t)o->chunk[0] : 1;
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
            unsigned char *sh = o->scratch + (size_t)tid * o->chunk_bytes;
            shuffle_chunk(o, data, first, count, m, first + k / ncol * rows, k % ncol * cols, 0, sh);
            o->slot_rc[i] = deflate_chunk(o, tid, sh, o->slots + i * o->slot_size, &o->slot_len[i]);
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
    unsigned char *sh = o->scratch, *slot = o->slots;
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
            if (old && (mask != 0 || inflate_chunk(o, 0, slot, (size_t)size, sh) != 0))
                SIM_FAIL(err, SIM_EIO, "%s: the chunk at (%zu, %zu)%s of dataset '/runs/%s' is "
                         "corrupt", o->path, row0, k * cols, point_tag(o, p, tag), o->mname[m]);
            size_t len = 0;
            shuffle_chunk(o, data, first, count, m, row0, k * cols, old, sh);
            if (deflate_chunk(o, 0, sh, slot, &len) != 0)
                SIM_FAIL(err, SIM_EIO, "%s: cannot compress the chunk at (%zu, %zu)%s of dataset "
                         "'/runs/%s'", o->path, row0, k * cols, point_tag(o, p, tag), o->mname[m]);
            if (H5Dwrite_chunk(o->dset[m], H5P_DEFAULT, 0, off, len, slot) < 0)
                return h5out_fail(err, o->path,
                                  "cannot write the chunk at (%zu, %zu)%s of dataset '/runs/%s'",
                                  row0, k * cols, point_tag(o, p, tag), o->mname[m]);
        }
    return SIM_OK;
}

/* Runs [first, first + count) of point p (checked by the caller). */
static sim_status_t write_block(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                size_t count, const double *data)
{
    if (count > 0 && o->nmetrics > 0) {
        if (!data) {
            char tag[160];
            SIM_FAIL(err, SIM_EINVAL, "%s: no data for runs [%zu, %zu)%s", o->path, first,
                     first + count, point_tag(o, p, tag));
        }
        sim_status_t st = SIM_OK;
        size_t end = first + count, rows = (size_t)o->chunk[0], stride = o->nmetrics * o->ntimes;
        if (!o->direct) {
            st = write_rows(o, err, p, first, count, data);
        } else {
            /* [first, a) and [b, end) lie in one chunk row each, [a, b) is
             * whole chunk rows (the last one may end at the last run) */
            size_t a = min_size((first + rows - 1) / rows * rows, end);
            size_t b = end == o->runs ? end : end / rows * rows;
            if (b < a)
                b = a;
            if (first < a)
                st = write_partial(o, err, p, first, a - first, data);
            if (st == SIM_OK && b > a)
                st = write_direct(o, err, p, a, b - a, data + (a - first) * stride);
            if (st == SIM_OK && end > b)
                st = write_partial(o, err, p, b, end - b, data + (b - first) * stride);
        }
        if (st != SIM_OK)
            return st;
    }
    for (size_t r = p * o->runs + first; r < p * o->runs + first + count; r++) {
        unsigned char bit = (unsigned char)(1u << (r % 8));
        if (!(o->written[r / 8] & bit)) {
            o->written[r / 8] |= bit;
            o->nwritten++;
        }
    }
    return SIM_OK;
}

sim_status_t h5out_write_runs(h5out_t *o, size_t first, size_t count, const double *data,
                              sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_write_runs: no output file");
    if (o->points)
        SIM_FAIL(err, SIM_EINVAL, "%s: the file has %zu %s points: write runs with "
                 "h5out_write_point_runs", o->path, o->npoints, o->pdim);
    if (first > o->runs || count > o->runs - first)
        SIM_FAIL(err, SIM_EINVAL, "%s: runs [%zu, %zu) are outside the file's %zu runs", o->path,
                 first, first + count, o->runs);
    return write_block(o, err, 0, first, count, data);
}

sim_status_t h5out_write_point_runs(h5out_t *o, size_t point, size_t first, size_t count,
                                    const double *data, sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_write_point_runs: no output file");
    if (point >= o->npoints)
        SIM_FAIL(err, SIM_EINVAL, "%s: point %zu is outside the file's %zu point%s", o->path,
                 point, o->npoints, o->npoints == 1 ? "" : "s");
    if (first > o->runs || count > o->runs - first)
        SIM_FAIL(err, SIM_EINVAL, "%s: runs [%zu, %zu) are outside the file's %zu runs", o->path,
                 first, first + count, o->runs);
    return write_block(o, err, point, first, count, data);
}

/* --- finish: /summary ------------------------------------------------- */

static const char *const stat_what[STATS_N] = {
    "mean across runs of",
    "sample standard deviation (n - 1) across runs of",
    "5th percentile across runs of",
    "25th percentile across runs of",
    "median (50th percentile) across runs of",
    "75th percentile across runs of",
    "95th percentile across runs of",
};

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
        size_t chunk_rows = (o->runs + (size_t)o->chunk[0] - 1) / (size_t)o->chunk[0];
        w->cache = max_size(w->cache, min_size(READ_CACHE_MAX, (chunk_rows + 1) * chunk_bytes));
    }
    w->block = b;
}

static sim_status_t summary_datasets(h5out_t *o, sim_error_t *err, hid_t mgrp, size_t m,
                                     hid_t out[STATS_N])
{
    /* [times]; with points [npoints, times] */
    hsize_t dims[2] = { o->npoints, o->ntimes };
    int rank = o->points ? 2 : 1;
    unsigned d0 = (unsigned)o->points;      /* the time dimension */
    sim_status_t st = SIM_OK;
    hid_t space = H5Screate_simple(rank, dims + (o->points ? 0 : 1), NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up the datasets of '/summary/%s'", o->mname[m]);
    const char *what = o->mdesc[m][0] ? o->mdesc[m] : o->mname[m];
    size_t desc_len = strlen(what) + 64;
    char *desc = malloc(desc_len);
    if (!desc && st == SIM_OK)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    for (int k = 0; k < STATS_N && st == SIM_OK; k++) {
        char obj[300];
        snprintf(obj, sizeof obj, "/summary/%s/%s", o->mname[m], stats_name[k]);
        out[k] = H5Dcreate2(mgrp, stats_name[k], H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl,
                            H5P_DEFAULT);
        if (out[k] < 0) {
            st = h5out_fail(err, o->path, "cannot create dataset '%s'", obj);
            break;
        }
        snprintf(desc, desc_len, "%s %s", stat_what[k], what);
        st = attr_str(o, err, out[k], obj, "units", o->munit[m]);
        if (st == SIM_OK)
            st = attr_str(o, err, out[k], obj, "description", desc);
        if (st == SIM_OK && o->points && (H5DSattach_scale(out[k], o->point, 0) < 0
                                          || H5DSset_label(out[k], 0, o->pdim) < 0))
            st = h5out_fail(err, o->path, "cannot attach '/%s' to dataset '%s'", o->pdim, obj);
        if (st == SIM_OK && (H5DSattach_scale(out[k], o->time, d0) < 0
                             || H5DSset_label(out[k], d0, "time") < 0))
            st = h5out_fail(err, o->path, "cannot attach '/time' to dataset '%s'", obj);
    }
    free(desc);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return st;
}

/* Columns [c0, c0 + b) of point p of dataset d (metric m), whole chunk
 * columns, into buf column-major ([b][runs]): chunks read raw a group of
 * slots at a time, then inflated and unshuffled in parallel. */
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
                         "dataset '/runs/%s' (corrupt deflate stream)", o->path, t / ncol * rows,
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

/* Read columns [c0, c0 + b) of point p of /runs/<metric> and write their
 * statistics. Each column's statistics depend on its values only (stats.h),
 * so sorting the columns on several threads changes nothing. */
static sim_status_t summary_block(h5out_t *o, sim_error_t *err, hid_t d, size_t m, size_t p,
                                  const hid_t out[STATS_N], size_t c0, size_t b,
                                  summary_work_t *w)
{
    sim_status_t st = w->raw ? read_block_raw(o, err, d, m, p, c0, b, w->buf)
                             : read_block_h5(o, err, d, m, p, c0, b, w->buf);
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
    hid_t dapl = cache_dapl(w->cache, chunk_bytes);
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
    hid_t mgrp = ordered_group(sgrp, name);
    if (mgrp < 0)
        st = h5out_fail(err, o->path, "cannot create group '/summary/%s'", name);
    if (st == SIM_OK) {
        char obj[300];
        snprintf(obj, sizeof obj, "/summary/%s", name);
        if (o->points)
            st = link_scale(o, err, mgrp, obj, o->pdim);
        if (st == SIM_OK)
            st = link_scale(o, err, mgrp, obj, "time");
    }
    if (st == SIM_OK)
        st = summary_datasets(o, err, mgrp, m, out);
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

static sim_status_t write_summary(h5out_t *o, sim_error_t *err)
{
    hid_t g = ordered_group(o->file, "summary");
    if (g < 0)
        return h5out_fail(err, o->path, "cannot create group '/summary'");
    sim_status_t st = attr_str(o, err, g, "/summary", "quantile_method",
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

/* Close everything, checking each step: a failed close may mean unflushed data. */
static sim_status_t close_file(h5out_t *o, sim_error_t *err)
{
    for (size_t m = 0; m < o->nmetrics; m++)
        if (o->dset[m] >= 0) {
            herr_t e = H5Dclose(o->dset[m]);
            o->dset[m] = H5I_INVALID_HID;
            if (e < 0)
                return h5out_fail(err, o->path, "cannot close dataset '/runs/%s'", o->mname[m]);
        }
    herr_t e = H5Dclose(o->time);
    o->time = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close dataset '/time'");
    e = H5Dclose(o->run);
    o->run = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close dataset '/run'");
    if (o->point >= 0) {
        e = H5Dclose(o->point);
        o->point = H5I_INVALID_HID;
        if (e < 0)
            return h5out_fail(err, o->path, "cannot close dataset '/%s'", o->pdim);
    }
    e = H5Gclose(o->runs_grp);
    o->runs_grp = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close group '/runs'");
    close_id(&o->str_type, H5Tclose);
    e = H5Fclose(o->file);
    o->file = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close (flush) the file");
    return SIM_OK;
}

/* Move the whole file to its name (publish.h); when the name was taken
 * meanwhile, keep the result beside it: SIM_EEXIST, the file in place. */
static sim_status_t publish(const h5out_t *o, sim_error_t *err)
{
    sim_error_t taken;
    sim_error_clear(&taken);
    sim_status_t st = publish_file(o->tmp, o->path, o->replace, &taken);
    if (st != SIM_EEXIST)
        return st == SIM_OK ? SIM_OK : sim_fail(err, st, "%s", taken.msg);
    char kept[PATH_MAX];
    st = publish_elsewhere(o->tmp, o->path, kept, sizeof kept, err);
    if (st != SIM_OK)
        return st;
    SIM_FAIL(err, SIM_EEXIST, "%s: the result is kept as %s", taken.msg, kept);
}

sim_status_t h5out_finish(h5out_t *o, sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_finish: no output file");
    sim_status_t st = SIM_OK;
    if (o->nwritten != o->npoints * o->runs)
        st = o->points
                 ? sim_fail(err, SIM_EINVAL, "%s: only %zu of %zu runs (%zu %s points x %zu runs) "
                            "were written; no file written", o->path, o->nwritten,
                            o->npoints * o->runs, o->npoints, o->pdim, o->runs)
                 : sim_fail(err, SIM_EINVAL, "%s: only %zu of %zu runs were written; no file "
                            "written", o->path, o->nwritten, o->runs);
    if (st == SIM_OK)
        st = write_summary(o, err);
    if (st == SIM_OK)
        st = close_file(o, err);
    if (st == SIM_OK && o->before_publish)
        st = o->before_publish(o->tmp, o->before_publish_ctx, err);
    if (st == SIM_OK)
        st = publish(o, err);
    if (st != SIM_OK && st != SIM_EEXIST) {
        close_all(o);
        unlink(o->tmp);
    }
    free_h5out(o);
    return st;
}

/* --- the skeleton of a partial file ---------------------------------- */

sim_status_t h5out_close_as_is(h5out_t *o, char **tmp_path, sim_error_t *err)
{
    *tmp_path = NULL;
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_close_as_is: no output file");
    sim_status_t st = close_file(o, err);
    if (st == SIM_OK) {
        *tmp_path = o->tmp;
        o->tmp = NULL;   /* the caller's now */
    } else {
        close_all(o);
        unlink(o->tmp);
    }
    free_h5out(o);
    return st;
}

int64_t h5out_runs_dataset(const h5out_t *o, size_t metric)
{
    return o && metric < o->nmetrics ? (int64_t)o->dset[metric] : -1;
}

size_t h5out_runs_written(const h5out_t *o)
{
    return o ? o->nwritten : 0;
}

void h5out_abort(h5out_t *o)
{
    if (!o)
        return;
    close_all(o);
    if (o->tmp)
        unlink(o->tmp);
    free_h5out(o);
}
