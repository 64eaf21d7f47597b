/* Provider agents; see providers.h. */
#include "providers.h"

#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define PROFIT_EMA_DAYS 30.0

int providers_alloc(providers_t *pv, const params_t *p)
{
    memset(pv, 0, sizeof *pv);
    size_t n = (size_t)p->providers.max;
    pv->max = n;
    int bad = 0;
#define ALLOC(ptr, count) bad |= !((ptr) = calloc((count), sizeof *(ptr)))
    ALLOC(pv->active, n);
    ALLOC(pv->markup, n);
    ALLOC(pv->log_markup, n);
    ALLOC(pv->markup_of, n);
    ALLOC(pv->reliability, n);
    ALLOC(pv->profit_ema, n);
    ALLOC(pv->loss_days, n);
    for (int d = 0; d < DENOM_COUNT; d++) {
        ALLOC(pv->rate[d], n);
        ALLOC(pv->paid_today[d], n);
        ALLOC(pv->revenue_today[d], n);
    }
    ALLOC(pv->lease_head, n);
    ALLOC(pv->cost_usd_day, n);
    ALLOC(pv->scratch, n);
    ALLOC(pv->price_order, n);
    ALLOC(pv->gpu_class, n);
    ALLOC(pv->gpu_hosted, n);
    for (int c = 0; c < RES_COUNT; c++) {
        ALLOC(pv->capacity[c], n);
        ALLOC(pv->used[c], n);
        ALLOC(pv->by_price[c], n);
        ALLOC(pv->log_price[c], n);
    }
#undef ALLOC
    if (bad) {
        providers_free(pv);
        return -1;
    }
    return 0;
}

size_t providers_slot_bytes(void)
{
#define PV_SIZE(f) sizeof *((providers_t *)0)->f
    return PV_SIZE(active) + PV_SIZE(markup) + PV_SIZE(log_markup) + PV_SIZE(markup_of) + PV_SIZE(reliability) +
           PV_SIZE(profit_ema) + PV_SIZE(loss_days) +
           DENOM_COUNT * (PV_SIZE(rate[0]) + PV_SIZE(paid_today[0]) + PV_SIZE(revenue_today[0])) +
           PV_SIZE(lease_head) + PV_SIZE(cost_usd_day) + PV_SIZE(scratch) + PV_SIZE(price_order) + PV_SIZE(gpu_class) +
           RES_COUNT * (PV_SIZE(capacity[0]) + PV_SIZE(used[0]) + PV_SIZE(by_price[0]) + PV_SIZE(log_price[0]));
#undef PV_SIZE
}

void providers_free(providers_t *pv)
{
    free(pv->active);
    free(pv->markup);
    free(pv->log_markup);
    free(pv->markup_of);
    free(pv->reliability);
    free(pv->profit_ema);
    free(pv->loss_days);
    for (int d = 0; d < DENOM_COUNT; d++) {
        free(pv->rate[d]);
        free(pv->paid_today[d]);
        free(pv->revenue_today[d]);
    }
    free(pv->lease_head);
    free(pv->cost_usd_day);
    free(pv->scratch);
    free(pv->price_order);
    free(pv->gpu_class);
    free(pv->gpu_hosted);
    for (int c = 0; c < RES_COUNT; c++) {
        free(pv->capacity[c]);
        free(pv->used[c]);
        free(pv->by_price[c]);
        free(pv->log_price[c]);
    }
    memset(pv, 0, sizeof *pv);
}

int64_t providers_min_order(resource_t c)
{
    return resource_is_gpu(c) ? MILLI : MILLI / 10;
}

double providers_price(providers_t *pv, const params_t *p, size_t i, resource_t c)
{
    if (pv->markup_of[i] != pv->reprices) {
        /* what repricing would have stored: the clamps exactly, else exp of the log */
        double lm = pv->log_markup[i];
        pv->markup[i] = lm <= pv->log_markup_lo ? p->providers.markup_min
                      : lm >= pv->log_markup_hi ? p->providers.markup_max : exp(lm);
        pv->markup_of[i] = pv->reprices;
    }
    return p->resources[c].cloud_usd_per_hour * p->resources[c].price_ratio * pv->markup[i];
}

