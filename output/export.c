/* A result file's series as tidy CSV; see export.h. */
#include "export.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "dates.h"
#include "h5out.h"
#include "h5util.h"
#include "stats.h"
#include "text.h"

/* Values of /runs read at a time, at most (32 MiB); a chunk row of runs is
 * read whole when it fits, so that each chunk is decompressed once. */
#define EXPORT_BLOCK ((size_t)4 << 20)
/* Longest name of a metric or points dimension read from a file. */
#define NAME_MAX_LEN 200

static const char *const group_names[] = {"runs", "summary", "compare"};
/* The columns of the compare table: datasets of /compare/<metric>. */
static const char *const compare_stats[] = {"base_mean", "proposal_mean", "diff_mean", "diff_ci_low",
                                            "diff_ci_high"};
#define NCOMPARE (sizeof compare_stats / sizeof compare_stats[0])

typedef struct {
    const char *path;           /* the file, in messages */
    const char *out_name;       /* the output, in messages */
    hid_t file;
    FILE *out;
    sim_error_t *err;
    export_group_t group;
    size_t ntimes;
    char (*date)[DATE_TEXT_MAX];        /* [ntimes] each recorded day's date */
    char (*day)[TEXT_DOUBLE_MAX];       /* [ntimes] each recorded day, days since start_date */
    size_t npoints;             /* 0: no points dimension */
    char dim[NAME_MAX_LEN + 1]; /* the points dimension's name ("arm", "point") */
    char **labels;              /* [npoints] the points' labels ("" when the file has none) */
    char **metrics;             /* [nmetrics] the group's metrics; the first nwrite are written */
    size_t nmetrics, nwrite;
} export_t;

sim_status_t export_group_parse(const char *name, export_group_t *out, sim_error_t *err)
{
    for (size_t g = 0; g < sizeof group_names / sizeof group_names[0]; g++)
        if (name && strcmp(name, group_names[g]) == 0) {
            *out = (export_group_t)g;
            return SIM_OK;
        }
    char shown[TEXT_SHOW_MAX + 8];
    SIM_FAIL(err, SIM_EINVAL, "export: --group '%s': expected runs, summary or compare",
             text_show(name ? name : "", shown, sizeof shown));
}

/* --- writing ------------------------------------------------------------ */

/* A text field read from the file (units, labels): as it is when it needs no
 * quoting, else quoted by libcsv (a sweep's labels hold commas). Metric names,
 * dates and numbers never need quoting, so they are printed plainly. */
static void put_text(FILE *out, const char *s)
{
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") || (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')))
        csv_fwrite(out, s, n);
    else
        fputs(s, out);
}

/* A value: the shortest text that reads back to it (a float32 dataset's
 * values as floats: 0.578, not 0.57800000905990601), NaN and Inf as R,
 * pandas and spreadsheets read them. */
