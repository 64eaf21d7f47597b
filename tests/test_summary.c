/*
 * Tests for `tokensim summary` of comparison and sweep files and for its
 * choice of metrics and days (output/summary.c, compare_summary.c,
 * sweep_summary.c, summary_select.c), and for the comparison's table
 * (output/compare_table.c) and its numbers (output/numfmt.c). The files are
 * made with fixed numbers (h5out, compare_file_append, sweep_file_append), so
 * every printed figure is known exactly. Files go to a fresh mkdtemp()
 * directory that the group teardown removes.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "h5_tmpdir.h"

#include <hdf5.h>

#include "compare_file.h"
#include "compare_table.h"
#include "h5out.h"
#include "numfmt.h"
#include "params.h"
#include "scenario.h"
#include "summary.h"
#include "sweep_file.h"
#include "sweep_points.h"

#define NTIMES 3
#define NRUNS 2

static char dir[64];
static const double times[NTIMES] = {0, 30, 60};

static void make_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* The printed text of `summary_print` (which must succeed), malloc'd. */
static char *summary_text(const char *path, const summary_opts_t *opts)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    sim_error_t err = {0};
    sim_status_t st = summary_print(path, opts, out, &err);
    fclose(out);
    if (st != SIM_OK)
        print_error("summary_print: %s\n", err.msg);
    assert_int_equal(st, SIM_OK);
    return text;
}

/* summary_print fails with SIM_EINVAL, prints nothing, and its message holds want. */
static void summary_fails(const char *path, const summary_opts_t *opts, const char *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    sim_error_t err = {0};
    assert_int_equal(summary_print(path, opts, out, &err), SIM_EINVAL);
    fclose(out);
    assert_int_equal(len, 0);
    free(text);
    if (!strstr(err.msg, want))
        print_error("message '%s' lacks '%s'\n", err.msg, want);
    assert_non_null(strstr(err.msg, want));
}

/* s with every run of blanks made one blank (malloc'd): table columns are
 * as wide as their widest cell, which these tests do not pin. */
static char *squeeze(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' || o == 0 || out[o - 1] != ' ')
            out[o++] = s[i];
    out[o] = '\0';
    return out;
}

/* The line of text that contains both a and b, blanks squeezed (a copy,
 * malloc'd), or NULL. */
static char *line_with(const char *text, const char *a, const char *b)
{
    char *sa = squeeze(a, strlen(a)), *sb = squeeze(b, strlen(b));
    char *found = NULL;
    for (const char *p = text; *p && !found;) {
        size_t n = strcspn(p, "\n");
        char *line = squeeze(p, n);
        if (strstr(line, sa) && strstr(line, sb))
            found = line;
        else
            free(line);
        p += n + (p[n] == '\n');
    }
    free(sa);
    free(sb);
    return found;
}

static void assert_line(const char *text, const char *a, const char *b)
{
    char *line = line_with(text, a, b);
    if (!line)
        print_error("no line with '%s' and '%s' in:\n%s\n", a, b, text);
    assert_non_null(line);
    free(line);
}

/* --- the files --------------------------------------------------------------- */

