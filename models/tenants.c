/* Tenant demand and the order queue; see tenants.h. */
#include "tenants.h"
#include "units.h"

#include "rng.h"
#include "round.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#define TWO_PI 6.283185307179586476925286766559

static void tabulate(lognormal_table_t *tab, double mu, double sigma)
{
    tab->mu = mu;
    tab->sigma = sigma;
    for (int k = 1; k < TENANTS_QUANTILES; k++)
        tab->q[k] = exp(mu + sigma * gsl_cdf_ugaussian_Pinv((double)k / TENANTS_QUANTILES));
}

double tenants_lognormal_at(const lognormal_table_t *tab, double u)
{
    double x = u * TENANTS_QUANTILES;
    int k = (int)x;
    if (k < 1 || k >= TENANTS_QUANTILES - 1)   /* the tails: exact */
        return exp(tab->mu + tab->sigma * gsl_cdf_ugaussian_Pinv(x / TENANTS_QUANTILES));
    return tab->q[k] + (x - k) * (tab->q[k + 1] - tab->q[k]);
}

double tenants_lognormal(const lognormal_table_t *tab, gsl_rng *rng)
{
    return tenants_lognormal_at(tab, rng_uniform_pos(rng));
}

/* Start loading the table entry a lookup at u in (0, 1) will read (k < TENANTS_QUANTILES,
 * inside q[0 .. TENANTS_QUANTILES]), so that a batch of lookups' cache misses overlap. */
static inline void prefetch_quantile(const double *q, double u)
{
    __builtin_prefetch(q + (int)(u * TENANTS_QUANTILES));
}

/* The standard normal's quantile at u in (0, 1), interpolated like the lognormals. */
static double normal_at(const tenants_t *t, double u)
{
    double x = u * TENANTS_QUANTILES;
    int k = (int)x;
    if (k < 1 || k >= TENANTS_QUANTILES - 1)
        return gsl_cdf_ugaussian_Pinv(u);
    return t->normal_q[k] + (x - k) * (t->normal_q[k + 1] - t->normal_q[k]);
}

int tenants_alloc(tenants_t *t, const params_t *p)
{
    memset(t, 0, sizeof *t);
    t->cap = (size_t)p->tenants.max_orders_per_day * (size_t)(p->market.order_retry_days + 1);
    t->queue = calloc(t->cap, sizeof *t->queue);
    t->size_table = calloc(RES_COUNT, sizeof *t->size_table);
    t->days_table = calloc(RES_COUNT, sizeof *t->days_table);
    t->normal_q = calloc(TENANTS_QUANTILES + 1, sizeof *t->normal_q);
    t->perm = calloc(2 * TENANTS_MAX_COHORTS, sizeof *t->perm);
    t->strata = calloc(3 * TENANTS_MAX_COHORTS, sizeof *t->strata);
    if (!t->queue || !t->size_table || !t->days_table || !t->normal_q || !t->perm || !t->strata) {
        tenants_free(t);
        return -1;
    }
    for (int k = 1; k < TENANTS_QUANTILES; k++)
        t->normal_q[k] = gsl_cdf_ugaussian_Pinv((double)k / TENANTS_QUANTILES);
    tenants_configure(t, p);
    return 0;
}

void tenants_free(tenants_t *t)
{
    free(t->queue);
    free(t->size_table);
    free(t->days_table);
    free(t->normal_q);
    free(t->perm);
    free(t->strata);
    memset(t, 0, sizeof *t);
}

void tenants_configure(tenants_t *t, const params_t *p)
{
    for (int c = 0; c < RES_COUNT; c++) {
        tabulate(&t->size_table[c], log(p->resources[c].order_units_median), p->resources[c].order_units_sigma);
        tabulate(&t->days_table[c], log(p->resources[c].duration_median_days), p->tenants.duration_sigma);
    }
    double total = 0, cum = 0;
    for (int c = 0; c < RES_COUNT; c++) {
        t->log_size[c] = log(p->resources[c].order_units_median);
        t->log_days[c] = log(p->resources[c].duration_median_days);
        t->log_max_price[c] = log(p->resources[c].cloud_usd_per_hour * p->resources[c].max_price_ratio);
        total += p->resources[c].demand_share;
    }
    for (int c = 0; c < RES_COUNT; c++) {
        cum += p->resources[c].demand_share;
        t->class_cdf[c] = total > 0 ? cum / total : (c == 0);
        t->class_share[c] = total > 0 ? p->resources[c].demand_share / total : (c == 0);
    }
    t->class_cdf[RES_COUNT - 1] = 1.0;
}

