/* The command line's printing: user text with its control characters shown
 * as '?', usage errors and error reports with their exit status; see cli.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dist.h"
#include "text.h"

/* Text from the user and from files (a scenario's name, paths, a result
 * file's attributes, CSV fields) is printed with its control characters as
 * '?' (text_control): it cannot send escapes to the terminal. `lines`: keep
 * newlines (tables of several lines). */
static void put_text(FILE *f, const char *s, int lines)
{
    while (*s) {
        size_t c = *s == '\n' && lines ? 0 : text_control(s);
        fputc(c ? '?' : *s, f);
        s += c ? c : 1;
    }
}

void cli_say(FILE *f, const char *fmt, ...)
{
    char local[2048];
    int n;
    va_list ap;
    va_start(ap, fmt);
    char *text = text_vformat(local, sizeof local, &n, fmt, ap);
    va_end(ap);
    if (n >= 0)
        put_text(f, text, 0);
    fputc('\n', f);
    if (text != local)
        free(text);
}

int cli_put_stream(FILE *f, const char *text)
{
    if (text)
        put_text(f, text, 1);
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

static const char *current_command;

void cli_set_command(const char *name)
{
    current_command = name;
}

int cli_usage_error(const char *fmt, const char *arg)
{
    if (dist_rank() != 0)
        return EXIT_USAGE;
    /* whole, however long the argument: the reason may follow it */
    int n = snprintf(NULL, 0, fmt, arg);
    char *what = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (what)
        snprintf(what, (size_t)n + 1, fmt, arg);
    cli_say(stderr, "tokensim: %s", what ? what : fmt);
    free(what);
    if (current_command)
        fprintf(stderr, "Try 'tokensim %s --help'.\n", current_command);
    else
        fputs("Try 'tokensim --help'.\n", stderr);
    return EXIT_USAGE;
}

int cli_report(const sim_error_t *err)
{
    if (dist_rank() == 0)
        cli_say(stderr, "tokensim: %s", err->msg);
    return sim_exit_status(err->code);
}

