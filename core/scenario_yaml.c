/*
 * The resolved scenario as YAML (scenario.h): the text stored as /scenario in
 * every output file, which scenario_load reads back to the same parameters.
 */
#include "scenario.h"
#include "scenario_internal.h"
#include "metric_table.h"
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    char *buf;
    size_t len, cap;
    bool oom;
} strbuf_t;

static void sb_putn(strbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 1024;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *nb = realloc(b->buf, ncap);
        if (!nb) {
            b->oom = true;
            return;
        }
        b->buf = nb;
        b->cap = ncap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_puts(strbuf_t *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

/* A YAML double-quoted scalar that reads back to exactly `s`. Characters YAML
 * cannot carry raw (controls, C1, line and paragraph separators, BOM,
 * non-characters) are escaped; malformed UTF-8 becomes U+FFFD. */
static void sb_quoted(strbuf_t *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    sb_putn(b, "\"", 1);
    while (*u) {
        unsigned cp;
        size_t n = text_utf8_decode(u, &cp);
        char esc[16];
        if (n == 0) {
            sb_puts(b, "\\uFFFD");
            u++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            esc[0] = '\\';
            esc[1] = (char)cp;
            sb_putn(b, esc, 2);
        } else if (cp == '\n') {
            sb_puts(b, "\\n");
        } else if (cp == '\t') {
            sb_puts(b, "\\t");
        } else if (cp == '\r') {
            sb_puts(b, "\\r");
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            snprintf(esc, sizeof esc, "\\x%02X", cp);
            sb_puts(b, esc);
        } else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff) {
            snprintf(esc, sizeof esc, "\\u%04X", cp);
            sb_puts(b, esc);
        } else {
            sb_putn(b, (const char *)u, n);
        }
        u += n;
    }
    sb_putn(b, "\"", 1);
}

/* Plain YAML is safe for numbers, dates, booleans and enum words. */
static bool plain_safe(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
              c == '_' || c == '-' || c == '+'))
            return false;
    }
    return true;
}

/* The shortest text that strtod reads back to v. */
static void fmt_real(double v, char *buf, size_t len)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* price: series: the observed points, inline, so that the resolved scenario
 * needs no CSV to be read back. */
static void emit_series(strbuf_t *b, const params_t *p)
{
    const price_series_t *s = &p->price.series;
    if (s->npoints == 0)
        return;
    sb_puts(b, "  series:  # observed prices [date, USD/AKT]; series_file is not read beside them\n");
    for (int64_t k = 0; k < s->npoints; k++) {
        char date[PARAMS_DATE_MAX], usd[40], line[96];
        params_days_to_date((long)s->day[k], date);
        fmt_real(s->usd[k], usd, sizeof usd);
        snprintf(line, sizeof line, "    - [%s, %s]\n", date, usd);
        sb_puts(b, line);
    }
}

static void emit_param(strbuf_t *b, const params_t *p, const param_def_t *d, const char *indent)
{
    char val[PARAMS_TEXT_MAX + 64];
    params_format(p, d, val, sizeof val);
    const char *dot = strrchr(d->name, '.');
    const char *key = dot ? dot + 1 : d->name;
    sb_puts(b, indent);
    sb_puts(b, key);
    sb_puts(b, ": ");
    if (d->type == PARAM_TEXT || !plain_safe(val))
        sb_quoted(b, val);
    else
        sb_puts(b, val);
    /* the unit as a comment, unless it says nothing the key does not ("runs: 4  # runs") */
    if (d->unit && strcmp(d->unit, "-") != 0 && strcmp(d->unit, "date") != 0 &&
        strcmp(d->unit, key) != 0) {
        sb_puts(b, "  # ");
        sb_puts(b, d->unit);
    }
    sb_puts(b, "\n");
}

