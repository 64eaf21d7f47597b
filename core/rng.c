/* xoshiro256** as a GSL generator, seeded by SplitMix64; see rng.h. */
#include "rng.h"

#include <string.h>

uint64_t rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fill_state(rng_state_t *st, uint64_t key)
{
    uint64_t sm = key;
    for (int i = 0; i < 4; i++)
        st->s[i] = rng_splitmix64(&sm);
    /* an all-zero state would be a fixed point; SplitMix64 never yields four zeros, but be sure */
    if ((st->s[0] | st->s[1] | st->s[2] | st->s[3]) == 0)
        st->s[0] = 1;
    st->draws = 0;
}

uint64_t rng_draws(const gsl_rng *r)
{
    return r->type == rng_xoshiro256ss ? ((const rng_state_t *)r->state)->draws : 0;
}

static void xo_set(void *vstate, unsigned long seed)
{
    fill_state(vstate, (uint64_t)seed);
}

/* GSL expects get() in [min, max]; the upper 32 bits are the best-mixed ones. */
static unsigned long xo_get(void *vstate)
{
    return (unsigned long)(rng_next(vstate) >> 32);
}

/* 53 random bits, in [0, 1) as GSL requires. */
static double xo_get_double(void *vstate)
{
    return (double)(rng_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(rng_state_t), &xo_set, &xo_get, &xo_get_double
};

const gsl_rng_type *rng_xoshiro256ss = &xoshiro_type;

/* Chain the indices through SplitMix64 so each one changes every bit of the key. */
static uint64_t stream_key(uint64_t seed, uint64_t point, uint64_t run, uint64_t purpose)
{
    uint64_t h = seed;
    uint64_t k = rng_splitmix64(&h);
    h = k ^ point;
    k = rng_splitmix64(&h);
    h = k ^ run;
    k = rng_splitmix64(&h);
    h = k ^ purpose;
    return rng_splitmix64(&h);
}

void rng_stream_seed(gsl_rng *r, uint64_t seed, uint64_t point, uint64_t run, uint64_t purpose)
{
    fill_state(r->state, stream_key(seed, point, run, purpose));
}

gsl_rng *rng_stream_alloc(uint64_t seed, uint64_t point, uint64_t run, uint64_t purpose)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256ss);
    if (r)
        rng_stream_seed(r, seed, point, run, purpose);
    return r;
}
