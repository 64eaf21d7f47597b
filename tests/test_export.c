/*
 * Tests for the CSV export of a result file (output/export.c): the runs,
 * summary and compare tables of small files written here with h5out (and
 * compare_file_append), exact text; a file of many chunk rows read block by
 * block; float32 values; labels that need quoting; and bad input (unknown
 * metric, a group the file lacks, no file, not HDF5), which writes nothing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "h5_tmpdir.h"

#include <hdf5.h>

#include "compare_file.h"
#include "export.h"
#include "h5out.h"

#define NRUNS 5
#define NMETRICS 2
#define NTIMES 3

static char dir[64];

static const double times[NTIMES] = { 0, 30, 60 };     /* 2024-03-20, 2024-04-19, 2024-05-19 */

static const h5out_metric_t metrics[NMETRICS] = {
    { "supply_total", "AKT", "total AKT supply" },
    { "inflation", "1/yr", "annual inflation rate" },
};

static const double inflation[NRUNS][NTIMES] = {
    { 0.1, 0.125, 0.5 }, { 0.2, 0.25, 0.75 }, { 0.3, 0.375, 1.5 }, { 0.4, 0.625, 2.5 }, { 0.578, 1e-9, 3 },
};

/* supply_total: 1000 + 10 r + day (+ 100000 p for point p); inflation: the
 * table at time index i. */
static double value(size_t p, size_t r, size_t m, size_t i, double day, size_t ntimes)
{
    if (m == 1 && ntimes == NTIMES && r < NRUNS)
        return inflation[r][i];
    return 1000.0 + 10.0 * (double)r + day + 100000.0 * (double)p;
}

static void make_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* A result file of `runs` runs and `ntimes` daily times (the first NTIMES
 * are `times`); npoints > 1: a leading dimension `dim` with `labels`. */
static void write_file(const char *path, size_t runs, size_t ntimes, size_t npoints, const char *dim,
                       const char *const *labels, int float32)
{
    double *t = malloc(ntimes * sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < ntimes; i++)
        t[i] = ntimes == NTIMES ? times[i] : (double)i;
    h5out_spec_t spec = {
        .path = path, .command = npoints > 1 ? (strcmp(dim, "arm") == 0 ? "compare" : "sweep") : "run",
        .scenario_name = "export-test", .scenario_yaml = "name: export-test\n", .start_date = "2024-03-20",
        .version = "0.0.0", .format_version = 1, .seed = 1, .runs = runs, .days = (int64_t)t[ntimes - 1],
        .record_every_days = ntimes == NTIMES ? 30 : 1, .ntimes = ntimes, .time = t, .metrics = metrics,
        .nmetrics = NMETRICS, .float32 = float32, .npoints = npoints, .point_dim = dim, .point_labels = labels,
    };
    h5out_t *o = NULL;
    sim_error_t err = { 0 };
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    double *data = malloc(runs * NMETRICS * ntimes * sizeof *data);
    assert_non_null(data);
    for (size_t p = 0; p < (npoints ? npoints : 1); p++) {
        for (size_t r = 0; r < runs; r++)
            for (size_t m = 0; m < NMETRICS; m++)
                for (size_t i = 0; i < ntimes; i++)
                    data[(r * NMETRICS + m) * ntimes + i] = value(p, r, m, i, t[i], ntimes);
        assert_int_equal(h5out_write_point_runs(o, p, 0, runs, data, &err), SIM_OK);
    }
    free(data);
    free(t);
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
}

/* open_memstream's buffer: file scope, as the stream keeps its address */
static char *mem_buf;
static size_t mem_len;

/* The table export_csv writes, as a malloc'd string; its status in *st. */
static char *export_text(const char *path, export_group_t group, const char *const *names, size_t n,
                         sim_status_t *st, sim_error_t *err)
{
    FILE *out = open_memstream(&mem_buf, &mem_len);
    assert_non_null(out);
    export_opts_t opts = { .group = group, .metrics = names, .nmetrics = n };
    sim_error_clear(err);
    *st = export_csv(path, &opts, out, err);
    fclose(out);
    return mem_buf;
}

