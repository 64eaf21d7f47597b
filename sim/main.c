/*
 * tokensim: the command line (design.md §4). Reads arguments, calls the
 * library, prints errors and chooses the exit status: 0 success, 1 runtime
 * failure, 2 bad usage or bad input. Nothing else in the program prints or exits.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <omp.h>

#include "compare.h"
#include "compare_file.h"
#include "dist.h"
#include "err.h"
#include "metric_table.h"
#include "outpath.h"
#include "params.h"
#include "plot.h"
#include "publish.h"
#include "report.h"
#include "runner.h"
#include "scenario.h"
#include "schedule.h"
#include "summary.h"
#include "sweep.h"
#include "text.h"
#include "version.h"
#include "world.h"

#define EXIT_USAGE 2

static const char usage[] =
    "usage: tokensim COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml [-o OUT.h5] [-n RUNS] [-j THREADS] [--seed N] [--days N]\n"
    "                    [--set key=value]... [--force] [--resume OUT.h5] [--strict] [--quiet]\n"
    "                          simulate the scenario's runs and write an HDF5 file\n"
    "  compare BASE.yaml PROPOSAL.yaml [-n RUNS] [-o OUT.h5] [-j THREADS] [--set key=value]...\n"
    "                    [--strict]\n"
    "                          paired runs (common random numbers): differences and 95 % CIs\n"
    "  sweep SCENARIO.yaml [run options]\n"
    "                          the scenario's sweep: block (grid, zip, lhs, sobol, morris,\n"
    "                          saltelli) as [points, runs, times]; summary ranks parameters\n"
    "  summary OUT.h5 [--observed CSV|DIR]... [--observed-only [--markdown]]\n"
    "                          key figures at horizons (day 0, 30, 90, 365, ...), issuance\n"
    "                          and burns, and observed data inside the file's dates beside\n"
    "                          the simulated values (default: the shipped data/observed)\n"
    "  plot OUT.h5 [--metric NAME]... [-o FIG.png|svg]\n"
    "                          fan charts (5-95 % and 25-75 % bands, median, mean) by date\n"
    "  report OUT.h5 [-o DIR]  a set of figures and an index.html with the summary\n"
    "  params [--markdown]     every parameter: name, default, range, unit, meaning\n"
    "  validate SCENARIO.yaml [--set key=value]... [--strict]\n"
    "                          check a scenario file (and its sweep's points) without\n"
    "                          running it\n"
    "  --help, --version\n"
    "\n"
    "run options:\n"
    "  -o OUT.h5        output file (default: NAME.h5, NAME from the scenario as a\n"
    "                   plain file name here: docs/output.md)\n"
    "  -n RUNS          replications (same as --set runs=RUNS)\n"
    "  -j THREADS       OpenMP threads (default: OMP_NUM_THREADS or all cores);\n"
    "                   results do not depend on it\n"
    "  --seed N         master seed (same as --set seed=N)\n"
    "  --days N         horizon in days (same as --set days=N)\n"
    "  --set key=value  override any parameter, e.g. --set mint.inflation_max=0.25\n"
    "  --force          overwrite an existing output file (else refused; only a\n"
    "                   regular file is ever replaced)\n"
    "  --resume OUT.h5  continue the campaign interrupted (Ctrl-C, SIGTERM, a kill) into\n"
    "                   OUT.h5: its finished runs wait in OUT.h5.partial; give the\n"
    "                   same scenario and options (run and sweep)\n"
    "  --strict         warnings (such as an event after the horizon, which the runs\n"
    "                   ignore) are errors: exit status 2, nothing written\n"
    "  --quiet          no progress line\n"
    "\n"
    "MPI build (make MPI=1): mpirun -np N tokensim run|sweep|compare ... spreads the\n"
    "runs over N ranks (the same file); kill -USR1 <mpirun's pid> stops and keeps them.\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
    "Documentation: README.md, docs/model.md, docs/output.md, scenarios/README.md.\n";

/* Text from the user and from files (a scenario's name, paths, a result
 * file's attributes, CSV fields) is printed with its control characters as
 * '?' (text_control): it cannot send escapes to the terminal. `lines`: keep
 * newlines (tables of several lines). */
