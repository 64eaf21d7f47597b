/* The parameter registry: every default valid and round-tripping, ranges and
 * types refused with a message, amounts exact in uakt, enums, booleans, dates,
 * text, "did you mean" suggestions and the cross-parameter checks. */
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "world.h"

static const param_def_t *def(const char *name)
{
    const param_def_t *d = params_find(name);
    if (!d)
        fail_msg("no parameter %s", name);
    return d;
}

/* Set `name` to `text`, expecting success. */
static void set_ok(params_t *p, const char *name, const char *text)
{
    char msg[256] = "";
    if (params_set_text(p, def(name), text, msg, sizeof msg) != 0)
        fail_msg("%s = '%s' refused: %s", name, text, msg);
}

/* Set `name` to `text`, expecting a refusal whose message contains `want`,
 * and the stored value unchanged. */
static void set_bad(params_t *p, const char *name, const char *text, const char *want)
{
    char msg[256] = "", before[PARAMS_TEXT_MAX], after[PARAMS_TEXT_MAX];
    params_format(p, def(name), before, sizeof before);
    if (params_set_text(p, def(name), text, msg, sizeof msg) == 0)
        fail_msg("%s = '%s' accepted", name, text);
    if (!strstr(msg, want))
        fail_msg("%s = '%s': message '%s' lacks '%s'", name, text, msg, want);
    params_format(p, def(name), after, sizeof after);
    assert_string_equal(before, after);
}

static void test_table_names(void **state)
{
    (void)state;
    size_t n;
    const param_def_t *t = params_table(&n);
    assert_true(n > 20);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(params_find(t[i].name), &t[i]);   /* unique names */
        assert_non_null(t[i].doc);
        assert_non_null(t[i].unit);
        const char *dot = strchr(t[i].name, '.');
        if (dot && strncmp(t[i].name, "resources.", 10) != 0)
            assert_null(strchr(dot + 1, '.'));              /* section.key, one level */
        if (dot && strncmp(t[i].name, "resources.", 10) == 0)
            assert_non_null(strchr(dot + 1, '.'));          /* resources.<class>.key */
        if (t[i].type == PARAM_TEXT || t[i].type == PARAM_DATE || t[i].type == PARAM_ENUM)
            assert_non_null(t[i].def_text);
        else
            assert_true(t[i].min <= t[i].def && t[i].def <= t[i].max);
    }
    assert_null(params_find("nope"));
    assert_null(params_find("mint"));
    assert_null(params_find(""));
}

/* params_defaults -> params_format -> params_set_text gives the same text back,
 * and the numeric defaults are the table's. */
static void test_defaults_round_trip(void **state)
{
    (void)state;
    size_t n;
    const param_def_t *t = params_table(&n);
    params_t p, q;
    params_defaults(&p);
    memset(&q, 0, sizeof q);
    for (size_t i = 0; i < n; i++) {
        char text[PARAMS_TEXT_MAX], again[PARAMS_TEXT_MAX], msg[256] = "";
        params_format(&p, &t[i], text, sizeof text);
        if (params_set_text(&q, &t[i], text, msg, sizeof msg) != 0)
            fail_msg("default of %s ('%s') refused: %s", t[i].name, text, msg);
        params_format(&q, &t[i], again, sizeof again);
        assert_string_equal(text, again);
        switch (t[i].type) {
        case PARAM_REAL:
        case PARAM_INT:
        case PARAM_AMOUNT:
            assert_true(params_value(&p, &t[i]) == t[i].def);
            break;
        case PARAM_BOOL:
            assert_true(params_value(&p, &t[i]) == (t[i].def != 0));
            break;
        default:
            assert_string_equal(text, t[i].def_text);
        }
    }
    char msg[256];
    const char *blame = NULL;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);
    assert_int_equal(p.supply.total_uakt, INT64_C(230816799000000));
    assert_int_equal(p.days, 1825);
    assert_int_equal(p.mint.model, MINT_COSMOS);
}