static const h5out_metric_t metrics[] = {
    {"supply_total", "AKT", "total supply"},
    {"bonded_ratio", "fraction", "bonded / supply"},
    {"price_usd", "USD/AKT", "AKT price"},
    {"community_pool", "AKT", "community pool"},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static h5out_spec_t spec_for(const char *path, const char *command, size_t npoints, const char *dim)
{
    return (h5out_spec_t){
        .path = path, .command = command, .scenario_name = "proposal-x", .scenario_yaml = "name: proposal-x\n",
        .start_date = "2024-03-20", .version = "0.2.0", .format_version = 1, .seed = 42, .runs = NRUNS,
        .days = 60, .record_every_days = 30, .ntimes = NTIMES, .time = times, .metrics = metrics,
        .nmetrics = NMETRICS, .npoints = npoints, .point_dim = dim,
    };
}

/* Write a file of npoints points whose run r of point p has value
 * 1e6 (p + 1) + 100 t + 0.2 r for every metric at time index t. */
static void write_points(const char *path, const char *command, size_t npoints, const char *dim)
{
    h5out_spec_t spec = spec_for(path, command, npoints, dim);
    h5out_t *o = NULL;
    sim_error_t err = {0};
    assert_int_equal(h5out_create(&o, &spec, &err), SIM_OK);
    double data[NRUNS * NMETRICS * NTIMES];
    for (size_t p = 0; p < npoints; p++) {
        for (size_t r = 0; r < NRUNS; r++)
            for (size_t m = 0; m < NMETRICS; m++)
                for (size_t t = 0; t < NTIMES; t++)
                    data[(r * NMETRICS + m) * NTIMES + t] = 1e6 * (double)(p + 1) + 100.0 * (double)t + 0.2 * (double)r;
        assert_int_equal(h5out_write_point_runs(o, p, 0, NRUNS, data, &err), SIM_OK);
    }
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
}

/* The comparison's statistics, the same at every time: [metric][stat] for
 * base mean, base sd, proposal mean, proposal sd, diff mean, diff sd, CI low,
 * CI high, variance ratio. */
static const double cmp_stats[NMETRICS][9] = {
    /* a clear difference: -0.0329 % */
    {279467123.4, 1e6, 279375260.1, 1e6, -91863.3, 3.0, -91864.1, -91862.6, 18500000},
    /* clear (the CI excludes 0) but nil: 0.00173 %, under 0.01 % */
    {0.578, 0.01, 0.57801, 0.01, 0.00001, 0.000001, 0.0000093, 0.0000107, 250},
    /* identical arms: every paired difference 0, the variance ratio infinite */
    {0.5, 0.2, 0.5, 0.2, 0, 0, 0, 0, INFINITY},
    /* unclear: the CI includes 0 */
    {1234567.8, 500, 1234667.8, 500, 100, 300, -50, 250, 4.2},
};

typedef struct {
    double data[9][NMETRICS * NTIMES];
    const char *names[NMETRICS], *units[NMETRICS];
    compare_file_t c;
} cmp_t;

static void fill_compare(cmp_t *k, const char *path)
{
    for (size_t m = 0; m < NMETRICS; m++) {
        k->names[m] = metrics[m].name;
        k->units[m] = metrics[m].unit;
        for (size_t s = 0; s < 9; s++)
            for (size_t t = 0; t < NTIMES; t++)
                k->data[s][m * NTIMES + t] = cmp_stats[m][s];
    }
    k->c = (compare_file_t){
        .path = path, .base_name = "base-y", .proposal_name = "proposal-x", .base_yaml = "name: base-y\n",
        .seed = 42, .runs = NRUNS, .days = 60, .record_every_days = 30, .ntimes = NTIMES, .time = times,
        .nmetrics = NMETRICS, .names = k->names, .units = k->units, .descriptions = k->names,
        .base_mean = k->data[0], .base_sd = k->data[1], .prop_mean = k->data[2], .prop_sd = k->data[3],
        .diff_mean = k->data[4], .diff_sd = k->data[5], .ci_low = k->data[6], .ci_high = k->data[7],
        .var_ratio = k->data[8],
    };
}

static void write_compare(const char *path)
{
    write_points(path, "compare", 2, "arm");
    static cmp_t k;
    fill_compare(&k, path);
    sim_error_t err = {0};
    assert_int_equal(compare_file_append(path, &k.c, &err), SIM_OK);
}

static void write_sweep(const char *path)
{
    write_points(path, "sweep", 3, "point");
    static const double values[3 * 2] = {0.1, 400, 0.2, 400, 0.3, 800};
    static const char *const names[2] = {"market.take_rate_usdc", "tenants.orders_per_day"};
    static const char *const units[2] = {"fraction", "orders/day"};
    sweep_file_t sw = {.path = path, .npoints = 3, .nparams = 2, .values = values, .names = names, .units = units};
    sim_error_t err = {0};
    assert_int_equal(sweep_file_append(path, &sw, &err), SIM_OK);
}

/* --- numbers ------------------------------------------------------------------- */

static void test_numfmt_fixed(void **state)
{
    (void)state;
    char b[64];
    numfmt_fixed(279467123.4, 0, b, sizeof b);
    assert_string_equal(b, "279,467,123");
    numfmt_fixed(-1234.56, 1, b, sizeof b);
    assert_string_equal(b, "-1,234.6");
    numfmt_fixed(123.456, 2, b, sizeof b);
    assert_string_equal(b, "123.46");
    numfmt_fixed(-0.0000001, 5, b, sizeof b);
    assert_string_equal(b, "0.00000");     /* no "-0.00000" */
    numfmt_fixed(1e20, 0, b, sizeof b);
    assert_string_equal(b, "100,000,000,000,000,000,000");
    numfmt_fixed(NAN, 2, b, sizeof b);
    assert_string_equal(b, "nan");
    numfmt_fixed(-INFINITY, 2, b, sizeof b);
    assert_string_equal(b, "-inf");
    assert_int_equal(numfmt_decimals(279467123.4, 5), 0);
    assert_int_equal(numfmt_decimals(0.578, 5), 5);
    assert_int_equal(numfmt_decimals(1234.5, 5), 1);
    assert_int_equal(numfmt_decimals(0, 5), 0);
    assert_int_equal(numfmt_decimals(1e-12, 5), NUMFMT_MAX_DECIMALS);
    assert_int_equal(numfmt_decimals(INFINITY, 5), 0);
}

static void test_verdict(void **state)
{
    (void)state;
    assert_int_equal(compare_verdict(100, -5, 1, -7, -3), COMPARE_CLEAR);
    assert_int_equal(compare_verdict(100, -5, 10, -25, 15), COMPARE_UNCLEAR);
    /* clear, and under 0.01 % of the base: nil */
    assert_int_equal(compare_verdict(1e6, 99, 1, 98, 100), COMPARE_NIL);
    assert_int_equal(compare_verdict(1e6, 101, 1, 100, 102), COMPARE_CLEAR);
    /* every paired difference 0 (identical arms): nil, also where the base is 0 */
    assert_int_equal(compare_verdict(0.5, 0, 0, 0, 0), COMPARE_NIL);
    assert_int_equal(compare_verdict(0, 0, 0, 0, 0), COMPARE_NIL);
    /* a fixed shift (no variance) from a base of 0: clear */
    assert_int_equal(compare_verdict(0, 3, 0, 3, 3), COMPARE_CLEAR);
    assert_string_equal(compare_verdict_name(COMPARE_NIL), "nil");
    assert_string_equal(compare_verdict_name(COMPARE_CLEAR), "clear");
    assert_string_equal(compare_verdict_name(COMPARE_UNCLEAR), "unclear");
}

/* The table `tokensim compare` prints: headers, readable numbers, the marks. */
static void test_compare_table(void **state)
{
    (void)state;
    static cmp_t k;
    fill_compare(&k, "mem.h5");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(compare_print_table(&k.c, out), 0);
    fclose(out);
    assert_non_null(strstr(text, "compare: proposal-x (proposal) against base-y (base), 2 paired runs, seed 42"));
    assert_line(text, "base mean", "proposal mean");
    assert_line(text, "difference %", "95 % CI");
    assert_line(text, "verdict", "variance reduction");
    /* 1, 2 and 5 years are all past the 60-day horizon: one row a metric, day 60 */
    assert_line(text, "supply_total", "AKT 60 279,467,123 279,375,260 -91,863 -0.0329 [-91,864, -91,863] clear");
    assert_line(text, "supply_total", "18,500,000");
    assert_line(text, "bonded_ratio", "0.57800  0.57801  0.00001  0.00173  [0.00001, 0.00001]  nil");
    assert_line(text, "price_usd", "0.50000  0.50000  0.00000  0  [0.00000, 0.00000]  nil");
    assert_line(text, "price_usd", "identical");
    assert_line(text, "community_pool", "1,234,568  1,234,668  100  0.00810  [-50, 250]  unclear  4.20");
    assert_null(strstr(text, "inf"));
    assert_null(strstr(text, "e+"));
    assert_null(strstr(text, "e-0"));
    /* the legend says what each mark means */
    assert_non_null(strstr(text, "clear = the CI excludes 0"));
    assert_non_null(strstr(text, "nil = the CI excludes 0 (or every paired difference is 0)"));
    assert_non_null(strstr(text, "under 0.01 % of |base mean|"));
    assert_non_null(strstr(text, "unclear = the CI includes 0"));
    assert_non_null(strstr(text, "identical = every paired difference is 0"));
    free(text);
}

/* --- summary of a comparison file ------------------------------------------- */

static void test_summary_compare(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "compare.h5");
    write_compare(path);
    char *text = summary_text(path, NULL);
    assert_line(text, "base", "base-y");
    assert_line(text, "proposal", "proposal-x");
    assert_line(text, "paired runs", "2");
    assert_line(text, "seed", "42");
    assert_line(text, "base mean", "verdict");
    /* the horizons 0 and 30, and the last day, 60 */
    assert_line(text, "supply_total", "   0  279,467,123");
    assert_line(text, "supply_total", "  30  279,467,123");
    assert_line(text, "supply_total", "  60  279,467,123");
    assert_line(text, "bonded_ratio", "nil");
    assert_line(text, "community_pool", "unclear");
    assert_line(text, "price_usd", "identical");
    assert_null(strstr(text, "inf"));
    assert_null(strstr(text, "e+"));
    assert_non_null(strstr(text, "clear = the CI excludes 0"));
    free(text);

    /* chosen metrics, in their order, at chosen days (45: the last record at or before it, 30) */
    const char *want[] = {"price_usd", "supply_total"};
    const double at[] = {45};
    summary_opts_t opts = {.metrics = want, .nmetrics = 2, .at_days = at, .nat = 1};
    text = summary_text(path, &opts);
    assert_null(strstr(text, "bonded_ratio"));
    assert_null(strstr(text, "community_pool"));
    assert_line(text, "price_usd", "  30  ");
    assert_null(line_with(text, "supply_total", " 60 "));
    char *p = strstr(text, "\nprice_usd"), *s = strstr(text, "\nsupply_total");
    assert_non_null(p);
    assert_non_null(s);
    assert_true(p < s);
    free(text);

    const char *typo[] = {"suply_total"};
    opts = (summary_opts_t){.metrics = typo, .nmetrics = 1};
    summary_fails(path, &opts, "compare.h5: no metric 'suply_total' in /compare (did you mean 'supply_total'?)");
    const double late[] = {30, 61};
    opts = (summary_opts_t){.at_days = late, .nat = 2};
    summary_fails(path, &opts, "compare.h5: day 61 is past the file's last recorded day, 60");
    opts = (summary_opts_t){.observed_only = 1};
    summary_fails(path, &opts, "a comparison file: --observed-only reads run files");
}

