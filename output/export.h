/*
 * A result file's series as tidy CSV (`tokensim export`, docs/output.md,
 * "Export to CSV"): one row per value, one column per variable, so that a
 * spreadsheet, pandas or R reads it as it is. Three tables:
 *
 *   runs     [<dim>,<dim>_label,]run,date,day,metric,units,value
 *            one row per (point,) run x recorded day x metric;
 *   summary  [<dim>,<dim>_label,]date,day,metric,units,mean,sd,p05,p25,p50,p75,p95
 *            one row per (point,) recorded day x metric (/summary's statistics);
 *   compare  date,day,metric,units,base_mean,proposal_mean,diff_mean,diff_ci_low,diff_ci_high
 *            one row per recorded day x metric (a comparison's /compare).
 *
 * <dim> is the points dimension of a comparison or sweep (`arm`, `point`:
 * its index, and its label). Dates are ISO (YYYY-MM-DD), start_date + day.
 * Rows come metric by metric (in the order asked, else the group's: creation
 * order where the group keeps it, /runs and /summary, else by name), then
 * point, run and day: each /runs dataset is read once, a chunk row of
 * runs at a time, so memory does not grow with the runs.
 */
#ifndef OUTPUT_EXPORT_H
#define OUTPUT_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef enum { EXPORT_RUNS, EXPORT_SUMMARY, EXPORT_COMPARE } export_group_t;

typedef struct {
    export_group_t group;
    const char *const *metrics;     /* [nmetrics] metric names; NULL or 0: every metric */
    size_t nmetrics;
    const char *out_name;           /* the output's name in messages; NULL: "standard output" */
} export_opts_t;

/* The group named by `name` ("runs", "summary" or "compare", the --group
 * value) into *out; SIM_EINVAL naming it and the choices otherwise. */
sim_status_t export_group_parse(const char *name, export_group_t *out, sim_error_t *err);

/* Write the CSV table of opts->group of the result file `file` to out.
 * Everything the table needs is checked before its first byte: a file that
 * is not a tokensim result, a group the file lacks (/compare of a run file)
 * or an unknown metric (with the nearest name) is SIM_EINVAL, naming the
 * file, and out gets nothing. A read or write failure on the way is
 * SIM_EIO; out then holds part of the table (the caller discards it). */
sim_status_t export_csv(const char *file, const export_opts_t *opts, FILE *out, sim_error_t *err);

#endif
