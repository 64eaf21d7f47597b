/* The events as a schedule; see schedule.h. */
#include "schedule.h"
#include "text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "FILE:LINE:COL: event on day N (YYYY-MM-DD)"; events not read from a file
 * (built in code) have no place, and days far off no date. */
static void event_where(const params_t *p, const param_event_t *e, char *buf, size_t len)
{
    char place[PARAMS_EVENT_PATH + 32] = "", date[PARAMS_DATE_MAX + 3] = "";
    if (e->line > 0 && e->file >= 0 && (size_t)e->file < p->nevent_files)
        snprintf(place, sizeof place, "%s:%d:%d: ", p->event_file[e->file], e->line, e->col);
    char d[PARAMS_DATE_MAX];
    long start = params_date_to_days(p->start_date);
    if (start >= 0 && e->day >= -start && e->day < 3000000 && params_days_to_date(start + e->day, d) == 0)
        snprintf(date, sizeof date, " (%s)", d);
    snprintf(buf, len, "%sevent on day %lld%s", place, (long long)e->day, date);
}

static const char *event_name(const param_event_t *e)
{
    size_t n;
    return params_table(&n)[e->param].name;
}

/* The last event of `day` (in file order) that sets a parameter among `reads`, or -1. */
static long last_setting(const params_t *p, int64_t day, const char *reads)
{
    long found = -1;
    for (size_t k = 0; k < p->nevents; k++)
        if (p->events[k].day == day && params_reads(reads, event_name(&p->events[k])))
            found = (long)k;
    return found;
}

static int fail_at(const params_t *p, long k, const char *what, char *msg, size_t msglen)
{
    char where[PARAMS_EVENT_PATH + 96];
    event_where(p, &p->events[k], where, sizeof where);
    snprintf(msg, msglen, "%s: %s", where, what);
    return -1;
}

/* One-day actions of the community pool: the day they happen (0: none) and how much. */
static const struct {
    const char *day, *amount, *what;
} actions[] = {
    {"pool.burn_day", "pool.burn_akt", "burn"},
    {"pool.vault_funding_day", "pool.vault_funding_akt", "vault funding"},
};

/* After the changes of `day` (q holds the parameters then): the rules, and the
 * pool's actions, which fire on their day only. */
static int day_holds(const params_t *p, const params_t *q, int64_t day, char *msg, size_t msglen)
{
    char what[512];
    const char *blame, *reads;
    if (params_check_rules(q, what, sizeof what, &blame, &reads) != 0) {
        long k = last_setting(p, day, reads);
        if (k < 0)      /* broken before the day: blame its first event */
            for (k = 0; p->events[k].day != day; k++)
                ;
        return fail_at(p, k, what, msg, msglen);
    }
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        int64_t on = (int64_t)params_value(q, params_find(actions[i].day));
        if (on <= 0 || on >= day)
            continue;
        long k = last_setting(p, day, actions[i].day);
        if (k >= 0) {
            snprintf(what, sizeof what, "%s (%lld) is before the event's day: the %s would never happen "
                     "(a day from %lld on, or 0 for none)", actions[i].day, (long long)on, actions[i].what,
                     (long long)day);
            return fail_at(p, k, what, msg, msglen);
        }
        k = last_setting(p, day, actions[i].amount);
        if (k >= 0) {
            snprintf(what, sizeof what, "%s changes after the %s on day %lld (%s): it has no effect (set %s "
                     "too for another)", actions[i].amount, actions[i].what, (long long)on, actions[i].day,
                     actions[i].day);
            return fail_at(p, k, what, msg, msglen);
        }
    }
    /* A programme moved to start before the event is one already under way: it
     * pays from the event on. One that would be over by then never pays. */
    int64_t start = q->pool.incentive_start_day, len = q->pool.incentive_days;
    long k = last_setting(p, day, "pool.incentive_start_day");
    if (k >= 0 && len > 0 && start + len <= day) {
        snprintf(what, sizeof what, "the incentive programme (pool.incentive_start_day %lld, "
                 "pool.incentive_days %lld) is over before the event's day: it would never pay",
                 (long long)start, (long long)len);
        return fail_at(p, k, what, msg, msglen);
    }
    return 0;
}

