/* Sweep points: grid order (the last parameter fastest), zip, labels, values,
 * and a point's parameters checked like a scenario's. */
#include "test_util.h"

#include <string.h>

#include "sweep.h"

static void add(params_t *p, const char *name, const char *const *values, size_t n)
{
    size_t count;
    const param_def_t *t = params_table(&count);
    params_sweep_t *sw = &p->sweep;
    size_t j = sw->nparams++;
    sw->param[j] = (int)(params_find(name) - t);
    for (size_t v = 0; v < n; v++)
        snprintf(sw->values[j][v], sizeof sw->values[j][v], "%s", values[v]);
    sw->nvalues[j] = n;
}

static params_t p, q;   /* large: not on the stack */

static void test_grid_order_and_labels(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_GRID;
    const char *const a[] = {"0.1", "0.2", "0.3"}, *const b[] = {"400", "1600"};
    add(&p, "market.take_rate_usdc", a, 3);
    add(&p, "tenants.orders_per_day", b, 2);
    assert_int_equal(sweep_npoints(&p), 6);
    sim_error_t err;
    sim_error_clear(&err);
    char label[256];
    /* point 3 = (a[1], b[1]): the last parameter varies fastest */
    assert_int_equal(sweep_point(&p, 3, &q, label, sizeof label, &err), SIM_OK);
    assert_true(q.market.take_rate_usdc == 0.2);
    assert_true(q.tenants.orders_per_day == 1600);
    assert_string_equal(label, "market.take_rate_usdc=0.2, tenants.orders_per_day=1600");
    double v[12];
    sweep_values(&p, v);
    const double want[12] = {0.1, 400, 0.1, 1600, 0.2, 400, 0.2, 1600, 0.3, 400, 0.3, 1600};
    assert_memory_equal(v, want, sizeof want);
}

static void test_zip_and_none(void **state)
{
    (void)state;
    params_defaults(&p);
    assert_int_equal(sweep_npoints(&p), 1);
    p.sweep.mode = SWEEP_ZIP;
    const char *const a[] = {"0.1", "0.2"}, *const b[] = {"400", "1600"};
    add(&p, "market.take_rate_usdc", a, 2);
    add(&p, "tenants.orders_per_day", b, 2);
    assert_int_equal(sweep_npoints(&p), 2);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(sweep_point(&p, 1, &q, NULL, 0, &err), SIM_OK);
    assert_true(q.market.take_rate_usdc == 0.2 && q.tenants.orders_per_day == 1600);
}

static void test_point_checked_like_a_scenario(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_GRID;
    const char *const lo[] = {"0.25"};
    add(&p, "mint.inflation_min", lo, 1);   /* above inflation_max 0.20 */
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(sweep_point(&p, 0, &q, NULL, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "mint.inflation_min"));
}

static void set_range(params_t *pp, const char *name, double lo, double hi)
{
    size_t count;
    const param_def_t *t = params_table(&count);
    params_sweep_t *sw = &pp->sweep;
    size_t j = sw->nparams++;
    sw->param[j] = (int)(params_find(name) - t);
    sw->lo[j] = lo;
    sw->hi[j] = hi;
}

static void test_latin_hypercube_has_one_point_a_stratum(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_LHS;
    p.sweep.npoints = 10;
    set_range(&p, "market.take_rate_usdc", 0.0, 0.5);
    set_range(&p, "tenants.orders_per_day", 100, 1100);
    assert_int_equal(sweep_npoints(&p), 10);
    double v[20];
    sweep_values(&p, v);
    int seen_a[10] = {0}, seen_b[10] = {0};
    for (size_t k = 0; k < 10; k++) {
        double ua = v[2 * k] / 0.5, ub = (v[2 * k + 1] - 100) / 1000;
        assert_true(ua >= 0 && ua < 1 && ub >= 0 && ub <= 1);
        seen_a[(int)(ua * 10)]++;
        seen_b[ub >= 1 ? 9 : (int)(ub * 10)]++;
    }
    /* every stratum of each parameter holds exactly one point (orders round to whole numbers,
     * which can move a value across a stratum edge only at 1/1000 of a stratum) */
    for (int i = 0; i < 10; i++)
        assert_int_equal(seen_a[i], 1);
    int hit = 0;
    for (int i = 0; i < 10; i++)
        hit += seen_b[i] == 1;
    assert_true(hit >= 8);
    /* the same seed gives the same points */
    double w[20];
    sweep_values(&p, w);
    assert_memory_equal(v, w, sizeof v);
}

static void test_sobol_points_fill_the_range(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_SOBOL;
    p.sweep.npoints = 8;
    set_range(&p, "market.take_rate_usdc", 0.1, 0.3);
    set_range(&p, "distribution.community_tax", 0.2, 0.6);
    double v[16];
    sweep_values(&p, v);
    double lo = 1, hi = 0;
    for (size_t k = 0; k < 8; k++) {
        assert_true(v[2 * k] >= 0.1 && v[2 * k] <= 0.3);
        assert_true(v[2 * k + 1] >= 0.2 && v[2 * k + 1] <= 0.6);
        if (v[2 * k] < lo) lo = v[2 * k];
        if (v[2 * k] > hi) hi = v[2 * k];
    }
    /* GSL's Sobol sequence starts at 0.5, then 0.75 and 0.25: the range is covered */
    assert_close(v[0], 0.2, 1e-12, 0);
    assert_true(lo < 0.13 && hi > 0.27);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order_and_labels),
        cmocka_unit_test(test_zip_and_none),
        cmocka_unit_test(test_point_checked_like_a_scenario),
        cmocka_unit_test(test_latin_hypercube_has_one_point_a_stratum),
        cmocka_unit_test(test_sobol_points_fill_the_range),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
