/* Output file names and their partial files; see outpath.h. */
#include "outpath.h"

#include <stdio.h>
#include <string.h>

#include "publish.h"

sim_status_t outpath_partial(const char *out, char *buf, size_t size, sim_error_t *err)
{
    return publish_sibling(out, ".partial", buf, size, err);
}

/* Refuse what tokensim never writes over: anything but a regular file. */
static sim_status_t regular_or_none(const char *out, const char *path, sim_error_t *err)
{
    const char *what;
    publish_kind_t k = publish_kind(path, &what);
    if (k == PUBLISH_DIRECTORY && path == out)
        SIM_FAIL(err, SIM_EIO, "%s: cannot write the output file: it is a directory", out);
    if (k == PUBLISH_DIRECTORY || k == PUBLISH_OTHER)
        SIM_FAIL(err, SIM_EINVAL, "%s: %s is %s; tokensim writes and replaces regular files only, "
                 "even with --force: remove it, or choose another name with -o", out,
                 path == out ? "the output name" : path, what);
    return SIM_OK;
}

sim_status_t outpath_check(const char *out, int force, int resume, sim_error_t *err)
{
    char partial[4096];
    sim_status_t st = outpath_partial(out, partial, sizeof partial, err);
    if (st == SIM_OK)
        st = regular_or_none(out, out, err);
    if (st == SIM_OK)
        st = regular_or_none(out, partial, err);
    if (st != SIM_OK)
        return st;
    int has_out = publish_kind(out, NULL) == PUBLISH_REGULAR;
    int has_partial = publish_kind(partial, NULL) == PUBLISH_REGULAR;
    long holder = has_partial ? publish_holder(partial) : 0;
    if (holder > 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: a running campaign (process %ld) is writing it, its finished "
                 "runs in %s; wait for it to end, or choose another name with -o", out, holder, partial);
    if (holder < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: a running campaign is writing it (%s is open for writing); wait "
                 "for it to end, or choose another name with -o", out, partial);
    if (resume) {
        if (!has_partial)
            SIM_FAIL(err, SIM_EINVAL, "%s: nothing to resume: %s does not exist (an interrupted "
                     "campaign leaves it)", out, partial);
        if (has_out && !force)
            SIM_FAIL(err, SIM_EINVAL, "%s: exists already; pass --force to replace it with the "
                     "resumed campaign", out);
        return SIM_OK;
    }
    if (force)
        return SIM_OK;
    if (has_partial)
        SIM_FAIL(err, SIM_EINVAL, "%s: %s holds an interrupted campaign: continue it with "
                 "--resume %s, or pass --force to start again", out, partial, out);
    if (has_out)
        SIM_FAIL(err, SIM_EINVAL, "%s: the output file exists; pass --force to overwrite it, or "
                 "choose another name with -o", out);
    return SIM_OK;
}

void outpath_default(const char *name, const char *prefix, char *buf, size_t size)
{
    char safe[OUTPATH_NAME_MAX + 1];
    size_t n = 0;
    int gap = 0;   /* a run of other bytes becomes one '-' */
    for (const char *c = name; *c && n < OUTPATH_NAME_MAX; c++) {
        int keep = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
                   || *c == '.' || *c == '_' || *c == '-';
        if (!keep) {
            gap = 1;
            continue;
        }
        if (gap && n > 0)
            safe[n++] = '-';
        gap = 0;
        if (n < OUTPATH_NAME_MAX)
            safe[n++] = *c;
    }
    safe[n] = '\0';
    const char *s = safe + strspn(safe, ".-");   /* no hidden file, no option look-alike */
    snprintf(buf, size, "%s%s.h5", prefix, *s ? s : "tokensim");
}

/* Append s to buf (at *len, within size), single-quoted when the shell would
 * split or expand it; *len counts what the whole word needs. */
static void append_word(char *buf, size_t size, size_t *len, const char *s)
{
    int plain = s[0] != '\0';
    for (const char *c = s; *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+@%", *c))
            plain = 0;
    char piece[5];
    const char *parts[3] = { *len ? " " : "", plain ? "" : "'", NULL };
    for (int i = 0; i < 2; i++)
        for (const char *c = parts[i]; *c; c++, (*len)++)
            if (*len + 1 < size)
                buf[*len] = *c;
    for (const char *c = s; *c; c++) {
        const char *w = piece;
        if (!plain && *c == '\'')
            w = "'\\''";
        else
            piece[0] = *c, piece[1] = '\0';
        for (; *w; w++, (*len)++)
            if (*len + 1 < size)
                buf[*len] = *w;
    }
    if (!plain) {
        if (*len + 1 < size)
            buf[*len] = '\'';
        (*len)++;
    }
    if (size)
        buf[*len < size ? *len : size - 1] = '\0';
}

size_t outpath_resume_command(const char *prog, int argc, char **argv, const char *out, char *buf,
                              size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    append_word(buf, size, &len, prog && *prog ? prog : "tokensim");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--resume")) {
            i++;   /* and its value */
            continue;
        }
        append_word(buf, size, &len, a);
    }
    append_word(buf, size, &len, "--resume");
    append_word(buf, size, &len, out);
    return len;
}
