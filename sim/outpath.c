/* Output file names and their partial files; see outpath.h. */
#include "outpath.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

sim_status_t outpath_partial(const char *out, char *buf, size_t size, sim_error_t *err)
{
    int n = snprintf(buf, size, "%s.partial", out);
    if (n < 0 || (size_t)n >= size)
        SIM_FAIL(err, SIM_EINVAL, "%s: output file name too long", out);
    return SIM_OK;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

sim_status_t outpath_check(const char *out, int force, int resume, sim_error_t *err)
{
    char partial[4096];
    sim_status_t st = outpath_partial(out, partial, sizeof partial, err);
    if (st != SIM_OK)
        return st;
    struct stat sb;
    if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))
        SIM_FAIL(err, SIM_EIO, "%s: cannot write the output file: it is a directory", out);
    if (resume) {
        if (!exists(partial))
            SIM_FAIL(err, SIM_EINVAL, "%s: nothing to resume: %s does not exist (an interrupted "
                     "campaign leaves it)", out, partial);
        if (exists(out) && !force)
            SIM_FAIL(err, SIM_EINVAL, "%s: exists already; pass --force to replace it with the "
                     "resumed campaign", out);
        return SIM_OK;
    }
    if (force)
        return SIM_OK;
    if (exists(partial))
        SIM_FAIL(err, SIM_EINVAL, "%s: %s holds an interrupted campaign: continue it with "
                 "--resume %s, or pass --force to start again", out, partial, out);
    if (exists(out))
        SIM_FAIL(err, SIM_EINVAL, "%s: the output file exists; pass --force to overwrite it, or "
                 "choose another name with -o", out);
    return SIM_OK;
}

/* Append s to buf (at *len), single-quoted when the shell would split or expand it. */
static void append_word(char *buf, size_t size, size_t *len, const char *s)
{
    int plain = s[0] != '\0';
    for (const char *c = s; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%", *c))
            plain = 0;
    char word[1024];
    if (plain) {
        snprintf(word, sizeof word, " %s", s);
    } else {
        size_t w = 0;
        word[w++] = ' ';
        word[w++] = '\'';
        for (const char *c = s; *c && w + 6 < sizeof word; c++) {
            if (*c == '\'') {
                memcpy(word + w, "'\\''", 4);
                w += 4;
            } else {
                word[w++] = *c;
            }
        }
        word[w++] = '\'';
        word[w] = '\0';
    }
    size_t n = strlen(word);
    if (*len + n + 4 >= size) {
        if (*len + 4 < size) {
            memcpy(buf + *len, " ...", 5);
            *len += 4;
        }
        return;
    }
    memcpy(buf + *len, word, n + 1);
    *len += n;
}

void outpath_resume_command(int argc, char **argv, const char *out, char *buf, size_t size)
{
    if (size == 0)
        return;
    size_t len = 0;
    buf[0] = '\0';
    append_word(buf, size, &len, "tokensim");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--resume")) {
            i++;   /* and its value */
            continue;
        }
        if (!strcmp(a, "--force"))
            continue;
        append_word(buf, size, &len, a);
    }
    append_word(buf, size, &len, "--resume");
    append_word(buf, size, &len, out);
    if (buf[0] == ' ')
        memmove(buf, buf + 1, strlen(buf));
}
