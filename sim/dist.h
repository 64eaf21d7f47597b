/*
 * Distribution of a campaign over MPI ranks (README.md, "Running on a
 * cluster"): which rank this is, the slice of a batch it simulates, and the
 * few collectives that keep every rank in step (agreeing on errors and on
 * the stop flag, broadcasting from and gathering to rank 0). Rank 0 alone
 * opens files and prints.
 *
 * Built with -DTOKENSIM_MPI (`make MPI=1`) these call MPI on MPI_COMM_WORLD;
 * without it, and in an MPI build whose main() never called dist_init()
 * (the unit tests), they are the one-process no-ops: rank 0 of 1. Only the
 * thread that called dist_init() may call them (MPI_THREAD_FUNNELED): the
 * OpenMP workers never do.
 *
 * Every function but dist_rank(), dist_size() and dist_slice() is collective:
 * all ranks must call it, in the same order. MPI's own failures (a lost
 * rank, a broken network) abort the job: MPI_ERRORS_ARE_FATAL, the last resort.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stddef.h>

#include "err.h"

/* Start MPI: when built with it and started by mpirun, mpiexec or srun (a
 * process started on its own is rank 0 of 1 and does not start MPI). */
sim_status_t dist_init(int *argc, char ***argv, sim_error_t *err);

/* Stop MPI; a no-op when dist_init() did not start it. */
void dist_finalize(void);

/* This process's rank (0 without MPI) and the number of ranks (1). */
int dist_rank(void);
int dist_size(void);

/* The contiguous slice [*lo, *hi) of count items that rank `rank` of `size`
 * handles: in rank order, the first count % size ranks one item more. */
void dist_slice(size_t count, int rank, int size, size_t *lo, size_t *hi);

/* 1 on every rank if flag is non-zero on any rank (the stop flag). */
int dist_any(int flag);

/* Agree on an outcome: if any rank's rc is not SIM_OK, every rank returns the
 * status and message of the lowest such rank (its *err is copied over). */
sim_status_t dist_agree(sim_status_t rc, sim_error_t *err);

/* Copy bytes at buf on rank 0 to buf on every rank. */
void dist_bcast(void *buf, size_t bytes);

/* Gather count items of item_bytes each to rank 0, each rank's dist_slice()
 * from that rank: on rank 0 buf holds all count items (its own slice already
 * in place, the others' land in theirs); on the others buf is just their
 * slice, and is left unchanged. */
void dist_gather(void *buf, size_t count, size_t item_bytes);

#endif
