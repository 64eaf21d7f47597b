/*
 * Flows (step 11): who sells and who buys AKT today, in uakt. Liquid AKT of
 * everyone outside the modelled accounts sits in one holders account, so these
 * are market orders to count, not ledger moves (the providers' sale is one: it
 * moves their earnings to the holders in step 6).
 *   sell: providers' AKT earnings sold (providers.akt_sell_share), the liquid part of
 *         delegator rewards x flows.delegator_sell_share, validator commission x
 *         flows.validator_sell_share, and escrow refunds tenants no longer need;
 *   buy:  tenants' AKT for deposits and top-ups (AKT leases, or turned into ACT
 *         under BME), and outside investors'
 *         flows.outside_buy_usd_per_day at the day's price.
 * The net (buy - sell) moves tomorrow's price in the coupled price mode.
 * The source report's "about $500,000 a day of sell pressure" at 15 % and $5 is
 * the whole mint sold; the shares here are assumptions to sweep.
 */
#ifndef MODELS_FLOWS_H
#define MODELS_FLOWS_H

#include <stdint.h>

#include "distribution.h"
#include "escrow.h"
#include "params.h"

typedef struct {
    int64_t sell_providers;
    int64_t sell_delegators;
    int64_t sell_validators;
    int64_t sell_tenants;
    int64_t buy_tenants;
    int64_t buy_outside;
    int64_t sell;           /* total sold */
    int64_t buy;            /* total bought */
    int64_t net;            /* buy - sell */
} flows_t;

/* Today's flows from today's escrow, provider sales and distribution. */
void flows_compute(const params_t *p, const escrow_flows_t *escrow, const bme_flows_t *bme,
                   int64_t provider_sold, const distribution_flows_t *dist, double akt_usd,
                   flows_t *out);

#endif
