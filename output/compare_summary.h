/*
 * `tokensim summary COMPARE.h5` (a file of `tokensim compare`, root attribute
 * command "compare"), read from the file alone: the two arms' scenario
 * names, the paired runs and the seed, then the table of compare_table.h from
 * /compare/<metric>/<stat>: by default the key metrics at the summary's
 * horizons (summary_select.h), or the metrics and days of the options.
 */
#ifndef OUTPUT_COMPARE_SUMMARY_H
#define OUTPUT_COMPARE_SUMMARY_H

#include <stdio.h>

#include <hdf5.h>

#include "err.h"
#include "summary.h"

/* Print the comparison summary of the open file `file` (named `path`); opts may be NULL. */
sim_status_t compare_summary_print(hid_t file, const char *path, const summary_opts_t *opts, FILE *out,
                                   sim_error_t *err);

#endif
