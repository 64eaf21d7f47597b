/*
 * A plain-text table for the terminal: rows of cells, each column as wide as
 * its widest cell, two spaces between columns; numbers right-aligned, text
 * columns (a bit in `left`) left-aligned; a row of empty cells is an empty
 * line (a break between groups of rows). The tables of `tokensim summary`
 * (sweeps, comparisons) and `tokensim compare` are made with it.
 */
#ifndef OUTPUT_TEXTTABLE_H
#define OUTPUT_TEXTTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes of a cell, its NUL included. */
#define TEXTTABLE_CELL 96

typedef char texttable_cell_t[TEXTTABLE_CELL];

typedef struct {
    size_t ncols, nrows, cap;
    texttable_cell_t *cell;         /* [nrows * ncols] */
    uint64_t left;                  /* bit c: column c (< 64) is left-aligned */
} texttable_t;

/* An empty table of ncols columns; left as above. */
texttable_t texttable_new(size_t ncols, uint64_t left);

/* A new row of empty cells (ncols of them); NULL when out of memory. The
 * pointer holds until the next texttable_row. */
texttable_cell_t *texttable_row(texttable_t *t);

/* Print the rows; the last column without trailing blanks. -1 when out of
 * memory (nothing printed), else 0. */
int texttable_print(const texttable_t *t, FILE *out);

void texttable_free(texttable_t *t);

#endif