static void test_reals(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    set_ok(&p, "mint.inflation", "0.25");
    assert_true(p.mint.inflation == 0.25);
    set_ok(&p, "mint.inflation", "1e-3");
    assert_true(p.mint.inflation == 0.001);
    set_ok(&p, "mint.inflation", "0");
    set_ok(&p, "mint.inflation", "1");                      /* closed range */
    set_bad(&p, "mint.inflation", "1.5", "out of range [0, 1]");
    set_bad(&p, "mint.inflation", "-0.1", "out of range");
    set_bad(&p, "mint.inflation", "nan", "value nan is not a finite number (range [0, 1] 1/yr)");
    set_bad(&p, "mint.inflation", "inf", "not a finite number");
    set_bad(&p, "mint.inflation", "-Infinity", "not a finite number");
    set_bad(&p, "mint.inflation", ".nan", "not a finite number");   /* YAML's spellings */
    set_bad(&p, "mint.inflation", ".NaN", "not a finite number");
    set_bad(&p, "mint.inflation", "-.inf", "not a finite number");
    set_bad(&p, "mint.inflation", "+.INF", "not a finite number");
    set_bad(&p, "mint.inflation", "nan(0x7)", "not a finite number");
    set_bad(&p, "mint.inflation", ".nanx", "expected a number");
    set_bad(&p, "mint.inflation", "1e400", "out of range");
    set_ok(&p, "mint.inflation", "1e-400");                  /* underflow: the nearest double */
    assert_true(p.mint.inflation == 0);
    set_bad(&p, "mint.inflation", "abc", "expected a number, got 'abc'");
    set_bad(&p, "mint.inflation", "", "expected a number");
    set_bad(&p, "mint.inflation", "0.1x", "expected a number");
    set_bad(&p, "mint.inflation", " 0.1", "expected a number");
    set_bad(&p, "mint.inflation", "0.1 ", "expected a number");
    set_bad(&p, "chain.block_time_s", "0.05", "out of range [0.1, 600] (s)");
    set_bad(&p, "mint.goal_bonded", "0", "out of range");

    /* formatting: shortest text that reads back exactly */
    char buf[64];
    p.mint.inflation = 0.15;
    params_format(&p, def("mint.inflation"), buf, sizeof buf);
    assert_string_equal(buf, "0.15");
    p.mint.inflation = 0.1 + 0.2;
    params_format(&p, def("mint.inflation"), buf, sizeof buf);
    assert_string_equal(buf, "0.30000000000000004");
    set_ok(&p, "mint.inflation", buf);
    assert_true(p.mint.inflation == 0.1 + 0.2);
    p.mint.inflation = 1.0 / 3.0;
    params_format(&p, def("mint.inflation"), buf, sizeof buf);
    set_ok(&p, "mint.inflation", buf);
    assert_true(p.mint.inflation == 1.0 / 3.0);
    p.mint.inflation = 5e-324;                               /* the smallest denormal */
    params_format(&p, def("mint.inflation"), buf, sizeof buf);
    set_ok(&p, "mint.inflation", buf);
    assert_true(p.mint.inflation == 5e-324);
}

static void test_ints(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    set_ok(&p, "days", "30");
    assert_int_equal(p.days, 30);
    set_ok(&p, "days", "1e2");
    assert_int_equal(p.days, 100);
    set_ok(&p, "seed", "9007199254740991");
    assert_int_equal(p.seed, INT64_C(9007199254740991));
    set_bad(&p, "days", "2.5", "expected a whole number, got '2.5'");
    set_bad(&p, "days", "thirty", "expected a whole number");
    set_bad(&p, "days", "0", "out of range [1, 36525] (days)");
    set_bad(&p, "days", "36526", "out of range");
    set_bad(&p, "runs", "-1", "out of range");
    set_bad(&p, "runs", "nan", "not a finite number");
    set_bad(&p, "runs", ".inf", "not a finite number");
    set_bad(&p, "supply.total_akt", ".nan", "not a finite number");
    set_bad(&p, "runs", "1e300", "out of range");
    set_bad(&p, "seed", "9007199254740993", "out of range");
}

