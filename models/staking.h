/*
 * Staking behaviour and the unbonding queue (docs/model.md §6).
 *
 * The staking APR is what delegators were actually paid today, a year of it:
 *     APR = delegator rewards of the day x 365 / the bonded stake that earned them
 * (cosmos-sdk x/distribution: I (1 - community_tax) (1 - commission) / r while
 * x/mint mints; 0 when supply.max_akt stops the mint).
 *
 * apr_response: the holders of liquid, bonded and unbonding AKT form
 * staking.holder_groups groups of equal day-0 wealth; group g requires the yield
 *     y_g,t = required_yield x exp(yield_dispersion z_g) x exp(x_t),
 * z_g the normal quantile at (g + 1/2) / G (a lognormal spread of required
 * yields across holders) and x_t an Ornstein-Uhlenbeck process common to all
 * (outside opportunities and sentiment that no chain data shows). With
 *     gap_g = clamp(APR / y_g,t - 1, -1, 1)
 * group g bonds trunc(gap_g x response_per_year / 365 x its liquid tokens) when
 * gap_g > 0, or unbonds trunc(-gap_g x response_per_year / 365 x its bonded
 * tokens) when gap_g < 0: some groups bond while others unbond on the same day.
 * Unbonding tokens become liquid after unbonding_days. One group is the
 * aggregate holder.
 *
 * Each group's bonded, unbonding and liquid tokens are exact integers that add
 * up to the ledger's bonded, unbonding and holders accounts after every step:
 * restaked and liquid rewards go to the groups in proportion to their bonded
 * tokens, other changes of the liquid balance (the market's flows, refunds) in
 * proportion to their liquid tokens. Only restaking may move the bonded pool
 * between two steps: any other change stops the run (staking_step fails).
 *
 * fixed: after rewards are restaked, bonded is reset to round(r0 x supply):
 * extra bonds come from holders, extra unbonds enter the queue.
 */
#ifndef MODELS_STAKING_H
#define MODELS_STAKING_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "distribution.h"
#include "ledger.h"
#include "params.h"

#define STAKING_MAX_GROUPS PARAMS_MAX_HOLDER_GROUPS

typedef struct {
    int64_t *queue;        /* [groups][queue_len]: rings of unbonding amounts by maturity day, uakt */
    size_t queue_len;      /* unbonding_days + 1 */
    int groups;
    double z[STAKING_MAX_GROUPS];           /* normal quantile of each group's required yield */
    int64_t bonded[STAKING_MAX_GROUPS];     /* each group's part of the bonded pool, uakt */
    int64_t unbonding[STAKING_MAX_GROUPS];  /* each group's part of the unbonding queue, uakt */
    int64_t liquid[STAKING_MAX_GROUPS];     /* each group's part of the holders' liquid tokens, uakt */
    double log_yield_dev;  /* x_t */
    double required_yield; /* y_t of the median holder (z = 0), 1/yr */
    double apr;            /* today's staking APR, 1/yr */
} staking_t;

typedef struct {
    int64_t bonded;        /* liquid -> bonded today by holders' decisions, uakt */
    int64_t unbonded;      /* bonded -> unbonding today, uakt */
    int64_t matured;       /* unbonding -> liquid today, uakt */
} staking_flows_t;

/* Allocate the queues for the scenario's groups and unbonding period. -1 on ENOMEM. */
int staking_alloc(staking_t *s, const params_t *p);
void staking_free(staking_t *s);

/* Day-0 state (no allocation): the ledger's bonded tokens belong to the groups
 * that require the least yield, each group holding an equal share of the
 * holders' and bonded tokens. */
void staking_reset(staking_t *s, const params_t *p, const ledger_t *l);

/* The APR the x/mint rate implies before anything is minted (day 0):
 * inflation (1 - community_tax) (1 - commission) / (bonded / supply). */
double staking_apr_nominal(const params_t *p, double inflation, int64_t bonded, int64_t supply);

/* One day after the distribution: mature the queue, measure the APR from
 * today's rewards (`paid`), then bond or unbond. -1 if the ledger refuses a move. */
int staking_step(const params_t *p, staking_t *s, ledger_t *l, int64_t day,
                 const distribution_flows_t *paid, gsl_rng *rng, staking_flows_t *out);

/* The groups' tokens add up to the ledger's bonded, unbonding and holders
 * accounts and none is negative (apr_response); 0 when they do, -1 otherwise. */
int staking_check(const staking_t *s, const params_t *p, const ledger_t *l);

#endif
