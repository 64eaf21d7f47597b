/* The compute market: exact escrow accounting every day, the lazy escrow
 * invariant, the take fee by hand, and the direction of the market's response
 * to demand and supply on small fixtures. */
#include "test_util.h"
#include "test_world_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "round.h"
#include "world.h"

static int64_t escrow_sum(const world_t *w, denom_t d, int64_t day)
{
    const leases_t *l = &w->market.leases;
    int64_t s = 0;
    for (size_t i = 0; i < l->used; i++)
        if (l->lease[i].provider >= 0 && l->lease[i].denom == d)
            s += leases_balance(l, i, day);
    return s;
}

/* A small CPU-and-one-GPU market that runs fast. */
static void small_market(params_t *p)
{
    params_defaults(p);
    p->days = 200;
    p->resources[RES_CPU].capacity = 1000;
    p->resources[RES_H100].capacity = 16;
    p->resources[RES_A100].capacity = 0;
    p->resources[RES_A6000].capacity = 0;
    p->resources[RES_V100].capacity = 0;
    p->resources[RES_A100].demand_share = 0;
    p->resources[RES_A6000].demand_share = 0;
    p->resources[RES_V100].demand_share = 0;
    p->resources[RES_H100].demand_share = 0.05;
    p->resources[RES_CPU].demand_share = 0.95;
    p->providers.initial = 10;
    p->tenants.orders_per_day = 40;
    p->tenants.growth_per_year = 0;
    p->tenants.seasonality_amplitude = 0;
    p->market.max_leases = 20000;
}

/* One CPU provider and no orders: a test opens its own leases. */
static void lone_provider(params_t *p)
{
    small_market(p);
    p->providers.initial = 1;
    p->resources[RES_H100].capacity = 0;
    p->resources[RES_H100].demand_share = 0;
    p->tenants.orders_per_day = 0;
}

/* The planned lives of the deployments of the spread leases of `units` that
 * world w opened on `day`, appended to lives[*n] in the order a cohort fills
 * them: its highest maxima first, so its leases of the day by their recorded
 * maxima (the middle of their deployments'), highest first; a lease's own in
 * any order (they differ in nothing else). No deployment ends on its first
 * day here. */
static void record_lives(const world_t *w, int64_t day, int32_t units, int32_t *lives, int *n)
{
    const leases_t *l = &w->market.leases;
    int32_t today[64];
    int nt = 0;
    for (size_t i = 0; i < l->used; i++)
        if (l->lease[i].provider >= 0 && l->lease[i].units == units && l->lease[i].paid_from == day) {
            assert_true(l->spread[i].opened == l->lease[i].count);
            today[nt++] = (int32_t)i;
        }
    for (int x = 1; x < nt; x++)    /* insertion sort, highest maximum first */
        for (int y = x; y > 0 && l->lease[today[y]].log_max_price > l->lease[today[y - 1]].log_max_price; y--) {
            int32_t t = today[y];
            today[y] = today[y - 1];
            today[y - 1] = t;
        }
    for (int x = 0; x < nt; x++)
        for (int32_t k = 0; k < l->lease[today[x]].count; k++)
            lives[(*n)++] = (int32_t)(leases_last_day(l, (size_t)today[x], k) - day + 1);
}

/* A cohort of k orders is k orders filled one after the other, the highest
 * maximum price first: two worlds, one given a cohort of `count`, the other
 * `count` single orders, keep identical ledgers (every account, base units),
 * capacity, lease counts and metrics every day, through fills split across
 * providers, a partial fill whose rest expires, overdrafts and closes. With
 * `spread`, the cohort's maximum prices straddle the providers' prices, so
 * that its cheaper deployments find some or all of them too dear. With
 * `lives`, its deployments' durations spread over the law when they fill
 * (order_t.spread), and each single order is given the life its deployment
 * of the cohort got (read from a first run of the cohort's world alone), so
 * that each of the cohort's leases closes its deployments on their own days. */