static void put_value(FILE *out, double v, int is_float)
{
    char buf[TEXT_DOUBLE_MAX];
    if (isnan(v)) {
        fputs("NaN", out);
    } else if (isinf(v)) {
        fputs(v > 0 ? "Inf" : "-Inf", out);
    } else if (is_float) {
        float f = (float)v;
        for (int prec = FLT_DIG; prec <= 9; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
            if (strtof(buf, NULL) == f)
                break;
        }
        fputs(buf, out);
    } else {
        /* text_double's text (subnormals aside), found faster: a double of
         * at most DBL_DIG (15) significant digits prints back as itself at
         * %.15g, zeros dropped, so only longer ones need 16 or 17 (a table
         * has millions of values) */
        for (int prec = DBL_DIG; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        fputs(buf, out);
    }
}

/* The columns before a table's own: the point and its label, when the file has points. */
static void put_point(const export_t *x, size_t p)
{
    if (x->npoints) {
        fprintf(x->out, "%zu,", p);
        put_text(x->out, x->labels[p]);
        fputc(',', x->out);
    }
}

static sim_status_t check_written(const export_t *x)
{
    if (ferror(x->out))
        SIM_FAIL(x->err, SIM_EIO, "export: %s: cannot write the CSV table to %s: %s", x->path, x->out_name,
                 strerror(errno));
    return SIM_OK;
}

/* --- the file ----------------------------------------------------------- */

static sim_status_t open_file(export_t *x)
{
    struct stat sb;
    if (stat(x->path, &sb) != 0)
        SIM_FAIL(x->err, errno == ENOENT || errno == ENOTDIR ? SIM_EINVAL : SIM_EIO, "export: %s: cannot open: %s",
                 x->path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: is a directory, not a tokensim result file", x->path);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
#if H5_VERSION_GE(1, 12, 0)
    htri_t is_h5 = H5Fis_accessible(x->path, H5P_DEFAULT);
#else
    htri_t is_h5 = H5Fis_hdf5(x->path);
#endif
    if (is_h5 <= 0)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: not an HDF5 file, so not a tokensim result file", x->path);
    x->file = H5Fopen(x->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (x->file < 0)
        return h5out_fail(x->err, x->path, "export: cannot open the HDF5 file");
    char format[64];
    if (h5util_read_text_attr(x->file, "/", "format", format, sizeof format) != 0 || strcmp(format, "tokensim") != 0)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: not a tokensim result file (no root attribute format = "
                 "\"tokensim\")", x->path);
    return SIM_OK;
}

/* The group to export, or why the file has none. */
static sim_status_t check_group(export_t *x)
{
    const char *g = group_names[x->group];
    if (H5Lexists(x->file, g, H5P_DEFAULT) > 0)
        return SIM_OK;
    char command[64];
    if (h5util_read_text_attr(x->file, "/", "command", command, sizeof command) != 0)
        snprintf(command, sizeof command, "?");
    if (x->group == EXPORT_COMPARE)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: no /compare: a file of `tokensim %s`, not of `tokensim "
                 "compare`; export its runs or summary instead (--group runs, --group summary)", x->path, command);
    SIM_FAIL(x->err, SIM_EINVAL, "export: %s: no /%s (an unfinished or foreign file?)", x->path, g);
}

/* /time and start_date: each recorded day's date and day. */
static sim_status_t read_times(export_t *x)
{
    char start[64];
    long day0 = -1;
    if (h5util_read_text_attr(x->file, "/", "start_date", start, sizeof start) == 0)
        day0 = params_date_to_days(start);
    if (day0 < 0)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: no root attribute start_date YYYY-MM-DD, so no dates", x->path);
    hid_t d = H5Dopen2(x->file, "time", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t n = 0;
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &n, NULL) >= 0 && n > 0;
    double *t = ok ? malloc((size_t)n * sizeof *t) : NULL;
    x->date = ok ? malloc((size_t)n * sizeof *x->date) : NULL;
    x->day = ok ? malloc((size_t)n * sizeof *x->day) : NULL;
    ok = ok && t && x->date && x->day && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) >= 0;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    sim_status_t st = SIM_OK;
    if (!ok)
        st = n > 0 && (!t || !x->date || !x->day)
                 ? sim_fail(x->err, SIM_ENOMEM, "export: out of memory for %llu times", (unsigned long long)n)
                 : sim_fail(x->err, SIM_EINVAL, "export: %s: no readable /time", x->path);
    x->ntimes = (size_t)n;
    for (size_t i = 0; i < x->ntimes && st == SIM_OK; i++) {
        if (!(t[i] >= 0 && t[i] < 3e6) || params_days_to_date(day0 + (int64_t)floor(t[i]), x->date[i]) != 0)
            st = sim_fail(x->err, SIM_EINVAL, "export: %s: /time[%zu] = %g is no day after start_date %s", x->path, i,
                          t[i], start);
        else
            text_double(t[i], x->day[i], sizeof x->day[i]);
    }
    free(t);
    return st;
}

/* The points dimension, when the file has one: the name of /runs'
 * leading dimension and the labels of its scale /<dim>. */
static sim_status_t read_points(export_t *x)
{
    hid_t d = H5Dopen2(x->file, "runs/supply_total", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[3] = {0, 0, 0};
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank == 3)
        H5Sget_simple_extent_dims(sp, dims, NULL);
    ssize_t len = rank == 3 ? H5DSget_label(d, 0, x->dim, sizeof x->dim) : -1;
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (rank != 3)
        return SIM_OK;          /* a run file: no points */
    /* the dimension names two columns of the header: plain words only */
    if (len <= 0 || (size_t)len >= sizeof x->dim || dims[0] == 0 ||
        x->dim[strspn(x->dim, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0')
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: /runs/supply_total has 3 dimensions but no named points "
                 "dimension", x->path);
    x->npoints = (size_t)dims[0];
    x->labels = calloc(x->npoints, sizeof *x->labels);
    if (!x->labels)
        SIM_FAIL(x->err, SIM_ENOMEM, "export: out of memory for %zu points", x->npoints);
    if (h5util_read_strings(x->file, x->dim, "labels", x->labels, x->npoints) != x->npoints)
        for (size_t p = 0; p < x->npoints; p++)
            if (!x->labels[p] && !(x->labels[p] = strdup("")))
                SIM_FAIL(x->err, SIM_ENOMEM, "export: out of memory for %zu points", x->npoints);
    return SIM_OK;
}

/* --- the metrics ---------------------------------------------------------- */

/* H5Literate's callback: the group's metrics, /runs' datasets but its
 * dimension scales, or the groups of /summary and /compare. */
static herr_t collect_metric(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    export_t *x = data;
    if (strlen(name) > NAME_MAX_LEN)
        return 0;
    if (x->group == EXPORT_RUNS) {
        hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
        htri_t scale = d >= 0 ? H5DSis_scale(d) : 1;
        if (d >= 0)
            H5Dclose(d);
        if (scale != 0)
            return 0;
    } else {
        hid_t sub = H5Gopen2(g, name, H5P_DEFAULT);
        if (sub < 0)
            return 0;
        H5Gclose(sub);
    }
    char **grown = realloc(x->metrics, (x->nmetrics + 1) * sizeof *grown);
    if (!grown)
        return -1;
    x->metrics = grown;
    if (!(x->metrics[x->nmetrics] = strdup(name)))
        return -1;
    x->nmetrics++;
    return 0;
}

static sim_status_t list_metrics(export_t *x)
{
    hid_t g = H5Gopen2(x->file, group_names[x->group], H5P_DEFAULT);
    if (g < 0)
        return h5out_fail(x->err, x->path, "export: cannot open /%s", group_names[x->group]);
    /* the file's order (creation order) where it is kept, else by name */
    herr_t e = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, collect_metric, x);
    if (e < 0 && x->nmetrics == 0)
        e = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_metric, x);
    H5Gclose(g);
    if (e < 0)
        SIM_FAIL(x->err, SIM_EIO, "export: %s: cannot list /%s", x->path, group_names[x->group]);
    if (x->nmetrics == 0)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: /%s holds no metric", x->path, group_names[x->group]);
    return SIM_OK;
}

/* The metrics asked for, each in the group (else the nearest name the group
 * has), each once, in the order asked: they replace the group's list. */
static sim_status_t choose_metrics(export_t *x, const char *const *want, size_t n)
{
    char **chosen = calloc(n, sizeof *chosen);
    if (!chosen)
        SIM_FAIL(x->err, SIM_ENOMEM, "export: out of memory for %zu metrics", n);
    size_t k = 0;
    sim_status_t st = SIM_OK;
    for (size_t i = 0; i < n && st == SIM_OK; i++) {
        const char *name = want[i] ? want[i] : "";
        size_t found = x->nmetrics, best = x->nmetrics, best_d = SIZE_MAX, len = strlen(name);
        for (size_t m = 0; m < x->nmetrics; m++) {
            if (strcmp(x->metrics[m], name) == 0)
                found = m;
            size_t d = text_edit_distance(name, len, x->metrics[m], strlen(x->metrics[m]));
            if (d < best_d) {
                best_d = d;
                best = m;
            }
        }
        if (found == x->nmetrics) {
            char shown[TEXT_SHOW_MAX + 8];
            text_show(name, shown, sizeof shown);
            if (best < x->nmetrics && text_near(len, best_d))
                st = sim_fail(x->err, SIM_EINVAL, "export: %s: no metric '%s' in /%s (did you mean '%s'?)", x->path,
                              shown, group_names[x->group], x->metrics[best]);
            else
                st = sim_fail(x->err, SIM_EINVAL, "export: %s: no metric '%s' in /%s (docs/output.md, \"Metrics\", "
                              "lists them)", x->path, shown, group_names[x->group]);
            break;
        }
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            seen |= chosen[j] == x->metrics[found];
        if (!seen)
            chosen[k++] = x->metrics[found];
    }
    if (st != SIM_OK) {
        free(chosen);
        return st;
    }
    /* the chosen names move to the front; the rest stay to be freed */
    for (size_t j = 0; j < k; j++)
        for (size_t m = j; m < x->nmetrics; m++)
            if (x->metrics[m] == chosen[j]) {
                char *t = x->metrics[j];
                x->metrics[j] = x->metrics[m];
                x->metrics[m] = t;
                break;
            }
    free(chosen);
    x->nwrite = k;
    return SIM_OK;
}

/* --- the tables ----------------------------------------------------------- */

/* Dataset obj: its rank and dimensions; SIM_EINVAL when it is not a series
 * of this file's shape: [points,] [runs,] times, runs counted into *runs. */
static sim_status_t series_shape(export_t *x, const char *obj, int with_runs, size_t *runs)
{
    hid_t d = H5Lexists(x->file, obj, H5P_DEFAULT) > 0 ? H5Dopen2(x->file, obj, H5P_DEFAULT) : -1;
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    int want = (x->npoints ? 1 : 0) + (with_runs ? 1 : 0) + 1;
    hsize_t dims[3] = {0, 0, 0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == want && H5Sget_simple_extent_dims(sp, dims, NULL) >= 0 &&
             dims[want - 1] == x->ntimes && (!x->npoints || dims[0] == x->npoints) &&
             (!with_runs || dims[want - 2] > 0);
    if (ok && with_runs)
        *runs = (size_t)dims[want - 2];
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    if (!ok)
        SIM_FAIL(x->err, SIM_EINVAL, "export: %s: %s is missing or not a series [%s%stimes] of %zu times", x->path,
                 obj, x->npoints ? "points, " : "", with_runs ? "runs, " : "", x->ntimes);
    return SIM_OK;
}

/* The datasets of metric m: every one there, in the file's shape. */
static sim_status_t check_metric(export_t *x, const char *metric)
{
    char obj[NAME_MAX_LEN + 64];
    size_t runs = 0;
    sim_status_t st = SIM_OK;
    if (x->group == EXPORT_RUNS) {
        snprintf(obj, sizeof obj, "/runs/%s", metric);
        st = series_shape(x, obj, 1, &runs);
    } else if (x->group == EXPORT_SUMMARY) {
        for (int k = 0; k < STATS_N && st == SIM_OK; k++) {
            snprintf(obj, sizeof obj, "/summary/%s/%s", metric, stats_name[k]);
            st = series_shape(x, obj, 0, NULL);
        }
    } else {
        size_t npoints = x->npoints;
        x->npoints = 0;         /* /compare's series are [times] in a file of arms */
        for (size_t k = 0; k < NCOMPARE && st == SIM_OK; k++) {
            snprintf(obj, sizeof obj, "/compare/%s/%s", metric, compare_stats[k]);
            st = series_shape(x, obj, 0, NULL);
        }
        x->npoints = npoints;
    }
    return st;
}

static void put_header(const export_t *x)
{
    if (x->npoints && x->group != EXPORT_COMPARE)
        fprintf(x->out, "%s,%s_label,", x->dim, x->dim);
    if (x->group == EXPORT_RUNS) {
        fputs("run,date,day,metric,units,value\n", x->out);
    } else if (x->group == EXPORT_SUMMARY) {
        fputs("date,day,metric,units", x->out);
        for (int k = 0; k < STATS_N; k++)
            fprintf(x->out, ",%s", stats_name[k]);
        fputc('\n', x->out);
    } else {
        fputs("date,day,metric,units", x->out);
        for (size_t k = 0; k < NCOMPARE; k++)
            fprintf(x->out, ",%s", compare_stats[k]);
        fputc('\n', x->out);
    }
}

/* The units attribute of obj into buf ("" when it has none). */
static void read_units(const export_t *x, const char *obj, char *buf, size_t len)
{
    h5util_read_text_attr(x->file, obj, "units", buf, len);
}

/* /runs/<metric>: a block of runs at a time (whole chunk rows when they fit
 * EXPORT_BLOCK), point by point. */
static sim_status_t write_runs_metric(export_t *x, const char *metric)
{
    char obj[NAME_MAX_LEN + 16], units[128];
    snprintf(obj, sizeof obj, "/runs/%s", metric);
    read_units(x, obj, units, sizeof units);
    size_t runs = 0;
    sim_status_t st = series_shape(x, obj, 1, &runs);
    if (st != SIM_OK)
        return st;
    hid_t d = H5Dopen2(x->file, obj, H5P_DEFAULT);
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    hid_t type = d >= 0 ? H5Dget_type(d) : -1;
    hid_t dcpl = d >= 0 ? H5Dget_create_plist(d) : -1;
    int rank = x->npoints ? 3 : 2;
    int is_float = type >= 0 && H5Tget_class(type) == H5T_FLOAT && H5Tget_size(type) == 4;
    size_t block = runs;
    hsize_t chunk[3];
    if (dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, rank, chunk) == rank)
        block = (size_t)chunk[rank - 2];
    size_t cap = EXPORT_BLOCK / x->ntimes;
    block = block > cap ? cap : block;
    block = block < 1 ? 1 : block > runs ? runs : block;
    double *buf = malloc(block * x->ntimes * sizeof *buf);
    if (d < 0 || fs < 0 || type < 0)
        st = h5out_fail(x->err, x->path, "export: cannot open %s", obj);
    else if (!buf)
        st = sim_fail(x->err, SIM_ENOMEM, "export: out of memory for %zu runs of %s", block, obj);
    size_t np = x->npoints ? x->npoints : 1;
    for (size_t p = 0; p < np && st == SIM_OK; p++)
        for (size_t r0 = 0; r0 < runs && st == SIM_OK; r0 += block) {
            size_t n = runs - r0 < block ? runs - r0 : block;
            hsize_t start[3] = {p, r0, 0}, count[3] = {1, n, x->ntimes}, mdim = n * x->ntimes;
            int off = x->npoints ? 0 : 1;       /* a run file's selection drops the point */
            hid_t ms = H5Screate_simple(1, &mdim, NULL);
            if (ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start + off, NULL, count + off, NULL) < 0 ||
                H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) < 0)
                st = h5out_fail(x->err, x->path, "export: cannot read runs %zu to %zu of %s", r0, r0 + n - 1, obj);
            if (ms >= 0)
                H5Sclose(ms);
            for (size_t i = 0; i < n && st == SIM_OK; i++)
                for (size_t t = 0; t < x->ntimes; t++) {
                    put_point(x, p);
                    fprintf(x->out, "%zu,%s,%s,%s,", r0 + i, x->date[t], x->day[t], metric);
                    put_text(x->out, units);
                    fputc(',', x->out);
                    put_value(x->out, buf[i * x->ntimes + t], is_float);
                    fputc('\n', x->out);
                }
            if (st == SIM_OK)
                st = check_written(x);
        }
    free(buf);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (type >= 0)
        H5Tclose(type);
    if (fs >= 0)
        H5Sclose(fs);
    if (d >= 0)
        H5Dclose(d);
    return st;
}

