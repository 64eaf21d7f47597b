/* The /sweep and /sensitivity groups; see sweep_file.h. */
#include "sweep_file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5out.h"
#include "h5util.h"
#include "metric_table.h"
#include "rng.h"
#include "sensitivity.h"
#include "sweep.h"


/* A numeric attribute: n values (n == 0: a scalar) of file type ftype from memory type mtype. */
static int number_attr(hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *values, size_t n)
{
    hsize_t dim = n;
    hid_t s = n ? H5Screate_simple(1, &dim, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = s >= 0 ? H5Acreate2(obj, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int ok = a >= 0 && H5Awrite(a, mtype, values) >= 0;
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return ok ? 0 : -1;
}

static int int_attr(hid_t obj, const char *name, size_t value)
{
    int64_t v = (int64_t)value;
    return number_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v, 0);
}

/* float64 [rows, cols] (cols 0: [rows]) with units and description. */
static int write_matrix(hid_t g, const char *name, size_t rows, size_t cols, const double *data,
                        const char *units, const char *description)
{
    hsize_t dims[2] = {rows, cols};
    hid_t s = H5Screate_simple(cols ? 2 : 1, dims, NULL);
    hid_t d = s >= 0 ? h5util_dataset(g, name, H5T_IEEE_F64LE, s) : -1;
    int ok = d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0 &&
             h5util_text_attr(d, "units", units) == 0 && h5util_text_attr(d, "description", description) == 0;
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    return ok ? 0 : -1;
}

/* The mode, the design's numbers, the outputs and horizons: attributes of /sweep. */
static int design_attrs(hid_t g, hid_t points, const sweep_file_t *sw)
{
    const params_t *p = sw->params;
    const params_sweep_t *d = &p->sweep;
    int metrics[PARAMS_MAX_SWEEP_OUTPUTS];
    const char *names[PARAMS_MAX_SWEEP_OUTPUTS];
    int64_t days[PARAMS_MAX_SWEEP_HORIZONS];
    size_t nm = sweep_outputs(p, metrics), nh = sweep_horizons(p, days);
    for (size_t i = 0; i < nm; i++)
        names[i] = metric_table[metrics[i]].name;
    int ok = h5util_text_attr(g, "mode", sweep_mode_name(d->mode)) == 0 &&
             h5util_strings_attr(g, "outputs", names, nm) == 0 &&
             number_attr(g, "horizons_days", H5T_STD_I64LE, H5T_NATIVE_INT64, days, nh) == 0;
    if (ok && (d->mode == SWEEP_LHS || d->mode == SWEEP_SOBOL))
        ok = int_attr(g, "points", d->npoints) == 0;
    if (ok && d->mode == SWEEP_MORRIS)
        ok = int_attr(g, "trajectories", d->trajectories) == 0 && int_attr(g, "levels", d->levels) == 0;
    if (ok && d->mode == SWEEP_SALTELLI)
        ok = int_attr(g, "samples", d->samples) == 0;
    if (ok && sweep_mode_ranged(d->mode))
        ok = number_attr(points, "min", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, d->lo, d->nparams) == 0 &&
             number_attr(points, "max", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, d->hi, d->nparams) == 0;
    return ok ? 0 : -1;
}

/* ---- /sensitivity ------------------------------------------------------- */

typedef struct {
    const sweep_file_t *sw;
    hid_t file;
    sim_error_t *err;
    size_t ntimes;
    double *time;               /* [ntimes] */
    size_t nh;
    size_t tidx[PARAMS_MAX_SWEEP_HORIZONS];     /* time index of each horizon */
    double *y;                  /* [npoints]: one metric's means at one time */
    hid_t horizon, param;       /* the dimension scales /sensitivity/horizon, /sweep/param */
} sens_t;

/* /time, and each horizon's recorded day: the last <= it (each once). */
static sim_status_t horizon_times(sens_t *s)
{
    hid_t d = H5Dopen2(s->file, "/time", H5P_DEFAULT);
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t n = 0;
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 && H5Sget_simple_extent_dims(sp, &n, NULL) >= 0 && n > 0;
    s->time = ok ? malloc((size_t)n * sizeof *s->time) : NULL;
    ok = ok && s->time && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, s->time) >= 0;
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (!ok)
        return h5out_fail(s->err, s->sw->path, "cannot read /time for the sensitivity analysis");
    s->ntimes = (size_t)n;
    int64_t days[PARAMS_MAX_SWEEP_HORIZONS];
    size_t nh = sweep_horizons(s->sw->params, days);
    s->nh = 0;
    for (size_t h = 0; h < nh; h++) {
        size_t i = 0;
        for (size_t t = 0; t < s->ntimes; t++)
            if (s->time[t] <= (double)days[h])
                i = t;
        if (s->nh == 0 || s->tidx[s->nh - 1] != i)
            s->tidx[s->nh++] = i;
    }
    return SIM_OK;
}

