/* The commands that read result files: summary, plot, report (commands.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
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

int cmd_plot(int argc, char **argv)
{
    argc -= 2;   /* the arguments after "tokensim plot" */
    argv += 2;
    const char *file = NULL, *out = NULL;
    const char *metrics[32];
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--metric") || !strcmp(argv[i], "-m")) {
            if (i + 1 >= argc)
                return cli_usage_error("%s needs a metric name", argv[i]);
            if (n == sizeof metrics / sizeof metrics[0])
                return cli_usage_error("plot: at most %s metrics", "32");
            metrics[n++] = argv[++i];
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc)
                return cli_usage_error("%s needs a file name", argv[i]);
            out = argv[++i];
        } else if (argv[i][0] == '-') {
            return cli_usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return cli_usage_error("unexpected argument '%s'", argv[i]);
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

int cmd_report(int argc, char **argv)
{
    argc -= 2;   /* the arguments after "tokensim report" */
    argv += 2;
    const char *file = NULL, *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc)
                return cli_usage_error("%s needs a directory", argv[i]);
            dir = argv[++i];
        } else if (argv[i][0] == '-') {
            return cli_usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return cli_usage_error("unexpected argument '%s'", argv[i]);
        }
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

int cmd_summary(int argc, char **argv)
{
    argc -= 2;   /* the arguments after "tokensim summary" */
    argv += 2;
    const char *file = NULL, *observed[64];
    summary_opts_t opts = {.observed = observed};
    size_t nobserved = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--observed-only")) {
            opts.observed_only = 1;
        } else if (!strcmp(argv[i], "--markdown")) {
            opts.markdown = 1;
        } else if (!strcmp(argv[i], "--observed")) {
            if (i + 1 >= argc)
                return cli_usage_error("%s needs a CSV file or a directory of them", argv[i]);
            if (nobserved == sizeof observed / sizeof observed[0])
                return cli_usage_error("summary: at most %s --observed options", "64");
            observed[nobserved++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return cli_usage_error("unexpected argument '%s'", argv[i]);
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
