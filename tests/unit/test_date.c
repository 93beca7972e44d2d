/*
** test_date.c: calendar conversions of src/date.c.
**
** Expected day numbers are derived independently of date.c:
**  - 0001-01-01: 1969 whole years lie before 1970, 477 of them leap (1969/4 - 1969/100 + 1969/400
**    = 492 - 19 + 4), so 1969 * 365 + 477 = 719162 days: day -719162.
**  - 2000-03-01: 1970..1999 is 30 years with 7 leap years (1972..1996) = 10957 days, then
**    31 (Jan) + 29 (Feb 2000) = 60: day 11017.
**  - 2025-10-28: 1970..2024 is 55 years with 14 leap years (1972..2024 step 4; 2000 is leap)
**    = 20089 days, then Jan..Sep 2025 = 273 days, + 27: day 20389.
**  - 9999-12-31: 2932896 (python3: date(9999,12,31).toordinal() - date(1970,1,1).toordinal()).
** The round-trip test walks every day with an independent leap-year rule and checks each day
** number is the previous plus one, which pins the whole range to those anchors.
*/
#include "unit.h"
#include "date.h"

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : len[m - 1];
}

static void test_round_trip_every_day(void **state) {
  (void)state;
  int32_t expect = -719162; /* 0001-01-01 */
  long checked = 0;
  char want[48], got[11];
  for (int y = 1; y <= 9999; y++)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= days_in(y, m); d++) {
        if (!date_valid(y, m, d)) fail_msg("date_valid(%d,%d,%d) is 0", y, m, d);
        int32_t day = date_from_ymd(y, m, d);
        if (day != expect) fail_msg("date_from_ymd(%d,%d,%d) = %d, expected %d", y, m, d, (int)day, (int)expect);
        int yy, mm, dd;
        date_to_ymd(day, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d)
          fail_msg("date_to_ymd(%d) = %d-%d-%d, expected %d-%d-%d", (int)day, yy, mm, dd, y, m, d);
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        memset(got, 'x', sizeof got);
        date_format(day, got);
        if (memcmp(got, want, 11) != 0) fail_msg("date_format(%d) = '%.10s', expected '%s'", (int)day, got, want);
        int32_t parsed = 0;
        if (date_parse(want, 10, &parsed) != 0 || parsed != day)
          fail_msg("date_parse('%s') = %d, expected %d", want, (int)parsed, (int)day);
        expect++;
        checked++;
      }
  assert_int_equal(expect - 1, 2932896); /* 9999-12-31 */
  /* 9999 years of 365 days plus the leap days: 9999/4 - 9999/100 + 9999/400 = 2499 - 99 + 24. */
  assert_int_equal(checked, 9999L * 365 + 2424);
}

static void test_known_day_numbers(void **state) {
  (void)state;
  int32_t day;
  assert_int_equal(date_from_ymd(1970, 1, 1), 0);
  assert_int_equal(date_from_ymd(1969, 12, 31), -1);
  assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
  assert_int_equal(date_from_ymd(2000, 2, 29), 11016);
  assert_int_equal(date_from_ymd(2025, 10, 28), 20389);
  assert_int_equal(date_from_ymd(1, 1, 1), -719162);
  assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
  assert_int_equal(date_parse("1970-01-01", 10, &day), 0);
  assert_int_equal(day, 0);
  assert_int_equal(date_parse("2025-10-28", 10, &day), 0);
  assert_int_equal(day, 20389);
  assert_int_equal(date_parse("2000-03-01", 10, &day), 0);
  assert_int_equal(day, 11017);
  /* The public wrappers. */
  assert_int_equal(pactum_day_parse("2025-10-28", 10, &day), PACTUM_OK);
  assert_int_equal(day, 20389);
  char buf[11];
  pactum_day_format(20389, buf);
  assert_string_equal(buf, "2025-10-28");
  pactum_day_format(0, buf);
  assert_string_equal(buf, "1970-01-01");
  pactum_day_format(-1, buf);
  assert_string_equal(buf, "1969-12-31");
}

static void test_leap_years(void **state) {
  (void)state;
  int32_t day = 12345;
  assert_int_equal(date_parse("2024-02-29", 10, &day), 0);
  assert_int_equal(day, date_from_ymd(2024, 3, 1) - 1);
  assert_int_equal(date_parse("2000-02-29", 10, &day), 0);
  assert_int_equal(day, 11016);
  /* Not leap: not divisible by 4, or a century not divisible by 400. The day is untouched. */
  day = 12345;
  assert_int_equal(date_parse("2025-02-29", 10, &day), -2);
  assert_int_equal(date_parse("1900-02-29", 10, &day), -2);
  assert_int_equal(date_parse("2100-02-29", 10, &day), -2);
  assert_int_equal(day, 12345);
  assert_int_equal(date_parse("0004-02-29", 10, &day), 0);
  assert_int_equal(date_parse("0400-02-29", 10, &day), 0);
  assert_int_equal(date_parse("9996-02-29", 10, &day), 0);
  assert_int_equal(date_valid(2024, 2, 29), 1);
  assert_int_equal(date_valid(2025, 2, 29), 0);
  assert_int_equal(date_valid(1900, 2, 29), 0);
  assert_int_equal(date_valid(2000, 2, 29), 1);
  assert_int_equal(date_valid(2025, 2, 28), 1);
  assert_int_equal(pactum_day_parse("2025-02-29", 10, &day), PACTUM_EINPUT);
}

