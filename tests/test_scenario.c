/* Scenario files and --set: a good fixture loads with its values; every kind of
 * bad file gives SIM_EINVAL with "file:line:col" and the parameter; hostile
 * input (garbage, deep nesting, huge files) is refused cleanly; the resolved
 * YAML reads back to the same parameters. Run from the repository root. */
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"
#include "schedule.h"
#include "sweep.h"
#include "world.h"

#define FIX "tests/fixtures/"

/* ---- helpers ---------------------------------------------------------------- */

/* Every registry parameter of a and b has the same text. */
static void assert_params_equal(const params_t *a, const params_t *b)
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
static char *temp_file(const void *text, size_t len)
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

static char *temp_text(const char *text)
{
    return temp_file(text, strlen(text));
}

/* Load `path` expecting SIM_EINVAL and a message holding each of the NULL-terminated
 * substrings; the params must be left untouched. */
static void expect_error_v(const char *path, const char *const want[])
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

static void expect_text_error(const char *text, const char *want)
{
    char *path = temp_text(text);
    expect_error(path, path, want);
    unlink(path);
    free(path);
}

static void load_ok(const char *path, params_t *p)
{
    sim_error_t err;
    sim_error_clear(&err);
    sim_status_t st = scenario_load(path, p, &err);
    if (st != SIM_OK)
        fail_msg("%s: %s", path, err.msg);
    assert_int_equal(err.code, SIM_OK);
}

static void load_text_ok(const char *text, params_t *p)
{
    char *path = temp_text(text);
    load_ok(path, p);
    unlink(path);
    free(path);
}

/* ---- good files ---------------------------------------------------------- */

static void test_good_fixture(void **state)
{
    (void)state;
    params_t p;
    load_ok(FIX "good.yaml", &p);
    assert_string_equal(p.name, "good \"fixture\"");
    assert_string_equal(p.description, "one-line description: with a colon");
    assert_string_equal(p.start_date, "2025-01-15");
    assert_int_equal(p.days, 30);
    assert_int_equal(p.runs, 4);
    assert_int_equal(p.seed, 12345);
    assert_true(p.chain.block_time_s == 5.5);
    assert_int_equal(p.supply.total_uakt, INT64_C(250000000500000));
    assert_true(p.supply.bonded_ratio == 0.5);
    assert_int_equal(p.supply.community_pool_uakt, 1);
    assert_int_equal(p.mint.model, MINT_FIXED);
    assert_true(p.mint.inflation == 0.12);
    assert_true(p.mint.inflation_min == 0.07);
    assert_true(p.mint.inflation_max == 0.18);
    assert_true(p.mint.rate_change == 0.5);
    assert_true(p.mint.goal_bonded == 0.6);
    assert_int_equal(p.mint.blocks_per_year, 5000000);
    assert_true(p.mint.exact_blocks);
    assert_int_equal(p.mint.wp_initial_supply_uakt, INT64_C(100000000000000));
    assert_true(p.mint.wp_initial_rate == 0.8);
    assert_true(p.mint.wp_half_life_years == 3.0);
    assert_string_equal(p.mint.wp_genesis_date, "2020-09-25");
    assert_true(p.distribution.community_tax == 0.3);            /* flow-style section */
    assert_true(p.distribution.validator_commission == 0.07);
    assert_int_equal(p.staking.model, STAKING_FIXED);
    assert_true(p.staking.required_yield == 0.1);
    assert_true(p.staking.response_per_year == 1.5);
    assert_true(p.staking.yield_volatility == 0.2);
    assert_true(p.staking.yield_reversion_per_year == 1.0);
    assert_true(p.staking.restake_share == 0.25);
    assert_int_equal(p.staking.unbonding_days, 14);
    assert_int_equal(p.output.record_every_days, 7);
}

/* What the file does not say keeps its default. */
static void test_defaults_kept(void **state)
{
    (void)state;
    params_t p, d;
    params_defaults(&d);
    load_text_ok("days: 30\n", &p);
    assert_int_equal(p.days, 30);
    p.days = d.days;
    assert_params_equal(&p, &d);

    /* explicit document start and end markers */
    load_text_ok("---\nmint: {inflation: 0.14}\n...\n", &p);
    assert_true(p.mint.inflation == 0.14);
    /* quoted numbers are text that parses; an empty quoted string is a value */
    load_text_ok("days: \"30\"\ndescription: ''\nname: 'it''s'\n", &p);
    assert_int_equal(p.days, 30);
    assert_string_equal(p.description, "");
    assert_string_equal(p.name, "it's");
    /* CRLF line ends and a UTF-8 byte-order mark */
    load_text_ok("\xef\xbb\xbfname: crlf\r\ndays: 31\r\n", &p);
    assert_string_equal(p.name, "crlf");
    assert_int_equal(p.days, 31);
}

/* ---- bad files: the fixtures -------------------------------------------------- */

