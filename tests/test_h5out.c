/*
 * Tests for the HDF5 result file (output/h5out.c), its /summary statistics
 * (output/stats.c) and `tokensim summary` (output/summary.c). Files go to a
 * fresh mkdtemp() directory that the group teardown removes. Deterministic:
 * fixed data, no clock (SOURCE_DATE_EPOCH pins created_utc).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5out.h"
#include "stats.h"
#include "summary.h"

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
static double value(size_t r, size_t m, size_t t)
{
    if (m == 0 && t == 1)
        return special[r];
    return (double)(r + 1) * 2.385 + 1e6 * (double)(m == 0) + 0.5 * (double)t;
}

static double offset(size_t m, size_t t)
{
    return 1e6 * (double)(m == 0) + 0.5 * (double)t;
}

static void fill_block(double *data, size_t first, size_t count, size_t nmetrics, size_t ntimes)
{
    for (size_t i = 0; i < count; i++)
        for (size_t m = 0; m < nmetrics; m++)
            for (size_t t = 0; t < ntimes; t++)
                data[(i * nmetrics + m) * ntimes + t] = value(first + i, m, t);
}

static void make_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static h5out_spec_t small_spec(const char *path)
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
static int count_entries(const char *prefix)
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

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Write the small file: runs [3, 5) first, then [0, 3). */
static void write_small(const char *path)
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

static void read_str(hid_t loc, const char *obj, const char *name, char *buf, size_t size)
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

static void assert_str_attr(hid_t loc, const char *obj, const char *name, const char *want)
{
    char buf[512];
    read_str(loc, obj, name, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void read_vec(hid_t file, const char *obj, double *x, size_t n)
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

/* --- tests: stats -------------------------------------------------------- */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return *s >> 33;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_stats_sort(void **state)
{
    (void)state;
    /* Sizes around the insertion-sort cut-off, few distinct values, sorted input. */
    static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 100, 1000, 4097 };
    uint64_t s = 42;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int kind = 0; kind < 4; kind++) {
            size_t n = sizes[k];
            double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
            assert_non_null(x);
            assert_non_null(y);
            for (size_t i = 0; i < n; i++) {
                uint64_t v = lcg(&s);
                x[i] = kind == 0 ? (double)v / 7.0 - 1e8
                       : kind == 1 ? (double)(v % 3)
                       : kind == 2 ? (double)i
                                   : (double)(n - i);
                y[i] = x[i];
            }
            assert_int_equal(stats_sort(x, n), n);
            qsort(y, n, sizeof *y, cmp_double);
            if (n > 0)
                assert_memory_equal(x, y, n * sizeof *x);
            free(x);
            free(y);
        }
}

