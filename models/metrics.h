/*
 * The metric table: every series a run records, with its unit and meaning
 * (docs/output.md is this table). output/ knows metrics only through it.
 */
#ifndef MODELS_METRICS_H
#define MODELS_METRICS_H

#include <stddef.h>

#include "world.h"

typedef enum {
    M_SUPPLY_TOTAL,
    M_MINTED,
    M_BURNED,
    M_INFLATION,
    M_INFLATION_REALISED,
    M_BONDED_RATIO,
    M_BONDED_AKT,
    M_UNBONDING_AKT,
    M_LIQUID_AKT,
    M_STAKING_APR,
    M_REQUIRED_YIELD,
    M_COMMUNITY_POOL,
    M_COMMUNITY_POOL_INFLOW,
    M_VALIDATOR_COMMISSION,
    M_DELEGATOR_REWARDS,
    M_NET_BONDING,
    METRIC_COUNT
} metric_id_t;

typedef struct {
    const char *name;
    const char *unit;
    const char *description;
} metric_def_t;

extern const metric_def_t metric_table[METRIC_COUNT];

/* Today's values of every metric, in table order, into out[METRIC_COUNT]. */
void metrics_record(const world_t *w, double *out);

#endif