static void test_amounts_exact(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    set_ok(&p, "supply.total_akt", "230816799");
    assert_int_equal(p.supply.total_uakt, INT64_C(230816799000000));
    set_ok(&p, "supply.community_pool_akt", "0.000001");
    assert_int_equal(p.supply.community_pool_uakt, 1);
    set_ok(&p, "supply.community_pool_akt", "0");
    assert_int_equal(p.supply.community_pool_uakt, 0);
    set_ok(&p, "supply.total_akt", "1.0000000");             /* trailing zeros are exact */
    assert_int_equal(p.supply.total_uakt, 1000000);
    set_ok(&p, "supply.total_akt", "230816799.123456");
    assert_int_equal(p.supply.total_uakt, INT64_C(230816799123456));
    set_ok(&p, "supply.total_akt", "2.5e8");
    assert_int_equal(p.supply.total_uakt, INT64_C(250000000000000));
    set_ok(&p, "supply.community_pool_akt", "1.1e-5");       /* 11 uakt: no double rounding */
    assert_int_equal(p.supply.community_pool_uakt, 11);
    set_ok(&p, "supply.total_akt", "123456789e-6");
    assert_int_equal(p.supply.total_uakt, INT64_C(123456789));
    set_ok(&p, "supply.community_pool_akt", ".5");
    assert_int_equal(p.supply.community_pool_uakt, 500000);
    set_ok(&p, "supply.total_akt", "+7.");
    assert_int_equal(p.supply.total_uakt, 7000000);
    set_ok(&p, "supply.total_akt", "1e12");                  /* the maximum, 10^18 uakt */
    assert_int_equal(p.supply.total_uakt, INT64_C(1000000000000000000));
    set_ok(&p, "supply.total_akt", "0000000000000000000000000000042");
    assert_int_equal(p.supply.total_uakt, 42000000);

    set_bad(&p, "supply.total_akt", "1.0000001", "more than 6 decimals");
    set_bad(&p, "supply.community_pool_akt", "1.5e-7", "more than 6 decimals");
    set_bad(&p, "supply.total_akt", "1000000000000.000001", "out of range");
    set_bad(&p, "supply.total_akt", "99999999999999999999", "out of range");
    set_bad(&p, "supply.total_akt", "1e100000000", "out of range");
    set_bad(&p, "supply.total_akt", "0", "out of range");
    set_bad(&p, "supply.community_pool_akt", "-1", "out of range");
    set_bad(&p, "supply.total_akt", "", "expected an amount in AKT");
    set_bad(&p, "supply.total_akt", ".", "expected an amount");
    set_bad(&p, "supply.total_akt", "1e", "expected an amount");
    set_bad(&p, "supply.total_akt", "1..2", "expected an amount");
    set_bad(&p, "supply.total_akt", "12 AKT", "expected an amount");
    set_bad(&p, "supply.total_akt", "0x10", "expected an amount");

    char buf[64];
    p.supply.community_pool_uakt = 1;
    params_format(&p, def("supply.community_pool_akt"), buf, sizeof buf);
    assert_string_equal(buf, "0.000001");
    p.supply.community_pool_uakt = INT64_C(230816799500000);
    params_format(&p, def("supply.community_pool_akt"), buf, sizeof buf);
    assert_string_equal(buf, "230816799.5");
    p.supply.community_pool_uakt = INT64_C(-1500000);        /* never valid, but printable */
    params_format(&p, def("supply.community_pool_akt"), buf, sizeof buf);
    assert_string_equal(buf, "-1.5");
    assert_true(params_value(&p, def("supply.community_pool_akt")) == -1.5);
}