void tenants_reset(tenants_t *t, const params_t *p)
{
    t->head = t->len = 0;
    t->pending = 0;
    t->population = p->tenants.population;
    if (p->nevents > 0)     /* the last run's events may have changed the laws */
        tenants_configure(t, p);
}

double tenants_order_rate(const tenants_t *t, const params_t *p, int64_t day)
{
    double season = 1.0 + p->tenants.seasonality_amplitude *
                              cos(TWO_PI * (double)(day - p->tenants.seasonality_peak_day) / DAYS_PER_YEAR);
    return p->tenants.orders_per_day * t->population / p->tenants.population * season;
}

static resource_t draw_class(const tenants_t *t, rng_local_t *rng)
{
    double u = rng_local_uniform(rng);
    int c = 0;
    while (c < RES_COUNT - 1 && u >= t->class_cdf[c])
        c++;
    return (resource_t)c;
}

int32_t tenants_days(double days)
{
    int32_t d = days >= (double)MAX_DAYS ? MAX_DAYS : (int32_t)round_up_i64(days);
    return d < 1 ? 1 : d;
}

/* An order of class c from its drawn size (units), duration (days) and price noise z. */
static void make_order(const tenants_t *t, const params_t *p, resource_t c, double size,
                       double days, double z, order_t *o)
{
    o->cls = (uint8_t)c;
    int64_t step = resource_is_gpu(c) ? MILLI : MILLI / 10;
    if (size > (double)(TENANTS_MAX_UNITS / MILLI))
        size = (double)(TENANTS_MAX_UNITS / MILLI);
    int64_t units = (int64_t)(size * MILLI / (double)step + 0.5) * step;
    o->units = (int32_t)(units < step ? step : units);
    o->count = 1;
    o->spread = 0;
    o->days = tenants_days(days);
    /* compared with providers' log prices: no exp needed */
    o->log_max_price = o->log_min_price = t->log_max_price[c] + p->tenants.max_price_sigma * z;
    o->price_level = o->price_step = 0;
    o->tries_left = (int16_t)p->market.order_retry_days;
}

/* An order's random levels, drawn before the order is made from them. */
typedef struct {
    resource_t cls;
    double u_size, u_days;  /* quantile levels of its size and duration */
    double z;               /* its price noise */
    double u_denom, u_funded;
} order_draw_t;

/* The draws of an order of class c (drawn first when c < 0). The uniforms come
 * from a local copy of the stream's state, around GSL's normal, which draws
 * from the stream itself. */
static void draw_levels(const tenants_t *t, gsl_rng *rng, int c, order_draw_t *d)
{
    /* a fixed number of draws per order keeps the stream aligned whatever the outcome */
    rng_local_t l;
    rng_local_begin(&l, rng);
    d->cls = c < 0 ? draw_class(t, &l) : (resource_t)c;
    d->u_size = rng_local_uniform_pos(&l);
    d->u_days = rng_local_uniform_pos(&l);
    rng_local_end(&l);
    d->z = gsl_ran_gaussian_ziggurat(rng, 1.0);
    rng_local_begin(&l, rng);
    d->u_denom = rng_local_uniform(&l);
    d->u_funded = rng_local_uniform(&l);
    rng_local_end(&l);
}

static void order_from(const tenants_t *t, const params_t *p, const order_draw_t *d, order_t *o)
{
    double size = tenants_lognormal_at(&t->size_table[d->cls], d->u_size);
    double days = tenants_lognormal_at(&t->days_table[d->cls], d->u_days);
    make_order(t, p, d->cls, size, days, d->z, o);
    o->denom = d->u_denom < p->market.usdc_share ? 1 : 0;
    o->funded = d->u_funded >= p->tenants.unfunded_share;
}

static void draw_order(const tenants_t *t, const params_t *p, gsl_rng *rng, int c, order_t *o)
{
    order_draw_t d;
    draw_levels(t, rng, c, &d);
    order_from(t, p, &d, o);
}

void tenants_draw_order(const tenants_t *t, const params_t *p, gsl_rng *rng, order_t *o)
{
    draw_order(t, p, rng, -1, o);
}

void tenants_draw_order_of(const tenants_t *t, const params_t *p, gsl_rng *rng, resource_t c,
                           order_t *o)
{
    draw_order(t, p, rng, (int)c, o);
}

