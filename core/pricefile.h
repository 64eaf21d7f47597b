/*
 * The observed AKT/USD price series of price.mode series (docs/model.md §9.1):
 * a CSV (csvfile.h) with the columns date (YYYY-MM-DD, strictly increasing),
 * usd (USD per AKT, finite, > 0) and source (where the price comes from, not
 * empty), and optionally note; any other column is refused, so that a
 * misspelt one is not silently ignored. At most PARAMS_MAX_PRICE_POINTS rows.
 * data/prices/akt-usd.csv is the shipped series.
 */
#ifndef SIM_PRICEFILE_H
#define SIM_PRICEFILE_H

#include <stddef.h>

#include "err.h"
#include "params.h"

/* Read the series at `path` into *out (untouched on error; messages "PATH:LINE: ..."). */
sim_status_t pricefile_read(const char *path, price_series_t *out, sim_error_t *err);

/* The same for `len` bytes in memory; `name` only names them in messages. */
sim_status_t pricefile_parse(const char *name, const char *buf, size_t len, price_series_t *out,
                             sim_error_t *err);

/* Append (day, usd) to s: day after the last point's, usd finite and > 0, room
 * left. On failure writes a message without location and returns -1. */
int price_series_push(price_series_t *s, int64_t day, double usd, char *msg, size_t msglen);

#endif
