/* The market's daily steps; see market.h. */
#include "market.h"
#include "units.h"

#include "rng.h"
#include "round.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

int market_alloc(market_t *m, const params_t *p)
{
    memset(m, 0, sizeof *m);
    if (providers_alloc(&m->pv, p) != 0 || leases_alloc(&m->leases, p) != 0 ||
        tenants_alloc(&m->tenants, p) != 0 ||
        !(m->bids = calloc((size_t)p->market.max_bids, sizeof *m->bids))) {
        market_free(m);
        return -1;
    }
    m->leases.days_law = m->tenants.days_table;
    return 0;
}

void market_free(market_t *m)
{
    providers_free(&m->pv);
    leases_free(&m->leases);
    tenants_free(&m->tenants);
    free(m->bids);
    m->bids = NULL;
}

/* The tenant's pick among the bids (cheapest first): the lowest price, or the
 * lowest price / reliability^w (a tenant paying up for reliable providers). */
static int32_t pick(market_t *m, const params_t *p, resource_t c, size_t nb)
{
    if (p->market.pick_rule == PICK_LOWEST || nb == 1)
        return m->bids[0];
    int32_t best = m->bids[0];
    double best_score = INFINITY;
    for (size_t k = 0; k < nb; k++) {
        int32_t i = m->bids[k];
        double score = providers_price(&m->pv, p, (size_t)i, c) /
                       pow(m->pv.reliability[i], p->market.reliability_weight);
        if (score < best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

/* Fill up to `want` deployments of order o at provider i (each needs o->units
 * free), the highest of its `open` waiting ones, whose maxima run from `lowest`
 * (the want-th highest's) to `top`: 1 and *filled set, 0 when the tenant
 * cannot pay, -1 on failure (ledger or table full). A spread cohort's lease
 * draws its deployments' durations from rng. */
static int open_at(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], const order_t *o,
                   int32_t i, int64_t want, int32_t open, double lowest, double top, int64_t day,
                   int32_t days, double akt_usd, int funded, int32_t deposit_days, gsl_rng *rng,
                   int64_t *filled)
{
    resource_t c = (resource_t)o->cls;
    int32_t paid_from = (int32_t)(day > 0 ? day : 1);   /* warm-start leases pay from day 1 */
    leases_prefetch_open(&m->leases, &m->pv, i, (int64_t)paid_from + days - 1);
    double price = providers_price(&m->pv, p, (size_t)i, c);
    double usd_day = price * (double)o->units / MILLI * 24.0;
    /* under BME every lease is priced in ACT (USD); before, in the order's AKT or USDC */
    denom_t d = m->bme.active ? DENOM_ACT : (denom_t)o->denom;
    /* an AKT-priced lease keeps its AKT rate: its USD value then moves with AKT */
    double base = d == DENOM_AKT ? usd_day / akt_usd * UAKT_PER_AKT : usd_day * BASE_UNITS;
    int64_t rate = (int64_t)(base + 0.5);   /* base > 0: rounds to nearest */
    if (rate < 1)
        rate = 1;
    int64_t min_dep = d == DENOM_AKT ? p->market.min_deposit_uakt
                    : d == DENOM_USDC ? p->market.min_deposit_uusdc : p->bme.min_deposit_uact;
    int64_t deposit = deposit_days > 0 ? rate * deposit_days : round_up_mul_i64(rate, p->market.deposit_days);
    if (deposit < min_dep && deposit_days == 0)
        deposit = min_dep;
    /* every deployment of a cohort pays the same: the lease holds k of them */
    int64_t free_units = m->pv.capacity[c][i] - m->pv.used[c][i];
    int64_t k = free_units / o->units;
    if (k > want)
        k = want;
    /* tenants buy AKT from liquid holders: when there is not enough, the order waits */
    if (d == DENOM_AKT && led[d].balance[ACCT_HOLDERS] < k * deposit)
        k = led[d].balance[ACCT_HOLDERS] / deposit;
    if (k <= 0)
        return 0;
    if (d == DENOM_ACT) {
        /* the tenant mints the ACT from AKT; a halted circuit breaker makes it wait */
        int f = bme_fund(&m->bme, p, led, k * deposit, 1, akt_usd, &m->today.bme);
        if (f != 0)
            return f < 0 ? -1 : 0;
    }
    /* a lease records the middle of its deployments' maxima (for a re-auction) */
    if (k < want)
        lowest = tenants_limit(&m->tenants, p, o, open - (int32_t)k);
    long li = leases_open(&m->leases, &m->pv, i, c, d, o->units, (int32_t)k, k * rate, k * deposit, funded,
                          paid_from, days, 0.5 * (lowest + top));
    if (li < 0)
        return -1;
    /* its k deployments last as k orders' durations would, one stratum each */
    if (o->spread)
        leases_spread(&m->leases, (size_t)li, rng_uniform_pos(rng));
    if (escrow_deposit(led, d, k * deposit, &m->today.escrow) != 0)
        return -1;
    m->today.new_price_units[c] += price * (double)(k * o->units) / MILLI;
    m->today.new_units[c] += (double)(k * o->units) / MILLI;
    *filled = k;
    return 1;
}

/* Try to fill order o's deployments on `day`, each at the provider the
 * tenant's rule picks among those that can still take one: a cohort fills as
 * its orders one after the other would, the highest maximum price first (the
 * bids are those under the highest open maximum; the deployments whose maximum
 * is under the picked price would find it too dear, and after it only dearer
 * ones when the tenant takes the cheapest). Returns how many filled (0: no bid
 * or the tenant cannot pay), or -1 on failure (ledger or table full); o's
 * highest maximum is then that of its deployments left. */
static int64_t try_fill(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], order_t *o,
                        int64_t day, int32_t days, double akt_usd, int funded, int32_t deposit_days,
                        gsl_rng *rng)
{
    resource_t c = (resource_t)o->cls;
    /* the lowest-price rule takes the first (cheapest) bid: no need to collect more */
    size_t want = p->market.pick_rule == PICK_LOWEST ? 1 : (size_t)p->market.max_bids;
    int32_t open = o->count;   /* deployments 0 .. open - 1, the lowest-priced, wait */
    double top = o->log_max_price;
    while (open > 0) {
        size_t nb = providers_bids(&m->pv, c, o->units, top, m->bids, want);
        if (nb == 0)
            break;
        int32_t i = pick(m, p, c, nb);
        double lowest = top;
        int32_t willing = tenants_willing(&m->tenants, p, o, open, m->pv.log_price[c][i], &lowest);
        int64_t k = 0;
        int r = open_at(m, p, led, o, i, willing, open, lowest, top, day, days, akt_usd, funded,
                        deposit_days, rng, &k);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        open -= (int32_t)k;
        if (open > 0)
            top = tenants_limit(&m->tenants, p, o, open - 1);
    }
    o->log_max_price = top;
    return o->count - open;
}

int market_reset(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], double akt_usd,
                 gsl_rng *rng_demand, gsl_rng *rng_providers)
{
    memset(&m->today, 0, sizeof m->today);
    bme_reset(&m->bme, p);
    if (m->bme.active && bme_start(&m->bme, p, led) != 0)
        return -1;
    providers_reset(&m->pv, p, rng_providers);
    leases_reset(&m->leases);
    tenants_reset(&m->tenants, p);
    providers_sort(&m->pv, p);
    for (int c = 0; c < RES_COUNT; c++)
        m->clearing_price[c] = p->resources[c].cloud_usd_per_hour * p->resources[c].price_ratio *
                               0.5 * (p->providers.markup_initial_min + p->providers.markup_initial_max);

    /* Warm start, as if the market had been running: in a steady state the active
     * leases of a class number (its orders a day) x (their mean life), and a lease
     * alive at a given moment has a length-biased life, of which a uniform share
     * remains. Funded leases live their duration D ~ lognormal(mu, sigma), whose
     * length-biased law is lognormal(mu + sigma^2, sigma); unfunded ones live
     * L = min(D, deposit_days), length-biased by rejection (accept with L / k). */
    double sigma = p->tenants.duration_sigma;
    double k = p->market.deposit_days;
    double u = p->tenants.unfunded_share;
    double share_sum = 0;
    for (int c = 0; c < RES_COUNT; c++)
        share_sum += p->resources[c].demand_share;
    for (int c = 0; c < RES_COUNT && share_sum > 0; c++) {
        double mu = m->tenants.log_days[c];
        double mean_d = exp(mu + 0.5 * sigma * sigma);
        double mean_l = sigma > 0 ? mean_d * gsl_cdf_ugaussian_P((log(k) - mu - sigma * sigma) / sigma) +
                                        k * (1.0 - gsl_cdf_ugaussian_P((log(k) - mu) / sigma))
                                  : fmin(mean_d, k);
        double rate = tenants_order_rate(&m->tenants, p, 0) * p->resources[c].demand_share / share_sum;
        unsigned int nf = gsl_ran_poisson(rng_demand, rate * (1.0 - u) * mean_d);
        unsigned int nu = gsl_ran_poisson(rng_demand, rate * u * mean_l);
        /* single leases with cohorts too: each has its own remaining life (a
         * day's worth of leases a few thousand: they cost nothing to keep apart) */
        for (int funded = 1; funded >= 0; funded--) {   /* the funded leases first */
            unsigned int n = funded ? nf : nu;
            for (unsigned int j = 0; j < n; j++) {
                order_t o;
                tenants_draw_order_of(&m->tenants, p, rng_demand, (resource_t)c, &o);
                double life;
                if (funded) {
                    life = rng_lognormal(rng_demand, mu + sigma * sigma, sigma);
                } else {
                    do
                        life = fmin(rng_lognormal(rng_demand, mu, sigma), k);
                    while (rng_uniform(rng_demand) * k > life);
                }
                double left = ceil(rng_uniform_pos(rng_demand) * life);
                int32_t days = left > MAX_DAYS ? MAX_DAYS : left < 1 ? 1 : (int32_t)left;
                /* an unfunded lease's deposit has `days` days left in it */
                if (try_fill(m, p, led, &o, 0, days, akt_usd, funded, funded ? 0 : days, rng_demand) < 0)
                    return -1;
            }
        }
    }
    if (m->bme.active)
        bme_update_status(&m->bme, p, led, akt_usd);
    memset(&m->today, 0, sizeof m->today);
    return 0;
}