static void test_bad_fixtures(void **state)
{
    (void)state;
    expect_error(FIX "bad-unknown-key.yaml", FIX "bad-unknown-key.yaml:8:3:",
                 "unknown parameter 'mint.inflation_mx' (did you mean 'mint.inflation_max'?)");
    expect_error(FIX "bad-type.yaml", FIX "bad-type.yaml:4:7:", "days:", "expected a whole number, got 'thirty'");
    expect_error(FIX "bad-range.yaml", FIX "bad-range.yaml:7:17:", "supply.bonded_ratio:", "out of range [0, 1]");
    expect_error(FIX "bad-duplicate.yaml", FIX "bad-duplicate.yaml:7:3:",
                 "mint.inflation given twice (first at line 5)");
    expect_error(FIX "bad-syntax.yaml", FIX "bad-syntax.yaml:3:8:", "YAML syntax error", "runs",
                 "mapping values are not allowed");
    expect_error(FIX "bad-empty.yaml", FIX "bad-empty.yaml:", "empty");
    expect_error(FIX "bad-list.yaml", FIX "bad-list.yaml:5:14:", "mint.inflation:",
                 "expected a single value, got a list");
    expect_error(FIX "bad-unknown-section.yaml", FIX "bad-unknown-section.yaml:4:1:",
                 "unknown section 'mnt' (did you mean 'mint'?)");
    expect_error(FIX "bad-not-mapping.yaml", FIX "bad-not-mapping.yaml:1:1:",
                 "expected a mapping of parameters at the top level", "got a list");
    expect_error(FIX "bad-null.yaml", FIX "bad-null.yaml:3:1:", "runs: no value given");
    expect_error(FIX "bad-scalar-section.yaml", FIX "bad-scalar-section.yaml:3:7:", "mint:",
                 "expected a section", "got a single value");
    /* cross-parameter check, placed at the blamed parameter's line */
    expect_error(FIX "bad-check.yaml", FIX "bad-check.yaml:6:3:", "mint.inflation_min (0.3) is above",
                 "mint.inflation_max");
}

static void test_missing_file(void **state)
{
    (void)state;
    expect_error(FIX "does-not-exist.yaml", FIX "does-not-exist.yaml:", "cannot open",
                 "No such file or directory");
    expect_error(FIX, FIX ":", "directory");
    expect_error("/dev/null", "/dev/null: cannot read scenario: not a regular file");
}

/* A FIFO that nobody writes to, as the scenario or as its base: refused at
 * once (opening it must not wait for a writer, reading must not wait for data) */
