/*
 * Drawing a figure with gnuplot: a script and its data in temporary files
 * ($TMPDIR or /tmp), gnuplot run as a child process without a shell, the
 * figure written under a temporary name beside its own, checked whole and
 * moved to its name only when gnuplot succeeded. Strings from a result file
 * reach the script only through gnuplot_quote. With $TOKENSIM_GNUPLOT_KEEP
 * naming a directory, a copy of each figure's script and data stays there as
 * FIG.png.gp and FIG.png.dat (the script naming these and the figure), to
 * read what was drawn (the tests do) or redraw it with changes.
 */
#ifndef OUTPUT_GNUPLOT_H
#define OUTPUT_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef struct {
    FILE *gp;                /* the script */
    FILE *dat;               /* the data: blocks read with `index k` */
    size_t blocks;           /* data blocks ended so far */
    int svg;                 /* SVG, else PNG */
    const char *out_path;
    char script[4200], data[4200], tmp_out[4200];
} gnuplot_t;

/* The figure's name ends in .png or .svg (*svg says which) and its directory
 * exists and is writable: checked before any work, so that the error is
 * ours rather than gnuplot's. */
sim_status_t gnuplot_check_out(const char *out_path, int *svg, sim_error_t *err);

/* Open the script and data files and start the script: the terminal (width x
 * height pixels, DejaVu Sans 10) and its output. On failure nothing is left. */
sim_status_t gnuplot_open(gnuplot_t *g, const char *out_path, int svg, int width, int height, sim_error_t *err);

/* s as a gnuplot single-quoted literal ('' for ', controls as spaces). */
void gnuplot_quote(FILE *f, const char *s);

/* The data file's name, quoted: the first file of a plot command. */
void gnuplot_data_name(const gnuplot_t *g);

/* End the data block being written; its index for `index k`. */
size_t gnuplot_end_block(gnuplot_t *g);

/* Close the files; when st is SIM_OK run gnuplot and move the figure to its
 * name; remove the temporary files either way. Returns the first failure. */
sim_status_t gnuplot_finish(gnuplot_t *g, sim_status_t st, sim_error_t *err);

#endif
