/* Error slots: see err.h. */
#include "err.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>

sim_status_t sim_fail(sim_error_t *err, sim_status_t code, const char *fmt, ...)
{
    if (err && err->code == SIM_OK) {
        /* the whole message first, then fit to the slot by shortening the
         * paths it quotes, so that the reason at its end is kept */
        char local[4 * sizeof err->msg];
        int n;
        va_list ap;
        va_start(ap, fmt);
        char *full = text_vformat(local, sizeof local, &n, fmt, ap);
        va_end(ap);
        text_fit(n < 0 ? "(no message: it could not be formatted)" : full, err->msg, sizeof err->msg);
        if (full != local)
            free(full);
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
