/* The AKT/USD price process; see price.h. */
#include "price.h"

#include <math.h>

#include <gsl/gsl_randist.h>

void price_reset(price_t *pr, const params_t *p)
{
    pr->usd = p->price.initial_usd;
}

void price_step(price_t *pr, const params_t *p, gsl_rng *rng)
{
    const double dt = 1.0 / 365.0;
    double sigma = p->price.volatility_per_year;
    double z = gsl_ran_gaussian_ziggurat(rng, 1.0);
    pr->usd *= exp((p->price.drift_per_year - 0.5 * sigma * sigma) * dt + sigma * sqrt(dt) * z);
}