static void put_text(FILE *f, const char *s, int lines)
{
    while (*s) {
        size_t c = *s == '\n' && lines ? 0 : text_control(s);
        fputc(c ? '?' : *s, f);
        s += c ? c : 1;
    }
}

/* One line: printf's format, controls shown as put_text does, then a newline. */
static void say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(FILE *f, const char *fmt, ...)
{
    char local[2048], *text = local;
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(local, sizeof local, fmt, ap);
    if (n >= (int)sizeof local && (text = malloc((size_t)n + 1)) != NULL)
        vsnprintf(text, (size_t)n + 1, fmt, again);
    else if (n >= (int)sizeof local)
        text = local;           /* out of memory: the line is cut */
    va_end(again);
    va_end(ap);
    if (n >= 0)
        put_text(f, text, 0);
    fputc('\n', f);
    if (text != local)
        free(text);
}

/* Print what a library function wrote into a memory stream (a table), through
 * put_text; 0, or -1 when f could not be written (errno says why). */
static int put_stream(FILE *f, const char *text)
{
    if (text)
        put_text(f, text, 1);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

/* Under MPI every rank parses the same command line and gets the same
 * outcome; rank 0 alone prints it. */
static int usage_error(const char *fmt, const char *arg)
{
    if (dist_rank() != 0)
        return EXIT_USAGE;
    /* whole, however long the argument: the reason may follow it */
    int n = snprintf(NULL, 0, fmt, arg);
    char *what = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (what)
        snprintf(what, (size_t)n + 1, fmt, arg);
    say(stderr, "tokensim: %s", what ? what : fmt);
    free(what);
    fputs("Try 'tokensim --help'.\n", stderr);
    return EXIT_USAGE;
}

static int report(const sim_error_t *err)
{
    if (dist_rank() == 0)
        say(stderr, "tokensim: %s", err->msg);
    return sim_exit_status(err->code);
}

/* Options shared by run and validate: the scenario, then overrides in order. */
typedef struct {
    const char *scenario;
    const char *scenario2;      /* compare: the proposal */
    const char *out;
    int threads;
    int quiet;
    int force;                  /* --force: overwrite an existing output */
    int strict;                 /* --strict: warnings are errors */
    const char *resume;         /* --resume OUT.h5 */
    const char *sets[256];
    size_t nsets;
    char owned[16][96];         /* "runs=N" etc. built from -n/--seed/--days */
} cli_t;

static int add_set(cli_t *c, const char *assignment)
{
    if (c->nsets == sizeof c->sets / sizeof c->sets[0])
        return usage_error("too many --set options (at most %s)", "256");
    c->sets[c->nsets++] = assignment;
    return 0;
}

static int parse_common(int argc, char **argv, cli_t *c, int allow_run_opts, int two)
{
    memset(c, 0, sizeof *c);
    int nowned = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *key = NULL;
        if (strcmp(a, "--set") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs key=value", a);
            if (add_set(c, argv[++i]))
                return EXIT_USAGE;
        } else if (strncmp(a, "--set=", 6) == 0) {
            if (add_set(c, a + 6))
                return EXIT_USAGE;
        } else if (strcmp(a, "--strict") == 0) {
            c->strict = 1;
        } else if (allow_run_opts && strcmp(a, "--quiet") == 0) {
            c->quiet = 1;
        } else if (allow_run_opts && strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if (allow_run_opts && strcmp(a, "--resume") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs the output file of the interrupted campaign", a);
            c->resume = argv[++i];
        } else if (allow_run_opts && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
            if (i + 1 >= argc)
                return usage_error("%s needs a file name", a);
            c->out = argv[++i];
        } else if (allow_run_opts && strcmp(a, "-j") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a number of threads", a);
            char *end;
            errno = 0;
            long t = strtol(argv[++i], &end, 10);
            if (*end || errno || t < 1 || t > 4096)
                return usage_error("-j needs a thread count in [1, 4096], got '%s'", argv[i]);
            c->threads = (int)t;
        } else if (allow_run_opts && strcmp(a, "-n") == 0) {
            key = "runs";
        } else if (allow_run_opts && strcmp(a, "--seed") == 0) {
            key = "seed";
        } else if (allow_run_opts && strcmp(a, "--days") == 0) {
            key = "days";
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (!c->scenario) {
            c->scenario = a;
        } else if (two && !c->scenario2) {
            c->scenario2 = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
        if (key) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            if (nowned == (int)(sizeof c->owned / sizeof c->owned[0]))
                return usage_error("-n, --seed and --days given too often (at most %s times in all)", "16");
            int n = snprintf(c->owned[nowned], sizeof c->owned[nowned], "%s=%s", key, argv[++i]);
            if (n < 0 || (size_t)n >= sizeof c->owned[nowned])
                return usage_error("value too long: '%.40s...'", argv[i]);
            if (add_set(c, c->owned[nowned++]))
                return EXIT_USAGE;
        }
    }
    if (!c->scenario)
        return usage_error("%s", "missing the scenario file");
    if (two && !c->scenario2)
        return usage_error("%s", "compare needs two scenario files: BASE.yaml PROPOSAL.yaml");
    return 0;
}

static sim_status_t load_file_with_sets(const cli_t *c, const char *path, params_t *p, sim_error_t *err)
{
    sim_status_t rc = scenario_load(path, p, err);
    for (size_t i = 0; rc == SIM_OK && i < c->nsets; i++)
        rc = scenario_apply_set(p, c->sets[i], err);
    if (rc == SIM_OK && c->nsets > 0)
        rc = scenario_check(p, "after --set", err);
    return rc;
}

static sim_status_t load(const cli_t *c, params_t *p, sim_error_t *err)
{
    return load_file_with_sets(c, c->scenario, p, err);
}

/* Under MPI rank 0 reads the scenario (its errors become every rank's) and
 * sends the resolved parameters, plain data, to the others: the same numbers
 * on every rank, and the scenario files need not be on every node. */
static sim_status_t load_everywhere(const cli_t *c, const char *path, params_t *p, sim_error_t *err)
{
    sim_status_t rc = dist_rank() == 0 ? load_file_with_sets(c, path, p, err) : SIM_OK;
    rc = dist_agree(rc, err);
    if (rc == SIM_OK)
        dist_bcast(p, sizeof *p);
    return rc;
}

/* Warnings about a loaded scenario (events and scheduled days after the
 * horizon, which a run ignores), on stderr from rank 0. Returns how many. */
static size_t print_warnings(const params_t *p, const char *arm)
{
    static char lines[SCHEDULE_MAX_WARNINGS][SCHEDULE_LINE_MAX];
    size_t n = schedule_ignored(p, lines, SCHEDULE_MAX_WARNINGS);
    for (size_t i = 0; i < n && i < SCHEDULE_MAX_WARNINGS && dist_rank() == 0; i++)
        say(stderr, "tokensim: warning: %s%s", arm, lines[i]);
    return n;
}

/* --strict: the warnings printed are errors. Every rank holds the same
 * parameters, so every rank decides the same. Returns the exit status or 0. */
static int strict_refuses(const cli_t *c, size_t warnings)
{
    if (!c->strict || warnings == 0)
        return 0;
    if (dist_rank() == 0)
        fprintf(stderr, "tokensim: --strict makes %s above %s\n",
                warnings == 1 ? "the warning" : "the warnings", warnings == 1 ? "an error" : "errors");
    return EXIT_USAGE;
}

/* May the command write its output? Rank 0's file system decides. */
static sim_status_t check_output(const char *out, int force, int resume, sim_error_t *err)
{
    sim_status_t rc = dist_rank() == 0 ? outpath_check(out, force, resume, err) : SIM_OK;
    return dist_agree(rc, err);
}

/* SIGINT and SIGTERM ask the campaign to stop and keep its finished runs;
 * a second signal acts as usual (the handler resets itself). SIGUSR1 does the
 * same: mpirun passes it on to every rank and waits for them, whereas on
 * SIGINT or SIGTERM it sends them SIGTERM and SIGKILL a second later (its
 * odls_base_sigkill_timeout): `kill -USR1 <mpirun's pid>` is the way to stop
 * an MPI campaign and keep all its finished runs. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
    runner_request_stop();
}

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
}

/* Fault injection for the test suite: TOKENSIM_TEST_STOP_AFTER_RUNS=N stops
 * the campaign as a signal would, once N runs are stored. */
static size_t test_stop_after_runs(void)
{
    const char *v = getenv("TOKENSIM_TEST_STOP_AFTER_RUNS");
    return v ? (size_t)strtoull(v, NULL, 10) : 0;
}

/* Fault injection for the test suite: TOKENSIM_TEST_FAIL_RUN=k makes run k
 * (0-based, of each sweep point) fail with SIM_ERANGE after it is simulated,
 * on whichever rank runs it (rank 0's setting counts). Returns k + 1, or 0. */
static size_t test_fail_run(void)
{
    const char *v = getenv("TOKENSIM_TEST_FAIL_RUN");
    size_t k = v && *v ? (size_t)strtoull(v, NULL, 10) + 1 : 0;
    dist_bcast(&k, sizeof k);
    return k;
}

/* the whole command line, for the command that resumes: the program as
 * invoked (argv[0]), then the command and its arguments */
static const char *prog;
static int argc_all;
static char **argv_all;

/* $SOURCE_DATE_EPOCH, before any work: a malformed value is an error. */
static sim_status_t check_source_date(sim_error_t *err)
{
    time_t t;
    return h5out_source_date(&t, err);
}

static int cmd_run(int argc, char **argv, int sweep)
{
    cli_t c;
    int rc = parse_common(argc, argv, &c, 1, 0);
    if (rc)
        return rc;
    static params_t p;   /* large (the event table): not on the stack */
    sim_error_t err;
    sim_error_clear(&err);
    if (load_everywhere(&c, c.scenario, &p, &err) != SIM_OK)
        return report(&err);
    /* now, before the ranks meet again in check_output(): a signal that reaches a
     * rank from here on stops the campaign on every rank, at a batch's end */
    catch_stop_signals();
    if (!sweep && p.sweep.mode != SWEEP_NONE)
        return usage_error("%s has a sweep block: run it with 'tokensim sweep'", c.scenario);
    if (sweep && p.sweep.mode == SWEEP_NONE)
        return usage_error("%s has no sweep block (sweep: {mode: grid, params: {name: [values]}})", c.scenario);
    if ((rc = strict_refuses(&c, print_warnings(&p, ""))) != 0)
        return rc;

    char default_out[PARAMS_TEXT_MAX + 8];
    if (c.resume && c.out && strcmp(c.resume, c.out) != 0)
        return usage_error("--resume names the output file; -o '%s' differs from it", c.out);
    if (c.resume)
        c.out = c.resume;
    if (!c.out) {
        outpath_default(p.name, "", default_out, sizeof default_out);
        c.out = default_out;
    }
    char partial[4096];
    if (check_source_date(&err) != SIM_OK || outpath_partial(c.out, partial, sizeof partial, &err) != SIM_OK ||
        check_output(c.out, c.force, c.resume != NULL, &err) != SIM_OK)
        return report(&err);
    if (dist_rank() == 0)
        publish_warn_stale(c.out, partial, stderr);
    size_t nagain = outpath_resume_command(prog, argc_all, argv_all, c.out, NULL, 0) + 1;
    char *again = malloc(nagain);
    if (!again) {
        sim_fail(&err, SIM_ENOMEM, "out of memory");
        return report(&err);
    }
    outpath_resume_command(prog, argc_all, argv_all, c.out, again, nagain);
    runner_opts_t opts = {
        .params = &p,
        .out_path = c.out,
        .command = sweep ? "sweep" : "run",
        .threads = c.threads > 0 ? c.threads : omp_get_max_threads(),
        .progress = !c.quiet && isatty(STDERR_FILENO) && dist_rank() == 0,
        .force = c.force,
        .resume_path = c.resume ? partial : NULL,
        .partial_path = partial,
        .how_to_continue = again,
        .stop_after_runs = test_stop_after_runs(),
        .fail_run = test_fail_run(),
    };
    runner_stats_t st = {0};
    sim_status_t rc_run = runner_campaign(&opts, &st, &err);
    if (rc_run != SIM_OK) {
        report(&err);
        if (st.resumable && dist_rank() == 0)
            fprintf(stderr, "  %s\n", again);   /* the message ends "continue with:" */
        free(again);
        if (rc_run == SIM_EINTR)
            return stop_signal ? 128 + stop_signal : 1;
        return sim_exit_status(rc_run);
    }
    free(again);
    if (dist_rank() != 0)
        return 0;
    if (!c.quiet) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);   /* ru_maxrss is in KiB on Linux (rank 0's) */
        char ranks[32] = "";
        if (dist_size() > 1)
            snprintf(ranks, sizeof ranks, "%d ranks x ", dist_size());
        fprintf(stderr, "tokensim: wrote %s: %zu runs x %zu times in %.2f s on %s%d thread%s "
                        "(%.0f run-days/s, peak RSS %.1f MiB)\n",
                c.out, st.runs, st.ntimes, st.seconds, ranks, opts.threads, opts.threads == 1 ? "" : "s",
                st.seconds > 0 ? (double)(st.runs - st.runs_resumed) * (double)p.days / st.seconds : 0.0,
                (double)ru.ru_maxrss / 1024.0);
        fprintf(stderr, "tokensim: of which simulating %.2f s, writing /runs %.2f s, /summary %.2f s, "
                        "checkpoints %.2f s\n",
                st.seconds_simulating, st.seconds_writing, st.seconds_summary, st.seconds_checkpoint);
        uint64_t nd = st.draws[0] + st.draws[1] + st.draws[2] + st.draws[3];
        fprintf(stderr, "tokensim: %" PRIu64 " random draws (staking %" PRIu64 ", demand %" PRIu64
                        ", price %" PRIu64 ", providers %" PRIu64 "), %.0f per run-day\n", nd, st.draws[0],
                st.draws[1], st.draws[2], st.draws[3],
                st.runs > st.runs_resumed ? (double)nd / ((double)(st.runs - st.runs_resumed) * (double)p.days) : 0.0);
        if (st.runs_resumed > 0)
            fprintf(stderr, "tokensim: %zu of the %zu runs came from %s (now removed)\n", st.runs_resumed,
                    st.runs, partial);
    }
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    cli_t c;
    int rc = parse_common(argc, argv, &c, 0, 0);
    if (rc)
        return rc;
    static params_t p;
    sim_error_t err;
    sim_error_clear(&err);
    if (load(&c, &p, &err) != SIM_OK)
        return report(&err);
    /* a sweep's points, as `tokensim sweep` checks them before it starts */
    static params_t point;
    for (size_t k = 0; p.sweep.mode != SWEEP_NONE && k < sweep_npoints(&p); k++)
        if (sweep_point(&p, k, &point, NULL, 0, &err) != SIM_OK)
            return report(&err);
    if ((rc = strict_refuses(&c, print_warnings(&p, ""))) != 0)
        return rc;
    say(stdout, "%s: valid (name %s, %lld runs x %lld days, seed %lld)", c.scenario, p.name,
        (long long)p.runs, (long long)p.days, (long long)p.seed);
    return 0;
}

