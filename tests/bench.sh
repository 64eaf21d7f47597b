#!/bin/sh
# `make bench`: fixed campaigns of the shipped scenario, timed. Prints, for each:
# run-days per second, orders per second (market), the 1 -> 2 thread speed-up,
# peak RSS, output bytes per run-day, and where the time went (simulating,
# writing /runs, computing /summary).
# For each campaign with the market it also times the campaign's random draws
# alone (build/bench_floor: the same counts from the same streams, on the same
# threads) and prints the ratio of the two. market-10y is the exact market over
# 1,000 runs x 3,650 days; cohort-10y the same campaign with market.mode=cohorts
# (K = 64; its differences from the exact market: `make check-cohorts`,
# docs/model.md section 9.4). The -blosc lines repeat the line above them
# with output.compression=blosc: the two codecs of /runs side by side (seconds,
# write_s, sum_s, B/run-day). BENCH_FULL=1 adds the 10,000-run five-year
# campaign with the full market (hours on 2 cores).
# The targets at the end: the cohort setting runs 1,000 x 3,650 in at most
# 60 s; the exact market within 6x of its floor; 1 -> 2 threads at least 1.8x.
# usage: sh tests/bench.sh build/tokensim build/bench_floor
set -eu
BIN=${1:-build/tokensim}
FLOOR=${2:-build/bench_floor}
SC=scenarios/akash-2024.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# the token economy alone: no providers, no orders
TOKEN_ONLY="--set providers.initial=0 --set tenants.orders_per_day=0"

