/*
 * `tokensim plot OUT.h5 --metric NAME... -o FIG.png|svg`: a fan chart per metric
 * (p05-p95 and p25-p75 bands, median, mean) against calendar dates, from the
 * file's /summary alone; several metrics become stacked panels. For a sweep,
 * one median line per point (labelled with its values); for a comparison, both
 * arms' medians and the paired difference with its 95 % band. gnuplot runs as
 * a child process without a shell, on a script and data in temporary files;
 * strings from the file are escaped; the figure appears under its name only
 * when gnuplot succeeded.
 */
#ifndef OUTPUT_PLOT_H
#define OUTPUT_PLOT_H

#include <stddef.h>

#include "err.h"

sim_status_t plot_fan(const char *h5path, const char *const *metrics, size_t nmetrics, const char *out_path,
                      sim_error_t *err);

#endif
