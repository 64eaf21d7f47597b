/* Community-pool spending; see pool.h. */
#include "pool.h"
#include "round.h"

#include <string.h>

int pool_step(const params_t *p, ledger_t *akt, providers_t *pv, int64_t day, double akt_usd,
              pool_flows_t *out)
{
    memset(out, 0, sizeof *out);
    int64_t *pool_balance = &akt->balance[ACCT_COMMUNITY_POOL];
    if (p->pool.burn_day > 0 && day == p->pool.burn_day) {
        out->burned = p->pool.burn_uakt < *pool_balance ? p->pool.burn_uakt : *pool_balance;
        if (ledger_burn(akt, ACCT_COMMUNITY_POOL, out->burned) != 0)
            return -1;
    }
    if (p->pool.vault_funding_day > 0 && day == p->pool.vault_funding_day) {
        out->to_vault = p->pool.vault_funding_uakt < *pool_balance ? p->pool.vault_funding_uakt : *pool_balance;
        if (ledger_transfer(akt, ACCT_COMMUNITY_POOL, ACCT_VAULT, out->to_vault) != 0)
            return -1;
    }
    int64_t start = p->pool.incentive_start_day, days = p->pool.incentive_days;
    if (days <= 0 || day < start || day >= start + days || akt_usd <= 0)
        return 0;
    double eligible = 0;
    for (size_t i = 0; i < pv->count; i++)
        if (pv->active[i])
            for (int c = 0; c < RES_COUNT; c++)
                if (p->resources[c].incentive_eligible)
                    eligible += (double)pv->capacity[c][i];
    if (eligible <= 0)
        return 0;
    double budget = p->pool.incentive_usd_total / (double)days / akt_usd * UAKT_PER_AKT;
    int64_t pool = akt->balance[ACCT_COMMUNITY_POOL];
    int64_t total = budget < (double)pool ? (int64_t)budget : pool;
    int rc = 0;
    for (size_t i = 0; i < pv->count && total > 0; i++) {
        if (!pv->active[i])
            continue;
        double cap = 0;
        for (int c = 0; c < RES_COUNT; c++)
            if (p->resources[c].incentive_eligible)
                cap += (double)pv->capacity[c][i];
        int64_t pay = (int64_t)((double)total * cap / eligible);
        if (pay <= 0)
            continue;
        int64_t sold = trunc_rate_i64(pay, p->providers.akt_sell_share);
        rc |= ledger_transfer(akt, ACCT_COMMUNITY_POOL, ACCT_PROVIDERS, pay);
        rc |= ledger_transfer(akt, ACCT_PROVIDERS, ACCT_HOLDERS, sold);
        double usd = (double)pay / UAKT_PER_AKT * akt_usd;
        providers_add_income(pv, p, i, usd);
        out->incentive_paid += pay;
        out->incentive_paid_usd += usd;
        out->provider_sold += sold;
    }
    return rc;
}