static void cohort_matches_singles(int funded, pick_rule_t rule, int32_t count, int spread, int lives)
{
    params_t p;
    lone_provider(&p);
    p.providers.initial = 3;                /* about 333 vCPU each: 2 orders of 150 fit */
    p.providers.exit_loss_days = 100000;
    p.providers.entry_per_day = 0;
    p.market.pick_rule = rule;
    p.days = 60;
    /* tenants' median maximum at providers' typical price: markups of 0.7-1.3
     * put the providers at levels 0.12-0.81 of the maxima's law */
    p.resources[RES_CPU].max_price_ratio = p.resources[RES_CPU].price_ratio;
    /* lives of 10 days times exp(0.4 z) (3 to 50 days for |z| < 4: over by
     * day 60), and a population that does not move: the cohort's world draws
     * the lives from its demand stream */
    p.resources[RES_CPU].duration_median_days = 10;
    p.tenants.duration_sigma = 0.4;
    p.tenants.churn_probability = 0;
    p.tenants.cohorts_per_day = lives ? 64 : 0;
    order_t o = {.cls = RES_CPU, .denom = DENOM_USDC, .funded = (uint8_t)funded, .tries_left = 2,
                 .days = 12, .units = 150 * MILLI, .count = count, .log_max_price = 10.0,
                 .log_min_price = 10.0, .spread = (uint8_t)(lives != 0)};
    int32_t life[64];
    int nlives = 0;
    for (int scout = lives ? 1 : 0; scout >= 0; scout--) {
        world_t *a = make_world(&p), *b = make_world(&p);
        if (spread) {
            o.price_level = 0.05;
            o.price_step = (float)(0.9 / (double)count);
            o.log_min_price = tenants_limit(&a->market.tenants, &p, &o, 0);
            o.log_max_price = tenants_limit(&a->market.tenants, &p, &o, count - 1);
            double lp[3];
            for (int i = 0; i < 3; i++)
                lp[i] = a->market.pv.log_price[RES_CPU][i];
            /* some deployment under every provider's price, some over every one's */
            assert_true(o.log_min_price < fmin(lp[0], fmin(lp[1], lp[2])));
            assert_true(o.log_max_price > fmax(lp[0], fmax(lp[1], lp[2])));
        }
        assert_int_equal(tenants_push(&a->market.tenants, &o), 0);
        order_t single = o;
        single.count = 1;
        single.spread = 0;
        single.price_level = single.price_step = 0;
        for (int32_t k = count - 1; k >= 0; k--) {
            single.log_max_price = single.log_min_price = tenants_limit(&a->market.tenants, &p, &o, k);
            int32_t j = count - 1 - k;      /* the j-th to fill, if it does */
            single.days = j < nlives ? life[j] : o.days;
            assert_int_equal(tenants_push(&b->market.tenants, &single), 0);
        }
        order_t akt = o;
        akt.price_level = akt.price_step = 0;
        akt.spread = 0;
        akt.log_max_price = akt.log_min_price = 10.0;
        akt.denom = DENOM_AKT;              /* and an AKT cohort */
        akt.units = 20 * MILLI;
        akt.days = 30;
        akt.count = 3;
        assert_int_equal(tenants_push(&a->market.tenants, &akt), 0);
        akt.count = 1;
        for (int k = 0; k < 3; k++)
            assert_int_equal(tenants_push(&b->market.tenants, &akt), 0);
        assert_int_equal(a->market.tenants.pending, b->market.tenants.pending);

        sim_error_t err;
        sim_error_clear(&err);
        double va[METRIC_COUNT], vb[METRIC_COUNT];
        int64_t filled = 0, expired = 0;
        for (int day = 1; day <= p.days; day++) {
            assert_int_equal(world_step(a, &err), SIM_OK);
            if (scout) {                    /* the first run: the cohort's world alone */
                record_lives(a, day, o.units, life, &nlives);
                continue;
            }
            assert_int_equal(world_step(b, &err), SIM_OK);
            for (int d = 0; d < DENOM_COUNT; d++)
                for (int acct = 0; acct < ACCT_COUNT; acct++)
                    assert_true(a->ledger[d].balance[acct] == b->ledger[d].balance[acct]);
            for (int c = 0; c < RES_COUNT; c++)
                for (size_t i = 0; i < a->market.pv.count; i++)
                    assert_true(a->market.pv.used[c][i] == b->market.pv.used[c][i]);
            assert_true(a->market.leases.deployments == b->market.leases.deployments);
            assert_true(a->market.leases.active <= b->market.leases.active);
            metrics_record(a, va);
            metrics_record(b, vb);
            for (int k = 0; k < METRIC_COUNT; k++)
                assert_true(fabs(va[k] - vb[k]) <= 1e-12 * fmax(1.0, fabs(vb[k])));
            filled += a->market.today.orders_filled;
            expired += a->market.today.orders_expired;
        }
        if (!scout) {
            /* the 150-vCPU cohort filled in part (3 providers, 2 each, less the AKT cohort's room) */
            assert_true(filled > 0 && expired > 0 && filled + expired == count + 3);
            assert_int_equal(a->market.leases.deployments, 0);      /* all closed by day 60 */
        }
        world_destroy(a);
        world_destroy(b);
    }
    if (lives) {                            /* its deployments lived different lives */
        assert_true(nlives >= 2);
        assert_true(life[0] != life[nlives - 1]);
    }
}

