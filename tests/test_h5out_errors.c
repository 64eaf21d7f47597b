/*
 * Tests for the HDF5 result file's refusals (output/h5out.c): a bad
 * specification, a missing directory, runs out of range or missing, an
 * aborted writer and a bad SOURCE_DATE_EPOCH give their message and leave
 * no file behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h5out_fixtures.h"

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
        cmocka_unit_test_teardown(test_abort_leaves_nothing, no_open_ids),
        cmocka_unit_test_teardown(test_missing_runs, no_open_ids),
        cmocka_unit_test_teardown(test_bad_spec, no_open_ids),
        cmocka_unit_test_teardown(test_source_date_epoch, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out_errors", tests, group_setup, group_teardown);
}
