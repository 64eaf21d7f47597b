/*
 * Scenario files (design.md §5): YAML read with libyaml's document API, mapped
 * onto params_t through the registry (params.h). Top-level scalars are run-level
 * parameters ("days"); top-level mappings are sections whose key `k` in section
 * `s` is parameter "s.k". Positions in messages are 1-based "file:line:col".
 * Invariant: on any error the caller's params_t is left untouched.
 */
#include "scenario.h"
#include "metric_table.h"
#include "pricefile.h"
#include "schedule.h"
#include "sweep.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Limits that keep hostile input from exhausting memory: a scenario is a few
 * kilobytes; libyaml's document tree costs ~150 bytes a node and has no depth
 * limit of its own, so both are checked on the event stream before loading. */
#define SCENARIO_MAX_BYTES ((size_t)16 << 20)
#define SCENARIO_MAX_DEPTH 64
#define SCENARIO_MAX_NODES 1000000L

/* Longest key or value quoted back in a message (text_show). */
#define SHOW_MAX TEXT_SHOW_MAX

typedef struct {
    int line, col;              /* 1-based; line 0: not set by the file */
} origin_t;

typedef struct {
    const char *path;
    yaml_document_t *doc;
    params_t *p;
    const param_def_t *table;
    size_t n;
    origin_t *origin;           /* [n]: where each parameter was set */
    origin_t *section;          /* [n]: where each section (indexed by its first entry) began */
    sim_error_t *err;
    long event_date[PARAMS_MAX_EVENTS];   /* an event given by date: days since 1970, else -1 */
    int events_line;            /* where `events:` began (0: not in the file) */
    int series_line;            /* where `price: series:` began (0: not in the file) */
    int series_col;
    int event_file;             /* this file's index in p->event_file (-1: none yet) */
} loader_t;

/* ---- small helpers ------------------------------------------------------ */

static const char *node_kind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a single value";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* YAML's null: an empty plain scalar (`key:`), `~` or `null`. Quoted "" is text. */
static bool node_is_null(const yaml_node_t *node)
{
    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)node->data.scalar.value;
    return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static int mark_line(yaml_mark_t m) { return (int)m.line + 1; }
static int mark_col(yaml_mark_t m) { return (int)m.column + 1; }

/* Length of the section prefix of a registry name ("mint" in "mint.model"), 0 if none. */
static size_t section_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : 0;
}

/* Index of the first registry entry in section `key`, or -1. */
static long section_index(const param_def_t *table, size_t n, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < n; i++)
        if (section_len(table[i].name) == kl && kl > 0 && !strncmp(table[i].name, key, kl))
            return (long)i;
    return -1;
}

/* The closest section name to `key` (same threshold as params_suggest), written
 * into buf; false when nothing is close. */
static bool suggest_section(const param_def_t *table, size_t n, const char *key,
                            char *buf, size_t len)
{
    size_t kl = strlen(key), best_d = SIZE_MAX, best_i = 0;
    for (size_t i = 0; i < n; i++) {
        size_t sl = section_len(table[i].name);
        if (sl == 0)
            continue;
        size_t d = text_edit_distance(key, kl, table[i].name, sl);
        if (d < best_d) {
            best_d = d;
            best_i = i;
        }
    }
    size_t limit = kl < 6 ? 2 : kl / 3 + 1;
    if (best_d > limit)
        return false;
    snprintf(buf, len, "%.*s", (int)section_len(table[best_i].name), table[best_i].name);
    return true;
}

/* ---- reading the file and reporting libyaml's errors -------------------- */

/* Only a regular file is read as a scenario (as csvfile_read does for tables):
 * a FIFO or a device could block for ever or never end, and is refused at once. */