static void test_runs(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "run.h5");
    write_file(path, NRUNS, NTIMES, 0, NULL, NULL, 0);
    sim_error_t err;
    sim_status_t st;
    static const char *const infl[] = { "inflation" };
    char *csv = export_text(path, EXPORT_RUNS, infl, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_string_equal(csv,
        "run,date,day,metric,units,value\n"
        "0,2024-03-20,0,inflation,1/yr,0.1\n"
        "0,2024-04-19,30,inflation,1/yr,0.125\n"
        "0,2024-05-19,60,inflation,1/yr,0.5\n"
        "1,2024-03-20,0,inflation,1/yr,0.2\n"
        "1,2024-04-19,30,inflation,1/yr,0.25\n"
        "1,2024-05-19,60,inflation,1/yr,0.75\n"
        "2,2024-03-20,0,inflation,1/yr,0.3\n"
        "2,2024-04-19,30,inflation,1/yr,0.375\n"
        "2,2024-05-19,60,inflation,1/yr,1.5\n"
        "3,2024-03-20,0,inflation,1/yr,0.4\n"
        "3,2024-04-19,30,inflation,1/yr,0.625\n"
        "3,2024-05-19,60,inflation,1/yr,2.5\n"
        "4,2024-03-20,0,inflation,1/yr,0.578\n"
        "4,2024-04-19,30,inflation,1/yr,1e-09\n"
        "4,2024-05-19,60,inflation,1/yr,3\n");
    free(csv);

    /* every metric, in the file's order, each asked twice given once */
    static const char *const twice[] = { "supply_total", "inflation", "supply_total" };
    for (int all = 0; all < 2; all++) {
        csv = export_text(path, EXPORT_RUNS, all ? NULL : twice, all ? 0 : 3, &st, &err);
        assert_int_equal(st, SIM_OK);
        size_t lines = 0;
        for (const char *c = csv; *c; c++)
            lines += *c == '\n';
        assert_int_equal(lines, 1 + NRUNS * NTIMES * NMETRICS);
        assert_non_null(strstr(csv, "run,date,day,metric,units,value\n"
                                    "0,2024-03-20,0,supply_total,AKT,1000\n"
                                    "0,2024-04-19,30,supply_total,AKT,1030\n"));
        assert_non_null(strstr(csv, "4,2024-05-19,60,supply_total,AKT,1100\n"
                                    "0,2024-03-20,0,inflation,1/yr,0.1\n"));
        free(csv);
    }
}

static void test_summary(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "summary.h5");
    write_file(path, NRUNS, NTIMES, 0, NULL, NULL, 0);
    sim_error_t err;
    sim_status_t st;
    static const char *const supply[] = { "supply_total" };
    char *csv = export_text(path, EXPORT_SUMMARY, supply, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    /* 1000, 1010, ..., 1040 (+ t): mean 1020, sd sqrt(250), type-7 quantiles */
    assert_string_equal(csv,
        "date,day,metric,units,mean,sd,p05,p25,p50,p75,p95\n"
        "2024-03-20,0,supply_total,AKT,1020,15.811388300841896,1002,1010,1020,1030,1038\n"
        "2024-04-19,30,supply_total,AKT,1050,15.811388300841896,1032,1040,1050,1060,1068\n"
        "2024-05-19,60,supply_total,AKT,1080,15.811388300841896,1062,1070,1080,1090,1098\n");
    free(csv);
}

static const double cmp_data[9][NMETRICS * NTIMES] = {
    { 1000, 1030, 1060, 0.1, 0.2, 0.3 },        /* base_mean */
    { 1, 2, 3, 0.01, 0.02, 0.03 },              /* base_sd */
    { 1000, 1025.5, 1050, 0.1, 0.15, 0.25 },    /* proposal_mean */
    { 1, 2, 3, 0.01, 0.02, 0.03 },              /* proposal_sd */
    { 0, -4.5, -10, 0, -0.05, -0.05 },          /* diff_mean */
    { 0, 1, 2, 0, 0.01, 0.01 },                 /* diff_sd */
    { 0, -5.25, -11.5, 0, -0.0625, -0.0625 },   /* diff_ci_low */
    { 0, -3.75, -8.5, 0, -0.0375, -0.0375 },    /* diff_ci_high */
    { 1, 8, 4.5, 1, 8, 18 },                    /* variance_ratio */
};

static void write_compare(const char *path)
{
    static const char *const arms[] = { "base", "proposal" };
    write_file(path, NRUNS, NTIMES, 2, "arm", arms, 0);
    static const char *const names[] = { "supply_total", "inflation" };
    static const char *const units[] = { "AKT", "1/yr" };
    static const char *const desc[] = { "total AKT supply", "annual inflation rate" };
    compare_file_t c = {
        .path = path, .base_name = "base", .proposal_name = "proposal", .base_yaml = "name: base\n",
        .seed = 1, .runs = NRUNS, .days = 60, .record_every_days = 30, .ntimes = NTIMES, .time = times,
        .nmetrics = NMETRICS, .names = names, .units = units, .descriptions = desc,
        .base_mean = cmp_data[0], .base_sd = cmp_data[1], .prop_mean = cmp_data[2], .prop_sd = cmp_data[3],
        .diff_mean = cmp_data[4], .diff_sd = cmp_data[5], .ci_low = cmp_data[6], .ci_high = cmp_data[7],
        .var_ratio = cmp_data[8],
    };
    sim_error_t err = { 0 };
    assert_int_equal(compare_file_append(path, &c, &err), SIM_OK);
}

