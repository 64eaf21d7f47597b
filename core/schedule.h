/*
 * The events of a scenario (`events:`, docs/model.md §13) taken as a schedule:
 * the rules between parameters hold after every day's changes, as on day 0,
 * and an event past the horizon is listed rather than dropped in silence.
 * Messages place each event at "FILE:LINE:COL: event on day N (YYYY-MM-DD)".
 */
#ifndef SIM_SCHEDULE_H
#define SIM_SCHEDULE_H

#include <stddef.h>

#include "params.h"

/* Replay p's events on a copy of p as world_step applies them (by day, in file
 * order within a day) and after each day's changes check params_check_rules
 * and the one-day actions (a burn or vault funding moved to a day already
 * past, its amount changed after it, an incentive programme that would be over
 * before it starts). Events past the horizon are checked as well: the same
 * file may run longer. On failure writes a message at the event to blame and
 * returns -1. */
int schedule_check(const params_t *p, char *msg, size_t msglen);

/* One line per event change past the horizon (p->days), which a run ignores:
 * "FILE:LINE:COL: event on day N (DATE) sets NAME = VALUE after the horizon
 * (D days): it is ignored", in file order; then one per day parameter of the
 * scenario past the horizon (bme.start_day, the pool's programme, burn and
 * vault funding): "NAME = N (DATE) is after the horizon (D days): ... never
 * ...". Writes at most `max` lines into `lines` and returns how many there
 * are (all of them, also beyond max). */
#define SCHEDULE_LINE_MAX 768
#define SCHEDULE_MAX_WARNINGS (PARAMS_MAX_EVENTS + 4)
size_t schedule_ignored(const params_t *p, char (*lines)[SCHEDULE_LINE_MAX], size_t max);

#endif
