/* zplanes (output/zplanes.c): every stream inflates, with zlib's inflate (what
 * HDF5's deflate filter uses, strict about incomplete codes) and libdeflate's,
 * to the planes it was made from: runs of every length deflate has, long
 * runs, noise, skewed bytes whose Huffman code must be cut to 15 bits, one
 * value, tiny and large planes (stored in several blocks), mixes of noise and
 * runs; a noise plane is stored; a run-heavy plane shrinks; the bound holds. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "zplanes.h"

static uint64_t rng_state = 12345;

static uint32_t next_u32(void)
{
    rng_state = rng_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (uint32_t)(rng_state >> 33);
}

/* Deflate nplanes x plane bytes, inflate with both libraries, compare; the
 * stream's length. */
static size_t round_trip(const unsigned char *x, size_t nplanes, size_t plane)
{
    size_t raw = nplanes * plane, cap = zplanes_bound(nplanes, plane);
    unsigned char *z = malloc(cap), *y = malloc(raw + 1);
    uint16_t *tok = malloc(plane * sizeof *tok);
    assert_non_null(z);
    assert_non_null(y);
    assert_non_null(tok);
    assert_int_equal(zplanes_deflate(x, nplanes, plane, tok, z, cap - 1 < cap ? cap - 1 : cap), 0);
    size_t n = zplanes_deflate(x, nplanes, plane, tok, z, cap);
    assert_true(n > 0 && n <= cap);

    uLongf got = (uLongf)raw + 1;
    assert_int_equal(uncompress(y, &got, z, (uLong)n), Z_OK);
    assert_int_equal(got, raw);
    assert_memory_equal(y, x, raw);

    memset(y, 0, raw);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    assert_non_null(d);
    size_t in = 0, out = 0;
    assert_int_equal(libdeflate_zlib_decompress_ex(d, z, n, y, raw, &in, &out), LIBDEFLATE_SUCCESS);
    assert_int_equal(in, n);
    assert_int_equal(out, raw);
    assert_memory_equal(y, x, raw);
    libdeflate_free_decompressor(d);
    free(z);
    free(y);
    free(tok);
    return n;
}

/* Runs of every length from 1 to 300 (each a new byte value), then runs
 * longer than 258 of one value: every length symbol and its extra bits. */
static void test_runs_of_every_length(void **state)
{
    (void)state;
    size_t n = 0, cap = 300 * 301 / 2 + 5000;
    unsigned char *x = malloc(cap);
    assert_non_null(x);
    for (size_t len = 1; len <= 300; len++) {
        unsigned char v = (unsigned char)(len * 7 + 1);
        if (n > 0 && x[n - 1] == v)
            v++;
        memset(x + n, v, len);
        n += len;
    }
    memset(x + n, 0, 4000);   /* 258 + 258 + ... */
    n += 4000;
    size_t z = round_trip(x, 1, n);
    assert_true(z < n / 4);
    free(x);
}

/* Random planes of several kinds, alone and side by side. */
static void fill(unsigned char *x, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u = next_u32();
        switch (kind) {
        case 0: x[i] = (unsigned char)u; break;                               /* noise */
        case 1: x[i] = 0; break;                                              /* zeros */
        case 2: x[i] = 0xa5; break;                                           /* one value */
        case 3: x[i] = i > 0 && u % 16 ? x[i - 1] : (unsigned char)(u >> 8); break;   /* runs */
        case 4: x[i] = (unsigned char)(__builtin_ctz(u | 0x80000000u)); break; /* geometric */
        case 5: x[i] = (unsigned char)(u % 3 == 0 ? u >> 8 : 0x40); break;     /* mostly one */
        default: x[i] = (unsigned char)((i / 97) & 0xff); break;              /* slow ramp */
        }
    }
}

static void test_kinds_and_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = { 1, 2, 3, 4, 9, 100, 767, 768, 4096, 32768, 65535, 65536, 70000 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int kind = 0; kind < 7; kind++) {
            size_t n = sizes[k];
            unsigned char *x = malloc(n);
            assert_non_null(x);
            fill(x, n, kind);
            size_t z = round_trip(x, 1, n);
            if (kind == 0 && n >= 768)   /* noise: stored, 5 bytes a block of 65,535 */
                assert_int_equal(z, 2 + n + 5 * ((n + 65534) / 65535) + 4);
            if ((kind == 1 || kind == 2) && n >= 4096)
                assert_true(z < n / 50);
            free(x);
        }
}

/* Eight planes as a shuffled chunk has them: noise among runs, in any order. */
static void test_mixed_planes(void **state)
{
    (void)state;
    size_t plane = 32768;
    unsigned char *x = malloc(8 * plane);
    assert_non_null(x);
    for (int rep = 0; rep < 4; rep++) {
        for (size_t j = 0; j < 8; j++)
            fill(x + j * plane, plane, (int)((j * 5 + (size_t)rep) % 7));
        round_trip(x, 8, plane);
    }
    free(x);
}

/* Byte counts along the Fibonacci numbers make a Huffman code 24 deep: the
 * lengths must be cut to 15 and the code stay complete. */
static void test_deep_code_is_limited(void **state)
{
    (void)state;
    size_t f[26], n = 0;
    f[0] = f[1] = 1;
    for (int k = 2; k < 26; k++)
        f[k] = f[k - 1] + f[k - 2];
    for (int k = 0; k < 26; k++)
        n += f[k];
    unsigned char *x = malloc(n);
    assert_non_null(x);
    size_t at = 0;
    for (int k = 0; k < 26; k++)   /* value 2k, never twice in a row: literals only */
        for (size_t i = 0; i < f[k]; i++)
            x[at++] = (unsigned char)(2 * k + (i & 1));
    for (size_t i = n - 1; i > 0; i--) {   /* shuffle: no runs */
        size_t r = next_u32() % (i + 1);
        unsigned char t = x[i];
        x[i] = x[r];
        x[r] = t;
    }
    round_trip(x, 1, n);
    free(x);
}

static void test_noise_test(void **state)
{
    (void)state;
    static unsigned char x[32768];   /* 128 of each value expected, at least 42 asked */
    fill(x, sizeof x, 0);
    assert_true(zplanes_is_noise(x, sizeof x));
    fill(x, sizeof x, 3);
    assert_false(zplanes_is_noise(x, sizeof x));
    assert_false(zplanes_is_noise(x, 700));   /* too short to tell */
    for (size_t i = 0; i < sizeof x; i++)     /* every value equally often, in runs of 128 */
        x[i] = (unsigned char)(i / 128);
    assert_false(zplanes_is_noise(x, sizeof x));
    assert_true(round_trip(x, 1, sizeof x) < sizeof x / 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_of_every_length),
        cmocka_unit_test(test_kinds_and_sizes),
        cmocka_unit_test(test_mixed_planes),
        cmocka_unit_test(test_deep_code_is_limited),
        cmocka_unit_test(test_noise_test),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
