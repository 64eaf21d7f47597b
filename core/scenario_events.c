/*
 * The `events:` block of a scenario (docs/model.md §13): dated parameter
 * changes, a governance proposal passing, each checked as it is read; the
 * schedule as a whole is checked by schedule_check (schedule.h).
 */
#include "scenario_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* One `set:` entry of an event: a parameter that may change during a run, and a
 * value that parses (checked on a scratch copy: it is parsed again when applied). */
static sim_status_t load_event_set(loader_t *L, const yaml_node_t *k, const yaml_node_t *v,
                                   int64_t day, long date, const char *note)
{
    const char *name = "";
    sim_status_t st = key_text(L, k, "events: set: ", &name);
    if (st != SIM_OK)
        return st;
    int kl = mark_line(k->start_mark), kc = mark_col(k->start_mark);
    const param_def_t *def = params_find(name);
    if (!def)
        return unknown_parameter(L, name, k);
    if (params_is_fixed(def))
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: cannot change during a run (it shapes the run from day 0)",
                 L->path, kl, kc, def->name);
    if (v->type != YAML_SCALAR_NODE || node_is_null(v))
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a single value", L->path, kl, kc, def->name);
    const char *text = (const char *)v->data.scalar.value;
    params_t scratch = *L->p;
    char msg[512];
    if (params_set_text(&scratch, def, text, msg, sizeof msg) != 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s", L->path, mark_line(v->start_mark),
                 mark_col(v->start_mark), def->name, msg);
    if (L->p->nevents == PARAMS_MAX_EVENTS)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: more than %d event changes", L->path, kl, kc, PARAMS_MAX_EVENTS);
    if (L->event_file < 0) {
        /* later messages name the file the event is in, a base file's too */
        if (L->p->nevent_files == PARAMS_EVENT_FILES)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events in more than %d files (this one and its bases)",
                     L->path, kl, kc, PARAMS_EVENT_FILES);
        L->event_file = (int)L->p->nevent_files++;
        char *dst = L->p->event_file[L->event_file];
        size_t len = strlen(L->path);
        if (len < PARAMS_EVENT_PATH)
            memcpy(dst, L->path, len + 1);
        else    /* the end of a long path says most */
            snprintf(dst, PARAMS_EVENT_PATH, "...%s", L->path + len - (PARAMS_EVENT_PATH - 4));
    }
    param_event_t *e = &L->p->events[L->p->nevents];
    L->event_date[L->p->nevents] = date;
    L->p->nevents++;
    e->day = day;
    e->param = (int)(def - L->table);
    e->line = kl;
    e->col = kc;
    e->file = L->event_file;
    snprintf(e->value, sizeof e->value, "%s", text);
    text_copy(note, e->note, sizeof e->note);  /* a long note is cut, on a character's boundary */
    return SIM_OK;
}

sim_status_t load_events(loader_t *L, const yaml_node_t *key, const yaml_node_t *val)
{
    L->events_line = mark_line(key->start_mark);
    if (val->type != YAML_SEQUENCE_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: expected a list of {day: N, set: {param: value}, note: ...}",
                 L->path, mark_line(val->start_mark), mark_col(val->start_mark));
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++) {
        const yaml_node_t *ev = node_at(L->doc, *it), *set = NULL;
        if (!ev || ev->type != YAML_MAPPING_NODE)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: each event is a mapping {day: N, set: {...}}",
                     L->path, ev ? mark_line(ev->start_mark) : 0, ev ? mark_col(ev->start_mark) : 0);
        int el = mark_line(ev->start_mark), ec = mark_col(ev->start_mark);
        int64_t day = -1;
        long date = -1;
        const char *note = "";
        for (yaml_node_pair_t *pr = ev->data.mapping.pairs.start; pr < ev->data.mapping.pairs.top; pr++) {
            const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
            const char *kt = "";
            if (!k || !v)
                SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
            sim_status_t st = key_text(L, k, "events: ", &kt);
            if (st != SIM_OK)
                return st;
            const char *vt = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : NULL;
            int kl = mark_line(k->start_mark), kc = mark_col(k->start_mark);
            if (!strcmp(kt, "day")) {
                char *end;
                long long d = vt ? strtoll(vt, &end, 10) : -1;
                if (!vt || *end || end == vt || d < 1)
                    SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: day: expected a whole number >= 1", L->path, kl, kc);
                day = d;
            } else if (!strcmp(kt, "date")) {
                date = vt ? params_date_to_days(vt) : -1;
                if (date < 0)
                    SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: date: expected YYYY-MM-DD", L->path, kl, kc);
            } else if (!strcmp(kt, "note")) {
                note = vt ? vt : "";
            } else if (!strcmp(kt, "set")) {
                set = v;
            } else {
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: unknown key '%s' (day, date, set, note)",
                         L->path, kl, kc, kt);
            }
        }
        if ((day < 0) == (date < 0))
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: give either day or date", L->path, el, ec);
        if (!set || set->type != YAML_MAPPING_NODE || set->data.mapping.pairs.start == set->data.mapping.pairs.top)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: events: set: expected a mapping {param: value, ...}",
                     L->path, el, ec);
        for (yaml_node_pair_t *pr = set->data.mapping.pairs.start; pr < set->data.mapping.pairs.top; pr++) {
            const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
            if (!k || !v)
                SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
            sim_status_t st = load_event_set(L, k, v, day, date, note);
            if (st != SIM_OK)
                return st;
        }
    }
    return SIM_OK;
}
