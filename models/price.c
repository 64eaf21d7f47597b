/* The AKT/USD price process; see price.h. */
#include "price.h"
#include "units.h"

#include <math.h>

#include <gsl/gsl_randist.h>

/* The interpolated log price of series s on `date`, between points k - 1 and k. */
static double interp_log(const price_series_t *s, int64_t k, int64_t date)
{
    double a = log(s->usd[k - 1]), b = log(s->usd[k]);
    double w = (double)(date - s->day[k - 1]) / (double)(s->day[k] - s->day[k - 1]);
    return a + (b - a) * w;
}

void price_reset(price_t *pr, const params_t *p)
{
    pr->usd = p->price.initial_usd;
    pr->bridge = 0.0;
    pr->next = 0;
    pr->date = params_date_to_days(p->start_date);
    const price_series_t *s = &p->price.series;
    if (p->price.mode != PRICE_SERIES || s->npoints == 0)
        return;
    int64_t k = 0;
    while (k < s->npoints && s->day[k] <= pr->date)
        k++;
    pr->next = k;
    if (k == 0)                         /* before the first point: refused by params_check */
        pr->usd = s->usd[0];
    else if (s->day[k - 1] == pr->date || k == s->npoints)
        pr->usd = s->usd[k - 1];        /* on a point, or after the last: its price exactly */
    else
        pr->usd = exp(interp_log(s, k, pr->date));
}

/* The series mode between points: today's price from the bridge, with z the
 * day's normal draw. Returns 0 once past the last point (exogenous from then on). */
static int series_step(price_t *pr, const params_t *p, double z)
{
    const price_series_t *s = &p->price.series;
    int64_t k = pr->next;
    pr->date++;
    if (k >= s->npoints)
        return 0;
    if (k == 0) {                       /* not reached (params_check): hold the first price */
        pr->usd = s->usd[0];
        return 1;
    }
    double left = (double)(s->day[k] - pr->date);   /* days to the next point after today, >= 0 */
    double keep = left / (left + 1.0);              /* (T - t - 1) / (T - t) for yesterday's t */
    double sigma = p->price.volatility_per_year;
    pr->bridge = pr->bridge * keep + sigma * sqrt(keep / DAYS_PER_YEAR) * z;
    if (pr->date == s->day[k]) {        /* on the point: its price exactly */
        pr->bridge = 0.0;
        pr->usd = s->usd[k];
        pr->next = k + 1;
        return 1;
    }
    pr->usd = exp(interp_log(s, k, pr->date) + pr->bridge);
    return 1;
}

void price_step(price_t *pr, const params_t *p, double net_flow_akt, gsl_rng *rng)
{
    const double dt = 1.0 / DAYS_PER_YEAR;
    double sigma = p->price.volatility_per_year;
    double z = gsl_ran_gaussian_ziggurat(rng, 1.0);
    double dlog = (p->price.drift_per_year - 0.5 * sigma * sigma) * dt + sigma * sqrt(dt) * z;
    if (p->price.jumps_per_year > 0) {
        unsigned int n = gsl_ran_poisson(rng, p->price.jumps_per_year * dt);
        for (unsigned int k = 0; k < n; k++)
            dlog += p->price.jump_mean + p->price.jump_sd * gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    /* the series mode has drawn what the others draw; between points it uses z alone */
    if (p->price.mode == PRICE_SERIES && series_step(pr, p, z))
        return;
    if (p->price.mode == PRICE_COUPLED) {
        double impact = net_flow_akt * pr->usd / p->price.liquidity_depth_usd;
        double cap = p->price.max_daily_impact;
        dlog += impact > cap ? cap : impact < -cap ? -cap : impact;
    }
    pr->usd *= exp(dlog);
}
