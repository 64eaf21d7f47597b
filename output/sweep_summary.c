/* The sweep tables of `tokensim summary`; see sweep_summary.h. */
#include "sweep_summary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5out.h"
#include "h5util.h"
#include "numfmt.h"
#include "sensitivity.h"
#include "summary_header.h"
#include "summary_select.h"
#include "texttable.h"

#define CELL TEXTTABLE_CELL
#define MAX_NAMES 64
/* Significant digits of a points table's largest median; the column shares its decimals. */
#define TABLE_DIGITS 5

/* The outputs of a file written before /sweep had them. */
static const char *const default_outputs[] = {"supply_total", "bonded_ratio", "price_usd", "community_pool"};

/* ---- reading ------------------------------------------------------------- */

static void free_strings(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        names[i] = NULL;
    }
}

/* A whole 1-D or 2-D float64 dataset (malloc'd); its shape in rows, cols (1-D: cols 1). */
static double *read_all(hid_t f, const char *obj, size_t *rows, size_t *cols)
{
    if (H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2] = {0, 1};
    int nd = s >= 0 ? H5Sget_simple_extent_ndims(s) : -1;
    double *x = NULL;
    if ((nd == 1 || nd == 2) && H5Sget_simple_extent_dims(s, dims, NULL) >= 0 && dims[0] > 0 && dims[1] > 0 &&
        (x = malloc((size_t)(dims[0] * dims[1]) * sizeof *x)) &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0) {
        free(x);
        x = NULL;
    }
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    *rows = (size_t)dims[0];
    *cols = nd == 2 ? (size_t)dims[1] : 1;
    return x;
}

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    char ***names = data;
    size_t n = 0;
    while ((*names)[n])
        n++;
    char **grown = realloc(*names, (n + 2) * sizeof *grown);
    if (!grown)
        return -1;
    *names = grown;
    size_t len = strlen(name) + 1;
    if ((grown[n] = malloc(len)) == NULL)
        return -1;
    memcpy(grown[n], name, len);
    grown[n + 1] = NULL;
    return 0;
}

/* The metrics under /summary, by name, as a NULL-terminated malloc'd list; NULL out of memory. */
static char **summary_names(hid_t f, size_t *n)
{
    char **names = calloc(1, sizeof *names);
    *n = 0;
    if (!names)
        return NULL;
    hid_t g = H5Lexists(f, "/summary", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/summary", H5P_DEFAULT) : -1;
    if (g >= 0) {
        hsize_t at = 0;
        H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &at, collect_name, &names);
        H5Gclose(g);
    }
    while (names[*n])
        (*n)++;
    return names;
}

/* The units of a metric (attribute of its /summary mean), or "?". */
static void metric_units(hid_t f, const char *metric, char *buf, size_t len)
{
    char obj[256], *u[1] = {NULL};
    snprintf(obj, sizeof obj, "/summary/%s/mean", metric);
    snprintf(buf, len, "?");
    if (H5Lexists(f, "/summary", H5P_DEFAULT) > 0 && h5util_read_strings(f, obj, "units", u, 1) == 1)
        snprintf(buf, len, "%s", u[0]);
    free(u[0]);
}

/* ---- the sweep ------------------------------------------------------------ */

typedef struct {
    hid_t f;
    const char *path;
    const summary_opts_t *opts;
    FILE *out;
    sim_error_t *err;
    char mode[32];
    size_t np, k;                   /* points, parameters */
    double *points;                 /* [np, k] */
    char *params[MAX_NAMES], *units[MAX_NAMES];
    double lo[MAX_NAMES], hi[MAX_NAMES];
    int ranged;                     /* lo and hi known */
    size_t ntimes;
    double *time;
    /* what to show, chosen before anything is printed */
    char **names;                   /* the metrics shown from (sensitivity: its outputs; else /summary) */
    size_t nnames;
    size_t *pick, npick;            /* indices into names */
    size_t *tidx, nt;               /* points tables: indices into time; sensitivity: into its horizons */
    int sensitivity;                /* morris or saltelli with /sensitivity: the ranking */
    int morris;                     /* its method */
    double sdays[64];               /* the sensitivity's recorded days */
    size_t nsdays;
} sweep_t;