static void test_fifo(void **state)
{
    (void)state;
    char *dir = temp_text("");      /* a unique name, then a directory of that name */
    unlink(dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    char fifo[600], child[600], want[1400];
    snprintf(fifo, sizeof fifo, "%s/fifo.yaml", dir);
    snprintf(child, sizeof child, "%s/child.yaml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    FILE *f = fopen(child, "w");
    assert_non_null(f);
    fputs("days: 30\nbase: fifo.yaml\n", f);
    fclose(f);
    expect_error(fifo, fifo, ": cannot read scenario: not a regular file");
    snprintf(want, sizeof want, "%s:2:1: base: %s: cannot read scenario: not a regular file", child, fifo);
    expect_error(child, want);
    unlink(child);
    unlink(fifo);
    rmdir(dir);
    free(dir);
}

/* ---- bad files: generated ------------------------------------------------------- */

static void test_shape_errors(void **state)
{
    (void)state;
    expect_text_error("days: {a: 1}\n", ":1:7: days: expected a single value, got a mapping");
    expect_text_error("days: ~\n", ":1:1: days: no value given");
    expect_text_error("days: null\n", "days: no value given");
    expect_text_error("mint:\n  inflation:\n", ":2:3: mint.inflation: no value given");
    expect_text_error("mint:\n", ":1:1: mint: no value given");
    expect_text_error("mint: [1, 2]\n", "mint: expected a section");
    expect_text_error("mint:\n  inflation:\n    value: 0.1\n", ":3:5: mint.inflation: expected a single value, got a mapping");
    expect_text_error("mint:\n  inflation_mx: 0.1\n",
                      ":2:3: unknown parameter 'mint.inflation_mx' (did you mean 'mint.inflation_max'?)");
    expect_text_error("dayz: 30\n", ":1:1: unknown parameter 'dayz' (did you mean 'days'?)");
    expect_text_error("zzzzzzzz: 30\n", ":1:1: unknown parameter 'zzzzzzzz'");
    expect_text_error("qqqqqqqq:\n  a: 1\n", ":1:1: unknown section 'qqqqqqqq'");
    expect_text_error("days: 30\nevents:\n  - {day: 0, set: {mint.inflation: 0.1}}\n",
                      ":3:6: events: day: expected a whole number >= 1");
    expect_text_error("mint.inflation: 0.1\n", ":1:1: mint.inflation: write it inside its section");
    expect_text_error("[a, b]: 1\n", ":1:1: expected a parameter name as the key, got a list");
    expect_text_error("mint:\n  {a: 1}: 2\n", ":2:3: mint: expected a parameter name as the key, got a mapping");
    expect_text_error("mint:\n  inflation: 0.1\nmint:\n  inflation_max: 0.2\n",
                      ":3:1: section 'mint' given twice (first at line 1)");
    expect_text_error("days: 30\ndays: 31\n", ":2:1: days given twice (first at line 1)");
    expect_text_error("42\n", ":1:1: expected a mapping of parameters at the top level");
    expect_text_error("~\n", "got nothing");
    expect_text_error("# only a comment\n\n", "empty");
    expect_text_error("days: 30\n---\nruns: 4\n", ":2:1: a second YAML document");
    expect_text_error("name: \"a\\0b\"\n", ":1:7: name: the value contains a NUL character");
    expect_text_error("days: *nowhere\n", "YAML syntax error");
    expect_text_error("mint:\n  inflation: 0.1\n bad: 1\n", ":3:2: YAML syntax error");
    expect_text_error("days: 30\n\truns: 4\n", "YAML syntax error");
    expect_text_error("name: \"unterminated\n", "YAML syntax error near 'name'");
    expect_text_error("mint:\n  model: Cosmos\n", ":2:10: mint.model: expected one of cosmos|fixed|whitepaper");
    expect_text_error("mint:\n  exact_blocks: 1\n", "mint.exact_blocks: expected true or false");
    expect_text_error("start_date: 2023-02-29\n", ":1:13: start_date: expected a date");
    expect_text_error("supply:\n  total_akt: 1.0000001\n", "supply.total_akt: '1.0000001' has more than 6 decimals");
    /* the blamed parameter was not set in the file: no line */
    expect_text_error("mint:\n  inflation_max: 0.1\n", ": mint.inflation_min (0.13) is above mint.inflation_max (0.1)");
    /* aliases are fine when they resolve to a scalar */
    params_t p;
    load_text_ok("days: &d 30\noutput: {record_every_days: *d}\n", &p);
    assert_int_equal(p.output.record_every_days, 30);
}

/* Long and odd keys are quoted back shortened and printable. */
static void test_odd_keys(void **state)
{
    (void)state;
    char text[4096];
    memset(text, 'k', 1000);                 /* YAML's simple keys stop at 1024 characters */
    strcpy(text + 1000, ": 1\n");
    char *path = temp_text(text);
    expect_error(path, path, "unknown parameter 'kkkk", "...'");
    unlink(path);
    free(path);
    expect_text_error("\"a\\x01b\": 1\n", "unknown parameter 'a?b'");
    expect_text_error("\"a\\0b\": 1\n", ":1:1: the key contains a NUL character");
    expect_text_error("mint:\n  \"inflation\\0x\": 1\n", ":2:3: mint: the key contains a NUL character");
}

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

/* Paths of about 1,000 bytes: a message quoting two of them still ends with
 * its reason (the paths are cut in the middle to fit the error slot). */
static void test_long_paths(void **state)
{
    (void)state;
    char *top = temp_text("");
    unlink(top);
    char dir[1200], file[1300], comp[241];
    memset(comp, 'd', 240);
    comp[240] = '\0';
    snprintf(dir, sizeof dir, "%s", top);
    assert_int_equal(mkdir(dir, 0700), 0);
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(dir);
        snprintf(dir + n, sizeof dir - n, "/%s", comp);
        assert_int_equal(mkdir(dir, 0700), 0);
    }
    snprintf(file, sizeof file, "%s/a.yaml", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("days: 30\nbase: missing.yaml\n", f);
    fclose(f);
    params_t p;
    params_defaults(&p);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(file, &p, &err), SIM_EINVAL);
    assert_true(strlen(err.msg) < sizeof err.msg);
    assert_non_null(strstr(err.msg, "/a.yaml:2:1: base: "));
    const char *reason = "/missing.yaml: cannot open scenario: No such file or directory";
    size_t ml = strlen(err.msg), rl = strlen(reason);
    assert_true(ml > rl);
    assert_string_equal(err.msg + ml - rl, reason);
    assert_non_null(strstr(err.msg, "..."));
    assert_true(!strncmp(err.msg, top, 8));     /* the start of the path is kept too */
    unlink(file);
    for (int i = 0; i < 5; i++) {
        rmdir(dir);
        *strrchr(dir, '/') = '\0';
    }
    free(top);
}

/* A rule between parameters is placed where the file set one of them: the
 * blamed one, else another the rule reads (the file set one side of a min/max
 * and the other is a default). */
static void test_check_placed(void **state)
{
    (void)state;
    expect_text_error("days: 30\nmint:\n  inflation_max: 0.1\n",
                      ":3:3: mint.inflation_min (0.13) is above mint.inflation_max (0.1)");
    expect_text_error("days: 30\nmint:\n  inflation_min: 0.5\n",
                      ":3:3: mint.inflation_min (0.5) is above mint.inflation_max (0.2)");
    expect_text_error("supply:\n  total_akt: 1000\n", ":2:3: supply.community_pool_akt exceeds supply.total_akt");
    expect_text_error("providers:\n  markup_max: 0.01\n", ":2:3: providers.markup_min (0.6) is above");
    expect_text_error("bme:\n  cr_warn: 0.01\n", ":2:3: bme.cr_halt (0.9) is not below bme.cr_warn (0.01)");
    expect_text_error("start_date: 2019-01-01\nmint: {model: whitepaper}\n",
                      ":1:1: mint.whitepaper_genesis_date (2020-09-25) is after start_date (2019-01-01)");
    expect_text_error("price:\n  mode: series\n", ":2:3: price.mode series needs observed prices");
    /* the prices given inline stand for price.series_file */
    expect_text_error("price:\n  series:\n    - [2024-05-01, 3]\n  mode: series\n",
                      ":2:3: start_date 2024-03-20 is before the first price of the series");
}

/* The same key twice in one mapping, at any depth: refused at the repetition,
 * naming the first (libyaml's document keeps both pairs; the loader would take
 * one of them silently). */
static void test_duplicate_keys(void **state)
{
    (void)state;
    const char *ev = "days: 30\nevents:\n";
    char text[512];
    /* inside an event */
    snprintf(text, sizeof text, "%s  - {day: 5, day: 6, set: {mint.inflation_max: 0.15}}\n", ev);
    expect_text_error(text, ":3:14: events: day given twice (first at line 3, column 6)");
    snprintf(text, sizeof text, "%s  - day: 5\n    set: {mint.inflation_max: 0.15}\n    set: {mint.inflation_max: 0.16}\n", ev);
    expect_text_error(text, ":5:5: events: set given twice (first at line 4)");
    snprintf(text, sizeof text, "%s  - {day: 5, set: {mint.inflation_max: 0.15, mint.inflation_max: 0.16}}\n", ev);
    expect_text_error(text, ":3:46: events: set: mint.inflation_max given twice (first at line 3, column 20)");
    snprintf(text, sizeof text, "%s  - {date: 2024-06-01, note: a, note: b, set: {mint.inflation_max: 0.15}}\n", ev);
    expect_text_error(text, ":3:33: events: note given twice (first at line 3, column 24)");
    /* a sweep's keys and a range's */
    expect_text_error("sweep:\n  mode: grid\n  mode: zip\n  params: {mint.inflation_max: [0.1, 0.2]}\n",
                      ":3:3: sweep: mode given twice (first at line 2)");
    expect_text_error("sweep:\n  mode: lhs\n  points: 4\n  params:\n    mint.inflation_max: {min: 0.1, max: 0.2, max: 0.3}\n",
                      ":5:46: sweep: params: mint.inflation_max: max given twice (first at line 5, column 36)");
    expect_text_error("sweep:\n  params:\n    mint.inflation_max: [0.1]\n    mint.inflation_max: [0.2]\n",
                      ":4:5: sweep: params: mint.inflation_max given twice (first at line 3)");
    /* resources: a class's inline mapping, and the list form's item */
    expect_text_error("resources:\n  h100: {capacity: 3, capacity: 4}\n",
                      ":2:23: resources.h100.capacity given twice (first at line 2, column 10)");
    expect_text_error("resources: [{name: h100, name: h200}]\n", ":1:26: resources: name given twice");
    /* the same class twice in the list form: two mappings, one parameter */
    expect_text_error("resources: [{name: h100, capacity: 3}, {name: h100, capacity: 4}]\n",
                      ":1:53: resources.h100.capacity given twice (first at line 1, column 26)");
    /* the top level: a key written plain and quoted is the same key */
    expect_text_error("days: 30\n\"days\": 31\n", ":2:1: days given twice (first at line 1)");
    expect_text_error("base: a.yaml\nbase: b.yaml\n", ":2:1: base given twice (first at line 1)");
    expect_text_error("sweep: {params: {mint.inflation_max: [0.1]}}\nsweep: {params: {mint.inflation_max: [0.2]}}\n",
                      ":2:1: sweep given twice (first at line 1)");
    /* the earliest repetition in the file is the one named */
    expect_text_error("mint: {inflation_max: 0.2, inflation_max: 0.3}\ndays: 3\ndays: 4\n",
                      ":1:28: mint.inflation_max given twice");
    /* an alias is looked at once, wherever it is used */
    expect_text_error("x: &m {a: 1, a: 2}\ny: *m\n", ":1:14: x: a given twice");
    /* different keys in different mappings are fine */
    params_t p;
    load_text_ok("days: 30\nevents:\n  - {day: 5, set: {mint.inflation_max: 0.15}}\n"
                 "  - {day: 6, set: {mint.inflation_max: 0.16}}\n", &p);
    assert_int_equal(p.nevents, 2);
}

/* Values are quoted back on one line, at most 80 bytes, controls as '?'. */
static void test_values_in_messages(void **state)
{
    (void)state;
    expect_text_error("days: \"3\\e[31m\\nx\"\n", "days: expected a whole number, got '3?[31m?x'");
    char text[1200];
    strcpy(text, "mint:\n  inflation: ");
    memset(text + 19, '9', 1000);
    strcpy(text + 1019, "\n");
    expect_text_error(text, "is out of range [0, 1] (1/yr)");     /* the range survives a long value */
    expect_text_error(text, "9999...");
    expect_text_error("mint: {inflation: .nan}\n", ":1:19: mint.inflation: value .nan is not a finite number");
    expect_text_error("days: -.inf\n", "days: value -.inf is not a finite number");
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

/* ---- --set ------------------------------------------------------------------------ */

static void expect_set_error(const char *assignment, const char *want)
{
    params_t p, before;
    params_defaults(&p);
    before = p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_apply_set(&p, assignment, &err), SIM_EINVAL);
    assert_int_equal(err.code, SIM_EINVAL);
    if (!strstr(err.msg, want))
        fail_msg("--set %s: message '%s' lacks '%s'", assignment ? assignment : "(null)", err.msg, want);
    assert_memory_equal(&p, &before, sizeof p);
}

static void test_set(void **state)
{
    (void)state;
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    params_defaults(&p);
    assert_int_equal(scenario_apply_set(&p, "mint.inflation_max=0.25", &err), SIM_OK);
    assert_true(p.mint.inflation_max == 0.25);
    assert_int_equal(scenario_apply_set(&p, "days=30", &err), SIM_OK);
    assert_int_equal(p.days, 30);
    assert_int_equal(scenario_apply_set(&p, " runs = 8 ", &err), SIM_OK);  /* blanks around a number */
    assert_int_equal(p.runs, 8);
    assert_int_equal(scenario_apply_set(&p, "name=a=b c", &err), SIM_OK);  /* first '=' splits */
    assert_string_equal(p.name, "a=b c");
    assert_int_equal(scenario_apply_set(&p, "name= padded ", &err), SIM_OK);  /* text is verbatim */
    assert_string_equal(p.name, " padded ");
    assert_int_equal(scenario_apply_set(&p, "supply.total_akt=230816799.000001", &err), SIM_OK);
    assert_int_equal(p.supply.total_uakt, INT64_C(230816799000001));
    assert_int_equal(err.code, SIM_OK);

    expect_set_error("mint.inflation_mx=0.25",
                     "--set mint.inflation_mx=0.25: unknown parameter (did you mean 'mint.inflation_max'?)");
    expect_set_error("zzzzzzzz=1", "--set zzzzzzzz=1: unknown parameter");
    expect_set_error("x", "--set x: expected key=value");
    expect_set_error("=5", "--set =5: expected key=value");
    expect_set_error("", "expected key=value");
    expect_set_error(NULL, "expected key=value");
    expect_set_error("days=", "--set days=: no value given");
    expect_set_error("days=abc", "--set days=abc: expected a whole number, got 'abc'");
    expect_set_error("mint.inflation=2", "--set mint.inflation=2: value 2 is out of range [0, 1]");
    expect_set_error("mint.model=cosmic", "expected one of cosmos|fixed|whitepaper");
    expect_set_error("name=\xff", "not valid UTF-8");
    expect_set_error("mint=0.1", "--set mint=0.1: unknown parameter");
}

static void test_check_where(void **state)
{
    (void)state;
    params_t p;
    sim_error_t err;
    params_defaults(&p);
    sim_error_clear(&err);
    assert_int_equal(scenario_check(&p, "--set", &err), SIM_OK);
    p.mint.inflation_min = 0.3;
    assert_int_equal(scenario_check(&p, "--set", &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--set: mint.inflation_min (0.3) is above mint.inflation_max"));
    sim_error_clear(&err);
    assert_int_equal(scenario_check(&p, NULL, &err), SIM_EINVAL);
    assert_true(strncmp(err.msg, "mint.inflation_min", 18) == 0);
}

/* ---- events: the rules after each day's changes ------------------------------------ */

/* `text` in a file, loaded: the message starts with "FILE:" then holds `want`. */
static void expect_event_error(const char *text, const char *want)
{
    char *path = temp_text(text);
    expect_error(path, path, want);
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(path, &p, &err), SIM_EINVAL);
    if (strncmp(err.msg, path, strlen(path)) != 0 || err.msg[strlen(path)] != ':')
        fail_msg("message '%s' does not start with '%s:'", err.msg, path);
    unlink(path);
    free(path);
}

static void test_event_breaks_a_rule(void **state)
{
    (void)state;
    /* the top level's min 0.13 against an event's max */
    expect_event_error("days: 30\nevents:\n  - {day: 10, set: {mint.inflation_max: 0.1}}\n",
                       ":3:21: event on day 10 (2024-03-30): mint.inflation_min (0.13) is above "
                       "mint.inflation_max (0.1)");
    /* within one event: blamed at the parameter it sets last */
    expect_event_error("days: 30\nevents:\n  - {day: 10, set: {mint.inflation_min: 0.5, mint.inflation_max: 0.1}}\n",
                       ":3:46: event on day 10 (2024-03-30): mint.inflation_min (0.5) is above "
                       "mint.inflation_max (0.1)");
    /* by date, in block style */
    expect_event_error("events:\n  - date: 2024-09-16\n    set:\n      mint.inflation_max: 0.1\n",
                       ":4:7: event on day 180 (2024-09-16): mint.inflation_min (0.13) is above");
    /* the other rules an event can break */
    expect_event_error("events:\n  - {day: 5, set: {providers.markup_max: 0.5}}\n",
                       ":2:20: event on day 5 (2024-03-25): providers.markup_min (0.6) is above providers.markup_max (0.5)");
    expect_event_error("events:\n  - {day: 5, set: {bme.cr_halt: 0.95}}\n",
                       ":2:20: event on day 5 (2024-03-25): bme.cr_halt (0.95) is not below bme.cr_warn (0.95)");
    expect_event_error("events:\n  - {day: 5, set: {tenants.gpu_cohorts_per_day: 8}}\n",
                       "event on day 5 (2024-03-25): tenants.gpu_cohorts_per_day (8) needs cohorts");
    expect_event_error("events:\n  - {day: 5, set: {resources.cpu.demand_share: 0, resources.h100.demand_share: 0,"
                       " resources.a100.demand_share: 0, resources.rtx_a6000.demand_share: 0}}\n"
                       "  - {day: 5, set: {resources.v100.demand_share: 0}}\n",
                       ":3:20: event on day 5 (2024-03-25): every resources.<class>.demand_share is 0");
}

static void test_event_changes_applied_together(void **state)
{
    (void)state;
    params_t p;
    /* raising both past the old maximum in one event */
    load_text_ok("days: 30\nevents:\n  - {day: 10, set: {mint.inflation_min: 0.3, mint.inflation_max: 0.4}}\n", &p);
    assert_int_equal(p.nevents, 2);
    /* or in two events of one day: the rules hold after the day's changes */
    load_text_ok("events:\n  - {day: 10, set: {mint.inflation_min: 0.3}}\n"
                 "  - {day: 10, set: {mint.inflation_max: 0.4}}\n", &p);
    /* the days in order, whatever the order of the list */
    load_text_ok("events:\n  - {day: 20, set: {mint.inflation_max: 0.1}}\n"
                 "  - {day: 10, set: {mint.inflation_min: 0.05}}\n", &p);
    expect_event_error("events:\n  - {day: 10, set: {mint.inflation_max: 0.1}}\n"
                       "  - {day: 20, set: {mint.inflation_min: 0.05}}\n",
                       ":2:21: event on day 10 (2024-03-30): mint.inflation_min (0.13) is above");
}

/* Valid on day 0 and after the first event; the second breaks the rule. */
static void test_event_breaks_a_rule_later(void **state)
{
    (void)state;
    const char *text = "days: 400\nmint: {inflation_min: 0.10, inflation_max: 0.20}\nevents:\n"
                       "  - {day: 50, set: {mint.inflation_min: 0.15}, note: raise the floor}\n"
                       "  - {day: 100, set: {mint.inflation_max: 0.14}, note: cut the cap}\n";
    expect_event_error(text, ":5:22: event on day 100 (2024-06-28): mint.inflation_min (0.15) is above "
                             "mint.inflation_max (0.14)");
    /* the same after --set, with the event placed */
    params_t p;
    load_text_ok("days: 400\nevents:\n  - {day: 100, set: {mint.inflation_max: 0.14}}\n", &p);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_apply_set(&p, "mint.inflation_min=0.15", &err), SIM_OK);
    assert_int_equal(scenario_check(&p, "after --set", &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "after --set: "));
    assert_non_null(strstr(err.msg, ":3:22: event on day 100 (2024-06-28): mint.inflation_min (0.15) is above"));
}

/* An event from a base file is blamed at the base file's line. */
static void test_event_in_a_base_file(void **state)
{
    (void)state;
    char *base = temp_text("days: 400\nevents:\n  - {day: 10, set: {mint.inflation_max: 0.16}}\n");
    const char *name = strrchr(base, '/') + 1;
    char text[512];
    /* the base is valid alone; the child's floor breaks its event */
    snprintf(text, sizeof text, "base: %s\nmint:\n  inflation_min: 0.17\n"
             "events:\n  - {day: 20, set: {market.take_rate_akt: 0.06}}\n", name);
    char *child = temp_text(text);
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(child, &p, &err), SIM_EINVAL);
    char want[600];
    snprintf(want, sizeof want, "%s:3:21: event on day 10 (2024-03-30): mint.inflation_min (0.17) is above "
             "mint.inflation_max (0.16)", base);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("message '%s' does not start with '%s'", err.msg, want);
    /* the child's own events name the child, the base's the base */
    snprintf(text, sizeof text, "base: %s\nevents:\n  - {day: 20, set: {mint.inflation_max: 0.15}}\n", name);
    char *child2 = temp_text(text);
    load_ok(child2, &p);
    assert_int_equal(p.nevent_files, 2);
    assert_string_equal(p.event_file[p.events[0].file], base);
    assert_string_equal(p.event_file[p.events[1].file], child2);
    assert_int_equal(p.events[1].line, 3);
    assert_int_equal(p.events[1].col, 21);
    /* a base that breaks a rule alone: refused through the child, at the base's line */
    char *bad = temp_text("events:\n  - {day: 10, set: {mint.inflation_max: 0.1}}\n");
    snprintf(text, sizeof text, "base: %s\n", strrchr(bad, '/') + 1);
    char *child3 = temp_text(text);
    snprintf(want, sizeof want, "%s:2:21: event on day 10 (2024-03-30): mint.inflation_min (0.13) is above", bad);
    expect_error(child3, child3, "base: ", want);
    unlink(base); unlink(child); unlink(child2); unlink(bad); unlink(child3);
    free(base); free(child); free(child2); free(bad); free(child3);
}

