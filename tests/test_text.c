/* Text helpers: the Levenshtein distance behind "did you mean" (hand-computed
 * distances, the 63-byte bound), strict UTF-8 decoding (every length, the
 * edges of each range, overlong forms, surrogates, code points above U+10FFFF,
 * cut sequences), the "did you mean" threshold, copies cut on a character's
 * boundary, and the shortest text of a double. */
#include "test_util.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static size_t dist(const char *a, const char *b)
{
    return text_edit_distance(a, strlen(a), b, strlen(b));
}

static void test_edit_distance_words(void **state)
{
    (void)state;
    /* k->s, e->i, +g */
    assert_int_equal(dist("kitten", "sitting"), 3);
    assert_int_equal(dist("sitting", "kitten"), 3);
    /* -f, +n */
    assert_int_equal(dist("flaw", "lawn"), 2);
    assert_int_equal(dist("mnt", "mint"), 1);
    assert_int_equal(dist("inflation_mx", "inflation_max"), 1);
    assert_int_equal(dist("days", "days"), 0);
    /* bytes, not characters: "é" is two bytes (a substitution and a deletion) */
    assert_int_equal(dist("caf\xc3\xa9", "cafe"), 2);
}

static void test_edit_distance_empty(void **state)
{
    (void)state;
    assert_int_equal(dist("", ""), 0);
    assert_int_equal(dist("", "abc"), 3);
    assert_int_equal(dist("abcd", ""), 4);
    /* the lengths count, not a NUL: "kitten" is the first 6 bytes */
    assert_int_equal(text_edit_distance("kittens!", 6, "sitting", 7), 3);
    assert_int_equal(text_edit_distance("abc", 0, "xyz", 0), 0);
}

static void test_edit_distance_long_words(void **state)
{
    (void)state;
    char a63[64], b63[64], a64[65];
    memset(a63, 'a', 63);
    a63[63] = '\0';
    memcpy(b63, a63, sizeof b63);
    b63[62] = 'b';
    memset(a64, 'a', 64);
    a64[64] = '\0';
    /* 63 bytes is the longest word measured */
    assert_int_equal(dist(a63, b63), 1);
    assert_int_equal(dist(a63, ""), 63);
    assert_int_equal(dist("", a63), 63);
    /* 64 bytes on either side: not measured */
    assert_true(dist(a64, a63) == SIZE_MAX);
    assert_true(dist(a63, a64) == SIZE_MAX);
    assert_true(dist(a64, a64) == SIZE_MAX);
    assert_true(dist(a64, "") == SIZE_MAX);
    assert_true(dist("", a64) == SIZE_MAX);
}

/* What *cp holds before a decode: a refusal must leave it so. */
#define UNTOUCHED 0xdeadu

typedef struct {
    const char *bytes;
    size_t len;                 /* bytes decoded; 0: refused */
    unsigned cp;                /* the code point; UNTOUCHED when refused */
} decode_case_t;

static const decode_case_t valid[] = {
    {"A", 1, 0x41},
    {"", 1, 0},                                 /* the NUL is a character */
    {"\x7f", 1, 0x7f},
    /* two bytes: U+0080 (the shortest), é, U+07FF (the longest) */
    {"\xc2\x80", 2, 0x80},
    {"\xc3\xa9", 2, 0xe9},
    {"\xdf\xbf", 2, 0x7ff},
    /* three bytes: U+0800, €, either side of the surrogates, U+FFFF */
    {"\xe0\xa0\x80", 3, 0x800},
    {"\xe2\x82\xac", 3, 0x20ac},
    {"\xed\x9f\xbf", 3, 0xd7ff},
    {"\xee\x80\x80", 3, 0xe000},
    {"\xef\xbf\xbf", 3, 0xffff},
    /* four bytes: U+10000, an emoji, U+10FFFF (the last code point) */
    {"\xf0\x90\x80\x80", 4, 0x10000},
    {"\xf0\x9f\x98\x80", 4, 0x1f600},
    {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
    /* one character at a time: what follows does not matter */
    {"\xc3\xa9\xff", 2, 0xe9},
    {"ab", 1, 'a'},
};

#define BAD(s) {s, 0, UNTOUCHED}
static const decode_case_t invalid[] = {
    /* overlong forms: U+0000 in two and three bytes, U+007F, U+07FF, U+FFFF */
    BAD("\xc0\x80"), BAD("\xc1\xbf"), BAD("\xe0\x80\x80"), BAD("\xe0\x9f\xbf"),
    BAD("\xf0\x8f\xbf\xbf"),
    /* surrogates U+D800 and U+DFFF */
    BAD("\xed\xa0\x80"), BAD("\xed\xbf\xbf"),
    /* above U+10FFFF: U+110000, and lead bytes that can only start such */
    BAD("\xf4\x90\x80\x80"), BAD("\xf5\x80\x80\x80"), BAD("\xf7\xbf\xbf\xbf"),
    BAD("\xf8\x88\x80\x80\x80"), BAD("\xff"),
    /* a continuation byte alone; sequences cut by the NUL or by another character */
    BAD("\x80"), BAD("\xbf"), BAD("\xc3"), BAD("\xe2\x82"), BAD("\xf0\x9f\x98"),
    BAD("\xe2\x82" "A"), BAD("\xf0\x9f\x98\xc3\xa9"),
};
#undef BAD

static void check_decode(const decode_case_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned cp = UNTOUCHED;
        size_t len = text_utf8_decode((const unsigned char *)c[i].bytes, &cp);
        if (len != c[i].len || cp != c[i].cp)
            fail_msg("case %zu (from byte 0x%02X): got %zu bytes, U+%04X; want %zu, U+%04X", i,
                     (unsigned char)c[i].bytes[0], len, cp, c[i].len, c[i].cp);
    }
}

