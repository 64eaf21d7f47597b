/*
 * The sweep part of `tokensim summary SWEEP.h5`, read from the file alone:
 *  - morris and saltelli sweeps: the design, then for every output metric and
 *    horizon of /sensitivity the parameters ranked by mu* (Morris) or by the
 *    total index ST (Sobol), with their ranges and units: the data of a
 *    tornado chart;
 *  - other sweeps (grid, zip, lhs, sobol): a table a horizon of each point's
 *    parameter values and the mean across its runs of the sweep's outputs
 *    (the first SWEEP_SUMMARY_MAX_POINTS points).
 */
#ifndef OUTPUT_SWEEP_SUMMARY_H
#define OUTPUT_SWEEP_SUMMARY_H

#include <stdio.h>

#include <hdf5.h>

#include "err.h"

#define SWEEP_SUMMARY_MAX_POINTS 100

/* Print the sweep tables of the open result file `file` (named `path`) to `out`. */
sim_status_t sweep_summary_print(hid_t file, const char *path, FILE *out, sim_error_t *err);

#endif
