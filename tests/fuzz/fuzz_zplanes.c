/*
 * libFuzzer harness for zplanes (output/zplanes.c), the deflate encoder of
 * /runs: the stream of any planes must inflate, with zlib's inflate (HDF5's
 * deflate filter, strict about incomplete codes) and libdeflate's (what
 * /summary reads back with), to exactly those planes, within zplanes_bound.
 * The first byte gives the number of planes (1-8, low 3 bits) and, with its
 * top bit, whether the rest is the planes' bytes themselves or (value, run
 * length) pairs expanded into long runs, which small inputs could not reach.
 * Build and run: make fuzz (tests/fuzz/fuzz.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "zplanes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EXPANDED_MAX (1u << 18)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t nplanes = 1 + (data[0] & 7);
    const unsigned char *raw = data + 1;
    size_t n = size - 1;
    unsigned char *grown = NULL;
    if (data[0] & 0x80) {   /* (value, run length 1-256 x 4) pairs */
        grown = malloc(EXPANDED_MAX);
        if (!grown)
            abort();
        size_t k = 0;
        for (size_t i = 0; i + 1 < n && k < EXPANDED_MAX; i += 2) {
            size_t run = 4 * ((size_t)data[1 + i + 1] + 1);
            if (run > EXPANDED_MAX - k)
                run = EXPANDED_MAX - k;
            memset(grown + k, data[1 + i], run);
            k += run;
        }
        raw = grown;
        n = k;
    }
    size_t plane = n / nplanes;
    if (plane == 0) {
        free(grown);
        return 0;
    }
    size_t total = nplanes * plane, cap = zplanes_bound(nplanes, plane);
    unsigned char *z = malloc(cap), *back = malloc(total + 1);
    uint16_t *tok = malloc(plane * sizeof *tok);
    if (!z || !back || !tok)
        abort();
    size_t len = zplanes_deflate(raw, nplanes, plane, tok, z, cap);
    if (len == 0 || len > cap)
        abort();
    if (zplanes_deflate(raw, nplanes, plane, tok, z, cap - 1) != 0)   /* refuses less room */
        abort();
    len = zplanes_deflate(raw, nplanes, plane, tok, z, cap);

    uLongf got = (uLongf)total + 1;
    if (uncompress(back, &got, z, (uLong)len) != Z_OK || got != total || memcmp(back, raw, total) != 0)
        abort();
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d)
        abort();
    size_t in = 0, out = 0;
    memset(back, 0, total);
    if (libdeflate_zlib_decompress_ex(d, z, len, back, total, &in, &out) != LIBDEFLATE_SUCCESS || in != len
        || out != total || memcmp(back, raw, total) != 0)
        abort();
    libdeflate_free_decompressor(d);
    free(z);
    free(back);
    free(tok);
    free(grown);
    return 0;
}
