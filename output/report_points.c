/* The reports of files with several points: comparisons and sweeps; see report_internal.h. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "h5util.h"
#include "plot.h"
#include "plot_internal.h"
#include "plot_read.h"
#include "report_page.h"

/* The metrics a comparison's report shows, when the file has them. */
static const char *const headline[] = {"supply_total", "minted", "inflation", "bonded_ratio", "staking_apr",
                                       "community_pool", "burned", "price_usd", "market_cap_usd", "spend_usd",
                                       "take_fees_usd", "providers_active", "leases_active", "gpu_utilisation"};
#define NHEADLINE (sizeof headline / sizeof headline[0])

/* The sweep's outputs when /sweep does not name them. */
static const char *const sweep_defaults[] = {"supply_total", "bonded_ratio", "price_usd", "community_pool"};

#define MAX_OUTPUTS 64

/* A figure's file name: prefix-metric.png, the name's odd characters as '_'. */
static void figure_name(const char *prefix, const char *metric, char *buf, size_t len)
{
    snprintf(buf, len, "%s-%.120s.png", prefix, metric);
    for (char *c = buf + strlen(prefix) + 1; *c && strcmp(c, ".png") != 0; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
            *c = '_';
}

/* A section for one metric: its heading (name, units, description). */
static void metric_heading(report_t *r, hid_t f, const char *metric)
{
    char units[64] = "", desc[400] = "", obj[300], title[800];
    plot_metric_units(f, metric, units, sizeof units);
    snprintf(obj, sizeof obj, "/runs/%s", metric);
    h5util_read_text_attr(f, obj, "description", desc, sizeof desc);
    snprintf(title, sizeof title, "%s (%s)%s%s", metric, units, desc[0] ? ": " : "", desc);
    report_heading(r, title);
}

/* Draw one figure into the report, or say that the metric is 0 throughout. */
static sim_status_t metric_figure(report_t *r, hid_t f, const char *h5path, const char *metric, const char *prefix,
                                  int sensitivity, const char *every, sim_error_t *err)
{
    if (chart_all_zero(f, metric)) {
        char sentence[400];
        report_zero_sentence(f, &metric, 1, every, sentence, sizeof sentence);
        report_paragraph(r, sentence);
        return SIM_OK;
    }
    char file[200], path[4300];
    figure_name(prefix, metric, file, sizeof file);
    report_path(r, file, path, sizeof path);
    sim_status_t st = sensitivity ? plot_sensitivity(h5path, metric, path, err) : plot_fan(h5path, &metric, 1, path, err);
    if (st == SIM_OK)
        st = report_made(r, file, err);
    if (st == SIM_OK)
        report_image(r, file, metric);
    return st;
}

/* Text into a malloc'd string (the page's introduction); NULL out of memory. */
typedef struct {
    FILE *f;
    char *text;
    size_t len;
} intro_t;

sim_status_t report_compare(const char *h5path, const char *dir, sim_error_t *err)
{
    hid_t f;
    sim_status_t st = plot_open(h5path, &f, err);
    if (st != SIM_OK)
        return st;
    if (H5Lexists(f, "/compare", H5P_DEFAULT) <= 0 || H5Lexists(f, "/summary", H5P_DEFAULT) <= 0) {
        H5Fclose(f);
        SIM_FAIL(err, SIM_EINVAL, "report: %s: a comparison without /compare or /summary", h5path);
    }
    /* the summary of a comparison when `tokensim summary` reads them; else its reason on the page */
    char *table = NULL;
    sim_error_t inner;
    sim_error_clear(&inner);
    int summarised = report_summary(h5path, &table, &inner) == SIM_OK;
    const char *why = strncmp(inner.msg, "report: ", 8) == 0 ? inner.msg + 8 : inner.msg;
    char proposal[256] = "proposal", base[256] = "base";
    double runs = 0;
    h5util_read_text_attr(f, "/", "scenario_name", proposal, sizeof proposal);
    h5util_read_text_attr(f, "/", "base_scenario_name", base, sizeof base);
    h5util_read_numbers(f, "/", "runs", &runs, 1);
    intro_t in = {0};
    in.f = open_memstream(&in.text, &in.len);
    report_t r;
    st = in.f ? report_open(&r, dir, err) : sim_fail(err, SIM_ENOMEM, "report: out of memory");
    if (st != SIM_OK) {
        if (in.f)
            fclose(in.f);
        free(in.text);
        free(table);
        H5Fclose(f);
        return st;
    }
    fputs("<p>The proposal <b>", in.f);
    report_html(in.f, proposal);
    fputs("</b> against the base <b>", in.f);
    report_html(in.f, base);
    fprintf(in.f, "</b>, %.0f paired runs: run k of both arms draws the same random numbers, so their difference "
                  "is the proposal's effect. For each metric, the upper chart shows each arm's median and 5-95 %% "
                  "band across runs; the lower one the mean of the paired differences (proposal - base) with its "
                  "95 %% confidence interval: where the interval excludes 0, the difference is not noise. Daily "
                  "flows (units per day) start on day 1.</p>\n", runs);
    if (!summarised) {
        fputs("<p>No summary table here: <code>tokensim summary</code> says ", in.f);
        report_html(in.f, why);
        fputs("</p>\n", in.f);
    }
    fclose(in.f);
    for (size_t k = 0; k < NHEADLINE && st == SIM_OK; k++) {
        char obj[300];
        snprintf(obj, sizeof obj, "/compare/%s", headline[k]);
        if (!report_has_metric(f, headline[k]) || H5Lexists(f, obj, H5P_DEFAULT) <= 0)
            continue;
        metric_heading(&r, f, headline[k]);
        st = metric_figure(&r, f, h5path, headline[k], "compare", 0, "every run of both arms", err);
    }
    H5Fclose(f);
    st = report_close(&r, st, h5path, "tokensim comparison report", in.text ? in.text : "", table, err);
    free(in.text);
    free(table);
    return st;
}

sim_status_t report_sweep(const char *h5path, const char *dir, sim_error_t *err)
{
    char *table = NULL;
    sim_status_t st = report_summary(h5path, &table, err);   /* refuses a bad input before anything is written */
    hid_t f = -1;
    if (st == SIM_OK)
        st = plot_open(h5path, &f, err);
    if (st != SIM_OK) {
        free(table);
        return st;
    }
    char mode[32] = "", name[256] = "";
    double runs = 0;
    h5util_read_text_attr(f, "/sweep", "mode", mode, sizeof mode);
    h5util_read_text_attr(f, "/", "scenario_name", name, sizeof name);
    h5util_read_numbers(f, "/", "runs", &runs, 1);
    int sensitivity = (strcmp(mode, "morris") == 0 || strcmp(mode, "saltelli") == 0) &&
                      H5Lexists(f, "/sensitivity", H5P_DEFAULT) > 0;
    char *outputs[MAX_OUTPUTS];
    size_t nout = sensitivity ? h5util_read_strings(f, "/sensitivity", "outputs", outputs, MAX_OUTPUTS)
                              : h5util_read_strings(f, "/sweep", "outputs", outputs, MAX_OUTPUTS);
    int own = nout > 0;   /* outputs[] holds strings to free */
    for (; nout < sizeof sweep_defaults / sizeof sweep_defaults[0] && !own; nout++)
        outputs[nout] = (char *)sweep_defaults[nout];
    size_t points = 0;
    if (H5Lexists(f, "/point", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(f, "/point", H5P_DEFAULT), s = d >= 0 ? H5Dget_space(d) : -1;
        hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : 0;
        points = n > 0 ? (size_t)n : 0;
        if (s >= 0) H5Sclose(s);
        if (d >= 0) H5Dclose(d);
    }
    intro_t in = {0};
    in.f = open_memstream(&in.text, &in.len);
    report_t r;
    st = in.f ? report_open(&r, dir, err) : sim_fail(err, SIM_ENOMEM, "report: out of memory");
    int opened = st == SIM_OK;
    if (st == SIM_OK) {
        fputs("<p>The sweep <b>", in.f);
        report_html(in.f, name);
        fputs("</b> (", in.f);
        report_html(in.f, mode[0] ? mode : "mode not recorded");
        fprintf(in.f, "): %zu points, %.0f runs each. ", points, runs);
        if (sensitivity && strcmp(mode, "morris") == 0)
            fputs("Each chart places the parameters by mu*, the mean absolute elementary effect (the change of "
                  "the metric's mean over a parameter's full range, with its 95 % interval), against sigma, the "
                  "effects' sd: a parameter near the origin does little; one far above the line sigma = mu* "
                  "acts through interactions or non-linearly.", in.f);
        else if (sensitivity)
            fputs("The bars are each parameter's Sobol indices with their 95 % intervals: S1, the share of the "
                  "variance of the metric's mean it explains alone, and ST, with all its interactions.", in.f);
        else
            fputs("Each line is a point's median across its runs, labelled by its parameter values; daily flows "
                  "(units per day) start on day 1.", in.f);
        fputs(" docs/output.md, \"Sweeps\", tells how the points are made.</p>\n", in.f);
        fclose(in.f);
        in.f = NULL;
    }
    for (size_t k = 0; k < nout && st == SIM_OK; k++) {
        if (!report_has_metric(f, outputs[k]))
            continue;
        metric_heading(&r, f, outputs[k]);
        st = metric_figure(&r, f, h5path, outputs[k], sensitivity ? "sensitivity" : "sweep", sensitivity,
                           "every run of every point", err);
    }
    if (own)
        for (size_t k = 0; k < nout; k++)
            free(outputs[k]);
    H5Fclose(f);
    if (in.f)
        fclose(in.f);
    if (opened)   /* undone on failure */
        st = report_close(&r, st, h5path, "tokensim sweep report", in.text ? in.text : "", table, err);
    free(in.text);
    free(table);
    return st;
}
