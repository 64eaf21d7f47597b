/*
 * tokensim: the command line (README.md). Picks the command
 * (commands.h), which reads its arguments, calls the library, prints and
 * chooses the exit status: 0 success, 1 runtime failure, 2 bad usage or bad
 * input. Nothing else in the program prints or exits.
 */
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

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    int campaign;               /* 1: every MPI rank runs it; 0: rank 0 alone */
} commands[] = {
    {"run", cmd_run, 1},
    {"sweep", cmd_sweep, 1},
    {"compare", cmd_compare, 1},
    {"validate", cmd_validate, 0},
    {"params", cmd_params, 0},
    {"summary", cmd_summary, 0},
    {"plot", cmd_plot, 0},
    {"report", cmd_report, 0},
};

static int dispatch(int argc, char **argv)
{
    /* under mpirun, run, sweep and compare spread their runs over the ranks;
     * the other commands read or print, once: on rank 0 */
    const char *cmd = argc >= 2 ? argv[1] : "";
    size_t n = sizeof commands / sizeof commands[0], k = 0;
    while (k < n && strcmp(cmd, commands[k].name) != 0)
        k++;
    if (dist_rank() != 0 && !(k < n && commands[k].campaign))
        return 0;
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (k < n)
        return commands[k].run(argc, argv);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("tokensim %s (output format %d)\n", TOKENSIM_VERSION, TOKENSIM_FORMAT_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "export"))
        return cli_usage_error("'%s' is not available in this version yet", cmd);
    return cli_usage_error("unknown command '%s'", cmd);
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
    dist_finalize();
    return status;
}
