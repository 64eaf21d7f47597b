/* The campaign engine (runner.h), through its own API: recorded times; the
 * same file bytes for any thread count and any batch size; replication k of
 * every point drawing from the same streams, point after point or paired
 * (compare), its runs seen batch by batch in run order; a paired campaign
 * stopped and resumed; a run that fails (its error, and the finished runs
 * kept for --resume, or nothing without a partial file); and a partial file
 * whose manifest and data disagree (refused). SOURCE_DATE_EPOCH is set, so
 * that equal campaigns give equal bytes. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "compare.h"
#include "metric_table.h"
#include "runner.h"
#include "scenario.h"
#include "sweep.h"

static char dir[] = "/tmp/tokensim-runner-XXXXXX";

static const char *in_dir(const char *name)
{
    static char paths[8][256];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A cheap scenario: the defaults, few orders a day. */
static void small(params_t *p, int64_t runs, int64_t days)
{
    params_defaults(p);
    p->runs = runs;
    p->days = days;
    p->tenants.orders_per_day = 5;
}

/* The campaign of opts (no partial file unless opts says) into out: SIM_OK. */
static void campaign(runner_opts_t opts, const char *out, runner_stats_t *st)
{
    runner_stats_t local;
    sim_error_t err;
    sim_error_clear(&err);
    opts.out_path = out;
    opts.command = opts.command ? opts.command : "run";
    unlink(out);
    sim_status_t rc = runner_campaign(&opts, st ? st : &local, &err);
    if (rc != SIM_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, SIM_OK);
}

static void *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    void *b = malloc(*n ? *n : 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static void assert_same_bytes(const char *a, const char *b)
{
    size_t na, nb;
    void *x = slurp(a, &na), *y = slurp(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

/* /runs/<metric>, whole, as doubles; *n values. */
static double *read_runs(const char *path, const char *metric, size_t *n)
{
    char name[128];
    snprintf(name, sizeof name, "/runs/%s", metric);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), s = H5Dget_space(d);
    *n = (size_t)H5Sget_simple_extent_npoints(s);
    double *v = malloc(*n * sizeof *v);
    assert_non_null(v);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(f);
    return v;
}

/* Every metric of point `point` of file a ([points, runs, times]; point 0 of
 * a file without points) equals the same runs of point `point_b` of b. */
static void assert_same_runs(const char *a, size_t point, const char *b, size_t point_b, size_t per_point)
{
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        size_t na, nb;
        double *x = read_runs(a, metric_table[m].name, &na), *y = read_runs(b, metric_table[m].name, &nb);
        assert_true(na >= (point + 1) * per_point && nb >= (point_b + 1) * per_point);
        assert_memory_equal(x + point * per_point, y + point_b * per_point, per_point * sizeof *x);
        free(x);
        free(y);
    }
}

static void test_recorded_times(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 10;
    p.output.record_every_days = 3;
    assert_int_equal(runner_ntimes(&p), 5);
    double t[5];
    runner_times(&p, t);
    const double want[5] = {0, 3, 6, 9, 10};
    assert_memory_equal(t, want, sizeof want);
    p.output.record_every_days = 5;
    assert_int_equal(runner_ntimes(&p), 3);   /* 0, 5, 10 */
    p.output.record_every_days = 1;
    assert_int_equal(runner_ntimes(&p), 11);
}

/* 1, 2 and 4 threads: the same file, byte for byte; and runs really differ. */
static void test_identical_for_any_thread_count(void **state)
{
    (void)state;
    static params_t p;
    small(&p, 24, 400);
    const char *one = in_dir("j1.h5"), *two = in_dir("j2.h5"), *four = in_dir("j4.h5");
    campaign((runner_opts_t){.params = &p, .threads = 1}, one, NULL);
    campaign((runner_opts_t){.params = &p, .threads = 2}, two, NULL);
    campaign((runner_opts_t){.params = &p, .threads = 4}, four, NULL);
    assert_same_bytes(one, two);
    assert_same_bytes(one, four);
    size_t n, nt = runner_ntimes(&p);
    double *price = read_runs(one, "price_usd", &n);
    assert_int_equal(n, 24 * nt);
    assert_true(memcmp(price, price + nt, nt * sizeof *price) != 0);
    free(price);
    unlink(one);
    unlink(two);
    unlink(four);
}

/* 150 runs of 257 recorded times (chunk rows of 128 runs): batches of 128
 * and 22 runs on one thread, one batch of 150 on three, 128 and 22 again on
 * two: the same file. */
static void test_identical_for_any_batch(void **state)
{
    (void)state;
    static params_t p;
    small(&p, 150, 256);
    const char *a = in_dir("b128.h5"), *b = in_dir("b150.h5"), *c = in_dir("b128j2.h5");
    campaign((runner_opts_t){.params = &p, .threads = 1}, a, NULL);
    campaign((runner_opts_t){.params = &p, .threads = 3, .batch_runs = 150}, b, NULL);
    campaign((runner_opts_t){.params = &p, .threads = 2, .batch_runs = 1}, c, NULL);
    assert_same_bytes(a, b);
    assert_same_bytes(a, c);
    unlink(a);
    unlink(b);
    unlink(c);
}

/* A grid sweep of two points (tenants' orders a day 5 and 40), 12 runs each. */
static void two_point_sweep(params_t *p)
{
    const char *yaml = in_dir("sweep.yaml");
    FILE *f = fopen(yaml, "w");
    assert_non_null(f);
    fputs("name: two-points\ndays: 60\nruns: 12\nsweep:\n  mode: grid\n  params:\n"
          "    tenants.orders_per_day: [5, 40]\n", f);
    fclose(f);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(yaml, p, &err), SIM_OK);
    assert_int_equal(sweep_npoints(p), 2);
    unlink(yaml);
}