static void print_range(const param_def_t *d, char *buf, size_t len)
{
    switch (d->type) {
    case PARAM_ENUM: snprintf(buf, len, "%s", d->choices); break;
    case PARAM_BOOL: snprintf(buf, len, "true|false"); break;
    case PARAM_TEXT: snprintf(buf, len, "text"); break;
    case PARAM_DATE: snprintf(buf, len, "YYYY-MM-DD"); break;
    case PARAM_INT: snprintf(buf, len, "[%.0f, %.0f]", d->min, d->max); break;
    default: snprintf(buf, len, "[%g, %g]", d->min, d->max); break;
    }
}

static int cmd_params(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            markdown = 1;
        else
            return usage_error("params: unexpected argument '%s'", argv[i]);
    }
    size_t n;
    const param_def_t *t = params_table(&n);
    params_t p;
    params_defaults(&p);
    char def[PARAMS_TEXT_MAX], range[128];
    size_t width = 0;   /* the longest name sets the first column */
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].name) > width)
            width = strlen(t[i].name);
    if (markdown) {
        printf("| parameter | default | range | unit | meaning |\n|---|---|---|---|---|\n");
    } else {
        printf("%-*s %-14s %-26s %-12s %s\n", (int)width, "parameter", "default", "range", "unit", "meaning");
    }
    for (size_t i = 0; i < n; i++) {
        params_format(&p, &t[i], def, sizeof def);
        print_range(&t[i], range, sizeof range);
        if (markdown)
            printf("| `%s` | %s | %s | %s | %s |\n", t[i].name, def[0] ? def : "\"\"", range, t[i].unit, t[i].doc);
        else
            printf("%-*s %-14s %-26s %-12s %s\n", (int)width, t[i].name, def[0] ? def : "\"\"", range, t[i].unit,
                   t[i].doc);
    }
    return 0;
}

