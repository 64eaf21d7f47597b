/*
 * Escrow (step 6; docs/model.md [take], [market]): deposits when a lease opens, daily
 * payments to providers, the take fee on each withdrawal, tenants' top-ups, and
 * closes (planned end with refund, overdraft, provider exit). Tokens move on one
 * ledger per denomination (uakt, uusdc), so for each, exactly,
 *     tenant spend = paid out of escrow = provider revenue + take fees.
 * Providers withdraw daily (the provider daemon's 24 h default); the fee is
 * trunc(withdrawn x take rate) per provider and denomination and goes to the
 * community pool (x/take, August 2023 to March 2026). On chain the fee is
 * computed per lease withdrawal; the sums differ by less than 1 base unit a lease.
 * USDC comes from outside the chain: tenants' USDC deposits are minted into the
 * USDC ledger's holders account first, so its supply is the USDC brought in.
 * ACT (the BME era) is minted from tenants' AKT by bme_fund before it is paid
 * in, carries no take fee, and providers turn it into AKT the same day.
 */
#ifndef MODELS_ESCROW_H
#define MODELS_ESCROW_H

#include <stdint.h>

#include "bme.h"
#include "leases.h"
#include "ledger.h"
#include "params.h"
#include "providers.h"

typedef struct {
    int64_t deposits[DENOM_COUNT];  /* into escrow at lease opening */
    int64_t topups[DENOM_COUNT];    /* into escrow by funded leases' tenants */
    int64_t refunds[DENOM_COUNT];   /* back to tenants at close */
    int64_t paid[DENOM_COUNT];      /* out of escrow to providers and fees: tenant spend */
    int64_t fees[DENOM_COUNT];      /* take fees to the community pool */
    int64_t revenue[DENOM_COUNT];   /* to providers, net of fees */
    int64_t closed[3];              /* by close_reason_t */
    int64_t unfunded;               /* funded leases whose tenants stopped topping up (no liquid AKT) */
} escrow_flows_t;

/* Move a new lease's deposit from its tenant into escrow (0, or -1 if the ledger refuses). */
int escrow_deposit(ledger_t led[DENOM_COUNT], denom_t d, int64_t amount, escrow_flows_t *f);

/* Close lease i at the start of `day` for `reason` (before the day's payments):
 * CLOSE_PROVIDER pays nothing and refunds the balance; CLOSE_END pays one more
 * day and refunds the rest; CLOSE_OVERDRAWN pays what is left. A lease whose
 * deployments close on their own days (leases_spread) closes as planned only
 * the ones ending today, each as a lease of one would, and stays open. */
int escrow_close(ledger_t led[DENOM_COUNT], leases_t *l, providers_t *pv, size_t i, int64_t day,
                 close_reason_t reason, escrow_flows_t *f);

/* The day's settlement: leases whose last day it is close, every other lease
 * pays its rate, providers withdraw (fees to the pool), tenants top up. */
int escrow_settle(const params_t *p, ledger_t led[DENOM_COUNT], leases_t *l, providers_t *pv,
                  int64_t day, escrow_flows_t *f, bme_t *bme, double akt_usd, bme_flows_t *bf);

#endif
