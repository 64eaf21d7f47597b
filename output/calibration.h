/*
 * Calibration targets (calibration.md: Akash around 2024-03-20) printed beside
 * the simulated values of a result file, as part of `tokensim summary`. Each
 * target is a statistic of one run (e.g. the median of cpu_utilisation over
 * days 0-90), summarised across runs by its median and 90 % band.
 */
#ifndef OUTPUT_CALIBRATION_H
#define OUTPUT_CALIBRATION_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Print the targets table for the file at `path` when it starts on 2024-03-20
 * (nothing otherwise); targets whose metric or horizon the file lacks are listed
 * as "not in this file". */
sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err);

/* "median [p05, p95]" of vals[runs] into buf (sorts vals). */
void calibration_band(double *vals, size_t runs, char *buf, size_t len);

#endif