/* y[points] = /summary/<metric>/mean[:, t]. */
static sim_status_t read_means(sens_t *s, const char *metric, size_t t)
{
    char obj[256];
    snprintf(obj, sizeof obj, "/summary/%s/mean", metric);
    size_t np = s->sw->npoints;
    hid_t d = H5Dopen2(s->file, obj, H5P_DEFAULT);
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t start[2] = {0, t}, count[2] = {np, 1}, mdim = np;
    hid_t ms = H5Screate_simple(1, &mdim, NULL);
    int ok = fs >= 0 && ms >= 0 && H5Sget_simple_extent_ndims(fs) == 2 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, s->y) >= 0;
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    if (d >= 0) H5Dclose(d);
    if (!ok)
        return h5out_fail(s->err, s->sw->path, "cannot read %s [%zu points, time %zu]", obj, np, t);
    return SIM_OK;
}

/* /sensitivity/<metric>: the indices at every horizon. */
static sim_status_t metric_indices(sens_t *s, hid_t group, int metric, double *work)
{
    const params_t *p = s->sw->params;
    const params_sweep_t *d = &p->sweep;
    const char *name = metric_table[metric].name, *unit = metric_table[metric].unit;
    size_t k = d->nparams, nh = s->nh;
    int morris = d->mode == SWEEP_MORRIS;
    /* work: four [nh, k] matrices, then variance [nh] */
    double *m0 = work, *m1 = m0 + nh * k, *m2 = m1 + nh * k, *m3 = m2 + nh * k, *var = m3 + nh * k;
    sensitivity_morris_t mo[PARAMS_MAX_SWEEP];
    sensitivity_sobol_t so[PARAMS_MAX_SWEEP];
    sim_status_t st = SIM_OK;
    sim_error_t local;          /* the estimator's message, then given this file's context */
    sim_error_clear(&local);
    for (size_t h = 0; h < nh && st == SIM_OK; h++) {
        st = read_means(s, name, s->tidx[h]);
        if (st != SIM_OK)
            break;
        gsl_rng *r = rng_stream_alloc((uint64_t)p->seed, (uint64_t)metric, (uint64_t)s->tidx[h], RNG_SENSITIVITY);
        if (!r)
            return sim_fail(s->err, SIM_ENOMEM, "%s: out of memory", s->sw->path);
        if (morris)
            st = sensitivity_morris(s->sw->values, s->y, d->lo, d->hi, k, d->trajectories, SENSITIVITY_RESAMPLES,
                                    mo, r, &local);
        else
            st = sensitivity_sobol(s->y, k, d->samples, SENSITIVITY_RESAMPLES, so, &var[h], r, &local);
        gsl_rng_free(r);
        for (size_t j = 0; j < k && st == SIM_OK; j++) {
            size_t c = h * k + j;
            m0[c] = morris ? mo[j].mu_star : so[j].s1;
            m1[c] = morris ? mo[j].mu_star_ci : so[j].s1_ci;
            m2[c] = morris ? mo[j].mu : so[j].st;
            m3[c] = morris ? mo[j].sigma : so[j].st_ci;
        }
    }
    if (st != SIM_OK)
        return local.code != SIM_OK ? sim_fail(s->err, st, "%s: sensitivity of %s: %s", s->sw->path, name, local.msg)
                                    : st;
    hid_t g = h5util_group(group, name);
    char sq[128];
    snprintf(sq, sizeof sq, "(%s)^2", unit);
    int ok = g >= 0;
    if (ok && morris)
        ok = write_matrix(g, "mu_star", nh, k, m0, unit, "mean |elementary effect| across trajectories: the change "
                          "of the metric's mean when the parameter moves across its whole range [horizon, param]") == 0 &&
             write_matrix(g, "mu_star_ci", nh, k, m1, unit, "half-width of mu_star's 95 % interval (1.96 x "
                          "bootstrap sd over trajectories)") == 0 &&
             write_matrix(g, "mu", nh, k, m2, unit, "mean elementary effect (signed)") == 0 &&
             write_matrix(g, "sigma", nh, k, m3, unit, "sample sd of the elementary effects (interactions, "
                          "non-linearity)") == 0;
    else if (ok)
        ok = write_matrix(g, "S1", nh, k, m0, "fraction", "first-order Sobol index (Saltelli 2010) [horizon, "
                          "param]") == 0 &&
             write_matrix(g, "S1_ci", nh, k, m1, "fraction", "half-width of S1's 95 % interval (1.96 x bootstrap "
                          "sd over samples)") == 0 &&
             write_matrix(g, "ST", nh, k, m2, "fraction", "total Sobol index (Jansen 1999) [horizon, param]") == 0 &&
             write_matrix(g, "ST_ci", nh, k, m3, "fraction", "half-width of ST's 95 % interval (1.96 x bootstrap "
                          "sd over samples)") == 0 &&
             write_matrix(g, "variance", nh, 0, var, sq, "variance of the metric's mean over the A and B "
                          "samples [horizon]") == 0;
    /* the scales linked in, so that xarray shows them opening this group */
    ok = ok && h5util_link(g, "/sensitivity/horizon", "horizon") == 0 && h5util_link(g, "/sweep/param", "param") == 0;
    static const char *const morris_sets[] = {"mu_star", "mu_star_ci", "mu", "sigma"};
    static const char *const sobol_sets[] = {"S1", "S1_ci", "ST", "ST_ci", "variance"};
    const char *const *sets = morris ? morris_sets : sobol_sets;
    size_t nsets = morris ? 4 : 5;
    for (size_t i = 0; i < nsets && ok; i++) {
        int matrix = strcmp(sets[i], "variance") != 0;
        ok = h5util_attach(g, sets[i], s->horizon, 0, "horizon") == 0 &&
             (!matrix || h5util_attach(g, sets[i], s->param, 1, "param") == 0);
    }
    if (g >= 0)
        H5Gclose(g);
    if (!ok)
        return h5out_fail(s->err, s->sw->path, "cannot write /sensitivity/%s", name);
    return SIM_OK;
}

