/*
 * What the commands of the command line share: printing (user text with its
 * control characters shown as '?'), usage errors and error reports with the
 * exit status, and the options of run, sweep, compare and validate: parsing
 * them, loading the scenario with its --set overrides, its warnings and
 * --strict. Under MPI every rank parses and loads alike; rank 0 alone prints.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "params.h"

/* exit status of bad usage or bad input (0 success, 1 runtime failure) */
#define EXIT_USAGE 2

/* The options of run, sweep, compare and validate: the scenario, then
 * overrides in order. */
typedef struct {
    const char *scenario;
    const char *scenario2;      /* compare: the proposal */
    const char *out;
    int threads;
    int quiet;
    int force;                  /* --force: overwrite an existing output */
    int strict;                 /* --strict: warnings are errors */
    const char *resume;         /* --resume OUT.h5 */
    const char *sets[256];
    size_t nsets;
    char owned[16][96];         /* "runs=N" etc. built from -n/--seed/--days */
} cli_t;

/* One line: printf's format, the text's control characters as '?' (a
 * scenario's name, paths, a result file's attributes, CSV fields cannot send
 * escapes to the terminal), then a newline. */
void cli_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print what a library function wrote into a memory stream (a table), its
 * control characters but newlines as '?'; 0, or -1 when f could not be
 * written (errno says why). */
int cli_put_stream(FILE *f, const char *text);

/* "tokensim: <fmt with arg>" and the hint to --help on stderr (rank 0);
 * returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);

/* "tokensim: <message>" on stderr (rank 0); returns the error's exit status. */
int cli_report(const sim_error_t *err);

/* Parse a command's arguments into *c: run options (-o, -n, -j, --seed,
 * --days, --force, --resume, --quiet) when allow_run_opts, two scenario files
 * when two. Returns 0, or the exit status of a usage error (printed). */
int cli_parse(int argc, char **argv, cli_t *c, int allow_run_opts, int two);

/* Load the scenario at path, then apply c's --set overrides in order. */
sim_status_t cli_load(const cli_t *c, const char *path, params_t *p, sim_error_t *err);

/* cli_load on rank 0, whose outcome every rank gets, and whose resolved
 * parameters (plain data) it sends to the others: the same numbers on every
 * rank, and the scenario files need not be on every node. */
sim_status_t cli_load_everywhere(const cli_t *c, const char *path, params_t *p, sim_error_t *err);

/* Warnings about a loaded scenario (events and scheduled days after the
 * horizon, which a run ignores), each after `arm` ("proposal: "), on stderr
 * from rank 0. Returns how many. */
size_t cli_print_warnings(const params_t *p, const char *arm);

/* --strict: the warnings printed are errors. Every rank holds the same
 * parameters, so every rank decides the same. Returns the exit status or 0. */
int cli_strict_refuses(const cli_t *c, size_t warnings);

#endif
