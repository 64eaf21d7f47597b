#!/bin/sh
# The command line (run by `make test`): every command's --help and
# `tokensim help COMMAND`, options as getopt_long reads them (-j1, --set=k=v,
# options after operands), usage errors that name the command's --help, the
# metrics and params references, make install and uninstall.
# usage: sh tests/cli.sh build/tokensim
set -u
BIN=${1:-build/tokensim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
SC=scenarios/akash-2024.yaml

# help: every command, both ways, the same text, on stdout, exit 0
for c in run compare sweep summary plot report validate params metrics export; do
    "$BIN" "$c" --help >"$TMP/h1.txt" 2>"$TMP/h1.err"
    st=$?
    "$BIN" help "$c" >"$TMP/h2.txt" 2>&1
    check "$c --help: exit 0, usage, options and an example" \
        "[ $st -eq 0 ] && [ ! -s '$TMP/h1.err' ] && grep -q '^usage: tokensim $c ' '$TMP/h1.txt' && grep -q '^options:' '$TMP/h1.txt' && grep -q '^  -h, --help' '$TMP/h1.txt' && grep -q '^examples:' '$TMP/h1.txt'"
    check "tokensim help $c is $c --help" "cmp -s '$TMP/h1.txt' '$TMP/h2.txt'"
    "$BIN" "$c" -h >"$TMP/h3.txt" 2>&1
    check "$c -h is $c --help" "cmp -s '$TMP/h1.txt' '$TMP/h3.txt'"
done
check "run --help lists every run option" \
    "'$BIN' run --help | grep -q -- '-o, --output OUT.h5' && '$BIN' run --help | grep -q -- '-j, --threads THREADS' && '$BIN' run --help | grep -q -- '--resume OUT.h5' && '$BIN' run --help | grep -q -- '--set KEY=VALUE'"
"$BIN" --help >"$TMP/g.txt"
for c in run compare sweep summary plot report validate params metrics export help; do
    check "tokensim --help lists $c" "grep -q '^  $c ' '$TMP/g.txt'"
done
check "tokensim help (no command) is tokensim --help" "'$BIN' help | cmp -s - '$TMP/g.txt'"
"$BIN" help frobnicate >/dev/null 2>"$TMP/e.txt"
check "help of an unknown command: exit 2, named" "[ \$? -eq 2 ] && grep -q \"unknown command 'frobnicate'\" '$TMP/e.txt'"

# usage errors: exit 2, the option named, the command's --help suggested
"$BIN" run $SC --frobnicate >/dev/null 2>"$TMP/e.txt"
check "run --frobnicate: exit 2, named, hint to run --help" \
    "[ \$? -eq 2 ] && grep -q \"unknown option '--frobnicate'\" '$TMP/e.txt' && grep -q \"Try 'tokensim run --help'\" '$TMP/e.txt'"
"$BIN" summary --frobnicate x.h5 >/dev/null 2>"$TMP/e.txt"
check "summary --frobnicate is an unknown option, not a file" \
    "[ \$? -eq 2 ] && grep -q \"unknown option '--frobnicate'\" '$TMP/e.txt' && grep -q \"tokensim summary --help\" '$TMP/e.txt'"
"$BIN" run $SC -n >/dev/null 2>"$TMP/e.txt"
check "run -n without a value: exit 2, its value named" "[ \$? -eq 2 ] && grep -q -- \"-n needs a value (RUNS)\" '$TMP/e.txt'"
"$BIN" run $SC --days >/dev/null 2>"$TMP/e.txt"
check "run --days without a value: exit 2" "[ \$? -eq 2 ] && grep -q -- \"--days needs a value (DAYS)\" '$TMP/e.txt'"
"$BIN" run $SC -j0 >/dev/null 2>"$TMP/e.txt"
check "run -j0 is refused" "[ \$? -eq 2 ] && grep -q 'thread count' '$TMP/e.txt'"

# what getopt_long reports, said plainly
"$BIN" run $SC --se 3 >/dev/null 2>"$TMP/e.txt"
check "an ambiguous abbreviation names the options it could be" "[ \$? -eq 2 ] && grep -q \"ambiguous option '--se': --seed, --set?\" '$TMP/e.txt'"
"$BIN" run $SC --force=yes >/dev/null 2>"$TMP/e.txt"
check "a value given to a flag: --force takes no value" "[ \$? -eq 2 ] && grep -q -- '--force takes no value' '$TMP/e.txt'"
"$BIN" run $SC -n=5 >/dev/null 2>"$TMP/e.txt"
check "-n=5 is explained" "[ \$? -eq 2 ] && grep -q \"not '-n=5'\" '$TMP/e.txt'"
check "tokensim help help is the list of commands" "'$BIN' help help | cmp -s - '$TMP/g.txt'"
"$BIN" params >/dev/full 2>"$TMP/e.txt"
check "a listing that cannot be written is a failure (exit 1)" "[ \$? -eq 1 ] && grep -q 'cannot write the standard output' '$TMP/e.txt'"
POSIXLY_CORRECT=1 "$BIN" validate $SC --strict >/dev/null 2>&1
check "options after the operand even under POSIXLY_CORRECT" "[ \$? -eq 0 ]"

# getopt_long's forms: -j1, -n2, --set=k=v, --days=N, options before the operand
"$BIN" run -j1 -n2 --days=10 --set=seed=5 --quiet -o "$TMP/a.h5" $SC
check "run -j1 -n2 --days=10 --set=seed=5 (options first)" \
    "[ \$? -eq 0 ] && /usr/bin/python3 -c \"import h5py, sys; f = h5py.File('$TMP/a.h5', 'r'); sys.exit(not (f.attrs['seed'] == 5 and f['runs/supply_total'].shape == (2, 11)))\""
"$BIN" run $SC --threads 2 --runs 2 --days 10 --seed 5 --quiet -o "$TMP/b.h5"
check "long forms --threads, --runs give the same runs as -j1 -n2" \
    "h5dump -d /runs/supply_total '$TMP/a.h5' | tail -n +3 >'$TMP/a.txt'; h5dump -d /runs/supply_total '$TMP/b.h5' | tail -n +3 | cmp -s - '$TMP/a.txt'"

# the printed resume command runs as printed, whatever the options' forms
TE="--set providers.initial=0 --set tenants.orders_per_day=0"
ABS_BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
(cd "$TMP" && TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$ABS_BIN" run --days=400 -n300 -j2 $TE -q --output=elsewhere.h5 -o r.h5 --set=seed=4 -- "$OLDPWD/$SC" 2>"$TMP/int.txt")
again=$(sed -n 's/^  //p' "$TMP/int.txt")
(cd "$TMP" && eval "$again" 2>/dev/null)
check "after -- and a repeated -o, the resume command prints --name=value and runs" \
    "[ -n \"\$again\" ] && echo \"\$again\" | grep -q -- '--runs=300' && [ -f '$TMP/r.h5' ] && [ ! -e '$TMP/r.h5.partial' ] && [ ! -e '$TMP/elsewhere.h5' ]"

# summary --metric and --at
"$BIN" summary "$TMP/b.h5" -m price_usd,bonded_ratio --at 0 --at 10 >"$TMP/s.txt"
check "summary -m a,b --at 0 --at 10: those metrics, in that order, at those days" \
    "[ \$? -eq 0 ] && awk '\$1 == \"price_usd\" {p = NR} \$1 == \"bonded_ratio\" {b = NR} END {exit !(p && b && p < b)}' '$TMP/s.txt' && ! grep -q '^supply_total' '$TMP/s.txt' && grep -Eq '^ +10 ' '$TMP/s.txt'"
"$BIN" summary "$TMP/b.h5" --metric bonded >/dev/null 2>"$TMP/e.txt"
check "summary --metric of an unknown name suggests names" "[ \$? -eq 2 ] && grep -q \"did you mean 'bonded_akt', 'bonded_ratio'\" '$TMP/e.txt'"
"$BIN" summary "$TMP/b.h5" --at 11 >/dev/null 2>"$TMP/e.txt"
check "summary --at past the horizon is an error naming the day" "[ \$? -ne 0 ] && grep -q 'day 11 is past' '$TMP/e.txt'"
for bad in 3,x 5.5 0x10 ' 7' -1 ''; do
    "$BIN" summary "$TMP/b.h5" --at "$bad" >/dev/null 2>"$TMP/e.txt"
    check "summary --at '$bad' (not whole days): exit 2" "[ \$? -eq 2 ] && grep -q -- \"--at needs whole days\" '$TMP/e.txt'"
done
for bad in '' , 'price_usd,' 'a,,b'; do
    "$BIN" summary "$TMP/b.h5" --metric "$bad" >/dev/null 2>"$TMP/e.txt"
    check "summary --metric '$bad' (an empty name): exit 2" "[ \$? -eq 2 ] && grep -q -- \"--metric needs metric names\" '$TMP/e.txt'"
done
"$BIN" summary "$TMP/b.h5" --metric price_usd --observed x.csv >/dev/null 2>"$TMP/e.txt"
check "summary --metric with --observed is refused (its table stands alone)" "[ \$? -eq 2 ] && grep -q 'their own table alone' '$TMP/e.txt'"

# export --format csv
"$BIN" export "$TMP/b.h5" --format csv -m price_usd,supply_total >"$TMP/x.csv"
check "export: tidy CSV of the runs, one row per run, day and metric (2 x 11 x 2 + header)" \
    "[ \$? -eq 0 ] && head -1 '$TMP/x.csv' | grep -qx 'run,date,day,metric,units,value' && [ \$(wc -l <'$TMP/x.csv') -eq 45 ] && grep -q '^1,2024-03-30,10,supply_total,AKT,' '$TMP/x.csv'"
check "export: the values are the file's (python csv against h5py)" \
    "/usr/bin/python3 -c \"import csv, h5py, sys; f = h5py.File('$TMP/b.h5', 'r'); r = [x for x in csv.DictReader(open('$TMP/x.csv')) if x['metric'] == 'price_usd']; sys.exit(not all(float(x['value']) == f['runs/price_usd'][int(x['run']), int(x['day'])] for x in r))\""
"$BIN" export "$TMP/b.h5" --group summary -m bonded_ratio -o "$TMP/s.csv" 2>/dev/null
check "export --group summary -o: the statistics per date" \
    "head -1 '$TMP/s.csv' | grep -qx 'date,day,metric,units,mean,sd,p05,p25,p50,p75,p95' && [ \$(wc -l <'$TMP/s.csv') -eq 12 ]"
"$BIN" export "$TMP/b.h5" --group summary -o "$TMP/s.csv" >/dev/null 2>"$TMP/e.txt"
check "export -o over an existing file is refused (--force replaces)" \
    "[ \$? -eq 2 ] && grep -q 'exists' '$TMP/e.txt' && '$BIN' export '$TMP/b.h5' --group summary -o '$TMP/s.csv' --force 2>/dev/null && [ \$(wc -l <'$TMP/s.csv') -gt 12 ]"
"$BIN" export "$TMP/b.h5" --group compare -o "$TMP/c.csv" >/dev/null 2>"$TMP/e.txt"
check "export --group compare of a run file: exit 2, nothing written" "[ \$? -eq 2 ] && grep -q 'no /compare' '$TMP/e.txt' && [ ! -e '$TMP/c.csv' ] && ! ls '$TMP'/c.csv.* >/dev/null 2>&1"
"$BIN" compare $SC $SC -n 2 --days 10 --quiet -o "$TMP/cmp.h5" >/dev/null 2>&1
"$BIN" export "$TMP/cmp.h5" --group compare -m supply_total >"$TMP/c.csv"
check "export --group compare: the arms and the paired difference per date" \
    "head -1 '$TMP/c.csv' | grep -qx 'date,day,metric,units,base_mean,proposal_mean,diff_mean,diff_ci_low,diff_ci_high' && [ \$(wc -l <'$TMP/c.csv') -eq 12 ]"
"$BIN" export "$TMP/b.h5" -g summary -m price_usd -o - >"$TMP/dash.csv" 2>/dev/null
check "export -o - writes to standard output" "[ ! -e ./- ] && [ \$(wc -l <'$TMP/dash.csv') -eq 12 ]"
cp "$TMP/b.h5" "$TMP/same.h5"
"$BIN" export "$TMP/same.h5" -o "$TMP/same.h5" --force >/dev/null 2>"$TMP/e.txt"
check "export never replaces the file it reads, even with --force" "[ \$? -eq 2 ] && grep -q 'replace the result file it reads' '$TMP/e.txt' && cmp -s '$TMP/b.h5' '$TMP/same.h5'"
"$BIN" export "$TMP/b.h5" --format xlsx >/dev/null 2>"$TMP/e.txt"
check "export --format of an unknown format: exit 2" "[ \$? -eq 2 ] && grep -q \"unknown format 'xlsx'\" '$TMP/e.txt'"
"$BIN" export "$TMP/b.h5" -m supply_totl >/dev/null 2>"$TMP/e.txt"
check "export --metric of an unknown name suggests the nearest" "[ \$? -eq 2 ] && grep -q \"supply_total\" '$TMP/e.txt'"

# metrics
check "metrics lists every metric with its units" \
    "[ \$('$BIN' metrics | tail -n +2 | wc -l) -ge 80 ] && '$BIN' metrics | grep -q '^supply_total  *AKT '"
check "metrics PATTERN: a word in the name or the meaning" \
    "'$BIN' metrics price | grep -q '^h100_price_usd_per_hour' && ! '$BIN' metrics price | grep -q '^bonded_ratio'"
check "metrics GLOB: h100_* is the five h100 metrics" "[ \$('$BIN' metrics 'h100_*' | tail -n +2 | wc -l) -eq 5 ]"
"$BIN" metrics supply_totl >/dev/null 2>"$TMP/e.txt"
check "metrics of an unknown name suggests the nearest" "[ \$? -eq 2 ] && grep -q \"did you mean 'supply_total'\" '$TMP/e.txt'"
check "metrics --markdown is a table" "'$BIN' metrics --markdown | head -1 | grep -q '^| metric | units | meaning |'"

# params SECTION and params --scenario
check "params mint lists the mint section alone" \
    "'$BIN' params mint | tail -n +2 | awk '{print \$1}' | grep -v '^mint\\.' | wc -l | grep -q '^0$' && '$BIN' params mint | grep -q '^mint.inflation_max'"
check "params resources.h100 lists that class alone" \
    "'$BIN' params resources.h100 | grep -q '^resources.h100.capacity' && ! '$BIN' params resources.h100 | grep -q 'a100'"
"$BIN" params mnt >/dev/null 2>"$TMP/e.txt"
check "params of an unknown section: exit 2, a suggestion" "[ \$? -eq 2 ] && grep -q \"no parameter or section 'mnt'\" '$TMP/e.txt'"
check "params --scenario prints the scenario's values, marked where they differ" \
    "'$BIN' params tenants.orders_per_day --scenario $SC | grep -q '^tenants.orders_per_day  *310 \\*'"
check "params --scenario --set applies the override" \
    "'$BIN' params days --scenario $SC --set days=42 | grep -q '^days  *42 \\*'"
"$BIN" params --set days=3 >/dev/null 2>"$TMP/e.txt"
check "params --set without --scenario is refused" "[ \$? -eq 2 ] && grep -q 'needs --scenario' '$TMP/e.txt'"

# run reminds that the market runs in cohorts (a note: --strict runs on, --quiet hides it)
"$BIN" run $SC -n 1 --days 3 -j 1 --strict --set market.mode=cohorts -o "$TMP/c.h5" >/dev/null 2>"$TMP/e.txt"
check "run in cohorts: one note, K named, not a warning (--strict runs)" \
    "[ \$? -eq 0 ] && [ \$(grep -c 'note: the market runs in cohorts (K = 64 a class a day)' '$TMP/e.txt') -eq 1 ] && ! grep -q warning '$TMP/e.txt'"
"$BIN" run $SC -n 1 --days 3 -j 1 -o "$TMP/c.h5" --force >/dev/null 2>"$TMP/e.txt"
check "run of the exact market: no cohort note" "! grep -q 'in cohorts' '$TMP/e.txt'"
"$BIN" run $SC -n 1 --days 3 -j 1 -q --set tenants.cohorts_per_day=16 -o "$TMP/c.h5" --force >/dev/null 2>"$TMP/e.txt"
check "run -q in cohorts: no note" "[ ! -s '$TMP/e.txt' ]"
"$BIN" compare $SC $SC -n 2 --days 3 -j 1 --set market.mode=cohorts -o "$TMP/cc.h5" >/dev/null 2>"$TMP/e.txt"
check "compare in cohorts: a note for each arm" \
    "grep -q 'note: base: the market runs in cohorts' '$TMP/e.txt' && grep -q 'note: proposal: the market runs in cohorts' '$TMP/e.txt'"

# market.mode cohorts turns cohorts on for the rules too
check "tenants.gpu_cohorts_per_day is accepted with market.mode cohorts, refused with the exact market" \
    "'$BIN' validate $SC --set market.mode=cohorts --set tenants.gpu_cohorts_per_day=16 >/dev/null && ! '$BIN' validate $SC --set tenants.gpu_cohorts_per_day=16 >/dev/null 2>&1"

# one name per resource class: rtx_a6000 in parameters and metrics alike
check "the RTX class is rtx_a6000 in params and in metrics" \
    "'$BIN' params resources.rtx_a6000 | grep -q capacity && '$BIN' metrics rtx_a6000 | grep -q '^rtx_a6000_utilisation'"
"$BIN" validate $SC --set resources.rtx-a6000.capacity=3 >/dev/null 2>"$TMP/e.txt"
check "the old name rtx-a6000 is refused with the new one suggested" "[ \$? -eq 2 ] && grep -q 'rtx_a6000' '$TMP/e.txt'"

# make install / uninstall into a staging prefix
if make --no-print-directory -s install PREFIX="$TMP/prefix" >"$TMP/install.txt" 2>&1; then
    check "make install puts tokensim, its data and docs under PREFIX" \
        "[ -x '$TMP/prefix/bin/tokensim' ] && [ -f '$TMP/prefix/share/tokensim/scenarios/akash-2024.yaml' ] && [ -f '$TMP/prefix/share/tokensim/data/observed/akash-2024.csv' ] && [ -f '$TMP/prefix/share/doc/tokensim/model.md' ]"
    (cd "$TMP" && "$TMP/prefix/bin/tokensim" run "$TMP/prefix/share/tokensim/scenarios/akash-history.yaml" -n 1 --days 30 --quiet -o "$TMP/inst.h5" 2>/dev/null &&
        "$TMP/prefix/bin/tokensim" summary "$TMP/inst.h5" >"$TMP/inst.txt")
    check "the installed tokensim runs a shipped scenario from elsewhere and finds its data" \
        "[ \$? -eq 0 ] && grep -q '^observed against simulated' '$TMP/inst.txt'"
    make --no-print-directory -s uninstall PREFIX="$TMP/prefix" >/dev/null 2>&1
    check "make uninstall removes what install put" \
        "[ ! -e '$TMP/prefix/bin/tokensim' ] && [ ! -e '$TMP/prefix/share/tokensim' ] && [ ! -e '$TMP/prefix/share/doc/tokensim' ]"
else
    bad "make install PREFIX=..."
    sed 's/^/    /' "$TMP/install.txt"
fi

echo "cli.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
