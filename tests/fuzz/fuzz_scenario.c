/*
 * libFuzzer harness for the scenario loader (scenario_load): the input is a
 * scenario file. It is written to a private directory beside a link to the
 * shipped akash-2024.yaml, so that `base: ../akash-2024.yaml` (the proposals'
 * form) resolves too. Checked beyond the sanitizers: an error leaves the
 * caller's params_t untouched and has a message; a success gives parameters
 * that scenario_to_yaml writes and scenario_load reads back to the same bytes
 * (but where the events were read), which write the same text again.
 * Build and run: make fuzz (tests/fuzz/fuzz.mk).
 */
#define _XOPEN_SOURCE 700     /* realpath */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"

#ifndef FUZZ_SCENARIOS
#define FUZZ_SCENARIOS "scenarios"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[512], input[600], resolved[600];

static void cleanup(void)
{
    unlink(input);
    unlink(resolved);
    char link[600];
    snprintf(link, sizeof link, "%s/akash-2024.yaml", dir);
    unlink(link);
    snprintf(link, sizeof link, "%s/p", dir);
    rmdir(link);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* `base: /dev/stdin` must not wait for a terminal or an idle pipe */
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        close(null);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/tokensim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    char path[600], target[4096];
    snprintf(path, sizeof path, "%s/p", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/akash-2024.yaml", dir);
    if (!realpath(FUZZ_SCENARIOS "/akash-2024.yaml", target) || symlink(target, path) != 0)
        fprintf(stderr, "fuzz_scenario: no %s/akash-2024.yaml to link: base files will not resolve\n",
                FUZZ_SCENARIOS);
    snprintf(input, sizeof input, "%s/p/in.yaml", dir);
    snprintf(resolved, sizeof resolved, "%s/p/resolved.yaml", dir);
    atexit(cleanup);
    return 0;
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* Every registry parameter of a and b formats to the same text. */
static void check_same(const params_t *a, const params_t *b, const char *yaml)
{
    size_t n;
    const param_def_t *t = params_table(&n);
    for (size_t i = 0; i < n; i++) {
        char x[PARAMS_TEXT_MAX + 64], y[PARAMS_TEXT_MAX + 64];
        params_format(a, &t[i], x, sizeof x);
        params_format(b, &t[i], y, sizeof y);
        if (strcmp(x, y) != 0) {
            fprintf(stderr, "round trip changed %s: '%s' -> '%s'\n%s", t[i].name, x, y, yaml);
            abort();
        }
    }
    if (a->nevents != b->nevents || a->sweep.mode != b->sweep.mode || a->sweep.nparams != b->sweep.nparams) {
        fprintf(stderr, "round trip changed the events or the sweep\n%s", yaml);
        abort();
    }
    /* every byte, but where the events were read (another file) */
    static params_t x, y;
    x = *a;
    y = *b;
    for (size_t k = 0; k < x.nevents; k++) {
        x.events[k].line = x.events[k].col = x.events[k].file = 0;
        y.events[k].line = y.events[k].col = y.events[k].file = 0;
    }
    memset(x.event_file, 0, sizeof x.event_file);
    memset(y.event_file, 0, sizeof y.event_file);
    x.nevent_files = y.nevent_files = 0;
    if (memcmp(&x, &y, sizeof x) != 0) {
        fprintf(stderr, "round trip changed bytes of params_t\n%s", yaml);
        abort();
    }
    char *again = scenario_to_yaml(b);
    if (!again || strcmp(again, yaml) != 0) {
        fprintf(stderr, "written again, the resolved scenario differs\n%s\n---\n%s", yaml, again ? again : "");
        abort();
    }
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static params_t p, before, back;   /* large: not on the stack */
    write_file(input, data, size);
    params_defaults(&p);
    p.days = 4242;                     /* a sentinel that an error must leave alone */
    before = p;
    sim_error_t err;
    sim_error_clear(&err);
    sim_status_t st = scenario_load(input, &p, &err);
    if (st != SIM_OK) {
        if (err.code != st || !err.msg[0] || memcmp(&p, &before, sizeof p) != 0) {
            fprintf(stderr, "error %d without a message, or params changed: '%s'\n", (int)st, err.msg);
            abort();
        }
        return 0;
    }
    char *yaml = scenario_to_yaml(&p);
    if (!yaml)
        abort();
    write_file(resolved, yaml, strlen(yaml));
    sim_error_clear(&err);
    if (scenario_load(resolved, &back, &err) != SIM_OK) {
        fprintf(stderr, "the resolved scenario does not load: %s\n%s", err.msg, yaml);
        abort();
    }
    check_same(&p, &back, yaml);
    free(yaml);
    return 0;
}
