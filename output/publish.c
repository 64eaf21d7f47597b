/* Putting a finished file under its name; see publish.h. */
#define _GNU_SOURCE             /* renameat2 (glibc >= 2.28) */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room a shortened name leaves for "~" + 8 hex digits + the longest suffix
 * (".partial.tmp-4194304", 20 bytes). */
#define SHORT_ROOM 32

/* The directory part of path ("." when none) into dir, and where the base starts. */
static const char *split(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
        return path;
    }
    size_t n = (size_t)(slash - path);
    if (n == 0)
        n = 1;   /* "/x": the root */
    snprintf(dir, size, "%.*s", (int)n, path);
    return slash + 1;
}

static size_t name_max(const char *dir)
{
    long n = pathconf(dir, _PC_NAME_MAX);
    return n > SHORT_ROOM + 8 ? (size_t)n : 255;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The stem of a shortened name in a directory of names up to max bytes:
 * base cut to max - SHORT_ROOM bytes at a UTF-8 character boundary, then "~"
 * and the hash of the whole base (buf: NAME_MAX + 1 bytes). */
static void short_stem(const char *base, size_t max, char *buf)
{
    size_t room = max - SHORT_ROOM < NAME_MAX - 10 ? max - SHORT_ROOM : NAME_MAX - 10;
    size_t n = strlen(base), cut = room < n ? room : n;
    while (cut > 0 && ((unsigned char)base[cut] & 0xC0) == 0x80)
        cut--;
    snprintf(buf, NAME_MAX + 1, "%.*s~%08x", (int)cut, base, (unsigned)fnv1a(base));
}

sim_status_t publish_sibling(const char *path, const char *suffix, char *buf, size_t size,
                             sim_error_t *err)
{
    char dir[PATH_MAX];
    const char *base = split(path, dir, sizeof dir);
    size_t max = name_max(dir);
    size_t prefix = (size_t)(base - path);
    int n;
    if (strlen(base) + strlen(suffix) <= max) {
        n = snprintf(buf, size, "%s%s", path, suffix);
    } else {
        char stem[NAME_MAX + 1];
        short_stem(base, max, stem);
        n = snprintf(buf, size, "%.*s%s%s", (int)prefix, path, stem, suffix);
    }
    if (n < 0 || (size_t)n >= size)
        SIM_FAIL(err, SIM_EINVAL, "%s: output file name too long", path);
    return SIM_OK;
}

sim_status_t publish_tmp_name(const char *path, char *buf, size_t size, sim_error_t *err)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    return publish_sibling(path, suffix, buf, size, err);
}

publish_kind_t publish_kind(const char *path, const char **what)
{
    struct stat sb, target;
    const char *w = "nothing";
    publish_kind_t k = PUBLISH_NONE;
    if (lstat(path, &sb) == 0) {
        k = PUBLISH_OTHER;
        if (S_ISREG(sb.st_mode)) {
            k = PUBLISH_REGULAR;
            w = "a regular file";
        } else if (S_ISDIR(sb.st_mode)) {
            k = PUBLISH_DIRECTORY;
            w = "a directory";
        } else if (S_ISLNK(sb.st_mode)) {
            w = stat(path, &target) == 0 ? "a symbolic link" : "a dangling symbolic link (or a loop)";
        } else if (S_ISCHR(sb.st_mode)) {
            w = "a character device";
        } else if (S_ISBLK(sb.st_mode)) {
            w = "a block device";
        } else if (S_ISFIFO(sb.st_mode)) {
            w = "a named pipe";
        } else if (S_ISSOCK(sb.st_mode)) {
            w = "a socket";
        } else {
            w = "not a regular file";
        }
    }
    if (what)
        *what = w;
    return k;
}

static void sync_dir(const char *path)
{
    char dir[PATH_MAX];
    split(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);   /* the new name survives a crash; best effort (not every fs allows it) */
        close(fd);
    }
}

/* Move tmp to path unless path is taken: 0, or -1 with errno (EEXIST when taken). */
static int move_noreplace(const char *tmp, const char *path)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
#endif
    /* file systems without RENAME_NOREPLACE: link(2) refuses a taken name too */
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP)
        return -1;
    /* nor hard links (FAT, some FUSE file systems): look, then rename */
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, path);
}

sim_status_t publish_file(const char *tmp, const char *path, int replace, sim_error_t *err)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        SIM_FAIL(err, SIM_EIO, "%s: cannot flush '%s' to disk: %s", path, tmp, strerror(e));
    }
    close(fd);
    return publish_move(tmp, path, replace, err);
}

