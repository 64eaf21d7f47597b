/* Deflating byte planes: literals and runs under per-plane Huffman codes; see zplanes.h. */
#include "zplanes.h"

#include <assert.h>
#include <string.h>

#include <libdeflate.h>

#define NLIT 286          /* literal/length symbols: bytes 0-255, end of block 256, lengths 257-285 */
#define NCL 19            /* code-length symbols */
#define MAX_BITS 15       /* longest literal/length code (RFC 1951) */
#define MAX_CL_BITS 7     /* longest code-length code */
#define STORED_MAX 65535  /* bytes in a stored block */
#define RUN_MIN 3         /* the shortest match deflate has */
#define RUN_MAX 258       /* and the longest */

/* Length symbol 257 + s stands for len_base[s] .. len_base[s] + 2^len_extra[s] - 1 (258: 285 alone). */
static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                       3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };

/* The order in which a dynamic block lists the code-length code's lengths. */
static const uint8_t cl_order[NCL] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* s with len_base[s] <= len < len_base[s] + 2^len_extra[s], len in [3, 258]:
 * lengths 3-10 one each, then four symbols per number of extra bits e, the
 * first at 3 + (4 << e). */
static inline int len_symbol(unsigned len)
{
    if (len == RUN_MAX)
        return 28;
    unsigned v = len - 3;
    if (v < 8)
        return (int)v;
    int e = 31 - __builtin_clz(v) - 2;
    return 4 + 4 * e + (int)(v >> e) - 4;
}

int zplanes_is_noise(const unsigned char *b, size_t n)
{
    uint32_t count[256] = {0};
    size_t lo = n / 768, hi = 3 * n / 256, repeats = 0;
    if (lo == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (++count[b[i]] > hi)
            return 0;
        repeats += i > 0 && b[i] == b[i - 1];
    }
    /* evenly spread values can still come in runs (a slowly rising byte, a
     * counter's second byte): noise repeats its last byte n / 256 times */
    if (repeats > n / 64)
        return 0;
    for (int v = 0; v < 256; v++)
        if (count[v] < lo)
            return 0;
    return 1;
}

/* --- bits, least significant first (RFC 1951 §3.1.1) ---------------------- */

typedef struct {
    uint64_t bits;      /* pending, above them zeros */
    unsigned n;         /* how many are pending, < 32 between calls */
    unsigned char *p;
} bits_t;

static inline void put(bits_t *w, uint32_t v, unsigned len)
{
    w->bits |= (uint64_t)v << w->n;
    w->n += len;
    if (w->n >= 32) {
        w->p[0] = (unsigned char)w->bits;
        w->p[1] = (unsigned char)(w->bits >> 8);
        w->p[2] = (unsigned char)(w->bits >> 16);
        w->p[3] = (unsigned char)(w->bits >> 24);
        w->p += 4;
        w->bits >>= 32;
        w->n -= 32;
    }
}

/* Out to a byte boundary (zero bits pad). */
static void align(bits_t *w)
{
    while (w->n > 0) {
        *w->p++ = (unsigned char)w->bits;
        w->bits >>= 8;
        w->n = w->n > 8 ? w->n - 8 : 0;
    }
    w->bits = 0;
}

/* --- Huffman codes ---------------------------------------------------------- */

static void sift(uint64_t *a, size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && a[c] < a[c + 1])
            c++;
        if (a[root] >= a[c])
            return;
        uint64_t t = a[root];
        a[root] = a[c];
        a[c] = t;
        root = c;
    }
}

