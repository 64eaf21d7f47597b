/*
 * The commands of `tokensim` (README.md), one function each: it takes the
 * whole command line (argv[0] the program, argv[1] the command's name),
 * prints what the command prints and returns the exit status.
 */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

/* Campaigns (cmd_campaign.c): run, sweep and compare, on every MPI rank. */
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* Scenarios and parameters (cmd_scenario.c). */
int cmd_validate(int argc, char **argv);
int cmd_params(int argc, char **argv);

/* Result files (cmd_files.c): key figures, fan charts, an HTML report. */
int cmd_summary(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
