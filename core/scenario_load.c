/*
 * Loading a scenario file (scenario_load, scenarios/README.md): the document's
 * keys mapped onto params_t through the registry (params.h), its `base:` files
 * first, and the checks placed where the file set what they read. Top-level
 * scalars are run-level parameters ("days"); top-level mappings are sections
 * whose key `k` in section `s` is parameter "s.k". The events and sweep blocks
 * are read by scenario_events.c and scenario_sweep.c.
 * Invariant: on any error the caller's params_t is left untouched.
 */
#include "scenario.h"
#include "scenario_internal.h"
#include "pricefile.h"
#include "schedule.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- values ---- */

/* Apply one value node to registry entry `def`; `key` is where it was named. */
static sim_status_t set_value(loader_t *L, const param_def_t *def, const yaml_node_t *key,
                              const yaml_node_t *val)
{
    size_t idx = (size_t)(def - L->table);
    int kl = mark_line(key->start_mark), kc = mark_col(key->start_mark);
    if (L->origin[idx].line && L->origin[idx].line == kl)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s given twice (first at line %d, column %d)", L->path, kl, kc,
                 def->name, kl, L->origin[idx].col);
    if (L->origin[idx].line)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s given twice (first at line %d)", L->path, kl, kc,
                 def->name, L->origin[idx].line);
    L->origin[idx].line = kl;
    L->origin[idx].col = kc;

    int vl = mark_line(val->start_mark), vc = mark_col(val->start_mark);
    if (node_is_null(val))   /* an empty value's mark may sit on the next line: blame the key */
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: no value given", L->path, kl, kc, def->name);
    if (val->type != YAML_SCALAR_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a single value, got %s", L->path, vl, vc,
                 def->name, node_kind(val));
    const char *text = (const char *)val->data.scalar.value;
    if (strlen(text) != val->data.scalar.length)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: the value contains a NUL character", L->path, vl, vc,
                 def->name);
    char msg[512];
    if (params_set_text(L->p, def, text, msg, sizeof msg) != 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s", L->path, vl, vc, def->name, msg);
    return SIM_OK;
}

/* True when some registry name starts with "prefix." (a subsection such as resources.h100). */
static bool is_subsection(const loader_t *L, const char *prefix)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < L->n; i++)
        if (!strncmp(L->table[i].name, prefix, pl) && L->table[i].name[pl] == '.')
            return true;
    return false;
}

/* True when the section has subsections (resources.<class>.<key>). */
static bool has_subsections(const loader_t *L, const char *prefix)
{
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < L->n; i++)
        if (!strncmp(L->table[i].name, prefix, pl) && L->table[i].name[pl] == '.' &&
            strchr(L->table[i].name + pl + 1, '.'))
            return true;
    return false;
}

static sim_status_t load_entries(loader_t *L, const char *prefix, const yaml_node_t *val, int depth);

/* price: series: [[YYYY-MM-DD, usd], ...]: observed prices given inline (the
 * form scenario_to_yaml writes). They replace any read before; in the file that
 * gives them, price.series_file is not read (it names their origin). */
