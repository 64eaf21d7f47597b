/* Fan charts with gnuplot; see plot.h. */
#include "plot.h"

#include "h5util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>

#include "params.h"
#include "text.h"

static const char *const stats[] = {"p05", "p25", "p50", "p75", "p95", "mean"};
#define NSTATS 6

/* How the data files print a value (gnuplot reads these, not the doubles). */
#define DATA_FORMAT "%.10g"

static double as_printed(double x)
{
    char buf[32];
    snprintf(buf, sizeof buf, DATA_FORMAT, x);
    return strtod(buf, NULL);
}

/* The panel's y range: gnuplot's own (autoscale), unless every finite value is
 * the same as printed (a metric that stays 0 in this scenario, such as burns
 * without BME, or one that varies past the 10th digit), where gnuplot would
 * warn "empty y range" and draw [-1:1]: then a range around the value,
 * [-0.05:1] for a series (not a difference) that is 0 throughout. */
static void y_range(FILE *gp, const double *v, size_t n, int zero_from_zero)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            double x = as_printed(v[i]);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
    if (lo != hi) {   /* values that differ, or none finite (lo > hi): autoscale */
        fputs("set autoscale y\n", gp);
        return;
    }
    double d = lo != 0 ? 0.1 * fabs(lo) : 1.0;
    /* a level at 0 just above the bottom axis, where it stays visible */
    fprintf(gp, "set yrange [%.17g:%.17g]\n", lo == 0 && zero_from_zero ? -0.05 : lo - d, lo + d);
}

/* Civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm). */
static void civil(long z, char buf[64])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 64, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static int read_vector(hid_t f, const char *obj, double *x, size_t n)
{
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

/* A string for a gnuplot single-quoted literal: '' stands for ', controls become spaces. */
static void gp_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("''", f);
        else
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('\'', f);
}

static sim_status_t run_gnuplot(const char *script, sim_error_t *err)
{
    pid_t pid = fork();
    if (pid < 0)
        SIM_FAIL(err, SIM_EIO, "plot: cannot start gnuplot: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0)
        SIM_FAIL(err, SIM_EIO, "plot: waiting for gnuplot: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        SIM_FAIL(err, SIM_EIO, "plot: gnuplot not found (Debian package gnuplot-nox; `make deps` installs it)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        SIM_FAIL(err, SIM_EIO, "plot: gnuplot failed (status %d); its messages are above", status);
    return SIM_OK;
}

/* The labels of the points of a sweep (attribute `labels` of /point), or "point k". */
static void point_label(hid_t f, size_t k, size_t npoints, char *buf, size_t len)
{
    snprintf(buf, len, "point %zu", k);
    char **all = calloc(npoints, sizeof *all);
    size_t n = all ? h5util_read_strings(f, "/point", "labels", all, npoints) : 0;
    if (k < n)
        snprintf(buf, len, "%s", all[k]);
    for (size_t i = 0; i < n; i++)
        free(all[i]);
    free(all);
}

/* Read a [rows, n] float64 dataset whole; rows into *rows. NULL on failure. */
static double *read_matrix(hid_t f, const char *obj, size_t n, size_t *rows)
{
    hid_t d = H5Dopen2(f, obj, H5P_DEFAULT);
    if (d < 0)
        return NULL;
    hid_t s = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    double *x = NULL;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 2 && H5Sget_simple_extent_dims(s, dims, NULL) >= 0 &&
        dims[1] == n && (x = malloc((size_t)(dims[0] * dims[1]) * sizeof *x)) &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) < 0) {
        free(x);
        x = NULL;
    }
    if (s >= 0) H5Sclose(s);
    H5Dclose(d);
    *rows = (size_t)dims[0];
    return x;
}

static sim_status_t run_gnuplot(const char *script, sim_error_t *err);

/* The figure's directory exists and is writable: checked before any work, so
 * that the error is ours rather than gnuplot's. */
