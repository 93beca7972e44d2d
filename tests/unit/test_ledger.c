/*
** test_ledger.c: the commitments ledger (src/ledger.c): sums per month and per quarter with
** empty periods, time travel, deadline pace, open/met/missed, over-fulfilment, no events,
** exact 64-bit amounts, the JSON shape, the text tables, and allocation failures. Every
** expected number is worked out by hand in the comment beside it.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "date.h"
#include "ledger.h"

#include <jansson.h>

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define RESELLER PACTUM_SOURCE_DIR "/agreements/examples/cloud-reseller.pact"
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"

/* A state ahead of the commitments (so their slots are offset), an event that counts toward
   neither, an integer commitment with a unit and a deadline, and a money commitment whose
   total is INT64_MAX millionths: $9,223,372,036,854.775807 (money is kept in millionths, num.h). */
static const char small_src[] =
    "agreement \"ledger-test\" { version \"1\" effective 2026-01-01 }\n"
    "party a \"A\"\n"
    "party b \"B\"\n"
    "source s official \"s.txt\"\n"
    "state level: integer = 0\n"
    "event note { }\n"
    "event ship { n: integer }\n"
    "event pay { amount: money }\n"
    "on note { set level = 1 }\n"
    "commitment widgets { owed_by a owed_to b what \"Ship 3 widgets\" total 3 unit \"widgets\" "
    "counted from ship.n deadline 2026-12-31 quote s \"ship\" }\n"
    "commitment huge { owed_by b owed_to a what \"Pay everything\" total $9_223_372_036_854.775807 "
    "counted from pay.amount quote s \"pay\" }\n"
    "action go by a\n"
    "permission p { principal a action go quote s \"go\" }\n";

typedef struct fx {
  pactum_agreement *reseller, *shipped, *small;
} fx;

static pactum_agreement *load_file(const char *path) {
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(path, &agr, &diag) != PACTUM_OK) {
    fprintf(stderr, "%s: %s", path, diag ? diag : "load failed\n");
    pactum_string_free(diag);
    return NULL;
  }
  return agr;
}

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  if (!f) return -1;
  *state = f;
  f->reseller = load_file(RESELLER);
  f->shipped = load_file(SHIPPED);
  char *diag = NULL;
  if (pactum_agreement_load_buffer("small.pact", small_src, sizeof small_src - 1, &f->small, &diag) != PACTUM_OK) {
    fprintf(stderr, "%s", diag ? diag : "load failed\n");
    pactum_string_free(diag);
    f->small = NULL;
  }
  return f->reseller && f->shipped && f->small ? 0 : -1;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  pactum_agreement_free(f->reseller);
  pactum_agreement_free(f->shipped);
  pactum_agreement_free(f->small);
  free(f);
  return 0;
}

static int32_t day(int y, int m, int d) { return date_from_ymd(y, m, d); }

/* A timeline of agr holding the events (NULL-terminated), each of which must be accepted. */
static pactum_timeline *timeline(const pactum_agreement *agr, const char *const *events) {
  pactum_timeline *tl = pactum_timeline_new(agr);
  assert_non_null(tl);
  for (size_t i = 0; events[i]; i++) {
    pactum_error err;
    if (pactum_timeline_append_json(tl, events[i], strlen(events[i]), &err) != PACTUM_OK)
      fail_msg("%s refused: %s: %s", events[i], err.code, err.message);
  }
  return tl;
}

/* The reseller's purchases. They are all guarded `amount_usd > $0`, so each one counts. */
static const char *const purchases[] = {
    "{\"type\":\"volume_purchase\",\"date\":\"2026-02-01\",\"amount_usd\":1250000}",
    "{\"type\":\"volume_purchase\",\"date\":\"2026-02-20\",\"amount_usd\":250000}",
    "{\"type\":\"volume_purchase\",\"date\":\"2026-05-10\",\"amount_usd\":500000}",
    "{\"type\":\"volume_purchase\",\"date\":\"2026-07-01\",\"amount_usd\":1000000}",
    "{\"type\":\"volume_purchase\",\"date\":\"2027-01-04\",\"amount_usd\":400000}",
    NULL,
};

/* The ledger as parsed JSON (caller json_decref's it); fails the test if it does not parse. */
static json_t *ledger_json(const pactum_agreement *agr, const pactum_timeline *tl, int32_t d, int by_quarter) {
  char *s = ledger_render(agr, tl, d, by_quarter, 1);
  assert_non_null(s);
  json_error_t je;
  json_t *root = json_loads(s, JSON_REJECT_DUPLICATES, &je);
  if (!root) fail_msg("ledger JSON does not parse (%s): %s", je.text, s);
  pactum_string_free(s);
  return root;
}