/* A one-day action moved to a day already past would never happen. */
static void test_event_one_day_actions(void **state)
{
    (void)state;
    expect_event_error("events:\n  - {day: 50, set: {pool.burn_day: 40, pool.burn_akt: 1000}}\n",
                       ":2:21: event on day 50 (2024-05-09): pool.burn_day (40) is before the event's day: "
                       "the burn would never happen");
    expect_event_error("events:\n  - {day: 50, set: {pool.vault_funding_day: 49}}\n",
                       ":2:21: event on day 50 (2024-05-09): pool.vault_funding_day (49) is before");
    expect_event_error("pool: {burn_day: 30, burn_akt: 5}\nevents:\n  - {day: 50, set: {pool.burn_akt: 10}}\n",
                       ":3:21: event on day 50 (2024-05-09): pool.burn_akt changes after the burn on day 30");
    expect_event_error("events:\n  - {day: 50, set: {pool.incentive_start_day: 10, pool.incentive_days: 40}}\n",
                       ":2:21: event on day 50 (2024-05-09): the incentive programme (pool.incentive_start_day 10, "
                       "pool.incentive_days 40) is over");
    params_t p;
    /* on its own day, later, or none; a second burn; a programme under way */
    load_text_ok("pool: {burn_day: 30, burn_akt: 5}\nevents:\n"
                 "  - {day: 50, set: {pool.burn_day: 50, pool.vault_funding_day: 60}}\n"
                 "  - {day: 70, set: {pool.burn_day: 0, pool.vault_funding_day: 0}}\n"
                 "  - {day: 80, set: {pool.burn_day: 90, pool.burn_akt: 7}}\n"
                 "  - {day: 100, set: {pool.incentive_start_day: 60, pool.incentive_days: 120}}\n", &p);
    assert_int_equal(p.nevents, 8);
}

