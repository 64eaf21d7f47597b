/*
 * What the result file holds and where (docs/output.md, "Layout"): the
 * temporary file itself, its groups, the dimension scales /time (CF time
 * units), /run and /<points> with their links, the datasets of /runs and
 * /summary, and their attributes. Every failing HDF5 call becomes SIM_EIO naming the object.
 */
#include "dates.h"
#include "h5out_state.h"
#include "publish.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5_hl.h>

/* Values of /run written at a time. */
#define RUN_BLOCK ((size_t)1 << 16)
/* Chunk cache while writing, shared out over the metrics (bytes). */
#define WRITE_CACHE_TOTAL ((size_t)256 << 20)

/* --- the file ---------------------------------------------------------- */

sim_status_t h5out_check_spec(const h5out_spec_t *spec, sim_error_t *err)
{
    if (!spec || !spec->path || !spec->path[0])
        SIM_FAIL(err, SIM_EINVAL, "h5out: no output file name");
    if (spec->runs == 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: an output file needs at least one run", spec->path);
    if (spec->ntimes == 0 || !spec->time)
        SIM_FAIL(err, SIM_EINVAL, "%s: an output file needs at least one recorded time", spec->path);
    if (!spec->start_date || params_date_to_days(spec->start_date) < 0)
        SIM_FAIL(err, SIM_EINVAL, "%s: the start date '%s' is not a date YYYY-MM-DD (1970 or later)",
                 spec->path, spec->start_date ? spec->start_date : "(none)");
    if (spec->nmetrics > 0 && !spec->metrics)
        SIM_FAIL(err, SIM_EINVAL, "%s: metric table missing", spec->path);
    if (spec->nparams > 0 && !spec->params)
        SIM_FAIL(err, SIM_EINVAL, "%s: parameter table missing", spec->path);
    if (spec->deflate_level < 0 || spec->deflate_level > 9)
        SIM_FAIL(err, SIM_EINVAL, "%s: deflate level %d is not in 1..9", spec->path,
                 spec->deflate_level);
    if (spec->compression != H5OUT_DEFLATE && spec->compression != H5OUT_BLOSC)
        SIM_FAIL(err, SIM_EINVAL, "%s: unknown compression %d", spec->path, spec->compression);
    if (spec->compression == H5OUT_BLOSC && !codec_available(CODEC_BLOSC))
        SIM_FAIL(err, SIM_EINVAL, "%s: output.compression blosc needs HDF5's Blosc filter plugin "
                 "(filter 32001), which HDF5 does not find: install Debian's "
                 "hdf5-filter-plugin-blosc-serial, or name its directory in HDF5_PLUGIN_PATH",
                 spec->path);
    for (size_t m = 0; m < spec->nmetrics; m++) {
        const char *name = spec->metrics[m].name;
        if (!name || !name[0] || strchr(name, '/') || strcmp(name, ".") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: metric %zu has an invalid name '%s'", spec->path, m,
                     name ? name : "(null)");
        if (strcmp(name, "run") == 0 || strcmp(name, "time") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: metric name '%s' is reserved (/runs/%s is a dimension "
                     "scale)", spec->path, name, name);
    }
    for (size_t p = 0; p < spec->nparams; p++) {
        const char *name = spec->params[p].name;
        if (!name || !name[0])
            SIM_FAIL(err, SIM_EINVAL, "%s: parameter %zu has no name", spec->path, p);
    }
    if (spec->npoints > 1) {
        /* /<point_dim> sits at the root and is linked into /runs and into
         * every /summary/<metric>: its name must clash with none of theirs. */
        static const char *const reserved[] = { "run", "time", "runs", "summary", "scenario",
                                                "params", "compare", "manifest" };
        const char *pd = spec->point_dim;
        if (!pd || !pd[0] || strchr(pd, '/') || strcmp(pd, ".") == 0)
            SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension has an invalid name '%s'",
                     spec->path, pd ? pd : "(null)");
        if (strlen(pd) > 64)
            SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension name '%s' is too long", spec->path,
                     pd);
        for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
            if (strcmp(pd, reserved[i]) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (reserved)",
                         spec->path, pd);
        for (int k = 0; k < STATS_N; k++)
            if (strcmp(pd, stats_name[k]) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (a "
                         "statistic of /summary)", spec->path, pd);
        for (size_t m = 0; m < spec->nmetrics; m++)
            if (strcmp(pd, spec->metrics[m].name) == 0)
                SIM_FAIL(err, SIM_EINVAL, "%s: the points dimension cannot be named '%s' (a "
                         "metric)", spec->path, pd);
        if (spec->runs > SIZE_MAX / spec->npoints)
            SIM_FAIL(err, SIM_EINVAL, "%s: %zu points x %zu runs is too many", spec->path,
                     spec->npoints, spec->runs);
    }
    return SIM_OK;
}

/* Create the temporary file with open(2) first: its errno says plainly why a
 * directory is missing or unwritable, which HDF5's error stack buries. */
static sim_status_t touch_tmp(const h5out_t *o, sim_error_t *err)
{
    struct stat sb;
    if (stat(o->path, &sb) == 0 && S_ISDIR(sb.st_mode))
        SIM_FAIL(err, SIM_EIO, "%s: cannot write the output file: it is a directory", o->path);
    /* O_EXCL: never write through a link; a file under this process's name is a dead
     * process's (the same pid before), unless someone holds it (another node's) */
    int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno == EEXIST && publish_holder(o->tmp) == 0 && unlink(o->tmp) == 0)
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file: its directory does not exist",
                     o->path);
        if (e == ENOTDIR)
            SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file: part of its directory is "
                     "not a directory", o->path);
        SIM_FAIL(err, SIM_EIO, "%s: cannot create the output file (temporary '%s'): %s", o->path,
                 o->tmp, strerror(e));
    }
    close(fd);
    return SIM_OK;
}