/* --- summary of a sweep file -------------------------------------------------- */

static void test_summary_sweep(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "sweep.h5");
    write_sweep(path);
    char *text = summary_text(path, NULL);
    assert_non_null(strstr(text, "sweep: (mode not recorded), 3 points, 2 runs each, 2 parameters"));
    assert_non_null(strstr(text, "The median across runs of each point"));
    /* the default outputs (a file without /sweep's outputs), in their order */
    char *sup = strstr(text, "\nsupply_total (AKT)\n"), *bon = strstr(text, "\nbonded_ratio (fraction)\n");
    char *pri = strstr(text, "\nprice_usd (USD/AKT)\n"), *com = strstr(text, "\ncommunity_pool (AKT)\n");
    assert_true(sup && bon && pri && com);
    assert_true(sup < bon && bon < pri && pri < com);
    assert_line(text, "market.take_rate_usdc", "day 60");
    assert_line(text, "point", "day 0");
    assert_line(text, "fraction", "orders/day");
    /* point 2: 0.3, 800; medians 3,000,000 + 100 t (+ 0.1) */
    assert_line(text, "0.3", "800  3,000,000  3,000,100  3,000,200");
    assert_line(text, "0.1", "400  1,000,000  1,000,100  1,000,200");
    free(text);

    const char *want[] = {"price_usd"};
    const double at[] = {60, 0};
    summary_opts_t opts = {.metrics = want, .nmetrics = 1, .at_days = at, .nat = 2};
    text = summary_text(path, &opts);
    assert_non_null(strstr(text, "\nprice_usd (USD/AKT)\n"));
    assert_null(strstr(text, "supply_total ("));
    assert_line(text, "day 0", "day 60");
    assert_null(strstr(text, "day 30"));
    assert_line(text, "0.2", "400  2,000,000  2,000,200");
    free(text);

    const char *typo[] = {"price_us", "zzzzzzzzzzzzzzzz"};
    opts = (summary_opts_t){.metrics = typo, .nmetrics = 1};
    summary_fails(path, &opts, "sweep.h5: no metric 'price_us' in /summary (did you mean 'price_usd'?)");
    opts = (summary_opts_t){.metrics = typo + 1, .nmetrics = 1};
    summary_fails(path, &opts, "no metric 'zzzzzzzzzzzzzzzz' in /summary; the nearest names: ");
    const double late[] = {1000};
    opts = (summary_opts_t){.at_days = late, .nat = 1};
    summary_fails(path, &opts, "sweep.h5: day 1000 is past the file's last recorded day, 60");
}

