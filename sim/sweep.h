/*
 * Sweep points (design.md §4): a scenario's `sweep:` block expands into points,
 * each the scenario with some parameters set. grid: every combination, the last
 * parameter varying fastest; zip: the i-th value of every list. Replication k of
 * every point uses the same random streams (common random numbers).
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stddef.h>

#include "err.h"
#include "params.h"

/* Number of points (1 without a sweep). */
size_t sweep_npoints(const params_t *p);

/* Point k: *out = base with the point's values; a label "name=value, ..." into label. */
sim_status_t sweep_point(const params_t *base, size_t k, params_t *out, char *label, size_t len, sim_error_t *err);

/* The numeric value of every swept parameter at every point: values[k * nparams + j]. */
void sweep_values(const params_t *base, double *values);

#endif
