/* The observed price series as input: the CSV's errors named FILE:LINE
 * (core/pricefile.c), price.series_file relative to the scenario file or, with
 * --set, to the working directory, a start before the first point refused with
 * the file and the date, the inline form, and the resolved scenario read back
 * to the same points without the CSV. Run from the repository root. */
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pricefile.h"
#include "scenario.h"

static char dir[256];

/* dir/name holding text; returns the path (static buffer per call site copy). */
static void put(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/tokensim-series-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    char sub[300];
    snprintf(sub, sizeof sub, "%s/prices", dir);
    return mkdir(sub, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static const char *const good_csv =
    "# AKT/USD, for the tests\n"
    "date,usd,source,note\n"
    "2024-03-20,5.0,\"report, p. 3\",\n"
    "2024-06-30,3.25,article,\"a note, quoted\"\n"
    "\n"
    "2026-03-31,0.5,secondary,\n";

static void expect_csv_error(const char *text, const char *want)
{
    char path[400];
    put("bad.csv", text, path, sizeof path);
    price_series_t s;
    s.npoints = 77;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(pricefile_read(path, &s, &err), SIM_EINVAL);
    assert_int_equal(s.npoints, 77);        /* untouched */
    char full[600];
    snprintf(full, sizeof full, "%s%s", path, want);
    if (!strstr(err.msg, full))
        fail_msg("'%s' lacks '%s'", err.msg, full);
}

static void test_csv(void **state)
{
    (void)state;
    char path[400];
    put("p.csv", good_csv, path, sizeof path);
    price_series_t s;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(pricefile_read(path, &s, &err), SIM_OK);
    assert_int_equal(s.npoints, 3);
    assert_int_equal(s.day[0], params_date_to_days("2024-03-20"));
    assert_int_equal(s.day[2], params_date_to_days("2026-03-31"));
    assert_true(s.usd[0] == 5.0 && s.usd[1] == 3.25 && s.usd[2] == 0.5);

    expect_csv_error("date,usd,source\n2024-03-20,5,a\n2024-03-20,4,b\n",
                     ":3: date 2024-03-20 is not after the previous point's 2024-03-20");
    expect_csv_error("date,usd,source\n2024-03-20,5,a\n# x\n2024-01-01,4,b\n",
                     ":4: date 2024-01-01 is not after the previous point's 2024-03-20");
    expect_csv_error("date,usd,source\n2024-03-20,five,a\n", ":2: usd: expected a finite number, got 'five'");
    expect_csv_error("date,usd,source\n2024-03-20,0,a\n", ":2: price 0 is not a positive number");
    expect_csv_error("date,usd,source\n2024-03-20,-1,a\n", ":2: price -1 is not a positive number");
    expect_csv_error("date,usd,source\n2024-03-20,inf,a\n", ":2: usd: expected a finite number, got 'inf'");
    expect_csv_error("date,usd,source\n2024/03/20,5,a\n", ":2: date: expected a date YYYY-MM-DD");
    expect_csv_error("date,usd\n2024-03-20,5\n", ":1: header: missing column 'source' (the columns are date, "
                     "usd, source, note)");
    expect_csv_error("date,price,source\n", ":1: header: unknown column 'price'");
    expect_csv_error("date,usd,source\n2024-03-20,5,\n", ":2: source: no value given");
    expect_csv_error("date,usd,source\n2024-03-20,5\n", ":2: 2 fields, the header has 3");
    expect_csv_error("date,usd,source\n", ": no prices");

    /* the most points a series may have, and one more */
    size_t cap = 64 + 40 * (PARAMS_MAX_PRICE_POINTS + 1);
    char *big = malloc(cap);
    assert_non_null(big);
    size_t used = (size_t)snprintf(big, cap, "date,usd,source\n");
    for (long k = 0; k <= PARAMS_MAX_PRICE_POINTS; k++) {
        char date[PARAMS_DATE_MAX];
        params_days_to_date(params_date_to_days("2020-01-01") + k, date);
        used += (size_t)snprintf(big + used, cap - used, "%s,%ld,x\n", date, k + 1);
    }
    char want[64];
    snprintf(want, sizeof want, ":%d: more than %d price points", PARAMS_MAX_PRICE_POINTS + 2,
             PARAMS_MAX_PRICE_POINTS);
    expect_csv_error(big, want);
    *strrchr(big, '\n') = '\0';
    *(strrchr(big, '\n') + 1) = '\0';        /* drop the last row */
    put("big.csv", big, path, sizeof path);
    sim_error_clear(&err);
    assert_int_equal(pricefile_read(path, &s, &err), SIM_OK);
    assert_int_equal(s.npoints, PARAMS_MAX_PRICE_POINTS);
    assert_true(s.usd[PARAMS_MAX_PRICE_POINTS - 1] == PARAMS_MAX_PRICE_POINTS);
    free(big);

    /* days and dates both ways */
    char date[PARAMS_DATE_MAX];
    params_days_to_date(0, date);
    assert_string_equal(date, "1970-01-01");
    params_days_to_date(params_date_to_days("2024-02-29"), date);
    assert_string_equal(date, "2024-02-29");
    params_days_to_date(params_date_to_days("9999-12-31"), date);
    assert_string_equal(date, "9999-12-31");
}

static void load_ok(const char *path, params_t *p)
{
    sim_error_t err;
    sim_error_clear(&err);
    if (scenario_load(path, p, &err) != SIM_OK)
        fail_msg("%s", err.msg);
}

static void expect_load_error(const char *path, const char *const want[])
{
    params_t p;
    params_defaults(&p);
    p.seed = 4242;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_load(path, &p, &err), SIM_EINVAL);
    assert_int_equal(p.seed, 4242);          /* untouched */
    for (size_t i = 0; want[i]; i++)
        if (!strstr(err.msg, want[i]))
            fail_msg("'%s' lacks '%s'", err.msg, want[i]);
}

static void assert_same_series(const params_t *a, const params_t *b)
{
    assert_int_equal(a->price.series.npoints, b->price.series.npoints);
    for (int64_t k = 0; k < a->price.series.npoints; k++) {
        assert_int_equal(a->price.series.day[k], b->price.series.day[k]);
        assert_true(a->price.series.usd[k] == b->price.series.usd[k]);
    }
    assert_string_equal(a->price.series_file, b->price.series_file);
    assert_int_equal(a->price.mode, b->price.mode);
}

/* A scenario's series_file is relative to its directory; a start before the
 * first point is refused with the file and the date. */
static void test_scenario_file(void **state)
{
    (void)state;
    char csv[400], yaml[400];
    put("prices/p.csv", good_csv, csv, sizeof csv);
    put("s.yaml", "start_date: 2024-04-01\nprice:\n  mode: series\n  series_file: prices/p.csv\n", yaml, sizeof yaml);
    params_t p;
    load_ok(yaml, &p);
    assert_int_equal(p.price.mode, PRICE_SERIES);
    assert_string_equal(p.price.series_file, "prices/p.csv");
    assert_int_equal(p.price.series.npoints, 3);
    assert_true(p.price.series.usd[1] == 3.25);

    /* a proposal on top of it: the base's points come along */
    char child[400];
    put("child.yaml", "base: s.yaml\nmint:\n  inflation_max: 0.25\n", child, sizeof child);
    params_t q;
    load_ok(child, &q);
    assert_same_series(&p, &q);

    put("early.yaml", "start_date: 2024-01-01\nprice:\n  mode: series\n  series_file: prices/p.csv\n", yaml,
        sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"early.yaml:1:1: start_date 2024-01-01 is before the first price "
                                                  "of the series (prices/p.csv), 2024-03-20", NULL});
    put("nofile.yaml", "price:\n  mode: series\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"nofile.yaml:2:3: price.mode series needs observed prices: "
                                                  "set price.series_file", NULL});
    put("missing.yaml", "price:\n  series_file: prices/none.csv\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"missing.yaml:2:3: price.series_file: ", "prices/none.csv: cannot open",
                                                  NULL});
    put("prices/bad.csv", "date,usd,source\n2024-03-20,5,a\n2024-03-19,4,b\n", csv, sizeof csv);
    put("badcsv.yaml", "\nprice: {series_file: prices/bad.csv}\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"badcsv.yaml:2:9: price.series_file: ", "prices/bad.csv:3: date "
                                                  "2024-03-19 is not after", NULL});
    put("dirfile.yaml", "price: {series_file: prices}\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"dirfile.yaml:1:9: price.series_file: ", "it is a directory", NULL});
    /* the file is read once, at load: not by an event or a sweep */
    put("event.yaml", "events:\n  - {day: 5, set: {price.series_file: prices/p.csv}}\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"event.yaml:2:20: price.series_file: cannot change during a run",
                                                  NULL});
    put("sweep.yaml", "sweep:\n  params:\n    price.series_file: [prices/p.csv, prices/bad.csv]\n", yaml,
        sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"sweep.yaml:3:5: price.series_file: read once, at load", NULL});
}