/* A Morris sweep's ranking: its outputs and horizons, or those chosen among them. */
static void test_summary_morris(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "morris.h5");
    static params_t p;
    static sweep_points_t sp;
    sim_error_t err = {0};
    /* 3 parameters, 3 trajectories: 12 points; outputs supply_total, community_pool, bonded_ratio
     * at days 10 and 30 (here recorded days 0 and 30) */
    assert_int_equal(scenario_load("tests/fixtures/sweep-morris.yaml", &p, &err), SIM_OK);
    assert_int_equal(sweep_points_init(&sp, &p, path, &err), SIM_OK);
    assert_int_equal(sp.file.npoints, 12);
    write_points(path, "sweep", sp.file.npoints, "point");
    assert_int_equal(sweep_file_append(path, &sp.file, &err), SIM_OK);
    sweep_points_free(&sp);

    char *text = summary_text(path, NULL);
    assert_non_null(strstr(text, "sweep: morris, 3 trajectories x (3 parameters + 1) = 12 points"));
    assert_line(text, "rank", "parameter range unit mu* +-95% mu sigma");
    assert_non_null(strstr(text, "\nsupply_total (AKT), day 0\n"));
    assert_non_null(strstr(text, "\nbonded_ratio (fraction), day 30\n"));
    assert_non_null(strstr(text, "\ncommunity_pool (AKT), day 30\n"));
    free(text);

    const char *want[] = {"community_pool"};
    const double at[] = {45};
    summary_opts_t opts = {.metrics = want, .nmetrics = 1, .at_days = at, .nat = 1};
    text = summary_text(path, &opts);
    assert_non_null(strstr(text, "\ncommunity_pool (AKT), day 30\n"));
    assert_null(strstr(text, "day 0\n"));
    assert_null(strstr(text, "supply_total ("));
    assert_null(strstr(text, "bonded_ratio ("));
    free(text);

    /* in /summary, but not analysed */
    const char *price[] = {"price_usd"};
    opts = (summary_opts_t){.metrics = price, .nmetrics = 1};
    summary_fails(path, &opts, "morris.h5: no metric 'price_usd' among the sweep's analysed outputs (sweep: outputs)");
    const double late[] = {60};
    opts = (summary_opts_t){.at_days = late, .nat = 1};
    summary_fails(path, &opts, "morris.h5: the sensitivity analysis has no horizon at recorded day 60 (--at); it "
                               "has days 0, 30 (sweep: horizons_days)");
}