static sim_status_t read_file(const char *path, unsigned char **out, size_t *outlen,
                              sim_error_t *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: cannot open scenario: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        SIM_FAIL(err, SIM_EINVAL, "%s: cannot read scenario: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        SIM_FAIL(err, SIM_EINVAL, "%s: cannot read scenario: %s", path,
                 S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
    }
    if ((uintmax_t)st.st_size > SCENARIO_MAX_BYTES) {
        close(fd);
        SIM_FAIL(err, SIM_EINVAL, "%s: file too large for a scenario (%jd bytes; the limit is %zu MiB)",
                 path, (intmax_t)st.st_size, SCENARIO_MAX_BYTES >> 20);
    }
    /* a file that grew since fstat is read up to the size it had */
    size_t want = (size_t)st.st_size, got = 0;
    unsigned char *buf = malloc(want + 1);
    if (!buf) {
        close(fd);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory reading the scenario", path);
    }
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            SIM_FAIL(err, SIM_EINVAL, "%s: cannot read scenario: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *out = buf;
    *outlen = got;
    return SIM_OK;
}

/* libyaml's error as "file:line:col: what"; `near` names the key being read
 * ("mint.inflation"), or is empty. */
static sim_status_t yaml_fail(const char *path, const yaml_parser_t *parser,
                              const unsigned char *buf, size_t len, const char *near,
                              sim_error_t *err)
{
    char at[SHOW_MAX * 2 + 16] = "";
    if (near && *near)
        snprintf(at, sizeof at, " near '%s'", near);
    switch (parser->error) {
    case YAML_MEMORY_ERROR:
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory while parsing YAML", path);
    case YAML_READER_ERROR: {
        /* the reader reports a byte offset only: turn it into line and column */
        int line = 1, col = 1;
        for (size_t i = 0; i < parser->problem_offset && i < len; i++) {
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else if ((buf[i] & 0xc0) != 0x80) {
                col++;
            }
        }
        const char *problem = parser->problem ? parser->problem : "unreadable";
        if (parser->problem_value != -1)
            SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: not valid YAML text%s: %s (byte 0x%02X)", path, line, col,
                     at, problem, (unsigned)parser->problem_value & 0xffu);
        SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: not valid YAML text%s: %s", path, line, col, at, problem);
    }
    default: {
        const char *problem = parser->problem ? parser->problem : "unknown error";
        int line = mark_line(parser->problem_mark), col = mark_col(parser->problem_mark);
        if (parser->context)
            SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: YAML syntax error%s: %s (%s at line %d, column %d)", path,
                     line, col, at, problem, parser->context, mark_line(parser->context_mark),
                     mark_col(parser->context_mark));
        SIM_FAIL(err, SIM_EINVAL, "%s:%d:%d: YAML syntax error%s: %s", path, line, col, at, problem);
    }
    }
}

/* Where the event stream is: one entry per open collection, so that a syntax
 * error can name the key it happened under. */
typedef struct {
    bool mapping;
    bool expect_key;            /* mapping: the next node is a key */
    char key[SHOW_MAX + 8];     /* mapping: the last key read */
} level_t;

/* Account for one node (scalar, alias or collection start) inside `parent`. */
static void level_node(level_t *parent, const yaml_event_t *ev)
{
    if (!parent->mapping)
        return;
    if (parent->expect_key) {
        if (ev->type == YAML_SCALAR_EVENT)
            text_show((const char *)ev->data.scalar.value, parent->key, sizeof parent->key);
        else
            snprintf(parent->key, sizeof parent->key, "?");
    }
    parent->expect_key = !parent->expect_key;
}

/* "mint.inflation": the keys of the open mappings, outermost first. */
static void level_path(const level_t *lv, long n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (long i = 0; i < n && used + 1 < len; i++) {
        if (!lv[i].mapping || !lv[i].key[0])
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? "." : "", lv[i].key);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* One pass over the event stream: syntax errors, several documents, nesting
 * depth and size, all before libyaml builds a tree. */
static sim_status_t prescan(const char *path, const unsigned char *buf, size_t len,
                            sim_error_t *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory while parsing YAML", path);
    yaml_parser_set_input_string(&parser, buf, len);
    sim_status_t st = SIM_OK;
    level_t *lv = calloc(SCENARIO_MAX_DEPTH + 1, sizeof *lv);
    if (!lv) {
        yaml_parser_delete(&parser);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory while parsing YAML", path);
    }
    long depth = 0, nodes = 0, docs = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            char near[SHOW_MAX * 2 + 8];
            level_path(lv, depth, near, sizeof near);
            st = yaml_fail(path, &parser, buf, len, near, err);
            break;
        }
        yaml_event_type_t type = ev.type;
        yaml_mark_t m = ev.start_mark;
        bool node = type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT ||
                    type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT;
        if (node && depth > 0)
            level_node(&lv[depth - 1], &ev);
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
        if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            st = sim_fail(err, SIM_EINVAL, "%s:%d:%d: a second YAML document ('---'): a scenario is one mapping",
                          path, mark_line(m), mark_col(m));
            break;
        }
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (depth >= SCENARIO_MAX_DEPTH) {
                st = sim_fail(err, SIM_EINVAL, "%s:%d:%d: nested more than %d levels deep", path,
                              mark_line(m), mark_col(m), SCENARIO_MAX_DEPTH);
                break;
            }
            lv[depth].mapping = type == YAML_MAPPING_START_EVENT;
            lv[depth].expect_key = true;
            lv[depth].key[0] = '\0';
            depth++;
        } else if ((type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) && depth > 0) {
            depth--;
        }
        if (node && ++nodes > SCENARIO_MAX_NODES) {
            st = sim_fail(err, SIM_EINVAL, "%s:%d:%d: more than %ld values in one scenario", path,
                          mark_line(m), mark_col(m), SCENARIO_MAX_NODES);
            break;
        }
    }
    free(lv);
    yaml_parser_delete(&parser);
    return st;
}

