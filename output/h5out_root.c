/*
 * The result file's provenance: its root attributes (what wrote it, when,
 * from which scenario and seed), /scenario and /params (docs/output.md).
 */
#include "h5out_state.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 9999-12-31T23:59:59Z: the last second created_utc's four-digit year can say */
#define SOURCE_DATE_MAX 253402300799LL

sim_status_t h5out_source_date(time_t *t, sim_error_t *err)
{
    /* reproducible-builds.org's SOURCE_DATE_EPOCH: a fixed time makes the files
     * identical; a malformed value must fail, not be ignored. Empty = unset. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *t = time(NULL);
    if (!sde || !*sde)
        return SIM_OK;
    long long v = -1;
    if (strspn(sde, "0123456789") == strlen(sde) && strlen(sde) <= 12)
        v = strtoll(sde, NULL, 10);
    if (v < 0 || v > SOURCE_DATE_MAX) {
        char shown[48];
        snprintf(shown, sizeof shown, "%.40s%s", sde, strlen(sde) > 40 ? "..." : "");
        for (char *c = shown; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
        SIM_FAIL(err, SIM_EINVAL, "SOURCE_DATE_EPOCH='%s' is not a whole number of seconds since "
                 "1970-01-01T00:00:00Z in [0, %lld] (digits only, as `date +%%s` prints): set it "
                 "to one or unset it", shown, SOURCE_DATE_MAX);
    }
    *t = (time_t)v;
    return SIM_OK;
}

static sim_status_t utc_now(char buf[32], sim_error_t *err)
{
    time_t t;
    sim_status_t st = h5out_source_date(&t, err);
    struct tm tm;
    if (st == SIM_OK && (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0))
        st = sim_fail(err, SIM_EIO, "cannot format the time %lld as UTC", (long long)t);
    return st;
}

static sim_status_t write_root_attrs(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    char created[32];
    if (utc_now(created, err) != SIM_OK)
        return err->code;
    hid_t f = o->file;
    sim_status_t st = SIM_OK;
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "format", "tokensim");
    if (st == SIM_OK) st = h5out_attr_i32(o, err, f, "/", "format_version", s->format_version);
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "tokensim_version", s->version);
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "command", s->command);
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "scenario_name", s->scenario_name);
    if (st == SIM_OK) st = h5out_attr_u64(o, err, f, "/", "seed", s->seed);
    if (st == SIM_OK) st = h5out_attr_u64(o, err, f, "/", "runs", (uint64_t)s->runs);
    if (st == SIM_OK) st = h5out_attr_i64(o, err, f, "/", "days", s->days);
    if (st == SIM_OK) st = h5out_attr_i64(o, err, f, "/", "record_every_days", s->record_every_days);
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "start_date", s->start_date);
    if (st == SIM_OK) st = h5out_attr_str(o, err, f, "/", "created_utc", created);
    return st;
}

static sim_status_t write_scenario(h5out_t *o, const char *yaml, sim_error_t *err)
{
    const char *v = yaml ? yaml : "";
    sim_status_t st = SIM_OK;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0)
        return h5out_fail(err, o->path, "cannot create dataspace for '/scenario'");
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t d = H5I_INVALID_HID;
    if (dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0)
        st = h5out_fail(err, o->path, "cannot set up dataset '/scenario'");
    else if ((d = H5Dcreate2(o->file, "scenario", o->str_type, space, H5P_DEFAULT, dcpl,
                             H5P_DEFAULT)) < 0)
        st = h5out_fail(err, o->path, "cannot create dataset '/scenario'");
    else if (H5Dwrite(d, o->str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        st = h5out_fail(err, o->path, "cannot write dataset '/scenario'");
    if (st == SIM_OK)
        st = h5out_attr_str(o, err, d, "/scenario", "description",
                      "the resolved scenario (after overrides) as YAML");
    if (d >= 0 && H5Dclose(d) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close dataset '/scenario'");
    if (dcpl >= 0)
        H5Pclose(dcpl);
    H5Sclose(space);
    return st;
}

static sim_status_t write_params(h5out_t *o, const h5out_spec_t *s, sim_error_t *err)
{
    hid_t g = h5out_group(o->file, "params");
    if (g < 0)
        return h5out_fail(err, o->path, "cannot create group '/params'");
    sim_status_t st = SIM_OK;
    char unit_name[512];
    for (size_t i = 0; i < s->nparams && st == SIM_OK; i++) {
        const h5out_param_t *p = &s->params[i];
        if (p->is_text)
            st = h5out_attr_str(o, err, g, "/params", p->name, p->text);
        else
            st = h5out_attr_f64(o, err, g, "/params", p->name, p->number);
        if (st != SIM_OK)
            break;
        int n = snprintf(unit_name, sizeof unit_name, "units:%s", p->name);
        if (n < 0 || (size_t)n >= sizeof unit_name)
            st = sim_fail(err, SIM_EINVAL, "%s: parameter name too long: '%s'", o->path, p->name);
        else
            st = h5out_attr_str(o, err, g, "/params", unit_name, p->unit);
    }
    if (H5Gclose(g) < 0 && st == SIM_OK)
        st = h5out_fail(err, o->path, "cannot close group '/params'");
    return st;
}


sim_status_t h5out_write_provenance(h5out_t *o, const h5out_spec_t *spec, sim_error_t *err)
{
    sim_status_t st = write_root_attrs(o, spec, err);
    if (st == SIM_OK)
        st = write_scenario(o, spec->scenario_yaml, err);
    if (st == SIM_OK)
        st = write_params(o, spec, err);
    return st;
}
