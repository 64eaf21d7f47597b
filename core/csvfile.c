/*
 * CSV tables: see csvfile.h. The text is fed to libcsv one physical line at a
 * time, so that the line of each row (and of a syntax error) is known; comment
 * and blank lines between rows are passed over before libcsv sees them.
 */
#include "csvfile.h"
#include "dates.h"
#include "readfile.h"
#include "text.h"

#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest value quoted back in a message. */
#define SHOW (TEXT_SHOW_MAX + 8)

typedef struct {
    const char *path;
    const csv_spec_t *spec;
    csv_row_fn fn;
    void *ctx;
    sim_error_t *err;
    sim_status_t st;
    long line;                  /* the physical line being fed */
    long row_line;              /* where the open row began; 0: no row open */
    /* the open row: its fields back to back, NUL-terminated, at off[i] in text */
    char *text;
    size_t text_len, text_cap;
    size_t *off;
    size_t nfields, off_cap;
    /* the header, kept */
    char *head;
    const char **names;
    size_t ncols;
    const char **values;        /* [ncols] the row handed to the callback */
    size_t rows;
} reader_t;

static sim_status_t fail_at(reader_t *r, long line, sim_status_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static sim_status_t fail_at(reader_t *r, long line, sim_status_t code, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->st == SIM_OK) {
        if (line > 0)
            sim_fail(r->err, code, "%s:%ld: %s", r->path, line, msg);
        else
            sim_fail(r->err, code, "%s: %s", r->path, msg);
        r->st = code;
    }
    return r->st;
}

/* libcsv's field callback: append the field to the open row. */
static void on_field(void *s, size_t len, void *data)
{
    reader_t *r = data;
    if (r->row_line == 0)
        r->row_line = r->line;      /* a row begun after a bare CR on the same line */
    if (r->st != SIM_OK)
        return;
    if (len > 0 && memchr(s, '\0', len)) {
        fail_at(r, r->line, SIM_EINVAL, "a field contains a NUL byte");
        return;
    }
    if (r->nfields == CSVFILE_MAX_COLUMNS) {
        fail_at(r, r->row_line, SIM_EINVAL, "more than %d fields in a row", CSVFILE_MAX_COLUMNS);
        return;
    }
    if (r->nfields == r->off_cap) {
        size_t ncap = r->off_cap ? r->off_cap * 2 : 16;
        size_t *no = realloc(r->off, ncap * sizeof *no);
        if (!no) {
            fail_at(r, 0, SIM_ENOMEM, "out of memory reading the table");
            return;
        }
        r->off = no;
        r->off_cap = ncap;
    }
    if (r->text_len + len + 1 > r->text_cap) {
        size_t ncap = r->text_cap ? r->text_cap : 256;
        while (ncap < r->text_len + len + 1)
            ncap *= 2;
        char *nt = realloc(r->text, ncap);
        if (!nt) {
            fail_at(r, 0, SIM_ENOMEM, "out of memory reading the table");
            return;
        }
        r->text = nt;
        r->text_cap = ncap;
    }
    r->off[r->nfields++] = r->text_len;
    if (len > 0)
        memcpy(r->text + r->text_len, s, len);
    r->text_len += len;
    r->text[r->text_len++] = '\0';
}

static int in_list(const char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (!strcmp(*list, name))
            return 1;
    return 0;
}

/* "date, usd, source": the names of a NULL-terminated list (or two). */
static void list_names(const char *const *a, const char *const *b, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l && used < len; l++) {
            int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", *l);
            if (w < 0)
                return;
            used += (size_t)w;
        }
}

/* The first row: column names, each once, the required ones present. */
static void take_header(reader_t *r)
{
    const csv_spec_t *sp = r->spec;
    char known[512], shown[SHOW];
    list_names(sp->required, sp->optional, known, sizeof known);
    r->head = malloc(r->text_len ? r->text_len : 1);
    r->names = malloc(r->nfields * sizeof *r->names);
    r->values = malloc(r->nfields * sizeof *r->values);
    if (!r->head || !r->names || !r->values) {
        fail_at(r, 0, SIM_ENOMEM, "out of memory reading the table");
        return;
    }
    memcpy(r->head, r->text, r->text_len);
    r->ncols = r->nfields;
    for (size_t i = 0; i < r->ncols; i++) {
        const char *name = r->head + r->off[i];
        r->names[i] = name;
        text_show(name, shown, sizeof shown);
        if (!*name) {
            fail_at(r, r->row_line, SIM_EINVAL, "header: column %zu has no name", i + 1);
            return;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->names[j], name)) {
                fail_at(r, r->row_line, SIM_EINVAL, "header: column '%s' given twice", shown);
                return;
            }
        if (!sp->allow_unknown && !in_list(sp->required, name) && !in_list(sp->optional, name)) {
            fail_at(r, r->row_line, SIM_EINVAL, "header: unknown column '%s' (the columns are %s)", shown,
                    known);
            return;
        }
    }
    for (const char *const *q = sp->required; q && *q; q++) {
        size_t i = 0;
        while (i < r->ncols && strcmp(r->names[i], *q))
            i++;
        if (i == r->ncols) {
            fail_at(r, r->row_line, SIM_EINVAL, "header: missing column '%s' (the columns are %s)", *q, known);
            return;
        }
    }
}

