/* The lease table and its calendar; see leases.h. */
#include "leases.h"

_Static_assert(sizeof(lease_t) == 64, "a lease should fill one cache line");

#include <stdlib.h>
#include <string.h>

/* The calendar: a list of the leases closing on each day up to the horizon
 * (leases that outlive it need no closing event). */
static void calendar_link(leases_t *l, size_t i)
{
    int64_t last = l->lease[i].close_day;
    l->lease[i].e_prev = l->lease[i].e_next = -1;
    if (last > l->horizon)
        return;
    l->lease[i].e_next = l->day_head[last];
    if (l->lease[i].e_next >= 0)
        l->lease[l->lease[i].e_next].e_prev = (int32_t)i;
    l->day_head[last] = (int32_t)i;
}

static void calendar_unlink(leases_t *l, size_t i)
{
    int64_t day = l->lease[i].close_day;
    if (day > l->horizon)
        return;
    if (l->lease[i].e_prev >= 0)
        l->lease[l->lease[i].e_prev].e_next = l->lease[i].e_next;
    else
        l->day_head[day] = l->lease[i].e_next;
    if (l->lease[i].e_next >= 0)
        l->lease[l->lease[i].e_next].e_prev = l->lease[i].e_prev;
}

int leases_alloc(leases_t *l, const params_t *p)
{
    memset(l, 0, sizeof *l);
    size_t n = (size_t)p->market.max_leases;
    l->max = n;
    l->horizon = p->days;
    int bad = 0;
#define ALLOC(ptr, count) bad |= !((ptr) = calloc((count), sizeof *(ptr)))
    ALLOC(l->lease, n);
    ALLOC(l->day_head, (size_t)p->days + 1);
    if (params_cohorts_k(p) > 0)
        ALLOC(l->spread, n);
#undef ALLOC
    if (bad) {
        leases_free(l);
        return -1;
    }
    return 0;
}

void leases_free(leases_t *l)
{
    free(l->lease);
    free(l->day_head);
    free(l->spread);
    memset(l, 0, sizeof *l);
}

void leases_reset(leases_t *l)
{
    /* O(1) in the table size: slots past `used` are free without being listed */
    l->active = 0;
    l->deployments = 0;
    l->used = 0;
    l->free_head = -1;
    for (int64_t d = 0; d <= l->horizon; d++)
        l->day_head[d] = -1;
    for (int k = 0; k < DENOM_COUNT; k++)
        l->total_rate[k] = l->funded_rate[k] = 0;
}

int64_t leases_balance(const leases_t *l, size_t i, int64_t day)
{
    if (l->lease[i].funded)
        return l->lease[i].deposit;
    int64_t paid_days = day - l->lease[i].paid_from;
    if (paid_days < 0)
        paid_days = 0;
    int64_t b = l->lease[i].deposit - paid_days * l->lease[i].rate;
    return b > 0 ? b : 0;
}

/* Lease i's close_day and reason: its planned last day `last`, or the day an
 * unfunded deposit no longer covers a full day when that comes first. */
static void plan_close(leases_t *l, size_t i, int64_t last)
{
    lease_t *e = &l->lease[i];
    e->reason = CLOSE_END;
    if (!e->funded) {
        int64_t dry = (int64_t)e->paid_from + e->deposit / e->rate;
        if (dry < last) {
            last = dry;
            e->reason = CLOSE_OVERDRAWN;
        }
    }
    if (last > INT32_MAX)
        last = INT32_MAX;
    e->close_day = (int32_t)last;
}

long leases_open(leases_t *l, providers_t *pv, int32_t provider, resource_t cls, denom_t denom,
                 int32_t units, int32_t count, int64_t rate, int64_t deposit, int funded,
                 int32_t paid_from, int32_t days, double log_max_price)
{
    int32_t i;
    if (l->free_head >= 0) {
        i = l->free_head;
        l->free_head = l->lease[i].p_next;
        if (l->free_head >= 0)   /* the next open's slot */
            __builtin_prefetch(&l->lease[l->free_head], 1);
    } else if (l->used < l->max) {
        i = (int32_t)l->used++;
    } else {
        return -1;
    }

    l->lease[i].provider = provider;
    l->lease[i].cls = (uint8_t)cls;
    l->lease[i].denom = (uint8_t)denom;
    l->lease[i].funded = (uint8_t)(funded != 0);
    l->lease[i].units = units;
    l->lease[i].count = count;
    l->lease[i].rate = rate;
    l->lease[i].deposit = deposit;
    l->lease[i].paid_from = paid_from;
    l->lease[i].log_max_price = log_max_price;

    if (l->spread)
        l->spread[i].opened = 0;
    plan_close(l, (size_t)i, (int64_t)paid_from + days - 1);

    /* provider list */
    l->lease[i].p_prev = -1;
    l->lease[i].p_next = pv->lease_head[provider];
    if (l->lease[i].p_next >= 0)
        l->lease[l->lease[i].p_next].p_prev = i;
    pv->lease_head[provider] = i;

    calendar_link(l, (size_t)i);

    providers_lease(pv, (size_t)provider, cls, (int64_t)units * count);
    pv->rate[denom][provider] += rate;
    l->total_rate[denom] += rate;
    if (funded)
        l->funded_rate[denom] += rate;
    l->active++;
    l->deployments += count;
    return i;
}