static void test_enums(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    char buf[64];
    set_ok(&p, "mint.model", "fixed");
    assert_int_equal(p.mint.model, MINT_FIXED);
    set_ok(&p, "mint.model", "whitepaper");
    assert_int_equal(p.mint.model, MINT_WHITEPAPER);
    params_format(&p, def("mint.model"), buf, sizeof buf);
    assert_string_equal(buf, "whitepaper");
    assert_true(params_value(&p, def("mint.model")) == MINT_WHITEPAPER);
    set_ok(&p, "staking.model", "fixed");
    assert_int_equal(p.staking.model, STAKING_FIXED);
    set_bad(&p, "mint.model", "Cosmos", "expected one of cosmos|fixed|whitepaper, got 'Cosmos'");
    set_bad(&p, "mint.model", "", "expected one of");
    set_bad(&p, "mint.model", "cosmos|fixed", "expected one of");
    set_bad(&p, "mint.model", "fixe", "expected one of");
    set_bad(&p, "staking.model", "cosmos", "expected one of apr_response|fixed");
}

static void test_bools(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    static const char *yes[] = {"true", "yes", "on"}, *no[] = {"false", "no", "off"};
    for (int i = 0; i < 3; i++) {
        set_ok(&p, "mint.exact_blocks", yes[i]);
        assert_true(p.mint.exact_blocks);
        set_ok(&p, "mint.exact_blocks", no[i]);
        assert_false(p.mint.exact_blocks);
    }
    set_bad(&p, "mint.exact_blocks", "1", "expected true or false, got '1'");
    set_bad(&p, "mint.exact_blocks", "maybe", "expected true or false");
    set_bad(&p, "mint.exact_blocks", "", "expected true or false");
}

static void test_dates(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    set_ok(&p, "start_date", "2024-02-29");
    assert_string_equal(p.start_date, "2024-02-29");
    set_ok(&p, "start_date", "2000-02-29");                  /* divisible by 400: leap */
    set_ok(&p, "start_date", "1970-01-01");
    set_bad(&p, "start_date", "2023-02-29", "expected a date YYYY-MM-DD");
    set_bad(&p, "start_date", "1900-02-29", "expected a date");  /* divisible by 100: not leap */
    set_bad(&p, "start_date", "1969-12-31", "1970 or later");
    set_bad(&p, "start_date", "2024-13-01", "expected a date");
    set_bad(&p, "start_date", "2024-04-31", "expected a date");
    set_bad(&p, "start_date", "2024-00-10", "expected a date");
    set_bad(&p, "start_date", "2024-3-20", "expected a date");
    set_bad(&p, "start_date", "2024-03-20T00:00", "expected a date");
    set_bad(&p, "start_date", "2024/03/20", "expected a date");
    set_bad(&p, "start_date", "", "expected a date");
    assert_int_equal(params_date_to_days("1970-01-01"), 0);
    assert_int_equal(params_date_to_days("2024-02-29"), 19782);
    assert_int_equal(params_date_to_days("2024-03-20"), 19802);
    assert_int_equal(params_date_to_days("2024-02-30"), -1);
    assert_int_equal(params_date_to_days("+024-02-10"), -1);
}

