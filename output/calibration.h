/*
 * Calibration targets printed beside the simulated values of a result file, as
 * part of `tokensim summary`: one set per shipped calibrated start date
 * (2024-03-20: calibration.md, akash-2024.yaml; 2026-02-01: economics.md §7.2,
 * akash-bme-2026.yaml). Each target is a statistic of one run (e.g. the median
 * of cpu_utilisation over days 0-90), summarised across runs by its median and
 * 90 % band.
 */
#ifndef OUTPUT_CALIBRATION_H
#define OUTPUT_CALIBRATION_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Print the targets table for the file at `path` when it starts on a date with
 * targets (nothing otherwise); targets whose metric or horizon the file lacks are
 * listed as "not in this file". */
sim_status_t calibration_print(const char *path, FILE *out, sim_error_t *err);

#endif
