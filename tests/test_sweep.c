/* Sweep points: grid order (the last parameter fastest), zip, labels, values,
 * and a point's parameters checked like a scenario's; the sensitivity designs
 * (Morris trajectories, Saltelli blocks) and the sweep block's keys in a
 * scenario file. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metric_table.h"
#include "scenario.h"
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

/* On the p-level grid: (x - lo) / (hi - lo) (p - 1) is a whole number. */
static int on_grid(double x, double lo, double hi, size_t levels)
{
    double g = (x - lo) / (hi - lo) * (double)(levels - 1);
    return fabs(g - floor(g + 0.5)) < 1e-9 && g > -1e-9 && g < (double)(levels - 1) + 1e-9;
}

static void test_morris_trajectories(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_MORRIS;
    p.sweep.trajectories = 12;
    p.sweep.levels = 6;
    set_range(&p, "market.take_rate_usdc", 0.05, 0.3);
    set_range(&p, "distribution.community_tax", 0.1, 0.5);
    set_range(&p, "staking.unbonding_days", 0, 30);   /* whole days: 6 levels are 0, 6, ..., 30 */
    size_t k = 3, r = 12, np = sweep_npoints(&p);
    assert_int_equal(np, r * (k + 1));
    double *v = malloc(np * k * sizeof *v), *w = malloc(np * k * sizeof *w);
    assert_non_null(v);
    assert_non_null(w);
    sweep_values(&p, v);
    double delta = 6.0 / (2.0 * 5.0);   /* p / (2 (p - 1)) */
    size_t starts_low = 0, distinct_starts = 0;
    for (size_t t = 0; t < r; t++) {
        unsigned moved = 0;
        for (size_t s = 0; s <= k; s++) {
            const double *x = v + (t * (k + 1) + s) * k;
            for (size_t j = 0; j < k; j++) {
                assert_true(x[j] >= p.sweep.lo[j] && x[j] <= p.sweep.hi[j]);
                assert_true(on_grid(x[j], p.sweep.lo[j], p.sweep.hi[j], 6));
            }
            if (s == 0) {
                starts_low += x[0] < 0.175;
                if (t > 0 && memcmp(x, v + ((t - 1) * (k + 1)) * k, k * sizeof *x) != 0)
                    distinct_starts++;
                continue;
            }
            /* consecutive points differ in exactly one parameter, by delta of its range */
            const double *prev = x - k;
            size_t changed = 0, j = 0;
            for (size_t i = 0; i < k; i++)
                if (x[i] != prev[i]) {
                    changed++;
                    j = i;
                }
            assert_int_equal(changed, 1);
            assert_false(moved >> j & 1u);
            moved |= 1u << j;
            assert_close(fabs(x[j] - prev[j]), delta * (p.sweep.hi[j] - p.sweep.lo[j]), 1e-12, 1e-12);
        }
        assert_int_equal(moved, 7u);   /* each parameter once */
    }
    /* random starts: not all on one side, not all alike */
    assert_true(starts_low > 0 && starts_low < r);
    assert_true(distinct_starts >= r / 2);
    /* the same seed, the same design; another seed, another */
    sweep_values(&p, w);
    assert_memory_equal(v, w, np * k * sizeof *v);
    p.seed++;
    sweep_values(&p, w);
    assert_memory_not_equal(v, w, np * k * sizeof *v);
    /* labels name the rounded whole days */
    sim_error_t err;
    sim_error_clear(&err);
    char label[256];
    assert_int_equal(sweep_point(&p, 1, &q, label, sizeof label, &err), SIM_OK);
    assert_non_null(strstr(label, "staking.unbonding_days="));
    free(v);
    free(w);
}

