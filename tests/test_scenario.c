/* Scenario files and --set: a good fixture loads with its values, and what a
 * file does not say keeps its default; every kind of bad file gives SIM_EINVAL
 * with "file:line:col" and the parameter; --set and the rules between
 * parameters name where they were broken. Run from the repository root. */
#include "scenario_fixtures.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        cmocka_unit_test(test_values_in_messages),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_check_where),
    };
    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
