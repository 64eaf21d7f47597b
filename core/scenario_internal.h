/*
 * Shared by the scenario loader's files (core/scenario_*.c), not by other
 * modules: the state of loading one file, the YAML document as a file
 * (scenario_file.c), and the helpers that the sections, events and sweep
 * blocks all use. Positions are 1-based "file:line:col".
 */
#ifndef SIM_SCENARIO_INTERNAL_H
#define SIM_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <yaml.h>

#include "err.h"
#include "params.h"
#include "text.h"

/* Limits that keep hostile input from exhausting memory: a scenario is a few
 * kilobytes; libyaml's document tree costs ~150 bytes a node and has no depth
 * limit of its own, so both are checked on the event stream before loading. */
#define SCENARIO_MAX_BYTES ((size_t)16 << 20)
#define SCENARIO_MAX_DEPTH 64
#define SCENARIO_MAX_NODES 1000000L

/* Longest path a scenario names (base:, price.series_file), beside it included. */
#define SCENARIO_PATH_MAX 4096

/* Longest key or value quoted back in a message (text_show). */
#define SHOW_MAX TEXT_SHOW_MAX

typedef struct {
    int line, col;              /* 1-based; line 0: not set by the file */
} origin_t;

/* Loading one file (scenario_load.c) on top of the values before it. */
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

/* ---- nodes of the document ---- */

static inline int mark_line(yaml_mark_t m) { return (int)m.line + 1; }
static inline int mark_col(yaml_mark_t m) { return (int)m.column + 1; }

static inline yaml_node_t *node_at(yaml_document_t *doc, int index)
{
    return yaml_document_get_node(doc, index);
}

/* "a single value", "a list", "a mapping" or "nothing", for messages. */
const char *node_kind(const yaml_node_t *node);

/* YAML's null: an empty plain scalar (`key:`), `~` or `null`. Quoted "" is text. */
bool node_is_null(const yaml_node_t *node);

/* The words a plain scalar reads as null: "", "~", "null", "Null", "NULL". */
bool scenario_null_word(const char *text);

/* ---- the file (scenario_file.c) ---- */

/* Read the scenario at `path` into *doc: a regular file of at most
 * SCENARIO_MAX_BYTES holding one YAML document, nested at most
 * SCENARIO_MAX_DEPTH levels, of at most SCENARIO_MAX_NODES values; syntax
 * errors at "file:line:col" near the key they happened under. On success the
 * caller deletes *doc (yaml_document_delete); its root may be missing (an
 * empty file). */
sim_status_t scenario_file_read(const char *path, yaml_document_t *doc, sim_error_t *err);

/* The same key twice in one mapping, at any depth (scenario_dupkeys.c):
 * refused at the earliest repetition in the file, naming the first. */
sim_status_t scenario_dup_check(const char *path, yaml_document_t *doc, sim_error_t *err);

/* ---- names of the registry: sections and subsections (scenario_names.c) ---- */

/* Length of the section prefix of a registry name ("mint" in "mint.model"), 0 if none. */
size_t section_len(const char *name);

/* Index of the first registry entry in section `key`, or -1. */
long section_index(const param_def_t *table, size_t n, const char *key);

/* The closest section name to `key` into buf; false when nothing is close. */
bool scenario_suggest_section(const param_def_t *table, size_t n, const char *key, char *buf, size_t len);

/* ---- helpers of every block (scenario_names.c; read_series in scenario_load.c) ---- */

/* Key text of a mapping key node, or an error when the key is not a plain
 * name; `where` ("events: set: ") starts the message. */
sim_status_t key_text(loader_t *L, const yaml_node_t *key, const char *where, const char **out);

/* "file:line:col: unknown parameter 'x' (did you mean 'y'?)" at `key`. */
sim_status_t unknown_parameter(loader_t *L, const char *name, const yaml_node_t *key);

/* Read the series of price.series_file at `path` into *s; on failure the
 * message is "where: price.series_file: PATH:LINE: ..." and *s is untouched. */
sim_status_t read_series(const char *path, price_series_t *s, const char *where, sim_error_t *err);

/* ---- the blocks ---- */

/* events: a list of {day: N | date: YYYY-MM-DD, set: {param: value, ...},
 * note: "..."} (scenario_events.c). */
sim_status_t load_events(loader_t *L, const yaml_node_t *key, const yaml_node_t *val);

/* sweep: {mode: ..., params: {...}, ...} (scenario_sweep.c). */
sim_status_t load_sweep(loader_t *L, const yaml_node_t *key, const yaml_node_t *val);

#endif
