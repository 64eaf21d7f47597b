/*
 * The metric table: every series a run records, with its unit and meaning
 * (docs/output.md is this table). Data only, beside the parameter registry, so
 * that the scenario loader (sweep outputs), output/ and the command line know
 * the metrics without the model; models/metrics.h records them.
 * Core metrics come first, then the market's totals, then five per resource
 * class (capacity, leased, utilisation, clearing price, discount), in the order
 * of RESOURCE_CLASSES.
 */
#ifndef CORE_METRIC_TABLE_H
#define CORE_METRIC_TABLE_H

#include <stddef.h>

#include "resources.h"

#define CORE_METRICS(X)                                                                                     \
    X(SUPPLY_TOTAL, "supply_total", "AKT", "total supply at the end of the day")                          \
    X(MINTED, "minted", "AKT/day", "tokens minted during the day (inflation and BME remint)")            \
    X(BURNED, "burned", "AKT/day", "tokens burned during the day")                                       \
    X(INFLATION, "inflation", "1/yr", "inflation rate of the mint at the end of the day")                \
    X(MINTED_INFLATION, "minted_inflation", "AKT/day", "tokens minted by x/mint inflation during the day (after supply.max_akt; BME remints aside)") \
    X(INFLATION_REALISED, "inflation_realised", "1/yr", "x/mint inflation minted during the day x 365 / supply at its start (the rate actually paid out)") \
    X(NET_ISSUANCE, "net_issuance", "1/yr", "net supply change during the day (every mint and burn) x 365 / supply at its start") \
    X(BONDED_RATIO, "bonded_ratio", "fraction", "bonded tokens / total supply at the end of the day")     \
    X(BONDED_AKT, "bonded_akt", "AKT", "bonded (staked) tokens at the end of the day")                    \
    X(UNBONDING_AKT, "unbonding_akt", "AKT", "tokens in the unbonding queue at the end of the day")       \
    X(LIQUID_AKT, "liquid_akt", "AKT", "liquid tokens of holders and validators at the end of the day")   \
    X(STAKING_APR, "staking_apr", "1/yr", "delegators' staking APR: rewards paid to delegators during the day x 365 / the bonded stake that earned them") \
    X(REQUIRED_YIELD, "required_yield", "1/yr", "the yield holders require to stay bonded (behavioural, stochastic)") \
    X(COMMUNITY_POOL, "community_pool", "AKT", "community pool balance (AKT) at the end of the day")     \
    X(COMMUNITY_POOL_INFLOW, "community_pool_inflow", "AKT/day", "community tax received during the day") \
    X(VALIDATOR_COMMISSION, "validator_commission", "AKT/day", "commission paid to validators during the day") \
    X(DELEGATOR_REWARDS, "delegator_rewards", "AKT/day", "rewards paid to delegators during the day (restaked or liquid)") \
    X(STAKING_BONDED, "staking_bonded", "AKT/day", "liquid tokens holders bonded during the day (restaked rewards aside)") \
    X(STAKING_UNBONDED, "staking_unbonded", "AKT/day", "bonded tokens that entered unbonding during the day") \
    X(NET_BONDING, "net_bonding", "AKT/day", "tokens bonded minus tokens unbonded during the day (restaked rewards included)") \
    X(PRICE_USD, "price_usd", "USD/AKT", "AKT price of the day")                                          \
    X(MARKET_CAP_USD, "market_cap_usd", "USD", "total supply x price")                                    \
    X(MINTED_USD, "minted_usd", "USD/day", "tokens minted during the day x the day's price (issuance in USD)") \
    X(SELL_AKT, "sell_akt", "AKT/day", "AKT sold: providers' earnings, delegator rewards, commission, escrow refunds") \
    X(BUY_AKT, "buy_akt", "AKT/day", "AKT bought: tenants' deposits and top-ups, outside investors")                         \
    X(NET_FLOW_AKT, "net_flow_akt", "AKT/day", "bought - sold; moves the next day's price in the coupled mode") \
    X(PROVIDERS_ACTIVE, "providers_active", "providers", "providers in the market at the end of the day") \
    X(PROVIDERS_ENTERED, "providers_entered", "providers/day", "providers that joined during the day")   \
    X(PROVIDERS_EXITED, "providers_exited", "providers/day", "providers that left during the day (sustained losses)") \
    X(GPU_CAPACITY, "gpu_capacity", "gpu", "GPUs offered, all classes")                                   \
    X(GPU_LEASED, "gpu_leased", "gpu", "GPUs leased, all classes")                                        \
    X(GPU_UTILISATION, "gpu_utilisation", "fraction", "GPUs leased / GPUs offered")                       \
    X(ORDERS_NEW, "orders_new", "orders/day", "new orders (deployments) during the day")                  \
    X(ORDERS_FILLED, "orders_filled", "orders/day", "orders that became leases during the day (new leases)") \
    X(ORDERS_UNFILLED, "orders_unfilled", "orders/day", "orders that expired unfilled during the day")    \
    X(ORDERS_PENDING, "orders_pending", "orders", "orders waiting for a bid at the end of the day")        \
    X(LEASES_ACTIVE, "leases_active", "leases", "active leases at the end of the day")                    \
    X(LEASES_CLOSED_OVERDRAWN, "leases_closed_overdrawn", "leases/day", "leases closed because their escrow ran dry") \
    X(LEASES_CLOSED_PROVIDER, "leases_closed_provider", "leases/day", "leases closed because their provider left") \
    X(LEASES_UNFUNDED, "leases_unfunded", "leases/day", "funded leases whose tenants stopped topping up: liquid AKT could not cover the day's top-ups") \
    X(SPEND_USD, "spend_usd", "USD/day", "tenant spend: paid out of escrow during the day")               \
    X(SPEND_AKT_USD, "spend_akt_usd", "USD/day", "tenant spend on AKT-priced leases, at the day's price") \
    X(SPEND_USDC_USD, "spend_usdc_usd", "USD/day", "tenant spend on USDC-priced leases")                  \
    X(SPEND_ACT_USD, "spend_act_usd", "USD/day", "tenant spend on ACT-priced leases (the BME era)")      \
    X(TAKE_FEES_USD, "take_fees_usd", "USD/day", "take fees to the community pool")                      \
    X(TAKE_FEES_AKT, "take_fees_akt", "AKT/day", "take fees paid in AKT to the community pool")          \
    X(PROVIDER_REVENUE_USD, "provider_revenue_usd", "USD/day", "providers' earnings net of take fees")    \
    X(PROVIDER_COST_USD, "provider_cost_usd", "USD/day", "providers' capacity costs")                    \
    X(PROVIDER_PROFIT_USD, "provider_profit_usd", "USD/day", "provider revenue - provider cost")         \
    X(ESCROW_AKT, "escrow_akt", "AKT", "AKT held in lease escrow at the end of the day")                 \
    X(INCENTIVE_PAID_USD, "incentive_paid_usd", "USD/day", "provider incentive programme paid by the community pool") \
    X(POOL_SPEND_USD, "pool_spend_usd", "USD/day", "community pool spending: incentives, burns, vault funding (at the day's price)")          \
    X(TENANTS, "tenants", "tenants", "tenant population (grows, and shrinks after bad experiences)")    \
    X(VAULT_AKT, "vault_akt", "AKT", "AKT in the BME vault at the end of the day")                       \
    X(ACT_OUTSTANDING, "act_outstanding", "ACT", "ACT in existence at the end of the day")               \
    X(COLLATERAL_RATIO, "collateral_ratio", "fraction", "BME vault AKT x price / ACT outstanding (0 when no ACT)") \
    X(BME_AKT_IN, "bme_akt_in", "AKT/day", "AKT tenants turned into ACT (vaulted, or burned under bme.true_burn)") \
    X(BME_AKT_OUT, "bme_akt_out", "AKT/day", "AKT paid to providers for their ACT")                     \
    X(BME_AKT_REMINTED, "bme_akt_reminted", "AKT/day", "of bme_akt_out, AKT newly minted (beyond the vault's credits)") \
    X(BURN_MINT_RATIO, "burn_mint_ratio", "fraction", "AKT burned / AKT minted during the day (mint and BME remint)")

#define METRIC_ENUM_(id, name, unit, desc) M_##id,
#define CLASS_ENUM_(id, name, metric, unit, gpu) \
    M_CAPACITY_##id, M_LEASED_##id, M_UTILISATION_##id, M_PRICE_##id, M_DISCOUNT_##id,
typedef enum {
    CORE_METRICS(METRIC_ENUM_)
    RESOURCE_CLASSES(CLASS_ENUM_)
    METRIC_COUNT
} metric_id_t;
#undef METRIC_ENUM_
#undef CLASS_ENUM_

#define METRICS_PER_CLASS 5

typedef struct {
    const char *name;
    const char *unit;
    const char *description;
} metric_def_t;

extern const metric_def_t metric_table[METRIC_COUNT];

/* The metric called `name`, or -1. */
int metric_find(const char *name);

/* The metric name nearest to `name` (an edit or two away, as --set's
 * suggestions are), or NULL when none is near: for "did you mean". */
const char *metric_suggest(const char *name);

#endif
