/*
 * tokensim: the command line (README.md). Picks the command
 * (commands.h), which reads its arguments, calls the library, prints and
 * chooses the exit status: 0 success, 1 runtime failure, 2 bad usage or bad
 * input. Nothing else in the program prints or exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "commands.h"
#include "dist.h"
#include "err.h"
#include "h5out.h"
#include "params.h"
#include "version.h"
#include "world.h"

static const cli_command_t *const commands[] = {
    &command_run, &command_compare, &command_sweep, &command_summary, &command_plot, &command_report, &command_export,
    &command_validate, &command_params, &command_metrics,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command_t *find_command(const char *name)
{
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (strcmp(name, commands[k]->name) == 0)
            return commands[k];
    return NULL;
}

static void usage(FILE *f)
{
    fputs("usage: tokensim COMMAND [ARGS]\n\ncommands:\n", f);
    for (size_t k = 0; k < NCOMMANDS; k++)
        fprintf(f, "  %-10s%s\n", commands[k]->name, commands[k]->brief);
    fputs("  help      the help of a command: tokensim help COMMAND (or tokensim COMMAND --help)\n"
          "\n"
          "tokensim --version prints the version and the output format's.\n"
          "MPI build (make MPI=1): mpirun -np N tokensim run|sweep|compare ... spreads the runs over N\n"
          "ranks (the same file); kill -USR1 <mpirun's pid> stops them and keeps the finished runs.\n"
          "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
          "Documentation: README.md, docs/model.md, docs/output.md, scenarios/README.md.\n", f);
}

/* tokensim help [COMMAND] */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[2], "help")) {
        usage(stdout);
        return 0;
    }
    const cli_command_t *cmd = find_command(argv[2]);
    if (!cmd)
        return cli_usage_error("help: unknown command '%s'", argv[2]);
    if (argc > 3)
        return cli_usage_error("help: unexpected argument '%s'", argv[3]);
    cli_print_help(cmd, stdout);
    return 0;
}

static int dispatch(int argc, char **argv)
{
    /* under mpirun, run, sweep and compare spread their runs over the ranks;
     * the other commands read or print, once: on rank 0 */
    const char *name = argc >= 2 ? argv[1] : "";
    const cli_command_t *cmd = find_command(name);
    if (dist_rank() != 0 && !(cmd && cmd->campaign))
        return 0;
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (cmd) {
        cli_set_command(cmd->name);
        return cmd->run(argc, argv);
    }
    if (!strcmp(name, "help"))
        return help(argc, argv);
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) {
        printf("tokensim %s (output format %d)\n", TOKENSIM_VERSION, TOKENSIM_FORMAT_VERSION);
        return 0;
    }
    return cli_usage_error("unknown command '%s'", name);
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
        return cli_report(&err);
    int status = dispatch(argc, argv);
    /* a listing or a table that did not reach its file is a failure (a full
     * disk under `tokensim params --markdown > file`) */
    if (status == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        cli_say(stderr, "tokensim: cannot write the standard output: %s", strerror(errno));
        status = 1;
    }
    dist_finalize();
    return status;
}
