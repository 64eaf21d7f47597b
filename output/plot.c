/* `tokensim plot`: the metrics asked for, checked, and a run's fan charts; see plot.h. */
#include "plot.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "chart.h"
#include "gnuplot.h"
#include "h5util.h"
#include "plot_internal.h"
#include "plot_read.h"
#include "text.h"

/* characters a chart title holds on the 1280-pixel-wide figures */
#define TITLE_CHARS 100

static const char *const stats[] = {"p05", "p25", "p50", "p75", "p95", "mean"};
#define NSTATS 6

/* 1: loc/name is a group (the HDF5 1.10 and 1.12 APIs agree on these calls). */
static int is_group(hid_t loc, const char *name)
{
    hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    int g = H5Iget_type(o) == H5I_GROUP;
    H5Oclose(o);
    return g;
}

/* The metrics of a file closest to an unknown name: one edit away
 * (supply_totl), then those that contain it (price: price_usd), then those
 * that begin with something close to it (suply: supply_total), then those
 * close as a whole (text_near). */
#define NEAREST 3
typedef struct {
    const char *want;
    size_t want_len;
    char name[NEAREST][128];
    size_t score[NEAREST];
    size_t found;
    char list[300];             /* "a, b, c, ...": the file's metrics, as many as fit */
} nearest_t;

static herr_t scan_metric(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    nearest_t *nr = data;
    if (!is_group(g, name) || strlen(name) >= sizeof nr->name[0])
        return 0;
    size_t used = strlen(nr->list);
    if (used + strlen(name) + 8 < sizeof nr->list)
        snprintf(nr->list + used, sizeof nr->list - used, "%s%s", used ? ", " : "", name);
    else if (!strstr(nr->list, ", ..."))
        snprintf(nr->list + used, sizeof nr->list - used, ", ...");
    size_t len = strlen(name), d = text_edit_distance(nr->want, nr->want_len, name, len), dp = SIZE_MAX;
    for (size_t p = nr->want_len > 2 ? nr->want_len - 2 : 1; p <= nr->want_len + 2 && p < len; p++) {
        size_t e = text_edit_distance(nr->want, nr->want_len, name, p);
        dp = e < dp ? e : dp;
    }
    size_t score;
    if (d <= 1)
        score = d;                                        /* a typo */
    else if (nr->want_len >= 3 && strstr(name, nr->want))
        score = 100 + len - nr->want_len;                 /* the shorter the closer */
    else if (nr->want_len >= 4 && dp != SIZE_MAX && dp <= nr->want_len / 4 + 1)
        score = 200 + dp;
    else if (d != SIZE_MAX && text_near(nr->want_len, d))
        score = 300 + d;
    else
        return 0;
    size_t at = nr->found < NEAREST ? nr->found : NEAREST;
    while (at > 0 && nr->score[at - 1] > score)   /* equal scores stay in name order */
        at--;
    if (at == NEAREST)
        return 0;
    size_t last = nr->found < NEAREST ? nr->found : NEAREST - 1;
    for (size_t k = last; k > at; k--) {
        nr->score[k] = nr->score[k - 1];
        memcpy(nr->name[k], nr->name[k - 1], sizeof nr->name[k]);
    }
    nr->score[at] = score;
    snprintf(nr->name[at], sizeof nr->name[at], "%s", name);
    if (nr->found < NEAREST)
        nr->found++;
    return 0;
}

/* Every requested metric has a /summary group (and, in a comparison, a
 * /compare one); else the error names it and offers the nearest names. */
