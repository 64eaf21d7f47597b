/*
 * Burn-mint equilibrium (AEP-76, x/bme; docs/model.md [bme]). Leases are priced and
 * settled in ACT (1 ACT = 1 USD of compute credit, non-transferable):
 *  - a tenant turns b uakt into ACT at the day's price P (USD/AKT):
 *        minted = trunc(b x P) uact, spread = trunc(minted x mint_spread_bps / 1e4)
 *    kept by the vault; the AKT is held in the vault as remint credits (the code)
 *    or burned (bme.true_burn, the AEP's reading);
 *  - providers turn their ACT revenue A into AKT daily: the ACT is burned and
 *        out = trunc(A x (1 - settle_spread) / P) uakt
 *    is paid from the remint credits first, the shortfall newly minted
 *    (all of it minted under true_burn).
 * Net AKT supply change per dollar of usage: 1/P_mint - 1/P_settle.
 * Collateral ratio CR = vault AKT x P / ACT outstanding; at CR <= cr_halt new
 * ACT mints for new deployments halt (they wait); top-ups of running leases
 * continue, standing for the chain's v2 AKT fallback, which pays providers in
 * AKT directly (the same AKT moves, without the spread).
 */
#ifndef MODELS_BME_H
#define MODELS_BME_H

#include <stdint.h>

#include "ledger.h"
#include "params.h"

typedef enum { BME_HEALTHY = 0, BME_WARNING, BME_HALT } bme_status_t;

typedef struct {
    int active;                 /* the BME regime is on */
    int64_t remint_credits;     /* uakt in the vault from mints (vault mode) */
    int status;                 /* bme_status_t */
    double cr;                  /* collateral ratio (INFINITY with no ACT out) */
} bme_t;

typedef struct {
    int64_t akt_in;             /* uakt tenants turned into ACT */
    int64_t act_minted;         /* uact minted, spread included */
    int64_t act_spread;         /* uact kept by the vault */
    int64_t act_burned;         /* uact providers redeemed */
    int64_t akt_out;            /* uakt paid to providers */
    int64_t akt_reminted;       /* of which newly minted */
} bme_flows_t;

void bme_reset(bme_t *b, const params_t *p);

/* Switch the regime on: the vault seed moves from the community pool (what it holds). */
int bme_start(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT]);

/* Make sure tenants hold `act_needed` uact (minting what they lack from their AKT).
 * 0 on success; 1 when refused (halted for a new deployment, or too little AKT);
 * -1 if the ledger refuses a move (a bug). */
int bme_fund(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT], int64_t act_needed,
             int new_deployment, double akt_usd, bme_flows_t *f);

/* Providers turn `act` uact of revenue (in their ACT account) into AKT. -1 on a ledger refusal. */
int bme_redeem(bme_t *b, const params_t *p, ledger_t led[DENOM_COUNT], int64_t act, double akt_usd,
               bme_flows_t *f);

/* Collateral ratio and circuit-breaker status at the day's price. */
void bme_update_status(bme_t *b, const params_t *p, const ledger_t led[DENOM_COUNT], double akt_usd);

#endif