/* Queue the deployments of lease k, whose provider leaves, as new orders like
 * o for the rest of their planned lives: one order, or one a deployment when
 * they would have closed on their own days (the soonest to close first). */
static int reauction(market_t *m, order_t *o, size_t k, int64_t day)
{
    const leases_t *l = &m->leases;
    int32_t n = o->count;
    if (!l->spread || l->spread[k].opened == 0 || n == 1) {
        m->today.orders_new += n;
        return tenants_push(&m->tenants, o);
    }
    o->count = 1;
    for (int32_t j = 0; j < n; j++) {
        /* an unfunded one lives until its deposit runs dry at the latest */
        int64_t last = leases_last_day(l, k, j);
        if (last > l->lease[k].close_day && l->lease[k].reason == CLOSE_OVERDRAWN)
            last = l->lease[k].close_day;
        o->days = last >= day ? (int32_t)(last - day + 1) : 1;
        if (tenants_push(&m->tenants, o) != 0)
            return -1;
    }
    m->today.orders_new += n;
    return 0;
}

/* Step 3: exits after sustained losses (their leases close, a bad experience for
 * each tenant), entries that follow the market's margin, repricing. */
static int providers_step(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], int64_t day,
                          gsl_rng *rng)
{
    providers_t *pv = &m->pv;
    double profit = 0, cost = 0;
    for (size_t i = 0; i < pv->count; i++) {
        if (!pv->active[i])
            continue;
        profit += pv->profit_ema[i];
        cost += pv->cost_usd_day[i];
        if (pv->loss_days[i] < p->providers.exit_loss_days)
            continue;
        /* x/market re-auctions a group whose lease the provider closed: the
         * deployment gets a new order for the rest of its planned life */
        const leases_t *l = &m->leases;
        while (pv->lease_head[i] >= 0) {
            int32_t k = pv->lease_head[i];
            order_t o = {
                .cls = l->lease[k].cls, .denom = l->lease[k].denom, .funded = l->lease[k].funded,
                .tries_left = (int16_t)p->market.order_retry_days,
                .days = l->lease[k].close_day >= day ? l->lease[k].close_day - (int32_t)day + 1 : 1,
                .units = l->lease[k].units, .count = l->lease[k].count,
                .log_max_price = l->lease[k].log_max_price,   /* price_step 0: shared */
                .log_min_price = l->lease[k].log_max_price,
            };
            if (reauction(m, &o, (size_t)k, day) != 0 ||
                escrow_close(led, &m->leases, pv, (size_t)k, day, CLOSE_PROVIDER, &m->today.escrow) != 0)
                return -1;
        }
        providers_exit(pv, i);
        m->today.providers_exited++;
    }
    double margin = cost > 0 ? profit / cost : 0;
    double rate = p->providers.entry_per_day * (1.0 + p->providers.entry_profit_sensitivity * margin);
    unsigned int n = gsl_ran_poisson(rng, rate > 0 ? rate : 0);
    for (unsigned int k = 0; k < n; k++)
        if (providers_enter(pv, p, rng) >= 0)
            m->today.providers_entered++;
    providers_reprice(pv, p);
    providers_sort(pv, p);
    return 0;
}

