/*
 * Charts of a sensitivity sweep's /sensitivity, a panel per horizon: Morris
 * as mu* (with its 95 % interval) against sigma, each point labelled with its
 * parameter, beside the line sigma = mu*; Sobol as bars of S1 and ST with
 * their 95 % intervals. See plot.h.
 */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "gnuplot.h"
#include "h5util.h"
#include "plot_internal.h"
#include "plot_read.h"
#include "text.h"

#define MAX_PARAMS 256
#define MAX_HORIZONS 64

/* A parameter's name as a double-quoted string of a gnuplot data file. */
static void data_label(FILE *dat, const char *s)
{
    fputc('"', dat);
    for (; *s; s++)
        fputc(*s == '"' || (unsigned char)*s < 0x20 ? '?' : *s, dat);
    fputc('"', dat);
}

typedef struct {
    hid_t f;
    const char *h5path, *metric;
    size_t nh, k;                 /* horizons, parameters */
    char *params[MAX_PARAMS];
    double days[MAX_HORIZONS];
    char units[64];
} sens_t;

/* /sensitivity/<metric>/<name>, [horizons, params]; NULL with the error set. */
static double *read_index(const sens_t *s, const char *name, sim_error_t *err)
{
    char obj[300];
    size_t rows = 0;
    snprintf(obj, sizeof obj, "/sensitivity/%s/%s", s->metric, name);
    double *x = plot_read_matrix(s->f, obj, s->k, &rows);
    if (!x || rows != s->nh) {
        free(x);
        sim_fail(err, SIM_EINVAL, "plot: %s: %s is missing or not [%zu, %zu] float64", s->h5path, obj, s->nh, s->k);
        return NULL;
    }
    return x;
}

static void panel_title(FILE *gp, const sens_t *s, const plot_file_t *pf, size_t h, const char *what)
{
    char date[16], title[600];
    chart_date(pf->day0 + (long)s->days[h], date);
    snprintf(title, sizeof title, "%s: %s at day %.0f (%s): %s", pf->name, s->metric, s->days[h], date, what);
    fputs("set title ", gp);
    gnuplot_quote(gp, title);
    fputc('\n', gp);
}

static void axis_label(FILE *gp, const char *axis, const char *what, const char *units)
{
    char label[200];
    snprintf(label, sizeof label, "%s (%s)", what, units);
    fprintf(gp, "set %slabel ", axis);
    gnuplot_quote(gp, label);
    fputc('\n', gp);
}

static sim_status_t morris(gnuplot_t *g, const sens_t *s, const plot_file_t *pf, int total, sim_error_t *err)
{
    double *mu = read_index(s, "mu_star", err), *ci = mu ? read_index(s, "mu_star_ci", err) : NULL;
    double *sigma = ci ? read_index(s, "sigma", err) : NULL;
    sim_status_t st = sigma ? SIM_OK : SIM_EINVAL;
    for (size_t h = 0; h < s->nh && st == SIM_OK; h++) {
        const double *m = mu + h * s->k, *c = ci + h * s->k, *sd = sigma + h * s->k;
        chart_range_t r;
        chart_range_init(&r);
        for (size_t j = 0; j < s->k; j++) {
            double ends[3] = {m[j] + c[j], m[j] - c[j], sd[j]};
            chart_range_add(&r, ends, 3);
        }
        chart_place(g->gp, 5 + (int)h * CHART_PANEL, CHART_PANEL, total);
        chart_panel_defaults(g->gp);
        /* one divisor for both axes, both in the metric's units */
        double div = chart_axis(g->gp, "x", &r, !(r.lo < 0));
        chart_axis(g->gp, "y", &r, !(r.lo < 0));
        fputs("set offsets 0, graph 0.2, graph 0.1, 0\n", g->gp);   /* room for the labels */
        /* the labels of points that (nearly) coincide stack upwards, a line each */
        double span = (r.lo <= r.hi ? r.hi - (r.lo < 0 ? r.lo : 0) : 1) / div, step = 0.07 * span;
        for (size_t j = 0; j < s->k; j++) {
            size_t stack = 0;
            for (size_t i = 0; i < j; i++)
                if (fabs(m[i] - m[j]) / div < 0.1 * span && fabs(sd[i] - sd[j]) / div < step)
                    stack++;
            data_label(g->dat, s->params[j]);
            fprintf(g->dat, " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT
                    "\n", m[j] / div, c[j] / div, sd[j] / div, sd[j] / div + (double)stack * step);
        }
        size_t b = gnuplot_end_block(g);
        panel_title(g->gp, s, pf, h, "Morris screening of the parameters");
        axis_label(g->gp, "x", "mu*: mean |effect| of a parameter's full range", s->units);
        axis_label(g->gp, "y", "sigma: sd of its effects", s->units);
        fputs("plot ", g->gp);
        gnuplot_data_name(g);
        fprintf(g->gp, " index %zu using 2:4:3 with xerrorbars pt 7 ps 1.2 lc rgb '#08306b' title "
                       "'mu* with its 95 %% interval, sigma', '' index %zu using 2:5:1 with labels left offset "
                       "char 1, char 0.7 notitle, x with lines dt 2 lc rgb '#888888' title 'sigma = mu*'\n", b, b);
    }
    free(mu);
    free(ci);
    free(sigma);
    return st;
}