static void fmt_value(double x, char *buf, size_t len)
{
    numfmt_readable(x, buf, len);
}

static void fmt_range(const sweep_t *s, size_t j, char *buf, size_t len)
{
    char a[32], b[32];
    fmt_value(s->lo[j], a, sizeof a);
    fmt_value(s->hi[j], b, sizeof b);
    snprintf(buf, len, "%.31s - %.31s", a, b);
}

static void print_design(const sweep_t *s)
{
    double v[2];
    size_t runs_n = h5util_read_numbers(s->f, "/", "runs", v, 1);
    char runs[64] = "";
    if (runs_n)
        snprintf(runs, sizeof runs, ", %.0f runs each", v[0]);
    if (!strcmp(s->mode, "morris") && h5util_read_numbers(s->f, "/sweep", "trajectories", v, 1) &&
        h5util_read_numbers(s->f, "/sweep", "levels", v + 1, 1))
        fprintf(s->out, "sweep: morris, %.0f trajectories x (%zu parameters + 1) = %zu points%s, %.0f levels\n",
                v[0], s->k, s->np, runs, v[1]);
    else if (!strcmp(s->mode, "saltelli") && h5util_read_numbers(s->f, "/sweep", "samples", v, 1))
        fprintf(s->out, "sweep: saltelli, %.0f samples x (%zu parameters + 2) = %zu points%s\n", v[0], s->k,
                s->np, runs);
    else
        fprintf(s->out, "sweep: %s, %zu points%s, %zu parameter%s\n", s->mode[0] ? s->mode : "(mode not recorded)",
                s->np, runs, s->k, s->k == 1 ? "" : "s");
}

/* The ranking's metrics (among /sensitivity's outputs) and horizons (the
 * requested days must fall on its recorded days). */
static sim_status_t choose_sensitivity(sweep_t *s)
{
    char *method[1] = {NULL};
    s->names = calloc(MAX_NAMES + 1, sizeof *s->names);
    if (!s->names)
        return sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
    s->nnames = h5util_read_strings(s->f, "/sensitivity", "outputs", s->names, MAX_NAMES);
    s->nsdays = h5util_read_numbers(s->f, "/sensitivity", "time", s->sdays, 64);
    h5util_read_strings(s->f, "/sensitivity", "method", method, 1);
    s->morris = method[0] && !strcmp(method[0], "morris");
    int have_method = method[0] != NULL;
    free(method[0]);
    if (!have_method || s->nnames == 0 || s->nsdays == 0)
        return sim_fail(s->err, SIM_EINVAL, "%s: /sensitivity lacks its attributes method, outputs or time", s->path);
    sim_status_t st = summary_select_metrics(s->path, s->opts, (const char *const *)s->names, s->nnames, NULL, 0,
                                             "among the sweep's analysed outputs (sweep: outputs)", &s->pick,
                                             &s->npick, s->err);
    if (st != SIM_OK)
        return st;
    s->tidx = malloc(s->nsdays * sizeof *s->tidx);
    if (!s->tidx)
        return sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
    if (!s->opts || s->opts->nat == 0) {
        for (size_t h = 0; h < s->nsdays; h++)
            s->tidx[s->nt++] = h;
        return SIM_OK;
    }
    /* each requested day at its recorded day, which must be one of the analysis' */
    size_t *t = NULL, nt = 0;
    st = summary_select_times(s->path, s->opts, s->time, s->ntimes, NULL, 0, &t, &nt, s->err);
    for (size_t i = 0; i < nt && st == SIM_OK; i++) {
        size_t h = 0;
        while (h < s->nsdays && s->sdays[h] != s->time[t[i]])
            h++;
        if (h < s->nsdays) {
            s->tidx[s->nt++] = h;
            continue;
        }
        char list[256] = "";
        for (size_t j = 0, o = 0; j < s->nsdays && o < sizeof list; j++) {
            int w = snprintf(list + o, sizeof list - o, "%s%g", j ? ", " : "", s->sdays[j]);
            o += w > 0 ? (size_t)w : 0;
        }
        st = sim_fail(s->err, SIM_EINVAL, "%s: the sensitivity analysis has no horizon at recorded day %g "
                      "(--at); it has days %s (sweep: horizons_days)", s->path, s->time[t[i]], list);
    }
    free(t);
    return st;
}

