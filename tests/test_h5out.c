/*
 * Tests for the HDF5 result file (output/h5out.c), its /summary datasets (the
 * statistics themselves: tests/test_stats.c) and `tokensim summary`
 * (output/summary.c). Files go to a fresh mkdtemp() directory that the group
 * teardown removes. Deterministic: fixed data, no clock (SOURCE_DATE_EPOCH
 * pins created_utc).
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
    /* CF time: netCDF readers (xarray) decode it to dates */
    assert_str_attr(f, "time", "units", "days since 2024-03-01");
    assert_str_attr(f, "time", "calendar", "proleptic_gregorian");
    hid_t td = H5Dopen2(f, "time", H5P_DEFAULT);
    assert_true(H5DSis_scale(td) > 0);

    /* /run: int64 0..NRUNS-1, a dimension scale attached to dimension 0 of the runs */
    hid_t rd = H5Dopen2(f, "run", H5P_DEFAULT);
    assert_true(rd >= 0);
    assert_true(H5DSis_scale(rd) > 0);
    hid_t rt = H5Dget_type(rd);
    assert_true(H5Tequal(rt, H5T_STD_I64LE) > 0);
    H5Tclose(rt);
    hid_t rsp = H5Dget_space(rd);
    hsize_t rn = 0;
    assert_int_equal(H5Sget_simple_extent_ndims(rsp), 1);
    H5Sget_simple_extent_dims(rsp, &rn, NULL);
    assert_int_equal(rn, NRUNS);
    H5Sclose(rsp);
    int64_t rv[NRUNS];
    assert_true(H5Dread(rd, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, rv) >= 0);
    for (size_t r = 0; r < NRUNS; r++)
        assert_int_equal(rv[r], (int64_t)r);
    assert_str_attr(f, "run", "units", "index");
    assert_str_attr(f, "run", "description",
                    "replication index k; its random streams derive from (seed, k)");
    /* /runs/run and /runs/time are hard links to /run and /time (the same
     * objects: H5DSis_attached compares objects, not names) */
    hid_t rd_link = H5Dopen2(f, "/runs/run", H5P_DEFAULT);
    hid_t td_link = H5Dopen2(f, "/runs/time", H5P_DEFAULT);
    assert_true(rd_link >= 0);
    assert_true(td_link >= 0);

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
        assert_true(H5DSis_attached(d, rd, 0) > 0);
        assert_true(H5DSis_attached(d, td_link, 1) > 0);
        assert_true(H5DSis_attached(d, rd_link, 0) > 0);
        assert_true(H5DSget_num_scales(d, 0) == 1 && H5DSget_num_scales(d, 1) == 1);
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

    /* /summary: the special column by hand (tests/test_stats.c, test_stats_values), the rest
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
            /* /summary/<metric>/time is /time, hard-linked */
            snprintf(obj, sizeof obj, "/summary/%s/time", metrics[m].name);
            hid_t tl = H5Dopen2(f, obj, H5P_DEFAULT);
            assert_true(tl >= 0);
            assert_true(H5DSis_attached(d, tl, 0) > 0);
            H5Dclose(tl);
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
    H5Dclose(td_link);
    H5Dclose(rd_link);
    H5Dclose(rd);
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
    spec.threads = 2;
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

/* --- tests: chunks filtered here, whatever the blocks, read by HDF5's own zlib - */

/* 300 x 300: chunks of 128 x 256, so the last chunk row (44 runs) and the
 * last chunk column (44 times) are partial. */
#define DRUNS 300
#define DTIMES 300
#define DROWS 128

/* Values that compress like simulation output (a smooth level plus noise in
 * the low bits), signed zeros in one column, a NaN and an infinity. */
static int dnoise;   /* metric 0 as random bits: chunks that do not compress */

static double dvalue(size_t r, size_t m, size_t t)
{
    if (dnoise && m == 0) {
        uint64_t h = (uint64_t)(r * 1000003 + t + 1) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 31;
        h *= UINT64_C(0xBF58476D1CE4E5B9);
        h ^= h >> 29;
        if (((h >> 52) & 0x7ff) == 0x7ff)
            h ^= UINT64_C(1) << 52;   /* finite: no inf or NaN exponent */
        double x;
        memcpy(&x, &h, sizeof x);
        return x;
    }
    if (m == 1 && t == 7)
        return r % 3 ? 0.0 : -0.0;
    if (m == 1 && t == 8 && r == 17)
        return NAN;
    if (m == 0 && t == 9 && r == 5)
        return INFINITY;
    uint64_t h = (uint64_t)(r * 1000003 + m * 7919 + t) * UINT64_C(0x9E3779B97F4A7C15);
    h ^= h >> 29;
    double noise = (double)(h % 1000003) / 1000003.0;
    return m == 0 ? 1e8 * (1 + 1e-3 * (double)t) + 1e3 * noise
                  : 0.3 * (1 + 1e-3 * (double)t) + 1e-3 * noise;
}

typedef struct {
    size_t first, count;
} block_t;

/* 1: the direct-chunk tests store float32 */
static int dfloat32;
static int dlevel;   /* the deflate level: 0 the default (H5OUT_DEFLATE_DEFAULT) */
static int dcomp;    /* the compression: H5OUT_DEFLATE or H5OUT_BLOSC */

