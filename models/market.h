/*
 * The compute market of one run (steps 3 to 6 of the day, docs/model.md §2):
 * providers reprice, enter and exit; tenants' orders arrive; the reverse
 * auction matches them; escrow settles. It owns the providers, the lease table
 * and the tenants' order queue, all allocated once per world.
 */
#ifndef MODELS_MARKET_H
#define MODELS_MARKET_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "bme.h"
#include "escrow.h"
#include "leases.h"
#include "ledger.h"
#include "params.h"
#include "providers.h"
#include "tenants.h"

/* What happened in the market today (for the metrics). */
typedef struct {
    int64_t orders_new;
    int64_t orders_filled;
    int64_t orders_expired;         /* waited order_retry_days and gave up */
    int64_t providers_entered;
    int64_t providers_exited;
    int64_t bad_experiences;
    int64_t provider_akt_sold;      /* providers' AKT earnings sold, uakt */
    escrow_flows_t escrow;
    bme_flows_t bme;
    double revenue_usd;             /* providers, net of take fees */
    double cost_usd;                /* providers' capacity costs */
    double fees_usd;
    double spend_usd[DENOM_COUNT];  /* tenant spend by denomination */
    double new_price_units[RES_COUNT];  /* sum of price x units of today's new leases */
    double new_units[RES_COUNT];
} market_day_t;

typedef struct {
    providers_t pv;
    leases_t leases;
    tenants_t tenants;
    bme_t bme;                      /* the payment rail of the BME era */
    int32_t *bids;                  /* scratch: market.max_bids */
    market_day_t today;
    double clearing_price[RES_COUNT];   /* USD/unit-h of the latest new leases of a class */
} market_t;

int market_alloc(market_t *m, const params_t *p);
void market_free(market_t *m);

/* Day-0 market: providers, and a warm start of leases as if the market had been
 * running (leases drawn with length-biased durations, matched at day-0 prices).
 * Deposits come from the ledgers. -1 if a ledger refuses or the table is full. */
int market_reset(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], double akt_usd,
                 gsl_rng *rng_demand, gsl_rng *rng_providers);

/* Steps 3-6 of `day` at AKT price akt_usd. Returns 0, or -1 with a reason in *why. */
int market_step(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], int64_t day,
                double akt_usd, gsl_rng *rng_demand, gsl_rng *rng_providers, const char **why);

#endif
