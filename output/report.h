/*
 * `tokensim report OUT.h5 -o DIR`: a standard set of fan charts (supply and
 * inflation; staking; utilisation; providers and leases; market revenue against
 * issuance in USD; burns; price) as PNG files and an index.html that shows them
 * with the summary table and the provenance (scenario, seed, runs, version).
 */
#ifndef OUTPUT_REPORT_H
#define OUTPUT_REPORT_H

#include "err.h"

sim_status_t report_write(const char *h5path, const char *dir, sim_error_t *err);

#endif