int schedule_check(const params_t *p, char *msg, size_t msglen)
{
    for (size_t k = 0; k < p->nevents; k++)
        if (p->events[k].day < 1)
            return fail_at(p, (long)k, "before day 1 (day 0 is the scenario's own state)", msg, msglen);
    if (p->nevents == 0)
        return 0;
    params_t *q = malloc(sizeof *q);    /* large (the event table): not on the stack */
    if (!q) {
        snprintf(msg, msglen, "out of memory checking the events");
        return -1;
    }
    *q = *p;
    size_t n;
    const param_def_t *table = params_table(&n);
    int rc = 0;
    /* the days in turn, each day's events in file order: world_step's order */
    for (int64_t day = 0; rc == 0;) {
        bool more = false;
        int64_t next = 0;
        for (size_t k = 0; k < p->nevents; k++)
            if (p->events[k].day > day && (!more || p->events[k].day < next)) {
                next = p->events[k].day;
                more = true;
            }
        if (!more)
            break;
        day = next;
        for (size_t k = 0; k < p->nevents && rc == 0; k++) {
            const param_event_t *e = &p->events[k];
            char what[512], why[300];
            if (e->day == day && params_set_text(q, &table[e->param], e->value, why, sizeof why) != 0) {
                snprintf(what, sizeof what, "%s: %s", table[e->param].name, why);
                rc = fail_at(p, (long)k, what, msg, msglen);
            }
        }
        if (rc == 0)
            rc = day_holds(p, q, day, msg, msglen);
    }
    free(q);
    return rc;
}

size_t schedule_ignored(const params_t *p, char (*lines)[SCHEDULE_LINE_MAX], size_t max)
{
    size_t count = 0;
    for (size_t k = 0; k < p->nevents; k++) {
        const param_event_t *e = &p->events[k];
        if (e->day <= p->days)
            continue;
        if (count < max) {
            char where[PARAMS_EVENT_PATH + 96], shown[TEXT_SHOW_MAX + 8];
            event_where(p, e, where, sizeof where);
            snprintf(lines[count], SCHEDULE_LINE_MAX, "%s sets %s = %s after the horizon (%lld days): it is "
                     "ignored", where, event_name(e), text_show(e->value, shown, sizeof shown),
                     (long long)p->days);
        }
        count++;
    }
    /* what the scenario itself schedules for a day past the horizon */
    static const struct {
        const char *day, *active, *what;
    } dated[] = {
        {"bme.start_day", NULL, "burn-mint equilibrium never starts"},
        {"pool.incentive_start_day", "pool.incentive_days", "the incentive programme never pays"},
        {"pool.burn_day", "pool.burn_akt", "the pool's burn never happens"},
        {"pool.vault_funding_day", "pool.vault_funding_akt", "the vault funding never happens"},
    };
    long start = params_date_to_days(p->start_date);
    for (size_t k = 0; k < sizeof dated / sizeof dated[0]; k++) {
        double day = params_value(p, params_find(dated[k].day));
        if (day <= (double)p->days || (dated[k].active && params_value(p, params_find(dated[k].active)) <= 0))
            continue;
        if (count < max) {
            char date[PARAMS_DATE_MAX + 3] = "", d[PARAMS_DATE_MAX];
            if (start >= 0 && params_days_to_date(start + (int64_t)day, d) == 0)
                snprintf(date, sizeof date, " (%s)", d);
            snprintf(lines[count], SCHEDULE_LINE_MAX, "%s = %.0f%s is after the horizon (%lld days): %s",
                     dated[k].day, day, date, (long long)p->days, dated[k].what);
        }
        count++;
    }
    return count;
}
