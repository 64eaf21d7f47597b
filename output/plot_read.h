/*
 * What the charts read from a result file: its recorded times and dates, its
 * scenario's name, a metric's statistics under /summary (one row per point
 * of a sweep or arm of a comparison), and the points' labels.
 */
#ifndef OUTPUT_PLOT_READ_H
#define OUTPUT_PLOT_READ_H

#include <stddef.h>

#include <hdf5.h>

#include "err.h"

typedef struct {
    double *time;              /* days since start_date of each recorded time */
    size_t nt;
    long day0;                 /* start_date as days since 1970-01-01 */
    char name[256];            /* the scenario's name */
} plot_file_t;

/* /time, start_date and scenario_name; free with plot_file_free. */
sim_status_t plot_file_read(hid_t f, const char *h5path, plot_file_t *pf, sim_error_t *err);
void plot_file_free(plot_file_t *pf);

/* The date of time index i, YYYY-MM-DD. */
void plot_file_date(const plot_file_t *pf, size_t i, char buf[16]);

/* A 1-D float64 dataset of exactly n values into x: 0, or -1. */
int plot_read_vector(hid_t f, const char *obj, double *x, size_t n);

/* A [rows, n] float64 dataset whole (malloc'd), its rows in *rows; NULL when
 * it is absent or of another shape. */
double *plot_read_matrix(hid_t f, const char *obj, size_t n, size_t *rows);

/* The units of a metric (attribute of /summary/<metric>/p50), "" when none. */
void plot_metric_units(hid_t f, const char *metric, char *buf, size_t len);

/* The label of point k of npoints (attribute `labels` of /point or /arm), or
 * "point k". */
void plot_point_label(hid_t f, const char *dim, size_t k, size_t npoints, char *buf, size_t len);

#endif
