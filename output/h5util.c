/* HDF5 helpers for appended groups; see h5util.h. */
#include "h5util.h"

#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hid_t untimed_plist(hid_t cls)
{
    hid_t pl = H5Pcreate(cls);
    if (pl >= 0 && H5Pset_obj_track_times(pl, 0) < 0) {
        H5Pclose(pl);
        pl = H5I_INVALID_HID;
    }
    return pl;
}

hid_t h5util_group(hid_t loc, const char *name)
{
    hid_t pl = untimed_plist(H5P_GROUP_CREATE);
    hid_t g = pl >= 0 ? H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT) : H5I_INVALID_HID;
    if (pl >= 0)
        H5Pclose(pl);
    return g;
}

hid_t h5util_dataset(hid_t loc, const char *name, hid_t type, hid_t space)
{
    hid_t pl = untimed_plist(H5P_DATASET_CREATE);
    hid_t d = pl >= 0 ? H5Dcreate2(loc, name, type, space, H5P_DEFAULT, pl, H5P_DEFAULT) : H5I_INVALID_HID;
    if (pl >= 0)
        H5Pclose(pl);
    return d;
}

int h5util_text_attr(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
    int ok = t >= 0 && s >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0;
    hid_t a = ok ? H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT) : H5I_INVALID_HID;
    ok = a >= 0 && H5Awrite(a, t, &value) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return ok ? 0 : -1;
}

/* The variable-length UTF-8 string type; < 0 on failure. */
static hid_t vlen_utf8(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        t = H5I_INVALID_HID;
    }
    return t;
}

int h5util_strings_attr(hid_t obj, const char *name, const char *const *values, size_t n)
{
    hsize_t dim = n;
    hid_t t = vlen_utf8(), s = H5Screate_simple(1, &dim, NULL);
    hid_t a = t >= 0 && s >= 0 ? H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT) : H5I_INVALID_HID;
    int ok = a >= 0 && H5Awrite(a, t, values) >= 0;
    if (a >= 0 && H5Aclose(a) < 0)
        ok = 0;
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return ok ? 0 : -1;
}

hid_t h5util_strings_dataset(hid_t loc, const char *name, const char *const *values, size_t n)
{
    hsize_t dim = n;
    hid_t t = vlen_utf8(), s = H5Screate_simple(1, &dim, NULL);
    hid_t d = t >= 0 && s >= 0 ? h5util_dataset(loc, name, t, s) : H5I_INVALID_HID;
    if (d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
        H5Dclose(d);
        d = H5I_INVALID_HID;
    }
    if (s >= 0)
        H5Sclose(s);
    if (t >= 0)
        H5Tclose(t);
    return d;
}

int h5util_link(hid_t loc, const char *target, const char *name)
{
    return H5Lcreate_hard(loc, target, loc, name, H5P_DEFAULT, H5P_DEFAULT) < 0 ? -1 : 0;
}

int h5util_attach(hid_t loc, const char *dset, hid_t scale, unsigned dim, const char *label)
{
    hid_t d = H5Dopen2(loc, dset, H5P_DEFAULT);
    int ok = d >= 0 && H5DSattach_scale(d, scale, dim) >= 0 && H5DSset_label(d, dim, label) >= 0;
    if (d >= 0 && H5Dclose(d) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

int h5util_copy_text_attrs(hid_t src, hid_t dst, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *v = NULL;
        if (h5util_read_strings(src, ".", names[i], &v, 1) != 1)
            continue;
        int rc = h5util_text_attr(dst, names[i], v);
        free(v);
        if (rc != 0)
            return -1;
    }
    return 0;
}

size_t h5util_read_strings(hid_t loc, const char *obj, const char *name, char **out, size_t max)
{
    /* an absent object or attribute is an answer, not an error for HDF5's stack */
    if (strcmp(obj, "/") != 0 && strcmp(obj, ".") != 0 && H5Lexists(loc, obj, H5P_DEFAULT) <= 0)
        return 0;
    if (H5Aexists_by_name(loc, obj, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : H5I_INVALID_HID;
    hid_t sp = a >= 0 ? H5Aget_space(a) : H5I_INVALID_HID;
    hssize_t n = sp >= 0 && H5Sget_simple_extent_ndims(sp) <= 1 ? H5Sget_simple_extent_npoints(sp) : 0;
    hid_t mt = H5I_INVALID_HID;
    size_t got = 0;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING && n > 0 && (size_t)n <= max
        && (mt = H5Tcopy(H5T_C_S1)) >= 0 && H5Tset_cset(mt, H5Tget_cset(ft)) >= 0) {
        if (H5Tis_variable_str(ft) > 0) {
            char **v = calloc((size_t)n, sizeof *v);
            if (v && H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Aread(a, mt, v) >= 0) {
                for (size_t i = 0; i < (size_t)n; i++) {
                    out[got++] = strdup(v[i] ? v[i] : "");
                    H5free_memory(v[i]);
                }
            }
            free(v);
        } else {
            size_t len = H5Tget_size(ft);
            char *v = calloc((size_t)n, len + 1);
            if (v && H5Tset_size(mt, len + 1) >= 0 && H5Tset_strpad(mt, H5T_STR_NULLTERM) >= 0
                && H5Aread(a, mt, v) >= 0)
                for (size_t i = 0; i < (size_t)n; i++)
                    out[got++] = strdup(v + i * (len + 1));
            free(v);
        }
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    for (size_t i = 0; i < got; i++)
        if (!out[i]) {   /* strdup failed: all or nothing */
            for (size_t j = 0; j < got; j++) {
                free(out[j]);
                out[j] = NULL;
            }
            return 0;
        }
    return got;
}

int h5util_read_text_attr(hid_t loc, const char *obj, const char *name, char *buf, size_t len)
{
    char *s = NULL;
    int rc = h5util_read_strings(loc, obj, name, &s, 1) == 1 ? 0 : -1;
    if (len > 0)
        snprintf(buf, len, "%s", rc == 0 ? s : "");
    free(s);
    return rc;
}

size_t h5util_read_numbers(hid_t loc, const char *obj, const char *name, double *x, size_t max)
{
    if (strcmp(obj, "/") != 0 && H5Lexists(loc, obj, H5P_DEFAULT) <= 0)
        return 0;
    if (H5Aexists_by_name(loc, obj, name, H5P_DEFAULT) <= 0)
        return 0;
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : 0;
    H5T_class_t cls = ft >= 0 ? H5Tget_class(ft) : H5T_NO_CLASS;
    size_t got = 0;
    if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n > 0 && (size_t)n <= max &&
        H5Aread(a, H5T_NATIVE_DOUBLE, x) >= 0)
        got = (size_t)n;
    if (sp >= 0) H5Sclose(sp);
    if (ft >= 0) H5Tclose(ft);
    if (a >= 0) H5Aclose(a);
    return got;
}
