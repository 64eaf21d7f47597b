/*
 * libFuzzer harness for `--set key=value` (scenario_apply_set, then
 * scenario_check as the command line does): the input is one assignment per
 * line, applied in order to the defaults. Checked beyond the sanitizers: a
 * refused assignment leaves params_t untouched and says why; a scenario that
 * passes the checks writes (scenario_to_yaml) and reads back to the same bytes.
 * Build and run: make fuzz (tests/fuzz/fuzz.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[512];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/tokensim-fuzz-set-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static params_t p, before, back;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';     /* an embedded NUL ends the input, as it would end argv[i] */
    params_defaults(&p);
    sim_error_t err;
    int applied = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        before = p;
        sim_error_clear(&err);
        sim_status_t st = scenario_apply_set(&p, line, &err);
        if (st != SIM_OK) {
            if (st != SIM_EINVAL || !err.msg[0] || memcmp(&p, &before, sizeof p) != 0) {
                fprintf(stderr, "--set '%s': status %d, params changed or no message: '%s'\n", line, (int)st,
                        err.msg);
                abort();
            }
            free(text);
            return 0;
        }
        applied++;
    }
    free(text);
    sim_error_clear(&err);
    if (scenario_check(&p, "after --set", &err) != SIM_OK)
        return 0;
    char *yaml = scenario_to_yaml(&p);
    if (!yaml)
        abort();
    FILE *f = fopen(path, "wb");
    if (!f || fputs(yaml, f) < 0 || fclose(f) != 0)
        abort();
    sim_error_clear(&err);
    if (scenario_load(path, &back, &err) != SIM_OK) {
        fprintf(stderr, "after %d --set: the resolved scenario does not load: %s\n%s", applied, err.msg, yaml);
        abort();
    }
    size_t n;
    const param_def_t *t = params_table(&n);
    for (size_t i = 0; i < n; i++) {
        char x[PARAMS_TEXT_MAX + 64], y[PARAMS_TEXT_MAX + 64];
        params_format(&p, &t[i], x, sizeof x);
        params_format(&back, &t[i], y, sizeof y);
        if (strcmp(x, y) != 0) {
            fprintf(stderr, "round trip changed %s: '%s' -> '%s'\n", t[i].name, x, y);
            abort();
        }
    }
    if (memcmp(&p, &back, sizeof p) != 0) {   /* no events from --set: every byte */
        fprintf(stderr, "after %d --set: the round trip changed bytes of params_t\n%s", applied, yaml);
        abort();
    }
    free(yaml);
    return 0;
}