/* A whole series (checked by check_metric) into buf. */
static sim_status_t read_series(export_t *x, const char *obj, double *buf)
{
    hid_t d = H5Dopen2(x->file, obj, H5P_DEFAULT);
    int ok = d >= 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
    if (d >= 0)
        H5Dclose(d);
    return ok ? SIM_OK : h5out_fail(x->err, x->path, "export: cannot read %s", obj);
}

/* /summary/<metric>/<stat> or /compare/<metric>/<stat>: one row per (point,) day. */
static sim_status_t write_stats_metric(export_t *x, const char *metric)
{
    int summary = x->group == EXPORT_SUMMARY;
    const char *const *stats = summary ? stats_name : compare_stats;
    size_t nstats = summary ? STATS_N : NCOMPARE, np = summary && x->npoints ? x->npoints : 1;
    double *v = malloc(nstats * np * x->ntimes * sizeof *v);
    if (!v)
        SIM_FAIL(x->err, SIM_ENOMEM, "export: out of memory for /%s/%s", group_names[x->group], metric);
    char obj[NAME_MAX_LEN + 64], units[128];
    snprintf(obj, sizeof obj, "/%s/%s/%s", group_names[x->group], metric, summary ? "mean" : "diff_mean");
    read_units(x, obj, units, sizeof units);
    sim_status_t st = SIM_OK;
    for (size_t k = 0; k < nstats && st == SIM_OK; k++) {
        snprintf(obj, sizeof obj, "/%s/%s/%s", group_names[x->group], metric, stats[k]);
        st = read_series(x, obj, v + k * np * x->ntimes);
    }
    for (size_t p = 0; p < np && st == SIM_OK; p++)
        for (size_t t = 0; t < x->ntimes; t++) {
            if (summary)
                put_point(x, p);
            fprintf(x->out, "%s,%s,%s,", x->date[t], x->day[t], metric);
            put_text(x->out, units);
            for (size_t k = 0; k < nstats; k++) {
                fputc(',', x->out);
                put_value(x->out, v[(k * np + p) * x->ntimes + t], 0);
            }
            fputc('\n', x->out);
        }
    free(v);
    return st == SIM_OK ? check_written(x) : st;
}