static void test_inline_series(void **state)
{
    (void)state;
    char yaml[400];
    put("inline.yaml",
        "price:\n  mode: series\n  series:\n    - [2024-03-20, 5]\n    - [2024-04-20, 2.5]\n", yaml, sizeof yaml);
    params_t p;
    load_ok(yaml, &p);
    assert_int_equal(p.price.series.npoints, 2);
    assert_true(p.price.series.usd[1] == 2.5);
    assert_string_equal(p.price.series_file, "");

    /* inline points win over series_file in the same file: it is not read */
    put("both.yaml", "price:\n  series_file: prices/none.csv\n  series: [[2024-03-20, 5]]\n", yaml, sizeof yaml);
    load_ok(yaml, &p);
    assert_int_equal(p.price.series.npoints, 1);
    assert_string_equal(p.price.series_file, "prices/none.csv");

    put("i1.yaml", "price:\n  series: [[2024-03-20, 5], [2024-03-20, 4]]\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i1.yaml:2:29: price.series: date 2024-03-20 is not after", NULL});
    put("i2.yaml", "price:\n  series: [[2024-03-20, five]]\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i2.yaml:2:25: price.series: expected a price in USD per AKT, got "
                                                  "'five'", NULL});
    put("i3.yaml", "price:\n  series: [[March, 5]]\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i3.yaml:2:13: price.series: expected a date YYYY-MM-DD", NULL});
    put("i4.yaml", "price:\n  series: [2024-03-20, 5]\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i4.yaml:2:12: price.series: expected a pair", NULL});
    put("i5.yaml", "price:\n  series: []\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i5.yaml:2:3: price.series: expected a list of", NULL});
    put("i6.yaml", "price:\n  series: [[2024-03-20, -5]]\n", yaml, sizeof yaml);
    expect_load_error(yaml, (const char *const[]){"i6.yaml:2:12: price.series: price -5 is not a positive", NULL});
}

