/* Metric definitions and recording; see metrics.h. Token amounts in AKT. */
#include "metrics.h"

#define AKT(u) ((double)(u) / 1e6)

const metric_def_t metric_table[METRIC_COUNT] = {
    [M_SUPPLY_TOTAL] = {"supply_total", "AKT", "total supply at the end of the day"},
    [M_MINTED] = {"minted", "AKT/day", "tokens minted during the day"},
    [M_BURNED] = {"burned", "AKT/day", "tokens burned during the day"},
    [M_INFLATION] = {"inflation", "1/yr", "inflation rate of the mint at the end of the day"},
    [M_INFLATION_REALISED] = {"inflation_realised", "1/yr", "minted during the day x 365 / supply at its start"},
    [M_BONDED_RATIO] = {"bonded_ratio", "fraction", "bonded tokens / total supply at the end of the day"},
    [M_BONDED_AKT] = {"bonded_akt", "AKT", "bonded (staked) tokens at the end of the day"},
    [M_UNBONDING_AKT] = {"unbonding_akt", "AKT", "tokens in the unbonding queue at the end of the day"},
    [M_LIQUID_AKT] = {"liquid_akt", "AKT", "liquid tokens of holders and validators at the end of the day"},
    [M_STAKING_APR] = {"staking_apr", "1/yr", "delegators' staking APR: I (1 - tax) (1 - commission) / bonded ratio"},
    [M_REQUIRED_YIELD] = {"required_yield", "1/yr", "the yield holders require to stay bonded (behavioural, stochastic)"},
    [M_COMMUNITY_POOL] = {"community_pool", "AKT", "community pool balance at the end of the day"},
    [M_COMMUNITY_POOL_INFLOW] = {"community_pool_inflow", "AKT/day", "community tax received during the day"},
    [M_VALIDATOR_COMMISSION] = {"validator_commission", "AKT/day", "commission paid to validators during the day"},
    [M_DELEGATOR_REWARDS] = {"delegator_rewards", "AKT/day", "rewards paid to delegators during the day (restaked or liquid)"},
    [M_NET_BONDING] = {"net_bonding", "AKT/day", "tokens bonded minus tokens unbonded during the day (restaked rewards included)"},
};

void metrics_record(const world_t *w, double *out)
{
    const ledger_t *l = &w->ledger;
    int64_t bonded = l->balance[ACCT_BONDED];
    out[M_SUPPLY_TOTAL] = AKT(l->supply);
    out[M_MINTED] = AKT(l->minted);
    out[M_BURNED] = AKT(l->burned);
    out[M_INFLATION] = w->minter.inflation;
    out[M_INFLATION_REALISED] = w->supply_start > 0 ? (double)l->minted * 365.0 / (double)w->supply_start : 0.0;
    out[M_BONDED_RATIO] = l->supply > 0 ? (double)bonded / (double)l->supply : 0.0;
    out[M_BONDED_AKT] = AKT(bonded);
    out[M_UNBONDING_AKT] = AKT(l->balance[ACCT_UNBONDING]);
    out[M_LIQUID_AKT] = AKT(l->balance[ACCT_HOLDERS] + l->balance[ACCT_VALIDATORS]);
    out[M_STAKING_APR] = w->staking.apr;
    out[M_REQUIRED_YIELD] = w->staking.required_yield;
    out[M_COMMUNITY_POOL] = AKT(l->balance[ACCT_COMMUNITY_POOL]);
    out[M_COMMUNITY_POOL_INFLOW] = AKT(w->distribution.community_pool);
    out[M_VALIDATOR_COMMISSION] = AKT(w->distribution.commission);
    out[M_DELEGATOR_REWARDS] = AKT(w->distribution.delegators);
    out[M_NET_BONDING] = AKT(w->staking_flows.bonded + w->distribution.restaked - w->staking_flows.unbonded);
}
