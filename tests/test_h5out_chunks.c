/*
 * Tests for the chunks of /runs filtered here (output/h5out_chunks.c),
 * whatever the blocks, read by HDF5's own zlib (or its Blosc plugin): the
 * same values and /summary as the values written, the same stored chunks
 * whatever the blocks, the same bytes whatever the threads; deflate and
 * Blosc, double and float32, chunks that compress and chunks that do not.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5out_chunk_fixtures.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_direct_matches_fallback, no_open_ids),
        cmocka_unit_test_teardown(test_direct_matches_fallback_float32, no_open_ids),
        cmocka_unit_test_teardown(test_incompressible, no_open_ids),
        cmocka_unit_test_teardown(test_blosc, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out_chunks", tests, group_setup, group_teardown);
}