/* Write the 300 x 300 file with `threads`, block by block in the given order. */
static void write_dfile(const char *path, int threads, const block_t *blocks, size_t nblocks)
{
    double time[DTIMES];
    for (size_t t = 0; t < DTIMES; t++)
        time[t] = (double)t;
    h5out_spec_t spec = small_spec(path);
    spec.runs = DRUNS;
    spec.ntimes = DTIMES;
    spec.time = time;
    spec.days = DTIMES - 1;
    spec.record_every_days = 1;
    spec.threads = threads;
    spec.float32 = dfloat32;
    spec.deflate_level = dlevel;
    spec.compression = dcomp;
    spec.replace = 1;   /* the checks write their files again */
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_chunk_rows(o), DROWS);
    double *data = malloc((size_t)DRUNS * NMETRICS * DTIMES * sizeof *data);
    assert_non_null(data);
    for (size_t b = 0; b < nblocks; b++) {
        const block_t *k = &blocks[b];
        for (size_t i = 0; i < k->count; i++)
            for (size_t m = 0; m < NMETRICS; m++)
                for (size_t t = 0; t < DTIMES; t++)
                    data[(i * NMETRICS + m) * DTIMES + t] = dvalue(k->first + i, m, t);
        assert_int_equal(h5out_write_runs(o, k->first, k->count, data, &err), SIM_OK);
    }
    free(data);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
}

/* /runs/<metric> [DRUNS][DTIMES] and /summary/<metric>/<stat> [STATS_N][DTIMES]. */
static void read_dfile(const char *path, size_t m, double *runs, double *summary)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    char obj[100];
    snprintf(obj, sizeof obj, "/runs/%s", metrics[m].name);
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, runs) >= 0);
    H5Dclose(d);
    for (int k = 0; k < STATS_N; k++) {
        snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m].name, stats_name[k]);
        read_vec(f, obj, summary + (size_t)k * DTIMES, DTIMES);
    }
    H5Fclose(f);
}

/* Every stored chunk of /runs in two files: same size, no filter skipped, same bytes. */
static void assert_same_chunks(const char *p1, const char *p2)
{
    hid_t f1 = H5Fopen(p1, H5F_ACC_RDONLY, H5P_DEFAULT), f2 = H5Fopen(p2, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f1 >= 0 && f2 >= 0);
    for (size_t m = 0; m < NMETRICS; m++) {
        char obj[100];
        snprintf(obj, sizeof obj, "/runs/%s", metrics[m].name);
        hid_t d1 = H5Dopen2(f1, obj, H5P_DEFAULT), d2 = H5Dopen2(f2, obj, H5P_DEFAULT);
        assert_true(d1 >= 0 && d2 >= 0);
        for (hsize_t r = 0; r < DRUNS; r += DROWS)
            for (hsize_t c = 0; c < DTIMES; c += 256) {
                hsize_t off[2] = { r, c }, n1 = 0, n2 = 0;
                assert_true(H5Dget_chunk_storage_size(d1, off, &n1) >= 0);
                assert_true(H5Dget_chunk_storage_size(d2, off, &n2) >= 0);
                assert_true(n1 > 0);
                assert_int_equal(n1, n2);
                unsigned char *b1 = malloc(n1), *b2 = malloc(n2);
                assert_non_null(b1);
                assert_non_null(b2);
                uint32_t m1 = 99, m2 = 99;
                assert_true(H5Dread_chunk(d1, H5P_DEFAULT, off, &m1, b1) >= 0);
                assert_true(H5Dread_chunk(d2, H5P_DEFAULT, off, &m2, b2) >= 0);
                assert_int_equal(m1, 0);
                assert_int_equal(m2, 0);
                assert_memory_equal(b1, b2, n1);
                free(b1);
                free(b2);
            }
        H5Dclose(d1);
        H5Dclose(d2);
    }
    H5Fclose(f1);
    H5Fclose(f2);
}

static void assert_same_file(const char *p1, const char *p2)
{
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    assert_non_null(f1);
    assert_non_null(f2);
    int c1, c2;
    long at = 0;
    do {
        c1 = getc(f1);
        c2 = getc(f2);
        if (c1 != c2)
            fail_msg("%s and %s differ at byte %ld", p1, p2, at);
        at++;
    } while (c1 != EOF);
    fclose(f1);
    fclose(f2);
}

/* The same file through whole chunk rows (filtered in parallel on 1, 2 or 4
 * threads), through partial ones alone (blocks of 7 runs, last first: each
 * chunk read back, merged and filtered again) and through both (blocks
 * straddling chunk rows): the same /runs, read by HDF5's own pipeline (its
 * zlib inflates the libdeflate streams), and /summary values, bit for bit;
 * the same stored chunks whatever the blocks; and the same bytes whatever
 * the number of threads. */