static void test_saltelli_blocks(void **state)
{
    (void)state;
    params_defaults(&p);
    p.sweep.mode = SWEEP_SALTELLI;
    set_range(&p, "market.take_rate_usdc", 0.1, 0.3);
    set_range(&p, "distribution.community_tax", 0.2, 0.6);
    size_t k = 2, n = 64;
    p.sweep.samples = n;
    size_t np = sweep_npoints(&p);
    assert_int_equal(np, n * (k + 2));
    double v[64 * 4 * 2], w[64 * 4 * 2], mean[4] = {0};
    sweep_values(&p, v);
    for (size_t i = 0; i < n; i++) {
        const double *a = v + (i * (k + 2)) * k, *b = v + (i * (k + 2) + k + 1) * k;
        for (size_t j = 0; j < k; j++) {
            assert_true(a[j] >= p.sweep.lo[j] && a[j] <= p.sweep.hi[j]);
            assert_true(a[j] != b[j]);
            /* AB^(j): A with column j from B */
            const double *ab = v + (i * (k + 2) + 1 + j) * k;
            for (size_t c = 0; c < k; c++)
                assert_true(ab[c] == (c == j ? b[c] : a[c]));
        }
    }
    /* A and B fill the unit square evenly (quasi-random): each coordinate's mean is near 1/2 */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            mean[j] += (v[(i * (k + 2)) * k + j] - p.sweep.lo[j]) / (p.sweep.hi[j] - p.sweep.lo[j]) / (double)n;
            mean[2 + j] += (v[(i * (k + 2) + k + 1) * k + j] - p.sweep.lo[j]) / (p.sweep.hi[j] - p.sweep.lo[j]) / (double)n;
        }
    for (size_t j = 0; j < 4; j++)
        assert_close(mean[j], 0.5, 0, 0.02);
    /* the shift comes from the seed */
    sweep_values(&p, w);
    assert_memory_equal(v, w, sizeof v);
    p.seed++;
    sweep_values(&p, w);
    assert_memory_not_equal(v, w, sizeof v);
}

/* ---- the sweep block in a scenario file ---- */

static sim_status_t load_text(const char *text, params_t *out, sim_error_t *err)
{
    char path[] = "/tmp/tokensim-sweep-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    sim_error_clear(err);
    sim_status_t st = scenario_load(path, out, err);
    unlink(path);
    return st;
}

static void expect_load_error(const char *text, const char *want)
{
    sim_error_t err;
    sim_status_t st = load_text(text, &q, &err);
    if (st != SIM_EINVAL)
        fail_msg("status %d (want SIM_EINVAL) for:\n%s", (int)st, text);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
}

#define MORRIS_HEAD "days: 30\nsweep:\n  mode: morris\n  params:\n    market.take_rate_usdc: {min: 0.1, max: 0.3}\n"