/* Per (metric, horizon): the parameters ranked by mu* or ST. */
static sim_status_t print_sensitivity(sweep_t *s)
{
    int morris = s->morris;
    if (morris)
        fprintf(s->out, "\nMorris elementary effects on each point's mean across runs, ranked by mu*: the mean "
                        "|change| of the\nmetric when the parameter moves across its whole range (min - max); "
                        "mu is the signed mean,\nsigma the spread (interactions, non-linearity); +-95%% is mu*'s "
                        "bootstrap half-width.\n");
    else
        fprintf(s->out, "\nSobol indices of each point's mean across runs, ranked by ST: ST is the share of the "
                        "variance\ndue to the parameter with all its interactions (Jansen), S1 alone (Saltelli "
                        "2010); +-95%%: bootstrap\nhalf-widths. Monte Carlo noise of the means is variance no "
                        "parameter explains.\n");
    static const char *const morris_stat[4] = {"mu_star", "mu_star_ci", "mu", "sigma"};
    static const char *const sobol_stat[4] = {"ST", "ST_ci", "S1", "S1_ci"};
    size_t nh = s->nsdays;
    sim_status_t st = SIM_OK;
    for (size_t mi = 0; mi < s->npick && st == SIM_OK; mi++) {
        const char *metric = s->names[s->pick[mi]];
        double *stat[4] = {NULL};
        double *var = NULL;
        char obj[256], units[64];
        metric_units(s->f, metric, units, sizeof units);
        for (int i = 0; i < 4 && st == SIM_OK; i++) {
            size_t r = 0, c = 0;
            snprintf(obj, sizeof obj, "/sensitivity/%s/%s", metric, morris ? morris_stat[i] : sobol_stat[i]);
            stat[i] = read_all(s->f, obj, &r, &c);
            if (!stat[i] || r != nh || c != s->k)
                st = sim_fail(s->err, SIM_EINVAL, "%s: %s: expected [%zu horizons, %zu params]", s->path, obj, nh, s->k);
        }
        if (!morris && st == SIM_OK) {
            size_t r = 0, c = 0;
            snprintf(obj, sizeof obj, "/sensitivity/%s/variance", metric);
            var = read_all(s->f, obj, &r, &c);
            if (var && r != nh) {
                free(var);
                var = NULL;
            }
        }
        for (size_t hi = 0; hi < s->nt && st == SIM_OK; hi++) {
            size_t h = s->tidx[hi];
            size_t order[MAX_NAMES];
            sensitivity_rank(stat[0] + h * s->k, s->k, order);
            fprintf(s->out, "\n%s (%s), day %.0f\n", metric, units, s->sdays[h]);
            texttable_t t = texttable_new(8, 1u << 1 | 1u << 2 | 1u << 3);
            texttable_cell_t *row = texttable_row(&t);
            static const char *const mh[8] = {"rank", "parameter", "range", "unit", "mu*", "+-95%", "mu", "sigma"};
            static const char *const sh[8] = {"rank", "parameter", "range", "unit", "ST", "+-95%", "S1", "+-95%"};
            for (int c = 0; row && c < 8; c++)
                snprintf(row[c], CELL, "%s", morris ? mh[c] : sh[c]);
            double s1_sum = 0;
            for (size_t i = 0; i < s->k && row; i++) {
                size_t j = order[i];
                row = texttable_row(&t);
                if (!row)
                    break;
                snprintf(row[0], CELL, "%zu", i + 1);
                snprintf(row[1], CELL, "%s", j < MAX_NAMES && s->params[j] ? s->params[j] : "?");
                if (s->ranged)
                    fmt_range(s, j, row[2], CELL);
                snprintf(row[3], CELL, "%s", s->units[j] && s->units[j][0] ? s->units[j] : "-");
                for (int c = 0; c < 4; c++) {
                    double x = stat[c][h * s->k + j];
                    if (morris)
                        fmt_value(x, row[4 + c], CELL);
                    else   /* no "-0.000" */
                        snprintf(row[4 + c], CELL, "%.3f", fabs(x) < 5e-4 ? 0.0 : x);
                }
                if (!morris)
                    s1_sum += stat[2][h * s->k + j];
            }
            if (!row || texttable_print(&t, s->out) != 0)
                st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
            texttable_free(&t);
            if (!morris && st == SIM_OK) {
                char v[64] = "?";
                if (var)
                    fmt_value(var[h], v, sizeof v);
                fprintf(s->out, "sum of S1 %.3f; variance of the mean %s (%s)^2\n", s1_sum, v, units);
            }
        }
        for (int i = 0; i < 4; i++)
            free(stat[i]);
        free(var);
    }
    return st;
}

