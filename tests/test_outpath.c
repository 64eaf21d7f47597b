/* Output names and partial files: when an output may be written (existing
 * file, --force, an interrupted campaign's OUT.partial, --resume, what is not
 * a regular file, a running campaign's lock), names too long for a temporary
 * suffix, default names from a scenario's name, and the command line that
 * continues an interrupted campaign (the program as invoked, shell quoting,
 * the options it drops and keeps). */
#define _DEFAULT_SOURCE         /* mknod, makedev */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outpath.h"
#include "publish.h"

static char dir[64];
static char out[128], partial[160];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tokensim-outpath-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(out, sizeof out, "%s/o.h5", dir);
    snprintf(partial, sizeof partial, "%s/o.h5.partial", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(out);
    unlink(partial);
    rmdir(dir);
    return 0;
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void test_check(void **state)
{
    (void)state;
    sim_error_t err;
    sim_error_clear(&err);
    /* nothing there: a new campaign may write; nothing to resume */
    assert_int_equal(outpath_check(out, 0, 0, &err), SIM_OK);
    assert_int_equal(outpath_check(out, 0, 1, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "nothing to resume"));
    /* an existing output: refused unless --force */
    touch(out);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 0, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--force"));
    assert_int_equal(outpath_check(out, 1, 0, &err), SIM_OK);
    unlink(out);
    /* an interrupted campaign: resume it, or --force to start again */
    touch(partial);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 0, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--resume"));
    assert_int_equal(outpath_check(out, 0, 1, &err), SIM_OK);
    assert_int_equal(outpath_check(out, 1, 0, &err), SIM_OK);
    /* both: resuming would replace a finished file */
    touch(out);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 0, 1, &err), SIM_EINVAL);
    assert_int_equal(outpath_check(out, 1, 1, &err), SIM_OK);
}

/* Only regular files are written over: a symbolic link (dangling, a loop,
 * or to a regular file), a named pipe or a device node is refused, --force or
 * not, as the output or as its partial file. */
static void test_not_regular(void **state)
{
    (void)state;
    unlink(out);
    unlink(partial);
    sim_error_t err;
    char target[160];
    snprintf(target, sizeof target, "%s/target.h5", dir);
    touch(target);
    const char *links[] = { "nowhere.h5", out, target };   /* dangling, a loop, a file */
    for (int force = 0; force <= 1; force++)
        for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
            assert_int_equal(symlink(links[i], out), 0);
            sim_error_clear(&err);
            assert_int_equal(outpath_check(out, force, 0, &err), SIM_EINVAL);
            assert_non_null(strstr(err.msg, "symbolic link"));
            assert_non_null(strstr(err.msg, "regular files only"));
            unlink(out);
        }
    assert_int_equal(symlink("nowhere", partial), 0);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 1, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "o.h5.partial is a dangling symbolic link"));
    unlink(partial);
    assert_int_equal(mkfifo(out, 0600), 0);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 1, 0, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "named pipe"));
    unlink(out);
    /* a device node (root only; never /dev/null itself) */
    if (mknod(out, S_IFCHR | 0600, makedev(1, 3)) == 0) {
        sim_error_clear(&err);
        assert_int_equal(outpath_check(out, 1, 0, &err), SIM_EINVAL);
        assert_non_null(strstr(err.msg, "character device"));
        unlink(out);
    }
    unlink(target);
}

/* A running campaign holds its partial file locked: another is refused,
 * --force or --resume alike, and told which process it is. */
