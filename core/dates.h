/*
 * Calendar dates "YYYY-MM-DD" (proleptic Gregorian, UTC) as whole days from
 * 1970-01-01, and back: start_date, event dates, the observed price series.
 */
#ifndef SIM_DATES_H
#define SIM_DATES_H

#include <stdint.h>

#define DATE_TEXT_MAX 11            /* "YYYY-MM-DD" + NUL */

/* Whole days from 1970-01-01 for a valid "YYYY-MM-DD", or -1 when malformed. */
long params_date_to_days(const char *date);

/* The date "YYYY-MM-DD" of whole days from 1970-01-01 into buf[DATE_TEXT_MAX];
 * -1 (buf empty) outside the years 1970 to 9999. */
int params_days_to_date(int64_t days, char *buf);

#endif
