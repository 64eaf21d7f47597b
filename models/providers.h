/*
 * Providers as agents (struct of arrays): capacity per resource class in
 * milli-units, the capacity leased, a price (Akash's default "scale" bid: sum
 * of resources x scale; here cloud reference x the class's price ratio x the
 * provider's markup, USD per unit-hour) whose markup follows the provider's
 * utilisation, reliability, and a running profit that drives exit. Entry is a Poisson
 * arrival that rises with the market's profit margin. Slots are allocated once
 * (providers.max); a day never allocates.
 *
 * For matching, each class keeps its providers sorted by price (rebuilt after
 * the daily repricing), holding only those with at least one minimum order of
 * free capacity: an order walks the list from the cheapest and stops at its
 * maximum price, so it never scans providers that cannot bid.
 */
#ifndef MODELS_PROVIDERS_H
#define MODELS_PROVIDERS_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "ledger.h"
#include "params.h"
#include "resources.h"

typedef struct {
    size_t max;                     /* slots */
    size_t count;                   /* slots ever used (active or exited) */
    size_t active_count;
    uint8_t *active;
    int64_t *capacity[RES_COUNT];   /* milli-units */
    int64_t *used[RES_COUNT];       /* milli-units leased */
    double *markup;                 /* price = cloud reference x price_ratio x markup, valid when
                                     * markup_of[i] == reprices (providers_price sees to it) */
    double *log_markup;             /* log(markup), what repricing moves */
    uint64_t *markup_of;            /* the repricing markup[i] was computed after */
    uint64_t reprices;              /* repricings so far (never reset: stamps stay unique) */
    double log_markup_lo, log_markup_hi;    /* the last repricing's clamps, logs */
    double *reliability;            /* in [reliability_min, 1] */
    double *profit_ema;             /* USD/day, exponential average over providers.profit_average_days */
    int32_t *loss_days;             /* consecutive days with profit_ema < 0 */
    int64_t *rate[DENOM_COUNT];     /* sum of its leases' rates, base units/day, per denomination */
    int64_t *paid_today[DENOM_COUNT];    /* closing leases' last payments today, base units */
    int64_t *revenue_today[DENOM_COUNT]; /* withdrawn today net of the take fee, base units */
    int revenue_zero[DENOM_COUNT];  /* 1: revenue_today[d] is 0 for every provider */
    int32_t *lease_head;            /* first lease of its list (-1: none) */
    double *cost_usd_day;           /* capacity x cost per unit-day */

    /* per class: providers with free capacity, cheapest first */
    int32_t *by_price[RES_COUNT];   /* the list is by_price[c][first_by_price[c] ..][0, n_by_price[c]) */
    double *log_price[RES_COUNT];   /* log of each listed provider's price, set by providers_sort */
    size_t first_by_price[RES_COUNT];
    size_t n_by_price[RES_COUNT];
    double *scratch;                /* day-0 weights; the sort's keys (log markups) */
    int32_t *gpu_class;             /* day-0 scratch: each provider's GPU class or -1 */
    int8_t *gpu_hosted;             /* the GPU class it has capacity in: -1 none, -2 several */
    int32_t *price_order;           /* active providers, cheapest first (kept across days) */
    int64_t total_capacity[RES_COUNT];  /* over the active providers, milli-units, kept */
    int64_t total_used[RES_COUNT];      /* as capacity and leases change */
    size_t n_sorted;                /* entries of price_order */
    size_t n_sorted_slots;          /* slots [0, n) already placed in it */
} providers_t;

int providers_alloc(providers_t *pv, const params_t *p);

/* Bytes a provider slot takes in the arrays providers_alloc makes. */
size_t providers_slot_bytes(void);
void providers_free(providers_t *pv);

/* Day-0 population: providers.initial providers sharing each class's capacity. */
void providers_reset(providers_t *pv, const params_t *p, gsl_rng *rng);

/* Smallest order of a class, milli-units (0.1 vCPU, 1 GPU). */
int64_t providers_min_order(resource_t c);

/* Price of provider i for class c, USD per unit-hour (its markup is computed
 * from the log on the first call after a repricing: most providers take no
 * new lease on a given day). */
double providers_price(providers_t *pv, const params_t *p, size_t i, resource_t c);

/* Repricing: markup follows the provider's utilisation (step 3). */
void providers_reprice(providers_t *pv, const params_t *p);

/* Capacity and leased capacity per class over the active providers, milli-units. */
void providers_class_totals(const providers_t *pv, int64_t cap[RES_COUNT], int64_t used[RES_COUNT]);

/* Provider i leaves (its leases must be closed already). */
void providers_exit(providers_t *pv, size_t i);

/* Leased capacity of provider i in class c changes by delta milli-units (a lease opens or closes). */
static inline void providers_lease(providers_t *pv, size_t i, int c, int64_t delta)
{
    pv->used[c][i] += delta;
    pv->total_used[c] += delta;
}

/* Rebuild the per-class price lists. */
void providers_sort(providers_t *pv, const params_t *p);

/* Add one provider with capacity drawn like the day-0 population; -1 when no slot is left. */
long providers_enter(providers_t *pv, const params_t *p, gsl_rng *rng);

/* Up to max_bids providers able to take `units` of class c at or under exp(log_max_price)
 * (USD/unit-h), cheapest first, into bids[]; returns how many. Drops providers
 * that can no longer take a minimum order from the class list as it walks. */
size_t providers_bids(providers_t *pv, resource_t c, int64_t units, double log_max_price,
                      int32_t *bids, size_t max_bids);

/* Book today's profit (USD) of provider i into its running average (over
 * providers.profit_average_days) and its count of loss days; extra income later
 * the same day: providers_add_income. */
void providers_book_profit(providers_t *pv, const params_t *p, size_t i, double profit_usd);
void providers_add_income(providers_t *pv, const params_t *p, size_t i, double usd);

#endif