int tenants_push(tenants_t *t, const order_t *o)
{
    if (t->len == t->cap)
        return -1;
    size_t tail = t->head + t->len;
    if (tail >= t->cap)
        tail -= t->cap;
    t->queue[tail] = *o;
    t->len++;
    t->pending += o->count;
    return 0;
}

int tenants_pop(tenants_t *t, order_t *o)
{
    if (t->len == 0)
        return -1;
    *o = t->queue[t->head];
    if (++t->head == t->cap)
        t->head = 0;
    t->len--;
    t->pending -= o->count;
    return 0;
}

/* A level in the top stratum kept below 1, where rounding can reach it. */
static double below_one(double u)
{
    return u < 1.0 ? u : 1.0 - 0x1.0p-53;
}

/* u in stratum k of width w = 1/J: (k + U) w. */
static double stratum(int32_t k, double w, rng_local_t *rng)
{
    return below_one(((double)k + rng_local_uniform_pos(rng)) * w);
}

/* A random permutation of 0 .. J-1 into perm. */
static void permutation(int32_t *perm, int32_t J, rng_local_t *rng)
{
    for (int32_t k = 0; k < J; k++)
        perm[k] = k;
    for (int32_t k = J - 1; k > 0; k--) {
        /* floor(u (k + 1)): its bias, below 2^-40 for k < 4096, is negligible;
         * u (k + 1) can round up to k + 1 when u is within 2^-52 of 1 */
        int32_t r = (int32_t)(rng_local_uniform(rng) * (double)(k + 1));
        if (r > k)
            r = k;
        int32_t x = perm[k];
        perm[k] = perm[r];
        perm[r] = x;
    }
}

/* A spread cohort's lowest and highest maximum prices, from their levels. */
static void set_price_ends(const tenants_t *t, const params_t *p, order_t *o)
{
    double lo = tenants_limit(t, p, o, 0);
    o->log_max_price = o->count > 1 ? tenants_limit(t, p, o, o->count - 1) : lo;
    o->log_min_price = lo;
}

/* One single order of class c at size level u_size, its duration and maximum
 * price drawn, as the exact model draws them. */
static int push_single(tenants_t *t, const params_t *p, rng_local_t *rng, resource_t c, int denom,
                       int funded, double u_size)
{
    double u_days = rng_local_uniform_pos(rng), u_price = rng_local_uniform_pos(rng);
    order_t o;
    make_order(t, p, c, tenants_lognormal_at(&t->size_table[c], u_size),
               tenants_lognormal_at(&t->days_table[c], u_days), normal_at(t, u_price), &o);
    o.denom = (uint8_t)denom;
    o.funded = (uint8_t)funded;
    return tenants_push(t, &o);
}

/* The n orders of a cell whose sizes fall in the top tenants.cohort_single_share of the
 * size law, as single orders: their sizes stratified over that tail, their
 * durations and maximum prices drawn. */
static int push_tail(tenants_t *t, const params_t *p, rng_local_t *rng, resource_t c, int denom,
                     int funded, int64_t n)
{
    double tail = p->tenants.cohort_single_share, body = 1.0 - tail;
    for (int64_t k = 0; k < n; k++) {
        double u_size = below_one(body + tail * ((double)k + rng_local_uniform_pos(rng)) / (double)n);
        if (push_single(t, p, rng, c, denom, funded, u_size) != 0)
            return -1;
    }
    return 0;
}

/* The m orders of one (class, denomination, funding) cell as cohorts of about
 * g, their sizes stratified over the law's levels under its top
 * tenants.cohort_single_share (those orders are push_tail's). */
