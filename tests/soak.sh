#!/bin/sh
# Soak test of the file contract (docs/robustness.md, "Kills and races"); not run by `make test`.
# usage: sh tests/soak.sh build/tokensim [KILLS] [ROUNDS]
#  1. A 2,000-run campaign (60 days) killed with SIGKILL at KILLS (default 5) random moments
#     (within three batches' time of each attempt), resumed after each on 1 or 2
#     threads, ends byte for byte the uninterrupted campaign's file (SOURCE_DATE_EPOCH set),
#     and never loses a run a checkpoint saved.
#  2. ROUNDS (default 6) times, two campaigns of different sizes start on one output name a
#     random moment apart: exactly one writes it, the file under the name is byte for byte that
#     campaign's, and whatever the other did it says so (a refusal, or its result kept beside).
#     No partial or temporary file is left.
set -u
BIN=${1:-build/tokensim}
KILLS=${2:-5}
ROUNDS=${3:-6}
SC=scenarios/akash-2024.yaml
TMP=$(mktemp -d /tmp/tokensim-soak.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1700000000
. "$(dirname "$0")/lib.sh"
# a random number in [0, $1) from /dev/urandom
rnd() { od -An -N2 -tu2 /dev/urandom | awk -v n="$1" '{ print $1 % n }'; }
runs_done() { HDF5_USE_FILE_LOCKING=FALSE h5dump -a /manifest/runs_done "$1" 2>/dev/null | sed -n 's/.*(0): \([0-9]*\).*/\1/p'; }
start=$(date +%s)

# ---- 1. kill -9 at random moments ----------------------------------------------------------
t0=$(date +%s%N)
"$BIN" run $SC -n 2000 --days 60 -j 2 --quiet -o "$TMP/whole.h5" || { echo "FAIL the reference campaign"; exit 1; }
batch_ms=$(( ($(date +%s%N) - t0) / 4000000 ))   # 4 batches of 537 runs on 2 threads
echo "  the uninterrupted campaign: 4 batches of about $batch_ms ms"
rm -f "$TMP/k.h5"
before=0
for k in $(seq 1 "$KILLS"); do
    j=$(( $(rnd 2) + 1 ))
    if [ -e "$TMP/k.h5.partial" ]; then
        "$BIN" run $SC -n 2000 --days 60 -j $j --quiet --resume "$TMP/k.h5" 2>>"$TMP/k.err" &
    else
        "$BIN" run $SC -n 2000 --days 60 -j $j --quiet -o "$TMP/k.h5" 2>>"$TMP/k.err" &
    fi
    pid=$!
    ms=$(( $(rnd $((batch_ms * 3))) + 100 ))   # within three batches of the attempt
    sleep "$(awk -v ms=$ms 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -KILL $pid 2>/dev/null
    wait $pid
    st=$?
    after=$(runs_done "$TMP/k.h5.partial")
    echo "  kill $k after $ms ms on $j thread(s): exit $st, ${after:-no} runs saved (before: $before)"
    if [ $st -eq 0 ]; then   # it finished first: start the next round afresh
        cmp -s "$TMP/whole.h5" "$TMP/k.h5" && ok "kill $k came after the end: the file is whole" \
            || bad "kill $k came after the end: the file is whole"
        rm -f "$TMP/k.h5" "$TMP"/k.h5.tmp-*
        before=0
        continue
    fi
    [ "${after:-0}" -ge "$before" ] && ok "kill $k: nothing saved before is lost" || bad "kill $k: runs lost (${after:-0} < $before)"
    before=${after:-0}
    rm -f "$TMP"/k.h5.tmp-*   # as the warning says
done
if [ -e "$TMP/k.h5.partial" ]; then
    "$BIN" run $SC -n 2000 --days 60 -j 2 --quiet --resume "$TMP/k.h5" 2>>"$TMP/k.err"
else
    [ -e "$TMP/k.h5" ] || "$BIN" run $SC -n 2000 --days 60 -j 2 --quiet -o "$TMP/k.h5"
fi
cmp -s "$TMP/whole.h5" "$TMP/k.h5" && [ ! -e "$TMP/k.h5.partial" ] \
    && ok "after $KILLS kills and resumes: byte for byte the uninterrupted file" \
    || bad "after $KILLS kills and resumes: byte for byte the uninterrupted file"
grep -v "is the temporary file of an earlier campaign\|^  rm '" "$TMP/k.err" | grep . && bad "unexpected messages" || true

# ---- 2. two campaigns racing for one name --------------------------------------------------
"$BIN" run $SC -n 300 --days 60 -j 1 --quiet -o "$TMP/ref300.h5"
"$BIN" run $SC -n 200 --days 60 -j 1 --quiet -o "$TMP/ref200.h5"
for r in $(seq 1 "$ROUNDS"); do
    rm -rf "$TMP/race" && mkdir "$TMP/race"
    gap=$(( $(rnd 4) == 0 ? 0 : $(rnd 1500) ))   # one round in four starts both at once
    "$BIN" run $SC -n 300 --days 60 -j 1 --quiet -o "$TMP/race/out.h5" 2>"$TMP/race/a.err" &
    a=$!
    sleep "$(awk -v ms=$gap 'BEGIN { printf "%.3f", ms / 1000 }')"
    "$BIN" run $SC -n 200 --days 60 -j 1 --quiet -o "$TMP/race/out.h5" 2>"$TMP/race/b.err" &
    b=$!
    wait $a; sa=$?
    wait $b; sb=$?
    winner=""
    [ $sa -eq 0 ] && winner=300
    [ $sb -eq 0 ] && winner="$winner${winner:+,}200"
    said=$(cat "$TMP/race/a.err" "$TMP/race/b.err" | head -n 1 | sed "s|$TMP/race/||g")
    echo "  round $r, $gap ms apart: exits $sa and $sb; $said"
    left=$(ls -A "$TMP/race" | grep -v '^[ab]\.err$' | tr '\n' ' ')
    case $winner in
        300|200) cmp -s "$TMP/ref$winner.h5" "$TMP/race/out.h5" && [ "$left" = "out.h5 " ] \
                     && ok "round $r: the $winner-run campaign wrote out.h5 whole; the other said why" \
                     || bad "round $r: winner $winner, left: $left" ;;
        *) bad "round $r: exits $sa and $sb, left: $left" ;;
    esac
done
echo "$pass passed, $fail failed in $(( $(date +%s) - start )) s"
[ $fail -eq 0 ]
