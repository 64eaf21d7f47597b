/*
 * The AKT/USD price (step 2 of the day). For now an exogenous geometric
 * Brownian motion:  ln P_t = ln P_{t-1} + (mu - sigma^2/2) dt + sigma sqrt(dt) e_t,
 * dt = 1/365, e_t ~ N(0, 1) from the run's price stream, so E[P_t] = P_0 e^{mu t}.
 * (The coupled mode, where net token flows move the price, comes with the flows module.)
 */
#ifndef MODELS_PRICE_H
#define MODELS_PRICE_H

#include <gsl/gsl_rng.h>

#include "params.h"

typedef struct {
    double usd;     /* USD per AKT today */
} price_t;

void price_reset(price_t *pr, const params_t *p);
void price_step(price_t *pr, const params_t *p, gsl_rng *rng);

#endif