/* Step 5: every waiting order tries once today, oldest first; new orders last. */
static int auction_step(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], int64_t day,
                        double akt_usd, gsl_rng *rng)
{
    size_t n = m->tenants.len;
    for (size_t k = 0; k < n; k++) {
        order_t o;
        tenants_pop(&m->tenants, &o);
        int64_t filled = try_fill(m, p, led, &o, day, o.days, akt_usd, o.funded, 0, rng);
        if (filled < 0)
            return -1;
        m->today.orders_filled += filled;
        o.count -= (int32_t)filled;
        if (o.count == 0)
            continue;
        if (o.tries_left > 0) {
            o.tries_left--;
            tenants_push(&m->tenants, &o);   /* cannot fail: we just popped one */
        } else {
            m->today.orders_expired += o.count;
            m->today.bad_experiences += o.count;
        }
    }
    return 0;
}

/* After settlement: each provider's profit today and its running average. */
static void account_profits(market_t *m, const params_t *p, double akt_usd)
{
    providers_t *pv = &m->pv;
    /* a denomination nobody earned in adds exact zeros: skip its divisions */
    int usdc = !pv->revenue_zero[DENOM_USDC], act = !pv->revenue_zero[DENOM_ACT];
    for (size_t i = 0; i < pv->count; i++) {
        if (!pv->active[i])
            continue;
        /* ACT is worth a dollar: providers redeem it at the day's price */
        double rev = (double)pv->revenue_today[DENOM_AKT][i] / UAKT_PER_AKT * akt_usd;
        if (usdc)
            rev += (double)pv->revenue_today[DENOM_USDC][i] / BASE_UNITS;
        if (act)
            rev += (double)pv->revenue_today[DENOM_ACT][i] / BASE_UNITS;
        double prof = rev - pv->cost_usd_day[i];
        m->today.revenue_usd += rev;
        m->today.cost_usd += pv->cost_usd_day[i];
        providers_book_profit(pv, p, i, prof);
    }
}

