/*
** date.c: conversions between calendar dates and day numbers (see date.h).
*/
#include "date.h"
#include "pactum.h"

#include <stdio.h>
#include <time.h>
#include "banned.h"

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int64_t y, int64_t m) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int date_valid(int64_t y, int64_t m, int64_t d) {
  if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 || d < 1) return 0;
  return d <= month_days(y, m);
}

/* Count days in eras of 400 years, starting the year in March so leap days fall last. */
int32_t date_from_ymd(int y, int m, int d) {
  int yy = m <= 2 ? y - 1 : y;
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int mp = m > 2 ? m - 3 : m + 9;
  int doy = (153 * mp + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d) {
  int64_t z = (int64_t)day + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int date_parse(const char *s, size_t len, int32_t *day) {
  int y, m, d;
  if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
  if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
  if (!date_valid(y, m, d)) return -2;
  *day = date_from_ymd(y, m, d);
  return 0;
}

void date_format(int32_t day, char *buf) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  if (y < 0 || y > 9999) y = 0;
  buf[0] = (char)('0' + y / 1000);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
}

int32_t date_today(void) {
  time_t now = time(NULL);
  return (int32_t)(now / 86400);
}

int pactum_day_parse(const char *s, size_t len, int32_t *day) {
  return date_parse(s, len, day) == 0 ? PACTUM_OK : PACTUM_EINPUT;
}

void pactum_day_format(int32_t day, char *buf) { date_format(day, buf); }

/* Monday 0 .. Sunday 6: 1970-01-01 was a Thursday. */
int date_weekday(int32_t day) { return (int)((((int64_t)day % 7) + 7 + 3) % 7); }

/* day + k calendar months, the day of the month clamped to the month's last day; DATE_NONE past year 9999. */
static int32_t add_months(int32_t day, int64_t k) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  int64_t mm = (int64_t)y * 12 + (m - 1) + k;
  if (mm < (int64_t)DATE_MIN_YEAR * 12 || mm > (int64_t)DATE_MAX_YEAR * 12 + 11) return DATE_NONE;
  int ny = (int)(mm / 12), nm = (int)(mm % 12) + 1;
  int last = month_days(ny, nm);
  return date_from_ymd(ny, nm, d > last ? last : d);
}

/* day + n business days (Monday to Friday, the start day not counted). */
static int64_t add_business(int32_t day, int64_t n) {
  int64_t d = day;
  int wd = date_weekday(day);
  if (n > 0) {
    if (wd >= 5) d -= wd - 4, wd = 4; /* from a weekend, count as from the Friday before */
    int64_t r = n % 5;
    d += 7 * (n / 5) + r + (wd + r >= 5 ? 2 : 0);
  } else if (n < 0) {
    int64_t m = -n;
    if (wd >= 5) d += 7 - wd, wd = 0; /* back from a weekend: as from the Monday after */
    int64_t r = m % 5;
    d -= 7 * (m / 5) + r + (wd - r < 0 ? 2 : 0);
  }
  return d;
}

int32_t date_add(int32_t day, int64_t duration) {
  int unit = (int)(duration & 7);
  int64_t n = (duration - unit) / 8;
  int64_t r;
  switch (unit) {
  case 0: r = (int64_t)day + n; break;
  case 1: r = (int64_t)day + 7 * n; break;
  case 2: return add_months(day, n);
  case 3: return add_months(day, 12 * n);
  case 4: r = add_business(day, n); break;
  default: return DATE_NONE;
  }
  if (r < date_from_ymd(DATE_MIN_YEAR, 1, 1) || r > date_from_ymd(DATE_MAX_YEAR, 12, 31)) return DATE_NONE;
  return (int32_t)r;
}