static void test_compare(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "compare.h5");
    write_compare(path);
    sim_error_t err;
    sim_status_t st;
    static const char *const infl[] = { "inflation" };
    char *csv = export_text(path, EXPORT_COMPARE, infl, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_string_equal(csv,
        "date,day,metric,units,base_mean,proposal_mean,diff_mean,diff_ci_low,diff_ci_high\n"
        "2024-03-20,0,inflation,1/yr,0.1,0.1,0,0,0\n"
        "2024-04-19,30,inflation,1/yr,0.2,0.15,-0.05,-0.0625,-0.0375\n"
        "2024-05-19,60,inflation,1/yr,0.3,0.25,-0.05,-0.0625,-0.0375\n");
    free(csv);
    csv = export_text(path, EXPORT_COMPARE, NULL, 0, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_non_null(strstr(csv, "2024-04-19,30,supply_total,AKT,1030,1025.5,-4.5,-5.25,-3.75\n"));
    free(csv);

    /* the arms' runs and summaries: the arm and its label lead each row */
    static const char *const supply[] = { "supply_total" };
    csv = export_text(path, EXPORT_RUNS, supply, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_non_null(strstr(csv, "arm,arm_label,run,date,day,metric,units,value\n"
                                "0,base,0,2024-03-20,0,supply_total,AKT,1000\n"));
    assert_non_null(strstr(csv, "1,proposal,4,2024-05-19,60,supply_total,AKT,101100\n"));
    free(csv);
    csv = export_text(path, EXPORT_SUMMARY, supply, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_non_null(strstr(csv, "arm,arm_label,date,day,metric,units,mean,sd,p05,p25,p50,p75,p95\n"
                                "0,base,2024-03-20,0,supply_total,AKT,1020,"));
    assert_non_null(strstr(csv, "1,proposal,2024-03-20,0,supply_total,AKT,101020,"));
    free(csv);
}

/* A sweep's labels hold commas and may hold quotes: libcsv quotes them. */
static void test_labels_quoted(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "sweep.h5");
    static const char *const labels[] = { "a=1, b=2", "a=\"x\"", "plain" };
    write_file(path, NRUNS, NTIMES, 3, "point", labels, 0);
    sim_error_t err;
    sim_status_t st;
    static const char *const infl[] = { "inflation" };
    char *csv = export_text(path, EXPORT_RUNS, infl, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_non_null(strstr(csv, "\n0,\"a=1, b=2\",0,2024-03-20,0,inflation,1/yr,0.1\n"));
    assert_non_null(strstr(csv, "\n1,\"a=\"\"x\"\"\",0,2024-03-20,0,inflation,1/yr,0.1\n"));
    assert_non_null(strstr(csv, "\n2,plain,4,2024-05-19,60,inflation,1/yr,3\n"));
    free(csv);
}

/* float32 files: each value as the float it is, not its double's 17 digits. */
static void test_float32(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "f32.h5");
    write_file(path, NRUNS, NTIMES, 0, NULL, NULL, 1);
    sim_error_t err;
    sim_status_t st;
    static const char *const infl[] = { "inflation" };
    char *csv = export_text(path, EXPORT_RUNS, infl, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    assert_non_null(strstr(csv, "\n4,2024-03-20,0,inflation,1/yr,0.578\n4,2024-04-19,30,inflation,1/yr,1e-09\n"));
    free(csv);
}

/* 300 runs x 300 days: three chunk rows of 128, 128 and 44 runs, read one
 * after the other; every row is there with its value. */
static void test_many_runs(void **state)
{
    (void)state;
    enum { RUNS = 300, DAYS = 300 };
    char path[200];
    make_path(path, sizeof path, "many.h5");
    write_file(path, RUNS, DAYS, 0, NULL, NULL, 0);
    sim_error_t err;
    sim_status_t st;
    static const char *const supply[] = { "supply_total" };
    char *csv = export_text(path, EXPORT_RUNS, supply, 1, &st, &err);
    assert_int_equal(st, SIM_OK);
    const char *line = strchr(csv, '\n') + 1;
    size_t rows = 0;
    for (; *line; line = strchr(line, '\n') + 1, rows++) {
        unsigned run, day, y, mo, d;
        double v;
        char tail;
        assert_int_equal(sscanf(line, "%u,%u-%u-%u,%u,supply_total,AKT,%lf%c", &run, &y, &mo, &d, &day, &v, &tail), 7);
        assert_int_equal(run, rows / DAYS);
        assert_int_equal(day, rows % DAYS);
        assert_true(v == 1000.0 + 10.0 * run + day);
        assert_int_equal(tail, '\n');
    }
    assert_int_equal(rows, RUNS * DAYS);
    assert_non_null(strstr(csv, "\n299,2025-01-13,299,supply_total,AKT,4289\n"));
    free(csv);
}

static void test_errors(void **state)
{
    (void)state;
    char run[200], text[200], missing[200];
    make_path(run, sizeof run, "err-run.h5");
    make_path(text, sizeof text, "not-hdf5.h5");
    make_path(missing, sizeof missing, "missing.h5");
    write_file(run, NRUNS, NTIMES, 0, NULL, NULL, 0);
    FILE *t = fopen(text, "w");
    assert_non_null(t);
    fputs("run,value\n", t);
    fclose(t);
    sim_error_t err;
    sim_status_t st;

    /* an unknown metric: the nearest name, and not a byte written */
    static const char *const typo[] = { "inflation", "supply_totl" };
    char *csv = export_text(run, EXPORT_RUNS, typo, 2, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_string_equal(csv, "");
    assert_non_null(strstr(err.msg, run));
    assert_non_null(strstr(err.msg, "no metric 'supply_totl' in /runs (did you mean 'supply_total'?)"));
    free(csv);
    static const char *const far[] = { "leases_closed_provider" };
    csv = export_text(run, EXPORT_SUMMARY, far, 1, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_string_equal(csv, "");
    assert_non_null(strstr(err.msg, "no metric 'leases_closed_provider' in /summary"));
    assert_null(strstr(err.msg, "did you mean"));
    free(csv);
    /* the dimension scales are no metrics */
    static const char *const scale[] = { "time" };
    csv = export_text(run, EXPORT_RUNS, scale, 1, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_non_null(strstr(err.msg, "no metric 'time'"));
    free(csv);

    /* a group the file lacks */
    csv = export_text(run, EXPORT_COMPARE, NULL, 0, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_string_equal(csv, "");
    assert_non_null(strstr(err.msg, run));
    assert_non_null(strstr(err.msg, "no /compare: a file of `tokensim run`"));
    free(csv);

    /* no file; not an HDF5 file */
    csv = export_text(missing, EXPORT_RUNS, NULL, 0, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_non_null(strstr(err.msg, missing));
    assert_non_null(strstr(err.msg, "cannot open"));
    free(csv);
    csv = export_text(text, EXPORT_RUNS, NULL, 0, &st, &err);
    assert_int_equal(st, SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not an HDF5 file"));
    free(csv);

    /* --group's values */
    export_group_t g = EXPORT_RUNS;
    sim_error_clear(&err);
    assert_int_equal(export_group_parse("summary", &g, &err), SIM_OK);
    assert_int_equal(g, EXPORT_SUMMARY);
    assert_int_equal(export_group_parse("compare", &g, &err), SIM_OK);
    assert_int_equal(g, EXPORT_COMPARE);
    assert_int_equal(export_group_parse("sweep", &g, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--group 'sweep': expected runs, summary or compare"));

    /* a write that fails (a full disk) is SIM_EIO naming the output */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        export_opts_t opts = { .group = EXPORT_RUNS, .out_name = "out.csv" };
        sim_error_clear(&err);
        assert_int_equal(export_csv(run, &opts, full, &err), SIM_EIO);
        assert_non_null(strstr(err.msg, "cannot write the CSV table to out.csv"));
        fclose(full);
    }
}

/* --- setup ------------------------------------------------------------------ */

static int group_setup(void **state)
{
    (void)state;
    return tmpdir_make(dir, sizeof dir, "test_export");
}

static int group_teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_runs, no_open_ids),
        cmocka_unit_test_teardown(test_summary, no_open_ids),
        cmocka_unit_test_teardown(test_compare, no_open_ids),
        cmocka_unit_test_teardown(test_labels_quoted, no_open_ids),
        cmocka_unit_test_teardown(test_float32, no_open_ids),
        cmocka_unit_test_teardown(test_many_runs, no_open_ids),
        cmocka_unit_test_teardown(test_errors, no_open_ids),
    };
    return cmocka_run_group_tests_name("export", tests, group_setup, group_teardown);
}