static int cmd_compare(int argc, char **argv)
{
    cli_t c;
    int rc = parse_common(argc, argv, &c, 1, 1);
    if (rc)
        return rc;
    static params_t base, prop;
    sim_error_t err;
    sim_error_clear(&err);
    if (load_everywhere(&c, c.scenario, &base, &err) != SIM_OK ||
        load_everywhere(&c, c.scenario2, &prop, &err) != SIM_OK || compare_check(&base, &prop, &err) != SIM_OK)
        return report(&err);
    if ((rc = strict_refuses(&c, print_warnings(&base, "base: ") + print_warnings(&prop, "proposal: "))) != 0)
        return rc;
    prop.runs = base.runs;   /* the base's count (or -n) for both arms */
    char default_out[PARAMS_TEXT_MAX + 16];
    if (!c.out) {
        outpath_default(prop.name, "compare-", default_out, sizeof default_out);
        c.out = default_out;
    }
    if (c.resume)
        return usage_error("%s", "--resume continues 'run' and 'sweep' campaigns; a comparison starts again");
    if (check_source_date(&err) != SIM_OK || check_output(c.out, c.force, 0, &err) != SIM_OK)
        return report(&err);
    char partial[4096];
    if (dist_rank() == 0 && outpath_partial(c.out, partial, sizeof partial, &err) == SIM_OK)
        publish_warn_stale(c.out, partial, stderr);
    int root = dist_rank() == 0;
    runner_opts_t opts = {
        .out_path = c.out,
        .threads = c.threads > 0 ? c.threads : omp_get_max_threads(),
        .progress = !c.quiet && isatty(STDERR_FILENO) && root,
        .force = c.force,
    };
    compare_t cmp;
    sim_status_t st = compare_campaign(&base, &prop, &opts, &cmp, NULL, &err);
    if (st == SIM_OK && root) {   /* the table, printed once whole */
        char *table = NULL;
        size_t table_len = 0;
        FILE *mem = open_memstream(&table, &table_len);
        if (mem) {
            compare_print_table(&cmp.file, mem);
            fclose(mem);
            put_stream(stdout, table);
        } else {
            st = sim_fail(&err, SIM_ENOMEM, "%s: written, but out of memory printing the table", c.out);
        }
        free(table);
    }
    compare_free(&cmp);
    if (st != SIM_OK)
        return report(&err);
    if (!c.quiet && root)
        say(stderr, "tokensim: wrote %s", c.out);
    return 0;
}

