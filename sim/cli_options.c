/* Options and help of the commands (getopt_long); see cli.h. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "dist.h"

#define MAX_OPTIONS 32           /* of one command */
#define LONG_ONLY_BASE 1000      /* getopt_long's value of option k: LONG_ONLY_BASE + k */
#define HELP_COLUMN 28           /* where the options' help starts */

static size_t count_options(const cli_command_t *cmd)
{
    size_t n = 0;
    while (cmd->options && cmd->options[n].name)
        n++;
    return n;
}

/* How the user wrote option k: "--name", or "-x" when they used the letter. */
static const char *shown_option(const cli_command_t *cmd, int value, char *buf, size_t len)
{
    size_t n = count_options(cmd);
    if (value == -1)
        snprintf(buf, len, "--help");
    else if (value >= LONG_ONLY_BASE && (size_t)(value - LONG_ONLY_BASE) < n)
        snprintf(buf, len, "--%s", cmd->options[value - LONG_ONLY_BASE].name);
    else
        snprintf(buf, len, "-%c", value);
    return buf;
}

/* getopt_long's '?': an unknown option, an ambiguous abbreviation of long
 * ones, or a value given to a flag (--force=yes); word is the argument. */
static int unknown_option(const cli_command_t *cmd, size_t nopt, int opt, const char *word)
{
    char shown[128];
    if (opt > 0 && (opt >= LONG_ONLY_BASE || (opt == 'h' && word[0] == '-' && word[1] == '-')))
        return cli_usage_error("%s takes no value", shown_option(cmd, opt == 'h' ? -1 : opt, shown, sizeof shown));
    if (opt > 0)
        return cli_usage_error("unknown option '%s'", shown_option(cmd, opt, shown, sizeof shown));
    if (word[0] != '-' || word[1] != '-')
        return cli_usage_error("unknown option '%s'", word);
    const char *name = word + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    char matches[512] = "";
    size_t nmatch = 0, used = 0;
    for (size_t k = 0; k <= nopt; k++) {
        const char *o = k < nopt ? cmd->options[k].name : "help";
        if (strncmp(o, name, len) == 0) {
            int w = snprintf(matches + used, sizeof matches - used, "%s--%s", nmatch ? ", " : "", o);
            if (w > 0 && (size_t)w < sizeof matches - used)
                used += (size_t)w;
            nmatch++;
        }
    }
    if (nmatch > 1) {
        char msg[700];
        snprintf(msg, sizeof msg, "ambiguous option '%%.%ds': %s?", (int)len + 2, matches);
        return cli_usage_error(msg, word);
    }
    return cli_usage_error("unknown option '%s'", word);
}