static void check_direct_matches_fallback(int float32)
{
    dfloat32 = float32;
    static const block_t aligned[] = { { 0, 128 }, { 128, 128 }, { 256, 44 } };
    static const block_t mixed[] = { { 0, 100 }, { 100, 200 } };
    block_t small[DRUNS / 7 + 1];
    size_t nsmall = 0;
    for (size_t end = DRUNS; end > 0; end -= small[nsmall++].count) {
        small[nsmall].count = end < 7 ? end : 7;
        small[nsmall].first = end - small[nsmall].count;
    }
    char pa[200], pb[200], pc[200], p1[200], p4[200], p6[200];
    make_path(pa, sizeof pa, "direct2.h5");
    make_path(pb, sizeof pb, "fallback.h5");
    make_path(pc, sizeof pc, "mixed.h5");
    make_path(p1, sizeof p1, "direct1.h5");
    make_path(p4, sizeof p4, "direct4.h5");
    make_path(p6, sizeof p6, "direct6.h5");
    write_dfile(pa, 2, aligned, 3);
    write_dfile(pb, 1, small, nsmall);
    write_dfile(pc, 3, mixed, 2);
    write_dfile(p1, 1, aligned, 3);
    write_dfile(p4, 4, aligned, 3);
    dlevel = 6;   /* another level: other streams, the same values */
    write_dfile(p6, 2, aligned, 3);
    dlevel = 0;

    size_t nv = (size_t)DRUNS * DTIMES, ns = (size_t)STATS_N * DTIMES;
    double *want = malloc(nv * sizeof *want), *col = malloc(DRUNS * sizeof *col);
    double *wsum = malloc(ns * sizeof *wsum), *runs = malloc(nv * sizeof *runs);
    double *sum = malloc(ns * sizeof *sum);
    assert_true(want && col && wsum && runs && sum);
    const char *paths[] = { pa, pb, pc, p1, p4, p6 };
    for (size_t m = 0; m < NMETRICS; m++) {
        /* the values written, and their statistics column by column (runs in order) */
        for (size_t t = 0; t < DTIMES; t++) {
            double v[STATS_N];
            for (size_t r = 0; r < DRUNS; r++)
                want[r * DTIMES + t] = col[r] = float32 ? (double)(float)dvalue(r, m, t) : dvalue(r, m, t);
            stats_summarise(col, DRUNS, v);
            for (int k = 0; k < STATS_N; k++)
                wsum[(size_t)k * DTIMES + t] = v[k];
        }
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            read_dfile(paths[i], m, runs, sum);
            assert_memory_equal(runs, want, nv * sizeof *runs);
            assert_memory_equal(sum, wsum, ns * sizeof *sum);
        }
    }
    assert_true(isnan(wsum[(size_t)STATS_MEAN * DTIMES + 8]));   /* metric 1's NaN column */
    free(want);
    free(col);
    free(wsum);
    free(runs);
    free(sum);

    assert_same_chunks(pa, pb);
    assert_same_chunks(pc, pb);
    assert_same_file(pa, p1);
    assert_same_file(pa, p4);
    dfloat32 = 0;
}

static void test_direct_matches_fallback(void **state)
{
    (void)state;
    check_direct_matches_fallback(0);
}

/* The same with float32 storage: values rounded to nearest float, as
 * HDF5's own conversion rounds them, chunk for chunk. */
static void test_direct_matches_fallback_float32(void **state)
{
    (void)state;
    check_direct_matches_fallback(1);
}

/* Chunks that do not compress (metric 0 as random bits: deflate and Blosc
 * store them), double and float32: the same checks. */
static void test_incompressible(void **state)
{
    (void)state;
    dnoise = 1;
    check_direct_matches_fallback(0);
    check_direct_matches_fallback(1);
    dcomp = H5OUT_BLOSC;
    check_direct_matches_fallback(0);
    dcomp = H5OUT_DEFLATE;
    dnoise = 0;
}

/* The filter pipeline of /runs/<metric 0> in the test file `name`: its
 * number of filters and the first one's id. */
static void runs_filters(const char *name, int *n, H5Z_filter_t *first)
{
    char path[200], obj[100];
    make_path(path, sizeof path, name);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    snprintf(obj, sizeof obj, "/runs/%s", metrics[0].name);
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t dcpl = H5Dget_create_plist(d);
    *n = H5Pget_nfilters(dcpl);
    unsigned flags = 0, cd[8];
    size_t ncd = 8;
    *first = H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, 0, NULL, NULL);
    H5Pclose(dcpl);
    H5Dclose(d);
    H5Fclose(f);
}

/* output.compression blosc: the Blosc filter alone (HDF5 reads the file
 * through its plugin), the same values and /summary as the values written
 * (so as deflate's), the same chunks whatever the blocks, the same bytes
 * whatever the threads; float32 too. */
