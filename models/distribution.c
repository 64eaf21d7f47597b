/* The fee-collector split; see distribution.h. */
#include "distribution.h"
#include "round.h"

int distribution_step(const params_t *p, ledger_t *l, distribution_flows_t *out)
{
    int64_t fees = l->balance[ACCT_FEE_COLLECTOR];
    int64_t validators = trunc_rate_i64(fees, 1.0 - p->distribution.community_tax);
    if (validators > fees)
        validators = fees;
    out->community_pool = fees - validators;
    out->commission = trunc_rate_i64(validators, p->distribution.validator_commission);
    out->delegators = validators - out->commission;
    out->restaked = trunc_rate_i64(out->delegators, p->staking.restake_share);

    int rc = 0;
    rc |= ledger_transfer(l, ACCT_FEE_COLLECTOR, ACCT_COMMUNITY_POOL, out->community_pool);
    rc |= ledger_transfer(l, ACCT_FEE_COLLECTOR, ACCT_VALIDATORS, out->commission);
    rc |= ledger_transfer(l, ACCT_FEE_COLLECTOR, ACCT_BONDED, out->restaked);
    rc |= ledger_transfer(l, ACCT_FEE_COLLECTOR, ACCT_HOLDERS, out->delegators - out->restaked);
    return rc;
}
