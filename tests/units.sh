#!/bin/sh
# The unit test binaries, as many at a time as there are cores (each is its own
# process with its own temporary files); each one's output printed whole, in
# the order given, after they all ran. Exit 1 when one failed.
# usage: sh tests/units.sh TEST...
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
jobs=$(nproc 2>/dev/null || echo 1)
k=0
for t in "$@"; do
    k=$((k + 1))
    printf '%s %s\n' "$k" "$t"
done | xargs -P "$jobs" -L 1 sh -c '"$2" >"$0/$1.out" 2>&1; echo $? >"$0/$1.rc"' "$TMP"
fail=0
k=0
for t in "$@"; do
    k=$((k + 1))
    echo "== $t"
    cat "$TMP/$k.out"
    [ "$(cat "$TMP/$k.rc" 2>/dev/null)" = 0 ] || { echo "FAIL $t (exit $(cat "$TMP/$k.rc" 2>/dev/null || echo '?'))"; fail=1; }
done
exit $fail
