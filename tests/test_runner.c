/* The runner: recorded times, bit-identical series whatever the thread
 * count (a run's streams depend on its index only), and a campaign in which
 * a run fails: its error, and the finished runs kept for --resume. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_times),
        cmocka_unit_test(test_identical_for_any_thread_count),
        cmocka_unit_test(test_failed_run_keeps_the_finished_ones),
    };
    return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
