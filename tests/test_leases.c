/*
 * The lease table (models/leases.c, docs/model.md §9.6): slots and their free
 * list, each provider's list, the calendar of closing days, the sums of rates
 * and of deployments, the implied escrow balance of a lease, the closing day
 * an unfunded deposit sets, and leases that stop being topped up. Two CPU
 * providers of 50 vCPU and a 30-day horizon; every number by hand.
 */
#include "test_util.h"

#include "leases.h"
#include "providers.h"
#include "rng.h"

#define HORIZON 30

typedef struct {
    params_t p;
    providers_t pv;
    leases_t l;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    params_defaults(&f->p);
    f->p.days = HORIZON;
    f->p.market.max_leases = 4;
    f->p.providers.initial = 2;
    f->p.providers.size_sigma = 0.0;        /* equal sizes: 100 vCPU -> 50 + 50 */
    f->p.providers.gpu_share = 0.0;
    f->p.resources[RES_CPU].capacity = 100;
    for (int c = 0; c < RES_COUNT; c++)
        if (resource_is_gpu(c))
            f->p.resources[c].capacity = 0;
    if (providers_alloc(&f->pv, &f->p) != 0 || leases_alloc(&f->l, &f->p) != 0)
        return -1;
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_PROVIDERS);
    providers_reset(&f->pv, &f->p, r);
    gsl_rng_free(r);
    leases_reset(&f->l);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    leases_free(&f->l);
    providers_free(&f->pv);
    free(f);
    return 0;
}

/* The leases closing on `day`, newest first, into out[]; checks the back links. */
static size_t calendar(const leases_t *l, int64_t day, int32_t *out)
{
    size_t n = 0;
    int32_t prev = -1;
    for (int32_t i = l->day_head[day]; i >= 0; i = l->lease[i].e_next) {
        assert_int_equal(l->lease[i].e_prev, prev);
        assert_int_equal(l->lease[i].close_day, day);
        out[n++] = i;
        prev = i;
    }
    return n;
}

/* Provider i's leases, newest first; checks the back links. */
static size_t provider_leases(const leases_t *l, const providers_t *pv, size_t i, int32_t *out)
{
    size_t n = 0;
    int32_t prev = -1;
    for (int32_t k = pv->lease_head[i]; k >= 0; k = l->lease[k].p_next) {
        assert_int_equal(l->lease[k].p_prev, prev);
        assert_int_equal(l->lease[k].provider, (int32_t)i);
        out[n++] = k;
        prev = k;
    }
    return n;
}

static void test_fixture(void **state)
{
    fixture_t *f = *state;
    /* 100 vCPU shared by equal weights: 50 each, in milli-units */
    assert_int_equal(f->pv.capacity[RES_CPU][0], 50000);
    assert_int_equal(f->pv.capacity[RES_CPU][1], 50000);
    assert_int_equal(f->l.max, 4);
    assert_int_equal(f->l.horizon, HORIZON);
    assert_int_equal(f->l.active, 0);
    assert_int_equal(f->l.deployments, 0);
    for (int64_t d = 0; d <= HORIZON; d++)
        assert_int_equal(f->l.day_head[d], -1);
}

