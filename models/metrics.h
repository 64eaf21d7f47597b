/*
 * Recording the metrics of a day (the table itself is core/metric_table.h).
 */
#ifndef MODELS_METRICS_H
#define MODELS_METRICS_H

#include "metric_table.h"
#include "world.h"

/* Today's values of every metric, in table order, into out[METRIC_COUNT]. */
void metrics_record(const world_t *w, double *out);

#endif
