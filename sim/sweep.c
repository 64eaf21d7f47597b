/* Sweep points; see sweep.h. */
#include "sweep.h"

#include <stdio.h>
#include <string.h>

size_t sweep_npoints(const params_t *p)
{
    const params_sweep_t *sw = &p->sweep;
    if (sw->mode == SWEEP_NONE || sw->nparams == 0)
        return 1;
    if (sw->mode == SWEEP_ZIP)
        return sw->nvalues[0];
    size_t n = 1;
    for (size_t j = 0; j < sw->nparams; j++)
        n *= sw->nvalues[j];
    return n;
}

/* Which value of parameter j point k takes. */
static size_t value_index(const params_sweep_t *sw, size_t k, size_t j)
{
    if (sw->mode == SWEEP_ZIP)
        return k;
    size_t stride = 1;
    for (size_t i = j + 1; i < sw->nparams; i++)
        stride *= sw->nvalues[i];
    return k / stride % sw->nvalues[j];
}

sim_status_t sweep_point(const params_t *base, size_t k, params_t *out, char *label, size_t len, sim_error_t *err)
{
    const params_sweep_t *sw = &base->sweep;
    size_t n;
    const param_def_t *table = params_table(&n);
    *out = *base;
    if (label && len)
        label[0] = '\0';
    for (size_t j = 0; j < sw->nparams && sw->mode != SWEEP_NONE; j++) {
        const param_def_t *def = &table[sw->param[j]];
        const char *text = sw->values[j][value_index(sw, k, j)];
        char msg[256];
        if (params_set_text(out, def, text, msg, sizeof msg) != 0)
            SIM_FAIL(err, SIM_EINVAL, "sweep point %zu: %s = %s: %s", k, def->name, text, msg);
        if (label && len) {
            size_t used = strlen(label);
            snprintf(label + used, len - used, "%s%s=%s", j ? ", " : "", def->name, text);
        }
    }
    char msg[512];
    const char *blame = NULL;
    if (params_check(out, msg, sizeof msg, &blame) != 0)
        SIM_FAIL(err, SIM_EINVAL, "sweep point %zu: %s", k, msg);
    return SIM_OK;
}

void sweep_values(const params_t *base, double *values)
{
    const params_sweep_t *sw = &base->sweep;
    size_t n, np = sweep_npoints(base);
    const param_def_t *table = params_table(&n);
    static params_t scratch;   /* large; one thread */
    for (size_t k = 0; k < np; k++)
        for (size_t j = 0; j < sw->nparams; j++) {
            scratch = *base;
            char msg[128];
            params_set_text(&scratch, &table[sw->param[j]], sw->values[j][value_index(sw, k, j)], msg, sizeof msg);
            values[k * sw->nparams + j] = params_value(&scratch, &table[sw->param[j]]);
        }
}
