/*
 * Tenants (step 4): the demand for deployments. Tenants are counted, not
 * listed: a population that grows at tenants.growth_per_year and loses members
 * after bad experiences (an order that expires unfilled, a lease closed by its
 * provider), each leaving with tenants.churn_probability. New orders a day are
 *     Poisson(orders_per_day x population / population_0 x season_t x shock_t)
 *     season_t = 1 + amplitude cos(2 pi (t - peak_day) / 365)
 *     shock_t  = exp(s e_t - s^2/2)      (mean 1; e_t ~ N(0,1))
 * Each order picks a class by the classes' demand shares, a size (lognormal,
 * rounded to 0.1 vCPU or whole GPUs), a duration (lognormal, heavy-tailed), a
 * maximum price (cloud reference x max_price_ratio x lognormal noise), a
 * denomination (USDC with market.usdc_share), and whether the tenant keeps its
 * escrow topped up (all but tenants.unfunded_share). Orders wait in a FIFO queue and
 * are retried for market.order_retry_days before they expire.
 */
#ifndef MODELS_TENANTS_H
#define MODELS_TENANTS_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "params.h"
#include "resources.h"

typedef struct {
    uint8_t cls;
    uint8_t denom;
    uint8_t funded;         /* the tenant keeps the escrow topped up (else it runs dry) */
    uint8_t spread;         /* a cohort whose deployments' durations spread over the
                             * class's law when they fill (leases_spread); 0: each
                             * lasts `days` */
    int16_t tries_left;     /* further days it may wait */
    int32_t days;           /* planned duration */
    int32_t units;          /* milli-units of one deployment */
    int32_t count;          /* deployments (a cohort; 1 without cohorts) */
    /* A cohort's deployments differ in their maximum price: deployment k's
     * (k = 0 .. count - 1, lowest first) is the class's quantile at level
     * price_level + k price_step; price_step 0: every one's is log_max_price.
     * The two ends are kept, as a day's tries need only them. (A float step
     * fills the padding: 48 bytes an order; its rounding moves a level by
     * under 1e-7 of its stratum.) */
    float price_step;
    double price_level;
    double log_max_price;   /* log of the highest maximum price, USD per unit-hour */
    double log_min_price;   /* log of the lowest (deployment 0's) */
} order_t;

/* The largest order, milli-units (a million units: larger draws are clipped;
 * no provider could take them anyway). */
#define TENANTS_MAX_UNITS 1000000000

/* The largest tenants.cohorts_per_day. */
#define TENANTS_MAX_COHORTS PARAMS_MAX_COHORTS

/* Quantiles of a lognormal at u = k / TENANTS_QUANTILES, k = 1 .. TENANTS_QUANTILES - 1:
 * a draw interpolates between them (exact draws in the outer 1/TENANTS_QUANTILES
 * tails), which costs a uniform and a lookup instead of a normal and an exp. */
#define TENANTS_QUANTILES 4096

typedef struct {
    double mu, sigma;
    double q[TENANTS_QUANTILES + 1];    /* q[k] = exp(mu + sigma z_k); q[0], q[K] unused */
} lognormal_table_t;

typedef struct {
    order_t *queue;         /* ring buffer */
    size_t cap, head, len;
    int64_t pending;        /* deployments waiting: the sum of the queue's counts */
    double population;
    double log_size[RES_COUNT];     /* log of the median order size, units */
    double log_days[RES_COUNT];     /* log of the median duration, days */
    double log_max_price[RES_COUNT]; /* log of the median maximum price, USD/unit-h */
    double class_cdf[RES_COUNT];    /* cumulative demand shares, normalised */
    double class_share[RES_COUNT];  /* demand shares, normalised */
    lognormal_table_t *size_table;  /* [RES_COUNT] order sizes, units */
    lognormal_table_t *days_table;  /* [RES_COUNT] durations, days */
    double *normal_q;               /* [TENANTS_QUANTILES + 1] standard normal quantiles */
    int32_t *perm;                  /* [2 x 4096] cohort scratch: stratum permutations */
    double *strata;                 /* [3 x 4096] cohort scratch: each cohort's size, duration
                                     * and price quantile levels */
} tenants_t;

