/* Escrow payments, fees and closes; see escrow.h. */
#include "escrow.h"
#include "round.h"

static int tenant_pays(ledger_t *led, denom_t d, int64_t amount)
{
    /* USDC is bridged in by the tenant when needed; AKT comes from holders */
    if (d == DENOM_USDC && ledger_mint(led, ACCT_HOLDERS, amount) != 0)
        return -1;
    return ledger_transfer(led, ACCT_HOLDERS, ACCT_ESCROW, amount);
}

int escrow_deposit(ledger_t led[DENOM_COUNT], denom_t d, int64_t amount, escrow_flows_t *f)
{
    f->deposits[d] += amount;
    return tenant_pays(&led[d], d, amount);
}

int escrow_close(ledger_t led[DENOM_COUNT], leases_t *l, providers_t *pv, size_t i, int64_t day,
                 close_reason_t reason, escrow_flows_t *f)
{
    denom_t d = (denom_t)l->lease[i].denom;
    int64_t balance = leases_balance(l, i, day);
    int64_t rate = l->lease[i].rate;
    /* a lease whose deployments close on their own days: those ending today,
     * each as a lease of one (its balance and rate are count x one's) */
    int32_t count = l->lease[i].count, n = reason == CLOSE_END ? leases_closing(l, i) : count;
    if (n < count) {
        balance = balance / count * n;
        rate = rate / count * n;
    }
    int64_t pay = 0;
    if (reason == CLOSE_END)
        pay = balance < rate ? balance : rate;
    else if (reason == CLOSE_OVERDRAWN)
        pay = balance;
    pv->paid_today[d][l->lease[i].provider] += pay;
    int64_t refund = balance - pay;
    f->refunds[d] += refund;
    f->closed[reason] += n;
    if (n < count)
        leases_shrink(l, pv, i, n);
    else
        leases_remove(l, pv, i);
    return ledger_transfer(&led[d], ACCT_ESCROW, ACCT_HOLDERS, refund);
}

int escrow_settle(const params_t *p, ledger_t led[DENOM_COUNT], leases_t *l, providers_t *pv,
                  int64_t day, escrow_flows_t *f, bme_t *bme, double akt_usd, bme_flows_t *bf)
{
    int rc = 0;
    /* a denomination no lease pays in owes nothing today (closing leases of
     * it had a rate), and has nothing to settle if it earned nothing yesterday */
    int idle[DENOM_COUNT];
    for (int d = 0; d < DENOM_COUNT; d++)
        idle[d] = l->total_rate[d] == 0 && pv->revenue_zero[d];
    /* 1. leases whose last paying day is today */
    while (day <= l->horizon && l->day_head[day] >= 0) {
        int32_t i = l->day_head[day];
        /* the day's leases are a linked list scattered over the table: load
         * the next one, and this one's provider-list neighbours, while this
         * one closes */
        const lease_t *e = &l->lease[i];
        if (e->e_next >= 0)
            __builtin_prefetch(&l->lease[e->e_next]);
        if (e->p_prev >= 0)
            __builtin_prefetch(&l->lease[e->p_prev], 1);
        if (e->p_next >= 0)
            __builtin_prefetch(&l->lease[e->p_next], 1);
        rc |= escrow_close(led, l, pv, (size_t)i, day, (close_reason_t)l->lease[i].reason, f);
    }
    /* 2. every other lease pays its rate; 3. providers withdraw, the take fee goes to the pool */
    /* x/take is gone under BME (AEP-76): no take fee on anything once it is active */
    const double take[DENOM_COUNT] = {bme->active ? 0.0 : p->market.take_rate_akt,
                                      bme->active ? 0.0 : p->market.take_rate_usdc, 0.0};
    for (int d = 0; d < DENOM_COUNT; d++) {
        if (idle[d])
            continue;
        /* one pass per denomination over its arrays; the ledger moves the sums once */
        int64_t *paid = pv->paid_today[d], *rate = pv->rate[d], *revenue = pv->revenue_today[d];
        int64_t gross_sum = 0, fee_sum = 0;
        for (size_t i = 0; i < pv->count; i++) {
            int64_t gross = paid[i] + (pv->active[i] ? rate[i] : 0);
            paid[i] = 0;
            int64_t fee = gross == 0 ? 0 : trunc_rate_i64(gross, take[d]);
            revenue[i] = gross - fee;
            gross_sum += gross;
            fee_sum += fee;
        }
        pv->revenue_zero[d] = gross_sum == 0;   /* then every provider's is 0 */
        f->paid[d] += gross_sum;
        f->fees[d] += fee_sum;
        f->revenue[d] += gross_sum - fee_sum;
        rc |= ledger_transfer(&led[d], ACCT_ESCROW, ACCT_PROVIDERS, gross_sum - fee_sum);
        rc |= ledger_transfer(&led[d], ACCT_ESCROW, ACCT_COMMUNITY_POOL, fee_sum);
    }
    /* providers turn the day's ACT into AKT */
    if (bme_redeem(bme, p, led, f->revenue[DENOM_ACT], akt_usd, bf) != 0)
        rc = -1;
    /* 4. tenants of funded leases top up what their leases paid; when liquid
     * AKT cannot cover it (a price so low that AKT-priced top-ups exceed what
     * holders have), those leases stop being topped up and run their deposits
     * down instead: tenants cannot pay what does not exist */
    if (led[DENOM_AKT].balance[ACCT_HOLDERS] < l->funded_rate[DENOM_AKT])
        f->unfunded += leases_unfund(l, DENOM_AKT, day);
    int funded = bme_fund(bme, p, led, l->funded_rate[DENOM_ACT], 0, akt_usd, bf);
    if (funded > 0) {
        f->unfunded += leases_unfund(l, DENOM_ACT, day);
        funded = 0;
    }
    if (funded != 0)
        return -1;
    for (int d = 0; d < DENOM_COUNT; d++) {
        f->topups[d] += l->funded_rate[d];
        rc |= tenant_pays(&led[d], (denom_t)d, l->funded_rate[d]);
    }
    return rc;
}
