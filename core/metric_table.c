/* The metric table (name, unit, description); see metric_table.h. */
#include "metric_table.h"

#define METRIC_ROW_(id, name, unit, desc) {name, unit, desc},
#define CLASS_ROWS_(id, name, metric, unit, gpu)                                                            \
    {metric "_capacity", unit, "capacity offered in class " name},                                         \
    {metric "_leased", unit, "capacity leased in class " name},                                            \
    {metric "_utilisation", "fraction", "leased / offered in class " name},                               \
    {metric "_price_usd_per_hour", "USD/" unit "-h", "clearing price of class " name ": mean of the day's new leases weighted by size (the last day's when none)"}, \
    {metric "_discount", "fraction", "1 - clearing price / cloud reference price of class " name},
const metric_def_t metric_table[METRIC_COUNT] = {
    CORE_METRICS(METRIC_ROW_)
    RESOURCE_CLASSES(CLASS_ROWS_)
};
