/*
 * Text helpers for the scenario layer (see text.h). They work on bytes and
 * allocate nothing: the edit distance keeps one row of the dynamic-programming
 * table on the stack, which is why words are bounded. Home-made where no
 * dependency has the function: the edit distance is the textbook Levenshtein
 * recurrence; UTF-8 is decoded here rather than by mbrtowc, whose result
 * would depend on the process's locale; printf has no shortest round-trip
 * format for doubles.
 */
#include "text.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t text_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[TEXT_EDIT_MAX + 1];
    if (la > TEXT_EDIT_MAX || lb > TEXT_EDIT_MAX)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

int text_near(size_t len, size_t d)
{
    return d <= (len < 6 ? 2 : len / 3 + 1);
}

size_t text_utf8_decode(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0], v, lo;
    size_t more;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* C0 and C1 could only start overlong forms, F5..F7 code points above
     * U+10FFFF; F8..FF start nothing */
    if (c >= 0xc2 && c <= 0xdf) {
        more = 1;
        v = c & 0x1f;
        lo = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        more = 2;
        v = c & 0x0f;
        lo = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        more = 3;
        v = c & 0x07;
        lo = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i <= more; i++) {
        if ((s[i] & 0xc0) != 0x80)          /* also stops at the NUL */
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    /* lo: the shortest form rule (E0 80 80 is an overlong U+0000) */
    if (v < lo || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return more + 1;
}

size_t text_control(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if ((u[0] > 0 && u[0] < 0x20) || u[0] == 0x7f)
        return 1;
    if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)     /* U+0080..U+009F: C1, CSI among them */
        return 2;
    return 0;
}

const char *text_copy(const char *s, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    size_t n = strlen(s);
    if (n >= len) {
        n = len - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;                            /* s[n] continues a character: cut before its lead byte */
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

const char *text_show(const char *s, char *buf, size_t len)
{
    size_t n = 0, i = 0;
    size_t max = len > 4 ? len - 4 : 0;
    if (len == 0)
        return buf;
    if (max > TEXT_SHOW_MAX)
        max = TEXT_SHOW_MAX;
    while (s[i] && n < max) {
        size_t c = text_control(s + i);
        buf[n++] = c ? '?' : s[i];
        i += c ? c : 1;
    }
    if (s[i] && len > 4) {
        while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
            n--;                            /* continuation bytes of a cut character */
        if (n > 0 && (unsigned char)buf[n - 1] >= 0xc0)
            n--;                            /* its lead byte */
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Bytes saved by cutting every word longer than `cap` down to `cap`. */
static size_t fit_savings(const char *s, size_t cap)
{
    size_t saved = 0;
    for (size_t i = 0; s[i];) {
        size_t w = 0;
        while (s[i + w] && !is_blank(s[i + w]))
            w++;
        if (w > cap)
            saved += w - cap;
        i += w;
        while (is_blank(s[i]))
            i++;
    }
    return saved;
}

const char *text_fit(const char *s, char *buf, size_t len)
{
    size_t total = strlen(s);
    if (len == 0)
        return buf;
    if (total < len) {
        memcpy(buf, s, total + 1);
        return buf;
    }
    /* the largest cap on words that saves enough: words longer than it are cut to it */
    size_t excess = total - (len - 1), lo = TEXT_FIT_WORD, hi = total;
    bool enough = fit_savings(s, lo) >= excess;
    if (!enough) {
        hi = lo;
    } else {
        while (lo < hi) {
            size_t mid = lo + (hi - lo + 1) / 2;
            if (fit_savings(s, mid) >= excess)
                lo = mid;
            else
                hi = mid - 1;
        }
    }
    size_t cap = hi, n = 0, i = 0;
    while (s[i] && n + 1 < len) {
        size_t w = 0;
        while (s[i + w] && !is_blank(s[i + w]))
            w++;
        size_t head = w, tail = 0;
        if (w > cap) {
            /* a third before the cut, the rest after it: a path's end says most */
            head = (cap - 3) / 3;
            tail = cap - 3 - head;
            while (head > 0 && ((unsigned char)s[i + head] & 0xc0) == 0x80)
                head--;                     /* not inside a UTF-8 character */
            while (tail > 0 && ((unsigned char)s[i + w - tail] & 0xc0) == 0x80)
                tail--;
        }
        for (size_t k = 0; k < head && n + 1 < len; k++)
            buf[n++] = s[i + k];
        if (w > cap) {
            for (size_t k = 0; k < 3 && n + 1 < len; k++)
                buf[n++] = '.';
            for (size_t k = w - tail; k < w && n + 1 < len; k++)
                buf[n++] = s[i + k];
        }
        i += w;
        while (is_blank(s[i]) && n + 1 < len)
            buf[n++] = s[i++];
    }
    if (!enough && len > 4 && n >= len - 4) {   /* the end is cut, and says so */
        n = len - 4;
        while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
            n--;
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

const char *text_double(double v, char *buf, size_t len)
{
    /* the precision grows from the integer digits (20 as "20", not "2e+01")
     * until strtod reads the text back to v; 17 digits always do */
    int first = fabs(v) >= 1.0 && fabs(v) < 1e15 ? (int)floor(log10(fabs(v))) + 1 : 1;
    for (int prec = first; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

char *text_vformat(char *local, size_t size, int *n, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    char *text = local;
    *n = vsnprintf(local, size, fmt, ap);
    if (*n >= (int)size && (text = malloc((size_t)*n + 1)) != NULL)
        vsnprintf(text, (size_t)*n + 1, fmt, again);
    else if (*n >= (int)size)
        text = local;
    va_end(again);
    return text;
}
