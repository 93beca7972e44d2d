/*
** test_num.c: exact numbers (src/num.c), date arithmetic (date_add in src/date.c) and the
** arithmetic of conditions and `set` (src/value.c through pactum_decide and the timeline).
** Every expected value is worked out by hand from the rules of docs/language.md ("Arithmetic",
** "Durations and dates"): 6 fractional digits, half away from zero; January 31 + 1 month is the
** last day of February; business days are Monday to Friday, the start day not counted.
*/
#include "unit.h"
#include "agreement.h"
#include "date.h"
#include "num.h"

#define M 1000000 /* one unit (a dollar, or 1.0) in millionths */

static void test_parse(void **state) {
  (void)state;
  int64_t v = 0;
  assert_int_equal(num_parse("0.004", 5, &v), NUM_OK);
  assert_int_equal(v, 4000);
  assert_int_equal(num_parse("1250000", 7, &v), NUM_OK);
  assert_true(v == 1250000LL * M);
  assert_int_equal(num_parse("-1.5", 4, &v), NUM_OK);
  assert_int_equal(v, -1500000);
  assert_int_equal(num_parse("-0", 2, &v), NUM_OK);
  assert_int_equal(v, 0);
  /* Trailing zeros past the sixth digit are exact; any other digit there is refused. */
  assert_int_equal(num_parse("0.1234560", 9, &v), NUM_OK);
  assert_int_equal(v, 123456);
  assert_int_equal(num_parse("0.1234567", 9, &v), NUM_EDIGITS);
  /* The limits: (2^63 - 1) / 10^6 and -2^63 / 10^6. */
  assert_int_equal(num_parse("9223372036854.775807", 20, &v), NUM_OK);
  assert_true(v == INT64_MAX);
  assert_int_equal(num_parse("-9223372036854.775808", 21, &v), NUM_OK);
  assert_true(v == INT64_MIN);
  assert_int_equal(num_parse("9223372036854.775808", 20, &v), NUM_EOVERFLOW);
  assert_int_equal(num_parse("9223372036855", 13, &v), NUM_EOVERFLOW);
  assert_int_equal(num_parse("99999999999999999999999", 23, &v), NUM_EOVERFLOW);
  /* Only the plain decimal form. */
  static const char *const bad[] = {"", "-", "1.", ".5", "1e3", "+1", "1,000", " 1", "1 ", "0x10", "1_000", "--1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (num_parse(bad[i], strlen(bad[i]), &v) != NUM_EBAD) fail_msg("'%s' was accepted", bad[i]);
}

static void test_json_values(void **state) {
  (void)state;
  int64_t v = 0;
  json_t *j = json_integer(12);
  assert_int_equal(num_from_json(j, &v), NUM_OK);
  assert_int_equal(v, 12 * M);
  json_decref(j);
  j = json_string("0.004");
  assert_int_equal(num_from_json(j, &v), NUM_OK);
  assert_int_equal(v, 4000);
  json_decref(j);
  j = json_real(0.5); /* a binary double: its text is gone, so it is refused */
  assert_int_equal(num_from_json(j, &v), NUM_EBAD);
  json_decref(j);
  j = json_integer(9223372036855);
  assert_int_equal(num_from_json(j, &v), NUM_EOVERFLOW);
  json_decref(j);
}

static void text_is(int64_t v, int money, const char *want) {
  char t[NUM_TEXT_MAX];
  num_format(t, v, money);
  assert_string_equal(t, want);
}

static void json_is(int64_t v, const char *want) {
  buf b;
  buf_init(&b);
  num_json(&b, v);
  assert_string_equal(b.data, want);
  buf_release(&b);
  json_t *j = num_json_value(v);
  char *s = json_dumps(j, JSON_ENCODE_ANY);
  assert_string_equal(s, want);
  free(s);
  json_decref(j);
}

static void test_format(void **state) {
  (void)state;
  text_is(1000500000, 1, "$1,000.50");
  text_is(4000, 1, "$0.004");
  text_is(-5 * M, 1, "-$5");
  text_is(250000000000LL * M, 1, "$250,000,000,000");
  text_is(INT64_MIN, 1, "-$9,223,372,036,854.775808");
  text_is(INT64_MAX, 1, "$9,223,372,036,854.775807");
  text_is(200000, 0, "0.2");
  text_is(10500000, 0, "10.5");
  text_is(-1, 0, "-0.000001");
  text_is(1234567 * (int64_t)M, 0, "1234567");
  json_is(1250000LL * M, "1250000");
  json_is(4000, "\"0.004\"");
  json_is(-1500000, "\"-1.5\"");
  json_is(0, "0");
}

static void test_rounding(void **state) {
  (void)state;
  int64_t r = 0;
  /* a / b to the nearest whole millionth, halves away from zero: 5/2 = 2.5 -> 3, -5/2 -> -3. */
  assert_int_equal(num_div_round(5, 2, &r), NUM_OK);
  assert_int_equal(r, 3);
  assert_int_equal(num_div_round(-5, 2, &r), NUM_OK);
  assert_int_equal(r, -3);
  assert_int_equal(num_div_round(5, -2, &r), NUM_OK);
  assert_int_equal(r, -3);
  assert_int_equal(num_div_round(-5, -2, &r), NUM_OK);
  assert_int_equal(r, 3);
  assert_int_equal(num_div_round(4, 3, &r), NUM_OK); /* 1.33 -> 1 */
  assert_int_equal(r, 1);
  assert_int_equal(num_div_round(5, 3, &r), NUM_OK); /* 1.67 -> 2 */
  assert_int_equal(r, 2);
  /* $10 / 3 = $3.333333 (3.3333333 rounds down); $20 / 3 = $6.666667 (6.6666666 rounds up). */
  assert_int_equal(num_div_round(10 * M, 3, &r), NUM_OK);
  assert_int_equal(r, 3333333);
  assert_int_equal(num_div_round(20 * M, 3, &r), NUM_OK);
  assert_int_equal(r, 6666667);
  /* 1 / 3 as a decimal: 0.333333; 2 / 3: 0.666667; 1 / 8 = 0.125 exactly. */
  assert_int_equal(num_div_scaled(1, 3, &r), NUM_OK);
  assert_int_equal(r, 333333);
  assert_int_equal(num_div_scaled(2, 3, &r), NUM_OK);
  assert_int_equal(r, 666667);
  assert_int_equal(num_div_scaled(1, 8, &r), NUM_OK);
  assert_int_equal(r, 125000);
  /* 0.000001 * 0.5 = 0.0000005: a half of the last digit, away from zero either way. */
  assert_int_equal(num_mul_scaled(1, 500000, &r), NUM_OK);
  assert_int_equal(r, 1);
  assert_int_equal(num_mul_scaled(-1, 500000, &r), NUM_OK);
  assert_int_equal(r, -1);
  /* 0.000001 * 0.4 = 0.0000004 -> 0. */
  assert_int_equal(num_mul_scaled(1, 400000, &r), NUM_OK);
  assert_int_equal(r, 0);
  /* $1,000.50 * 20% = $200.10; $0.004 * 1,000 streams = $4 (an integer factor: no rescaling). */
  assert_int_equal(num_mul_scaled(1000500000, 200000, &r), NUM_OK);
  assert_int_equal(r, 200100000);
  assert_int_equal(num_mul(4000, 1000, &r), NUM_OK);
  assert_int_equal(r, 4 * M);
  /* A product past 64 bits before the division by 10^6 is still exact: 9,000,000 * 1,000 = 9e9. */
  assert_int_equal(num_mul_scaled(9000000LL * M, 1000LL * M, &r), NUM_OK);
  assert_true(r == 9000000000LL * M);
}

static void test_overflow_and_zero(void **state) {
  (void)state;
  int64_t r = 42;
  assert_int_equal(num_add(INT64_MAX, 1, &r), NUM_EOVERFLOW);
  assert_int_equal(num_add(INT64_MIN, -1, &r), NUM_EOVERFLOW);
  assert_int_equal(num_add(INT64_MAX, INT64_MIN, &r), NUM_OK);
  assert_int_equal(r, -1);
  assert_int_equal(num_sub(INT64_MIN, 1, &r), NUM_EOVERFLOW);
  assert_int_equal(num_sub(0, INT64_MIN, &r), NUM_EOVERFLOW);
  assert_int_equal(num_sub(-1, INT64_MIN, &r), NUM_OK);
  assert_true(r == INT64_MAX);
  assert_int_equal(num_mul(INT64_MAX, 2, &r), NUM_EOVERFLOW);
  assert_int_equal(num_mul(INT64_MIN, -1, &r), NUM_EOVERFLOW);
  assert_int_equal(num_mul(INT64_MIN, 1, &r), NUM_OK);
  assert_true(r == INT64_MIN);
  assert_int_equal(num_mul_scaled(INT64_MAX, 2 * M, &r), NUM_EOVERFLOW);
  assert_int_equal(num_mul_scaled(INT64_MAX, M, &r), NUM_OK); /* times 1.0 */
  assert_true(r == INT64_MAX);
  assert_int_equal(num_div_round(INT64_MIN, -1, &r), NUM_EOVERFLOW);
  assert_int_equal(num_div_scaled(INT64_MAX, 1, &r), NUM_EOVERFLOW);
  r = 42;
  assert_int_equal(num_div_round(1, 0, &r), NUM_EDIVZERO);
  assert_int_equal(num_div_scaled(0, 0, &r), NUM_EDIVZERO);
  assert_int_equal(r, 42); /* untouched on error */
  assert_int_equal(num_scale(9223372036854, &r), NUM_OK);
  assert_int_equal(num_scale(9223372036855, &r), NUM_EOVERFLOW);
  assert_int_equal(num_scale(-9223372036855, &r), NUM_EOVERFLOW);
}

static void test_durations(void **state) {
  (void)state;
  int64_t d = 0;
  assert_int_equal(num_duration_parse("30 days", 7, &d), NUM_OK);
  assert_int_equal(d, 30 * 8 + NUM_DAYS);
  assert_int_equal(num_duration_parse("1 month", 7, &d), NUM_OK);
  assert_int_equal(num_duration_unit(d), NUM_MONTHS);
  assert_int_equal(num_duration_count(d), 1);
  assert_int_equal(num_duration_parse("10 business days", 16, &d), NUM_OK);
  assert_int_equal(d, 10 * 8 + NUM_BUSINESS_DAYS);
  static const char *const bad[] = {"30", "days", "30  days", "30 fortnights", "business days", "3 business", "-1 day",
                                    "30 days ", "99999999 days"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (num_duration_parse(bad[i], strlen(bad[i]), &d) == NUM_OK) fail_msg("'%s' was accepted", bad[i]);
  buf b;
  buf_init(&b);
  num_duration_text(&b, 1 * 8 + NUM_YEARS);
  buf_puts(&b, "|");
  num_duration_text(&b, 2 * 8 + NUM_WEEKS);
  buf_puts(&b, "|");
  num_duration_text(&b, 1 * 8 + NUM_BUSINESS_DAYS);
  assert_string_equal(b.data, "1 year|2 weeks|1 business day");
  buf_release(&b);
  /* A negative count keeps its unit: -3 months. */
  assert_int_equal(num_duration(-3, NUM_MONTHS, &d), NUM_OK);
  assert_int_equal(num_duration_unit(d), NUM_MONTHS);
  assert_int_equal(num_duration_count(d), -3);
}

static int32_t D(int y, int m, int d) { return date_from_ymd(y, m, d); }
static int64_t dur(int64_t n, int unit) { return n * 8 + unit; }

static void test_date_add_months(void **state) {
  (void)state;
  /* The end-of-month rule: the day of the month is kept, clamped to the month reached. */
  assert_int_equal(date_add(D(2027, 1, 31), dur(1, NUM_MONTHS)), D(2027, 2, 28));
  assert_int_equal(date_add(D(2028, 1, 31), dur(1, NUM_MONTHS)), D(2028, 2, 29)); /* 2028 is a leap year */
  assert_int_equal(date_add(D(2100, 1, 31), dur(1, NUM_MONTHS)), D(2100, 2, 28)); /* 2100 is not */
  assert_int_equal(date_add(D(2000, 1, 31), dur(1, NUM_MONTHS)), D(2000, 2, 29)); /* 2000 is */
  assert_int_equal(date_add(D(2027, 1, 31), dur(2, NUM_MONTHS)), D(2027, 3, 31)); /* one step, not via February */
  assert_int_equal(date_add(D(2027, 8, 31), dur(1, NUM_MONTHS)), D(2027, 9, 30));
  assert_int_equal(date_add(D(2027, 3, 31), dur(-1, NUM_MONTHS)), D(2027, 2, 28));
  assert_int_equal(date_add(D(2027, 11, 15), dur(3, NUM_MONTHS)), D(2028, 2, 15)); /* across a year */
  assert_int_equal(date_add(D(2027, 1, 15), dur(-13, NUM_MONTHS)), D(2025, 12, 15));
  /* Years are 12 months: February 29 + 1 year is February 28; + 4 years, February 29 again. */
  assert_int_equal(date_add(D(2028, 2, 29), dur(1, NUM_YEARS)), D(2029, 2, 28));
  assert_int_equal(date_add(D(2028, 2, 29), dur(4, NUM_YEARS)), D(2032, 2, 29));
  assert_int_equal(date_add(D(2028, 2, 29), dur(-1, NUM_YEARS)), D(2027, 2, 28));
}

static void test_date_add_days(void **state) {
  (void)state;
  assert_int_equal(date_add(D(2027, 2, 1), dur(30, NUM_DAYS)), D(2027, 3, 3)); /* 27 days left in Feb, then 3 */
  assert_int_equal(date_add(D(2024, 2, 28), dur(1, NUM_DAYS)), D(2024, 2, 29));
  assert_int_equal(date_add(D(2027, 12, 25), dur(2, NUM_WEEKS)), D(2028, 1, 8));
  assert_int_equal(date_add(D(2027, 3, 3), dur(-30, NUM_DAYS)), D(2027, 2, 1));
  assert_int_equal(date_add(D(2027, 3, 3), dur(0, NUM_DAYS)), D(2027, 3, 3));
  /* Outside the years 1..9999: no day. */
  assert_int_equal(date_add(D(9999, 12, 31), dur(1, NUM_DAYS)), DATE_NONE);
  assert_int_equal(date_add(D(9999, 12, 15), dur(1, NUM_MONTHS)), DATE_NONE);
  assert_int_equal(date_add(D(1, 1, 1), dur(-1, NUM_DAYS)), DATE_NONE);
  assert_int_equal(date_add(D(9999, 12, 31), dur(0, NUM_YEARS)), D(9999, 12, 31));
}

static void test_business_days(void **state) {
  (void)state;
  /* 2027-01-01 is a Friday (2026-01-01 was a Thursday; 2026 has 365 days = 52 weeks + 1 day). */
  assert_int_equal(date_weekday(D(2027, 1, 1)), 4);
  assert_int_equal(date_weekday(D(2027, 1, 4)), 0);
  int64_t one = dur(1, NUM_BUSINESS_DAYS);
  assert_int_equal(date_add(D(2027, 1, 1), one), D(2027, 1, 4));               /* Friday -> Monday */
  assert_int_equal(date_add(D(2027, 1, 2), one), D(2027, 1, 4));               /* Saturday -> Monday */
  assert_int_equal(date_add(D(2027, 1, 3), one), D(2027, 1, 4));               /* Sunday -> Monday */
  assert_int_equal(date_add(D(2027, 1, 4), one), D(2027, 1, 5));               /* Monday -> Tuesday */
  assert_int_equal(date_add(D(2027, 1, 4), dur(5, NUM_BUSINESS_DAYS)), D(2027, 1, 11));  /* a week */
  assert_int_equal(date_add(D(2027, 1, 7), dur(2, NUM_BUSINESS_DAYS)), D(2027, 1, 11));  /* Thu + 2: Fri, Mon */
  assert_int_equal(date_add(D(2027, 1, 1), dur(10, NUM_BUSINESS_DAYS)), D(2027, 1, 15)); /* two weeks */
  assert_int_equal(date_add(D(2027, 1, 2), dur(5, NUM_BUSINESS_DAYS)), D(2027, 1, 8));   /* Sat + 5: Mon..Fri */
  /* Backwards: Monday - 1 is Friday; a weekend counts as the Monday after. */
  assert_int_equal(date_add(D(2027, 1, 4), dur(-1, NUM_BUSINESS_DAYS)), D(2027, 1, 1));
  assert_int_equal(date_add(D(2027, 1, 2), dur(-1, NUM_BUSINESS_DAYS)), D(2027, 1, 1));
  assert_int_equal(date_add(D(2027, 1, 6), dur(-3, NUM_BUSINESS_DAYS)), D(2027, 1, 1));  /* Wed - 3: Tue, Mon, Fri */
  /* Zero business days: the day itself, even a Saturday. */
  assert_int_equal(date_add(D(2027, 1, 2), dur(0, NUM_BUSINESS_DAYS)), D(2027, 1, 2));
  /* Every start and count up to 30, against a step-by-step count of weekdays. */
  for (int32_t s = D(2027, 1, 1); s < D(2027, 1, 15); s++)
    for (int n = 1; n <= 30; n++) {
      int32_t d = s;
      for (int k = 0; k < n;) {
        d++;
        if (date_weekday(d) < 5) k++;
      }
      if (date_add(s, dur(n, NUM_BUSINESS_DAYS)) != d) fail_msg("day %d + %d business days", (int)s, n);
    }
}

/* ---- Arithmetic in an agreement -------------------------------------------------------- */

static const char arith_src[] =
    "agreement \"ar\" { version \"1\" effective 2027-01-01 }\n"
    "party label\n"
    "source s official \"s.txt\"\n"
    "fact rate = 20% { quote s \"rate\" }\n"
    "fact cure = 30 days { quote s \"cure\" }\n"
    "state paid: money = $0\n"
    "state streams: integer = 0\n"
    "state noticed: date = 2027-01-01\n"
    "state ratio: decimal = 0\n"
    "event sale { revenue: money, count: integer }\n"
    "event notice { }\n"
    "event split { parts: integer }\n"
    "on sale {\n"
    "  set paid = paid + event.revenue * rate\n"
    "  set streams = streams + event.count\n"
    "}\n"
    "on notice { set noticed = date }\n"
    "on split { set ratio = 1 / event.parts }\n"
    "action release by label { resource price: money context units: integer = 1 }\n"
    "permission p_cheap { principal label action release\n"
    "  when resource.price * context.units <= max($10, paid / 2) quote s \"cheap\" }\n"
    "action cure_it by label\n"
    "permission p_cure { principal label action cure_it when date <= noticed + cure quote s \"cure\" }\n"
    "action per by label { context units: integer = 1 }\n"
    "permission p_per { principal label action per when $100 / context.units > $30 quote s \"per\" }\n"
    "action big by label { context n: integer = 1 }\n"
    "permission p_big { principal label action big when context.n * 9223372036854775807 > 0 quote s \"big\" }\n"
    "action since by label { context start: date = 2027-01-01 }\n"
    "permission p_since { principal label action since when date - context.start >= 30 quote s \"since\" }\n";

typedef struct afx {
  pactum_agreement *agr;
  pactum_request *req;
  pactum_decision *dec;
} afx;

static int arith_setup(void **state) {
  afx *f = calloc(1, sizeof *f);
  f->agr = unit_load_ok(arith_src);
  f->req = pactum_request_new(f->agr);
  f->dec = pactum_decision_new(f->agr);
  *state = f;
  return 0;
}

static int arith_teardown(void **state) {
  afx *f = *state;
  pactum_decision_free(f->dec);
  pactum_request_free(f->req);
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

/* Decide the JSON request js against tl: the outcome's name, or the error code. */
static const char *decide_js(afx *f, const pactum_timeline *tl, const char *js, pactum_error *err) {
  if (pactum_request_parse_json(f->req, js, strlen(js), PACTUM_NO_DAY, err) != PACTUM_OK) fail_msg("%s: %s", js, err->message);
  int rc = pactum_decide(f->agr, tl, f->req, f->dec);
  if (rc == PACTUM_EINPUT) {
    pactum_decision_error(f->dec, err);
    return err->code;
  }
  assert_int_equal(rc, PACTUM_OK);
  return pactum_outcome_name(pactum_decision_outcome(f->dec));
}

static void fold(pactum_timeline *tl, const char *js) {
  pactum_error err;
  if (pactum_timeline_append_json(tl, js, strlen(js), &err) != PACTUM_OK) fail_msg("%s: %s", js, err.message);
}

static void test_arith_decisions(void **state) {
  afx *f = *state;
  pactum_error err;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  /* A sale of $1,000.50: paid = $0 + $1,000.50 * 20% = $200.10; max($10, $200.10 / 2) = $100.05. */
  fold(tl, "{\"type\":\"sale\",\"date\":\"2027-01-05\",\"revenue\":\"1000.50\",\"count\":3}");
  const int64_t *now = timeline_now(tl);
  assert_int_equal(now[0], 200100000);
  assert_int_equal(now[1], 3);
  const char *rq = "{\"principal\":\"label\",\"action\":\"release\",\"resource\":{\"price\":\"33.35\"},"
                   "\"context\":{\"units\":3,\"date\":\"2027-02-01\"}}"; /* 3 * $33.35 = $100.05: allowed */
  assert_string_equal(decide_js(f, tl, rq, &err), "allow");
  rq = "{\"principal\":\"label\",\"action\":\"release\",\"resource\":{\"price\":\"33.350001\"},"
       "\"context\":{\"units\":3,\"date\":\"2027-02-01\"}}"; /* $100.050003 */
  assert_string_equal(decide_js(f, tl, rq, &err), "not_applicable");
  /* Before the sale, paid is $0: the cap is $10. */
  rq = "{\"principal\":\"label\",\"action\":\"release\",\"resource\":{\"price\":10},\"context\":{\"date\":\"2027-01-04\"}}";
  assert_string_equal(decide_js(f, tl, rq, &err), "allow");
  /* date <= noticed + 30 days: noticed is 2027-01-01 until a notice; then the notice's date. */
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"cure_it\",\"context\":{\"date\":\"2027-01-31\"}}", &err),
                      "allow");
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"cure_it\",\"context\":{\"date\":\"2027-02-01\"}}", &err),
                      "not_applicable");
  fold(tl, "{\"type\":\"notice\",\"date\":\"2027-02-01\"}");
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"cure_it\",\"context\":{\"date\":\"2027-03-03\"}}", &err),
                      "allow");
  /* noticed + 30 days = 2027-03-03, the last day allowed: the answer turns the day after. */
  assert_int_equal(f->dec->valid_until, D(2027, 3, 4));
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"cure_it\",\"context\":{\"date\":\"2027-03-04\"}}", &err),
                      "not_applicable");
  /* $100 / 3 = $33.333333 > $30; $100 / 0: division by zero, naming the clause. */
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"per\",\"context\":{\"units\":3,\"date\":\"2027-03-01\"}}", &err), "allow");
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"per\",\"context\":{\"units\":0,\"date\":\"2027-03-01\"}}", &err),
                      "division_by_zero");
  assert_string_equal(err.message, "clause 'p_per' cannot be decided: division by zero in its arithmetic (line 25)");
  /* INT64_MAX * 1 is fine; * 2 overflows. */
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"big\",\"context\":{\"n\":1,\"date\":\"2027-03-01\"}}", &err), "allow");
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"big\",\"context\":{\"n\":2,\"date\":\"2027-03-01\"}}", &err), "overflow");
  assert_string_equal(err.message, "clause 'p_big' cannot be decided: overflow in its arithmetic (line 27)");
  /* date - date is days: 2027-01-31 - 2027-01-01 = 30. Arithmetic over the date may turn any day: valid one day. */
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"since\",\"context\":{\"date\":\"2027-01-31\"}}", &err),
                      "allow");
  assert_int_equal(f->dec->valid_until, D(2027, 2, 1));
  assert_string_equal(decide_js(f, tl, "{\"principal\":\"label\",\"action\":\"since\",\"context\":{\"date\":\"2027-01-30\"}}", &err),
                      "not_applicable");
  pactum_timeline_free(tl);
}

