/* The commands that read result files: summary, plot, report (commands.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "export.h"
#include "outpath.h"
#include "publish.h"
#include "plot.h"
#include "report.h"
#include "summary.h"

/* "out.h5" -> "out<suffix>": where plot and report put their output by default. */
static const char *beside(const char *file, const char *suffix, char *buf, size_t len)
{
    size_t n = strlen(file);
    if (n > 3 && !strcmp(file + n - 3, ".h5"))
        n -= 3;
    snprintf(buf, len, "%.*s%s", (int)n, file, suffix);
    return buf;
}

/* --metric a,b --metric c: each name once, in order, into names (at most cap). */
static int add_names(const char *list, const char **names, char *store, size_t store_len, size_t *used,
                     size_t *n, size_t cap)
{
    size_t len = strlen(list);
    if (*used + len + 1 > store_len)
        return cli_usage_error("too many metric names: '%.40s...'", list);
    char *copy = store + *used;
    memcpy(copy, list, len + 1);
    *used += len + 1;
    for (char *save = NULL, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        if (*n == cap)
            return cli_usage_error("at most %s metrics", cap == 32 ? "32" : "64");
        names[(*n)++] = name;
    }
    return 0;
}

static const cli_option_t plot_options[] = {
    {"metric", 'm', "NAME[,NAME...]", "a metric to chart (repeatable; 'tokensim metrics' lists them);\ndefault: supply_total, inflation, bonded_ratio, gpu_utilisation"},
    {"output", 'o', "FIG.png|FIG.svg", "the figure (default: beside the file, OUT.png)"},
    {0},
};

static int cmd_plot(int argc, char **argv)
{
    cli_item_t items[256];
    size_t nitems;
    int rc = cli_getopt(&command_plot, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &nitems);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    const char *file = NULL, *out = NULL;
    const char *metrics[32];
    static char names[8192];
    size_t n = 0, used = 0;
    for (size_t i = 0; i < nitems; i++) {
        if (cli_is(&items[i], "metric")) {
            if ((rc = add_names(items[i].value, metrics, names, sizeof names, &used, &n, 32)) != 0)
                return rc;
        } else if (cli_is(&items[i], "output")) {
            out = items[i].value;
        } else if (!items[i].option && !file) {
            file = items[i].value;
        } else {
            return cli_usage_error("unexpected argument '%s'", items[i].value);
        }
    }
    if (!file)
        return cli_usage_error("%s", "plot needs a result file: tokensim plot OUT.h5 --metric NAME -o FIG.png");
    static const char *const defaults[] = {"supply_total", "inflation", "bonded_ratio", "gpu_utilisation"};
    if (n == 0)
        for (; n < sizeof defaults / sizeof defaults[0]; n++)
            metrics[n] = defaults[n];
    char default_out[4096];
    if (!out)
        out = beside(file, ".png", default_out, sizeof default_out);
    sim_error_t err;
    sim_error_clear(&err);
    if (plot_fan(file, metrics, n, out, &err) != SIM_OK)
        return cli_report(&err);
    cli_say(stderr, "tokensim: wrote %s", out);
    return 0;
}

const cli_command_t command_plot = {
    .name = "plot",
    .brief = "fan charts of metrics by date",
    .synopsis = "OUT.h5 [OPTIONS]",
    .purpose = "Fan charts of metrics by date: the 5-95 % and 25-75 % bands across runs, the median\n"
               "and the mean (gnuplot; PNG or SVG by the output's name).",
    .options = plot_options,
    .examples = "tokensim plot history.h5 -m price_usd -m bonded_ratio -o history.png\n"
                "tokensim plot history.h5 --metric supply_total,minted --output supply.svg",
    .run = cmd_plot,
    .campaign = 0,
};

static const cli_option_t report_options[] = {
    {"output", 'o', "DIR", "the report's directory (default: beside the file, OUT-report)"},
    {0},
};

static int cmd_report(int argc, char **argv)
{
    cli_item_t items[64];
    size_t nitems;
    int rc = cli_getopt(&command_report, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &nitems);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    const char *file = NULL, *dir = NULL;
    for (size_t i = 0; i < nitems; i++) {
        if (cli_is(&items[i], "output"))
            dir = items[i].value;
        else if (!items[i].option && !file)
            file = items[i].value;
        else
            return cli_usage_error("unexpected argument '%s'", items[i].value);
    }
    if (!file)
        return cli_usage_error("%s", "report needs a result file: tokensim report OUT.h5 -o DIR");
    char default_dir[4096];
    if (!dir)
        dir = beside(file, "-report", default_dir, sizeof default_dir);
    sim_error_t err;
    sim_error_clear(&err);
    if (report_write(file, dir, &err) != SIM_OK)
        return cli_report(&err);
    cli_say(stderr, "tokensim: wrote %s/index.html", dir);
    return 0;
}

