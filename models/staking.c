/* Staking behaviour and unbonding; see staking.h. */
#include "staking.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>


int staking_alloc(staking_t *s, const params_t *p)
{
    memset(s, 0, sizeof *s);
    s->groups = (int)p->staking.holder_groups;
    s->queue_len = (size_t)p->staking.unbonding_days + 1;
    s->queue = calloc((size_t)s->groups * s->queue_len, sizeof *s->queue);
    return s->queue ? 0 : -1;
}

void staking_free(staking_t *s)
{
    free(s->queue);
    s->queue = NULL;
}

/* Add `amount` (either sign) to parts[0..n) in proportion to weights[] (equal
 * shares when every weight is 0), exactly: the parts change by `amount` in
 * all, and none goes below 0. -1 (nothing changed) when the parts cannot give
 * up -amount. A negative amount is shared in proportion to the parts
 * themselves (weights == parts), so that the rounding remainder is a few units. */
static int share_out(int64_t amount, const int64_t *weights, int n, int64_t *parts)
{
    int64_t total = 0, held = 0;
    for (int g = 0; g < n; g++) {
        total += weights[g];
        held += parts[g];
    }
    if (amount < 0 && (-amount > held || weights != parts))
        return -1;
    int64_t given = 0;
    for (int g = 0; g < n; g++) {
        double w = total > 0 ? (double)weights[g] / (double)total : 1.0 / n;
        int64_t part = (int64_t)((double)amount * w);
        if (parts[g] + part < 0)
            part = -parts[g];
        parts[g] += part;
        given += part;
    }
    /* the rounding remainder (a few units), one at a time to the heaviest parts first */
    int order[STAKING_MAX_GROUPS];
    for (int g = 0; g < n; g++) {
        int k = g;
        for (; k > 0 && weights[order[k - 1]] < weights[g]; k--)
            order[k] = order[k - 1];
        order[k] = g;
    }
    int64_t rest = amount - given;
    for (int k = 0; rest != 0; k = (k + 1) % n) {
        int g = order[k];
        if (rest < 0 && parts[g] == 0)
            continue;
        int64_t unit = rest > 0 ? 1 : -1;
        parts[g] += unit;
        rest -= unit;
    }
    return 0;
}

void staking_reset(staking_t *s, const params_t *p, const ledger_t *l)
{
    int G = s->groups;
    memset(s->queue, 0, (size_t)G * s->queue_len * sizeof *s->queue);
    memset(s->bonded, 0, sizeof s->bonded);
    memset(s->unbonding, 0, sizeof s->unbonding);
    memset(s->liquid, 0, sizeof s->liquid);
    for (int g = 0; g < G; g++)
        s->z[g] = G > 1 ? gsl_cdf_ugaussian_Pinv((g + 0.5) / G) : 0.0;
    /* equal wealth; the bonded tokens belong to the least demanding groups first */
    int64_t wealth[STAKING_MAX_GROUPS] = {0}, ones[STAKING_MAX_GROUPS] = {0};
    for (int g = 0; g < G; g++)
        ones[g] = 1;
    share_out(l->balance[ACCT_HOLDERS] + l->balance[ACCT_BONDED], ones, G, wealth);
    int64_t bonded = l->balance[ACCT_BONDED];
    for (int g = 0; g < G; g++) {
        s->bonded[g] = bonded < wealth[g] ? bonded : wealth[g];
        bonded -= s->bonded[g];
        s->liquid[g] = wealth[g] - s->bonded[g];
    }
    s->log_yield_dev = 0.0;
    s->required_yield = p->staking.required_yield;
    s->apr = 0.0;
}

double staking_apr_nominal(const params_t *p, double inflation, int64_t bonded, int64_t supply)
{
    if (bonded <= 0 || supply <= 0)
        return 0.0;
    double r = (double)bonded / (double)supply;
    return inflation * (1.0 - p->distribution.community_tax) *
           (1.0 - p->distribution.validator_commission) / r;
}

/* Exact discretisation of the OU process over one day. */
static void update_required_yield(const params_t *p, staking_t *s, gsl_rng *rng)
{
    double dt = 1.0 / DAYS_PER_YEAR;
    double theta = p->staking.yield_reversion_per_year;
    double sigma = p->staking.yield_volatility;
    double decay = exp(-theta * dt);
    double sd = theta > 0 ? sigma * sqrt(-expm1(-2.0 * theta * dt) / (2.0 * theta))
                          : sigma * sqrt(dt);
    /* draw even when sd == 0 so that the stream's position never depends on parameters */
    double z = gsl_ran_gaussian_ziggurat(rng, 1.0);
    s->log_yield_dev = s->log_yield_dev * decay + sd * z;
    s->required_yield = p->staking.required_yield * exp(s->log_yield_dev);
}

/* Today's rewards and every other change of the ledger since yesterday, into
 * the groups' parts (apr_response). -1 when the parts cannot follow (a bug). */
