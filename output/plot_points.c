/* Charts of files with several points: comparisons and sweeps; see plot_internal.h. */
#include "plot_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "gnuplot.h"
#include "h5util.h"

/* Points whose lines get a legend (below the chart, two columns). */
#define KEYED_POINTS 20

/* A data block: the date, then for each series (at stride nt) its value / div. */
static size_t write_block(gnuplot_t *g, const plot_file_t *pf, size_t i0, const double *const *series,
                          size_t nseries, double div)
{
    for (size_t i = i0; i < pf->nt; i++) {
        char date[16];
        plot_file_date(pf, i, date);
        fputs(date, g->dat);
        for (size_t k = 0; k < nseries; k++)
            fprintf(g->dat, " " CHART_DATA_FORMAT, series[k][i] / div);
        fputc('\n', g->dat);
    }
    return gnuplot_end_block(g);
}

static void set_title(FILE *gp, const char *title, const char *units)
{
    fputs("set title ", gp);
    gnuplot_quote(gp, title);
    fputs("\nset ylabel ", gp);
    gnuplot_quote(gp, units);
    fputc('\n', gp);
}

/* One arm's band and median, in its colour. */
static void arm_lines(gnuplot_t *g, size_t block, int column, const char *label, const char *colour, int first)
{
    char t[340];
    if (!first)
        fputs(", ", g->gp);
    gnuplot_data_name(g);
    fprintf(g->gp, " index %zu using 1:%d:%d with filledcurves fc rgb '%s' fs transparent solid 0.2 noborder "
                   "title ", block, column, column + 2, colour);
    snprintf(t, sizeof t, "%.300s: 5-95 %%", label);
    gnuplot_quote(g->gp, t);
    fprintf(g->gp, ", '' index %zu using 1:%d with lines lw 2 lc rgb '%s' title ", block, column + 1, colour);
    snprintf(t, sizeof t, "%.300s: median", label);
    gnuplot_quote(g->gp, t);
}

/* The paired difference: its mean and 95 % confidence interval (diff: mean,
 * low, high at stride nt), about a line at 0. */
static void diff_panel(gnuplot_t *g, const plot_file_t *pf, size_t i0, const double *diff, const char *metric,
                       const char *units)
{
    size_t nt = pf->nt;
    const double *d[3] = {diff, diff + nt, diff + 2 * nt};
    chart_range_t r;
    chart_range_init(&r);
    for (int k = 0; k < 3; k++)
        chart_range_add(&r, d[k] + i0, nt - i0);
    fputs("set key maxcols auto\nset xzeroaxis lt -1 lw 1\n", g->gp);
    double div = chart_y_axis(g->gp, &r, 0);
    size_t b = write_block(g, pf, i0, d, 3, div);
    char title[600];
    snprintf(title, sizeof title, "%s: proposal - base, paired over the runs: mean and its 95 %% confidence "
             "interval%s", metric, i0 ? ", from day 1" : "");
    set_title(g->gp, title, units);
    fputs("plot ", g->gp);
    gnuplot_data_name(g);
    fprintf(g->gp, " index %zu using 1:3:4 with filledcurves fc rgb '#c6dbef' fs solid 1.0 title "
                   "'95 %% confidence interval', '' index %zu using 1:2 with lines lw 2 lc rgb '#08306b' "
                   "title 'mean difference'\nunset xzeroaxis\n", b, b);
}