static void test_stats_nan(void **state)
{
    (void)state;
    double x[5] = { 3.0, NAN, 1.5, NAN, 2.385 };
    assert_int_equal(stats_sort(x, 5), 3);
    assert_true(x[0] == 1.5 && x[1] == 2.385 && x[2] == 3.0);
    assert_true(isnan(x[3]) && isnan(x[4]));
    double y[3] = { 1.0, NAN, 2.0 }, out[STATS_N];
    stats_summarise(y, 3, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(isnan(out[k]));
}

static void test_stats_values(void **state)
{
    (void)state;
    double x[NRUNS];
    memcpy(x, special, sizeof x);
    double out[STATS_N];
    stats_summarise(x, NRUNS, out);
    /* sorted: 0.75 1.5 2.385 3.0 4.25; sum 11.885, mean 2.377;
     * squared deviations 2.647129 + 0.769129 + 0.000064 + 0.388129 + 3.508129
     * = 7.31258, / (n - 1) = 1.828145; quantile h = 4p:
     * p05 h=0.2: 0.75 + 0.2 * 0.75 = 0.9; p25 h=1: 1.5; p50 h=2: 2.385;
     * p75 h=3: 3.0; p95 h=3.8: 3.0 + 0.8 * 1.25 = 4.0 */
    assert_close(out[STATS_MEAN], 2.377, 1e-14, 0);
    assert_close(out[STATS_SD], sqrt(1.828145), 1e-14, 0);
    assert_close(out[STATS_P05], 0.9, 1e-14, 0);
    assert_close(out[STATS_P25], 1.5, 0, 0);
    assert_close(out[STATS_P50], 2.385, 0, 0);
    assert_close(out[STATS_P75], 3.0, 0, 0);
    assert_close(out[STATS_P95], 4.0, 1e-14, 0);

    double one = 2.385;
    stats_summarise(&one, 1, out);
    assert_close(out[STATS_SD], 0, 0, 0);
    for (int k = STATS_P05; k < STATS_N; k++)
        assert_close(out[k], 2.385, 0, 0);
}

/* --- tests: the file ------------------------------------------------------ */

static void test_roundtrip(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "small.h5");
    write_small(path);
    assert_int_equal(count_entries("small.h5"), 1);   /* no temporary left */

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);

    /* root attributes */
    assert_str_attr(f, "/", "format", "tokensim");
    assert_str_attr(f, "/", "command", "run");
    assert_str_attr(f, "/", "scenario_name", "test-scenario");
    assert_str_attr(f, "/", "start_date", "2024-03-01");
    assert_str_attr(f, "/", "created_utc", "2026-11-25T13:00:00Z");
    uint64_t u = 0;
    int64_t i64 = 0;
    int iv = 0;
    hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
    hid_t at = H5Aget_type(a);
    assert_int_equal(H5Tget_sign(at), H5T_SGN_NONE);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &u) >= 0);
    assert_true(u == SEED);
    H5Tclose(at);
    H5Aclose(a);
    a = H5Aopen(f, "runs", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &u) >= 0);
    assert_int_equal(u, NRUNS);
    H5Aclose(a);
    a = H5Aopen(f, "record_every_days", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_INT64, &i64) >= 0);
    assert_int_equal(i64, 45);
    H5Aclose(a);
    a = H5Aopen(f, "format_version", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_INT, &iv) >= 0);
    assert_int_equal(iv, 1);
    H5Aclose(a);

    /* /scenario */
    hid_t d = H5Dopen2(f, "scenario", H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, H5T_VARIABLE);
    H5Tset_cset(st, H5T_CSET_UTF8);
    char *yaml = NULL;
    assert_true(H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &yaml) >= 0);
    assert_string_equal(yaml, "name: test-scenario\nruns: 5\n");
    H5free_memory(yaml);
    H5Tclose(st);
    H5Dclose(d);

    /* /params: value and "units:<name>" */
    double pv = 0;
    a = H5Aopen_by_name(f, "params", "mint.inflation_max", H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &pv) >= 0);
    assert_true(pv == 0.2);
    H5Aclose(a);
    assert_str_attr(f, "params", "units:mint.inflation_max", "1/yr");
    assert_str_attr(f, "params", "mint.model", "cosmos");
    assert_str_attr(f, "params", "units:mint.model", "");

    /* /time: values, units, a dimension scale attached to the runs and summaries */
    double t[NTIMES];
    read_vec(f, "time", t, NTIMES);
    assert_memory_equal(t, times, sizeof t);
    assert_str_attr(f, "time", "units", "days");
    hid_t td = H5Dopen2(f, "time", H5P_DEFAULT);
    assert_true(H5DSis_scale(td) > 0);

    /* /runs: shape, filters, attributes, values bit for bit */
    for (size_t m = 0; m < NMETRICS; m++) {
        char obj[100];
        snprintf(obj, sizeof obj, "/runs/%s", metrics[m].name);
        d = H5Dopen2(f, obj, H5P_DEFAULT);
        assert_true(d >= 0);
        hid_t sp = H5Dget_space(d);
        hsize_t dims[2];
        assert_int_equal(H5Sget_simple_extent_ndims(sp), 2);
        H5Sget_simple_extent_dims(sp, dims, NULL);
        assert_int_equal(dims[0], NRUNS);
        assert_int_equal(dims[1], NTIMES);
        hid_t dcpl = H5Dget_create_plist(d);
        assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
        assert_int_equal(H5Pget_nfilters(dcpl), 2);   /* shuffle, deflate */
        H5Pclose(dcpl);
        assert_true(H5DSis_attached(d, td, 1) > 0);
        assert_str_attr(f, obj, "units", metrics[m].unit);
        assert_str_attr(f, obj, "description", metrics[m].description);
        double got[NRUNS][NTIMES], want[NRUNS][NTIMES];
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
        for (size_t r = 0; r < NRUNS; r++)
            for (size_t k = 0; k < NTIMES; k++)
                want[r][k] = value(r, m, k);
        assert_memory_equal(got, want, sizeof got);
        H5Sclose(sp);
        H5Dclose(d);
    }

    /* /summary: the special column by hand (see test_stats_values), the rest
     * linear: values c + 2.385 k, k = 1..5, so mean c + 3 * 2.385,
     * sd 2.385 * sqrt(2.5), p05 c + 1.2 * 2.385, p50 c + 3 * 2.385, p95 c + 4.8 * 2.385. */
    for (size_t m = 0; m < NMETRICS; m++) {
        double v[STATS_N][NTIMES];
        for (int k = 0; k < STATS_N; k++) {
            char obj[100];
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m].name, stats_name[k]);
            read_vec(f, obj, v[k], NTIMES);
            assert_str_attr(f, obj, "units", metrics[m].unit);
            d = H5Dopen2(f, obj, H5P_DEFAULT);
            assert_true(H5DSis_attached(d, td, 0) > 0);
            H5Dclose(d);
        }
        for (size_t k = 0; k < NTIMES; k++) {
            if (m == 0 && k == 1) {
                assert_close(v[STATS_MEAN][k], 2.377, 1e-14, 0);
                assert_close(v[STATS_SD][k], sqrt(1.828145), 1e-14, 0);
                assert_close(v[STATS_P05][k], 0.9, 1e-14, 0);
                assert_close(v[STATS_P25][k], 1.5, 0, 0);
                assert_close(v[STATS_P50][k], 2.385, 0, 0);
                assert_close(v[STATS_P75][k], 3.0, 0, 0);
                assert_close(v[STATS_P95][k], 4.0, 1e-14, 0);
                continue;
            }
            double c = offset(m, k);
            assert_close(v[STATS_MEAN][k], c + 3 * 2.385, 1e-14, 0);
            /* values near 1e6 are stored to ~1.2e-10 (an ulp), not exactly */
            assert_close(v[STATS_SD][k], 2.385 * sqrt(2.5), 1e-13, 1e-9);
            assert_close(v[STATS_P05][k], c + 1.2 * 2.385, 1e-14, 0);
            assert_close(v[STATS_P25][k], c + 2 * 2.385, 1e-14, 0);
            assert_close(v[STATS_P50][k], c + 3 * 2.385, 1e-14, 0);
            assert_close(v[STATS_P75][k], c + 4 * 2.385, 1e-14, 0);
            assert_close(v[STATS_P95][k], c + 4.8 * 2.385, 1e-14, 0);
        }
    }
    assert_str_attr(f, "/summary/inflation/p05", "description",
                    "5th percentile across runs of annual inflation rate");
    H5Dclose(td);
    H5Fclose(f);
}

