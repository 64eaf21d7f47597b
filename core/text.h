/*
 * Text helpers for the scenario layer: the edit distance behind "did you
 * mean" suggestions, strict UTF-8 decoding (no overlong forms, no
 * surrogates, nothing above U+10FFFF) for text values, messages that fit,
 * and numbers written back exactly. Lengths are in bytes.
 */
#ifndef SIM_TEXT_H
#define SIM_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/* Longest word text_edit_distance measures (names and sections are shorter). */
#define TEXT_EDIT_MAX 63

/* Levenshtein distance between a[0..la) and b[0..lb) (insertions, deletions
 * and substitutions of bytes cost 1 each); SIZE_MAX when either word is
 * longer than TEXT_EDIT_MAX bytes. Neither needs a terminating NUL. */
size_t text_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/* Whether a word of `len` bytes at edit distance `d` from a name is close
 * enough for "did you mean" to offer the name: 2 edits for words under 6
 * bytes, else a third of the word and one. */
int text_near(size_t len, size_t d);

/* Decode the character at s: its length in bytes (1 to 4) with the code
 * point in *cp, or 0 when the bytes there are not well-formed UTF-8 (then
 * *cp is unchanged). A NUL byte decodes as U+0000, length 1. s must be
 * NUL-terminated: reading stops at the first byte that does not continue
 * the character. */
size_t text_utf8_decode(const unsigned char *s, unsigned *cp);

/* The length in bytes of the control character at s, 0 when there is none:
 * C0 (newline and tab included) and DEL, 1 byte; C1 (U+0080..U+009F, which
 * terminals take as escapes too) encoded in UTF-8, 2 bytes. */
size_t text_control(const char *s);

/* A copy of s into buf[len]; a longer s is cut at the end of the last whole
 * UTF-8 character that fits, so that the copy stays well-formed. Returns buf. */
const char *text_copy(const char *s, char *buf, size_t len);

/* Longest text text_show copies (then "..." follows). */
#define TEXT_SHOW_MAX 80

/* A copy of s fit for a one-line message, into buf[len]: at most
 * TEXT_SHOW_MAX bytes, cut on a UTF-8 boundary with "..." appended, control
 * characters (text_control) shown as '?'. Returns buf. */
const char *text_show(const char *s, char *buf, size_t len);

/* Words (runs of non-blanks) text_fit leaves whole: paths are longer. */
#define TEXT_FIT_WORD 40

/* A copy of the message s into buf[len] that keeps every word of its reason:
 * when s is too long, its longest words (the paths it quotes) are cut in the
 * middle ("/very/lo...ing/file.yaml:3:1:"), each down to the same length, no
 * shorter than TEXT_FIT_WORD bytes, as far as needed; only when that is not
 * enough is the end cut. Returns buf. */
const char *text_fit(const char *s, char *buf, size_t len);

/* vsnprintf whole: into local[size] when it fits, else into a malloc'd buffer
 * (the caller frees it when it is not local); out of memory, local holds the
 * text cut short. *n is vsnprintf's count (< 0: it could not be formatted). */
char *text_vformat(char *local, size_t size, int *n, const char *fmt, va_list ap);

/* Room for text_double's longest text ("-2.2250738585072014e-308"). */
#define TEXT_DOUBLE_MAX 32

/* The shortest text that strtod reads back to the finite double v, into
 * buf[len] (len >= TEXT_DOUBLE_MAX): 0.15, not 0.14999999999999999; 20, not
 * 2e+01. Returns buf. */
const char *text_double(double v, char *buf, size_t len);

#endif