static void test_open_books_everything(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    providers_t *pv = &f->pv;
    int32_t got[8];
    /* A: 3 deployments of 2 vCPU at provider 0, AKT, funded, 1,000 uakt a day each,
     * from day 1 for 10 days: last day 1 + 10 - 1 = 10 */
    long a = leases_open(l, pv, 0, RES_CPU, DENOM_AKT, 2000, 3, 3000, 21000, 1, 1, 10, 0.5);
    assert_int_equal(a, 0);
    assert_int_equal(l->lease[a].close_day, 10);
    assert_int_equal(l->lease[a].reason, CLOSE_END);
    assert_int_equal(pv->used[RES_CPU][0], 6000);           /* 3 x 2,000 milli-units */
    assert_int_equal(pv->total_used[RES_CPU], 6000);
    assert_int_equal(pv->rate[DENOM_AKT][0], 3000);
    assert_int_equal(l->total_rate[DENOM_AKT], 3000);
    assert_int_equal(l->funded_rate[DENOM_AKT], 3000);
    assert_int_equal(l->deployments, 3);
    /* B: 0.5 vCPU at provider 0, USDC, unfunded: 7,000,042 (7 x 1,000,003 + 21) at
     * 1,000,003 a day from day 2 runs dry on day 2 + trunc(7,000,042 / 1,000,003) = 9,
     * before its last day 21 */
    long b = leases_open(l, pv, 0, RES_CPU, DENOM_USDC, 500, 1, 1000003, 7000042, 0, 2, 20, 0.5);
    assert_int_equal(b, 1);
    assert_int_equal(l->lease[b].close_day, 9);
    assert_int_equal(l->lease[b].reason, CLOSE_OVERDRAWN);
    assert_int_equal(l->total_rate[DENOM_USDC], 1000003);
    assert_int_equal(l->funded_rate[DENOM_USDC], 0);
    /* C: 2 x 0.1 vCPU at provider 1, AKT, funded, from day 5 for 5 days: last day 9 */
    long c = leases_open(l, pv, 1, RES_CPU, DENOM_AKT, 100, 2, 10, 70, 1, 5, 5, 0.5);
    assert_int_equal(c, 2);
    assert_int_equal(l->lease[c].close_day, 9);
    assert_int_equal(l->active, 3);
    assert_int_equal(l->deployments, 6);                    /* 3 + 1 + 2 */
    assert_int_equal(l->total_rate[DENOM_AKT], 3010);
    assert_int_equal(l->funded_rate[DENOM_AKT], 3010);
    assert_int_equal(pv->used[RES_CPU][0], 6500);
    assert_int_equal(pv->used[RES_CPU][1], 200);
    assert_int_equal(pv->total_used[RES_CPU], 6700);
    /* calendar: day 9 holds C then B (newest first), day 10 holds A */
    assert_int_equal(calendar(l, 9, got), 2);
    assert_int_equal(got[0], c);
    assert_int_equal(got[1], b);
    assert_int_equal(calendar(l, 10, got), 1);
    assert_int_equal(got[0], a);
    for (int64_t d = 0; d <= HORIZON; d++)
        if (d != 9 && d != 10)
            assert_int_equal(l->day_head[d], -1);
    /* providers' lists */
    assert_int_equal(provider_leases(l, pv, 0, got), 2);
    assert_int_equal(got[0], b);
    assert_int_equal(got[1], a);
    assert_int_equal(provider_leases(l, pv, 1, got), 1);
    assert_int_equal(got[0], c);
}

static void test_implied_balance(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    long a = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 2000, 3, 3000, 21000, 1, 1, 10, 0.5);
    long b = leases_open(l, &f->pv, 0, RES_CPU, DENOM_USDC, 500, 1, 1000003, 7000042, 0, 2, 20, 0.5);
    /* funded: topped up daily, always the deposit */
    for (int64_t d = 0; d <= 12; d++)
        assert_int_equal(leases_balance(l, (size_t)a, d), 21000);
    /* unfunded from day 2: deposit - (day - 2) x rate, never negative */
    assert_int_equal(leases_balance(l, (size_t)b, 1), 7000042);    /* before it pays */
    assert_int_equal(leases_balance(l, (size_t)b, 2), 7000042);
    assert_int_equal(leases_balance(l, (size_t)b, 3), 6000039);    /* - 1,000,003 */
    assert_int_equal(leases_balance(l, (size_t)b, 8), 1000024);    /* - 6 x 1,000,003 */
    assert_int_equal(leases_balance(l, (size_t)b, 9), 21);         /* - 7 x 1,000,003: its last day */
    assert_int_equal(leases_balance(l, (size_t)b, 10), 0);         /* would be -999,982 */
    assert_int_equal(leases_balance(l, (size_t)b, 1000), 0);
}

