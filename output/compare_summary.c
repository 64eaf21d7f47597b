/* The summary of a comparison file; see compare_summary.h. */
#include "compare_summary.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare_table.h"
#include "h5out.h"
#include "h5util.h"
#include "summary_header.h"
#include "summary_select.h"

/* The statistics of /compare/<metric>, in compare_file_t's order. */
static const char *const stat_name[] = {"base_mean", "base_sd", "proposal_mean", "proposal_sd", "diff_mean",
                                        "diff_sd", "diff_ci_low", "diff_ci_high", "variance_ratio"};
#define NSTATS (sizeof stat_name / sizeof stat_name[0])

typedef struct {
    hid_t f;
    const char *path;
    sim_error_t *err;
    char **names;           /* the groups under /compare, by name */
    size_t nnames, cap;
} reader_t;

static herr_t collect(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    reader_t *r = data;
    if (r->nnames == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char **n = realloc(r->names, cap * sizeof *n);
        if (!n)
            return -1;
        r->names = n;
        r->cap = cap;
    }
    size_t len = strlen(name) + 1;
    if ((r->names[r->nnames] = malloc(len)) == NULL)
        return -1;
    memcpy(r->names[r->nnames++], name, len);
    return 0;
}

/* The whole 1-D float64 dataset obj, which must have n values, into x. */
static sim_status_t read_vector(reader_t *r, const char *obj, double *x, size_t n)
{
    if (H5Lexists(r->f, obj, H5P_DEFAULT) <= 0)
        SIM_FAIL(r->err, SIM_EINVAL, "%s: no dataset '%s' (an unfinished or foreign comparison file?)", r->path, obj);
    hid_t d = H5Dopen2(r->f, obj, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dim = 0;
    sim_status_t st = SIM_OK;
    if (s < 0 || H5Sget_simple_extent_ndims(s) != 1 || H5Sget_simple_extent_dims(s, &dim, NULL) < 0 || dim != n)
        st = sim_fail(r->err, SIM_EINVAL, "%s: dataset '%s' should have %zu values", r->path, obj, n);
    else if (H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0)
        st = h5out_fail(r->err, r->path, "cannot read dataset '%s'", obj);
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    return st;
}

/* /time, malloc'd into *time. */
static sim_status_t read_time(reader_t *r, double **time, size_t *ntimes)
{
    hid_t d = H5Lexists(r->f, "/time", H5P_DEFAULT) > 0 ? H5Dopen2(r->f, "/time", H5P_DEFAULT) : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dim = 0;
    int ok = s >= 0 && H5Sget_simple_extent_ndims(s) == 1 && H5Sget_simple_extent_dims(s, &dim, NULL) >= 0 && dim > 0;
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    if (!ok)
        SIM_FAIL(r->err, SIM_EINVAL, "%s: no dataset '/time' of recorded days", r->path);
    if ((*time = malloc((size_t)dim * sizeof **time)) == NULL)
        SIM_FAIL(r->err, SIM_ENOMEM, "%s: out of memory", r->path);
    *ntimes = (size_t)dim;
    return read_vector(r, "/time", *time, *ntimes);
}

static void print_header(hid_t f, const char *path, FILE *out)
{
    static const summary_field_t field[] = {
        {"base", "base_scenario_name", 0}, {"proposal", "scenario_name", 0}, {"paired runs", "runs", 1},
        {"seed", "seed", 1},               {"days", "days", 1},              {"start_date", "start_date", 0},
        {"tokensim_version", "tokensim_version", 0}, {"created_utc", "created_utc", 0},
    };
    summary_header_print(f, "tokensim comparison", path, field, sizeof field / sizeof field[0], out);
    fputs("  (replication k of both arms draws from the same random streams: the differences are paired)\n\n",
          out);
}

sim_status_t compare_summary_print(hid_t file, const char *path, const summary_opts_t *opts, FILE *out,
                                   sim_error_t *err)
{
    reader_t r = {.f = file, .path = path, .err = err};
    double *time = NULL, *data = NULL;
    size_t ntimes = 0, *pick = NULL, npick = 0, *tidx = NULL, nt = 0;
    const char **units = NULL, **names = NULL;
    char (*unit_text)[64] = NULL;
    sim_status_t st = SIM_OK;
    if (H5Lexists(file, "/compare", H5P_DEFAULT) <= 0) {
        st = sim_fail(err, SIM_EINVAL, "%s: a comparison file without its /compare group (unfinished or foreign?)",
                      path);
        goto done;
    }
    hid_t g = H5Gopen2(file, "/compare", H5P_DEFAULT);
    hsize_t at = 0;
    herr_t e = g >= 0 ? H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &at, collect, &r) : -1;
    if (g >= 0)
        H5Gclose(g);
    if (e < 0) {
        st = sim_fail(err, SIM_EIO, "%s: cannot list group '/compare'", path);
        goto done;
    }
    st = read_time(&r, &time, &ntimes);
    if (st == SIM_OK)
        st = summary_select_metrics(path, opts, (const char *const *)r.names, r.nnames, compare_headline,
                                    compare_nheadline, "in /compare", &pick, &npick, err);
    if (st == SIM_OK)
        st = summary_select_times(path, opts, time, ntimes, NULL, 0, &tidx, &nt, err);
    if (st != SIM_OK)
        goto done;
    data = malloc((npick ? npick : 1) * NSTATS * ntimes * sizeof *data);
    units = malloc((npick ? npick : 1) * sizeof *units);
    names = malloc((npick ? npick : 1) * sizeof *names);
    unit_text = malloc((npick ? npick : 1) * sizeof *unit_text);
    if (!data || !units || !names || !unit_text) {
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    /* the selected metrics side by side: stat s of metric m at data[(s npick + m) ntimes] */
    for (size_t m = 0; m < npick && st == SIM_OK; m++) {
        char obj[512];
        names[m] = r.names[pick[m]];
        for (size_t s = 0; s < NSTATS && st == SIM_OK; s++) {
            snprintf(obj, sizeof obj, "/compare/%s/%s", names[m], stat_name[s]);
            st = read_vector(&r, obj, data + (s * npick + m) * ntimes, ntimes);
        }
        snprintf(obj, sizeof obj, "/compare/%s/diff_mean", names[m]);
        if (st == SIM_OK && h5util_read_text_attr(file, obj, "units", unit_text[m], sizeof unit_text[m]) != 0)
            snprintf(unit_text[m], sizeof unit_text[m], "?");
        units[m] = unit_text[m];
    }
    if (st != SIM_OK)
        goto done;
    const double *col[NSTATS];
    for (size_t s = 0; s < NSTATS; s++)
        col[s] = data + s * npick * ntimes;
    compare_file_t c = {
        .path = path, .ntimes = ntimes, .time = time, .nmetrics = npick, .names = names, .units = units,
        .descriptions = units, .base_mean = col[0], .base_sd = col[1], .prop_mean = col[2], .prop_sd = col[3],
        .diff_mean = col[4], .diff_sd = col[5], .ci_low = col[6], .ci_high = col[7], .var_ratio = col[8],
    };
    size_t *all = malloc((npick ? npick : 1) * sizeof *all);
    if (!all) {
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    for (size_t m = 0; m < npick; m++)
        all[m] = m;
    print_header(file, path, out);
    if (npick == 0)
        fprintf(out, "(none of the key metrics in /compare)\n");
    else if (compare_table_print(&c, all, npick, tidx, nt, out) != 0)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
    free(all);
    if (st == SIM_OK && (fflush(out) != 0 || ferror(out)))
        st = sim_fail(err, SIM_EIO, "%s: cannot write the summary: %s", path, strerror(errno));
done:
    for (size_t i = 0; i < r.nnames; i++)
        free(r.names[i]);
    free(r.names);
    free(time);
    free(data);
    free(units);
    free(names);
    free(unit_text);
    free(pick);
    free(tidx);
    return st;
}