/* The points tables' metrics (the sweep's outputs by default) and days (the
 * summary's horizons and the sweep's). */
static sim_status_t choose_points(sweep_t *s)
{
    s->names = summary_names(s->f, &s->nnames);
    if (!s->names)
        return sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
    char *outputs[MAX_NAMES] = {NULL};
    size_t nout = h5util_read_strings(s->f, "/sweep", "outputs", outputs, MAX_NAMES);
    const char *defaults[MAX_NAMES];
    for (size_t i = 0; i < nout; i++)
        defaults[i] = outputs[i];
    if (nout == 0) {
        nout = sizeof default_outputs / sizeof default_outputs[0];
        for (size_t i = 0; i < nout; i++)
            defaults[i] = default_outputs[i];
    }
    sim_status_t st = summary_select_metrics(s->path, s->opts, (const char *const *)s->names, s->nnames, defaults,
                                             nout, "in /summary", &s->pick, &s->npick, s->err);
    free_strings(outputs, MAX_NAMES);
    double hz[64];
    size_t nh = h5util_read_numbers(s->f, "/sweep", "horizons_days", hz, 64);
    if (st == SIM_OK)
        st = summary_select_times(s->path, s->opts, s->time, s->ntimes, hz, nh, &s->tidx, &s->nt, s->err);
    return st;
}

/* A table a metric: each point's parameter values and its median across runs at the days. */
static sim_status_t print_points(sweep_t *s)
{
    size_t shown = s->np < SWEEP_SUMMARY_MAX_POINTS ? s->np : SWEEP_SUMMARY_MAX_POINTS;
    fprintf(s->out, "\nThe median across runs of each point, at the last recorded day at or before each "
                    "horizon:\n");
    if (s->npick == 0)
        fprintf(s->out, "(none of the sweep's outputs in /summary)\n");
    sim_status_t st = SIM_OK;
    for (size_t mi = 0; mi < s->npick && st == SIM_OK; mi++) {
        const char *metric = s->names[s->pick[mi]];
        char obj[256], units[64];
        size_t rows = 0, cols = 0;
        snprintf(obj, sizeof obj, "/summary/%s/p50", metric);
        double *med = read_all(s->f, obj, &rows, &cols);
        if (!med || rows != s->np || cols != s->ntimes) {
            free(med);
            return sim_fail(s->err, SIM_EINVAL, "%s: %s: expected [%zu points, %zu times]", s->path, obj, s->np,
                            s->ntimes);
        }
        metric_units(s->f, metric, units, sizeof units);
        double scale = 0;
        for (size_t p = 0; p < shown; p++)
            for (size_t i = 0; i < s->nt; i++)
                if (fabs(med[p * s->ntimes + s->tidx[i]]) > scale)
                    scale = fabs(med[p * s->ntimes + s->tidx[i]]);
        int dec = numfmt_decimals(scale, TABLE_DIGITS);
        texttable_t t = texttable_new(1 + s->k + s->nt, 0);
        texttable_cell_t *head = texttable_row(&t), *unit = head ? texttable_row(&t) : NULL;
        head = unit ? t.cell : NULL;   /* the first row may have moved */
        if (head) {
            snprintf(head[0], CELL, "point");
            for (size_t j = 0; j < s->k; j++) {
                snprintf(head[1 + j], CELL, "%s", s->params[j] ? s->params[j] : "?");
                snprintf(unit[1 + j], CELL, "%s", s->units[j] ? s->units[j] : "");
            }
            for (size_t i = 0; i < s->nt; i++) {
                char day[40];
                numfmt_fixed(s->time[s->tidx[i]], 0, day, sizeof day);
                snprintf(head[1 + s->k + i], CELL, "day %s", day);
            }
        }
        texttable_cell_t *row = head;
        for (size_t p = 0; p < shown && row; p++) {
            if ((row = texttable_row(&t)) == NULL)
                break;
            snprintf(row[0], CELL, "%zu", p);
            for (size_t j = 0; j < s->k; j++)
                fmt_value(s->points[p * s->k + j], row[1 + j], CELL);
            for (size_t i = 0; i < s->nt; i++)
                numfmt_fixed(med[p * s->ntimes + s->tidx[i]], dec, row[1 + s->k + i], CELL);
        }
        fprintf(s->out, "\n%s (%s)\n", metric, units);
        if (!row || texttable_print(&t, s->out) != 0)
            st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
        texttable_free(&t);
        free(med);
    }
    if (st == SIM_OK && shown < s->np)
        fprintf(s->out, "... and %zu more points (all in /summary/<metric>/p50 [points, times])\n", s->np - shown);
    return st;
}

