/* The sweep tables of `tokensim summary`; see sweep_summary.h. */
#include "sweep_summary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5out.h"
#include "h5util.h"
#include "sensitivity.h"
#include "numfmt.h"

#define CELL 96
#define MAX_NAMES 64

/* The outputs of a file written before /sweep had them. */
static const char *const default_outputs[] = {"supply_total", "bonded_ratio", "price_usd", "community_pool"};

/* ---- a text table: cells in rows, columns as wide as their widest cell ---- */

typedef struct {
    size_t ncols, nrows, cap;
    char (*cell)[CELL];             /* [rows * ncols] */
    unsigned left;                  /* bit c: column c is left-aligned (text) */
} table_t;

/* A new empty row; NULL when out of memory. */
static char (*table_row(table_t *t))[CELL]
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char (*c)[CELL] = realloc(t->cell, cap * t->ncols * sizeof *c);
        if (!c)
            return NULL;
        t->cell = c;
        t->cap = cap;
    }
    char (*row)[CELL] = t->cell + t->nrows++ * t->ncols;
    memset(row, 0, t->ncols * sizeof *row);
    return row;
}

static void table_print(const table_t *t, FILE *out)
{
    size_t w[32] = {0};
    for (size_t c = 0; c < t->ncols && c < 32; c++)
        for (size_t r = 0; r < t->nrows; r++)
            if (strlen(t->cell[r * t->ncols + c]) > w[c])
                w[c] = strlen(t->cell[r * t->ncols + c]);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols && c < 32; c++) {
            const char *s = t->cell[r * t->ncols + c];
            int last = c + 1 == t->ncols;
            if ((t->left >> c & 1u) && last)
                fputs(s, out);
            else if (t->left >> c & 1u)
                fprintf(out, "%-*s", (int)w[c], s);
            else
                fprintf(out, "%*s", (int)w[c], s);
            if (!last)
                fputs("  ", out);
        }
        fputc('\n', out);
    }
}

/* ---- reading ------------------------------------------------------------- */

static void free_strings(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        names[i] = NULL;
    }
}

