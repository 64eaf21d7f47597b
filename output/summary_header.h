/*
 * The provenance lines that open `tokensim summary`: a title with the file's
 * path, then "label value" for root attributes of the file (text or numbers,
 * integers exactly, "?" when absent).
 */
#ifndef OUTPUT_SUMMARY_HEADER_H
#define OUTPUT_SUMMARY_HEADER_H

#include <stddef.h>
#include <stdio.h>

#include <hdf5.h>

typedef struct {
    const char *label, *attr;   /* what the line says; the root attribute it shows */
    int numeric;
} summary_field_t;

/* A root attribute as text (integers exactly), or "?" when absent. */
void summary_attr_text(hid_t file, const char *name, char *buf, size_t size);

/* "<title> <path>", then a line a field. */
void summary_header_print(hid_t file, const char *title, const char *path, const summary_field_t *field,
                          size_t nfields, FILE *out);

/* The header of a run or sweep file: "tokensim result PATH", its scenario,
 * command, runs, days, seed, start date, version and creation time. */
void summary_header_run(hid_t file, const char *path, FILE *out);

#endif
