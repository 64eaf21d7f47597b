/* The metrics and times a summary shows; see summary_select.h. */
#include "summary_select.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const double horizons[] = {0, 30, 90, 365, 730, 1825, 3650};
#define NHORIZONS (sizeof horizons / sizeof horizons[0])

/* How many nearest names an unknown one is answered with. */
#define NEAREST 3

static size_t find(const char *name, const char *const *avail, size_t navail)
{
    for (size_t i = 0; i < navail; i++)
        if (strcmp(name, avail[i]) == 0)
            return i;
    return SIZE_MAX;
}

/* SIM_EINVAL for an unknown name, with the (up to NEAREST) nearest of avail:
 * first the names that contain it ("bonded": bonded_akt, bonded_ratio), the
 * shortest first, then by edit distance. */
static sim_status_t unknown_metric(const char *path, const char *name, const char *const *avail, size_t navail,
                                   const char *scope, sim_error_t *err)
{
    size_t best[NEAREST], rank[NEAREST], nbest = 0, len = strlen(name);
    int near[NEAREST];
    for (size_t i = 0; i < navail; i++) {
        size_t d = text_edit_distance(name, len, avail[i], strlen(avail[i]));
        int contains = len > 0 && strstr(avail[i], name) != NULL;
        if (d == SIZE_MAX)
            continue;
        size_t r = contains ? strlen(avail[i]) - len : TEXT_EDIT_MAX + 1 + d;
        size_t at = nbest < NEAREST ? nbest++ : NEAREST;   /* insertion sort, best first */
        while (at > 0 && rank[at - 1] > r) {
            if (at < NEAREST) {
                best[at] = best[at - 1];
                rank[at] = rank[at - 1];
                near[at] = near[at - 1];
            }
            at--;
        }
        if (at < NEAREST) {
            best[at] = i;
            rank[at] = r;
            near[at] = contains || text_near(len, d);
        }
    }
    char shown[TEXT_SHOW_MAX + 8], list[3 * 80] = "";
    text_show(name, shown, sizeof shown);
    int any_near = nbest > 0 && near[0];
    size_t shown_n = 0;     /* the near ones, or else the nearest */
    while (shown_n < nbest && (!any_near || near[shown_n]))
        shown_n++;
    for (size_t k = 0, o = 0; k < shown_n && o < sizeof list; k++) {
        const char *sep = k == 0 ? "" : k + 1 == shown_n ? (any_near ? " or " : " and ") : ", ";
        int w = snprintf(list + o, sizeof list - o, "%s'%s'", sep, avail[best[k]]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (nbest == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no metric '%s' %s (it has none)", path, shown, scope);
    if (any_near)
        SIM_FAIL(err, SIM_EINVAL, "%s: no metric '%s' %s (did you mean %s?)", path, shown, scope, list);
    SIM_FAIL(err, SIM_EINVAL, "%s: no metric '%s' %s; the nearest names: %s (docs/output.md, \"Metrics\", lists "
             "them all)", path, shown, scope, list);
}

sim_status_t summary_select_metrics(const char *path, const summary_opts_t *opts, const char *const *avail,
                                    size_t navail, const char *const *defaults, size_t ndefaults,
                                    const char *scope, size_t **idx, size_t *n, sim_error_t *err)
{
    *n = 0;
    size_t want = opts && opts->nmetrics > 0 ? opts->nmetrics : defaults ? ndefaults : navail;
    *idx = malloc((want ? want : 1) * sizeof **idx);
    if (!*idx)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    for (size_t k = 0; k < want; k++) {
        size_t i;
        if (opts && opts->nmetrics > 0) {
            i = find(opts->metrics[k], avail, navail);
            if (i == SIZE_MAX) {
                free(*idx);
                *idx = NULL;
                return unknown_metric(path, opts->metrics[k], avail, navail, scope, err);
            }
        } else {
            i = defaults ? find(defaults[k], avail, navail) : k;
            if (i == SIZE_MAX)
                continue;
        }
        int seen = 0;
        for (size_t j = 0; j < *n; j++)
            seen |= (*idx)[j] == i;
        if (!seen)
            (*idx)[(*n)++] = i;
    }
    return SIM_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The last index whose time is <= day (time increasing, time[0] <= day). */
static size_t at_or_before(const double *time, size_t ntimes, double day)
{
    size_t i = 0;
    while (i + 1 < ntimes && time[i + 1] <= day)
        i++;
    return i;
}

sim_status_t summary_select_times(const char *path, const summary_opts_t *opts, const double *time, size_t ntimes,
                                  const double *extra, size_t nextra, size_t **idx, size_t *n, sim_error_t *err)
{
    *n = 0;
    *idx = NULL;
    if (ntimes == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: no recorded times", path);
    int asked = opts && opts->nat > 0;
    size_t cap = asked ? opts->nat : NHORIZONS + 1 + nextra;
    size_t *x = malloc(cap * sizeof *x);
    if (!x)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", path);
    double last = time[ntimes - 1];
    size_t m = 0;
    if (asked) {
        for (size_t k = 0; k < opts->nat; k++) {
            double day = opts->at_days[k];
            if (!isfinite(day) || day < time[0]) {
                free(x);
                SIM_FAIL(err, SIM_EINVAL, "%s: day %g: days count from %g, the first recorded day", path, day,
                         time[0]);
            }
            if (day > last) {
                free(x);
                SIM_FAIL(err, SIM_EINVAL, "%s: day %g is past the file's last recorded day, %g", path, day, last);
            }
            x[m++] = at_or_before(time, ntimes, day);
        }
    } else {
        for (size_t h = 0; h < NHORIZONS && horizons[h] <= last; h++)
            if (horizons[h] >= time[0])
                x[m++] = at_or_before(time, ntimes, horizons[h]);
        for (size_t h = 0; h < nextra; h++)
            if (extra[h] >= time[0] && extra[h] <= last)
                x[m++] = at_or_before(time, ntimes, extra[h]);
        x[m++] = ntimes - 1;
    }
    qsort(x, m, sizeof *x, cmp_size);
    for (size_t k = 0; k < m; k++)
        if (*n == 0 || x[*n - 1] != x[k])
            x[(*n)++] = x[k];
    *idx = x;
    return SIM_OK;
}
