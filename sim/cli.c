/* The command line's shared helpers; see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "scenario.h"
#include "schedule.h"
#include "text.h"

/* Text from the user and from files (a scenario's name, paths, a result
 * file's attributes, CSV fields) is printed with its control characters as
 * '?' (text_control): it cannot send escapes to the terminal. `lines`: keep
 * newlines (tables of several lines). */
static void put_text(FILE *f, const char *s, int lines)
{
    while (*s) {
        size_t c = *s == '\n' && lines ? 0 : text_control(s);
        fputc(c ? '?' : *s, f);
        s += c ? c : 1;
    }
}

void cli_say(FILE *f, const char *fmt, ...)
{
    char local[2048];
    int n;
    va_list ap;
    va_start(ap, fmt);
    char *text = text_vformat(local, sizeof local, &n, fmt, ap);
    va_end(ap);
    if (n >= 0)
        put_text(f, text, 0);
    fputc('\n', f);
    if (text != local)
        free(text);
}

int cli_put_stream(FILE *f, const char *text)
{
    if (text)
        put_text(f, text, 1);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

static const char *current_command;

void cli_set_command(const char *name)
{
    current_command = name;
}

int cli_usage_error(const char *fmt, const char *arg)
{
    if (dist_rank() != 0)
        return EXIT_USAGE;
    /* whole, however long the argument: the reason may follow it */
    int n = snprintf(NULL, 0, fmt, arg);
    char *what = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (what)
        snprintf(what, (size_t)n + 1, fmt, arg);
    cli_say(stderr, "tokensim: %s", what ? what : fmt);
    free(what);
    if (current_command)
        fprintf(stderr, "Try 'tokensim %s --help'.\n", current_command);
    else
        fputs("Try 'tokensim --help'.\n", stderr);
    return EXIT_USAGE;
}

int cli_report(const sim_error_t *err)
{
    if (dist_rank() == 0)
        cli_say(stderr, "tokensim: %s", err->msg);
    return sim_exit_status(err->code);
}

static int add_set(cli_t *c, const char *assignment)
{
    if (c->nsets == sizeof c->sets / sizeof c->sets[0])
        return cli_usage_error("too many --set options (at most %s)", "256");
    c->sets[c->nsets++] = assignment;
    return 0;
}

/* -n, --seed, --days: the same as --set runs=, seed=, days= */
static int add_owned_set(cli_t *c, const char *key, const char *value)
{
    size_t k = 0;
    while (k < sizeof c->owned / sizeof c->owned[0] && c->owned[k][0])
        k++;
    if (k == sizeof c->owned / sizeof c->owned[0])
        return cli_usage_error("-n, --seed and --days given too often (at most %s times in all)", "16");
    int n = snprintf(c->owned[k], sizeof c->owned[k], "%s=%s", key, value);
    if (n < 0 || (size_t)n >= sizeof c->owned[k])
        return cli_usage_error("value too long: '%.40s...'", value);
    return add_set(c, c->owned[k]);
}

int cli_parse(const cli_command_t *cmd, int argc, char **argv, cli_t *c, int noperands)
{
    memset(c, 0, sizeof *c);
    cli_item_t items[512];
    size_t n;
    int rc = cli_getopt(cmd, argc, argv, items, sizeof items / sizeof items[0], &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const cli_item_t *it = &items[i];
        if (!it->option) {
            if (!c->scenario)
                c->scenario = it->value;
            else if (noperands == 2 && !c->scenario2)
                c->scenario2 = it->value;
            else
                rc = cli_usage_error("unexpected argument '%s'", it->value);
        } else if (cli_is(it, "set")) {
            rc = add_set(c, it->value);
        } else if (cli_is(it, "strict")) {
            c->strict = 1;
        } else if (cli_is(it, "quiet")) {
            c->quiet = 1;
        } else if (cli_is(it, "force")) {
            c->force = 1;
        } else if (cli_is(it, "resume")) {
            c->resume = it->value;
        } else if (cli_is(it, "output")) {
            c->out = it->value;
        } else if (cli_is(it, "threads")) {
            char *end;
            errno = 0;
            long t = strtol(it->value, &end, 10);
            if (end == it->value || *end || errno || t < 1 || t > 4096)
                return cli_usage_error("-j needs a thread count in [1, 4096], got '%s'", it->value);
            c->threads = (int)t;
        } else if (cli_is(it, "runs") || cli_is(it, "seed") || cli_is(it, "days")) {
            rc = add_owned_set(c, it->option->name, it->value);
        }
    }
    if (rc)
        return rc;
    if (!c->scenario)
        return cli_usage_error("%s", noperands == 2 ? "missing the scenario files: BASE.yaml PROPOSAL.yaml"
                                                    : "missing the scenario file");
    if (noperands == 2 && !c->scenario2)
        return cli_usage_error("%s", "compare needs two scenario files: BASE.yaml PROPOSAL.yaml");
    return 0;
}

sim_status_t cli_load(const cli_t *c, const char *path, params_t *p, sim_error_t *err)
{
    sim_status_t rc = scenario_load(path, p, err);
    for (size_t i = 0; rc == SIM_OK && i < c->nsets; i++)
        rc = scenario_apply_set(p, c->sets[i], err);
    if (rc == SIM_OK && c->nsets > 0)
        rc = scenario_check(p, "after --set", err);
    return rc;
}

sim_status_t cli_load_everywhere(const cli_t *c, const char *path, params_t *p, sim_error_t *err)
{
    sim_status_t rc = dist_rank() == 0 ? cli_load(c, path, p, err) : SIM_OK;
    rc = dist_agree(rc, err);
    if (rc == SIM_OK)
        dist_bcast(p, sizeof *p);
    return rc;
}

size_t cli_print_warnings(const params_t *p, const char *arm)
{
    static char lines[SCHEDULE_MAX_WARNINGS][SCHEDULE_LINE_MAX];
    size_t n = schedule_ignored(p, lines, SCHEDULE_MAX_WARNINGS);
    for (size_t i = 0; i < n && i < SCHEDULE_MAX_WARNINGS && dist_rank() == 0; i++)
        cli_say(stderr, "tokensim: warning: %s%s", arm, lines[i]);
    return n;
}

int cli_strict_refuses(const cli_t *c, size_t warnings)
{
    if (!c->strict || warnings == 0)
        return 0;
    if (dist_rank() == 0)
        fprintf(stderr, "tokensim: --strict makes %s above %s\n",
                warnings == 1 ? "the warning" : "the warnings", warnings == 1 ? "an error" : "errors");
    return EXIT_USAGE;
}