/*
** Commitment i of a parsed ledger, which must have exactly the documented fields, and "counted"
** when the commitment has a window (`since`, `where`).
*/
static json_t *commitment(json_t *root, size_t i) {
  static const char *const fields[] = {"id", "owed_by", "owed_to", "unit", "total", "fulfilled", "remaining",
                                       "excess", "percent", "deadline", "days_left", "pace_per_month",
                                       "status", "periods"};
  json_t *arr = json_object_get(root, "commitments");
  assert_true(json_is_array(arr));
  json_t *c = json_array_get(arr, i);
  assert_true(json_is_object(c));
  assert_int_equal(json_object_size(c), sizeof fields / sizeof fields[0] + (json_object_get(c, "counted") ? 1 : 0));
  for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
    if (!json_object_get(c, fields[k])) fail_msg("commitment %zu has no '%s'", i, fields[k]);
  assert_true(json_is_string(json_object_get(c, "id")));
  /* Amounts: whole units as integers, money with a fraction as an exact decimal string (num.h). */
  for (const char *const *k = (const char *const[]){"total", "fulfilled", "remaining", "excess", NULL}; *k; k++)
    assert_true(json_is_integer(json_object_get(c, *k)) || json_is_string(json_object_get(c, *k)));
  assert_true(json_is_number(json_object_get(c, "percent")));
  assert_true(json_is_array(json_object_get(c, "periods")));
  return c;
}

static long long int_at(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v)) fail_msg("'%s' is not an integer", key);
  return (long long)json_integer_value(v);
}

static const char *str_at(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!json_is_string(v)) fail_msg("'%s' is not a string", key);
  return json_string_value(v);
}

static void null_at(json_t *o, const char *key) {
  if (!json_is_null(json_object_get(o, key))) fail_msg("'%s' is not null", key);
}

typedef struct period { const char *label; long long amount, cumulative; } period;

static void periods_are(json_t *c, const period *want, size_t n) {
  json_t *ps = json_object_get(c, "periods");
  if (json_array_size(ps) != n) fail_msg("%zu periods, expected %zu", json_array_size(ps), n);
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_array_get(ps, i);
    assert_int_equal(json_object_size(p), 3);
    if (strcmp(str_at(p, "period"), want[i].label) != 0 || int_at(p, "amount") != want[i].amount ||
        int_at(p, "cumulative") != want[i].cumulative)
      fail_msg("period %zu is %s %lld %lld, expected %s %lld %lld", i, str_at(p, "period"), int_at(p, "amount"),
               int_at(p, "cumulative"), want[i].label, want[i].amount, want[i].cumulative);
  }
}

/* The JSON text of member key of o: 12 or "0.000807". */
static char *text_at(json_t *o, const char *key) {
  char *t = json_dumps(json_object_get(o, key), JSON_ENCODE_ANY);
  if (!t) fail_msg("'%s' is missing", key);
  return t;
}

static void text_is(json_t *o, const char *key, const char *want) {
  char *t = text_at(o, key);
  if (strcmp(t, want) != 0) fail_msg("'%s' is %s, expected %s", key, t, want);
  free(t);
}

/* The percent as written: the raw JSON text must carry exactly two decimals. */
static void percent_text_is(const char *json, const char *want) {
  char key[64];
  snprintf(key, sizeof key, "\"percent\":%s,", want);
  if (!strstr(json, key)) fail_msg("no %s in %s", key, json);
}

