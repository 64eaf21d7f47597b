/*
 * Staking behaviour and the unbonding queue (docs/model.md §4).
 *
 * apr_response: holders compare the staking APR
 *     APR = I (1 - community_tax) (1 - commission) / r        (economics.md §4)
 * with a required yield y_t = required_yield * exp(x_t), where x_t is an
 * Ornstein-Uhlenbeck process (volatility, reversion) standing for the outside
 * opportunities and sentiment that no chain data shows. With
 *     gap = clamp(APR / y_t - 1, -1, 1)
 * a day moves trunc(gap * response_per_year / 365 * holders) from liquid to
 * bonded when gap > 0, or trunc(-gap * response_per_year / 365 * bonded) into
 * unbonding when gap < 0. Unbonding tokens become liquid after unbonding_days.
 *
 * fixed: after rewards are restaked, bonded is reset to round(r0 * supply):
 * extra bonds come from holders, extra unbonds enter the queue.
 */
#ifndef MODELS_STAKING_H
#define MODELS_STAKING_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "ledger.h"
#include "params.h"

typedef struct {
    int64_t *queue;        /* ring of unbonding amounts by maturity day, uakt */
    size_t queue_len;      /* unbonding_days + 1 */
    double log_yield_dev;  /* x_t */
    double required_yield; /* y_t, 1/yr */
    double apr;            /* today's staking APR, 1/yr */
} staking_t;

typedef struct {
    int64_t bonded;        /* liquid -> bonded today, uakt */
    int64_t unbonded;      /* bonded -> unbonding today, uakt */
    int64_t matured;       /* unbonding -> liquid today, uakt */
} staking_flows_t;

/* Allocate the queue for the scenario's unbonding period. -1 on ENOMEM. */
int staking_alloc(staking_t *s, const params_t *p);
void staking_free(staking_t *s);

/* Day-0 state (no allocation). */
void staking_reset(staking_t *s, const params_t *p);

/* The APR formula above; inflation in 1/yr. */
double staking_apr(const params_t *p, double inflation, int64_t bonded, int64_t supply);

/* One day: mature the queue, then bond or unbond. -1 if the ledger refuses a move. */
int staking_step(const params_t *p, staking_t *s, ledger_t *l, int64_t day, double inflation,
                 gsl_rng *rng, staking_flows_t *out);

#endif