sim_status_t sweep_summary_print(hid_t f, const char *path, const summary_opts_t *opts, FILE *out,
                                 sim_error_t *err)
{
    sweep_t s = {.f = f, .path = path, .opts = opts, .out = out, .err = err};
    sim_status_t st = SIM_OK;
    char *mode[1] = {NULL};
    if (H5Lexists(f, "/sweep", H5P_DEFAULT) > 0 && h5util_read_strings(f, "/sweep", "mode", mode, 1) == 1)
        snprintf(s.mode, sizeof s.mode, "%s", mode[0]);
    free(mode[0]);
    size_t one = 0;
    s.points = H5Lexists(f, "/sweep", H5P_DEFAULT) > 0 ? read_all(f, "/sweep/points", &s.np, &s.k) : NULL;
    s.time = read_all(f, "/time", &s.ntimes, &one);
    if (!s.points || !s.time || s.k > MAX_NAMES) {
        st = sim_fail(err, SIM_EINVAL, "%s: a sweep file without a readable /sweep/points [points, params] or /time",
                      path);
        goto done;
    }
    h5util_read_strings(f, "/sweep/points", "params", s.params, MAX_NAMES);
    h5util_read_strings(f, "/sweep/points", "units", s.units, MAX_NAMES);
    s.ranged = h5util_read_numbers(f, "/sweep/points", "min", s.lo, MAX_NAMES) == s.k &&
               h5util_read_numbers(f, "/sweep/points", "max", s.hi, MAX_NAMES) == s.k;
    s.sensitivity = (!strcmp(s.mode, "morris") || !strcmp(s.mode, "saltelli")) &&
                    H5Lexists(f, "/sensitivity", H5P_DEFAULT) > 0;
    st = s.sensitivity ? choose_sensitivity(&s) : choose_points(&s);
    if (st != SIM_OK)
        goto done;
    summary_header_run(f, path, out);
    fputc('\n', out);
    print_design(&s);
    st = s.sensitivity ? print_sensitivity(&s) : print_points(&s);
    if (st == SIM_OK && (fflush(out) != 0 || ferror(out)))
        st = sim_fail(err, SIM_EIO, "%s: cannot write the summary: %s", path, strerror(errno));
done:
    free(s.points);
    free(s.time);
    free_strings(s.params, MAX_NAMES);
    free_strings(s.units, MAX_NAMES);
    if (s.names)
        for (size_t i = 0; s.names[i]; i++)
            free(s.names[i]);
    free(s.names);
    free(s.pick);
    free(s.tidx);
    return st;
}
