/* The report: figures and an index page; see report.h. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "plot.h"
#include "summary.h"
#include "text.h"

typedef struct {
    const char *file;
    const char *title;
    const char *metrics[3];
} figure_t;

static const figure_t figures[] = {
    {"supply.png", "Supply and inflation", {"supply_total", "inflation", NULL}},
    {"staking.png", "Bonded ratio and staking APR", {"bonded_ratio", "staking_apr", NULL}},
    {"utilisation.png", "CPU and GPU utilisation", {"cpu_utilisation", "gpu_utilisation", NULL}},
    {"market.png", "Providers and leases", {"providers_active", "leases_active", NULL}},
    {"revenue.png", "Market revenue against issuance, USD a day", {"spend_usd", "minted_usd", NULL}},
    {"burns.png", "Burns", {"burned", "burn_mint_ratio", NULL}},
    {"price.png", "AKT price and market capitalisation", {"price_usd", "market_cap_usd", NULL}},
    {"pool.png", "Community pool and take fees", {"community_pool", "take_fees_usd", NULL}},
    {"orders.png", "Orders and clearing prices", {"orders_new", "orders_unfilled", "cpu_price_usd_per_hour"}},
    {"flows.png", "Who sells and who buys AKT", {"sell_akt", "buy_akt", NULL}},
};
#define NFIGURES (sizeof figures / sizeof figures[0])

/* Text for the page: markup escaped, control characters (text_control) but
 * newlines shown as '?'. */
static void html_text(FILE *f, const char *s)
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

static int has_metric(hid_t f, const char *name)
{
    char obj[200];
    snprintf(obj, sizeof obj, "/summary/%s", name);
    return H5Lexists(f, "/summary", H5P_DEFAULT) > 0 && H5Lexists(f, obj, H5P_DEFAULT) > 0;
}

/* Undo what this command made after a failure: the figures it wrote and, when
 * it created the directory, the directory itself (then empty again). */
static void remove_made(const char *dir, int created, const int *made)
{
    if (!created)
        return;
    char path[4096];
    for (size_t k = 0; k < NFIGURES; k++)
        if (made[k]) {
            snprintf(path, sizeof path, "%s/%s", dir, figures[k].file);
            remove(path);
        }
    rmdir(dir);
}

sim_status_t report_write(const char *h5path, const char *dir, sim_error_t *err)
{
    /* DIR/index.html.tmp and the figures' names must fit the buffers below */
    if (strlen(dir) + 32 > 4096)
        SIM_FAIL(err, SIM_EINVAL, "report: %s: the directory's name is too long (4064 bytes at most)", dir);
    /* the summary table, as text for the page: it reads the whole input, so
     * that a bad one is refused before anything is written */
    char *table = NULL;
    size_t table_len = 0;
    FILE *mem = open_memstream(&table, &table_len);
    if (!mem)
        SIM_FAIL(err, SIM_ENOMEM, "report: out of memory");
    sim_error_t inner;
    sim_error_clear(&inner);
    sim_status_t st = summary_print(h5path, NULL, mem, &inner);
    fclose(mem);
    if (st != SIM_OK) {
        free(table);
        SIM_FAIL(err, st, "report: %s", inner.msg);
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        free(table);
        SIM_FAIL(err, SIM_EIO, "report: %s: cannot open the file", h5path);
    }
    int present[NFIGURES][3] = {{0}};
    for (size_t k = 0; k < NFIGURES; k++)
        for (size_t m = 0; m < 3 && figures[k].metrics[m]; m++)
            present[k][m] = has_metric(f, figures[k].metrics[m]);
    H5Fclose(f);

    /* the directory only once the input is known to be good: a bad input leaves nothing */
    int created = mkdir(dir, 0777) == 0;
    struct stat sb;
    if (!created && (errno != EEXIST || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        int e = errno == EEXIST ? ENOTDIR : errno;
        free(table);
        SIM_FAIL(err, SIM_EIO, "report: cannot create %s: %s", dir, strerror(e));
    }
    char path[4096];
    int made[NFIGURES] = {0};
    for (size_t k = 0; k < NFIGURES && st == SIM_OK; k++) {
        const char *ms[3];
        size_t n = 0;
        for (size_t m = 0; m < 3 && figures[k].metrics[m]; m++)
            if (present[k][m])
                ms[n++] = figures[k].metrics[m];
        if (n == 0)
            continue;   /* e.g. no market in this file */
        snprintf(path, sizeof path, "%s/%s", dir, figures[k].file);
        st = plot_fan(h5path, ms, n, path, err);
        made[k] = st == SIM_OK;
    }
    if (st != SIM_OK) {
        free(table);
        remove_made(dir, created, made);
        return st;
    }
    snprintf(path, sizeof path, "%s/index.html", dir);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *h = fopen(tmp, "w");
    if (!h) {
        int e = errno;
        free(table);
        remove_made(dir, created, made);
        SIM_FAIL(err, SIM_EIO, "report: cannot write %s: %s", path, strerror(e));
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>tokensim report: ", h);
    html_text(h, h5path);
    fputs("</title>\n<style>body{font-family:sans-serif;max-width:1060px;margin:2em auto;color:#222}"
          "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0 1.5em}"
          "pre{font-size:12px;background:#f6f8fa;padding:1em;overflow-x:auto}h2{margin-top:1.5em}</style>\n"
          "</head><body>\n<h1>tokensim report</h1>\n<p>Result file: <code>", h);
    html_text(h, h5path);
    fputs("</code>. Bands are the 5-95 % and 25-75 % ranges across runs; the solid line is the median, the "
          "dashed one the mean.</p>\n", h);
    for (size_t k = 0; k < NFIGURES; k++) {
        if (!made[k])
            continue;
        fprintf(h, "<h2>%s</h2>\n<img src=\"%s\" alt=\"%s\">\n", figures[k].title, figures[k].file,
                figures[k].title);
    }
    fputs("<h2>Summary and provenance</h2>\n<pre>", h);
    html_text(h, table);
    fputs("</pre>\n</body></html>\n", h);
    free(table);
    if (ferror(h) | (fclose(h) != 0) || rename(tmp, path) != 0) {
        remove(tmp);
        remove_made(dir, created, made);
        SIM_FAIL(err, SIM_EIO, "report: cannot write %s", path);
    }
    return SIM_OK;
}
