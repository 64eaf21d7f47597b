/*
 * The parameter registry: every scenario parameter has exactly one entry here
 * (dotted name, type, default, allowed range, unit, one-line meaning).
 * Loading, validation, --set, `tokensim params`, docs and the provenance written
 * into output files all come from this table (scenarios/README.md's parameter
 * table is generated from it).
 *
 * Token amounts (type PARAM_AMOUNT) are written in AKT in scenario files and
 * stored exactly as integer base units (1 AKT = 1,000,000 uakt).
 *
 * Implemented by params.c (the table, lookup, defaults), params_value.c (values
 * as text), params_rules.c (the rules between parameters) and params_check.c
 * (the day-0 checks and the limits on sizes); dates in dates.h.
 */
#ifndef SIM_PARAMS_H
#define SIM_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dates.h"
#include "resources.h"
#include "units.h"

#define PARAMS_TEXT_MAX 256
#define PARAMS_DATE_MAX DATE_TEXT_MAX   /* "YYYY-MM-DD" + NUL */

typedef enum { MINT_COSMOS = 0, MINT_FIXED, MINT_WHITEPAPER } mint_model_t;
typedef enum { STAKING_APR_RESPONSE = 0, STAKING_FIXED } staking_model_t;
typedef enum { PICK_LOWEST = 0, PICK_WEIGHTED } pick_rule_t;
/* market.mode: every order its own agent, or orders in cohorts (docs/model.md §9.4) */
typedef enum { MARKET_EXACT = 0, MARKET_COHORTS } market_mode_t;
typedef enum { PRICE_EXOGENOUS = 0, PRICE_COUPLED, PRICE_SERIES } price_mode_t;
typedef enum { PAYMENT_TAKE = 0, PAYMENT_BME } payment_t;
typedef enum { DTYPE_FLOAT64 = 0, DTYPE_FLOAT32 } dtype_t;
typedef enum { COMPRESSION_DEFLATE = 0, COMPRESSION_BLOSC } compression_t;

/* Per resource class (resources.<class>.<key>). */
typedef struct {
    double cloud_usd_per_hour;      /* centralised-cloud reference price, USD per unit-hour */
    double capacity;                /* units offered on day 0, all providers together */
    double price_ratio;             /* providers' typical day-0 price / cloud reference */
    double cost_usd_per_unit_day;   /* provider cost: hardware amortisation and power */
    double demand_share;            /* share of new orders for this class */
    double order_units_median;      /* order size, units (lognormal median) */
    double order_units_sigma;       /* order size, log-sd */
    double max_price_ratio;         /* tenants' maximum price / cloud reference */
    double duration_median_days;    /* lease duration, lognormal median */
    bool incentive_eligible;        /* paid by the pool's provider incentive programme */
} resource_params_t;

/* Most cohorts a class's orders of a day may form (tenants.cohorts_per_day). */
#define PARAMS_MAX_COHORTS 4096

/* The K of market.mode cohorts when tenants.cohorts_per_day is not set: the
 * smallest of those measured whose bias meets the bar of docs/model.md §9.4
 * (make check-cohorts). */
#define PARAMS_COHORTS_K 64

/* Most holder groups a staking model may have (staking.holder_groups). */
#define PARAMS_MAX_HOLDER_GROUPS 16

/* A scheduled parameter change (a governance proposal passing): from step 1 of
 * `day` on, parameter `param` (an index into the registry) has `value`. */
#define PARAMS_MAX_EVENTS 128
#define PARAMS_EVENT_TEXT 128
typedef struct {
    int64_t day;
    int param;
    int line, col;                  /* where the file names the parameter (line 0: not from a file) */
    int file;                       /* which file: an index into params_t.event_file */
    char value[PARAMS_TEXT_MAX];
    char note[PARAMS_EVENT_TEXT];
} param_event_t;

/* An observed price path (price.mode series): dated AKT/USD prices, read from
 * price.series_file (core/pricefile.h) or given inline as price.series. Plain
 * data, so that params_t stays one block of bytes. */