static void update_cost(providers_t *pv, const params_t *p, size_t i)
{
    double cost = 0;
    for (int c = 0; c < RES_COUNT; c++)
        cost += (double)pv->capacity[c][i] / MILLI * p->resources[c].cost_usd_per_unit_day;
    pv->cost_usd_day[i] = cost;
}

/* A fresh provider in slot i with no capacity yet. */
static void init_slot(providers_t *pv, const params_t *p, size_t i, gsl_rng *rng)
{
    pv->active[i] = 1;
    pv->markup[i] = gsl_ran_flat(rng, p->providers.markup_initial_min, p->providers.markup_initial_max);
    pv->log_markup[i] = log(pv->markup[i]);
    pv->markup_of[i] = pv->reprices;   /* the drawn markup itself until the first repricing */
    pv->reliability[i] = gsl_ran_flat(rng, p->providers.reliability_min, 1.0);
    pv->profit_ema[i] = 0;
    pv->loss_days[i] = 0;
    for (int d = 0; d < DENOM_COUNT; d++)
        pv->rate[d][i] = pv->paid_today[d][i] = pv->revenue_today[d][i] = 0;
    pv->lease_head[i] = -1;
    for (int c = 0; c < RES_COUNT; c++)
        pv->capacity[c][i] = pv->used[c][i] = 0;
}

/* Note which GPU class provider i has capacity in, so that the daily loops over
 * classes visit only those (every provider has at most one today). */
static void note_gpu_class(providers_t *pv, size_t i)
{
    int8_t h = -1;
    for (int c = 0; c < RES_COUNT; c++)
        if (resource_is_gpu(c) && pv->capacity[c][i] > 0)
            h = h == -1 ? (int8_t)c : -2;
    pv->gpu_hosted[i] = h;
}

/* The classes provider i hosts, in increasing order, into cls[]; returns how
 * many: CPU, and its GPU class if any (or every class when it has several). */
static inline int hosted_classes(const providers_t *pv, size_t i, int cls[RES_COUNT])
{
    int h = pv->gpu_hosted[i];
    if (h == -2) {
        for (int c = 0; c < RES_COUNT; c++)
            cls[c] = c;
        return RES_COUNT;
    }
    cls[0] = RES_CPU;
    cls[1] = h;
    return h >= 0 ? 2 : 1;
}

/* A GPU class drawn in proportion to the classes' day-0 capacity; -1 if none. */
static int32_t draw_gpu_class(const params_t *p, gsl_rng *rng)
{
    double total = 0;
    for (int c = 0; c < RES_COUNT; c++)
        if (resource_is_gpu(c))
            total += p->resources[c].capacity;
    if (total <= 0)
        return -1;
    double u = gsl_rng_uniform(rng) * total;
    int last = -1;
    for (int c = 0; c < RES_COUNT; c++) {
        if (!resource_is_gpu(c) || p->resources[c].capacity <= 0)
            continue;
        last = c;
        if (u < p->resources[c].capacity)
            return c;
        u -= p->resources[c].capacity;
    }
    return last;
}
/* How many of the first n providers host GPU class c. */
static size_t class_hosts(const int32_t *gpu_class, size_t n, int c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += gpu_class[i] == c;
    return k;
}