/* "out.h5" -> "out<suffix>": where plot and report put their output by default. */
static const char *beside(const char *file, const char *suffix, char *buf, size_t len)
{
    size_t n = strlen(file);
    if (n > 3 && !strcmp(file + n - 3, ".h5"))
        n -= 3;
    snprintf(buf, len, "%.*s%s", (int)n, file, suffix);
    return buf;
}

static int cmd_plot(int argc, char **argv)
{
    const char *file = NULL, *out = NULL;
    const char *metrics[32];
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--metric") || !strcmp(argv[i], "-m")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a metric name", argv[i]);
            if (n == sizeof metrics / sizeof metrics[0])
                return usage_error("plot: at most %s metrics", "32");
            metrics[n++] = argv[++i];
        } else if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a file name", argv[i]);
            out = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    if (!file)
        return usage_error("%s", "plot needs a result file: tokensim plot OUT.h5 --metric NAME -o FIG.png");
    static const char *const defaults[] = {"supply_total", "inflation", "bonded_ratio", "gpu_utilisation"};
    if (n == 0)
        for (; n < sizeof defaults / sizeof defaults[0]; n++)
            metrics[n] = defaults[n];
    char default_out[4096];
    if (!out)
        out = beside(file, ".png", default_out, sizeof default_out);
    sim_error_t err;
    sim_error_clear(&err);
    if (plot_fan(file, metrics, n, out, &err) != SIM_OK)
        return report(&err);
    say(stderr, "tokensim: wrote %s", out);
    return 0;
}

