/* The lease table and its calendar; see leases.h. */
#include "leases.h"

#include <stdlib.h>
#include <string.h>

int leases_alloc(leases_t *l, const params_t *p)
{
    memset(l, 0, sizeof *l);
    size_t n = (size_t)p->market.max_leases;
    l->max = n;
    l->horizon = p->days;
    int bad = 0;
#define ALLOC(ptr, count) bad |= !((ptr) = calloc((count), sizeof *(ptr)))
    ALLOC(l->provider, n);
    ALLOC(l->cls, n);
    ALLOC(l->denom, n);
    ALLOC(l->funded, n);
    ALLOC(l->reason, n);
    ALLOC(l->units, n);
    ALLOC(l->rate, n);
    ALLOC(l->deposit, n);
    ALLOC(l->log_max_price, n);
    ALLOC(l->paid_from, n);
    ALLOC(l->close_day, n);
    ALLOC(l->p_next, n);
    ALLOC(l->p_prev, n);
    ALLOC(l->e_next, n);
    ALLOC(l->e_prev, n);
    ALLOC(l->day_head, (size_t)p->days + 1);
#undef ALLOC
    if (bad) {
        leases_free(l);
        return -1;
    }
    return 0;
}

void leases_free(leases_t *l)
{
    free(l->provider);
    free(l->cls);
    free(l->denom);
    free(l->funded);
    free(l->reason);
    free(l->units);
    free(l->rate);
    free(l->deposit);
    free(l->log_max_price);
    free(l->paid_from);
    free(l->close_day);
    free(l->p_next);
    free(l->p_prev);
    free(l->e_next);
    free(l->e_prev);
    free(l->day_head);
    memset(l, 0, sizeof *l);
}

void leases_reset(leases_t *l)
{
    l->active = 0;
    for (size_t i = 0; i < l->max; i++) {
        l->provider[i] = -1;
        l->p_next[i] = i + 1 < l->max ? (int32_t)(i + 1) : -1;   /* the free list */
    }
    l->free_head = l->max > 0 ? 0 : -1;
    for (int64_t d = 0; d <= l->horizon; d++)
        l->day_head[d] = -1;
    for (int k = 0; k < DENOM_COUNT; k++)
        l->total_rate[k] = l->funded_rate[k] = 0;
}

int64_t leases_balance(const leases_t *l, size_t i, int64_t day)
{
    if (l->funded[i])
        return l->deposit[i];
    int64_t paid_days = day - l->paid_from[i];
    if (paid_days < 0)
        paid_days = 0;
    int64_t b = l->deposit[i] - paid_days * l->rate[i];
    return b > 0 ? b : 0;
}

long leases_open(leases_t *l, providers_t *pv, int32_t provider, resource_t cls, denom_t denom,
                 int64_t units, int64_t rate, int64_t deposit, int funded, int32_t paid_from,
                 int32_t days, double log_max_price)
{
    if (l->free_head < 0)
        return -1;
    int32_t i = l->free_head;
    l->free_head = l->p_next[i];

    l->provider[i] = provider;
    l->cls[i] = (uint8_t)cls;
    l->denom[i] = (uint8_t)denom;
    l->funded[i] = (uint8_t)(funded != 0);
    l->units[i] = units;
    l->rate[i] = rate;
    l->deposit[i] = deposit;
    l->paid_from[i] = paid_from;
    l->log_max_price[i] = log_max_price;

    /* the planned last day, or the day an unfunded deposit no longer covers a full day */
    int64_t last = (int64_t)paid_from + days - 1;
    l->reason[i] = CLOSE_END;
    if (!funded) {
        int64_t dry = (int64_t)paid_from + deposit / rate;
        if (dry < last) {
            last = dry;
            l->reason[i] = CLOSE_OVERDRAWN;
        }
    }
    if (last > INT32_MAX)
        last = INT32_MAX;
    l->close_day[i] = (int32_t)last;

    /* provider list */
    l->p_prev[i] = -1;
    l->p_next[i] = pv->lease_head[provider];
    if (l->p_next[i] >= 0)
        l->p_prev[l->p_next[i]] = i;
    pv->lease_head[provider] = i;

    /* calendar: leases that outlive the horizon need no closing event */
    l->e_prev[i] = l->e_next[i] = -1;
    if (last <= l->horizon) {
        l->e_next[i] = l->day_head[last];
        if (l->e_next[i] >= 0)
            l->e_prev[l->e_next[i]] = i;
        l->day_head[last] = i;
    }

    pv->used[cls][provider] += units;
    pv->rate[denom][provider] += rate;
    l->total_rate[denom] += rate;
    if (funded)
        l->funded_rate[denom] += rate;
    l->active++;
    return i;
}

void leases_remove(leases_t *l, providers_t *pv, size_t i)
{
    int32_t pr = l->provider[i];
    denom_t d = (denom_t)l->denom[i];
    pv->used[l->cls[i]][pr] -= l->units[i];
    pv->rate[d][pr] -= l->rate[i];
    l->total_rate[d] -= l->rate[i];
    if (l->funded[i])
        l->funded_rate[d] -= l->rate[i];

    if (l->p_prev[i] >= 0)
        l->p_next[l->p_prev[i]] = l->p_next[i];
    else
        pv->lease_head[pr] = l->p_next[i];
    if (l->p_next[i] >= 0)
        l->p_prev[l->p_next[i]] = l->p_prev[i];

    int64_t day = l->close_day[i];
    if (day <= l->horizon) {
        if (l->e_prev[i] >= 0)
            l->e_next[l->e_prev[i]] = l->e_next[i];
        else
            l->day_head[day] = l->e_next[i];
        if (l->e_next[i] >= 0)
            l->e_prev[l->e_next[i]] = l->e_prev[i];
    }

    l->provider[i] = -1;
    l->p_next[i] = l->free_head;
    l->free_head = (int32_t)i;
    l->active--;
}
