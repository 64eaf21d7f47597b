/*
 * make bench's floor: the random draws of a campaign alone. Given the draws
 * per stream that `tokensim run` reported for RUNS runs, draw the same counts
 * from the same streams (seed, run, purpose), run by run on THREADS OpenMP
 * threads as the runner does, and print the wall time. The ratio of the
 * campaign's time to this one says how much the model costs beyond its
 * random numbers (issue 10).
 *
 * usage: bench_floor SEED RUNS THREADS STAKING DEMAND PRICE PROVIDERS
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <omp.h>

#include "rng.h"

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: bench_floor SEED RUNS THREADS STAKING DEMAND PRICE PROVIDERS\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    uint64_t runs = strtoull(argv[2], NULL, 10);
    int threads = atoi(argv[3]);
    static const uint64_t purpose[4] = { RNG_STAKING, RNG_DEMAND, RNG_PRICE, RNG_PROVIDERS };
    uint64_t total[4];
    for (int k = 0; k < 4; k++)
        total[k] = strtoull(argv[4 + k], NULL, 10);
    if (runs == 0 || threads < 1) {
        fprintf(stderr, "bench_floor: RUNS and THREADS must be positive\n");
        return 2;
    }
    gsl_rng **r = calloc((size_t)threads, sizeof *r);
    if (!r) {
        fprintf(stderr, "bench_floor: out of memory\n");
        return 1;
    }
    /* each thread allocates its own generator (its own malloc arena): two
     * states on one cache line would make the floor slower on 2 threads than
     * on 1, as the worlds of the runner never are */
    int bad = 0;
#pragma omp parallel num_threads(threads) reduction(| : bad)
    {
        int t = omp_get_thread_num();
        r[t] = rng_stream_alloc(seed, 0, 0, 1);
        bad |= r[t] == NULL;
    }
    if (bad) {
        fprintf(stderr, "bench_floor: out of memory\n");
        return 1;
    }
    double sink = 0.0, t0 = omp_get_wtime();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : sink)
    for (uint64_t run = 0; run < runs; run++) {
        gsl_rng *g = r[omp_get_thread_num()];
        for (int k = 0; k < 4; k++) {
            /* this run's share of the stream's draws: the total spread evenly */
            uint64_t n = total[k] / runs + (run < total[k] % runs);
            rng_stream_seed(g, seed, 0, run, purpose[k]);
            for (uint64_t i = 0; i < n; i++)
                sink += gsl_rng_uniform(g);
        }
    }
    double secs = omp_get_wtime() - t0;
    uint64_t all = total[0] + total[1] + total[2] + total[3];
    printf("floor: %" PRIu64 " draws in %.3f s on %d thread%s (%.3g draws/s) [%g]\n", all, secs, threads,
           threads == 1 ? "" : "s", secs > 0 ? (double)all / secs : 0.0, sink > 0 ? 1.0 : 0.0);
    for (int t = 0; t < threads; t++)
        gsl_rng_free(r[t]);
    free(r);
    return 0;
}