/* Events after the horizon are listed, one line a change, in file order. */
static void test_events_after_the_horizon(void **state)
{
    (void)state;
    char *path = temp_text("days: 30\nevents:\n  - {day: 30, set: {mint.inflation_max: 0.19}}\n"
                           "  - {day: 180, set: {mint.inflation_max: 0.1, mint.inflation_min: 0.05}}\n"
                           "  - {day: 31, set: {market.take_rate_akt: 0.05}, note: a day late}\n");
    params_t p;
    load_ok(path, &p);
    char lines[4][SCHEDULE_LINE_MAX];
    assert_int_equal(schedule_ignored(&p, lines, 4), 3);
    char want[600];
    snprintf(want, sizeof want, "%s:4:22: event on day 180 (2024-09-16) sets mint.inflation_max = 0.1 after the "
             "horizon (30 days): it is ignored", path);
    assert_string_equal(lines[0], want);
    snprintf(want, sizeof want, "%s:4:47: event on day 180 (2024-09-16) sets mint.inflation_min = 0.05 after the "
             "horizon (30 days): it is ignored", path);
    assert_string_equal(lines[1], want);
    assert_non_null(strstr(lines[2], ":5:21: event on day 31 (2024-04-20) sets market.take_rate_akt = 0.05"));
    /* a short buffer: the count still says how many */
    strcpy(lines[1], "untouched");
    assert_int_equal(schedule_ignored(&p, lines, 1), 3);
    assert_string_equal(lines[1], "untouched");
    /* a longer horizon runs them all */
    p.days = 180;
    assert_int_equal(schedule_ignored(&p, lines, 4), 0);
    unlink(path);
    free(path);
}