void providers_reset(providers_t *pv, const params_t *p, gsl_rng *rng)
{
    size_t n = (size_t)p->providers.initial;
    pv->count = n;
    pv->n_sorted = 0;
    pv->n_sorted_slots = 0;
    pv->active_count = n;
    for (size_t i = 0; i < pv->max; i++)
        pv->active[i] = 0;
    for (int d = 0; d < DENOM_COUNT; d++)
        pv->revenue_zero[d] = 0;   /* unknown until the first settlement */
    int32_t *gpu_class = pv->gpu_class;
    for (size_t i = 0; i < n; i++) {
        init_slot(pv, p, i, rng);
        gpu_class[i] = gsl_rng_uniform(rng) < p->providers.gpu_share ? draw_gpu_class(p, rng) : -1;
    }
    /* every class with capacity needs a host: a CPU-only provider, else one whose class
     * has another host (never the only host of a class, whose capacity would be lost) */
    for (int c = 0; c < RES_COUNT; c++) {
        if (!resource_is_gpu(c) || p->resources[c].capacity < 1 || n == 0)
            continue;
        int hosted = 0;
        for (size_t i = 0; i < n; i++)
            hosted |= gpu_class[i] == c;
        if (hosted)
            continue;
        size_t free_hosts = 0, shared_hosts = 0;
        for (size_t i = 0; i < n; i++)
            if (gpu_class[i] < 0)
                free_hosts++;
            else if (class_hosts(gpu_class, n, gpu_class[i]) > 1)
                shared_hosts++;
        int use_free = free_hosts > 0;
        size_t candidates = use_free ? free_hosts : shared_hosts;
        if (candidates == 0)
            continue;   /* fewer providers than GPU classes: params_check refuses it */
        size_t k = gsl_rng_uniform_int(rng, candidates);
        for (size_t i = 0; i < n; i++) {
            int eligible = use_free ? gpu_class[i] < 0 : gpu_class[i] >= 0 && class_hosts(gpu_class, n, gpu_class[i]) > 1;
            if (eligible && k-- == 0) {
                gpu_class[i] = c;
                break;
            }
        }
    }
    /* Each class's total (whole units) is shared by lognormal weights, rounded by
     * largest remainder so that the day-0 totals are exactly the scenario's. */
    double *w = pv->scratch;
    for (int c = 0; c < RES_COUNT; c++) {
        int64_t total = (int64_t)llround(p->resources[c].capacity);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            int hosts = c == RES_CPU || gpu_class[i] == c;
            w[i] = hosts ? rng_lognormal(rng, 0.0, p->providers.size_sigma) : 0.0;
            sum += w[i];
        }
        if (sum <= 0 || total <= 0)
            continue;
        int64_t given = 0;
        for (size_t i = 0; i < n; i++) {
            double share = (double)total * w[i] / sum;
            int64_t units = (int64_t)floor(share);
            pv->capacity[c][i] = units * MILLI;
            w[i] = share - (double)units;     /* remainder, for the second pass */
            given += units;
        }
        /* hand out the remaining units to the largest remainders (ties: lowest index) */
        for (int64_t left = total - given; left > 0; left--) {
            size_t best = 0;
            for (size_t i = 1; i < n; i++)
                if (w[i] > w[best])
                    best = i;
            pv->capacity[c][best] += MILLI;
            w[best] = -1.0;
        }
    }
    for (int c = 0; c < RES_COUNT; c++)
        pv->total_capacity[c] = pv->total_used[c] = 0;
    for (size_t i = 0; i < n; i++) {
        update_cost(pv, p, i);
        note_gpu_class(pv, i);
        for (int c = 0; c < RES_COUNT; c++)
            pv->total_capacity[c] += pv->capacity[c][i];
    }
}