#define PARAMS_MAX_PRICE_POINTS 1024
typedef struct {
    int64_t npoints;
    int64_t day[PARAMS_MAX_PRICE_POINTS];   /* days since 1970-01-01, strictly increasing */
    double usd[PARAMS_MAX_PRICE_POINTS];    /* USD per AKT, finite and > 0 */
} price_series_t;

/* The files events come from: a scenario and its chain of base files. Paths
 * are kept in place (params_t is plain data, sent between MPI ranks as bytes);
 * a longer one keeps its last characters. */
#define PARAMS_EVENT_FILES 9
#define PARAMS_EVENT_PATH 256

/* A sweep (scenarios/README.md, `tokensim sweep`): parameters and their
 * values; grid takes every combination, zip the i-th value of each; lhs and
 * sobol draw points in ranges; morris (elementary effects) and saltelli (Sobol
 * indices) are sensitivity designs over ranges, analysed at the sweep's outputs
 * and horizons (output/sensitivity.h). */
#define PARAMS_MAX_SWEEP 8
#define PARAMS_MAX_SWEEP_VALUES 64
typedef enum { SWEEP_NONE = 0, SWEEP_GRID, SWEEP_ZIP, SWEEP_LHS, SWEEP_SOBOL, SWEEP_MORRIS, SWEEP_SALTELLI } sweep_mode_t;
#define PARAMS_MAX_SWEEP_POINTS 4096
#define PARAMS_MAX_SWEEP_OUTPUTS 16     /* metrics analysed or tabulated */
#define PARAMS_MAX_SWEEP_HORIZONS 16
typedef struct {
    int mode;                       /* sweep_mode_t */
    size_t nparams;
    int param[PARAMS_MAX_SWEEP];    /* registry indices */
    size_t nvalues[PARAMS_MAX_SWEEP];
    char values[PARAMS_MAX_SWEEP][PARAMS_MAX_SWEEP_VALUES][48];
    double lo[PARAMS_MAX_SWEEP], hi[PARAMS_MAX_SWEEP];     /* lhs, sobol, morris, saltelli: ranges */
    size_t npoints;                 /* lhs, sobol: points to draw */
    size_t trajectories, levels;    /* morris: r trajectories of k + 1 points on a p-level grid */
    size_t samples;                 /* saltelli: N base samples, N (k + 2) points */
    size_t noutputs;                /* 0: the default metrics (sweep.h) */
    int output[PARAMS_MAX_SWEEP_OUTPUTS];           /* metric_table indices */
    size_t nhorizons;               /* 0: the last day */
    int64_t horizon[PARAMS_MAX_SWEEP_HORIZONS];     /* days */
} params_sweep_t;