static void test_running_campaign(void **state)
{
    (void)state;
    unlink(out);
    touch(partial);
    int go[2], held[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(held), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int fd = open(partial, O_RDWR);
        char c = publish_lock(fd) == 0 ? 'y' : 'n';
        if (write(held[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
            _exit(1);
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(held[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    sim_error_t err;
    for (int force = 0; force <= 1; force++)
        for (int resume = 0; resume <= 1; resume++) {
            sim_error_clear(&err);
            assert_int_equal(outpath_check(out, force, resume, &err), SIM_EINVAL);
            char want[64];
            snprintf(want, sizeof want, "a running campaign (process %ld)", (long)child);
            assert_non_null(strstr(err.msg, want));
        }
    assert_int_equal(publish_holder(partial), (long)child);
    assert_int_equal(write(go[1], "x", 1), 1);
    waitpid(child, NULL, 0);
    assert_int_equal(publish_holder(partial), 0);
    sim_error_clear(&err);
    assert_int_equal(outpath_check(out, 0, 1, &err), SIM_OK);   /* now it can be resumed */
    unlink(partial);
    close(go[0]), close(go[1]), close(held[0]), close(held[1]);
}

static void test_partial_name(void **state)
{
    (void)state;
    sim_error_t err;
    char buf[16];
    assert_int_equal(outpath_partial("a.h5", buf, sizeof buf, &err), SIM_OK);
    assert_string_equal(buf, "a.h5.partial");
    assert_int_equal(outpath_partial("a-long-name.h5", buf, sizeof buf, &err), SIM_EINVAL);
}

/* Names up to NAME_MAX: the partial file and the temporary name fit beside
 * them (shortened, told apart by a hash), and can be created. */
static void test_long_names(void **state)
{
    (void)state;
    long max = pathconf(dir, _PC_NAME_MAX);
    assert_true(max >= 64);
    sim_error_t err;
    char base[NAME_MAX + 1], other[NAME_MAX + 1];
    for (long len = max - 10; len <= max; len++) {
        memset(base, 'x', (size_t)len - 3);
        memcpy(base + len - 3, ".h5", 4);
        char path[PATH_MAX], part[PATH_MAX], tmp[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, base);
        assert_int_equal(outpath_partial(path, part, sizeof part, &err), SIM_OK);
        assert_int_equal(publish_tmp_name(path, tmp, sizeof tmp, &err), SIM_OK);
        assert_true(strlen(strrchr(part, '/') + 1) <= (size_t)max);
        assert_true(strlen(strrchr(tmp, '/') + 1) <= (size_t)max);
        assert_non_null(strstr(part, ".partial"));
        for (const char *p2 = part; p2; p2 = NULL) {
            int fd = open(p2, O_WRONLY | O_CREAT | O_EXCL, 0600);
            assert_true(fd >= 0);
            close(fd);
            unlink(p2);
        }
        /* another long name: another partial file */
        snprintf(other, sizeof other, "%s", base);
        other[0] = 'y';
        char path2[PATH_MAX], part2[PATH_MAX];
        snprintf(path2, sizeof path2, "%s/%s", dir, other);
        assert_int_equal(outpath_partial(path2, part2, sizeof part2, &err), SIM_OK);
        assert_string_not_equal(part, part2);
    }
    /* a cut never splits a UTF-8 character */
    char utf[NAME_MAX + 1] = "";
    while (strlen(utf) + 2 <= (size_t)max)
        strcat(utf, "\xc3\xa9");   /* é */
    char path[PATH_MAX], part[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, utf);
    assert_int_equal(outpath_partial(path, part, sizeof part, &err), SIM_OK);
    const char *b = strrchr(part, '/') + 1, *tilde = strchr(b, '~');
    assert_non_null(tilde);
    assert_int_equal((tilde - b) % 2, 0);
}

static void test_default_name(void **state)
{
    (void)state;
    char buf[300];
    const char *cases[][2] = {
        { "akash-2024", "akash-2024.h5" },
        { "../../evil", "evil.h5" },
        { "/abs/path", "abs-path.h5" },
        { "", "tokensim.h5" },
        { "...", "tokensim.h5" },
        { "-rf", "rf.h5" },
        { "a b/c\td", "a-b-c-d.h5" },
        { "caf\xc3\xa9 2026", "caf-2026.h5" },
        { ".hidden", "hidden.h5" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        outpath_default(cases[i][0], "", buf, sizeof buf);
        assert_string_equal(buf, cases[i][1]);
    }
    outpath_default("../x", "compare-", buf, sizeof buf);
    assert_string_equal(buf, "compare-x.h5");
    char longname[400];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    outpath_default(longname, "compare-", buf, sizeof buf);
    assert_int_equal(strlen(buf), strlen("compare-") + OUTPATH_NAME_MAX + 3);
}

static void test_resume_command(void **state)
{
    (void)state;
    char *argv[] = { "run", "s.yaml", "-o", "x.h5", "-n", "100", "--force", "--set",
                     "name=it's mine", "--set", "mint.inflation_max=0.2", "--resume", "x.h5" };
    int argc = (int)(sizeof argv / sizeof argv[0]);
    char buf[256];
    size_t n = outpath_resume_command("./my build/tokensim", argc, argv, "x.h5", buf, sizeof buf);
    /* the program as invoked, --force kept (the output may exist), quoting */
    assert_string_equal(buf, "'./my build/tokensim' run s.yaml -n 100 --force --set "
                             "'name=it'\\''s mine' --set mint.inflation_max=0.2 --resume x.h5");
    assert_int_equal(n, strlen(buf));
    /* too long for buf: the length it needs, and what fits, terminated */
    char small[24];
    assert_int_equal(outpath_resume_command("./my build/tokensim", argc, argv, "x.h5", small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(outpath_resume_command(NULL, 1, argv, "o", NULL, 0), strlen("tokensim run --resume o"));
    /* a long argument is never cut */
    char big[3000];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *argv2[] = { "run", big };
    size_t need = outpath_resume_command("tokensim", 2, argv2, "o.h5", NULL, 0);
    char *whole = malloc(need + 1);
    outpath_resume_command("tokensim", 2, argv2, "o.h5", whole, need + 1);
    assert_non_null(strstr(whole, big));
    assert_int_equal(strlen(whole), need);
    free(whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_running_campaign),
        cmocka_unit_test(test_partial_name),
        cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_default_name),
        cmocka_unit_test(test_resume_command),
    };
    return cmocka_run_group_tests_name("outpath", tests, setup, teardown);
}