static void sort_keys(uint64_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift(a, i, n);
    for (size_t end = n; end-- > 1;) {
        uint64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
}

/* Replace the ascending weights a[0, n), n >= 2, by the code lengths of a
 * Huffman code for them (longest first), in place: Moffat and Katajainen,
 * "In-place calculation of minimum-redundancy codes" (1995). */
static void huffman_in_place(uint32_t *a, int n)
{
    int root = 0, leaf = 2, next;
    a[0] += a[1];
    for (next = 1; next < n - 1; next++) {   /* internal nodes: weights, then parents */
        if (leaf >= n || a[root] < a[leaf]) {
            a[next] = a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] = a[leaf++];
        }
        if (leaf >= n || (root < next && a[root] < a[leaf])) {
            a[next] += a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] += a[leaf++];
        }
    }
    a[n - 2] = 0;   /* internal nodes' depths */
    for (next = n - 3; next >= 0; next--)
        a[next] = a[a[next]] + 1;
    int avail = 1, used = 0;   /* leaves' depths */
    uint32_t depth = 0;
    root = n - 2;
    next = n - 1;
    while (avail > 0) {
        while (root >= 0 && a[root] == depth) {
            used++;
            root--;
        }
        while (avail > used) {
            a[next--] = depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
}

/* Code lengths len[0, m) for the counts freq[0, m): a Huffman code's, at most
 * maxbits long (the counts are halved until it fits), complete (Kraft sum 1,
 * as zlib's inflate insists): with one symbol used, a second gets length 1 too. */
static void code_lengths(const uint32_t *freq, int m, int maxbits, uint8_t *len)
{
    uint64_t key[NLIT];
    uint32_t a[NLIT];
    int k = 0;
    memset(len, 0, (size_t)m);
    for (int s = 0; s < m; s++)
        if (freq[s] > 0)
            key[k++] = (uint64_t)freq[s] << 16 | (uint64_t)s;   /* ties by symbol */
    if (k < 2) {
        int s = k == 1 ? (int)(key[0] & 0xffff) : 0;
        len[s] = 1;
        len[s == 0 ? 1 : 0] = 1;
        return;
    }
    sort_keys(key, (size_t)k);
    for (unsigned shift = 0;; shift++) {
        for (int i = 0; i < k; i++) {
            uint32_t f = (uint32_t)(key[i] >> 16) >> shift;   /* monotone: still ascending */
            a[i] = f > 0 ? f : 1;
        }
        huffman_in_place(a, k);
        if (a[0] <= (uint32_t)maxbits)
            break;
    }
    for (int i = 0; i < k; i++)
        len[key[i] & 0xffff] = (uint8_t)a[i];
}

/* The canonical codes of len[0, m) (RFC 1951 §3.2.2), bit-reversed for put(). */
static void canonical_codes(const uint8_t *len, int m, uint16_t *code)
{
    unsigned count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1];
    for (int s = 0; s < m; s++)
        count[len[s]]++;
    count[0] = 0;
    unsigned c = 0;
    for (int b = 1; b <= MAX_BITS; b++) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (int s = 0; s < m; s++) {
        code[s] = 0;
        if (len[s] == 0)
            continue;
        unsigned v = next[len[s]]++, r = 0;
        for (int b = 0; b < len[s]; b++, v >>= 1)
            r = r << 1 | (v & 1);
        code[s] = (uint16_t)r;
    }
}

/* --- one plane ---------------------------------------------------------------- */

/* x[0, n) as tokens: a byte (< 256), or 256 + the length of a run repeating
 * the byte before it (a match at distance 1); counts the literal/length symbols. */
