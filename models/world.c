/* One run's state and daily step; see world.h. */
#include "world.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

sim_status_t world_create(world_t **out, const params_t *p, sim_error_t *err)
{
    world_t *w = calloc(1, sizeof *w);
    if (!w)
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating a run");
    w->p = p;
    if (staking_alloc(&w->staking, p) != 0) {
        free(w);
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating the unbonding queue");
    }
    w->rng_staking = gsl_rng_alloc(rng_xoshiro256ss);
    if (!w->rng_staking) {
        world_destroy(w);
        SIM_FAIL(err, SIM_ENOMEM, "out of memory allocating random streams");
    }
    world_reset(w, 0, 0);
    *out = w;
    return SIM_OK;
}

void world_destroy(world_t *w)
{
    if (!w)
        return;
    staking_free(&w->staking);
    gsl_rng_free(w->rng_staking);
    free(w);
}

void world_reset(world_t *w, uint64_t point, uint64_t run)
{
    const params_t *p = w->p;
    w->day = 0;
    memset(&w->ledger, 0, sizeof w->ledger);
    memset(&w->distribution, 0, sizeof w->distribution);
    memset(&w->staking_flows, 0, sizeof w->staking_flows);

    /* Day 0: the scenario's supply, split into bonded, community pool and liquid holders.
     * params_check guarantees bonded + pool <= total. */
    int64_t total = p->supply.total_uakt;
    int64_t bonded = llround(p->supply.bonded_ratio * (double)total);
    int64_t pool = p->supply.community_pool_uakt;
    if (bonded > total - pool)
        bonded = total - pool;
    ledger_mint(&w->ledger, ACCT_BONDED, bonded);
    ledger_mint(&w->ledger, ACCT_COMMUNITY_POOL, pool);
    ledger_mint(&w->ledger, ACCT_HOLDERS, total - bonded - pool);
    ledger_day_begin(&w->ledger);
    w->supply_start = total;

    mint_init(&w->minter, p, total);
    staking_reset(&w->staking, p);
    w->staking.apr = staking_apr(p, w->minter.inflation, bonded, total);
    rng_stream_seed(w->rng_staking, (uint64_t)p->seed, point, run, RNG_STAKING);
}

sim_status_t world_step(world_t *w, sim_error_t *err)
{
    const params_t *p = w->p;
    ledger_t *l = &w->ledger;
    int64_t day = ++w->day;
    ledger_day_begin(l);
    w->supply_start = l->supply;

    /* 7. mint: into the fee collector, from the supply and bonded pool as they stand */
    int64_t minted;
    if (mint_day(p, &w->minter, day, l->supply, l->balance[ACCT_BONDED], &minted) != 0 ||
        ledger_mint(l, ACCT_FEE_COLLECTOR, minted) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the mint overflows int64 uakt", day);

    /* 8. distribution: community tax, commission, delegator rewards */
    if (distribution_step(p, l, &w->distribution) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": distribution moved more than the fee collector held", day);

    /* 9. staking: the unbonding queue matures, holders bond or unbond */
    if (staking_step(p, &w->staking, l, day, w->minter.inflation, w->rng_staking,
                     &w->staking_flows) != 0)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": staking moved more than an account held", day);

    /* the identities every day (cheap: six additions) */
    if (ledger_sum(l) != l->supply || l->supply != w->supply_start + l->minted - l->burned)
        SIM_FAIL(err, SIM_ERANGE, "day %" PRId64 ": the ledger no longer adds up to the supply", day);
    return SIM_OK;
}
