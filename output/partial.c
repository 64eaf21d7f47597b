/* Reading back a partial file and checking it; see partial.h. */
#include "partial.h"
#include "partial_impl.h"
#include "publish.h"
#include "h5util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A scalar string dataset's text (malloc'd), or NULL. */
static char *read_text(hid_t d)
{
    char *v = NULL, *copy = NULL;
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0
        && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0 && v) {
        copy = strdup(v);
        H5free_memory(v);
    }
    if (t >= 0)
        H5Tclose(t);
    return copy;
}

/* A root string attribute (malloc'd), or NULL. */
static char *root_attr_text(hid_t file, const char *name)
{
    char *s = NULL;
    return h5util_read_strings(file, "/", name, &s, 1) == 1 ? s : NULL;
}

/* Name the first line where two texts differ (for "made by another scenario"). */
static void first_difference(const char *a, const char *b, char *buf, size_t size)
{
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    int na = (int)strcspn(la, "\n"), nb = (int)strcspn(lb, "\n");
    snprintf(buf, size, "line %d of the resolved scenario is '%.*s' in the file but '%.*s' now", line,
             na > 80 ? 80 : na, la, nb > 80 ? 80 : nb, lb);
}

static sim_status_t check_scenario(partial_t *pt, const partial_expect_t *ex, sim_error_t *err)
{
    char *version = root_attr_text(pt->file, "tokensim_version");
    int same_version = version && strcmp(version, ex->version) == 0;
    sim_status_t st = SIM_OK;
    if (!same_version)
        st = sim_fail(err, SIM_EINVAL, "%s: written by tokensim %s, this is %s: a resumed file must "
                      "come from one version; start again with --force", pt->path,
                      version ? version : "(unknown)", ex->version);
    free(version);
    if (st != SIM_OK)
        return st;
    hid_t d = H5Dopen2(pt->file, "scenario", H5P_DEFAULT);
    char *yaml = d >= 0 ? read_text(d) : NULL;
    if (d >= 0)
        H5Dclose(d);
    if (!yaml)
        SIM_FAIL(err, SIM_EINVAL, "%s: no /scenario: not a tokensim partial file", pt->path);
    if (strcmp(yaml, ex->scenario_yaml) != 0) {
        char diff[256];
        first_difference(yaml, ex->scenario_yaml, diff, sizeof diff);
        st = sim_fail(err, SIM_EINVAL, "%s: made by a different scenario or options (%s); resume "
                      "with the same scenario file, -n, --days, --seed and --set as the interrupted "
                      "campaign, or start again with --force", pt->path, diff);
    }
    free(yaml);
    return st;
}

static sim_status_t open_runs(partial_t *pt, const partial_expect_t *ex, sim_error_t *err)
{
    for (size_t m = 0; m < pt->nmetrics; m++) {
        char name[256];
        snprintf(name, sizeof name, "runs/%s", ex->metrics[m].name);
        pt->dset[m] = H5Dopen2(pt->file, name, H5P_DEFAULT);
        if (pt->dset[m] < 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: no dataset /%s: not a partial file of this campaign",
                     pt->path, name);
        hid_t s = H5Dget_space(pt->dset[m]);
        hsize_t dims[3] = { 0, 0, 0 };
        int rank = s >= 0 ? H5Sget_simple_extent_dims(s, dims, NULL) : -1;
        if (s >= 0)
            H5Sclose(s);
        int ok = pt->points ? rank == 3 && dims[0] == pt->npoints && dims[1] == pt->runs
                                  && dims[2] == pt->ntimes
                            : rank == 2 && dims[0] == pt->runs && dims[1] == pt->ntimes;
        if (!ok)
            SIM_FAIL(err, SIM_EINVAL, "%s: /%s does not have the campaign's shape", pt->path, name);
        /* the chunks, which checkpoints copy whole from the result file */
        hid_t dcpl = H5Dget_create_plist(pt->dset[m]);
        hsize_t c[3] = { 0, 0, 0 };
        int crank = dcpl >= 0 ? H5Pget_chunk(dcpl, 3, c) : -1;
        if (dcpl >= 0)
            H5Pclose(dcpl);
        hsize_t rows = c[pt->points ? 1 : 0], cols = c[pt->points ? 2 : 1];
        if (crank != rank || rows == 0 || cols == 0 || (m > 0 && (rows != pt->chunk[0] || cols != pt->chunk[1])))
            SIM_FAIL(err, SIM_EINVAL, "%s: /%s is not chunked as the campaign's files are", pt->path, name);
        pt->chunk[0] = rows;
        pt->chunk[1] = cols;
    }
    return SIM_OK;
}

