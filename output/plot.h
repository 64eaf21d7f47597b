/*
 * `tokensim plot OUT.h5 --metric NAME... -o FIG.png|svg`, from the file's
 * /summary alone, a panel per metric: for a run, a fan chart (5-95 % and
 * 25-75 % bands, median, mean) against calendar dates; for a sweep, one median
 * line per point, labelled with its values; for a comparison, both arms'
 * medians and 5-95 % bands, then the paired difference with its 95 %
 * confidence interval. Every chart follows chart.h (flows from day 1, axes of
 * non-negative quantities from 0, readable ticks, the legend below the data,
 * a metric 0 in every run as one line of text). An unknown metric is named
 * with the nearest names the file has. gnuplot draws (gnuplot.h).
 */
#ifndef OUTPUT_PLOT_H
#define OUTPUT_PLOT_H

#include <stddef.h>

#include "err.h"

sim_status_t plot_fan(const char *h5path, const char *const *metrics, size_t nmetrics, const char *out_path,
                      sim_error_t *err);

/* A morris or saltelli sweep's /sensitivity of one output metric, a panel per
 * horizon: Morris as sigma against mu* (with mu*'s 95 % interval), each
 * parameter labelled; Sobol as bars of S1 and ST with their 95 % intervals. */
sim_status_t plot_sensitivity(const char *h5path, const char *metric, const char *out_path, sim_error_t *err);

#endif
