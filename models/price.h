/*
 * The AKT/USD price (step 2 of the day): a log process
 *   ln P_t = ln P_{t-1} + (mu - sigma^2/2) dt + sigma sqrt(dt) e_t + J_t + F_t,   dt = 1/365,
 * with e_t ~ N(0, 1), J_t the sum of Poisson(jumps_per_year dt) jumps of log size
 * N(jump_mean, jump_sd^2) (all from the run's price stream), and, in the coupled
 * mode, the impact of yesterday's net AKT flow (bought - sold, in USD at
 * yesterday's price) on a market of depth liquidity_depth_usd:
 *   F_t = clamp(net_flow_usd / liquidity_depth_usd, -max_daily_impact, +max_daily_impact).
 * Exogenously E[P_t] = P_0 e^{mu t} without jumps.
 *
 * In the series mode the price follows observed points (t_i, P_i) (params.h,
 * price_series_t): between two of them
 *   ln P_t = ln P_i + (ln P_{i+1} - ln P_i) (t - t_i) / (t_{i+1} - t_i) + b_t,
 * the log price interpolated in time plus a Brownian bridge b pinned to 0 at
 * every point: from b on day t with the next point on day T,
 *   b_{t+1} = b (T - t - 1)/(T - t) + sigma sqrt(dt (T - t - 1)/(T - t)) e_{t+1},
 * so each run passes through every observed price on its date. After the last
 * point the exogenous process above continues from the last price. The day-0
 * price is the series' on start_date (params_check refuses a start before the
 * first point). Flows never move it.
 *
 * Every mode draws the same numbers from the price stream each day (e_t, and
 * the jumps' when jumps_per_year > 0, used or not), so that modes and
 * scenarios compared run by run see the same shocks.
 */
#ifndef MODELS_PRICE_H
#define MODELS_PRICE_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "params.h"

typedef struct {
    double usd;     /* USD per AKT today */
    /* the series mode */
    int64_t date;   /* today, days since 1970-01-01 */
    int64_t next;   /* index of the first point after today (npoints: none left) */
    double bridge;  /* b: today's log deviation from the interpolated path */
} price_t;

void price_reset(price_t *pr, const params_t *p);

/* Step to today's price; net_flow_akt is yesterday's bought - sold, AKT. */
void price_step(price_t *pr, const params_t *p, double net_flow_akt, gsl_rng *rng);

#endif