/* Allocate the queue and tabulate the class's size and duration laws (the
 * scenario must not change afterwards). */
int tenants_alloc(tenants_t *t, const params_t *p);

/* A draw from a tabulated lognormal, and its quantile at u in (0, 1). */
double tenants_lognormal(const lognormal_table_t *tab, gsl_rng *rng);
double tenants_lognormal_at(const lognormal_table_t *tab, double u);
void tenants_free(tenants_t *t);
void tenants_reset(tenants_t *t, const params_t *p);

/* Recompute what tenants derive from the scenario (tabulated laws, class shares,
 * maximum prices): at allocation, and after an event changed parameters. */
void tenants_configure(tenants_t *t, const params_t *p);

/* Expected new orders on `day` before the day's shock (used for the warm start too). */
double tenants_order_rate(const tenants_t *t, const params_t *p, int64_t day);

/* Draw one order's attributes. */
void tenants_draw_order(const tenants_t *t, const params_t *p, gsl_rng *rng, order_t *o);

/* The same for an order of class c. */
void tenants_draw_order_of(const tenants_t *t, const params_t *p, gsl_rng *rng, resource_t c,
                           order_t *o);

/* A drawn duration in days as an order's: whole days, rounded up, 1 to MAX_DAYS. */
int32_t tenants_days(double days);

/* Today's new orders, appended to the queue. Returns their number (deployments),
 * or -1 when the queue is full (tenants.max_orders_per_day too small).
 * With tenants.cohorts_per_day = K > 0 (tenants_cohorts_of: a GPU class may
 * have its own) the n orders are split by class
 * (multinomial), denomination and funding (binomial), and each such cell of m
 * orders becomes ceil(m / g) cohorts of g = ceil(n_class / K) orders or one
 * fewer; when g = 1 (a class of at most K orders that day) its orders are
 * single, each drawn as without cohorts. A cohort's orders share a size,
 * drawn as a Latin hypercube over the cell's cohorts (cohort j's at the
 * lognormal's quantile at (j + U) / J); its c deployments' maximum prices
 * spread over the whole price law, one stratum of width 1/c each, at an
 * offset in it that a randomly permuted stratum of the cohorts places; their
 * durations spread over the duration law when they fill (order_t.spread; a
 * cohort of one order, beside cohorts of two, takes a duration from a third
 * permuted stratum). The day's cohorts join the queue in random order, as
 * single orders do. */
long tenants_arrive(tenants_t *t, const params_t *p, int64_t day, gsl_rng *rng);

/* K of class c: tenants.gpu_cohorts_per_day for a GPU class when set, else
 * params_cohorts_k (0: cohorts are off). */
int64_t tenants_cohorts_of(const params_t *p, resource_t c);

/* Queue access: pop the oldest, push to the back (they keep `pending`). */
int tenants_pop(tenants_t *t, order_t *o);
int tenants_push(tenants_t *t, const order_t *o);

/* The log maximum price (USD per unit-hour) of deployment k of order o, lowest first. */
double tenants_limit(const tenants_t *t, const params_t *p, const order_t *o, int32_t k);

/* How many of o's `n` lowest-priced deployments would pay exp(log_price) or
 * more: those from the first whose maximum is at or above it up to n - 1
 * (*lowest: that first one's log maximum; unchanged when there is none). */
int32_t tenants_willing(const tenants_t *t, const params_t *p, const order_t *o, int32_t n,
                        double log_price, double *lowest);

/* Population change for the day: growth, then churn after `bad` bad experiences. */
void tenants_update_population(tenants_t *t, const params_t *p, int64_t bad, gsl_rng *rng);

#endif
