/*
 * The same key twice in one mapping, at any depth (scenario_internal.h): an
 * event's `day:`, two `set:`, one parameter twice in a `set:`, a sweep's
 * keys... libyaml keeps both; the loader would take the last in silence.
 */
#include "scenario_internal.h"

#include <stdio.h>
#include <stdlib.h>


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

sim_status_t scenario_dup_check(const char *path, yaml_document_t *doc, sim_error_t *err)
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
