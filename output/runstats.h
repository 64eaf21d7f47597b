/*
 * One statistic per run of a /runs/<metric> dataset over a window of recorded
 * days (a median, a sum, a yearly rate, a value on a day), for the tables that
 * `tokensim summary` prints after its horizons: calibration targets, issuance
 * against burns. Reads one run's window at a time: memory is runs + window.
 */
#ifndef OUTPUT_RUNSTATS_H
#define OUTPUT_RUNSTATS_H

#include <stddef.h>

#include <hdf5.h>

typedef enum { RUNSTAT_MEDIAN, RUNSTAT_SUM, RUNSTAT_MEAN, RUNSTAT_MEAN_YEAR, RUNSTAT_AT, RUNSTAT_MAX, RUNSTAT_MIN } runstat_t;

typedef struct {
    hid_t file;
    size_t runs;
    size_t ntimes;
    double *time;       /* [ntimes] days */
    double *row;        /* scratch [ntimes] */
} runstats_t;

/* Open `path` read-only and read its dimensions; 0, or -1 (not the result of a
 * run: /runs/supply_total must be [runs, times]). */
int runstats_open(runstats_t *rs, const char *path);
void runstats_close(runstats_t *rs);

/* The last recorded day. */
double runstats_horizon(const runstats_t *rs);

/* Fill vals[runs] with `stat` of /runs/<metric> over recorded days in [from, to].
 * -1 when the metric is absent or the window not recorded (every statistic
 * over days needs every day of it; RUNSTAT_AT reads the window's first day). */
int runstats_compute(runstats_t *rs, const char *metric, runstat_t stat, double from, double to,
                     double *vals);

#endif