static void test_unfunded_closing_day(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    /* deposit exactly 7 days: dry on 3 + 7 = 10 with a balance of 0 */
    long a = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 1000, 7000, 0, 3, 20, 0.0);
    assert_int_equal(l->lease[a].close_day, 10);
    assert_int_equal(l->lease[a].reason, CLOSE_OVERDRAWN);
    assert_int_equal(leases_balance(l, (size_t)a, 10), 0);
    /* its planned last day 3 + 5 - 1 = 7 comes before the deposit runs dry (10) */
    long b = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 1000, 7000, 0, 3, 5, 0.0);
    assert_int_equal(l->lease[b].close_day, 7);
    assert_int_equal(l->lease[b].reason, CLOSE_END);
    /* the last day and the dry day coincide (3 + 8 - 1 = 10): a planned end */
    long c = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 1000, 7500, 0, 3, 8, 0.0);
    assert_int_equal(l->lease[c].close_day, 10);
    assert_int_equal(l->lease[c].reason, CLOSE_END);
    /* a deposit under one day's rate is dry the day it opens (it pays what it has) */
    long d = leases_open(l, &f->pv, 1, RES_CPU, DENOM_AKT, 100, 1, 1000, 999, 0, 4, 20, 0.0);
    assert_int_equal(l->lease[d].close_day, 4);
    assert_int_equal(l->lease[d].reason, CLOSE_OVERDRAWN);
    assert_int_equal(leases_balance(l, (size_t)d, 4), 999);
    /* the table (4 slots) is full now */
    assert_int_equal(l->active, 4);
}

static void test_remove_restores_every_sum(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    providers_t *pv = &f->pv;
    int32_t got[8];
    long a = leases_open(l, pv, 0, RES_CPU, DENOM_AKT, 2000, 3, 3000, 21000, 1, 1, 10, 0.5);
    long b = leases_open(l, pv, 0, RES_CPU, DENOM_USDC, 500, 1, 1000003, 7000042, 0, 2, 20, 0.5);
    long c = leases_open(l, pv, 1, RES_CPU, DENOM_AKT, 100, 2, 10, 70, 1, 5, 5, 0.5);
    /* B leaves: day 9 keeps C, provider 0 keeps A, its slot heads the free list */
    leases_remove(l, pv, (size_t)b);
    assert_int_equal(calendar(l, 9, got), 1);
    assert_int_equal(got[0], c);
    assert_int_equal(provider_leases(l, pv, 0, got), 1);
    assert_int_equal(got[0], a);
    assert_int_equal(l->lease[b].provider, -1);
    assert_int_equal(l->free_head, b);
    assert_int_equal(l->total_rate[DENOM_USDC], 0);
    assert_int_equal(pv->rate[DENOM_USDC][0], 0);
    assert_int_equal(pv->used[RES_CPU][0], 6000);
    assert_int_equal(l->active, 2);
    assert_int_equal(l->deployments, 5);
    /* the next lease takes B's slot */
    long d = leases_open(l, pv, 1, RES_CPU, DENOM_USDC, 300, 1, 5, 35, 1, 3, 3, 0.5);
    assert_int_equal(d, b);
    assert_int_equal(l->free_head, -1);
    assert_int_equal(l->lease[d].close_day, 5);
    /* a middle element of a calendar day and of a provider list */
    long e = leases_open(l, pv, 1, RES_CPU, DENOM_AKT, 100, 1, 10, 70, 1, 5, 5, 0.5);   /* day 9 too */
    assert_int_equal(e, 3);
    assert_int_equal(calendar(l, 9, got), 2);                 /* E, C */
    assert_int_equal(provider_leases(l, pv, 1, got), 3);      /* E, D, C */
    assert_int_equal(got[1], d);
    leases_remove(l, pv, (size_t)d);
    assert_int_equal(provider_leases(l, pv, 1, got), 2);
    assert_int_equal(got[0], e);
    assert_int_equal(got[1], c);
    leases_remove(l, pv, (size_t)e);
    assert_int_equal(calendar(l, 9, got), 1);
    assert_int_equal(got[0], c);
    /* everything leaves: every sum is back at 0 */
    leases_remove(l, pv, (size_t)a);
    leases_remove(l, pv, (size_t)c);
    assert_int_equal(l->active, 0);
    assert_int_equal(l->deployments, 0);
    for (int k = 0; k < DENOM_COUNT; k++) {
        assert_int_equal(l->total_rate[k], 0);
        assert_int_equal(l->funded_rate[k], 0);
        assert_int_equal(pv->rate[k][0], 0);
        assert_int_equal(pv->rate[k][1], 0);
    }
    for (int64_t day = 0; day <= HORIZON; day++)
        assert_int_equal(l->day_head[day], -1);
    assert_int_equal(pv->lease_head[0], -1);
    assert_int_equal(pv->lease_head[1], -1);
    assert_int_equal(pv->used[RES_CPU][0], 0);
    assert_int_equal(pv->used[RES_CPU][1], 0);
    assert_int_equal(pv->total_used[RES_CPU], 0);
}

