/* Keeping the partial file up to date while a campaign runs; see checkpoint.h. */
#include "checkpoint.h"
#include "partial_impl.h"
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scalar UTF-8 string attribute of obj, created or overwritten: 0 or -1. */
static int set_text(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR), a = H5I_INVALID_HID;
    int rc = -1;
    if (t >= 0 && s >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0) {
        a = H5Aexists(obj, name) > 0 ? H5Aopen(obj, name, H5P_DEFAULT)
                                     : H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
        rc = a >= 0 && H5Awrite(a, t, &value) >= 0 ? 0 : -1;
    }
    if (a >= 0)
        H5Aclose(a);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

static int set_u64(hid_t obj, const char *name, uint64_t value)
{
    hid_t s = H5Screate(H5S_SCALAR), a = H5I_INVALID_HID;
    int rc = -1;
    if (s >= 0) {
        a = H5Aexists(obj, name) > 0 ? H5Aopen(obj, name, H5P_DEFAULT)
                                     : H5Acreate2(obj, name, H5T_STD_U64LE, s, H5P_DEFAULT, H5P_DEFAULT);
        rc = a >= 0 && H5Awrite(a, H5T_NATIVE_UINT64, &value) >= 0 ? 0 : -1;
    }
    if (a >= 0)
        H5Aclose(a);
    if (s >= 0)
        H5Sclose(s);
    return rc;
}

/* /manifest/<name>: type [npoints, runs] (or [runs]), zeros, its space allocated
 * now so that checkpoints only overwrite it in place. */
