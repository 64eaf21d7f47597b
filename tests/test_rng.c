/* Random streams: determinism, independence of (run, purpose), and moments
 * with tolerances from the sample size (5 standard errors). */
#include "test_util.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "rng.h"

static void test_same_key_same_stream(void **state)
{
    (void)state;
    gsl_rng *a = rng_stream_alloc(42, 0, 7, RNG_STAKING);
    gsl_rng *b = rng_stream_alloc(42, 0, 7, RNG_STAKING);
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    /* reseeding restarts the stream */
    rng_stream_seed(a, 42, 0, 7, RNG_STAKING);
    gsl_rng *c = rng_stream_alloc(42, 0, 7, RNG_STAKING);
    for (int i = 0; i < 100; i++)
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(c));
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

static void test_keys_differ_in_every_index(void **state)
{
    (void)state;
    const uint64_t keys[][4] = {
        {42, 0, 7, 1}, {43, 0, 7, 1}, {42, 1, 7, 1}, {42, 0, 8, 1}, {42, 0, 7, 2},
        /* mt19937 keeps 32 bits of a seed: these two would collide there */
        {42ULL + (1ULL << 32), 0, 7, 1},
    };
    size_t n = sizeof keys / sizeof keys[0];
    unsigned long first[6];
    for (size_t i = 0; i < n; i++) {
        gsl_rng *r = rng_stream_alloc(keys[i][0], keys[i][1], keys[i][2], keys[i][3]);
        first[i] = gsl_rng_get(r);
        gsl_rng_free(r);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_true(first[i] != first[j]);
}

static void test_uniform_and_gaussian_moments(void **state)
{
    (void)state;
    const int n = 1000000;
    gsl_rng *r = rng_stream_alloc(20240320, 0, 0, RNG_STAKING);
    double su = 0, sg = 0, sg2 = 0, umin = 1, umax = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        su += u;
        if (u < umin) umin = u;
        if (u > umax) umax = u;
        double g = gsl_ran_gaussian_ziggurat(r, 1.0);
        sg += g;
        sg2 += g * g;
    }
    /* uniform mean 1/2 with sd sqrt(1/12/n); normal mean 0 (sd 1/sqrt n), variance 1 (sd sqrt(2/n)) */
    assert_close(su / n, 0.5, 0, 5 * sqrt(1.0 / 12 / n));
    assert_close(sg / n, 0.0, 0, 5 / sqrt((double)n));
    assert_close(sg2 / n, 1.0, 0, 5 * sqrt(2.0 / n));
    assert_true(umin >= 0.0 && umax < 1.0);
    assert_string_equal(gsl_rng_name(r), "xoshiro256**");
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_key_same_stream),
        cmocka_unit_test(test_keys_differ_in_every_index),
        cmocka_unit_test(test_uniform_and_gaussian_moments),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
