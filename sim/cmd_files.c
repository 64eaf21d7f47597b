/* The commands that read result files: summary, plot, report (commands.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "export.h"
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

/* --metric a,b --metric c: the names in order, into names (at most cap); an
 * empty name is refused (it would read as "every metric"). */
static int add_names(const char *list, const char **names, char *store, size_t store_len, size_t *used,
                     size_t *n, size_t cap)
{
    size_t len = strlen(list);
    if (*used + len + 1 > store_len)
        return cli_usage_error("too many metric names: '%.40s...'", list);
    char *copy = store + *used;
    memcpy(copy, list, len + 1);
    *used += len + 1;
    if (len == 0 || copy[0] == ',' || copy[len - 1] == ',' || strstr(copy, ",,"))
        return cli_usage_error("--metric needs metric names separated by commas, got '%s'", list);
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
    cli_item_t items[CLI_MAX_ITEMS];
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
    cli_item_t items[CLI_MAX_ITEMS];
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
    {"metric", 'm', "NAME[,NAME...]", "a table of these metrics alone, in this order (repeatable;\n'tokensim metrics' lists them); no issuance or observations"},
    {"at", 0, "DAYS[,DAYS...]", "a table at these days (whole days from the start; the last\nrecorded day at or before each) instead of day 0, 30, 90, 365..."},
    {0},
};

/* --at 365,730 --at 1825: whole days >= 0, into days (at most cap). */
static int add_days(const char *list, double *days, size_t *n, size_t cap)
{
    const char *s = list;
    for (;;) {
        char *end;
        errno = 0;
        long d = *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : -1;
        if (d < 0 || errno || d > 10000000 || (*end && *end != ','))
            return cli_usage_error("--at needs whole days (0, 365, ...), separated by commas, got '%s'", list);
        if (*n == cap)
            return cli_usage_error("--at: at most %s days", "64");
        days[(*n)++] = (double)d;
        if (!*end)
            return 0;
        s = end + 1;
    }
}

static int cmd_summary(int argc, char **argv)
{
    cli_item_t items[CLI_MAX_ITEMS];
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
    if ((opts.nmetrics || opts.nat) && (opts.observed_only || nobserved))
        return cli_usage_error("%s", "--metric and --at print their own table alone: without --observed or --observed-only");
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
    {"output", 'o', "OUT.csv", "the output file (default, or -: standard output); it appears\nwhole or not at all"},
    {"force", 0, NULL, "replace an existing output file (a regular file only)"},
    {0},
};

/* The temporary file of an export in progress: removed on SIGINT or SIGTERM,
 * before the signal acts as usual. */
static char export_tmp[4096];

static void remove_export_tmp(int sig)
{
    if (export_tmp[0])
        unlink(export_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The table into out_path: written under a temporary name beside it and
 * moved to its name once whole, so that a failure leaves nothing behind.
 * Only a regular file is replaced, with --force, and never the input. */
static sim_status_t export_to_file(const char *file, const export_opts_t *opts, const char *out_path, int force,
                                   sim_error_t *err)
{
    const char *what;
    publish_kind_t kind = publish_kind(out_path, &what);
    struct stat in, out;
    if (kind == PUBLISH_REGULAR && stat(file, &in) == 0 && stat(out_path, &out) == 0 && in.st_dev == out.st_dev &&
        in.st_ino == out.st_ino)
        SIM_FAIL(err, SIM_EINVAL, "%s: the output would replace the result file it reads; choose another name", out_path);
    if (kind == PUBLISH_DIRECTORY || kind == PUBLISH_OTHER)
        SIM_FAIL(err, SIM_EINVAL, "%s: is %s; export writes regular files only", out_path, what);
    if (kind == PUBLISH_REGULAR && !force)
        SIM_FAIL(err, SIM_EINVAL, "%s: exists; pass --force to replace it, or choose another name with -o", out_path);
    sim_status_t st = publish_tmp_name(out_path, export_tmp, sizeof export_tmp, err);
    if (st != SIM_OK)
        return st;
    signal(SIGINT, remove_export_tmp);
    signal(SIGTERM, remove_export_tmp);
    FILE *f = fopen(export_tmp, "wx");
    if (!f) {
        st = sim_fail(err, SIM_EIO, "%s: cannot create %s: %s", out_path, export_tmp, strerror(errno));
        export_tmp[0] = '\0';
        return st;
    }
    st = export_csv(file, opts, f, err);
    if (fclose(f) != 0 && st == SIM_OK)
        st = sim_fail(err, SIM_EIO, "%s: cannot write: %s", out_path, strerror(errno));
    if (st == SIM_OK) {
        st = publish_file(export_tmp, out_path, force, err);
        if (st == SIM_EEXIST)   /* taken meanwhile: the other file is kept */
            st = sim_fail(err, SIM_EEXIST, "%s: another program created it meanwhile; it is kept, and "
                          "nothing was exported: run again with another name", out_path);
    }
    if (st != SIM_OK)
        unlink(export_tmp);
    export_tmp[0] = '\0';
    return st;
}

static int cmd_export(int argc, char **argv)
{
    cli_item_t items[CLI_MAX_ITEMS];
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
    if (out && strcmp(out, "-") == 0)
        out = NULL;   /* -o -: standard output */
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
               "one row per run, date and metric (run,date,day,metric,units,value; a comparison's and a\n"
               "sweep's rows start with arm or point and its label); for the summary and a comparison,\n"
               "one row per date and metric with the statistics as columns.",
    .options = export_options,
    .examples = "tokensim export history.h5 --metric price_usd,bonded_ratio -o history.csv\n"
                "tokensim export history.h5 --group summary | head\n"
                "tokensim export compare-take-rate-akt-10.h5 --group compare -o take-rate.csv",
    .run = cmd_export,
    .campaign = 0,
};
