/*
 * `tokensim summary OUT.h5`: the file's provenance (root attributes) and, for
 * each metric in /summary, median, 5-95 % interval and mean at fixed horizons
 * (days 0, 30, 90, 365, 730, 1825, 3650 and the last recorded day), or the
 * metrics and days of the options (summary_select.h). Values are in each
 * metric's `units`; a horizon uses the last recorded time <= it. Comparison
 * and sweep files get their own tables (compare_summary.h, sweep_summary.h).
 */
#include "summary.h"

#include <gsl/gsl_cdf.h>

#include "compare_summary.h"
#include "issuance.h"
#include "numfmt.h"
#include "observed.h"
#include "h5out.h"
#include "h5util.h"
#include "stats.h"
#include "summary_header.h"
#include "summary_select.h"
#include "sweep_summary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#define TEXT_MAX 256
#define CELL_MAX TEXT_MAX

/* Metrics shown first, in this order, when present; the rest alphabetically. */
static const char *const preferred[] = {
    "supply_total", "minted", "inflation", "bonded_ratio", "staking_apr", "community_pool",
};
#define NPREFERRED (sizeof preferred / sizeof preferred[0])

enum { COL_METRIC, COL_UNITS, COL_DAY, COL_MEDIAN, COL_P05, COL_P95, COL_MEAN, COL_MCSE, NCOLS };

typedef struct {
    char cell[NCOLS][CELL_MAX];
} row_t;

typedef struct {
    const char *path;
    hid_t file;
    char **names;               /* metrics under /summary */
    size_t nnames, cap;
    row_t *rows;
    size_t nrows, rows_cap;
    double t975;                /* Student t quantile for the mean's 95 % interval over the runs */
    const char *kind;           /* the root attribute command: "run", "compare" or "sweep" */
} summary_t;

/* --- opening ----------------------------------------------------------- */

