/* Error slots: see err.h. */
#include "err.h"

#include <stdio.h>

sim_status_t sim_fail(sim_error_t *err, sim_status_t code, const char *fmt, ...)
{
    if (err && err->code == SIM_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void sim_error_clear(sim_error_t *err)
{
    err->code = SIM_OK;
    err->msg[0] = '\0';
}

int sim_exit_status(sim_status_t code)
{
    if (code == SIM_OK)
        return 0;
    return code == SIM_EINVAL ? 2 : 1;
}