static void test_cohort_is_its_orders(void **state)
{
    (void)state;
    for (int spread = 0; spread <= 1; spread++)
        for (int lives = 0; lives <= spread; lives++) {
            cohort_matches_singles(1, PICK_LOWEST, 8, spread, lives);
            cohort_matches_singles(0, PICK_LOWEST, 8, spread, lives);
            cohort_matches_singles(1, PICK_WEIGHTED, 8, spread, lives);
            cohort_matches_singles(0, PICK_WEIGHTED, 8, spread, lives);
        }
}

/* Exact accounting every day, single orders or cohorts of K orders (K > 0:
 * leases whose deployments close on their own days, and re-auctions of them
 * when their provider leaves). */
static void check_exact_accounting(int64_t K)
{
    params_t p;
    params_defaults(&p);
    p.days = 400;
    p.providers.exit_loss_days = 30;        /* let some providers leave: provider closes happen too */
    p.tenants.unfunded_share = 0.5;         /* and overdrafts */
    p.tenants.cohorts_per_day = K;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t new_total = 0, filled_total = 0, provider_closes = 0, overdrafts = 0;
    double v[METRIC_COUNT];
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        const escrow_flows_t *f = &w->market.today.escrow;
        for (int d = 0; d < DENOM_COUNT; d++) {
            const ledger_t *l = &w->ledger[d];
            assert_true(ledger_sum(l) == l->supply);
            /* tenant spend = provider revenue + take fees, in base units */
            assert_true(f->paid[d] == f->revenue[d] + f->fees[d]);
            /* escrow holds exactly the leases' implied balances (lazy settlement) */
            assert_true(l->balance[ACCT_ESCROW] == escrow_sum(w, (denom_t)d, day + 1));
            for (int a = 0; a < ACCT_COUNT; a++)
                assert_true(l->balance[a] >= 0);
        }
        /* a lease's rate and deposit stay count x one deployment's */
        const leases_t *l = &w->market.leases;
        for (size_t i = 0; i < l->used; i++)
            if (l->lease[i].provider >= 0)
                assert_true(l->lease[i].rate % l->lease[i].count == 0 &&
                            l->lease[i].deposit % l->lease[i].count == 0);
        metrics_record(w, v);
        for (int c = 0; c < RES_COUNT; c++) {
            double u = v[M_UTILISATION_CPU + c * METRICS_PER_CLASS];
            assert_true(u >= 0.0 && u <= 1.0);
        }
        assert_true(v[M_GPU_UTILISATION] >= 0.0 && v[M_GPU_UTILISATION] <= 1.0);
        new_total += w->market.today.orders_new;
        filled_total += w->market.today.orders_filled;
        assert_true(filled_total <= new_total);
        provider_closes += f->closed[CLOSE_PROVIDER];
        overdrafts += f->closed[CLOSE_OVERDRAWN];
    }
    assert_true(filled_total > 0 && provider_closes > 0 && overdrafts > 0);
    world_destroy(w);
}

static void test_exact_accounting_every_day(void **state)
{
    (void)state;
    check_exact_accounting(0);
    check_exact_accounting(16);
}