/* The order in which blocks arrive must not change a single byte of /summary. */
static void test_order_independent(void **state)
{
    (void)state;
    char p1[200], p2[200];
    make_path(p1, sizeof p1, "order1.h5");
    make_path(p2, sizeof p2, "order2.h5");
    write_small(p1);
    h5out_spec_t spec = small_spec(p2);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NMETRICS * NTIMES];
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    for (size_t r = NRUNS; r-- > 0;) {
        fill_block(data, r, 1, NMETRICS, NTIMES);
        assert_int_equal(h5out_write_runs(o, r, 1, data, &err), SIM_OK);
    }
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    hid_t f1 = H5Fopen(p1, H5F_ACC_RDONLY, H5P_DEFAULT), f2 = H5Fopen(p2, H5F_ACC_RDONLY, H5P_DEFAULT);
    for (size_t m = 0; m < NMETRICS; m++)
        for (int k = 0; k < STATS_N; k++) {
            char obj[100];
            double a[NTIMES], b[NTIMES];
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m].name, stats_name[k]);
            read_vec(f1, obj, a, NTIMES);
            read_vec(f2, obj, b, NTIMES);
            assert_memory_equal(a, b, sizeof a);
        }
    H5Fclose(f1);
    H5Fclose(f2);
}

/* A larger file: several summary blocks, the last one partial. With more than
 * 16k runs the block is narrower than a chunk (power-of-two blocks + cache);
 * with 4097 runs it is whole chunk columns. Each column is a permutation of
 * 0 .. runs-1 plus t / 8, so the type-7 quantiles are exactly p (runs - 1) + t / 8. */