static sim_status_t load_price_series(loader_t *L, const yaml_node_t *key, const yaml_node_t *val)
{
    int kl = mark_line(key->start_mark), kc = mark_col(key->start_mark);
    if (L->series_line)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series given twice (first at line %d)", L->path, kl, kc,
                 L->series_line);
    L->series_line = kl;
    L->series_col = kc;
    if (val->type != YAML_SEQUENCE_NODE || val->data.sequence.items.start == val->data.sequence.items.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series: expected a list of [YYYY-MM-DD, USD per AKT] "
                 "pairs", L->path, kl, kc);
    price_series_t *s = &L->p->price.series;
    memset(s, 0, sizeof *s);
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
        const yaml_node_t *item = node_at(L->doc, *it), *date = NULL, *usd = NULL;
        if (!item)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        int il = mark_line(item->start_mark), ic = mark_col(item->start_mark);
        if (item->type == YAML_SEQUENCE_NODE && item->data.sequence.items.top - item->data.sequence.items.start == 2) {
            date = node_at(L->doc, item->data.sequence.items.start[0]);
            usd = node_at(L->doc, item->data.sequence.items.start[1]);
        }
        if (!date || !usd || date->type != YAML_SCALAR_NODE || usd->type != YAML_SCALAR_NODE)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series: expected a pair [YYYY-MM-DD, USD per AKT]",
                     L->path, il, ic);
        const char *dt = (const char *)date->data.scalar.value, *ut = (const char *)usd->data.scalar.value;
        char shown[SHOW_MAX + 8], msg[256];
        long day = params_date_to_days(dt);
        if (day < 0)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series: expected a date YYYY-MM-DD (1970 or later), "
                     "got '%s'", L->path, mark_line(date->start_mark), mark_col(date->start_mark),
                     text_show(dt, shown, sizeof shown));
        char *end;
        double v = strtod(ut, &end);
        if (end == ut || *end)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series: expected a price in USD per AKT, got '%s'",
                     L->path, mark_line(usd->start_mark), mark_col(usd->start_mark),
                     text_show(ut, shown, sizeof shown));
        if (price_series_push(s, day, v, msg, sizeof msg) != 0)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series: %s", L->path, il, ic, msg);
    }
    return SIM_OK;
}

/* A path given in the scenario at `base` (a file): relative to its directory.
 * False when it does not fit in out[len] (then it could not be opened either).
 * Not dirname(3), which gives "." for a bare file name: messages would show
 * "./prices/x.csv" for the "prices/x.csv" the file names. */
static bool path_beside(const char *base, const char *rel, char *out, size_t len)
{
    const char *slash = strrchr(base, '/');
    int n;
    if (rel[0] == '/' || !slash)
        n = snprintf(out, len, "%s", rel);
    else
        n = snprintf(out, len, "%.*s/%s", (int)(slash - base), base, rel);
    return n >= 0 && (size_t)n < len;
}

sim_status_t read_series(const char *path, price_series_t *s, const char *where, sim_error_t *err)
{
    sim_error_t inner;
    sim_error_clear(&inner);
    sim_status_t st = pricefile_read(path, s, &inner);
    if (st == SIM_OK)
        return SIM_OK;
    /* a missing or unreadable file is bad input like any other value */
    SIM_FAIL(err, st == SIM_ENOMEM ? st : SIM_EINVAL, "%s: price.series_file: %s", where, inner.msg);
}

/* After the file's keys: the series of a price.series_file it sets, unless it
 * gives the points inline too. */
static sim_status_t load_series_file(loader_t *L)
{
    const param_def_t *d = params_find("price.series_file");
    const origin_t *o = &L->origin[d - L->table];
    if (!o->line || L->series_line)
        return SIM_OK;
    const char *rel = L->p->price.series_file;
    if (!*rel) {                        /* "": no series */
        memset(&L->p->price.series, 0, sizeof L->p->price.series);
        return SIM_OK;
    }
    char full[SCENARIO_PATH_MAX], where[SCENARIO_PATH_MAX + 64];
    if (!path_beside(L->path, rel, full, sizeof full))
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: price.series_file: the path is too long (%zu bytes at most, "
                 "with the scenario's directory)", L->path, o->line, o->col, sizeof full - 1);
    snprintf(where, sizeof where, "%s:%d:%d", L->path, o->line, o->col);
    return read_series(full, &L->p->price.series, where, L->err);
}

/* One "key: value" pair of section or subsection `prefix` (both forms of
 * load_entries): sets prefix.key, or, at depth 0, opens the subsection
 * prefix.key when the value is a mapping. A key equal to `skip` (the list
 * form's "name:") is passed over once it is known to be a proper key. */
