/* One run's state and daily step; see world.h. */
#include "world.h"

#include <inttypes.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

sim_status_t world_create(world_t **out, const params_t *p, sim_error_t *err)
{
    world_t *w = calloc(1, sizeof *w);
    if (!w)
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating a run");
    w->base = p;
    w->own = *p;
    w->p = &w->own;
    if (staking_alloc(&w->staking, p) != 0) {
        free(w);
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating the unbonding queue");
    }
    if (market_alloc(&w->market, p) != 0) {
        world_destroy(w);
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating the market of a run "
                 "(%lld leases, %lld providers, %lld orders a day: see market.max_leases, "
                 "providers.max, tenants.max_orders_per_day)",
                 (long long)p->market.max_leases, (long long)p->providers.max,
                 (long long)p->tenants.max_orders_per_day);
    }
    w->rng_staking = gsl_rng_alloc(rng_xoshiro256ss);
    w->rng_demand = gsl_rng_alloc(rng_xoshiro256ss);
    w->rng_price = gsl_rng_alloc(rng_xoshiro256ss);
    w->rng_providers = gsl_rng_alloc(rng_xoshiro256ss);
    if (!w->rng_staking || !w->rng_demand || !w->rng_price || !w->rng_providers) {
        world_destroy(w);
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating random streams");
    }
    sim_status_t rc = world_reset(w, 0, 0, err);
    if (rc != SIM_OK) {
        world_destroy(w);
        return rc;
    }
    *out = w;
    return SIM_OK;
}

void world_run_size(const params_t *p, params_run_size_t *out)
{
    double pv = (double)p->providers.max * (double)providers_slot_bytes();
    double ls = (double)p->market.max_leases *
                (double)(sizeof(lease_t) + (params_cohorts_k(p) > 0 ? sizeof(lease_spread_t) : 0));
    double od = (double)p->tenants.max_orders_per_day * ((double)p->market.order_retry_days + 1) *
                (double)sizeof(order_t);
    out->bytes = pv + ls + od + ((double)p->days + 1) * (double)sizeof(int32_t) +   /* the lease calendar */
                 (double)p->market.max_bids * (double)sizeof(int32_t);
    /* blame the largest table */
    out->blame = pv >= ls && pv >= od ? "providers.max" : ls >= od ? "market.max_leases" : "tenants.max_orders_per_day";
    out->reads = "providers.max market.max_leases tenants.max_orders_per_day market.order_retry_days";
    snprintf(out->detail, sizeof out->detail, "providers.max %lld x %zu B, market.max_leases %lld x %zu B, "
             "tenants.max_orders_per_day %lld x (market.order_retry_days + 1) x %zu B",
             (long long)p->providers.max, providers_slot_bytes(), (long long)p->market.max_leases,
             sizeof(lease_t), (long long)p->tenants.max_orders_per_day, sizeof(order_t));
}

void world_destroy(world_t *w)
{
    if (!w)
        return;
    staking_free(&w->staking);
    market_free(&w->market);
    gsl_rng_free(w->rng_staking);
    gsl_rng_free(w->rng_demand);
    gsl_rng_free(w->rng_price);
    gsl_rng_free(w->rng_providers);
    free(w);
}

static sim_status_t check_identities(const world_t *w, sim_error_t *err)
{
    for (int d = 0; d < DENOM_COUNT; d++) {
        const ledger_t *l = &w->ledger[d];
        if (ledger_sum(l) != l->supply)
            SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the %s ledger no longer adds up to its supply",
                     w->day, d == DENOM_AKT ? "AKT" : d == DENOM_USDC ? "USDC" : "ACT");
    }
    const ledger_t *a = &w->ledger[DENOM_AKT];
    if (a->supply != w->supply_start + a->minted - a->burned)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": supply != yesterday's + minted - burned", w->day);
    return SIM_OK;
}

