/*
 * The parameter registry's table (params.h): every parameter's name, type,
 * default, range, unit and one-line meaning, looked up by name. Sources for
 * every default are in docs/model.md; the "doc" strings are what `tokensim
 * params` prints. Values are parsed and formatted in params_value.c; the rules
 * between parameters are in params_rules.c, the day-0 checks in params_check.c.
 */
#include "params.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

#define F(field) offsetof(params_t, field), sizeof(((params_t *)0)->field)

static const param_def_t table[] = {
    /* run-level settings */
    {"name", PARAM_TEXT, F(name), 0, "unnamed", 0, 0, NULL, "-", "scenario name, used in output file names and titles"},
    {"description", PARAM_TEXT, F(description), 0, "", 0, 0, NULL, "-", "one-line description of the scenario"},
    {"start_date", PARAM_DATE, F(start_date), 0, "2024-03-20", 0, 0, NULL, "date", "calendar date of day 0 (YYYY-MM-DD)"},
    {"seed", PARAM_INT, F(seed), 20240320, NULL, 0, 9007199254740991.0, NULL, "-", "master random seed; run k of any campaign uses streams derived from (seed, k, purpose)"},
    {"runs", PARAM_INT, F(runs), 200, NULL, 1, 10000000, NULL, "runs", "number of Monte Carlo replications"},
    {"days", PARAM_INT, F(days), 1825, NULL, 1, MAX_DAYS, NULL, "days", "simulated horizon"},

    {"chain.block_time_s", PARAM_REAL, F(chain.block_time_s), 6.0, NULL, 0.1, 600, NULL, "s", "average block time; sets the number of blocks minted per day"},

    {"supply.total_akt", PARAM_AMOUNT, F(supply.total_uakt), 230816799, NULL, 1, 1e12, NULL, "AKT", "total supply on day 0"},
    {"supply.bonded_ratio", PARAM_REAL, F(supply.bonded_ratio), 0.578, NULL, 0, 1, NULL, "fraction", "share of supply bonded (staked) on day 0"},
    {"supply.community_pool_akt", PARAM_AMOUNT, F(supply.community_pool_uakt), 10000000, NULL, 0, 1e12, NULL, "AKT", "community pool balance on day 0"},

    {"supply.max_akt", PARAM_AMOUNT, F(supply.max_uakt), 0, NULL, 0, 1e12, NULL, "AKT", "cap on the supply the inflation mint may reach (0: none; the chain enforces none)"},
    {"mint.model", PARAM_ENUM, F(mint.model), 0, "cosmos", 0, 0, "cosmos|fixed|whitepaper", "-", "inflation rule: cosmos x/mint, a fixed rate, or the whitepaper's halving emission"},
    {"mint.inflation", PARAM_REAL, F(mint.inflation), 0.15, NULL, 0, 1, NULL, "1/yr", "inflation rate on day 0 (cosmos) or constant rate (fixed)"},
    {"mint.inflation_min", PARAM_REAL, F(mint.inflation_min), 0.13, NULL, 0, 1, NULL, "1/yr", "cosmos x/mint lower clamp on the inflation rate"},
    {"mint.inflation_max", PARAM_REAL, F(mint.inflation_max), 0.20, NULL, 0, 1, NULL, "1/yr", "cosmos x/mint upper clamp on the inflation rate"},
    {"mint.rate_change", PARAM_REAL, F(mint.rate_change), 1.0, NULL, 0, 1, NULL, "1/yr", "cosmos x/mint maximum yearly change of the inflation rate"},
    {"mint.goal_bonded", PARAM_REAL, F(mint.goal_bonded), 0.67, NULL, 0.000001, 1, NULL, "fraction", "cosmos x/mint bonded-ratio goal"},
    {"mint.blocks_per_year", PARAM_INT, F(mint.blocks_per_year), 5256000, NULL, 1, 1e9, NULL, "blocks/yr", "cosmos x/mint blocks_per_year parameter (divides annual provisions)"},
    {"mint.exact_blocks", PARAM_BOOL, F(mint.exact_blocks), 0, NULL, 0, 1, NULL, "-", "step the mint block by block (slow reference) instead of by day"},
    {"mint.whitepaper_initial_supply_akt", PARAM_AMOUNT, F(mint.wp_initial_supply_uakt), 100000000, NULL, 1, 1e12, NULL, "AKT", "whitepaper M0: supply at genesis"},
    {"mint.whitepaper_initial_rate", PARAM_REAL, F(mint.wp_initial_rate), 1.0, NULL, 0, 10, NULL, "1/yr", "whitepaper i0: emission at genesis as a share of M0"},
    {"mint.whitepaper_half_life_years", PARAM_REAL, F(mint.wp_half_life_years), 2.0, NULL, 0.01, 1000, NULL, "yr", "whitepaper T1/2: half-life of the emission"},
    {"mint.whitepaper_genesis_date", PARAM_DATE, F(mint.wp_genesis_date), 0, "2020-09-25", 0, 0, NULL, "date", "whitepaper t = 0 (akashnet-1 genesis)"},

    {"distribution.community_tax", PARAM_REAL, F(distribution.community_tax), 0.40, NULL, 0, 1, NULL, "fraction", "share of minted tokens sent to the community pool"},
    {"distribution.validator_commission", PARAM_REAL, F(distribution.validator_commission), 0.05, NULL, 0, 1, NULL, "fraction", "average validator commission on staking rewards"},

    {"staking.model", PARAM_ENUM, F(staking.model), 0, "apr_response", 0, 0, "apr_response|fixed", "-", "bonded-ratio behaviour: respond to the APR gap, or hold the day-0 ratio"},
    {"staking.required_yield", PARAM_REAL, F(staking.required_yield), 0.148, NULL, 0.0001, 10, NULL, "1/yr", "median staking APR that holders require to stay bonded (outside yield plus risk premium)"},
    {"staking.response_per_year", PARAM_REAL, F(staking.response_per_year), 0.5, NULL, 0, 365, NULL, "1/yr", "share of the eligible balance that moves per year when the APR gap is 100 %"},
    {"staking.yield_volatility", PARAM_REAL, F(staking.yield_volatility), 0.25, NULL, 0, 10, NULL, "1/sqrt(yr)", "volatility of the log required yield (an Ornstein-Uhlenbeck process)"},
    {"staking.yield_reversion_per_year", PARAM_REAL, F(staking.yield_reversion_per_year), 2.0, NULL, 0, 365, NULL, "1/yr", "mean-reversion speed of the log required yield"},
    {"staking.restake_share", PARAM_REAL, F(staking.restake_share), 0.5, NULL, 0, 1, NULL, "fraction", "share of delegator rewards bonded again at once"},
    {"staking.unbonding_days", PARAM_INT, F(staking.unbonding_days), 21, NULL, 0, 365, NULL, "days", "unbonding period before unbonded tokens become liquid"},
    {"staking.holder_groups", PARAM_INT, F(staking.holder_groups), 1, NULL, 1, PARAMS_MAX_HOLDER_GROUPS, NULL, "groups", "apr_response: holders form this many groups of equal day-0 wealth, each with its own required yield (1: one aggregate holder)"},
    {"staking.yield_dispersion", PARAM_REAL, F(staking.yield_dispersion), 0.0, NULL, 0, 5, NULL, "-", "log-sd of the required yield across holder groups: group g requires required_yield x exp(dispersion x z_g), z_g the normal quantile at (g + 1/2) / groups"},


    /* resource classes: resources.<class>.<key> (core/resources.h lists the classes) */
#define RES(id, nm, cloud, cap, ratio, cost, share, size, sigma, maxr, dur, incent)                                      \
    {"resources." nm ".cloud_usd_per_hour", PARAM_REAL, F(resources[RES_##id].cloud_usd_per_hour), cloud, NULL, 0, 1000, NULL, "USD/unit-h", "centralised-cloud reference price of one unit-hour"}, \
    {"resources." nm ".capacity", PARAM_REAL, F(resources[RES_##id].capacity), cap, NULL, 0, 1e9, NULL, "units", "units offered by all providers on day 0 (whole units)"}, \
    {"resources." nm ".price_ratio", PARAM_REAL, F(resources[RES_##id].price_ratio), ratio, NULL, 0.0001, 100, NULL, "fraction", "providers' typical day-0 price / cloud reference"}, \
    {"resources." nm ".cost_usd_per_unit_day", PARAM_REAL, F(resources[RES_##id].cost_usd_per_unit_day), cost, NULL, 0, 1e6, NULL, "USD/unit-day", "provider cost of a unit of capacity, leased or not (amortisation, power)"}, \
    {"resources." nm ".demand_share", PARAM_REAL, F(resources[RES_##id].demand_share), share, NULL, 0, 1, NULL, "fraction", "share of new orders asking for this class"}, \
    {"resources." nm ".order_units_median", PARAM_REAL, F(resources[RES_##id].order_units_median), size, NULL, 0.1, 1e6, NULL, "units", "median order size (lognormal)"}, \
    {"resources." nm ".order_units_sigma", PARAM_REAL, F(resources[RES_##id].order_units_sigma), sigma, NULL, 0, 5, NULL, "-", "log-sd of the order size"}, \
    {"resources." nm ".max_price_ratio", PARAM_REAL, F(resources[RES_##id].max_price_ratio), maxr, NULL, 0, 100, NULL, "fraction", "tenants' median maximum price / cloud reference"}, \
    {"resources." nm ".duration_median_days", PARAM_REAL, F(resources[RES_##id].duration_median_days), dur, NULL, 0.01, MAX_DAYS, NULL, "days", "median lease duration (lognormal)"}, \
    {"resources." nm ".incentive_eligible", PARAM_BOOL, F(resources[RES_##id].incentive_eligible), incent, NULL, 0, 1, NULL, "-", "capacity of this class is paid by the provider incentive programme (pool.incentive_*)"},
    /*   class        cloud  capacity ratio  cost    share  size sigma maxr days incentive */
    RES(CPU, "cpu",         0.04, 17700, 0.040, 0.0115, 0.97,  0.5, 1.0, 0.07, 5.5, 0)
    RES(H100, "h100",       3.90,    20, 0.40, 11.2,   0.003, 1.0, 0.6, 0.65, 1.6, 1)
    RES(A100, "a100",       1.80,    60, 0.40,  5.2,   0.008, 1.0, 0.6, 0.65, 1.6, 1)
    RES(A6000, "rtx_a6000", 0.80,    80, 0.40,  2.3,   0.010, 1.0, 0.6, 0.65, 1.6, 1)
    RES(V100, "v100",       0.55,    98, 0.35,  1.4,   0.009, 1.0, 0.6, 0.65, 1.6, 0)
#undef RES

    {"price.mode", PARAM_ENUM, F(price.mode), 0, "exogenous", 0, 0, "exogenous|coupled|series", "-", "exogenous: drift, volatility and jumps only; coupled: net AKT flows move the next day's price; series: the observed prices of price.series_file, a Brownian bridge between them, then exogenous"},
    {"price.series_file", PARAM_TEXT, F(price.series_file), 0, "", 0, 0, NULL, "path", "CSV of observed prices (columns date, usd, source, optional note), relative to the scenario file (to the working directory with --set); read at load"},
    {"price.initial_usd", PARAM_REAL, F(price.initial_usd), 5.0, NULL, 1e-6, 1e6, NULL, "USD/AKT", "AKT price on day 0 (ignored in price.mode series: the series' price on start_date)"},
    {"price.drift_per_year", PARAM_REAL, F(price.drift_per_year), 0.0, NULL, -5, 5, NULL, "1/yr", "drift mu of the log price: E[P_t] = P_0 exp(mu t)"},
    {"price.volatility_per_year", PARAM_REAL, F(price.volatility_per_year), 0.9, NULL, 0, 10, NULL, "1/sqrt(yr)", "volatility of the log price"},
    {"price.jumps_per_year", PARAM_REAL, F(price.jumps_per_year), 0.0, NULL, 0, 365, NULL, "1/yr", "rate of price jumps (Poisson)"},
    {"price.jump_mean", PARAM_REAL, F(price.jump_mean), 0.0, NULL, -5, 5, NULL, "-", "mean log size of a jump"},
    {"price.jump_sd", PARAM_REAL, F(price.jump_sd), 0.2, NULL, 0, 5, NULL, "-", "sd of the log size of a jump"},
    {"price.liquidity_depth_usd", PARAM_REAL, F(price.liquidity_depth_usd), 5000000, NULL, 1, 1e15, NULL, "USD", "coupled mode: a net flow worth this many USD moves the log price by 1"},
    {"price.max_daily_impact", PARAM_REAL, F(price.max_daily_impact), 0.5, NULL, 0, 10, NULL, "-", "coupled mode: bound on a day's flow impact on the log price"},

    {"flows.delegator_sell_share", PARAM_REAL, F(flows.delegator_sell_share), 0.5, NULL, 0, 1, NULL, "fraction", "share of liquid (not restaked) delegator rewards sold the same day"},
    {"flows.outside_buy_usd_per_day", PARAM_REAL, F(flows.outside_buy_usd_per_day), 0.0, NULL, 0, 1e12, NULL, "USD/day", "AKT bought by investors and traders, at the day's price (the buyers that balance sellers in the coupled mode)"},
    {"flows.validator_sell_share", PARAM_REAL, F(flows.validator_sell_share), 0.5, NULL, 0, 1, NULL, "fraction", "share of validator commission sold the same day"},

    {"market.payment", PARAM_ENUM, F(market.payment), 0, "take", 0, 0, "take|bme", "-", "payment regime on day 0: take (AKT and USDC leases, x/take fees) or bme (ACT leases, burn-mint equilibrium, AEP-76)"},
    {"market.take_rate_akt", PARAM_REAL, F(market.take_rate_akt), 0.04, NULL, 0, 1, NULL, "fraction", "x/take fee on AKT lease payments, to the community pool"},
    {"market.take_rate_usdc", PARAM_REAL, F(market.take_rate_usdc), 0.20, NULL, 0, 1, NULL, "fraction", "x/take fee on USDC lease payments, to the community pool"},
    {"market.max_bids", PARAM_INT, F(market.max_bids), 20, NULL, 1, 500, NULL, "bids", "bids an order accepts (x/market OrderMaxBids)"},
    {"market.usdc_share", PARAM_REAL, F(market.usdc_share), 0.4, NULL, 0, 1, NULL, "fraction", "share of orders priced and paid in USDC"},
    {"market.order_retry_days", PARAM_INT, F(market.order_retry_days), 2, NULL, 0, 365, NULL, "days", "days an unfilled order waits for a bid before the tenant gives up"},
    {"market.mode", PARAM_ENUM, F(market.mode), 0, "exact", 0, 0, "exact|cohorts", "-", "exact: every order is its own agent (the reference); cohorts: each class's orders of a day in about 64 cohorts (tenants.cohorts_per_day, when not set), for large campaigns; its differences from exact (up to about 2 % in a market metric; the token economy exact to sampling error) are in docs/model.md §9.4"},
    {"market.pick_rule", PARAM_ENUM, F(market.pick_rule), 0, "lowest", 0, 0, "lowest|weighted", "-", "tenant's choice: lowest price, or lowest price / reliability^w"},
    {"market.reliability_weight", PARAM_REAL, F(market.reliability_weight), 2.0, NULL, 0, 100, NULL, "-", "w of the weighted pick rule"},
    {"market.deposit_days", PARAM_REAL, F(market.deposit_days), 7.0, NULL, 1, 3650, NULL, "days", "escrow deposit at lease start, in days of the lease's rate"},
    {"market.min_deposit_akt", PARAM_AMOUNT, F(market.min_deposit_uakt), 0.5, NULL, 0, 1e6, NULL, "AKT", "minimum deployment deposit in AKT (Prop 248, March 2024)"},
    {"market.min_deposit_usdc", PARAM_AMOUNT, F(market.min_deposit_uusdc), 5, NULL, 0, 1e6, NULL, "USDC", "minimum deployment deposit in USDC"},
    {"market.max_leases", PARAM_INT, F(market.max_leases), 300000, NULL, 1, 1e8, NULL, "leases", "size of the lease table of each run (memory: 64 bytes a lease per thread)"},

    {"providers.initial", PARAM_INT, F(providers.initial), 70, NULL, 0, 1e6, NULL, "providers", "providers on day 0"},
    {"providers.max", PARAM_INT, F(providers.max), 1000, NULL, 1, 1e7, NULL, "providers", "most providers a run can hold (entrants beyond are turned away)"},
    {"providers.gpu_share", PARAM_REAL, F(providers.gpu_share), 0.3, NULL, 0, 1, NULL, "fraction", "share of providers that offer GPUs (one GPU class each)"},
    {"providers.size_sigma", PARAM_REAL, F(providers.size_sigma), 1.0, NULL, 0, 5, NULL, "-", "log-sd of provider sizes"},
    {"providers.markup_initial_min", PARAM_REAL, F(providers.markup_initial_min), 0.7, NULL, 0.001, 1000, NULL, "-", "day-0 price multiplier on the class's typical price: lower end"},
    {"providers.markup_initial_max", PARAM_REAL, F(providers.markup_initial_max), 1.3, NULL, 0.001, 1000, NULL, "-", "day-0 price multiplier: upper end"},
    {"providers.markup_min", PARAM_REAL, F(providers.markup_min), 0.6, NULL, 0.001, 1000, NULL, "-", "lowest price multiplier a provider will go to"},
    {"providers.markup_max", PARAM_REAL, F(providers.markup_max), 3.0, NULL, 0.001, 1000, NULL, "-", "highest price multiplier"},
    {"providers.markup_adapt_per_day", PARAM_REAL, F(providers.markup_adapt_per_day), 0.01, NULL, 0, 10, NULL, "1/day", "daily log change of the multiplier per unit of utilisation above target"},
    {"providers.target_utilisation", PARAM_REAL, F(providers.target_utilisation), 0.5, NULL, 0, 1, NULL, "fraction", "utilisation at which a provider keeps its price"},
    {"providers.reliability_min", PARAM_REAL, F(providers.reliability_min), 0.9, NULL, 0.01, 1, NULL, "fraction", "reliabilities are uniform in [reliability_min, 1]"},
    {"providers.entry_per_day", PARAM_REAL, F(providers.entry_per_day), 0.05, NULL, 0, 1e4, NULL, "providers/day", "arrival rate of new providers at a break-even market"},
    {"providers.entry_profit_sensitivity", PARAM_REAL, F(providers.entry_profit_sensitivity), 1.0, NULL, 0, 100, NULL, "-", "entry rate x (1 + sensitivity x market profit margin)"},
    {"providers.exit_loss_days", PARAM_INT, F(providers.exit_loss_days), 180, NULL, 1, MAX_DAYS, NULL, "days", "a provider exits after this many days with a negative 30-day average profit"},

    {"providers.profit_average_days", PARAM_REAL, F(providers.profit_average_days), 30, NULL, 1, 3650, NULL, "days", "window of the exponential average of a provider's daily profit (drives exit and entry)"},
    {"providers.akt_sell_share", PARAM_REAL, F(providers.akt_sell_share), 1.0, NULL, 0, 1, NULL, "fraction", "share of AKT earnings providers sell the same day (to liquid holders), to pay costs in USD"},

    {"tenants.orders_per_day", PARAM_REAL, F(tenants.orders_per_day), 800, NULL, 0, 1e7, NULL, "orders/day", "new orders a day on day 0 (before seasonality and shocks)"},
    {"tenants.growth_per_year", PARAM_REAL, F(tenants.growth_per_year), 0.5, NULL, -0.99, 100, NULL, "1/yr", "growth of the tenant population (and so of orders)"},
    {"tenants.seasonality_amplitude", PARAM_REAL, F(tenants.seasonality_amplitude), 0.1, NULL, 0, 1, NULL, "fraction", "amplitude of the yearly cycle of orders"},
    {"tenants.seasonality_peak_day", PARAM_INT, F(tenants.seasonality_peak_day), 0, NULL, 0, 365, NULL, "day", "day of the year's peak, counted from start_date"},
    {"tenants.shock_volatility", PARAM_REAL, F(tenants.shock_volatility), 0.2, NULL, 0, 5, NULL, "-", "log-sd of the daily demand shock (mean-one lognormal)"},
    {"tenants.duration_sigma", PARAM_REAL, F(tenants.duration_sigma), 1.5, NULL, 0, 5, NULL, "-", "log-sd of lease durations (heavy tail)"},
    {"tenants.max_price_sigma", PARAM_REAL, F(tenants.max_price_sigma), 0.3, NULL, 0, 5, NULL, "-", "log-sd of a tenant's maximum price around the class's"},
    {"tenants.cohort_single_share", PARAM_REAL, F(tenants.cohort_single_share), 0.05, NULL, 0, 0.5, NULL, "fraction", "with cohorts of more than one order: orders whose size falls in this top share of the size law stay single (grouped, the day's few large orders wanted one size of the scarce large free capacity at once and filled too rarely; docs/model.md §9.4)"},
    {"tenants.unfunded_share", PARAM_REAL, F(tenants.unfunded_share), 0.2, NULL, 0, 1, NULL, "fraction", "share of leases whose tenant never tops up: they close overdrawn"},
    {"tenants.churn_probability", PARAM_REAL, F(tenants.churn_probability), 0.1, NULL, 0, 1, NULL, "fraction", "chance that a tenant leaves after a bad experience"},
    {"tenants.population", PARAM_REAL, F(tenants.population), 5000, NULL, 1, 1e9, NULL, "tenants", "tenants on day 0 (sets the scale of churn)"},
    {"tenants.max_orders_per_day", PARAM_INT, F(tenants.max_orders_per_day), 100000, NULL, 1, 1e7, NULL, "orders/day", "size of the order queue per day of waiting, in orders (cohorts with tenants.cohorts_per_day; a run stops with an error beyond it; akash-2024 exceeds 20,000 on some days of year ten)"},
    {"tenants.cohorts_per_day", PARAM_INT, F(tenants.cohorts_per_day), 0, NULL, 0, PARAMS_MAX_COHORTS, NULL, "cohorts/day", "0: every order is its own agent (unless market.mode is cohorts: 64); K > 0: a class's n new orders of a day form cohorts of ceil(n/K) orders (about K cohorts) sharing a size, their deployments' maximum prices and durations spread over the laws, the largest orders single (tenants.cohort_single_share; docs/model.md §9.4)"},
    {"tenants.gpu_cohorts_per_day", PARAM_INT, F(tenants.gpu_cohorts_per_day), 0, NULL, 0, PARAMS_MAX_COHORTS, NULL, "cohorts/day", "K of each GPU class when cohorts are on (0: tenants.cohorts_per_day); GPU classes get fewer than 64 orders a day, so only a smaller K groups them (docs/model.md §9.4)"},

    {"bme.start_day", PARAM_INT, F(bme.start_day), 0, NULL, 0, MAX_DAYS, NULL, "day", "day the chain switches from take to bme (0: no switch; 2026-03-23 on mainnet)"},
    {"bme.mint_spread_bps", PARAM_REAL, F(bme.mint_spread_bps), 25, NULL, 0, 1000, NULL, "bps", "spread kept by the vault when AKT is turned into ACT (x/bme mint_spread_bps)"},
    {"bme.settle_spread_bps", PARAM_REAL, F(bme.settle_spread_bps), 0, NULL, 0, 1000, NULL, "bps", "spread when providers turn ACT into AKT (x/bme settle_spread_bps)"},
    {"bme.cr_warn", PARAM_REAL, F(bme.cr_warn), 0.95, NULL, 0, 100, NULL, "fraction", "collateral ratio below which the circuit breaker warns"},
    {"bme.cr_halt", PARAM_REAL, F(bme.cr_halt), 0.90, NULL, 0, 100, NULL, "fraction", "collateral ratio at or below which new ACT mints halt (new deployments wait)"},
    {"bme.vault_seed_akt", PARAM_AMOUNT, F(bme.vault_seed_uakt), 300000, NULL, 0, 1e12, NULL, "AKT", "AKT moved from the community pool into the vault when BME starts (v2.0.0 upgrade)"},
    {"bme.min_deposit_act", PARAM_AMOUNT, F(bme.min_deposit_uact), 0.5, NULL, 0, 1e6, NULL, "ACT", "minimum deployment deposit in ACT (v2.0.0)"},
    {"bme.true_burn", PARAM_BOOL, F(bme.true_burn), 0, NULL, 0, 1, NULL, "-", "burn the AKT turned into ACT (the AEP's reading) instead of holding it in the vault (the code's)"},

    {"pool.incentive_start_day", PARAM_INT, F(pool.incentive_start_day), 0, NULL, 0, MAX_DAYS, NULL, "day", "first day of the provider incentive programme"},
    {"pool.incentive_days", PARAM_INT, F(pool.incentive_days), 0, NULL, 0, MAX_DAYS, NULL, "days", "length of the programme (0: none)"},
    {"pool.incentive_usd_total", PARAM_REAL, F(pool.incentive_usd_total), 0, NULL, 0, 1e12, NULL, "USD", "budget, paid evenly over its days in AKT from the community pool to providers of eligible classes, pro rata to their capacity"},

    {"pool.burn_day", PARAM_INT, F(pool.burn_day), 0, NULL, 0, MAX_DAYS, NULL, "day", "day of a governance burn of community-pool AKT (0: none)"},
    {"pool.burn_akt", PARAM_AMOUNT, F(pool.burn_uakt), 0, NULL, 0, 1e12, NULL, "AKT", "AKT burned from the pool that day (what it holds at most)"},
    {"pool.vault_funding_day", PARAM_INT, F(pool.vault_funding_day), 0, NULL, 0, MAX_DAYS, NULL, "day", "day the pool funds the BME vault (MsgFundVault; 0: none)"},
    {"pool.vault_funding_akt", PARAM_AMOUNT, F(pool.vault_funding_uakt), 0, NULL, 0, 1e12, NULL, "AKT", "AKT moved from the pool to the vault that day (what it holds at most)"},

    {"output.record_every_days", PARAM_INT, F(output.record_every_days), 1, NULL, 1, MAX_DAYS, NULL, "days", "record metrics every N days (day 0 and the last day always)"},
    {"output.dtype", PARAM_ENUM, F(output.dtype), 0, "float64", 0, 0, "float64|float32", "-", "storage type of /runs: float64, or float32 (half the file, about 7 significant digits; /summary stays float64)"},
    {"output.compression", PARAM_ENUM, F(output.compression), 0, "deflate", 0, 0, "deflate|blosc", "-", "compression of /runs: deflate (HDF5's shuffle + deflate filters, read by any HDF5 reader), or blosc (lz4 with Blosc's shuffle: faster, larger; readers need HDF5's Blosc filter plugin, docs/output.md)"},
};

#define NTABLE (sizeof table / sizeof table[0])

const param_def_t *params_table(size_t *count)
{
    *count = NTABLE;
    return table;
}

const param_def_t *params_find(const char *name)
{
    for (size_t i = 0; i < NTABLE; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

int64_t params_cohorts_k(const params_t *p)
{
    if (p->tenants.cohorts_per_day > 0)
        return p->tenants.cohorts_per_day;
    return p->market.mode == MARKET_COHORTS ? PARAMS_COHORTS_K : 0;
}

const char *params_suggest(const char *name)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t len = strlen(name);
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; i < NTABLE; i++) {
        size_t d = text_edit_distance(name, len, table[i].name, strlen(table[i].name));
        /* also compare the last component alone: "mint.inflation_mx" vs "inflation_max" */
        const char *tdot = strrchr(table[i].name, '.');
        if (dot && tdot) {
            size_t d2 = text_edit_distance(dot + 1, strlen(dot + 1), tdot + 1, strlen(tdot + 1));
            size_t slen = (size_t)(dot - name);
            /* a key under another section costs two more edits */
            if (d2 != SIZE_MAX &&
                (slen != (size_t)(tdot - table[i].name) || strncmp(name, table[i].name, slen) != 0))
                d2 += 2;
            if (d2 < d) d = d2;
        }
        if (d < best_d) {
            best_d = d;
            best = table[i].name;
        }
    }
    return text_near(len, best_d) ? best : NULL;
}

void params_defaults(params_t *p)
{
    memset(p, 0, sizeof *p);
    char msg[256], text[64];
    for (size_t i = 0; i < NTABLE; i++) {
        const param_def_t *d = &table[i];
        const char *t = d->def_text;
        if (!t) {
            if (d->type == PARAM_BOOL)
                t = d->def != 0 ? "true" : "false";
            else {
                snprintf(text, sizeof text, "%.17g", d->def);
                t = text;
            }
        }
        /* the table is ours: a default that fails to parse is a bug caught by the tests */
        params_set_text(p, d, t, msg, sizeof msg);
    }
}

int params_is_fixed(const param_def_t *def)
{
    static const char *const fixed[] = {
        "name", "description", "start_date", "seed", "runs", "days", "supply.", "output.",
        "providers.initial", "providers.max", "providers.gpu_share", "providers.size_sigma",
        "providers.markup_initial_", "market.max_leases", "market.payment", "market.max_bids",
        "market.order_retry_days", "tenants.max_orders_per_day",
        "tenants.population", "staking.unbonding_days", "staking.holder_groups", "staking.model", "mint.exact_blocks", "mint.model",
        "mint.whitepaper_", "bme.start_day", "bme.vault_seed_akt", "price.initial_usd", "price.mode",
        "price.series_file",
        "mint.inflation",   /* the minter's day-0 rate (mint_init): the mint reads it once */
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        size_t n = strlen(fixed[i]);
        if (fixed[i][n - 1] == '.' || fixed[i][n - 1] == '_' ? strncmp(def->name, fixed[i], n) == 0
                                                             : strcmp(def->name, fixed[i]) == 0)
            return 1;
    }
    /* day-0 capacity of a class */
    const char *dot = strrchr(def->name, '.');
    return strncmp(def->name, "resources.", 10) == 0 && dot && strcmp(dot, ".capacity") == 0;
}