static sim_status_t check_out_dir(const char *out_path, sim_error_t *err)
{
    char dir[4096];
    const char *slash = strrchr(out_path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == out_path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out_path), out_path);
    struct stat st;
    if (stat(dir, &st) != 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot write the figure: %s", out_path,
                 errno == ENOENT ? "its directory does not exist"
                 : errno == ENOTDIR ? "part of its directory is not a directory" : strerror(errno));
    if (!S_ISDIR(st.st_mode))
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot write the figure: %s is not a directory", out_path, dir);
    /* create a file beside it: permissions, read-only file systems, and root alike */
    char probe[4200];
    snprintf(probe, sizeof probe, "%s.tmp-%ld.probe", out_path, (long)getpid());
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot write the figure in %s: %s", out_path, dir, strerror(errno));
    close(fd);
    unlink(probe);
    return SIM_OK;
}

/* Collects the metric groups under /summary (dimension scales are datasets). */
typedef struct {
    const char *want;
    const char *best;           /* closest name (a copy in best_buf) */
    size_t best_d;
    char best_buf[128];
    char list[300];             /* "a, b, c" as many as fit */
} metric_scan_t;

/* 1: loc/name is a group (the HDF5 1.10 and 1.12 APIs agree on these calls). */
static int is_group(hid_t loc, const char *name)
{
    hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    int g = H5Iget_type(o) == H5I_GROUP;
    H5Oclose(o);
    return g;
}

static herr_t scan_metric(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    metric_scan_t *sc = data;
    if (!is_group(g, name))
        return 0;
    size_t d = text_edit_distance(sc->want, strlen(sc->want), name, strlen(name));
    if (d < sc->best_d && strlen(name) < sizeof sc->best_buf) {
        sc->best_d = d;
        snprintf(sc->best_buf, sizeof sc->best_buf, "%s", name);
        sc->best = sc->best_buf;
    }
    size_t used = strlen(sc->list);
    if (used + strlen(name) + 8 < sizeof sc->list)
        snprintf(sc->list + used, sizeof sc->list - used, "%s%s", used ? ", " : "", name);
    else if (!strstr(sc->list, ", ..."))
        snprintf(sc->list + used, sizeof sc->list - used, ", ...");
    return 0;
}

/* Every requested metric has a /summary group; else name the closest one, or
 * list those the file has. */
static sim_status_t check_metrics(hid_t f, const char *h5path, const char *const *metrics, size_t n,
                                  sim_error_t *err)
{
    for (size_t m = 0; m < n; m++) {
        char obj[300], shown[TEXT_SHOW_MAX + 8];
        const char *name = metrics[m];
        int ok = name[0] && strlen(name) < 200 && !strchr(name, '/') && strcmp(name, ".") != 0;
        if (ok) {
            snprintf(obj, sizeof obj, "/summary/%s", name);
            ok = H5Lexists(f, "/summary", H5P_DEFAULT) > 0 && H5Lexists(f, obj, H5P_DEFAULT) > 0;
        }
        if (ok)
            ok = is_group(f, obj);
        if (ok)
            continue;
        text_show(name, shown, sizeof shown);
        metric_scan_t sc = {.want = name, .best_d = SIZE_MAX};
        hid_t g = H5Lexists(f, "/summary", H5P_DEFAULT) > 0 ? H5Gopen2(f, "/summary", H5P_DEFAULT) : -1;
        if (g >= 0) {
            H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, scan_metric, &sc);
            H5Gclose(g);
        }
        size_t len = strlen(name), limit = len < 6 ? 2 : len / 3 + 1;
        if (sc.best && sc.best_d <= limit)
            SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s' (did you mean '%s'?)", h5path, shown, sc.best);
        if (sc.list[0])
            SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s'; this file has %s (docs/output.md lists "
                     "them all)", h5path, shown, sc.list);
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: no metric '%s': the file has no /summary (not a tokensim result?)",
                 h5path, shown);
    }
    return SIM_OK;
}