static void test_year_range(void **state) {
  (void)state;
  int32_t day = 7;
  assert_int_equal(date_valid(0, 1, 1), 0);
  assert_int_equal(date_valid(-1, 1, 1), 0);
  assert_int_equal(date_valid(10000, 1, 1), 0);
  assert_int_equal(date_valid(1, 1, 1), 1);
  assert_int_equal(date_valid(9999, 12, 31), 1);
  assert_int_equal(date_valid(INT64_MAX, 1, 1), 0);
  assert_int_equal(date_valid(2025, INT64_MIN, 1), 0);
  /* Year 0 has the right shape but is no real day; year 10000 cannot be written in 4 digits. */
  assert_int_equal(date_parse("0000-01-01", 10, &day), -2);
  assert_int_equal(date_parse("0000-12-31", 10, &day), -2);
  assert_int_equal(date_parse("10000-01-01", 11, &day), -1);
  assert_int_equal(date_parse("0001-01-01", 10, &day), 0);
  assert_int_equal(day, -719162);
  assert_int_equal(date_parse("9999-12-31", 10, &day), 0);
  assert_int_equal(day, 2932896);
  assert_int_equal(pactum_day_parse("0000-01-01", 10, &day), PACTUM_EINPUT);
  assert_int_equal(pactum_day_parse("10000-01-01", 11, &day), PACTUM_EINPUT);
}

static void test_impossible_days(void **state) {
  (void)state;
  int32_t day;
  const char *bad[] = {"2025-00-10", "2025-13-01", "2025-01-00", "2025-01-32", "2025-04-31",
                       "2025-06-31", "2025-09-31", "2025-11-31", "2025-99-99"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (date_parse(bad[i], 10, &day) != -2) fail_msg("'%s' should be an impossible day (-2)", bad[i]);
  const char *good[] = {"2025-01-31", "2025-03-31", "2025-04-30", "2025-12-31", "2025-02-28"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (date_parse(good[i], 10, &day) != 0) fail_msg("'%s' should parse", good[i]);
}

static void test_malformed_shapes(void **state) {
  (void)state;
  int32_t day = 99;
  struct { const char *s; size_t len; } bad[] = {
      {"2025-1-01", 9},   {"2025-01-1", 9},    {"2025/01/01", 10}, {"2025.01.01", 10},
      {"2025-01-01x", 11}, {"2025-01-01 ", 11}, {"2025-01-011", 11}, {" 2025-01-01", 11},
      {"25-01-01", 8},    {"", 0},             {"2025-01-0x", 10}, {"x025-01-01", 10},
      {"2025-0a-01", 10}, {"+025-01-01", 10},  {"-025-01-01", 10}, {"2025-+1-01", 10},
      {"2025-01--1", 10}, {"2025 01 01", 10},  {"20250101", 8},    {"2025-01-01", 9},
      {"2025-01-01", 11}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char tmp[32] = {0};
    memcpy(tmp, bad[i].s, strlen(bad[i].s));
    if (date_parse(tmp, bad[i].len, &day) != -1)
      fail_msg("'%s' (len %zu) should be malformed (-1)", bad[i].s, bad[i].len);
  }
  assert_int_equal(day, 99);
  /* Exactly the first 10 bytes count: a longer buffer with len 10 is fine. */
  assert_int_equal(date_parse("2025-10-28T12:00:00Z", 10, &day), 0);
  assert_int_equal(day, 20389);
}

static void test_format_edges(void **state) {
  (void)state;
  char buf[12];
  memset(buf, 'x', sizeof buf);
  date_format(-719162, buf);
  assert_string_equal(buf, "0001-01-01");
  assert_int_equal(buf[11], 'x'); /* 11 bytes written at most */
  date_format(2932896, buf);
  assert_string_equal(buf, "9999-12-31");
  date_format(11016, buf);
  assert_string_equal(buf, "2000-02-29");
  /* 1900-01-01: 70 years before 1970 with 17 leap years (1904..1968; 1900 is not leap), so
     day -(70 * 365 + 17) = -25567; 1900-03-01 is 31 + 28 days later: -25508. */
  assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
  date_format(-25508, buf);
  assert_string_equal(buf, "1900-03-01");
  date_format(-25509, buf);
  assert_string_equal(buf, "1900-02-28");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_every_day), cmocka_unit_test(test_known_day_numbers),
      cmocka_unit_test(test_leap_years),           cmocka_unit_test(test_year_range),
      cmocka_unit_test(test_impossible_days),      cmocka_unit_test(test_malformed_shapes),
      cmocka_unit_test(test_format_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
