/*
 * The points of a sweep scenario as a campaign's points (runner.h): each
 * point's parameters and label, and the /sweep group its file gets.
 */
#ifndef SIM_SWEEP_POINTS_H
#define SIM_SWEEP_POINTS_H

#include <stddef.h>

#include "err.h"
#include "params.h"
#include "runner.h"
#include "sweep_file.h"

typedef struct {
    runner_points_t points;     /* what the engine takes; its ctx is this */
    const params_t *scenario;   /* the swept scenario */
    sweep_file_t file;          /* /sweep: the points' values of the swept parameters */
    char (*labels)[256];        /* [npoints] */
    const char **label_ptrs;    /* [npoints] */
    double *values;             /* [npoints * nparams] */
    const char *names[PARAMS_MAX_SWEEP], *units[PARAMS_MAX_SWEEP];
} sweep_points_t;

/* The points of p's sweep (p has one with more than one point), each checked
 * as it is made; out_path names the file in messages. p must outlive s. */
sim_status_t sweep_points_init(sweep_points_t *s, const params_t *p, const char *out_path, sim_error_t *err);

void sweep_points_free(sweep_points_t *s);

#endif