static int push_cohorts(tenants_t *t, const params_t *p, rng_local_t *rng, resource_t c, int denom,
                        int funded, int64_t m, int64_t g)
{
    if (m == 0)
        return 0;
    /* cohorts of one order are single orders, each drawn as the exact model
     * draws it: stratifying a scarce class's few orders a day over the laws
     * changed how they competed for its capacity (the H100 price ran 1 % high) */
    if (g == 1) {
        for (int64_t k = 0; k < m; k++)
            if (push_single(t, p, rng, c, denom, funded, rng_local_uniform_pos(rng)) != 0)
                return -1;
        return 0;
    }
    double body = 1.0 - p->tenants.cohort_single_share;
    int32_t J = (int32_t)((m + g - 1) / g);
    int64_t base = m / J, extra = m % J;
    int32_t *perm_days = t->perm, *perm_price = t->perm + TENANTS_MAX_COHORTS;
    permutation(perm_days, J, rng);
    permutation(perm_price, J, rng);
    double w = 1.0 / (double)J;
    /* the cohorts with an extra order: a random cyclic block of the size strata,
     * so that each cohort has one with probability extra / J whatever its size,
     * duration or price (tying it to a permuted stratum biased the durations) */
    int32_t shift = (int32_t)(rng_local_uniform(rng) * (double)J);
    /* The levels first (the same draws in the same order), then the lookups: a
     * day's few cohorts find the tables out of cache, and this way the loads
     * of all of them are in flight at once instead of one after another. */
    double *u = t->strata;
    for (int32_t j = 0; j < J; j++) {
        u[3 * j] = body * stratum(j, w, rng);
        u[3 * j + 1] = stratum(perm_days[j], w, rng);
        u[3 * j + 2] = rng_local_uniform_pos(rng);   /* the price's offset in its stratum */
        prefetch_quantile(t->size_table[c].q, u[3 * j]);
        prefetch_quantile(t->days_table[c].q, u[3 * j + 1]);
        prefetch_quantile(t->normal_q, (double)perm_price[j] * w);
        prefetch_quantile(t->normal_q, ((double)perm_price[j] + 1.0) * w);
    }
    for (int32_t j = 0; j < J; j++) {
        double size = tenants_lognormal_at(&t->size_table[c], u[3 * j]);
        double days = tenants_lognormal_at(&t->days_table[c], u[3 * j + 1]);
        order_t o;
        make_order(t, p, c, size, days, 0.0, &o);
        o.denom = (uint8_t)denom;
        o.funded = (uint8_t)funded;
        int32_t at = j + shift >= J ? j + shift - J : j + shift;   /* (j + shift) mod J */
        o.count = (int32_t)(base + (at < extra));
        /* the deployments of a cohort last as long as independent orders
         * would: closing on one day, they emptied a provider at once */
        o.spread = o.count > 1;
        /* the cohort's c maximum prices spread over the whole price law, one
         * stratum of width 1/c each, at the offset (s_j + V_j) / J in it: the
         * orders of one size then want prices as varied as independent orders
         * would (a cohort's maxima within one stratum of width 1/J made the
         * day's orders of a size all cheap or all dear, and those competing
         * for the same scarce capacity filled less often), and the day's
         * cohorts of a count together fill the law's J c sub-strata */
        o.price_step = (float)(1.0 / (double)o.count);
        o.price_level = ((double)perm_price[j] + u[3 * j + 2]) * w / (double)o.count;
        set_price_ends(t, p, &o);
        if (tenants_push(t, &o) != 0)
            return -1;
    }
    return 0;
}

double tenants_limit(const tenants_t *t, const params_t *p, const order_t *o, int32_t k)
{
    if (o->price_step == 0)
        return o->log_max_price;
    double u = below_one(o->price_level + (double)k * o->price_step);
    return t->log_max_price[o->cls] + p->tenants.max_price_sigma * normal_at(t, u);
}

int32_t tenants_willing(const tenants_t *t, const params_t *p, const order_t *o, int32_t n,
                        double log_price, double *lowest)
{
    if (o->log_min_price >= log_price) {
        *lowest = o->log_min_price;
        return n;
    }
    /* the maxima rise with k (normal_at is monotone): find the first at or above */
    int32_t lo = 0, hi = n - 1;   /* limit(lo) < log_price <= limit(hi) */
    double at_hi = tenants_limit(t, p, o, hi);
    if (at_hi < log_price)
        return 0;
    while (hi - lo > 1) {
        int32_t mid = lo + (hi - lo) / 2;
        double x = tenants_limit(t, p, o, mid);
        if (x >= log_price) {
            hi = mid;
            at_hi = x;
        } else {
            lo = mid;
        }
    }
    *lowest = at_hi;
    return n - hi;
}

/* Shuffle the queue's last `added` entries: a day's new cohorts are made cell
 * by cell and smallest first, but single orders arrive in random order, and
 * when capacity is short the order of the queue decides who is served (small
 * orders first would fill more and churn fewer tenants). */
static void shuffle_newest(tenants_t *t, size_t added, gsl_rng *stream)
{
    rng_local_t rng;
    rng_local_begin(&rng, stream);
    /* queue positions below head + len < 2 cap: one subtraction wraps them */
    size_t first = t->head + t->len - added;
    for (size_t k = added; k > 1; k--) {
        size_t r = (size_t)(rng_local_uniform(&rng) * (double)k);
        if (r >= k)
            r = k - 1;
        size_t a = first + k - 1, b = first + r;
        a -= a >= t->cap ? t->cap : 0;
        b -= b >= t->cap ? t->cap : 0;
        order_t x = t->queue[a];
        t->queue[a] = t->queue[b];
        t->queue[b] = x;
    }
    rng_local_end(&rng);
}

