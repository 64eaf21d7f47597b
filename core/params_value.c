/*
 * Parameter values as text (params.h): params_set_text parses a value by its
 * type and range, params_format writes the text that parses back to the same
 * bytes, params_value gives it as a number.
 */
#include "params.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *field(params_t *p, const param_def_t *d)
{
    return (char *)p + d->offset;
}

static const void *cfield(const params_t *p, const param_def_t *d)
{
    return (const char *)p + d->offset;
}

/* Index of `word` in a '|'-separated list, or -1. */
static int choice_index(const char *choices, const char *word)
{
    int idx = 0;
    size_t wl = strlen(word);
    for (const char *s = choices; *s; idx++) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        if (n == wl && strncmp(s, word, n) == 0)
            return idx;
        if (!bar)
            break;
        s = bar + 1;
    }
    return -1;
}

static void choice_text(const char *choices, int idx, char *buf, size_t len)
{
    const char *s = choices;
    for (int i = 0; i < idx && s; i++) {
        s = strchr(s, '|');
        if (s) s++;
    }
    if (!s) {
        snprintf(buf, len, "?");
        return;
    }
    const char *bar = strchr(s, '|');
    int n = bar ? (int)(bar - s) : (int)strlen(s);
    snprintf(buf, len, "%.*s", n, s);
}

/* Exact decimal to base units: "230816799.5" -> 230816799500000, "2.5e8" ->
 * 250000000000000. Returns 0, -1 (not a number), -2 (too large) or -3 (finer
 * than 1 uakt). Works on the digits, never through a double, so every amount
 * written with at most 6 decimals is stored exactly: strtod rounds to 53 bits,
 * and 10^12 AKT in uakt takes 60 (libc has no exact decimal to fixed point). */
static int parse_amount(const char *text, int64_t *out)
{
    const char *s = text;
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    const char *digits = s;          /* mantissa digits, with one optional '.' */
    long nint = 0, nfrac = 0;
    while (isdigit((unsigned char)*s)) {
        s++;
        nint++;
    }
    const char *frac = NULL;
    if (*s == '.') {
        frac = ++s;
        while (isdigit((unsigned char)*s)) {
            s++;
            nfrac++;
        }
    }
    if (nint + nfrac == 0)
        return -1;
    long exp10 = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        int eneg = 0;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!isdigit((unsigned char)*s))
            return -1;
        while (isdigit((unsigned char)*s)) {
            if (exp10 < 100000)      /* saturate: such exponents are out of range anyway */
                exp10 = exp10 * 10 + (*s - '0');
            s++;
        }
        if (eneg)
            exp10 = -exp10;
    }
    if (*s)
        return -1;
    /* digit k (0-based, left to right) is worth 10^(point + 5 - k) uakt */
    long point = nint + exp10, n = nint + nfrac;
    int64_t u = 0;
    for (long k = 0; k < n; k++) {
        int dig = k < nint ? digits[k] - '0' : frac[k - nint] - '0';
        long w = point + 5 - k;
        if (w < 0) {
            if (dig != 0)
                return -3;
            continue;
        }
        if (u == 0 && dig == 0)
            continue;
        if (w > 18 || u > (INT64_MAX - dig) / 10)
            return -2;
        u = u * 10 + dig;
    }
    /* the last digit read is worth 10^(point + 5 - (n - 1)) uakt: scale it to 1 */
    for (long w = point + 5 - (n - 1); w > 0 && u != 0; w--) {
        if (u > INT64_MAX / 10)
            return -2;
        u *= 10;
    }
    *out = neg ? -u : u;
    return 0;
}

/* NaN and infinity as YAML writes them (.nan, .inf, -.Inf) or as strtod reads
 * them (nan, inf, infinity): refused with their own message. */