sim_status_t h5out_open_file(h5out_t *o, sim_error_t *err)
{
    sim_status_t st = touch_tmp(o, err);
    if (st != SIM_OK)
        return st;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    /* STRONG: H5Fclose closes whatever a failure path left open. The 1.8
     * format allows dense attribute storage (hundreds of /params) and stays
     * readable by any HDF5 >= 1.8. */
    if (fapl < 0 || fcpl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0
        || H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0
        || H5Pset_link_creation_order(fcpl, order) < 0 || H5Pset_attr_creation_order(fcpl, order) < 0
        || H5Pset_obj_track_times(fcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up file properties");
    if (st == SIM_OK) {
        o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, fcpl, fapl);
        if (o->file < 0)
            st = h5out_fail(err, o->path, "cannot create HDF5 file '%s'", o->tmp);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (st != SIM_OK)
        return st;

    o->str_type = H5Tcopy(H5T_C_S1);
    if (o->str_type < 0 || H5Tset_size(o->str_type, H5T_VARIABLE) < 0
        || H5Tset_cset(o->str_type, H5T_CSET_UTF8) < 0)
        return h5out_fail(err, o->path, "cannot create the string type");
    return SIM_OK;
}

/* A group whose links (and attributes) keep their creation order. */
hid_t h5out_group(hid_t loc, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0)
        return gcpl;
    hid_t g = H5I_INVALID_HID;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_link_creation_order(gcpl, order) >= 0 && H5Pset_attr_creation_order(gcpl, order) >= 0
        && H5Pset_obj_track_times(gcpl, 0) >= 0)
        g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static size_t next_prime(size_t n)
{
    if (n <= 2)
        return 2;
    for (n |= 1;; n += 2) {
        size_t d = 3;
        while (d * d <= n && n % d != 0)
            d += 2;
        if (d * d > n)
            return n;
    }
}

/* A dataset access list with a chunk cache of `bytes` for chunks of `chunk_bytes`. */
hid_t h5out_cache_dapl(size_t bytes, size_t chunk_bytes)
{
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (dapl < 0)
        return dapl;
    /* HDF5's advice: a prime number of slots, ~100 per chunk that fits. w0 = 1:
     * evict chunks that were read or written in full first. */
    size_t slots = next_prime(100 * (bytes / chunk_bytes + 1));
    if (H5Pset_chunk_cache(dapl, slots, bytes, 1.0) < 0) {
        H5Pclose(dapl);
        return H5I_INVALID_HID;
    }
    return dapl;
}

/* --- attributes ------------------------------------------------------- */

/* A scalar attribute `name` on loc (called `obj` in messages). */
static sim_status_t attr_write(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                               const char *name, hid_t ftype, hid_t mtype, const void *buf)
{
    sim_status_t st = SIM_OK;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for attribute '%s' of '%s'", name,
                          obj);
    hid_t a = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        st = h5out_fail(err, o->path, "cannot create attribute '%s' of '%s'", name, obj);
    else if (H5Awrite(a, mtype, buf) < 0)
        st = h5out_fail(err, o->path, "cannot write attribute '%s' of '%s'", name, obj);
    if (a >= 0 && H5Aclose(a) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close attribute '%s' of '%s'", name, obj);
    H5Sclose(space);
    return st;
}

sim_status_t h5out_attr_str(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, const char *value)
{
    const char *v = value ? value : "";
    return attr_write(o, err, loc, obj, name, o->str_type, o->str_type, &v);
}

sim_status_t h5out_attr_f64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, double value)
{
    return attr_write(o, err, loc, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

sim_status_t h5out_attr_i64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, int64_t value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

sim_status_t h5out_attr_u64(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, uint64_t value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

sim_status_t h5out_attr_i32(h5out_t *o, sim_error_t *err, hid_t loc, const char *obj,
                             const char *name, int value)
{
    return attr_write(o, err, loc, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT, &value);
}

/* --- dimension scales ------------------------------------------------- */

/* /time: days since start_date, with CF-1 "units" ("days since YYYY-MM-DD")
 * and "calendar", so that netCDF readers (xarray) decode it to dates. */
static sim_status_t write_time(h5out_t *o, const double *time, const char *start_date,
                               sim_error_t *err)
{
    hsize_t dim = o->ntimes;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/time'");
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/time'");
    if (st == SIM_OK) {
        o->time = H5Dcreate2(o->file, "time", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (o->time < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '/time'");
    }
    if (st == SIM_OK && H5Dwrite(o->time, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, time) < 0)
        st = h5out_fail(err, o->path, "cannot write dataset '/time'");
    char units[64];
    snprintf(units, sizeof units, "days since %s", start_date);
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->time, "/time", "units", units);
    /* core/dates.c counts days in the proleptic Gregorian calendar */
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->time, "/time", "calendar", "proleptic_gregorian");
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->time, "/time", "description",
                      "time of each recorded value, in days since start_date (day 0)");
    if (st == SIM_OK && H5DSset_scale(o->time, "time") < 0)
        st = h5out_fail(err, o->path, "cannot make '/time' a dimension scale");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* /run: the replication index 0..runs-1, int64, a dimension scale (h5netcdf
 * and xarray need a scale on every dimension of a variable, or none). */
static sim_status_t write_run(h5out_t *o, sim_error_t *err)
{
    hsize_t dim = o->runs;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/run'");
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/run'");
    if (st == SIM_OK) {
        o->run = H5Dcreate2(o->file, "run", H5T_STD_I64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (o->run < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '/run'");
    }
    /* a block at a time: memory does not grow with the number of runs */
    size_t nbuf = min_size(o->runs, RUN_BLOCK);
    int64_t *buf = st == SIM_OK ? malloc(nbuf * sizeof *buf) : NULL;
    if (st == SIM_OK && !buf)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    for (size_t first = 0; first < o->runs && st == SIM_OK; first += nbuf) {
        size_t n = min_size(nbuf, o->runs - first);
        for (size_t i = 0; i < n; i++)
            buf[i] = (int64_t)(first + i);
        hsize_t start = first, count = n;
        hid_t mspace = H5Screate_simple(1, &count, NULL);
        if (mspace < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0
            || H5Dwrite(o->run, H5T_NATIVE_INT64, mspace, space, H5P_DEFAULT, buf) < 0)
            st = h5out_fail(err, o->path, "cannot write dataset '/run'");
        if (mspace >= 0)
            H5Sclose(mspace);
    }
    free(buf);
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->run, "/run", "units", "index");
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->run, "/run", "description",
                      "replication index k; its random streams derive from (seed, k)");
    if (st == SIM_OK && H5DSset_scale(o->run, "run") < 0)
        st = h5out_fail(err, o->path, "cannot make '/run' a dimension scale");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* /<pdim> (points only): the point index 0..npoints-1, int64, a dimension
 * scale named pdim; the points' labels, when given, in its attribute
 * "labels" (a string array [npoints]). */
static sim_status_t write_point(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    char obj[80];
    snprintf(obj, sizeof obj, "/%s", o->pdim);
    hsize_t dim = o->npoints;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '%s'", obj);
    sim_status_t st = SIM_OK;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '%s'", obj);
    if (st == SIM_OK) {
        o->point = H5Dcreate2(o->file, o->pdim, H5T_STD_I64LE, space, H5P_DEFAULT, dcpl,
                              H5P_DEFAULT);
        if (o->point < 0)
            st = h5out_fail(err, o->path, "cannot create dataset '%s'", obj);
    }
    int64_t *idx = st == SIM_OK ? malloc(o->npoints * sizeof *idx) : NULL;
    if (st == SIM_OK && !idx)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    if (st == SIM_OK) {
        for (size_t p = 0; p < o->npoints; p++)
            idx[p] = (int64_t)p;
        if (H5Dwrite(o->point, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx) < 0)
            st = h5out_fail(err, o->path, "cannot write dataset '%s'", obj);
    }
    free(idx);
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, o->point, obj, "units", "index");
    if (st == SIM_OK) {
        char desc[200];
        snprintf(desc, sizeof desc, "%s index (the leading dimension of /runs and /summary)%s",
                 o->pdim, s->point_labels ? "; attribute labels names each" : "");
        st = h5out_attr_str(o, err, o->point, obj, "description", desc);
    }
    if (st == SIM_OK && s->point_labels) {
        const char **lab = malloc(o->npoints * sizeof *lab);
        hid_t a = H5I_INVALID_HID;
        if (!lab)
            st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
        else {
            for (size_t p = 0; p < o->npoints; p++)
                lab[p] = s->point_labels[p] ? s->point_labels[p] : "";
            a = H5Acreate2(o->point, "labels", o->str_type, space, H5P_DEFAULT, H5P_DEFAULT);
            if (a < 0 || H5Awrite(a, o->str_type, lab) < 0)
                st = h5out_fail(err, o->path, "cannot write attribute 'labels' of '%s'", obj);
            if (a >= 0 && H5Aclose(a) < 0 && st == SIM_OK)
                st = h5out_fail(err, o->path, "cannot close attribute 'labels' of '%s'", obj);
        }
        free(lab);
    }
    if (st == SIM_OK && H5DSset_scale(o->point, o->pdim) < 0)
        st = h5out_fail(err, o->path, "cannot make '%s' a dimension scale", obj);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

/* Hard link <loc>/<name> to the root dataset /<name> (a dimension scale): the
 * same object seen from a group. h5netcdf, hence xarray, shows as coordinates
 * only the scales that live in the group opened. */
static sim_status_t link_scale(h5out_t *o, sim_error_t *err, hid_t loc, const char *grp,
                               const char *name)
{
    if (H5Lcreate_hard(o->file, name, loc, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
        return h5out_fail(err, o->path, "cannot link '/%s' into group '%s'", name, grp);
    return SIM_OK;
}

sim_status_t h5out_write_scales(h5out_t *o, const h5out_spec_t *spec, sim_error_t *err)
{
    sim_status_t st = write_time(o, spec->time, spec->start_date, err);
    if (st == SIM_OK)
        st = write_run(o, err);
    if (st == SIM_OK && o->points)
        st = write_point(o, spec, err);
    return st;
}

/* --- /runs and /summary ------------------------------------------------- */

sim_status_t h5out_create_runs(h5out_t *o, sim_error_t *err)
{
    o->runs_grp = h5out_group(o->file, "runs");
    if (o->runs_grp < 0)
        return h5out_fail(err, o->path, "cannot create group '/runs'");
    sim_status_t st = SIM_OK;
    if (o->points)
        st = link_scale(o, err, o->runs_grp, "/runs", o->pdim);
    if (st == SIM_OK)
        st = link_scale(o, err, o->runs_grp, "/runs", "run");
    if (st == SIM_OK)
        st = link_scale(o, err, o->runs_grp, "/runs", "time");
    if (st != SIM_OK)
        return st;

    hsize_t cols = min_size(o->ntimes, CHUNK_COLS_MAX);
    hsize_t rows = min_size(o->runs, max_size(1, CHUNK_VALUES / cols));
    o->chunk[0] = rows;
    o->chunk[1] = cols;
    /* Cache one row of chunks (plus one, for a block straddling two rows) so
     * that blocks of runs smaller than a chunk do not recompress it each time. */
    size_t chunk_bytes = (size_t)(rows * cols) * o->elem;
    size_t per_row = (o->ntimes + cols - 1) / cols;
    size_t budget = max_size(MIB, WRITE_CACHE_TOTAL / max_size(1, o->nmetrics));
    size_t cache = max_size(min_size((per_row + 1) * chunk_bytes, budget), chunk_bytes);

    double nan = NAN;
    memcpy(&o->fill_bits, &nan, sizeof o->fill_bits);
    if (o->elem == 4) {
        float fnan = NAN;
        uint32_t v;
        memcpy(&v, &fnan, sizeof v);
        o->fill_bits = v;
    }
    /* the pipeline for these chunks: its codec sets the datasets' filters */
    st = h5out_chunks_init(o, err);
    if (st != SIM_OK)
        return st;
    /* [runs, times], chunks [rows, cols]; with points [npoints, runs, times],
     * chunks [1, rows, cols]: a chunk holds the same values either way. */
    hsize_t dims[3], chunk[3];
    int rank = runs_coords(o, o->npoints, o->runs, o->ntimes, dims);
    runs_coords(o, 1, rows, cols, chunk);
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dapl = h5out_cache_dapl(cache, chunk_bytes);
    if (space < 0 || dcpl < 0 || dapl < 0 || H5Pset_chunk(dcpl, rank, chunk) < 0
        || codec_set_filters(o->codec, dcpl) < 0
        || H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up the datasets of '/runs'");

    for (size_t m = 0; m < o->nmetrics && st == SIM_OK; m++) {
        const char *name = o->mname[m];
        o->dset[m] = H5Dcreate2(o->runs_grp, name, o->elem == 4 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE,
                                space, H5P_DEFAULT, dcpl, dapl);
        if (o->dset[m] < 0) {
            st = h5out_fail(err, o->path, "cannot create dataset '/runs/%s'", name);
            break;
        }
        char obj[300];
        snprintf(obj, sizeof obj, "/runs/%s", name);
        st = h5out_attr_str(o, err, o->dset[m], obj, "units", o->munit[m]);
        if (st == SIM_OK)
            st = h5out_attr_str(o, err, o->dset[m], obj, "description", o->mdesc[m]);
        unsigned d0 = (unsigned)o->points;      /* the run dimension */
        if (st == SIM_OK && o->points && (H5DSattach_scale(o->dset[m], o->point, 0) < 0
                                          || H5DSset_label(o->dset[m], 0, o->pdim) < 0))
            st = h5out_fail(err, o->path, "cannot attach '/%s' to dataset '%s'", o->pdim, obj);
        if (st == SIM_OK && (H5DSattach_scale(o->dset[m], o->run, d0) < 0
                             || H5DSattach_scale(o->dset[m], o->time, d0 + 1) < 0
                             || H5DSset_label(o->dset[m], d0, "run") < 0
                             || H5DSset_label(o->dset[m], d0 + 1, "time") < 0))
            st = h5out_fail(err, o->path, "cannot attach '/run' and '/time' to dataset '%s'", obj);
    }
    if (dapl >= 0)
        H5Pclose(dapl);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return st;
}

static const char *const stat_what[STATS_N] = {
    "mean across runs of",
    "sample standard deviation (n - 1) across runs of",
    "5th percentile across runs of",
    "25th percentile across runs of",
    "median (50th percentile) across runs of",
    "75th percentile across runs of",
    "95th percentile across runs of",
};

sim_status_t h5out_summary_datasets(h5out_t *o, sim_error_t *err, hid_t mgrp, size_t m,
                                    hid_t *out)
{
    char grp[300];
    snprintf(grp, sizeof grp, "/summary/%s", o->mname[m]);
    sim_status_t st = SIM_OK;
    if (o->points)
        st = link_scale(o, err, mgrp, grp, o->pdim);
    if (st == SIM_OK)
        st = link_scale(o, err, mgrp, grp, "time");
    if (st != SIM_OK)
        return st;
    /* [times]; with points [npoints, times] */
    hsize_t dims[2] = { o->npoints, o->ntimes };
    int rank = o->points ? 2 : 1;
    unsigned d0 = (unsigned)o->points;      /* the time dimension */
    hid_t space = H5Screate_simple(rank, dims + (o->points ? 0 : 1), NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up the datasets of '/summary/%s'", o->mname[m]);
    const char *what = o->mdesc[m][0] ? o->mdesc[m] : o->mname[m];
    size_t desc_len = strlen(what) + 64;
    char *desc = malloc(desc_len);
    if (!desc && st == SIM_OK)
        st = sim_fail(err, SIM_ENOMEM, "%s: out of memory", o->path);
    for (int k = 0; k < STATS_N && st == SIM_OK; k++) {
        char obj[300];
        snprintf(obj, sizeof obj, "/summary/%s/%s", o->mname[m], stats_name[k]);
        out[k] = H5Dcreate2(mgrp, stats_name[k], H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl,
                            H5P_DEFAULT);
        if (out[k] < 0) {
            st = h5out_fail(err, o->path, "cannot create dataset '%s'", obj);
            break;
        }
        snprintf(desc, desc_len, "%s %s", stat_what[k], what);
        st = h5out_attr_str(o, err, out[k], obj, "units", o->munit[m]);
        if (st == SIM_OK)
            st = h5out_attr_str(o, err, out[k], obj, "description", desc);
        if (st == SIM_OK && o->points && (H5DSattach_scale(out[k], o->point, 0) < 0
                                          || H5DSset_label(out[k], 0, o->pdim) < 0))
            st = h5out_fail(err, o->path, "cannot attach '/%s' to dataset '%s'", o->pdim, obj);
        if (st == SIM_OK && (H5DSattach_scale(out[k], o->time, d0) < 0
                             || H5DSset_label(out[k], d0, "time") < 0))
            st = h5out_fail(err, o->path, "cannot attach '/time' to dataset '%s'", obj);
    }
    free(desc);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return st;
}
