/* The summary's provenance lines; see summary_header.h. */
#include "summary_header.h"

#include <stdint.h>

#include "h5util.h"

void summary_attr_text(hid_t file, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "?");
    if (H5Aexists_by_name(file, "/", name, H5P_DEFAULT) <= 0)
        return;
    hid_t a = H5Aopen_by_name(file, "/", name, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0)
        return;
    hid_t t = H5Aget_type(a);
    H5T_class_t cls = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (cls == H5T_INTEGER && H5Tget_sign(t) == H5T_SGN_NONE) {
        uint64_t v;
        if (H5Aread(a, H5T_NATIVE_UINT64, &v) >= 0)
            snprintf(buf, size, "%llu", (unsigned long long)v);
    } else if (cls == H5T_INTEGER) {
        int64_t v;
        if (H5Aread(a, H5T_NATIVE_INT64, &v) >= 0)
            snprintf(buf, size, "%lld", (long long)v);
    } else if (cls == H5T_FLOAT) {
        double v;
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0)
            snprintf(buf, size, "%.17g", v);
    } else if (cls == H5T_STRING) {
        h5util_read_text_attr(file, "/", name, buf, size);
    }
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
}

void summary_header_print(hid_t file, const char *title, const char *path, const summary_field_t *field,
                          size_t nfields, FILE *out)
{
    fprintf(out, "%s %s\n", title, path);
    for (size_t i = 0; i < nfields; i++) {
        char v[256];
        if (field[i].numeric)
            summary_attr_text(file, field[i].attr, v, sizeof v);
        else if (h5util_read_text_attr(file, "/", field[i].attr, v, sizeof v) != 0)
            snprintf(v, sizeof v, "?");
        fprintf(out, "  %-17s %s\n", field[i].label, v);
    }
}

void summary_header_run(hid_t file, const char *path, FILE *out)
{
    static const summary_field_t field[] = {
        {"scenario", "scenario_name", 0}, {"command", "command", 0},
        {"runs", "runs", 1},              {"days", "days", 1},
        {"seed", "seed", 1},              {"start_date", "start_date", 0},
        {"tokensim_version", "tokensim_version", 0}, {"created_utc", "created_utc", 0},
    };
    summary_header_print(file, "tokensim result", path, field, sizeof field / sizeof field[0], out);
}