/* ---- walking the document ----------------------------------------------- */

static yaml_node_t *node_at(yaml_document_t *doc, int index)
{
    return yaml_document_get_node(doc, index);
}

/* ---- the same key twice in one mapping ------------------------------------ */

/* A key of a mapping: its node and its place among the mapping's pairs. */
typedef struct {
    const yaml_node_t *node;
    size_t pos;
} dup_key_t;

static int dup_key_cmp(const void *a, const void *b)
{
    const dup_key_t *x = a, *y = b;
    size_t lx = x->node->data.scalar.length, ly = y->node->data.scalar.length;
    int c = memcmp(x->node->data.scalar.value, y->node->data.scalar.value, lx < ly ? lx : ly);
    if (c == 0 && lx != ly)
        c = lx < ly ? -1 : 1;
    if (c == 0 && x->pos != y->pos)
        c = x->pos < y->pos ? -1 : 1;
    return c;
}

static bool dup_key_same(const dup_key_t *x, const dup_key_t *y)
{
    return x->node->data.scalar.length == y->node->data.scalar.length &&
           !memcmp(x->node->data.scalar.value, y->node->data.scalar.value, x->node->data.scalar.length);
}

/* The walk of dup_check: the document, the nodes seen (an alias is looked at
 * once, whatever it stands for), the keys leading to the node being looked at,
 * and the earliest key given twice so far. */
typedef struct {
    yaml_document_t *doc;
    unsigned char *seen;
    const yaml_node_t *keys[SCENARIO_MAX_DEPTH + 2];   /* NULL: a list item */
    int depth;
    const yaml_node_t *twice, *first;
    char where[4 * (SHOW_MAX + 8)];     /* "events: set: " or "mint." before the key given twice */
    bool oom;
} dup_walk_t;

/* Where the key given twice is: the keys above it, as the loader's messages
 * name them ("mint.inflation", "resources.h100.capacity", "events: set: mint.inflation",
 * "sweep: params: mint.inflation: min"). */
static void dup_where(dup_walk_t *w, const param_def_t *table, size_t n)
{
    bool dotted = w->depth > 0 && w->keys[0] && section_index(table, n, (const char *)w->keys[0]->data.scalar.value) >= 0;
    for (int i = 0; i < w->depth && dotted; i++)
        dotted = w->keys[i] != NULL;
    size_t used = 0;
    w->where[0] = '\0';
    for (int i = 0; i < w->depth; i++) {
        if (!w->keys[i])
            continue;
        char shown[SHOW_MAX + 8];
        text_show((const char *)w->keys[i]->data.scalar.value, shown, sizeof shown);
        int k = snprintf(w->where + used, sizeof w->where - used, "%s%s", shown, dotted ? "." : ": ");
        if (k < 0 || (size_t)k >= sizeof w->where - used)
            break;
        used += (size_t)k;
    }
}

/* One mapping: sort its scalar keys, and keep the earliest one given twice. */
static void dup_mapping(dup_walk_t *w, const yaml_node_t *map)
{
    size_t npairs = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start), nk = 0;
    if (npairs < 2)
        return;
    dup_key_t *k = malloc(npairs * sizeof *k);
    if (!k) {
        w->oom = true;
        return;
    }
    for (size_t i = 0; i < npairs; i++) {
        const yaml_node_t *key = node_at(w->doc, map->data.mapping.pairs.start[i].key);
        if (key && key->type == YAML_SCALAR_NODE)
            k[nk++] = (dup_key_t){key, i};
    }
    qsort(k, nk, sizeof *k, dup_key_cmp);
    const dup_key_t *twice = NULL, *first = NULL;
    for (size_t i = 1; i < nk; i++)
        if (dup_key_same(&k[i - 1], &k[i]) && (i < 2 || !dup_key_same(&k[i - 2], &k[i - 1])) &&
            (!twice || k[i].pos < twice->pos)) {
            twice = &k[i];      /* the second of its group: the first repetition of that key */
            first = &k[i - 1];
        }
    if (twice) {
        yaml_mark_t m = twice->node->start_mark, b = w->twice ? w->twice->start_mark : m;
        if (!w->twice || m.line < b.line || (m.line == b.line && m.column < b.column)) {
            size_t n;
            const param_def_t *table = params_table(&n);
            w->twice = twice->node;
            w->first = first->node;
            dup_where(w, table, n);
        }
    }
    free(k);
}

static void dup_walk(dup_walk_t *w, int index)
{
    const yaml_node_t *node = node_at(w->doc, index);
    yaml_node_t *start = w->doc->nodes.start;
    if (!node || w->oom || w->seen[node - start] || w->depth > SCENARIO_MAX_DEPTH)
        return;
    w->seen[node - start] = 1;
    if (node->type == YAML_SEQUENCE_NODE) {
        w->keys[w->depth++] = NULL;
        for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++)
            dup_walk(w, *it);
        w->depth--;
    } else if (node->type == YAML_MAPPING_NODE) {
        dup_mapping(w, node);
        for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
            const yaml_node_t *key = node_at(w->doc, pr->key);
            if (!key || key->type != YAML_SCALAR_NODE)
                continue;       /* refused by the loader, which names it */
            w->keys[w->depth++] = key;
            dup_walk(w, pr->value);
            w->depth--;
        }
    }
}