static sim_status_t open_result(summary_t *s, sim_error_t *err)
{
    struct stat sb;
    if (stat(s->path, &sb) != 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot open: %s", s->path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        SIM_FAIL(err, SIM_EINVAL, "%s: is a directory, not a tokensim result file", s->path);
#if H5_VERSION_GE(1, 12, 0)
    htri_t is_h5 = H5Fis_accessible(s->path, H5P_DEFAULT);
#else
    htri_t is_h5 = H5Fis_hdf5(s->path);
#endif
    if (is_h5 == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: not an HDF5 file, so not a tokensim result file", s->path);
    s->file = H5Fopen(s->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (s->file < 0)
        return h5out_fail(err, s->path, "cannot open the HDF5 file");
    char format[TEXT_MAX];
    if (h5util_read_text_attr(s->file, "/", "format", format, sizeof format) != 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: not a tokensim result file (no root attribute 'format')",
                 s->path);
    if (strcmp(format, "tokensim") != 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: not a tokensim result file (format is '%s')", s->path, format);
    char command[TEXT_MAX];
    s->kind = "run";   /* a file without the attribute: read as a run */
    if (h5util_read_text_attr(s->file, "/", "command", command, sizeof command) == 0) {
        if (strcmp(command, "sweep") == 0)
            s->kind = "sweep";
        else if (strcmp(command, "compare") == 0)
            s->kind = "compare";
        else if (strcmp(command, "run") != 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: a '%s' file; summary reads the files of run, compare and sweep",
                     s->path, command);
    }
    return SIM_OK;
}

/* --- metric list ------------------------------------------------------- */

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    summary_t *s = data;
    if (s->nnames == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        char **n = realloc(s->names, cap * sizeof *n);
        if (!n)
            return -1;
        s->names = n;
        s->cap = cap;
    }
    size_t len = strlen(name) + 1;
    char *copy = malloc(len);
    if (!copy)
        return -1;
    memcpy(copy, name, len);
    s->names[s->nnames++] = copy;
    return 0;
}

static int preferred_rank(const char *name)
{
    for (size_t i = 0; i < NPREFERRED; i++)
        if (strcmp(name, preferred[i]) == 0)
            return (int)i;
    return (int)NPREFERRED;
}

static int cmp_metric(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int rx = preferred_rank(x), ry = preferred_rank(y);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x, y);
}

static sim_status_t list_metrics(summary_t *s, sim_error_t *err)
{
    htri_t has = H5Lexists(s->file, "summary", H5P_DEFAULT);
    if (has < 0)
        return h5out_fail(err, s->path, "cannot look for group '/summary'");
    if (has == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no '/summary' group (an unfinished or foreign file?)",
                 s->path);
    hid_t g = H5Gopen2(s->file, "summary", H5P_DEFAULT);
    if (g < 0)
        return h5out_fail(err, s->path, "cannot open group '/summary'");
    hsize_t idx = 0;
    herr_t e = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, s);
    H5Gclose(g);
    if (e < 0)
        SIM_FAIL(err, SIM_EIO, "%s: cannot list group '/summary'", s->path);
    if (s->nnames > 1)      /* an empty group leaves names NULL, which qsort may not take */
        qsort(s->names, s->nnames, sizeof *s->names, cmp_metric);
    return SIM_OK;
}

/* --- data -------------------------------------------------------------- */

/* Read the 1-D float64 dataset at `obj` (which must have n values) into x. */
static sim_status_t read_vector(summary_t *s, sim_error_t *err, const char *obj, double *x,
                                size_t n)
{
    hid_t d = H5Dopen2(s->file, obj, H5P_DEFAULT);
    if (d < 0)
        return h5out_fail(err, s->path, "cannot open dataset '%s'", obj);
    sim_status_t st = SIM_OK;
    hid_t space = H5Dget_space(d);
    hsize_t dim = 0;
    if (space < 0 || H5Sget_simple_extent_ndims(space) != 1
        || H5Sget_simple_extent_dims(space, &dim, NULL) < 0 || dim != n)
        st = sim_fail(err, SIM_EINVAL, "%s: dataset '%s' should have %zu values", s->path, obj, n);
    else if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0)
        st = h5out_fail(err, s->path, "cannot read dataset '%s'", obj);
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return st;
}