char *scenario_to_yaml(const params_t *p)
{
    size_t n;
    const param_def_t *table = params_table(&n);
    strbuf_t b = {0};
    sb_puts(&b, "# resolved scenario written by tokensim\n");
    for (size_t i = 0; i < n; i++)
        if (section_len(table[i].name) == 0)
            emit_param(&b, p, &table[i], "");
    /* sections in the order of their first entry; entries in registry order */
    for (size_t i = 0; i < n; i++) {
        size_t sl = section_len(table[i].name);
        if (sl == 0)
            continue;
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            if (section_len(table[j].name) == sl && !strncmp(table[j].name, table[i].name, sl))
                first = false;
        if (!first)
            continue;
        sb_puts(&b, "\n");
        sb_putn(&b, table[i].name, sl);
        sb_puts(&b, ":\n");
        const char *sub = NULL;   /* current subsection: "h100" of resources.h100.capacity */
        size_t sub_len = 0;
        for (size_t j = i; j < n; j++) {
            if (section_len(table[j].name) != sl || strncmp(table[j].name, table[i].name, sl))
                continue;
            const char *rest = table[j].name + sl + 1;
            const char *dot = strchr(rest, '.');
            if (!dot) {
                emit_param(&b, p, &table[j], "  ");
                continue;
            }
            if (!sub || sub_len != (size_t)(dot - rest) || strncmp(sub, rest, sub_len)) {
                sub = rest;
                sub_len = (size_t)(dot - rest);
                sb_puts(&b, "  ");
                sb_putn(&b, sub, sub_len);
                sb_puts(&b, ":\n");
            }
            emit_param(&b, p, &table[j], "    ");
        }
        if (sl == 5 && !strncmp(table[i].name, "price", 5))
            emit_series(&b, p);
    }
    const params_sweep_t *sw = &p->sweep;
    if (sweep_mode_ranged(sw->mode)) {
        char line[160];
        snprintf(line, sizeof line, "\nsweep:\n  mode: %s\n", sweep_mode_name(sw->mode));
        sb_puts(&b, line);
        if (sw->mode == SWEEP_MORRIS)
            snprintf(line, sizeof line, "  trajectories: %zu\n  levels: %zu\n", sw->trajectories, sw->levels);
        else if (sw->mode == SWEEP_SALTELLI)
            snprintf(line, sizeof line, "  samples: %zu\n", sw->samples);
        else
            snprintf(line, sizeof line, "  points: %zu\n", sw->npoints);
        sb_puts(&b, line);
        sb_puts(&b, "  params:\n");
        for (size_t j = 0; j < sw->nparams; j++) {
            snprintf(line, sizeof line, "    %s: {min: %.17g, max: %.17g}\n", table[sw->param[j]].name,
                     sw->lo[j], sw->hi[j]);
            sb_puts(&b, line);
        }
    } else if (sw->mode != SWEEP_NONE) {
        sb_puts(&b, sw->mode == SWEEP_ZIP ? "\nsweep:\n  mode: zip\n  params:\n" : "\nsweep:\n  mode: grid\n  params:\n");
        for (size_t j = 0; j < sw->nparams; j++) {
            sb_puts(&b, "    ");
            sb_puts(&b, table[sw->param[j]].name);
            sb_puts(&b, ": [");
            for (size_t v = 0; v < sw->nvalues[j]; v++) {
                if (v)
                    sb_puts(&b, ", ");
                sb_quoted(&b, sw->values[j][v]);
            }
            sb_puts(&b, "]\n");
        }
    }
    if (sw->mode != SWEEP_NONE && sw->noutputs > 0) {
        sb_puts(&b, "  outputs: [");
        for (size_t i = 0; i < sw->noutputs; i++) {
            sb_puts(&b, i ? ", " : "");
            sb_puts(&b, metric_table[sw->output[i]].name);
        }
        sb_puts(&b, "]\n");
    }
    if (sw->mode != SWEEP_NONE && sw->nhorizons > 0) {
        sb_puts(&b, "  horizons_days: [");
        for (size_t i = 0; i < sw->nhorizons; i++) {
            char day[32];
            snprintf(day, sizeof day, "%s%lld", i ? ", " : "", (long long)sw->horizon[i]);
            sb_puts(&b, day);
        }
        sb_puts(&b, "]\n");
    }
    if (p->nevents > 0)
        sb_puts(&b, "\nevents:\n");
    for (size_t k = 0; k < p->nevents; k++) {
        const param_event_t *e = &p->events[k];
        char day[32];
        snprintf(day, sizeof day, "%lld", (long long)e->day);
        sb_puts(&b, "  - {day: ");
        sb_puts(&b, day);
        sb_puts(&b, ", set: {");
        sb_puts(&b, table[e->param].name);
        sb_puts(&b, ": ");
        if (table[e->param].type == PARAM_TEXT || !plain_safe(e->value))
            sb_quoted(&b, e->value);
        else
            sb_puts(&b, e->value);
        sb_puts(&b, "}");
        if (e->note[0]) {
            sb_puts(&b, ", note: ");
            sb_quoted(&b, e->note);
        }
        sb_puts(&b, "}\n");
    }
    if (b.oom || !b.buf) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
