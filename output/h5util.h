/*
 * Small HDF5 helpers: making the groups, datasets, text attributes and
 * dimension scales that commands add to a finished result file (a
 * comparison's /compare, a sweep's /sweep and /sensitivity), without
 * modification times so that a file's bytes depend on its content only; and
 * reading string attributes back.
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

/* A 1-D array attribute of n variable-length UTF-8 strings; 0, or -1. */
int h5util_strings_attr(hid_t obj, const char *name, const char *const *values, size_t n);

/* A new dataset loc/name of n variable-length UTF-8 strings [n], open; < 0 on failure. */
hid_t h5util_strings_dataset(hid_t loc, const char *name, const char *const *values, size_t n);

/* --- dimension scales (netCDF-4's, which xarray's h5netcdf engine reads) ---
 * Every dimension of every dataset needs exactly one scale, or h5netcdf
 * refuses the group (without phony_dims); and xarray shows as coordinates
 * only the scales linked into the group it opens. */

/* Hard link loc/name to the object at `target` (a path from loc's file root):
 * the same scale seen from another group. 0, or -1. */
int h5util_link(hid_t loc, const char *target, const char *name);

/* Attach the scale `scale` to dimension `dim` of dataset loc/dset, and label
 * the dimension with the scale's name `label`. 0, or -1. */
int h5util_attach(hid_t loc, const char *dset, hid_t scale, unsigned dim, const char *label);

/* Copy the string attributes `names` [n] of src that exist onto dst (the CF
 * time units and calendar of /time onto another time scale). 0, or -1. */
int h5util_copy_text_attrs(hid_t src, hid_t dst, const char *const *names, size_t n);

/* The string-attribute reader of output/: the strings of attribute `name` of
 * object `obj` under loc (a scalar or a 1-D array; variable or fixed length,
 * any character set) into out[max], each malloc'd. How many, or 0 when the
 * object or attribute is absent, not strings, more than max or unreadable
 * (then out holds nothing to free). */
size_t h5util_read_strings(hid_t loc, const char *obj, const char *name, char **out, size_t max);

/* A numeric attribute `name` of loc's object `obj` (scalar or 1-D, integer
 * or float) as doubles into x[max]; how many were read (0: absent, not
 * numeric, or more than max). */
size_t h5util_read_numbers(hid_t loc, const char *obj, const char *name, double *x, size_t max);

/* A scalar string attribute (or an array of one) into buf, cut to
 * len - 1 bytes: 0, or -1 with buf "" when h5util_read_strings finds none. */
int h5util_read_text_attr(hid_t loc, const char *obj, const char *name, char *buf, size_t len);

#endif
