/* The AKT/USD price process; see price.h. */
#include "price.h"

#include <math.h>

#include <gsl/gsl_randist.h>

void price_reset(price_t *pr, const params_t *p)
{
    pr->usd = p->price.initial_usd;
}

void price_step(price_t *pr, const params_t *p, double net_flow_akt, gsl_rng *rng)
{
    const double dt = 1.0 / 365.0;
    double sigma = p->price.volatility_per_year;
    double z = gsl_ran_gaussian_ziggurat(rng, 1.0);
    double dlog = (p->price.drift_per_year - 0.5 * sigma * sigma) * dt + sigma * sqrt(dt) * z;
    if (p->price.jumps_per_year > 0) {
        unsigned int n = gsl_ran_poisson(rng, p->price.jumps_per_year * dt);
        for (unsigned int k = 0; k < n; k++)
            dlog += p->price.jump_mean + p->price.jump_sd * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    if (p->price.mode == PRICE_COUPLED) {
        double impact = net_flow_akt * pr->usd / p->price.liquidity_depth_usd;
        double cap = p->price.max_daily_impact;
        dlog += impact > cap ? cap : impact < -cap ? -cap : impact;
    }
    pr->usd *= exp(dlog);
}