# bench LABEL RUNS DAYS THREADS [ARGS...]: one campaign, one line of figures
bench() {
    label=$1; runs=$2; days=$3; threads=$4; shift 4
    "$BIN" run $SC -n "$runs" --days "$days" -j "$threads" -o "$TMP/b.h5" --force "$@" 2>"$TMP/err.txt" </dev/null
    # the random draws of this campaign, timed alone on the same threads
    set -- $(sed -n 's/.*(staking \([0-9]*\), demand \([0-9]*\), price \([0-9]*\), providers \([0-9]*\)).*/\1 \2 \3 \4/p' "$TMP/err.txt")
    fsecs=$("$FLOOR" 1 "$runs" "$threads" "$@" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
    line=$(grep 'wrote' "$TMP/err.txt")
    secs=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
    rss=$(echo "$line" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p')
    split=$(sed -n 's/.*of which simulating \([0-9.]*\) s, writing \/runs \([0-9.]*\) s, \/summary \([0-9.]*\) s.*/\1 \2 \3/p' "$TMP/err.txt")
    size=$(stat -c %s "$TMP/b.h5")
    # orders: the mean new orders per run and day, summed over days, times runs
    orders=$(h5dump -A 0 -d /summary/orders_new/mean -m %.17g "$TMP/b.h5" 2>/dev/null |
             sed -n '/DATA {/,/}/p' | sed 's/([0-9]*)://g' | tr -c '0-9.e+\n-' ' ' | awk -v r="$runs" '
             { for (i = 1; i <= NF; i++) s += $i } END { printf "%.0f", s * r }')
    awk -v l="$label" -v r="$runs" -v d="$days" -v t="$threads" -v s="$secs" -v m="$rss" -v z="$size" -v o="$orders" -v f="$fsecs" -v x="$split" 'BEGIN {
        split(x, p, " ")
        printf "%-14s %6d %5d %3d %8.2f %12.0f %12.0f %9.1f %10.1f %8.3f %6.1f %7.2f %7.2f %7.2f\n", l, r, d, t, s, r*d/s, o/s, m, z/(r*(d+1)), f, (f > 0 ? s/f : 0), p[1], p[2], p[3] }' |
        tee -a "$TMP/all.txt"
}

# speedup LABEL RUNS DAYS [ARGS...]: the 1 -> 2 thread speed-up from three
# interleaved pairs of runs, and their median (on a shared VM one run's time
# varies by 10-20 %, so one pair cannot tell 1.7 from 1.95)
speedup() {
    label=$1; runs=$2; days=$3; shift 3
    ratios=""
    for k in 1 2 3; do
        s1=$("$BIN" run $SC -n "$runs" --days "$days" -j 1 -o "$TMP/s.h5" --force "$@" 2>&1 </dev/null |
             sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
        s2=$("$BIN" run $SC -n "$runs" --days "$days" -j 2 -o "$TMP/s.h5" --force "$@" 2>&1 </dev/null |
             sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
        ratios="$ratios $(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.2f", a / b }')"
    done
    echo "$ratios" | awk -v l="$label" -v r="$runs" -v d="$days" '{
        a = $1; b = $2; c = $3
        if (a > b) { t = a; a = b; b = t } if (b > c) { t = b; b = c; c = t } if (a > b) { t = a; a = b; b = t }
        printf "speed-up 1 -> 2 threads, %-22s %s -> median %.2f\n", l " " r "x" d ":", $0, b }' |
        tee -a "$TMP/speedup.txt"
}

echo "tokensim bench on $(nproc) cores, scenario $SC"
printf "%-14s %6s %5s %3s %8s %12s %12s %9s %10s %8s %6s %7s %7s %7s\n" campaign runs days thr seconds run-days/s orders/s peak_MiB B/run-day floor_s ratio sim_s write_s sum_s
bench market 1000 365 1 | tee "$TMP/m1.txt"
bench market 1000 365 2 | tee "$TMP/m2.txt"
bench market 4000 365 2
bench market-10y 1000 3650 2
COHORTS="--set market.mode=cohorts"
bench cohort-10y 200 3650 2 $COHORTS
bench cohort-blosc 200 3650 2 $COHORTS --set output.compression=blosc
bench cohort-10y 1000 3650 2 $COHORTS
SC=scenarios/akash-bme-2026.yaml
bench bme-2026 1000 365 2
SC=scenarios/akash-2024.yaml
bench token-economy 1000 1825 1 $TOKEN_ONLY | tee "$TMP/t1.txt"
bench token-economy 1000 1825 2 $TOKEN_ONLY | tee "$TMP/t2.txt"
bench token-blosc 1000 1825 2 $TOKEN_ONLY --set output.compression=blosc
bench token-economy 4000 1825 2 $TOKEN_ONLY
# ten thousand runs of five years in bounded memory (float32 /runs)
bench token-10k-f32 10000 1825 2 $TOKEN_ONLY --set output.dtype=float32
if [ "${BENCH_FULL:-0}" = 1 ]; then
    bench market-10k 10000 1825 2 --set output.dtype=float32
fi
awk 'NR == FNR { s1 = $5; next } { printf "speed-up 1 -> 2 threads, one pair, market 1000x365: %.2f\n", s1 / $5 }' "$TMP/m1.txt" "$TMP/m2.txt"
awk 'NR == FNR { s1 = $5; next } { printf "speed-up 1 -> 2 threads, one pair, token 1000x1825: %.2f\n", s1 / $5 }' "$TMP/t1.txt" "$TMP/t2.txt"
speedup market 300 365
speedup cohort-10y 100 3650 $COHORTS
speedup token-economy 1000 1825 $TOKEN_ONLY
echo "(peak RSS of 1000, 4000 and 10000 runs: memory does not grow with the number of runs;"
echo " floor_s: the same random draws alone; ratio: campaign / floor;"
echo " sim_s, write_s, sum_s: of the seconds, simulating, writing /runs, computing /summary;"
echo " market-10y: the exact market, 1000 x 3650; cohort-10y: the same with market.mode=cohorts (K = 64);"
echo " cohort-blosc, token-blosc: the line above with output.compression=blosc instead of deflate)"

# the targets (docs/performance.md) against this run's figures
awk 'NR == FNR { med = med (med ? ", " : "") $NF; if (min == "" || $NF < min) min = $NF; next }
     $1 == "cohort-10y" && $2 == 1000 { target = $5; tratio = $11 }
     $1 == "market-10y" && $2 == 1000 { exact = $5; eratio = $11 }
     $1 == "market" || $1 == "market-10y" || $1 == "bme-2026" {
        if (lo == "" || $11 < lo) lo = $11; if ($11 > hi) hi = $11 }
     $4 == 2 { rss[$1] = rss[$1] (rss[$1] ? " / " : "") $8 " (" $2 ")" }
     END {
        print "targets:"
        printf "  1,000 runs x 3,650 days of akash-2024: the exact market (market-10y) %.1f s, %.1fx its floor\n", exact, eratio
        printf "  the same in cohorts (cohort-10y, market.mode cohorts): %.1f s, %.2f of the exact time, %.1fx its floor;\n", target, (exact > 0 ? target / exact : 0), tratio
        printf "    target <= 60 s: %s\n", (target <= 60 ? "met" : "not met")
        printf "  the exact market against its floor (market, market-10y, bme-2026): %.1f-%.1fx; target <= 6: %s\n", lo, hi, (hi <= 6 ? "met" : "not met")
        printf "  1 -> 2 thread speed-up, medians: %s; target >= 1.8: %s\n", med, (min >= 1.8 ? "met" : "not met")
        printf "  peak RSS in MiB (runs), 2 threads: market %s; cohort-10y %s; token-economy %s, token-10k-f32 %s\n", rss["market"], rss["cohort-10y"], rss["token-economy"], rss["token-10k-f32"]
     }' "$TMP/speedup.txt" "$TMP/all.txt"
