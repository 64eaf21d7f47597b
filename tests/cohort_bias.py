#!/usr/bin/python3
"""The bias of a cohort setting against the exact market (docs/model.md §9.4).

usage: cohort_bias.py FIVE_YEAR.h5 TEN_YEAR.h5
       cohort_bias.py --span FIRST LAST COMPARE.h5

Both files are `tokensim compare EXACT.yaml COHORTS.yaml` files (arm 0 the
exact market, arm 1 the cohorts, paired runs with common random numbers):
years 1 and 5 come from the first, years 7 and 10 from the second. For each headline
metric and year: the paired mean difference of the 30-day means ending on the
year's last day, relative to the exact arm's mean, and its z (the mean over
its standard error). A cell meets the bar when |difference| <= 1 % or |z| < 2.
Prints the table (Markdown), the largest difference the runs show beyond two
standard errors (|difference| - 2 se: what the campaign says at least, not
the bar), and a verdict; exit status 0 when every cell meets the bar, 1 when
one does not, 2 on bad input.

With --span: each run's mean over days FIRST to LAST instead of 30-day
windows, which sees smaller differences, for the headline metrics and the
counts beside them (deployments expired unfilled, tenants); no bar, exit 0.
"""
import sys

import numpy as np

try:
    import h5py
except ImportError:
    sys.exit("cohort_bias.py: needs h5py (Debian's python3-h5py under /usr/bin/python3)")

# (metric, label): the headline metrics of the bar
METRICS = [
    ("supply_total", "supply"),
    ("bonded_ratio", "bonded ratio"),
    ("cpu_price_usd_per_hour", "CPU price"),
    ("h100_price_usd_per_hour", "H100 price"),
    ("a100_price_usd_per_hour", "A100 price"),
    ("rtx_a6000_price_usd_per_hour", "RTX A6000 price"),
    ("v100_price_usd_per_hour", "V100 price"),
    ("cpu_utilisation", "CPU utilisation"),
    ("gpu_utilisation", "GPU utilisation"),
    ("spend_usd", "spend"),
    ("provider_profit_usd", "provider profit"),
    ("providers_active", "providers"),
    ("leases_active", "active leases"),
    ("orders_pending", "pending orders"),
]
# counts beside the bar that --span reports too
SPAN_EXTRA = [("orders_unfilled", "expired unfilled"), ("tenants", "tenants")]
WINDOW = 30         # days in each year's mean
BAR_PERCENT = 1.0   # |difference| at most this, relative
BAR_Z = 2.0         # or |z| under this


def fail(msg):
    print(f"cohort_bias.py: {msg}", file=sys.stderr)
    sys.exit(2)


def open_compare(path, last, what, metrics=METRICS):
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        fail(f"{path}: cannot open as HDF5 ({e})")
    for m, _ in metrics:
        if "runs/" + m not in f:
            fail(f"{path}: no /runs/{m} (a `tokensim compare` file of the market is needed)")
        shape = f["runs/" + m].shape
        if len(shape) != 3 or shape[0] != 2:
            fail(f"{path}: /runs/{m} is {shape}, not [2 arms, runs, times] (a `tokensim compare` file)")
        if shape[1] < 2:
            fail(f"{path}: {shape[1]} paired run(s): a standard error needs at least 2")
        if shape[2] <= last:
            fail(f"{path}: {shape[2] - 1} days, fewer than the {last} of {what}")
    if "record_every_days" in f.attrs and int(f.attrs["record_every_days"]) != 1:
        fail(f"{path}: recorded every {int(f.attrs['record_every_days'])} days; the bar needs every day")
    return f


def cell(f, metric, first, last):
    """Relative paired difference (percent) and z of the runs' means over days first..last."""
    x = f["runs/" + metric]
    exact = x[0, :, first:last + 1].mean(axis=1)
    cohorts = x[1, :, first:last + 1].mean(axis=1)
    diff = cohorts - exact
    mean, base = diff.mean(), exact.mean()
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    rel = 100.0 * mean / base if base != 0 else 0.0
    z = mean / se if se > 0 else 0.0
    return rel, z


def span(argv):
    try:
        first, last = int(argv[2]), int(argv[3])
    except ValueError:
        fail(f"--span {argv[2]} {argv[3]}: FIRST and LAST are days (integers)")
    if not 0 <= first <= last:
        fail(f"--span {first} {last}: needs 0 <= FIRST <= LAST")
    f = open_compare(argv[4], last, f"the span {first}-{last}", METRICS + SPAN_EXTRA)
    n = f["runs/supply_total"].shape[1]
    print(f"{n} paired runs, each run's mean over days {first}-{last}")
    print()
    print("| metric | difference | z |")
    print("|---|---|---|")
    for m, label in METRICS + SPAN_EXTRA:
        rel, z = cell(f, m, first, last)
        print(f"| {label} | {rel:+.2f} % | {z:.1f} |")
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "--span":
        return span(argv)
    if len(argv) != 3:
        fail("usage: cohort_bias.py FIVE_YEAR.h5 TEN_YEAR.h5 | --span FIRST LAST COMPARE.h5")
    five = open_compare(argv[1], 5 * 365, "year 5")
    ten = open_compare(argv[2], 10 * 365, "year 10")
    n5, n10 = five["runs/supply_total"].shape[1], ten["runs/supply_total"].shape[1]
    print("| metric | year 1 | year 5 | year 7 | year 10 |")
    print("|---|---|---|---|---|")
    failed = []
    sure = (0.0, None)   # the largest |difference| - 2 se, and its cell
    for m, label in METRICS:
        row = f"| {label} |"
        for f, year in ((five, 1), (five, 5), (ten, 7), (ten, 10)):
            rel, z = cell(f, m, 365 * year - WINDOW + 1, 365 * year)
            ok = abs(rel) <= BAR_PERCENT or abs(z) < BAR_Z
            if not ok:
                failed.append(f"{label} year {year} ({rel:+.2f} %, z {z:.1f})")
            if z != 0 and abs(rel) - 2 * abs(rel / z) > sure[0]:
                sure = (abs(rel) - 2 * abs(rel / z), f"{label} year {year} ({rel:+.2f} %, z {z:.1f})")
            mark = "" if ok else " **over**"
            row += f" {rel:+.2f} % (z {z:.1f}){mark} |"
        print(row)
    print()
    print(f"Years 1 and 5: {n5} paired five-year runs; years 7 and 10: {n10} paired ten-year runs. "
          f"The bar: |difference| <= {BAR_PERCENT:g} % or |z| < {BAR_Z:g} in every cell.")
    if sure[1]:
        print(f"The largest difference beyond two standard errors: {sure[1]}, at least {sure[0]:.2f} % "
              f"(|difference| - 2 se).")
    else:
        print("No difference beyond two standard errors.")
    if failed:
        print(f"fails the bar in {len(failed)} cell(s): " + "; ".join(failed))
        return 1
    print("meets the bar")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
