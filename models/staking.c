/* Staking behaviour and unbonding; see staking.h. */
#include "staking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define DAYS_PER_YEAR 365.0

int staking_alloc(staking_t *s, const params_t *p)
{
    memset(s, 0, sizeof *s);
    s->queue_len = (size_t)p->staking.unbonding_days + 1;
    s->queue = calloc(s->queue_len, sizeof *s->queue);
    return s->queue ? 0 : -1;
}

void staking_free(staking_t *s)
{
    free(s->queue);
    s->queue = NULL;
}

void staking_reset(staking_t *s, const params_t *p)
{
    memset(s->queue, 0, s->queue_len * sizeof *s->queue);
    s->log_yield_dev = 0.0;
    s->required_yield = p->staking.required_yield;
    s->apr = 0.0;
}

double staking_apr(const params_t *p, double inflation, int64_t bonded, int64_t supply)
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

static int unbond(staking_t *s, ledger_t *l, int64_t day, int64_t amount)
{
    if (ledger_transfer(l, ACCT_BONDED, ACCT_UNBONDING, amount) != 0)
        return -1;
    size_t slot = (size_t)((day + (int64_t)s->queue_len - 1) % (int64_t)s->queue_len);
    s->queue[slot] += amount;
    return 0;
}

int staking_step(const params_t *p, staking_t *s, ledger_t *l, int64_t day, double inflation,
                 gsl_rng *rng, staking_flows_t *out)
{
    memset(out, 0, sizeof *out);

    /* tokens that started unbonding unbonding_days ago become liquid */
    size_t slot = (size_t)(day % (int64_t)s->queue_len);
    out->matured = s->queue[slot];
    s->queue[slot] = 0;
    if (ledger_transfer(l, ACCT_UNBONDING, ACCT_HOLDERS, out->matured) != 0)
        return -1;

    update_required_yield(p, s, rng);
    int64_t bonded = l->balance[ACCT_BONDED];
    s->apr = staking_apr(p, inflation, bonded, l->supply);

    if (p->staking.model == STAKING_FIXED) {
        int64_t target = llround(p->supply.bonded_ratio * (double)l->supply);
        if (target > bonded) {
            int64_t add = target - bonded;
            if (add > l->balance[ACCT_HOLDERS])
                add = l->balance[ACCT_HOLDERS];
            out->bonded = add;
            if (ledger_transfer(l, ACCT_HOLDERS, ACCT_BONDED, add) != 0)
                return -1;
        } else if (target < bonded) {
            out->unbonded = bonded - target;
        }
    } else {
        double gap = s->apr / s->required_yield - 1.0;
        if (gap > 1.0) gap = 1.0;
        if (gap < -1.0) gap = -1.0;
        double share = fabs(gap) * p->staking.response_per_year / DAYS_PER_YEAR;
        if (share > 1.0) share = 1.0;
        if (gap > 0) {
            out->bonded = (int64_t)(share * (double)l->balance[ACCT_HOLDERS]);
            if (ledger_transfer(l, ACCT_HOLDERS, ACCT_BONDED, out->bonded) != 0)
                return -1;
        } else {
            out->unbonded = (int64_t)(share * (double)bonded);
        }
    }
    if (out->unbonded > 0) {
        if (p->staking.unbonding_days == 0) {
            /* no unbonding period: liquid at once */
            if (ledger_transfer(l, ACCT_BONDED, ACCT_HOLDERS, out->unbonded) != 0)
                return -1;
            out->matured += out->unbonded;
        } else if (unbond(s, l, day, out->unbonded) != 0) {
            return -1;
        }
    }
    return 0;
}