static void test_take_fee_by_hand(void **state)
{
    (void)state;
    params_t p;
    lone_provider(&p);                      /* no market but the lease below */
    p.market.take_rate_akt = 0.04;
    p.market.take_rate_usdc = 0.20;
    world_t *w = make_world(&p);
    market_t *m = &w->market;
    ledger_t *led = w->ledger;
    escrow_flows_t f = {0};
    /* one AKT lease of 1,000,003 uakt a day and one USDC lease of 2,385,000 uusdc a day */
    assert_true(leases_open(&m->leases, &m->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 1000003, 7000021, 1, 1, 10, 1.0) >= 0);
    assert_int_equal(escrow_deposit(led, DENOM_AKT, 7000021, &f), 0);
    assert_true(leases_open(&m->leases, &m->pv, 0, RES_CPU, DENOM_USDC, 100, 1, 2385000, 16695000, 1, 1, 10, 1.0) >= 0);
    assert_int_equal(escrow_deposit(led, DENOM_USDC, 16695000, &f), 0);
    int64_t pool0 = led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL];
    bme_flows_t bf = {0};
    assert_int_equal(escrow_settle(&p, led, &m->leases, &m->pv, 1, &f, &m->bme, 5.0, &bf), 0);
    /* 4 % of 1,000,003 = 40,000.12 -> 40,000; 20 % of 2,385,000 = 477,000 */
    assert_int_equal(f.fees[DENOM_AKT], 40000);
    assert_int_equal(f.revenue[DENOM_AKT], 960003);
    assert_int_equal(f.fees[DENOM_USDC], 477000);
    assert_int_equal(f.revenue[DENOM_USDC], 1908000);
    assert_int_equal(led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL] - pool0, 40000);
    assert_int_equal(led[DENOM_USDC].balance[ACCT_COMMUNITY_POOL], 477000);
    /* funded leases were topped up: escrow is back at the deposits */
    assert_int_equal(led[DENOM_AKT].balance[ACCT_ESCROW], 7000021);
    assert_int_equal(led[DENOM_USDC].balance[ACCT_ESCROW], 16695000);
    world_destroy(w);
}

/* Holders without the AKT for today's top-ups: the funded lease is no longer
 * topped up; it runs its deposit down (a deposit of 7,000,021 uakt is exactly 7 days
 * of 1,000,003: dry after day 1 + 7 = 8) and closes overdrawn, and escrow stays
 * equal to the implied balance every day. */
static void test_no_liquid_akt_unfunds(void **state)
{
    (void)state;
    params_t p;
    lone_provider(&p);
    p.market.take_rate_akt = 0.0;
    world_t *w = make_world(&p);
    market_t *m = &w->market;
    ledger_t *led = w->ledger;
    escrow_flows_t f = {0};
    bme_flows_t bf = {0};
    long i = leases_open(&m->leases, &m->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 1000003, 7000021, 1, 1, 100, 1.0);
    assert_true(i >= 0);
    assert_int_equal(escrow_deposit(led, DENOM_AKT, 7000021, &f), 0);
    /* leave the holders 1 uakt short of a day's top-up: the rest goes to the pool */
    int64_t keep = 1000002;
    assert_int_equal(ledger_transfer(&led[DENOM_AKT], ACCT_HOLDERS, ACCT_COMMUNITY_POOL,
                                     led[DENOM_AKT].balance[ACCT_HOLDERS] - keep), 0);
    assert_int_equal(escrow_settle(&p, led, &m->leases, &m->pv, 1, &f, &m->bme, 5.0, &bf), 0);
    assert_int_equal(f.unfunded, 1);
    assert_int_equal(m->leases.funded_rate[DENOM_AKT], 0);
    assert_int_equal(led[DENOM_AKT].balance[ACCT_HOLDERS], keep);    /* nothing was taken */
    assert_int_equal(led[DENOM_AKT].balance[ACCT_ESCROW], 7000021 - 1000003);
    assert_int_equal(m->leases.lease[i].close_day, 8);
    assert_int_equal(m->leases.lease[i].reason, CLOSE_OVERDRAWN);
    int64_t closed = 0;
    for (int64_t day = 2; day <= 9; day++) {
        escrow_flows_t g = {0};
        assert_int_equal(escrow_settle(&p, led, &m->leases, &m->pv, day, &g, &m->bme, 5.0, &bf), 0);
        assert_int_equal(g.unfunded, 0);
        closed += g.closed[CLOSE_OVERDRAWN];
        assert_true(led[DENOM_AKT].balance[ACCT_ESCROW] == escrow_sum(w, DENOM_AKT, day + 1));
        assert_true(ledger_sum(&led[DENOM_AKT]) == led[DENOM_AKT].supply);
    }
    /* paid days 1..7 in full and the 21 uakt left on day 8 */
    assert_int_equal(closed, 1);
    assert_int_equal(m->leases.active, 0);
    assert_int_equal(led[DENOM_AKT].balance[ACCT_ESCROW], 0);
    world_destroy(w);
}

