/*
 * Names in a scenario file, for every block of the loader: registry sections
 * and their "did you mean", keys read as text, an unknown parameter reported
 * at its key (scenario_internal.h).
 */
#include "scenario_internal.h"

#include <stdint.h>
#include <stdio.h>

/* ---- names of the registry ---- */

size_t section_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : 0;
}

long section_index(const param_def_t *table, size_t n, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < n; i++)
        if (section_len(table[i].name) == kl && kl > 0 && !strncmp(table[i].name, key, kl))
            return (long)i;
    return -1;
}

/* The closest section name to `key` (same threshold as params_suggest), written
 * into buf; false when nothing is close. */
bool scenario_suggest_section(const param_def_t *table, size_t n, const char *key,
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
    if (!text_near(kl, best_d))
        return false;
    snprintf(buf, len, "%.*s", (int)section_len(table[best_i].name), table[best_i].name);
    return true;
}

sim_status_t unknown_parameter(loader_t *L, const char *name, const yaml_node_t *key)
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

sim_status_t key_text(loader_t *L, const yaml_node_t *key, const char *where,
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