static void test_blosc(void **state)
{
    (void)state;
    dcomp = H5OUT_BLOSC;
    check_direct_matches_fallback(0);
    int n = 0;
    H5Z_filter_t id = -1;
    runs_filters("direct2.h5", &n, &id);
    assert_int_equal(n, 1);
    assert_int_equal(id, 32001);
    check_direct_matches_fallback(1);
    dcomp = H5OUT_DEFLATE;
    runs_filters("direct2.h5", &n, &id);   /* still the float32 blosc file */
    assert_int_equal(id, 32001);
    check_direct_matches_fallback(0);
    runs_filters("direct2.h5", &n, &id);
    assert_int_equal(n, 2);
    assert_int_equal(id, H5Z_FILTER_SHUFFLE);
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

/* --- tests: a points dimension ------------------------------------------------ */

#define NPOINTS 3

static const char *const arm_labels[NPOINTS] = { "base", "proposal", "third" };

/* Point p's values: the 300 x 300 file's, shifted by p runs and scaled, so
 * that every point differs (the NaN, infinity and signed zeros move along). */
static double pvalue(size_t p, size_t r, size_t m, size_t t)
{
    return dvalue(r + 37 * p, m, t) * (1.0 + 0.25 * (double)p);
}

static void fill_point(double *data, size_t p, size_t first, size_t count)
{
    for (size_t i = 0; i < count; i++)
        for (size_t m = 0; m < NMETRICS; m++)
            for (size_t t = 0; t < DTIMES; t++)
                data[(i * NMETRICS + m) * DTIMES + t] = pvalue(p, first + i, m, t);
}

static h5out_spec_t point_spec(const char *path, double *time, size_t npoints)
{
    for (size_t t = 0; t < DTIMES; t++)
        time[t] = (double)t;
    h5out_spec_t spec = small_spec(path);
    spec.runs = DRUNS;
    spec.ntimes = DTIMES;
    spec.time = time;
    spec.days = DTIMES - 1;
    spec.record_every_days = 1;
    spec.threads = 2;
    spec.npoints = npoints;
    spec.point_dim = "arm";
    spec.point_labels = arm_labels;
    return spec;
}

/* Point p alone, in a file without points, written in whole chunk rows. */
static void write_point_alone(const char *path, size_t p)
{
    double time[DTIMES];
    h5out_spec_t spec = point_spec(path, time, 0);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    double *data = malloc((size_t)DROWS * NMETRICS * DTIMES * sizeof *data);
    assert_non_null(data);
    for (size_t first = 0; first < DRUNS; first += DROWS) {
        size_t count = DRUNS - first < DROWS ? DRUNS - first : DROWS;
        fill_point(data, p, first, count);
        assert_int_equal(h5out_write_runs(o, first, count, data, &err), SIM_OK);
    }
    free(data);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
}

static hsize_t dims_of(hid_t d, hsize_t *dims)
{
    hid_t sp = H5Dget_space(d);
    assert_true(sp >= 0);
    int n = H5Sget_simple_extent_ndims(sp);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    return (hsize_t)n;
}

/* Three points, 300 runs x 300 times each: partial edge chunks in both
 * directions; point 0 in whole chunk rows (direct chunk writes), point 1 in
 * blocks of 7 runs (H5Dwrite), point 2 in blocks straddling chunk rows, the
 * points interleaved. Values round-trip bit for bit; each point's summary is
 * its columns' statistics by hand and the summary of a file holding that
 * point alone; each point's stored chunks are that file's chunks, byte for byte. */
static void test_points_roundtrip(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "points.h5");
    double time[DTIMES];
    h5out_spec_t spec = point_spec(path, time, NPOINTS);
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_chunk_rows(o), DROWS);
    double *data = malloc((size_t)DRUNS * NMETRICS * DTIMES * sizeof *data);
    assert_non_null(data);

    /* runs without a point: refused */
    fill_point(data, 0, 0, 1);
    assert_int_equal(h5out_write_runs(o, 0, 1, data, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "h5out_write_point_runs"));
    sim_error_clear(&err);
    assert_int_equal(h5out_write_point_runs(o, NPOINTS, 0, 1, data, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "point 3"));
    sim_error_clear(&err);
    assert_int_equal(h5out_write_point_runs(o, 1, 295, 6, data, &err), SIM_EINVAL);
    sim_error_clear(&err);

    static const block_t p0[] = { { 128, 128 }, { 0, 128 }, { 256, 44 } };
    static const block_t p2[] = { { 100, 200 }, { 0, 100 } };
    int others = 0;
    for (size_t first = DRUNS; first > 0;) {
        size_t count = first < 7 ? first : 7;
        first -= count;
        fill_point(data, 1, first, count);
        assert_int_equal(h5out_write_point_runs(o, 1, first, count, data, &err), SIM_OK);
        if (first < 150 && others++ == 0) {     /* the other points in the middle of point 1 */
            for (size_t b = 0; b < 3; b++) {
                fill_point(data, 0, p0[b].first, p0[b].count);
                assert_int_equal(h5out_write_point_runs(o, 0, p0[b].first, p0[b].count, data,
                                                        &err), SIM_OK);
            }
            fill_point(data, 2, p2[0].first, p2[0].count);
            assert_int_equal(h5out_write_point_runs(o, 2, p2[0].first, p2[0].count, data, &err),
                             SIM_OK);
        }
    }
    fill_point(data, 2, p2[1].first, p2[1].count);
    assert_int_equal(h5out_write_point_runs(o, 2, p2[1].first, p2[1].count, data, &err), SIM_OK);
    free(data);
    assert_true(others > 0);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);

    char alone[NPOINTS][200];
    for (size_t p = 0; p < NPOINTS; p++) {
        char name[40];
        snprintf(name, sizeof name, "point%zu.h5", p);
        make_path(alone[p], sizeof alone[p], name);
        write_point_alone(alone[p], p);
    }

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    /* /arm: int64 0..2, a dimension scale with its labels */
    hid_t ad = H5Dopen2(f, "arm", H5P_DEFAULT);
    assert_true(ad >= 0);
    assert_true(H5DSis_scale(ad) > 0);
    hsize_t dims[3] = { 0, 0, 0 };
    assert_int_equal(dims_of(ad, dims), 1);
    assert_int_equal(dims[0], NPOINTS);
    hid_t at = H5Dget_type(ad);
    assert_true(H5Tequal(at, H5T_STD_I64LE) > 0);
    H5Tclose(at);
    int64_t idx[NPOINTS];
    assert_true(H5Dread(ad, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx) >= 0);
    for (size_t p = 0; p < NPOINTS; p++)
        assert_int_equal(idx[p], (int64_t)p);
    assert_str_attr(f, "arm", "units", "index");
    hid_t la = H5Aopen(ad, "labels", H5P_DEFAULT);
    assert_true(la >= 0);
    hid_t lt = H5Tcopy(H5T_C_S1);
    H5Tset_size(lt, H5T_VARIABLE);
    H5Tset_cset(lt, H5T_CSET_UTF8);
    char *lab[NPOINTS] = { NULL };
    assert_true(H5Aread(la, lt, lab) >= 0);
    for (size_t p = 0; p < NPOINTS; p++) {
        assert_string_equal(lab[p], arm_labels[p]);
        H5free_memory(lab[p]);
    }
    H5Tclose(lt);
    H5Aclose(la);
    hid_t rd = H5Dopen2(f, "run", H5P_DEFAULT), td = H5Dopen2(f, "time", H5P_DEFAULT);
    hid_t al = H5Dopen2(f, "/runs/arm", H5P_DEFAULT);
    assert_true(rd >= 0 && td >= 0 && al >= 0);
    H5Dclose(al);

    size_t nv = (size_t)DRUNS * DTIMES, ns = (size_t)STATS_N * DTIMES;
    double *got = malloc(NPOINTS * nv * sizeof *got), *col = malloc(DRUNS * sizeof *col);
    double *sum = malloc(NPOINTS * ns * sizeof *sum), *want = malloc(ns * sizeof *want);
    double *runs1 = malloc(nv * sizeof *runs1), *sum1 = malloc(ns * sizeof *sum1);
    assert_true(got && col && sum && want && runs1 && sum1);
    for (size_t m = 0; m < NMETRICS; m++) {
        char obj[100];
        snprintf(obj, sizeof obj, "/runs/%s", metrics[m].name);
        hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
        assert_true(d >= 0);
        assert_int_equal(dims_of(d, dims), 3);
        assert_true(dims[0] == NPOINTS && dims[1] == DRUNS && dims[2] == DTIMES);
        hid_t dcpl = H5Dget_create_plist(d);
        hsize_t chunk[3] = { 0, 0, 0 };
        assert_int_equal(H5Pget_chunk(dcpl, 3, chunk), 3);
        assert_true(chunk[0] == 1 && chunk[1] == DROWS && chunk[2] == 256);
        H5Pclose(dcpl);
        assert_true(H5DSis_attached(d, ad, 0) > 0);
        assert_true(H5DSis_attached(d, rd, 1) > 0);
        assert_true(H5DSis_attached(d, td, 2) > 0);
        for (unsigned k = 0; k < 3; k++)
            assert_int_equal(H5DSget_num_scales(d, k), 1);
        char label[16];
        assert_true(H5DSget_label(d, 0, label, sizeof label) > 0);
        assert_string_equal(label, "arm");
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);

        /* stored chunks: the single-point file's, byte for byte */
        hid_t f1[NPOINTS], d1[NPOINTS];
        for (size_t p = 0; p < NPOINTS; p++) {
            f1[p] = H5Fopen(alone[p], H5F_ACC_RDONLY, H5P_DEFAULT);
            d1[p] = H5Dopen2(f1[p], obj, H5P_DEFAULT);
            assert_true(f1[p] >= 0 && d1[p] >= 0);
            for (hsize_t r = 0; r < DRUNS; r += DROWS)
                for (hsize_t c = 0; c < DTIMES; c += 256) {
                    hsize_t off3[3] = { p, r, c }, off2[2] = { r, c }, n3 = 0, n2 = 0;
                    assert_true(H5Dget_chunk_storage_size(d, off3, &n3) >= 0);
                    assert_true(H5Dget_chunk_storage_size(d1[p], off2, &n2) >= 0);
                    assert_true(n3 > 0);
                    assert_int_equal(n3, n2);
                    unsigned char *b3 = malloc(n3), *b2 = malloc(n2);
                    assert_true(b3 && b2);
                    uint32_t m3 = 99, m2 = 99;
                    assert_true(H5Dread_chunk(d, H5P_DEFAULT, off3, &m3, b3) >= 0);
                    assert_true(H5Dread_chunk(d1[p], H5P_DEFAULT, off2, &m2, b2) >= 0);
                    assert_true(m3 == 0 && m2 == 0);
                    assert_memory_equal(b3, b2, n3);
                    free(b3);
                    free(b2);
                }
            H5Dclose(d1[p]);
            H5Fclose(f1[p]);
        }
        H5Dclose(d);

        for (int k = 0; k < STATS_N; k++) {
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m].name, stats_name[k]);
            d = H5Dopen2(f, obj, H5P_DEFAULT);
            assert_true(d >= 0);
            assert_int_equal(dims_of(d, dims), 2);
            assert_true(dims[0] == NPOINTS && dims[1] == DTIMES);
            assert_true(H5DSis_attached(d, ad, 0) > 0);
            assert_true(H5DSis_attached(d, td, 1) > 0);
            assert_true(H5DSget_num_scales(d, 0) == 1 && H5DSget_num_scales(d, 1) == 1);
            double *row = malloc(NPOINTS * DTIMES * sizeof *row);
            assert_non_null(row);
            assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, row) >= 0);
            for (size_t p = 0; p < NPOINTS; p++)
                memcpy(sum + (p * STATS_N + (size_t)k) * DTIMES, row + p * DTIMES,
                       DTIMES * sizeof *row);
            free(row);
            H5Dclose(d);
        }
        snprintf(obj, sizeof obj, "/summary/%s/arm", metrics[m].name);
        al = H5Dopen2(f, obj, H5P_DEFAULT);
        assert_true(al >= 0);
        H5Dclose(al);

        for (size_t p = 0; p < NPOINTS; p++) {
            /* values, bit for bit */
            for (size_t r = 0; r < DRUNS; r++)
                for (size_t t = 0; t < DTIMES; t++) {
                    double w = pvalue(p, r, m, t), g = got[(p * DRUNS + r) * DTIMES + t];
                    assert_memory_equal(&g, &w, sizeof g);
                }
            /* summaries: by hand, column by column */
            for (size_t t = 0; t < DTIMES; t++) {
                double v[STATS_N];
                for (size_t r = 0; r < DRUNS; r++)
                    col[r] = pvalue(p, r, m, t);
                stats_summarise(col, DRUNS, v);
                for (int k = 0; k < STATS_N; k++)
                    want[(size_t)k * DTIMES + t] = v[k];
            }
            assert_memory_equal(sum + p * ns, want, ns * sizeof *want);
            /* and the file holding point p alone */
            read_dfile(alone[p], m, runs1, sum1);
            assert_memory_equal(got + p * nv, runs1, nv * sizeof *runs1);
            assert_memory_equal(sum + p * ns, sum1, ns * sizeof *sum1);
        }
        /* the points do differ */
        assert_memory_not_equal(sum, sum + ns, ns * sizeof *sum);
    }
    free(got);
    free(col);
    free(sum);
    free(want);
    free(runs1);
    free(sum1);
    H5Dclose(rd);
    H5Dclose(td);
    H5Dclose(ad);
    H5Fclose(f);
}

