/*
 * An input file read whole (readfile.h). POSIX has no call that reads a file
 * whole, and stdio's fopen would wait on a FIFO for a writer: the file is
 * opened with O_NONBLOCK, checked with fstat, then read with read(2).
 */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sim_status_t readfile(const char *path, const readfile_spec_t *spec, char **out, size_t *len, sim_error_t *err)
{
    const char *sp = spec->noun ? " " : "", *noun = spec->noun ? spec->noun : "";
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        SIM_FAIL(err, spec->unreadable, "%s: cannot open%s%s: %s", path, sp, noun, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        SIM_FAIL(err, spec->unreadable, "%s: cannot read%s%s: %s", path, sp, noun, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        SIM_FAIL(err, SIM_EINVAL, "%s: cannot read%s%s: %s", path, sp, noun,
                 S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
    }
    if ((uintmax_t)st.st_size > spec->max_bytes) {
        close(fd);
        SIM_FAIL(err, SIM_EINVAL, "%s: file too large for %s (%jd bytes; the limit is %zu MiB)", path, spec->kind,
                 (intmax_t)st.st_size, spec->max_bytes >> 20);
    }
    size_t want = (size_t)st.st_size, got = 0;
    char *buf = malloc(want + 1);
    if (!buf) {
        close(fd);
        SIM_FAIL(err, SIM_ENOMEM, "%s: out of memory reading %s", path, spec->kind);
    }
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            SIM_FAIL(err, spec->unreadable, "%s: cannot read%s%s: %s", path, sp, noun, strerror(e));
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return SIM_OK;
}
