/* Events: a scheduled change takes effect on its stated day and not before;
 * events read from a file (by day or date), refused when they name a fixed or
 * unknown parameter, and written back by scenario_to_yaml; runs are reset. */
#include "test_util.h"
#include "test_world_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "scenario.h"

static void add_event(params_t *p, int64_t day, const char *name, const char *value)
{
    size_t n;
    const param_def_t *t = params_table(&n);
    param_event_t *e = &p->events[p->nevents++];
    e->day = day;
    e->param = (int)(params_find(name) - t);
    snprintf(e->value, sizeof e->value, "%s", value);
}

static void test_takes_effect_on_its_day_not_before(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 40;
    add_event(&p, 20, "mint.inflation_min", "0.04");
    add_event(&p, 20, "mint.inflation_max", "0.05");
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= 40; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        /* 15 % rising toward 20 %: the new maximum clamps from the first block of day 20 */
        if (day < 20)
            assert_true(w->minter.inflation > 0.15);
        else
            assert_true(w->minter.inflation == 0.05);
    }
    /* the next run starts from the scenario again */
    assert_int_equal(world_reset(w, 0, 1, &err), SIM_OK);
    assert_true(w->p->mint.inflation_max == 0.20);
    world_destroy(w);
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/tokensim-events-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_loaded_from_a_file_and_written_back(void **state)
{
    (void)state;
    char *path = write_tmp("start_date: 2024-03-20\ndays: 400\nevents:\n"
                           "  - {day: 365, set: {mint.inflation_min: 0.04, mint.inflation_max: 0.08}, note: \"2025 cut\"}\n"
                           "  - {date: 2024-03-30, set: {market.take_rate_akt: 0.1}}\n");
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(path, &p, &err), SIM_OK);
    assert_int_equal(p.nevents, 3);
    assert_int_equal(p.events[0].day, 365);
    assert_string_equal(p.events[1].value, "0.08");
    assert_string_equal(p.events[0].note, "2025 cut");
    assert_int_equal(p.events[2].day, 10);      /* 2024-03-30 is 10 days after the start */
    /* round trip through the resolved YAML */
    char *yaml = scenario_to_yaml(&p);
    char *path2 = write_tmp(yaml);
    params_t q;
    assert_int_equal(scenario_load(path2, &q, &err), SIM_OK);
    assert_int_equal(q.nevents, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(q.events[k].day, p.events[k].day);
        assert_int_equal(q.events[k].param, p.events[k].param);
        assert_string_equal(q.events[k].value, p.events[k].value);
    }
    free(yaml);
    unlink(path);
    unlink(path2);
    free(path);
    free(path2);
}

static void expect_error(const char *text, const char *want)
{
    char *path = write_tmp(text);
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(path, &p, &err), SIM_EINVAL);
    if (!strstr(err.msg, want)) {
        print_error("message '%s' lacks '%s'\n", err.msg, want);
        fail();
    }
    unlink(path);
    free(path);
}

static void test_bad_events_are_refused(void **state)
{
    (void)state;
    expect_error("days: 30\nevents:\n  - {day: 5, set: {mint.inflation_mx: 0.1}}\n",
                 ":3:20: unknown parameter 'mint.inflation_mx' (did you mean 'mint.inflation_max'?)");
    expect_error("days: 30\nevents:\n  - {day: 5, set: {supply.total_akt: 1}}\n",
                 ":3:20: supply.total_akt: cannot change during a run");
    /* the minter's rate is day-0 state: the mint would never read the event's value */
    expect_error("days: 30\nevents:\n  - {day: 5, set: {mint.inflation: 0.3}}\n",
                 ":3:20: mint.inflation: cannot change during a run");
    expect_error("days: 30\nevents:\n  - {day: 5, set: {mint.inflation_max: 2}}\n",
                 "mint.inflation_max: value 2 is out of range");
    expect_error("days: 30\nevents:\n  - {set: {mint.inflation_max: 0.1}}\n", "give either day or date");
    expect_error("start_date: 2024-03-20\ndays: 30\nevents:\n  - {date: 2024-03-01, set: {mint.inflation_max: 0.1}}\n",
                 ":4:30: event on day -19 (2024-03-01): before day 1");
}

static void test_base_inheritance(void **state)
{
    (void)state;
    char *base = write_tmp("days: 400\nmint:\n  inflation_max: 0.25\n"
                           "events:\n  - {day: 10, set: {market.take_rate_akt: 0.05}}\n");
    const char *name = strrchr(base, '/') + 1;
    char text[512];
    snprintf(text, sizeof text, "base: %s\nname: child\nmint:\n  inflation_min: 0.10\n"
             "events:\n  - {day: 20, set: {market.take_rate_akt: 0.06}}\n", name);
    char *child = write_tmp(text);
    params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(child, &p, &err), SIM_OK);
    assert_int_equal(p.days, 400);                          /* from the base */
    assert_true(p.mint.inflation_max == 0.25);              /* from the base */
    assert_true(p.mint.inflation_min == 0.10);              /* the child's own */
    assert_string_equal(p.name, "child");
    assert_int_equal(p.nevents, 2);                         /* the base's first */
    assert_int_equal(p.events[0].day, 10);
    assert_int_equal(p.events[1].day, 20);
    /* a missing base names both files */
    char *orphan = write_tmp("base: no-such-file.yaml\n");
    assert_int_equal(scenario_load(orphan, &p, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "base:"));
    assert_non_null(strstr(err.msg, "no-such-file.yaml"));
    /* a file that is its own base */
    char *loop = write_tmp("days: 5\n");
    const char *loop_name = strrchr(loop, '/') + 1;
    FILE *f = fopen(loop, "w");
    fprintf(f, "base: %s\n", loop_name);
    fclose(f);
    sim_error_clear(&err);
    assert_int_equal(scenario_load(loop, &p, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "levels of base files"));
    unlink(base); unlink(child); unlink(orphan); unlink(loop);
    free(base); free(child); free(orphan); free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_takes_effect_on_its_day_not_before),
        cmocka_unit_test(test_loaded_from_a_file_and_written_back),
        cmocka_unit_test(test_bad_events_are_refused),
        cmocka_unit_test(test_base_inheritance),
    };
    return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