static void test_sweep_block_keys(void **state)
{
    (void)state;
    sim_error_t err;
    /* defaults: 10 trajectories, 4 levels, the default outputs at the last day */
    assert_int_equal(load_text(MORRIS_HEAD, &p, &err), SIM_OK);
    assert_int_equal(p.sweep.mode, SWEEP_MORRIS);
    assert_int_equal(p.sweep.trajectories, 10);
    assert_int_equal(p.sweep.levels, 4);
    assert_int_equal(sweep_npoints(&p), 20);
    int m[PARAMS_MAX_SWEEP_OUTPUTS];
    int64_t d[PARAMS_MAX_SWEEP_HORIZONS];
    assert_int_equal(sweep_outputs(&p, m), 4);
    assert_int_equal(m[0], M_SUPPLY_TOTAL);
    assert_int_equal(sweep_horizons(&p, d), 1);
    assert_int_equal(d[0], 30);
    /* all keys, read back from the resolved YAML */
    assert_int_equal(load_text("days: 400\nsweep:\n  mode: saltelli\n  samples: 16\n  outputs: [price_usd, inflation]\n"
                               "  horizons_days: [30, 365]\n  params:\n    market.take_rate_usdc: {min: 0.1, max: 0.3}\n"
                               "    staking.unbonding_days: {min: 7, max: 28}\n", &p, &err), SIM_OK);
    assert_int_equal(sweep_npoints(&p), 64);
    assert_int_equal(sweep_outputs(&p, m), 2);
    assert_int_equal(m[1], M_INFLATION);
    assert_int_equal(sweep_horizons(&p, d), 2);
    assert_int_equal(d[1], 365);
    char *yaml = scenario_to_yaml(&p);
    assert_non_null(yaml);
    assert_int_equal(load_text(yaml, &q, &err), SIM_OK);
    free(yaml);
    assert_memory_equal(&p.sweep, &q.sweep, sizeof p.sweep);
    assert_int_equal(load_text(MORRIS_HEAD "  trajectories: 5\n  levels: 8\n", &p, &err), SIM_OK);
    yaml = scenario_to_yaml(&p);
    assert_non_null(yaml);
    assert_int_equal(load_text(yaml, &q, &err), SIM_OK);
    free(yaml);
    assert_memory_equal(&p.sweep, &q.sweep, sizeof p.sweep);
    assert_int_equal(q.sweep.trajectories, 5);

    /* errors name the place and, for metrics, a suggestion */
    expect_load_error(MORRIS_HEAD "  outputs: [suply_total]\n", ":6:13: sweep: outputs: unknown metric 'suply_total' "
                      "(did you mean 'supply_total'?)");
    expect_load_error(MORRIS_HEAD "  outputs: [xyzzy_frobnicate]\n", "unknown metric 'xyzzy_frobnicate' (docs/output.md");
    expect_load_error(MORRIS_HEAD "  outputs: [price_usd, price_usd]\n", "price_usd given twice");
    expect_load_error(MORRIS_HEAD "  levels: 5\n", ":6:3: sweep: levels: expected an even number");
    expect_load_error(MORRIS_HEAD "  trajectories: 1\n", "trajectories: expected a whole number in [2, 2048]");
    expect_load_error(MORRIS_HEAD "  horizons_days: [365, 30]\n", "horizons_days: expected increasing days");
    expect_load_error(MORRIS_HEAD "  horizons_days: [0]\n", ":6:19: sweep: horizons_days: expected whole days");
    expect_load_error(MORRIS_HEAD "  samples: 8\n", ":6:3: sweep: samples: only for mode saltelli, not morris");
    expect_load_error("sweep:\n  mode: grid\n  trajectories: 4\n  params: {market.take_rate_usdc: [0.1]}\n",
                      ":3:3: sweep: trajectories: only for mode morris, not grid");
    expect_load_error(MORRIS_HEAD "  points: 8\n", "points: only for mode lhs or sobol, not morris");
    expect_load_error("sweep:\n  mode: saltelli\n  params: {market.take_rate_usdc: {min: 0.1, max: 0.3}}\n",
                      "saltelli needs samples: N");
    expect_load_error("sweep:\n  mode: saltelli\n  samples: 1000\n  params: {market.take_rate_usdc: {min: 0.1, max: 0.3},"
                      " distribution.community_tax: {min: 0.1, max: 0.3}, staking.restake_share: {min: 0, max: 1}}\n",
                      "saltelli: 1000 samples x (3 parameters + 2) = 5000 points, at most 4096");
    expect_load_error("sweep:\n  mode: morris\n  params:\n    staking.unbonding_days: {min: 7, max: 9}\n",
                      ":4:5: staking.unbonding_days: a whole-number parameter needs max - min >= levels - 1 (3)");
    expect_load_error("sweep:\n  mode: morris\n  params:\n    market.take_rate_usdc: {min: 0.2, max: 0.2}\n",
                      "a morris sweep needs max > min");
    expect_load_error("sweep:\n  mode: morris\n  params:\n    staking.model: {min: 0, max: 1}\n",
                      "staking.model: morris sweeps numbers only");
    expect_load_error("sweep:\n  mode: tornado\n  params: {}\n", "expected grid, zip, lhs, sobol, morris or saltelli");
    expect_load_error("sweep:\n  mode: morris\n  horizon_days: [30]\n", "unknown key 'horizon_days'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order_and_labels),
        cmocka_unit_test(test_zip_and_none),
        cmocka_unit_test(test_point_checked_like_a_scenario),
        cmocka_unit_test(test_latin_hypercube_has_one_point_a_stratum),
        cmocka_unit_test(test_sobol_points_fill_the_range),
        cmocka_unit_test(test_morris_trajectories),
        cmocka_unit_test(test_saltelli_blocks),
        cmocka_unit_test(test_sweep_block_keys),
    };
    return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
