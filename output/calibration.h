/*
 * Calibration targets (calibration.md: Akash around 2024-03-20) printed beside
 * the simulated values of a result file, as part of `tokensim summary`. Each
 * target is a statistic of one run (e.g. the median of cpu_utilisation over
 * days 0-90), summarised across runs by its median and 90 % band.
 */
#ifndef OUTPUT_CALIBRATION_H
#define OUTPUT_CALIBRATION_H

#include <stdio.h>

#include "err.h"

/* Print the targets table for the file at `path`; targets whose metric or
 * horizon the file lacks are listed as "not in this file". */
sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err);

#endif
