/* Plain-text tables; see texttable.h. */
#include "texttable.h"

#include <stdlib.h>
#include <string.h>

texttable_t texttable_new(size_t ncols, uint64_t left)
{
    return (texttable_t){.ncols = ncols, .left = left};
}

texttable_cell_t *texttable_row(texttable_t *t)
{
    if (t->ncols == 0)
        return NULL;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        texttable_cell_t *c = realloc(t->cell, cap * t->ncols * sizeof *c);
        if (!c)
            return NULL;
        t->cell = c;
        t->cap = cap;
    }
    texttable_cell_t *row = t->cell + t->nrows++ * t->ncols;
    memset(row, 0, t->ncols * sizeof *row);
    return row;
}

int texttable_print(const texttable_t *t, FILE *out)
{
    size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
    if (!w)
        return -1;
    for (size_t c = 0; c < t->ncols; c++)
        for (size_t r = 0; r < t->nrows; r++)
            if (strlen(t->cell[r * t->ncols + c]) > w[c])
                w[c] = strlen(t->cell[r * t->ncols + c]);
    for (size_t r = 0; r < t->nrows; r++) {
        size_t end = t->ncols;     /* no blanks after the last cell that has text */
        while (end > 0 && t->cell[r * t->ncols + end - 1][0] == '\0')
            end--;
        for (size_t c = 0; c < end; c++) {
            const char *s = t->cell[r * t->ncols + c];
            int last = c + 1 == end, left = c < 64 && (t->left >> c & 1u);
            if (left && last)
                fputs(s, out);
            else
                fprintf(out, left ? "%-*s" : "%*s", (int)w[c], s);
            if (!last)
                fputs("  ", out);
        }
        fputc('\n', out);
    }
    free(w);
    return 0;
}

void texttable_free(texttable_t *t)
{
    free(t->cell);
    t->cell = NULL;
    t->nrows = t->cap = 0;
}
