/*
 * Putting a finished file under its name, and the names beside it
 * (docs/output.md, "How a file appears under its name").
 *
 * A file is written under a temporary name in its own directory and moved
 * to its name only once it is whole. Without replace, that move never
 * replaces anything: a file that took the name meanwhile (another campaign,
 * a user) is kept, and the caller keeps its result under another name
 * (publish_elsewhere). With replace, only a regular file is replaced:
 * never a symbolic link, a device, a pipe or a directory.
 *
 * Names beside OUT (its temporary, its partial file, a loser's name) are
 * "<OUT><suffix>" when that fits the directory's NAME_MAX; a longer one is
 * cut to NAME_MAX - 32 bytes (at a UTF-8 character boundary) and followed
 * by "~" and 8 hex digits of a hash of the whole name, so every output name
 * the file system accepts can be written, resumed and told apart.
 */
#ifndef OUTPUT_PUBLISH_H
#define OUTPUT_PUBLISH_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* "<dir>/<base><suffix>" for path "<dir>/<base>", shortened as above when too
 * long for a name. SIM_EINVAL when it does not fit buf. */
sim_status_t publish_sibling(const char *path, const char *suffix, char *buf, size_t size,
                             sim_error_t *err);

/* This process's temporary name for path: publish_sibling(path, ".tmp-<pid>"). */
sim_status_t publish_tmp_name(const char *path, char *buf, size_t size, sim_error_t *err);

/* What a name holds, without following a symbolic link. */
typedef enum {
    PUBLISH_NONE,       /* nothing (or it cannot be examined) */
    PUBLISH_REGULAR,
    PUBLISH_DIRECTORY,
    PUBLISH_OTHER       /* a symbolic link (dangling or not), device, pipe, socket */
} publish_kind_t;

/* The kind of path; *what (if not NULL) gets words for it: "a regular file",
 * "a symbolic link", "a dangling symbolic link", "a character device"... */
publish_kind_t publish_kind(const char *path, const char **what);

/* Move the whole file tmp to path (fsync first, then the directory after).
 * replace 0: never replaces anything; SIM_EEXIST when path is taken (tmp is
 * left as it is). replace 1: replaces a regular file only; SIM_EEXIST when
 * path holds anything else. SIM_EIO on other failures. */
sim_status_t publish_file(const char *tmp, const char *path, int replace, sim_error_t *err);

/* publish_file() for a file the caller has synced to disk itself (through a
 * descriptor it keeps: closing one would drop the process's locks on it). */
sim_status_t publish_move(const char *tmp, const char *path, int replace, sim_error_t *err);

/* path's name being taken: move tmp to the first free "<stem>-N<ext>" beside
 * it (ext ".h5" when path ends in it, else none; N from 1), without
 * replacing anything; its name into kept. */
sim_status_t publish_elsewhere(const char *tmp, const char *path, char *kept, size_t size,
                               sim_error_t *err);

/* Whether a running process holds path open for writing: its pid when it
 * holds tokensim's lock (publish_lock), -1 when only HDF5's own lock shows
 * it, 0 when nobody does (or locks are not supported there). */
long publish_holder(const char *path);

/* Take tokensim's lock on fd (a write lock on the whole file), so that
 * publish_holder() names this process. 0, or -1 (locks not supported). */
int publish_lock(int fd);

/* Name, on `to`, every temporary file beside out or its partial file (see
 * above) whose process is gone: neither running here nor holding a lock.
 * They are left in place (on a shared file system the process may be
 * running on another node) with the command that removes them. Returns
 * how many. */
size_t publish_warn_stale(const char *out, const char *partial, FILE *to);

#endif
