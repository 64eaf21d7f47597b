/*
 * The commands of `tokensim` (README.md): each a cli_command_t (cli.h) with
 * its options, help and the function that runs it.
 */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

#include "cli.h"

/* Campaigns (cmd_campaign.c), on every MPI rank. */
extern const cli_command_t command_run, command_sweep, command_compare;

/* Scenarios, parameters and metrics (cmd_scenario.c, cmd_metrics.c). */
extern const cli_command_t command_validate, command_params, command_metrics;

/* Result files (cmd_files.c): key figures, fan charts, an HTML report, CSV. */
extern const cli_command_t command_summary, command_plot, command_report, command_export;

#endif