static int manifest_set(hid_t g, const char *name, hid_t type, const partial_expect_t *ex,
                        const char *description)
{
    hsize_t dims[2] = { ex->npoints, ex->runs };
    int points = ex->npoints > 1;
    hid_t space = H5Screate_simple(points ? 2 : 1, points ? dims : dims + 1, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), d = H5I_INVALID_HID;
    int rc = -1;
    if (space >= 0 && dcpl >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0
        && H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) >= 0
        && H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC) >= 0) {
        d = H5Dcreate2(g, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        rc = d >= 0 && set_text(d, "description", description) == 0 ? 0 : -1;
    }
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

static sim_status_t add_manifest(const char *tmp, const char *path, const partial_expect_t *ex,
                                 const char *how_to_continue, sim_error_t *err)
{
    hid_t f = H5Fopen(tmp, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return h5out_fail(err, path, "cannot open the new partial file '%s'", tmp);
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE), g = H5I_INVALID_HID;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    size_t npoints = ex->npoints > 1 ? ex->npoints : 1;
    sim_status_t st = SIM_OK;
    if (gcpl < 0 || H5Pset_obj_track_times(gcpl, 0) < 0 || H5Pset_link_creation_order(gcpl, order) < 0
        || H5Pset_attr_creation_order(gcpl, order) < 0
        || (g = H5Gcreate2(f, "manifest", H5P_DEFAULT, gcpl, H5P_DEFAULT)) < 0
        || manifest_set(g, "done", H5T_STD_U8LE, ex, "1 for each run that is finished and stored in "
                        "/runs, 0 for a run still to do") < 0
        || manifest_set(g, "checksum", H5T_STD_U64LE, ex, "of each finished run's rows in /runs, "
                        "checked when the campaign is resumed (tokensim's own: xxHash64 rounds over "
                        "the bits of the values as stored, metric by metric, each in time order)") < 0
        || set_u64(g, "runs_done", 0) < 0 || set_u64(g, "runs_total", (uint64_t)(npoints * ex->runs)) < 0
        || set_text(g, "status", "running") < 0
        || set_text(g, "continue", how_to_continue ? how_to_continue : "") < 0)
        st = h5out_fail(err, path, "cannot write /manifest");
    if (g >= 0)
        H5Gclose(g);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    if (H5Fclose(f) < 0 && st == SIM_OK)
        st = h5out_fail(err, path, "cannot close (flush) the new partial file");
    return st;
}

sim_status_t checkpoint_create(partial_t **out, const char *path, const char *skeleton_tmp,
                               const partial_expect_t *ex, const char *how_to_continue, int replace,
                               sim_error_t *err)
{
    *out = NULL;
    sim_status_t st = add_manifest(skeleton_tmp, path, ex, how_to_continue, err);
    /* locked before it has its name: no other campaign ever sees it unheld */
    int fd = st == SIM_OK ? open(skeleton_tmp, O_RDWR) : -1;
    if (st == SIM_OK && fd < 0)
        st = sim_fail(err, SIM_EIO, "%s: cannot open '%s': %s", path, skeleton_tmp, strerror(errno));
    if (st == SIM_OK)
        publish_lock(fd);   /* not every file system has locks: then none */
    long holder = st == SIM_OK ? publish_holder(path) : 0;
    char who[48] = "";
    if (holder > 0)
        snprintf(who, sizeof who, " (process %ld)", holder);
    if (holder != 0)
        st = sim_fail(err, SIM_EINVAL, "%s: a running campaign%s is writing it since a moment ago; "
                      "wait for it to end, or choose another output name", path, who);
    if (st == SIM_OK) {
        sim_error_t why;
        sim_error_clear(&why);
        st = fsync(fd) == 0 ? publish_move(skeleton_tmp, path, replace, &why)
                            : sim_fail(&why, SIM_EIO, "%s: cannot flush '%s' to disk: %s", path,
                                       skeleton_tmp, strerror(errno));
        if (st == SIM_EEXIST)
            st = sim_fail(err, SIM_EINVAL, "%s: appeared while this campaign started (another "
                          "campaign writing the same output?): continue it with --resume, or pass "
                          "--force to start again", path);
        else if (st != SIM_OK)
            sim_fail(err, st, "%s", why.msg);
    }
    if (st != SIM_OK) {
        if (fd >= 0)
            close(fd);
        unlink(skeleton_tmp);
        return st;
    }
    st = partial_open_locked(out, path, ex, 1, fd, err);
    if (st != SIM_OK)
        unlink(path);   /* ours, just made, with nothing in it */
    return st;
}

/* /manifest/done of runs [first, first + n) of point p: values. */
static int write_done(partial_t *pt, size_t p, size_t first, size_t n, const unsigned char *values)
{
    hsize_t one = n;
    hid_t m = H5Screate_simple(1, &one, NULL), f = H5Dget_space(pt->done_d);
    int rc = m >= 0 && f >= 0 && partial_select(pt, f, p, first, n) == 0
                     && H5Dwrite(pt->done_d, H5T_NATIVE_UCHAR, m, f, H5P_DEFAULT, values) >= 0 ? 0 : -1;
    if (m >= 0)
        H5Sclose(m);
    if (f >= 0)
        H5Sclose(f);
    return rc;
}

static int write_sums(partial_t *pt, size_t p, size_t first, size_t n, const uint64_t *sums)
{
    hsize_t one = n;
    hid_t m = H5Screate_simple(1, &one, NULL), f = H5Dget_space(pt->sum_d);
    int rc = m >= 0 && f >= 0 && partial_select(pt, f, p, first, n) == 0
                     && H5Dwrite(pt->sum_d, H5T_NATIVE_UINT64, m, f, H5P_DEFAULT, sums) >= 0 ? 0 : -1;
    if (m >= 0)
        H5Sclose(m);
    if (f >= 0)
        H5Sclose(f);
    return rc;
}

/* Flush HDF5's buffers and metadata, then (sync) the file's data to disk. */
static sim_status_t flush(partial_t *pt, int sync, sim_error_t *err)
{
    if (H5Fflush(pt->file, H5F_SCOPE_LOCAL) < 0)
        return h5out_fail(err, pt->path, "cannot flush the partial file");
    if (sync && pt->lock_fd >= 0 && fsync(pt->lock_fd) < 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot flush the partial file to disk: %s", pt->path,
                 strerror(errno));
    return SIM_OK;
}

/* Copy point p's chunk row at row0 of every metric from src, as stored. */
static sim_status_t copy_row(partial_t *pt, const h5out_t *src, size_t p, size_t row0, sim_error_t *err)
{
    size_t cols = (size_t)pt->chunk[1];
    for (size_t m = 0; m < pt->nmetrics; m++) {
        hid_t from = (hid_t)h5out_runs_dataset(src, m);
        for (size_t col = 0; col < pt->ntimes; col += cols) {
            hsize_t off3[3] = { p, row0, col }, *off = pt->points ? off3 : off3 + 1, size = 0;
            uint32_t mask = 0;
            if (H5Dget_chunk_storage_size(from, off, &size) < 0 || size == 0)
                return h5out_fail(err, pt->path, "cannot find the chunk at (%zu, %zu) of a metric in "
                                  "the result file", row0, col);
            if (size > pt->cbuf_size) {
                unsigned char *b = realloc(pt->cbuf, (size_t)size);
                if (!b)
                    SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", pt->path);
                pt->cbuf = b;
                pt->cbuf_size = (size_t)size;
            }
            if (H5Dread_chunk(from, H5P_DEFAULT, off, &mask, pt->cbuf) < 0
                || H5Dwrite_chunk(pt->dset[m], H5P_DEFAULT, mask, off, (size_t)size, pt->cbuf) < 0)
                return h5out_fail(err, pt->path, "cannot copy the chunk at (%zu, %zu) of a metric",
                                  row0, col);
        }
    }
    return SIM_OK;
}

/* What a commit does with a chunk row. */
enum { ROW_SKIP, ROW_NEW, ROW_REWRITE };

sim_status_t checkpoint_commit(partial_t *pt, const h5out_t *src, size_t point, size_t first,
                               size_t count, const unsigned char *have, const uint64_t *sums,
                               int final, sim_error_t *err)
{
    size_t rows = (size_t)pt->chunk[0], end = first + count;
    unsigned char *done = pt->done + point * pt->runs;
    size_t nrows = (end + rows - 1) / rows - first / rows;
    unsigned char *what = calloc(nrows ? nrows : 1, 1), *zeros = calloc(rows, 1);
    if (!what || !zeros) {
        free(what);
        free(zeros);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", pt->path);
    }
    int rewrite = 0, any = 0;
    for (size_t k = 0; k < nrows; k++) {
        size_t a = (first / rows + k) * rows, b = a + rows < pt->runs ? a + rows : pt->runs;
        if (a < first || b > end)
            continue;   /* a row src may not hold whole: never */
        size_t lacks = 0, held = 0, old = 0;
        for (size_t r = a; r < b; r++) {
            held += have[r - first] != 0;
            lacks += have[r - first] && !done[r];
            old += done[r];
        }
        if (lacks == 0 || (!final && held < b - a))
            continue;
        what[k] = old ? ROW_REWRITE : ROW_NEW;
        rewrite |= old != 0;
        any = 1;
    }
    sim_status_t st = SIM_OK;
    /* 1. rows rewritten: their runs are not done (on disk) while their chunks move */
    for (size_t k = 0; k < nrows && rewrite && st == SIM_OK; k++) {
        if (what[k] != ROW_REWRITE)
            continue;
        size_t a = (first / rows + k) * rows, b = a + rows < pt->runs ? a + rows : pt->runs;
        if (write_done(pt, point, a, b - a, zeros) < 0)
            st = h5out_fail(err, pt->path, "cannot write /manifest/done");
    }
    if (rewrite && st == SIM_OK)
        st = flush(pt, 1, err);
    /* 2. the chunks, flushed and on disk before the manifest says so */
    for (size_t k = 0; k < nrows && st == SIM_OK; k++)
        if (what[k] != ROW_SKIP)
            st = copy_row(pt, src, point, (first / rows + k) * rows, err);
    if (any && st == SIM_OK)
        st = flush(pt, 1, err);
    /* 3. checksums, then done */
    for (size_t k = 0; k < nrows && st == SIM_OK; k++) {
        if (what[k] == ROW_SKIP)
            continue;
        size_t a = (first / rows + k) * rows, b = a + rows < pt->runs ? a + rows : pt->runs;
        for (size_t r = a; r < b && st == SIM_OK;) {
            size_t s = r;   /* a stretch of runs new to the file */
            while (s < b && (!have[s - first] || done[s]))
                s++;
            size_t e = s;
            while (e < b && have[e - first] && !done[e])
                e++;
            if (e > s && write_sums(pt, point, s, e - s, sums + (s - first)) < 0)
                st = h5out_fail(err, pt->path, "cannot write /manifest/checksum");
            r = e > s ? e : b;
        }
        for (size_t r = a; r < b; r++) {
            pt->ndone += have[r - first] && !done[r];
            done[r] |= have[r - first];
        }
        if (st == SIM_OK && write_done(pt, point, a, b - a, done + a) < 0)
            st = h5out_fail(err, pt->path, "cannot write /manifest/done");
    }
    if (any && st == SIM_OK && set_u64(pt->manifest, "runs_done", (uint64_t)pt->ndone) < 0)
        st = h5out_fail(err, pt->path, "cannot write /manifest's runs_done");
    if (any && st == SIM_OK)
        st = flush(pt, 0, err);
    free(what);
    free(zeros);
    return st;
}

sim_status_t checkpoint_status(partial_t *pt, const char *status, sim_error_t *err)
{
    if (set_text(pt->manifest, "status", status) < 0)
        return h5out_fail(err, pt->path, "cannot write /manifest's status");
    return flush(pt, 1, err);
}

void checkpoint_remove(partial_t *pt)
{
    if (!pt)
        return;
    struct stat mine, named;
    int same = pt->lock_fd >= 0 && fstat(pt->lock_fd, &mine) == 0 && lstat(pt->path, &named) == 0
               && mine.st_dev == named.st_dev && mine.st_ino == named.st_ino;
    char *path = strdup(pt->path);
    partial_close(pt);
    if (same && path)
        unlink(path);
    free(path);
}