static int follow_ledger(staking_t *s, const ledger_t *l, const distribution_flows_t *paid)
{
    int G = s->groups;
    int64_t earned[STAKING_MAX_GROUPS];
    memcpy(earned, s->bonded, sizeof earned);   /* the stake that earned today's rewards */
    int64_t bonded = 0, liquid = 0;
    for (int g = 0; g < G; g++) {
        bonded += s->bonded[g];
        liquid += s->liquid[g];
    }
    int64_t liquid_rewards = paid->delegators - paid->restaked;
    /* only restaking moves the bonded pool between two staking steps: anything else is a leak */
    if (l->balance[ACCT_BONDED] - bonded != paid->restaked)
        return -1;
    if (share_out(paid->restaked, earned, G, s->bonded) != 0 || share_out(liquid_rewards, earned, G, s->liquid) != 0)
        return -1;
    /* the rest of the liquid change: the market's purchases and sales, refunds */
    int64_t rest = l->balance[ACCT_HOLDERS] - (liquid + liquid_rewards);
    return share_out(rest, s->liquid, G, s->liquid);
}

static int64_t *ring(staking_t *s, int g)
{
    return s->queue + (size_t)g * s->queue_len;
}

int staking_step(const params_t *p, staking_t *s, ledger_t *l, int64_t day,
                 const distribution_flows_t *paid, gsl_rng *rng, staking_flows_t *out)
{
    memset(out, 0, sizeof *out);
    int G = s->groups;
    int groups = p->staking.model == STAKING_APR_RESPONSE;
    if (groups && follow_ledger(s, l, paid) != 0)
        return -1;

    /* tokens that started unbonding unbonding_days ago become liquid */
    size_t slot = (size_t)(day % (int64_t)s->queue_len);
    for (int g = 0; g < G; g++) {
        int64_t m = ring(s, g)[slot];
        ring(s, g)[slot] = 0;
        s->unbonding[g] -= m;
        s->liquid[g] += m;
        out->matured += m;
    }
    if (ledger_transfer(l, ACCT_UNBONDING, ACCT_HOLDERS, out->matured) != 0)
        return -1;

    update_required_yield(p, s, rng);
    /* the APR of what was paid: rewards over the stake that earned them */
    int64_t stake = l->balance[ACCT_BONDED] - paid->restaked;
    s->apr = stake > 0 ? (double)paid->delegators * DAYS_PER_YEAR / (double)stake : 0.0;

    int64_t unbond[STAKING_MAX_GROUPS] = {0};
    if (!groups) {
        int64_t bonded = l->balance[ACCT_BONDED];
        int64_t target = llround(p->supply.bonded_ratio * (double)l->supply);
        if (target > bonded) {
            int64_t add = target - bonded;
            if (add > l->balance[ACCT_HOLDERS])
                add = l->balance[ACCT_HOLDERS];
            out->bonded = add;
        } else if (target < bonded) {
            unbond[0] = bonded - target;
        }
    } else {
        double rate = p->staking.response_per_year / DAYS_PER_YEAR;
        for (int g = 0; g < G; g++) {
            double y = s->required_yield * exp(p->staking.yield_dispersion * s->z[g]);
            double gap = s->apr / y - 1.0;
            if (gap > 1.0) gap = 1.0;
            if (gap < -1.0) gap = -1.0;
            double share = fabs(gap) * rate;
            if (share > 1.0) share = 1.0;
            if (gap > 0) {
                int64_t b = (int64_t)(share * (double)s->liquid[g]);
                s->liquid[g] -= b;
                s->bonded[g] += b;
                out->bonded += b;
            } else {
                unbond[g] = (int64_t)(share * (double)s->bonded[g]);
            }
        }
    }
    if (ledger_transfer(l, ACCT_HOLDERS, ACCT_BONDED, out->bonded) != 0)
        return -1;
    for (int g = 0; g < G; g++)
        out->unbonded += unbond[g];
    if (out->unbonded == 0)
        return 0;
    if (p->staking.unbonding_days == 0) {
        /* no unbonding period: liquid at once */
        if (ledger_transfer(l, ACCT_BONDED, ACCT_HOLDERS, out->unbonded) != 0)
            return -1;
        out->matured += out->unbonded;
        for (int g = 0; g < G && groups; g++) {
            s->bonded[g] -= unbond[g];
            s->liquid[g] += unbond[g];
        }
        return 0;
    }
    if (ledger_transfer(l, ACCT_BONDED, ACCT_UNBONDING, out->unbonded) != 0)
        return -1;
    size_t due = (size_t)((day + (int64_t)s->queue_len - 1) % (int64_t)s->queue_len);
    for (int g = 0; g < G; g++) {
        ring(s, g)[due] += unbond[g];
        s->unbonding[g] += unbond[g];
        if (groups)
            s->bonded[g] -= unbond[g];
    }
    return 0;
}

int staking_check(const staking_t *s, const params_t *p, const ledger_t *l)
{
    if (p->staking.model != STAKING_APR_RESPONSE)
        return 0;
    int64_t b = 0, u = 0, q = 0;
    for (int g = 0; g < s->groups; g++) {
        if (s->bonded[g] < 0 || s->unbonding[g] < 0 || s->liquid[g] < 0)
            return -1;
        b += s->bonded[g];
        u += s->unbonding[g];
        q += s->liquid[g];
    }
    return b == l->balance[ACCT_BONDED] && u == l->balance[ACCT_UNBONDING] && q == l->balance[ACCT_HOLDERS]
               ? 0 : -1;
}
