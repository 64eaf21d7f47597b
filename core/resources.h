/*
 * Resource classes of the compute market: CPU and the GPU models Akash lists.
 * One X-macro row per class: enum suffix, scenario name, metric prefix, unit,
 * GPU or not.
 * Capacity and order sizes are counted in milli-units (1 vCPU = 1000), so CPU
 * orders of 0.1 vCPU and whole GPUs are both exact integers.
 */
#ifndef MODELS_RESOURCES_H
#define MODELS_RESOURCES_H

#define RESOURCE_CLASSES(X)                 \
    X(CPU, "cpu", "cpu", "vcpu", 0)                 \
    X(H100, "h100", "h100", "gpu", 1)               \
    X(A100, "a100", "a100", "gpu", 1)               \
    X(A6000, "rtx_a6000", "rtx_a6000", "gpu", 1)    \
    X(V100, "v100", "v100", "gpu", 1)

#define RES_ENUM_(id, name, metric, unit, gpu) RES_##id,
typedef enum { RESOURCE_CLASSES(RES_ENUM_) RES_COUNT } resource_t;
#undef RES_ENUM_

#define MILLI 1000   /* milli-units per unit */

/* Scenario name ("h100"), unit ("gpu") and whether a class is a GPU. */
const char *resource_name(resource_t r);
const char *resource_unit(resource_t r);
int resource_is_gpu(resource_t r);

#endif