long providers_enter(providers_t *pv, const params_t *p, gsl_rng *rng)
{
    /* draws are made whether or not a slot is free, so that the stream stays aligned */
    /* weights of mean 1 (a lognormal's mean is exp(sigma^2 / 2)) */
    double sigma = p->providers.size_sigma;
    double wc = rng_lognormal(rng, -0.5 * sigma * sigma, sigma);
    double wg = rng_lognormal(rng, -0.5 * sigma * sigma, sigma);
    int gc = gsl_rng_uniform(rng) < p->providers.gpu_share ? draw_gpu_class(p, rng) : -1;
    if (pv->count >= pv->max)
        return -1;
    size_t i = pv->count++;
    init_slot(pv, p, i, rng);
    double n0 = p->providers.initial > 0 ? (double)p->providers.initial : 1.0;
    /* the same mean size as the day-0 population */
    double cpu_units = p->resources[RES_CPU].capacity / n0 * wc;
    pv->capacity[RES_CPU][i] = (int64_t)llround(cpu_units) * MILLI;
    if (gc >= 0) {
        double gpus = 0;
        for (int c = 0; c < RES_COUNT; c++)
            if (resource_is_gpu(c))
                gpus += p->resources[c].capacity;
        double per_host = gpus / (n0 * (p->providers.gpu_share > 0 ? p->providers.gpu_share : 1.0));
        int64_t units = (int64_t)llround(per_host * wg);
        pv->capacity[gc][i] = (units < 1 ? 1 : units) * MILLI;
    }
    update_cost(pv, p, i);
    note_gpu_class(pv, i);
    for (int c = 0; c < RES_COUNT; c++)
        pv->total_capacity[c] += pv->capacity[c][i];
    pv->active_count++;
    return (long)i;
}

void providers_book_profit(providers_t *pv, const params_t *p, size_t i, double profit_usd)
{
    pv->profit_ema[i] += (profit_usd - pv->profit_ema[i]) / p->providers.profit_average_days;
    pv->loss_days[i] = pv->profit_ema[i] < 0 ? pv->loss_days[i] + 1 : 0;
}

void providers_add_income(providers_t *pv, const params_t *p, size_t i, double usd)
{
    /* the running average is linear in today's profit */
    pv->profit_ema[i] += usd / p->providers.profit_average_days;
    if (pv->profit_ema[i] >= 0)
        pv->loss_days[i] = 0;
}

/* Provider i's utilisation, leased / capacity, weighted by v[c], each class's
 * reference price (USD/unit-h). */
static double utilisation(const providers_t *pv, const double v[RES_COUNT], size_t i)
{
    /* only the classes it hosts: the others would add exact zeros */
    int cls[RES_COUNT];
    int nc = hosted_classes(pv, i, cls);
    double cap = 0, used = 0;
    for (int k = 0; k < nc; k++) {
        int c = cls[k];
        cap += (double)pv->capacity[c][i] * v[c];
        used += (double)pv->used[c][i] * v[c];
    }
    return cap > 0 ? used / cap : 0.0;
}

static void reference_prices(const params_t *p, double v[RES_COUNT])
{
    for (int c = 0; c < RES_COUNT; c++)
        v[c] = p->resources[c].cloud_usd_per_hour * p->resources[c].price_ratio;
}

void providers_reprice(providers_t *pv, const params_t *p)
{
    /* markup x exp(k (u - target)), clamped, as a sum of logs: the sort and
     * the price lists need the log, the prices the markup */
    double k = p->providers.markup_adapt_per_day, target = p->providers.target_utilisation;
    double lo = log(p->providers.markup_min), hi = log(p->providers.markup_max);
    double v[RES_COUNT];
    reference_prices(p, v);
    pv->reprices++;   /* every markup is stale: providers_price computes those it needs */
    pv->log_markup_lo = lo;
    pv->log_markup_hi = hi;
    for (size_t i = 0; i < pv->count; i++) {
        if (!pv->active[i])
            continue;
        double lm = pv->log_markup[i] + k * (utilisation(pv, v, i) - target);
        pv->log_markup[i] = lm <= lo ? lo : lm >= hi ? hi : lm;
    }
}