/* Mean CPU utilisation and clearing price over days 61..200, averaged over runs. */
static void market_response(const params_t *p, double *util, double *price)
{
    world_t *w = make_world(p);
    sim_error_t err;
    sim_error_clear(&err);
    double v[METRIC_COUNT], su = 0, sp = 0;
    int n = 0;
    for (uint64_t run = 0; run < 6; run++) {
        assert_int_equal(world_reset(w, 0, run, &err), SIM_OK);
        for (int day = 1; day <= p->days; day++) {
            assert_int_equal(world_step(w, &err), SIM_OK);
            if (day > 60) {
                metrics_record(w, v);
                su += v[M_UTILISATION_CPU];
                sp += v[M_PRICE_CPU];
                n++;
            }
        }
    }
    *util = su / n;
    *price = sp / n;
    world_destroy(w);
}

static void test_more_demand_raises_utilisation_and_prices(void **state)
{
    (void)state;
    params_t p;
    small_market(&p);
    double u1, p1, u2, p2;
    market_response(&p, &u1, &p1);
    p.tenants.orders_per_day *= 2;
    market_response(&p, &u2, &p2);
    print_message("demand x1: utilisation %.3f price %.5f; x2: %.3f %.5f\n", u1, p1, u2, p2);
    assert_true(u2 > u1 * 1.2);
    assert_true(p2 > p1);
}

static void test_more_providers_lower_utilisation_and_prices(void **state)
{
    (void)state;
    params_t p;
    small_market(&p);
    p.tenants.orders_per_day = 60;
    double u1, p1, u2, p2;
    market_response(&p, &u1, &p1);
    p.providers.initial *= 2;
    p.resources[RES_CPU].capacity *= 2;
    market_response(&p, &u2, &p2);
    print_message("providers x1: utilisation %.3f price %.5f; x2: %.3f %.5f\n", u1, p1, u2, p2);
    assert_true(u2 < u1 * 0.8);
    assert_true(p2 < p1);
}

static void test_day_zero_capacity_is_the_scenarios(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    world_t *w = make_world(&p);
    double v[METRIC_COUNT];
    metrics_record(w, v);
    assert_close(v[M_CAPACITY_CPU], 17700, 0, 0);
    assert_close(v[M_GPU_CAPACITY], 258, 0, 0);
    assert_close(v[M_PROVIDERS_ACTIVE], 70, 0, 0);
    world_destroy(w);
}

/* A deposit (rate x deposit days, rounded up) by the integer shortcut is the
 * number the double product gives, on both sides of the shortcut's bounds. */
static void test_deposit_rounding_shortcut(void **state)
{
    (void)state;
    const int64_t rates[] = { 1, 2, 3, 999, 123456789, (INT64_C(1) << 40) - 1, INT64_C(1) << 40,
                              (INT64_C(1) << 40) + 1, (INT64_C(1) << 49) + 12345 };
    const double days[] = { 1, 7, 30, 3650, 8191, 8192, 7.5, 0.1, 1.0 / 3.0, 29.999999999 };
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        for (size_t j = 0; j < sizeof days / sizeof days[0]; j++) {
            double x = (double)rates[i] * days[j];
            assert_int_equal(round_up_mul_i64(rates[i], days[j]), round_up_i64(x));
            assert_int_equal(round_up_i64(x), (int64_t)ceil(x));
        }
    /* by hand: 7 days of 3 uakt a day; 7.5 days round up */
    assert_int_equal(round_up_mul_i64(3, 7), 21);
    assert_int_equal(round_up_mul_i64(3, 7.5), 23);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_zero_capacity_is_the_scenarios),
        cmocka_unit_test(test_deposit_rounding_shortcut),
        cmocka_unit_test(test_take_fee_by_hand),
        cmocka_unit_test(test_no_liquid_akt_unfunds),
        cmocka_unit_test(test_exact_accounting_every_day),
        cmocka_unit_test(test_cohort_is_its_orders),
        cmocka_unit_test(test_more_demand_raises_utilisation_and_prices),
        cmocka_unit_test(test_more_providers_lower_utilisation_and_prices),
    };
    return cmocka_run_group_tests_name("market", tests, NULL, NULL);
}
