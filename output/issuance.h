/*
 * Issuance and burns, for `tokensim summary`: over days 1 to the horizon, AKT
 * minted by x/mint inflation, reminted by BME, burned, and the net change of
 * the supply; the effective inflation (what x/mint paid out) and the net
 * issuance as yearly rates; under BME, the AKT turned into ACT and paid out
 * for it, and the vault's AKT and the ACT outstanding on the last day. A level
 * of spend at which burns would offset issuance is stated only where burns net
 * of BME remints are positive at the horizon: under BME in vault mode the
 * tenants' AKT is held and paid back out, and offsets nothing.
 */
#ifndef OUTPUT_ISSUANCE_H
#define OUTPUT_ISSUANCE_H

#include <stdio.h>

#include "err.h"

sim_status_t issuance_print(const char *path, FILE *out, sim_error_t *err);

#endif
