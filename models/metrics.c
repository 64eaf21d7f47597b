/* Recording the metrics of a day; see metrics.h. Token amounts in AKT. */
#include "metrics.h"
#include "units.h"

#define AKT(u) ((double)(u) / BASE_UNITS)

void metrics_record(const world_t *w, double *out)
{
    const params_t *p = w->p;
    const ledger_t *l = &w->ledger[DENOM_AKT];
    const market_t *m = &w->market;
    const market_day_t *t = &m->today;
    const providers_t *pv = &m->pv;
    int64_t bonded = l->balance[ACCT_BONDED];
    double akt_usd = w->price.usd;

    out[M_SUPPLY_TOTAL] = AKT(l->supply);
    out[M_MINTED] = AKT(l->minted);
    out[M_BURNED] = AKT(l->burned);
    out[M_INFLATION] = w->minter.inflation;
    int64_t minted_inflation = l->minted - t->bme.akt_reminted;
    out[M_MINTED_INFLATION] = AKT(minted_inflation);
    out[M_INFLATION_REALISED] = w->supply_start > 0 ? (double)minted_inflation * DAYS_PER_YEAR / (double)w->supply_start : 0.0;
    out[M_NET_ISSUANCE] = w->supply_start > 0 ? (double)(l->supply - w->supply_start) * DAYS_PER_YEAR / (double)w->supply_start : 0.0;
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
    out[M_STAKING_BONDED] = AKT(w->staking_flows.bonded);
    out[M_STAKING_UNBONDED] = AKT(w->staking_flows.unbonded);
    out[M_NET_BONDING] = AKT(w->staking_flows.bonded + w->distribution.restaked - w->staking_flows.unbonded);

    out[M_PRICE_USD] = akt_usd;
    out[M_MARKET_CAP_USD] = AKT(l->supply) * akt_usd;
    out[M_MINTED_USD] = AKT(l->minted) * akt_usd;
    out[M_SELL_AKT] = AKT(w->flows.sell);
    out[M_BUY_AKT] = AKT(w->flows.buy);
    out[M_NET_FLOW_AKT] = AKT(w->flows.net);
    out[M_PROVIDERS_ACTIVE] = (double)pv->active_count;
    out[M_PROVIDERS_ENTERED] = (double)t->providers_entered;
    out[M_PROVIDERS_EXITED] = (double)t->providers_exited;
    out[M_ORDERS_NEW] = (double)t->orders_new;
    out[M_ORDERS_FILLED] = (double)t->orders_filled;
    out[M_ORDERS_UNFILLED] = (double)t->orders_expired;
    out[M_ORDERS_PENDING] = (double)m->tenants.pending;
    out[M_LEASES_ACTIVE] = (double)m->leases.deployments;
    out[M_LEASES_CLOSED_OVERDRAWN] = (double)t->escrow.closed[CLOSE_OVERDRAWN];
    out[M_LEASES_CLOSED_PROVIDER] = (double)t->escrow.closed[CLOSE_PROVIDER];
    out[M_LEASES_UNFUNDED] = (double)t->escrow.unfunded;
    out[M_SPEND_USD] = t->spend_usd[DENOM_AKT] + t->spend_usd[DENOM_USDC] + t->spend_usd[DENOM_ACT];
    out[M_SPEND_ACT_USD] = t->spend_usd[DENOM_ACT];
    out[M_SPEND_AKT_USD] = t->spend_usd[DENOM_AKT];
    out[M_SPEND_USDC_USD] = t->spend_usd[DENOM_USDC];
    out[M_TAKE_FEES_USD] = t->fees_usd;
    out[M_TAKE_FEES_AKT] = AKT(t->escrow.fees[DENOM_AKT]);
    out[M_PROVIDER_REVENUE_USD] = t->revenue_usd;
    out[M_PROVIDER_COST_USD] = t->cost_usd;
    out[M_PROVIDER_PROFIT_USD] = t->revenue_usd - t->cost_usd;
    out[M_ESCROW_AKT] = AKT(l->balance[ACCT_ESCROW]);
    out[M_INCENTIVE_PAID_USD] = w->pool.incentive_paid_usd;
    out[M_POOL_SPEND_USD] = w->pool.incentive_paid_usd +
                            (double)(w->pool.burned + w->pool.to_vault) / UAKT_PER_AKT * akt_usd;
    out[M_TENANTS] = m->tenants.population;
    out[M_VAULT_AKT] = AKT(l->balance[ACCT_VAULT]);
    out[M_ACT_OUTSTANDING] = (double)w->ledger[DENOM_ACT].supply / BASE_UNITS;
    out[M_COLLATERAL_RATIO] = w->ledger[DENOM_ACT].supply > 0 ? m->bme.cr : 0.0;
    out[M_BME_AKT_IN] = AKT(t->bme.akt_in);
    out[M_BME_AKT_OUT] = AKT(t->bme.akt_out);
    out[M_BME_AKT_REMINTED] = AKT(t->bme.akt_reminted);
    out[M_BURN_MINT_RATIO] = l->minted > 0 ? (double)l->burned / (double)l->minted : 0.0;

    /* capacity and leases per class: sums over providers (a few hundred) */
    double gpu_cap = 0, gpu_used = 0;
    int64_t caps[RES_COUNT], useds[RES_COUNT];
    providers_class_totals(pv, caps, useds);
    for (int c = 0; c < RES_COUNT; c++) {
        int64_t cap = caps[c], used = useds[c];
        double *o = out + M_CAPACITY_CPU + c * METRICS_PER_CLASS;
        o[0] = (double)cap / MILLI;
        o[1] = (double)used / MILLI;
        o[2] = cap > 0 ? (double)used / (double)cap : 0.0;
        o[3] = m->clearing_price[c];
        double cloud = p->resources[c].cloud_usd_per_hour;
        o[4] = cloud > 0 ? 1.0 - m->clearing_price[c] / cloud : 0.0;
        if (resource_is_gpu(c)) {
            gpu_cap += o[0];
            gpu_used += o[1];
        }
    }
    out[M_GPU_CAPACITY] = gpu_cap;
    out[M_GPU_LEASED] = gpu_used;
    out[M_GPU_UTILISATION] = gpu_cap > 0 ? gpu_used / gpu_cap : 0.0;
}
