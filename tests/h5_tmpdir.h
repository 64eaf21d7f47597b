/*
 * What the tests that write HDF5 files share: a temporary directory for the
 * group (with SOURCE_DATE_EPOCH pinned, so files compare byte for byte),
 * removed with its files afterwards, and the check that a test left no HDF5
 * object open.
 */
#ifndef TESTS_H5_TMPDIR_H
#define TESTS_H5_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

#include <hdf5.h>

/* /tmp/<name>.XXXXXX into dir[size], made; 0 or -1. */
static inline int tmpdir_make(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/%s.XXXXXX", name);
    if (!mkdtemp(dir))
        return -1;
    setenv("SOURCE_DATE_EPOCH", "1795611600", 1);    /* 2026-11-25T13:00:00Z */
    return 0;
}

/* dir and the files in it, removed; 0 or -1. */
static inline int tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    char path[400];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}

/* A teardown: every test, failing paths included, must leave no HDF5 object open. */
static inline int no_open_ids(void **state)
{
    (void)state;
    ssize_t n = H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
    if (n != 0) {
        print_error("%zd HDF5 objects left open\n", n);
        return -1;
    }
    return 0;
}

#endif
