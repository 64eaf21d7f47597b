/* Chunk compression: see codec.h. */
#include "codec.h"

#include <stdlib.h>

#include <blosc.h>
#include <libdeflate.h>
#include <zlib.h>

/* Filter mask bits of a stored deflate chunk: filter i of the pipeline was skipped. */
#define MASK_SHUFFLE 1u
#define MASK_DEFLATE 2u
/* Of a Blosc chunk: the one filter was skipped (HDF5 stored it as it came). */
#define MASK_BLOSC 1u

/* The Blosc filter of HDF5 (hdf5-blosc, registered with The HDF Group as
 * 32001) and its parameters: the filter's revision, the Blosc format, the
 * element and chunk sizes (which its set_local callback fills in too), the
 * level, the shuffle and the compressor. Blosc's headers carry all of this,
 * so any reader decompresses whatever the parameters. */
#define BLOSC_FILTER_ID 32001
#define BLOSC_FILTER_REVISION 2
#define BLOSC_LEVEL 5

struct codec {
    codec_kind_t kind;
    int level;
    size_t elem, chunk_bytes;
    int threads;
    struct libdeflate_compressor **zdef;    /* deflate: [threads] */
    struct libdeflate_decompressor **zinf;  /* deflate: [threads] */
};

int codec_available(codec_kind_t kind)
{
    return kind == CODEC_DEFLATE || (kind == CODEC_BLOSC && H5Zfilter_avail(BLOSC_FILTER_ID) > 0);
}

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
    if (kind == CODEC_BLOSC)   /* stateless: blosc_*_ctx calls */
        return c;
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
    if (c->kind == CODEC_BLOSC) {
        const unsigned cd[7] = { BLOSC_FILTER_REVISION, BLOSC_VERSION_FORMAT, (unsigned)c->elem,
                                 (unsigned)c->chunk_bytes, BLOSC_LEVEL, BLOSC_SHUFFLE, BLOSC_LZ4 };
        return H5Pset_filter(dcpl, BLOSC_FILTER_ID, H5Z_FLAG_OPTIONAL, 7, cd) >= 0 ? 0 : -1;
    }
    return H5Pset_shuffle(dcpl) >= 0 && H5Pset_deflate(dcpl, (unsigned)c->level) >= 0 ? 0 : -1;
}

int codec_takes_shuffled(const codec_t *c)
{
    return c->kind == CODEC_DEFLATE;   /* Blosc shuffles itself */
}

static size_t larger(size_t a, size_t b)
{
    return a > b ? a : b;
}

size_t codec_bound(const codec_t *c)
{
    if (c->kind == CODEC_BLOSC)
        return c->chunk_bytes + BLOSC_MAX_OVERHEAD;
    /* room for a chunk of either library (HDF5's own are zlib's) */
    return larger(libdeflate_zlib_compress_bound(NULL, c->chunk_bytes),
                    (size_t)compressBound((uLong)c->chunk_bytes));
}

size_t codec_compress(codec_t *c, int tid, const unsigned char *in, unsigned char *out, size_t cap)
{
    if (c->kind == CODEC_BLOSC) {
        /* one Blosc buffer, as the filter stores it; one thread inside it
         * (the pipeline runs one chunk a thread), no environment variable read */
        int n = blosc_compress_ctx(BLOSC_LEVEL, BLOSC_SHUFFLE, c->elem, c->chunk_bytes, in, out, cap,
                                   BLOSC_LZ4_COMPNAME, 0, 1);
        return n > 0 ? (size_t)n : 0;
    }
    /* one zlib stream, as HDF5's deflate filter stores it */
    return libdeflate_zlib_compress(c->zdef[tid], in, c->chunk_bytes, out, cap);
}

const unsigned char *codec_decompress(codec_t *c, int tid, const unsigned char *in, size_t len,
                                      unsigned mask, unsigned char *scratch, int *shuffled)
{
    if (c->kind == CODEC_BLOSC) {
        *shuffled = 0;
        if (mask & MASK_BLOSC)
            return len == c->chunk_bytes ? in : NULL;
        size_t n = 0;
        return blosc_cbuffer_validate(in, len, &n) == 0 && n == c->chunk_bytes
               && blosc_decompress_ctx(in, scratch, c->chunk_bytes, 1) == (int)c->chunk_bytes
               ? scratch : NULL;
    }
    *shuffled = !(mask & MASK_SHUFFLE);
    if (mask & MASK_DEFLATE)
        return len == c->chunk_bytes ? in : NULL;
    /* no actual length asked for: anything but a whole chunk is an error */
    return libdeflate_zlib_decompress(c->zinf[tid], in, len, scratch, c->chunk_bytes, NULL)
           == LIBDEFLATE_SUCCESS ? scratch : NULL;
}