/* /sensitivity/horizon float64 [horizons]: the recorded day used for each
 * horizon, the dimension scale of the indices' first dimension, with /time's
 * CF units and calendar (xarray decodes it to dates). Open; < 0 on failure. */
static hid_t horizon_scale(hid_t file, hid_t g, const double *days, size_t nh)
{
    static const char *const cf[] = {"units", "calendar"};
    hsize_t dim = nh;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t d = sp >= 0 ? h5util_dataset(g, "horizon", H5T_IEEE_F64LE, sp) : -1;
    hid_t time = d >= 0 ? H5Dopen2(file, "/time", H5P_DEFAULT) : -1;
    int ok = time >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, days) >= 0 &&
             h5util_copy_text_attrs(time, d, cf, 2) == 0 &&
             h5util_text_attr(d, "description", "the recorded day used for each horizon of the sweep "
                              "(the last recorded day at or before it), in days since start_date") == 0 &&
             H5DSset_scale(d, "horizon") >= 0;
    if (time >= 0) H5Dclose(time);
    if (sp >= 0) H5Sclose(sp);
    if (!ok && d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

static sim_status_t write_sensitivity(hid_t file, const sweep_file_t *sw, sim_error_t *err)
{
    const params_t *p = sw->params;
    size_t k = p->sweep.nparams;
    sens_t s = {.sw = sw, .file = file, .err = err};
    sim_status_t st = horizon_times(&s);
    s.y = st == SIM_OK ? malloc(sw->npoints * sizeof *s.y) : NULL;
    double *work = st == SIM_OK ? malloc((4 * k + 1) * s.nh * sizeof *work) : NULL;
    if (st == SIM_OK && (!s.y || !work))
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory for the sensitivity analysis", sw->path);
    hid_t g = st == SIM_OK ? h5util_group(file, "sensitivity") : -1;
    s.horizon = s.param = -1;
    if (st == SIM_OK) {
        int metrics[PARAMS_MAX_SWEEP_OUTPUTS];
        const char *names[PARAMS_MAX_SWEEP_OUTPUTS];
        double days[PARAMS_MAX_SWEEP_HORIZONS];
        size_t nm = sweep_outputs(p, metrics);
        for (size_t i = 0; i < nm; i++)
            names[i] = metric_table[metrics[i]].name;
        for (size_t h = 0; h < s.nh; h++)
            days[h] = s.time[s.tidx[h]];
        int64_t resamples = SENSITIVITY_RESAMPLES;
        int morris = p->sweep.mode == SWEEP_MORRIS;
        if (g >= 0) {
            s.horizon = horizon_scale(file, g, days, s.nh);
            s.param = h5util_link(g, "/sweep/param", "param") == 0 ? H5Dopen2(g, "param", H5P_DEFAULT) : -1;
        }
        int ok = s.horizon >= 0 && s.param >= 0 && h5util_text_attr(g, "method", morris ? "morris" : "sobol") == 0 &&
                 h5util_strings_attr(g, "params", sw->names, k) == 0 &&
                 h5util_strings_attr(g, "units", sw->units, k) == 0 &&
                 h5util_strings_attr(g, "outputs", names, nm) == 0 &&
                 number_attr(g, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, days, s.nh) == 0 &&
                 number_attr(g, "resamples", H5T_STD_I64LE, H5T_NATIVE_INT64, &resamples, 0) == 0 &&
                 h5util_text_attr(g, "confidence", "95 % half-widths: 1.96 x the sd of the estimate over bootstrap "
                             "resamples") == 0;
        if (!ok)
            st = h5out_fail(err, sw->path, "cannot write /sensitivity");
        for (size_t i = 0; i < nm && st == SIM_OK; i++)
            st = metric_indices(&s, g, metrics[i], work);
    }
    if (s.horizon >= 0)
        H5Dclose(s.horizon);
    if (s.param >= 0)
        H5Dclose(s.param);
    if (g >= 0)
        H5Gclose(g);
    free(work);
    free(s.y);
    free(s.time);
    return st;
}

/* ---- /sweep's coordinates --------------------------------------------- */

/* /sweep/point: the file's scale /point linked in (a sweep has two points or
 * more: one point is run as a plain run). Open; < 0 on failure. */
static hid_t point_scale(hid_t g)
{
    return h5util_link(g, "/point", "point") == 0 ? H5Dopen2(g, "point", H5P_DEFAULT) : -1;
}

/* /sweep/param: the swept parameters' names, the scale of the parameter
 * dimension of /sweep/points (and of /sensitivity). Open; < 0 on failure. */
static hid_t param_scale(hid_t g, const sweep_file_t *sw)
{
    hid_t d = h5util_strings_dataset(g, "param", sw->names, sw->nparams);
    if (d >= 0 && (h5util_text_attr(d, "description", "the swept parameters (dotted names), in column order") != 0 ||
                   H5DSset_scale(d, "param") < 0)) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* /sweep/<param> float64 [point] for every swept parameter and /sweep/label
 * [point] (the points' labels, when /point has them): coordinates along
 * point, named in /sweep/points' attribute `coordinates` (netCDF's
 * convention, which xarray follows). The registry's dotted names hold no
 * space (the list's separator) and clash with none of /sweep's own. */
static int point_coords(hid_t f, hid_t g, hid_t point, hid_t points, const sweep_file_t *sw)
{
    size_t np = sw->npoints, len = sizeof "label";
    for (size_t j = 0; j < sw->nparams; j++)
        len += strlen(sw->names[j]) + 1;
    char *coords = malloc(len);
    double *col = malloc((np + 1) * sizeof *col);
    char **labels = calloc(np + 1, sizeof *labels);
    int ok = coords && col && labels;
    if (ok)
        coords[0] = '\0';
    if (ok && h5util_read_strings(f, "/point", "labels", labels, np) == np) {
        hid_t d = h5util_strings_dataset(g, "label", (const char *const *)labels, np);
        ok = d >= 0 && h5util_text_attr(d, "description", "each point's label: its swept parameters' values") == 0;
        if (d >= 0) H5Dclose(d);
        ok = ok && h5util_attach(g, "label", point, 0, "point") == 0;
        strcpy(coords, "label");
    }
    for (size_t j = 0; j < sw->nparams && ok; j++) {
        for (size_t p = 0; p < np; p++)
            col[p] = sw->values[p * sw->nparams + j];
        char desc[256];
        snprintf(desc, sizeof desc, "each point's value of %s (a choice as its index)", sw->names[j]);
        ok = write_matrix(g, sw->names[j], np, 0, col, sw->units[j], desc) == 0 &&
             h5util_attach(g, sw->names[j], point, 0, "point") == 0;
        if (coords[0])
            strcat(coords, " ");
        strcat(coords, sw->names[j]);
    }
    ok = ok && h5util_text_attr(points, "coordinates", coords) == 0;
    for (size_t p = 0; labels && p < np; p++)
        free(labels[p]);
    free(labels);
    free(col);
    free(coords);
    return ok ? 0 : -1;
}

sim_status_t sweep_file_append(const char *file_path, const sweep_file_t *sw, sim_error_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(file_path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return h5out_fail(err, sw->path, "cannot reopen the file to add /sweep");
    hid_t g = h5util_group(f, "sweep");
    hid_t point = g >= 0 ? point_scale(g) : -1;
    hid_t param = point >= 0 ? param_scale(g, sw) : -1;
    hsize_t dims[2] = {sw->npoints, sw->nparams};
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t d = param >= 0 && s >= 0 ? h5util_dataset(g, "points", H5T_IEEE_F64LE, s) : -1;
    int ok = d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sw->values) >= 0 &&
             h5util_strings_attr(d, "params", sw->names, sw->nparams) == 0 &&
             h5util_strings_attr(d, "units", sw->units, sw->nparams) == 0 &&
             (!sw->params || design_attrs(g, d, sw) == 0) &&
             H5DSattach_scale(d, point, 0) >= 0 && H5DSset_label(d, 0, "point") >= 0 &&
             H5DSattach_scale(d, param, 1) >= 0 && H5DSset_label(d, 1, "param") >= 0 &&
             point_coords(f, g, point, d, sw) == 0;
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    if (param >= 0) H5Dclose(param);
    if (point >= 0) H5Dclose(point);
    if (g >= 0) H5Gclose(g);
    sim_status_t st = ok ? SIM_OK : h5out_fail(err, sw->path, "cannot write /sweep/points");
    int mode = sw->params ? sw->params->sweep.mode : SWEEP_NONE;
    if (st == SIM_OK && (mode == SWEEP_MORRIS || mode == SWEEP_SALTELLI))
        st = write_sensitivity(f, sw, err);
    if (H5Fclose(f) < 0 && st == SIM_OK)
        st = h5out_fail(err, sw->path, "cannot close the file after adding /sweep");
    return st;
}
