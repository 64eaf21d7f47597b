/* Output names and partial files: when an output may be written (existing
 * file, --force, an interrupted campaign's OUT.partial, --resume), and the
 * command line that continues an interrupted campaign (shell quoting, the
 * options it drops). */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outpath.h"

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

static void test_partial_name(void **state)
{
    (void)state;
    sim_error_t err;
    char buf[16];
    assert_int_equal(outpath_partial("a.h5", buf, sizeof buf, &err), SIM_OK);
    assert_string_equal(buf, "a.h5.partial");
    assert_int_equal(outpath_partial("a-long-name.h5", buf, sizeof buf, &err), SIM_EINVAL);
}

static void test_resume_command(void **state)
{
    (void)state;
    char *argv[] = { "run", "s.yaml", "-o", "x.h5", "-n", "100", "--force", "--set",
                     "name=it's mine", "--set", "mint.inflation_max=0.2", "--resume", "x.h5" };
    char buf[256];
    outpath_resume_command((int)(sizeof argv / sizeof argv[0]), argv, "x.h5", buf, sizeof buf);
    assert_string_equal(buf, "tokensim run s.yaml -n 100 --set 'name=it'\\''s mine' --set "
                             "mint.inflation_max=0.2 --resume x.h5");
    /* too long: cut with "..." and still terminated */
    char small[24];
    outpath_resume_command((int)(sizeof argv / sizeof argv[0]), argv, "x.h5", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_non_null(strstr(small, "..."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_partial_name),
        cmocka_unit_test(test_resume_command),
    };
    return cmocka_run_group_tests_name("outpath", tests, setup, teardown);
}
