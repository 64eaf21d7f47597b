/*
 * Inflation (docs/model.md [mint], docs/model.md [whitepaper]). Three rules:
 *  - cosmos: cosmos-sdk x/mint as Akash runs it. Every block
 *        I <- clamp(I + (1 - r/goal_bonded) * rate_change / blocks_per_year, min, max)
 *        mint = trunc(I * S / blocks_per_year)   [uakt, S = current supply]
 *    mint_day() aggregates a day's blocks in closed form; with mint.exact_blocks
 *    it steps block by block (the reference the aggregation is tested against).
 *  - fixed: the same per-block provision with a constant rate.
 *  - whitepaper: the halving emission I(t) = i0 * M0 * 2^(-t/T) AKT/yr,
 *    t in years of 365.25 days since the whitepaper genesis, integrated per day.
 * Rates are per year; amounts in uakt. The bonded amount is constant within a
 * day (staking moves happen in the staking step), the supply grows block by block.
 */
#ifndef MODELS_MINT_H
#define MODELS_MINT_H

#include <stdint.h>

#include "params.h"

typedef struct {
    double inflation;           /* current minter inflation, 1/yr */
    double annual_provisions;   /* uakt/yr at the last block (cosmos) or today's rate */
} minter_t;

/* Day-0 minter state. */
void mint_init(minter_t *m, const params_t *p, int64_t supply_uakt);

/* cosmos NextInflationRate: one block's update of the inflation rate. */
double mint_next_inflation(const params_t *p, double inflation, double bonded_ratio);

/* cosmos BlockProvision: trunc(inflation * supply / blocks_per_year), uakt. */
int64_t mint_block_provision(double inflation, int64_t supply_uakt, int64_t blocks_per_year);

/* Sum of clamp(i0 + k*d, lo, hi) over k = 1..n, in closed form. */
double mint_clamped_sum(double i0, double d, int64_t n, double lo, double hi);

/* Blocks produced in one day at the scenario's block time. */
int64_t mint_blocks_per_day(const params_t *p);

/* uakt to mint on day `day` (1-based) given supply and bonded pool at the start
 * of the day; updates the minter. Returns -1 (and mints nothing) if the result
 * would not fit in int64. */
int mint_day(const params_t *p, minter_t *m, int64_t day, int64_t supply_uakt,
             int64_t bonded_uakt, int64_t *minted_uakt);

#endif