static sim_status_t check_metrics(hid_t f, const char *h5path, int compare, const char *const *metrics, size_t n,
                                  sim_error_t *err)
{
    int has_summary = H5Lexists(f, "/summary", H5P_DEFAULT) > 0;
    for (size_t m = 0; m < n; m++) {
        char obj[300], shown[TEXT_SHOW_MAX + 8];
        const char *name = metrics[m];
        int ok = name[0] && strlen(name) < 200 && !strchr(name, '/') && strcmp(name, ".") != 0;
        if (ok) {
            snprintf(obj, sizeof obj, "/summary/%s", name);
            ok = has_summary && H5Lexists(f, obj, H5P_DEFAULT) > 0 && is_group(f, obj);
        }
        if (ok && compare) {
            snprintf(obj, sizeof obj, "/compare/%s", name);
            ok = H5Lexists(f, "/compare", H5P_DEFAULT) > 0 && H5Lexists(f, obj, H5P_DEFAULT) > 0;
            if (!ok) {
                text_show(name, shown, sizeof shown);
                SIM_FAIL(err, SIM_EINVAL, "plot: %s: a comparison without /compare/%s", h5path, shown);
            }
        }
        if (ok)
            continue;
        text_show(name, shown, sizeof shown);
        if (!has_summary)
            SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s': the file has no /summary (not a tokensim result?)",
                     h5path, shown);
        nearest_t nr = {.want = name, .want_len = strlen(name)};
        hid_t g = H5Gopen2(f, "/summary", H5P_DEFAULT);
        if (g >= 0) {
            H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, scan_metric, &nr);
            H5Gclose(g);
        }
        char near[512] = "";
        for (size_t k = 0; k < nr.found; k++) {
            size_t used = strlen(near);
            snprintf(near + used, sizeof near - used, "%s'%s'", k == 0 ? "" : k + 1 == nr.found ? " or " : ", ",
                     nr.name[k]);
        }
        if (nr.found)
            SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s' (did you mean %s?)", h5path, shown, near);
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s'; this file has %s (docs/output.md lists them all)",
                 h5path, shown, nr.list);
    }
    return SIM_OK;
}

/* A run: a fan chart a metric, or a line of text for one that is 0 in every run. */
static sim_status_t plot_run(hid_t f, const char *h5path, const plot_file_t *pf, const char *const *metrics,
                             size_t nmetrics, const char *out_path, int svg, sim_error_t *err)
{
    size_t nt = pf->nt;
    double *col = malloc(nt * NSTATS * sizeof *col);
    int *zero = calloc(nmetrics, sizeof *zero);
    if (!col || !zero) {
        free(col);
        free(zero);
        SIM_FAIL(err, SIM_ENOMEM, "plot: out of memory");
    }
    int total = 10;
    for (size_t m = 0; m < nmetrics; m++) {
        zero[m] = chart_all_zero(f, metrics[m]);
        total += zero[m] ? CHART_TEXT : CHART_PANEL;
    }
    gnuplot_t g;
    sim_status_t st = gnuplot_open(&g, out_path, svg, CHART_WIDTH, total, err);
    if (st != SIM_OK) {
        free(col);
        free(zero);
        return st;
    }
    chart_time_axis(g.gp, pf->time[pf->nt - 1] - pf->time[0]);
    fputs("set multiplot\n", g.gp);
    int y = 5;
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char obj[300], units[64] = "", desc[400] = "", title[800];
        plot_metric_units(f, metrics[m], units, sizeof units);
        snprintf(obj, sizeof obj, "/runs/%s", metrics[m]);
        h5util_read_text_attr(f, obj, "description", desc, sizeof desc);
        if (zero[m]) {
            chart_place(g.gp, y, CHART_TEXT, total);
            y += CHART_TEXT;
            snprintf(title, sizeof title, "%s (%s): 0 in every run, nothing to draw", metrics[m], units);
            chart_text_panel(g.gp, title);
            continue;
        }
        for (int s = 0; s < NSTATS && st == SIM_OK; s++) {
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m], stats[s]);
            if (plot_read_vector(f, obj, col + (size_t)s * nt, nt) != 0)
                st = sim_fail(err, SIM_EINVAL, "plot: %s: %s is missing or not [%zu] float64", h5path, obj, nt);
        }
        if (st != SIM_OK)
            break;
        size_t i0 = chart_first_index(metrics[m], units, pf->time, nt);
        chart_range_t r;
        chart_range_init(&r);
        for (int s = 0; s < NSTATS; s++)
            chart_range_add(&r, col + (size_t)s * nt + i0, nt - i0);
        chart_place(g.gp, y, CHART_PANEL, total);
        y += CHART_PANEL;
        chart_panel_defaults(g.gp);
        double div = chart_y_axis(g.gp, &r, chart_from_zero(metrics[m], &r));
        fprintf(g.dat, "# %s\n", metrics[m]);
        for (size_t i = i0; i < nt; i++) {
            char date[16];
            plot_file_date(pf, i, date);
            fputs(date, g.dat);
            for (int s = 0; s < NSTATS; s++)
                fprintf(g.dat, " " CHART_DATA_FORMAT, col[(size_t)s * nt + i] / div);
            fputc('\n', g.dat);
        }
        size_t b = gnuplot_end_block(&g);
        /* a title wider than the chart is cut by gnuplot: shorten the
         * description at a word, which the report's heading gives whole */
        int room = TITLE_CHARS - (int)(strlen(pf->name) + strlen(metrics[m]) + (i0 ? 18 : 5));
        int dlen = (int)strlen(desc);
        if (dlen > room && room > 10) {
            dlen = room - 3;
            while (dlen > 0 && desc[dlen] != ' ')
                dlen--;
        }
        snprintf(title, sizeof title, "%s: %s (%.*s%s)%s", pf->name, metrics[m], dlen, desc,
                 dlen < (int)strlen(desc) ? "..." : "", i0 ? ", from day 1" : "");
        fputs("set title ", g.gp);
        gnuplot_quote(g.gp, title);
        fputs("\nset ylabel ", g.gp);
        gnuplot_quote(g.gp, units);
        fputs("\nplot ", g.gp);
        gnuplot_data_name(&g);
        fprintf(g.gp, " index %zu using 1:2:6 with filledcurves fc rgb '#c6dbef' fs solid 1.0 title '5-95 %%', ", b);
        fprintf(g.gp, "'' index %zu using 1:3:5 with filledcurves fc rgb '#6baed6' fs solid 1.0 title '25-75 %%', ", b);
        fprintf(g.gp, "'' index %zu using 1:4 with lines lw 2 lc rgb '#08306b' title 'median', ", b);
        fprintf(g.gp, "'' index %zu using 1:7 with lines lw 1 dt 2 lc rgb '#cb181d' title 'mean'\n", b);
    }
    fputs("unset multiplot\n", g.gp);
    st = gnuplot_finish(&g, st, err);
    free(col);
    free(zero);
    return st;
}