/* gnuplot exits 0 even when its output could not be written whole (a full
 * disk): a PNG must end with its IEND chunk, an SVG with </svg>. */
static sim_status_t check_figure(const char *tmp_out, const char *out_path, int svg, sim_error_t *err)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    unsigned char tail[64];
    size_t n = 0;
    FILE *f = fopen(tmp_out, "rb");
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        long from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
        if (size > 0 && fseek(f, from, SEEK_SET) == 0)
            n = fread(tail, 1, sizeof tail, f);
    }
    if (f)
        fclose(f);
    while (svg && n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == ' ' || tail[n - 1] == '\r'))
        n--;
    int whole = svg ? n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0
                    : n >= sizeof iend && memcmp(tail + n - sizeof iend, iend, sizeof iend) == 0;
    if (!whole)
        SIM_FAIL(err, SIM_EIO, "plot: %s: gnuplot did not write the whole figure (is the disk full?)", out_path);
    return SIM_OK;
}

/* A temporary file name in $TMPDIR (or /tmp) from a pattern such as "tokensim-plot-XXXXXX". */
/* Run the script, check the figure it wrote to tmp_out and move it to out_path. */
static sim_status_t render(const char *script, const char *tmp_out, const char *out_path, int svg,
                           sim_error_t *err)
{
    sim_status_t st = run_gnuplot(script, err);
    if (st == SIM_OK)
        st = check_figure(tmp_out, out_path, svg, err);
    if (st == SIM_OK && rename(tmp_out, out_path) != 0)
        st = sim_fail(err, SIM_EIO, "plot: %s: cannot write the figure: %s", out_path, strerror(errno));
    return st;
}

static void temp_name(char *buf, size_t len, const char *pattern)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/%s", dir && *dir ? dir : "/tmp", pattern);
}

/* Recorded times in the file (0 when /time is missing). */
static hsize_t time_length(hid_t f)
{
    hid_t td = H5Dopen2(f, "/time", H5P_DEFAULT);
    hid_t ts = td >= 0 ? H5Dget_space(td) : -1;
    hsize_t nt = 0;
    if (ts >= 0) H5Sget_simple_extent_dims(ts, &nt, NULL);
    if (ts >= 0) H5Sclose(ts);
    if (td >= 0) H5Dclose(td);
    return nt;
}

/* Sweeps: one median line per point. Comparisons: both arms' medians, then the
 * paired difference with its 95 % band. */
