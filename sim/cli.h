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

/* cli_getopt and cli_parse: --help was asked and printed; exit 0 */
#define CLI_HELP_SHOWN (-1)

/* One option of a command: its long name (--name), its letter (-x; 0: none),
 * the name of its value (NULL: a flag) and its help, lines split by '\n'. */
typedef struct {
    const char *name;
    int letter;
    const char *value;
    const char *help;
} cli_option_t;

/* A command: its name, a few words for the list of commands, the synopsis of its operands, what it does in a line,
 * more (NULL or paragraphs), its options (ending with a zeroed row), examples
 * (lines), the function that runs it (main's argc and argv: argv[1] is the
 * command) and whether every MPI rank runs it (the campaigns) or rank 0 alone. */
typedef struct {
    const char *name;
    const char *brief;          /* in tokensim --help's list */
    const char *synopsis;
    const char *purpose;
    const char *details;
    const cli_option_t *options;
    const char *examples;
    int (*run)(int argc, char **argv);
    int campaign;
} cli_command_t;

/* The most options and operands one command line may hold. */
#define CLI_MAX_ITEMS 512

/* What the command line held, in order: an option with its value (NULL for a
 * flag), or an operand (option NULL). */
typedef struct {
    const cli_option_t *option;
    const char *value;
} cli_item_t;

/* Parse a command's arguments (argv[0] the command's name) with getopt_long:
 * options anywhere, "--name value", "--name=value", "-x value", "-xvalue",
 * every command's -h and --help. Fills items (at most cap) and *n. Returns 0,
 * CLI_HELP_SHOWN, or the exit status of a usage error (printed, with the hint
 * to the command's --help). */
int cli_getopt(const cli_command_t *cmd, int argc, char **argv, cli_item_t *items, size_t cap, size_t *n);

/* Whether the item is the option called `name`. */
int cli_is(const cli_item_t *item, const char *name);

/* A command's help: usage, purpose, details, options, examples. */
void cli_print_help(const cli_command_t *cmd, FILE *f);

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
    cli_item_t items[CLI_MAX_ITEMS];   /* the command line as parsed, in order */
    size_t nitems;
} cli_t;

/* One line: printf's format, the text's control characters as '?' (a
 * scenario's name, paths, a result file's attributes, CSV fields cannot send
 * escapes to the terminal), then a newline. */
void cli_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print what a library function wrote into a memory stream (a table), its
 * control characters but newlines as '?'; 0, or -1 when f could not be
 * written (errno says why). */
int cli_put_stream(FILE *f, const char *text);

/* "tokensim: <fmt with arg>" and the hint to --help (the command's, once
 * cli_set_command named it) on stderr (rank 0); returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);

/* The command being run, for the hint of usage errors. */
void cli_set_command(const char *name);

/* "tokensim: <message>" on stderr (rank 0); returns the error's exit status. */
int cli_report(const sim_error_t *err);

/* The command that continues c's campaign into out: prog, the command, its
 * operands, every option as parsed (--name=value) but --output and --resume,
 * then --resume out, each word shell-quoted where needed; as snprintf, the
 * length it needs. */
size_t cli_resume_command(const cli_t *c, const char *prog, const char *command, const char *out, char *buf,
                          size_t size);

/* Parse the arguments of run, sweep, compare or validate (argv[0] the
 * command's name) into *c: the options cmd lists, `noperands` scenario files.
 * Returns 0, CLI_HELP_SHOWN, or the exit status of a usage error (printed). */
int cli_parse(const cli_command_t *cmd, int argc, char **argv, cli_t *c, int noperands);

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

/* The one-line reminder, on stderr from rank 0, that the market of p runs in
 * cohorts (market.mode cohorts or tenants.cohorts_per_day), after `arm`: a
 * note, not a warning (--strict does not refuse it). */
void cli_print_cohorts_note(const params_t *p, const char *arm);

/* --strict: the warnings printed are errors. Every rank holds the same
 * parameters, so every rank decides the same. Returns the exit status or 0. */
int cli_strict_refuses(const cli_t *c, size_t warnings);

#endif