static int cmd_report(int argc, char **argv)
{
    const char *file = NULL, *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a directory", argv[i]);
            dir = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    if (!file)
        return usage_error("%s", "report needs a result file: tokensim report OUT.h5 -o DIR");
    char default_dir[4096];
    if (!dir)
        dir = beside(file, "-report", default_dir, sizeof default_dir);
    sim_error_t err;
    sim_error_clear(&err);
    if (report_write(file, dir, &err) != SIM_OK)
        return report(&err);
    say(stderr, "tokensim: wrote %s/index.html", dir);
    return 0;
}

static int cmd_summary(int argc, char **argv)
{
    const char *file = NULL, *observed[64];
    summary_opts_t opts = {.observed = observed};
    size_t nobserved = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--observed-only")) {
            opts.observed_only = 1;
        } else if (!strcmp(argv[i], "--markdown")) {
            opts.markdown = 1;
        } else if (!strcmp(argv[i], "--observed")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a CSV file or a directory of them", argv[i]);
            if (nobserved == sizeof observed / sizeof observed[0])
                return usage_error("summary: at most %s --observed options", "64");
            observed[nobserved++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else {
            return usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    if (!file)
        return usage_error("%s", "summary needs a result file: tokensim summary OUT.h5 [--observed CSV|DIR]... [--observed-only [--markdown]]");
    sim_error_t err;
    sim_error_clear(&err);
    opts.nobserved = nobserved;
    if (opts.markdown && !opts.observed_only)
        return usage_error("%s", "--markdown prints the observations' table: give --observed-only too");
    /* printed once whole, so that a failure half-way prints no half table */
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    if (!mem)
        return report(&(sim_error_t){SIM_ENOMEM, "summary: out of memory"});
    sim_status_t st = summary_print(file, &opts, mem, &err);
    fclose(mem);
    if (st == SIM_OK && put_stream(stdout, text) != 0)
        st = sim_fail(&err, SIM_EIO, "%s: cannot write the summary: %s", file, strerror(errno));
    free(text);
    return st == SIM_OK ? 0 : report(&err);
}

static int dispatch(int argc, char **argv)
{
    /* under mpirun, run, sweep and compare spread their runs over the ranks;
     * the other commands read or print, once: on rank 0 */
    const char *first = argc >= 2 ? argv[1] : "";
    if (dist_rank() != 0 && strcmp(first, "run") && strcmp(first, "sweep") && strcmp(first, "compare"))
        return 0;
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    prog = argv[0];
    argc_all = argc - 1;
    argv_all = argv + 1;
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("tokensim %s (output format %d)\n", TOKENSIM_VERSION, TOKENSIM_FORMAT_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 2, argv + 2, 0);
    if (!strcmp(cmd, "sweep"))
        return cmd_run(argc - 2, argv + 2, 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 2, argv + 2);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 2, argv + 2);
    if (!strcmp(cmd, "params"))
        return cmd_params(argc - 2, argv + 2);
    if (!strcmp(cmd, "summary"))
        return cmd_summary(argc - 2, argv + 2);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 2, argv + 2);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 2, argv + 2);
    if (!strcmp(cmd, "export"))
        return usage_error("'%s' is not available in this version yet", cmd);
    return usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks every status instead */
    gsl_set_error_handler_off();
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG, as on a full
     * disk, instead of killing the process with the temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    h5out_library_init();
    /* the registry refuses scenarios too large for memory by the models' count */
    params_set_run_size(world_run_size);
    sim_error_t err;
    sim_error_clear(&err);
    if (dist_init(&argc, &argv, &err) != SIM_OK)
        return report(&err);
    int status = dispatch(argc, argv);
    dist_finalize();
    return status;
}
