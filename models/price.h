/*
 * The AKT/USD price (step 2 of the day): a log process
 *   ln P_t = ln P_{t-1} + (mu - sigma^2/2) dt + sigma sqrt(dt) e_t + J_t + F_t,   dt = 1/365,
 * with e_t ~ N(0, 1), J_t the sum of Poisson(jumps_per_year dt) jumps of log size
 * N(jump_mean, jump_sd^2) (all from the run's price stream), and, in the coupled
 * mode, the impact of yesterday's net AKT flow (bought - sold, in USD at
 * yesterday's price) on a market of depth liquidity_depth_usd:
 *   F_t = clamp(net_flow_usd / liquidity_depth_usd, -max_daily_impact, +max_daily_impact).
 * Exogenously E[P_t] = P_0 e^{mu t} without jumps.
 */
#ifndef MODELS_PRICE_H
#define MODELS_PRICE_H

#include <gsl/gsl_rng.h>

#include "params.h"

typedef struct {
    double usd;     /* USD per AKT today */
} price_t;

void price_reset(price_t *pr, const params_t *p);

/* Step to today's price; net_flow_akt is yesterday's bought - sold, AKT. */
void price_step(price_t *pr, const params_t *p, double net_flow_akt, gsl_rng *rng);

#endif