const cli_command_t command_report = {
    .name = "report",
    .brief = "figures and an index.html for a result file",
    .synopsis = "OUT.h5 [OPTIONS]",
    .purpose = "Write a report: a set of figures and an index.html with the summary, for a run,\n"
               "comparison or sweep file. It opens in any browser; the folder is self-contained.",
    .options = report_options,
    .examples = "tokensim report history.h5 -o history-report\n"
                "xdg-open history-report/index.html",
    .run = cmd_report,
    .campaign = 0,
};

static const cli_option_t summary_options[] = {
    {"observed", 0, "CSV|DIR", "observed data to set beside the simulated values (repeatable;\ndefault: the shipped data/observed; format: data/observed/README.md)"},
    {"observed-only", 0, NULL, "print the table of observations alone"},
    {"markdown", 0, NULL, "with --observed-only: the table in Markdown"},
    {"metric", 'm', "NAME[,NAME...]", "these metrics alone, in this order (repeatable; 'tokensim\nmetrics' lists them)"},
    {"at", 0, "DAYS[,DAYS...]", "at these days (from the start; the last recorded day at or\nbefore each) instead of day 0, 30, 90, 365, ..."},
    {0},
};

/* --at 365,730 --at 1825: days, each a number >= 0, into days (at most cap). */
static int add_days(const char *list, double *days, size_t *n, size_t cap)
{
    const char *s = list;
    for (;;) {
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        if (end == s || errno || !(d >= 0) || d > 1e7 || (*end && *end != ','))
            return cli_usage_error("--at needs days (numbers >= 0, separated by commas), got '%s'", list);
        if (*n == cap)
            return cli_usage_error("--at: at most %s days", "64");
        days[(*n)++] = d;
        if (!*end)
            return 0;
        s = end + 1;
    }
}

static int cmd_summary(int argc, char **argv)
{
    cli_item_t items[256];
    size_t nitems;
    int rc = cli_getopt(&command_summary, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &nitems);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    const char *file = NULL, *observed[64], *metrics[64];
    static char names[8192];
    double at[64];
    summary_opts_t opts = {.observed = observed, .metrics = metrics, .at_days = at};
    size_t nobserved = 0, used = 0;
    for (size_t i = 0; i < nitems; i++) {
        if (cli_is(&items[i], "metric")) {
            if ((rc = add_names(items[i].value, metrics, names, sizeof names, &used, &opts.nmetrics, 64)) != 0)
                return rc;
        } else if (cli_is(&items[i], "at")) {
            if ((rc = add_days(items[i].value, at, &opts.nat, 64)) != 0)
                return rc;
        } else if (cli_is(&items[i], "observed-only")) {
            opts.observed_only = 1;
        } else if (cli_is(&items[i], "markdown")) {
            opts.markdown = 1;
        } else if (cli_is(&items[i], "observed")) {
            if (nobserved == sizeof observed / sizeof observed[0])
                return cli_usage_error("summary: at most %s --observed options", "64");
            observed[nobserved++] = items[i].value;
        } else if (!items[i].option && !file) {
            file = items[i].value;
        } else {
            return cli_usage_error("unexpected argument '%s'", items[i].value);
        }
    }
    if (!file)
        return cli_usage_error("%s", "summary needs a result file: tokensim summary OUT.h5 [--observed CSV|DIR]... [--observed-only [--markdown]]");
    sim_error_t err;
    sim_error_clear(&err);
    opts.nobserved = nobserved;
    if (opts.markdown && !opts.observed_only)
        return cli_usage_error("%s", "--markdown prints the observations' table: give --observed-only too");
    /* printed once whole, so that a failure half-way prints no half table */
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    if (!mem)
        return cli_report(&(sim_error_t){SIM_ENOMEM, "summary: out of memory"});
    sim_status_t st = summary_print(file, &opts, mem, &err);
    fclose(mem);
    if (st == SIM_OK && cli_put_stream(stdout, text) != 0)
        st = sim_fail(&err, SIM_EIO, "%s: cannot write the summary: %s", file, strerror(errno));
    free(text);
    return st == SIM_OK ? 0 : cli_report(&err);
}

const cli_command_t command_summary = {
    .name = "summary",
    .brief = "a result file's key figures, and observed data beside them",
    .synopsis = "OUT.h5 [OPTIONS]",
    .purpose = "Print a result file's key figures at horizons (day 0, 30, 90, 365, ...): medians and\n"
               "5-95 % bands, issuance and burns, and the observed data inside the file's dates\n"
               "beside the simulated values.",
    .options = summary_options,
    .examples = "tokensim summary history.h5\n"
                "tokensim summary history.h5 --metric price_usd,bonded_ratio --at 365,730\n"
                "tokensim summary compare-take-rate-akt-10.h5   # a comparison: arms and paired differences\n"
                "tokensim summary history.h5 --observed-only --markdown > validation.md",
    .run = cmd_summary,
    .campaign = 0,
};