/* The resolved scenario: plain data, shared read-only by every run. */
typedef struct {
    char name[PARAMS_TEXT_MAX];
    char description[PARAMS_TEXT_MAX];
    char start_date[PARAMS_DATE_MAX];
    int64_t seed;
    int64_t runs;
    int64_t days;

    struct {
        double block_time_s;
    } chain;

    struct {
        int64_t total_uakt;
        double bonded_ratio;
        int64_t community_pool_uakt;
        int64_t max_uakt;           /* 0: no cap */
    } supply;

    struct {
        int model;                  /* mint_model_t */
        double inflation;           /* initial (cosmos) or constant (fixed) rate, 1/yr */
        double inflation_min;
        double inflation_max;
        double rate_change;
        double goal_bonded;
        int64_t blocks_per_year;
        bool exact_blocks;
        int64_t wp_initial_supply_uakt;
        double wp_initial_rate;
        double wp_half_life_years;
        char wp_genesis_date[PARAMS_DATE_MAX];
    } mint;

    struct {
        double community_tax;
        double validator_commission;
    } distribution;

    struct {
        int model;                  /* staking_model_t */
        double required_yield;
        double response_per_year;
        double yield_volatility;
        double yield_reversion_per_year;
        double restake_share;
        int64_t unbonding_days;
        int64_t holder_groups;      /* apr_response: groups of holders with spread required yields */
        double yield_dispersion;    /* log-sd of the required yield across the groups */
    } staking;

    resource_params_t resources[RES_COUNT];

    struct {
        int mode;                   /* price_mode_t */
        double initial_usd;
        double drift_per_year;
        double volatility_per_year;
        double jumps_per_year;
        double jump_mean;
        double jump_sd;
        double liquidity_depth_usd;
        double max_daily_impact;
        char series_file[PARAMS_TEXT_MAX];  /* where the series came from ("": none) */
        price_series_t series;
    } price;

    struct {
        double delegator_sell_share;
        double validator_sell_share;
        double outside_buy_usd_per_day;
    } flows;

    struct {
        int payment;                /* payment_t on day 0 */
        double take_rate_akt;
        double take_rate_usdc;
        int64_t max_bids;
        double usdc_share;
        int64_t order_retry_days;
        int pick_rule;              /* pick_rule_t */
        int mode;                   /* market_mode_t */
        double reliability_weight;
        double deposit_days;
        int64_t min_deposit_uakt;
        int64_t min_deposit_uusdc;
        int64_t max_leases;
    } market;

    struct {
        int64_t initial;
        int64_t max;
        double gpu_share;
        double size_sigma;
        double markup_initial_min;
        double markup_initial_max;
        double markup_min;
        double markup_max;
        double markup_adapt_per_day;
        double target_utilisation;
        double reliability_min;
        double entry_per_day;
        double entry_profit_sensitivity;
        int64_t exit_loss_days;
        double profit_average_days;
        double akt_sell_share;
    } providers;

    struct {
        double orders_per_day;
        double growth_per_year;
        double seasonality_amplitude;
        int64_t seasonality_peak_day;
        double shock_volatility;
        double duration_sigma;
        double max_price_sigma;
        double unfunded_share;
        double cohort_single_share;     /* with cohorts: the top share of the size law kept single */
        double churn_probability;
        double population;
        int64_t max_orders_per_day;
        int64_t cohorts_per_day;    /* 0: every order its own agent */
        int64_t gpu_cohorts_per_day;    /* the GPU classes' (0: cohorts_per_day) */
    } tenants;

    struct {
        int64_t start_day;
        double mint_spread_bps;
        double settle_spread_bps;
        double cr_warn;
        double cr_halt;
        int64_t vault_seed_uakt;
        int64_t min_deposit_uact;
        bool true_burn;
    } bme;

    struct {
        int64_t incentive_start_day;
        int64_t incentive_days;
        double incentive_usd_total;
        int64_t burn_day;
        int64_t burn_uakt;
        int64_t vault_funding_day;
        int64_t vault_funding_uakt;
    } pool;

    struct {
        int64_t record_every_days;
        int dtype;                  /* dtype_t */
        int compression;            /* compression_t */
    } output;

    size_t nevents;                 /* in the order of the file; applied by day */
    param_event_t events[PARAMS_MAX_EVENTS];
    size_t nevent_files;
    char event_file[PARAMS_EVENT_FILES][PARAMS_EVENT_PATH];

    params_sweep_t sweep;
} params_t;

typedef enum {
    PARAM_REAL,     /* double */
    PARAM_INT,      /* int64_t */
    PARAM_BOOL,     /* bool */
    PARAM_ENUM,     /* int, index into choices */
    PARAM_TEXT,     /* char[size] */
    PARAM_DATE,     /* char[PARAMS_DATE_MAX], YYYY-MM-DD */
    PARAM_AMOUNT    /* int64_t base units; written in whole tokens with up to 6 decimals */
} param_type_t;

typedef struct {
    const char *name;       /* dotted: "mint.inflation_max"; top-level names have no dot */
    param_type_t type;
    size_t offset;          /* offsetof(params_t, ...) */
    size_t size;            /* sizeof the field (bounds text copies) */
    double def;             /* default for numeric types (AMOUNT: in tokens) */
    const char *def_text;   /* default for TEXT, DATE, ENUM */
    double min, max;        /* allowed closed range for numeric types (AMOUNT: in tokens) */
    const char *choices;    /* ENUM: "cosmos|fixed|whitepaper" */
    const char *unit;
    const char *doc;
} param_def_t;

