/* Events' rules at load: the rules between parameters hold after each day's
 * changes (blamed at the event's file, line and column, a base file's
 * included), one-day actions are not moved into the past, events and
 * scheduled days after the horizon are listed, and each sweep point is
 * checked against the events. Events in runs: tests/test_events.c. */
#include "scenario_fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schedule.h"
#include "sweep.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_breaks_a_rule),
        cmocka_unit_test(test_event_changes_applied_together),
        cmocka_unit_test(test_event_breaks_a_rule_later),
        cmocka_unit_test(test_event_in_a_base_file),
        cmocka_unit_test(test_event_one_day_actions),
        cmocka_unit_test(test_events_after_the_horizon),
        cmocka_unit_test(test_scheduled_days_after_the_horizon),
        cmocka_unit_test(test_event_rules_at_sweep_points),
    };
    return cmocka_run_group_tests_name("event_rules", tests, NULL, NULL);
}
