/* The commands that run campaigns: run, sweep and compare (commands.h), on
 * every MPI rank, through the campaign engine (runner.h). */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "dist.h"
#include "h5out.h"
#include "outpath.h"
#include "publish.h"
#include "runner.h"
#include "sweep.h"

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

/* The output's name: -o, else the default the scenario's name gives (into
 * def); and whether the campaign may write it: $SOURCE_DATE_EPOCH well
 * formed, the name free (unless --force; --resume: the partial file there).
 * Warns of a stale partial file beside it. Returns 0 or the exit status. */
static int prepare_output(cli_t *c, const char *name, const char *prefix, char *def, size_t def_size,
                          char *partial, size_t partial_size)
{
    sim_error_t err;
    sim_error_clear(&err);
    if (!c->out) {
        outpath_default(name, prefix, def, def_size);
        c->out = def;
    }
    time_t t;   /* $SOURCE_DATE_EPOCH, before any work: a malformed value is an error */
    sim_status_t rc = h5out_source_date(&t, &err);
    if (rc == SIM_OK)
        rc = outpath_partial(c->out, partial, partial_size, &err);
    if (rc == SIM_OK)   /* rank 0's file system decides */
        rc = dist_agree(dist_rank() == 0 ? outpath_check(c->out, c->force, c->resume != NULL, &err) : SIM_OK, &err);
    if (rc != SIM_OK)
        return cli_report(&err);
    if (dist_rank() == 0)
        publish_warn_stale(c->out, partial, stderr);
    return 0;
}

/* Rank 0, a campaign done: where the time went, memory, random draws. */
static void print_stats(const runner_stats_t *st, const char *out, int threads, int64_t days, const char *partial)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);   /* ru_maxrss is in KiB on Linux (rank 0's) */
    char ranks[32] = "";
    if (dist_size() > 1)
        snprintf(ranks, sizeof ranks, "%d ranks x ", dist_size());
    fprintf(stderr, "tokensim: wrote %s: %zu runs x %zu times in %.2f s on %s%d thread%s "
                    "(%.0f run-days/s, peak RSS %.1f MiB)\n",
            out, st->runs, st->ntimes, st->seconds, ranks, threads, threads == 1 ? "" : "s",
            st->seconds > 0 ? (double)(st->runs - st->runs_resumed) * (double)days / st->seconds : 0.0,
            (double)ru.ru_maxrss / 1024.0);
    fprintf(stderr, "tokensim: of which simulating %.2f s, writing /runs %.2f s, /summary %.2f s, "
                    "checkpoints %.2f s\n",
            st->seconds_simulating, st->seconds_writing, st->seconds_summary, st->seconds_checkpoint);
    uint64_t nd = st->draws[0] + st->draws[1] + st->draws[2] + st->draws[3];
    fprintf(stderr, "tokensim: %" PRIu64 " random draws (staking %" PRIu64 ", demand %" PRIu64
                    ", price %" PRIu64 ", providers %" PRIu64 "), %.0f per run-day\n", nd, st->draws[0],
            st->draws[1], st->draws[2], st->draws[3],
            st->runs > st->runs_resumed ? (double)nd / ((double)(st->runs - st->runs_resumed) * (double)days) : 0.0);
    if (st->runs_resumed > 0)
        fprintf(stderr, "tokensim: %zu of the %zu runs came from %s (now removed)\n", st->runs_resumed,
                st->runs, partial);
}

#define OPT_OUTPUT {"output", 'o', "OUT.h5", "the output file (default: NAME.h5, NAME from the scenario's\nname as a plain file name; an existing file is kept: --force)"}
#define OPT_RUNS {"runs", 'n', "RUNS", "replications (the same as --set runs=RUNS)"}
#define OPT_THREADS {"threads", 'j', "THREADS", "OpenMP threads (default: OMP_NUM_THREADS or every core);\nthe results do not depend on it"}
#define OPT_SEED {"seed", 0, "N", "master seed (the same as --set seed=N)"}
#define OPT_DAYS {"days", 0, "DAYS", "horizon in days (the same as --set days=DAYS)"}
#define OPT_SET {"set", 0, "KEY=VALUE", "override a parameter, e.g. --set mint.inflation_max=0.25\n(repeatable, applied in order; 'tokensim params' lists them)"}
#define OPT_FORCE {"force", 0, NULL, "replace an existing output file (only a regular file is ever\nreplaced)"}
#define OPT_STRICT {"strict", 0, NULL, "warnings (an event after the horizon, which the runs ignore)\nare errors: exit status 2, nothing written"}
#define OPT_RESUME {"resume", 0, "OUT.h5", "continue the campaign interrupted (Ctrl-C, SIGTERM, a kill)\ninto OUT.h5, whose finished runs wait in OUT.h5.partial;\ngive the same scenario and options"}
#define OPT_QUIET {"quiet", 'q', NULL, "no progress line and no timing lines"}

