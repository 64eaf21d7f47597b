/* Chunk compression: see codec.h. */
#include "codec.h"

#include <stdint.h>
#include <stdlib.h>

#include <libdeflate.h>
#include <zlib.h>

/* Filter mask bits of a stored chunk: filter i of the pipeline was skipped. */
#define MASK_SHUFFLE 1u
#define MASK_DEFLATE 2u

struct codec {
    codec_kind_t kind;
    int level;
    size_t elem, chunk_bytes;
    int threads;
    struct libdeflate_compressor **zdef;    /* [threads] */
    struct libdeflate_decompressor **zinf;  /* [threads] */
};

codec_t *codec_create(codec_kind_t kind, int level, size_t elem, size_t chunk_bytes, int threads)
{
    codec_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->kind = kind;
    c->level = level;
    c->elem = elem;
    c->chunk_bytes = chunk_bytes;
    c->threads = threads;
    size_t t = (size_t)threads;
    c->zdef = calloc(t, sizeof *c->zdef);
    c->zinf = calloc(t, sizeof *c->zinf);
    int ok = c->zdef && c->zinf;
    for (size_t i = 0; i < t && ok; i++)
        ok = (c->zdef[i] = libdeflate_alloc_compressor(level))
             && (c->zinf[i] = libdeflate_alloc_decompressor());
    if (!ok) {
        codec_free(c);
        return NULL;
    }
    return c;
}

void codec_free(codec_t *c)
{
    if (!c)
        return;
    for (int t = 0; t < c->threads && c->zdef; t++)
        libdeflate_free_compressor(c->zdef[t]);
    for (int t = 0; t < c->threads && c->zinf; t++)
        libdeflate_free_decompressor(c->zinf[t]);
    free(c->zdef);
    free(c->zinf);
    free(c);
}

int codec_set_filters(const codec_t *c, hid_t dcpl)
{
    return H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, (unsigned)c->level) >= 0 ? 0 : -1;
}

int codec_takes_shuffled(const codec_t *c)
{
    (void)c;
    return 1;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

size_t codec_bound(const codec_t *c)
{
    /* room for a chunk of either library (HDF5's own are zlib's) */
    return max_size(libdeflate_zlib_compress_bound(NULL, c->chunk_bytes),
                    (size_t)compressBound((uLong)c->chunk_bytes));
}

size_t codec_compress(codec_t *c, int tid, const unsigned char *in, unsigned char *out, size_t cap)
{
    /* one zlib stream, as HDF5's deflate filter stores it */
    return libdeflate_zlib_compress(c->zdef[tid], in, c->chunk_bytes, out, cap);
}

const unsigned char *codec_decompress(codec_t *c, int tid, const unsigned char *in, size_t len,
                                      unsigned mask, unsigned char *scratch, int *shuffled)
{
    *shuffled = !(mask & MASK_SHUFFLE);
    if (mask & MASK_DEFLATE)
        return len == c->chunk_bytes ? in : NULL;
    /* no actual length asked for: anything but a whole chunk is an error */
    return libdeflate_zlib_decompress(c->zinf[tid], in, len, scratch, c->chunk_bytes, NULL)
           == LIBDEFLATE_SUCCESS ? scratch : NULL;
}
