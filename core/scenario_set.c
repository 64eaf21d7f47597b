/*
 * `--set key=value` overrides on a loaded scenario, and the cross-parameter
 * checks after them (scenario.h).
 */
#include "scenario.h"
#include "scenario_internal.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>

sim_status_t scenario_apply_set(params_t *p, const char *assignment, sim_error_t *err)
{
    char shown[SHOW_MAX * 2 + 8];
    if (!assignment)
        SIM_FAIL(err, SIM_EINVAL, "--set: expected key=value");
    text_show(assignment, shown, sizeof shown);
    const char *eq = strchr(assignment, '=');
    const char *k = assignment, *kend = eq;
    if (eq) {
        while (k < kend && (*k == ' ' || *k == '\t'))
            k++;
        while (kend > k && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
    }
    if (!eq || kend == k)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: expected key=value", shown);
    char key[128];
    const param_def_t *def = NULL;
    if ((size_t)(kend - k) < sizeof key) {
        memcpy(key, k, (size_t)(kend - k));
        key[kend - k] = '\0';
        def = params_find(key);
    }
    if (!def) {
        const char *s = (size_t)(kend - k) < sizeof key ? params_suggest(key) : NULL;
        if (s)
            SIM_FAIL(err, SIM_EINVAL, "--set %s: unknown parameter (did you mean '%s'?)", shown, s);
        SIM_FAIL(err, SIM_EINVAL, "--set %s: unknown parameter (see 'tokensim params')", shown);
    }
    /* text is taken verbatim; other values may have blanks around them ("days = 30") */
    const char *value = eq + 1, *vend = value + strlen(value);
    if (def->type != PARAM_TEXT) {
        while (*value == ' ' || *value == '\t')
            value++;
        while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
    }
    if (value == vend && def->type != PARAM_TEXT)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: no value given", shown);
    char *copy = malloc((size_t)(vend - value) + 1);
    if (!copy)
        SIM_FAIL(err, SIM_ENOMEM, "--set %s: out of memory", shown);
    memcpy(copy, value, (size_t)(vend - value));
    copy[vend - value] = '\0';
    char msg[512];
    char old[sizeof p->price.series_file];  /* every byte: a refused --set leaves p as it was */
    memcpy(old, p->price.series_file, sizeof old);
    int rc = params_set_text(p, def, copy, msg, sizeof msg);
    free(copy);
    if (rc != 0)
        SIM_FAIL(err, SIM_EINVAL, "--set %s: %s", shown, msg);
    /* a series file given here is relative to the working directory */
    if (!strcmp(def->name, "price.series_file")) {
        char where[SHOW_MAX * 2 + 16];
        snprintf(where, sizeof where, "--set %s", shown);
        sim_status_t st = SIM_OK;
        if (!p->price.series_file[0])
            memset(&p->price.series, 0, sizeof p->price.series);
        else
            st = read_series(p->price.series_file, &p->price.series, where, err);
        if (st != SIM_OK)
            memcpy(p->price.series_file, old, sizeof old);
        return st;
    }
    return SIM_OK;
}

sim_status_t scenario_check(const params_t *p, const char *where, sim_error_t *err)
{
    char msg[1024];
    const char *blame = NULL;
    if (params_check(p, msg, sizeof msg, &blame) == 0 && schedule_check(p, msg, sizeof msg) == 0)
        return SIM_OK;
    if (where && *where)
        SIM_FAIL(err, SIM_EINVAL, "%s: %s", where, msg);
    SIM_FAIL(err, SIM_EINVAL, "%s", msg);
}
