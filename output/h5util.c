/* HDF5 helpers for appended groups; see h5util.h. */
#include "h5util.h"

#include <stdio.h>

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

int h5util_read_text_attr(hid_t loc, const char *obj, const char *name, char *buf, size_t len)
{
    hid_t a = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t t = H5Tcopy(H5T_C_S1);
    char *s = NULL;
    int rc = t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0 &&
                     H5Aread(a, t, &s) >= 0 && s ? 0 : -1;
    if (rc == 0) {
        snprintf(buf, len, "%s", s);
        H5free_memory(s);
    }
    if (t >= 0) H5Tclose(t);
    H5Aclose(a);
    return rc;
}