typedef struct {
    const params_t *scenario;
    size_t npoints, runs, stride;
    size_t next;                /* the first run on_batch expects */
    double *seen;               /* [npoints][runs][stride] what on_batch got */
} seen_t;

static sim_status_t sweep_params(void *ctx, size_t k, params_t *out, sim_error_t *err)
{
    return sweep_point(((const seen_t *)ctx)->scenario, k, out, NULL, 0, err);
}

static void remember(void *ctx, size_t point, size_t npoints, size_t first, size_t count,
                     const double *const *runs)
{
    seen_t *s = ctx;
    assert_int_equal(point, 0);
    assert_int_equal(npoints, s->npoints);
    assert_int_equal(first, s->next);   /* in run order, every run once */
    s->next = first + count;
    for (size_t j = 0; j < npoints; j++)
        memcpy(s->seen + (j * s->runs + first) * s->stride, runs[j], count * s->stride * sizeof *s->seen);
}

/* Replication k of every point draws from the same streams: point k of the
 * sweep (its scenario's own points) holds the runs of a campaign of that
 * point's parameters alone; paired, the points hold the same runs, and
 * on_batch sees each of them once, in run order. */
static void test_points_share_the_streams(void **state)
{
    (void)state;
    static params_t p, point;
    two_point_sweep(&p);
    size_t nt = runner_ntimes(&p), per_point = 12 * nt;
    const char *swept = in_dir("swept.h5"), *paired = in_dir("paired.h5");
    campaign((runner_opts_t){.params = &p, .threads = 2, .command = "sweep"}, swept, NULL);
    for (size_t k = 0; k < 2; k++) {
        sim_error_t err;
        sim_error_clear(&err);
        assert_int_equal(sweep_point(&p, k, &point, NULL, 0, &err), SIM_OK);
        point.sweep.mode = SWEEP_NONE;
        const char *alone = in_dir("alone.h5");
        campaign((runner_opts_t){.params = &point, .threads = 1}, alone, NULL);
        assert_same_runs(swept, k, alone, 0, per_point);
        unlink(alone);
    }
    size_t n;   /* the points differ: more orders, more fees to the community pool */
    double *pool = read_runs(swept, "community_pool", &n);
    assert_int_equal(n, 2 * per_point);
    assert_true(memcmp(pool, pool + per_point, per_point * sizeof *pool) != 0);
    free(pool);

    seen_t seen = {.scenario = &p, .npoints = 2, .runs = 12, .stride = METRIC_COUNT * nt};
    seen.seen = calloc(2 * 12 * seen.stride, sizeof *seen.seen);
    runner_points_t pts = {.npoints = 2, .paired = 1, .dim = "point", .point_params = sweep_params,
                           .on_batch = remember, .ctx = &seen};
    campaign((runner_opts_t){.params = &p, .points = &pts, .threads = 3, .batch_runs = 1}, paired, NULL);
    assert_int_equal(seen.next, 12);
    for (size_t k = 0; k < 2; k++)
        assert_same_runs(swept, k, paired, k, per_point);
    for (size_t m = 0; m < METRIC_COUNT; m++) {   /* on_batch's runs are the file's */
        double *v = read_runs(paired, metric_table[m].name, &n);
        for (size_t j = 0; j < 2; j++)
            for (size_t r = 0; r < 12; r++)
                assert_memory_equal(v + (j * 12 + r) * nt, seen.seen + (j * 12 + r) * seen.stride + m * nt,
                                    nt * sizeof *v);
        free(v);
    }
    free(seen.seen);
    unlink(swept);
    unlink(paired);
}

