/*
 * The rules between parameters (params.h): each holds on day 0 and after every
 * day's events (schedule.h), and names the parameter to blame and those it reads.
 */
#include "params.h"

#include <stdio.h>
#include <string.h>

/* Each rule returns 0 when it holds, else writes its message and returns -1. */

static int rule_gpu_cohorts(const params_t *p, char *msg, size_t msglen)
{
    if (p->tenants.gpu_cohorts_per_day == 0 || params_cohorts_k(p) > 0)
        return 0;
    snprintf(msg, msglen, "tenants.gpu_cohorts_per_day (%lld) needs cohorts: market.mode cohorts, or tenants.cohorts_per_day",
             (long long)p->tenants.gpu_cohorts_per_day);
    return -1;
}

static int rule_inflation(const params_t *p, char *msg, size_t msglen)
{
    if (p->mint.inflation_min <= p->mint.inflation_max)
        return 0;
    snprintf(msg, msglen, "mint.inflation_min (%g) is above mint.inflation_max (%g)",
             p->mint.inflation_min, p->mint.inflation_max);
    return -1;
}

static int rule_pool(const params_t *p, char *msg, size_t msglen)
{
    if (p->supply.community_pool_uakt <= p->supply.total_uakt)
        return 0;
    snprintf(msg, msglen, "supply.community_pool_akt exceeds supply.total_akt");
    return -1;
}

static int rule_bonded(const params_t *p, char *msg, size_t msglen)
{
    if ((double)p->supply.community_pool_uakt + p->supply.bonded_ratio * (double)p->supply.total_uakt <=
        (double)p->supply.total_uakt)
        return 0;
    snprintf(msg, msglen, "supply.bonded_ratio (%g) plus the community pool exceed the total supply",
             p->supply.bonded_ratio);
    return -1;
}

static int rule_genesis(const params_t *p, char *msg, size_t msglen)
{
    if (p->mint.model != MINT_WHITEPAPER ||
        params_date_to_days(p->mint.wp_genesis_date) <= params_date_to_days(p->start_date))
        return 0;
    snprintf(msg, msglen, "mint.whitepaper_genesis_date (%s) is after start_date (%s)",
             p->mint.wp_genesis_date, p->start_date);
    return -1;
}

/* providers_reprice clamps to [markup_min, markup_max]: reversed, it clamps to nonsense */
static int rule_markup(const params_t *p, char *msg, size_t msglen)
{
    if (p->providers.markup_min <= p->providers.markup_max)
        return 0;
    snprintf(msg, msglen, "providers.markup_min (%g) is above providers.markup_max (%g)",
             p->providers.markup_min, p->providers.markup_max);
    return -1;
}

static int rule_markup_initial(const params_t *p, char *msg, size_t msglen)
{
    if (p->providers.markup_initial_min <= p->providers.markup_initial_max)
        return 0;
    snprintf(msg, msglen, "providers.markup_initial_min (%g) is above providers.markup_initial_max (%g)",
             p->providers.markup_initial_min, p->providers.markup_initial_max);
    return -1;
}

/* x/bme's parameter validation requires warn > halt */
static int rule_circuit_breaker(const params_t *p, char *msg, size_t msglen)
{
    if (p->bme.cr_halt < p->bme.cr_warn)
        return 0;
    snprintf(msg, msglen, "bme.cr_halt (%g) is not below bme.cr_warn (%g): the circuit breaker warns before "
             "it halts (x/bme requires warn > halt)", p->bme.cr_halt, p->bme.cr_warn);
    return -1;
}

/* orders are split by the shares' proportions: with every share 0 there are none */
static int rule_demand_shares(const params_t *p, char *msg, size_t msglen)
{
    for (int c = 0; c < RES_COUNT; c++)
        if (p->resources[c].demand_share > 0)
            return 0;
    snprintf(msg, msglen, "every resources.<class>.demand_share is 0: no class can take the orders "
             "(tenants.orders_per_day: 0 means no demand)");
    return -1;
}

/* each GPU class with day-0 capacity needs a provider of its own to host it */
static int rule_gpu_hosts(const params_t *p, char *msg, size_t msglen)
{
    int classes = 0;
    for (int c = 0; c < RES_COUNT; c++)
        classes += resource_is_gpu(c) && p->resources[c].capacity >= 1;
    if (p->providers.initial == 0 || p->providers.initial >= classes)
        return 0;
    snprintf(msg, msglen, "providers.initial (%lld) is under the number of GPU classes with day-0 capacity (%d): "
             "each class needs a provider to host it", (long long)p->providers.initial, classes);
    return -1;
}

static const struct {
    int (*holds)(const params_t *p, char *msg, size_t msglen);
    const char *blame;
    const char *reads;
} rules[] = {
    {rule_gpu_cohorts, "tenants.gpu_cohorts_per_day", "tenants.gpu_cohorts_per_day tenants.cohorts_per_day market.mode"},
    {rule_inflation, "mint.inflation_min", "mint.inflation_min mint.inflation_max"},
    {rule_pool, "supply.community_pool_akt", "supply.community_pool_akt supply.total_akt"},
    {rule_bonded, "supply.bonded_ratio", "supply.bonded_ratio supply.community_pool_akt supply.total_akt"},
    {rule_genesis, "mint.whitepaper_genesis_date", "mint.whitepaper_genesis_date start_date mint.model"},
    {rule_markup, "providers.markup_min", "providers.markup_min providers.markup_max"},
    {rule_markup_initial, "providers.markup_initial_min", "providers.markup_initial_min providers.markup_initial_max"},
    {rule_circuit_breaker, "bme.cr_halt", "bme.cr_halt bme.cr_warn"},
    {rule_demand_shares, "resources.cpu.demand_share", "*.demand_share"},
    {rule_gpu_hosts, "providers.initial", "providers.initial *.capacity"},
};

int params_check_rules(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].holds(p, msg, msglen) != 0) {
            *blame = rules[i].blame;
            *reads = rules[i].reads;
            return -1;
        }
    return 0;
}

int params_reads(const char *reads, const char *name)
{
    size_t nl = strlen(name);
    for (const char *s = reads; *s;) {
        size_t n = strcspn(s, " ");
        if (s[0] == '*' ? n - 1 <= nl && strncmp(name + nl - (n - 1), s + 1, n - 1) == 0
                        : n == nl && strncmp(s, name, n) == 0)
            return 1;
        s += n;
        s += strspn(s, " ");
    }
    return 0;
}
