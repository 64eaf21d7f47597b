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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order_and_labels),
        cmocka_unit_test(test_zip_and_none),
        cmocka_unit_test(test_point_checked_like_a_scenario),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
