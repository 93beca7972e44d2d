/*
** date.h: calendar days as int32 counts since 1970-01-01 (proleptic Gregorian).
*/
#ifndef PACTUM_DATE_H
#define PACTUM_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

/* 1 if y-m-d is a real day within DATE_MIN_YEAR..DATE_MAX_YEAR. */
int date_valid(int64_t y, int64_t m, int64_t d);
/* Days since 1970-01-01 of a valid y-m-d. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y /* OUT */, int *m /* OUT */, int *d /* OUT */);
/*
** Parse exactly "YYYY-MM-DD" from s[0..len). Returns 0 and sets *day, -1 if the text is not
** of that shape, -2 if it is but names no real day (2025-02-30).
*/
int date_parse(const char *s, size_t len, int32_t *day /* OUT */);
/* "YYYY-MM-DD" plus NUL into buf[11]. */
void date_format(int32_t day, char *buf /* OUT */);
/*
** day + duration (a duration of num.h: a count and a unit). Days and weeks add days; months and
** years keep the day of the month, clamped to the last day of the month reached (2027-01-31 + 1
** month = 2027-02-28; 2028-01-31 + 1 month = 2028-02-29); business days are Monday to Friday, no
** holidays, the start day not counted (Friday + 1 business day = Monday; Saturday + 1 = Monday).
** A negative count goes back the same way. DATE_NONE if the day reached is outside years 1..9999.
*/
#define DATE_NONE INT32_MIN
int32_t date_add(int32_t day, int64_t duration);
/* Monday 0 .. Sunday 6. */
int date_weekday(int32_t day);
/* Today in UTC, for the CLI only: the engine itself never reads the clock. */
int32_t date_today(void);

#endif
