/*
 * Tests for `tokensim summary` of a run's file (output/summary.c): the
 * provenance and the table of medians, its refusals of missing, text and
 * foreign files (nothing printed), and an empty /summary group. Comparison
 * and sweep files: tests/test_summary.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h5out_fixtures.h"
#include "summary.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_summary_print, no_open_ids),
        cmocka_unit_test_teardown(test_summary_errors, no_open_ids),
        cmocka_unit_test_teardown(test_summary_empty_group, no_open_ids),
    };
    return cmocka_run_group_tests_name("summary_print", tests, group_setup, group_teardown);
}
