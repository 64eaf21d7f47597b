/*
 * Scenario files (YAML, scenarios/README.md) and --set overrides, read into
 * params_t through the parameter registry (params.h), and the resolved scenario written
 * back. Every error names the file, line, column and parameter; unknown keys
 * get a "did you mean" suggestion. Implemented by core/scenario_*.c (their
 * shared parts: scenario_internal.h).
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>

#include "err.h"
#include "params.h"

/* Start from the registry defaults and apply the file at `path`. */
sim_status_t scenario_load(const char *path, params_t *p, sim_error_t *err);

/* Apply one "--set key=value" override (after loading the file). */
sim_status_t scenario_apply_set(params_t *p, const char *assignment, sim_error_t *err);

/* Cross-parameter checks (params_check, then schedule_check for the days of
 * the events) with the message prefixed by `where`. */
sim_status_t scenario_check(const params_t *p, const char *where, sim_error_t *err);

/* The resolved scenario as YAML text (libyaml's emitter; docs/output.md shows
 * it) that scenario_load reads back to the same params_t, but where its events
 * were read. Returns a malloc'd string (caller frees) or NULL when out of memory. */
char *scenario_to_yaml(const params_t *p);

#endif
