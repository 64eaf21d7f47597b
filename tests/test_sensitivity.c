/* Sensitivity estimators on functions whose indices are known: Morris on
 * f = a x1 + b x2^2 + 0 x3 (the linear parameter's effects are all equal, the
 * inert one's are exactly 0), Sobol indices of a linear model (S1 = ST =
 * a_i^2 var_i / sum) and of the Ishigami function, on the designs that
 * `tokensim sweep` generates (core/sweep.c). */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_math.h>

#include "rng.h"
#include "sensitivity.h"
#include "sweep.h"

static params_t p;   /* large: not on the stack */

static void set_range(const char *name, double lo, double hi)
{
    size_t count;
    const param_def_t *t = params_table(&count);
    params_sweep_t *sw = &p.sweep;
    size_t j = sw->nparams++;
    assert_non_null(params_find(name));
    sw->param[j] = (int)(params_find(name) - t);
    sw->lo[j] = lo;
    sw->hi[j] = hi;
}

/* Three real parameters with wide ranges and no cross-checks. */
static void three_params(int mode)
{
    params_defaults(&p);
    p.sweep.mode = mode;
    set_range("staking.yield_volatility", 0.0, 2.0);
    set_range("staking.response_per_year", 1.0, 11.0);
    set_range("staking.restake_share", 0.1, 0.9);
}

/* The unit coordinate of parameter j at point k. */
static double unit(const double *v, size_t k, size_t j)
{
    return (v[k * 3 + j] - p.sweep.lo[j]) / (p.sweep.hi[j] - p.sweep.lo[j]);
}

static void test_morris_known_effects(void **state)
{
    (void)state;
    three_params(SWEEP_MORRIS);
    p.sweep.trajectories = 20;
    p.sweep.levels = 4;
    size_t np = sweep_npoints(&p);
    assert_int_equal(np, 80);
    double *v = malloc(np * 3 * sizeof *v), *y = malloc(np * sizeof *y);
    assert_non_null(v);
    assert_non_null(y);
    sweep_values(&p, v);
    const double a = 3.0, b = 0.5;
    for (size_t k = 0; k < np; k++)
        y[k] = a * v[k * 3] + b * v[k * 3 + 1] * v[k * 3 + 1] + 0.0 * v[k * 3 + 2];
    sensitivity_morris_t out[3];
    sim_error_t err;
    sim_error_clear(&err);
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_SENSITIVITY);
    assert_int_equal(sensitivity_morris(v, y, p.sweep.lo, p.sweep.hi, 3, 20, 200, out, r, &err), SIM_OK);
    /* x1: every effect is a x (max - min) */
    assert_close(out[0].mu_star, a * 2.0, 1e-12, 0);
    assert_close(out[0].mu, a * 2.0, 1e-12, 0);
    assert_close(out[0].sigma, 0.0, 0, 1e-9);
    assert_close(out[0].mu_star_ci, 0.0, 0, 1e-9);
    /* x2: b (x + x') (max - min), always positive here; it varies with the level */
    assert_true(out[1].mu_star > 0 && out[1].sigma > 0);
    assert_close(out[1].mu, out[1].mu_star, 1e-12, 0);
    /* between b 10 (2 + 2 delta) = 16.7 and b 10 (22 - 2 delta) = 103.3 */
    assert_true(out[1].mu_star > 16 && out[1].mu_star < 104);
    assert_true(out[1].mu_star_ci > 0);
    /* x3: exactly nothing, and ranked last */
    assert_true(out[2].mu_star == 0.0 && out[2].mu == 0.0 && out[2].sigma == 0.0 && out[2].mu_star_ci == 0.0);
    double score[3] = {out[0].mu_star, out[1].mu_star, out[2].mu_star};
    size_t order[3];
    sensitivity_rank(score, 3, order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);
    gsl_rng_free(r);
    free(v);
    free(y);
}

static void test_morris_refuses_other_designs(void **state)
{
    (void)state;
    /* one trajectory of 2 parameters whose first step moves both */
    const double x[] = {0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1};
    const double y[] = {0, 1, 2, 0, 1, 2};
    const double lo[] = {0, 0}, hi[] = {1, 1};
    sensitivity_morris_t out[2];
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(sensitivity_morris(x, y, lo, hi, 2, 2, 0, out, NULL, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "trajectory 0, step 1: 2 parameters change"));
    /* the same parameter moved twice */
    const double x2[] = {0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1};
    sim_error_clear(&err);
    assert_int_equal(sensitivity_morris(x2, y, lo, hi, 2, 2, 0, out, NULL, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "trajectory 0, step 2"));
    sim_error_clear(&err);
    assert_int_equal(sensitivity_morris(x, y, lo, hi, 2, 1, 0, out, NULL, &err), SIM_EINVAL);
}

/* y at every point of a Saltelli design of N samples over three_params(), f on unit coordinates. */
static double *saltelli_outputs(size_t n, double (*f)(const double u[3]))
{
    three_params(SWEEP_SALTELLI);
    p.sweep.samples = n;
    size_t np = sweep_npoints(&p);
    assert_int_equal(np, n * 5);
    double *v = malloc(np * 3 * sizeof *v), *y = malloc(np * sizeof *y);
    assert_non_null(v);
    assert_non_null(y);
    sweep_values(&p, v);
    for (size_t k = 0; k < np; k++) {
        double u[3] = {unit(v, k, 0), unit(v, k, 1), unit(v, k, 2)};
        y[k] = f(u);
    }
    free(v);
    return y;
}

