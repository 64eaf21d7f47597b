/* Observed data beside simulated values; see observed.h and data/observed/README.md. */
#include "observed.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvfile.h"
#include "h5util.h"
#include "metric_table.h"
#include "numfmt.h"
#include "params.h"
#include "runstats.h"
#include "stats.h"

#define OBSERVED_MAX_FILES 256

typedef enum { OBS_AT, OBS_MEAN, OBS_MEDIAN, OBS_SUM, OBS_MAX, OBS_MIN, OBS_RATIO, OBS_NSTATS } obs_stat_t;
static const char *const stat_names[OBS_NSTATS] = {"at", "mean", "median", "sum", "max", "min", "ratio"};
static const runstat_t stat_runstat[OBS_NSTATS] = {RUNSTAT_AT, RUNSTAT_MEAN, RUNSTAT_MEDIAN, RUNSTAT_SUM,
                                                   RUNSTAT_MAX, RUNSTAT_MIN, RUNSTAT_SUM};

typedef struct {
    runstats_t rs;
    long start;             /* the result file's start date, days since 1970 */
    double horizon;         /* its last recorded day */
    FILE *out;
    double *vals, *den;     /* one value a run */
    size_t printed;
    int markdown;
} observed_t;

static const char *const columns[] = {"quantity", "from", "to", "metric", "stat", "value", "low", "high",
                                      "source", NULL};
static const char *const optional_columns[] = {"note", NULL};

static int is_metric(const char *name)
{
    for (size_t m = 0; m < METRIC_COUNT; m++)
        if (strcmp(metric_table[m].name, name) == 0)
            return 1;
    return 0;
}

static void print_header(observed_t *o)
{
    if (o->markdown) {
        fprintf(o->out, "| observation | dates | observed [band] | simulated, median [p05, p95] | median in band | "
                        "observed in 5-95 %% | source |\n|---|---|---|---|---|---|---|\n");
        return;
    }
    fprintf(o->out, "\nobserved against simulated (observations inside the file's dates; simulated: median across "
                    "runs [p05, p95]; ok: the median is in the observation's band)\n");
    fprintf(o->out, "%-46s %-23s %-27s %-34s %-7s %-8s %s\n", "quantity", "dates", "observed [band]", "simulated",
            "median", "observed", "source");
    fprintf(o->out, "%-46s %-23s %-27s %-34s %-7s %-8s\n", "", "", "", "", "in band", "in 5-95%");
}

static sim_status_t on_row(const csv_row_t *row, void *ctx, sim_error_t *err)
{
    observed_t *o = ctx;
    long from, to;
    double value, low, high;
    sim_status_t st = SIM_OK;
    if ((st = csv_date(row, "from", &from, err)) != SIM_OK || (st = csv_date(row, "to", &to, err)) != SIM_OK ||
        (st = csv_real(row, "value", &value, err)) != SIM_OK || (st = csv_real(row, "low", &low, err)) != SIM_OK ||
        (st = csv_real(row, "high", &high, err)) != SIM_OK)
        return st;
    if (to < from)
        return csv_row_fail(row, err, "to (%s) is before from (%s)", csv_field(row, "to"), csv_field(row, "from"));
    if (!(low <= value && value <= high))
        return csv_row_fail(row, err, "the band [low, high] = [%g, %g] does not contain the value %g", low, high,
                            value);
    const char *sname = csv_field(row, "stat");
    int stat = -1;
    for (int k = 0; k < OBS_NSTATS; k++)
        if (strcmp(sname, stat_names[k]) == 0)
            stat = k;
    if (stat < 0)
        return csv_row_fail(row, err, "stat: expected at, mean, median, sum, max, min or ratio, got '%.40s'", sname);
    /* metric, or numerator/denominator for a ratio of sums */
    char num[96], den[96] = "";
    const char *metric = csv_field(row, "metric");
    const char *slash = strchr(metric, '/');
    if ((stat == OBS_RATIO) != (slash != NULL))
        return csv_row_fail(row, err, "metric '%.80s': a ratio is written numerator/denominator, other stats "
                            "name one metric", metric);
    snprintf(num, sizeof num, "%.*s", slash ? (int)(slash - metric) : (int)strlen(metric), metric);
    if (slash)
        snprintf(den, sizeof den, "%s", slash + 1);
    if (!is_metric(num) || (slash && !is_metric(den)))
        return csv_row_fail(row, err, "unknown metric '%.80s' (docs/output.md lists them)",
                            is_metric(num) ? den : num);
    if (stat == OBS_AT && from != to)
        return csv_row_fail(row, err, "stat at is a value on one day: give from = to");

    /* inside the file's dates? */
    double d0 = (double)(from - o->start), d1 = (double)(to - o->start);
    if (d0 < 0 || d1 > o->horizon)
        return SIM_OK;
    if (o->printed++ == 0)
        print_header(o);
    char sim[128] = "(not in this file)", obs[128], v[40], lo[40], hi[40], dates[40];
    const char *verdict = "", *inside = "";
    int ok = runstats_compute(&o->rs, num, stat_runstat[stat], d0, d1, o->vals) == 0;
    if (ok && stat == OBS_RATIO) {
        ok = runstats_compute(&o->rs, den, RUNSTAT_SUM, d0, d1, o->den) == 0;
        for (size_t r = 0; r < o->rs.runs && ok; r++) {
            if (o->den[r] == 0) {   /* a ratio of nothing */
                snprintf(sim, sizeof sim, "(undefined: %s sums to 0 in a run)", den);
                ok = 0;
                break;
            }
            o->vals[r] /= o->den[r];
        }
    }
    if (ok) {
        numfmt_band(o->vals, o->rs.runs, sim, sizeof sim);   /* sorts vals */
        size_t n = o->rs.runs;
        double med = stats_quantile_sorted(o->vals, n, 0.5);
        double p05 = stats_quantile_sorted(o->vals, n, 0.05), p95 = stats_quantile_sorted(o->vals, n, 0.95);
        verdict = med >= low && med <= high ? "ok" : "OUTSIDE";
        inside = value >= p05 && value <= p95 ? "yes" : "no";
    }
    numfmt_readable(value, v, sizeof v);
    numfmt_readable(low, lo, sizeof lo);
    numfmt_readable(high, hi, sizeof hi);
    snprintf(obs, sizeof obs, "%s [%s, %s]", v, lo, hi);
    if (from == to)
        snprintf(dates, sizeof dates, "%s", csv_field(row, "from"));
    else
        snprintf(dates, sizeof dates, "%s..%s", csv_field(row, "from"), csv_field(row, "to"));
    if (o->markdown)
        fprintf(o->out, "| %s | %s | %s | %s | %s | %s | %s |\n", csv_field(row, "quantity"), dates, obs, sim,
                verdict, inside, csv_field(row, "source"));
    else
        fprintf(o->out, "%-46.46s %-23s %-27s %-34s %-7s %-8s %s\n", csv_field(row, "quantity"), dates, obs, sim,
                verdict, inside, csv_field(row, "source"));
    return SIM_OK;
}

