/*
 * Deflating the byte planes of a shuffled chunk (RFC 1950 zlib stream of RFC
 * 1951 deflate blocks), faster than a general compressor on such data: a
 * plane is either noise (the low mantissa bytes of most metrics: stored as
 * it is) or mostly runs of one byte value (high bytes, exponents, the zero
 * bytes of whole numbers) among literals. Each plane that is not noise
 * becomes one block of literals and runs (matches at distance 1) under
 * Huffman codes built for it; a plane whose block would not be smaller is
 * stored. No search for longer-range matches: the streams are a little larger
 * than a general level-1 deflate's, and any inflater reads them.
 */
#ifndef OUTPUT_ZPLANES_H
#define OUTPUT_ZPLANES_H

#include <stddef.h>
#include <stdint.h>

/* Whether a plane of n bytes is noise that deflate cannot shrink: every byte
 * value within a factor 3 of n / 256, and no more than n / 64 bytes equal to
 * the one before (integers only: every machine decides alike; a skewed plane
 * stops the count early). */
int zplanes_is_noise(const unsigned char *b, size_t n);

/* One zlib stream of nplanes planes of `plane` bytes each (sh[0, nplanes x
 * plane), plane >= 1) into out (cap bytes); tok is scratch of `plane` entries.
 * Returns the stream's length, or 0 when it does not fit. */
size_t zplanes_deflate(const unsigned char *sh, size_t nplanes, size_t plane, uint16_t *tok,
                       unsigned char *out, size_t cap);

/* The most bytes zplanes_deflate can need for nplanes planes of `plane` bytes. */
size_t zplanes_bound(size_t nplanes, size_t plane);

#endif
