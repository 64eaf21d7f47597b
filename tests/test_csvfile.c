/* CSV tables (core/csvfile.c): rows with their lines across comments, blank
 * lines, quoted commas and quoted line breaks; every kind of bad table named
 * FILE:LINE; only regular files; the field helpers. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvfile.h"

static const char *const cols_req[] = {"date", "value", NULL};
static const char *const cols_opt[] = {"note", NULL};
static const csv_spec_t spec = {.required = cols_req, .optional = cols_opt};

typedef struct {
    size_t n;
    long line[16];
    char value[16][64];
    char note[16][64];
    int fail_at;                /* refuse data row k (1-based); 0: none */
} seen_t;

static sim_status_t collect(const csv_row_t *row, void *ctx, sim_error_t *err)
{
    seen_t *s = ctx;
    if (s->fail_at && (int)row->index + 1 == s->fail_at)
        return csv_row_fail(row, err, "row %zu refused", row->index + 1);
    assert_true(s->n < 16);
    s->line[s->n] = row->line;
    const char *v = csv_field(row, "value"), *note = csv_field(row, "note");
    assert_non_null(v);
    snprintf(s->value[s->n], sizeof s->value[0], "%s", v);
    snprintf(s->note[s->n], sizeof s->note[0], "%s", note ? note : "(none)");
    s->n++;
    return SIM_OK;
}

static sim_status_t parse(const char *text, seen_t *s, sim_error_t *err)
{
    memset(s, 0, sizeof *s);
    sim_error_clear(err);
    return csvfile_parse("t.csv", text, strlen(text), &spec, collect, s, err);
}

static void expect_error(const char *text, const char *want)
{
    seen_t s;
    sim_error_t err;
    assert_int_equal(parse(text, &s, &err), SIM_EINVAL);
    if (!strstr(err.msg, want))
        fail_msg("'%s' lacks '%s'", err.msg, want);
}

static void test_rows_and_lines(void **state)
{
    (void)state;
    seen_t s;
    sim_error_t err;
    const char *text =
        "# a comment before the header\n"           /* 1 */
        "\n"                                        /* 2 */
        "date, value ,note\n"                       /* 3 */
        "2024-01-01, 5.0 ,\"a, b\"\n"               /* 4 */
        "  # an indented comment\n"                 /* 5 */
        "   \n"                                     /* 6 */
        "2024-02-01,4,\"two\n"                      /* 7 */
        "# not a comment: inside quotes\"\n"        /* 8 */
        "2024-03-01,3,\"say \"\"hi\"\"\"\r\n"       /* 9 */
        "2024-04-01,2,";                            /* 10, no line end */
    assert_int_equal(parse(text, &s, &err), SIM_OK);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.line[0], 4);
    assert_int_equal(s.line[1], 7);
    assert_int_equal(s.line[2], 9);
    assert_int_equal(s.line[3], 10);
    assert_string_equal(s.value[0], "5.0");         /* unquoted fields are trimmed */
    assert_string_equal(s.note[0], "a, b");
    assert_string_equal(s.note[1], "two\n# not a comment: inside quotes");
    assert_string_equal(s.note[2], "say \"hi\"");
    assert_string_equal(s.note[3], "");

    /* an optional column may be absent; a byte-order mark and CR line ends are fine */
    assert_int_equal(parse("\xef\xbb\xbfvalue,date\r\n1,2024-01-01\r\n\r\n2,2024-01-02\r\n", &s, &err), SIM_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.line[1], 4);
    assert_string_equal(s.note[0], "(none)");
    /* old Mac line ends count as lines too */
    assert_int_equal(parse("date,value\r1,2\r\r3,4\r", &s, &err), SIM_OK);
    assert_int_equal(s.line[1], 4);
}

