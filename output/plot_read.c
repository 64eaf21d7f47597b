/* Reading what the charts draw; see plot_read.h. */
#include "plot_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "dates.h"
#include "h5util.h"

int plot_read_vector(hid_t f, const char *obj, double *x, size_t n)
{
    if (H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t s = H5Dget_space(d);
    hsize_t dim = 0;
    int rc = s >= 0 && H5Sget_simple_extent_ndims(s) == 1 && H5Sget_simple_extent_dims(s, &dim, NULL) >= 0 &&
                     dim == n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0 ? 0 : -1;
    if (s >= 0) H5Sclose(s);
    H5Dclose(d);
    return rc;
}

double *plot_read_matrix(hid_t f, const char *obj, size_t n, size_t *rows)
{
    *rows = 0;
    if (H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    if (d < 0)
        return NULL;
    hid_t s = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    double *x = NULL;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 2 && H5Sget_simple_extent_dims(s, dims, NULL) >= 0 &&
        dims[0] > 0 && dims[1] == n && (x = malloc((size_t)(dims[0] * dims[1]) * sizeof *x)) &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0) {
        free(x);
        x = NULL;
    }
    if (s >= 0) H5Sclose(s);
    H5Dclose(d);
    if (x)
        *rows = (size_t)dims[0];
    return x;
}

sim_status_t plot_file_read(hid_t f, const char *h5path, plot_file_t *pf, sim_error_t *err)
{
    memset(pf, 0, sizeof *pf);
    char start[32] = "1970-01-01";
    h5util_read_text_attr(f, "/", "start_date", start, sizeof start);
    h5util_read_text_attr(f, "/", "scenario_name", pf->name, sizeof pf->name);
    pf->day0 = params_date_to_days(start);
    hid_t d = H5Lexists(f, "/time", H5P_DEFAULT) > 0 ? H5Dopen2(f, "/time", H5P_DEFAULT) : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t nt = 0;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 1)
        H5Sget_simple_extent_dims(s, &nt, NULL);
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    pf->nt = (size_t)nt;
    pf->time = nt ? malloc(pf->nt * sizeof *pf->time) : NULL;
    if (!pf->time || pf->day0 < 0 || plot_read_vector(f, "/time", pf->time, pf->nt) != 0) {
        plot_file_free(pf);
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: no /time in this file (not a tokensim result?)", h5path);
    }
    return SIM_OK;
}

void plot_file_free(plot_file_t *pf)
{
    free(pf->time);
    pf->time = NULL;
    pf->nt = 0;
}

void plot_file_date(const plot_file_t *pf, size_t i, char buf[16])
{
    chart_date(pf->day0 + (long)pf->time[i], buf);
}

void plot_metric_units(hid_t f, const char *metric, char *buf, size_t len)
{
    char obj[300];
    snprintf(obj, sizeof obj, "/summary/%s/p50", metric);
    h5util_read_text_attr(f, obj, "units", buf, len);
}

void plot_point_label(hid_t f, const char *dim, size_t k, size_t npoints, char *buf, size_t len)
{
    snprintf(buf, len, "point %zu", k);
    char obj[64];
    snprintf(obj, sizeof obj, "/%s", dim);
    char **all = calloc(npoints, sizeof *all);
    size_t n = all && H5Lexists(f, obj, H5P_DEFAULT) > 0 ? h5util_read_strings(f, obj, "labels", all, npoints) : 0;
    if (k < n)
        snprintf(buf, len, "%s", all[k]);
    for (size_t i = 0; i < n; i++)
        free(all[i]);
    free(all);
}
