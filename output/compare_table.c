/* The comparison's table; see compare_table.h. */
#include "compare_table.h"

#include <math.h>
#include <string.h>

#include "numfmt.h"
#include "texttable.h"

const char *const compare_headline[] = {
    "supply_total", "minted", "inflation", "bonded_ratio", "staking_apr", "community_pool",
    "burned", "price_usd", "spend_usd", "take_fees_usd", "providers_active", "gpu_utilisation",
};
const size_t compare_nheadline = sizeof compare_headline / sizeof compare_headline[0];

/* Significant digits of a row's means; the difference and interval get the same decimals. */
#define ROW_DIGITS 5

compare_verdict_t compare_verdict(double base_mean, double diff_mean, double diff_sd, double ci_low,
                                  double ci_high)
{
    int identical = diff_mean == 0 && diff_sd == 0;
    int excludes = ci_low > 0 || ci_high < 0;
    if (identical || (excludes && fabs(diff_mean) < COMPARE_NIL_FRACTION * fabs(base_mean)))
        return COMPARE_NIL;
    return excludes ? COMPARE_CLEAR : COMPARE_UNCLEAR;
}

const char *compare_verdict_name(compare_verdict_t v)
{
    return v == COMPARE_CLEAR ? "clear" : v == COMPARE_NIL ? "nil" : "unclear";
}

enum { C_METRIC, C_UNITS, C_DAY, C_BASE, C_PROP, C_DIFF, C_PCT, C_CI, C_VERDICT, C_VR, NCOLS };

static void fill_row(texttable_cell_t *row, const compare_file_t *c, size_t m, size_t i)
{
    size_t j = m * c->ntimes + i;
    double base = c->base_mean[j], prop = c->prop_mean[j], diff = c->diff_mean[j];
    int dec = numfmt_decimals(fabs(base) > fabs(prop) ? base : prop, ROW_DIGITS);
    snprintf(row[C_METRIC], TEXTTABLE_CELL, "%s", c->names[m]);
    snprintf(row[C_UNITS], TEXTTABLE_CELL, "%s", c->units[m]);
    numfmt_fixed(c->time[i], 0, row[C_DAY], TEXTTABLE_CELL);
    numfmt_fixed(base, dec, row[C_BASE], TEXTTABLE_CELL);
    numfmt_fixed(prop, dec, row[C_PROP], TEXTTABLE_CELL);
    numfmt_fixed(diff, dec, row[C_DIFF], TEXTTABLE_CELL);
    if (base == 0 || !isfinite(base)) {
        snprintf(row[C_PCT], TEXTTABLE_CELL, "-");
    } else {
        double pct = 100.0 * diff / fabs(base);
        numfmt_fixed(pct, numfmt_decimals(pct, 3), row[C_PCT], TEXTTABLE_CELL);
    }
    char lo[40], hi[40];
    numfmt_fixed(c->ci_low[j], dec, lo, sizeof lo);
    numfmt_fixed(c->ci_high[j], dec, hi, sizeof hi);
    snprintf(row[C_CI], TEXTTABLE_CELL, "[%s, %s]", lo, hi);
    compare_verdict_t v = compare_verdict(base, diff, c->diff_sd[j], c->ci_low[j], c->ci_high[j]);
    snprintf(row[C_VERDICT], TEXTTABLE_CELL, "%s", compare_verdict_name(v));
    /* differences that do not vary leave pairing nothing to reduce: its ratio is infinite or 0/0 */
    double vr = c->var_ratio[j];
    if (c->diff_sd[j] == 0 && diff == 0)
        snprintf(row[C_VR], TEXTTABLE_CELL, "identical");
    else if (c->diff_sd[j] == 0 || !isfinite(vr))
        snprintf(row[C_VR], TEXTTABLE_CELL, "-");
    else
        numfmt_fixed(vr, numfmt_decimals(vr, 3), row[C_VR], TEXTTABLE_CELL);
}

int compare_table_print(const compare_file_t *c, const size_t *metric, size_t nm, const size_t *time_idx,
                        size_t nt, FILE *out)
{
    static const char *const head[NCOLS] = {"metric", "units", "day", "base mean", "proposal mean", "difference",
                                            "difference %", "95 % CI", "verdict", "variance reduction"};
    texttable_t t = texttable_new(NCOLS, 1u << C_METRIC | 1u << C_UNITS | 1u << C_VERDICT);
    texttable_cell_t *row = texttable_row(&t);
    for (int k = 0; row && k < NCOLS; k++)
        snprintf(row[k], TEXTTABLE_CELL, "%s", head[k]);
    for (size_t a = 0; a < nm && row; a++) {
        if (a > 0 && nt > 1)    /* an empty line between metrics of several rows */
            row = texttable_row(&t);
        for (size_t b = 0; b < nt && row; b++)
            if ((row = texttable_row(&t)) != NULL)
                fill_row(row, c, metric[a], time_idx[b]);
    }
    int rc = row ? texttable_print(&t, out) : -1;
    texttable_free(&t);
    if (rc != 0)
        return rc;
    fputs("\ndifference: proposal - base, the mean of the run-by-run (paired) differences, in the metric's "
          "units;\n  difference %: of |base mean| (- where the base mean is 0); 95 % CI: the interval of the "
          "mean difference.\n"
          "verdict: clear = the CI excludes 0; nil = the CI excludes 0 (or every paired difference is 0) but "
          "the\n  difference is under 0.01 % of |base mean|: real, and negligible; unclear = the CI includes 0 "
          "(more runs\n  may settle it).\n"
          "variance reduction: (var base + var proposal) / var of the paired differences, how many times "
          "fewer runs\n  pairing needs than independent arms; identical = every paired difference is 0; "
          "- = the differences do\n  not vary (a fixed shift): no noise left to reduce.\n", out);
    return 0;
}