sim_status_t plot_compare(hid_t f, const char *h5path, const plot_file_t *pf, const char *const *metrics,
                          size_t nmetrics, const char *out_path, int svg, sim_error_t *err)
{
    size_t nt = pf->nt;
    /* zero[m]: 1 when the metric is 0 in both arms, 2 when only the arms' difference is */
    int *zero = calloc(nmetrics, sizeof *zero);
    if (!zero)
        SIM_FAIL(err, SIM_ENOMEM, "plot: out of memory");
    int total = 10;
    for (size_t m = 0; m < nmetrics; m++) {
        char mean[300], sd[300];
        snprintf(mean, sizeof mean, "/compare/%s/diff_mean", metrics[m]);
        snprintf(sd, sizeof sd, "/compare/%s/diff_sd", metrics[m]);
        zero[m] = chart_all_zero(f, metrics[m]) ? 1 : chart_zero_dataset(f, mean) && chart_zero_dataset(f, sd) ? 2 : 0;
        total += zero[m] == 1 ? CHART_TEXT : CHART_PANEL + CHART_KEY_ROW + (zero[m] ? CHART_TEXT : CHART_PANEL);
    }
    char arm[2][300], base_name[256] = "base";
    h5util_read_text_attr(f, "/", "base_scenario_name", base_name, sizeof base_name);
    for (size_t k = 0; k < 2; k++) {
        char label[128];
        plot_point_label(f, "arm", k, 2, label, sizeof label);
        snprintf(arm[k], sizeof arm[k], "%.100s (%.150s)", label, k == 0 ? base_name : pf->name);
    }
    gnuplot_t g;
    sim_status_t st = gnuplot_open(&g, out_path, svg, CHART_WIDTH, total, err);
    if (st != SIM_OK) {
        free(zero);
        return st;
    }
    chart_time_axis(g.gp, pf->time[pf->nt - 1] - pf->time[0]);
    fputs("set multiplot\n", g.gp);
    int y = 5;
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char obj[300], units[64] = "", title[800];
        plot_metric_units(f, metrics[m], units, sizeof units);
        if (zero[m] == 1) {
            chart_place(g.gp, y, CHART_TEXT, total);
            y += CHART_TEXT;
            snprintf(title, sizeof title, "%s (%s): 0 in every run of both arms, nothing to draw", metrics[m], units);
            chart_text_panel(g.gp, title);
            continue;
        }
        static const char *const stat[3] = {"p05", "p50", "p95"};
        static const char *const cs[3] = {"diff_mean", "diff_ci_low", "diff_ci_high"};
        double *q[3] = {NULL, NULL, NULL}, *diff = malloc(3 * nt * sizeof *diff);
        for (int s = 0; s < 3; s++) {
            size_t rows = 0;
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m], stat[s]);
            q[s] = plot_read_matrix(f, obj, nt, &rows);
            if (!q[s] || rows != 2)
                st = sim_fail(err, SIM_EINVAL, "plot: %s: %s is missing or not [2, %zu] float64", h5path, obj, nt);
        }
        for (int k = 0; k < 3 && st == SIM_OK; k++) {
            snprintf(obj, sizeof obj, "/compare/%s/%s", metrics[m], cs[k]);
            if (!diff)
                st = sim_fail(err, SIM_ENOMEM, "plot: out of memory");
            else if (plot_read_vector(f, obj, diff + (size_t)k * nt, nt) != 0)
                st = sim_fail(err, SIM_EINVAL, "plot: %s: %s is missing or not [%zu] float64", h5path, obj, nt);
        }
        if (st == SIM_OK) {
            size_t i0 = chart_first_index(metrics[m], units, pf->time, nt);
            /* both arms: base p05 p50 p95, proposal p05 p50 p95 */
            const double *arms[6];
            chart_range_t r;
            chart_range_init(&r);
            for (size_t k = 0; k < 2; k++)
                for (int s = 0; s < 3; s++) {
                    arms[k * 3 + (size_t)s] = q[s] + k * nt;
                    chart_range_add(&r, q[s] + k * nt + i0, nt - i0);
                }
            chart_place(g.gp, y, CHART_PANEL + CHART_KEY_ROW, total);
            y += CHART_PANEL + CHART_KEY_ROW;
            chart_panel_defaults(g.gp);
            fputs("unset xzeroaxis\n", g.gp);
            double div = chart_y_axis(g.gp, &r, chart_from_zero(metrics[m], &r));
            size_t b = write_block(&g, pf, i0, arms, 6, div);
            snprintf(title, sizeof title, "%s: median and 5-95 %% band of each arm%s", metrics[m],
                     i0 ? ", from day 1" : "");
            set_title(g.gp, title, units);
            fputs("set key maxcols 2\nplot ", g.gp);
            arm_lines(&g, b, 2, arm[0], "#2171b5", 1);
            arm_lines(&g, b, 5, arm[1], "#d94801", 0);
            fputc('\n', g.gp);

            if (zero[m]) {
                chart_place(g.gp, y, CHART_TEXT, total);
                y += CHART_TEXT;
                snprintf(title, sizeof title, "%s: proposal - base is 0 in every run: the arms do not differ",
                         metrics[m]);
                chart_text_panel(g.gp, title);
            } else {
                chart_place(g.gp, y, CHART_PANEL, total);
                y += CHART_PANEL;
                diff_panel(&g, pf, i0, diff, metrics[m], units);
            }
        }
        for (int s = 0; s < 3; s++)
            free(q[s]);
        free(diff);
    }
    fputs("unset multiplot\n", g.gp);
    free(zero);
    return gnuplot_finish(&g, st, err);
}

