#!/bin/bash
# An example Slurm batch script for a large tokensim campaign: one MPI rank per
# node, OpenMP threads on every core of it (README, "Running on a cluster").
# The result file is the one a single machine writes, bit for bit.
#
#   make MPI=1                      # once, on a login node: build/mpi/tokensim
#   sbatch docs/slurm-example.sh    # from the tokensim directory
#
# Adapt the #SBATCH lines (partition, account, cores per node) and the
# campaign below. If the job reaches its time limit, it stops in time, keeps
# every finished run in OUT.partial and, with --requeue, runs again and
# continues them (the same command: it sees the partial file).
#
#SBATCH --job-name=tokensim
#SBATCH --nodes=4
#SBATCH --ntasks-per-node=1          # one rank per node ...
#SBATCH --cpus-per-task=32           # ... with this many OpenMP threads (the node's cores)
#SBATCH --time=12:00:00
#SBATCH --signal=B:USR1@600          # 10 min before the limit: SIGUSR1 to this script (see trap)
#SBATCH --requeue                    # allow scontrol requeue below
#SBATCH --output=tokensim-%j.log
set -u

# module load openmpi               # where the cluster uses environment modules

SCENARIO=scenarios/akash-2024.yaml
OUT=$PWD/results/akash-2024-100k.h5  # rank 0 (the first node) writes it: a shared or its own disk
RUNS=100000

# Threads per rank: every core Slurm gave the task. -x passes the variable to
# the ranks on the other nodes (mpirun forwards only what -x names).
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}

# An interrupted earlier job left OUT.partial: continue it (any number of nodes).
if [ -e "$OUT.partial" ]; then
    WHERE="--resume $OUT"
else
    WHERE="-o $OUT"
    mkdir -p "$(dirname "$OUT")"
fi

# Inside an allocation mpirun starts one rank per Slurm task (4 here).
# --bind-to none: else Open MPI binds each rank to one core (np <= 2) or one
# socket, and OpenMP gets only those. --quiet: no progress line in a log file.
mpirun --bind-to none -x OMP_NUM_THREADS \
    build/mpi/tokensim run "$SCENARIO" -n "$RUNS" $WHERE --quiet &
pid=$!

# SIGUSR1 (from --signal above, or `scancel --batch --signal=USR1 JOBID` by
# hand) goes on to mpirun, which forwards it to every rank: the runs in flight
# stop, rank 0 keeps the finished ones in OUT.partial, the ranks exit 138.
# (SIGINT or SIGTERM to mpirun would send SIGTERM, then SIGKILL 1 s later:
# raise --mca odls_base_sigkill_timeout if you rely on them.)
trap 'kill -USR1 $pid' USR1
status=0
while kill -0 $pid 2>/dev/null; do   # a trapped signal cuts wait short: wait again
    wait $pid
    status=$?
done

# 138 = 128 + SIGUSR1: stopped in time. Continue in a new allocation (drop this
# to continue by hand: sbatch again). Any other failure (exit 1: a run failed,
# the message names its rank and run) needs a look first.
if [ $status -eq 138 ] && [ -e "$OUT.partial" ]; then
    echo "tokensim stopped before the time limit; the finished runs are in $OUT.partial"
    scontrol requeue "$SLURM_JOB_ID"
fi
exit $status

# srun instead of mpirun (where Open MPI was built with Slurm's PMIx support):
#   srun --cpu-bind=none build/mpi/tokensim run "$SCENARIO" -n "$RUNS" $WHERE --quiet
# and --signal=USR1@600 (without B:), which Slurm sends to every rank itself.
