/*
 * The lease table: every active lease with its provider, class, size,
 * denomination, daily rate and escrow deposit, in preallocated arrays with a
 * free list (market.max_leases slots; a day never allocates).
 *
 * Escrow is settled lazily, as on chain: a lease's balance is implied by its
 * deposit, rate and first paying day, and its closing day is known when it
 * opens, so a day touches only the leases that close that day (a calendar of
 * doubly linked lists, one per day) and per-provider sums of rates.
 *  - funded leases: the tenant tops up each day what the lease paid, so the
 *    balance stays at the deposit; they close on their planned last day;
 *  - unfunded leases: the deposit runs down; they close overdrawn on the day the
 *    balance falls below one day's rate (paying the remainder), unless the
 *    planned last day comes first.
 */
#ifndef MODELS_LEASES_H
#define MODELS_LEASES_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"
#include "providers.h"
#include "tenants.h"

typedef enum { CLOSE_END = 0, CLOSE_OVERDRAWN, CLOSE_PROVIDER } close_reason_t;

/* One lease: 64 bytes, one cache line, since a lease is always handled whole. */
typedef struct {
    int32_t provider;       /* -1: a free slot (slots at or past `used` are free too) */
    int32_t paid_from;      /* first day the lease pays */
    int32_t close_day;      /* last day it pays; after the horizon: never scheduled */
    int32_t p_next, p_prev; /* its provider's list (p_next also links the free list) */
    int32_t e_next, e_prev; /* the calendar list of its closing day */
    uint8_t cls;
    uint8_t denom;
    uint8_t funded;
    uint8_t reason;         /* planned close: CLOSE_END or CLOSE_OVERDRAWN */
    int32_t units;          /* milli-units of each deployment */
    int32_t count;          /* identical deployments it stands for (a cohort; 1 without) */
    int64_t rate;           /* base units (uakt or uusdc) per day, all deployments */
    int64_t deposit;        /* base units, all deployments */
    double log_max_price;   /* log of the tenant's maximum, USD/unit-h (for a re-auction) */
} lease_t;

/* A cohort lease whose deployments close on different days: deployment k
 * (k = 0 .. opened - 1) lasts the class's duration quantile at level
 * (k + offset) / opened, one stratum of the law each, as many orders' durations
 * would spread; they close in order, the shortest first, and the lease holds
 * the last `count` of them. The planned close_day is the next one's last day
 * (or the day an unfunded deposit runs dry, when that comes first). */
typedef struct {
    int32_t start;          /* the first paying day at opening */
    int32_t opened;         /* deployments at opening; 0: all close on close_day */
    double offset;          /* in (0, 1) */
} lease_spread_t;

typedef struct {
    size_t max;
    size_t active;          /* slots in use */
    int64_t deployments;    /* sum of the active leases' counts (the leases_active metric) */
    size_t used;            /* slots [0, used) have been handed out at least once */
    int32_t free_head;      /* freed slots, linked through p_next */
    lease_t *lease;
    int32_t *day_head;      /* [horizon + 1] first lease closing that day, or -1 */
    int64_t horizon;
    int64_t total_rate[DENOM_COUNT];    /* sum of active leases' rates */
    int64_t funded_rate[DENOM_COUNT];   /* the part tenants top up daily */
    lease_spread_t *spread;             /* [max] with cohorts (else NULL) */
    const lognormal_table_t *days_law;  /* [RES_COUNT] durations (the tenants'), for spread leases */
} leases_t;

int leases_alloc(leases_t *l, const params_t *p);
void leases_free(leases_t *l);
void leases_reset(leases_t *l);

/* Open a lease of `count` identical deployments of `units` milli-units each,
 * paying `rate` a day in all from day `paid_from` for `days` days (>= 1) with
 * `deposit` in escrow in all. rate and deposit are count x one deployment's,
 * so the lease settles exactly as `count` separate leases would. Returns its
 * index, or -1 when the table is full. */
long leases_open(leases_t *l, providers_t *pv, int32_t provider, resource_t cls, denom_t denom,
                 int32_t units, int32_t count, int64_t rate, int64_t deposit, int funded,
                 int32_t paid_from, int32_t days, double log_max_price);

/* Spread the deployments of lease i, just opened, over the duration law of
 * its class at `offset` in (0, 1) (see lease_spread_t): they close on their own
 * days from then on, each paying as a lease of one would. Needs cohorts on. */
void leases_spread(leases_t *l, size_t i, double offset);

/* The last paying day planned for the j-th of lease i's deployments still
 * open, the soonest first (j = 0: the next to close); a lease whose
 * deployments close together: its close_day. */
int64_t leases_last_day(const leases_t *l, size_t i, int32_t j);

/* How many of lease i's deployments close on its close_day: all, unless its
 * deployments are spread and it closes as planned (CLOSE_END). */
int32_t leases_closing(const leases_t *l, size_t i);

/* n of lease i's deployments (0 < n < count, the soonest to close) leave, their
 * last payments settled by the caller: its count, rate, deposit and capacity
 * shrink by n deployments' shares, and it moves to its next closing day. */
void leases_shrink(leases_t *l, providers_t *pv, size_t i, int32_t n);

/* Start loading the leases that opening one at `provider` closing on day
 * `last` will link to (its provider's newest lease, that day's first), so that
 * their cache misses overlap the pricing that comes before leases_open. */
static inline void leases_prefetch_open(const leases_t *l, const providers_t *pv, int32_t provider,
                                        int64_t last)
{
    if (pv->lease_head[provider] >= 0)
        __builtin_prefetch(&l->lease[pv->lease_head[provider]], 1);
    if (last >= 0 && last <= l->horizon && l->day_head[last] >= 0)
        __builtin_prefetch(&l->lease[l->day_head[last]], 1);
}

/* The escrow balance of lease i at the start of day `day`, before it pays. */
int64_t leases_balance(const leases_t *l, size_t i, int64_t day);

/* Remove lease i from every list and sum; frees its capacity and slot. */
void leases_remove(leases_t *l, providers_t *pv, size_t i);

/* Tenants stop topping up every funded lease of denomination d after today's
 * payment (their liquid tokens ran out): each runs its deposit down from
 * tomorrow and closes overdrawn when it is spent. O(leases); returns how many
 * deployments. */
size_t leases_unfund(leases_t *l, denom_t d, int64_t day);

#endif