static sim_status_t read_time(summary_t *s, sim_error_t *err, double **time, size_t *ntimes)
{
    hid_t d = H5Dopen2(s->file, "time", H5P_DEFAULT);
    if (d < 0)
        return h5out_fail(err, s->path, "cannot open dataset '/time'");
    hid_t space = H5Dget_space(d);
    hsize_t dim = 0;
    int ok = space >= 0 && H5Sget_simple_extent_ndims(space) == 1
             && H5Sget_simple_extent_dims(space, &dim, NULL) >= 0;
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    if (!ok || dim == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: dataset '/time' is not a non-empty vector", s->path);
    *time = malloc((size_t)dim * sizeof **time);
    if (!*time)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", s->path);
    *ntimes = (size_t)dim;
    return read_vector(s, err, "/time", *time, *ntimes);
}

/* --- formatting -------------------------------------------------------- */

static void fmt_day(double t, char *buf, size_t size)
{
    if (t == floor(t) && fabs(t) < 1e15)
        snprintf(buf, size, "%.0f", t);
    else
        snprintf(buf, size, "%g", t);
}

static row_t *add_row(summary_t *s)
{
    if (s->nrows == s->rows_cap) {
        size_t cap = s->rows_cap ? 2 * s->rows_cap : 64;
        row_t *r = realloc(s->rows, cap * sizeof *r);
        if (!r)
            return NULL;
        s->rows = r;
        s->rows_cap = cap;
    }
    row_t *r = &s->rows[s->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

static sim_status_t metric_rows(summary_t *s, sim_error_t *err, const char *name,
                                const double *time, const size_t *idx, size_t nidx,
                                size_t ntimes, double *buf)
{
    /* buf holds [5][ntimes]: p50, p05, p95, mean, sd. */
    static const char *const stat[5] = { "p50", "p05", "p95", "mean", "sd" };
    char obj[512];
    for (int k = 0; k < 5; k++) {
        snprintf(obj, sizeof obj, "/summary/%s/%s", name, stat[k]);
        sim_status_t st = read_vector(s, err, obj, buf + (size_t)k * ntimes, ntimes);
        if (st != SIM_OK)
            return st;
    }
    char units[TEXT_MAX];
    snprintf(obj, sizeof obj, "/summary/%s/p50", name);
    if (h5util_read_text_attr(s->file, obj, "units", units, sizeof units) != 0) {
        snprintf(obj, sizeof obj, "/runs/%s", name);
        if (H5Lexists(s->file, "runs", H5P_DEFAULT) <= 0
            || H5Lexists(s->file, obj, H5P_DEFAULT) <= 0
            || h5util_read_text_attr(s->file, obj, "units", units, sizeof units) != 0)
            snprintf(units, sizeof units, "?");
    }
    for (size_t j = 0; j < nidx; j++) {
        row_t *r = add_row(s);
        if (!r)
            SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", s->path);
        size_t t = idx[j];
        if (j == 0) {
            snprintf(r->cell[COL_METRIC], CELL_MAX, "%s", name);
            snprintf(r->cell[COL_UNITS], CELL_MAX, "%s", units);
        }
        fmt_day(time[t], r->cell[COL_DAY], CELL_MAX);
        numfmt_readable(buf[t], r->cell[COL_MEDIAN], CELL_MAX);
        numfmt_readable(buf[ntimes + t], r->cell[COL_P05], CELL_MAX);
        numfmt_readable(buf[2 * ntimes + t], r->cell[COL_P95], CELL_MAX);
        numfmt_readable(buf[3 * ntimes + t], r->cell[COL_MEAN], CELL_MAX);
        /* the Monte Carlo error of the mean: is the number of runs enough? */
        numfmt_readable(s->t975 * buf[4 * ntimes + t], r->cell[COL_MCSE], CELL_MAX);
    }
    return SIM_OK;
}

static void print_table(const summary_t *s, FILE *out)
{
    static const char *const head[NCOLS] = { "metric", "units", "day", "median", "p05", "p95",
                                             "mean", "+-95% of mean" };
    size_t w[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        w[c] = strlen(head[c]);
        for (size_t i = 0; i < s->nrows; i++)
            if (strlen(s->rows[i].cell[c]) > w[c])
                w[c] = strlen(s->rows[i].cell[c]);
    }
    /* The interval column reads "[p05, p95]"; its heading spans both parts. */
    size_t wint = w[COL_P05] + w[COL_P95] + 4;
    fprintf(out, "%-*s  %-*s  %*s  %*s  %-*s  %*s  %*s\n", (int)w[COL_METRIC], head[COL_METRIC],
            (int)w[COL_UNITS], head[COL_UNITS], (int)w[COL_DAY], head[COL_DAY],
            (int)w[COL_MEDIAN], head[COL_MEDIAN], (int)wint, "[p05, p95]", (int)w[COL_MEAN],
            head[COL_MEAN], (int)w[COL_MCSE], head[COL_MCSE]);
    for (size_t i = 0; i < s->nrows; i++) {
        const row_t *r = &s->rows[i];
        if (i > 0 && r->cell[COL_METRIC][0])
            fputc('\n', out);
        fprintf(out, "%-*s  %-*s  %*s  %*s  [%*s, %*s]  %*s  %*s\n", (int)w[COL_METRIC],
                r->cell[COL_METRIC], (int)w[COL_UNITS], r->cell[COL_UNITS], (int)w[COL_DAY],
                r->cell[COL_DAY], (int)w[COL_MEDIAN], r->cell[COL_MEDIAN], (int)w[COL_P05],
                r->cell[COL_P05], (int)w[COL_P95], r->cell[COL_P95], (int)w[COL_MEAN],
                r->cell[COL_MEAN], (int)w[COL_MCSE], r->cell[COL_MCSE]);
    }
}

sim_status_t summary_print(const char *path, const summary_opts_t *opts, FILE *out, sim_error_t *err)
{
    static const summary_opts_t defaults = {0};
    if (!opts)
        opts = &defaults;
    if (!path || !out)
        SIM_FAIL(err, SIM_EINVAL, "summary: no file name or output stream");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    summary_t s = { .path = path, .file = H5I_INVALID_HID };
    double *time = NULL, *buf = NULL;
    size_t ntimes = 0, *idx = NULL, nidx = 0, *pick = NULL, npick = 0;

    sim_status_t st = open_result(&s, err);
    if (opts->observed_only) {
        if (st == SIM_OK && strcmp(s.kind, "run") != 0)
            st = sim_fail(err, SIM_EINVAL, "%s: a %s file: --observed-only reads run files", path,
                          strcmp(s.kind, "sweep") == 0 ? "sweep" : "comparison");
        if (s.file >= 0)
            H5Fclose(s.file);
        return st == SIM_OK ? observed_print(path, opts->observed, opts->nobserved, opts->markdown, out, err)
                            : st;
    }
    if (st == SIM_OK && strcmp(s.kind, "run") != 0) {
        st = strcmp(s.kind, "sweep") == 0 ? sweep_summary_print(s.file, path, opts, out, err)
                                          : compare_summary_print(s.file, path, opts, out, err);
        H5Fclose(s.file);
        return st;
    }
    if (st == SIM_OK)
        st = list_metrics(&s, err);
    if (st == SIM_OK)
        st = read_time(&s, err, &time, &ntimes);
    if (st == SIM_OK)
        st = summary_select_metrics(path, opts, (const char *const *)s.names, s.nnames, NULL, 0, "in /summary",
                                    &pick, &npick, err);
    if (st == SIM_OK)
        st = summary_select_times(path, opts, time, ntimes, NULL, 0, &idx, &nidx, err);
    if (st == SIM_OK) {
        buf = malloc(5 * ntimes * sizeof *buf);
        /* the runs: the length of the /run scale */
        hsize_t nruns = 0;
        hid_t rd = H5Dopen2(s.file, "/run", H5P_DEFAULT);
        hid_t rs = rd >= 0 ? H5Dget_space(rd) : -1;
        if (rs >= 0)
            H5Sget_simple_extent_dims(rs, &nruns, NULL);
        if (rs >= 0) H5Sclose(rs);
        if (rd >= 0) H5Dclose(rd);
        s.t975 = nruns > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)nruns - 1) / sqrt((double)nruns) : 0.0;
        if (!buf)
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t m = 0; m < npick && st == SIM_OK; m++)
        st = metric_rows(&s, err, s.names[pick[m]], time, idx, nidx, ntimes, buf);
    if (st == SIM_OK) {
        summary_header_run(s.file, path, out);
        fputc('\n', out);
        if (s.nrows == 0)
            fprintf(out, "(no metrics in /summary)\n");
        else
            print_table(&s, out);
        if (fflush(out) != 0 || ferror(out))
            st = sim_fail(err, SIM_EIO, "%s: cannot write the summary: %s", path, strerror(errno));
    }

    free(buf);
    free(time);
    free(idx);
    free(pick);
    for (size_t i = 0; i < s.nnames; i++)
        free(s.names[i]);
    free(s.names);
    free(s.rows);
    if (s.file >= 0)
        H5Fclose(s.file);
    /* a chosen table (--metric, --at) stands alone */
    int chosen = opts->nmetrics > 0 || opts->nat > 0;
    if (st == SIM_OK && !chosen)
        st = issuance_print(path, out, err);
    if (st == SIM_OK && !chosen)
        st = observed_print(path, opts->observed, opts->nobserved, opts->markdown, out, err);
    return st;
}