static sim_status_t load_pair(loader_t *L, const char *prefix, const char *where,
                              const yaml_node_pair_t *pair, const char *skip, int depth)
{
    const yaml_node_t *k = node_at(L->doc, pair->key), *v = node_at(L->doc, pair->value);
    const char *ktext = "";
    if (!k || !v)
        SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
    sim_status_t st = key_text(L, k, where, &ktext);
    if (st != SIM_OK || (skip && !strcmp(ktext, skip)))
        return st;
    if (depth == 0 && !strcmp(prefix, "price") && !strcmp(ktext, "series"))
        return load_price_series(L, k, v);
    /* "section.key"; names longer than the buffer are unknown anyway */
    char name[160];
    const param_def_t *def = NULL;
    snprintf(name, sizeof name, "%s.%s", prefix, ktext);
    if (strlen(prefix) + 1 + strlen(ktext) < sizeof name) {
        def = params_find(name);
        if (!def && depth == 0 && v->type == YAML_MAPPING_NODE && is_subsection(L, name))
            return load_entries(L, name, v, depth + 1);
    }
    if (!def)
        return unknown_parameter(L, name, k);
    return set_value(L, def, k, v);
}

/* The entries of a section or subsection mapping: "key: value" sets prefix.key;
 * "key: {mapping}" opens the subsection prefix.key (resources.h100.capacity).
 * A list of mappings that each carry `name:` is read as subsections named by it,
 * so `resources: [{name: h100, capacity: 20}]` works as well. */
static sim_status_t load_entries(loader_t *L, const char *prefix, const yaml_node_t *val, int depth)
{
    char where[96];
    snprintf(where, sizeof where, "%s: ", prefix);
    if (val->type == YAML_SEQUENCE_NODE && depth == 0 && has_subsections(L, prefix)) {
        for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
            const yaml_node_t *item = node_at(L->doc, *it);
            const yaml_node_t *name = NULL;
            if (!item)
                SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
            if (item->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
                    const yaml_node_t *k = node_at(L->doc, pr->key);
                    if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, "name"))
                        name = node_at(L->doc, pr->value);
                }
            if (!name || name->type != YAML_SCALAR_NODE)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %sexpected a list of mappings with a 'name:' each",
                         L->path, mark_line(item->start_mark), mark_col(item->start_mark), where);
            char sub[160];
            snprintf(sub, sizeof sub, "%s.%s", prefix, (const char *)name->data.scalar.value);
            if (!is_subsection(L, sub))
                return unknown_parameter(L, sub, name);
            /* the items are subsections: depth 1, no deeper mappings */
            for (yaml_node_pair_t *pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
                sim_status_t st = load_pair(L, sub, where, pr, "name", depth + 1);
                if (st != SIM_OK)
                    return st;
            }
        }
        return SIM_OK;
    }
    if (val->type != YAML_MAPPING_NODE)
        SIM_FAIL(L->err, SIM_EINVAL,
                 "%s:%d:%d: %s: expected a section (indented 'key: value' lines of %s.* parameters), got %s",
                 L->path, mark_line(val->start_mark), mark_col(val->start_mark), prefix, prefix,
                 node_kind(val));
    for (yaml_node_pair_t *pair = val->data.mapping.pairs.start; pair < val->data.mapping.pairs.top; pair++) {
        sim_status_t st = load_pair(L, prefix, where, pair, NULL, depth);
        if (st != SIM_OK)
            return st;
    }
    return SIM_OK;
}