static void test_arith_events(void **state) {
  afx *f = *state;
  pactum_error err;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  /* 1 / 8 = 0.125 exactly; 1 / 3 = 0.333333. */
  fold(tl, "{\"type\":\"split\",\"date\":\"2027-01-02\",\"parts\":8}");
  assert_int_equal(timeline_now(tl)[3], 125000);
  fold(tl, "{\"type\":\"split\",\"date\":\"2027-01-02\",\"parts\":3}");
  assert_int_equal(timeline_now(tl)[3], 333333);
  /* 1 / 0: the event is refused, nothing changes. */
  const char *js = "{\"type\":\"split\",\"date\":\"2027-01-03\",\"parts\":0}";
  assert_int_equal(pactum_timeline_append_json(tl, js, strlen(js), &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "division_by_zero");
  assert_string_equal(err.message, "event 'split' refused: division by zero in '1 / event.parts'");
  assert_int_equal(pactum_timeline_count(tl), 2);
  /* streams + INT64_MAX overflows once streams is 1. */
  fold(tl, "{\"type\":\"sale\",\"date\":\"2027-01-04\",\"revenue\":0,\"count\":1}");
  js = "{\"type\":\"sale\",\"date\":\"2027-01-05\",\"revenue\":0,\"count\":9223372036854775807}";
  assert_int_equal(pactum_timeline_append_json(tl, js, strlen(js), &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "overflow");
  assert_string_equal(err.message, "event 'sale' refused: overflow in 'streams + event.count'");
  assert_int_equal(timeline_now(tl)[1], 1);
  pactum_timeline_free(tl);
}

static void test_arith_type_errors(void **state) {
  (void)state;
#define HDR "agreement \"t\" { version \"1\" effective 2027-01-01 }\nparty a\nsource s official \"s.txt\"\n"
  assert_first_error(HDR "action x by a { resource p: money }\n"
                         "permission q { principal a action x when resource.p + 5 > $1 quote s \"x\" }\n",
                     "t.pact:5:53: error: cannot add money and integer; write an amount with '$'");
  assert_first_error(HDR "action x by a { resource p: money }\n"
                         "permission q { principal a action x when resource.p * resource.p > $1 quote s \"x\" }\n",
                     "t.pact:5:53: error: cannot multiply money by money; multiply money by a number");
  assert_first_error(HDR "action x by a\n"
                         "permission q { principal a action x when date + 30 > 2027-01-01 quote s \"x\" }\n",
                     "t.pact:5:47: error: cannot add date and integer; add a duration, such as '30 days'");
  assert_first_error(HDR "action x by a { context n: integer = 0 }\n"
                         "permission q { principal a action x when context.n / 2 quote s \"x\" }\n",
                     "t.pact:5:52: error: a condition must be a bool, but this is decimal; compare it with '==', '<', ...");
  assert_first_error(HDR "action x by a { context n: integer = 0 }\n"
                         "permission q { principal a action x when min(context.n, date) > 1 quote s \"x\" }\n",
                     "t.pact:5:42: error: min() takes two integers, decimals, money amounts or dates of one type, not integer and date");
  assert_first_error(HDR "fact f = 12.3456789 { quote s \"x\" }\n",
                     "t.pact:4:10: error: '12.3456789' has more than 6 fractional digits");
  assert_first_error(HDR "state d: duration = 30\n",
                     "t.pact:4:21: error: a duration needs its unit: '30 days', '30 months', ...");
  assert_first_error(HDR "state m: money = 10.5\n", "t.pact:4:18: error: money amounts are written with '$': '$10.50'");
  assert_first_error(HDR "fact f = 3 business { quote s \"x\" }\n",
                     "t.pact:4:21: error: expected 'days' after 'business', found '{'");
#undef HDR
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),          cmocka_unit_test(test_json_values),
      cmocka_unit_test(test_format),         cmocka_unit_test(test_rounding),
      cmocka_unit_test(test_overflow_and_zero), cmocka_unit_test(test_durations),
      cmocka_unit_test(test_date_add_months), cmocka_unit_test(test_date_add_days),
      cmocka_unit_test(test_business_days),  cmocka_unit_test(test_arith_type_errors),
      cmocka_unit_test_setup_teardown(test_arith_decisions, arith_setup, arith_teardown),
      cmocka_unit_test_setup_teardown(test_arith_events, arith_setup, arith_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