int partial_select(const partial_t *pt, hid_t space, size_t p, size_t first, size_t count)
{
    hsize_t start[2] = { p, first }, n[2] = { 1, count };
    return H5Sselect_hyperslab(space, H5S_SELECT_SET, pt->points ? start : start + 1, NULL,
                               pt->points ? n : n + 1, NULL) < 0 ? -1 : 0;
}

/* /manifest/<name>, with one entry a run of every point. */
static sim_status_t open_manifest_set(partial_t *pt, const char *name, hid_t *d, sim_error_t *err)
{
    size_t total = pt->npoints * pt->runs;
    *d = H5Dopen2(pt->manifest, name, H5P_DEFAULT);
    if (*d < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no /manifest/%s: not the partial file of a campaign of "
                 "this tokensim", pt->path, name);
    hid_t s = H5Dget_space(*d);
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0)
        H5Sclose(s);
    if (n < 0 || (size_t)n != total)
        SIM_FAIL(err, SIM_EINVAL, "%s: /manifest/%s has %lld entries, the campaign %zu", pt->path,
                 name, (long long)n, total);
    return SIM_OK;
}

static sim_status_t read_manifest(partial_t *pt, sim_error_t *err)
{
    size_t total = pt->npoints * pt->runs;
    pt->manifest = H5Gopen2(pt->file, "manifest", H5P_DEFAULT);
    if (pt->manifest < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no /manifest: not the partial file of a campaign", pt->path);
    sim_status_t st = open_manifest_set(pt, "done", &pt->done_d, err);
    if (st == SIM_OK)
        st = open_manifest_set(pt, "checksum", &pt->sum_d, err);
    if (st == SIM_OK && H5Dread(pt->done_d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, pt->done) < 0)
        st = h5out_fail(err, pt->path, "cannot read /manifest/done");
    for (size_t i = 0; i < total && st == SIM_OK; i++) {
        pt->done[i] = pt->done[i] != 0;
        pt->ndone += pt->done[i];
    }
    return st;
}

/* --- checksums ------------------------------------------------------- */

#define SUM_SEED UINT64_C(0x9E3779B97F4A7C15)

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* One value into the running hash h (xxHash64's round, on the value's bits). */
static inline uint64_t sum_step(uint64_t h, double v, int float32)
{
    if (float32)
        v = (double)(float)v;   /* what the file stores, read back */
    uint64_t bits = UINT64_C(0x7FF8000000000000);
    if (!isnan(v))
        memcpy(&bits, &v, sizeof bits);
    h ^= rotl64(bits * UINT64_C(0xC2B2AE3D27D4EB4F), 31) * UINT64_C(0x9E3779B185EBCA87);
    return rotl64(h, 27) * UINT64_C(0x9E3779B185EBCA87) + UINT64_C(0x85EBCA77C2B2AE63);
}

static inline uint64_t sum_final(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    return h;
}

uint64_t partial_checksum(const double *values, size_t n, int float32)
{
    uint64_t h = SUM_SEED;
    for (size_t i = 0; i < n; i++)
        h = sum_step(h, values[i], float32);
    return sum_final(h);
}

/* The manifest's word against the data: every run marked done is read back,
 * a chunk row of one metric at a time (each chunk decompressed once), and its
 * checksum recomputed. The first run that disagrees is named. */
static sim_status_t verify(partial_t *pt, sim_error_t *err)
{
    size_t rows = (size_t)pt->chunk[0];
    double *slab = malloc(rows * pt->ntimes * sizeof *slab);
    uint64_t *h = malloc(rows * sizeof *h), *want = malloc(rows * sizeof *want);
    hsize_t mdims[2] = { rows, pt->ntimes };
    hid_t mspace = H5Screate_simple(2, mdims, NULL), sspace = H5Dget_space(pt->sum_d);
    sim_status_t st = SIM_OK;
    if (!slab || !h || !want)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory checking the finished runs", pt->path);
    else if (mspace < 0 || sspace < 0)
        st = h5out_fail(err, pt->path, "cannot create a dataspace");
    for (size_t p = 0; p < pt->npoints && st == SIM_OK; p++)
        for (size_t first = 0; first < pt->runs && st == SIM_OK; first += rows) {
            size_t count = pt->runs - first < rows ? pt->runs - first : rows, any = 0;
            for (size_t i = 0; i < count; i++)
                any += pt->done[p * pt->runs + first + i];
            if (!any)
                continue;
            hsize_t one = count;
            hid_t s1 = H5Screate_simple(1, &one, NULL);
            if (s1 < 0 || partial_select(pt, sspace, p, first, count) < 0
                || H5Dread(pt->sum_d, H5T_NATIVE_UINT64, s1, sspace, H5P_DEFAULT, want) < 0)
                st = h5out_fail(err, pt->path, "cannot read /manifest/checksum");
            if (s1 >= 0)
                H5Sclose(s1);
            for (size_t i = 0; i < count; i++)
                h[i] = SUM_SEED;
            hsize_t mstart[2] = { 0, 0 }, mcount[2] = { count, pt->ntimes };
            hsize_t f3[3] = { p, first, 0 }, c3[3] = { 1, count, pt->ntimes };
            for (size_t m = 0; m < pt->nmetrics && st == SIM_OK; m++) {
                hid_t fspace = H5Dget_space(pt->dset[m]);
                if (fspace < 0 || H5Sselect_hyperslab(mspace, H5S_SELECT_SET, mstart, NULL, mcount, NULL) < 0
                    || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, pt->points ? f3 : f3 + 1, NULL,
                                           pt->points ? c3 : c3 + 1, NULL) < 0
                    || H5Dread(pt->dset[m], H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, slab) < 0)
                    st = h5out_fail(err, pt->path, "cannot read runs [%zu, %zu) of a metric", first,
                                    first + count);
                if (fspace >= 0)
                    H5Sclose(fspace);
                for (size_t i = 0; i < count && st == SIM_OK; i++)
                    for (size_t t = 0; t < pt->ntimes; t++)
                        h[i] = sum_step(h[i], slab[i * pt->ntimes + t], 0);   /* as stored already */
            }
            for (size_t i = 0; i < count && st == SIM_OK; i++) {
                if (!pt->done[p * pt->runs + first + i] || sum_final(h[i]) == want[i])
                    continue;
                char where[64] = "";
                if (pt->points)
                    snprintf(where, sizeof where, "point %zu, ", p);
                st = sim_fail(err, SIM_EINVAL, "%s: %srun %zu is marked done in /manifest/done, but "
                              "its rows in /runs do not match its checksum in /manifest/checksum: the "
                              "file is damaged or was edited; start again with --force", pt->path,
                              where, first + i);
            }
        }
    if (mspace >= 0)
        H5Sclose(mspace);
    if (sspace >= 0)
        H5Sclose(sspace);
    free(slab);
    free(h);
    free(want);
    return st;
}

