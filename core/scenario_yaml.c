/*
 * The resolved scenario as YAML (scenario.h), written by libyaml's emitter:
 * the text stored as /scenario in every output file, which scenario_load reads
 * back to the same parameters. Block style, one mapping per registry section
 * in registry order; events, sweep lists and price points as flow collections.
 */
#include "scenario.h"
#include "scenario_internal.h"
#include "metric_table.h"
#include "sweep.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The emitter and whether every event so far went through. */
typedef struct {
    yaml_emitter_t em;
    bool ok;
} out_t;

/* Hand one event to the emitter (which then owns it); `made` is false when
 * initialising it failed. */
static void emit(out_t *o, yaml_event_t *ev, int made)
{
    if (!made) {
        o->ok = false;
        return;
    }
    if (!o->ok) {
        yaml_event_delete(ev);
        return;
    }
    if (!yaml_emitter_emit(&o->em, ev))
        o->ok = false;
}

static void scalar(out_t *o, const char *text, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    emit(o, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 1,
                                              style));
}

/* A key, or any value that is a name or a number: plain where YAML allows it
 * (the emitter quotes it where it does not). */
static void plain(out_t *o, const char *text)
{
    scalar(o, text, YAML_PLAIN_SCALAR_STYLE);
}

/* Text, always double-quoted so that "null", "0.5" or "" stay text; the
 * emitter escapes what YAML cannot carry raw (controls, line separators). */
