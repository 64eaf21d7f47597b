/*
 * Tests for a points dimension in the HDF5 result file (the arms of a
 * comparison, the points of a sweep; output/h5out.c): /<dim> and its labels,
 * /runs [point][run][time] and /summary [point][time], each point the file
 * holding that point alone; one point is the file without points; a points
 * file is whole only with every run of every point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5out_chunk_fixtures.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_points_roundtrip, no_open_ids),
        cmocka_unit_test_teardown(test_points_one, no_open_ids),
        cmocka_unit_test_teardown(test_points_missing, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out_points", tests, group_setup, group_teardown);
}