sim_status_t world_reset(world_t *w, uint64_t point, uint64_t run, sim_error_t *err)
{
    if (w->base->nevents > 0)   /* undo the last run's events */
        w->own = *w->base;
    const params_t *p = w->p;
    w->day = 0;
    memset(w->ledger, 0, sizeof w->ledger);
    memset(&w->distribution, 0, sizeof w->distribution);
    memset(&w->staking_flows, 0, sizeof w->staking_flows);
    memset(&w->flows, 0, sizeof w->flows);
    memset(&w->pool, 0, sizeof w->pool);
    uint64_t seed = (uint64_t)p->seed;
    rng_stream_seed(w->rng_staking, seed, point, run, RNG_STAKING);
    rng_stream_seed(w->rng_demand, seed, point, run, RNG_DEMAND);
    rng_stream_seed(w->rng_price, seed, point, run, RNG_PRICE);
    rng_stream_seed(w->rng_providers, seed, point, run, RNG_PROVIDERS);

    /* Day 0: the scenario's supply, split into bonded, community pool and liquid holders.
     * params_check guarantees bonded + pool <= total. */
    ledger_t *l = &w->ledger[DENOM_AKT];
    int64_t total = p->supply.total_uakt;
    int64_t bonded = llround(p->supply.bonded_ratio * (double)total);
    int64_t pool = p->supply.community_pool_uakt;
    if (bonded > total - pool)
        bonded = total - pool;
    ledger_mint(l, ACCT_BONDED, bonded);
    ledger_mint(l, ACCT_COMMUNITY_POOL, pool);
    ledger_mint(l, ACCT_HOLDERS, total - bonded - pool);

    price_reset(&w->price, p);
    if (market_reset(&w->market, p, w->ledger, w->price.usd, w->rng_demand, w->rng_providers) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day 0: the market's warm start does not fit (raise market.max_leases)");
    for (int d = 0; d < DENOM_COUNT; d++)
        ledger_day_begin(&w->ledger[d]);
    w->supply_start = l->supply;

    mint_init(&w->minter, p, total);
    staking_reset(&w->staking, p, l);
    /* day 0 has paid nothing yet: the APR the rate implies, 0 under a binding cap */
    int capped = p->supply.max_uakt > 0 && total >= p->supply.max_uakt;
    w->staking.apr = capped ? 0.0 : staking_apr_nominal(p, w->minter.inflation, bonded, total);
    return check_identities(w, err);
}

sim_status_t world_step(world_t *w, sim_error_t *err)
{
    const params_t *p = w->p;
    ledger_t *l = &w->ledger[DENOM_AKT];
    if (w->day >= p->days)   /* the lease calendar ends at the horizon */
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 " is past the horizon of %" PRId64 " days",
                 w->day + 1, p->days);
    int64_t day = ++w->day;
    for (int d = 0; d < DENOM_COUNT; d++)
        ledger_day_begin(&w->ledger[d]);
    w->supply_start = l->supply;

    /* 1. events: scheduled parameter changes take effect */
    int changed = 0;
    for (size_t k = 0; k < p->nevents; k++) {
        const param_event_t *e = &p->events[k];
        if (e->day != day)
            continue;
        size_t n;
        const param_def_t *def = &params_table(&n)[e->param];
        char msg[256];
        if (params_set_text(&w->own, def, e->value, msg, sizeof msg) != 0)
            SIM_FAIL(err, SIM_EINVAL, "day %" PRId64 ": event %s = %s: %s", day, def->name, e->value, msg);
        changed = 1;
    }
    if (changed)
        tenants_configure(&w->market.tenants, p);

    /* 2. price: exogenous shocks, and yesterday's net flow in the coupled mode */
    price_step(&w->price, p, (double)w->flows.net / UAKT_PER_AKT, w->rng_price);

    /* 3-6. market: providers, tenants, auction, escrow */
    const char *why = "";
    if (market_step(&w->market, p, w->ledger, day, w->price.usd, w->rng_demand, w->rng_providers,
                    &why) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": market: %s", day, why);

    /* 7. mint: into the fee collector, from the supply and bonded pool as they stand */
    int64_t minted;
    if (mint_day(p, &w->minter, day, l->supply, l->balance[ACCT_BONDED], &minted) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the mint overflows int64 uakt", day);
    /* an optional cap on the supply the mint may reach (the chain has none) */
    if (p->supply.max_uakt > 0 && minted > p->supply.max_uakt - l->supply)
        minted = p->supply.max_uakt > l->supply ? p->supply.max_uakt - l->supply : 0;
    if (ledger_mint(l, ACCT_FEE_COLLECTOR, minted) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the mint overflows int64 uakt", day);

    /* 8. distribution: community tax, commission, delegator rewards */
    if (distribution_step(p, l, &w->distribution) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": distribution moved more than the fee collector held", day);

    /* 9. staking: the unbonding queue matures, holders bond or unbond */
    if (staking_step(p, &w->staking, l, day, &w->distribution, w->rng_staking, &w->staking_flows) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": staking moved more than an account held", day);
    if (staking_check(&w->staking, p, l) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the holder groups' tokens no longer add up to the ledger's", day);

    /* 10. community pool: the provider incentive programme */
    if (pool_step(p, l, &w->market.pv, day, w->price.usd, &w->pool) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the pool paid more than it held", day);

    /* 11. flows: who sold and who bought today */
    flows_compute(p, &w->market.today.escrow, &w->market.today.bme,
                  w->market.today.provider_akt_sold + w->pool.provider_sold, &w->distribution,
                  w->price.usd, &w->flows);

    /* the identities every day (cheap: a few additions) */
    return check_identities(w, err);
}

void world_draws(const world_t *w, uint64_t draws[WORLD_STREAMS])
{
    draws[0] = rng_draws(w->rng_staking);
    draws[1] = rng_draws(w->rng_demand);
    draws[2] = rng_draws(w->rng_price);
    draws[3] = rng_draws(w->rng_providers);
}
