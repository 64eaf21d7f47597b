#!/bin/sh
# `make bench`: fixed campaigns of the shipped scenario, timed; prints
# run-days per second, the 1 -> 2 thread speed-up, peak RSS and bytes per run-day.
# usage: sh tests/bench.sh build/tokensim
set -eu
BIN=${1:-build/tokensim}
SC=scenarios/akash-2024.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# one campaign: prints "runs days threads seconds run-days/s peakMiB bytes/run-day"
bench() {
    runs=$1; days=$2; threads=$3
    "$BIN" run $SC -n "$runs" --days "$days" -j "$threads" -o "$TMP/b.h5" 2>"$TMP/err.txt" </dev/null
    line=$(grep 'wrote' "$TMP/err.txt")
    secs=$(echo "$line" | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
    rss=$(echo "$line" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p')
    size=$(stat -c %s "$TMP/b.h5")
    awk -v r="$runs" -v d="$days" -v t="$threads" -v s="$secs" -v m="$rss" -v z="$size" 'BEGIN {
        printf "%7d %6d %7d %9.2f %14.0f %10.1f %12.2f\n", r, d, t, s, r*d/s, m, z/(r*(d+1)) }'
}

echo "tokensim bench on $(nproc) cores: scenario $SC (token economy: mint, distribution, staking)"
printf "%7s %6s %7s %9s %14s %10s %12s\n" runs days threads seconds run-days/s peak_MiB bytes/run-day
bench 1000 1825 1 | tee "$TMP/j1.txt"
bench 1000 1825 2 | tee "$TMP/j2.txt"
bench 4000 1825 2
awk 'NR==FNR { s1 = $4; next } { printf "speed-up 1 -> 2 threads: %.2f\n", s1 / $4 }' "$TMP/j1.txt" "$TMP/j2.txt"
