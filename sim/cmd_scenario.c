/* The commands about scenarios and parameters: validate, params (commands.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "params.h"
#include "sweep.h"

int cmd_validate(int argc, char **argv)
{
    argc -= 2;   /* the arguments after "tokensim validate" */
    argv += 2;
    cli_t c;
    int rc = cli_parse(argc, argv, &c, 0, 0);
    if (rc)
        return rc;
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

int cmd_params(int argc, char **argv)
{
    argc -= 2;   /* the arguments after "tokensim params" */
    argv += 2;
    int markdown = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            markdown = 1;
        else
            return cli_usage_error("params: unexpected argument '%s'", argv[i]);
    }
    size_t n;
    const param_def_t *t = params_table(&n);
    params_t p;
    params_defaults(&p);
    char def[PARAMS_TEXT_MAX], range[128];
    size_t width = 0;   /* the longest name sets the first column */
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].name) > width)
            width = strlen(t[i].name);
    if (markdown) {
        printf("| parameter | default | range | unit | meaning |\n|---|---|---|---|---|\n");
    } else {
        printf("%-*s %-14s %-26s %-12s %s\n", (int)width, "parameter", "default", "range", "unit", "meaning");
    }
    for (size_t i = 0; i < n; i++) {
        params_format(&p, &t[i], def, sizeof def);
        print_range(&t[i], range, sizeof range);
        if (markdown)
            printf("| `%s` | %s | %s | %s | %s |\n", t[i].name, def[0] ? def : "\"\"", range, t[i].unit, t[i].doc);
        else
            printf("%-*s %-14s %-26s %-12s %s\n", (int)width, t[i].name, def[0] ? def : "\"\"", range, t[i].unit,
                   t[i].doc);
    }
    return 0;
}