/* The same key twice in one mapping, at any depth (an event's `day:`, two
 * `set:`, one parameter twice in a `set:`, a sweep's keys...): refused at the
 * earliest repetition in the file, naming the first. */
static sim_status_t dup_check(const char *path, yaml_document_t *doc, sim_error_t *err)
{
    dup_walk_t *w = calloc(1, sizeof *w);
    size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
    if (w)
        w->seen = calloc(n ? n : 1, 1);
    if (!w || !w->seen) {
        if (w)
            free(w->seen);
        free(w);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory loading the scenario", path);
    }
    w->doc = doc;
    dup_walk(w, 1);             /* the root is node 1 */
    sim_status_t st = SIM_OK;
    if (w->oom) {
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory loading the scenario", path);
    } else if (w->twice) {
        char shown[SHOW_MAX + 8], at[48];
        int l = mark_line(w->twice->start_mark), c = mark_col(w->twice->start_mark);
        int fl = mark_line(w->first->start_mark), fc = mark_col(w->first->start_mark);
        size_t tn;
        const param_def_t *table = params_table(&tn);
        const char *key = (const char *)w->twice->data.scalar.value;
        text_show(key, shown, sizeof shown);
        if (fl == l)
            snprintf(at, sizeof at, "line %d, column %d", fl, fc);
        else
            snprintf(at, sizeof at, "line %d", fl);
        if (!w->where[0] && section_index(table, tn, key) >= 0)
            st = sim_fail(err, SIM_EINVAL, "%s:%d:%d: section '%s' given twice (first at %s)", path, l, c, shown, at);
        else
            st = sim_fail(err, SIM_EINVAL, "%s:%d:%d: %s%s given twice (first at %s)", path, l, c, w->where,
                          shown, at);
    }
    free(w->seen);
    free(w);
    return st;
}


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

static sim_status_t unknown_parameter(loader_t *L, const char *name, const yaml_node_t *key)
{
    char shown[SHOW_MAX + 8];
    const char *s = params_suggest(name);
    text_show(name, shown, sizeof shown);
    int l = mark_line(key->start_mark), c = mark_col(key->start_mark);
    if (s)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: unknown parameter '%s' (did you mean '%s'?)", L->path, l, c,
                 shown, s);
    SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: unknown parameter '%s' (see 'tokensim params')", L->path, l, c,
             shown);
}

/* Key text of a mapping key node, or an error when the key is not a plain name. */
static sim_status_t key_text(loader_t *L, const yaml_node_t *key, const char *where,
                             const char **out)
{
    if (key->type != YAML_SCALAR_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %sexpected a parameter name as the key, got %s", L->path,
                 mark_line(key->start_mark), mark_col(key->start_mark), where, node_kind(key));
    *out = (const char *)key->data.scalar.value;
    if (strlen(*out) != key->data.scalar.length)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %sthe key contains a NUL character", L->path,
                 mark_line(key->start_mark), mark_col(key->start_mark), where);
    /* YAML 1.1's merge key, which libyaml leaves to the application: anchors
     * and aliases of values and of whole sections work, merging does not */
    if (!strcmp(*out, "<<") && key->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %smerge keys ('<<: *name') are not supported: write the keys "
                 "out (an alias may stand for a whole value or section)", L->path, mark_line(key->start_mark),
                 mark_col(key->start_mark), where);
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
    s->npoints = 0;
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

/* Longest path a scenario names (base:, price.series_file), beside it included. */
#define SCENARIO_PATH_MAX 4096

/* A path given in the scenario at `base` (a file): relative to its directory.
 * False when it does not fit in out[len] (then it could not be opened either). */
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

/* Read the series of price.series_file at `path` into *s; on failure the
 * message is "where: price.series_file: PATH:LINE: ..." and *s is untouched. */
static sim_status_t read_series(const char *path, price_series_t *s, const char *where, sim_error_t *err)
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
        L->p->price.series.npoints = 0;
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
    snprintf(e->note, sizeof e->note, "%s", note);
    return SIM_OK;
}

/* events: a list of {day: N | date: YYYY-MM-DD, set: {param: value, ...}, note: "..."}. */
static sim_status_t load_events(loader_t *L, const yaml_node_t *key, const yaml_node_t *val)
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

