/* The observed price series: see pricefile.h. */
#include "pricefile.h"
#include "csvfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int price_series_push(price_series_t *s, int64_t day, double usd, char *msg, size_t msglen)
{
    if (!isfinite(usd) || usd <= 0) {
        snprintf(msg, msglen, "price %g is not a positive number of USD per AKT", usd);
        return -1;
    }
    if (s->npoints > 0 && day <= s->day[s->npoints - 1]) {
        char prev[PARAMS_DATE_MAX], here[PARAMS_DATE_MAX];
        params_days_to_date((long)s->day[s->npoints - 1], prev);
        params_days_to_date((long)day, here);
        snprintf(msg, msglen, "date %s is not after the previous point's %s (dates must increase strictly)", here,
                 prev);
        return -1;
    }
    if (s->npoints == PARAMS_MAX_PRICE_POINTS) {
        snprintf(msg, msglen, "more than %d price points (the most a series may have)", PARAMS_MAX_PRICE_POINTS);
        return -1;
    }
    s->day[s->npoints] = day;
    s->usd[s->npoints] = usd;
    s->npoints++;
    return 0;
}

static sim_status_t take_row(const csv_row_t *row, void *ctx, sim_error_t *err)
{
    price_series_t *s = ctx;
    long day;
    double usd;
    sim_status_t st = csv_date(row, "date", &day, err);
    if (st == SIM_OK)
        st = csv_real(row, "usd", &usd, err);
    if (st != SIM_OK)
        return st;
    const char *source = csv_field(row, "source");
    if (!source || !*source)
        return csv_row_fail(row, err, "source: no value given (every price says where it comes from)");
    char msg[256];
    if (price_series_push(s, day, usd, msg, sizeof msg) != 0)
        return csv_row_fail(row, err, "%s", msg);
    return SIM_OK;
}

/* The file at `name`, or the len bytes at buf when buf is not NULL, into *out. */
static sim_status_t parse_series(const char *name, const char *buf, size_t len, price_series_t *out,
                                sim_error_t *err)
{
    static const char *const required[] = {"date", "usd", "source", NULL};
    static const char *const optional[] = {"note", NULL};
    const csv_spec_t spec = {.required = required, .optional = optional};
    price_series_t *s = calloc(1, sizeof *s);
    if (!s)
        return sim_fail(err, SIM_ENOMEM, "%s: out of memory reading the price series", name);
    sim_status_t st = buf ? csvfile_parse(name, buf, len, &spec, take_row, s, err)
                          : csvfile_read(name, &spec, take_row, s, err);
    if (st == SIM_OK && s->npoints == 0)
        st = sim_fail(err, SIM_EINVAL, "%s: no prices (a header, then one row a date)", name);
    if (st == SIM_OK)
        *out = *s;
    free(s);
    return st;
}

sim_status_t pricefile_read(const char *path, price_series_t *out, sim_error_t *err)
{
    return parse_series(path, NULL, 0, out, err);
}

sim_status_t pricefile_parse(const char *name, const char *buf, size_t len, price_series_t *out,
                             sim_error_t *err)
{
    return parse_series(name, buf ? buf : "", len, out, err);
}