/* A numeric attribute (scalar or 1-D) as doubles into x[max]; how many (0: absent). */
static size_t attr_numbers(hid_t f, const char *obj, const char *name, double *x, size_t max)
{
    if (H5Aexists_by_name(f, obj, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : 0;
    H5T_class_t cls = ft >= 0 ? H5Tget_class(ft) : H5T_NO_CLASS;
    size_t got = 0;
    if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n > 0 && (size_t)n <= max &&
        H5Aread(a, H5T_NATIVE_DOUBLE, x) >= 0)
        got = (size_t)n;
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return got;
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

/* y[np] = /summary/<metric>/mean[:, t]; 0, or -1 when absent or unreadable. */
static int read_means(hid_t f, const char *metric, size_t t, size_t np, double *y)
{
    char obj[256];
    snprintf(obj, sizeof obj, "/summary/%s", metric);
    if (H5Lexists(f, "/summary", H5P_DEFAULT) <= 0 || H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return -1;
    snprintf(obj, sizeof obj, "/summary/%s/mean", metric);
    hid_t d = H5Lexists(f, obj, H5P_DEFAULT) > 0 ? H5Dopen2(f, obj, H5P_DEFAULT) : -1;
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t start[2] = {0, t}, count[2] = {np, 1}, mdim = np;
    hid_t ms = H5Screate_simple(1, &mdim, NULL);
    int ok = fs >= 0 && ms >= 0 && H5Sget_simple_extent_ndims(fs) == 2 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, y) >= 0;
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : -1;
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
    size_t runs_n = attr_numbers(s->f, "/", "runs", v, 1);
    char runs[64] = "";
    if (runs_n)
        snprintf(runs, sizeof runs, ", %.0f runs each", v[0]);
    if (!strcmp(s->mode, "morris") && attr_numbers(s->f, "/sweep", "trajectories", v, 1) &&
        attr_numbers(s->f, "/sweep", "levels", v + 1, 1))
        fprintf(s->out, "sweep: morris, %.0f trajectories x (%zu parameters + 1) = %zu points%s, %.0f levels\n",
                v[0], s->k, s->np, runs, v[1]);
    else if (!strcmp(s->mode, "saltelli") && attr_numbers(s->f, "/sweep", "samples", v, 1))
        fprintf(s->out, "sweep: saltelli, %.0f samples x (%zu parameters + 2) = %zu points%s\n", v[0], s->k,
                s->np, runs);
    else
        fprintf(s->out, "sweep: %s, %zu points%s, %zu parameter%s\n", s->mode[0] ? s->mode : "(mode not recorded)",
                s->np, runs, s->k, s->k == 1 ? "" : "s");
}

/* Per (metric, horizon): the parameters ranked by mu* or ST. */
static sim_status_t print_sensitivity(sweep_t *s)
{
    char *outputs[MAX_NAMES] = {NULL}, *method[1] = {NULL};
    double days[64];
    size_t nm = h5util_read_strings(s->f, "/sensitivity", "outputs", outputs, MAX_NAMES);
    size_t nh = attr_numbers(s->f, "/sensitivity", "time", days, 64);
    h5util_read_strings(s->f, "/sensitivity", "method", method, 1);
    int morris = method[0] && !strcmp(method[0], "morris");
    sim_status_t st = SIM_OK;
    if (!method[0] || nm == 0 || nh == 0) {
        st = sim_fail(s->err, SIM_EINVAL, "%s: /sensitivity lacks its attributes method, outputs or time", s->path);
        goto done;
    }
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
    for (size_t m = 0; m < nm && st == SIM_OK; m++) {
        double *stat[4] = {NULL};
        double *var = NULL;
        char obj[256], units[64];
        metric_units(s->f, outputs[m], units, sizeof units);
        for (int i = 0; i < 4 && st == SIM_OK; i++) {
            size_t r = 0, c = 0;
            snprintf(obj, sizeof obj, "/sensitivity/%s/%s", outputs[m], morris ? morris_stat[i] : sobol_stat[i]);
            stat[i] = read_all(s->f, obj, &r, &c);
            if (!stat[i] || r != nh || c != s->k)
                st = sim_fail(s->err, SIM_EINVAL, "%s: %s: expected [%zu horizons, %zu params]", s->path, obj, nh, s->k);
        }
        if (!morris && st == SIM_OK) {
            size_t r = 0, c = 0;
            snprintf(obj, sizeof obj, "/sensitivity/%s/variance", outputs[m]);
            var = read_all(s->f, obj, &r, &c);
            if (var && r != nh) {
                free(var);
                var = NULL;
            }
        }
        for (size_t h = 0; h < nh && st == SIM_OK; h++) {
            size_t order[MAX_NAMES];
            sensitivity_rank(stat[0] + h * s->k, s->k, order);
            fprintf(s->out, "\n%s (%s), day %.0f\n", outputs[m], units, days[h]);
            table_t t = {.ncols = 8, .left = 1u << 1 | 1u << 2 | 1u << 3};
            char (*row)[CELL] = table_row(&t);
            static const char *const mh[8] = {"rank", "parameter", "range", "unit", "mu*", "+-95%", "mu", "sigma"};
            static const char *const sh[8] = {"rank", "parameter", "range", "unit", "ST", "+-95%", "S1", "+-95%"};
            for (int c = 0; row && c < 8; c++)
                snprintf(row[c], CELL, "%s", morris ? mh[c] : sh[c]);
            double s1_sum = 0;
            for (size_t i = 0; i < s->k && row; i++) {
                size_t j = order[i];
                row = table_row(&t);
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
            if (!row)
                st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
            else
                table_print(&t, s->out);
            free(t.cell);
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
done:
    free_strings(outputs, nm);
    free(method[0]);
    return st;
}

/* One table a horizon: each point's parameters and the means of the outputs. */
static sim_status_t print_points(sweep_t *s)
{
    char *outputs[MAX_NAMES] = {NULL};
    size_t nm = h5util_read_strings(s->f, "/sweep", "outputs", outputs, MAX_NAMES);
    const char *names[MAX_NAMES];
    for (size_t i = 0; i < nm; i++)
        names[i] = outputs[i];
    if (nm == 0) {
        nm = sizeof default_outputs / sizeof default_outputs[0];
        for (size_t i = 0; i < nm; i++)
            names[i] = default_outputs[i];
    }
    double hz[64];
    size_t nh = attr_numbers(s->f, "/sweep", "horizons_days", hz, 64);
    if (nh == 0) {
        hz[0] = s->time[s->ntimes - 1];
        nh = 1;
    }
    size_t shown = s->np < SWEEP_SUMMARY_MAX_POINTS ? s->np : SWEEP_SUMMARY_MAX_POINTS;
    double *y = malloc(nm * s->np * sizeof *y);
    int *have = calloc(nm, sizeof *have);
    sim_status_t st = SIM_OK;
    if (!y || !have)
        st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
    fprintf(s->out, "\nThe mean across runs of each point:\n");
    size_t last_t = SIZE_MAX;
    for (size_t h = 0; h < nh && st == SIM_OK; h++) {
        size_t t = 0;
        for (size_t i = 0; i < s->ntimes; i++)
            if (s->time[i] <= hz[h])
                t = i;
        if (t == last_t)
            continue;
        last_t = t;
        for (size_t m = 0; m < nm; m++)
            have[m] = read_means(s->f, names[m], t, s->np, y + m * s->np) == 0;
        size_t ncols = 1 + s->k + nm;
        if (ncols > 32)
            ncols = 32;
        table_t tab = {.ncols = ncols};
        char (*head)[CELL] = table_row(&tab), (*unit)[CELL] = head ? table_row(&tab) : NULL;
        head = unit ? tab.cell : NULL;   /* the first row may have moved */
        if (!head) {
            st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
            free(tab.cell);
            break;
        }
        snprintf(head[0], CELL, "point");
        for (size_t c = 1; c < ncols; c++) {
            size_t j = c - 1;
            int param = j < s->k;
            snprintf(head[c], CELL, "%s", param ? (s->params[j] ? s->params[j] : "?") : names[j - s->k]);
            if (param)
                snprintf(unit[c], CELL, "%s", s->units[j] ? s->units[j] : "");
            else
                metric_units(s->f, names[j - s->k], unit[c], CELL);
        }
        for (size_t p = 0; p < shown; p++) {
            char (*row)[CELL] = table_row(&tab);
            if (!row) {
                st = sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->path);
                break;
            }
            snprintf(row[0], CELL, "%zu", p);
            for (size_t c = 1; c < ncols; c++) {
                size_t j = c - 1;
                if (j < s->k)
                    fmt_value(s->points[p * s->k + j], row[c], CELL);
                else if (have[j - s->k])
                    fmt_value(y[(j - s->k) * s->np + p], row[c], CELL);
                else
                    snprintf(row[c], CELL, "-");
            }
        }
        fprintf(s->out, "\nday %.0f\n", s->time[t]);
        if (st == SIM_OK)
            table_print(&tab, s->out);
        free(tab.cell);
    }
    if (st == SIM_OK && shown < s->np)
        fprintf(s->out, "... and %zu more points (all in /summary/<metric>/mean [points, times])\n", s->np - shown);
    free(y);
    free(have);
    free_strings(outputs, MAX_NAMES);
    return st;
}

sim_status_t sweep_summary_print(hid_t f, const char *path, FILE *out, sim_error_t *err)
{
    sweep_t s = {.f = f, .path = path, .out = out, .err = err};
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
    s.ranged = attr_numbers(f, "/sweep/points", "min", s.lo, MAX_NAMES) == s.k &&
               attr_numbers(f, "/sweep/points", "max", s.hi, MAX_NAMES) == s.k;
    fputc('\n', out);
    print_design(&s);
    if ((!strcmp(s.mode, "morris") || !strcmp(s.mode, "saltelli")) && H5Lexists(f, "/sensitivity", H5P_DEFAULT) > 0)
        st = print_sensitivity(&s);
    else
        st = print_points(&s);
    if (st == SIM_OK && (fflush(out) != 0 || ferror(out)))
        st = sim_fail(err, SIM_EIO, "%s: cannot write the summary: %s", path, strerror(errno));
done:
    free(s.points);
    free(s.time);
    free_strings(s.params, MAX_NAMES);
    free_strings(s.units, MAX_NAMES);
    return st;
}
