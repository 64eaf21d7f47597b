/*
 * Checkpoints: a campaign keeps its partial file (partial.h) up to date while
 * it runs, so that a kill (SIGKILL, the OOM killer, a lost node) loses at most
 * the batch of runs in flight.
 *
 * The partial file has the result file's layout without /summary, plus
 * /manifest. A new campaign makes it first (its skeleton, nothing done), under
 * its name, held with tokensim's lock; after each batch the chunk rows the
 * result file gained are copied into it, stored bytes as they are (no second
 * compression), and the manifest is committed:
 *   1. a chunk row the partial file holds in part (an interrupted campaign's
 *      last rows, completed by the resumed one) first has its runs marked not
 *      done, flushed: rewriting it may reuse its space;
 *   2. the chunks are copied, the file flushed and synced to disk;
 *   3. then /manifest/checksum and /manifest/done of the rows' runs are
 *      written, and the file flushed again.
 * HDF5 keeps the metadata it changes in memory until a flush (partial.c), so a
 * kill between checkpoints leaves the file of the last one, which --resume
 * checks against its checksums. While running, only whole chunk rows are
 * copied; the final checkpoint of an interruption copies the rest.
 */
#ifndef OUTPUT_CHECKPOINT_H
#define OUTPUT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "h5out.h"
#include "partial.h"

/* The partial file of a new campaign: skeleton_tmp (the result's layout, no
 * runs: h5out_close_as_is) gets /manifest (attributes runs_total, runs_done,
 * status "running", `continue` = how_to_continue), tokensim's lock, and the
 * name path (publish_file: with replace, over an interrupted campaign's
 * regular file, never over a running one's). *out is it, open for
 * checkpoints. On failure nothing is left (skeleton_tmp is removed). */
sim_status_t checkpoint_create(partial_t **out, const char *path, const char *skeleton_tmp,
                               const partial_expect_t *ex, const char *how_to_continue, int replace,
                               sim_error_t *err);

/* A checkpoint after runs [first, first + count) of point were written to
 * the result file src (a whole number of its chunk rows, or up to the last
 * run): have[i] is 1 when src holds run first + i, and sums[i] is its checksum
 * (partial_checksum) when the partial file lacks it. Copies every chunk row
 * src holds runs of that the partial file lacks (only rows src holds whole,
 * unless final), then commits the manifest as above. */
sim_status_t checkpoint_commit(partial_t *pt, const h5out_t *src, size_t point, size_t first,
                               size_t count, const unsigned char *have, const uint64_t *sums,
                               int final, sim_error_t *err);

/* Set /manifest's status ("running", "interrupted") and flush. */
sim_status_t checkpoint_status(partial_t *pt, const char *status, sim_error_t *err);

/* The campaign's result is in place: close pt and remove the partial file
 * (if its name still holds this file). Accepts NULL. */
void checkpoint_remove(partial_t *pt);

#endif
