/*
 * x/distribution (docs/model.md [distribution], cosmos-sdk >= v0.47 allocation): the fee
 * collector (the day's mint) is split into
 *     validators' share = trunc(fees * (1 - community_tax))
 *     community pool    = fees - validators' share   (the remainder and dust)
 *     commission        = trunc(validators' share * validator_commission)
 *     delegators        = validators' share - commission
 * and delegators restake trunc(delegators * restake_share) at once; the rest
 * becomes liquid. Rewards are withdrawn daily (the chain accrues them lazily;
 * only the timing differs). Amounts in uakt.
 */
#ifndef MODELS_DISTRIBUTION_H
#define MODELS_DISTRIBUTION_H

#include <stdint.h>

#include "ledger.h"
#include "params.h"

typedef struct {
    int64_t community_pool;   /* community tax, uakt */
    int64_t commission;       /* to validators, uakt */
    int64_t delegators;       /* to delegators, uakt (restaked + liquid) */
    int64_t restaked;         /* part of delegators bonded again, uakt */
} distribution_flows_t;

/* Empty the fee collector by the rules above. -1 if the ledger refuses a move (a bug). */
int distribution_step(const params_t *p, ledger_t *l, distribution_flows_t *out);

#endif