/* Days the scenario schedules past the horizon are listed too: BME's start, the
 * pool's programme, burn and vault funding (when they would do something). */
static void test_scheduled_days_after_the_horizon(void **state)
{
    (void)state;
    params_t p;
    load_text_ok("days: 30\nbme: {start_day: 733}\npool: {burn_day: 40, burn_akt: 5, vault_funding_day: 50}\n", &p);
    char lines[4][SCHEDULE_LINE_MAX];
    assert_int_equal(schedule_ignored(&p, lines, 4), 2);
    assert_string_equal(lines[0], "bme.start_day = 733 (2026-03-23) is after the horizon (30 days): burn-mint "
                                  "equilibrium never starts");
    assert_string_equal(lines[1], "pool.burn_day = 40 (2024-04-29) is after the horizon (30 days): the pool's burn "
                                  "never happens");
    /* vault_funding_day without an amount funds nothing: no warning; within the horizon: none */
    p.days = 800;
    assert_int_equal(schedule_ignored(&p, lines, 4), 0);
}

/* Each sweep point's parameters against the events. */
static void test_event_rules_at_sweep_points(void **state)
{
    (void)state;
    params_t p, point;
    load_text_ok("days: 30\nsweep: {mode: grid, params: {mint.inflation_min: [0.1, 0.2]}}\n"
                 "events:\n  - {day: 10, set: {mint.inflation_max: 0.15}}\n", &p);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(sweep_point(&p, 0, &point, NULL, 0, &err), SIM_OK);
    assert_int_equal(sweep_point(&p, 1, &point, NULL, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "sweep point 1: "));
    assert_non_null(strstr(err.msg, ":4:21: event on day 10 (2024-03-30): mint.inflation_min (0.2) is above"));
}

