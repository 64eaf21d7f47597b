/*
 * Global sensitivity estimators for one scalar output y (a metric's mean across
 * runs at one horizon) over the points of a morris or saltelli sweep
 * (core/sweep.h describes the designs). No I/O: sweep_file.c feeds them the
 * file's means and writes /sensitivity.
 *
 * Morris (1991), with Campolongo et al.'s (2007) mu*: a trajectory's step that
 * moves parameter j from x to x' gives the elementary effect
 *     EE_j = (y(x') - y(x)) / ((x'_j - x_j) / (max_j - min_j)),
 * the change of y per full range of the parameter (in y's units, comparable
 * across parameters). Over the r trajectories: mu = mean EE, mu* = mean |EE|
 * (the importance; a tornado chart's bar), sigma = sample sd of EE
 * (interactions and non-linearity).
 *
 * Sobol indices from a Saltelli design (N blocks A, AB^(1..k), B): with V the
 * variance (divisor 2N) of y over the A and B points,
 *     S1_j = mean(y_B (y_AB(j) - y_A)) / V          (Saltelli et al. 2010)
 *     ST_j = mean((y_A - y_AB(j))^2) / (2 V)         (Jansen 1999)
 * S1 is the share of V due to parameter j alone, ST including all its
 * interactions. Both 0 when y does not vary.
 *
 * Confidence: half-widths of 95 % intervals, 1.96 x the sd of the estimate
 * over bootstrap resamples (of trajectories, or of the N blocks), as SALib
 * reports them. Memory: one resample's indices, O(r) or O(N).
 */
#ifndef OUTPUT_SENSITIVITY_H
#define OUTPUT_SENSITIVITY_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "err.h"

/* Bootstrap resamples for the confidence half-widths. */
#define SENSITIVITY_RESAMPLES 1000

typedef struct {
    double mu_star;         /* mean |EE| */
    double mu_star_ci;      /* 95 % half-width (bootstrap) */
    double mu;              /* mean EE */
    double sigma;           /* sample sd of EE (n - 1) */
} sensitivity_morris_t;

typedef struct {
    double s1, s1_ci;       /* first-order index and its 95 % half-width */
    double st, st_ci;       /* total index and its 95 % half-width */
} sensitivity_sobol_t;

/* Elementary effects of k parameters from r trajectories: x[(t (k+1) + s) k + j]
 * is parameter j at step s of trajectory t, y[t (k+1) + s] the output there,
 * lo[j] and hi[j] the range. Consecutive points of a trajectory must differ in
 * exactly one parameter (SIM_EINVAL, naming the trajectory and step,
 * otherwise). Fills out[k]; resamples for the half-widths (0: none). */
sim_status_t sensitivity_morris(const double *x, const double *y, const double *lo, const double *hi,
                                size_t k, size_t r, size_t resamples, sensitivity_morris_t *out,
                                gsl_rng *rng, sim_error_t *err);

/* First-order and total Sobol indices of k parameters from N Saltelli blocks:
 * y[i (k+2) + 0] = f(A_i), y[i (k+2) + 1 + j] = f(AB_i^(j)), y[i (k+2) + k + 1] = f(B_i).
 * Fills out[k] and *variance (V above); resamples for the half-widths (0: none). */
sim_status_t sensitivity_sobol(const double *y, size_t k, size_t n, size_t resamples,
                               sensitivity_sobol_t *out, double *variance, gsl_rng *rng, sim_error_t *err);

/* order[0..k) = 0..k-1 sorted by score, largest first, NaN last, ties by index. */
void sensitivity_rank(const double *score, size_t k, size_t *order);

#endif