static sim_status_t plot_points(hid_t f, const char *h5path, int compare, const char *const *metrics,
                                size_t nmetrics, const char *out_path, const char *start, const char *name,
                                int svg, sim_error_t *err)
{
    long day0 = params_date_to_days(start);
    hsize_t nt = time_length(f);
    double *time = malloc((nt ? nt : 1) * sizeof *time);
    if (!time || nt == 0 || day0 < 0 || read_vector(f, "/time", time, nt) != 0) {
        free(time);
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: no /time in this file", h5path);
    }
    char script[4200], data[4200];
    temp_name(script, sizeof script, "tokensim-plot-XXXXXX");
    temp_name(data, sizeof data, "tokensim-data-XXXXXX");
    int sfd = mkstemp(script), dfd = mkstemp(data);
    FILE *gp = sfd >= 0 ? fdopen(sfd, "w") : NULL, *dat = dfd >= 0 ? fdopen(dfd, "w") : NULL;
    sim_status_t st = SIM_OK;
    char tmp_out[4200];   /* set before any jump to done, which may unlink it */
    snprintf(tmp_out, sizeof tmp_out, "%s.tmp-%ld%s", out_path, (long)getpid(), svg ? ".svg" : ".png");
    if (!gp || !dat) {
        st = sim_fail(err, SIM_EIO, "plot: cannot write temporary files (%s): %s", script, strerror(errno));
        goto done;
    }
    size_t panels = nmetrics * (compare ? 2 : 1);
    fprintf(gp, "set terminal %s size 1000,%zu font 'DejaVu Sans,10'\nset output ",
            svg ? "svg dynamic noenhanced" : "pngcairo noenhanced", (size_t)(300 * panels + 40));
    gp_quote(gp, tmp_out);
    fprintf(gp, "\nset xdata time\nset timefmt '%%Y-%%m-%%d'\nset format x '%%Y-%%m'\nset grid\n"
                "set key left top\nset xlabel 'date'\nset multiplot layout %zu,1\n"
                "set offsets 0, 0, graph 0.05, graph 0.05\n", panels);
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char obj[300], units[64] = "";
        size_t np = 0, nd = 0;
        snprintf(obj, sizeof obj, "/summary/%s/p50", metrics[m]);
        double *p50 = read_matrix(f, obj, nt, &np);
        h5util_read_text_attr(f, obj, "units", units, sizeof units);
        double *diff = NULL;
        if (compare && p50) {
            diff = malloc(3 * nt * sizeof *diff);
            static const char *const cs[3] = {"diff_mean", "diff_ci_low", "diff_ci_high"};
            for (int k = 0; k < 3 && diff; k++) {
                snprintf(obj, sizeof obj, "/compare/%s/%s", metrics[m], cs[k]);
                if (read_vector(f, obj, diff + (size_t)k * nt, nt) != 0) {
                    free(diff);
                    diff = NULL;
                }
            }
            nd = diff ? 3 : 0;
        }
        if (!p50 || (compare && !diff)) {
            free(p50);
            free(diff);
            st = sim_fail(err, SIM_EINVAL, "plot: %s: no metric '%s' (see /summary, or docs/output.md)", h5path,
                          metrics[m]);
            break;
        }
        for (size_t i = 0; i < nt; i++) {
            char date[64];
            civil(day0 + (long)time[i], date);
            fprintf(dat, "%s", date);
            for (size_t k = 0; k < np; k++)
                fprintf(dat, " " DATA_FORMAT, p50[k * nt + i]);
            for (size_t k = 0; k < nd; k++)
                fprintf(dat, " " DATA_FORMAT, diff[k * nt + i]);
            fputc('\n', dat);
        }
        fputs("\n\n", dat);
        char title[600];
        snprintf(title, sizeof title, compare ? "%s: %s, median of each arm" : "%s: %s, median of each point",
                 name, metrics[m]);
        fputs("set title ", gp);
        gp_quote(gp, title);
        fputs("\nset ylabel ", gp);
        gp_quote(gp, units);
        fputc('\n', gp);
        y_range(gp, p50, np * nt, 1);
        fputs(np > 12 ? "set key off\nplot " : compare ? "set key left top\nplot " : "set key below\nplot ", gp);
        for (size_t k = 0; k < np; k++) {
            char label[256];
            if (compare)
                snprintf(label, sizeof label, "%s", k == 0 ? "base" : "proposal");
            else
                point_label(f, k, np, label, sizeof label);
            fputs(k ? ", '' " : "", gp);
            if (!k)
                gp_quote(gp, data);
            fprintf(gp, " index %zu using 1:%zu with lines lw 2 title ", m, k + 2);
            gp_quote(gp, label);
        }
        fputc('\n', gp);
        if (compare) {
            snprintf(title, sizeof title, "%s: %s, proposal - base (paired), mean and 95 %% interval", name,
                     metrics[m]);
            fputs("set key left top\nset title ", gp);
            gp_quote(gp, title);
            fputc('\n', gp);
            y_range(gp, diff, 3 * nt, 0);
            fputs("plot ", gp);
            gp_quote(gp, data);
            fprintf(gp, " index %zu using 1:%zu:%zu with filledcurves fc rgb '#c6dbef' fs solid 1.0 title '95 %%', "
                        "'' index %zu using 1:%zu with lines lw 2 lc rgb '#08306b' title 'mean difference'\n",
                    m, np + 3, np + 4, m, np + 2);
        }
        free(p50);
        free(diff);
    }
    fputs("unset multiplot\n", gp);
