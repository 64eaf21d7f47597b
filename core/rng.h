/*
 * Random streams. Every stochastic process of a run draws from its own stream,
 * derived from (seed, point, run, purpose) and never from thread ids or the
 * clock, so results are bit-identical for any thread or rank count, and a
 * proposal that changes fees does not shift the staking path of the same
 * replication (common random numbers, docs/model.md §7).
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

/* Its state, public so that hot paths can draw uniforms inline. */
typedef struct {
    uint64_t s[4];
    uint64_t draws;     /* outputs since the last seeding (for make bench's floor) */
} rng_state_t;

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* One xoshiro256** output. */
static inline uint64_t rng_next(rng_state_t *st)
{
    uint64_t *s = st->s;
    st->draws++;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* gsl_rng_uniform(r) and gsl_rng_uniform_pos(r), the same numbers, inlined for
 * this type (53 random bits in [0, 1)) instead of GSL's call through a pointer;
 * other types go through GSL. */
static inline double rng_uniform(gsl_rng *r)
{
    if (r->type != rng_xoshiro256ss)
        return gsl_rng_uniform(r);
    return (double)(rng_next((rng_state_t *)r->state) >> 11) * 0x1.0p-53;
}

static inline double rng_uniform_pos(gsl_rng *r)
{
    double x;
    do
        x = rng_uniform(r);
    while (x == 0);
    return x;
}

/* A stream drawn from in a hot loop: rng_local_begin copies its state into
 * the local (where the compiler keeps it in registers, not in memory between
 * draws), rng_local_end stores it back. In between, draw only through the
 * local: rng_local_uniform(_pos) give rng_uniform(_pos)'s numbers, for any
 * generator type. */
typedef struct {
    gsl_rng *r;
    int own;            /* 1: this type, drawn from s */
    rng_state_t s;
} rng_local_t;

static inline void rng_local_begin(rng_local_t *l, gsl_rng *r)
{
    l->r = r;
    l->own = r->type == rng_xoshiro256ss;
    if (l->own)
        l->s = *(const rng_state_t *)r->state;
}

static inline void rng_local_end(rng_local_t *l)
{
    if (l->own)
        *(rng_state_t *)l->r->state = l->s;
}

static inline double rng_local_uniform(rng_local_t *l)
{
    if (!l->own)
        return gsl_rng_uniform(l->r);
    return (double)(rng_next(&l->s) >> 11) * 0x1.0p-53;
}

static inline double rng_local_uniform_pos(rng_local_t *l)
{
    double x;
    do
        x = rng_local_uniform(l);
    while (x == 0);
    return x;
}

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
