/* The conventions every chart of a metric follows; see chart.h. */
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "metric_table.h"

int chart_is_flow(const char *metric, const char *units)
{
    size_t n = strlen(units);
    if (n > 4 && strcmp(units + n - 4, "/day") == 0)
        return 1;
    for (size_t m = 0; m < METRIC_COUNT; m++)
        if (strcmp(metric_table[m].name, metric) == 0)
            return strstr(metric_table[m].description, "during the day") != NULL;
    return 0;
}

size_t chart_first_index(const char *metric, const char *units, const double *time, size_t nt)
{
    return nt > 1 && time[0] == 0 && chart_is_flow(metric, units) ? 1 : 0;
}

int chart_can_be_negative(const char *metric)
{
    static const char *const prefixes[] = {"net_", "diff"};
    static const char *const suffixes[] = {"_profit_usd", "_discount", "_difference"};
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
        if (strncmp(metric, prefixes[k], strlen(prefixes[k])) == 0)
            return 1;
    size_t n = strlen(metric);
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        size_t s = strlen(suffixes[k]);
        if (n >= s && strcmp(metric + n - s, suffixes[k]) == 0)
            return 1;
    }
    return 0;
}

void chart_range_init(chart_range_t *r)
{
    r->lo = INFINITY;
    r->hi = -INFINITY;
}

void chart_range_add(chart_range_t *r, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            r->lo = fmin(r->lo, v[i]);
            r->hi = fmax(r->hi, v[i]);
        }
}

int chart_from_zero(const char *metric, const chart_range_t *r)
{
    return !chart_can_be_negative(metric) && !(r->lo < 0);
}

static double as_printed(double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, CHART_DATA_FORMAT, x);
    return strtod(buf, NULL);
}

double chart_axis(FILE *gp, const char *axis, const chart_range_t *r, int from_zero)
{
    double big = r->lo <= r->hi ? fmax(fabs(r->lo), fabs(r->hi)) : 0;
    double div = 1;
    const char *suffix = "";
    if (big >= 1e9) {
        div = 1e9;
        suffix = " B";
    } else if (big >= 1e6) {
        div = 1e6;
        suffix = " M";
    } else if (big >= 1e4) {
        div = 1e3;
        suffix = " k";
    }
    fprintf(gp, "set format %s '%%g%s'\n", axis, suffix);
    double lo = as_printed(r->lo / div), hi = as_printed(r->hi / div);
    /* a margin above the highest value; below the lowest only when 0 is not the edge */
    if (strcmp(axis, "y") == 0)
        fputs(from_zero ? "set offsets 0, 0, graph 0.05, 0\n" : "set offsets 0, 0, graph 0.05, graph 0.05\n", gp);
    if (!(r->lo <= r->hi)) {   /* nothing finite to draw */
        fprintf(gp, from_zero ? "set %srange [0:1]\n" : "set autoscale %s\n", axis);
    } else if (from_zero) {
        /* [0:*] with all values 0 would be an empty range */
        fprintf(gp, hi > 0 ? "set %srange [0:*]\n" : "set %srange [0:1]\n", axis);
    } else if (lo != hi) {
        fprintf(gp, "set autoscale %s\n", axis);
    } else {   /* one value throughout, as printed: a range around it */
        double d = lo != 0 ? 0.1 * fabs(lo) : 1.0;
        fprintf(gp, "set %srange [%.17g:%.17g]\n", axis, lo - d, lo + d);
    }
    return div;
}

/* Howard Hinnant's days_from_civil, inverted. */
void chart_date(long z, char buf[16])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 16, "%04d-%02d-%02d", (int)((y + (m <= 2)) % 10000), (int)m, (int)d);
}

void chart_time_axis(FILE *gp, double days)
{
    fprintf(gp, "set xdata time\nset timefmt '%%Y-%%m-%%d'\nset format x '%s'\nunset xlabel\n",
            days < 200 ? "%Y-%m-%d" : "%Y-%m");
}

void chart_panel_defaults(FILE *gp)
{
    /* the legend below the plot, never over the data; the x axis spans the data */
    fputs("set border\nset xtics\nset ytics\nset grid\nunset label 1\nset autoscale xfix\nset lmargin 12\nset rmargin 4\n"
          "set key below center horizontal Left reverse samplen 2\n", gp);
}

void chart_place(FILE *gp, int y, int h, int total)
{
    fprintf(gp, "set origin 0,%.6f\nset size 1,%.6f\n", (double)(total - y - h) / total, (double)h / total);
}

void chart_text_panel(FILE *gp, const char *text)
{
    fputs("unset border\nunset xtics\nunset ytics\nunset grid\nunset key\nunset title\nunset xlabel\n"
          "unset ylabel\nset label 1 ", gp);
    gnuplot_quote(gp, text);
    /* a constant outside the range: the text alone, and nothing to warn about */
    fputs(" at graph 0.5, graph 0.5 center font 'DejaVu Sans,12'\nset xrange [*:*]\nset yrange [0:1]\n"
          "plot [0:1] 2 notitle\nunset label 1\nset autoscale xfix\n", gp);
}

int chart_zero_dataset(hid_t f, const char *obj)
{
    if (H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return 0;
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    if (d < 0)
        return 0;
    hid_t s = H5Dget_space(d);
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    double *v = n > 0 ? malloc((size_t)n * sizeof *v) : NULL;
    int zero = v && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    for (hssize_t i = 0; zero && i < n; i++)
        zero = v[i] == 0;
    free(v);
    if (s >= 0)
        H5Sclose(s);
    H5Dclose(d);
    return zero;
}

int chart_all_zero(hid_t f, const char *metric)
{
    char obj[300];
    if (strlen(metric) > 200 || H5Lexists(f, "/summary", H5P_DEFAULT) <= 0)
        return 0;
    snprintf(obj, sizeof obj, "/summary/%s", metric);
    if (H5Lexists(f, obj, H5P_DEFAULT) <= 0)
        return 0;
    /* sd 0: every run equals the mean, which is 0 */
    snprintf(obj, sizeof obj, "/summary/%s/mean", metric);
    int zero = chart_zero_dataset(f, obj);
    snprintf(obj, sizeof obj, "/summary/%s/sd", metric);
    return zero && chart_zero_dataset(f, obj);
}
