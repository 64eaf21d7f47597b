/*
 * A scenario file as one libyaml document (scenario_internal.h): only regular
 * files are read, within limits on size, depth and count, and libyaml's errors
 * become "file:line:col: YAML syntax error near 'mint.inflation': ...".
 */
#include "scenario_internal.h"
#include "readfile.h"

#include <stdio.h>
#include <stdlib.h>

const char *node_kind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a single value";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

bool scenario_null_word(const char *v)
{
    return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

bool node_is_null(const yaml_node_t *node)
{
    return node->type == YAML_SCALAR_NODE && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           scenario_null_word((const char *)node->data.scalar.value);
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

sim_status_t scenario_file_read(const char *path, yaml_document_t *doc, sim_error_t *err)
{
    static const readfile_spec_t spec = {.noun = "scenario", .kind = "a scenario",
                                         .max_bytes = SCENARIO_MAX_BYTES, .unreadable = SIM_EINVAL};
    char *text = NULL;
    size_t len = 0;
    sim_status_t st = readfile(path, &spec, &text, &len, err);
    if (st != SIM_OK)
        return st;
    const unsigned char *buf = (const unsigned char *)text;
    st = prescan(path, buf, len, err);
    yaml_parser_t parser;
    bool have_parser = false;
    if (st == SIM_OK) {
        have_parser = yaml_parser_initialize(&parser);
        if (!have_parser)
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory while parsing YAML", path);
    }
    if (st == SIM_OK) {
        yaml_parser_set_input_string(&parser, buf, len);
        if (!yaml_parser_load(&parser, doc))    /* libyaml frees the document on failure */
            st = yaml_fail(path, &parser, buf, len, "", err);
    }
    if (have_parser)
        yaml_parser_delete(&parser);
    free(text);
    return st;
}