/* A comparison (compare.h): the same bytes for 1 and 3 threads; its base arm
 * holds the base's own campaign; the mean difference is the runs'. A run
 * that fails names its arm and leaves no file (a comparison keeps none). */
static void test_compare_is_a_paired_campaign(void **state)
{
    (void)state;
    static params_t base, prop;
    small(&base, 10, 45);
    prop = base;
    prop.tenants.orders_per_day = 40;
    snprintf(prop.name, sizeof prop.name, "more-orders");
    size_t nt = runner_ntimes(&base), per_point = 10 * nt;
    const char *c1 = in_dir("c1.h5"), *c3 = in_dir("c3.h5"), *alone = in_dir("base.h5");
    compare_t cmp;
    sim_error_t err;
    sim_error_clear(&err);
    runner_opts_t opts = {.out_path = c1, .threads = 1};
    assert_int_equal(compare_campaign(&base, &prop, &opts, &cmp, NULL, &err), SIM_OK);
    compare_free(&cmp);
    opts.out_path = c3;
    opts.threads = 3;
    assert_int_equal(compare_campaign(&base, &prop, &opts, &cmp, NULL, &err), SIM_OK);
    assert_same_bytes(c1, c3);
    campaign((runner_opts_t){.params = &base, .threads = 2}, alone, NULL);
    assert_same_runs(c3, 0, alone, 0, per_point);

    size_t n;   /* the last day's mean difference of the community pool */
    double *pool = read_runs(c3, "community_pool", &n), sum = 0;
    for (size_t r = 0; r < 10; r++)
        sum += pool[per_point + r * nt + nt - 1] - pool[r * nt + nt - 1];
    assert_close(cmp.diff_mean[M_COMMUNITY_POOL * nt + nt - 1], sum / 10, 1e-12, 1e-9);
    assert_true(sum != 0);
    free(pool);
    compare_free(&cmp);

    const char *failed = in_dir("cf.h5");
    opts.out_path = failed;
    opts.fail_run = 4 + 1;
    assert_int_equal(compare_campaign(&base, &prop, &opts, &cmp, NULL, &err), SIM_ERANGE);
    assert_non_null(strstr(err.msg, "base arm, run 4: fault injected"));
    assert_false(exists(failed));
    assert_false(exists(in_dir("cf.h5.partial")));
    compare_free(&cmp);
    unlink(c1);
    unlink(c3);
    unlink(alone);
}

/* Run 37 fails (TOKENSIM_TEST_FAIL_RUN's path): the campaign returns its error,
 * names the run, writes no result but a partial file with every other finished
 * run; resumed, it completes. */
static void test_failed_run_keeps_the_finished_ones(void **state)
{
    (void)state;
    const char *out = in_dir("f.h5"), *partial = in_dir("f.h5.partial");
    static params_t p;
    small(&p, 40, 20);
    runner_opts_t opts = {.params = &p, .out_path = out, .command = "run", .threads = 2,
                          .partial_path = partial, .fail_run = 37 + 1};
    runner_stats_t st;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(&opts, &st, &err), SIM_ERANGE);
    assert_non_null(strstr(err.msg, "run 37: fault injected"));
    assert_non_null(strstr(err.msg, "39 of 40 runs are saved in"));
    assert_false(exists(out));
    assert_true(exists(partial));

    opts.fail_run = 0;
    opts.resume_path = partial;
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(&opts, &st, &err), SIM_OK);
    assert_int_equal(st.runs_resumed, 39);
    assert_true(exists(out));
    assert_false(exists(partial));
    unlink(out);
}

/* Two points paired, 150 runs each of 257 recorded times, stopped after the
 * first batch (128 runs of each) and resumed on another thread count: the
 * file of the campaign never stopped. */