void providers_sort(providers_t *pv, const params_t *p)
{
    /* One order by markup serves every class (price = cloud x ratio x markup). Markups
     * move a little each day, so yesterday's order is nearly sorted: insertion sort
     * is linear then. Entrants join at the end; exited providers drop out. */
    int32_t *order = pv->price_order;
    size_t n = 0;
    for (size_t j = 0; j < pv->n_sorted; j++)
        if (pv->active[order[j]])
            order[n++] = order[j];
    for (size_t i = pv->n_sorted_slots; i < pv->count; i++)
        if (pv->active[i])
            order[n++] = (int32_t)i;
    pv->n_sorted_slots = pv->count;
    /* the keys travel with the indices: no lookups while sorting. Ties by index,
     * so the order is total. */
    double *key = pv->scratch;
    for (size_t j = 0; j < n; j++)
        key[j] = pv->log_markup[order[j]];
    for (size_t j = 1; j < n; j++) {
        int32_t x = order[j];
        double kx = key[j];
        size_t k = j;
        while (k > 0 && (kx < key[k - 1] || (kx == key[k - 1] && x < order[k - 1]))) {
            order[k] = order[k - 1];
            key[k] = key[k - 1];
            k--;
        }
        order[k] = x;
        key[k] = kx;
    }
    pv->n_sorted = n;
    const double *log_markup = key;   /* in price order */
    double log_base[RES_COUNT];
    int64_t need[RES_COUNT];
    for (int c = 0; c < RES_COUNT; c++) {
        log_base[c] = log(p->resources[c].cloud_usd_per_hour * p->resources[c].price_ratio);
        need[c] = providers_min_order(c);
        pv->n_by_price[c] = 0;
        pv->first_by_price[c] = 0;
    }
    /* in price order, each provider joins the lists of its classes with room */
    for (size_t j = 0; j < n; j++) {
        int32_t i = order[j];
        int cls[RES_COUNT];
        int nc = hosted_classes(pv, (size_t)i, cls);
        for (int k = 0; k < nc; k++) {
            int c = cls[k];
            if (pv->capacity[c][i] - pv->used[c][i] >= need[c]) {
                pv->log_price[c][i] = log_base[c] + log_markup[j];
                pv->by_price[c][pv->n_by_price[c]++] = i;
            }
        }
    }
}

void providers_class_totals(const providers_t *pv, int64_t cap[RES_COUNT], int64_t used[RES_COUNT])
{
    for (int c = 0; c < RES_COUNT; c++) {
        cap[c] = pv->total_capacity[c];
        used[c] = pv->total_used[c];
    }
}

void providers_exit(providers_t *pv, size_t i)
{
    pv->active[i] = 0;
    pv->active_count--;
    for (int c = 0; c < RES_COUNT; c++) {
        pv->total_capacity[c] -= pv->capacity[c][i];
        pv->total_used[c] -= pv->used[c][i];   /* 0: its leases are closed */
    }
}

size_t providers_bids(providers_t *pv, resource_t c, int64_t units, double log_max_price,
                      int32_t *bids, size_t max_bids)
{
    int32_t *list = pv->by_price[c] + pv->first_by_price[c];
    size_t n = pv->n_by_price[c], kept = 0, nb = 0;
    int64_t need = providers_min_order(c);
    size_t j = 0;
    while (j < n && nb < max_bids) {
        int32_t i = list[j++];
        int64_t free_units = pv->capacity[c][i] - pv->used[c][i];
        if (!pv->active[i] || free_units < need)
            continue;               /* full or gone: drop it from the list */
        list[kept++] = i;
        if (pv->log_price[c][i] > log_max_price)
            break;                  /* sorted: nobody after it can bid either */
        if (free_units >= units)
            bids[nb++] = i;
    }
    /* the dropped ones are among the first j: the kept ones (few) move up to
     * just before the unvisited tail, and the list starts later */
    if (kept != j) {
        memmove(list + (j - kept), list, kept * sizeof *list);
        pv->first_by_price[c] += j - kept;
        pv->n_by_price[c] = n - (j - kept);
    }
    return nb;
}