static void quoted(out_t *o, const char *text)
{
    scalar(o, text, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* A value as the loader must read it back: text quoted, a word that a plain
 * scalar would make null quoted too (the loader refuses a null value). */
static void value(out_t *o, const param_def_t *d, const char *text)
{
    if (d->type == PARAM_TEXT || scenario_null_word(text))
        quoted(o, text);
    else
        plain(o, text);
}

static void mapping_start(out_t *o, bool flow)
{
    yaml_event_t ev;
    emit(o, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE
                                                                              : YAML_BLOCK_MAPPING_STYLE));
}

static void mapping_end(out_t *o)
{
    yaml_event_t ev;
    emit(o, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void sequence_start(out_t *o, bool flow)
{
    yaml_event_t ev;
    emit(o, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE
                                                                                : YAML_BLOCK_SEQUENCE_STYLE));
}

static void sequence_end(out_t *o)
{
    yaml_event_t ev;
    emit(o, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* "key: value" of registry entry d, under its last name component. */
static void param(out_t *o, const params_t *p, const param_def_t *d)
{
    char text[PARAMS_TEXT_MAX + 64];
    params_format(p, d, text, sizeof text);
    const char *dot = strrchr(d->name, '.');
    plain(o, dot ? dot + 1 : d->name);
    value(o, d, text);
}

/* price: series: the observed points, inline, so that the resolved scenario
 * needs no CSV to be read back: [date, USD per AKT] each. */
static void series(out_t *o, const params_t *p)
{
    const price_series_t *s = &p->price.series;
    if (s->npoints == 0)
        return;
    plain(o, "series");
    sequence_start(o, false);
    for (int64_t k = 0; k < s->npoints; k++) {
        char date[PARAMS_DATE_MAX], usd[TEXT_DOUBLE_MAX];
        params_days_to_date((long)s->day[k], date);
        text_double(s->usd[k], usd, sizeof usd);
        sequence_start(o, true);
        plain(o, date);
        plain(o, usd);
        sequence_end(o);
    }
    sequence_end(o);
}

/* Whether table[i] is the first entry of a section. */
static bool starts_section(const param_def_t *table, size_t i)
{
    size_t sl = section_len(table[i].name);
    for (size_t j = 0; j < i && sl > 0; j++)
        if (section_len(table[j].name) == sl && !strncmp(table[j].name, table[i].name, sl))
            return false;
    return sl > 0;
}

/* The section whose first entry is table[i]: its entries in registry order,
 * a subsection (resources.h100) as a mapping of its own. */
static void section(out_t *o, const params_t *p, const param_def_t *table, size_t n, size_t i)
{
    size_t sl = section_len(table[i].name);
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)sl, table[i].name);
    plain(o, name);
    mapping_start(o, false);
    const char *sub = NULL;     /* the open subsection: "h100" of resources.h100.capacity */
    size_t sub_len = 0;
    for (size_t j = i; j < n; j++) {
        if (section_len(table[j].name) != sl || strncmp(table[j].name, table[i].name, sl))
            continue;
        const char *rest = table[j].name + sl + 1;
        const char *dot = strchr(rest, '.');
        if (sub && (!dot || sub_len != (size_t)(dot - rest) || strncmp(sub, rest, sub_len))) {
            mapping_end(o);
            sub = NULL;
        }
        if (dot && !sub) {
            sub = rest;
            sub_len = (size_t)(dot - rest);
            snprintf(name, sizeof name, "%.*s", (int)sub_len, sub);
            plain(o, name);
            mapping_start(o, false);
        }
        param(o, p, &table[j]);
    }
    if (sub)
        mapping_end(o);
    if (sl == 5 && !strncmp(table[i].name, "price", 5))
        series(o, p);
    mapping_end(o);
}

static void number(out_t *o, long long v)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", v);
    plain(o, text);
}

static void real(out_t *o, double v)
{
    char text[TEXT_DOUBLE_MAX];
    text_double(v, text, sizeof text);
    plain(o, text);
}

/* sweep: the mode, its sizes, the parameters with their values or ranges,
 * the metrics and horizons. */
static void sweep(out_t *o, const params_t *p, const param_def_t *table)
{
    const params_sweep_t *sw = &p->sweep;
    if (sw->mode == SWEEP_NONE)
        return;
    plain(o, "sweep");
    mapping_start(o, false);
    plain(o, "mode");
    plain(o, sweep_mode_name(sw->mode));
    if (sw->mode == SWEEP_MORRIS) {
        plain(o, "trajectories");
        number(o, (long long)sw->trajectories);
        plain(o, "levels");
        number(o, (long long)sw->levels);
    } else if (sw->mode == SWEEP_SALTELLI) {
        plain(o, "samples");
        number(o, (long long)sw->samples);
    } else if (sweep_mode_ranged(sw->mode)) {
        plain(o, "points");
        number(o, (long long)sw->npoints);
    }
    plain(o, "params");
    mapping_start(o, false);
    for (size_t j = 0; j < sw->nparams; j++) {
        const param_def_t *d = &table[sw->param[j]];
        plain(o, d->name);
        if (sweep_mode_ranged(sw->mode)) {
            mapping_start(o, true);
            plain(o, "min");
            real(o, sw->lo[j]);
            plain(o, "max");
            real(o, sw->hi[j]);
            mapping_end(o);
            continue;
        }
        sequence_start(o, true);
        for (size_t v = 0; v < sw->nvalues[j]; v++)
            value(o, d, sw->values[j][v]);
        sequence_end(o);
    }
    mapping_end(o);
    if (sw->noutputs > 0) {
        plain(o, "outputs");
        sequence_start(o, true);
        for (size_t i = 0; i < sw->noutputs; i++)
            plain(o, metric_table[sw->output[i]].name);
        sequence_end(o);
    }
    if (sw->nhorizons > 0) {
        plain(o, "horizons_days");
        sequence_start(o, true);
        for (size_t i = 0; i < sw->nhorizons; i++)
            number(o, (long long)sw->horizon[i]);
        sequence_end(o);
    }
    mapping_end(o);
}

/* events: one {day: N, set: {param: value}, note: "..."} a change, in file
 * order (a day's changes apply together, whichever event names them). */
static void events(out_t *o, const params_t *p, const param_def_t *table)
{
    if (p->nevents == 0)
        return;
    plain(o, "events");
    sequence_start(o, false);
    for (size_t k = 0; k < p->nevents; k++) {
        const param_event_t *e = &p->events[k];
        mapping_start(o, true);
        plain(o, "day");
        number(o, (long long)e->day);
        plain(o, "set");
        mapping_start(o, true);
        plain(o, table[e->param].name);
        value(o, &table[e->param], e->value);
        mapping_end(o);
        if (e->note[0]) {
            plain(o, "note");
            quoted(o, e->note);
        }
        mapping_end(o);
    }
    sequence_end(o);
}

/* The document: run-level parameters, the sections, the sweep, the events. */
static void document(out_t *o, const params_t *p)
{
    size_t n;
    const param_def_t *table = params_table(&n);
    yaml_event_t ev;
    emit(o, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit(o, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    mapping_start(o, false);
    for (size_t i = 0; i < n; i++)
        if (section_len(table[i].name) == 0)
            param(o, p, &table[i]);
    /* sections in the order of their first entry */
    for (size_t i = 0; i < n; i++)
        if (starts_section(table, i))
            section(o, p, table, n, i);
    sweep(o, p, table);
    events(o, p, table);
    mapping_end(o);
    emit(o, &ev, yaml_document_end_event_initialize(&ev, 1));
    emit(o, &ev, yaml_stream_end_event_initialize(&ev));
}

char *scenario_to_yaml(const params_t *p)
{
    char *text = NULL;
    size_t len = 0;
    /* open_memstream grows the text as the emitter flushes into it */
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    out_t o = {.ok = true};
    if (!yaml_emitter_initialize(&o.em)) {
        fclose(f);
        free(text);
        return NULL;
    }
    yaml_emitter_set_output_file(&o.em, f);
    yaml_emitter_set_unicode(&o.em, 1);     /* UTF-8 as it is; only what YAML cannot carry is escaped */
    yaml_emitter_set_width(&o.em, -1);      /* no folded lines: one line a value */
    yaml_emitter_set_indent(&o.em, 2);
    /* a comment before the document: the emitter writes none of its own */
    o.ok = fputs("# resolved scenario written by tokensim\n", f) >= 0;
    document(&o, p);
    o.ok = o.ok && yaml_emitter_flush(&o.em);
    yaml_emitter_delete(&o.em);
    if (fclose(f) != 0 || !o.ok) {
        free(text);
        return NULL;
    }
    return text;
}