static const cli_option_t export_options[] = {
    {"format", 'f', "csv", "the output's format: csv (tidy: one value a row)"},
    {"group", 'g', "runs|summary|compare", "what to export: every run's series (default), the summary's\nstatistics, or a comparison's arms and paired differences"},
    {"metric", 'm', "NAME[,NAME...]", "these metrics alone, in this order (repeatable; default: all)"},
    {"output", 'o', "OUT.csv", "the output file (default: standard output); it appears whole\nor not at all"},
    {"force", 0, NULL, "replace an existing output file (a regular file only)"},
    {0},
};

/* The table into out_path: written under a temporary name beside it and
 * moved to its name once whole, so that a failure leaves nothing behind. */
static sim_status_t export_to_file(const char *file, const export_opts_t *opts, const char *out_path, int force,
                                   sim_error_t *err)
{
    char tmp[4096];
    sim_status_t st = outpath_check(out_path, force, 0, err);
    if (st == SIM_OK)
        st = publish_tmp_name(out_path, tmp, sizeof tmp, err);
    if (st != SIM_OK)
        return st;
    FILE *f = fopen(tmp, "wx");
    if (!f)
        return sim_fail(err, SIM_EIO, "%s: cannot create %s: %s", out_path, tmp, strerror(errno));
    st = export_csv(file, opts, f, err);
    if (fclose(f) != 0 && st == SIM_OK)
        st = sim_fail(err, SIM_EIO, "%s: cannot write: %s", out_path, strerror(errno));
    if (st == SIM_OK)
        st = publish_file(tmp, out_path, force, err);
    if (st != SIM_OK)
        unlink(tmp);
    return st;
}

static int cmd_export(int argc, char **argv)
{
    cli_item_t items[256];
    size_t nitems;
    int rc = cli_getopt(&command_export, argc - 1, argv + 1, items, sizeof items / sizeof items[0], &nitems);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    const char *file = NULL, *out = NULL, *metrics[64];
    static char names[8192];
    size_t used = 0;
    int force = 0;
    export_opts_t opts = {.group = EXPORT_RUNS, .metrics = metrics};
    sim_error_t err;
    sim_error_clear(&err);
    for (size_t i = 0; i < nitems; i++) {
        const cli_item_t *it = &items[i];
        if (cli_is(it, "format")) {
            if (strcmp(it->value, "csv") != 0)
                return cli_usage_error("export: unknown format '%s' (the formats: csv)", it->value);
        } else if (cli_is(it, "group")) {
            if (export_group_parse(it->value, &opts.group, &err) != SIM_OK)
                return cli_report(&err);
        } else if (cli_is(it, "metric")) {
            if ((rc = add_names(it->value, metrics, names, sizeof names, &used, &opts.nmetrics, 64)) != 0)
                return rc;
        } else if (cli_is(it, "output")) {
            out = it->value;
        } else if (cli_is(it, "force")) {
            force = 1;
        } else if (!it->option && !file) {
            file = it->value;
        } else {
            return cli_usage_error("unexpected argument '%s'", it->value);
        }
    }
    if (!file)
        return cli_usage_error("%s", "export needs a result file: tokensim export OUT.h5 [-o OUT.csv]");
    opts.out_name = out;
    sim_status_t st;
    if (out) {
        st = export_to_file(file, &opts, out, force, &err);
    } else {
        st = export_csv(file, &opts, stdout, &err);
        if (st == SIM_OK && (fflush(stdout) != 0 || ferror(stdout)))
            st = sim_fail(&err, SIM_EIO, "standard output: cannot write: %s", strerror(errno));
    }
    if (st != SIM_OK)
        return cli_report(&err);
    if (out)
        cli_say(stderr, "tokensim: wrote %s", out);
    return 0;
}

const cli_command_t command_export = {
    .name = "export",
    .brief = "a result file's series as tidy CSV, for spreadsheets and pandas",
    .synopsis = "OUT.h5 [OPTIONS]",
    .purpose = "Write a result file's series as tidy CSV (docs/output.md, \"Export to CSV\"): for runs,\n"
               "one row per run, date and metric (run,date,day,metric,units,value); for the summary and\n"
               "a comparison, one row per date and metric with the statistics as columns.",
    .options = export_options,
    .examples = "tokensim export history.h5 --metric price_usd,bonded_ratio -o history.csv\n"
                "tokensim export history.h5 --group summary | head\n"
                "tokensim export compare-take-rate-akt-10.h5 --group compare -o take-rate.csv",
    .run = cmd_export,
    .campaign = 0,
};
