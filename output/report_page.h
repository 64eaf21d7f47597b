/*
 * A report's directory and page: the figures go into the directory as they
 * are drawn, the page's sections are gathered in memory, and index.html is
 * written last (under a temporary name, then moved). When anything fails, the
 * figures this report wrote are removed again, and the directory too when the
 * report made it, so that a failed report leaves nothing behind.
 */
#ifndef OUTPUT_REPORT_PAGE_H
#define OUTPUT_REPORT_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef struct {
    const char *dir;
    int created;               /* the directory was made by this report */
    char **made;               /* the figures written so far (file names) */
    size_t nmade;
    FILE *body;                /* the page's sections, into body_text */
    char *body_text;
    size_t body_len;
} report_t;

/* Make the directory, or use the existing one. */
sim_status_t report_open(report_t *r, const char *dir, sim_error_t *err);

/* DIR/file into buf[len]. */
const char *report_path(const report_t *r, const char *file, char *buf, size_t len);

/* A figure was written to DIR/file: removed again if the report fails. */
sim_status_t report_made(report_t *r, const char *file, sim_error_t *err);

/* Text for the page, markup escaped, controls but newlines shown as '?'. */
void report_html(FILE *f, const char *s);

/* Sections of the page: a heading, a figure, a paragraph (text, escaped). */
void report_heading(report_t *r, const char *title);
void report_image(report_t *r, const char *file, const char *alt);
void report_paragraph(report_t *r, const char *text);

/* Finish: when st is SIM_OK write DIR/index.html (the title, the intro as
 * HTML, the sections, then `summary` as preformatted text under "Summary and
 * provenance" when not NULL); otherwise, or when writing fails, remove what
 * the report made. Returns the first failure. */
sim_status_t report_close(report_t *r, sim_status_t st, const char *h5path, const char *title,
                          const char *intro_html, const char *summary, sim_error_t *err);

#endif
