/* The runner: recorded times, bit-identical series whatever the thread
 * count (a run's streams depend on its index only), a campaign in which a
 * run fails (its error, and the finished runs kept for --resume), and a
 * partial file whose manifest and data disagree (refused). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>
#include <omp.h>

#include "metrics.h"
#include "runner.h"

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

/* Simulate `runs` runs on `threads` threads into one buffer. */
static double *simulate_all(const params_t *p, int runs, int threads, size_t ntimes)
{
    size_t stride = METRIC_COUNT * ntimes;
    double *buf = calloc((size_t)runs * stride, sizeof *buf);
    world_t *worlds[8] = {0};
    sim_error_t err;
    sim_error_clear(&err);
    for (int t = 0; t < threads; t++)
        assert_int_equal(world_create(&worlds[t], p, &err), SIM_OK);
    int failures = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : failures)
    for (int r = 0; r < runs; r++) {
        sim_error_t e;
        sim_error_clear(&e);
        failures += runner_simulate(worlds[omp_get_thread_num()], 0, (uint64_t)r,
                                    buf + (size_t)r * stride, ntimes, &e) != SIM_OK;
    }
    assert_int_equal(failures, 0);
    for (int t = 0; t < threads; t++)
        world_destroy(worlds[t]);
    return buf;
}

static void test_identical_for_any_thread_count(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 400;
    size_t ntimes = runner_ntimes(&p);
    const int runs = 24;
    double *one = simulate_all(&p, runs, 1, ntimes);
    double *two = simulate_all(&p, runs, 2, ntimes);
    double *four = simulate_all(&p, runs, 4, ntimes);
    size_t bytes = (size_t)runs * METRIC_COUNT * ntimes * sizeof(double);
    assert_memory_equal(one, two, bytes);
    assert_memory_equal(one, four, bytes);
    /* and runs really differ from each other */
    size_t stride = METRIC_COUNT * ntimes;
    assert_true(memcmp(one, one + stride, stride * sizeof(double)) != 0);
    free(one);
    free(two);
    free(four);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Run 37 fails (TOKENSIM_TEST_FAIL_RUN's path): the campaign returns its error,
 * names the run, writes no result but a partial file with every other finished
 * run; resumed, it completes. */
static void test_failed_run_keeps_the_finished_ones(void **state)
{
    (void)state;
    char dir[] = "/tmp/tokensim-runner-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[256], partial[300];
    snprintf(out, sizeof out, "%s/f.h5", dir);
    snprintf(partial, sizeof partial, "%s.partial", out);
    static params_t p;
    params_defaults(&p);
    p.runs = 40;
    p.days = 20;
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
    rmdir(dir);
}

/* A campaign of 400 runs stopped after its first batch (128 runs: a chunk
 * row of 257 recorded times) leaves its partial file in dir. */
static void stopped_campaign(params_t *p, runner_opts_t *opts, char *out, char *partial, const char *dir)
{
    snprintf(out, 256, "%s/t.h5", dir);
    snprintf(partial, 300, "%s.partial", out);
    params_defaults(p);
    p->runs = 400;
    p->days = 256;
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
    char dir[] = "/tmp/tokensim-runner-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[256], partial[300];
    static params_t p;
    runner_opts_t opts;
    stopped_campaign(&p, &opts, out, partial, dir);

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
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_times),
        cmocka_unit_test(test_identical_for_any_thread_count),
        cmocka_unit_test(test_failed_run_keeps_the_finished_ones),
        cmocka_unit_test(test_resume_checks_the_data),
    };
    return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
