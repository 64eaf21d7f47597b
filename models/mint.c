/* Inflation rules; formulas and sources in mint.h and docs/model.md §2. */
#include "mint.h"
#include "units.h"

#include <math.h>

#define LN2 0.693147180559945309417232121458

static double clamp(double x, double lo, double hi)
{
    /* cosmos clamps the maximum first, then the minimum */
    if (x > hi) x = hi;
    if (x < lo) x = lo;
    return x;
}

int64_t mint_blocks_per_day(const params_t *p)
{
    return llround(SECONDS_PER_DAY / p->chain.block_time_s);
}

double mint_next_inflation(const params_t *p, double inflation, double bonded_ratio)
{
    double change_per_year = (1.0 - bonded_ratio / p->mint.goal_bonded) * p->mint.rate_change;
    double next = inflation + change_per_year / (double)p->mint.blocks_per_year;
    return clamp(next, p->mint.inflation_min, p->mint.inflation_max);
}

int64_t mint_block_provision(double inflation, int64_t supply_uakt, int64_t blocks_per_year)
{
    return (int64_t)(inflation * (double)supply_uakt / (double)blocks_per_year);
}

/* Sum over an increasing arithmetic sequence (d > 0): the terms below lo, the
 * terms above hi and the free middle are counted separately. */
static double clamped_sum_up(double i0, double d, int64_t n, double lo, double hi)
{
    /* terms k with i0 + k d < lo clamp to lo */
    double klo = ceil((lo - i0) / d) - 1.0;
    int64_t nlo = klo < 0 ? 0 : klo > (double)n ? n : (int64_t)klo;
    /* terms k with i0 + k d > hi clamp to hi */
    double khi = floor((hi - i0) / d);
    int64_t nhi = khi < 0 ? n : khi > (double)n ? 0 : n - (int64_t)khi;
    if (nlo + nhi > n) /* only when lo > hi, which validation forbids; keep the max-first order */
        nlo = n - nhi;
    int64_t a = nlo + 1, b = n - nhi;
    double mid = 0.0;
    if (b >= a)
        mid = (double)(b - a + 1) * i0 + d * (double)(a + b) * (double)(b - a + 1) / 2.0;
    return (double)nlo * lo + (double)nhi * hi + mid;
}

double mint_clamped_sum(double i0, double d, int64_t n, double lo, double hi)
{
    if (n <= 0)
        return 0.0;
    if (d == 0.0)
        return (double)n * clamp(i0, lo, hi);
    if (d > 0.0)
        return clamped_sum_up(i0, d, n, lo, hi);
    /* clamp(x, lo, hi) = -clamp(-x, -hi, -lo) turns a decreasing sequence into an increasing one */
    return -clamped_sum_up(-i0, -d, n, -hi, -lo);
}

void mint_init(minter_t *m, const params_t *p, int64_t supply_uakt)
{
    m->inflation = p->mint.inflation;
    m->annual_provisions = m->inflation * (double)supply_uakt;
}

static int to_amount(double x, int64_t *out)
{
    if (!(x >= 0.0) || x >= 9.2e18)
        return -1;
    *out = (int64_t)x;
    return 0;
}

/* Block by block, exactly as the chain: the reference mode. */
static int cosmos_day_exact(const params_t *p, minter_t *m, int64_t n, int64_t supply,
                            int64_t bonded, int64_t *minted)
{
    int64_t s = supply, total = 0;
    double infl = m->inflation;
    for (int64_t k = 0; k < n; k++) {
        double r = s > 0 ? (double)bonded / (double)s : 0.0;
        if (p->mint.model == MINT_COSMOS)
            infl = mint_next_inflation(p, infl, r);
        int64_t prov = mint_block_provision(infl, s, p->mint.blocks_per_year);
        s += prov;
        total += prov;
    }
    m->inflation = infl;
    m->annual_provisions = infl * (double)s;
    *minted = total;
    return 0;
}

/* A day of blocks in closed form. The supply compounds block by block:
 * S_n = S_0 * prod(1 + I_k/bpy) = S_0 * exp(sum log1p(I_k/bpy)); with
 * I_k/bpy ~ 4e-8 the second-order term is ~1e-11 of a day's mint, so
 * exp(sum I_k / bpy) suffices (see the daily-vs-exact test). */
static int cosmos_day_closed(const params_t *p, minter_t *m, int64_t n, int64_t supply,
                             int64_t bonded, int64_t *minted)
{
    double bpy = (double)p->mint.blocks_per_year;
    double sum_i, end_i;
    if (p->mint.model == MINT_COSMOS) {
        /* The bonded ratio falls block by block as the supply grows, so the per-block
         * change of the rate drifts linearly over the day; its mean is the change at
         * the mid-day supply, which makes the end-of-day rate right to second order. */
        double mid_supply = (double)supply * (1.0 + m->inflation * (double)n / (2.0 * bpy));
        double r = supply > 0 ? (double)bonded / mid_supply : 0.0;
        double d = (1.0 - r / p->mint.goal_bonded) * p->mint.rate_change / bpy;
        sum_i = mint_clamped_sum(m->inflation, d, n, p->mint.inflation_min, p->mint.inflation_max);
        end_i = clamp(m->inflation + (double)n * d, p->mint.inflation_min, p->mint.inflation_max);
    } else {
        sum_i = (double)n * m->inflation;
        end_i = m->inflation;
    }
    double grown = (double)supply * expm1(sum_i / bpy);
    if (to_amount(floor(grown), minted) != 0)
        return -1;
    m->inflation = end_i;
    m->annual_provisions = end_i * ((double)supply + grown);
    return 0;
}

/* The whitepaper emission integrated over the day:
 *   int_{t0}^{t1} i0 M0 2^(-t/T) dt = i0 M0 T/ln2 (2^(-t0/T) - 2^(-t1/T)). */
static int whitepaper_day(const params_t *p, minter_t *m, int64_t day, int64_t supply,
                          int64_t *minted)
{
    double offset = (double)(params_date_to_days(p->start_date) -
                             params_date_to_days(p->mint.wp_genesis_date));
    double t0 = (offset + (double)(day - 1)) / DAYS_PER_JULIAN_YEAR;
    double t1 = (offset + (double)day) / DAYS_PER_JULIAN_YEAR;
    double T = p->mint.wp_half_life_years;
    double m0i0 = (double)p->mint.wp_initial_supply_uakt * p->mint.wp_initial_rate;
    double amount = m0i0 * T / LN2 * (exp2(-t0 / T) - exp2(-t1 / T));
    if (to_amount(floor(amount), minted) != 0)
        return -1;
    m->annual_provisions = m0i0 * exp2(-t1 / T);
    m->inflation = supply > 0 ? m->annual_provisions / (double)(supply + *minted) : 0.0;
    return 0;
}

int mint_day(const params_t *p, minter_t *m, int64_t day, int64_t supply_uakt,
             int64_t bonded_uakt, int64_t *minted_uakt)
{
    *minted_uakt = 0;
    if (p->mint.model == MINT_WHITEPAPER)
        return whitepaper_day(p, m, day, supply_uakt, minted_uakt);
    int64_t n = mint_blocks_per_day(p);
    if (p->mint.exact_blocks)
        return cosmos_day_exact(p, m, n, supply_uakt, bonded_uakt, minted_uakt);
    return cosmos_day_closed(p, m, n, supply_uakt, bonded_uakt, minted_uakt);
}
