/*
 * Small HDF5 helpers: making the groups, datasets and text attributes that
 * commands add to a finished result file (a comparison's /compare, a sweep's
 * /sweep and /sensitivity), without modification times so that a file's
 * bytes depend on its content only; and reading string attributes back.
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

/* The string-attribute reader of output/: the strings of attribute `name` of
 * object `obj` under loc (a scalar or a 1-D array; variable or fixed length,
 * any character set) into out[max], each malloc'd. How many, or 0 when the
 * object or attribute is absent, not strings, more than max or unreadable
 * (then out holds nothing to free). */
size_t h5util_read_strings(hid_t loc, const char *obj, const char *name, char **out, size_t max);

/* A scalar string attribute (or an array of one) into buf, cut to
 * len - 1 bytes: 0, or -1 with buf "" when h5util_read_strings finds none. */
int h5util_read_text_attr(hid_t loc, const char *obj, const char *name, char *buf, size_t len);

#endif
