/* Reading back a partial file; see partial.h. */
#include "partial.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

struct partial {
    char *path;
    hid_t file;
    hid_t *dset;                /* [nmetrics] /runs/<metric> */
    size_t nmetrics, npoints, runs, ntimes;
    int points;
    unsigned char *done;        /* [npoints * runs] */
    size_t ndone;
};

/* A scalar string attribute or dataset's text (malloc'd), or NULL. */
static char *read_text(hid_t obj, int is_attr)
{
    char *v = NULL, *copy = NULL;
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0
        && (is_attr ? H5Aread(obj, t, &v) : H5Dread(obj, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v)) >= 0
        && v) {
        copy = malloc(strlen(v) + 1);
        if (copy)
            strcpy(copy, v);
        H5free_memory(v);
    }
    if (t >= 0)
        H5Tclose(t);
    return copy;
}

static char *root_attr_text(hid_t file, const char *name)
{
    if (H5Aexists(file, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(file, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    char *s = read_text(a, 1);
    H5Aclose(a);
    return s;
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
    char *yaml = d >= 0 ? read_text(d, 0) : NULL;
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
    }
    return SIM_OK;
}

static sim_status_t read_manifest(partial_t *pt, sim_error_t *err)
{
    size_t total = pt->npoints * pt->runs;
    hid_t d = H5Dopen2(pt->file, "manifest/done", H5P_DEFAULT);
    if (d < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no /manifest/done: not a partial file of an interrupted "
                 "campaign", pt->path);
    hid_t s = H5Dget_space(d);
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    if (s >= 0)
        H5Sclose(s);
    sim_status_t st = SIM_OK;
    if (n < 0 || (size_t)n != total)
        st = sim_fail(err, SIM_EINVAL, "%s: /manifest/done has %lld entries, the campaign %zu",
                      pt->path, (long long)n, total);
    if (st == SIM_OK && H5Dread(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, pt->done) < 0)
        st = sim_fail(err, SIM_EIO, "%s: cannot read /manifest/done", pt->path);
    H5Dclose(d);
    for (size_t i = 0; i < total && st == SIM_OK; i++)
        pt->ndone += pt->done[i] != 0;
    return st;
}

sim_status_t partial_open(partial_t **out, const char *path, const partial_expect_t *ex,
                          sim_error_t *err)
{
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    partial_t *pt = calloc(1, sizeof *pt);
    if (!pt)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    pt->file = H5I_INVALID_HID;
    pt->points = ex->npoints > 1;
    pt->npoints = pt->points ? ex->npoints : 1;
    pt->runs = ex->runs;
    pt->ntimes = ex->ntimes;
    pt->nmetrics = ex->nmetrics;
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
        pt->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (pt->file < 0)
            st = h5out_fail(err, path, "cannot open the partial file");
    }
    if (st == SIM_OK)
        st = check_scenario(pt, ex, err);
    if (st == SIM_OK)
        st = open_runs(pt, ex, err);
    if (st == SIM_OK)
        st = read_manifest(pt, err);
    if (st != SIM_OK) {
        partial_close(pt);
        return st;
    }
    *out = pt;
    return SIM_OK;
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
    if (pt->file >= 0)
        H5Fclose(pt->file);
    free(pt->dset);
    free(pt->done);
    free(pt->path);
    free(pt);
}