void leases_remove(leases_t *l, providers_t *pv, size_t i)
{
    int32_t pr = l->lease[i].provider;
    denom_t d = (denom_t)l->lease[i].denom;
    providers_lease(pv, (size_t)pr, l->lease[i].cls, -(int64_t)l->lease[i].units * l->lease[i].count);
    pv->rate[d][pr] -= l->lease[i].rate;
    l->total_rate[d] -= l->lease[i].rate;
    if (l->lease[i].funded)
        l->funded_rate[d] -= l->lease[i].rate;

    if (l->lease[i].p_prev >= 0)
        l->lease[l->lease[i].p_prev].p_next = l->lease[i].p_next;
    else
        pv->lease_head[pr] = l->lease[i].p_next;
    if (l->lease[i].p_next >= 0)
        l->lease[l->lease[i].p_next].p_prev = l->lease[i].p_prev;

    calendar_unlink(l, i);

    l->lease[i].provider = -1;
    l->lease[i].p_next = l->free_head;
    l->free_head = (int32_t)i;
    l->active--;
    l->deployments -= l->lease[i].count;
}

/* Move lease i from its calendar day to `last` (when that is earlier). */
static void reschedule(leases_t *l, size_t i, int64_t last, uint8_t reason)
{
    if (last >= l->lease[i].close_day)
        return;
    calendar_unlink(l, i);
    l->lease[i].close_day = (int32_t)last;
    l->lease[i].reason = reason;
    calendar_link(l, i);
}

size_t leases_unfund(leases_t *l, denom_t d, int64_t day)
{
    size_t n = 0;
    for (size_t i = 0; i < l->used; i++) {
        lease_t *e = &l->lease[i];
        if (e->provider < 0 || !e->funded || e->denom != d)
            continue;
        /* it paid today from its deposit and is not topped up: from tomorrow
         * its balance is deposit - rate * (days since today) */
        e->funded = 0;
        e->paid_from = (int32_t)day;
        l->funded_rate[d] -= e->rate;
        int64_t dry = day + e->deposit / e->rate;
        if (dry <= day)
            dry = day + 1;
        reschedule(l, i, dry, CLOSE_OVERDRAWN);
        n += (size_t)e->count;
    }
    return n;
}

/* The last paying day of deployment k of spread lease i. */
static int64_t spread_last(const leases_t *l, size_t i, int32_t k)
{
    const lease_spread_t *sp = &l->spread[i];
    double u = ((double)k + sp->offset) / (double)sp->opened;
    double days = tenants_lognormal_at(&l->days_law[l->lease[i].cls], u);
    return (int64_t)sp->start + tenants_days(days) - 1;
}

static int is_spread(const leases_t *l, size_t i)
{
    return l->spread && l->spread[i].opened > 0;
}

/* The planned last day of lease i's next deployment to close. */
static int64_t next_last(const leases_t *l, size_t i)
{
    return spread_last(l, i, l->spread[i].opened - l->lease[i].count);
}

void leases_spread(leases_t *l, size_t i, double offset)
{
    lease_spread_t *sp = &l->spread[i];
    sp->start = l->lease[i].paid_from;
    sp->opened = l->lease[i].count;
    sp->offset = offset;
    calendar_unlink(l, i);
    plan_close(l, i, next_last(l, i));
    calendar_link(l, i);
}

int64_t leases_last_day(const leases_t *l, size_t i, int32_t j)
{
    if (!is_spread(l, i))
        return l->lease[i].close_day;
    return spread_last(l, i, l->spread[i].opened - l->lease[i].count + j);
}

int32_t leases_closing(const leases_t *l, size_t i)
{
    const lease_t *e = &l->lease[i];
    if (!is_spread(l, i) || e->reason != CLOSE_END)
        return e->count;
    /* close_day is the next one's last day: it and those ending with it */
    int32_t n = 1;
    while (n < e->count && leases_last_day(l, i, n) <= e->close_day)
        n++;
    return n;
}

void leases_shrink(leases_t *l, providers_t *pv, size_t i, int32_t n)
{
    lease_t *e = &l->lease[i];
    denom_t d = (denom_t)e->denom;
    /* rate and deposit are count x one deployment's: exact shares */
    int64_t rate = e->rate / e->count * n, deposit = e->deposit / e->count * n;
    providers_lease(pv, (size_t)e->provider, e->cls, -(int64_t)e->units * n);
    pv->rate[d][e->provider] -= rate;
    l->total_rate[d] -= rate;
    if (e->funded)
        l->funded_rate[d] -= rate;
    e->rate -= rate;
    e->deposit -= deposit;
    e->count -= n;
    l->deployments -= n;
    calendar_unlink(l, i);
    plan_close(l, i, next_last(l, i));
    calendar_link(l, i);
}