sim_status_t plot_sweep(hid_t f, const char *h5path, const plot_file_t *pf, const char *const *metrics,
                        size_t nmetrics, const char *out_path, int svg, sim_error_t *err)
{
    size_t nt = pf->nt, np = 0;
    double **p50 = calloc(nmetrics, sizeof *p50);
    int *zero = calloc(nmetrics, sizeof *zero);
    sim_status_t st = p50 && zero ? SIM_OK : sim_fail(err, SIM_ENOMEM, "plot: out of memory");
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char obj[300];
        size_t rows = 0;
        snprintf(obj, sizeof obj, "/summary/%s/p50", metrics[m]);
        p50[m] = plot_read_matrix(f, obj, nt, &rows);
        if (!p50[m] || (m > 0 && rows != np))
            st = sim_fail(err, SIM_EINVAL, "plot: %s: %s is missing or not [points, %zu] float64", h5path, obj, nt);
        np = rows;
        zero[m] = chart_all_zero(f, metrics[m]);
    }
    size_t key_rows = np <= KEYED_POINTS ? (np + 1) / 2 : 0;
    int panel = CHART_PANEL + (key_rows > 1 ? (int)(key_rows - 1) * CHART_KEY_ROW : 0), total = 10;
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++)
        total += zero[m] ? CHART_TEXT : panel;
    gnuplot_t g = {0};
    if (st == SIM_OK)
        st = gnuplot_open(&g, out_path, svg, CHART_WIDTH, total, err);
    if (st == SIM_OK) {
        chart_time_axis(g.gp, pf->time[pf->nt - 1] - pf->time[0]);
        fputs("set multiplot\n", g.gp);
    }
    int y = 5;
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char units[64] = "", title[800];
        plot_metric_units(f, metrics[m], units, sizeof units);
        if (zero[m]) {
            chart_place(g.gp, y, CHART_TEXT, total);
            y += CHART_TEXT;
            snprintf(title, sizeof title, "%s (%s): 0 in every run of every point, nothing to draw", metrics[m],
                     units);
            chart_text_panel(g.gp, title);
            continue;
        }
        const double **series = malloc(np * sizeof *series);
        if (!series) {
            st = sim_fail(err, SIM_ENOMEM, "plot: out of memory");
            break;
        }
        size_t i0 = chart_first_index(metrics[m], units, pf->time, nt);
        chart_range_t r;
        chart_range_init(&r);
        for (size_t k = 0; k < np; k++) {
            series[k] = p50[m] + k * nt;
            chart_range_add(&r, series[k] + i0, nt - i0);
        }
        chart_place(g.gp, y, panel, total);
        y += panel;
        chart_panel_defaults(g.gp);
        double div = chart_y_axis(g.gp, &r, chart_from_zero(metrics[m], &r));
        size_t b = write_block(&g, pf, i0, series, np, div);
        free(series);
        if (key_rows)
            snprintf(title, sizeof title, "%s: %s, median of each point%s", pf->name, metrics[m],
                     i0 ? ", from day 1" : "");
        else
            snprintf(title, sizeof title, "%s: %s, median of each of %zu points (in point order from dark to "
                     "light; tokensim summary lists them)%s", pf->name, metrics[m], np, i0 ? ", from day 1" : "");
        set_title(g.gp, title, units);
        if (key_rows)   /* two columns, filled down */
            fprintf(g.gp, "set key below left vertical Left reverse maxrows %zu\nplot ", key_rows);
        else
            fputs("unset key\nplot ", g.gp);
        for (size_t k = 0; k < np; k++) {
            char label[256];
            plot_point_label(f, "point", k, np, label, sizeof label);
            fputs(k ? ", '' " : "", g.gp);
            if (!k)
                gnuplot_data_name(&g);
            fprintf(g.gp, " index %zu using 1:%zu with lines lw 2", b, k + 2);
            if (key_rows) {   /* 8 colours, then the same with dashes */
                fprintf(g.gp, " lc %zu dt %zu title ", k % 8 + 1, k / 8 + 1);
                gnuplot_quote(g.gp, label);
            } else {
                fprintf(g.gp, " lc rgb '#%02x%02x%02x' notitle", (unsigned)(8 + 180 * k / np),
                        (unsigned)(48 + 150 * k / np), (unsigned)(107 + 130 * k / np));
            }
        }
        fputc('\n', g.gp);
    }
    if (g.gp)
        fputs("unset multiplot\n", g.gp);
    for (size_t m = 0; p50 && m < nmetrics; m++)
        free(p50[m]);
    free(p50);
    free(zero);
    return gnuplot_finish(&g, st, err);
}
