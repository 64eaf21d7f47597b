/* Paired campaigns; see compare.h. */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <omp.h>

#include "dist.h"
#include "metric_table.h"
#include "runner.h"

#define PAIRS_PER_THREAD_PER_BATCH 8

void compare_result_free(compare_result_t *r)
{
    free(r->time);
    free(r->base_mean); free(r->base_sd); free(r->prop_mean); free(r->prop_sd);
    free(r->diff_mean); free(r->diff_sd); free(r->ci_low); free(r->ci_high); free(r->var_ratio);
    memset(r, 0, sizeof *r);
}

/* Welford's running mean and sum of squares, one value at a time in run order. */
static void welford(double *mean, double *m2, double x, double n)
{
    double d = x - *mean;
    *mean += d / n;
    *m2 += d * (x - *mean);
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

sim_status_t compare_run(const params_t *base, const params_t *proposal, int threads, int progress,
                         h5out_t *file, compare_result_t *out, sim_error_t *err)
{
    memset(out, 0, sizeof *out);
    sim_status_t chk = compare_check(base, proposal, err);
    if (chk != SIM_OK)
        return chk;
    if (threads < 1)
        threads = 1;
    size_t runs = (size_t)base->runs, nt = runner_ntimes(base), stride = METRIC_COUNT * nt;
    /* pairs for every thread of every rank (as many threads as rank 0's), in
     * whole chunk rows of rank 0's file: the writer's parallel path */
    size_t batch = (size_t)dist_size() * (size_t)threads * PAIRS_PER_THREAD_PER_BATCH, rows = batch;
    if (file) {
        rows = h5out_chunk_rows(file);
        batch = (batch + rows - 1) / rows * rows;
    }
    if (batch > runs)
        batch = runs;
    dist_bcast(&batch, sizeof batch);
    /* rank 0 holds a batch of each arm, the others their largest slice */
    int root = dist_rank() == 0;
    size_t lo, hi;
    dist_slice(batch, 0, dist_size(), &lo, &hi);
    size_t held = root ? batch : hi;
    double *bb = malloc(held * stride * sizeof *bb), *pb = malloc(held * stride * sizeof *pb);
    double *m2b = calloc(stride, sizeof *m2b), *m2p = calloc(stride, sizeof *m2p), *m2d = calloc(stride, sizeof *m2d);
    world_t **wb = calloc((size_t)threads, sizeof *wb), **wp = calloc((size_t)threads, sizeof *wp);
    sim_error_t *errs = calloc(2 * batch, sizeof *errs);
    out->time = malloc(nt * sizeof *out->time);
    double **arrays[] = {&out->base_mean, &out->base_sd, &out->prop_mean, &out->prop_sd, &out->diff_mean,
                         &out->diff_sd, &out->ci_low, &out->ci_high, &out->var_ratio};
    int bad = !bb || !pb || !m2b || !m2p || !m2d || !wb || !wp || !errs || !out->time;
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
        bad |= !(*arrays[a] = calloc(stride, sizeof **arrays[a]));
    sim_status_t rc = SIM_OK;
    if (bad)
        rc = sim_fail(err, SIM_ENOMEM, "compare: out of memory (%zu pairs x %zu metrics x %zu times a batch)",
                      batch, (size_t)METRIC_COUNT, nt);
    for (int t = 0; t < threads && rc == SIM_OK; t++) {
        rc = world_create(&wb[t], base, err);
        if (rc == SIM_OK)
            rc = world_create(&wp[t], proposal, err);
    }
    rc = dist_agree(rc, err);
    if (rc == SIM_OK) {
        runner_times(base, out->time);
        out->ntimes = nt;
        out->runs = runs;
    }
    double t0 = omp_get_wtime();
    for (size_t first = 0; first < runs && rc == SIM_OK; first += batch) {
        size_t count = runs - first < batch ? runs - first : batch;
        dist_slice(count, dist_rank(), dist_size(), &lo, &hi);   /* this rank's pairs (all of them without MPI) */
        size_t at = root ? lo : 0;   /* where pair lo goes in bb and pb */
        for (size_t i = 2 * lo; i < 2 * hi; i++)
            sim_error_clear(&errs[i]);
        /* replication k of both arms: the same streams, whichever rank or thread runs it */
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (size_t i = 2 * lo; i < 2 * hi; i++) {
            int th = omp_get_thread_num();
            size_t k = i / 2;
            if (i % 2 == 0)
                runner_simulate(wb[th], 0, first + k, bb + (at + k - lo) * stride, nt, &errs[i]);
            else
                runner_simulate(wp[th], 0, first + k, pb + (at + k - lo) * stride, nt, &errs[i]);
        }
        char rank[32] = "";
        if (dist_size() > 1)
            snprintf(rank, sizeof rank, "rank %d, ", dist_rank());
        for (size_t i = 2 * lo; i < 2 * hi && rc == SIM_OK; i++)
            if (errs[i].code != SIM_OK)
                rc = sim_fail(err, errs[i].code, "%s%s arm, run %zu: %s", rank, i % 2 ? "proposal" : "base",
                              first + i / 2, errs[i].msg);
        /* rank 0 gathers the slices, writes and sums them up in run order */
        dist_gather(bb, count, stride * sizeof *bb);
        dist_gather(pb, count, stride * sizeof *pb);
        rc = dist_agree(rc, err);   /* the lowest rank's failure is the first in run order */
        /* one chunk row of each arm at a time: the same calls into the writer, and
         * so the same bytes, whatever the batch size (threads and ranks) */
        for (size_t i = 0; root && file && i < count && rc == SIM_OK; i += rows) {
            size_t n = count - i < rows ? count - i : rows;
            rc = h5out_write_point_runs(file, 0, first + i, n, bb + i * stride, err);
            if (rc == SIM_OK)
                rc = h5out_write_point_runs(file, 1, first + i, n, pb + i * stride, err);
        }
        for (size_t k = 0; root && k < count && rc == SIM_OK; k++) {
            double n = (double)(first + k + 1);
            const double *x = bb + k * stride, *y = pb + k * stride;
            for (size_t j = 0; j < stride; j++) {
                welford(&out->base_mean[j], &m2b[j], x[j], n);
                welford(&out->prop_mean[j], &m2p[j], y[j], n);
                welford(&out->diff_mean[j], &m2d[j], y[j] - x[j], n);
            }
        }
        rc = dist_agree(rc, err);   /* rank 0's writes */
        if (progress && rc == SIM_OK) {
            double el = omp_get_wtime() - t0, done = (double)(first + count);
            fprintf(stderr, "\rpairs %zu/%zu  %.1f pairs/s  ETA %.0f s   ", first + count, runs, done / el,
                    (double)(runs - first - count) / (done / el));
            if (first + count == runs)
                fputc('\n', stderr);
        }
    }
    if (rc == SIM_OK) {
        double n = (double)runs;
        double tq = runs > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) : 0.0;
        for (size_t j = 0; j < stride; j++) {
            double vb = runs > 1 ? m2b[j] / (n - 1) : 0, vp = runs > 1 ? m2p[j] / (n - 1) : 0;
            double vd = runs > 1 ? m2d[j] / (n - 1) : 0;
            out->base_sd[j] = sqrt(vb);
            out->prop_sd[j] = sqrt(vp);
            out->diff_sd[j] = sqrt(vd);
            double half = tq * out->diff_sd[j] / sqrt(n);
            out->ci_low[j] = out->diff_mean[j] - half;
            out->ci_high[j] = out->diff_mean[j] + half;
            out->var_ratio[j] = vd > 0 ? (vb + vp) / vd : (vb + vp > 0 ? INFINITY : 1.0);
        }
    }
    for (int t = 0; t < threads; t++) {
        if (wb) world_destroy(wb[t]);
        if (wp) world_destroy(wp[t]);
    }
    free(wb); free(wp); free(errs); free(bb); free(pb); free(m2b); free(m2p); free(m2d);
    if (rc != SIM_OK)
        compare_result_free(out);
    return rc;
}