done:;
    int werr = 0;
    if (gp) werr |= ferror(gp) | (fclose(gp) != 0); else if (sfd >= 0) close(sfd);
    if (dat) werr |= ferror(dat) | (fclose(dat) != 0); else if (dfd >= 0) close(dfd);
    if (st == SIM_OK && werr)
        st = sim_fail(err, SIM_EIO, "plot: cannot write temporary files (%s)", script);
    if (st == SIM_OK)
        st = render(script, tmp_out, out_path, svg, err);
    if (st != SIM_OK && gp)
        unlink(tmp_out);
    if (sfd >= 0) unlink(script);
    if (dfd >= 0) unlink(data);
    free(time);
    return st;
}

sim_status_t plot_fan(const char *h5path, const char *const *metrics, size_t nmetrics, const char *out_path,
                      sim_error_t *err)
{
    const char *ext = strrchr(out_path, '.');
    int svg = ext && strcmp(ext, ".svg") == 0;
    if (!ext || (!svg && strcmp(ext, ".png") != 0))
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: the figure must end in .png or .svg", out_path);
    if (nmetrics == 0)
        SIM_FAIL(err, SIM_EINVAL, "plot: give at least one --metric");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(h5path, R_OK) != 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot open the file: %s", h5path, strerror(errno));
    if (H5Fis_hdf5(h5path) <= 0)
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: not an HDF5 file, so not a tokensim result file", h5path);
    hid_t f = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        SIM_FAIL(err, SIM_EIO, "plot: %s: cannot open the file", h5path);
    sim_status_t cst = check_metrics(f, h5path, metrics, nmetrics, err);
    if (cst == SIM_OK)
        cst = check_out_dir(out_path, err);
    if (cst != SIM_OK) {
        H5Fclose(f);
        return cst;
    }
    char start[32] = "1970-01-01", name[PARAMS_TEXT_MAX] = "", command[32] = "run";
    h5util_read_text_attr(f, "/", "command", command, sizeof command);
    h5util_read_text_attr(f, "/", "start_date", start, sizeof start);
    h5util_read_text_attr(f, "/", "scenario_name", name, sizeof name);
    if (strcmp(command, "sweep") == 0 || strcmp(command, "compare") == 0) {
        sim_status_t pst = plot_points(f, h5path, strcmp(command, "compare") == 0, metrics, nmetrics, out_path,
                                       start, name, svg, err);
        H5Fclose(f);
        return pst;
    }
    if (strcmp(command, "run") != 0) {
        H5Fclose(f);
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: a '%s' file, which plot does not draw", h5path, command);
    }
    long day0 = params_date_to_days(start);
    hsize_t nt = time_length(f);
    double *time = malloc((nt ? nt : 1) * sizeof *time), *col = malloc((nt ? nt : 1) * NSTATS * sizeof *col);
    char script[4200], data[4200];
    temp_name(script, sizeof script, "tokensim-plot-XXXXXX");
    temp_name(data, sizeof data, "tokensim-data-XXXXXX");
    int sfd = -1, dfd = -1;
    sim_status_t st = SIM_OK;
    if (!time || !col || nt == 0 || day0 < 0 || read_vector(f, "/time", time, nt) != 0) {
        st = sim_fail(err, SIM_EINVAL, "plot: %s: no /time in this file (not a tokensim result?)", h5path);
        goto done;
    }
    sfd = mkstemp(script);
    dfd = mkstemp(data);
    FILE *gp = sfd >= 0 ? fdopen(sfd, "w") : NULL, *dat = dfd >= 0 ? fdopen(dfd, "w") : NULL;
    if (!gp || !dat) {
        if (gp) fclose(gp); else if (sfd >= 0) close(sfd);
        if (dat) fclose(dat); else if (dfd >= 0) close(dfd);
        st = sim_fail(err, SIM_EIO, "plot: cannot write temporary files (%s): %s", script, strerror(errno));
        goto done;
    }
    char tmp_out[4200];
    snprintf(tmp_out, sizeof tmp_out, "%s.tmp-%ld%s", out_path, (long)getpid(), svg ? ".svg" : ".png");
    fprintf(gp, "set terminal %s size 1000,%zu font 'DejaVu Sans,10'\nset output ", svg ? "svg dynamic noenhanced" : "pngcairo noenhanced",
            (size_t)(320 * nmetrics + 40));
    gp_quote(gp, tmp_out);
    fprintf(gp, "\nset xdata time\nset timefmt '%%Y-%%m-%%d'\nset format x '%%Y-%%m'\nset grid\nset key left top\n"
                "set xlabel 'date'\nset multiplot layout %zu,1\n"
                "set offsets 0, 0, graph 0.05, graph 0.05\n", nmetrics);
    for (size_t m = 0; m < nmetrics && st == SIM_OK; m++) {
        char obj[300], units[64] = "", desc[400] = "";
        for (int s = 0; s < NSTATS && st == SIM_OK; s++) {
            snprintf(obj, sizeof obj, "/summary/%s/%s", metrics[m], stats[s]);
            if (read_vector(f, obj, col + (size_t)s * nt, nt) != 0)
                st = sim_fail(err, SIM_EINVAL, "plot: %s: no metric '%s' (see /summary, or docs/output.md)", h5path,
                              metrics[m]);
        }
        if (st != SIM_OK)
            break;
        snprintf(obj, sizeof obj, "/summary/%s/p50", metrics[m]);
        h5util_read_text_attr(f, obj, "units", units, sizeof units);
        snprintf(obj, sizeof obj, "/runs/%s", metrics[m]);
        h5util_read_text_attr(f, obj, "description", desc, sizeof desc);
        fprintf(dat, "# %s\n", metrics[m]);
        for (size_t i = 0; i < nt; i++) {
            char date[64];
            civil(day0 + (long)time[i], date);
            fprintf(dat, "%s", date);
            for (int s = 0; s < NSTATS; s++)
                fprintf(dat, " " DATA_FORMAT, col[(size_t)s * nt + i]);
            fputc('\n', dat);
        }
        fputs("\n\n", dat);   /* a gnuplot data block per metric */
        fputs("set title ", gp);
        char title[700];
        snprintf(title, sizeof title, "%s: %s (%s)", name, metrics[m], desc);
        gp_quote(gp, title);
        fputs("\nset ylabel ", gp);
        gp_quote(gp, units);
        fputc('\n', gp);
        y_range(gp, col, NSTATS * nt, 1);
        fputs("plot ", gp);
        gp_quote(gp, data);
        fprintf(gp, " index %zu using 1:2:6 with filledcurves fc rgb '#c6dbef' fs solid 1.0 title '5-95 %%', ", m);
        fprintf(gp, "'' index %zu using 1:3:5 with filledcurves fc rgb '#6baed6' fs solid 1.0 title '25-75 %%', ", m);
        fprintf(gp, "'' index %zu using 1:4 with lines lw 2 lc rgb '#08306b' title 'median', ", m);
        fprintf(gp, "'' index %zu using 1:7 with lines lw 1 dt 2 lc rgb '#cb181d' title 'mean'\n", m);
    }
    fputs("unset multiplot\n", gp);
    int werr = ferror(gp) || ferror(dat);
    werr |= fclose(gp) != 0;
    werr |= fclose(dat) != 0;
    if (st == SIM_OK && werr)
        st = sim_fail(err, SIM_EIO, "plot: cannot write temporary files (%s)", script);
    if (st == SIM_OK)
        st = render(script, tmp_out, out_path, svg, err);
    unlink(tmp_out);
done:
    if (sfd >= 0) unlink(script);
    if (dfd >= 0) unlink(data);
    free(time);
    free(col);
    H5Fclose(f);
    return st;
}
