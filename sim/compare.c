/* Paired campaigns; see compare.h. */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "dist.h"
#include "scenario.h"

void compare_free(compare_t *cmp)
{
    free(cmp->base_yaml);
    free(cmp->time);
    free(cmp->base_mean); free(cmp->base_sd); free(cmp->prop_mean); free(cmp->prop_sd);
    free(cmp->diff_mean); free(cmp->diff_sd); free(cmp->ci_low); free(cmp->ci_high); free(cmp->var_ratio);
    free(cmp->m2_base); free(cmp->m2_prop); free(cmp->m2_diff);
    memset(cmp, 0, sizeof *cmp);
}

sim_status_t compare_check(const params_t *base, const params_t *proposal, sim_error_t *err)
{
    if (base->days != proposal->days || base->output.record_every_days != proposal->output.record_every_days)
        SIM_FAIL(err, SIM_EINVAL, "compare: both scenarios need the same days and output.record_every_days "
                 "(base %lld/%lld, proposal %lld/%lld)", (long long)base->days,
                 (long long)base->output.record_every_days, (long long)proposal->days,
                 (long long)proposal->output.record_every_days);
    if (base->seed != proposal->seed)
        SIM_FAIL(err, SIM_EINVAL, "compare: both scenarios need the same seed (common random numbers): "
                 "base %lld, proposal %lld", (long long)base->seed, (long long)proposal->seed);
    return SIM_OK;
}

/* Welford's running mean and sum of squares, one value at a time in run order. */
static void welford(double *mean, double *m2, double x, double n)
{
    double d = x - *mean;
    *mean += d / n;
    *m2 += d * (x - *mean);
}

static sim_status_t arm_params(void *ctx, size_t k, params_t *out, sim_error_t *err)
{
    (void)err;
    *out = *((const compare_t *)ctx)->arm[k];
    return SIM_OK;
}

/* Rank 0, batch by batch in run order: runs[0] the base's, runs[1] the proposal's. */
static void accumulate(void *ctx, size_t point, size_t npoints, size_t first, size_t count,
                       const double *const *runs)
{
    (void)point;
    (void)npoints;
    compare_t *cmp = ctx;
    size_t stride = cmp->file.nmetrics * cmp->file.ntimes;
    for (size_t k = 0; k < count; k++) {
        double n = (double)(first + k + 1);
        const double *x = runs[0] + k * stride, *y = runs[1] + k * stride;
        for (size_t j = 0; j < stride; j++) {
            welford(&cmp->base_mean[j], &cmp->m2_base[j], x[j], n);
            welford(&cmp->prop_mean[j], &cmp->m2_prop[j], y[j], n);
            welford(&cmp->diff_mean[j], &cmp->m2_diff[j], y[j] - x[j], n);
        }
    }
}

/* Every run is in: the standard deviations, the confidence intervals and the
 * variance ratios, then /compare into the complete file. */
static sim_status_t add_comparison(const char *tmp_path, void *ctx, sim_error_t *err)
{
    compare_t *cmp = ctx;
    size_t runs = cmp->file.runs, stride = cmp->file.nmetrics * cmp->file.ntimes;
    double n = (double)runs;
    double tq = runs > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) : 0.0;
    for (size_t j = 0; j < stride; j++) {
        double vb = runs > 1 ? cmp->m2_base[j] / (n - 1) : 0, vp = runs > 1 ? cmp->m2_prop[j] / (n - 1) : 0;
        double vd = runs > 1 ? cmp->m2_diff[j] / (n - 1) : 0;
        cmp->base_sd[j] = sqrt(vb);
        cmp->prop_sd[j] = sqrt(vp);
        cmp->diff_sd[j] = sqrt(vd);
        double half = tq * cmp->diff_sd[j] / sqrt(n);
        cmp->ci_low[j] = cmp->diff_mean[j] - half;
        cmp->ci_high[j] = cmp->diff_mean[j] + half;
        cmp->var_ratio[j] = vd > 0 ? (vb + vp) / vd : (vb + vp > 0 ? INFINITY : 1.0);
    }
    return compare_file_append(tmp_path, &cmp->file, err);
}

sim_status_t compare_campaign(const params_t *base, const params_t *proposal, const runner_opts_t *opts,
                              compare_t *cmp, runner_stats_t *stats, sim_error_t *err)
{
    memset(cmp, 0, sizeof *cmp);
    sim_status_t rc = compare_check(base, proposal, err);
    if (rc != SIM_OK)
        return rc;
    size_t nt = runner_ntimes(proposal), stride = METRIC_COUNT * nt;
    cmp->arm[0] = base;
    cmp->arm[1] = proposal;
    for (size_t m = 0; m < METRIC_COUNT; m++) {
        cmp->names[m] = metric_table[m].name;
        cmp->units[m] = metric_table[m].unit;
        cmp->descriptions[m] = metric_table[m].description;
    }
    cmp->base_yaml = scenario_to_yaml(base);
    cmp->time = malloc(nt * sizeof *cmp->time);
    double **arrays[] = {&cmp->base_mean, &cmp->base_sd, &cmp->prop_mean, &cmp->prop_sd, &cmp->diff_mean,
                         &cmp->diff_sd, &cmp->ci_low, &cmp->ci_high, &cmp->var_ratio,
                         &cmp->m2_base, &cmp->m2_prop, &cmp->m2_diff};
    int bad = !cmp->base_yaml || !cmp->time;
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
        bad |= !(*arrays[a] = calloc(stride, sizeof **arrays[a]));
    if (bad)
        rc = sim_fail(err, SIM_ENOMEM, "compare: out of memory (%zu metrics x %zu times)", (size_t)METRIC_COUNT, nt);
    if (dist_agree(rc, err) != SIM_OK)
        return err->code;
    runner_times(proposal, cmp->time);
    cmp->file = (compare_file_t){
        .path = opts->out_path, .base_name = base->name, .proposal_name = proposal->name,
        .base_yaml = cmp->base_yaml, .seed = (uint64_t)base->seed, .runs = (size_t)proposal->runs,
        .days = base->days, .record_every_days = base->output.record_every_days, .ntimes = nt,
        .time = cmp->time, .nmetrics = METRIC_COUNT, .names = cmp->names, .units = cmp->units,
        .descriptions = cmp->descriptions, .base_mean = cmp->base_mean, .base_sd = cmp->base_sd,
        .prop_mean = cmp->prop_mean, .prop_sd = cmp->prop_sd, .diff_mean = cmp->diff_mean,
        .diff_sd = cmp->diff_sd, .ci_low = cmp->ci_low, .ci_high = cmp->ci_high, .var_ratio = cmp->var_ratio,
    };
    /* the file: /runs and /summary of both arms ([arm, runs, times]), then /compare */
    static const char *const arms[] = {"base", "proposal"};
    static const char *const arm_names[] = {"base arm", "proposal arm"};
    runner_points_t points = {.npoints = 2, .paired = 1, .dim = "arm", .labels = arms, .names = arm_names,
                              .unit = "pairs", .point_params = arm_params, .on_batch = accumulate,
                              .before_publish = add_comparison, .ctx = cmp};
    runner_opts_t o = *opts;
    o.params = proposal;
    o.points = &points;
    o.command = "compare";
    o.resume_path = o.partial_path = o.how_to_continue = NULL;
    return runner_campaign(&o, stats, err);
}