static bool is_nonfinite(const char *text)
{
    const char *s = text;
    if (*s == '+' || *s == '-')
        s++;
    if (*s == '.')
        s++;
    static const char *const words[] = {"nan", "inf", "infinity"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]), k = 0;
        while (k < n && s[k] && tolower((unsigned char)s[k]) == words[i][k])
            k++;
        if (k == n && (s[k] == '\0' || s[k] == '('))   /* strtod also reads "nan(123)" */
            return true;
    }
    return false;
}

static int parse_real(const char *text, double *out)
{
    char *end;
    /* strtod skips leading blanks; refuse them as we refuse trailing ones */
    if (isspace((unsigned char)text[0]))
        return -1;
    /* no ERANGE test: overflow gives an infinity that the range check refuses
     * with a better message, and underflow gives the nearest double (a denormal
     * such as 5e-324 is what params_format writes for one) */
    double v = strtod(text, &end);
    if (end == text || *end)
        return -1;
    *out = v;
    return 0;
}

/* Well-formed UTF-8 throughout (text_utf8_decode's rules). */
static bool valid_utf8(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned cp;
        size_t n = text_utf8_decode(s, &cp);
        if (n == 0)
            return false;
        s += n;
    }
    return true;
}

/* A range bound in tokens as base units: rounded inward (up for a minimum). */
static int64_t amount_bound(double tokens, int is_min)
{
    double u = tokens * UAKT_PER_AKT;
    u = is_min ? ceil(u) : floor(u);
    if (u >= 9.2e18)
        return INT64_MAX;
    if (u <= -9.2e18)
        return INT64_MIN;
    return (int64_t)u;
}

static void format_range(const param_def_t *d, char *buf, size_t len)
{
    if (d->type == PARAM_INT)
        snprintf(buf, len, "[%.0f, %.0f]", d->min, d->max);
    else
        snprintf(buf, len, "[%g, %g]", d->min, d->max);
}

int params_set_text(params_t *p, const param_def_t *d, const char *text,
                    char *msg, size_t msglen)
{
    void *f = field(p, d);
    char range[80], shown[TEXT_SHOW_MAX + 8];
    format_range(d, range, sizeof range);
    const char *t = text_show(text, shown, sizeof shown);   /* the value as messages quote it */
    if ((d->type == PARAM_REAL || d->type == PARAM_INT || d->type == PARAM_AMOUNT) && is_nonfinite(text)) {
        snprintf(msg, msglen, "value %s is not a finite number (range %s %s)", t, range, d->unit);
        return -1;
    }
    switch (d->type) {
    case PARAM_REAL: {
        double v;
        if (parse_real(text, &v) != 0) {
            snprintf(msg, msglen, "expected a number, got '%s'", t);
            return -1;
        }
        if (!isfinite(v) || v < d->min || v > d->max) {
            snprintf(msg, msglen, "value %s is out of range %s (%s)", t, range, d->unit);
            return -1;
        }
        *(double *)f = v;
        return 0;
    }
    case PARAM_INT: {
        double v;
        if (parse_real(text, &v) != 0 || v != floor(v)) {
            snprintf(msg, msglen, "expected a whole number, got '%s'", t);
            return -1;
        }
        if (v < d->min || v > d->max) {
            snprintf(msg, msglen, "value %s is out of range %s (%s)", t, range, d->unit);
            return -1;
        }
        *(int64_t *)f = (int64_t)v;
        return 0;
    }
    case PARAM_AMOUNT: {
        int64_t u;
        int rc = parse_amount(text, &u);
        if (rc == -3) {
            snprintf(msg, msglen, "'%s' has more than 6 decimals (1 uakt = 0.000001 AKT)", t);
            return -1;
        }
        if (rc != 0) {
            if (rc == -2)
                snprintf(msg, msglen, "value %s is out of range %s (%s)", t, range, d->unit);
            else
                snprintf(msg, msglen, "expected an amount in %s, got '%s'", d->unit, t);
            return -1;
        }
        /* compare in base units: as a double, 1000000000000.000001 AKT rounds to 1e12 */
        if (u < amount_bound(d->min, 1) || u > amount_bound(d->max, 0)) {
            snprintf(msg, msglen, "value %s is out of range %s (%s)", t, range, d->unit);
            return -1;
        }
        *(int64_t *)f = u;
        return 0;
    }
    case PARAM_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "on")) {
            *(bool *)f = true;
            return 0;
        }
        if (!strcmp(text, "false") || !strcmp(text, "no") || !strcmp(text, "off")) {
            *(bool *)f = false;
            return 0;
        }
        snprintf(msg, msglen, "expected true or false, got '%s'", t);
        return -1;
    case PARAM_ENUM: {
        int idx = choice_index(d->choices, text);
        if (idx < 0) {
            snprintf(msg, msglen, "expected one of %s, got '%s'", d->choices, t);
            return -1;
        }
        *(int *)f = idx;
        return 0;
    }
    case PARAM_TEXT:
        if (strlen(text) >= d->size) {
            snprintf(msg, msglen, "text longer than %zu characters", d->size - 1);
            return -1;
        }
        /* text goes back into YAML (the resolved scenario) and HDF5 attributes: UTF-8 only */
        if (!valid_utf8(text)) {
            snprintf(msg, msglen, "text is not valid UTF-8");
            return -1;
        }
        /* strncpy pads with NULs: a value's bytes are the same whatever the field held before */
        strncpy((char *)f, text, d->size);
        return 0;
    case PARAM_DATE:
        if (params_date_to_days(text) < 0) {
            snprintf(msg, msglen, "expected a date YYYY-MM-DD (1970 or later), got '%s'", t);
            return -1;
        }
        strncpy((char *)f, text, d->size);
        return 0;
    }
    snprintf(msg, msglen, "unknown parameter type");
    return -1;
}

