/* The runner: recorded times, and bit-identical series whatever the thread
 * count (a run's streams depend on its index only). */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_times),
        cmocka_unit_test(test_identical_for_any_thread_count),
    };
    return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