/* A whole number in [min, max] for sweep key `what`. */
static sim_status_t sweep_whole(loader_t *L, const yaml_node_t *k, const yaml_node_t *v, const char *what,
                                long min, long max, size_t *out)
{
    const char *t = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
    char *end;
    errno = 0;
    long n = strtol(t, &end, 10);
    if (*end || end == t || errno || n < min || n > max)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: expected a whole number in [%ld, %ld]", L->path,
                 mark_line(k->start_mark), mark_col(k->start_mark), what, min, max);
    *out = (size_t)n;
    return SIM_OK;
}

/* sweep: outputs: [metric, ...]: names from the metric table, each once. */
static sim_status_t sweep_outputs_list(loader_t *L, const yaml_node_t *k, const yaml_node_t *v)
{
    params_sweep_t *sw = &L->p->sweep;
    int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: expected a list of metric names", L->path, l, c);
    sw->noutputs = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *x = node_at(L->doc, *it);
        if (!x || x->type != YAML_SCALAR_NODE)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: expected metric names", L->path, l, c);
        const char *name = (const char *)x->data.scalar.value;
        int xl = mark_line(x->start_mark), xc = mark_col(x->start_mark);
        char shown[SHOW_MAX + 8];
        text_show(name, shown, sizeof shown);
        size_t best = SIZE_MAX, best_d = SIZE_MAX, len = strlen(name);
        int m = -1;
        for (size_t i = 0; i < METRIC_COUNT; i++) {
            size_t d = text_edit_distance(name, len, metric_table[i].name, strlen(metric_table[i].name));
            if (d == 0)
                m = (int)i;
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
        if (m < 0) {
            size_t limit = len < 6 ? 2 : len / 3 + 1;
            if (best_d <= limit)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: unknown metric '%s' (did you mean '%s'?)",
                         L->path, xl, xc, shown, metric_table[best].name);
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: unknown metric '%s' (docs/output.md lists them)",
                     L->path, xl, xc, shown);
        }
        for (size_t j = 0; j < sw->noutputs; j++)
            if (sw->output[j] == m)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: %s given twice", L->path, xl, xc, shown);
        if (sw->noutputs == PARAMS_MAX_SWEEP_OUTPUTS)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: outputs: at most %d metrics", L->path, xl, xc,
                     PARAMS_MAX_SWEEP_OUTPUTS);
        sw->output[sw->noutputs++] = m;
    }
    return SIM_OK;
}

/* sweep: horizons_days: [N, ...]: days >= 1, increasing. */
static sim_status_t sweep_horizons_list(loader_t *L, const yaml_node_t *k, const yaml_node_t *v)
{
    params_sweep_t *sw = &L->p->sweep;
    int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
    if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected a list of days", L->path, l, c);
    sw->nhorizons = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *x = node_at(L->doc, *it);
        const char *t = x && x->type == YAML_SCALAR_NODE ? (const char *)x->data.scalar.value : "";
        int xl = x ? mark_line(x->start_mark) : l, xc = x ? mark_col(x->start_mark) : c;
        char *end;
        errno = 0;
        long long d = strtoll(t, &end, 10);
        if (*end || end == t || errno || d < 1 || d > 1000000)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected whole days in [1, 1000000]",
                     L->path, xl, xc);
        if (sw->nhorizons > 0 && d <= sw->horizon[sw->nhorizons - 1])
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: expected increasing days", L->path, xl, xc);
        if (sw->nhorizons == PARAMS_MAX_SWEEP_HORIZONS)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: horizons_days: at most %d", L->path, xl, xc,
                     PARAMS_MAX_SWEEP_HORIZONS);
        sw->horizon[sw->nhorizons++] = (int64_t)d;
    }
    return SIM_OK;
}

/* A mode's keys: where each was given (line 0: absent), to reject those of another mode. */
typedef struct {
    const char *name;
    int line, col;
} sweep_key_t;

/* sweep: {mode: grid | zip | lhs | sobol | morris | saltelli, params: {param: [values] or {min: a, max: b}},
 *         points: N (lhs, sobol), trajectories: r, levels: p (morris), samples: N (saltelli),
 *         outputs: [metric, ...], horizons_days: [day, ...]} */