static sim_status_t read_table(observed_t *o, const char *file, sim_error_t *err)
{
    csv_spec_t spec = {.required = columns, .optional = optional_columns};
    return csvfile_read(file, &spec, on_row, o, err);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.csv of a directory, in name order. */
static sim_status_t read_dir(observed_t *o, const char *dir, sim_error_t *err)
{
    DIR *d = opendir(dir);
    if (!d)
        SIM_FAIL(err, SIM_EIO, "%s: cannot open the directory: %s", dir, strerror(errno));
    char *names[OBSERVED_MAX_FILES];
    size_t n = 0;
    sim_status_t st = SIM_OK;
    for (struct dirent *e; st == SIM_OK && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0 || e->d_name[0] == '.')
            continue;
        if (n == OBSERVED_MAX_FILES)
            st = sim_fail(err, SIM_EINVAL, "%s: more than %d tables", dir, OBSERVED_MAX_FILES);
        else if (!(names[n] = malloc(strlen(dir) + len + 2)))
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", dir);
        else
            sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t k = 0; k < n; k++) {
        if (st == SIM_OK)
            st = read_table(o, names[k], err);
        free(names[k]);
    }
    return st;
}

static sim_status_t read_source(observed_t *o, const char *src, sim_error_t *err)
{
    struct stat sb;
    if (stat(src, &sb) != 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: cannot read the observations: %s", src, strerror(errno));
    return S_ISDIR(sb.st_mode) ? read_dir(o, src, err) : read_table(o, src, err);
}

/* The shipped tables: beside an installed program (PREFIX/bin/tokensim reads
 * PREFIX/share/tokensim/data/observed, `make install`), else where it was
 * built (OBSERVED_DEFAULT_DIR). NULL when neither exists. */
static const char *default_dir(char *buf, size_t len)
{
    struct stat sb;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int k = snprintf(buf, len, "%s/../share/tokensim/data/observed", exe);
            if (k > 0 && (size_t)k < len && stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode))
                return buf;
        }
    }
    return stat(OBSERVED_DEFAULT_DIR, &sb) == 0 ? OBSERVED_DEFAULT_DIR : NULL;
}

sim_status_t observed_print(const char *path, const char *const *sources, size_t nsources, int markdown,
                            FILE *out, sim_error_t *err)
{
    char dir_buf[4200];
    const char *dir = nsources == 0 ? default_dir(dir_buf, sizeof dir_buf) : NULL;
    if (nsources == 0 && !dir)
        return SIM_OK;   /* an installation without the tables */
    observed_t o = {.out = out, .markdown = markdown};
    if (runstats_open(&o.rs, path) != 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: not the result of a run (/runs/supply_total is not [runs, times]): "
                 "observations are compared with a run's series", path);
    char date[PARAMS_DATE_MAX + 8];
    o.start = h5util_read_text_attr(o.rs.file, "/", "start_date", date, sizeof date) == 0
                  ? params_date_to_days(date) : -1;
    o.horizon = runstats_horizon(&o.rs);
    o.vals = malloc(o.rs.runs * sizeof *o.vals);
    o.den = malloc(o.rs.runs * sizeof *o.den);
    sim_status_t st = o.vals && o.den ? SIM_OK : sim_fail(err, SIM_ENOMEM, "%s: out of memory", path);
    if (st == SIM_OK && o.start < 0)
        st = sim_fail(err, SIM_EINVAL, "%s: no start_date attribute", path);
    if (nsources == 0 && st == SIM_OK)
        st = read_source(&o, dir, err);
    for (size_t k = 0; k < nsources && st == SIM_OK; k++)
        st = read_source(&o, sources[k], err);
    if (st == SIM_OK && o.printed == 0)
        fprintf(out, "\nobserved against simulated: no observation falls inside days 0-%.0f from %s\n",
                o.horizon, date);
    free(o.vals);
    free(o.den);
    runstats_close(&o.rs);
    return st;
}
