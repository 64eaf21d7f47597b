/*
 * Units every layer shares: base units of a token, and the calendar of the
 * model (rates are per year of 365 days; the whitepaper counts Julian years).
 */
#ifndef CORE_UNITS_H
#define CORE_UNITS_H

#define BASE_UNITS 1000000          /* base units per token: uakt per AKT, uusdc per USDC, uact per ACT */
#define UAKT_PER_AKT BASE_UNITS
#define DAYS_PER_YEAR 365.0         /* a rate per year is per 365 days */
#define DAYS_PER_JULIAN_YEAR 365.25
#define SECONDS_PER_DAY 86400.0
#define MAX_DAYS 36525              /* the longest horizon and lease: 100 years */

#endif
