/* The comparison file and table; see compare_file.h. */
#include "compare_file.h"
#include "units.h"

#include "compare_table.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5out.h"
#include "h5util.h"


static int text_dataset(hid_t file, const char *name, const char *text)
{
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
    int ok = t >= 0 && s >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0;
    hid_t d = ok ? h5util_dataset(file, name, t, s) : -1;
    ok = d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) >= 0;
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return ok ? 0 : -1;
}

static int vector(hid_t loc, const char *name, const double *x, size_t n, const char *units, const char *desc)
{
    hsize_t dim = n;
    hid_t s = H5Screate_simple(1, &dim, NULL);
    hid_t d = s >= 0 ? h5util_dataset(loc, name, H5T_IEEE_F64LE, s) : -1;
    int ok = d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0 &&
             h5util_text_attr(d, "units", units) == 0 && h5util_text_attr(d, "description", desc) == 0;
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    return ok ? 0 : -1;
}

sim_status_t compare_file_append(const char *file_path, const compare_file_t *c, sim_error_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(file_path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return h5out_fail(err, c->path, "cannot reopen the file to add /compare");
    int bad = h5util_text_attr(f, "base_scenario_name", c->base_name) || text_dataset(f, "scenario_base", c->base_yaml);
    /* every series is along /time, the file's dimension scale, linked into
     * /compare and each /compare/<metric> so that xarray shows it there */
    hid_t time = bad ? -1 : H5Dopen2(f, "time", H5P_DEFAULT);
    hid_t g = time < 0 ? -1 : h5util_group(f, "compare");
    bad |= g < 0 || h5util_link(g, "/time", "time") != 0;
    const struct { const char *name, *what; int unitless; } stats[] = {
        {"base_mean", "mean across runs of the base arm's", 0}, {"base_sd", "sd across runs of the base arm's", 0},
        {"proposal_mean", "mean across runs of the proposal arm's", 0},
        {"proposal_sd", "sd across runs of the proposal arm's", 0},
        {"diff_mean", "mean paired difference (proposal - base, same random streams) of", 0},
        {"diff_sd", "sd of the paired differences of", 0},
        {"diff_ci_low", "lower end of the 95 % confidence interval of the mean paired difference of", 0},
        {"diff_ci_high", "upper end of the 95 % confidence interval of the mean paired difference of", 0},
        {"variance_ratio", "(var base + var proposal) / var of paired differences, the gain of pairing, of", 1},
    };
    const double *data[] = {c->base_mean, c->base_sd, c->prop_mean, c->prop_sd, c->diff_mean, c->diff_sd,
                            c->ci_low, c->ci_high, c->var_ratio};
    for (size_t m = 0; m < c->nmetrics && !bad; m++) {
        hid_t mg = h5util_group(g, c->names[m]);
        bad |= mg < 0 || h5util_link(mg, "/time", "time") != 0;
        for (size_t s = 0; s < sizeof stats / sizeof stats[0] && !bad; s++) {
            char desc[512];
            snprintf(desc, sizeof desc, "%s %s", stats[s].what, c->descriptions[m]);
            bad |= vector(mg, stats[s].name, data[s] + m * c->ntimes, c->ntimes,
                          stats[s].unitless ? "-" : c->units[m], desc) != 0
                   || h5util_attach(mg, stats[s].name, time, 0, "time") != 0;
        }
        if (mg >= 0)
            H5Gclose(mg);
    }
    if (g >= 0)
        H5Gclose(g);
    if (time >= 0)
        H5Dclose(time);
    if (H5Fclose(f) < 0)
        bad = 1;
    if (bad)
        return h5out_fail(err, c->path, "cannot write the comparison");
    return SIM_OK;
}

int compare_print_table(const compare_file_t *c, FILE *out)
{
    static const double years[] = {1, 2, 5};
    size_t metric[64], nm = 0, time_idx[3], nt = 0;
    for (size_t k = 0; k < compare_nheadline && nm < sizeof metric / sizeof metric[0]; k++)
        for (size_t m = 0; m < c->nmetrics; m++)
            if (strcmp(c->names[m], compare_headline[k]) == 0)
                metric[nm++] = m;
    for (size_t y = 0; y < 3 && c->ntimes > 0; y++) {
        double day = years[y] * DAYS_PER_YEAR;
        if (day > (double)c->days)
            day = (double)c->days;
        size_t i = 0;   /* the last recorded time at or before the horizon */
        while (i + 1 < c->ntimes && c->time[i + 1] <= day)
            i++;
        if (nt == 0 || time_idx[nt - 1] != i)
            time_idx[nt++] = i;
    }
    fprintf(out, "compare: %s (proposal) against %s (base), %zu paired runs, seed %llu\n\n", c->proposal_name,
            c->base_name, c->runs, (unsigned long long)c->seed);
    return compare_table_print(c, metric, nm, time_idx, nt, out);
}
