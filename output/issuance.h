/*
 * Issuance against burns, for `tokensim summary`: over the horizon, AKT minted
 * (inflation and BME remint), AKT burned and their ratio; AKT turned into ACT
 * and paid out for ACT under BME; and the demand level at which burns would
 * offset issuance: the daily spend whose AKT, burned at the day's price, equals
 * the day's issuance (minted x price, over the last 30 days), beside the spend.
 */
#ifndef OUTPUT_ISSUANCE_H
#define OUTPUT_ISSUANCE_H

#include <stdio.h>

#include "err.h"

sim_status_t issuance_print(const char *path, FILE *out, sim_error_t *err);

#endif
