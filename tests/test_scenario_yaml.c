/* The resolved scenario (scenario_to_yaml): every shipped scenario and
 * fixture, and parameters that need every kind of escape, read back to the
 * same bytes and write again to the same text; its sections in registry
 * order, events and sweeps in flow style. Run from the repository root. */
#include "scenario_fixtures.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_shipped),
        cmocka_unit_test(test_yaml_layout),
    };
    return cmocka_run_group_tests_name("scenario_yaml", tests, NULL, NULL);
}