/* npoints = 1 (labels and all) is the file without points, byte for byte,
 * whether its runs come through h5out_write_runs or h5out_write_point_runs. */
static void test_points_one(void **state)
{
    (void)state;
    char p0[200], p1[200];
    make_path(p0, sizeof p0, "nopoints.h5");
    make_path(p1, sizeof p1, "onepoint.h5");
    write_small(p0);
    h5out_spec_t spec = small_spec(p1);
    spec.npoints = 1;
    spec.point_dim = "arm";
    spec.point_labels = arm_labels;
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NRUNS * NMETRICS * NTIMES];
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_write_point_runs(o, 1, 0, 1, data, &err), SIM_EINVAL);
    sim_error_clear(&err);
    fill_block(data, 3, 2, NMETRICS, NTIMES);
    assert_int_equal(h5out_write_point_runs(o, 0, 3, 2, data, &err), SIM_OK);
    fill_block(data, 0, 3, NMETRICS, NTIMES);
    assert_int_equal(h5out_write_runs(o, 0, 3, data, &err), SIM_OK);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    assert_same_file(p0, p1);

    hid_t f = H5Fopen(p1, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Lexists(f, "arm", H5P_DEFAULT) == 0);
    hsize_t dims[3];
    hid_t d = H5Dopen2(f, "/runs/inflation", H5P_DEFAULT);
    assert_int_equal(dims_of(d, dims), 2);
    assert_true(dims[0] == NRUNS && dims[1] == NTIMES);
    H5Dclose(d);
    d = H5Dopen2(f, "/summary/inflation/p50", H5P_DEFAULT);
    assert_int_equal(dims_of(d, dims), 1);
    assert_true(dims[0] == NTIMES);
    H5Dclose(d);
    H5Fclose(f);
}