/* libcsv's row callback: the header, or a data row for the caller. */
static void on_row(int c, void *data)
{
    (void)c;
    reader_t *r = data;
    if (r->row_line == 0)
        r->row_line = r->line;
    long line = r->row_line;
    if (r->st == SIM_OK) {
        if (!r->names) {
            take_header(r);
        } else if (r->nfields != r->ncols) {
            fail_at(r, line, SIM_EINVAL, "%zu field%s, the header has %zu", r->nfields,
                    r->nfields == 1 ? "" : "s", r->ncols);
        } else if (r->spec->max_rows && r->rows == r->spec->max_rows) {
            fail_at(r, line, SIM_EINVAL, "more than %zu rows (the most this table may have)", r->spec->max_rows);
        } else {
            for (size_t i = 0; i < r->ncols; i++)
                r->values[i] = r->text + r->off[i];
            csv_row_t row = {.path = r->path, .line = line, .index = r->rows, .nfields = r->ncols,
                             .names = r->names, .fields = r->values};
            r->rows++;
            sim_status_t st = r->fn ? r->fn(&row, r->ctx, r->err) : SIM_OK;
            if (st != SIM_OK && r->st == SIM_OK) {
                r->st = st;
                if (r->err && r->err->code == SIM_OK)   /* a callback that said nothing */
                    sim_fail(r->err, st, "%s:%ld: row refused", r->path, line);
            }
        }
    }
    r->nfields = 0;
    r->text_len = 0;
    r->row_line = 0;
}

/* Only blanks (and the line end) on this line? Is it a comment? */
static int blank_or_comment(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i == n || s[i] == '#';
}

sim_status_t csvfile_parse(const char *path, const char *buf, size_t len, const csv_spec_t *spec,
                           csv_row_fn fn, void *ctx, sim_error_t *err)
{
    static const csv_spec_t any = {.allow_unknown = 1};
    reader_t r = {.path = path ? path : "(table)", .spec = spec ? spec : &any, .fn = fn, .ctx = ctx,
                  .err = err};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return sim_fail(err, SIM_ENOMEM, "%s: out of memory reading the table", r.path);
    size_t pos = 0;
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
        pos = 3;                    /* a UTF-8 byte-order mark */
    while (pos < len && r.st == SIM_OK) {
        const char *s = buf + pos;
        size_t n = 0;               /* to the end of the line: LF, CR LF or a lone CR */
        while (n < len - pos && s[n] != '\n' && s[n] != '\r')
            n++;
        if (n < len - pos)
            n += s[n] == '\r' && n + 1 < len - pos && s[n + 1] == '\n' ? 2 : 1;
        r.line++;
        pos += n;
        if (r.row_line == 0) {      /* between rows: comments and blank lines are skipped */
            if (blank_or_comment(s, n))
                continue;
            r.row_line = r.line;
        }
        if (csv_parse(&p, s, n, on_field, on_row, &r) != n && r.st == SIM_OK) {
            int e = csv_error(&p);
            if (e == CSV_EPARSE)
                fail_at(&r, r.line, SIM_EINVAL, "malformed CSV (a quote inside an unquoted field, or text "
                        "after a closing quote; a quote inside a quoted field is written twice)");
            else
                fail_at(&r, r.line, SIM_ENOMEM, "%s", csv_strerror(e));
        }
    }
    if (r.st == SIM_OK) {
        long open = r.row_line;
        if (csv_fini(&p, on_field, on_row, &r) != 0 && r.st == SIM_OK)
            fail_at(&r, open, SIM_EINVAL, "a quoted field opened here is never closed");
    }
    if (r.st == SIM_OK && !r.names)
        fail_at(&r, 0, SIM_EINVAL, "no header row (an empty table)");
    csv_free(&p);
    free(r.text);
    free(r.off);
    free(r.head);
    free(r.names);
    free(r.values);
    return r.st;
}

sim_status_t csvfile_read(const char *path, const csv_spec_t *spec, csv_row_fn fn, void *ctx,
                          sim_error_t *err)
{
    static const readfile_spec_t file = {.kind = "a table", .max_bytes = CSVFILE_MAX_BYTES, .unreadable = SIM_EIO};
    char *buf = NULL;
    size_t len = 0;
    sim_status_t rc = readfile(path, &file, &buf, &len, err);
    if (rc != SIM_OK)
        return rc;
    rc = csvfile_parse(path, buf, len, spec, fn, ctx, err);
    free(buf);
    return rc;
}

const char *csv_field(const csv_row_t *row, const char *name)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (!strcmp(row->names[i], name))
            return row->fields[i];
    return NULL;
}

sim_status_t csv_row_fail(const csv_row_t *row, sim_error_t *err, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sim_fail(err, SIM_EINVAL, "%s:%ld: %s", row->path, row->line, msg);
}

/* The field of column `name`, or an error when the column or its value is missing. */
static sim_status_t need(const csv_row_t *row, const char *name, const char **out, sim_error_t *err)
{
    *out = csv_field(row, name);
    if (!*out)
        return csv_row_fail(row, err, "no column '%s'", name);
    if (!**out)
        return csv_row_fail(row, err, "%s: no value given", name);
    return SIM_OK;
}

sim_status_t csv_real(const csv_row_t *row, const char *name, double *out, sim_error_t *err)
{
    const char *s;
    sim_status_t st = need(row, name, &s, err);
    if (st != SIM_OK)
        return st;
    char *end;
    double v = strtod(s, &end);
    char shown[SHOW];
    if (end == s || *end || !isfinite(v))
        return csv_row_fail(row, err, "%s: expected a finite number, got '%s'", name,
                            text_show(s, shown, sizeof shown));
    *out = v;
    return SIM_OK;
}

sim_status_t csv_date(const csv_row_t *row, const char *name, long *days, sim_error_t *err)
{
    const char *s;
    sim_status_t st = need(row, name, &s, err);
    if (st != SIM_OK)
        return st;
    long d = params_date_to_days(s);
    char shown[SHOW];
    if (d < 0)
        return csv_row_fail(row, err, "%s: expected a date YYYY-MM-DD (1970 or later), got '%s'", name,
                            text_show(s, shown, sizeof shown));
    *days = d;
    return SIM_OK;
}