static size_t tokenise(const unsigned char *x, size_t n, uint16_t *tok, uint32_t *freq)
{
    size_t t = 0;
    tok[t++] = x[0];
    freq[x[0]]++;
    for (size_t i = 1; i < n;) {
        unsigned char c = x[i - 1];
        size_t r = 0;
        if (x[i] == c) {
            size_t lim = n - i < RUN_MAX ? n - i : RUN_MAX;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            uint64_t pat = UINT64_C(0x0101010101010101) * c;
            while (r + 8 <= lim) {
                uint64_t v;
                memcpy(&v, x + i + r, sizeof v);
                if (v != pat) {
                    r += (size_t)__builtin_ctzll(v ^ pat) / 8;   /* the first byte that differs */
                    goto counted;
                }
                r += 8;
            }
#endif
            while (r < lim && x[i + r] == c)
                r++;
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    counted:
#endif
        if (r >= RUN_MIN) {
            tok[t++] = (uint16_t)(256 + r);
            freq[257 + len_symbol((unsigned)r)]++;
            i += r;
        } else {
            tok[t++] = x[i];
            freq[x[i]]++;
            i++;
        }
    }
    return t;
}

/* The bits of n bytes in stored blocks, at most (each: 3 header bits, up to 7
 * to the byte boundary, LEN and NLEN). */
static uint64_t stored_bits(size_t n)
{
    size_t blocks = n == 0 ? 1 : (n + STORED_MAX - 1) / STORED_MAX;
    return 8 * (uint64_t)n + 42 * (uint64_t)blocks;
}

static void put_stored(bits_t *w, const unsigned char *x, size_t n, int final)
{
    size_t at = 0;
    do {
        size_t m = n - at < STORED_MAX ? n - at : STORED_MAX;
        put(w, final && at + m == n, 1);   /* BFINAL; BTYPE 00: stored */
        put(w, 0, 2);
        align(w);
        w->p[0] = (unsigned char)(m & 0xff);
        w->p[1] = (unsigned char)(m >> 8);
        w->p[2] = (unsigned char)(~m & 0xff);
        w->p[3] = (unsigned char)((~m >> 8) & 0xff);
        memcpy(w->p + 4, x + at, m);
        w->p += 4 + m;
        at += m;
    } while (at < n);
}

/* Plane x[0, n) as one dynamic block of literals and runs, or stored when that
 * would not be smaller. */
static void put_plane(bits_t *w, const unsigned char *x, size_t n, int final, uint16_t *tok)
{
    uint32_t freq[NLIT] = {0};
    size_t ntok = tokenise(x, n, tok, freq);
    freq[256] = 1;   /* end of block */
    uint8_t len[NLIT];
    uint16_t code[NLIT];
    code_lengths(freq, NLIT, MAX_BITS, len);
    int nlit = NLIT;
    while (len[nlit - 1] == 0)
        nlit--;
    /* the literal/length lengths and two distance codes of one bit (only
     * distance 1 is used; two keep the code complete), run-length coded */
    uint8_t all[NLIT + 2], sym[NLIT + 2], extra[NLIT + 2];
    memcpy(all, len, (size_t)nlit);
    all[nlit] = all[nlit + 1] = 1;
    int total = nlit + 2, nsym = 0;
    uint32_t clfreq[NCL] = {0};
    for (int i = 0; i < total;) {
        uint8_t v = all[i];
        int r = 1;
        while (i + r < total && all[i + r] == v)
            r++;
        i += r;
        if (v == 0) {
            for (; r >= 11; nsym++) {
                int c = r < 138 ? r : 138;
                sym[nsym] = 18;
                extra[nsym] = (uint8_t)(c - 11);
                r -= c;
            }
            if (r >= 3) {
                sym[nsym] = 17;
                extra[nsym++] = (uint8_t)(r - 3);
                r = 0;
            }
        } else {
            sym[nsym] = v;
            extra[nsym++] = 0;
            for (r--; r >= 3; nsym++) {
                int c = r < 6 ? r : 6;
                sym[nsym] = 16;
                extra[nsym] = (uint8_t)(c - 3);
                r -= c;
            }
        }
        for (; r > 0; r--) {
            sym[nsym] = v;
            extra[nsym++] = 0;
        }
    }
    for (int k = 0; k < nsym; k++)
        clfreq[sym[k]]++;
    uint8_t cllen[NCL];
    uint16_t clcode[NCL];
    code_lengths(clfreq, NCL, MAX_CL_BITS, cllen);
    canonical_codes(cllen, NCL, clcode);
    int hclen = NCL;
    while (hclen > 4 && cllen[cl_order[hclen - 1]] == 0)
        hclen--;

    static const uint8_t cl_extra[NCL] = { [16] = 2, [17] = 3, [18] = 7 };
    uint64_t bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)hclen;
    for (int k = 0; k < nsym; k++)
        bits += cllen[sym[k]] + cl_extra[sym[k]];
    for (int s = 0; s < nlit; s++)
        bits += (uint64_t)freq[s] * (len[s] + (s > 256 ? len_extra[s - 257] + 1u : 0u));
    if (bits >= stored_bits(n)) {
        put_stored(w, x, n, final);
        return;
    }

    canonical_codes(len, nlit, code);
    put(w, final != 0, 1);
    put(w, 2, 2);   /* BTYPE 10: dynamic Huffman codes */
    put(w, (uint32_t)(nlit - 257), 5);
    put(w, 2 - 1, 5);
    put(w, (uint32_t)(hclen - 4), 4);
    for (int k = 0; k < hclen; k++)
        put(w, cllen[cl_order[k]], 3);
    for (int k = 0; k < nsym; k++) {
        put(w, clcode[sym[k]], cllen[sym[k]]);
        if (cl_extra[sym[k]])
            put(w, extra[k], cl_extra[sym[k]]);
    }
    for (size_t k = 0; k < ntok; k++) {
        unsigned t = tok[k];
        if (t < 256) {
            put(w, code[t], len[t]);
        } else {
            unsigned r = t - 256;
            int s = len_symbol(r);
            put(w, code[257 + s], len[257 + s]);
            if (len_extra[s])
                put(w, r - len_base[s], len_extra[s]);
            put(w, 0, 1);   /* distance code 0: distance 1 */
        }
    }
    put(w, code[256], len[256]);
}

size_t zplanes_bound(size_t nplanes, size_t plane)
{
    /* zlib header and checksum, the last byte boundary, each plane stored at most */
    return 2 + 4 + 1 + nplanes * ((size_t)(stored_bits(plane) + 7) / 8);
}

size_t zplanes_deflate(const unsigned char *sh, size_t nplanes, size_t plane, uint16_t *tok,
                       unsigned char *out, size_t cap)
{
    if (nplanes == 0 || plane == 0 || cap < zplanes_bound(nplanes, plane))
        return 0;
    bits_t w = { 0, 0, out };
    *w.p++ = 0x78;   /* zlib header: deflate, 32 KiB window, "fastest" level */
    *w.p++ = 0x01;
    for (size_t j = 0; j < nplanes; j++) {
        const unsigned char *x = sh + j * plane;
        int final = j + 1 == nplanes;
        if (zplanes_is_noise(x, plane))
            put_stored(&w, x, plane, final);
        else
            put_plane(&w, x, plane, final, tok);
    }
    align(&w);
    assert((size_t)(w.p - out) + 4 <= cap);   /* the bound's argument: each plane at most stored */
    uint32_t a = libdeflate_adler32(1, sh, nplanes * plane);
    for (int j = 3; j >= 0; j--)
        *w.p++ = (unsigned char)(a >> (8 * j));   /* big-endian */
    return (size_t)(w.p - out);
}
