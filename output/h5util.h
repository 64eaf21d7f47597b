/*
 * Small HDF5 helpers for the commands that add their own groups to a finished
 * result file (a comparison's /compare, a sweep's /sweep and /sensitivity).
 * Objects store no modification times, so a file's bytes depend on its
 * content only (SOURCE_DATE_EPOCH gives reproducible files, and a resumed
 * campaign's file is byte-identical to an uninterrupted one).
 */
#ifndef OUTPUT_H5UTIL_H
#define OUTPUT_H5UTIL_H

#include <stddef.h>

#include <hdf5.h>

/* A new group or dataset under loc without modification times; < 0 on failure. */
hid_t h5util_group(hid_t loc, const char *name);
hid_t h5util_dataset(hid_t loc, const char *name, hid_t type, hid_t space);

/* A scalar variable-length UTF-8 string attribute; 0, or -1 on failure. */
int h5util_text_attr(hid_t obj, const char *name, const char *value);

/* Read such an attribute of object `obj` under loc into buf; 0, or -1 when absent or not one. */
int h5util_read_text_attr(hid_t loc, const char *obj, const char *name, char *buf, size_t len);

#endif
