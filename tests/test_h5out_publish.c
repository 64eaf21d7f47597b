/*
 * Tests for how a finished result file appears under its name
 * (output/publish.c through h5out_finish): never replacing another writer's
 * file, replacing (--force) a regular file only, and names as long as the
 * file system allows.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h5out_fixtures.h"

/* --- publishing: nothing is ever replaced by surprise ---------------------- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int holds_text(const char *path, const char *text)
{
    char buf[64] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* Another writer takes the name while the file is written: without replace
 * its file stays, and the result is kept beside it (the first free
 * "<stem>-N.h5"), with a message naming it and SIM_EEXIST. */
static void test_publish_never_replaces(void **state)
{
    (void)state;
    char path[200], kept[200], kept2[200];
    make_path(path, sizeof path, "race.h5");
    make_path(kept, sizeof kept, "race-1.h5");
    make_path(kept2, sizeof kept2, "race-2.h5");
    h5out_t *o = ready(path, 0);
    write_text(path, "the other writer's");
    sim_error_t err = { 0 };
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_true(holds_text(path, "the other writer's"));
    assert_true(H5Fis_hdf5(kept) > 0);
    assert_non_null(strstr(err.msg, "another file took this name"));
    assert_non_null(strstr(err.msg, kept));
    assert_int_equal(count_entries("race.h5.tmp-"), 0);
    /* a second loser: the next free name */
    o = ready(path, 0);
    sim_error_clear(&err);
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_non_null(strstr(err.msg, kept2));
    assert_true(H5Fis_hdf5(kept2) > 0);
    unlink(path);
    unlink(kept);
    unlink(kept2);
}

/* replace (--force) replaces a regular file, nothing else: not a symbolic
 * link (not even a dangling one, nor a loop), not a named pipe. */
static void test_publish_replaces_regular_only(void **state)
{
    (void)state;
    char path[200], kept[200], target[200];
    make_path(path, sizeof path, "forced.h5");
    make_path(kept, sizeof kept, "forced-1.h5");
    make_path(target, sizeof target, "target.txt");
    write_text(path, "old");
    h5out_t *o = ready(path, 1);
    sim_error_t err = { 0 };
    assert_int_equal(h5out_finish(o, &err), SIM_OK);
    assert_true(H5Fis_hdf5(path) > 0);
    unlink(path);
    write_text(target, "kept");
    const char *links[] = { "nowhere", path, target };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        o = ready(path, 1);   /* the name is taken after the check: only publish decides */
        assert_int_equal(symlink(links[i], path), 0);
        sim_error_clear(&err);
        assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
        assert_non_null(strstr(err.msg, "symbolic link"));
        struct stat sb;
        assert_int_equal(lstat(path, &sb), 0);
        assert_true(S_ISLNK(sb.st_mode));
        assert_true(H5Fis_hdf5(kept) > 0);
        unlink(kept);
        unlink(path);
    }
    assert_true(holds_text(target, "kept"));
    o = ready(path, 1);
    assert_int_equal(mkfifo(path, 0600), 0);
    sim_error_clear(&err);
    assert_int_equal(h5out_finish(o, &err), SIM_EEXIST);
    assert_non_null(strstr(err.msg, "named pipe"));
    unlink(kept);
    unlink(path);
    unlink(target);
}

/* An output name as long as the file system allows: the temporary name is
 * shortened to fit beside it, and the file appears under its name. */
static void test_long_name(void **state)
{
    (void)state;
    long max = pathconf(dir, _PC_NAME_MAX);
    char base[300], path[600];
    for (long len = max - 12; len <= max; len += 3) {
        memset(base, 'L', (size_t)len - 3);
        memcpy(base + len - 3, ".h5", 4);
        snprintf(path, sizeof path, "%s/%s", dir, base);
        h5out_t *o = ready(path, 0);
        sim_error_t err = { 0 };
        assert_int_equal(h5out_finish(o, &err), SIM_OK);
        assert_true(H5Fis_hdf5(path) > 0);
        assert_int_equal(count_entries("LLLLLLLL"), 1);   /* no temporary left */
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_publish_never_replaces, no_open_ids),
        cmocka_unit_test_teardown(test_publish_replaces_regular_only, no_open_ids),
        cmocka_unit_test_teardown(test_long_name, no_open_ids),
    };
    return cmocka_run_group_tests_name("h5out_publish", tests, group_setup, group_teardown);
}
