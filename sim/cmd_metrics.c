/* The command that lists the metrics a run records: metrics (commands.h). */
#define _GNU_SOURCE             /* strcasestr */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"
#include "metric_table.h"

static const cli_option_t metrics_options[] = {
    {"markdown", 0, NULL, "a Markdown table"},
    {0},
};

/* A pattern with a wildcard is a glob (fnmatch); a plain word matches names
 * that contain it, and meanings too, case aside. */
static int matches(const metric_def_t *m, const char *pattern)
{
    if (!pattern)
        return 1;
    if (strpbrk(pattern, "*?["))
        return fnmatch(pattern, m->name, 0) == 0;
    return strcasestr(m->name, pattern) != NULL || strcasestr(m->description, pattern) != NULL;
}

static int cmd_metrics(int argc, char **argv)
{
    cli_item_t items[CLI_MAX_ITEMS];
    size_t n;
    int rc = cli_getopt(&command_metrics, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &n);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    int markdown = 0;
    const char *pattern = NULL;
    for (size_t i = 0; i < n; i++) {
        if (cli_is(&items[i], "markdown"))
            markdown = 1;
        else if (!items[i].option && !pattern)
            pattern = items[i].value;
        else
            return cli_usage_error("metrics: unexpected argument '%s'", items[i].value);
    }
    size_t width = 0, found = 0;
    for (size_t i = 0; i < METRIC_COUNT; i++)
        if (matches(&metric_table[i], pattern)) {
            found++;
            if (strlen(metric_table[i].name) > width)
                width = strlen(metric_table[i].name);
        }
    if (found == 0) {
        const char *near = metric_suggest(pattern);
        if (near)
            cli_say(stderr, "tokensim: metrics: none matches '%s' (did you mean '%s'?)", pattern, near);
        else
            cli_say(stderr, "tokensim: metrics: none matches '%s' ('tokensim metrics' lists them all)", pattern);
        return EXIT_USAGE;
    }
    if (markdown)
        printf("| metric | units | meaning |\n|---|---|---|\n");
    else
        printf("%-*s %-16s %s\n", (int)width, "metric", "units", "meaning");
    for (size_t i = 0; i < METRIC_COUNT; i++) {
        const metric_def_t *m = &metric_table[i];
        if (!matches(m, pattern))
            continue;
        if (markdown)
            printf("| `%s` | %s | %s |\n", m->name, m->unit, m->description);
        else
            printf("%-*s %-16s %s\n", (int)width, m->name, m->unit, m->description);
    }
    return 0;
}

const cli_command_t command_metrics = {
    .name = "metrics",
    .brief = "the metrics a run records: names, units, meanings",
    .synopsis = "[PATTERN] [OPTIONS]",
    .purpose = "List the metrics every run records (the datasets of /runs and /summary): name, units,\n"
               "meaning. PATTERN: a word found in the name or the meaning (case aside), or a glob\n"
               "such as 'h100_*'.",
    .options = metrics_options,
    .examples = "tokensim metrics price\n"
                "tokensim metrics 'gpu*'\n"
                "tokensim summary history.h5 --metric price_usd,h100_utilisation --at 365,730",
    .run = cmd_metrics,
    .campaign = 0,
};