sim_status_t export_csv(const char *file, const export_opts_t *opts, FILE *out, sim_error_t *err)
{
    if (!file || !opts || !out)
        SIM_FAIL(err, SIM_EINVAL, "export: no file, options or output");
    if ((unsigned)opts->group > EXPORT_COMPARE)
        SIM_FAIL(err, SIM_EINVAL, "export: unknown group %d", (int)opts->group);
    export_t x = {.path = file, .out_name = opts->out_name ? opts->out_name : "standard output", .file = -1,
                  .out = out, .err = err, .group = opts->group};
    sim_status_t st = open_file(&x);
    if (st == SIM_OK)
        st = check_group(&x);
    if (st == SIM_OK)
        st = read_times(&x);
    if (st == SIM_OK)
        st = read_points(&x);
    if (st == SIM_OK)
        st = list_metrics(&x);
    x.nwrite = x.nmetrics;
    if (st == SIM_OK && opts->metrics && opts->nmetrics > 0)
        st = choose_metrics(&x, opts->metrics, opts->nmetrics);
    for (size_t m = 0; m < x.nwrite && st == SIM_OK; m++)
        st = check_metric(&x, x.metrics[m]);
    if (st == SIM_OK) {
        put_header(&x);
        st = check_written(&x);
    }
    for (size_t m = 0; m < x.nwrite && st == SIM_OK; m++)
        st = x.group == EXPORT_RUNS ? write_runs_metric(&x, x.metrics[m]) : write_stats_metric(&x, x.metrics[m]);
    if (st == SIM_OK && fflush(out) != 0)
        st = check_written(&x);
    for (size_t m = 0; m < x.nmetrics; m++)
        free(x.metrics[m]);
    free(x.metrics);
    for (size_t p = 0; x.labels && p < x.npoints; p++)
        free(x.labels[p]);
    free(x.labels);
    free(x.date);
    free(x.day);
    if (x.file >= 0)
        H5Fclose(x.file);
    return st;
}
