/*
 * The output file's name and its partial file: whether a command may write
 * OUT (design.md §6, issue 8: an existing file is kept unless --force), how an
 * interrupted campaign is continued (OUT.partial, --resume OUT), and the
 * command line that continues it.
 */
#ifndef SIM_OUTPATH_H
#define SIM_OUTPATH_H

#include <stddef.h>

#include "err.h"

/* "<out>.partial" into buf; SIM_EINVAL when it does not fit. */
sim_status_t outpath_partial(const char *out, char *buf, size_t size, sim_error_t *err);

/* May the command write out? Without resume: out and out.partial must not
 * exist unless force. With resume: out.partial must exist and out must not
 * (unless force). SIM_EINVAL with the way forward in the message. */
sim_status_t outpath_check(const char *out, int force, int resume, sim_error_t *err);

/* The command that continues this one: "tokensim" and args as given (shell
 * quoted where needed) minus -o/--output, --force and --resume with their
 * values, then "--resume <out>". Truncated to size with "..." if too long. */
void outpath_resume_command(int argc, char **argv, const char *out, char *buf, size_t size);

#endif
