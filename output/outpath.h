/*
 * The output file's name and its partial file: whether a command may write
 * OUT (docs/output.md: an existing file is kept unless --force, and only a
 * regular file is ever replaced), the default name a scenario gives, how an
 * interrupted campaign is continued (OUT.partial, --resume OUT), and the
 * command line that continues it.
 */
#ifndef SIM_OUTPATH_H
#define SIM_OUTPATH_H

#include <stddef.h>

#include "err.h"

/* Bytes of a scenario's name kept in a default output name. */
#define OUTPATH_NAME_MAX 200

/* "<out>.partial" into buf (publish_sibling: shortened when too long for a
 * name); SIM_EINVAL when it does not fit buf. */
sim_status_t outpath_partial(const char *out, char *buf, size_t size, sim_error_t *err);

/* May the command write out? out and out.partial must be regular files or
 * nothing (a directory, symbolic link, device or pipe is refused, --force or
 * not), and out.partial must not be held by a running campaign. Without
 * resume: out and out.partial must not exist unless force. With resume:
 * out.partial must exist and out must not (unless force). SIM_EINVAL with the
 * way forward in the message (SIM_EIO for a directory named as the output). */
sim_status_t outpath_check(const char *out, int force, int resume, sim_error_t *err);

/* The default output name for a scenario named name: prefix, then name's
 * ASCII letters, digits, '.', '_' and '-' (each run of other bytes becomes
 * one '-'; at most OUTPATH_NAME_MAX bytes), leading dots and dashes dropped,
 * "tokensim" when nothing is left, then ".h5": always a plain file name in
 * the current directory. */
void outpath_default(const char *name, const char *prefix, char *buf, size_t size);

/* The command that continues this one: prog (argv[0] as invoked; "tokensim"
 * when NULL) and args as given, each shell-quoted where needed, minus
 * -o/--output and --resume with their values, then "--resume <out>". Writes
 * what fits in buf (terminated when size > 0) and returns the length of the
 * whole command, as snprintf does. */
size_t outpath_resume_command(const char *prog, int argc, char **argv, const char *out, char *buf,
                              size_t size);

#endif
