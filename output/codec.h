/*
 * The compression of /runs chunks (docs/output.md, "Compression"): each
 * chunk into the bytes an HDF5 filter pipeline stores, and back, on any
 * thread, so that the chunk pipeline compresses in parallel and HDF5 readers
 * undo it with their own filters: shuffle + deflate (libdeflate) or Blosc
 * (libblosc; readers need HDF5's Blosc filter plugin).
 */
#ifndef OUTPUT_CODEC_H
#define OUTPUT_CODEC_H

#include <stddef.h>

#include <hdf5.h>

typedef enum {
    CODEC_DEFLATE = 0,          /* HDF5's shuffle + deflate filters */
    CODEC_BLOSC,                /* the Blosc filter (32001): lz4 after Blosc's byte shuffle */
} codec_kind_t;

typedef struct codec codec_t;

/* Whether HDF5 can apply the codec's filters here (Blosc's is a plugin). */
int codec_available(codec_kind_t kind);

/* A codec for chunks of chunk_bytes bytes of elem-byte elements, used by up
 * to `threads` threads at once; level: deflate's, 1..9. NULL when out of memory. */
codec_t *codec_create(codec_kind_t kind, int level, size_t elem, size_t chunk_bytes, int threads);
void codec_free(codec_t *c);

/* Add the codec's filters to a dataset creation property list: 0, or -1. */
int codec_set_filters(const codec_t *c, hid_t dcpl);

/* 1: codec_compress takes the chunk shuffled (byte j of element e at
 * j * n + e, as HDF5's shuffle filter lays it out); 0: element after element. */
int codec_takes_shuffled(const codec_t *c);

/* The most bytes a stored chunk can take: the codec's, or HDF5's own filters'. */
size_t codec_bound(const codec_t *c);

/* Compress a whole chunk (laid out as codec_takes_shuffled says) on thread
 * tid into out (cap bytes): the bytes stored, or 0 on failure. */
size_t codec_compress(codec_t *c, int tid, const unsigned char *in, unsigned char *out, size_t cap);

/* Undo the filters of a stored chunk (len bytes; mask: HDF5's filter mask,
 * bit i set when filter i was skipped) on thread tid, into scratch
 * (chunk_bytes) when it was compressed: the whole chunk's bytes, *shuffled
 * saying their layout; NULL when it is not a whole chunk (corrupt). */
const unsigned char *codec_decompress(codec_t *c, int tid, const unsigned char *in, size_t len,
                                      unsigned mask, unsigned char *scratch, int *shuffled);

#endif