static void test_full_table(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    for (int k = 0; k < 4; k++)
        assert_int_equal(leases_open(l, &f->pv, k % 2, RES_CPU, DENOM_AKT, 100, 1, 10, 70, 1, 1, 5, 0.0), k);
    /* the fifth is refused and changes nothing */
    leases_t before = *l;
    int64_t used0 = f->pv.used[RES_CPU][0], rate0 = f->pv.rate[DENOM_AKT][0];
    assert_int_equal(leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 7, 10, 70, 1, 1, 5, 0.0), -1);
    assert_int_equal(l->active, before.active);
    assert_int_equal(l->deployments, before.deployments);
    assert_int_equal(l->total_rate[DENOM_AKT], before.total_rate[DENOM_AKT]);
    assert_int_equal(l->day_head[5], before.day_head[5]);
    assert_int_equal(f->pv.used[RES_CPU][0], used0);
    assert_int_equal(f->pv.rate[DENOM_AKT][0], rate0);
    /* a freed slot takes it */
    leases_remove(l, &f->pv, 2);
    assert_int_equal(leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 7, 10, 70, 1, 1, 5, 0.0), 2);
    assert_int_equal(l->deployments, 3 + 7);
    /* reset empties the table at once */
    leases_reset(l);
    assert_int_equal(l->active, 0);
    assert_int_equal(l->used, 0);
    assert_int_equal(l->deployments, 0);
    assert_int_equal(l->free_head, -1);
    assert_int_equal(l->total_rate[DENOM_AKT], 0);
    assert_int_equal(l->day_head[5], -1);
}

static void test_after_the_horizon(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    int32_t got[4];
    /* last day 1 + 100 - 1 = 100, after the 30-day horizon: no calendar entry */
    long a = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 10, 70, 1, 1, 100, 0.0);
    assert_int_equal(l->lease[a].close_day, 100);
    assert_int_equal(l->lease[a].e_next, -1);
    assert_int_equal(l->lease[a].e_prev, -1);
    for (int64_t d = 0; d <= HORIZON; d++)
        assert_int_equal(l->day_head[d], -1);
    /* one on the horizon's day is in it */
    long b = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 1, 10, 70, 1, 1, HORIZON, 0.0);
    assert_int_equal(calendar(l, HORIZON, got), 1);
    assert_int_equal(got[0], b);
    /* the longest lease: day 1 + INT32_MAX - 1 */
    long c = leases_open(l, &f->pv, 1, RES_CPU, DENOM_AKT, 100, 1, 10, 70, 1, 1, INT32_MAX, 0.0);
    assert_int_equal(l->lease[c].close_day, INT32_MAX);
    leases_remove(l, &f->pv, (size_t)a);
    leases_remove(l, &f->pv, (size_t)c);
    assert_int_equal(calendar(l, HORIZON, got), 1);
    assert_int_equal(l->active, 1);
}