int cli_getopt(const cli_command_t *cmd, int argc, char **argv, cli_item_t *items, size_t cap, size_t *n)
{
    size_t nopt = count_options(cmd);
    if (nopt > MAX_OPTIONS)   /* a command's table, not the user's input */
        return cli_usage_error("%s has too many options for the parser (raise MAX_OPTIONS)", cmd->name);
    struct option longopts[MAX_OPTIONS + 2];
    char shortopts[3 * MAX_OPTIONS + 4];
    size_t ns = 0;
    /* '-': operands come back in order as option 1, whatever POSIXLY_CORRECT
     * says, and argv is not reordered; ':': a missing value is ':', not '?' */
    shortopts[ns++] = '-';
    shortopts[ns++] = ':';
    for (size_t k = 0; k < nopt; k++) {
        const cli_option_t *o = &cmd->options[k];
        longopts[k] = (struct option){o->name, o->value ? required_argument : no_argument, NULL,
                                      LONG_ONLY_BASE + (int)k};
        if (o->letter) {
            shortopts[ns++] = (char)o->letter;
            if (o->value)
                shortopts[ns++] = ':';
        }
    }
    longopts[nopt] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[nopt + 1] = (struct option){0};
    shortopts[ns++] = 'h';
    shortopts[ns] = '\0';

    *n = 0;
    optind = 0;   /* 0, not 1: glibc starts afresh (a test may parse twice) */
    opterr = 0;   /* the messages below name the command */
    char shown[128];
    int ch;
    while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (ch == 'h') {
            if (dist_rank() == 0)
                cli_print_help(cmd, stdout);
            return CLI_HELP_SHOWN;
        }
        if (ch == ':') {
            const char *what = optopt ? shown_option(cmd, optopt, shown, sizeof shown) : argv[optind - 1];
            size_t k = optopt >= LONG_ONLY_BASE ? (size_t)(optopt - LONG_ONLY_BASE) : nopt;
            for (size_t j = 0; k == nopt && j < nopt; j++)
                if (cmd->options[j].letter == optopt)
                    k = j;
            char msg[256];
            snprintf(msg, sizeof msg, "%%s needs a value (%s)", k < nopt ? cmd->options[k].value : "?");
            return cli_usage_error(msg, what);
        }
        if (ch == '?')
            return unknown_option(cmd, nopt, optopt, argv[optind - 1]);
        if (ch == 1) {   /* an operand, in its place */
            if (*n == cap)
                return cli_usage_error("too many arguments for one command (at most %s)", "512");
            items[(*n)++] = (cli_item_t){NULL, optarg};
            continue;
        }
        const cli_option_t *o = NULL;
        if (ch >= LONG_ONLY_BASE)
            o = &cmd->options[ch - LONG_ONLY_BASE];
        for (size_t j = 0; !o && j < nopt; j++)
            if (cmd->options[j].letter == ch)
                o = &cmd->options[j];
        if (*n == cap)
            return cli_usage_error("too many options for one command (at most %s)", "512");
        items[(*n)++] = (cli_item_t){o, optarg};
    }
    for (int i = optind; i < argc; i++) {   /* after "--": operands, even those that start with '-' */
        if (*n == cap)
            return cli_usage_error("too many arguments for one command (at most %s)", "512");
        items[(*n)++] = (cli_item_t){NULL, argv[i]};
    }
    return 0;
}

int cli_is(const cli_item_t *item, const char *name)
{
    return item->option && strcmp(item->option->name, name) == 0;
}

/* Text of several lines, each after `indent` spaces but the first. */
static void put_lines(FILE *f, const char *text, int indent)
{
    for (const char *s = text; *s;) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        fprintf(f, "%.*s\n", (int)len, s);
        if (!e || !e[1])
            break;
        s = e + 1;
        fprintf(f, "%*s", indent, "");
    }
}

static void put_option(FILE *f, int letter, const char *name, const char *value, const char *help)
{
    char left[96];
    int n = letter ? snprintf(left, sizeof left, "  -%c, --%s", letter, name)
                   : snprintf(left, sizeof left, "      --%s", name);
    if (value && n >= 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, " %s", value);
    if (strlen(left) + 1 < HELP_COLUMN)
        fprintf(f, "%-*s", HELP_COLUMN, left);
    else
        fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
    put_lines(f, help, HELP_COLUMN);
}

void cli_print_help(const cli_command_t *cmd, FILE *f)
{
    fprintf(f, "usage: tokensim %s %s\n\n", cmd->name, cmd->synopsis);
    put_lines(f, cmd->purpose, 0);
    if (cmd->details) {
        fputc('\n', f);
        put_lines(f, cmd->details, 0);
    }
    fputs("\noptions:\n", f);
    for (size_t k = 0; cmd->options && cmd->options[k].name; k++) {
        const cli_option_t *o = &cmd->options[k];
        put_option(f, o->letter, o->name, o->value, o->help);
    }
    put_option(f, 'h', "help", NULL, "this help");
    if (cmd->examples) {
        fputs("\nexamples:\n  ", f);
        put_lines(f, cmd->examples, 2);
    }
}