/* A points file is whole only with every run of every point. */
static void test_points_missing(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "points-partial.h5");
    h5out_spec_t spec = small_spec(path);
    spec.npoints = 2;
    spec.point_dim = "point";
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    double data[NRUNS * NMETRICS * NTIMES];
    fill_block(data, 0, NRUNS, NMETRICS, NTIMES);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    assert_int_equal(h5out_write_point_runs(o, 1, 0, NRUNS, data, &err), SIM_OK);
    assert_int_equal(h5out_write_point_runs(o, 0, 0, NRUNS - 1, data, &err), SIM_OK);
    assert_int_equal(h5out_finish(o, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "9 of 10 runs"));
    assert_int_equal(count_entries("points-partial.h5"), 0);
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

    /* run and time name the dimension scales linked into /runs */
    h5out_metric_t reserved[2] = { { "ok", "", "" }, { "time", "", "" } };
    spec.metrics = reserved;
    sim_error_clear(&err);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "'time' is reserved"));

    /* the points dimension: a name, and none of the format's, a metric's or a statistic's */
    spec.metrics = metrics;
    spec.npoints = 2;
    static const char *const bad_dims[] = { NULL, "", "a/b", "run", "time", "runs", "summary",
                                            "inflation", "p50" };
    for (size_t i = 0; i < sizeof bad_dims / sizeof bad_dims[0]; i++) {
        spec.point_dim = bad_dims[i];
        sim_error_clear(&err);
        assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
        assert_non_null(strstr(err.msg, "points dimension"));
    }
    spec.npoints = 0;

    /* /time's units name the start date: it must be one */
    static const char *const bad_dates[] = { NULL, "", "2024-02-30", "1969-12-31", "20240320" };
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        spec.start_date = bad_dates[i];
        sim_error_clear(&err);
        assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
        assert_non_null(strstr(err.msg, "is not a date YYYY-MM-DD"));
    }
    spec.start_date = "2024-03-01";

    spec.deflate_level = 10;
    sim_error_clear(&err);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "deflate level 10"));
    spec.deflate_level = 0;
    spec.compression = 7;
    sim_error_clear(&err);
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown compression 7"));
    spec.compression = H5OUT_DEFLATE;

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
    assert_int_equal(summary_print(path, NULL, out, &err), SIM_OK);
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
    assert_int_equal(summary_print(path, NULL, out, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, path));

    /* a text file */
    make_path(path, sizeof path, "text.h5");
    FILE *t = fopen(path, "w");
    assert_non_null(t);
    fputs("not hdf5\n", t);
    fclose(t);
    sim_error_clear(&err);
    assert_int_equal(summary_print(path, NULL, out, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not"));
    unlink(path);

    /* an HDF5 file that is not ours */
    make_path(path, sizeof path, "foreign.h5");
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    H5Fclose(f);
    sim_error_clear(&err);
    assert_int_equal(summary_print(path, NULL, out, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not a tokensim result file"));
    unlink(path);
    assert_int_equal(ftell(out), 0);    /* nothing printed on failure */
    fclose(out);
}

/* An empty /summary group (a foreign or damaged file): the header and a note,
 * no table; the empty list of metrics is never handed to qsort (UBSan) */
static void test_summary_empty_group(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "empty-summary.h5");
    write_small(path);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    for (size_t m = 0; m < NMETRICS; m++) {
        char obj[100];
        snprintf(obj, sizeof obj, "/summary/%s", metrics[m].name);
        assert_true(H5Ldelete(f, obj, H5P_DEFAULT) >= 0);
    }
    H5Fclose(f);
    FILE *out = tmpfile();
    assert_non_null(out);
    sim_error_t err = { 0 };
    assert_int_equal(summary_print(path, NULL, out, &err), SIM_OK);
    char *text = slurp(out);
    fclose(out);
    assert_non_null(strstr(text, "test-scenario"));
    assert_non_null(strstr(text, "(no metrics in /summary)"));
    free(text);
    unlink(path);
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

/* --- publishing: nothing is ever replaced by surprise ---------------------- */

/* A small file's writer with every run written, ready to finish. */
static h5out_t *ready(const char *path, int replace)
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

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int holds_text(const char *path, const char *text)
{
    char buf[64] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* Another writer takes the name while the file is written: without replace
 * its file stays, and the result is kept beside it (the first free
 * "<stem>-N.h5"), with a message naming it and SIM_EEXIST. */
static void test_publish_never_replaces(void **state)
{
    (void)state;
    char path[200], kept[200], kept2[200];
    make_path(path, sizeof path, "race.h5");
    make_path(kept, sizeof kept, "race-1.h5");
    make_path(kept2, sizeof kept2, "race-2.h5");
    h5out_t *o = ready(path, 0);
    write_text(path, "the other writer's");
    sim_error_t err = { 0 };
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_true(holds_text(path, "the other writer's"));
    assert_true(H5Fis_hdf5(kept) > 0);
    assert_non_null(strstr(err.msg, "another file took this name"));
    assert_non_null(strstr(err.msg, kept));
    assert_int_equal(count_entries("race.h5.tmp-"), 0);
    /* a second loser: the next free name */
    o = ready(path, 0);
    sim_error_clear(&err);
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_non_null(strstr(err.msg, kept2));
    assert_true(H5Fis_hdf5(kept2) > 0);
    unlink(path);
    unlink(kept);
    unlink(kept2);
}

/* replace (--force) replaces a regular file, nothing else: not a symbolic
 * link (not even a dangling one, nor a loop), not a named pipe. */
static void test_publish_replaces_regular_only(void **state)
{
    (void)state;
    char path[200], kept[200], target[200];
    make_path(path, sizeof path, "forced.h5");
    make_path(kept, sizeof kept, "forced-1.h5");
    make_path(target, sizeof target, "target.txt");
    write_text(path, "old");
    h5out_t *o = ready(path, 1);
    sim_error_t err = { 0 };
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    assert_true(H5Fis_hdf5(path) > 0);
    unlink(path);
    write_text(target, "kept");
    const char *links[] = { "nowhere", path, target };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        o = ready(path, 1);   /* the name is taken after the check: only publish decides */
        assert_int_equal(symlink(links[i], path), 0);
        sim_error_clear(&err);
        assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
        assert_non_null(strstr(err.msg, "symbolic link"));
        struct stat sb;
        assert_int_equal(lstat(path, &sb), 0);
        assert_true(S_ISLNK(sb.st_mode));
        assert_true(H5Fis_hdf5(kept) > 0);
        unlink(kept);
        unlink(path);
    }
    assert_true(holds_text(target, "kept"));
    o = ready(path, 1);
    assert_int_equal(mkfifo(path, 0600), 0);
    sim_error_clear(&err);
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_non_null(strstr(err.msg, "named pipe"));
    unlink(kept);
    unlink(path);
    unlink(target);
}

/* An output name as long as the file system allows: the temporary name is
 * shortened to fit beside it, and the file appears under its name. */
static void test_long_name(void **state)
{
    (void)state;
    long max = pathconf(dir, _PC_NAME_MAX);
    char base[300], path[600];
    for (long len = max - 12; len <= max; len += 3) {
        memset(base, 'L', (size_t)len - 3);
        memcpy(base + len - 3, ".h5", 4);
        snprintf(path, sizeof path, "%s/%s", dir, base);
        h5out_t *o = ready(path, 0);
        sim_error_t err = { 0 };
        assert_int_equal(h5out_finish(o, &err), SIM_OK);
        assert_true(H5Fis_hdf5(path) > 0);
        assert_int_equal(count_entries("LLLLLLLL"), 1);   /* no temporary left */
        unlink(path);
    }
}

/* SOURCE_DATE_EPOCH: digits only, up to 9999-12-31T23:59:59Z; anything else
 * is SIM_EINVAL naming the variable and its value, before any file exists. */
static void test_source_date_epoch(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "sde.h5");
    const char *bad[] = { "abc", "-1", "1.5", "1e9", " 17", "17 ", "+17", "0x10",
                          "253402300800", "99999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        h5out_spec_t spec = small_spec(path);
        h5out_t *o = NULL;
        sim_error_t err = { 0 };
        assert_int_equal(h5out_create(&o, &spec, &err), SIM_EINVAL);
        assert_null(o);
        char want[80];
        snprintf(want, sizeof want, "SOURCE_DATE_EPOCH='%s'", bad[i]);
        assert_non_null(strstr(err.msg, want));
        assert_int_equal(count_entries("sde.h5"), 0);
    }
    setenv("SOURCE_DATE_EPOCH", "253402300799", 1);
    h5out_t *o = ready(path, 0);
    sim_error_t err = { 0 };
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char created[64];
    read_str(f, "/", "created_utc", created, sizeof created);
    assert_string_equal(created, "9999-12-31T23:59:59Z");
    H5Fclose(f);
    unlink(path);
    setenv("SOURCE_DATE_EPOCH", "", 1);   /* empty: unset, as shells leave it */
    time_t t;
    assert_int_equal(h5out_source_date(&t, &err), SIM_OK);
    setenv("SOURCE_DATE_EPOCH", "1795611600", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_missing_directory, no_open_ids),
        cmocka_unit_test_teardown(test_roundtrip, no_open_ids),
        cmocka_unit_test_teardown(test_order_independent, no_open_ids),
        cmocka_unit_test_teardown(test_single_run, no_open_ids),
        cmocka_unit_test_teardown(test_large_blocks, no_open_ids),
        cmocka_unit_test_teardown(test_direct_matches_fallback, no_open_ids),
        cmocka_unit_test_teardown(test_direct_matches_fallback_float32, no_open_ids),
        cmocka_unit_test_teardown(test_incompressible, no_open_ids),
        cmocka_unit_test_teardown(test_blosc, no_open_ids),
        cmocka_unit_test_teardown(test_points_roundtrip, no_open_ids),
        cmocka_unit_test_teardown(test_points_one, no_open_ids),
        cmocka_unit_test_teardown(test_points_missing, no_open_ids),
        cmocka_unit_test_teardown(test_abort_leaves_nothing, no_open_ids),
        cmocka_unit_test_teardown(test_missing_runs, no_open_ids),
        cmocka_unit_test_teardown(test_bad_spec, no_open_ids),
        cmocka_unit_test_teardown(test_summary_print, no_open_ids),
        cmocka_unit_test_teardown(test_summary_errors, no_open_ids),
        cmocka_unit_test_teardown(test_summary_empty_group, no_open_ids),
        cmocka_unit_test_teardown(test_publish_never_replaces, no_open_ids),
        cmocka_unit_test_teardown(test_publish_replaces_regular_only, no_open_ids),
        cmocka_unit_test_teardown(test_long_name, no_open_ids),
        cmocka_unit_test_teardown(test_source_date_epoch, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out", tests, group_setup, group_teardown);
}
