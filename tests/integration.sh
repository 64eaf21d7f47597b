#!/bin/sh
# Command-line integration tests for tokensim (run by `make test`).
# usage: sh tests/integration.sh build/tokensim
# Checks: the HDF5 layout of a run, reading it with h5py and xarray (Debian's
# python3-h5py, python3-xarray, python3-h5netcdf under /usr/bin/python3; skipped
# when they are missing), day-0 and day-1 figures, byte-identical files for -j1 and -j2, bad scenarios (exit status 2, file:line and parameter named, no
# output file), --set errors, summary, params and validate.
set -u
BIN=${1:-build/tokensim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
# SDE=...: before a command whose file is compared byte for byte with another
# (created_utc pinned; objects store no times). cmp, not h5diff: the same bytes
# imply the same content, and h5diff takes seconds to a minute on these files.
SDE="env SOURCE_DATE_EPOCH=1700000000"

# expect_error NAME STATUS PATTERN... -- CMD...: the command fails with STATUS,
# stderr contains every pattern, and no output file is left behind.
expect_error() {
    name=$1; want=$2; shift 2
    pats=""
    while [ "$1" != "--" ]; do pats="$pats
$1"; shift; done
    shift
    "$@" >"$TMP/out.txt" 2>"$TMP/err.txt"
    st=$?
    good=1
    [ "$st" -eq "$want" ] || { echo "  exit status $st, expected $want"; good=0; }
    echo "$pats" | while IFS= read -r pat; do
        [ -z "$pat" ] && continue
        grep -qF -- "$pat" "$TMP/err.txt" || { echo "  stderr lacks '$pat':"; sed 's/^/    /' "$TMP/err.txt"; exit 1; }
    done || good=0
    if ls "$TMP"/bad*.h5* >/dev/null 2>&1; then echo "  an output file was left behind"; good=0; fi
    if [ $good -eq 1 ]; then ok "$name"; else bad "$name"; fi
}

SC=scenarios/akash-2024.yaml

# 1. the layout of a run
"$BIN" run $SC -n 20 --days 365 -j 2 -o "$TMP/a.h5" --quiet 2>"$TMP/run.err"
check "run writes a file" "[ -f '$TMP/a.h5' ] && ! ls '$TMP'/a.h5.tmp* >/dev/null 2>&1"
check "/runs/supply_total is (20, 366)" \
    "h5dump -H -d /runs/supply_total '$TMP/a.h5' | grep -q 'DATASPACE  SIMPLE { ( 20, 366 )'"
check "/runs/supply_total has units and description" \
    "h5dump -A -d /runs/supply_total '$TMP/a.h5' | grep -q 'ATTRIBUTE \"units\"' && h5dump -A -d /runs/supply_total '$TMP/a.h5' | grep -q 'ATTRIBUTE \"description\"'"
for stat in mean sd p05 p25 p50 p75 p95; do
    check "/summary/bonded_ratio/$stat is (366)" \
        "h5dump -H -d /summary/bonded_ratio/$stat '$TMP/a.h5' | grep -q 'SIMPLE { ( 366 )'"
done
for attr in format format_version tokensim_version command scenario_name seed runs days record_every_days start_date created_utc; do
    check "root attribute $attr" "h5dump -A -g / '$TMP/a.h5' | grep -q 'ATTRIBUTE \"$attr\"'"
done
check "/time, /scenario, /params exist" \
    "h5ls '$TMP/a.h5' | grep -q '^time' && h5ls '$TMP/a.h5' | grep -q '^scenario' && h5ls '$TMP/a.h5' | grep -q '^params'"

check "/run and its hard links /runs/run, /runs/time, /summary/bonded_ratio/time" \
    "h5ls '$TMP/a.h5/run' | grep -q 'Dataset {20}' && h5ls '$TMP/a.h5/runs' | grep -q '^run  *Dataset' && h5ls '$TMP/a.h5/runs' | grep -q '^time  *Dataset' && h5ls '$TMP/a.h5/summary/bonded_ratio' | grep -q '^time  *Dataset'"

# 1b. the file in Python: h5py, and xarray through h5netcdf without phony_dims
PY=/usr/bin/python3
if "$PY" -c 'import h5py, xarray, h5netcdf' 2>/dev/null; then
    cat >"$TMP/h5py_check.py" <<'EOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f["/runs/supply_total"]
    assert d.shape == (20, 366), d.shape
    assert isinstance(d.attrs["units"], str), type(d.attrs["units"])
    assert list(f["/run"][:]) == list(range(20)), f["/run"][:]
EOF
    cat >"$TMP/xarray_check.py" <<'EOF'
import sys, numpy as np, xarray as xr
path = sys.argv[1]
with xr.open_dataset(path, group="runs", engine="h5netcdf") as ds:
    v = ds["supply_total"]
    assert v.dims == ("run", "time") and v.shape == (20, 366), (v.dims, v.shape)
    assert v.attrs["units"] == "AKT", v.attrs
    assert (ds["run"].values == np.arange(20)).all(), ds["run"].values
    # CF time: units "days since <start_date>" decode to dates
    assert ds["time"].dtype.kind == "M", ds["time"].dtype
    days = (ds["time"].values - np.datetime64("2024-03-20")) / np.timedelta64(1, "D")
    assert (days == np.arange(366)).all(), days
    assert float(v.sel(run=3, time="2024-03-20")) == float(v[3, 0])
with xr.open_dataset(path, group="summary/supply_total", engine="h5netcdf") as ds:
    assert ds["p50"].dims == ("time",) and ds["p50"].shape == (366,), ds["p50"].dims
    assert "time" in ds.coords, ds
with xr.open_dataset(path, engine="h5netcdf") as ds:
    assert ds.attrs["format"] == "tokensim" and ds.sizes["run"] == 20, ds
EOF
    check "h5py: /runs/supply_total is (20, 366), its units a str, /run is 0..19" \
        "'$PY' '$TMP/h5py_check.py' '$TMP/a.h5'"
    check "xarray (h5netcdf): groups runs, summary/supply_total and / open with run and time (dates from 2024-03-20) coordinates" \
        "'$PY' '$TMP/xarray_check.py' '$TMP/a.h5'"
    "$BIN" run $SC -n 20 --days 365 -j 2 -o "$TMP/a-blosc.h5" --set output.compression=blosc --quiet
    check "h5py and xarray read a file of output.compression=blosc (HDF5's Blosc plugin, Debian's directory)" \
        "'$PY' '$TMP/h5py_check.py' '$TMP/a-blosc.h5' && '$PY' '$TMP/xarray_check.py' '$TMP/a-blosc.h5'"
else
    echo "skip h5py: /runs/supply_total (no h5py, xarray or h5netcdf for $PY)"
    echo "skip xarray (h5netcdf): groups runs, summary/supply_total and / (no h5py, xarray or h5netcdf for $PY)"
    echo "skip h5py and xarray read a file of output.compression=blosc (no h5py, xarray or h5netcdf for $PY)"
fi

# 2. day-0 bonded ratio 0.578 and day-1 minted about 94,600 AKT (report: 94,609)
b0=$(h5dump -d /runs/bonded_ratio -s 0,0 -c 1,1 -m %.6f "$TMP/a.h5" | grep -o '(0,0): [0-9.]*' | head -1 | cut -d' ' -f2)
check "day-0 bonded_ratio is 0.578 (got $b0)" "[ '$b0' = '0.578000' ]"
m1=$(h5dump -d /runs/minted -s 0,1 -c 1,1 -m %.0f "$TMP/a.h5" | grep -o '(0,1): [0-9]*' | head -1 | cut -d' ' -f2)
check "day-1 minted within 1 % of 94,609 AKT (got $m1)" "[ '$m1' -gt 93663 ] && [ '$m1' -lt 95555 ]"

# 3. identical files whatever the thread count
$SDE "$BIN" run $SC -n 12 --days 200 -j 1 -o "$TMP/j1.h5" --quiet
$SDE "$BIN" run $SC -n 12 --days 200 -j 2 -o "$TMP/j2.h5" --quiet
check "-j1 and -j2: the same file byte for byte (/runs, /summary, /time, /scenario)" "cmp -s '$TMP/j1.h5' '$TMP/j2.h5'"
# the same for the market in cohorts, over a horizon where cohorts hold several orders
# (the GPU classes' own K groups their 6 to 20 orders a day as well)
KS="--set tenants.cohorts_per_day=16 --set tenants.gpu_cohorts_per_day=4"
$SDE "$BIN" run $SC -n 6 --days 400 -j 1 $KS -o "$TMP/k1.h5" --quiet
$SDE "$BIN" run $SC -n 6 --days 400 -j 2 $KS -o "$TMP/k2.h5" --quiet
check "cohorts: -j1 and -j2 give the same file byte for byte" "cmp -s '$TMP/k1.h5' '$TMP/k2.h5'"
expect_error "GPU cohorts without cohorts" 2 "tenants.gpu_cohorts_per_day" "needs cohorts: market.mode cohorts, or tenants.cohorts_per_day" -- \
    "$BIN" run $SC -n 2 --days 10 --set tenants.gpu_cohorts_per_day=16 -o "$TMP/bad-gpuk.h5" --quiet

# 4. bad scenarios: exit 2, file:line and the parameter named, no output file
expect_error "unknown key" 2 "bad-unknown-key.yaml:" "did you mean" -- \
    "$BIN" run tests/fixtures/bad-unknown-key.yaml -o "$TMP/bad1.h5" --quiet
expect_error "wrong type" 2 "bad-type.yaml:" -- \
    "$BIN" run tests/fixtures/bad-type.yaml -o "$TMP/bad2.h5" --quiet
expect_error "out of range" 2 "bad-range.yaml:" "out of range" -- \
    "$BIN" run tests/fixtures/bad-range.yaml -o "$TMP/bad3.h5" --quiet
expect_error "--set unknown parameter" 2 "mint.inflation_mx" "mint.inflation_max" -- \
    "$BIN" run $SC --set mint.inflation_mx=0.3 -o "$TMP/bad4.h5" --quiet
expect_error "--set out of range" 2 "mint.inflation_max" "out of range" -- \
    "$BIN" run $SC --set mint.inflation_max=1.5 -o "$TMP/bad5.h5" --quiet
expect_error "missing scenario file" 2 "nonexistent.yaml" -- \
    "$BIN" run "$TMP/nonexistent.yaml" -o "$TMP/bad6.h5" --quiet
expect_error "unwritable output directory" 1 "$TMP/no/such/dir" -- \
    "$BIN" run $SC -n 2 --days 5 -o "$TMP/no/such/dir/bad7.h5" --quiet
expect_error "unknown option" 2 "--frobnicate" -- "$BIN" run $SC --frobnicate
expect_error "unknown command" 2 "frobnicate" -- "$BIN" frobnicate

# 5. the other commands
check "summary prints supply_total" "'$BIN' summary '$TMP/a.h5' | grep -q supply_total"
expect_error "summary of a missing file" 1 "missing.h5" -- "$BIN" summary "$TMP/missing.h5"
check "params lists mint.inflation_max with its unit" "'$BIN' params | grep -q 'mint.inflation_max'"
check "params --markdown is a table" "'$BIN' params --markdown | head -1 | grep -q '^| parameter |'"
check "validate accepts the shipped scenario" "'$BIN' validate $SC >/dev/null"
check "scenarios/README.md lists the registry as it is (make docs)" \
    "'$BIN' params --markdown > '$TMP/params.md' && cat scenarios/README.md.in '$TMP/params.md' | cmp -s - scenarios/README.md"
# every dataset of /runs but the hard-linked dimension scales run and time
for m in $(h5ls "$TMP/a.h5/runs" | awk '$1 != "run" && $1 != "time" {print $1}'); do
    check "docs/output.md lists metric $m" "grep -q '^| \`$m\` |' docs/output.md"
done
for f in scenarios/*.yaml scenarios/proposals/*.yaml; do
    check "validate $f" "'$BIN' validate '$f' >/dev/null"
done
# observed data beside simulated values (data/observed): akash-bme-2026 starts on 2026-02-01, so
# summary prints the 2026 observations and not the 2024 ones, and the calibrated ones are met
"$BIN" run scenarios/akash-bme-2026.yaml -n 20 --days 150 -j 2 -o "$TMP/bme.h5" --quiet
"$BIN" summary "$TMP/bme.h5" >"$TMP/bme.txt"
check "summary of akash-bme-2026 prints the 2026 observations, not the 2024 ones" \
    "grep -q '^observed against simulated' '$TMP/bme.txt' && grep -q '^spend a day, Feb 2026' '$TMP/bme.txt' && ! grep -q 'new leases a day, 2024' '$TMP/bme.txt'"
for q in 'spend a day, Feb 2026' 'spend a day, May 2026' 'GPU utilisation, Feb 2026' 'GPU utilisation, May 2026' \
         'H100 price at the PIP3.5 launch' 'H100 price, June 2026'; do
    check "akash-bme-2026 calibration: $q on target" "grep '^$q' '$TMP/bme.txt' | grep -q ' ok '"
done
# akash-2024 over the simulated part of 2024: every 2024 market target inside its band
"$BIN" run $SC -n 40 --days 287 -j 2 -o "$TMP/y2024.h5" --quiet
"$BIN" summary "$TMP/y2024.h5" >"$TMP/y2024.txt"
for q in 'new leases a day, 2024' 'USD spent a day, 2024' 'USDC share of the USD spent, 2024' \
         'active deployments at the end of 2024' 'average fee per lease, 2024' 'CPU utilisation, median of days 0-90' \
         'GPU utilisation, median of days 0-90'; do
    check "akash-2024 calibration: $q on target" "grep '^$q' '$TMP/y2024.txt' | grep -q ' ok '"
done
check "summary of a 287-day run prints no 2026 observation" "! grep -q 'Feb 2026' '$TMP/y2024.txt'"
# akash-history (small n): it runs to the present and its summary prints the observed table
"$BIN" run scenarios/akash-history.yaml -n 4 -j 2 -o "$TMP/history.h5" --quiet
"$BIN" summary "$TMP/history.h5" >"$TMP/history.txt"
check "akash-history runs and its summary prints the observed table, 2024 to 2026" \
    "grep -q '^observed against simulated' '$TMP/history.txt' && grep -q '^new leases a day, 2024' '$TMP/history.txt' && grep -q '^spend a day, May 2026' '$TMP/history.txt' && grep -q '^bonded ratio, Aug 2026' '$TMP/history.txt'"
check "akash-history passes through the observed AKT price of 2026-03-31 in every run" \
    "grep '^AKT price at the end of Q1 2026' '$TMP/history.txt' | grep -q '0.5 \\[0.5, 0.5\\]'"
# a user's own table: its rows inside the file's dates, and a bad row named by file and line
printf 'quantity,from,to,metric,stat,value,low,high,source\nmy spend,2024-04-01,2024-04-30,spend_usd,mean,4000,3000,5000,my notes\nlater,2030-01-01,2030-01-31,spend_usd,mean,1,0,2,x\n' >"$TMP/mine.csv"
"$BIN" summary "$TMP/y2024.h5" --observed "$TMP/mine.csv" >"$TMP/mine.txt"
check "summary --observed FILE: the user's rows inside the dates, alone" \
    "grep -q '^my spend' '$TMP/mine.txt' && ! grep -q '^later' '$TMP/mine.txt' && ! grep -q 'new leases a day' '$TMP/mine.txt'"
printf 'quantity,from,to,metric,stat,value,low,high,source\nok row,2024-04-01,2024-04-30,spend_usd,mean,4000,3000,5000,x\nbad,2024-13-01,2024-04-30,spend_usd,mean,4000,3000,5000,x\n' >"$TMP/bad-obs.csv"
expect_error "summary --observed: a bad date is named with its file and line" 2 "bad-obs.csv:3: from" -- \
    "$BIN" summary "$TMP/y2024.h5" --observed "$TMP/bad-obs.csv"
printf 'quantity,from,to,metric,stat,value,low,high,source\nx,2024-04-01,2024-04-30,spend_usdd,mean,4000,3000,5000,x\n' >"$TMP/bad-metric.csv"
expect_error "summary --observed: an unknown metric" 2 "bad-metric.csv:2: unknown metric 'spend_usdd'" -- \
    "$BIN" summary "$TMP/y2024.h5" --observed "$TMP/bad-metric.csv"
# 6. plots
"$BIN" plot "$TMP/a.h5" --metric supply_total --metric bonded_ratio -o "$TMP/fan.png" 2>/dev/null
check "plot writes a PNG fan chart" "[ \"\$(head -c 4 '$TMP/fan.png' | tail -c 3)\" = PNG ]"
"$BIN" plot "$TMP/a.h5" --metric gpu_utilisation -o "$TMP/fan.svg" 2>/dev/null
check "plot writes an SVG" "grep -q '<svg' '$TMP/fan.svg'"
expect_error "plot of an unknown metric" 2 "no metric 'nonsense'" -- \
    "$BIN" plot "$TMP/a.h5" --metric nonsense -o "$TMP/bad8.png"
expect_error "plot without gnuplot" 1 "gnuplot not found" -- \
    env PATH=/nonexistent "$BIN" plot "$TMP/a.h5" -o "$TMP/bad9.png"
expect_error "plot to a bad extension" 2 ".png or .svg" -- "$BIN" plot "$TMP/a.h5" -o "$TMP/bad10.gif"

"$BIN" report "$TMP/a.h5" -o "$TMP/report" 2>"$TMP/report.err"
# akash-2024 burns nothing (no BME): its burn panels are 0 throughout, where
# gnuplot's autoscale would warn "empty y range"
check "report: gnuplot has nothing to warn about, not even the panels that stay 0" \
    "grep -q 'wrote' '$TMP/report.err' && ! grep -qi 'warning' '$TMP/report.err'"
"$BIN" plot "$TMP/a.h5" --metric burned -o "$TMP/zero.svg" 2>"$TMP/zero.err"
check "plot of a metric 0 throughout: no warning, a line of text instead of a chart" \
    "! grep -qi 'warning' '$TMP/zero.err' && grep -q 'burned (AKT/day): 0 in every run, nothing to draw' '$TMP/zero.svg' && ! grep -q '<text>-' '$TMP/zero.svg'"
# what each chart draws: TOKENSIM_GNUPLOT_KEEP keeps each figure's gnuplot script and data
GP="$TMP/gnuplot"
mkdir -p "$GP"
for m in price_usd market_cap_usd supply_total minted take_fees_usd orders_new net_bonding net_issuance; do
    TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" plot "$TMP/a.h5" --metric $m -o "$TMP/truth-$m.png" 2>/dev/null
done
for m in price_usd market_cap_usd supply_total minted take_fees_usd orders_new; do
    check "plot $m: it cannot be negative, so its y axis starts at 0 ([0:*])" "grep -qF 'set yrange [0:*]' '$GP/truth-$m.png.gp'"
done
check "plot net_bonding: a signed flow (negative in this file) keeps gnuplot's autoscale" \
    "grep -qF 'set autoscale y' '$GP/truth-net_bonding.png.gp' && ! grep -qF 'yrange [0:' '$GP/truth-net_bonding.png.gp' && awk 'NR > 1 && \$4 < 0 { n++ } END { exit !n }' '$GP/truth-net_bonding.png.dat'"
check "plot net_issuance: a difference of flows keeps autoscale, though positive here" \
    "grep -qF 'set autoscale y' '$GP/truth-net_issuance.png.gp'"
check "plot: tick labels in k, M and B (supply in millions of AKT, market cap in billions of USD, minted in thousands)" \
    "grep -qF \"set format y '%g M'\" '$GP/truth-supply_total.png.gp' && grep -qF \"set format y '%g B'\" '$GP/truth-market_cap_usd.png.gp' && grep -qF \"set format y '%g k'\" '$GP/truth-minted.png.gp' && grep -qF \"set format y '%g'\" '$GP/truth-price_usd.png.gp'"
check "plot: the data are divided as the ticks say (supply's first median 230.8 M: 230.816799)" \
    "awk 'NR == 2 { exit !(\$1 == \"2024-03-20\" && \$4 == 230.816799) }' '$GP/truth-supply_total.png.dat'"
"$BIN" plot "$TMP/a.h5" --metric market_cap_usd -o "$TMP/cap.svg" 2>/dev/null
check "plot as SVG: the market cap's ticks read 0 B, 1 B ..., never 1e+09" \
    "grep -q '<text>0 B</text>' '$TMP/cap.svg' && grep -q '<text>1 B</text>' '$TMP/cap.svg' && ! grep -q 'e+0' '$TMP/cap.svg' && ! grep -q '<text>-' '$TMP/cap.svg'"
for m in minted take_fees_usd orders_new net_bonding net_issuance; do
    check "plot $m: a daily flow is drawn from day 1 (2024-03-21), day 0 has none" \
        "awk 'NR == 2 { exit \$1 != \"2024-03-21\" }' '$GP/truth-$m.png.dat' && grep -q 'from day 1' '$GP/truth-$m.png.gp'"
done
for m in price_usd supply_total market_cap_usd; do
    check "plot $m: a stock is drawn from day 0 (2024-03-20)" "awk 'NR == 2 { exit \$1 != \"2024-03-20\" }' '$GP/truth-$m.png.dat'"
done
check "plot: the legend is below the chart, off the data" \
    "grep -q '^set key below' '$GP/truth-price_usd.png.gp' && ! grep -q '^set key \\(left\\|right\\|top\\|inside\\)' '$GP/truth-price_usd.png.gp'"
check "report: the burns, 0 in every run without BME, are a sentence instead of an empty chart" \
    "grep -qF '<p>burned (AKT/day) and burn_mint_ratio (fraction) are 0 in every run: nothing to draw.</p>' '$TMP/report/index.html' && ! grep -q 'burns.png' '$TMP/report/index.html' && [ ! -e '$TMP/report/burns.png' ]"
expect_error "plot --metric price: the nearest names the file has" 2 \
    "no metric 'price' (did you mean 'price_usd', 'cpu_price_usd_per_hour' or 'a100_price_usd_per_hour'?)" -- \
    "$BIN" plot "$TMP/a.h5" --metric price -o "$TMP/bad8.png"
expect_error "plot --metric suply: a name beginning like it" 2 "no metric 'suply' (did you mean 'supply_total'?)" -- \
    "$BIN" plot "$TMP/a.h5" --metric suply -o "$TMP/bad8.png"
expect_error "plot --metric bonded: the names that contain it" 2 \
    "no metric 'bonded' (did you mean 'bonded_akt', 'bonded_ratio' or 'staking_bonded'?)" -- \
    "$BIN" plot "$TMP/a.h5" --metric bonded -o "$TMP/bad8.png"
check "report writes at least 8 figures and an index page that shows them" \
    "[ -s '$TMP/report/index.html' ] && [ \$(grep -c '<img src=' '$TMP/report/index.html') -ge 8 ] && [ -s '$TMP/report/supply.png' ] && grep -q 'observed against simulated' '$TMP/report/index.html'"

# 7. compare: common random numbers
"$BIN" compare $SC $SC -n 10 --days 120 -o "$TMP/self.h5" --quiet >"$TMP/self.txt"
check "compare of a scenario with itself: every difference exactly 0, CI of width 0" \
    "h5dump -A 0 -d /compare/supply_total/diff_mean -d /compare/supply_total/diff_ci_low -d /compare/supply_total/diff_ci_high -d /compare/bonded_ratio/diff_sd '$TMP/self.h5' | sed -n '/DATA {/,/}/p' | sed 's/([0-9]*)://g' | tr -c '0-9.e+\\n-' ' ' | awk '{ n += NF; for (i = 1; i <= NF; i++) if (\$i != 0) bad = 1 } END { exit bad || n < 400 }'"
"$BIN" compare $SC scenarios/proposals/inflation-cut-2025.yaml -n 50 --days 366 -o "$TMP/cut.h5" --quiet >"$TMP/cut.txt"
check "inflation cut: the 1-year supply difference is clear, pairing cuts the variance >= 10x" \
    "awk '\$1 == \"supply_total\" && \$3 == 365 { found = 1; v = \$NF; gsub(\",\", \"\", v); if (\$(NF-1) != \"clear\" || v + 0 < 10) bad = 1 } END { exit !found || bad }' '$TMP/cut.txt'"
# the table's rows: from its header to the legend, blank lines (between metrics) left out
table_rows() { awk '/^metric /{ t = 1; next } t && /^difference: / { exit } t && NF' "$1"; }
for f in cut self; do
    check "compare table ($f): the headers base mean, proposal mean, difference, difference %, 95 % CI, verdict, variance reduction, and units" \
        "grep -q '^metric  *units  *day  *base mean  *proposal mean  *difference  *difference %  *95 % CI  *verdict  *variance reduction\$' '$TMP/$f.txt'"
    check "compare table ($f): no inf, no nan, no exponent (e+, e-)" \
        "[ \$(table_rows '$TMP/$f.txt' | wc -l) -ge 10 ] && ! table_rows '$TMP/$f.txt' | grep -qwE 'inf|nan' && ! table_rows '$TMP/$f.txt' | grep -qE '[0-9]e[-+]'"
    check "compare table ($f): a legend under it explains the verdicts and the variance reduction" \
        "grep -q '^verdict: clear = the CI excludes 0; nil = ' '$TMP/$f.txt' && grep -q 'identical = every paired difference is 0' '$TMP/$f.txt'"
done
check "compare table of a scenario with itself: every row nil, its variance reduction 'identical'" \
    "table_rows '$TMP/self.txt' | awk '{ n++; if (\$(NF-1) != \"nil\" || \$NF != \"identical\") bad = 1 } END { exit bad || n < 10 }'"
check "compare table: thousands separators, the same decimals across a row (supply at day 365)" \
    "awk '\$1 == \"supply_total\" && \$3 == 365 && \$4 ~ /^[0-9][0-9][0-9],[0-9][0-9][0-9],[0-9][0-9][0-9]\$/ && \$5 ~ /^[0-9][0-9][0-9],[0-9][0-9][0-9],[0-9][0-9][0-9]\$/ && \$6 ~ /^-[0-9][0-9]*,[0-9][0-9][0-9]\$/ { found = 1 } END { exit !found }' '$TMP/cut.txt'"
check "compare, default (exogenous) price mode: the proposal cannot move the price, price_usd identical" \
    "table_rows '$TMP/cut.txt' | awk '\$1 == \"price_usd\" { n++; if (\$NF != \"identical\") bad = 1 } END { exit bad || n < 1 }'"
$SDE "$BIN" compare $SC scenarios/proposals/take-rate-akt-10.yaml -n 8 --days 60 -j 1 -o "$TMP/c1.h5" --quiet >/dev/null
$SDE "$BIN" compare $SC scenarios/proposals/take-rate-akt-10.yaml -n 8 --days 60 -j 2 -o "$TMP/c2.h5" --quiet >/dev/null
check "compare: -j1 and -j2 give the same file byte for byte (/compare, /runs)" "cmp -s '$TMP/c1.h5' '$TMP/c2.h5'"
# the market in cohorts against the exact model (docs/model.md §9.4): the paired
# difference of the means within 4 standard errors (sd / sqrt(pairs)) for the
# market's main metrics; a miscount of deployments, a settlement that does not
# scale or a queue order that favours some cohorts (it did: small orders first
# under the BME scenario's capacity shortage, 7 % more leases) is far outside
# (100 pairs; the ASan stage, which looks for memory errors, runs 50: make asan)
PAIRS=${TOKENSIM_TEST_COHORT_PAIRS:-100}
# cohort_z FILE DAYS METRICS...: the largest |z| over the metrics at the days
cohort_z() {
    f=$1; days=$2; shift 2
    z=0
    for m in "$@"; do
        for t in $days; do
            mean=$(h5dump -d /compare/$m/diff_mean -s $t -c 1 -m %.17g "$f" | grep -o "($t): [-0-9.e+]*" | cut -d' ' -f2)
            sd=$(h5dump -d /compare/$m/diff_sd -s $t -c 1 -m %.17g "$f" | grep -o "($t): [-0-9.e+]*" | cut -d' ' -f2)
            z=$(awk -v m="$mean" -v s="$sd" -v z="$z" -v n="$PAIRS" 'BEGIN { if (m == "" || s == "") { print 99; exit }
                a = (s > 0 ? m / (s / sqrt(n)) : (m == 0 ? 0 : 99)); a = a < 0 ? -a : a; print (a > z ? a : z) }')
        done
    done
    echo "$z"
}
MARKET_METRICS="spend_usd cpu_utilisation gpu_utilisation h100_utilisation leases_active orders_new
                orders_filled providers_active tenants cpu_price_usd_per_hour h100_price_usd_per_hour"
"$BIN" compare $SC tests/fixtures/cohorts-64.yaml -n $PAIRS --days 400 -o "$TMP/coh.h5" --quiet >/dev/null
zmax=$(cohort_z "$TMP/coh.h5" "365 400" $MARKET_METRICS take_fees_usd escrow_akt)
check "cohorts (K = 64) against the exact model, akash-2024, $PAIRS paired runs: 13 market metrics at days 365 and 400 within 4 standard errors (largest |z| $zmax)" \
    "awk -v z='$zmax' 'BEGIN { exit !(z < 4) }'"
"$BIN" compare scenarios/akash-bme-2026.yaml tests/fixtures/bme-cohorts-64.yaml -n $PAIRS --days 365 -o "$TMP/bcoh.h5" --quiet >/dev/null
zmax=$(cohort_z "$TMP/bcoh.h5" "150 200 250 365" $MARKET_METRICS collateral_ratio act_outstanding)
check "cohorts (K = 64) against the exact model, akash-bme-2026, $PAIRS paired runs: 13 metrics at days 150, 200, 250 and 365 within 4 standard errors (largest |z| $zmax)" \
    "awk -v z='$zmax' 'BEGIN { exit !(z < 4) }'"
check "compare: both arms' runs are stored as [arm, runs, times]" \
    "h5dump -H -d /runs/supply_total '$TMP/cut.h5' | grep -q 'SIMPLE { ( 2, 50, 367 )'"
"$BIN" summary "$TMP/cut.h5" >"$TMP/cutsum.txt" 2>&1
st=$?
check "summary of a comparison file: both scenarios, the paired runs and the seed" \
    "[ $st -eq 0 ] && grep -q '^tokensim comparison ' '$TMP/cutsum.txt' && grep -q '^  base  *akash-2024\$' '$TMP/cutsum.txt' && grep -q '^  proposal  *inflation-cut-2025\$' '$TMP/cutsum.txt' && grep -q '^  paired runs  *50\$' '$TMP/cutsum.txt' && grep -q '^  seed  *[0-9]' '$TMP/cutsum.txt'"
check "summary of a comparison file: the key metrics at days 0, 30, 90, 365 and 366, each arm's mean, the difference, its CI and verdict" \
    "grep -q '^metric  *units  *day  *base mean  *proposal mean  *difference  *difference %  *95 % CI  *verdict' '$TMP/cutsum.txt' && table_rows '$TMP/cutsum.txt' | awk '\$1 == \"supply_total\" { s = s \$3 \" \" } END { exit s != \"0 30 90 365 366 \" }' && table_rows '$TMP/cutsum.txt' | awk '\$1 == \"supply_total\" && \$3 == 365 && \$(NF-1) == \"clear\" { f = 1 } END { exit !f }' && ! table_rows '$TMP/cutsum.txt' | grep -qwE 'inf|nan' && ! table_rows '$TMP/cutsum.txt' | grep -qE '[0-9]e[-+]' && grep -q '^verdict: clear' '$TMP/cutsum.txt'"
check "summary of a comparison file: the same figures as compare printed (supply_total, day 365)" \
    "[ \"\$(awk '\$1 == \"supply_total\" && \$3 == 365' '$TMP/cut.txt' | tr -s ' ')\" = \"\$(awk '\$1 == \"supply_total\" && \$3 == 365' '$TMP/cutsum.txt' | tr -s ' ')\" ]"
expect_error "compare needs two scenarios" 2 "two scenario files" -- "$BIN" compare $SC
# 7b. events: the rules hold after each day's changes; events after the horizon are warned about
TE="--set providers.initial=0 --set tenants.orders_per_day=0"   # token economy: fast
printf 'name: late\ndays: 30\nevents:\n  - {day: 10, set: {market.take_rate_akt: 0.05}}\n  - {day: 180, set: {mint.inflation_min: 0.05, mint.inflation_max: 0.1}, note: after a 30-day run}\n' >"$TMP/late.yaml"
LATE_WARN="tokensim: warning: $TMP/late.yaml:5:48: event on day 180 (2024-09-16) sets mint.inflation_max = 0.1 after the horizon (30 days): it is ignored"
"$BIN" validate "$TMP/late.yaml" >"$TMP/late.out" 2>"$TMP/late.err"
st=$?
check "validate: an event after the horizon is a warning naming it, one line a change; exit 0" \
    "[ $st -eq 0 ] && grep -qF -- '$LATE_WARN' '$TMP/late.err' && [ \$(grep -c 'warning: .*event on day 180' '$TMP/late.err') -eq 2 ] && ! grep -q 'day 10 ' '$TMP/late.err' && grep -q ': valid' '$TMP/late.out'"
check "validate: no warning once the horizon reaches the event" \
    "'$BIN' validate '$TMP/late.yaml' --set days=180 2>'$TMP/late2.err' >/dev/null && [ ! -s '$TMP/late2.err' ]"
expect_error "validate --strict: the warning is an error, exit 2" 2 "$LATE_WARN" "--strict makes the warnings above errors" -- \
    "$BIN" validate "$TMP/late.yaml" --strict
"$BIN" run "$TMP/late.yaml" -n 2 --days 30 $TE -o "$TMP/late.h5" --quiet 2>"$TMP/laterun.err"
st=$?
check "run --days 30: the day-180 event is warned about, the run goes on" \
    "[ $st -eq 0 ] && grep -qF -- '$LATE_WARN' '$TMP/laterun.err' && [ -f '$TMP/late.h5' ]"
expect_error "run --strict: exit 2, nothing written" 2 "$LATE_WARN" "--strict" -- \
    "$BIN" run "$TMP/late.yaml" -n 2 --days 30 $TE -o "$TMP/bad-late.h5" --strict --quiet
"$BIN" compare $SC "$TMP/late.yaml" -n 2 --days 30 $TE -o "$TMP/latec.h5" --quiet >/dev/null 2>"$TMP/latec.err"
st=$?
LATE_WARN_ARM="tokensim: warning: proposal: $TMP/late.yaml:5:48: event on day 180 (2024-09-16) sets mint.inflation_max = 0.1 after the horizon (30 days): it is ignored"
check "compare: the proposal's event after the horizon is warned about, with its arm" \
    "[ $st -eq 0 ] && grep -qF -- '$LATE_WARN_ARM' '$TMP/latec.err' && [ -f '$TMP/latec.h5' ]"
expect_error "compare --strict: exit 2, nothing written" 2 "$LATE_WARN_ARM" -- \
    "$BIN" compare $SC "$TMP/late.yaml" -n 2 --days 30 $TE -o "$TMP/bad-latec.h5" --strict --quiet
printf 'base: late.yaml\nsweep: {mode: grid, params: {market.take_rate_usdc: [0.1, 0.2]}}\n' >"$TMP/latesw.yaml"
expect_error "sweep --strict: a base file's event after the horizon, exit 2" 2 \
    "warning: $TMP/late.yaml:5:22: event on day 180 (2024-09-16) sets mint.inflation_min = 0.05" -- \
    "$BIN" sweep "$TMP/latesw.yaml" -n 2 $TE -o "$TMP/bad-latesw.h5" --strict --quiet
printf 'days: 30\nevents:\n  - {day: 10, set: {mint.inflation_max: 0.1}}\n' >"$TMP/evbad.yaml"
expect_error "validate refuses an event that breaks a rule, at the event" 2 \
    "tokensim: $TMP/evbad.yaml:3:21: event on day 10 (2024-03-30): mint.inflation_min (0.13) is above mint.inflation_max (0.1)" -- \
    "$BIN" validate "$TMP/evbad.yaml"
printf 'days: 30\nevents:\n  - {day: 10, set: {mint.inflation_max: 0.15}}\n' >"$TMP/evset.yaml"
expect_error "run: a --set that breaks an event's day is refused at the event, nothing written" 2 \
    "after --set: $TMP/evset.yaml:3:21: event on day 10 (2024-03-30): mint.inflation_min (0.16) is above mint.inflation_max (0.15)" -- \
    "$BIN" run "$TMP/evset.yaml" --set mint.inflation_min=0.16 -n 2 -o "$TMP/bad-evset.h5" --quiet
# 8. sweeps
$SDE "$BIN" sweep tests/fixtures/sweep-grid.yaml -j 1 -o "$TMP/g1.h5" --quiet
$SDE "$BIN" sweep tests/fixtures/sweep-grid.yaml -j 2 -o "$TMP/g2.h5" --quiet
check "a 3x3 grid sweep writes [9, runs, times] datasets" \
    "h5dump -H -d /runs/supply_total '$TMP/g1.h5' | grep -q 'SIMPLE { ( 9, 8, 61 )' && h5dump -H -d /summary/supply_total/p50 '$TMP/g1.h5' | grep -q 'SIMPLE { ( 9, 61 )'"
check "a 3x3 grid sweep writes the points table [9, 2]" "h5dump -H -d /sweep/points '$TMP/g1.h5' | grep -q 'SIMPLE { ( 9, 2 )'"
check "sweep: -j1 and -j2 give the same file byte for byte (/runs, /summary, /sweep)" "cmp -s '$TMP/g1.h5' '$TMP/g2.h5'"
"$BIN" sweep tests/fixtures/sweep-lhs.yaml -o "$TMP/lhs.h5" --quiet
check "an lhs sweep writes [6, runs, times] and its points; /scenario reads back" \
    "h5dump -H -d /runs/supply_total '$TMP/lhs.h5' | grep -q 'SIMPLE { ( 6, 4, 31 )' && h5dump -H -d /sweep/points '$TMP/lhs.h5' | grep -q 'SIMPLE { ( 6, 2 )' && h5dump -d /scenario '$TMP/lhs.h5' | grep -q 'mode: lhs'"
"$BIN" plot "$TMP/g1.h5" --metric gpu_utilisation -o "$TMP/sweep.png" 2>/dev/null
check "plot of a sweep: one median a point" "[ \"\$(head -c 4 '$TMP/sweep.png' | tail -c 3)\" = PNG ]"
"$BIN" plot "$TMP/cut.h5" --metric supply_total -o "$TMP/cut.png" 2>/dev/null
check "plot of a comparison: arms and the paired difference" "[ \"\$(head -c 4 '$TMP/cut.png' | tail -c 3)\" = PNG ]"
"$BIN" plot "$TMP/g1.h5" --metric supply_total -o "$TMP/sweep.svg" 2>/dev/null
"$BIN" plot "$TMP/cut.h5" --metric bonded_ratio -o "$TMP/cut.svg" 2>/dev/null
check "plot of a sweep and of a comparison as SVG" "grep -q '<svg' '$TMP/sweep.svg' && grep -q '<svg' '$TMP/cut.svg'"
printf 'days: 30\nsweep:\n  mode: zip\n  params:\n    market.take_rate_usdc: [0.1, 0.2]\n    tenants.orders_per_day: [400]\n' > "$TMP/zipbad.yaml"
expect_error "zip sweep with lists of different lengths" 2 "zip needs lists of one length" -- "$BIN" validate "$TMP/zipbad.yaml"
expect_error "run refuses a scenario with a sweep" 2 "tokensim sweep" -- "$BIN" run tests/fixtures/sweep-grid.yaml -o "$TMP/bad11.h5"
# 9. existing outputs, interruption and resume (docs/output.md)
expect_error "an existing output is refused without --force" 2 "exists" "--force" -- \
    "$BIN" run $SC -n 2 --days 10 -o "$TMP/a.h5" --quiet
check "--force overwrites an existing output" \
    "'$BIN' run $SC -n 2 --days 10 $TE -o '$TMP/forced.h5' --quiet && '$BIN' run $SC -n 3 --days 10 $TE -o '$TMP/forced.h5' --force --quiet && h5dump -H -d /runs/supply_total '$TMP/forced.h5' | grep -q 'SIMPLE { ( 3, 11 )'"
export SOURCE_DATE_EPOCH=1700000000
"$BIN" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/whole.h5" --quiet
TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$BIN" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/cut1.h5" --quiet 2>"$TMP/int.txt"
st=$?
check "an interrupted campaign exits 1 and says how to continue" \
    "[ $st -eq 1 ] && grep -q '128 of 300 runs are saved in' '$TMP/int.txt' && grep -q -- '--resume $TMP/cut1.h5' '$TMP/int.txt'"
check "it leaves OUT.partial with /manifest and nothing under OUT" \
    "[ ! -e '$TMP/cut1.h5' ] && h5dump -a /manifest/runs_done '$TMP/cut1.h5.partial' | grep -q '(0): 128' && h5dump -H -d /manifest/done '$TMP/cut1.h5.partial' | grep -q 'SIMPLE { ( 300 )'"
expect_error "a new campaign onto an interrupted one is refused" 2 "holds an interrupted campaign" "--resume" -- \
    "$BIN" run $SC -n 300 --days 400 $TE -o "$TMP/cut1.h5" --quiet
expect_error "resume with other options is refused" 2 "made by a different scenario or options" -- \
    "$BIN" run $SC -n 300 --days 401 $TE --resume "$TMP/cut1.h5" --quiet
TOKENSIM_TEST_STOP_AFTER_RUNS=200 "$BIN" run $SC -n 300 --days 400 $TE -j 1 --resume "$TMP/cut1.h5" --quiet 2>/dev/null
"$BIN" run $SC -n 300 --days 400 $TE -j 2 --resume "$TMP/cut1.h5" --quiet
check "interrupted twice, resumed on 1 then 2 threads: byte for byte an uninterrupted campaign's file (SOURCE_DATE_EPOCH set)" \
    "cmp -s '$TMP/whole.h5' '$TMP/cut1.h5' && [ ! -e '$TMP/cut1.h5.partial' ]"
expect_error "resume with nothing to resume" 2 "nothing to resume" -- "$BIN" run $SC -n 2 --resume "$TMP/bad-none.h5"
# a real SIGINT: whatever moment it lands, the resumed file is the whole one
"$BIN" run $SC -n 300 --days 400 $TE -j 1 -o "$TMP/sig.h5" --quiet 2>/dev/null &
pid=$!
sleep 0.3
kill -INT $pid 2>/dev/null
wait $pid
st=$?
[ -e "$TMP/sig.h5.partial" ] && "$BIN" run $SC -n 300 --days 400 $TE -j 2 --resume "$TMP/sig.h5" --quiet
check "SIGINT (exit $st: 130 when it landed, 0 if the run had finished), then --resume: identical file" \
    "{ [ $st -eq 130 ] || [ $st -eq 0 ]; } && cmp -s '$TMP/whole.h5' '$TMP/sig.h5'"
"$BIN" sweep tests/fixtures/sweep-grid.yaml -o "$TMP/gs.h5" --days 400 --quiet
TOKENSIM_TEST_STOP_AFTER_RUNS=20 "$BIN" sweep tests/fixtures/sweep-grid.yaml -o "$TMP/gcut.h5" --days 400 --quiet 2>/dev/null
check "a sweep stops after a point's runs with its partial file" "[ -e '$TMP/gcut.h5.partial' ] && [ ! -e '$TMP/gcut.h5' ]"
"$BIN" sweep tests/fixtures/sweep-grid.yaml --days 400 --resume "$TMP/gcut.h5" --quiet
check "a resumed sweep is byte-identical to an uninterrupted one" "cmp -s '$TMP/gs.h5' '$TMP/gcut.h5'"
# output.compression=blosc: another codec, the same values; resumable like deflate's files
expect_error "output.compression=blosc without HDF5's Blosc plugin" 2 "Blosc filter plugin" "hdf5-filter-plugin-blosc-serial" -- \
    env HDF5_PLUGIN_PATH="$TMP/no-plugins" "$BIN" run $SC -n 2 --days 10 -o "$TMP/bad-blosc.h5" --set output.compression=blosc --quiet
"$BIN" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/blosc.h5" --set output.compression=blosc --quiet
check "output.compression=blosc: the Blosc filter, /summary and /runs/supply_total those of the deflate file (h5diff)" \
    "h5dump -p -H -d /runs/supply_total '$TMP/blosc.h5' | grep -q 'FILTER_ID 32001' && h5diff '$TMP/whole.h5' '$TMP/blosc.h5' /summary /summary && h5diff '$TMP/whole.h5' '$TMP/blosc.h5' /runs/supply_total /runs/supply_total"
TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$BIN" run $SC -n 300 --days 400 $TE -j 2 -o "$TMP/bcut.h5" --set output.compression=blosc --quiet 2>/dev/null
"$BIN" run $SC -n 300 --days 400 $TE -j 1 --resume "$TMP/bcut.h5" --set output.compression=blosc --quiet
check "a blosc campaign interrupted and resumed on 1 thread: byte for byte the uninterrupted one" \
    "cmp -s '$TMP/blosc.h5' '$TMP/bcut.h5' && [ ! -e '$TMP/bcut.h5.partial' ]"
unset SOURCE_DATE_EPOCH
"$BIN" summary "$TMP/g1.h5" >"$TMP/gsum.txt" 2>&1
st=$?
check "summary of a grid sweep: a table a metric of each point, labelled by its parameters, with the medians at days 0, 30 and 60" \
    "[ $st -eq 0 ] && grep -q '^sweep: grid, 9 points, 8 runs each, 2 parameters' '$TMP/gsum.txt' && grep -q 'The median across runs of each point' '$TMP/gsum.txt' && grep -A1 '^supply_total (AKT)\$' '$TMP/gsum.txt' | grep -q '^point  *market.take_rate_usdc  *tenants.orders_per_day  *day 0  *day 30  *day 60\$' && grep -A12 '^supply_total (AKT)\$' '$TMP/gsum.txt' | grep -qE '^ *8  *0.3  *1600  *[0-9]{3},[0-9]{3},[0-9]{3}  ' && ! grep -qE '[0-9]e[-+]' '$TMP/gsum.txt'"
check "summary of an lhs sweep: its points' medians" \
    "'$BIN' summary '$TMP/lhs.h5' | grep -q 'The median across runs of each point'"

# 9. sensitivity sweeps: Morris (elementary effects) and Saltelli (Sobol indices)
$SDE "$BIN" sweep tests/fixtures/sweep-morris.yaml -j 1 -o "$TMP/m1.h5" --quiet
sleep 1   # a second later: /sensitivity once stored its objects' times, so the bytes differed
$SDE "$BIN" sweep tests/fixtures/sweep-morris.yaml -j 2 -o "$TMP/m2.h5" --quiet
check "a morris sweep writes r (k + 1) points and /sensitivity [horizons, params]" \
    "h5dump -H -d /runs/supply_total '$TMP/m1.h5' | grep -q 'SIMPLE { ( 12, 4, 31 )' && h5dump -H -d /sensitivity/supply_total/mu_star '$TMP/m1.h5' | grep -q 'SIMPLE { ( 2, 3 )' && h5dump -A -g /sweep '$TMP/m1.h5' | grep -q 'ATTRIBUTE \"trajectories\"'"
check "morris: -j1 and -j2 a second apart give the same file byte for byte (/summary, /sweep, /sensitivity)" "cmp -s '$TMP/m1.h5' '$TMP/m2.h5'"
"$BIN" summary "$TMP/m1.h5" >"$TMP/msum.txt" 2>&1
check "summary of a morris sweep ranks the parameters by mu* for each metric and horizon" \
    "grep -q 'rank  parameter  *range  *unit  *mu\*' '$TMP/msum.txt' && grep -A2 '^supply_total (AKT), day 30' '$TMP/msum.txt' | grep -q '^ *1  mint.inflation ' && grep -A2 '^community_pool (AKT), day 10' '$TMP/msum.txt' | grep -q '^ *1  distribution.community_tax '"
if "$PY" -c 'import h5py, numpy' 2>/dev/null; then
    cat >"$TMP/morris_check.py" <<'EOF'
# mu* recomputed from /sweep/points and /summary/<metric>/mean: one parameter moves a step
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    x = f["/sweep/points"][:]
    lo, hi = f["/sweep/points"].attrs["min"], f["/sweep/points"].attrs["max"]
    r, k = int(f["/sweep"].attrs["trajectories"]), x.shape[1]
    t = list(f["/time"][:])
    for m in f["/sensitivity"].attrs["outputs"]:
        for h, day in enumerate(f["/sensitivity"].attrs["time"]):
            y = f["/summary/%s/mean" % m][:, t.index(day)]
            ee = np.zeros((r, k))
            for i in range(r):
                for s in range(k):
                    a, b = i * (k + 1) + s, i * (k + 1) + s + 1
                    moved = np.nonzero(x[b] != x[a])[0]
                    assert len(moved) == 1, (i, s, x[a], x[b])
                    j = moved[0]
                    ee[i, j] = (y[b] - y[a]) / ((x[b, j] - x[a, j]) / (hi[j] - lo[j]))
            got = f["/sensitivity/%s/mu_star" % m][h]
            assert np.allclose(got, np.abs(ee).mean(axis=0), rtol=1e-12, atol=0), (m, day, got)
            assert np.allclose(f["/sensitivity/%s/sigma" % m][h], ee.std(axis=0, ddof=1), rtol=1e-9), m
EOF
    check "h5py: /sensitivity's mu* and sigma equal the elementary effects recomputed from /sweep/points and /summary" \
        "'$PY' '$TMP/morris_check.py' '$TMP/m1.h5'"
else
    echo "skip h5py: /sensitivity recomputed (no h5py for $PY)"
fi
$SDE "$BIN" sweep tests/fixtures/sweep-saltelli.yaml -j 2 -o "$TMP/sa.h5" --quiet
sleep 1
$SDE "$BIN" sweep tests/fixtures/sweep-saltelli.yaml -j 1 -o "$TMP/sa1.h5" --quiet
check "saltelli: -j1 and -j2 a second apart give the same file byte for byte" "cmp -s '$TMP/sa.h5' '$TMP/sa1.h5'"
"$BIN" summary "$TMP/sa.h5" >"$TMP/sasum.txt" 2>&1
# the byte-for-byte checks above pass by chance when a pair is written within one
# second; this one does not depend on timing: h5ls -v shows an object's stored time
for f in j1 k1 c1 g1 m1 sa whole; do
    check "$f.h5: no object stores a modification time (h5ls -rv)" "h5ls -rv '$TMP/$f.h5' >'$TMP/ls.txt' && ! grep -q 'Modified:' '$TMP/ls.txt'"
done
check "a saltelli sweep writes N (k + 2) points, S1 and ST; summary ranks by ST" \
    "h5dump -H -d /runs/supply_total '$TMP/sa.h5' | grep -q 'SIMPLE { ( 16, 2, 11 )' && h5dump -H -d /sensitivity/community_pool/ST '$TMP/sa.h5' | grep -q 'SIMPLE { ( 1, 2 )' && grep -q 'rank  parameter  *range  *unit  *ST  *+-95%  *S1' '$TMP/sasum.txt' && grep -q '^sum of S1' '$TMP/sasum.txt'"
# /compare, /sweep and /sensitivity in xarray: dimension scales (no phony_dims), dates, parameter values
if "$PY" -c 'import h5py, xarray, h5netcdf' 2>/dev/null; then
    cat >"$TMP/xarray_groups.py" <<'EOF'
import sys, h5py, numpy as np, xarray as xr
kind, path = sys.argv[1], sys.argv[2]
def group(g):
    return xr.open_dataset(path, group=g, engine="h5netcdf")    # no phony_dims: raises without scales
with h5py.File(path, "r") as f:
    start = np.datetime64(f.attrs["start_date"])
    days = f["/time"][:]
def dates_ok(t, want_days):
    assert t.dtype.kind == "M", t.dtype                    # datetime64, decoded from CF units
    assert ((t.values - start) / np.timedelta64(1, "D") == want_days).all(), t.values
if kind == "compare":
    with group("compare") as ds:
        dates_ok(ds["time"], days)
    with group("compare/supply_total") as ds:
        assert set(ds.data_vars) == {"base_mean", "base_sd", "proposal_mean", "proposal_sd", "diff_mean",
                                     "diff_sd", "diff_ci_low", "diff_ci_high", "variance_ratio"}, ds
        assert all(ds[v].dims == ("time",) for v in ds.data_vars), ds
        dates_ok(ds["time"], days)
        assert ds["diff_mean"].attrs["units"] == "AKT"
        with h5py.File(path, "r") as f:
            assert (ds["diff_ci_low"].values == f["/compare/supply_total/diff_ci_low"][:]).all()
    with group("runs") as ds:
        assert ds["supply_total"].dims == ("arm", "run", "time"), ds["supply_total"].dims
        dates_ok(ds["time"], days)
elif kind == "sweep":
    with h5py.File(path, "r") as f:
        points, params = f["/sweep/points"][:], [str(p) for p in f["/sweep/points"].attrs["params"]]
        labels = [str(l) for l in f["/point"].attrs["labels"]]
    with group("sweep") as sw:
        assert sw["points"].dims == ("point", "param"), sw["points"].dims
        assert list(sw["param"].values) == params, sw["param"].values
        assert (sw["point"].values == np.arange(len(points))).all()
        assert list(sw["label"].values) == labels, sw["label"].values
        for j, p in enumerate(params):              # a coordinate per parameter, its values along point
            assert p in sw.coords and sw[p].dims == ("point",), sw
            assert (sw[p].values == points[:, j]).all(), (p, sw[p].values)
        with group("runs") as runs:
            dates_ok(runs["time"], days)
            runs = runs.assign_coords(sw.coords)
            sel = runs["supply_total"].where(runs["market.take_rate_usdc"] == 0.2, drop=True)
            assert sel.sizes["point"] == 3 and (sel["market.take_rate_usdc"] == 0.2).all(), sel
            assert (sel["tenants.orders_per_day"].values == [400, 800, 1600]).all(), sel
elif kind == "sensitivity":
    with h5py.File(path, "r") as f:
        params = [str(p) for p in f["/sweep/points"].attrs["params"]]
        hdays = f["/sensitivity"].attrs["time"]
        mu = f["/sensitivity/supply_total/mu_star"][:]
    with group("sensitivity") as ds:
        dates_ok(ds["horizon"], hdays)
    with group("sensitivity/supply_total") as ds:
        assert ds["mu_star"].dims == ("horizon", "param"), ds["mu_star"].dims
        assert list(ds["param"].values) == params, ds["param"].values
        dates_ok(ds["horizon"], hdays)
        assert (ds["mu_star"].values == mu).all()
        assert ds["mu_star"].sel(param="mint.inflation").shape == (len(hdays),)
    with group("sweep") as ds:
        assert ds["points"].dims == ("point", "param")
EOF
    check "xarray (h5netcdf): a comparison's groups compare, compare/supply_total and runs open with time as dates" \
        "'$PY' '$TMP/xarray_groups.py' compare '$TMP/cut.h5'"
    check "xarray (h5netcdf): a sweep's group sweep has point, param, label and each parameter's values as coordinates" \
        "'$PY' '$TMP/xarray_groups.py' sweep '$TMP/g1.h5'"
    check "xarray (h5netcdf): /sensitivity/<metric> opens with horizon (dates) and param coordinates" \
        "'$PY' '$TMP/xarray_groups.py' sensitivity '$TMP/m1.h5'"
else
    echo "skip xarray (h5netcdf): /compare, /sweep and /sensitivity (no h5py, xarray or h5netcdf for $PY)"
fi
printf 'days: 30\nsweep:\n  mode: morris\n  params:\n    mint.inflation: {min: 0.13, max: 0.2}\n  outputs: [suply_total]\n' > "$TMP/morrisbad.yaml"
expect_error "sweep outputs: an unknown metric is named with a suggestion" 2 "morrisbad.yaml:6:13: sweep: outputs: unknown metric 'suply_total' (did you mean 'supply_total'?)" -- "$BIN" sweep "$TMP/morrisbad.yaml" -o "$TMP/bad12.h5"
# the observed price path: price.mode series with the shipped CSV passes through
# its prices on their dates (2024-03-20 is day 0, 2025-08-07 day 505) in every run
CSV=data/prices/akt-usd.csv
$SDE "$BIN" run $SC -n 3 --days 506 -j 2 --set price.mode=series --set price.series_file=$CSV -o "$TMP/ser.h5" --quiet
$SDE "$BIN" run $SC -n 3 --days 506 -j 1 --set price.mode=series --set price.series_file=$CSV -o "$TMP/ser1.h5" --quiet
check "price.mode series: -j1 and -j2 give the same file byte for byte" "cmp -s '$TMP/ser.h5' '$TMP/ser1.h5'"
csv_usd() { grep -v '^#' $CSV | grep "^$1," | cut -d, -f2 | xargs printf '%.6f'; }
for r in 0 1 2; do
    p0=$(h5dump -d /runs/price_usd -s $r,0 -c 1,1 -m %.6f "$TMP/ser.h5" | grep -o "($r,0): [0-9.]*" | cut -d' ' -f2)
    p505=$(h5dump -d /runs/price_usd -s $r,505 -c 1,1 -m %.6f "$TMP/ser.h5" | grep -o "($r,505): [0-9.]*" | cut -d' ' -f2)
    check "price.mode series: run $r's day-0 price is the CSV's 2024-03-20 ($p0), day 505's its 2025-08-07 ($p505)" \
        "[ '$p0' = '$(csv_usd 2024-03-20)' ] && [ '$p505' = '$(csv_usd 2025-08-07)' ]"
done
check "price.mode series: the resolved /scenario carries the points inline" \
    "h5dump -d /scenario '$TMP/ser.h5' | grep -q 'series:' && h5dump -d /scenario '$TMP/ser.h5' | grep -q '\- \[2025-08-07, 1.16\]'"
expect_error "price.mode series: a start before the first point names the file and its first date" 2 \
    "start_date 2024-01-01 is before the first price of the series ($CSV), 2024-03-20" -- \
    "$BIN" run $SC -n 1 --days 5 --set price.mode=series --set price.series_file=$CSV --set start_date=2024-01-01 -o "$TMP/bad13.h5"
printf 'date,usd,source\n2024-03-20,5,a\n2024-03-19,4,b\n' > "$TMP/badp.csv"
printf 'base: %s/%s\nprice:\n  mode: series\n  series_file: badp.csv\n' "$(pwd)" $SC > "$TMP/badp.yaml"
expect_error "price.series_file: a CSV whose dates go back is named FILE:LINE from the scenario's line" 2 \
    "badp.yaml:4:3: price.series_file: $TMP/badp.csv:3: date 2024-03-19 is not after the previous point's 2024-03-20" -- \
    "$BIN" run "$TMP/badp.yaml" -n 1 --days 5 -o "$TMP/bad14.h5"
# 10. reports of comparisons and sweeps
"$BIN" report "$TMP/cut.h5" -o "$TMP/crep" 2>/dev/null
st=$?
pngs=0
for f in "$TMP"/crep/compare-*.png; do [ "$(head -c 4 "$f" | tail -c 3)" = PNG ] && pngs=$((pngs + 1)); done
check "report of a comparison: a figure a headline metric ($pngs), each shown on the page" \
    "[ $st -eq 0 ] && [ $pngs -ge 10 ] && [ \$(grep -c '<img src=\"compare-' '$TMP/crep/index.html') -eq $pngs ] && grep -q 'inflation-cut-2025</b> against the base <b>akash-2024' '$TMP/crep/index.html'"
check "report of a comparison: burns 0 in both arms are a sentence" \
    "grep -qF '<p>burned (AKT/day) is 0 in every run of both arms: nothing to draw.</p>' '$TMP/crep/index.html'"
TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" plot "$TMP/cut.h5" --metric minted -o "$TMP/cmint.png" 2>/dev/null
check "plot of a comparison: both arms' medians and 5-95 % bands, then the paired difference and its 95 % CI, from day 1" \
    "grep -q \"title 'base (akash-2024): 5-95 %'\" '$GP/cmint.png.gp' && grep -q \"title 'proposal (inflation-cut-2025): median'\" '$GP/cmint.png.gp' && grep -q \"using 1:3:4 with filledcurves.*title '95 % confidence interval'\" '$GP/cmint.png.gp' && [ \$(grep -c 'from day 1' '$GP/cmint.png.gp') -eq 2 ] && [ \$(grep -c '^2024-03-20' '$GP/cmint.png.dat') -eq 0 ]"
TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" plot "$TMP/self.h5" --metric supply_total -o "$TMP/cself.png" 2>/dev/null
check "plot of a comparison of a scenario with itself: the difference is a line of text" \
    "grep -qF 'supply_total: proposal - base is 0 in every run: the arms do not differ' '$GP/cself.png.gp'"
TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" report "$TMP/g1.h5" -o "$TMP/grep" 2>/dev/null
check "report of a grid sweep: a figure an output, a line a point with its values in the legend" \
    "[ -s '$TMP/grep/sweep-supply_total.png' ] && [ \$(grep -c '<img src=\"sweep-' '$TMP/grep/index.html') -eq 4 ] && grep -qF \"title 'market.take_rate_usdc=0.3, tenants.orders_per_day=1600'\" '$GP/sweep-supply_total.png.gp' && grep -q 'set key below.*maxrows 5' '$GP/sweep-supply_total.png.gp' && grep -q 'The median across runs of each point' '$TMP/grep/index.html'"
TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" report "$TMP/m1.h5" -o "$TMP/mrep" 2>/dev/null
check "report of a morris sweep: sigma against mu* with its interval, each parameter labelled, per output" \
    "[ \$(ls '$TMP'/mrep/sensitivity-*.png | wc -l) -eq 3 ] && grep -q 'with xerrorbars' '$GP/sensitivity-supply_total.png.gp' && grep -q 'with labels' '$GP/sensitivity-supply_total.png.gp' && grep -q '^\"mint.inflation\" ' '$GP/sensitivity-supply_total.png.dat' && [ \$(grep -c '^set title' '$GP/sensitivity-supply_total.png.gp') -eq 2 ] && grep -q 'mu\\*' '$TMP/mrep/index.html'"
TOKENSIM_GNUPLOT_KEEP="$GP" "$BIN" report "$TMP/sa.h5" -o "$TMP/srep" 2>/dev/null
check "report of a saltelli sweep: bars of S1 and ST with their intervals, per output" \
    "[ \$(ls '$TMP'/srep/sensitivity-*.png | wc -l) -eq 2 ] && grep -q 'histogram errorbars' '$GP/sensitivity-community_pool.png.gp' && grep -q 'using 2:3:xtic(1)' '$GP/sensitivity-community_pool.png.gp' && grep -q '^\"distribution.community_tax\" ' '$GP/sensitivity-community_pool.png.dat'"
check "--version" "'$BIN' --version | grep -q '^tokensim '"

# market.mode cohorts (docs/model.md §9.4) is tenants.cohorts_per_day 64; make check-cohorts
# on a tiny campaign prints every headline metric and a verdict its exit status agrees with
"$BIN" run $SC -n 2 --days 60 --set market.mode=cohorts -o "$TMP/mm1.h5" --quiet
"$BIN" run $SC -n 2 --days 60 --set tenants.cohorts_per_day=64 -o "$TMP/mm2.h5" --quiet
check "market.mode cohorts: the same runs as tenants.cohorts_per_day 64" \
    "[ \"\$(h5dump -d /runs/leases_active '$TMP/mm1.h5' | grep -v HDF5)\" = \"\$(h5dump -d /runs/leases_active '$TMP/mm2.h5' | grep -v HDF5)\" ]"
if "$PY" -c 'import h5py, numpy' 2>/dev/null; then
    sh tests/check_cohorts.sh "$BIN" tests/fixtures/cohorts.yaml 3 2 >"$TMP/cc.txt" 2>&1
    st=$?
    check "check_cohorts.sh, 3 and 2 paired runs: a table of 14 metrics, the largest difference beyond 2 se, and a verdict matching exit status $st" \
        "[ \$(grep -c '^| ' '$TMP/cc.txt') -eq 15 ] && grep -Eq '^(The largest difference beyond two standard errors: .* at least [0-9.]+ %|No difference beyond two standard errors)' '$TMP/cc.txt' && { { [ $st -eq 0 ] && grep -q '^meets the bar' '$TMP/cc.txt'; } || { [ $st -eq 1 ] && grep -q '^fails the bar in' '$TMP/cc.txt'; }; }"
    "$BIN" compare $SC tests/fixtures/cohorts.yaml -n 2 --days 40 -o "$TMP/cc40.h5" --quiet >/dev/null
    expect_error "cohort_bias.py: a campaign shorter than the bar's years is named" 2 \
        "cc40.h5: 40 days, fewer than the 1825 of year 5" -- "$PY" tests/cohort_bias.py "$TMP/cc40.h5" "$TMP/cc40.h5"
    "$PY" tests/cohort_bias.py --span 10 40 "$TMP/cc40.h5" >"$TMP/span.txt" 2>&1
    check "cohort_bias.py --span: the 14 headline metrics and 2 counts over days 10-40" \
        "[ \$(grep -c '^| ' '$TMP/span.txt') -eq 17 ] && grep -q '^2 paired runs, each run.s mean over days 10-40' '$TMP/span.txt' && grep -q '^| expired unfilled | ' '$TMP/span.txt'"
    expect_error "cohort_bias.py --span past the campaign's last day is named" 2 \
        "cc40.h5: 40 days, fewer than the 41 of the span 10-41" -- "$PY" tests/cohort_bias.py --span 10 41 "$TMP/cc40.h5"
    expect_error "cohort_bias.py: a single run's file is not a comparison" 2 \
        "mm1.h5: /runs/supply_total is (2, 61), not [2 arms, runs, times]" -- "$PY" tests/cohort_bias.py "$TMP/mm1.h5" "$TMP/mm1.h5"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