static sim_status_t load_sweep(loader_t *L, const yaml_node_t *key, const yaml_node_t *val)
{
    int kl = mark_line(key->start_mark), kc = mark_col(key->start_mark);
    params_sweep_t *sw = &L->p->sweep;
    memset(sw, 0, sizeof *sw);
    sw->mode = SWEEP_GRID;
    if (val->type != YAML_MAPPING_NODE)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: expected {mode: grid|zip|lhs|sobol|morris|saltelli, "
                 "params: {param: [values] or {min: a, max: b}}}", L->path, kl, kc);
    const yaml_node_t *params = NULL;
    /* keys of one mode only: points (lhs, sobol), trajectories and levels (morris), samples (saltelli) */
    sweep_key_t only[4] = {{"points", 0, 0}, {"trajectories", 0, 0}, {"levels", 0, 0}, {"samples", 0, 0}};
    for (yaml_node_pair_t *pr = val->data.mapping.pairs.start; pr < val->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
        const char *kt = "";
        if (!k || !v)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        sim_status_t st = key_text(L, k, "sweep: ", &kt);
        if (st != SIM_OK)
            return st;
        int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
        for (size_t i = 0; i < 4; i++)
            if (!strcmp(kt, only[i].name)) {
                only[i].line = l;
                only[i].col = c;
            }
        if (!strcmp(kt, "mode")) {
            const char *m = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : "";
            int mode = SWEEP_NONE;
            for (int i = SWEEP_GRID; i <= SWEEP_SALTELLI; i++)
                if (!strcmp(m, sweep_mode_name(i)))
                    mode = i;
            if (mode == SWEEP_NONE)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: mode: expected grid, zip, lhs, sobol, morris or "
                         "saltelli, got '%s'", L->path, l, c, m);
            sw->mode = mode;
        } else if (!strcmp(kt, "points")) {
            st = sweep_whole(L, k, v, "points", 1, PARAMS_MAX_SWEEP_POINTS, &sw->npoints);
        } else if (!strcmp(kt, "trajectories")) {
            st = sweep_whole(L, k, v, "trajectories", 2, PARAMS_MAX_SWEEP_POINTS / 2, &sw->trajectories);
        } else if (!strcmp(kt, "levels")) {
            st = sweep_whole(L, k, v, "levels", 2, 64, &sw->levels);
            if (st == SIM_OK && sw->levels % 2)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: levels: expected an even number (4, 6, 8, ...): "
                         "a step of p / (2 (p - 1)) then lands on the grid", L->path, l, c);
        } else if (!strcmp(kt, "samples")) {
            st = sweep_whole(L, k, v, "samples", 2, PARAMS_MAX_SWEEP_POINTS / 3, &sw->samples);
        } else if (!strcmp(kt, "outputs")) {
            st = sweep_outputs_list(L, k, v);
        } else if (!strcmp(kt, "horizons_days")) {
            st = sweep_horizons_list(L, k, v);
        } else if (!strcmp(kt, "params")) {
            params = v;
        } else {
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: unknown key '%s' (mode, params, points, trajectories, "
                     "levels, samples, outputs, horizons_days)", L->path, l, c, kt);
        }
        if (st != SIM_OK)
            return st;
    }
    /* the keys of another mode are mistakes: say which mode they belong to */
    static const int owner[4] = {SWEEP_LHS, SWEEP_MORRIS, SWEEP_MORRIS, SWEEP_SALTELLI};
    for (size_t i = 0; i < 4; i++) {
        int mine = sw->mode == owner[i] || (i == 0 && sw->mode == SWEEP_SOBOL);
        if (only[i].line && !mine)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: only for mode %s, not %s", L->path, only[i].line,
                     only[i].col, only[i].name, i == 0 ? "lhs or sobol" : sweep_mode_name(owner[i]),
                     sweep_mode_name(sw->mode));
    }
    if (sw->mode == SWEEP_MORRIS) {
        if (!sw->trajectories)
            sw->trajectories = 10;
        if (!sw->levels)
            sw->levels = 4;
    }
    int ranged = sweep_mode_ranged(sw->mode);
    if (!params || params->type != YAML_MAPPING_NODE || params->data.mapping.pairs.start == params->data.mapping.pairs.top)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: params: expected {param: %s, ...}", L->path, kl, kc,
                 ranged ? "{min: a, max: b}" : "[values]");
    for (yaml_node_pair_t *pr = params->data.mapping.pairs.start; pr < params->data.mapping.pairs.top; pr++) {
        const yaml_node_t *k = node_at(L->doc, pr->key), *v = node_at(L->doc, pr->value);
        const char *name = "";
        if (!k || !v)
            SIM_FAIL(L->err, SIM_EINVAL, "%s: malformed YAML document", L->path);
        sim_status_t st = key_text(L, k, "sweep: params: ", &name);
        if (st != SIM_OK)
            return st;
        int l = mark_line(k->start_mark), c = mark_col(k->start_mark);
        const param_def_t *def = params_find(name);
        if (!def)
            return unknown_parameter(L, name, k);
        if (!strcmp(name, "runs") || !strcmp(name, "days") || !strcmp(name, "seed") || !strncmp(name, "output.", 7))
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: the same for every point of a sweep", L->path, l, c, name);
        if (!strcmp(name, "price.series_file"))
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: read once, at load; a sweep cannot change it (compare "
                     "scenarios, or sweep price.mode)", L->path, l, c, name);
        for (size_t i = 0; i < sw->nparams; i++)
            if (L->table + sw->param[i] == def)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: params: %s given twice", L->path, l, c, name);
        if (sw->nparams == PARAMS_MAX_SWEEP)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: at most %d parameters", L->path, l, c, PARAMS_MAX_SWEEP);
        size_t j = sw->nparams;
        if (ranged) {
            /* a range {min: a, max: b} of a numeric parameter */
            if (def->type != PARAM_REAL && def->type != PARAM_INT && def->type != PARAM_AMOUNT)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s sweeps numbers only", L->path, l, c, name,
                         sweep_mode_name(sw->mode));
            double r[2] = {NAN, NAN};
            if (v->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
                    const yaml_node_t *qk = node_at(L->doc, q->key), *qv = node_at(L->doc, q->value);
                    if (!qk || !qv || qk->type != YAML_SCALAR_NODE || qv->type != YAML_SCALAR_NODE)
                        continue;
                    const char *qt = (const char *)qk->data.scalar.value;
                    char *end;
                    double x = strtod((const char *)qv->data.scalar.value, &end);
                    if (*end)
                        continue;
                    if (!strcmp(qt, "min")) r[0] = x;
                    if (!strcmp(qt, "max")) r[1] = x;
                }
            if (isnan(r[0]) || isnan(r[1]) || r[0] > r[1] || r[0] < def->min || r[1] > def->max)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a range {min: a, max: b} within [%g, %g]",
                         L->path, l, c, name, def->min, def->max);
            /* elementary effects divide by each step: every step must change the value */
            if (sw->mode == SWEEP_MORRIS && def->type == PARAM_INT && r[1] - r[0] < (double)(sw->levels - 1))
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: a whole-number parameter needs max - min >= levels - 1 "
                         "(%zu) in a morris sweep", L->path, l, c, name, sw->levels - 1);
            double least = def->type == PARAM_AMOUNT ? 1e-5 : 0.0;   /* amounts keep 6 decimals */
            if (sw->mode == SWEEP_MORRIS && !(r[1] - r[0] > least))
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: a morris sweep needs max > min%s", L->path, l, c, name,
                         def->type == PARAM_AMOUNT ? " + 0.00001" : "");
            sw->param[j] = (int)(def - L->table);
            sw->lo[j] = r[0];
            sw->hi[j] = r[1];
            sw->nparams++;
            continue;
        }
        if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected a list of values", L->path, l, c, name);
        sw->nparams++;
        sw->param[j] = (int)(def - L->table);
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
            const yaml_node_t *x = node_at(L->doc, *it);
            if (!x || x->type != YAML_SCALAR_NODE)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: expected plain values in the list", L->path, l, c, name);
            if (sw->nvalues[j] == PARAMS_MAX_SWEEP_VALUES)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: at most %d values", L->path, l, c, name,
                         PARAMS_MAX_SWEEP_VALUES);
            const char *text = (const char *)x->data.scalar.value;
            params_t scratch = *L->p;
            char msg[512];
            if (strlen(text) >= sizeof sw->values[0][0] || params_set_text(&scratch, def, text, msg, sizeof msg) != 0)
                SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: %s: %s", L->path, mark_line(x->start_mark),
                         mark_col(x->start_mark), name, strlen(text) >= sizeof sw->values[0][0] ? "value too long" : msg);
            snprintf(sw->values[j][sw->nvalues[j]++], sizeof sw->values[0][0], "%s", text);
        }
        if (sw->mode == SWEEP_ZIP && j > 0 && sw->nvalues[j] != sw->nvalues[0])
            SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: zip needs lists of one length (%s has %zu, the first %zu)",
                     L->path, l, c, name, sw->nvalues[j], sw->nvalues[0]);
    }
    if ((sw->mode == SWEEP_LHS || sw->mode == SWEEP_SOBOL) && sw->npoints == 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: lhs and sobol need points: N", L->path, kl, kc);
    if (sw->mode == SWEEP_SALTELLI && sw->samples == 0)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: saltelli needs samples: N (N (k + 2) points for k parameters)",
                 L->path, kl, kc);
    if ((sw->mode == SWEEP_MORRIS || sw->mode == SWEEP_SALTELLI) && sweep_npoints(L->p) > PARAMS_MAX_SWEEP_POINTS)
        SIM_FAIL(L->err, SIM_EINVAL, "%s:%d:%d: sweep: %s: %zu %s x (%zu parameters + %d) = %zu points, at most %d",
                 L->path, kl, kc, sweep_mode_name(sw->mode),
                 sw->mode == SWEEP_MORRIS ? sw->trajectories : sw->samples,
                 sw->mode == SWEEP_MORRIS ? "trajectories" : "samples", sw->nparams,
                 sw->mode == SWEEP_MORRIS ? 1 : 2, sweep_npoints(L->p), PARAMS_MAX_SWEEP_POINTS);
    return SIM_OK;
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
            if (suggest_section(L->table, L->n, key, sug, sizeof sug))
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
    unsigned char *buf = NULL;
    size_t len = 0;
    sim_status_t st = read_file(path, &buf, &len, err);
    if (st != SIM_OK)
        return st;
    st = prescan(path, buf, len, err);
    if (st != SIM_OK) {
        free(buf);
        return st;
    }

    loader_t L = {.path = path, .err = err, .event_file = -1};
    for (size_t k = 0; k < PARAMS_MAX_EVENTS; k++)
        L.event_date[k] = -1;   /* events of a base file already have their day */
    params_t work = *p;
    L.p = &work;
    L.table = params_table(&L.n);
    L.origin = calloc(L.n, sizeof *L.origin);
    L.section = calloc(L.n, sizeof *L.section);
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false, have_doc = false;
    if (!L.origin || !L.section) {
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory loading the scenario", path);
        goto done;
    }
    if (!yaml_parser_initialize(&parser)) {
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory while parsing YAML", path);
        goto done;
    }
    have_parser = true;
    yaml_parser_set_input_string(&parser, buf, len);
    if (!yaml_parser_load(&parser, &doc)) {     /* libyaml frees the document on failure */
        st = yaml_fail(path, &parser, buf, len, "", err);
        goto done;
    }
    have_doc = true;
    L.doc = &doc;

    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        st = sim_fail(err, SIM_EINVAL, "%s: the scenario is empty (expected 'key: value' lines, e.g. 'days: 365')",
                      path);
        goto done;
    }
    st = dup_check(path, &doc, err);
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