static void test_text(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    char longest[PARAMS_TEXT_MAX], too_long[PARAMS_TEXT_MAX + 1];
    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    memset(too_long, 'b', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    set_ok(&p, "name", longest);
    assert_string_equal(p.name, longest);
    set_bad(&p, "name", too_long, "text longer than 255 characters");
    set_ok(&p, "name", "");
    set_ok(&p, "name", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80 \"quoted\" \\ tab\there");
    set_bad(&p, "name", "bad \xff byte", "not valid UTF-8");
    set_bad(&p, "name", "overlong \xc0\xaf", "not valid UTF-8");
    set_bad(&p, "name", "surrogate \xed\xa0\x80", "not valid UTF-8");
    set_bad(&p, "name", "cut \xe2\x82", "not valid UTF-8");
}

static void test_suggest(void **state)
{
    (void)state;
    assert_string_equal(params_suggest("mint.inflation_mx"), "mint.inflation_max");
    assert_string_equal(params_suggest("mint.inflaton"), "mint.inflation");
    assert_string_equal(params_suggest("dayz"), "days");
    assert_string_equal(params_suggest("supply.bonded_ration"), "supply.bonded_ratio");
    /* the right key in the wrong section */
    assert_string_equal(params_suggest("mint.community_tax"), "distribution.community_tax");
    assert_null(params_suggest("zzzzzz"));
    assert_null(params_suggest(""));
    assert_null(params_suggest("completely.unrelated_words_here"));
    /* a last component too long to compare must not suggest anything */
    char lng[200];
    memset(lng, 'q', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    memcpy(lng, "mint.", 5);
    assert_null(params_suggest(lng));
    memcpy(lng, "zzzz.", 5);
    assert_null(params_suggest(lng));
}

static void test_check(void **state)
{
    (void)state;
    params_t p;
    char msg[256];
    const char *blame = NULL;

    params_defaults(&p);
    p.mint.inflation_min = 0.3;
    p.mint.inflation_max = 0.25;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "mint.inflation_min");
    assert_non_null(strstr(msg, "mint.inflation_min"));
    assert_non_null(strstr(msg, "mint.inflation_max"));

    params_defaults(&p);
    p.mint.inflation_min = p.mint.inflation_max = 0.1;       /* equal is allowed */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    params_defaults(&p);
    p.supply.community_pool_uakt = p.supply.total_uakt + 1;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "supply.community_pool_akt");

    params_defaults(&p);
    p.supply.bonded_ratio = 0.99;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "supply.bonded_ratio");

    params_defaults(&p);
    p.mint.model = MINT_WHITEPAPER;
    strcpy(p.mint.wp_genesis_date, "2030-01-01");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "mint.whitepaper_genesis_date");
    p.mint.model = MINT_COSMOS;                              /* only the whitepaper rule cares */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    params_defaults(&p);
    p.providers.markup_min = 3.5;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "providers.markup_min");
    assert_non_null(strstr(msg, "providers.markup_min (3.5) is above providers.markup_max (3)"));

    params_defaults(&p);
    p.providers.markup_initial_max = 0.5;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "providers.markup_initial_min");

    params_defaults(&p);
    p.bme.cr_halt = p.bme.cr_warn;                           /* x/bme: warn > halt */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "bme.cr_halt");
    assert_non_null(strstr(msg, "bme.cr_halt (0.95) is not below bme.cr_warn (0.95)"));

    params_defaults(&p);
    for (int c = 0; c < RES_COUNT; c++)
        p.resources[c].demand_share = 0;
    const char *reads = NULL;
    assert_int_equal(params_check_rules(&p, msg, sizeof msg, &blame, &reads), -1);
    assert_non_null(strstr(msg, "every resources.<class>.demand_share is 0"));
    assert_true(params_reads(reads, "resources.v100.demand_share"));
    assert_false(params_reads(reads, "tenants.orders_per_day"));
    p.resources[RES_V100].demand_share = 0.1;                /* one class is enough */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    /* four GPU classes with capacity need four providers to host them on day 0 */
    params_defaults(&p);
    p.providers.initial = 3;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "providers.initial");
    assert_non_null(strstr(msg, "providers.initial (3) is under the number of GPU classes with day-0 capacity (4)"));
    p.resources[RES_V100].capacity = 0;                      /* three classes: three hosts are enough */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    /* what a rule reads: whole names, or the end of one after '*' */
    assert_true(params_reads("mint.inflation_min mint.inflation_max", "mint.inflation_max"));
    assert_false(params_reads("mint.inflation_min mint.inflation_max", "mint.inflation"));
    assert_false(params_reads("*.demand_share", "share"));
}

