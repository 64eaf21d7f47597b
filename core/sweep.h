/*
 * Sweep points (scenarios/README.md): a scenario's `sweep:` block expands into
 * points, each the scenario with some parameters set. grid: every combination, the last
 * parameter varying fastest; zip: the i-th value of every list; lhs and sobol:
 * N points in the parameters' ranges. Replication k of every point uses the same
 * random streams (common random numbers).
 *
 * Sensitivity designs over the ranges, in the unit cube [0, 1]^k mapped
 * linearly onto [min, max] (integers rounded):
 *  - morris: r trajectories of k + 1 points each (point t (k + 1) + s is step s
 *    of trajectory t). On the grid {0, 1/(p-1), ..., 1} of p (even) levels, a
 *    trajectory starts at a random grid point and moves one parameter at a time,
 *    in a random order, by delta = p / (2 (p - 1)) up or down (Morris 1991);
 *    trajectory t draws from the stream (seed, 0, t, RNG_SWEEP);
 *  - saltelli: N blocks of k + 2 points from GSL's Sobol sequence in 2k
 *    dimensions, each dimension shifted modulo 1 by a uniform draw from the
 *    stream (seed, 0, 0, RNG_SWEEP) (a Cranley-Patterson rotation: without it
 *    the sequence's dimensions j and k + j often coincide, and A and B share
 *    coordinates): block i is A_i, AB_i^(1), ..., AB_i^(k), B_i, where A_i is
 *    the first k coordinates of sequence point i, B_i the last k, and
 *    AB_i^(j) is A_i with coordinate j taken from B_i (Saltelli et al. 2010;
 *    SALib's order without second-order terms).
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

/* "grid", "zip", "lhs", "sobol", "morris", "saltelli" ("none" without a sweep). */
const char *sweep_mode_name(int mode);

/* 1 for the modes whose parameters take ranges {min, max}. */
int sweep_mode_ranged(int mode);

/* The metrics a sweep analyses or tabulates (metric_table indices) into
 * metrics[PARAMS_MAX_SWEEP_OUTPUTS]; its `outputs:`, by default supply_total,
 * bonded_ratio, price_usd and community_pool. Returns how many. */
size_t sweep_outputs(const params_t *p, int *metrics);

/* The horizons in days into days[PARAMS_MAX_SWEEP_HORIZONS]: its
 * `horizons_days:`, by default the last day. Returns how many. */
size_t sweep_horizons(const params_t *p, int64_t *days);

#endif
