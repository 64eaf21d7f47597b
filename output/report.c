/* `tokensim report`: which report a file gets, and a run's; see report.h. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "chart.h"
#include "h5util.h"
#include "plot.h"
#include "plot_internal.h"
#include "plot_read.h"
#include "report_internal.h"
#include "report_page.h"
#include "summary.h"

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

int report_has_metric(hid_t f, const char *name)
{
    char obj[300];
    if (strlen(name) > 200 || strchr(name, '/'))
        return 0;
    snprintf(obj, sizeof obj, "/summary/%s", name);
    return H5Lexists(f, "/summary", H5P_DEFAULT) > 0 && H5Lexists(f, obj, H5P_DEFAULT) > 0;
}

void report_zero_sentence(hid_t f, const char *const *names, size_t n, const char *every, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        char units[64] = "";
        plot_metric_units(f, names[k], units, sizeof units);
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s (%s)", k == 0 ? "" : k + 1 == n ? " and " : ", ", names[k], units);
    }
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, " %s 0 in %s: nothing to draw.", n > 1 ? "are" : "is", every);
}

sim_status_t report_summary(const char *h5path, char **text, sim_error_t *err)
{
    size_t len = 0;
    *text = NULL;
    FILE *mem = open_memstream(text, &len);
    if (!mem)
        SIM_FAIL(err, SIM_ENOMEM, "report: out of memory");
    sim_error_t inner;
    sim_error_clear(&inner);
    sim_status_t st = summary_print(h5path, NULL, mem, &inner);
    fclose(mem);
    if (st != SIM_OK) {
        free(*text);
        *text = NULL;
        SIM_FAIL(err, st, "report: %s", inner.msg);
    }
    return SIM_OK;
}

/* A run: the standard figures; a metric 0 in every run is a sentence instead. */
static sim_status_t report_run(const char *h5path, const char *dir, sim_error_t *err)
{
    /* the summary reads the whole input: a bad one is refused before anything is written */
    char *table = NULL;
    sim_status_t st = report_summary(h5path, &table, err);
    if (st != SIM_OK)
        return st;
    hid_t f;
    if ((st = plot_open(h5path, &f, err)) != SIM_OK) {
        free(table);
        return st;
    }
    int present[NFIGURES][3] = {{0}}, zero[NFIGURES][3] = {{0}};
    for (size_t k = 0; k < NFIGURES; k++)
        for (size_t m = 0; m < 3 && figures[k].metrics[m]; m++) {
            present[k][m] = report_has_metric(f, figures[k].metrics[m]);
            zero[k][m] = present[k][m] && chart_all_zero(f, figures[k].metrics[m]);
        }
    report_t r;
    if ((st = report_open(&r, dir, err)) != SIM_OK) {
        H5Fclose(f);
        free(table);
        return st;
    }
    for (size_t k = 0; k < NFIGURES && st == SIM_OK; k++) {
        const char *drawn[3], *zeros[3];
        size_t n = 0, nz = 0;
        for (size_t m = 0; m < 3 && figures[k].metrics[m]; m++) {
            if (present[k][m] && zero[k][m])
                zeros[nz++] = figures[k].metrics[m];
            else if (present[k][m])
                drawn[n++] = figures[k].metrics[m];
        }
        if (n == 0 && nz == 0)
            continue;   /* e.g. no market in this file */
        report_heading(&r, figures[k].title);
        if (n > 0) {
            char path[4300];
            st = plot_fan(h5path, drawn, n, report_path(&r, figures[k].file, path, sizeof path), err);
            if (st == SIM_OK)
                st = report_made(&r, figures[k].file, err);
            if (st == SIM_OK)
                report_image(&r, figures[k].file, figures[k].title);
        }
        if (nz > 0) {
            char sentence[600];
            report_zero_sentence(f, zeros, nz, "every run", sentence, sizeof sentence);
            report_paragraph(&r, sentence);
        }
    }
    H5Fclose(f);
    st = report_close(&r, st, h5path, "tokensim report",
                      "<p>Bands are the 5-95 % and 25-75 % ranges across runs; the solid line is the median, the "
                      "dashed one the mean. Daily flows (units per day) start on day 1: day 0 is the starting "
                      "state. Quantities that cannot be negative are drawn from 0.</p>\n", table, err);
    free(table);
    return st;
}

sim_status_t report_write(const char *h5path, const char *dir, sim_error_t *err)
{
    /* a file that does not open goes the run's way, whose summary says why */
    char command[32] = "run";
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = access(h5path, R_OK) == 0 && H5Fis_hdf5(h5path) > 0 ? H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
    if (f >= 0) {
        h5util_read_text_attr(f, "/", "command", command, sizeof command);
        H5Fclose(f);
    }
    if (strcmp(command, "compare") == 0)
        return report_compare(h5path, dir, err);
    if (strcmp(command, "sweep") == 0)
        return report_sweep(h5path, dir, err);
    return report_run(h5path, dir, err);
}