static const cli_option_t run_options[] = {
    OPT_OUTPUT, OPT_RUNS, OPT_THREADS, OPT_SEED, OPT_DAYS, OPT_SET, OPT_FORCE,
    OPT_RESUME,
    OPT_STRICT, OPT_QUIET, {0},
};

static const cli_option_t sweep_options[] = {
    OPT_OUTPUT,
    {"runs", 'n', "RUNS", "replications of every point (the same as --set runs=RUNS)"},
    OPT_THREADS, OPT_SEED, OPT_DAYS, OPT_SET, OPT_FORCE, OPT_RESUME, OPT_STRICT, OPT_QUIET, {0},
};

static const cli_option_t compare_options[] = {
    {"output", 'o', "OUT.h5", "the output file (default: compare-NAME.h5, NAME the proposal's\nname; an existing file is kept: --force)"},
    {"runs", 'n', "RUNS", "paired runs: replications of each arm (default: the base's runs)"},
    OPT_THREADS,
    {"seed", 0, "N", "master seed of both arms (the same as --set seed=N)"},
    {"days", 0, "DAYS", "horizon of both arms (the same as --set days=DAYS)"},
    {"set", 0, "KEY=VALUE", "override a parameter in both arms (repeatable); a key the\nproposal changes is then the same in both, and its effect gone"},
    OPT_FORCE, OPT_STRICT, OPT_QUIET,
    {"resume", 0, "OUT.h5", "refused: a comparison is not resumable; run it again"},
    {0},
};

/* run and sweep: the scenario's campaign, resumable. */
static int run_campaign(const cli_command_t *cmd, int argc, char **argv, int sweep)
{
    const char *prog = argv[0];   /* as invoked: the command that resumes starts with it */
    cli_t c;
    int rc = cli_parse(cmd, argc - 1, argv + 1, &c, 1);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    static params_t p;   /* large (the event table): not on the stack */
    sim_error_t err;
    sim_error_clear(&err);
    if (cli_load_everywhere(&c, c.scenario, &p, &err) != SIM_OK)
        return cli_report(&err);
    /* now, before the ranks meet again in prepare_output(): a signal that reaches a
     * rank from here on stops the campaign on every rank, at a batch's end */
    catch_stop_signals();
    if (!sweep && p.sweep.mode != SWEEP_NONE)
        return cli_usage_error("%s has a sweep block: run it with 'tokensim sweep'", c.scenario);
    if (sweep && p.sweep.mode == SWEEP_NONE)
        return cli_usage_error("%s has no sweep block (sweep: {mode: grid, params: {name: [values]}})", c.scenario);
    if ((rc = cli_strict_refuses(&c, cli_print_warnings(&p, ""))) != 0)
        return rc;
    if (!c.quiet)
        cli_print_cohorts_note(&p, "");

    char default_out[PARAMS_TEXT_MAX + 8], partial[4096];
    if (c.resume && c.out && strcmp(c.resume, c.out) != 0)
        return cli_usage_error("--resume names the output file; -o '%s' differs from it", c.out);
    if (c.resume)
        c.out = c.resume;
    if ((rc = prepare_output(&c, p.name, "", default_out, sizeof default_out, partial, sizeof partial)) != 0)
        return rc;
    size_t nagain = cli_resume_command(&c, prog, cmd->name, c.out, NULL, 0) + 1;
    char *again = malloc(nagain);
    if (!again) {
        sim_fail(&err, SIM_ENOMEM, "out of memory");
        return cli_report(&err);
    }
    cli_resume_command(&c, prog, cmd->name, c.out, again, nagain);
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
        cli_report(&err);
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
    if (!c.quiet)
        print_stats(&st, c.out, opts.threads, p.days, partial);
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    return run_campaign(&command_run, argc, argv, 0);
}

