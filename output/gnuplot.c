/* Running gnuplot on a script and data in temporary files; see gnuplot.h. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

sim_status_t gnuplot_check_out(const char *out_path, int *svg, sim_error_t *err)
{
    const char *ext = strrchr(out_path, '.');
    *svg = ext && strcmp(ext, ".svg") == 0;
    if (!ext || (!*svg && strcmp(ext, ".png") != 0))
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: the figure must end in .png or .svg", out_path);
    if (strlen(out_path) > 4000)
        SIM_FAIL(err, SIM_EINVAL, "plot: %s: the figure's name is too long (4000 bytes at most)", out_path);
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

void gnuplot_quote(FILE *f, const char *s)
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

void gnuplot_data_name(const gnuplot_t *g)
{
    gnuplot_quote(g->gp, g->data);
}

size_t gnuplot_end_block(gnuplot_t *g)
{
    fputs("\n\n", g->dat);   /* two blank lines end a block for `index` */
    return g->blocks++;
}

static void temp_name(char *buf, size_t len, const char *pattern)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/%s", dir && *dir ? dir : "/tmp", pattern);
}

sim_status_t gnuplot_open(gnuplot_t *g, const char *out_path, int svg, int width, int height, sim_error_t *err)
{
    memset(g, 0, sizeof *g);
    g->svg = svg;
    g->out_path = out_path;
    temp_name(g->script, sizeof g->script, "tokensim-plot-XXXXXX");
    temp_name(g->data, sizeof g->data, "tokensim-data-XXXXXX");
    snprintf(g->tmp_out, sizeof g->tmp_out, "%s.tmp-%ld%s", out_path, (long)getpid(), svg ? ".svg" : ".png");
    int sfd = mkstemp(g->script), e = errno;
    int dfd = sfd >= 0 ? mkstemp(g->data) : -1;
    if (dfd < 0 && sfd >= 0)
        e = errno;
    g->gp = sfd >= 0 ? fdopen(sfd, "w") : NULL;
    g->dat = dfd >= 0 ? fdopen(dfd, "w") : NULL;
    if (!g->gp || !g->dat) {
        if (g->gp) fclose(g->gp); else if (sfd >= 0) close(sfd);
        if (g->dat) fclose(g->dat); else if (dfd >= 0) close(dfd);
        if (sfd >= 0) unlink(g->script);
        if (dfd >= 0) unlink(g->data);
        g->gp = g->dat = NULL;
        SIM_FAIL(err, SIM_EIO, "plot: cannot write temporary files (%s): %s", g->script, strerror(e));
    }
    fprintf(g->gp, "set terminal %s size %d,%d font 'DejaVu Sans,10'\nset output ",
            svg ? "svg dynamic noenhanced" : "pngcairo noenhanced", width, height);
    gnuplot_quote(g->gp, g->tmp_out);
    fputc('\n', g->gp);
    return SIM_OK;
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

/* DIR/<figure's name><ext> into buf. */
static void kept_name(const char *dir, const char *out_path, const char *ext, char *buf, size_t len)
{
    const char *base = strrchr(out_path, '/');
    snprintf(buf, len, "%s/%s%s", dir, base ? base + 1 : out_path, ext);
}

/* Copies of the script and the data in DIR, the script naming the copy of
 * the data and the figure's own name, so that `gnuplot FIG.png.gp` redraws
 * it. Silent on failure: it is for inspection only. */
static void keep_copies(const gnuplot_t *g, const char *dir)
{
    char gp[4400], dat[4400];
    kept_name(dir, g->out_path, ".gp", gp, sizeof gp);
    kept_name(dir, g->out_path, ".dat", dat, sizeof dat);
    FILE *in = fopen(g->data, "rb"), *out = in ? fopen(dat, "wb") : NULL;
    char buf[8192];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    if (out)
        fclose(out);
    if (in)
        fclose(in);
    in = fopen(g->script, "r");
    out = in ? fopen(gp, "w") : NULL;
    char line[16384];
    size_t ld = strlen(g->data), lo = strlen(g->tmp_out);
    while (out && fgets(line, sizeof line, in)) {
        for (const char *p = line; *p;) {
            if (strncmp(p, g->data, ld) == 0) {
                fputs(dat, out);
                p += ld;
            } else if (strncmp(p, g->tmp_out, lo) == 0) {
                fputs(g->out_path, out);
                p += lo;
            } else {
                fputc(*p++, out);
            }
        }
    }
    if (out)
        fclose(out);
    if (in)
        fclose(in);
}

sim_status_t gnuplot_finish(gnuplot_t *g, sim_status_t st, sim_error_t *err)
{
    if (!g->gp)
        return st;
    int werr = ferror(g->gp) | ferror(g->dat);
    werr |= fclose(g->gp) != 0;
    werr |= fclose(g->dat) != 0;
    g->gp = g->dat = NULL;
    if (st == SIM_OK && werr)
        st = sim_fail(err, SIM_EIO, "plot: cannot write temporary files (%s)", g->script);
    if (st == SIM_OK)
        st = run_gnuplot(g->script, err);
    if (st == SIM_OK)
        st = check_figure(g->tmp_out, g->out_path, g->svg, err);
    if (st == SIM_OK && rename(g->tmp_out, g->out_path) != 0)
        st = sim_fail(err, SIM_EIO, "plot: %s: cannot write the figure: %s", g->out_path, strerror(errno));
    if (st != SIM_OK)
        unlink(g->tmp_out);
    const char *keep = getenv("TOKENSIM_GNUPLOT_KEEP");
    if (keep && *keep)
        keep_copies(g, keep);
    unlink(g->script);
    unlink(g->data);
    return st;
}