/* ---- round trip ------------------------------------------------------------------- */

/* Parameter `name` of p set to `text` as the loader sets it. */
static void set_text(params_t *p, const char *name, const char *text)
{
    char msg[256];
    if (params_set_text(p, params_find(name), text, msg, sizeof msg) != 0)
        fail_msg("%s: %s", name, msg);
}

/* p without where its events were read (the file, line and column), which
 * the resolved scenario cannot keep: it is another file. */
static void without_places(params_t *p)
{
    for (size_t k = 0; k < p->nevents; k++)
        p->events[k].line = p->events[k].col = p->events[k].file = 0;
    memset(p->event_file, 0, sizeof p->event_file);
    p->nevent_files = 0;
}

/* The resolved scenario reads back to the same bytes (but the events' places),
 * and writing it again gives the same text. */
static void round_trip(const params_t *p)
{
    char *yaml = scenario_to_yaml(p);
    assert_non_null(yaml);
    assert_true(strncmp(yaml, "# resolved scenario written by tokensim\n", 40) == 0);
    char *path = temp_text(yaml);
    static params_t q, a;       /* large: not on the stack */
    sim_error_t err;
    sim_error_clear(&err);
    sim_status_t st = scenario_load(path, &q, &err);
    if (st != SIM_OK)
        fail_msg("reading back: %s\n%s", err.msg, yaml);
    assert_params_equal(p, &q);
    a = *p;
    without_places(&a);
    without_places(&q);
    if (memcmp(&a, &q, sizeof a) != 0)
        fail_msg("reading back changed bytes of params_t\n%s", yaml);
    char *again = scenario_to_yaml(&q);
    assert_non_null(again);
    assert_string_equal(again, yaml);
    unlink(path);
    free(path);
    free(yaml);
    free(again);
}