static void check_large(size_t runs, size_t ntimes, const char *name)
{
    char path[200];
    make_path(path, sizeof path, name);
    double *time = malloc(ntimes * sizeof *time);
    assert_non_null(time);
    for (size_t t = 0; t < ntimes; t++)
        time[t] = (double)t;
    h5out_metric_t met = { "price_usd", "USD", "AKT price" };
    h5out_spec_t spec = small_spec(path);
    spec.runs = runs;
    spec.ntimes = ntimes;
    spec.time = time;
    spec.metrics = &met;
    spec.nmetrics = 1;
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    size_t block = 1000;
    double *data = malloc(block * ntimes * sizeof *data);
    assert_non_null(data);
    /* 7919 is prime and does not divide runs: r -> 7919 r mod runs permutes. */
    for (size_t first = 0; first < runs; first += block) {
        size_t count = runs - first < block ? runs - first : block;
        for (size_t i = 0; i < count; i++)
            for (size_t t = 0; t < ntimes; t++)
                data[i * ntimes + t] = (double)(((first + i) * 7919 + t) % runs) + (double)t / 8;
        assert_int_equal(h5out_write_runs(o, first, count, data, &err), SIM_OK);
    }
    assert_int_equal(h5out_finish(o, &err), SIM_OK);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    double *v = malloc(ntimes * sizeof *v);
    assert_non_null(v);
    static const double prob[STATS_N] = { 0, 0, 0.05, 0.25, 0.5, 0.75, 0.95 };
    double n = (double)runs;
    for (int k = 0; k < STATS_N; k++) {
        char obj[100];
        snprintf(obj, sizeof obj, "/summary/price_usd/%s", stats_name[k]);
        read_vec(f, obj, v, ntimes);
        for (size_t t = 0; t < ntimes; t++) {
            double c = (double)t / 8;
            double want = k == STATS_MEAN ? (n - 1) / 2 + c
                          : k == STATS_SD ? sqrt(n * (n + 1) / 12)
                                          : prob[k] * (n - 1) + c;
            assert_close(v[t], want, 1e-12, 1e-9);
        }
    }
    H5Fclose(f);
    free(v);
    free(data);
    free(time);
    unlink(path);
}

static void test_large_blocks(void **state)
{
    (void)state;
    check_large(4097, 1030, "large1.h5");
    check_large(20011, 300, "large2.h5");
}

static void test_single_run(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "one.h5");
    h5out_spec_t spec = small_spec(path);
    spec.runs = 1;
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NMETRICS * NTIMES];
    fill_block(data, 0, 1, NMETRICS, NTIMES);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_write_runs(o, 0, 1, data, &err), SIM_OK);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    double sd[NTIMES], p95[NTIMES];
    read_vec(f, "/summary/inflation/sd", sd, NTIMES);
    read_vec(f, "/summary/inflation/p95", p95, NTIMES);
    for (size_t k = 0; k < NTIMES; k++) {
        assert_close(sd[k], 0, 0, 0);
        assert_close(p95[k], value(0, 1, k), 0, 0);
    }
    H5Fclose(f);
}

/* --- tests: failures leave nothing behind -------------------------------- */

static void test_abort_leaves_nothing(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "aborted.h5");
    h5out_spec_t spec = small_spec(path);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NRUNS * NMETRICS * NTIMES];
    fill_block(data, 0, 2, NMETRICS, NTIMES);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_write_runs(o, 0, 2, data, &err), SIM_OK);
    assert_int_equal(count_entries("aborted.h5"), 1);
    h5out_abort(o);
    assert_int_equal(count_entries("aborted.h5"), 0);
    h5out_abort(NULL);
}

static void test_missing_runs(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "partial.h5");
    h5out_spec_t spec = small_spec(path);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NRUNS * NMETRICS * NTIMES];
    fill_block(data, 0, 3, NMETRICS, NTIMES);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_write_runs(o, 0, 3, data, &err), SIM_OK);
    /* out of range: run 5 of 5 */
    assert_int_equal(h5out_write_runs(o, 3, 3, data, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, path));
    sim_error_clear(&err);
    assert_int_equal(h5out_finish(o, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "3 of 5 runs"));
    assert_int_equal(count_entries("partial.h5"), 0);
}

static void test_missing_directory(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "no/such/dir/out.h5");
    h5out_spec_t spec = small_spec(path);
    h5out_t *o = (h5out_t *)&spec;     /* must be reset to NULL */
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EIO);
    assert_null(o);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "does not exist"));

    /* the output name is a directory */
    sim_error_clear(&err);
    spec.path = dir;
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, dir));
    assert_non_null(strstr(err.msg, "is a directory"));
    char tmp[200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dir, (long)getpid());
    assert_false(exists(tmp));
}

