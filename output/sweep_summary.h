/*
 * The sweep part of `tokensim summary SWEEP.h5`, read from the file alone:
 * the provenance and the design, then
 *  - morris and saltelli sweeps: for every output metric and horizon of
 *    /sensitivity the parameters ranked by mu* (Morris) or by the total
 *    index ST (Sobol), with their ranges and units: the data of a tornado
 *    chart (the options' metrics must be among the analysed outputs, their
 *    days at the analysed horizons);
 *  - other sweeps (grid, zip, lhs, sobol): a table a metric (the sweep's
 *    outputs by default) of each point, labelled by its parameter values,
 *    and the median across its runs at the summary's horizons and the
 *    sweep's own (the first SWEEP_SUMMARY_MAX_POINTS points).
 */
#ifndef OUTPUT_SWEEP_SUMMARY_H
#define OUTPUT_SWEEP_SUMMARY_H

#include <stdio.h>

#include <hdf5.h>

#include "err.h"
#include "summary.h"

#define SWEEP_SUMMARY_MAX_POINTS 100

/* Print the summary of the open sweep file `file` (named `path`) to `out`;
 * opts may be NULL. Nothing is printed when the options do not fit the file. */
sim_status_t sweep_summary_print(hid_t file, const char *path, const summary_opts_t *opts, FILE *out,
                                 sim_error_t *err);

#endif