static sim_status_t sobol(gnuplot_t *g, const sens_t *s, const plot_file_t *pf, int total, sim_error_t *err)
{
    static const char *const names[4] = {"S1", "S1_ci", "ST", "ST_ci"};
    double *x[4] = {NULL, NULL, NULL, NULL};
    sim_status_t st = SIM_OK;
    for (int i = 0; i < 4 && st == SIM_OK; i++)
        if (!(x[i] = read_index(s, names[i], err)))
            st = SIM_EINVAL;
    fputs("set style data histograms\nset style histogram errorbars gap 2 lw 1\n"
          "set style fill solid 0.9 border -1\nset boxwidth 0.9\nset xdata\n", g->gp);
    for (size_t h = 0; h < s->nh && st == SIM_OK; h++) {
        chart_range_t r;
        chart_range_init(&r);
        for (size_t j = 0; j < s->k; j++) {
            size_t at = h * s->k + j;
            double ends[4] = {x[0][at] - x[1][at], x[0][at] + x[1][at], x[2][at] - x[3][at], x[2][at] + x[3][at]};
            chart_range_add(&r, ends, 4);
        }
        chart_place(g->gp, 5 + (int)h * CHART_PANEL, CHART_PANEL, total);
        chart_panel_defaults(g->gp);
        fputs(s->k > 6 ? "set xtics rotate by -25 nomirror\n" : "set xtics norotate nomirror\n", g->gp);
        chart_y_axis(g->gp, &r, !(r.lo < 0));   /* fractions: never scaled */
        fprintf(g->gp, "set xrange [-0.6:%.1f]\n", (double)s->k - 0.4);   /* whole bars at both ends */
        for (size_t j = 0; j < s->k; j++) {
            size_t at = h * s->k + j;
            data_label(g->dat, s->params[j]);
            fprintf(g->dat, " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT " " CHART_DATA_FORMAT
                    "\n", x[0][at], x[1][at], x[2][at], x[3][at]);
        }
        size_t b = gnuplot_end_block(g);
        panel_title(g->gp, s, pf, h, "Sobol indices with their 95 % intervals");
        fputs("set ylabel 'share of the variance (fraction)'\nunset xlabel\nplot ", g->gp);
        gnuplot_data_name(g);
        fprintf(g->gp, " index %zu using 2:3:xtic(1) lc rgb '#6baed6' title 'S1: first order (alone)', "
                       "'' index %zu using 4:5 lc rgb '#08306b' title 'ST: total (with interactions)'\n", b, b);
    }
    for (int i = 0; i < 4; i++)
        free(x[i]);
    return st;
}

sim_status_t plot_sensitivity(const char *h5path, const char *metric, const char *out_path, sim_error_t *err)
{
    int svg = 0;
    sim_status_t st = gnuplot_check_out(out_path, &svg, err);
    hid_t f = -1;
    if (st == SIM_OK)
        st = plot_open(h5path, &f, err);
    if (st != SIM_OK)
        return st;
    sens_t s = {.f = f, .h5path = h5path, .metric = metric};
    char method[32] = "", obj[300], shown[TEXT_SHOW_MAX + 8];
    text_show(metric, shown, sizeof shown);
    if (H5Lexists(f, "/sensitivity", H5P_DEFAULT) <= 0)
        st = sim_fail(err, SIM_EINVAL, "plot: %s: no /sensitivity (only a morris or saltelli sweep has one)", h5path);
    h5util_read_text_attr(f, "/sensitivity", "method", method, sizeof method);
    if (st == SIM_OK && strcmp(method, "morris") != 0 && strcmp(method, "sobol") != 0)
        st = sim_fail(err, SIM_EINVAL, "plot: %s: /sensitivity has no method morris or sobol", h5path);
    snprintf(obj, sizeof obj, "/sensitivity/%s", metric);
    if (st == SIM_OK && (strlen(metric) > 200 || strchr(metric, '/') || H5Lexists(f, obj, H5P_DEFAULT) <= 0))
        st = sim_fail(err, SIM_EINVAL, "plot: %s: no sensitivity of '%s' (not among the sweep's outputs)", h5path,
                      shown);
    if (st == SIM_OK) {
        s.k = h5util_read_strings(f, "/sensitivity", "params", s.params, MAX_PARAMS);
        s.nh = h5util_read_numbers(f, "/sensitivity", "time", s.days, MAX_HORIZONS);
        if (s.k == 0 || s.nh == 0)
            st = sim_fail(err, SIM_EINVAL, "plot: %s: /sensitivity lacks its attributes params or time", h5path);
    }
    plot_metric_units(f, metric, s.units, sizeof s.units);
    plot_file_t pf = {0};
    if (st == SIM_OK)
        st = plot_file_read(f, h5path, &pf, err);
    int total = 10 + (int)s.nh * CHART_PANEL;
    gnuplot_t g = {0};
    if (st == SIM_OK)
        st = gnuplot_open(&g, out_path, svg, CHART_WIDTH, total, err);
    if (st == SIM_OK) {
        fputs("set multiplot\n", g.gp);
        st = strcmp(method, "morris") == 0 ? morris(&g, &s, &pf, total, err) : sobol(&g, &s, &pf, total, err);
        fputs("unset multiplot\n", g.gp);
    }
    st = gnuplot_finish(&g, st, err);
    for (size_t j = 0; j < s.k; j++)
        free(s.params[j]);
    plot_file_free(&pf);
    H5Fclose(f);
    return st;
}
