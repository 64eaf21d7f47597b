/*
 * Community-pool spending (step 10). For now the provider incentive programme
 * (AEP-26's $5 M pilot of 2024 is the model, docs/model.md [aep26]): from
 * pool.incentive_start_day for pool.incentive_days days, the pool pays
 * incentive_usd_total / incentive_days USD a day, in AKT at the day's price, to
 * providers of classes marked incentive_eligible, pro rata to their eligible
 * capacity (the pilot paid committed capacity, leased or not). When the pool
 * holds less, it pays what it has. The payment counts in the providers' profit
 * (so it slows exits and draws entrants) and providers sell it like earnings.
 * Governance may also burn pool AKT (pool.burn_day, pool.burn_akt) or fund the
 * BME vault (pool.vault_funding_day, pool.vault_funding_akt), once each.
 */
#ifndef MODELS_POOL_H
#define MODELS_POOL_H

#include <stdint.h>

#include "ledger.h"
#include "params.h"
#include "providers.h"

typedef struct {
    int64_t burned;             /* uakt burned by governance today */
    int64_t to_vault;           /* uakt moved to the BME vault today */
    int64_t incentive_paid;     /* uakt */
    double incentive_paid_usd;
    int64_t provider_sold;      /* uakt of it providers sold */
} pool_flows_t;

/* Step 10 of `day` at AKT price akt_usd. -1 if the ledger refuses a move. */
int pool_step(const params_t *p, ledger_t *akt, providers_t *pv, int64_t day, double akt_usd,
              pool_flows_t *out);

#endif