void params_format(const params_t *p, const param_def_t *d, char *buf, size_t len)
{
    const void *f = cfield(p, d);
    switch (d->type) {
    case PARAM_REAL: {
        char tmp[TEXT_DOUBLE_MAX];
        snprintf(buf, len, "%s", text_double(*(const double *)f, tmp, sizeof tmp));
        return;
    }
    case PARAM_INT:
        snprintf(buf, len, "%lld", (long long)*(const int64_t *)f);
        return;
    case PARAM_AMOUNT: {
        int64_t u = *(const int64_t *)f;
        /* work on the magnitude so that -1.5 AKT prints as "-1.5", not "-1.-500000" */
        uint64_t m = u < 0 ? 0 - (uint64_t)u : (uint64_t)u;
        uint64_t frac = m % UAKT_PER_AKT;
        char fr[8];             /* 0.5, not 0.500000 */
        snprintf(fr, sizeof fr, "%06u", (unsigned)frac);
        for (int i = 5; i >= 0 && fr[i] == '0'; i--)
            fr[i] = '\0';
        snprintf(buf, len, "%s%llu%s%s", u < 0 ? "-" : "", (unsigned long long)(m / UAKT_PER_AKT),
                 fr[0] ? "." : "", fr);
        return;
    }
    case PARAM_BOOL:
        snprintf(buf, len, "%s", *(const bool *)f ? "true" : "false");
        return;
    case PARAM_ENUM:
        choice_text(d->choices, *(const int *)f, buf, len);
        return;
    case PARAM_TEXT:
    case PARAM_DATE:
        snprintf(buf, len, "%s", (const char *)f);
        return;
    }
}

double params_value(const params_t *p, const param_def_t *d)
{
    const void *f = cfield(p, d);
    switch (d->type) {
    case PARAM_REAL: return *(const double *)f;
    case PARAM_INT: return (double)*(const int64_t *)f;
    case PARAM_AMOUNT: return (double)*(const int64_t *)f / UAKT_PER_AKT;
    case PARAM_BOOL: return *(const bool *)f ? 1.0 : 0.0;
    case PARAM_ENUM: return *(const int *)f;
    default: return NAN;
    }
}