/* Dates and day numbers both ways. */
static void test_days_to_date(void **state)
{
    (void)state;
    char d[PARAMS_DATE_MAX];
    static const char *const dates[] = {"1970-01-01", "2024-02-29", "2024-03-20", "2024-09-16", "2100-03-01",
                                        "9999-12-31"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        assert_int_equal(params_days_to_date(params_date_to_days(dates[i]), d), 0);
        assert_string_equal(d, dates[i]);
    }
    assert_int_equal(params_days_to_date(params_date_to_days("2024-03-20") + 180, d), 0);
    assert_string_equal(d, "2024-09-16");
    assert_int_equal(params_days_to_date(-1, d), -1);
    assert_string_equal(d, "");
    assert_int_equal(params_days_to_date(params_date_to_days("9999-12-31") + 1, d), -1);
}

/* Sizes that would exhaust memory or disk are refused with the limit in the message. */
static void test_limits(void **state)
{
    (void)state;
    params_t p;
    char msg[512];
    const char *blame = NULL;

    /* the defaults are far below: about 20 MB a run */
    params_set_run_size(world_run_size);
    params_defaults(&p);
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);
    params_run_size_t size;
    world_run_size(&p, &size);
    assert_true(size.bytes > 1e6 && size.bytes < 1e8);

    /* the lease table: 1e8 x 64 B = 6 GiB a run */
    set_ok(&p, "market.max_leases", "1e8");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "market.max_leases");
    assert_non_null(strstr(msg, "6.0 GiB"));
    assert_non_null(strstr(msg, "the limit is 4 GiB a run"));
    set_ok(&p, "market.max_leases", "5e7");                  /* 3.2 GB: allowed */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    /* providers and the order queue add up */
    set_ok(&p, "providers.max", "1e7");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "market.max_leases");
    params_defaults(&p);
    set_ok(&p, "tenants.max_orders_per_day", "1e7");
    set_ok(&p, "market.order_retry_days", "365");            /* 1e7 x 366 orders */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "tenants.max_orders_per_day");

    /* values kept: runs x recorded times */
    params_defaults(&p);
    set_ok(&p, "runs", "1e7");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "runs");
    assert_non_null(strstr(msg, "10000000 x 1 x 1826"));
    assert_non_null(strstr(msg, "the limit is 1e+09"));
    set_ok(&p, "output.record_every_days", "30");            /* 1e7 x 63 times: allowed */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);

    /* a grid sweep's points, and its largest sizes */
    params_defaults(&p);
    p.sweep.mode = SWEEP_GRID;
    p.sweep.nparams = 3;
    for (size_t j = 0; j < 3; j++) {
        p.sweep.param[j] = (int)(params_find(j == 0 ? "mint.inflation" : j == 1 ? "market.usdc_share"
                                                                                 : "staking.restake_share") -
                                 params_table(&(size_t){0}));
        p.sweep.nvalues[j] = 17;
        for (size_t v = 0; v < 17; v++)
            snprintf(p.sweep.values[j][v], sizeof p.sweep.values[j][v], "0.%02zu", v);
    }
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);   /* 17^3 = 4913 */
    assert_non_null(strstr(msg, "4913 points; the limit is 4096"));
    p.sweep.nvalues[2] = 14;                                  /* 4046 points x 200 runs x 1826 times */
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_string_equal(blame, "runs");
    assert_non_null(strstr(msg, "200 x 4046 x 1826"));
    p.runs = 100;
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);
    p.sweep.nparams = 1;
    p.sweep.param[0] = (int)(params_find("market.max_leases") - params_table(&(size_t){0}));
    p.sweep.nvalues[0] = 2;
    strcpy(p.sweep.values[0][0], "1000");
    strcpy(p.sweep.values[0][1], "1e8");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), -1);
    assert_non_null(strstr(msg, "at the sweep's largest values"));
    assert_int_equal(p.market.max_leases, 300000);            /* p itself untouched */
    strcpy(p.sweep.values[0][1], "1e6");
    assert_int_equal(params_check(&p, msg, sizeof msg, &blame), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_names),
        cmocka_unit_test(test_defaults_round_trip),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_amounts_exact),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_bools),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_days_to_date),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
