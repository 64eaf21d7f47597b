/* Morris and Sobol sensitivity estimators; see sensitivity.h. */
#include "sensitivity.h"

#include <math.h>
#include <stdlib.h>

/* z for a two-sided 95 % normal interval */
#define Z95 1.959963984540054

/* Running mean and sum of squared deviations (Welford), per slot. */
static void welford_add(double *mean, double *m2, size_t count, double x)
{
    double d = x - *mean;
    *mean += d / (double)count;
    *m2 += d * (x - *mean);
}

sim_status_t sensitivity_morris(const double *x, const double *y, const double *lo, const double *hi,
                                size_t k, size_t r, size_t resamples, sensitivity_morris_t *out,
                                gsl_rng *rng, sim_error_t *err)
{
    if (k == 0 || r < 2)
        SIM_FAIL(err, SIM_EINVAL, "morris: %zu parameters and %zu trajectories (at least 1 and 2)", k, r);
    for (size_t j = 0; j < k; j++)
        if (!(hi[j] > lo[j]))
            SIM_FAIL(err, SIM_EINVAL, "morris: parameter %zu: empty range [%g, %g]", j, lo[j], hi[j]);
    /* ee[t k + j]: the effect of parameter j in trajectory t; then bootstrap scratch */
    double *ee = malloc((r * k + 3 * k) * sizeof *ee);
    size_t *pick = malloc(r * sizeof *pick);
    if (!ee || !pick) {
        free(ee);
        free(pick);
        SIM_FAIL(err, SIM_ENOMEM, "morris: out of memory for %zu x %zu effects", r, k);
    }
    double *est = ee + r * k, *bmean = est + k, *bm2 = bmean + k;
    for (size_t t = 0; t < r; t++) {
        unsigned moved = 0;     /* bit j: parameter j has had its step in this trajectory */
        for (size_t s = 1; s <= k; s++) {
            size_t a = t * (k + 1) + s - 1, b = a + 1;
            size_t j = k, changed = 0;
            for (size_t i = 0; i < k; i++)
                if (x[b * k + i] != x[a * k + i]) {
                    changed++;
                    j = i;
                }
            if (changed != 1 || (moved >> j & 1u)) {
                free(ee);
                free(pick);
                SIM_FAIL(err, SIM_EINVAL, "morris: trajectory %zu, step %zu: %zu parameters change (a Morris "
                         "trajectory moves one parameter a step, each once)", t, s, changed);
            }
            moved |= 1u << j;
            ee[t * k + j] = (y[b] - y[a]) / ((x[b * k + j] - x[a * k + j]) / (hi[j] - lo[j]));
        }
    }
    for (size_t j = 0; j < k; j++) {
        double mean = 0, m2 = 0, abs_sum = 0;
        for (size_t t = 0; t < r; t++) {
            welford_add(&mean, &m2, t + 1, ee[t * k + j]);
            abs_sum += fabs(ee[t * k + j]);
        }
        out[j].mu = mean;
        out[j].mu_star = abs_sum / (double)r;
        out[j].sigma = sqrt(m2 / (double)(r - 1));
        out[j].mu_star_ci = 0.0;
        bmean[j] = bm2[j] = 0.0;
    }
    /* bootstrap: resample trajectories (one set of picks for every parameter) */
    for (size_t b = 0; b < resamples; b++) {
        for (size_t i = 0; i < r; i++)
            pick[i] = gsl_rng_uniform_int(rng, r);
        for (size_t j = 0; j < k; j++) {
            double sum = 0;
            for (size_t i = 0; i < r; i++)
                sum += fabs(ee[pick[i] * k + j]);
            est[j] = sum / (double)r;
            welford_add(&bmean[j], &bm2[j], b + 1, est[j]);
        }
    }
    for (size_t j = 0; j < k && resamples > 1; j++)
        out[j].mu_star_ci = Z95 * sqrt(bm2[j] / (double)(resamples - 1));
    free(ee);
    free(pick);
    return SIM_OK;
}