/* ---- the table (params.c) ---- */

/* The cohorts' K in force: tenants.cohorts_per_day, else PARAMS_COHORTS_K
 * under market.mode cohorts, else 0 (every order its own agent). */
int64_t params_cohorts_k(const params_t *p);

/* The whole table, in documentation order. */
const param_def_t *params_table(size_t *count);

/* The entry for a dotted name, or NULL. */
const param_def_t *params_find(const char *name);

/* The closest registered name by edit distance, or NULL when nothing is close. */
const char *params_suggest(const char *name);

/* Every parameter at its default. */
void params_defaults(params_t *p);

/* Parameters that shape a run from its start (sizes, day-0 state, the horizon)
 * and so cannot be changed by an event. */
int params_is_fixed(const param_def_t *def);

/* ---- values as text (params_value.c) ---- */

/* Parse `text` as the value of `def` and store it in p. On failure writes a
 * message without location (e.g. "expected a number, got 'abc'") and returns -1. */
int params_set_text(params_t *p, const param_def_t *def, const char *text,
                    char *msg, size_t msglen);

/* The value of `def` in p as text that params_set_text reads back exactly. */
void params_format(const params_t *p, const param_def_t *def, char *buf, size_t len);

/* The numeric value of `def` in p (AMOUNT in tokens, BOOL 0/1, ENUM index);
 * NAN for TEXT and DATE. */
double params_value(const params_t *p, const param_def_t *def);

/* ---- the day-0 checks (params_check.c) ---- */

/* Checks that involve several parameters (e.g. inflation_min <= inflation_max):
 * the rules below on day 0, and the limits on sizes. On failure writes a
 * message naming the parameters, stores the name of the parameter to blame in
 * *blame (NULL: none), and returns -1. The days of the events are checked by
 * schedule_check (schedule.h). */
int params_check(const params_t *p, char *msg, size_t msglen, const char **blame);

/* params_check, and on failure *reads lists every parameter the failed check
 * reads, as params_check_rules gives it ("" when none): the loader places the
 * message at one the file set when it did not set the blamed one. */
int params_check_reads(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads);

/* ---- the rules between parameters (params_rules.c) ---- */

/* The rules between parameters that hold on every day of a run: on day 0
 * (params_check) and after each day's events (schedule_check). On failure as
 * params_check, and *reads lists the parameters the rule reads, separated by
 * blanks ("mint.inflation_min mint.inflation_max"; "*.demand_share" stands for
 * every name that ends so). */
int params_check_rules(const params_t *p, char *msg, size_t msglen, const char **blame, const char **reads);

/* 1 when the registry name `name` is among a rule's `reads`. */
int params_reads(const char *reads, const char *name);

/* ---- the limits on sizes (params_check.c) ---- */

/* Limits on sizes that decide memory and disk, refused by params_check with a
 * message that states them (instead of a failing malloc or a full disk hours
 * later). Each thread holds one run's tables; a campaign keeps every value. */
#define PARAMS_RUN_BYTES_MAX (4.0 * 1024 * 1024 * 1024)  /* one run's agent tables, bytes */
#define PARAMS_VALUES_MAX 1e9       /* runs x sweep points x recorded times, per metric */

/* One run's agent tables (providers, leases, the order queue, bids) for p:
 * their bytes, the parameter to lower when they are too many and those the
 * count reads, and a line of detail for the message. The models count them
 * (world_run_size); the program that links the models hands the count to the
 * registry with params_set_run_size, so that params_check refuses a scenario
 * too large for memory. Without it, the memory check is skipped. */
typedef struct {
    double bytes;
    const char *blame;
    const char *reads;
    char detail[256];
} params_run_size_t;
typedef void (*params_run_size_fn)(const params_t *p, params_run_size_t *out);
void params_set_run_size(params_run_size_fn fn);

#endif
