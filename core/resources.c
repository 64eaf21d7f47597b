/* Resource class names; see resources.h. */
#include "resources.h"

#define RES_NAME_(id, name, metric, unit, gpu) name,
#define RES_UNIT_(id, name, metric, unit, gpu) unit,
#define RES_GPU_(id, name, metric, unit, gpu) gpu,
static const char *const names[RES_COUNT] = { RESOURCE_CLASSES(RES_NAME_) };
static const char *const units[RES_COUNT] = { RESOURCE_CLASSES(RES_UNIT_) };
static const int gpus[RES_COUNT] = { RESOURCE_CLASSES(RES_GPU_) };

const char *resource_name(resource_t r) { return names[r]; }
const char *resource_unit(resource_t r) { return units[r]; }
int resource_is_gpu(resource_t r) { return gpus[r]; }
