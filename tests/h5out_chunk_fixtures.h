/*
 * Shared by the tests of chunks filtered here (tests/test_h5out_chunks.c) and
 * of a points dimension (tests/test_h5out_points.c): the 300 x 300 file's
 * values, blocks of runs, and readers comparing files.
 */
#ifndef TESTS_H5OUT_CHUNK_FIXTURES_H
#define TESTS_H5OUT_CHUNK_FIXTURES_H

#include <math.h>

#include "h5out_fixtures.h"
#include "stats.h"

/* 300 x 300: chunks of 128 x 256, so the last chunk row (44 runs) and the
 * last chunk column (44 times) are partial. */
#define DRUNS 300
#define DTIMES 300
#define DROWS 128

/* Values that compress like simulation output (a smooth level plus noise in
 * the low bits), signed zeros in one column, a NaN and an infinity. */
static int dnoise;   /* metric 0 as random bits: chunks that do not compress */

static inline double dvalue(size_t r, size_t m, size_t t)
{
    if (dnoise && m == 0) {
        uint64_t h = (uint64_t)(r * 1000003 + t + 1) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 31;
        h *= UINT64_C(0xBF58476D1CE4E5B9);
        h ^= h >> 29;
        if (((h >> 52) & 0x7ff) == 0x7ff)
            h ^= UINT64_C(1) << 52;   /* finite: no inf or NaN exponent */
        double x;
        memcpy(&x, &h, sizeof x);
        return x;
    }
    if (m == 1 && t == 7)
        return r % 3 ? 0.0 : -0.0;
    if (m == 1 && t == 8 && r == 17)
        return NAN;
    if (m == 0 && t == 9 && r == 5)
        return INFINITY;
    uint64_t h = (uint64_t)(r * 1000003 + m * 7919 + t) * UINT64_C(0x9E3779B97F4A7C15);
    h ^= h >> 29;
    double noise = (double)(h % 1000003) / 1000003.0;
    return m == 0 ? 1e8 * (1 + 1e-3 * (double)t) + 1e3 * noise
                  : 0.3 * (1 + 1e-3 * (double)t) + 1e-3 * noise;
}

typedef struct {
    size_t first, count;
} block_t;

/* /runs/<metric> [DRUNS][DTIMES] and /summary/<metric>/<stat> [STATS_N][DTIMES]. */
static inline void read_dfile(const char *path, size_t m, double *runs, double *summary)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    char obj[100];
    snprintf(obj, sizeof obj, "/runs/%s", metrics[m].name);
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, runs) >= 0);
    H5Dclose(d);
    for (int k = 0; k < STATS_N; k++) {
        snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m].name, stats_name[k]);
        read_vec(f, obj, summary + (size_t)k * DTIMES, DTIMES);
    }
    H5Fclose(f);
}

static inline void assert_same_file(const char *p1, const char *p2)
{
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    assert_non_null(f1);
    assert_non_null(f2);
    int c1, c2;
    long at = 0;
    do {
        c1 = getc(f1);
        c2 = getc(f2);
        if (c1 != c2)
            fail_msg("%s and %s differ at byte %ld", p1, p2, at);
        at++;
    } while (c1 != EOF);
    fclose(f1);
    fclose(f2);
}

#endif
