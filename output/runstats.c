/* Per-run statistics of /runs datasets; see runstats.h. */
#include "runstats.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

int runstats_open(runstats_t *rs, const char *path)
{
    memset(rs, 0, sizeof *rs);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    rs->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (rs->file < 0)
        return -1;
    hid_t d = H5Dopen2(rs->file, "/time", H5P_DEFAULT);
    hid_t r = H5Dopen2(rs->file, "/runs/supply_total", H5P_DEFAULT);
    int rc = d >= 0 && r >= 0 ? 0 : -1;
    if (rc == 0) {
        hid_t s = H5Dget_space(d);
        hsize_t n = 0;
        H5Sget_simple_extent_dims(s, &n, NULL);
        H5Sclose(s);
        hid_t rsp = H5Dget_space(r);
        hsize_t dims[2] = {0, 0};
        /* [runs, times]: a sweep's or comparison's [points, runs, times] is not read here */
        if (H5Sget_simple_extent_ndims(rsp) != 2)
            rc = -1;
        else
            H5Sget_simple_extent_dims(rsp, dims, NULL);
        H5Sclose(rsp);
        rs->ntimes = (size_t)n;
        rs->runs = (size_t)dims[0];
        rs->time = malloc((n ? n : 1) * sizeof *rs->time);
        rs->row = malloc((n ? n : 1) * sizeof *rs->row);
        if (rc != 0 || !rs->time || !rs->row || n == 0 || rs->runs == 0 ||
            H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, rs->time) < 0)
            rc = -1;
    }
    if (d >= 0) H5Dclose(d);
    if (r >= 0) H5Dclose(r);
    if (rc != 0)
        runstats_close(rs);
    return rc;
}

void runstats_close(runstats_t *rs)
{
    free(rs->time);
    free(rs->row);
    if (rs->file >= 0)
        H5Fclose(rs->file);
    memset(rs, 0, sizeof *rs);
    rs->file = H5I_INVALID_HID;
}

double runstats_horizon(const runstats_t *rs)
{
    return rs->ntimes ? rs->time[rs->ntimes - 1] : 0.0;
}

int runstats_compute(runstats_t *rs, const char *metric, runstat_t stat, double from, double to,
                     double *vals)
{
    size_t a = rs->ntimes, b = 0;
    for (size_t i = 0; i < rs->ntimes; i++)
        if (rs->time[i] >= from && rs->time[i] <= to) {
            if (a == rs->ntimes) a = i;
            b = i;
        }
    if (a == rs->ntimes || runstats_horizon(rs) < to)
        return -1;
    /* a statistic over days needs every one of them recorded (a maximum could miss its day) */
    if (stat != RUNSTAT_AT && (double)(b - a) != to - from)
        return -1;
    char obj[128];
    snprintf(obj, sizeof obj, "/runs/%s", metric);
    if (H5Lexists(rs->file, obj, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(rs->file, obj, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t fs = H5Dget_space(d);
    size_t n = b - a + 1;
    hsize_t count[2] = {1, n};
    hid_t ms = H5Screate_simple(2, count, NULL);
    int rc = fs >= 0 && ms >= 0 ? 0 : -1;
    for (size_t r = 0; r < rs->runs && rc == 0; r++) {
        hsize_t start[2] = {r, a};
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, rs->row) < 0) {
            rc = -1;
            break;
        }
        double s = 0, hi = rs->row[0], lo = rs->row[0];
        for (size_t i = 0; i < n; i++) {
            s += rs->row[i];
            hi = rs->row[i] > hi ? rs->row[i] : hi;
            lo = rs->row[i] < lo ? rs->row[i] : lo;
        }
        switch (stat) {
        case RUNSTAT_MEDIAN:
            stats_sort(rs->row, n);
            vals[r] = stats_quantile_sorted(rs->row, n, 0.5);
            break;
        case RUNSTAT_SUM: vals[r] = s; break;
        case RUNSTAT_MEAN: vals[r] = s / (double)n; break;
        case RUNSTAT_MEAN_YEAR: vals[r] = s / (double)n * DAYS_PER_YEAR; break;
        case RUNSTAT_AT: vals[r] = rs->row[0]; break;
        case RUNSTAT_MAX: vals[r] = hi; break;
        case RUNSTAT_MIN: vals[r] = lo; break;
        }
    }
    if (ms >= 0) H5Sclose(ms);
    if (fs >= 0) H5Sclose(fs);
    H5Dclose(d);
    return rc;
}