/* a linear model on x_i uniform in [0, w_i]: var_i = a_i^2 w_i^2 / 12 */
static const double lin_a[3] = {1.0, 2.0, 4.0}, lin_w[3] = {4.0, 1.0, 0.25};

static double linear(const double u[3])
{
    return 1e9 + lin_a[0] * lin_w[0] * u[0] + lin_a[1] * lin_w[1] * u[1] + lin_a[2] * lin_w[2] * u[2];
}

static void test_sobol_linear_model(void **state)
{
    (void)state;
    size_t n = 512;
    double *y = saltelli_outputs(n, linear);
    sensitivity_sobol_t out[3];
    double v;
    sim_error_t err;
    sim_error_clear(&err);
    gsl_rng *r = rng_stream_alloc(2, 0, 0, RNG_SENSITIVITY);
    assert_int_equal(sensitivity_sobol(y, 3, n, 300, out, &v, r, &err), SIM_OK);
    double part[3], total = 0;
    for (int i = 0; i < 3; i++)
        total += part[i] = lin_a[i] * lin_a[i] * lin_w[i] * lin_w[i] / 12.0;
    /* (the large offset 1e9 costs no precision: the estimators centre y first) */
    assert_close(v, total, 0.02, 0);
    for (int i = 0; i < 3; i++) {
        assert_close(out[i].s1, part[i] / total, 0, 0.02);
        assert_close(out[i].st, part[i] / total, 0, 0.02);
        assert_true(out[i].s1_ci > 0 && out[i].s1_ci < 0.1 && out[i].st_ci > 0 && out[i].st_ci < 0.1);
    }
    gsl_rng_free(r);
    free(y);
}

/* Ishigami (a = 7, b = 0.1) on [-pi, pi]^3 */
static double ishigami(const double u[3])
{
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

static void test_sobol_ishigami(void **state)
{
    (void)state;
    /* the largest design a sweep allows for 3 parameters: 819 x 5 <= 4096 points */
    size_t n = 819;
    double *y = saltelli_outputs(n, ishigami);
    sensitivity_sobol_t out[3];
    double v;
    sim_error_t err;
    sim_error_clear(&err);
    gsl_rng *r = rng_stream_alloc(3, 0, 0, RNG_SENSITIVITY);
    assert_int_equal(sensitivity_sobol(y, 3, n, 500, out, &v, r, &err), SIM_OK);
    const double a = 7.0, b = 0.1, pi4 = pow(M_PI, 4);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v13 = pow(b, 2) * pow(M_PI, 8) * (1.0 / 18 - 1.0 / 50);
    double vt = v1 + v2 + v13;
    const double s1[3] = {v1 / vt, v2 / vt, 0.0}, st[3] = {(v1 + v13) / vt, v2 / vt, v13 / vt};
    assert_close(v, vt, 0.05, 0);
    /* within 2/sqrt(N) (0.07; the errors are below 0.04), and within 1.5 times the 95 %
     * bootstrap half-widths, which are of the size of the errors (0.03 to 0.07 here) */
    double tol = 2.0 / sqrt((double)n);
    for (int i = 0; i < 3; i++) {
        assert_close(out[i].s1, s1[i], 0, tol);
        assert_close(out[i].st, st[i], 0, tol);
        assert_true(fabs(out[i].s1 - s1[i]) <= 1.5 * out[i].s1_ci && fabs(out[i].st - st[i]) <= 1.5 * out[i].st_ci);
        assert_true(out[i].s1_ci < 0.1 && out[i].st_ci < 0.1);
    }
    /* x3 acts only through its interaction with x1 */
    assert_true(out[2].st > out[2].s1 + 0.1);
    gsl_rng_free(r);
    free(y);
}

static double constant(const double u[3])
{
    (void)u;
    return 42.0;
}

static void test_sobol_constant_output(void **state)
{
    (void)state;
    double *y = saltelli_outputs(16, constant);
    sensitivity_sobol_t out[3];
    double v;
    sim_error_t err;
    sim_error_clear(&err);
    gsl_rng *r = rng_stream_alloc(4, 0, 0, RNG_SENSITIVITY);
    assert_int_equal(sensitivity_sobol(y, 3, 16, 50, out, &v, r, &err), SIM_OK);
    assert_true(v == 0.0);
    for (int i = 0; i < 3; i++)
        assert_true(out[i].s1 == 0.0 && out[i].st == 0.0 && out[i].s1_ci == 0.0 && out[i].st_ci == 0.0);
    gsl_rng_free(r);
    free(y);
}

static void test_rank_order(void **state)
{
    (void)state;
    const double score[5] = {0.2, NAN, 0.5, 0.2, -1.0};
    size_t order[5];
    sensitivity_rank(score, 5, order);
    const size_t want[5] = {2, 0, 3, 4, 1};
    assert_memory_equal(order, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_morris_known_effects),
        cmocka_unit_test(test_morris_refuses_other_designs),
        cmocka_unit_test(test_sobol_linear_model),
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_sobol_constant_output),
        cmocka_unit_test(test_rank_order),
    };
    return cmocka_run_group_tests_name("sensitivity", tests, NULL, NULL);
}
