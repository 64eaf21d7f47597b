/*
 * What every chart of a metric does the same way: a flow (units per day,
 * such as minted or spend) is drawn from day 1, since day 0 records the
 * starting state and no day's flow; a quantity that cannot be negative
 * (amounts, prices, counts, fractions) has a y axis from 0; tick labels read
 * 25 k, 600 M, 1.4 B rather than 6.5e+08; dates on the x axis; a panel whose
 * metric is 0 in every run becomes one line of text; panels stack at fixed
 * pixel heights, with the legend below the plot, off the data.
 */
#ifndef OUTPUT_CHART_H
#define OUTPUT_CHART_H

#include <stddef.h>
#include <stdio.h>

#include <hdf5.h>

/* Pixel heights of the panels and the canvas's width. */
#define CHART_WIDTH 1000
#define CHART_PANEL 330      /* a chart with a one-line legend below it */
#define CHART_TEXT 60        /* a panel of one line of text */
#define CHART_KEY_ROW 16     /* each further line of a legend */

/* A day's flow, which day 0 does not have: units per day ("AKT/day",
 * "orders/day"), or a rate or ratio of the day's flows (net_issuance,
 * staking_apr, burn_mint_ratio: the metric table says "during the day"). */
int chart_is_flow(const char *metric, const char *units);

/* The first time index a metric is drawn from: 1 for a flow whose first
 * recorded time is day 0, else 0. */
size_t chart_first_index(const char *metric, const char *units, const double *time, size_t nt);

/* Whether a metric can be negative by its nature: a difference, a net flow,
 * a profit, a discount (its clearing price above the reference). */
int chart_can_be_negative(const char *metric);

/* The finite values a panel draws. */
typedef struct {
    double lo, hi;
} chart_range_t;

void chart_range_init(chart_range_t *r);
void chart_range_add(chart_range_t *r, const double *v, size_t n);

/* Whether the panel's y axis starts at 0: a metric that cannot be negative
 * by nature and has no negative value here. */
int chart_from_zero(const char *metric, const chart_range_t *r);

/* Write an axis of a panel (its range, its tick labels) and return the
 * divisor the panel's values are written with: 1e9 with ticks "1.4 B", 1e6
 * with "600 M", 1e3 with "25 k" (from 10,000 up), else 1. from_zero: the
 * range [0:*]; else gnuplot's autoscale, or, when every value is the same as
 * printed, a range around it (gnuplot would warn "empty y range"). The y
 * axis also gets its margins: one above the data, and one below unless 0 is
 * the bottom edge. axis: "x" or "y". */
double chart_axis(FILE *gp, const char *axis, const chart_range_t *r, int from_zero);
#define chart_y_axis(gp, r, from_zero) chart_axis((gp), "y", (r), (from_zero))

/* How the data files print a value (gnuplot reads these, not the doubles). */
#define CHART_DATA_FORMAT "%.10g"

/* Civil date YYYY-MM-DD of a count of days since 1970-01-01. */
void chart_date(long days, char buf[16]);

/* The x axis of dates spanning `days`: months (2024-05), or days
 * (2024-05-14) for spans under 200 days, where months would repeat. */
void chart_time_axis(FILE *gp, double days);

/* The settings every chart panel restores after a text panel: border, tics,
 * grid, the legend below, margins that align the panels. */
void chart_panel_defaults(FILE *gp);

/* Place the next panel: top pixel row y and height h of a canvas `total` high. */
void chart_place(FILE *gp, int y, int h, int total);

/* A panel of one line of text (then chart_panel_defaults before a chart). */
void chart_text_panel(FILE *gp, const char *text);

/* 1 when dataset obj (any shape) is readable and every value is 0. */
int chart_zero_dataset(hid_t f, const char *obj);

/* 1 when the metric's mean and sd under /summary are 0 at every time (of
 * every point): 0 in every run. 0 when they are absent or anything differs. */
int chart_all_zero(hid_t f, const char *metric);

#endif
