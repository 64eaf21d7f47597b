/*
 * Shared by the tests of the HDF5 result file (tests/test_h5out*.c,
 * tests/test_summary_print.c): the small file (5 runs, 2 metrics, 4 times,
 * fixed values), its writer, readers of its attributes and vectors, and the
 * group's fresh mkdtemp() directory that the teardown removes.
 * SOURCE_DATE_EPOCH pins created_utc.
 */
#ifndef TESTS_H5OUT_FIXTURES_H
#define TESTS_H5OUT_FIXTURES_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "h5_tmpdir.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5out.h"

#define NRUNS 5
#define NMETRICS 2
#define NTIMES 4
#define SEED UINT64_C(0xDEADBEEFCAFEF00D)   /* above 2^63: seed must be unsigned */

static char dir[64];

static const double times[NTIMES] = { 0, 45, 90, 135 };

static const h5out_metric_t metrics[NMETRICS] = {
    { "supply_total", "AKT", "total AKT supply" },
    { "inflation", "1/yr", "annual inflation rate" },
};

static const h5out_param_t params[] = {
    { "mint.inflation_max", "1/yr", 0, 0.2, NULL },
    { "mint.model", "", 1, 0, "cosmos" },
};

/* The column of metric 0 at time index 1, by run index (out of order on purpose). */
static const double special[NRUNS] = { 2.385, 1.5, 4.25, 3.0, 0.75 };

/* Every other value is linear in the run: (r + 1) * 2.385 + offset(m, t). */
static inline double value(size_t r, size_t m, size_t t)
{
    if (m == 0 && t == 1)
        return special[r];
    return (double)(r + 1) * 2.385 + 1e6 * (double)(m == 0) + 0.5 * (double)t;
}

static inline double offset(size_t m, size_t t)
{
    return 1e6 * (double)(m == 0) + 0.5 * (double)t;
}

static inline void fill_block(double *data, size_t first, size_t count, size_t nmetrics, size_t ntimes)
{
    for (size_t i = 0; i < count; i++)
        for (size_t m = 0; m < nmetrics; m++)
            for (size_t t = 0; t < ntimes; t++)
                data[(i * nmetrics + m) * ntimes + t] = value(first + i, m, t);
}

static inline void make_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static inline h5out_spec_t small_spec(const char *path)
{
    h5out_spec_t s = {
        .path = path,
        .command = "run",
        .scenario_name = "test-scenario",
        .scenario_yaml = "name: test-scenario\nruns: 5\n",
        .start_date = "2024-03-01",
        .version = "0.1.0",
        .format_version = 1,
        .seed = SEED,
        .runs = NRUNS,
        .days = 135,
        .record_every_days = 45,
        .ntimes = NTIMES,
        .time = times,
        .metrics = metrics,
        .nmetrics = NMETRICS,
        .params = params,
        .nparams = sizeof params / sizeof params[0],
    };
    return s;
}

/* Names in dir starting with prefix. */
static inline int count_entries(const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static inline int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Write the small file: runs [3, 5) first, then [0, 3). */
static inline void write_small(const char *path)
{
    h5out_spec_t spec = small_spec(path);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_non_null(o);

    double data[NRUNS * NMETRICS * NTIMES];
    fill_block(data, 3, 2, NMETRICS, NTIMES);
    assert_int_equal(h5out_write_runs(o, 3, 2, data, &err), SIM_OK);
    fill_block(data, 0, 3, NMETRICS, NTIMES);
    assert_int_equal(h5out_write_runs(o, 0, 3, data, &err), SIM_OK);

    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    assert_true(exists(tmp));
    assert_false(exists(path));
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    assert_false(exists(tmp));
    assert_true(exists(path));
}

/* --- reading helpers --------------------------------------------------- */

static inline void read_str(hid_t loc, const char *obj, const char *name, char *buf, size_t size)
{
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t ft = H5Aget_type(a);
    assert_true(H5Tis_variable_str(ft) > 0);
    assert_int_equal(H5Tget_cset(ft), H5T_CSET_UTF8);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5T_CSET_UTF8);
    char *v = NULL;
    assert_true(H5Aread(a, mt, &v) >= 0);
    snprintf(buf, size, "%s", v);
    H5free_memory(v);
    H5Tclose(mt);
    H5Tclose(ft);
    H5Aclose(a);
}

static inline void assert_str_attr(hid_t loc, const char *obj, const char *name, const char *want)
{
    char buf[512];
    read_str(loc, obj, name, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static inline void read_vec(hid_t file, const char *obj, double *x, size_t n)
{
    hid_t d = H5Dopen2(file, obj, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t s = H5Dget_space(d);
    hsize_t dim = 0;
    assert_int_equal(H5Sget_simple_extent_ndims(s), 1);
    H5Sget_simple_extent_dims(s, &dim, NULL);
    assert_int_equal(dim, n);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
    H5Sclose(s);
    H5Dclose(d);
}

/* A small file's writer with every run written, ready to finish. */
static inline h5out_t *ready(const char *path, int replace)
{
    h5out_spec_t spec = small_spec(path);
    spec.replace = replace;
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    double data[NRUNS * NMETRICS * NTIMES];
    fill_block(data, 0, NRUNS, NMETRICS, NTIMES);
    assert_int_equal(h5out_write_runs(o, 0, NRUNS, data, &err), SIM_OK);
    return o;
}

/* --- setup ------------------------------------------------------------------ */

static inline int group_setup(void **state)
{
    (void)state;
    return tmpdir_make(dir, sizeof dir, "test_h5out");
}

static inline int group_teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

#endif