static void test_bad_spec(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "bad.h5");
    h5out_spec_t spec = small_spec(path);
    h5out_metric_t bad[2] = { { "ok", "", "" }, { "a/b", "", "" } };
    spec.metrics = bad;
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "a/b"));

    /* duplicate metric names: HDF5 refuses the second dataset */
    h5out_metric_t dup[2] = { { "same", "", "" }, { "same", "", "" } };
    spec.metrics = dup;
    sim_error_clear(&err);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, "/runs/same"));
    assert_non_null(strstr(err.msg, path));
    assert_int_equal(count_entries("bad.h5"), 0);
}

/* --- tests: summary -------------------------------------------------------- */

static char *slurp(FILE *f)
{
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

static void test_summary_print(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "summary.h5");
    write_small(path);
    FILE *out = tmpfile();
    assert_non_null(out);
    sim_error_t err = { 0 };
    assert_int_equal(summary_print(path, out, &err), SIM_OK);
    char *text = slurp(out);
    fclose(out);
    assert_non_null(strstr(text, "test-scenario"));
    assert_non_null(strstr(text, "16045690984503111693"));    /* the seed, unsigned */
    assert_non_null(strstr(text, "2024-03-01"));
    /* preferred order: supply_total before inflation */
    char *s = strstr(text, "supply_total"), *i = strstr(text, "inflation");
    assert_non_null(s);
    assert_non_null(i);
    assert_true(s < i);
    assert_non_null(strstr(text, "1/yr"));
    /* horizons 0 and 30 both map to day 0, 90 to 90, then the last day 135;
     * supply_total's median at day 0 is 1e6 + 3 * 2.385 = 1,000,007 */
    assert_non_null(strstr(text, "1,000,007"));
    assert_non_null(strstr(text, " 135 "));
    assert_null(strstr(text, " 45 "));
    free(text);
}

static void test_summary_errors(void **state)
{
    (void)state;
    char path[200];
    sim_error_t err = { 0 };
    FILE *out = tmpfile();
    assert_non_null(out);

    make_path(path, sizeof path, "does-not-exist.h5");
    assert_int_equal(summary_print(path, out, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, path));

    /* a text file */
    make_path(path, sizeof path, "text.h5");
    FILE *t = fopen(path, "w");
    assert_non_null(t);
    fputs("not hdf5\n", t);
    fclose(t);
    sim_error_clear(&err);
    assert_int_equal(summary_print(path, out, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not"));
    unlink(path);

    /* an HDF5 file that is not ours */
    make_path(path, sizeof path, "foreign.h5");
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    H5Fclose(f);
    sim_error_clear(&err);
    assert_int_equal(summary_print(path, out, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not a tokensim result file"));
    unlink(path);
    assert_int_equal(ftell(out), 0);    /* nothing printed on failure */
    fclose(out);
}

/* --- setup ------------------------------------------------------------------ */

/* Every test, failing paths included, must leave no HDF5 object open. */
static int no_open_ids(void **state)
{
    (void)state;
    ssize_t n = H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
    if (n != 0) {
        print_error("%zd HDF5 objects left open\n", n);
        return -1;
    }
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_h5out.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    setenv("SOURCE_DATE_EPOCH", "1795611600", 1);    /* 2026-11-25T13:00:00Z */
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[400];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_stats_sort, no_open_ids),
        cmocka_unit_test_teardown(test_stats_nan, no_open_ids),
        cmocka_unit_test_teardown(test_stats_values, no_open_ids),
        cmocka_unit_test_teardown(test_missing_directory, no_open_ids),
        cmocka_unit_test_teardown(test_roundtrip, no_open_ids),
        cmocka_unit_test_teardown(test_order_independent, no_open_ids),
        cmocka_unit_test_teardown(test_single_run, no_open_ids),
        cmocka_unit_test_teardown(test_large_blocks, no_open_ids),
        cmocka_unit_test_teardown(test_abort_leaves_nothing, no_open_ids),
        cmocka_unit_test_teardown(test_missing_runs, no_open_ids),
        cmocka_unit_test_teardown(test_bad_spec, no_open_ids),
        cmocka_unit_test_teardown(test_summary_print, no_open_ids),
        cmocka_unit_test_teardown(test_summary_errors, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out", tests, group_setup, group_teardown);
}