/* --- open ------------------------------------------------------------- */

/* Checkpoints: the metadata HDF5 changes stays in memory until a checkpoint
 * flushes it (no eviction writes half of a change), and the manifest's small
 * writes go to the file in the order they are made (no sieve buffer). */
static sim_status_t writable_access(hid_t fapl, sim_error_t *err, const char *path)
{
    if (H5Pset_sieve_buf_size(fapl, 0) < 0)
        return h5out_fail(err, path, "cannot set up file access");
    return SIM_OK;
}

static sim_status_t hold_metadata(partial_t *pt, sim_error_t *err)
{
    H5AC_cache_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    if (H5Fget_mdc_config(pt->file, &cfg) < 0)
        return h5out_fail(err, pt->path, "cannot read the metadata cache configuration");
    cfg.evictions_enabled = 0;
    cfg.incr_mode = H5C_incr__off;
    cfg.flash_incr_mode = H5C_flash_incr__off;
    cfg.decr_mode = H5C_decr__off;
    if (H5Fset_mdc_config(pt->file, &cfg) < 0)
        return h5out_fail(err, pt->path, "cannot configure the metadata cache");
    return SIM_OK;
}

sim_status_t partial_open_locked(partial_t **out, const char *path, const partial_expect_t *ex,
                                int writable, int lock_fd, sim_error_t *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    partial_t *pt = calloc(1, sizeof *pt);
    if (!pt) {
        if (lock_fd >= 0)
            close(lock_fd);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    pt->file = pt->done_d = pt->sum_d = pt->manifest = H5I_INVALID_HID;
    pt->lock_fd = lock_fd;
    pt->writable = writable;
    pt->points = ex->npoints > 1;
    pt->npoints = pt->points ? ex->npoints : 1;
    pt->runs = ex->runs;
    pt->ntimes = ex->ntimes;
    pt->nmetrics = ex->nmetrics;
    pt->float32 = ex->float32;
    pt->path = malloc(strlen(path) + 1);
    pt->dset = malloc((ex->nmetrics ? ex->nmetrics : 1) * sizeof *pt->dset);
    pt->done = calloc(pt->npoints * pt->runs + 1, 1);
    sim_status_t st = SIM_OK;
    if (!pt->path || !pt->dset || !pt->done)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
    if (st == SIM_OK) {
        strcpy(pt->path, path);
        for (size_t m = 0; m < pt->nmetrics; m++)
            pt->dset[m] = H5I_INVALID_HID;
    }
    if (st == SIM_OK && writable && pt->lock_fd < 0) {
        /* before HDF5 opens it: tokensim's lock names this process to others */
        pt->lock_fd = open(path, O_RDWR);
        if (pt->lock_fd < 0)
            st = sim_fail(err, SIM_EIO, "%s: cannot open the partial file: %s", path, strerror(errno));
        else if (publish_lock(pt->lock_fd) < 0 && (errno == EAGAIN || errno == EACCES))
            st = sim_fail(err, SIM_EINVAL, "%s: a running campaign holds it; wait for it to end", path);
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (st == SIM_OK && (fapl < 0 || (writable && writable_access(fapl, err, path) != SIM_OK)))
        st = err->code != SIM_OK ? err->code : h5out_fail(err, path, "cannot set up file access");
    if (st == SIM_OK) {
        pt->file = H5Fopen(path, writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
        if (pt->file < 0)
            st = h5out_fail(err, path, "cannot open the partial file");
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    if (st == SIM_OK)
        st = check_scenario(pt, ex, err);
    if (st == SIM_OK)
        st = open_runs(pt, ex, err);
    if (st == SIM_OK)
        st = read_manifest(pt, err);
    if (st == SIM_OK)
        st = verify(pt, err);
    if (st == SIM_OK && writable)
        st = hold_metadata(pt, err);
    if (st != SIM_OK) {
        partial_close(pt);
        return st;
    }
    *out = pt;
    return SIM_OK;
}

sim_status_t partial_open(partial_t **out, const char *path, const partial_expect_t *ex,
                          int writable, sim_error_t *err)
{
    return partial_open_locked(out, path, ex, writable, -1, err);
}

size_t partial_runs_done(const partial_t *pt)
{
    return pt ? pt->ndone : 0;
}

int partial_done(const partial_t *pt, size_t point, size_t run)
{
    return pt && point < pt->npoints && run < pt->runs && pt->done[point * pt->runs + run];
}

sim_status_t partial_read(partial_t *pt, size_t point, size_t first, size_t count, double *data,
                          sim_error_t *err)
{
    if (count == 0)
        return SIM_OK;
    hsize_t mdims[3] = { count, pt->nmetrics, pt->ntimes };
    hid_t mspace = H5Screate_simple(3, mdims, NULL);
    if (mspace < 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot create a dataspace", pt->path);
    sim_status_t st = SIM_OK;
    for (size_t m = 0; m < pt->nmetrics && st == SIM_OK; m++) {
        hsize_t mstart[3] = { 0, m, 0 }, mcount[3] = { count, 1, pt->ntimes };
        hsize_t f3[3] = { point, first, 0 }, c3[3] = { 1, count, pt->ntimes };
        hid_t fspace = H5Dget_space(pt->dset[m]);
        if (fspace < 0 || H5Sselect_hyperslab(mspace, H5S_SELECT_SET, mstart, NULL, mcount, NULL) < 0
            || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, pt->points ? f3 : f3 + 1, NULL,
                                   pt->points ? c3 : c3 + 1, NULL) < 0
            || H5Dread(pt->dset[m], H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, data) < 0)
            st = h5out_fail(err, pt->path, "cannot read runs [%zu, %zu) of a metric", first,
                            first + count);
        if (fspace >= 0)
            H5Sclose(fspace);
    }
    H5Sclose(mspace);
    return st;
}

void partial_close(partial_t *pt)
{
    if (!pt)
        return;
    for (size_t m = 0; pt->dset && m < pt->nmetrics; m++)
        if (pt->dset[m] >= 0)
            H5Dclose(pt->dset[m]);
    if (pt->done_d >= 0)
        H5Dclose(pt->done_d);
    if (pt->sum_d >= 0)
        H5Dclose(pt->sum_d);
    if (pt->manifest >= 0)
        H5Gclose(pt->manifest);
    if (pt->file >= 0)
        H5Fclose(pt->file);
    if (pt->lock_fd >= 0)
        close(pt->lock_fd);   /* after HDF5's: closing any of the file's descriptors drops the lock */
    free(pt->dset);
    free(pt->done);
    free(pt->path);
    free(pt->cbuf);
    free(pt);
}