static sim_status_t load_section(loader_t *L, long si, const yaml_node_t *key, const yaml_node_t *val)
{
    const char *sname = L->table[si].name;
    int slen = (int)section_len(sname);
    int kl = mark_line(key->start_mark), kc = mark_col(key->start_mark);
    if (L->section[si].line)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: section '%.*s' given twice (first at line %d)", L->path, kl,
                 kc, slen, sname, L->section[si].line);
    L->section[si].line = kl;
    L->section[si].col = kc;
    if (node_is_null(val))
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %.*s: no value given (a section of %.*s.* parameters)",
                 L->path, kl, kc, slen, sname, slen, sname);

    char prefix[80];
    snprintf(prefix, sizeof prefix, "%.*s", slen, sname);
    return load_entries(L, prefix, val, 0);
}
static sim_status_t load_top(loader_t *L, const yaml_node_t *root)
{
    if (root->type != YAML_MAPPING_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: expected a mapping of parameters at the top level "
                 "('key: value' lines), got %s", L->path, mark_line(root->start_mark),
                 mark_col(root->start_mark), node_is_null(root) ? "nothing" : node_kind(root));
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
        const yaml_node_t *k = node_at(L->doc, pair->key), *v = node_at(L->doc, pair->value);
        const char *key = "";
        if (!k || !v)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        sim_status_t st = key_text(L, k, "", &key);
        if (st != SIM_OK)
            return st;
        int kl = mark_line(k->start_mark), kc = mark_col(k->start_mark);
        char shown[SHOW_MAX + 8];

        if (!strcmp(key, "base"))   /* loaded first, by load_base */
            continue;
        if (!strcmp(key, "sweep")) {
            st = load_sweep(L, k, v);
            if (st != SIM_OK)
                return st;
            continue;
        }
        if (!strcmp(key, "events")) {
            if (L->events_line)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events given twice (first at line %d)", L->path, kl, kc,
                         L->events_line);
            st = load_events(L, k, v);
            if (st != SIM_OK)
                return st;
            continue;
        }
        long si = section_index(L->table, L->n, key);
        if (si >= 0) {
            st = load_section(L, si, k, v);
            if (st != SIM_OK)
                return st;
            continue;
        }
        const param_def_t *def = params_find(key);
        if (def && section_len(def->name) == 0) {
            st = set_value(L, def, k, v);
            if (st != SIM_OK)
                return st;
            continue;
        }
        if (def) {
            size_t sl = section_len(def->name);
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: write it inside its section ('%.*s:', then '%s: ...' "
                     "indented on the next line)", L->path, kl, kc, def->name, (int)sl, def->name,
                     def->name + sl + 1);
        }
        text_show(key, shown, sizeof shown);
        if (v->type == YAML_MAPPING_NODE) {
            char sug[64];
            if (scenario_suggest_section(L->table, L->n, key, sug, sizeof sug))
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: unknown section '%s' (did you mean '%s'?)", L->path, kl,
                         kc, shown, sug);
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: unknown section '%s' (see 'tokensim params')", L->path, kl,
                     kc, shown);
        }
        return unknown_parameter(L, key, k);
    }
    return SIM_OK;
}

/* Where the file set a parameter a failed check reads: the blamed one, else
 * the first of `reads` it set (the other side of a min/max when the file set
 * only that one); line 0 when it set none of them. The observed prices given
 * inline (`price: series:`) stand for price.series_file. */
static origin_t check_origin(const loader_t *L, const char *blame, const char *reads)
{
    const param_def_t *d = blame ? params_find(blame) : NULL;
    if (d && L->origin[d - L->table].line)
        return L->origin[d - L->table];
    for (const char *s = reads ? reads : ""; *s;) {
        char one[160];
        size_t n = strcspn(s, " ");
        snprintf(one, sizeof one, "%.*s", (int)n, s);
        for (size_t i = 0; i < L->n; i++)
            if (L->origin[i].line && params_reads(one, L->table[i].name))
                return L->origin[i];
        if (!strcmp(one, "price.series_file") && L->series_line)
            return (origin_t){L->series_line, L->series_col};
        s += n;
        s += strspn(s, " ");
    }
    return (origin_t){0, 0};
}

/* params_check, placing the message where the file set a parameter it reads. */
static sim_status_t check_loaded(const loader_t *L)
{
    /* events given by date count from start_date, known only now */
    for (size_t k = 0; k < L->p->nevents; k++)
        if (L->event_date[k] >= 0)
            L->p->events[k].day = L->event_date[k] - params_date_to_days(L->p->start_date);
    char msg[1024];
    const char *blame = NULL, *reads = "";
    if (params_check_reads(L->p, msg, sizeof msg, &blame, &reads) == 0) {
        /* every day of the events: the message places the event itself */
        if (schedule_check(L->p, msg, sizeof msg) != 0)
            SIM_FAIL(L->err, SIM_EINVAL, "%s", msg);
        return SIM_OK;
    }
    origin_t o = check_origin(L, blame, reads);
    if (o.line)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s", L->path, o.line, o.col, msg);
    SIM_FAIL(L->err, SIM_EINVAL, "%s: %s", L->path, msg);
}

