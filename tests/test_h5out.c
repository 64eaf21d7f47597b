/*
 * Tests for the layout of the HDF5 result file (output/h5out.c): its
 * attributes, /scenario, /params, /time, /run, /runs bit for bit and the
 * /summary datasets (the statistics themselves: tests/test_stats.c), whatever
 * the order and size of the blocks of runs. Files go to a fresh mkdtemp()
 * directory that the group teardown removes. Deterministic: fixed data, no
 * clock (SOURCE_DATE_EPOCH pins created_utc).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5out_fixtures.h"
#include "stats.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_roundtrip, no_open_ids),
        cmocka_unit_test_teardown(test_order_independent, no_open_ids),
        cmocka_unit_test_teardown(test_single_run, no_open_ids),
        cmocka_unit_test_teardown(test_large_blocks, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out", tests, group_setup, group_teardown);
}
