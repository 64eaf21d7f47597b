/* A report's directory and index page; see report_page.h. */
#include "report_page.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

sim_status_t report_open(report_t *r, const char *dir, sim_error_t *err)
{
    memset(r, 0, sizeof *r);
    r->dir = dir;
    /* DIR/index.html.tmp and the figures' names must fit the buffers below */
    if (strlen(dir) + 200 > 4096)
        SIM_FAIL(err, SIM_EINVAL, "report: %s: the directory's name is too long (3896 bytes at most)", dir);
    r->body = open_memstream(&r->body_text, &r->body_len);
    if (!r->body)
        SIM_FAIL(err, SIM_ENOMEM, "report: out of memory");
    r->created = mkdir(dir, 0777) == 0;
    struct stat sb;
    if (!r->created && (errno != EEXIST || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        int e = errno == EEXIST ? ENOTDIR : errno;
        fclose(r->body);
        free(r->body_text);
        r->body = NULL;
        r->body_text = NULL;
        SIM_FAIL(err, SIM_EIO, "report: cannot create %s: %s", dir, strerror(e));
    }
    return SIM_OK;
}

const char *report_path(const report_t *r, const char *file, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", r->dir, file);
    return buf;
}

sim_status_t report_made(report_t *r, const char *file, sim_error_t *err)
{
    char **more = realloc(r->made, (r->nmade + 1) * sizeof *more);
    char *copy = more ? strdup(file) : NULL;
    if (more)
        r->made = more;
    if (!copy)
        SIM_FAIL(err, SIM_ENOMEM, "report: out of memory");
    r->made[r->nmade++] = copy;
    return SIM_OK;
}

void report_html(FILE *f, const char *s)
{
    for (; *s; s++) {
        size_t c = *s == '\n' ? 0 : text_control(s);
        if (c) {
            fputc('?', f);
            s += c - 1;
            continue;
        }
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

void report_heading(report_t *r, const char *title)
{
    fputs("<h2>", r->body);
    report_html(r->body, title);
    fputs("</h2>\n", r->body);
}

void report_image(report_t *r, const char *file, const char *alt)
{
    fputs("<img src=\"", r->body);
    report_html(r->body, file);
    fputs("\" alt=\"", r->body);
    report_html(r->body, alt);
    fputs("\">\n", r->body);
}

void report_paragraph(report_t *r, const char *text)
{
    fputs("<p>", r->body);
    report_html(r->body, text);
    fputs("</p>\n", r->body);
}

/* Remove what the report made: its figures, and the directory when it made it. */
static void undo(report_t *r)
{
    char path[4300];
    for (size_t k = 0; k < r->nmade; k++)
        remove(report_path(r, r->made[k], path, sizeof path));
    if (r->created)
        rmdir(r->dir);
}

static sim_status_t write_index(report_t *r, const char *h5path, const char *title, const char *intro_html,
                                const char *summary, sim_error_t *err)
{
    char path[4300], tmp[4400];
    report_path(r, "index.html", path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *h = fopen(tmp, "w");
    if (!h)
        SIM_FAIL(err, SIM_EIO, "report: cannot write %s: %s", path, strerror(errno));
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", h);
    report_html(h, title);
    fputs(": ", h);
    report_html(h, h5path);
    fputs("</title>\n<style>body{font-family:sans-serif;max-width:1060px;margin:2em auto;color:#222}"
          "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0 1.5em}"
          "pre{font-size:12px;background:#f6f8fa;padding:1em;overflow-x:auto}h2{margin-top:1.5em}</style>\n"
          "</head><body>\n<h1>", h);
    report_html(h, title);
    fputs("</h1>\n<p>Result file: <code>", h);
    report_html(h, h5path);
    fputs("</code>.</p>\n", h);
    fputs(intro_html, h);
    fwrite(r->body_text, 1, r->body_len, h);
    if (summary) {
        fputs("<h2>Summary and provenance</h2>\n<pre>", h);
        report_html(h, summary);
        fputs("</pre>\n", h);
    }
    fputs("</body></html>\n", h);
    if (ferror(h) | (fclose(h) != 0) || rename(tmp, path) != 0) {
        remove(tmp);
        SIM_FAIL(err, SIM_EIO, "report: cannot write %s", path);
    }
    return SIM_OK;
}

sim_status_t report_close(report_t *r, sim_status_t st, const char *h5path, const char *title,
                          const char *intro_html, const char *summary, sim_error_t *err)
{
    if (r->body && fclose(r->body) != 0 && st == SIM_OK)
        st = sim_fail(err, SIM_ENOMEM, "report: out of memory");
    r->body = NULL;
    if (st == SIM_OK)
        st = write_index(r, h5path, title, intro_html, summary, err);
    if (st != SIM_OK)
        undo(r);
    for (size_t k = 0; k < r->nmade; k++)
        free(r->made[k]);
    free(r->made);
    free(r->body_text);
    r->made = NULL;
    r->body_text = NULL;
    return st;
}
