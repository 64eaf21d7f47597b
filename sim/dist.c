/* Distribution over MPI ranks; see dist.h. */
#include "dist.h"

#include <limits.h>
#include <stdlib.h>

#ifdef TOKENSIM_MPI
#include <mpi.h>
#endif

/* MPI's world is one per process, so its coordinates are too: set once by
 * dist_init(), read-only afterwards. */
static int started;
static int my_rank;
static int nranks = 1;

void dist_slice(size_t count, int rank, int size, size_t *lo, size_t *hi)
{
    size_t r = (size_t)rank, base = count / (size_t)size, extra = count % (size_t)size;
    *lo = r * base + (r < extra ? r : extra);
    *hi = *lo + base + (r < extra ? 1 : 0);
}

int dist_rank(void)
{
    return started ? my_rank : 0;
}

int dist_size(void)
{
    return started ? nranks : 1;
}

#ifndef TOKENSIM_MPI

sim_status_t dist_init(int *argc, char ***argv, sim_error_t *err)
{
    (void)argc;
    (void)argv;
    (void)err;
    return SIM_OK;
}

void dist_finalize(void)
{
}

int dist_any(int flag)
{
    return flag != 0;
}

sim_status_t dist_agree(sim_status_t rc, sim_error_t *err)
{
    (void)err;
    return rc;
}

void dist_bcast(void *buf, size_t bytes)
{
    (void)buf;
    (void)bytes;
}

void dist_gather(void *buf, size_t count, size_t item_bytes)
{
    (void)buf;
    (void)count;
    (void)item_bytes;
}

#else

/* Started by a launcher (Open MPI's mpirun, an MPICH mpiexec, Slurm's srun)?
 * Each sets one of these. A process started on its own is one rank: it
 * skips MPI, and so needs neither Open MPI's daemon on the PATH nor the
 * third of a second that a singleton MPI_Init takes. */
static int launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

sim_status_t dist_init(int *argc, char ***argv, sim_error_t *err)
{
    if (!launched())
        return SIM_OK;
    int provided = 0, done = 0;
    MPI_Initialized(&done);
    if (!done && MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        SIM_FAIL(err, SIM_EIO, "MPI_Init_thread failed");
    if (!done && provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        SIM_FAIL(err, SIM_EIO, "MPI provides no thread support (MPI_THREAD_FUNNELED needed by OpenMP)");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    started = 1;
    return SIM_OK;
}

void dist_finalize(void)
{
    if (!started)
        return;
    started = 0;
    MPI_Finalize();
}

int dist_any(int flag)
{
    if (!started)
        return flag != 0;
    int mine = flag != 0, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return any;
}

sim_status_t dist_agree(sim_status_t rc, sim_error_t *err)
{
    if (!started)
        return rc;
    int mine = rc != SIM_OK ? my_rank : nranks, first = nranks;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == nranks)
        return SIM_OK;
    sim_error_t e;
    sim_error_clear(&e);
    if (my_rank == first) {
        e = *err;
        e.code = rc;   /* the caller's status, whatever the slot held */
    }
    MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD);
    *err = e;
    return e.code;
}

void dist_bcast(void *buf, size_t bytes)
{
    if (!started)
        return;
    for (size_t off = 0; off < bytes;) {   /* MPI counts are int */
        size_t n = bytes - off < (size_t)INT_MAX ? bytes - off : (size_t)INT_MAX;
        MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
        off += n;
    }
}

void dist_gather(void *buf, size_t count, size_t item_bytes)
{
    if (!started || nranks == 1)
        return;
    if (item_bytes > (size_t)INT_MAX || count > (size_t)INT_MAX) {
        /* a run's series above 2 GiB: no campaign comes near it */
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Datatype item;
    MPI_Type_contiguous((int)item_bytes, MPI_BYTE, &item);
    MPI_Type_commit(&item);
    if (my_rank == 0) {
        int *counts = malloc(2 * (size_t)nranks * sizeof *counts), *displs = counts + nranks;
        if (!counts)
            MPI_Abort(MPI_COMM_WORLD, 1);   /* 8 bytes a rank: nothing else would run either */
        for (int r = 0; r < nranks; r++) {
            size_t a, b;
            dist_slice(count, r, nranks, &a, &b);
            counts[r] = (int)(b - a);
            displs[r] = (int)a;
        }
        MPI_Gatherv(MPI_IN_PLACE, 0, item, buf, counts, displs, item, 0, MPI_COMM_WORLD);
        free(counts);
    } else {
        size_t lo, hi;
        dist_slice(count, my_rank, nranks, &lo, &hi);
        MPI_Gatherv(buf, (int)(hi - lo), item, NULL, NULL, NULL, item, 0, MPI_COMM_WORLD);
    }
    MPI_Type_free(&item);
}

#endif
