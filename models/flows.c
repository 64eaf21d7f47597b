/* Who sells and who buys AKT; see flows.h. */
#include "flows.h"
#include "round.h"

void flows_compute(const params_t *p, const escrow_flows_t *escrow, const bme_flows_t *bme,
                   int64_t provider_sold, const distribution_flows_t *dist, double akt_usd,
                   flows_t *out)
{
    int64_t liquid_rewards = dist->delegators - dist->restaked;
    out->sell_providers = provider_sold;
    out->sell_delegators = trunc_rate_i64(liquid_rewards, p->flows.delegator_sell_share);
    out->sell_validators = trunc_rate_i64(dist->commission, p->flows.validator_sell_share);
    out->sell_tenants = escrow->refunds[DENOM_AKT];
    out->buy_tenants = escrow->deposits[DENOM_AKT] + escrow->topups[DENOM_AKT] + bme->akt_in;
    out->sell = out->sell_providers + out->sell_delegators + out->sell_validators + out->sell_tenants;
    out->buy_outside = (int64_t)(p->flows.outside_buy_usd_per_day / akt_usd * UAKT_PER_AKT);
    out->buy = out->buy_tenants + out->buy_outside;
    out->net = out->buy - out->sell;
}
