/*
 * Random streams. Every stochastic process of a run draws from its own stream,
 * derived from (seed, point, run, purpose) and never from thread ids or the
 * clock, so results are bit-identical for any thread or rank count, and a
 * proposal that changes fees does not shift the staking path of the same
 * replication (common random numbers, design.md §3).
 *
 * The generator is xoshiro256** (Blackman and Vigna, 2018) wrapped as a GSL
 * generator type so all gsl_ran_* distributions work on it. Unlike GSL's
 * mt19937, which keeps only 32 bits of a seed, its 256-bit state is filled from
 * a 64-bit hash of all four indices, so distinct runs cannot collide by seeding.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <math.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* Purposes: one stream each. Append new ones; never renumber (that would change results). */
typedef enum {
    RNG_STAKING = 1,   /* required-yield shocks of the staking behaviour */
    RNG_DEMAND  = 2,
    RNG_PRICE   = 3,
    RNG_PROVIDERS = 4,
    RNG_SWEEP = 5,     /* Latin-hypercube sweep points, Morris trajectories */
    RNG_SENSITIVITY = 6   /* bootstrap resamples of sensitivity indices */
} rng_purpose_t;

/* The GSL generator type ("xoshiro256**"). */
extern const gsl_rng_type *rng_xoshiro256ss;

/* Outputs a generator of this type gave since it was last seeded (0 for
 * another type): make bench times the same count alone, its floor. */
uint64_t rng_draws(const gsl_rng *r);

/* A new generator of this type, seeded for (seed, point, run, purpose); NULL on ENOMEM. */
gsl_rng *rng_stream_alloc(uint64_t seed, uint64_t point, uint64_t run, uint64_t purpose);

/* Reseed an existing generator (no allocation: runs reuse their thread's generators). */
void rng_stream_seed(gsl_rng *r, uint64_t seed, uint64_t point, uint64_t run, uint64_t purpose);

/* Lognormal draw exp(mu + sigma Z) with a ziggurat normal: one exp, no log
 * (gsl_ran_lognormal's polar method costs a log and a rejection loop). */
static inline double rng_lognormal(gsl_rng *r, double mu, double sigma)
{
    return exp(mu + sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
}

/* SplitMix64 step: the hash used to derive seeds. */
uint64_t rng_splitmix64(uint64_t *state);

#endif