int64_t tenants_cohorts_of(const params_t *p, resource_t c)
{
    int64_t K = params_cohorts_k(p);
    return K > 0 && resource_is_gpu(c) && p->tenants.gpu_cohorts_per_day > 0 ? p->tenants.gpu_cohorts_per_day : K;
}

static int arrive_in_cohorts(tenants_t *t, const params_t *p, unsigned int n, gsl_rng *rng)
{
    size_t len0 = t->len;
    unsigned int nc[RES_COUNT];
    gsl_ran_multinomial(rng, RES_COUNT, n, t->class_share, nc);
    double keep = 1.0 - p->tenants.unfunded_share;
    for (int c = 0; c < RES_COUNT; c++) {
        if (nc[c] == 0)
            continue;
        int64_t K = tenants_cohorts_of(p, (resource_t)c);
        int64_t g = ((int64_t)nc[c] + K - 1) / K;
        unsigned int usdc = gsl_ran_binomial(rng, p->market.usdc_share, nc[c]);
        unsigned int cell[2] = {nc[c] - usdc, usdc};
        for (int d = 0; d < 2; d++) {
            unsigned int kept = gsl_ran_binomial(rng, keep, cell[d]);
            unsigned int m[2] = {cell[d] - kept, kept}, tail[2] = {0, 0};   /* by funding */
            for (int f = 1; f >= 0 && g > 1; f--)
                tail[f] = gsl_ran_binomial(rng, p->tenants.cohort_single_share, m[f]);
            rng_local_t local;
            rng_local_begin(&local, rng);
            int rc = 0;
            for (int f = 1; f >= 0 && rc == 0; f--) {   /* the funded first */
                rc = push_cohorts(t, p, &local, (resource_t)c, d, f, m[f] - tail[f], g);
                if (rc == 0)
                    rc = push_tail(t, p, &local, (resource_t)c, d, f, tail[f]);
            }
            rng_local_end(&local);
            if (rc != 0)
                return -1;
        }
    }
    shuffle_newest(t, t->len - len0, rng);
    return 0;
}

long tenants_arrive(tenants_t *t, const params_t *p, int64_t day, gsl_rng *rng)
{
    double s = p->tenants.shock_volatility;
    double shock = exp(s * gsl_ran_gaussian_ziggurat(rng, 1.0) - 0.5 * s * s);
    unsigned int n = gsl_ran_poisson(rng, tenants_order_rate(t, p, day) * shock);
    /* cohorts take a few queue slots however many orders they hold */
    if (params_cohorts_k(p) > 0)
        return arrive_in_cohorts(t, p, n, rng) == 0 ? (long)n : -1;
    if ((int64_t)n > p->tenants.max_orders_per_day)
        return -1;
    /* in batches: the draws of a batch first (in the same order as one by one),
     * with their table entries prefetched, then the orders from them, so that
     * the lookups' cache misses overlap */
    enum { BATCH = 32 };
    order_draw_t d[BATCH];
    for (unsigned int k0 = 0; k0 < n; k0 += BATCH) {
        unsigned int b = n - k0 < BATCH ? n - k0 : BATCH;
        for (unsigned int k = 0; k < b; k++) {
            draw_levels(t, rng, -1, &d[k]);
            prefetch_quantile(t->size_table[d[k].cls].q, d[k].u_size);
            prefetch_quantile(t->days_table[d[k].cls].q, d[k].u_days);
        }
        for (unsigned int k = 0; k < b; k++) {
            order_t o;
            order_from(t, p, &d[k], &o);
            if (tenants_push(t, &o) != 0)
                return -1;
        }
    }
    return (long)n;
}

void tenants_update_population(tenants_t *t, const params_t *p, int64_t bad, gsl_rng *rng)
{
    /* continuous growth at log(1 + g) a year keeps E[population] on (1 + g)^(t/365) */
    double rate = t->population * log1p(p->tenants.growth_per_year) / DAYS_PER_YEAR;
    double change = rate >= 0 ? gsl_ran_poisson(rng, rate) : -(double)gsl_ran_poisson(rng, -rate);
    double leaves = bad > 0 ? gsl_ran_binomial(rng, p->tenants.churn_probability, (unsigned int)bad) : 0;
    t->population += change - leaves;
    if (t->population < 1.0)
        t->population = 1.0;
}