/* The brief's example, exactly: $1,250,000 of $5,000,000 done on 2026-02-01. */
static void test_reseller_exact_json(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  /*
  ** On 2026-02-01 only the first purchase counts: fulfilled 1,250,000, remaining
  ** 5,000,000 - 1,250,000 = 3,750,000, 25.00%.
  ** days_left: 2026-02-01 -> 2027-02-01 is 365 days, -> 2028-02-01 another 365, -> 2028-12-01
  ** is Feb 29 (2028 is a leap year) + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 = 304, and
  ** -> 2028-12-31 is 30 more: 365 + 365 + 304 + 30 = 1064.
  ** Pace: purchases on the deadline still count, so the time left runs from 2026-02-01 up to
  ** 2029-01-01: exactly 35 whole months (11 in 2026, 12 in 2027, 12 in 2028).
  ** 3,750,000 / 35 = 107,142.86 (35 * 107,142 = 3,749,970, 30 over), rounded up: 107,143.
  */
  char *s = ledger_render(f->reseller, tl, day(2026, 2, 1), 0, 1);
  assert_non_null(s);
  assert_string_equal(
      s, "{\"date\":\"2026-02-01\",\"by\":\"month\",\"commitments\":[{\"id\":\"volume_commitment\","
         "\"owed_by\":\"relay\",\"owed_to\":\"nimbus\",\"unit\":\"USD\",\"total\":5000000,\"fulfilled\":1250000,"
         "\"remaining\":3750000,\"excess\":0,\"percent\":25.00,\"deadline\":\"2028-12-31\",\"days_left\":1064,"
         "\"pace_per_month\":107143,\"status\":\"open\",\"periods\":[{\"period\":\"2026-02\",\"amount\":1250000,"
         "\"cumulative\":1250000}]}]}");
  pactum_string_free(s);

  /* The same day in quarters: one quarter, 2026-Q1. */
  json_t *root = ledger_json(f->reseller, tl, day(2026, 2, 1), 1);
  assert_string_equal(str_at(root, "by"), "quarter");
  json_t *c = commitment(root, 0);
  const period q[] = {{"2026-Q1", 1250000, 1250000}};
  periods_are(c, q, 1);
  assert_int_equal(int_at(c, "pace_per_month"), 107143);
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_monthly_with_gaps(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  /*
  ** On 2026-08-15 the first four purchases count: 1,250,000 + 250,000 + 500,000 + 1,000,000 =
  ** 3,000,000; remaining 2,000,000; 60.00%.
  ** Months 2026-02 .. 2026-08, empty ones included:
  **   02: 1,250,000 + 250,000 = 1,500,000 (cum 1,500,000); 03, 04: 0; 05: 500,000 (2,000,000);
  **   06: 0; 07: 1,000,000 (3,000,000); 08: 0.
  ** days_left: 2026-08-15 -> 2027-08-15 365, -> 2028-08-15 366, -> 2028-12-15 31+30+31+30 = 122,
  ** -> 2028-12-31 16: 869.
  ** Pace: 2026-08-15 up to 2029-01-01 is 28 whole months (to 2028-12-15) and 17 days; the part
  ** month counts, so 29 months. 2,000,000 / 29 = 68,965.5 (29 * 68,965 = 1,999,985), up: 68,966.
  */
  json_t *root = ledger_json(f->reseller, tl, day(2026, 8, 15), 0);
  assert_string_equal(str_at(root, "date"), "2026-08-15");
  assert_string_equal(str_at(root, "by"), "month");
  json_t *c = commitment(root, 0);
  assert_int_equal(int_at(c, "total"), 5000000);
  assert_int_equal(int_at(c, "fulfilled"), 3000000);
  assert_int_equal(int_at(c, "remaining"), 2000000);
  assert_int_equal(int_at(c, "excess"), 0);
  assert_true(json_number_value(json_object_get(c, "percent")) == 60.0);
  assert_int_equal(int_at(c, "days_left"), 869);
  assert_int_equal(int_at(c, "pace_per_month"), 68966);
  assert_string_equal(str_at(c, "status"), "open");
  const period m[] = {{"2026-02", 1500000, 1500000}, {"2026-03", 0, 1500000}, {"2026-04", 0, 1500000},
                      {"2026-05", 500000, 2000000},  {"2026-06", 0, 2000000}, {"2026-07", 1000000, 3000000},
                      {"2026-08", 0, 3000000}};
  periods_are(c, m, 7);
  json_decref(root);

  /*
  ** On 2027-02-15 all five count: 3,000,000 + 400,000 = 3,400,000. Months 2026-02 .. 2027-02:
  ** 13 of them, the last three 2026-12: 0 (3,000,000), 2027-01: 400,000 (3,400,000), 2027-02: 0.
  */
  root = ledger_json(f->reseller, tl, day(2027, 2, 15), 0);
  c = commitment(root, 0);
  json_t *ps = json_object_get(c, "periods");
  assert_int_equal(json_array_size(ps), 13);
  json_t *last = json_array_get(ps, 12);
  assert_string_equal(str_at(last, "period"), "2027-02");
  assert_int_equal(int_at(last, "amount"), 0);
  assert_int_equal(int_at(last, "cumulative"), 3400000);
  assert_string_equal(str_at(json_array_get(ps, 10), "period"), "2026-12");
  assert_int_equal(int_at(json_array_get(ps, 10), "amount"), 0);
  assert_int_equal(int_at(json_array_get(ps, 11), "amount"), 400000);
  assert_int_equal(int_at(json_array_get(ps, 11), "cumulative"), 3400000);
  /* The amounts add up to the cumulative, and the last cumulative is what was fulfilled. */
  long long sum = 0;
  for (size_t i = 0; i < json_array_size(ps); i++) {
    sum += int_at(json_array_get(ps, i), "amount");
    assert_int_equal(int_at(json_array_get(ps, i), "cumulative"), sum);
  }
  assert_int_equal(sum, int_at(c, "fulfilled"));
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_quarterly_with_gaps(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  /*
  ** On 2027-02-15, by quarter: 2026-Q1 (Feb) 1,500,000; Q2 (May) 500,000 -> 2,000,000; Q3 (Jul)
  ** 1,000,000 -> 3,000,000; Q4 nothing; 2027-Q1 (Jan) 400,000 -> 3,400,000.
  */
  json_t *root = ledger_json(f->reseller, tl, day(2027, 2, 15), 1);
  json_t *c = commitment(root, 0);
  const period q[] = {{"2026-Q1", 1500000, 1500000},
                      {"2026-Q2", 500000, 2000000},
                      {"2026-Q3", 1000000, 3000000},
                      {"2026-Q4", 0, 3000000},
                      {"2027-Q1", 400000, 3400000}};
  periods_are(c, q, 5);
  /* 3,400,000 / 5,000,000 = 68.00%. */
  assert_true(json_number_value(json_object_get(c, "percent")) == 68.0);
  json_decref(root);

  /* On 2026-12-31 the January purchase is in the future: Q4 is the last quarter, still empty. */
  root = ledger_json(f->reseller, tl, day(2026, 12, 31), 1);
  c = commitment(root, 0);
  periods_are(c, q, 4);
  assert_int_equal(int_at(c, "fulfilled"), 3000000);
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_time_travel(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  /* The day before the first purchase: nothing counted, no periods at all. */
  json_t *root = ledger_json(f->reseller, tl, day(2026, 1, 31), 0);
  json_t *c = commitment(root, 0);
  assert_int_equal(int_at(c, "fulfilled"), 0);
  assert_int_equal(int_at(c, "remaining"), 5000000);
  periods_are(c, NULL, 0);
  /*
  ** days_left 1064 + 1 = 1065. Pace: 2026-01-31 up to 2029-01-01 is 35 whole months (to
  ** 2028-12-31; 36 would be 2029-01-31) and 1 day, counted as 36 months.
  ** 5,000,000 / 36 = 138,888.9 (36 * 138,888 = 4,999,968), up: 138,889.
  */
  assert_int_equal(int_at(c, "days_left"), 1065);
  assert_int_equal(int_at(c, "pace_per_month"), 138889);
  json_decref(root);

  /* 2026-02-19: the purchase of 2026-02-20 is ignored, so February holds 1,250,000 only. */
  root = ledger_json(f->reseller, tl, day(2026, 2, 19), 0);
  c = commitment(root, 0);
  const period feb[] = {{"2026-02", 1250000, 1250000}};
  periods_are(c, feb, 1);
  json_decref(root);

  /* 2026-02-20: both February purchases, 1,500,000. */
  root = ledger_json(f->reseller, tl, day(2026, 2, 20), 0);
  c = commitment(root, 0);
  const period feb2[] = {{"2026-02", 1500000, 1500000}};
  periods_are(c, feb2, 1);
  assert_int_equal(int_at(c, "fulfilled"), 1500000);
  json_decref(root);

  /* 2026-05-09: February, then March and April empty, and May so far empty: 4 periods. */
  root = ledger_json(f->reseller, tl, day(2026, 5, 9), 0);
  c = commitment(root, 0);
  const period may[] = {{"2026-02", 1500000, 1500000}, {"2026-03", 0, 1500000}, {"2026-04", 0, 1500000},
                        {"2026-05", 0, 1500000}};
  periods_are(c, may, 4);
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_met_and_over_fulfilled(void **state) {
  fx *f = *state;
  static const char *const big[] = {
      "{\"type\":\"volume_purchase\",\"date\":\"2026-03-01\",\"amount_usd\":4000000}",
      "{\"type\":\"volume_purchase\",\"date\":\"2026-06-30\",\"amount_usd\":1500000}",
      NULL,
  };
  pactum_timeline *tl = timeline(f->reseller, big);
  /*
  ** On 2026-07-01: 4,000,000 + 1,500,000 = 5,500,000 of 5,000,000: remaining 0, excess
  ** 500,000, 110.00%, met, and no pace is needed (0).
  ** days_left: 2026-07-01 -> 2028-07-01 is 365 + 366 = 731, -> 2028-12-01 31+31+30+31+30 = 153,
  ** -> 2028-12-31 30: 914.
  */
  char *s = ledger_render(f->reseller, tl, day(2026, 7, 1), 0, 1);
  assert_non_null(s);
  percent_text_is(s, "110.00");
  pactum_string_free(s);
  json_t *root = ledger_json(f->reseller, tl, day(2026, 7, 1), 0);
  json_t *c = commitment(root, 0);
  assert_int_equal(int_at(c, "fulfilled"), 5500000);
  assert_int_equal(int_at(c, "remaining"), 0);
  assert_int_equal(int_at(c, "excess"), 500000);
  assert_string_equal(str_at(c, "status"), "met");
  assert_int_equal(int_at(c, "pace_per_month"), 0);
  assert_int_equal(int_at(c, "days_left"), 914);
  const period m[] = {{"2026-03", 4000000, 4000000}, {"2026-04", 0, 4000000}, {"2026-05", 0, 4000000},
                      {"2026-06", 1500000, 5500000}, {"2026-07", 0, 5500000}};
  periods_are(c, m, 5);
  json_decref(root);

  /* Met stays met after the deadline: never "missed". */
  root = ledger_json(f->reseller, tl, day(2030, 1, 1), 1);
  c = commitment(root, 0);
  assert_string_equal(str_at(c, "status"), "met");
  assert_int_equal(int_at(c, "days_left"), 0);
  json_decref(root);

  /* The text shows the excess and says no pace is needed. */
  s = ledger_render(f->reseller, tl, day(2026, 7, 1), 0, 0);
  assert_non_null(s);
  if (!strstr(s, "  remaining  $0\n  excess     $500,000\n") || !strstr(s, "  fulfilled  $5,500,000 (110.00%)\n") ||
      !strstr(s, "  pace       none needed: met\n") || !strstr(s, "  status     met\n"))
    fail_msg("unexpected text:\n%s", s);
  pactum_string_free(s);
  pactum_timeline_free(tl);

  /* Exactly the total: met, no excess, 100.00%. */
  static const char *const exact[] = {
      "{\"type\":\"volume_purchase\",\"date\":\"2028-12-31\",\"amount_usd\":5000000}",
      NULL,
  };
  tl = timeline(f->reseller, exact);
  s = ledger_render(f->reseller, tl, day(2028, 12, 31), 1, 1);
  assert_non_null(s);
  percent_text_is(s, "100.00");
  if (!strstr(s, "\"remaining\":0,\"excess\":0,") || !strstr(s, "\"days_left\":0,\"pace_per_month\":0,\"status\":\"met\""))
    fail_msg("unexpected JSON: %s", s);
  pactum_string_free(s);
  pactum_timeline_free(tl);
}

static void test_open_and_missed(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  /*
  ** On the deadline itself, 3,400,000 done and 1,600,000 left: still open, 0 days left, and the
  ** one day left (up to 2029-01-01) counts as one month: the pace is all of it, 1,600,000.
  */
  json_t *root = ledger_json(f->reseller, tl, day(2028, 12, 31), 0);
  json_t *c = commitment(root, 0);
  assert_string_equal(str_at(c, "status"), "open");
  assert_int_equal(int_at(c, "days_left"), 0);
  assert_int_equal(int_at(c, "remaining"), 1600000);
  assert_int_equal(int_at(c, "pace_per_month"), 1600000);
  /* 2026-02 .. 2028-12: 11 + 12 + 12 = 35 months. */
  assert_int_equal(json_array_size(json_object_get(c, "periods")), 35);
  json_decref(root);

  /*
  ** The day after: missed, 0 days left, no pace that could meet it (null), and the months run
  ** on through 2029-01: 36 periods, the last one empty at 3,400,000.
  */
  root = ledger_json(f->reseller, tl, day(2029, 1, 1), 0);
  c = commitment(root, 0);
  assert_string_equal(str_at(c, "status"), "missed");
  assert_int_equal(int_at(c, "days_left"), 0);
  null_at(c, "pace_per_month");
  assert_int_equal(int_at(c, "remaining"), 1600000);
  assert_string_equal(str_at(c, "deadline"), "2028-12-31");
  json_t *ps = json_object_get(c, "periods");
  assert_int_equal(json_array_size(ps), 36);
  assert_string_equal(str_at(json_array_get(ps, 35), "period"), "2029-01");
  assert_int_equal(int_at(json_array_get(ps, 35), "amount"), 0);
  assert_int_equal(int_at(json_array_get(ps, 35), "cumulative"), 3400000);
  json_decref(root);

  char *s = ledger_render(f->reseller, tl, day(2029, 1, 1), 0, 0);
  assert_non_null(s);
  if (!strstr(s, "  deadline   2028-12-31 (passed 1 day ago)\n") ||
      !strstr(s, "  pace       none possible: the deadline has passed\n") || !strstr(s, "  status     missed\n"))
    fail_msg("unexpected text:\n%s", s);
  pactum_string_free(s);
  pactum_timeline_free(tl);
}

static void test_no_deadline(void **state) {
  fx *f = *state;
  static const char *const azure[] = {
      "{\"type\":\"azure_purchase\",\"date\":\"2026-03-31\",\"amount_usd\":25000000000}",
      "{\"type\":\"azure_purchase\",\"date\":\"2026-10-01\",\"amount_usd\":12500000000}",
      NULL,
  };
  pactum_timeline *tl = timeline(f->shipped, azure);
  /*
  ** azure_services: $250B, no deadline. On 2026-06-30 the first purchase counts: 25B of 250B is
  ** 10.00%; the quarters are 2026-Q1 (25B) and Q2 (nothing). Deadline, days left and pace are
  ** null, and it is open.
  */
  json_t *root = ledger_json(f->shipped, tl, day(2026, 6, 30), 1);
  json_t *c = commitment(root, 0);
  assert_string_equal(str_at(c, "id"), "azure_services");
  assert_string_equal(str_at(c, "owed_by"), "openai");
  assert_string_equal(str_at(c, "owed_to"), "microsoft");
  assert_string_equal(str_at(c, "unit"), "USD");
  /* "counted from azure_purchase.amount_usd since 2025-10-28": the incremental $250B. */
  assert_string_equal(str_at(c, "counted"), "azure_purchase.amount_usd since 2025-10-28");
  assert_int_equal(int_at(c, "total"), 250000000000LL);
  assert_int_equal(int_at(c, "fulfilled"), 25000000000LL);
  assert_int_equal(int_at(c, "remaining"), 225000000000LL);
  null_at(c, "deadline");
  null_at(c, "days_left");
  null_at(c, "pace_per_month");
  assert_string_equal(str_at(c, "status"), "open");
  const period q[] = {{"2026-Q1", 25000000000LL, 25000000000LL}, {"2026-Q2", 0, 25000000000LL}};
  periods_are(c, q, 2);
  json_decref(root);

  /* On 2026-12-31: 37.5B of 250B = 15.00%; Q3 empty, Q4 12.5B. */
  char *s = ledger_render(f->shipped, tl, day(2026, 12, 31), 1, 1);
  assert_non_null(s);
  percent_text_is(s, "15.00");
  pactum_string_free(s);

  s = ledger_render(f->shipped, tl, day(2026, 12, 31), 1, 0);
  assert_non_null(s);
  if (!strstr(s, "azure_services: openai owes microsoft: ") || !strstr(s, "  total      $250,000,000,000\n") ||
      !strstr(s, "  counted    azure_purchase.amount_usd since 2025-10-28\n") ||
      !strstr(s, "  fulfilled  $37,500,000,000 (15.00%)\n") || !strstr(s, "  deadline   none\n") ||
      !strstr(s, "  pace       none required: no deadline\n") || !strstr(s, "  2026-Q3               $0  $25,000,000,000\n") ||
      !strstr(s, "  2026-Q4  $12,500,000,000  $37,500,000,000\n") ||
      !strstr(s, "  quarter           amount       cumulative\n"))
    fail_msg("unexpected text:\n%s", s);
  pactum_string_free(s);
  pactum_timeline_free(tl);
}

static void test_no_events(void **state) {
  fx *f = *state;
  pactum_timeline *empty = pactum_timeline_new(f->shipped);
  assert_non_null(empty);
  /* No timeline and an empty one read the same: nothing fulfilled, 0.00%, no periods. */
  char *a = ledger_render(f->shipped, NULL, day(2027, 1, 1), 0, 1);
  char *b = ledger_render(f->shipped, empty, day(2027, 1, 1), 0, 1);
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  percent_text_is(a, "0.00");
  json_t *root = ledger_json(f->shipped, empty, day(2027, 1, 1), 0);
  json_t *c = commitment(root, 0);
  assert_int_equal(int_at(c, "fulfilled"), 0);
  assert_int_equal(int_at(c, "remaining"), 250000000000LL);
  periods_are(c, NULL, 0);
  json_decref(root);
  pactum_string_free(a);
  pactum_string_free(b);

  a = ledger_render(f->shipped, empty, day(2027, 1, 1), 0, 0);
  assert_non_null(a);
  if (!strstr(a, "microsoft-openai 2025-10-28: commitments on 2027-01-01, by month\n") ||
      !strstr(a, "  (nothing counted on or before 2027-01-01)\n"))
    fail_msg("unexpected text:\n%s", a);
  pactum_string_free(a);
  pactum_timeline_free(empty);

  /* An agreement without commitments: an empty list. */
  pactum_agreement *none = unit_load_ok("agreement \"n\" { version \"1\" effective 2026-01-01 }\n"
                                        "party a \"A\"\nsource s official \"s.txt\"\naction go by a\n"
                                        "permission p { principal a action go quote s \"go\" }\n");
  a = ledger_render(none, NULL, day(2026, 1, 1), 1, 1);
  assert_non_null(a);
  assert_string_equal(a, "{\"date\":\"2026-01-01\",\"by\":\"quarter\",\"commitments\":[]}");
  pactum_string_free(a);
  a = ledger_render(none, NULL, day(2026, 1, 1), 1, 0);
  assert_non_null(a);
  assert_non_null(strstr(a, "(no commitments)"));
  pactum_string_free(a);
  pactum_agreement_free(none);
}

static void test_units_and_int64(void **state) {
  fx *f = *state;
  static const char *const evs[] = {
      "{\"type\":\"note\",\"date\":\"2026-01-05\"}",
      "{\"type\":\"ship\",\"date\":\"2026-03-10\",\"n\":1}",
      "{\"type\":\"pay\",\"date\":\"2026-04-01\",\"amount\":\"9223372036854.775\"}",
      "{\"type\":\"ship\",\"date\":\"2026-06-30\",\"n\":1}",
      "{\"type\":\"pay\",\"date\":\"2026-06-30\",\"amount\":\"0.000807\"}",
      NULL,
  };
  pactum_timeline *tl = timeline(f->small, evs);
  /*
  ** widgets (3, deadline 2026-12-31). The note of January counts toward nothing, so the
  ** periods start in March. On 2026-06-30: 03: 1 (1), 04: 0, 05: 0, 06: 1 (2). 2 of 3 is 66.67%.
  ** days_left: 2026-06-30 -> 2026-12-31 = 31 + 31 + 30 + 31 + 30 + 31 = 184.
  ** Pace: 2026-06-30 up to 2027-01-01: 6 whole months (to 2026-12-30) and 2 days, counted as 7;
  ** 1 / 7 rounded up is 1.
  ** huge ($9,223,372,036,854.775807 = INT64_MAX millionths): $9,223,372,036,854.775 in April and
  ** $0.000807 in June reach it exactly: met, 100.00%, no deadline. JSON gives these amounts with a
  ** fraction as exact decimal strings.
  */
  json_t *root = ledger_json(f->small, tl, day(2026, 6, 30), 0);
  json_t *w = commitment(root, 0);
  assert_string_equal(str_at(w, "id"), "widgets");
  assert_string_equal(str_at(w, "unit"), "widgets");
  assert_int_equal(int_at(w, "fulfilled"), 2);
  assert_int_equal(int_at(w, "remaining"), 1);
  assert_int_equal(int_at(w, "days_left"), 184);
  assert_int_equal(int_at(w, "pace_per_month"), 1);
  const period wm[] = {{"2026-03", 1, 1}, {"2026-04", 0, 1}, {"2026-05", 0, 1}, {"2026-06", 1, 2}};
  periods_are(w, wm, 4);
  json_t *h = commitment(root, 1);
  text_is(h, "total", "\"9223372036854.775807\"");
  text_is(h, "fulfilled", "\"9223372036854.775807\"");
  assert_int_equal(int_at(h, "remaining"), 0);
  assert_string_equal(str_at(h, "status"), "met");
  json_t *hp = json_object_get(h, "periods");
  assert_int_equal(json_array_size(hp), 3);
  text_is(json_array_get(hp, 0), "amount", "\"9223372036854.775\"");
  text_is(json_array_get(hp, 0), "cumulative", "\"9223372036854.775\"");
  text_is(json_array_get(hp, 1), "amount", "0");
  text_is(json_array_get(hp, 1), "cumulative", "\"9223372036854.775\"");
  text_is(json_array_get(hp, 2), "amount", "\"0.000807\"");
  text_is(json_array_get(hp, 2), "cumulative", "\"9223372036854.775807\"");
  json_decref(root);
  char *s = ledger_render(f->small, tl, day(2026, 6, 30), 0, 1);
  assert_non_null(s);
  percent_text_is(s, "66.67");
  percent_text_is(s, "100.00");
  pactum_string_free(s);

  /*
  ** On 2026-05-31: widgets 1 of 3 = 33.33%; huge 9,223,372,036,854,775,000 of INT64_MAX millionths
  ** is 100 - 807 / 92,233,720,368,547,758.07 % = 99.99999999999999912...%, which rounds to 100.00
  ** while $0.000807 remain: open.
  */
  s = ledger_render(f->small, tl, day(2026, 5, 31), 0, 1);
  assert_non_null(s);
  percent_text_is(s, "33.33");
  percent_text_is(s, "100.00");
  assert_non_null(strstr(s, "\"remaining\":\"0.000807\",\"excess\":0,"));
  pactum_string_free(s);

  /* The text: plain numbers with the unit for widgets, grouped dollars for huge. */
  s = ledger_render(f->small, tl, day(2026, 6, 30), 1, 0);
  assert_non_null(s);
  if (!strstr(s, "widgets: a owes b: Ship 3 widgets\n  total      3 widgets\n  fulfilled  2 widgets (66.67%)\n"
                 "  remaining  1 widgets\n  deadline   2026-12-31 (184 days away)\n"
                 "  pace       1 widgets a month (6 months and 2 days left, counted as 7 months)\n"
                 "  status     open\n\n"
                 "  quarter  amount  cumulative  (widgets)\n"
                 "  2026-Q1       1           1\n"
                 "  2026-Q2       1           2\n") ||
      !strstr(s, "  total      $9,223,372,036,854.775807\n") ||
      !strstr(s, "  2026-Q2  $9,223,372,036,854.775807  $9,223,372,036,854.775807\n"))
    fail_msg("unexpected text:\n%s", s);
  pactum_string_free(s);

  /* After the deadline with one widget short: missed. */
  root = ledger_json(f->small, tl, day(2027, 1, 1), 1);
  w = commitment(root, 0);
  assert_string_equal(str_at(w, "status"), "missed");
  null_at(w, "pace_per_month");
  const period wq[] = {{"2026-Q1", 1, 1}, {"2026-Q2", 1, 2}, {"2026-Q3", 0, 2}, {"2026-Q4", 0, 2}, {"2027-Q1", 0, 2}};
  periods_are(w, wq, 5);
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_text_reseller(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  char *s = ledger_render(f->reseller, tl, day(2026, 2, 1), 0, 0);
  assert_non_null(s);
  assert_string_equal(s,
                      "acme-cloud-reseller 1.0: commitments on 2026-02-01, by month\n"
                      "\n"
                      "volume_commitment: relay owes nimbus: Purchase of at least $5,000,000 of Services from Nimbus\n"
                      "  total      $5,000,000\n"
                      "  fulfilled  $1,250,000 (25.00%)\n"
                      "  remaining  $3,750,000\n"
                      "  deadline   2028-12-31 (1064 days away)\n"
                      "  pace       $107,143 a month (35 months left)\n"
                      "  status     open\n"
                      "\n"
                      "  month        amount  cumulative\n"
                      "  2026-02  $1,250,000  $1,250,000\n");
  pactum_string_free(s);
  pactum_timeline_free(tl);
}

/* Days outside the years 1..9999 are the ends of that range, not a loop over millions of months. */
static void test_day_out_of_range(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  char *a = ledger_render(f->reseller, tl, DAY_MAX, 1, 1);
  char *b = ledger_render(f->reseller, tl, day(9999, 12, 31), 1, 1);
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  pactum_string_free(a);
  pactum_string_free(b);
  a = ledger_render(f->reseller, tl, DAY_MIN, 0, 1);
  assert_non_null(a);
  assert_non_null(strstr(a, "\"date\":\"0001-01-01\""));
  assert_non_null(strstr(a, "\"periods\":[]"));
  pactum_string_free(a);
  pactum_timeline_free(tl);
}

/* Every allocation failure ends in NULL, and once allocations succeed the output is the same. */
static void test_out_of_memory(void **state) {
  fx *f = *state;
  pactum_timeline *tl = timeline(f->reseller, purchases);
  for (int as_json = 0; as_json < 2; as_json++) {
    char *want = ledger_render(f->reseller, tl, day(2027, 6, 1), 0, as_json);
    assert_non_null(want);
    int done = 0;
    for (long n = 1; n < 1000 && !done; n++) {
      px_alloc_fail_after(n);
      char *got = ledger_render(f->reseller, tl, day(2027, 6, 1), 0, as_json);
      px_alloc_fail_after(0);
      if (got) {
        assert_string_equal(got, want);
        done = 1;
      }
      pactum_string_free(got);
    }
    assert_true(done);
    pactum_string_free(want);
  }
  pactum_timeline_free(tl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reseller_exact_json), cmocka_unit_test(test_monthly_with_gaps),
      cmocka_unit_test(test_quarterly_with_gaps), cmocka_unit_test(test_time_travel),
      cmocka_unit_test(test_met_and_over_fulfilled), cmocka_unit_test(test_open_and_missed),
      cmocka_unit_test(test_no_deadline),          cmocka_unit_test(test_no_events),
      cmocka_unit_test(test_units_and_int64),      cmocka_unit_test(test_text_reseller),
      cmocka_unit_test(test_day_out_of_range),     cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
