/*
 * Between the parts of `tokensim plot`: opening a result file, and the
 * charts of the files with several points (plot_points.c), called by
 * plot_fan once the metrics and the figure's name are checked.
 */
#ifndef OUTPUT_PLOT_INTERNAL_H
#define OUTPUT_PLOT_INTERNAL_H

#include <stddef.h>

#include <hdf5.h>

#include "err.h"
#include "plot_read.h"

/* Open a result file read-only, HDF5's error printing off; the errors name it. */
sim_status_t plot_open(const char *h5path, hid_t *f, sim_error_t *err);

/* A comparison: per metric, both arms' medians and 5-95 % bands, then the
 * paired difference with its 95 % confidence interval. */
sim_status_t plot_compare(hid_t f, const char *h5path, const plot_file_t *pf, const char *const *metrics,
                          size_t nmetrics, const char *out_path, int svg, sim_error_t *err);

/* A sweep: per metric, one median line a point, labelled by its values. */
sim_status_t plot_sweep(hid_t f, const char *h5path, const plot_file_t *pf, const char *const *metrics,
                        size_t nmetrics, const char *out_path, int svg, sim_error_t *err);

#endif