static int cmd_sweep(int argc, char **argv)
{
    return run_campaign(&command_sweep, argc, argv, 1);
}

const cli_command_t command_run = {
    .name = "run",
    .brief = "simulate a scenario's runs into an HDF5 file",
    .synopsis = "SCENARIO.yaml [OPTIONS]",
    .purpose = "Simulate the scenario's runs and write them, with their summary, to an HDF5 file\n"
               "(docs/output.md). A progress line shows on a terminal; Ctrl-C keeps the finished runs.",
    .options = run_options,
    .examples = "tokensim run scenarios/akash-history.yaml -n 200 -o history.h5\n"
                "tokensim run scenarios/akash-2024.yaml -n 1000 --days 3650 --set tenants.cohorts_per_day=64\n"
                "tokensim run scenarios/akash-2024.yaml --resume akash-2024.h5   # after an interruption",
    .run = cmd_run,
    .campaign = 1,
};

const cli_command_t command_sweep = {
    .name = "sweep",
    .brief = "run a scenario's sweep (grid, lhs, sobol, morris, saltelli)",
    .synopsis = "SCENARIO.yaml [OPTIONS]",
    .purpose = "Run the scenario's sweep: block (grid, zip, lhs, sobol, morris, saltelli) as\n"
               "[points, runs, times]; 'tokensim summary' ranks the parameters (docs/output.md, \"Sweeps\").",
    .options = sweep_options,
    .examples = "tokensim sweep scenarios/sensitivity-example.yaml -n 20 -o morris.h5\n"
                "tokensim summary morris.h5",
    .run = cmd_sweep,
    .campaign = 1,
};

/* compare: two scenarios paired run by run (compare.h); not resumable. */
static int cmd_compare(int argc, char **argv)
{
    cli_t c;
    int rc = cli_parse(&command_compare, argc - 1, argv + 1, &c, 2);
    if (rc)
        return rc == CLI_HELP_SHOWN ? 0 : rc;
    static params_t base, prop;   /* large (the event table): not on the stack */
    sim_error_t err;
    sim_error_clear(&err);
    if (cli_load_everywhere(&c, c.scenario, &base, &err) != SIM_OK ||
        cli_load_everywhere(&c, c.scenario2, &prop, &err) != SIM_OK || compare_check(&base, &prop, &err) != SIM_OK)
        return cli_report(&err);
    if ((rc = cli_strict_refuses(&c, cli_print_warnings(&base, "base: ") + cli_print_warnings(&prop, "proposal: "))) != 0)
        return rc;
    if (!c.quiet) {
        cli_print_cohorts_note(&base, "base: ");
        cli_print_cohorts_note(&prop, "proposal: ");
    }
    prop.runs = base.runs;   /* the base's count (or -n) for both arms */
    if (c.resume)
        return cli_usage_error("%s", "--resume continues 'run' and 'sweep' campaigns; a comparison starts again");
    char default_out[PARAMS_TEXT_MAX + 16], partial[4096];
    if ((rc = prepare_output(&c, prop.name, "compare-", default_out, sizeof default_out, partial, sizeof partial)) != 0)
        return rc;
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
            cli_put_stream(stdout, table);
        } else {
            st = sim_fail(&err, SIM_ENOMEM, "%s: written, but out of memory printing the table", c.out);
        }
        free(table);
    }
    compare_free(&cmp);
    if (st != SIM_OK)
        return cli_report(&err);
    if (!c.quiet && root)
        cli_say(stderr, "tokensim: wrote %s", c.out);
    return 0;
}

const cli_command_t command_compare = {
    .name = "compare",
    .brief = "paired runs of two scenarios: differences with 95 % CIs",
    .synopsis = "BASE.yaml PROPOSAL.yaml [OPTIONS]",
    .purpose = "Run two scenarios paired run by run (common random numbers) and print each headline\n"
               "metric's arms, their difference and its 95 % confidence interval (docs/proposals.md).\n"
               "The base's number of runs (or -n) is used for both arms. A comparison is not resumable.",
    .options = compare_options,
    .examples = "tokensim compare scenarios/akash-2024.yaml scenarios/proposals/governance-2024-2026.yaml -n 200\n"
                "tokensim summary compare-governance-2024-2026.h5",
    .run = cmd_compare,
    .campaign = 1,
};