sim_status_t publish_move(const char *tmp, const char *path, int replace, sim_error_t *err)
{
    const char *what;
    publish_kind_t k = publish_kind(path, &what);
    if (replace && k == PUBLISH_REGULAR) {
        if (rename(tmp, path) < 0)
            SIM_FAIL(err, SIM_EIO, "%s: cannot rename '%s' to it: %s", path, tmp, strerror(errno));
    } else if (replace && k != PUBLISH_NONE) {
        SIM_FAIL(err, SIM_EEXIST, "%s: is now %s, and tokensim replaces only regular files", path, what);
    } else if (move_noreplace(tmp, path) < 0) {
        if (errno == EEXIST)
            SIM_FAIL(err, SIM_EEXIST, "%s: another file took this name while the campaign ran, and "
                     "without --force tokensim replaces nothing", path);
        SIM_FAIL(err, SIM_EIO, "%s: cannot rename '%s' to it: %s", path, tmp, strerror(errno));
    }
    sync_dir(path);
    return SIM_OK;
}

sim_status_t publish_elsewhere(const char *tmp, const char *path, char *kept, size_t size,
                               sim_error_t *err)
{
    size_t n = strlen(path);
    int h5 = n > 3 && strcmp(path + n - 3, ".h5") == 0;
    char stem[PATH_MAX];
    snprintf(stem, sizeof stem, "%.*s", (int)(h5 ? n - 3 : n), path);
    for (int i = 1; i < 1000; i++) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, "-%d%s", i, h5 ? ".h5" : "");
        sim_status_t st = publish_sibling(stem, suffix, kept, size, err);
        if (st != SIM_OK)
            return st;
        if (move_noreplace(tmp, kept) == 0) {
            sync_dir(kept);
            return SIM_OK;
        }
        if (errno != EEXIST)
            SIM_FAIL(err, SIM_EIO, "%s: cannot rename '%s' to '%s': %s", path, tmp, kept,
                     strerror(errno));
    }
    SIM_FAIL(err, SIM_EIO, "%s: no free name beside it for the result (tried %s)", path, kept);
}

long publish_holder(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return 0;
    long pid = 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
        pid = fl.l_pid > 0 ? (long)fl.l_pid : -1;
    /* HDF5 holds flock(2) on a file it writes (unless HDF5_USE_FILE_LOCKING=FALSE) */
    if (pid == 0 && flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
        pid = -1;
    close(fd);   /* also drops our flock probe */
    return pid;
}

int publish_lock(int fd)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    return fcntl(fd, F_SETLK, &fl) == 0 ? 0 : -1;
}

/* pid if name is "<stem>.tmp-<pid>" for one of the stems, else 0. */
static long tmp_pid(const char *name, char stems[][NAME_MAX + 1], size_t nstems)
{
    for (size_t i = 0; i < nstems; i++) {
        size_t n = strlen(stems[i]);
        if (strncmp(name, stems[i], n) != 0 || strncmp(name + n, ".tmp-", 5) != 0)
            continue;
        const char *d = name + n + 5;
        if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 9)
            continue;
        return atol(d);
    }
    return 0;
}

static int running_here(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Shell-quote s into buf: 'it'\''s'. */
static void quote(const char *s, char *buf, size_t size)
{
    size_t w = 0;
    if (size < 3)
        return;
    buf[w++] = '\'';
    for (; *s && w + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(buf + w, "'\\''", 4);
            w += 4;
        } else {
            buf[w++] = *s;
        }
    }
    buf[w++] = '\'';
    buf[w] = '\0';
}

size_t publish_warn_stale(const char *out, const char *partial, FILE *to)
{
    char dir[PATH_MAX];
    const char *bases[2] = { split(out, dir, sizeof dir), NULL };
    char pdir[PATH_MAX];
    bases[1] = split(partial, pdir, sizeof pdir);
    /* each base's temporaries: "<base>.tmp-PID", or the shortened stem's */
    char stems[4][NAME_MAX + 1];
    size_t nstems = 0, max = name_max(dir);
    for (int b = 0; b < 2; b++) {
        if (strlen(bases[b]) <= NAME_MAX)
            snprintf(stems[nstems++], NAME_MAX + 1, "%s", bases[b]);
        if (strlen(bases[b]) + 20 > max)   /* a shortened name is possible */
            short_stem(bases[b], max, stems[nstems++]);
    }
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t found = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = tmp_pid(e->d_name, stems, nstems);
        if (pid <= 0 || pid == (long)getpid() || running_here(pid))
            continue;
        char path[PATH_MAX + NAME_MAX + 2], q[2 * (PATH_MAX + NAME_MAX)];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (publish_kind(path, NULL) != PUBLISH_REGULAR || publish_holder(path) != 0)
            continue;
        quote(strchr(out, '/') ? path : e->d_name, q, sizeof q);
        fprintf(to, "tokensim: warning: %s is the temporary file of an earlier campaign whose process "
                "(%ld) is gone; nothing reads it (the finished runs of a campaign are kept in %s): "
                "remove it with\n  rm %s\n", strchr(out, '/') ? path : e->d_name, pid, partial, q);
        found++;
    }
    closedir(d);
    return found;
}
