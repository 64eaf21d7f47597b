/* The options of run, sweep, compare and validate, and loading their scenarios; see cli.h. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "outpath.h"
#include "scenario.h"
#include "schedule.h"

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
    if (value[0] == '=')   /* -n=5: getopt reads "=5" as the value */
        return cli_usage_error("%s takes its value as '-n 5', '-n5' or '--runs=5', not '-n=5'", "-n, --seed or --days");
    int n = snprintf(c->owned[k], sizeof c->owned[k], "%s=%s", key, value);
    if (n < 0 || (size_t)n >= sizeof c->owned[k])
        return cli_usage_error("value too long: '%.40s...'", value);
    return add_set(c, c->owned[k]);
}

int cli_parse(const cli_command_t *cmd, int argc, char **argv, cli_t *c, int noperands)
{
    memset(c, 0, sizeof *c);
    cli_item_t *items = c->items;
    int rc = cli_getopt(cmd, argc, argv, items, CLI_MAX_ITEMS, &c->nitems);
    for (size_t i = 0; rc == 0 && i < c->nitems; i++) {
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
                return cli_usage_error("-j/--threads needs a thread count in [1, 4096], got '%s'", it->value);
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

void cli_print_cohorts_note(const params_t *p, const char *arm)
{
    int64_t k = params_cohorts_k(p);
    if (k <= 0 || dist_rank() != 0)
        return;
    cli_say(stderr, "tokensim: note: %sthe market runs in cohorts (K = %" PRId64 " a class a day): about 0.6 "
            "of the exact market's time over ten years (0.8 over one), its market metrics within about 2 %% of the exact market's "
            "(docs/model.md, section 9.4); market.mode: exact is the reference", arm, k);
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

size_t cli_resume_command(const cli_t *c, const char *prog, const char *command, const char *out, char *buf,
                          size_t size)
{
    /* words: the command, the operands (a leading '-' behind "./", so that it
     * reads as a file), the options as --name=value; outpath adds --resume */
    size_t room = 0;
    for (size_t i = 0; i < c->nitems; i++)
        room += (c->items[i].option ? strlen(c->items[i].option->name) + 4 : 3) +
                (c->items[i].value ? strlen(c->items[i].value) : 0);
    char *text = malloc(room + 1), *at = text;
    char **words = malloc((c->nitems + 1) * sizeof *words);
    if (!text || !words) {
        free(text);
        free(words);
        return outpath_resume_command(prog, 0, NULL, out, buf, size);   /* the bare command */
    }
    int n = 0;
    words[n++] = (char *)command;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->nitems; i++) {
            const cli_item_t *it = &c->items[i];
            if ((pass == 0) != (it->option == NULL) || cli_is(it, "output") || cli_is(it, "resume"))
                continue;
            words[n++] = at;
            if (!it->option)
                at += sprintf(at, "%s%s", it->value[0] == '-' ? "./" : "", it->value) + 1;
            else if (it->value)
                at += sprintf(at, "--%s=%s", it->option->name, it->value) + 1;
            else
                at += sprintf(at, "--%s", it->option->name) + 1;
        }
    size_t len = outpath_resume_command(prog, n, words, out, buf, size);
    free(text);
    free(words);
    return len;
}
