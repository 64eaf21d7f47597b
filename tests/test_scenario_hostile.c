/* Hostile scenario files: garbage, deep nesting, huge files, many values,
 * alias bombs and sizes that would exhaust memory are refused cleanly
 * (SIM_EINVAL naming the file, no crash, no leak); anchors and aliases that
 * resolve to values load. Run from the repository root. */
#include "scenario_fixtures.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world.h"

/* Deterministic pseudo-random bytes: no crash, no leak, SIM_EINVAL or a clean load. */
static void test_garbage(void **state)
{
    (void)state;
    enum { LEN = 1 << 16 };
    static const char soup[] = " \n:-[]{}#&*!|>'\"%@,?abc01";
    unsigned char *buf = malloc(LEN);
    assert_non_null(buf);
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < LEN; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = (unsigned char)x;
            if (round >= 4)                                 /* printable soup: reaches the parser */
                buf[i] = (unsigned char)soup[x % (sizeof soup - 1)];
        }
        char *path = temp_file(buf, LEN);
        params_t p;
        sim_error_t err;
        sim_error_clear(&err);
        sim_status_t st = scenario_load(path, &p, &err);
        assert_int_equal(st, SIM_EINVAL);
        assert_non_null(strstr(err.msg, path));
        unlink(path);
        free(path);
    }
    free(buf);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 1000000;
    char *text = malloc(depth + 16);
    assert_non_null(text);
    memcpy(text, "days: ", 6);
    memset(text + 6, '[', depth);
    char *path = temp_file(text, depth + 6);
    expect_error(path, path, ":1:", "nested more than 64 levels deep");
    unlink(path);
    free(path);

    /* block style nesting too */
    size_t pos = 0;
    for (int i = 0; i < 100; i++) {
        for (int j = 0; j < i; j++)
            text[pos++] = ' ';
        memcpy(text + pos, "a:\n", 3);
        pos += 3;
    }
    path = temp_file(text, pos);
    expect_error(path, path, "nested more than 64 levels deep");
    unlink(path);
    free(path);
    free(text);

    /* the top-level mapping and 63 lists are fine for the parser (then an unknown key);
     * 64 lists are one level too many */
    for (int lists = 63; lists <= 64; lists++) {
        char ok[200];
        memcpy(ok, "x: ", 3);
        memset(ok + 3, '[', (size_t)lists);
        memset(ok + 3 + lists, ']', (size_t)lists);
        strcpy(ok + 3 + 2 * lists, "\n");
        expect_text_error(ok, lists == 63 ? "unknown parameter 'x'" : "nested more than 64 levels deep");
    }
}

static void test_huge(void **state)
{
    (void)state;
    /* a sparse file just over the limit: refused before reading */
    char *path = temp_text("");
    assert_int_equal(truncate(path, (16 << 20) + 1), 0);
    expect_error(path, path, "too large", "16 MiB");
    unlink(path);
    free(path);
    /* a device with no end: refused before reading */
    expect_error("/dev/zero", "/dev/zero: cannot read scenario: not a regular file");

    /* many values: refused before libyaml builds a tree for them */
    size_t n = 1100000, len = 0;
    char *text = malloc(2 * n + 16);
    assert_non_null(text);
    len += (size_t)sprintf(text, "x: [");
    for (size_t i = 0; i < n; i++) {
        text[len++] = '1';
        text[len++] = ',';
    }
    text[len++] = ']';
    path = temp_file(text, len);
    expect_error(path, path, "more than 1000000 values");
    unlink(path);
    free(path);
    free(text);

    /* a large file of comments under the limit loads */
    size_t big = 4u << 20;
    text = malloc(big + 64);
    assert_non_null(text);
    for (len = 0; len + 40 < big;) {
        memcpy(text + len, "# a comment line, long enough: xxxxxxx\n", 39);
        len += 39;
    }
    len += (size_t)sprintf(text + len, "days: 77\n");
    path = temp_file(text, len);
    params_t p;
    load_ok(path, &p);
    assert_int_equal(p.days, 77);
    unlink(path);
    free(path);
    free(text);
}

/* Anchors and aliases are supported: libyaml resolves an alias to the node it
 * names without copying it, so a "billion laughs" costs one node an alias and
 * is refused at the first value of the wrong shape. Merge keys are refused. */
static void test_anchors_aliases(void **state)
{
    (void)state;
    params_t p;
    load_text_ok("mint:\n  inflation_min: &low 0.07\n  inflation: *low\n"
                 "resources:\n  h100: &gpu {order_units_median: 2.5, duration_median_days: 3}\n  a100: *gpu\n", &p);
    assert_true(p.mint.inflation_min == 0.07 && p.mint.inflation == 0.07);
    assert_true(p.resources[RES_A100].order_units_median == 2.5);
    assert_true(p.resources[RES_H100].duration_median_days == 3);

    /* nine levels of nine: 9^9 "lol"s if expanded */
    char bomb[2048];
    size_t len = (size_t)sprintf(bomb, "description: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int k = 1; k < 9; k++)
        len += (size_t)sprintf(bomb + len, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", k, k,
                               k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1);
    expect_text_error(bomb, ":1:14: description: expected a single value, got a list");
    /* one event aliased past the table's size */
    len = (size_t)sprintf(bomb, "days: 10\nevents: [&e {day: 1, set: {mint.inflation_max: 0.19}}");
    for (int i = 0; i < PARAMS_MAX_EVENTS; i++)
        len += (size_t)sprintf(bomb + len, ", *e");
    strcpy(bomb + len, "]\n");
    expect_text_error(bomb, "more than 128 event changes");
    /* an alias to a section: its keys are set twice */
    expect_text_error("mint: &m {inflation: 0.1}\nstaking: *m\n", "unknown parameter 'staking.inflation'");
    /* recursive: an alias inside its own anchor */
    expect_text_error("mint: &m {inflation: 0.1, x: *m}\n", "unknown parameter 'mint.x'");
    expect_text_error("events: &e [*e]\n", "events: each event is a mapping");
    expect_text_error("x: *nothing\n", "found undefined alias");

    /* merge keys */
    expect_text_error("mint:\n  <<: {inflation: 0.1}\n", ":2:3: mint: merge keys ('<<: *name') are not supported");
    expect_text_error("<<: {days: 3}\n", ":1:1: merge keys");
    expect_text_error("mint:\n  \"<<\": 1\n", "unknown parameter 'mint.<<'");   /* quoted: a plain key */
}

/* Sizes that would exhaust memory are refused at load, at the parameter. */
static void test_size_limits(void **state)
{
    (void)state;
    params_set_run_size(world_run_size);   /* as main does: the models count the memory */
    expect_text_error("days: 30\nmarket:\n  max_leases: 1e8\n", ":3:3: one run's tables would need 6.0 GiB");
    expect_text_error("runs: 1e7\n", ":1:1: runs x sweep points x recorded times");
    params_t p;
    load_text_ok("runs: 1e7\noutput: {record_every_days: 365}\n", &p);
    assert_int_equal(p.runs, 10000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_anchors_aliases),
        cmocka_unit_test(test_size_limits),
    };
    return cmocka_run_group_tests_name("scenario_hostile", tests, NULL, NULL);
}
