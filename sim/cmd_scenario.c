/* The commands about scenarios and parameters: validate, params (commands.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "params.h"
#include "sweep.h"

static const cli_option_t validate_options[] = {
    {"set", 0, "KEY=VALUE", "override a parameter first, as run does (repeatable)"},
    {"runs", 'n', "RUNS", "the same as --set runs=RUNS"},
    {"seed", 0, "N", "the same as --set seed=N"},
    {"days", 0, "DAYS", "the same as --set days=DAYS (the horizon the warnings check)"},
    {"strict", 0, NULL, "warnings (an event after the horizon) are errors: exit status 2"},
    {0},
};

static int cmd_validate(int argc, char **argv)
{
    cli_t c;
    int rc = cli_parse(&command_validate, argc - 1, argv + 1, &c, 1);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    static params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    if (cli_load(&c, c.scenario, &p, &err) != SIM_OK)
        return cli_report(&err);
    /* a sweep's points, as `tokensim sweep` checks them before it starts */
    static params_t point;
    for (size_t k = 0; p.sweep.mode != SWEEP_NONE && k < sweep_npoints(&p); k++)
        if (sweep_point(&p, k, &point, NULL, 0, &err) != SIM_OK)
            return cli_report(&err);
    if ((rc = cli_strict_refuses(&c, cli_print_warnings(&p, ""))) != 0)
        return rc;
    cli_say(stdout, "%s: valid (name %s, %lld runs x %lld days, seed %lld)", c.scenario, p.name,
        (long long)p.runs, (long long)p.days, (long long)p.seed);
    return 0;
}

static void print_range(const param_def_t *d, char *buf, size_t len)
{
    switch (d->type) {
    case PARAM_ENUM: snprintf(buf, len, "%s", d->choices); break;
    case PARAM_BOOL: snprintf(buf, len, "true|false"); break;
    case PARAM_TEXT: snprintf(buf, len, "text"); break;
    case PARAM_DATE: snprintf(buf, len, "YYYY-MM-DD"); break;
    case PARAM_INT: snprintf(buf, len, "[%.0f, %.0f]", d->min, d->max); break;
    default: snprintf(buf, len, "[%g, %g]", d->min, d->max); break;
    }
}

const cli_command_t command_validate = {
    .name = "validate",
    .brief = "check a scenario file without running it",
    .synopsis = "SCENARIO.yaml [OPTIONS]",
    .purpose = "Check a scenario file, its events day by day and its sweep's points, without running it.\n"
               "A problem is reported at its FILE:LINE:COL with the parameter's name; exit status 2.",
    .options = validate_options,
    .examples = "tokensim validate scenarios/akash-history.yaml\n"
                "tokensim validate my-proposal.yaml --set days=3650 --strict",
    .run = cmd_validate,
    .campaign = 0,
};

static const cli_option_t params_options[] = {
    {"scenario", 's', "FILE", "the values a scenario file gives on day 0 (its base file\nincluded; its events change them later), not the defaults"},
    {"set", 0, "KEY=VALUE", "with --scenario: override a parameter first (repeatable)"},
    {"markdown", 0, NULL, "a Markdown table (scenarios/README.md is made so)"},
    {0},
};

/* "mint" matches mint.*, "resources.h100" resources.h100.*, "days" days. */
static int in_section(const char *name, const char *section)
{
    size_t n = strlen(section);
    return !section[0] || (strncmp(name, section, n) == 0 && (name[n] == '\0' || name[n] == '.'));
}

static int cmd_params(int argc, char **argv)
{
    cli_item_t items[CLI_MAX_ITEMS];
    size_t nitems;
    int rc = cli_getopt(&command_params, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &nitems);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    int markdown = 0;
    const char *section = "";
    cli_t c;   /* --scenario and --set, loaded as run loads them */
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < nitems; i++) {
        if (cli_is(&items[i], "markdown"))
            markdown = 1;
        else if (cli_is(&items[i], "scenario"))
            c.scenario = items[i].value;
        else if (cli_is(&items[i], "set") && c.nsets < sizeof c.sets / sizeof c.sets[0])
            c.sets[c.nsets++] = items[i].value;
        else if (!items[i].option && !section[0])
            section = items[i].value;
        else
            return cli_usage_error("params: unexpected argument '%s'", items[i].value);
    }
    if (c.nsets > 0 && !c.scenario)
        return cli_usage_error("%s", "--set needs --scenario FILE (the defaults are what they are)");
    size_t n;
    const param_def_t *t = params_table(&n);
    size_t shown = 0, width = 0;   /* the longest name sets the first column */
    for (size_t i = 0; i < n; i++)
        if (in_section(t[i].name, section)) {
            shown++;
            if (strlen(t[i].name) > width)
                width = strlen(t[i].name);
        }
    if (shown == 0) {
        const char *near = params_suggest(section);
        if (near)
            cli_say(stderr, "tokensim: params: no parameter or section '%s' (did you mean '%s'?)", section, near);
        else
            cli_say(stderr, "tokensim: params: no parameter or section '%s' ('tokensim params' lists them)", section);
        return EXIT_USAGE;
    }
    static params_t p, defaults;
    params_defaults(&defaults);
    p = defaults;
    if (c.scenario) {
        sim_error_t err;
        sim_error_clear(&err);
        if (cli_load(&c, c.scenario, &p, &err) != SIM_OK)
            return cli_report(&err);
    }
    const char *value_head = c.scenario ? "value" : "default";
    char value[PARAMS_TEXT_MAX], def[PARAMS_TEXT_MAX], range[128];
    if (markdown)
        printf("| parameter | %s | range | unit | meaning |\n|---|---|---|---|---|\n", value_head);
    else
        printf("%-*s %-14s %-26s %-12s %s\n", (int)width, "parameter", value_head, "range", "unit", "meaning");
    for (size_t i = 0; i < n; i++) {
        if (!in_section(t[i].name, section))
            continue;
        params_format(&p, &t[i], value, sizeof value);
        params_format(&defaults, &t[i], def, sizeof def);
        print_range(&t[i], range, sizeof range);
        /* with --scenario, a value that differs from the default says so */
        char shown_value[PARAMS_TEXT_MAX + 4];
        snprintf(shown_value, sizeof shown_value, "%s%s", value[0] ? value : "\"\"",
                 c.scenario && strcmp(value, def) != 0 ? " *" : "");
        if (markdown)
            cli_say(stdout, "| `%s` | %s | %s | %s | %s |", t[i].name, shown_value, range, t[i].unit, t[i].doc);
        else
            cli_say(stdout, "%-*s %-14s %-26s %-12s %s", (int)width, t[i].name, shown_value, range, t[i].unit,
                    t[i].doc);
    }
    if (c.scenario)
        cli_say(stdout, "(* differs from the default; %s)", c.scenario);
    return 0;
}

const cli_command_t command_params = {
    .name = "params",
    .brief = "the scenario parameters: defaults, ranges, units, meanings",
    .synopsis = "[SECTION|NAME] [OPTIONS]",
    .purpose = "List the scenario parameters: name, default (or a scenario's value), range, unit and\n"
               "meaning; SECTION (mint, staking, market, resources.h100, ...) lists that section alone.",
    .options = params_options,
    .examples = "tokensim params mint\n"
                "tokensim params market --scenario scenarios/akash-history.yaml\n"
                "tokensim params --markdown > parameters.md",
    .run = cmd_params,
    .campaign = 0,
};
