/* Shared by the tests of scenario files (tests/test_scenario*.c,
 * tests/test_event_rules.c): temporary files, loading that must succeed, and
 * loading that must fail with SIM_EINVAL, given substrings and the params
 * untouched. Paths under FIX are relative to the repository root. */
#ifndef TESTS_SCENARIO_FIXTURES_H
#define TESTS_SCENARIO_FIXTURES_H

#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

#define FIX "tests/fixtures/"

/* Every registry parameter of a and b has the same text. */
static inline void assert_params_equal(const params_t *a, const params_t *b)
{
    size_t n;
    const param_def_t *t = params_table(&n);
    for (size_t i = 0; i < n; i++) {
        char x[PARAMS_TEXT_MAX + 8], y[PARAMS_TEXT_MAX + 8];
        params_format(a, &t[i], x, sizeof x);
        params_format(b, &t[i], y, sizeof y);
        if (strcmp(x, y) != 0)
            fail_msg("%s: '%s' != '%s'", t[i].name, x, y);
    }
}

/* A temporary file holding `len` bytes of `text`; the caller unlinks and frees the name. */
static inline char *temp_file(const void *text, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(512);
    assert_non_null(path);
    snprintf(path, 512, "%s/tokensim-test-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *p = text;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        assert_true(w > 0);
        p += w;
        len -= (size_t)w;
    }
    close(fd);
    return path;
}

static inline char *temp_text(const char *text)
{
    return temp_file(text, strlen(text));
}

/* Load `path` expecting SIM_EINVAL and a message holding each of the NULL-terminated
 * substrings; the params must be left untouched. */
static inline void expect_error_v(const char *path, const char *const want[])
{
    params_t p, before;
    params_defaults(&p);
    p.days = 4242;                              /* a sentinel that must survive */
    before = p;
    sim_error_t err;
    sim_error_clear(&err);
    sim_status_t st = scenario_load(path, &p, &err);
    if (st != SIM_EINVAL)
        fail_msg("%s: status %d (want SIM_EINVAL), message '%s'", path, (int)st, err.msg);
    assert_int_equal(err.code, SIM_EINVAL);
    for (int i = 0; want[i]; i++)
        if (!strstr(err.msg, want[i]))
            fail_msg("%s: message '%s' lacks '%s'", path, err.msg, want[i]);
    assert_memory_equal(&p, &before, sizeof p);
}

#define expect_error(path, ...) expect_error_v((path), (const char *const[]){__VA_ARGS__, NULL})

static inline void expect_text_error(const char *text, const char *want)
{
    char *path = temp_text(text);
    expect_error(path, path, want);
    unlink(path);
    free(path);
}

static inline void load_ok(const char *path, params_t *p)
{
    sim_error_t err;
    sim_error_clear(&err);
    sim_status_t st = scenario_load(path, p, &err);
    if (st != SIM_OK)
        fail_msg("%s: %s", path, err.msg);
    assert_int_equal(err.code, SIM_OK);
}

static inline void load_text_ok(const char *text, params_t *p)
{
    char *path = temp_text(text);
    load_ok(path, p);
    unlink(path);
    free(path);
}

#endif