static void test_bad_tables(void **state)
{
    (void)state;
    expect_error("date,value\n2024-01-01\n", "t.csv:2: 1 field, the header has 2");
    expect_error("date,value\n\n1,2,3\n", "t.csv:3: 3 fields, the header has 2");
    expect_error("date\n1\n", "t.csv:1: header: missing column 'value' (the columns are date, value, note)");
    expect_error("date,value,prise\n", "t.csv:1: header: unknown column 'prise'");
    expect_error("# x\ndate,value,date\n", "t.csv:2: header: column 'date' given twice");
    expect_error("date,,value\n", "t.csv:1: header: column 2 has no name");
    expect_error("date,value\n1,2\"x\n", "t.csv:2: malformed CSV");
    expect_error("date,value\n1,\"2\"x\n", "t.csv:2: malformed CSV");
    expect_error("date,value\n1,2\n3,\"4\n5,6\n", "t.csv:3: a quoted field opened here is never closed");
    expect_error("", "t.csv: no header row");
    expect_error("# only a comment\n\n", "t.csv: no header row");
    static const char nul[] = "date,value\n1,a\0b\n";
    seen_t s;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(csvfile_parse("t.csv", nul, sizeof nul - 1, &spec, collect, &s, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "t.csv:2: a field contains a NUL byte"));

    /* the callback's error stops the read, with its line */
    memset(&s, 0, sizeof s);
    s.fail_at = 2;
    sim_error_clear(&err);
    const char *text = "date,value\n1,2\n#\n3,4\n5,6\n";
    assert_int_equal(csvfile_parse("t.csv", text, strlen(text), &spec, collect, &s, &err), SIM_EINVAL);
    assert_string_equal(err.msg, "t.csv:4: row 2 refused");
    assert_int_equal(s.n, 1);

    /* a row limit */
    csv_spec_t two = spec;
    two.max_rows = 2;
    memset(&s, 0, sizeof s);
    sim_error_clear(&err);
    assert_int_equal(csvfile_parse("t.csv", text, strlen(text), &two, collect, &s, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "t.csv:5: more than 2 rows"));
}

static sim_status_t typed(const csv_row_t *row, void *ctx, sim_error_t *err)
{
    double *sum = ctx, v;
    long d;
    sim_status_t st = csv_date(row, "date", &d, err);
    if (st == SIM_OK)
        st = csv_real(row, "value", &v, err);
    if (st == SIM_OK)
        *sum += v + (double)d;
    return st;
}

static void expect_typed(const char *text, sim_status_t want, const char *msg)
{
    double sum = 0;
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(csvfile_parse("t.csv", text, strlen(text), &spec, typed, &sum, &err), want);
    if (msg && !strstr(err.msg, msg))
        fail_msg("'%s' lacks '%s'", err.msg, msg);
}

static void test_field_helpers(void **state)
{
    (void)state;
    double sum = 0;
    sim_error_t err;
    sim_error_clear(&err);
    const char *text = "date,value\n1970-01-02,0.5\n";
    assert_int_equal(csvfile_parse("t.csv", text, strlen(text), &spec, typed, &sum, &err), SIM_OK);
    assert_close(sum, 1.5, 0, 0);
    expect_typed("date,value\n2024-01-01,abc\n", SIM_EINVAL, "t.csv:2: value: expected a finite number, got 'abc'");
    expect_typed("date,value\n2024-01-01,1e999\n", SIM_EINVAL, "got '1e999'");
    expect_typed("date,value\n2024-01-01,nan\n", SIM_EINVAL, "got 'nan'");
    expect_typed("date,value\n2024-01-01,\n", SIM_EINVAL, "t.csv:2: value: no value given");
    expect_typed("date,value\n20240101,1\n", SIM_EINVAL, "t.csv:2: date: expected a date YYYY-MM-DD");
    expect_typed("date,value\n2023-02-29,1\n", SIM_EINVAL, "got '2023-02-29'");
}

static void test_files(void **state)
{
    (void)state;
    seen_t s;
    sim_error_t err;
    memset(&s, 0, sizeof s);
    sim_error_clear(&err);
    assert_int_equal(csvfile_read("tests", &spec, collect, &s, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "tests: cannot read: it is a directory"));
    sim_error_clear(&err);
    assert_int_equal(csvfile_read("/dev/null", &spec, collect, &s, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "not a regular file"));
    sim_error_clear(&err);
    assert_int_equal(csvfile_read("tests/no-such-file.csv", &spec, collect, &s, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, "tests/no-such-file.csv: cannot open"));

    char path[] = "/tmp/tokensim-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "date,value\n2024-01-01,7\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    sim_error_clear(&err);
    assert_int_equal(csvfile_read(path, &spec, collect, &s, &err), SIM_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.value[0], "7");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_and_lines),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_field_helpers),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests_name("csvfile", tests, NULL, NULL);
}