/* Every shipped scenario and fixture that loads, as loaded. */
static void test_round_trip_shipped(void **state)
{
    (void)state;
    static const char *const files[] = {
        "scenarios/akash-2024.yaml", "scenarios/akash-bme-2026.yaml", "scenarios/akash-history.yaml",
        "scenarios/sensitivity-example.yaml", "scenarios/proposals/bme-2026.yaml",
        "scenarios/proposals/community-tax-50.yaml", "scenarios/proposals/governance-2024-2026.yaml",
        "scenarios/proposals/incentive-pilot.yaml", "scenarios/proposals/inflation-cut-2025.yaml",
        "scenarios/proposals/pool-burn.yaml", "scenarios/proposals/take-rate-akt-10.yaml",
        FIX "good.yaml", FIX "sweep-grid.yaml", FIX "sweep-lhs.yaml", FIX "sweep-morris.yaml",
        FIX "sweep-saltelli.yaml", FIX "cohorts-64.yaml", FIX "bme-cohorts-64.yaml",
    };
    static params_t p;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        load_ok(files[i], &p);
        round_trip(&p);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    round_trip(&p);

    load_ok(FIX "good.yaml", &p);
    round_trip(&p);

    /* text that needs every kind of escape, and awkward numbers */
    params_defaults(&p);
    set_text(&p, "name", "q\"uote \\back\\slash\ttab\nnewline\r\x01\x1f\x7f: #not-a-comment ' - [x] {y} & * ! | > %");
    set_text(&p, "description", "  leading blanks, caf\xc3\xa9, \xc2\x85 NEL, \xe2\x80\xa8 LS, \xe2\x80\xa9 PS, "
                                "\xef\xbb\xbf BOM, \xef\xbf\xbe, \xf0\x9f\x9a\x80, \xc2\x9f trailing  ");
    p.mint.inflation = 0.1 + 0.2;
    p.mint.inflation_max = 1.0;
    p.mint.inflation_min = 5e-324;
    p.chain.block_time_s = 1.0 / 3.0;
    p.supply.total_uakt = INT64_C(1000000000000000000);
    p.supply.community_pool_uakt = 1;
    p.seed = INT64_C(9007199254740991);
    p.mint.exact_blocks = true;
    p.staking.model = STAKING_FIXED;
    set_text(&p, "start_date", "2024-02-29");
    round_trip(&p);

    /* names that YAML would otherwise read as other types or as null */
    static const char *names[] = {"", "null", "~", "true", "0.5", "-", "---", "...", "#", "a: b", "@x", "`y`"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        params_defaults(&p);
        set_text(&p, "name", names[i]);
        round_trip(&p);
    }

    /* the longest name */
    params_defaults(&p);
    memset(p.name, '"', PARAMS_TEXT_MAX - 1);
    p.name[PARAMS_TEXT_MAX - 1] = '\0';
    round_trip(&p);

    /* notes that need escapes, one cut to its field on a character's boundary,
     * a grid of text values that YAML would read as null or numbers */
    char text[1024], note[300] = "";
    for (int i = 0; i < 99; i++)
        strcat(note, "\xc3\xa9");             /* 198 bytes of "é": the 127-byte field cuts one in two */
    load_text_ok("days: 30\nsweep: {mode: grid, params: {name: [\"null\", \"\", \"~\", \"0.5\", \"a: b\"]}}\n", &p);
    assert_int_equal(p.sweep.nvalues[0], 5);
    round_trip(&p);
    snprintf(text, sizeof text, "days: 30\nevents:\n"
             "  - {day: 3, set: {mint.inflation_max: 0.3}, note: \"%s\"}\n"
             "  - {day: 4, set: {market.pick_rule: weighted, mint.rate_change: 1e-3}, note: \"tab\\tquote\\\" #x: [y]\"}\n",
             note);
    load_text_ok(text, &p);
    assert_int_equal(p.nevents, 3);
    assert_int_equal(strlen(p.events[0].note), 126);  /* 63 whole characters */
    assert_string_equal(p.events[2].note, "tab\tquote\" #x: [y]");
    round_trip(&p);
}

/* Sections in registry order, top-level scalars first. */
static void test_yaml_layout(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    char *yaml = scenario_to_yaml(&p);
    assert_non_null(yaml);
    const char *days = strstr(yaml, "\ndays: 1825");
    const char *chain = strstr(yaml, "\nchain:\n  block_time_s: 6");
    const char *mint = strstr(yaml, "\nmint:\n  model: cosmos");
    const char *staking = strstr(yaml, "\nstaking:\n");
    assert_non_null(days);
    assert_non_null(chain);
    assert_non_null(mint);
    assert_non_null(staking);
    assert_true(days < chain && chain < mint && mint < staking);
    assert_non_null(strstr(yaml, "\n  inflation: 0.15\n"));
    assert_non_null(strstr(yaml, "\n  total_akt: 230816799\n"));
    assert_non_null(strstr(yaml, "\nname: \"unnamed\"\n"));
    /* a subsection is a mapping of its own; no units (they are in /params) */
    assert_non_null(strstr(yaml, "\nresources:\n  cpu:\n    cloud_usd_per_hour: 0.04\n"));
    assert_null(strstr(yaml, " # "));
    assert_null(strstr(yaml, "events:"));
    assert_null(strstr(yaml, "sweep:"));
    free(yaml);

    /* events: one flow mapping a change; the sweep's lists and ranges in flow style */
    load_text_ok("days: 30\nevents:\n  - {day: 3, set: {mint.inflation_max: 0.30, mint.rate_change: 0.5}, "
                 "note: cut}\nsweep: {mode: grid, params: {mint.inflation_min: [0.1, 0.12]}, "
                 "horizons_days: [10, 30]}\n", &p);
    yaml = scenario_to_yaml(&p);
    assert_non_null(yaml);
    assert_non_null(strstr(yaml, "\nsweep:\n  mode: grid\n  params:\n    mint.inflation_min: [0.1, 0.12]\n"
                                 "  horizons_days: [10, 30]\n"));
    assert_non_null(strstr(yaml, "\nevents:\n- {day: 3, set: {mint.inflation_max: 0.30}, note: \"cut\"}\n"
                                 "- {day: 3, set: {mint.rate_change: 0.5}, note: \"cut\"}\n"));
    free(yaml);
    load_text_ok("days: 30\nsweep: {mode: lhs, points: 4, params: {mint.inflation_min: {min: 0.1, max: 0.12}}}\n", &p);
    yaml = scenario_to_yaml(&p);
    assert_non_null(yaml);
    assert_non_null(strstr(yaml, "\nsweep:\n  mode: lhs\n  points: 4\n  params:\n"
                                 "    mint.inflation_min: {min: 0.1, max: 0.12}\n"));
    free(yaml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_fixture),
        cmocka_unit_test(test_defaults_kept),
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_shape_errors),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_check_placed),
        cmocka_unit_test(test_long_paths),
        cmocka_unit_test(test_odd_keys),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_anchors_aliases),
        cmocka_unit_test(test_values_in_messages),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_check_where),
        cmocka_unit_test(test_event_breaks_a_rule),
        cmocka_unit_test(test_event_changes_applied_together),
        cmocka_unit_test(test_event_breaks_a_rule_later),
        cmocka_unit_test(test_event_in_a_base_file),
        cmocka_unit_test(test_event_one_day_actions),
        cmocka_unit_test(test_events_after_the_horizon),
        cmocka_unit_test(test_scheduled_days_after_the_horizon),
        cmocka_unit_test(test_event_rules_at_sweep_points),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_shipped),
        cmocka_unit_test(test_yaml_layout),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
