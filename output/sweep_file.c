/* The /sweep group; see sweep_file.h. */
#include "sweep_file.h"

#include <hdf5.h>

#include "h5out.h"


/* no modification times: the file's bytes depend on its content only */
static hid_t untimed_group(hid_t loc, const char *name)
{
    hid_t pl = (hid_t)h5out_untimed_plist(0);
    hid_t g = pl >= 0 ? H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT) : H5I_INVALID_HID;
    if (pl >= 0)
        H5Pclose(pl);
    return g;
}

static hid_t untimed_dataset(hid_t loc, const char *name, hid_t type, hid_t space)
{
    hid_t pl = (hid_t)h5out_untimed_plist(1);
    hid_t d = pl >= 0 ? H5Dcreate2(loc, name, type, space, H5P_DEFAULT, pl, H5P_DEFAULT) : H5I_INVALID_HID;
    if (pl >= 0)
        H5Pclose(pl);
    return d;
}

static int string_array_attr(hid_t obj, const char *name, const char *const *values, size_t n)
{
    hsize_t dim = n;
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate_simple(1, &dim, NULL);
    int ok = t >= 0 && s >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0;
    hid_t a = ok ? H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
    ok = a >= 0 && H5Awrite(a, t, values) >= 0;
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return ok ? 0 : -1;
}

sim_status_t sweep_file_append(const char *file_path, const sweep_file_t *sw, sim_error_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(file_path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return h5out_fail(err, sw->path, "cannot reopen the file to add /sweep");
    hid_t g = untimed_group(f, "sweep");
    hsize_t dims[2] = {sw->npoints, sw->nparams};
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t d = g >= 0 && s >= 0 ? untimed_dataset(g, "points", H5T_IEEE_F64LE, s) : -1;
    int ok = d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sw->values) >= 0 &&
             string_array_attr(d, "params", sw->names, sw->nparams) == 0 &&
             string_array_attr(d, "units", sw->units, sw->nparams) == 0;
    if (d >= 0) H5Dclose(d);
    if (s >= 0) H5Sclose(s);
    if (g >= 0) H5Gclose(g);
    if (H5Fclose(f) < 0)
        ok = 0;
    if (!ok)
        return h5out_fail(err, sw->path, "cannot write /sweep/points");
    return SIM_OK;
}
