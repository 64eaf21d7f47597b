/* Burn-mint equilibrium; see bme.h. */
#include "bme.h"

#include <math.h>

void bme_reset(bme_t *b, const params_t *p)
{
    b->active = p->market.payment == PAYMENT_BME;
    b->remint_credits = 0;
    b->status = BME_HEALTHY;
    b->cr = INFINITY;
}

int bme_start(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT])
{
    ledger_t *akt = &led[DENOM_AKT];
    int64_t seed = p->bme.vault_seed_uakt;
    if (seed > akt->balance[ACCT_COMMUNITY_POOL])
        seed = akt->balance[ACCT_COMMUNITY_POOL];
    b->active = 1;
    return ledger_transfer(akt, ACCT_COMMUNITY_POOL, ACCT_VAULT, seed);
}

int bme_fund(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT], int64_t act_needed,
             int new_deployment, double akt_usd, bme_flows_t *f)
{
    ledger_t *akt = &led[DENOM_AKT], *act = &led[DENOM_ACT];
    int64_t lack = act_needed - act->balance[ACCT_HOLDERS];
    if (lack <= 0)
        return 0;
    if (new_deployment && b->status == BME_HALT)
        return 1;
    double s = p->bme.mint_spread_bps / 1e4;
    /* the AKT to burn so that minted - spread covers the lack (a step up if rounding falls short) */
    int64_t burn = (int64_t)ceil((double)lack / ((1.0 - s) * akt_usd));
    int64_t minted, spread;
    for (;;) {
        minted = (int64_t)((double)burn * akt_usd);
        spread = (int64_t)((double)minted * s);
        if (minted - spread >= lack)
            break;
        burn++;
    }
    if (akt->balance[ACCT_HOLDERS] < burn)
        return 1;
    int rc = 0;
    if (p->bme.true_burn) {
        rc |= ledger_burn(akt, ACCT_HOLDERS, burn);
    } else {
        rc |= ledger_transfer(akt, ACCT_HOLDERS, ACCT_VAULT, burn);
        b->remint_credits += burn;
    }
    rc |= ledger_mint(act, ACCT_HOLDERS, minted);
    rc |= ledger_transfer(act, ACCT_HOLDERS, ACCT_VAULT, spread);
    f->akt_in += burn;
    f->act_minted += minted;
    f->act_spread += spread;
    return rc ? -1 : 0;
}

int bme_redeem(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT], int64_t act_amount, double akt_usd,
               bme_flows_t *f)
{
    ledger_t *akt = &led[DENOM_AKT], *act = &led[DENOM_ACT];
    if (act_amount <= 0)
        return 0;
    int rc = ledger_burn(act, ACCT_PROVIDERS, act_amount);
    double s = p->bme.settle_spread_bps / 1e4;
    int64_t out = (int64_t)((double)act_amount * (1.0 - s) / akt_usd);
    int64_t from_vault = 0;
    if (!p->bme.true_burn) {
        from_vault = out < b->remint_credits ? out : b->remint_credits;
        b->remint_credits -= from_vault;
        rc |= ledger_transfer(akt, ACCT_VAULT, ACCT_PROVIDERS, from_vault);
    }
    rc |= ledger_mint(akt, ACCT_PROVIDERS, out - from_vault);
    f->act_burned += act_amount;
    f->akt_out += out;
    f->akt_reminted += out - from_vault;
    return rc ? -1 : 0;
}

void bme_update_status(bme_t *b, const params_t *p, const ledger_t led[DENOM_COUNT], double akt_usd)
{
    int64_t outstanding = led[DENOM_ACT].supply;
    b->cr = outstanding > 0 ? (double)led[DENOM_AKT].balance[ACCT_VAULT] * akt_usd / (double)outstanding
                            : INFINITY;
    b->status = b->cr > p->bme.cr_warn ? BME_HEALTHY : b->cr > p->bme.cr_halt ? BME_WARNING : BME_HALT;
}
