/* The metric table (name, unit, description); see metric_table.h. */
#include "metric_table.h"

#include <stdint.h>
#include <string.h>

#include "text.h"

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

int metric_find(const char *name)
{
    for (int i = 0; i < METRIC_COUNT; i++)
        if (strcmp(metric_table[i].name, name) == 0)
            return i;
    return -1;
}

const char *metric_suggest(const char *name)
{
    size_t best = 0, best_d = SIZE_MAX, len = strlen(name);
    for (size_t i = 0; i < METRIC_COUNT; i++) {
        size_t d = text_edit_distance(name, len, metric_table[i].name, strlen(metric_table[i].name));
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return text_near(len, best_d) ? metric_table[best].name : NULL;
}
