#!/bin/sh
# MPI tests of tokensim (run by `make test-mpi` and .ci/run).
# usage: sh tests/mpi.sh build/tokensim build/mpi/tokensim
# The MPI build (make MPI=1), as a singleton and under mpirun -np 1, 2 and 3,
# must write the serial build's file byte for byte (SOURCE_DATE_EPOCH
# pins created_utc): run, sweep, compare. Then
# interruption and --resume under MPI (TOKENSIM_TEST_STOP_AFTER_RUNS and a
# real SIGINT to mpirun), and a failing rank (TOKENSIM_TEST_FAIL_RUN: fault
# injection): a clear message naming rank and run, a resumable file, no hang.
# The machine may have fewer cores than ranks: --oversubscribe; OpenMP threads
# need --bind-to none (mpirun binds each rank to one core for np <= 2).
set -u
SERIAL=${1:-build/tokensim}
MPIBIN=${2:-build/mpi/tokensim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

command -v mpirun >/dev/null || { echo "FAIL mpirun not found (apt-get install openmpi-bin libopenmpi-dev)"; exit 1; }
[ -x "$MPIBIN" ] || { echo "FAIL $MPIBIN not built (make MPI=1)"; exit 1; }
if [ "$(id -u)" = 0 ]; then   # Open MPI refuses root without both
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Containers (Docker's default seccomp profile) forbid the cross-memory attach that
# Open MPI's shared-memory transport uses for large messages, such as a batch's
# gather ("Read -1, expected ..., errno = 1", open-mpi/ompi#4948): plain copies.
export OMPI_MCA_btl_vader_single_copy_mechanism=${OMPI_MCA_btl_vader_single_copy_mechanism:-none}
# a hung collective must fail the test, not the CI job: every mpirun has a time limit
MPIRUN="mpirun --oversubscribe --bind-to none --timeout 300"
export SOURCE_DATE_EPOCH=1700000000   # created_utc: files comparable byte for byte

SC=scenarios/akash-2024.yaml
TE="--set providers.initial=0 --set tenants.orders_per_day=0"   # token economy only: fast

# bytes NAME A B: the same bytes as the serial file (which implies every object
# identical; h5diff would take seconds to a minute on these files)
bytes() { check "$1: byte for byte the serial file" "cmp -s '$2' '$3'"; }

# 1. run: the whole model (one batch), then 300 runs of the token economy (three batches
#    of 128 runs split over the ranks, the last one partial)
"$SERIAL" run $SC -n 24 --days 120 -j 2 -o "$TMP/s.h5" --quiet
"$MPIBIN" run $SC -n 24 --days 120 -j 2 -o "$TMP/m0.h5" --quiet
bytes "run, MPI build without mpirun" "$TMP/s.h5" "$TMP/m0.h5"
for np in 1 2 3; do
    $MPIRUN -np $np "$MPIBIN" run $SC -n 24 --days 120 -j 1 -o "$TMP/m$np.h5" --quiet
    bytes "run, mpirun -np $np" "$TMP/s.h5" "$TMP/m$np.h5"
done
"$SERIAL" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/whole.h5" --quiet
for np in 1 2 3; do
    $MPIRUN -np $np "$MPIBIN" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/w$np.h5" --quiet
    bytes "run of 300 runs in 3 batches, mpirun -np $np -j 2" "$TMP/whole.h5" "$TMP/w$np.h5"
done
# batches of 256 runs (3 ranks x 6 threads x 8, in whole chunk rows) instead of 128
$MPIRUN -np 3 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 6 -o "$TMP/w36.h5" --quiet
bytes "run of 300 runs in batches of 256, mpirun -np 3 -j 6" "$TMP/whole.h5" "$TMP/w36.h5"

# 2. sweep: 9 points x 8 runs
"$SERIAL" sweep tests/fixtures/sweep-grid.yaml -j 2 -o "$TMP/gs.h5" --quiet
for np in 1 2 3; do
    $MPIRUN -np $np "$MPIBIN" sweep tests/fixtures/sweep-grid.yaml -j 1 -o "$TMP/g$np.h5" --quiet
    bytes "sweep, mpirun -np $np" "$TMP/gs.h5" "$TMP/g$np.h5"
done

# 3. compare: the file and the printed table (rank 0 prints it, once)
P=scenarios/proposals/take-rate-akt-10.yaml
"$SERIAL" compare $SC $P -n 10 --days 90 -j 2 -o "$TMP/cs.h5" --quiet >"$TMP/cs.txt"
for np in 1 2 3; do
    $MPIRUN -np $np "$MPIBIN" compare $SC $P -n 10 --days 90 -j 1 -o "$TMP/c$np.h5" --quiet >"$TMP/c$np.txt"
    bytes "compare, mpirun -np $np" "$TMP/cs.h5" "$TMP/c$np.h5"
    check "compare, mpirun -np $np: the same table, printed once" "cmp -s '$TMP/cs.txt' '$TMP/c$np.txt'"
done

"$SERIAL" compare $SC $P -n 300 --days 200 $TE -j 1 -o "$TMP/cbs.h5" --quiet >/dev/null
$MPIRUN -np 3 "$MPIBIN" compare $SC $P -n 300 --days 200 $TE -j 6 -o "$TMP/cb.h5" --quiet >/dev/null
bytes "compare of 300 pairs in batches of 256 pairs, mpirun -np 3 -j 6" "$TMP/cbs.h5" "$TMP/cb.h5"

# 4. only rank 0 prints: other commands and errors appear once
check "mpirun -np 2 tokensim --version prints one line" \
    "[ \$($MPIRUN -np 2 '$MPIBIN' --version | wc -l) -eq 1 ]"
$MPIRUN -np 2 "$MPIBIN" run $SC -n 2 --days 10 --set mint.inflation_max=7 -o "$TMP/bad.h5" --quiet 2>"$TMP/bad.err"
check "a bad scenario under mpirun -np 2: one message naming the parameter, no file" \
    "[ \$(grep -c 'mint.inflation_max' '$TMP/bad.err') -eq 1 ] && ! ls '$TMP'/bad.h5* >/dev/null 2>&1"

# 5. interrupted and resumed under MPI (any rank count, and across builds)
TOKENSIM_TEST_STOP_AFTER_RUNS=1 $MPIRUN -np 2 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 1 \
    -o "$TMP/cut.h5" --quiet 2>"$TMP/cut.err"
st=$?
check "interrupted under -np 2: exit 1, one message with the way on" \
    "[ $st -eq 1 ] && [ \$(grep -c '128 of 300 runs are saved in' '$TMP/cut.err') -eq 1 ] && grep -q -- '--resume $TMP/cut.h5' '$TMP/cut.err'"
check "... a partial file with 128 runs done, nothing under OUT" \
    "[ ! -e '$TMP/cut.h5' ] && h5dump -a /manifest/runs_done '$TMP/cut.h5.partial' | grep -q '(0): 128'"
TOKENSIM_TEST_STOP_AFTER_RUNS=200 $MPIRUN -np 3 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 1 \
    --resume "$TMP/cut.h5" --quiet 2>/dev/null
check "resumed under -np 3 and interrupted again: 256 runs done" \
    "h5dump -a /manifest/runs_done '$TMP/cut.h5.partial' | grep -q '(0): 256'"
$MPIRUN -np 2 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 2 --resume "$TMP/cut.h5" --quiet
bytes "interrupted twice, resumed under -np 3 then -np 2" "$TMP/whole.h5" "$TMP/cut.h5"
TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$SERIAL" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/x.h5" --quiet 2>/dev/null
$MPIRUN -np 3 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 1 --resume "$TMP/x.h5" --quiet
bytes "interrupted by the serial build, resumed under -np 3" "$TMP/whole.h5" "$TMP/x.h5"
"$SERIAL" sweep tests/fixtures/sweep-grid.yaml -o "$TMP/gw.h5" --days 400 --quiet
TOKENSIM_TEST_STOP_AFTER_RUNS=20 $MPIRUN -np 2 "$MPIBIN" sweep tests/fixtures/sweep-grid.yaml -o "$TMP/gcut.h5" \
    --days 400 --quiet 2>/dev/null
check "a sweep interrupted under -np 2 leaves its partial file" "[ -e '$TMP/gcut.h5.partial' ] && [ ! -e '$TMP/gcut.h5' ]"
$MPIRUN -np 3 "$MPIBIN" sweep tests/fixtures/sweep-grid.yaml --days 400 --resume "$TMP/gcut.h5" --quiet
bytes "the sweep resumed under -np 3" "$TMP/gw.h5" "$TMP/gcut.h5"

# real signals: whatever moment they land, every rank stops at the same batch, and
# the resumed file is the whole one. mpirun passes SIGUSR1 on to the ranks and waits
# for them; on SIGINT it sends them SIGTERM after odls_base_sigkill_timeout seconds
# (default 1) and SIGKILL as long again later (the campaign may have finished by
# then: exit 1 and a whole file). The signal goes once rank 0 has created its
# temporary file: every rank catches signals by then.
"$SERIAL" run $SC -n 600 --days 400 $TE -j 2 -o "$TMP/w600.h5" --quiet
# signal_test NAME SIGNAL STATUS DELAY [mpirun options]: STATUS is the exit status when it landed
signal_test() {
    name=$1; sig=$2; want=$3; delay=$4; shift 4
    rm -f "$TMP/sig.h5" "$TMP/sig.h5.partial"
    mpirun --oversubscribe --bind-to none "$@" -np 2 "$MPIBIN" run $SC -n 600 --days 400 $TE -j 1 \
        -o "$TMP/sig.h5" --quiet 2>"$TMP/sig.err" &
    pid=$!
    n=0
    until ls "$TMP"/sig.h5.tmp-* >/dev/null 2>&1 || [ $n -ge 600 ]; do sleep 0.1; n=$((n + 1)); done
    sleep $delay
    kill -$sig $pid 2>/dev/null
    wait $pid
    st=$?
    if [ -e "$TMP/sig.h5.partial" ]; then
        check "$name: exit $want, the partial file and one message" \
            "[ $st -eq $want ] && [ \$(grep -c 'runs are saved in' '$TMP/sig.err') -eq 1 ]"
        $MPIRUN -np 3 "$MPIBIN" run $SC -n 600 --days 400 $TE -j 1 --resume "$TMP/sig.h5" --quiet
    fi
    check "$name (exit $st), then --resume under -np 3: the whole file" \
        "[ ! -e '$TMP/sig.h5.partial' ] && cmp -s '$TMP/w600.h5' '$TMP/sig.h5'"
}
signal_test "SIGUSR1 to mpirun -np 2" USR1 $((128 + 10)) 0.5
signal_test "SIGINT to mpirun -np 2 (odls_base_sigkill_timeout 2)" INT 1 0 --mca odls_base_sigkill_timeout 2

# 6. a failing rank: run 200 is in the second batch (128..255), the slice of rank 1
TOKENSIM_TEST_FAIL_RUN=200 $MPIRUN -np 2 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 1 \
    -o "$TMP/f.h5" --quiet 2>"$TMP/f.err"
st=$?
check "a failing run on rank 1: exit 1 (not a timeout), one message naming rank and run" \
    "[ $st -eq 1 ] && [ \$(grep -c 'rank 1, run 200: fault injected' '$TMP/f.err') -eq 1 ]"
check "... and the way on, with every other finished run kept (255) in the partial file" \
    "grep -q '255 of 300 runs are saved in' '$TMP/f.err' && grep -q -- '--resume $TMP/f.h5' '$TMP/f.err' && [ ! -e '$TMP/f.h5' ] && h5dump -a /manifest/runs_done '$TMP/f.h5.partial' | grep -q '(0): 255'"
$MPIRUN -np 3 "$MPIBIN" run $SC -n 300 --days 400 $TE -j 1 --resume "$TMP/f.h5" --quiet
bytes "the failed campaign resumed under -np 3" "$TMP/whole.h5" "$TMP/f.h5"
TOKENSIM_TEST_FAIL_RUN=6 $MPIRUN -np 3 "$MPIBIN" sweep tests/fixtures/sweep-grid.yaml -j 1 -o "$TMP/gf.h5" \
    --quiet 2>"$TMP/gf.err"
st=$?
check "a failing run in a sweep under -np 3: exit 1, rank 2 and point 0 named" \
    "[ $st -eq 1 ] && grep -q 'rank 2, point 0, run 6: fault injected' '$TMP/gf.err' && [ -e '$TMP/gf.h5.partial' ]"

echo "mpi: $pass passed, $fail failed"
[ $fail -eq 0 ]