done:
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    free(L.origin);
    free(L.section);
    free(buf);
    return st;
}

/* ---- --set ---------------------------------------------------------------- */

sim_status_t scenario_apply_set(params_t *p, const char *assignment, sim_error_t *err)
{
    char shown[SHOW_MAX * 2 + 8];
    if (!assignment)
        SIM_FAIL(err, SIM_EINVAL, "--set: expected key=value");
    text_show(assignment, shown, sizeof shown);
    const char *eq = strchr(assignment, '=');
    const char *k = assignment, *kend = eq;
    if (eq) {
        while (k < kend && (*k == ' ' || *k == '\t'))
            k++;
        while (kend > k && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
    }
    if (!eq || kend == k)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: expected key=value", shown);
    char key[128];
    const param_def_t *def = NULL;
    if ((size_t)(kend - k) < sizeof key) {
        memcpy(key, k, (size_t)(kend - k));
        key[kend - k] = '\0';
        def = params_find(key);
    }
    if (!def) {
        const char *s = (size_t)(kend - k) < sizeof key ? params_suggest(key) : NULL;
        if (s)
            SIM_FAIL(err, SIM_EINVAL, "--set %s: unknown parameter (did you mean '%s'?)", shown, s);
        SIM_FAIL(err, SIM_EINVAL, "--set %s: unknown parameter (see 'tokensim params')", shown);
    }
    /* text is taken verbatim; other values may have blanks around them ("days = 30") */
    const char *value = eq + 1, *vend = value + strlen(value);
    if (def->type != PARAM_TEXT) {
        while (*value == ' ' || *value == '\t')
            value++;
        while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
    }
    if (value == vend && def->type != PARAM_TEXT)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: no value given", shown);
    char *copy = malloc((size_t)(vend - value) + 1);
    if (!copy)
        SIM_FAIL(err, SIM_ENOMEM, "--set %s: out of memory", shown);
    memcpy(copy, value, (size_t)(vend - value));
    copy[vend - value] = '\0';
    char msg[512];
    char old[sizeof p->price.series_file];  /* every byte: a refused --set leaves p as it was */
    memcpy(old, p->price.series_file, sizeof old);
    int rc = params_set_text(p, def, copy, msg, sizeof msg);
    free(copy);
    if (rc != 0)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: %s", shown, msg);
    /* a series file given here is relative to the working directory */
    if (!strcmp(def->name, "price.series_file")) {
        char where[SHOW_MAX * 2 + 16];
        snprintf(where, sizeof where, "--set %s", shown);
        sim_status_t st = SIM_OK;
        if (!p->price.series_file[0])
            p->price.series.npoints = 0;
        else
            st = read_series(p->price.series_file, &p->price.series, where, err);
        if (st != SIM_OK)
            memcpy(p->price.series_file, old, sizeof old);
        return st;
    }
    return SIM_OK;
}

sim_status_t scenario_check(const params_t *p, const char *where, sim_error_t *err)
{
    char msg[1024];
    const char *blame = NULL;
    if (params_check(p, msg, sizeof msg, &blame) == 0 && schedule_check(p, msg, sizeof msg) == 0)
        return SIM_OK;
    if (where && *where)
        SIM_FAIL(err, SIM_EINVAL, "%s: %s", where, msg);
    SIM_FAIL(err, SIM_EINVAL, "%s", msg);
}

/* ---- writing YAML ----------------------------------------------------------- */

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