sim_status_t plot_fan(const char *h5path, const char *const *metrics, size_t nmetrics, const char *out_path,
                      sim_error_t *err)
{
    int svg = 0;
    const char *ext = strrchr(out_path, '.');
    if (!ext || (strcmp(ext, ".svg") != 0 && strcmp(ext, ".png") != 0))
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: the figure must end in .png or .svg", out_path);
    if (nmetrics == 0)
        SIM_FAIL(err, SIM_EINVAL, "plot: give at least one --metric");
    hid_t f;
    sim_status_t st = plot_open(h5path, &f, err);
    if (st != SIM_OK)
        return st;
    char command[32] = "run";
    h5util_read_text_attr(f, "/", "command", command, sizeof command);
    int compare = strcmp(command, "compare") == 0, sweep = strcmp(command, "sweep") == 0;
    if (!compare && !sweep && strcmp(command, "run") != 0)
        st = sim_fail(err, SIM_EINVAL, "plot: %s: a '%s' file, which plot does not draw", h5path, command);
    if (st == SIM_OK)
        st = check_metrics(f, h5path, compare, metrics, nmetrics, err);
    if (st == SIM_OK)
        st = gnuplot_check_out(out_path, &svg, err);
    plot_file_t pf = {0};
    if (st == SIM_OK)
        st = plot_file_read(f, h5path, &pf, err);
    if (st == SIM_OK && compare)
        st = plot_compare(f, h5path, &pf, metrics, nmetrics, out_path, svg, err);
    else if (st == SIM_OK && sweep)
        st = plot_sweep(f, h5path, &pf, metrics, nmetrics, out_path, svg, err);
    else if (st == SIM_OK)
        st = plot_run(f, h5path, &pf, metrics, nmetrics, out_path, svg, err);
    plot_file_free(&pf);
    H5Fclose(f);
    return st;
}

sim_status_t plot_open(const char *h5path, hid_t *f, sim_error_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(h5path, R_OK) != 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot open the file: %s", h5path, strerror(errno));
    if (H5Fis_hdf5(h5path) <= 0)
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: not an HDF5 file, so not a tokensim result file", h5path);
    *f = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (*f < 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot open the file", h5path);
    return SIM_OK;
}