int market_step(market_t *m, const params_t *p, ledger_t led[DENOM_COUNT], int64_t day,
                double akt_usd, gsl_rng *rng_demand, gsl_rng *rng_providers, const char **why)
{
    memset(&m->today, 0, sizeof m->today);
    if (!m->bme.active && p->bme.start_day > 0 && day >= p->bme.start_day &&
        bme_start(&m->bme, p, led) != 0) {
        *why = "the BME vault could not be seeded";
        return -1;
    }
    if (m->bme.active)
        bme_update_status(&m->bme, p, led, akt_usd);
    if (providers_step(m, p, led, day, rng_providers) != 0) {
        *why = "a provider's leases could not be closed";
        return -1;
    }
    long arrived = tenants_arrive(&m->tenants, p, day, rng_demand);
    if (arrived < 0) {
        *why = "more orders than tenants.max_orders_per_day (raise it)";
        return -1;
    }
    m->today.orders_new += arrived;
    if (auction_step(m, p, led, day, akt_usd, rng_demand) != 0) {
        *why = m->leases.active == m->leases.max ? "the lease table is full (raise market.max_leases)"
                                       : "a deposit could not be paid";
        return -1;
    }
    int rc = escrow_settle(p, led, &m->leases, &m->pv, day, &m->today.escrow, &m->bme, akt_usd,
                           &m->today.bme);
    if (rc != 0) {
        *why = "escrow settlement moved more than an account held";
        return -1;
    }
    /* providers sell their AKT earnings to pay costs in USD (to liquid holders for now;
     * the flows module will route this through the price) */
    int64_t earned = m->today.escrow.revenue[DENOM_AKT] + m->today.bme.akt_out;
    int64_t sold = trunc_rate_i64(earned, p->providers.akt_sell_share);
    m->today.provider_akt_sold = sold;
    if (ledger_transfer(&led[DENOM_AKT], ACCT_PROVIDERS, ACCT_HOLDERS, sold) != 0) {
        *why = "providers sold more AKT than they held";
        return -1;
    }
    account_profits(m, p, akt_usd);
    tenants_update_population(&m->tenants, p, m->today.bad_experiences, rng_demand);

    market_day_t *t = &m->today;
    t->spend_usd[DENOM_AKT] = (double)t->escrow.paid[DENOM_AKT] / UAKT_PER_AKT * akt_usd;
    t->spend_usd[DENOM_USDC] = (double)t->escrow.paid[DENOM_USDC] / BASE_UNITS;
    t->spend_usd[DENOM_ACT] = (double)t->escrow.paid[DENOM_ACT] / BASE_UNITS;
    t->fees_usd = (double)t->escrow.fees[DENOM_AKT] / UAKT_PER_AKT * akt_usd +
                  (double)t->escrow.fees[DENOM_USDC] / BASE_UNITS;
    for (int c = 0; c < RES_COUNT; c++)
        if (t->new_units[c] > 0)
            m->clearing_price[c] = t->new_price_units[c] / t->new_units[c];
    return 0;
}