static void test_utf8_valid(void **state)
{
    (void)state;
    check_decode(valid, sizeof valid / sizeof valid[0]);
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    check_decode(invalid, sizeof invalid / sizeof invalid[0]);
}

/* Text quoted back in messages: one line, at most TEXT_SHOW_MAX bytes, cut on a character. */
static void test_show(void **state)
{
    (void)state;
    char buf[TEXT_SHOW_MAX + 8], big[200];
    assert_string_equal(text_show("plain", buf, sizeof buf), "plain");
    assert_string_equal(text_show("a\nb\tc\x1b[0m\x7f", buf, sizeof buf), "a?b?c?[0m?");
    /* C1 controls in UTF-8 (U+009B is CSI): one '?' each; other characters kept */
    assert_string_equal(text_show("x\xc2\x9b" "31m\xc2\x80\xc2\xa0\xc3\xa9", buf, sizeof buf), "x?31m?\xc2\xa0\xc3\xa9");
    assert_int_equal(text_control("\xc2\x9f"), 2);
    assert_int_equal(text_control("\xc2\xa0"), 0);
    assert_int_equal(text_control("\n"), 1);
    assert_int_equal(text_control(""), 0);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    text_show(big, buf, sizeof buf);
    assert_int_equal(strlen(buf), TEXT_SHOW_MAX + 3);
    assert_string_equal(buf + TEXT_SHOW_MAX, "...");
    /* a 2-byte character straddling the cut is dropped whole */
    memset(big, 'x', sizeof big - 1);
    memcpy(big + TEXT_SHOW_MAX - 1, "\xc3\xa9", 2);
    text_show(big, buf, sizeof buf);
    assert_int_equal(strlen(buf), TEXT_SHOW_MAX - 1 + 3);
    /* a small buffer: no overflow */
    char tiny[6];
    text_show("abcdefgh", tiny, sizeof tiny);
    assert_string_equal(tiny, "ab...");
    text_show("abcdefgh", tiny, 2);
    assert_int_equal(strlen(tiny), 0);
}

/* A message too long for its slot keeps its reason: the long words (paths)
 * are cut in the middle, the longest first, down to the same length. */
