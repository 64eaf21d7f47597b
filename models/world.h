/*
 * The state of one run (one replication) and its daily step, in the order of
 * docs/model.md §2:
 *   2 price -> 3-6 market (providers, tenants, auction, escrow)
 *   -> 7 mint -> 8 distribution -> 9 staking -> 12 metrics.
 * A world is allocated once per thread and reset for each run, so the daily
 * step never allocates. It reads the scenario through a const pointer.
 * Exact ledgers per denomination (uakt, uusdc, uact), indexed by denom_t.
 */
#ifndef MODELS_WORLD_H
#define MODELS_WORLD_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "distribution.h"
#include "flows.h"
#include "err.h"
#include "ledger.h"
#include "market.h"
#include "mint.h"
#include "params.h"
#include "pool.h"
#include "price.h"
#include "staking.h"

typedef struct {
    const params_t *base;   /* the scenario, borrowed; outlives the world */
    params_t own;           /* this run's parameters: the scenario changed by its events */
    const params_t *p;      /* &own: what the models read */
    int64_t day;            /* days simulated so far (0 after reset) */
    ledger_t ledger[DENOM_COUNT];
    minter_t minter;
    staking_t staking;
    price_t price;
    market_t market;
    gsl_rng *rng_staking;
    gsl_rng *rng_demand;
    gsl_rng *rng_price;
    gsl_rng *rng_providers;

    /* today's flows, for the metrics */
    int64_t supply_start;   /* AKT supply at the start of today, uakt */
    distribution_flows_t distribution;
    staking_flows_t staking_flows;
    pool_flows_t pool;      /* today's community-pool spending */
    flows_t flows;          /* today's; tomorrow's price reads flows.net */
} world_t;

/* Allocate a world for scenario p (queue, lease table, random streams). Events
 * change the world's own copy of the parameters, from step 1 of their day. */
sim_status_t world_create(world_t **out, const params_t *p, sim_error_t *err);
void world_destroy(world_t *w);

/* One run's agent tables for p (params.h's params_run_size_fn): providers,
 * the lease table and calendar, the order queue, the bids. */
void world_run_size(const params_t *p, params_run_size_t *out);

/* Day-0 state of replication `run` of sweep point `point`. */
sim_status_t world_reset(world_t *w, uint64_t point, uint64_t run, sim_error_t *err);

/* Advance one day. SIM_ERANGE with a message if an invariant breaks. */
sim_status_t world_step(world_t *w, sim_error_t *err);

/* Random draws (generator outputs) of the run so far, per stream:
 * [0] staking, [1] demand, [2] price, [3] providers (make bench's floor). */
#define WORLD_STREAMS 4
void world_draws(const world_t *w, uint64_t draws[WORLD_STREAMS]);

#endif
