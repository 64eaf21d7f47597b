/*
 * The result file's life cycle (h5out.h): create the temporary file, take
 * runs, finish it (/summary, close, move to its name) or abandon it.
 */
#include "h5out_state.h"
#include "publish.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- small helpers ---------------------------------------------------- */

static char *dup_str(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void close_id(hid_t *id, herr_t (*close)(hid_t))
{
    if (*id >= 0)
        close(*id);
    *id = H5I_INVALID_HID;
}

static void free_h5out(h5out_t *o)
{
    h5out_chunks_free(o);
    for (size_t m = 0; m < o->nmetrics; m++) {
        if (o->mname)
            free(o->mname[m]);
        if (o->munit)
            free(o->munit[m]);
        if (o->mdesc)
            free(o->mdesc[m]);
    }
    free(o->mname);
    free(o->munit);
    free(o->mdesc);
    free(o->dset);
    free(o->written);
    free(o->pdim);
    free(o->tmp);
    free(o->path);
    free(o);
}

/* Close every HDF5 object we hold, ignoring errors (failure paths). */
static void close_all(h5out_t *o)
{
    if (o->dset)
        for (size_t m = 0; m < o->nmetrics; m++)
            close_id(&o->dset[m], H5Dclose);
    close_id(&o->time, H5Dclose);
    close_id(&o->run, H5Dclose);
    close_id(&o->point, H5Dclose);
    close_id(&o->runs_grp, H5Gclose);
    close_id(&o->str_type, H5Tclose);
    close_id(&o->file, H5Fclose);
}

/* On failure *out may hold a partly built o: h5out_abort() takes it apart. */
static sim_status_t alloc_h5out(h5out_t **out, const h5out_spec_t *spec, sim_error_t *err)
{
    h5out_t *o = calloc(1, sizeof *o);
    if (!o)
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    o->file = o->str_type = o->time = o->run = o->point = o->runs_grp = H5I_INVALID_HID;
    o->runs = spec->runs;
    o->points = spec->npoints > 1;
    o->npoints = o->points ? spec->npoints : 1;
    o->ntimes = spec->ntimes;
    o->nmetrics = spec->nmetrics;
    o->threads = spec->threads > 0 ? spec->threads : 1;
    o->before_publish = spec->before_publish;
    o->before_publish_ctx = spec->before_publish_ctx;
    o->codec_kind = spec->compression == H5OUT_BLOSC ? CODEC_BLOSC : CODEC_DEFLATE;
    o->level = spec->deflate_level > 0 ? spec->deflate_level : H5OUT_DEFLATE_DEFAULT;
    o->elem = spec->float32 ? 4 : 8;
    *out = o;

    size_t n = spec->nmetrics ? spec->nmetrics : 1;
    o->dset = malloc(n * sizeof *o->dset);
    if (o->dset)
        for (size_t m = 0; m < spec->nmetrics; m++)
            o->dset[m] = H5I_INVALID_HID;
    o->path = dup_str(spec->path);
    o->replace = spec->replace;
    char tmp[PATH_MAX];
    if (publish_tmp_name(spec->path, tmp, sizeof tmp, err) != SIM_OK)
        return err->code;
    o->tmp = dup_str(tmp);
    o->mname = calloc(n, sizeof *o->mname);
    o->munit = calloc(n, sizeof *o->munit);
    o->mdesc = calloc(n, sizeof *o->mdesc);
    o->written = calloc(o->npoints * spec->runs / 8 + 1, 1);
    if (o->points)
        o->pdim = dup_str(spec->point_dim);
    if (!o->path || !o->tmp || !o->dset || !o->mname || !o->munit || !o->mdesc || !o->written
        || (o->points && !o->pdim))
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    for (size_t m = 0; m < spec->nmetrics; m++) {
        o->mname[m] = dup_str(spec->metrics[m].name);
        o->munit[m] = dup_str(spec->metrics[m].unit);
        o->mdesc[m] = dup_str(spec->metrics[m].description);
        if (!o->mname[m] || !o->munit[m] || !o->mdesc[m])
            SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory", spec->path);
    }
    return SIM_OK;
}

void h5out_library_init(void)
{
    H5dont_atexit();
}

sim_status_t h5out_create(h5out_t **out, const h5out_spec_t *spec, sim_error_t *err)
{
    if (!out)
        SIM_FAIL(err, SIM_EINVAL, "h5out_create: no result pointer");
    *out = NULL;
    sim_status_t st = h5out_check_spec(spec, err);
    if (st != SIM_OK)
        return st;
    /* Errors are reported through err, never printed by HDF5 itself. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    time_t now;
    if (h5out_source_date(&now, err) != SIM_OK)   /* before any file exists */
        return err->code;
    h5out_t *o = NULL;
    st = alloc_h5out(&o, spec, err);
    if (st == SIM_OK) st = h5out_open_file(o, err);
    if (st == SIM_OK) st = h5out_write_provenance(o, spec, err);
    if (st == SIM_OK) st = h5out_write_scales(o, spec, err);
    if (st == SIM_OK) st = h5out_create_runs(o, err);
    if (st != SIM_OK) {
        h5out_abort(o);
        return st;
    }
    *out = o;
    return SIM_OK;
}

/* --- write runs ------------------------------------------------------- */

size_t h5out_chunk_rows(const h5out_t *o)
{
    return o ? (size_t)o->chunk[0] : 1;
}

/* Runs [first, first + count) of point p (checked by the caller), marked written. */
static sim_status_t write_block(h5out_t *o, sim_error_t *err, size_t p, size_t first,
                                size_t count, const double *data)
{
    if (count > 0 && o->nmetrics > 0 && !data) {
        char tag[160];
        SIM_FAIL(err, SIM_EINVAL, "%s: no data for runs [%zu, %zu)%s", o->path, first,
                 first + count, point_tag(o, p, tag));
    }
    sim_status_t st = h5out_chunks_write(o, err, p, first, count, data);
    if (st != SIM_OK)
        return st;
    for (size_t r = p * o->runs + first; r < p * o->runs + first + count; r++) {
        unsigned char bit = (unsigned char)(1u << (r % 8));
        if (!(o->written[r / 8] & bit)) {
            o->written[r / 8] |= bit;
            o->nwritten++;
        }
    }
    return SIM_OK;
}

sim_status_t h5out_write_runs(h5out_t *o, size_t first, size_t count, const double *data,
                              sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_write_runs: no output file");
    if (o->points)
        SIM_FAIL(err, SIM_EINVAL, "%s: the file has %zu %s points: write runs with "
                 "h5out_write_point_runs", o->path, o->npoints, o->pdim);
    if (first > o->runs || count > o->runs - first)
        SIM_FAIL(err, SIM_EINVAL, "%s: runs [%zu, %zu) are outside the file's %zu runs", o->path,
                 first, first + count, o->runs);
    return write_block(o, err, 0, first, count, data);
}

sim_status_t h5out_write_point_runs(h5out_t *o, size_t point, size_t first, size_t count,
                                    const double *data, sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_write_point_runs: no output file");
    if (point >= o->npoints)
        SIM_FAIL(err, SIM_EINVAL, "%s: point %zu is outside the file's %zu point%s", o->path,
                 point, o->npoints, o->npoints == 1 ? "" : "s");
    if (first > o->runs || count > o->runs - first)
        SIM_FAIL(err, SIM_EINVAL, "%s: runs [%zu, %zu) are outside the file's %zu runs", o->path,
                 first, first + count, o->runs);
    return write_block(o, err, point, first, count, data);
}

/* --- finish ------------------------------------------------------------ */

/* Close everything, checking each step: a failed close may mean unflushed data. */
static sim_status_t close_file(h5out_t *o, sim_error_t *err)
{
    for (size_t m = 0; m < o->nmetrics; m++)
        if (o->dset[m] >= 0) {
            herr_t e = H5Dclose(o->dset[m]);
            o->dset[m] = H5I_INVALID_HID;
            if (e < 0)
                return h5out_fail(err, o->path, "cannot close dataset '/runs/%s'", o->mname[m]);
        }
    herr_t e = H5Dclose(o->time);
    o->time = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close dataset '/time'");
    e = H5Dclose(o->run);
    o->run = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close dataset '/run'");
    if (o->point >= 0) {
        e = H5Dclose(o->point);
        o->point = H5I_INVALID_HID;
        if (e < 0)
            return h5out_fail(err, o->path, "cannot close dataset '/%s'", o->pdim);
    }
    e = H5Gclose(o->runs_grp);
    o->runs_grp = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close group '/runs'");
    close_id(&o->str_type, H5Tclose);
    e = H5Fclose(o->file);
    o->file = H5I_INVALID_HID;
    if (e < 0)
        return h5out_fail(err, o->path, "cannot close (flush) the file");
    return SIM_OK;
}

/* Move the whole file to its name (publish.h); when the name was taken
 * meanwhile, keep the result beside it: SIM_EEXIST, the file in place. */
static sim_status_t publish(const h5out_t *o, sim_error_t *err)
{
    sim_error_t taken;
    sim_error_clear(&taken);
    sim_status_t st = publish_file(o->tmp, o->path, o->replace, &taken);
    if (st != SIM_EEXIST)
        return st == SIM_OK ? SIM_OK : sim_fail(err, st, "%s", taken.msg);
    char kept[PATH_MAX];
    st = publish_elsewhere(o->tmp, o->path, kept, sizeof kept, err);
    if (st != SIM_OK)
        return st;
    SIM_FAIL(err, SIM_EEXIST, "%s: the result is kept as %s", taken.msg, kept);
}

sim_status_t h5out_finish(h5out_t *o, sim_error_t *err)
{
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_finish: no output file");
    sim_status_t st = SIM_OK;
    if (o->nwritten != o->npoints * o->runs)
        st = o->points
                 ? sim_fail(err, SIM_EINVAL, "%s: only %zu of %zu runs (%zu %s points x %zu runs) "
                            "were written; no file written", o->path, o->nwritten,
                            o->npoints * o->runs, o->npoints, o->pdim, o->runs)
                 : sim_fail(err, SIM_EINVAL, "%s: only %zu of %zu runs were written; no file "
                            "written", o->path, o->nwritten, o->runs);
    if (st == SIM_OK)
        st = h5out_write_summary(o, err);
    if (st == SIM_OK)
        st = close_file(o, err);
    if (st == SIM_OK && o->before_publish)
        st = o->before_publish(o->tmp, o->before_publish_ctx, err);
    if (st == SIM_OK)
        st = publish(o, err);
    if (st != SIM_OK && st != SIM_EEXIST) {
        close_all(o);
        unlink(o->tmp);
    }
    free_h5out(o);
    return st;
}

/* --- the skeleton of a partial file ---------------------------------- */

sim_status_t h5out_close_as_is(h5out_t *o, char **tmp_path, sim_error_t *err)
{
    *tmp_path = NULL;
    if (!o)
        SIM_FAIL(err, SIM_EINVAL, "h5out_close_as_is: no output file");
    sim_status_t st = close_file(o, err);
    if (st == SIM_OK) {
        *tmp_path = o->tmp;
        o->tmp = NULL;   /* the caller's now */
    } else {
        close_all(o);
        unlink(o->tmp);
    }
    free_h5out(o);
    return st;
}

int64_t h5out_runs_dataset(const h5out_t *o, size_t metric)
{
    return o && metric < o->nmetrics ? (int64_t)o->dset[metric] : -1;
}

size_t h5out_runs_written(const h5out_t *o)
{
    return o ? o->nwritten : 0;
}

void h5out_abort(h5out_t *o)
{
    if (!o)
        return;
    close_all(o);
    if (o->tmp)
        unlink(o->tmp);
    free_h5out(o);
}
