/*
 * Calendar dates (dates.h). POSIX has no UTC inverse of gmtime (timegm is a
 * GNU and BSD extension, mktime reads the time zone), so both directions are
 * Howard Hinnant's public-domain algorithms, exact over the proleptic
 * Gregorian calendar.
 */
#include "dates.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

long params_date_to_days(const char *date)
{
    int y, m, d;
    char tail;
    if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)date[i]))
            return -1;
    if (sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = y / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int params_days_to_date(int64_t days, char *buf)
{
    buf[0] = '\0';
    if (days < 0 || days > 2932896)     /* 9999-12-31 */
        return -1;
    /* civil from days (Howard Hinnant's algorithm), the inverse of the above */
    long z = (long)days + 719468;
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    /* the modulos change nothing: they show the compiler the fields fit */
    snprintf(buf, DATE_TEXT_MAX, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
    return 0;
}