/* --set price.series_file: relative to the working directory; a bad file
 * leaves the parameters as they were. */
static void test_set(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(scenario_apply_set(&p, "price.series_file=data/prices/akt-usd.csv", &err), SIM_OK);
    assert_true(p.price.series.npoints >= 2);
    assert_int_equal(p.price.series.day[0], params_date_to_days("2024-03-20"));
    assert_int_equal(scenario_apply_set(&p, "price.mode=series", &err), SIM_OK);
    assert_int_equal(scenario_check(&p, "after --set", &err), SIM_OK);
    params_t before = p;
    /* a longer name than the one before: every byte of it is undone */
    assert_int_equal(scenario_apply_set(&p, "price.series_file=data/prices/none-of-these-prices.csv", &err),
                     SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--set price.series_file=data/prices/none-of-these-prices.csv: "
                                    "price.series_file: data/prices/none-of-these-prices.csv: cannot open"));
    assert_true(memcmp(&before.price, &p.price, sizeof p.price) == 0);
    sim_error_clear(&err);
    assert_int_equal(scenario_apply_set(&p, "start_date=2024-03-19", &err), SIM_OK);
    assert_int_equal(scenario_check(&p, "after --set", &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "after --set: start_date 2024-03-19 is before the first price of the series "
                                    "(data/prices/akt-usd.csv), 2024-03-20"));
    /* an empty name drops the points */
    sim_error_clear(&err);
    assert_int_equal(scenario_apply_set(&p, "price.series_file=", &err), SIM_OK);
    assert_int_equal(p.price.series.npoints, 0);
}

/* The resolved scenario carries the points inline: it reads back to the same
 * parameters from anywhere, with the CSV gone. */
static void test_round_trip(void **state)
{
    (void)state;
    char csv[400], yaml[400];
    put("prices/rt.csv", good_csv, csv, sizeof csv);
    put("rt.yaml", "price:\n  mode: series\n  series_file: prices/rt.csv\n  volatility_per_year: 0.7\n", yaml,
        sizeof yaml);
    params_t p;
    load_ok(yaml, &p);
    p.price.series.usd[1] = 0.1 + 0.2;          /* a price that needs 17 digits */
    char *text = scenario_to_yaml(&p);
    assert_non_null(text);
    assert_non_null(strstr(text, "\n  series_file: \"prices/rt.csv\"\n"));
    assert_non_null(strstr(text, "\n  series:\n  - [2024-03-20, 5]\n  - [2024-06-30, 0.30000000000000004]\n"));
    unlink(csv);                                /* the CSV is not needed */
    char back[400];
    put("prices/resolved.yaml", text, back, sizeof back);   /* another directory */
    params_t q;
    load_ok(back, &q);
    assert_same_series(&p, &q);
    assert_true(memcmp(&p, &q, sizeof p) == 0);
    free(text);

    /* no points, nothing written */
    params_defaults(&p);
    text = scenario_to_yaml(&p);
    assert_non_null(text);
    assert_null(strstr(text, "series:"));
    assert_non_null(strstr(text, "\n  series_file: \"\"\n"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_scenario_file),
        cmocka_unit_test(test_inline_series),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("series", tests, setup, teardown);
}
