#!/usr/bin/python3
"""Read tokensim result files with xarray and draw two figures with matplotlib.

usage: analysis.py RUN.h5 COMPARE.h5 OUTDIR [--metric NAME]

RUN.h5 is a file of `tokensim run`, COMPARE.h5 one of `tokensim compare`
(examples/README.md makes both). Writes into OUTDIR (made if missing):

  band.png     the metric's median across runs and the band holding 90 % of
               them (5th to 95th percentile), by date, from /runs;
  compare.png  both arms' means, and the proposal's paired difference from
               the base with its 95 % confidence interval, by date, from
               /compare/<metric>.

Every group opens with xarray's h5netcdf engine as it is: its dimensions are
netCDF dimension scales and `time` decodes to dates (units "days since
<start_date>"), so nothing here converts days.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")   # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402


def open_group(path, group):
    return xr.open_dataset(path, group=group, engine="h5netcdf")


def band_figure(run_file, metric, out):
    """Median and 90 % band across runs, computed from /runs; checked against /summary."""
    with open_group(run_file, "runs") as runs:
        series = runs[metric]                                   # dims (run, time)
        q = series.quantile([0.05, 0.5, 0.95], dim="run")       # numpy's linear method, as /summary
        units = series.attrs["units"]
        nruns = runs.sizes["run"]
    with open_group(run_file, f"summary/{metric}") as summary:
        if not np.allclose(q.sel(quantile=0.5).values, summary["p50"].values, rtol=1e-12, atol=0):
            sys.exit(f"{run_file}: the median of /runs/{metric} differs from /summary/{metric}/p50")
    dates = q["time"].values                                    # datetime64
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(dates, q.sel(quantile=0.05), q.sel(quantile=0.95), alpha=0.3, label="90 % of runs")
    ax.plot(dates, q.sel(quantile=0.5), label="median")
    ax.set_title(f"{metric} across {nruns} runs ({os.path.basename(run_file)})")
    ax.set_xlabel("date")
    ax.set_ylabel(f"{metric} ({units})")
    ax.legend(loc="best")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    last = q.isel(time=-1)
    print(f"{metric} on {np.datetime_as_string(dates[-1], unit='D')}: median {last.sel(quantile=0.5).item():.6g} "
          f"{units}, 90 % of runs in [{last.sel(quantile=0.05).item():.6g}, {last.sel(quantile=0.95).item():.6g}]")


def compare_figure(compare_file, metric, out):
    """Both arms' means, and the paired difference with its 95 % CI, from /compare/<metric>."""
    with xr.open_dataset(compare_file, engine="h5netcdf") as root:
        base, proposal = root.attrs["base_scenario_name"], root.attrs["scenario_name"]
    with open_group(compare_file, f"compare/{metric}") as c:
        c = c.load()
    dates, units = c["time"].values, c["diff_mean"].attrs["units"]
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6.5))
    top.plot(dates, c["base_mean"], label=f"base: {base}")
    top.plot(dates, c["proposal_mean"], label=f"proposal: {proposal}")
    top.set_ylabel(f"mean {metric} ({units})")
    top.set_title(f"{metric}: {proposal} against {base}")
    top.legend(loc="best")
    bottom.fill_between(dates, c["diff_ci_low"], c["diff_ci_high"], alpha=0.3, label="95 % CI")
    bottom.plot(dates, c["diff_mean"], label="mean paired difference")
    bottom.axhline(0, color="grey", linewidth=0.8)
    bottom.set_ylabel(f"proposal - base ({units})")
    bottom.set_xlabel("date")
    bottom.legend(loc="best")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    last = c.isel(time=-1)
    print(f"{metric} on {np.datetime_as_string(dates[-1], unit='D')}: proposal - base "
          f"{last['diff_mean'].item():.6g} {units}, 95 % CI [{last['diff_ci_low'].item():.6g}, "
          f"{last['diff_ci_high'].item():.6g}]")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_file", help="a file of `tokensim run`")
    ap.add_argument("compare_file", help="a file of `tokensim compare`")
    ap.add_argument("outdir", help="directory for band.png and compare.png")
    ap.add_argument("--metric", default="supply_total", help="the metric to draw (default supply_total)")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    band_figure(a.run_file, a.metric, os.path.join(a.outdir, "band.png"))
    compare_figure(a.compare_file, a.metric, os.path.join(a.outdir, "compare.png"))


if __name__ == "__main__":
    main()