static void test_unfund_runs_deposits_down(void **state)
{
    fixture_t *f = *state;
    leases_t *l = &f->l;
    int32_t got[4];
    /* A: funded AKT, 7,000,042 at 1,000,003 a day, planned for 100 days (after the horizon) */
    long a = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 2, 1000003, 7000042, 1, 1, 100, 0.0);
    /* B: funded AKT whose deposit is under a day's rate */
    long b = leases_open(l, &f->pv, 1, RES_CPU, DENOM_AKT, 100, 1, 1000, 999, 1, 1, 100, 0.0);
    /* C: funded USDC: not touched */
    long c = leases_open(l, &f->pv, 1, RES_CPU, DENOM_USDC, 100, 1, 1000, 7000, 1, 1, 20, 0.0);
    /* D: funded AKT ending on day 5, before its deposit would run dry (3 + 7 = 10) */
    long d = leases_open(l, &f->pv, 0, RES_CPU, DENOM_AKT, 100, 4, 1000, 7000, 1, 1, 5, 0.0);
    assert_int_equal(l->funded_rate[DENOM_AKT], 1000003 + 1000 + 1000);
    /* holders run out on day 3, after the day's payments */
    size_t n = leases_unfund(l, DENOM_AKT, 3);
    assert_int_equal(n, 2 + 1 + 4);                      /* deployments of A, B and D */
    assert_int_equal(l->funded_rate[DENOM_AKT], 0);
    assert_int_equal(l->funded_rate[DENOM_USDC], 1000);
    assert_int_equal(l->total_rate[DENOM_AKT], 1000003 + 1000 + 1000);   /* they still pay */
    assert_true(l->lease[c].funded);
    /* A: dry on 3 + trunc(7,000,042 / 1,000,003) = 10, with 21 uakt left then */
    assert_false(l->lease[a].funded);
    assert_int_equal(l->lease[a].paid_from, 3);
    assert_int_equal(l->lease[a].close_day, 10);
    assert_int_equal(l->lease[a].reason, CLOSE_OVERDRAWN);
    assert_int_equal(leases_balance(l, (size_t)a, 4), 6000039);   /* day 3 was paid */
    assert_int_equal(leases_balance(l, (size_t)a, 10), 21);
    /* B: trunc(999 / 1,000) = 0 days: dry tomorrow, day 4 */
    assert_int_equal(l->lease[b].close_day, 4);
    assert_int_equal(l->lease[b].reason, CLOSE_OVERDRAWN);
    /* D keeps its planned end on day 5 */
    assert_int_equal(l->lease[d].close_day, 5);
    assert_int_equal(l->lease[d].reason, CLOSE_END);
    assert_int_equal(leases_balance(l, (size_t)d, 5), 5000);      /* 7,000 - 2 x 1,000 */
    assert_int_equal(calendar(l, 10, got), 1);
    assert_int_equal(got[0], a);
    assert_int_equal(calendar(l, 4, got), 1);
    assert_int_equal(got[0], b);
    /* nothing funded is left: a second call finds nothing */
    assert_int_equal(leases_unfund(l, DENOM_AKT, 4), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fixture),
        T(test_open_books_everything),
        T(test_implied_balance),
        T(test_unfunded_closing_day),
        T(test_remove_restores_every_sum),
        T(test_full_table),
        T(test_after_the_horizon),
        T(test_unfund_runs_deposits_down),
    };
#undef T
    return cmocka_run_group_tests_name("leases", tests, NULL, NULL);
}
