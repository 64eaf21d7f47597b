/*
 * The token ledger of one run: every balance in integer base units (uakt,
 * int64), every movement through ledger_transfer/mint/burn. The only changes to
 * total supply are mint and burn, so at every moment
 *     sum of all accounts == supply
 * and over a day  supply[t] == supply[t-1] + minted[t] - burned[t]  (exactly).
 * int64 holds 9.2e12 AKT, forty thousand times Akash's supply.
 */
#ifndef MODELS_LEDGER_H
#define MODELS_LEDGER_H

#include <stdint.h>

typedef enum {
    ACCT_HOLDERS = 0,      /* liquid AKT of delegators and everyone else */
    ACCT_BONDED,           /* bonded pool (staked) */
    ACCT_UNBONDING,        /* not-bonded pool: unbonding, matures after the unbonding period */
    ACCT_COMMUNITY_POOL,   /* x/distribution community pool */
    ACCT_FEE_COLLECTOR,    /* mint output before x/distribution splits it */
    ACCT_VALIDATORS,       /* validator commission, liquid */
    ACCT_ESCROW,           /* deployment escrow accounts (x/escrow), all leases together */
    ACCT_PROVIDERS,        /* providers' withdrawn earnings */
    ACCT_VAULT,            /* the BME vault: AKT collateral; ACT mint spreads */
    ACCT_COUNT
} account_t;

/* Denominations, one ledger each: AKT (uakt), USDC (uusdc) and, under burn-mint
 * equilibrium, ACT (uact, 1 ACT = 1 USD of compute credit). */
typedef enum { DENOM_AKT = 0, DENOM_USDC = 1, DENOM_ACT = 2, DENOM_COUNT } denom_t;

typedef struct {
    int64_t balance[ACCT_COUNT];
    int64_t supply;
    int64_t minted;        /* since ledger_day_begin */
    int64_t burned;        /* since ledger_day_begin */
} ledger_t;

/* Start-of-day counters: minted and burned back to zero. */
void ledger_day_begin(ledger_t *l);

/* Move amount (>= 0) between accounts. -1, and nothing moved, when the source is short. */
int ledger_transfer(ledger_t *l, account_t from, account_t to, int64_t amount);

/* Create amount (>= 0) in an account. -1 on a negative amount or an overflowing supply. */
int ledger_mint(ledger_t *l, account_t to, int64_t amount);

/* Destroy amount (>= 0) from an account. -1 when the account is short. */
int ledger_burn(ledger_t *l, account_t from, int64_t amount);

/* Sum of all balances (equals supply while the ledger is consistent). */
int64_t ledger_sum(const ledger_t *l);

/* Name of an account, for messages. */
const char *ledger_account_name(account_t a);

#endif