/* S1, ST and V from the blocks idx[0..n) (all blocks in order when idx is
 * NULL) of y - shift; s1 and st [k]. */
static void sobol_estimate(const double *y, size_t k, size_t n, double shift, const size_t *idx,
                           double *s1, double *st, double *variance)
{
    size_t w = k + 2;
    double mean = 0, m2 = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const double *blk = y + (idx ? idx[i] : i) * w;
        welford_add(&mean, &m2, ++count, blk[0] - shift);
        welford_add(&mean, &m2, ++count, blk[k + 1] - shift);
    }
    double v = m2 / (double)count;
    *variance = v;
    for (size_t j = 0; j < k; j++) {
        double first = 0, total = 0;
        for (size_t i = 0; i < n; i++) {
            const double *blk = y + (idx ? idx[i] : i) * w;
            double ya = blk[0] - shift, yab = blk[1 + j] - shift, yb = blk[k + 1] - shift;
            first += yb * (yab - ya);
            total += (ya - yab) * (ya - yab);
        }
        s1[j] = v > 0 ? first / (double)n / v : 0.0;
        st[j] = v > 0 ? total / (2.0 * (double)n) / v : 0.0;
    }
}

sim_status_t sensitivity_sobol(const double *y, size_t k, size_t n, size_t resamples,
                               sensitivity_sobol_t *out, double *variance, gsl_rng *rng, sim_error_t *err)
{
    if (k == 0 || n < 2)
        SIM_FAIL(err, SIM_EINVAL, "sobol: %zu parameters and %zu samples (at least 1 and 2)", k, n);
    double *work = malloc(6 * k * sizeof *work);
    size_t *pick = malloc(n * sizeof *pick);
    if (!work || !pick) {
        free(work);
        free(pick);
        SIM_FAIL(err, SIM_ENOMEM, "sobol: out of memory for %zu samples", n);
    }
    double *s1 = work, *st = s1 + k, *m1 = st + k, *q1 = m1 + k, *mt = q1 + k, *qt = mt + k;
    /* centre on the mean of every point: the estimators' products then lose no digits to a large mean */
    double shift = 0;
    for (size_t i = 0; i < n * (k + 2); i++)
        shift += (y[i] - shift) / (double)(i + 1);
    sobol_estimate(y, k, n, shift, NULL, s1, st, variance);
    for (size_t j = 0; j < k; j++) {
        out[j] = (sensitivity_sobol_t){.s1 = s1[j], .st = st[j]};
        m1[j] = q1[j] = mt[j] = qt[j] = 0.0;
    }
    double v;
    for (size_t b = 0; b < resamples; b++) {
        for (size_t i = 0; i < n; i++)
            pick[i] = gsl_rng_uniform_int(rng, n);
        sobol_estimate(y, k, n, shift, pick, s1, st, &v);
        for (size_t j = 0; j < k; j++) {
            welford_add(&m1[j], &q1[j], b + 1, s1[j]);
            welford_add(&mt[j], &qt[j], b + 1, st[j]);
        }
    }
    for (size_t j = 0; j < k && resamples > 1; j++) {
        out[j].s1_ci = Z95 * sqrt(q1[j] / (double)(resamples - 1));
        out[j].st_ci = Z95 * sqrt(qt[j] / (double)(resamples - 1));
    }
    free(work);
    free(pick);
    return SIM_OK;
}

/* a before b: larger score, numbers before NaN, then smaller index */
static int ranks_before(const double *score, size_t a, size_t b)
{
    int na = isnan(score[a]), nb = isnan(score[b]);
    if (na != nb)
        return nb;
    if (!na && score[a] != score[b])
        return score[a] > score[b];
    return a < b;
}

void sensitivity_rank(const double *score, size_t k, size_t *order)
{
    for (size_t i = 0; i < k; i++) {
        size_t v = i, p = i;
        while (p > 0 && ranks_before(score, v, order[p - 1])) {
            order[p] = order[p - 1];
            p--;
        }
        order[p] = v;
    }
}