static void test_fit(void **state)
{
    (void)state;
    char buf[128], msg[600], dir[400];
    assert_string_equal(text_fit("short: fine", buf, sizeof buf), "short: fine");
    /* one path of 300 bytes: cut in the middle, the reason whole */
    memset(dir, 'd', 300);
    dir[300] = '\0';
    snprintf(msg, sizeof msg, "/%s/file.yaml:3:1: cannot open scenario: No such file or directory", dir);
    text_fit(msg, buf, sizeof buf);
    assert_true(strlen(buf) < sizeof buf);
    assert_true(strlen(buf) >= sizeof buf - 8);         /* as much as fits */
    assert_non_null(strstr(buf, "..."));
    assert_true(!strncmp(buf, "/ddd", 4));
    const char *tail = "d/file.yaml:3:1: cannot open scenario: No such file or directory";
    assert_string_equal(buf + strlen(buf) - strlen(tail), tail);
    /* two paths: both cut, to the same length */
    snprintf(msg, sizeof msg, "/%.150s/a.yaml:1:1: base: /%.150s/b.yaml: cannot open scenario", dir, dir);
    text_fit(msg, buf, sizeof buf);
    assert_true(strlen(buf) < sizeof buf);
    assert_non_null(strstr(buf, "/a.yaml:1:1: base: /"));
    assert_non_null(strstr(buf, "/b.yaml: cannot open scenario"));
    char *second = strstr(buf, " base: ") + 7;
    assert_int_equal(strcspn(buf, " "), strcspn(second, " "));
    /* short words only: the end is cut, and says so */
    memset(msg, 0, sizeof msg);
    for (size_t i = 0; i + 6 < 400; i += 6)
        memcpy(msg + i, "words ", 6);
    text_fit(msg, buf, sizeof buf);
    assert_int_equal(strlen(buf), sizeof buf - 1);
    assert_string_equal(buf + sizeof buf - 4, "...");
    /* a cut never splits a UTF-8 character */
    char utf[600] = "/";
    for (int i = 0; i < 150; i++)
        strcat(utf, "\xc3\xa9");
    strcat(utf, "/x.yaml: the reason");
    text_fit(utf, buf, 64);
    unsigned cp;
    for (const unsigned char *u = (const unsigned char *)buf; *u;) {
        size_t n = text_utf8_decode(u, &cp);
        assert_true(n > 0);
        u += n;
    }
    assert_non_null(strstr(buf, "/x.yaml: the reason"));
    /* no room: nothing written past the buffer */
    text_fit("abc", buf, 0);
    text_fit("abcdef", buf, 3);
    assert_int_equal(strlen(buf), 2);
}

static void test_near(void **state)
{
    (void)state;
    assert_true(text_near(4, 2));           /* "mnt" for "mint" and worse: short words, 2 edits */
    assert_false(text_near(5, 3));
    assert_true(text_near(12, 5));          /* 12 bytes: 12 / 3 + 1 */
    assert_false(text_near(12, 6));
    assert_false(text_near(100, SIZE_MAX)); /* a word too long to measure */
}

static void test_copy(void **state)
{
    (void)state;
    char buf[6];
    assert_string_equal(text_copy("abc", buf, sizeof buf), "abc");
    assert_string_equal(text_copy("abcde", buf, sizeof buf), "abcde");
    assert_string_equal(text_copy("abcdefg", buf, sizeof buf), "abcde");
    /* "é" (2 bytes) or "€" (3) across the end: left out whole */
    assert_string_equal(text_copy("abcd\xc3\xa9", buf, sizeof buf), "abcd");
    assert_string_equal(text_copy("abc\xc3\xa9x", buf, sizeof buf), "abc\xc3\xa9");
    assert_string_equal(text_copy("ab\xe2\x82\xac\xe2\x82\xac", buf, sizeof buf), "ab\xe2\x82\xac");
    assert_string_equal(text_copy("abc\xe2\x82\xac", buf, sizeof buf), "abc");
    assert_string_equal(text_copy("\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80", buf, sizeof buf), "\xf0\x9f\x9a\x80");
    assert_string_equal(text_copy("anything", buf, 1), "");
}

static void test_double(void **state)
{
    (void)state;
    char buf[TEXT_DOUBLE_MAX];
    assert_string_equal(text_double(0.15, buf, sizeof buf), "0.15");
    assert_string_equal(text_double(20, buf, sizeof buf), "20");
    assert_string_equal(text_double(5256000, buf, sizeof buf), "5256000");
    assert_string_equal(text_double(0.1 + 0.2, buf, sizeof buf), "0.30000000000000004");
    assert_string_equal(text_double(-1.5, buf, sizeof buf), "-1.5");
    assert_string_equal(text_double(-0.0, buf, sizeof buf), "-0");
    assert_string_equal(text_double(1e300, buf, sizeof buf), "1e+300");
    assert_string_equal(text_double(5e-324, buf, sizeof buf), "5e-324");
    /* every one reads back exactly, the longest included */
    const double v[] = {1.0 / 3.0, -DBL_MIN, DBL_MAX, 9007199254740993.0, 123456789012345.6, 1e15, 0.1};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        text_double(v[i], buf, sizeof buf);
        assert_true(strtod(buf, NULL) == v[i]);
        assert_true(strlen(buf) < TEXT_DOUBLE_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance_words),
        cmocka_unit_test(test_edit_distance_empty),
        cmocka_unit_test(test_edit_distance_long_words),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_show),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_double),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