/* --- a run file: --metric and --at ---------------------------------------------- */

static void test_summary_run_choice(void **state)
{
    (void)state;
    char path[200];
    make_path(path, sizeof path, "run.h5");
    write_points(path, "run", 1, NULL);
    const char *want[] = {"bonded_ratio"};
    const double at[] = {59.5};
    summary_opts_t opts = {.metrics = want, .nmetrics = 1, .at_days = at, .nat = 1};
    char *text = summary_text(path, &opts);
    assert_null(strstr(text, "supply_total"));
    /* 59.5: the record of day 30; the median 1,000,100 (+ 0.1) */
    assert_line(text, "bonded_ratio", "  30  1,000,100");
    assert_null(strstr(text, "1,000,200"));   /* day 60's */
    /* a chosen table stands alone: no issuance, no observations */
    assert_null(strstr(text, "issuance"));
    free(text);
    const double negative[] = {-1};
    opts = (summary_opts_t){.at_days = negative, .nat = 1};
    summary_fails(path, &opts, "run.h5: day -1: days count from 0");
    const char *part[] = {"bonded"};
    opts = (summary_opts_t){.metrics = part, .nmetrics = 1};
    summary_fails(path, &opts, "run.h5: no metric 'bonded' in /summary (did you mean 'bonded_ratio'?)");
    const char *far[] = {"xyz"};
    opts = (summary_opts_t){.metrics = far, .nmetrics = 1};
    summary_fails(path, &opts, "no metric 'xyz' in /summary; the nearest names: ");
}

/* --- setup ------------------------------------------------------------------ */

static int group_setup(void **state)
{
    (void)state;
    return tmpdir_make(dir, sizeof dir, "test_summary");
}

static int group_teardown(void **state)
{
    (void)state;
    return tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt_fixed),
        cmocka_unit_test(test_verdict),
        cmocka_unit_test(test_compare_table),
        cmocka_unit_test_teardown(test_summary_compare, no_open_ids),
        cmocka_unit_test_teardown(test_summary_sweep, no_open_ids),
        cmocka_unit_test_teardown(test_summary_morris, no_open_ids),
        cmocka_unit_test_teardown(test_summary_run_choice, no_open_ids),
    };
    return cmocka_run_group_tests_name("summary", tests, group_setup, group_teardown);
}