#define BASE_DEPTH_MAX 8

static sim_status_t load_file(const char *path, params_t *p, int depth, sim_error_t *err);

/* `base: other.yaml` (relative to this file's directory): load it first, then
 * this file's keys on top; its events come first. */
static sim_status_t load_base(const char *path, const yaml_document_t *doc, const yaml_node_t *root,
                              params_t *work, int depth, sim_error_t *err)
{
    if (root->type != YAML_MAPPING_NODE)
        return SIM_OK;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = yaml_document_get_node((yaml_document_t *)doc, pr->key);
        const yaml_node_t *v = yaml_document_get_node((yaml_document_t *)doc, pr->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value, "base"))
            continue;
        int kl = mark_line(k->start_mark), kc = mark_col(k->start_mark);
        if (v->type != YAML_SCALAR_NODE || node_is_null(v))
            SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: base: expected the path of a scenario file", path, kl, kc);
        if (depth >= BASE_DEPTH_MAX)
            SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: base: more than %d levels of base files (a cycle?)", path, kl,
                     kc, BASE_DEPTH_MAX);
        const char *rel = (const char *)v->data.scalar.value;
        char full[SCENARIO_PATH_MAX];
        if (!path_beside(path, rel, full, sizeof full))
            SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: base: the path is too long (%zu bytes at most, with the "
                     "scenario's directory)", path, kl, kc, sizeof full - 1);
        sim_status_t st = load_file(full, work, depth + 1, err);
        if (st != SIM_OK) {
            /* say which file asked for it */
            char inner[sizeof err->msg];
            snprintf(inner, sizeof inner, "%s", err->msg);
            sim_error_clear(err);
            SIM_FAIL(err, st, "%s:%d:%d: base: %s", path, kl, kc, inner);
        }
        return st;
    }
    return SIM_OK;
}

sim_status_t scenario_load(const char *path, params_t *p, sim_error_t *err)
{
    params_t start;
    params_defaults(&start);
    sim_status_t st = load_file(path, &start, 0, err);
    if (st == SIM_OK)
        *p = start;
    return st;
}

/* Apply the file at `path` on top of *p (defaults, or a base file's values). */
static sim_status_t load_file(const char *path, params_t *p, int depth, sim_error_t *err)
{
    if (!path)
        SIM_FAIL(err, SIM_EINVAL, "no scenario file given");
    yaml_document_t doc;
    sim_status_t st = scenario_file_read(path, &doc, err);
    if (st != SIM_OK)
        return st;

    loader_t L = {.path = path, .err = err, .event_file = -1, .doc = &doc};
    for (size_t k = 0; k < PARAMS_MAX_EVENTS; k++)
        L.event_date[k] = -1;   /* events of a base file already have their day */
    params_t work = *p;
    L.p = &work;
    L.table = params_table(&L.n);
    L.origin = calloc(L.n, sizeof *L.origin);
    L.section = calloc(L.n, sizeof *L.section);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!L.origin || !L.section)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory loading the scenario", path);
    else if (!root)
        st = sim_fail(err, SIM_EINVAL, "%s: the scenario is empty (expected 'key: value' lines, e.g. 'days: 365')",
                      path);
    if (st == SIM_OK)
        st = scenario_dup_check(path, &doc, err);
    if (st == SIM_OK)
        st = load_base(path, &doc, root, &work, depth, err);
    if (st == SIM_OK)
        st = load_top(&L, root);
    if (st == SIM_OK)
        st = load_series_file(&L);
    if (st == SIM_OK)
        st = check_loaded(&L);
    if (st == SIM_OK)
        *p = work;
    yaml_document_delete(&doc);
    free(L.origin);
    free(L.section);
    return st;
}