static void test_paired_campaign_resumes(void **state)
{
    (void)state;
    static params_t p;
    two_point_sweep(&p);
    p.runs = 150;
    p.days = 256;
    const char *whole = in_dir("pw.h5"), *out = in_dir("pr.h5"), *partial = in_dir("pr.h5.partial");
    seen_t seen = {.scenario = &p, .npoints = 2, .runs = 150, .stride = METRIC_COUNT * runner_ntimes(&p)};
    seen.seen = calloc(2 * 150 * seen.stride, sizeof *seen.seen);
    runner_points_t pts = {.npoints = 2, .paired = 1, .dim = "point", .point_params = sweep_params,
                           .on_batch = remember, .ctx = &seen};
    campaign((runner_opts_t){.params = &p, .points = &pts, .threads = 2}, whole, NULL);

    seen.next = 0;
    runner_opts_t opts = {.params = &p, .points = &pts, .out_path = out, .command = "run", .threads = 1,
                          .partial_path = partial, .stop_after_runs = 1};
    runner_stats_t st;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(&opts, &st, &err), SIM_EINTR);
    assert_non_null(strstr(err.msg, "256 of 300 runs are saved in"));
    assert_true(st.resumable);
    assert_false(exists(out));

    seen.next = 0;   /* resumed: on_batch sees every run again, those from the partial file too */
    opts.stop_after_runs = 0;
    opts.resume_path = partial;
    opts.threads = 3;
    campaign(opts, out, &st);
    assert_int_equal(st.runs_resumed, 256);
    assert_int_equal(seen.next, 150);
    assert_false(exists(partial));
    assert_same_bytes(whole, out);
    free(seen.seen);
    unlink(whole);
    unlink(out);
}

/* A campaign of 400 runs stopped after its first batch (128 runs: a chunk
 * row of 257 recorded times) leaves its partial file in dir. */
static void stopped_campaign(params_t *p, runner_opts_t *opts, const char *out, const char *partial)
{
    small(p, 400, 256);
    *opts = (runner_opts_t){.params = p, .out_path = out, .command = "run", .threads = 2,
                            .partial_path = partial, .stop_after_runs = 1};
    runner_stats_t st;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(opts, &st, &err), SIM_EINTR);
    assert_non_null(strstr(err.msg, "128 of 400 runs are saved in"));
    assert_true(st.resumable);
    opts->stop_after_runs = 0;
    opts->resume_path = partial;
}

/* Overwrite elements [first, first + n) of a 1-d dataset (or one element of a 2-d one). */
static void poke(const char *file, const char *dset, const hsize_t *start, const hsize_t *count,
                 int rank, hid_t type, const void *values)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t d = H5Dopen2(f, dset, H5P_DEFAULT), s = H5Dget_space(d);
    hid_t m = H5Screate_simple(rank, count, NULL);
    assert_true(H5Sselect_hyperslab(s, H5S_SELECT_SET, start, NULL, count, NULL) >= 0);
    assert_true(H5Dwrite(d, type, m, s, H5P_DEFAULT, values) >= 0);
    H5Sclose(m);
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(f);
}

/* A partial file whose manifest says more than its data: /manifest/done set
 * to 1 for every run (128 of 400 are done), or one value of a finished run
 * changed. --resume refuses it, naming the file and the first run that
 * disagrees, and leaves it as it was; nothing is written. */
static void test_resume_checks_the_data(void **state)
{
    (void)state;
    const char *out = in_dir("t.h5"), *partial = in_dir("t.h5.partial");
    static params_t p;
    runner_opts_t opts;
    stopped_campaign(&p, &opts, out, partial);

    static unsigned char ones[400];
    memset(ones, 1, sizeof ones);
    hsize_t start = 0, count = 400;
    poke(partial, "/manifest/done", &start, &count, 1, H5T_NATIVE_UCHAR, ones);
    runner_stats_t st;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(&opts, &st, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, partial));
    assert_non_null(strstr(err.msg, "run 128 is marked done in /manifest/done, but its rows"));
    assert_false(exists(out));
    assert_true(exists(partial));

    /* the manifest as it was, and one value of run 37 changed */
    memset(ones + 128, 0, 400 - 128);
    poke(partial, "/manifest/done", &start, &count, 1, H5T_NATIVE_UCHAR, ones);
    hsize_t at[2] = { 37, 100 }, one[2] = { 1, 1 };
    double v = 12345.0;
    poke(partial, "/runs/supply_total", at, one, 2, H5T_NATIVE_DOUBLE, &v);
    sim_error_clear(&err);
    assert_int_equal(runner_campaign(&opts, &st, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "run 37 is marked done"));
    assert_false(exists(out));
    unlink(partial);
}

int main(void)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);   /* equal campaigns, equal bytes */
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_times),
        cmocka_unit_test(test_identical_for_any_thread_count),
        cmocka_unit_test(test_identical_for_any_batch),
        cmocka_unit_test(test_points_share_the_streams),
        cmocka_unit_test(test_compare_is_a_paired_campaign),
        cmocka_unit_test(test_failed_run_keeps_the_finished_ones),
        cmocka_unit_test(test_paired_campaign_resumes),
        cmocka_unit_test(test_resume_checks_the_data),
    };
    int rc = cmocka_run_group_tests_name("runner", tests, NULL, NULL);
    rmdir(dir);
    return rc;
}
