/*
** test_events.c: timelines (src/events.c): validating and folding events, the state as of any
** day, commitment sums, and pactum_status_json.
*/
#include "unit.h"
#include "agreement.h"
#include "date.h"
#include "evt_agreement.h"

#include <jansson.h>

typedef struct fx {
  pactum_agreement *agr;
  pactum_error err;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  if (!f) return -1;
  char *diag = NULL;
  if (pactum_agreement_load_buffer("evt.pact", agreement_src, sizeof agreement_src - 1, &f->agr, &diag)) {
    fprintf(stderr, "%s", diag ? diag : "load failed\n");
    pactum_string_free(diag);
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

/* The state of tl on day d (timeline_at), in a row of its own: the rows of the last 4 calls stay valid. */
static const int64_t *at(fx *f, const pactum_timeline *tl, int32_t d) {
  static int64_t rows[4][WIDTH];
  static unsigned next;
  return timeline_at(f->agr, tl, d, rows[next++ % 4]);
}

static int append(fx *f, pactum_timeline *tl, const char *json) {
  memset(&f->err, 0, sizeof f->err);
  return pactum_timeline_append_json(tl, json, strlen(json), &f->err);
}

static void ok_(fx *f, pactum_timeline *tl, const char *json, int line) {
  if (append(f, tl, json) != PACTUM_OK)
    fail_msg("line %d: %s refused: %s: %s", line, json, f->err.code, f->err.message);
}
#define ok(tl, json) ok_(f, (tl), (json), __LINE__)

/* The event must be refused with `code` (and `msg`, if given), leaving the timeline as it was. */
static void refused_(fx *f, pactum_timeline *tl, const char *json, const char *code, const char *msg, int line) {
  size_t n = pactum_timeline_count(tl);
  int64_t before[WIDTH];
  memcpy(before, at(f, tl, DAY_MAX), sizeof before);
  int rc = append(f, tl, json);
  if (rc != PACTUM_EINPUT) fail_msg("line %d: %s: rc %d, expected PACTUM_EINPUT", line, json, rc);
  if (strcmp(f->err.code, code) != 0)
    fail_msg("line %d: %s: code '%s' (%s), expected '%s'", line, json, f->err.code, f->err.message, code);
  if (msg && strcmp(f->err.message, msg) != 0)
    fail_msg("line %d: %s: message '%s', expected '%s'", line, json, f->err.message, msg);
  assert_int_equal(pactum_timeline_count(tl), n);
  assert_memory_equal(at(f, tl, DAY_MAX), before, sizeof before);
}
#define refused(tl, json, code, msg) refused_(f, (tl), (json), (code), (msg), __LINE__)

static int32_t day(int y, int m, int d) { return date_from_ymd(y, m, d); }

static void test_validation_errors(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  assert_non_null(tl);
  refused(tl, "{", "bad_json", NULL);
  refused(tl, "", "bad_json", NULL);
  refused(tl, "{\"type\":\"finish\",\"type\":\"finish\",\"date\":\"2026-01-01\"}", "bad_json", NULL);
  refused(tl, "[]", "wrong_type", "an event must be a JSON object");
  refused(tl, "{\"date\":\"2026-01-01\"}", "missing_field", "the event has no 'type'");
  refused(tl, "{\"type\":5,\"date\":\"2026-01-01\"}", "wrong_type", "the event's 'type' must be a string");
  refused(tl, "{\"type\":\"zz\",\"date\":\"2026-01-01\"}", "unknown_event", "unknown event type 'zz'");
  refused(tl, "{\"type\":\"finish\"}", "missing_field", "event 'finish' has no 'date'");
  refused(tl, "{\"type\":\"finish\",\"date\":\"2026-02-30\"}", "bad_date",
          "event 'finish' has a 'date' that is not a real date (YYYY-MM-DD)");
  refused(tl, "{\"type\":\"finish\",\"date\":\"2026/01/01\"}", "bad_date", NULL);
  refused(tl, "{\"type\":\"finish\",\"date\":20260101}", "bad_date", NULL);
  refused(tl, "{\"type\":\"start\",\"date\":\"2026-01-01\",\"who\":\"x\",\"x\":1}", "unknown_field",
          "unknown field 'x' of event 'start'");
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\"}", "missing_field", "event 'pay' has no field 'amount'");
  /* Money is a JSON integer of dollars or an exact decimal in a string; a JSON real (a binary double) is refused. */
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":\"ten\"}", "wrong_type",
          "field 'amount' of event 'pay' must be an amount of dollars (a JSON integer, or an exact decimal in a string: \"0.004\")");
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":1.5}", "wrong_type", NULL);
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":\"0.0000001\"}", "wrong_type",
          "field 'amount' of event 'pay' has more than 6 fractional digits");
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":9223372036855}", "overflow",
          "field 'amount' of event 'pay' is out of range (at most 9223372036854.775807)");
  refused(tl, "{\"type\":\"units\",\"date\":\"2026-01-01\",\"n\":\"1\"}", "wrong_type",
          "field 'n' of event 'units' must be an integer");
  refused(tl, "{\"type\":\"start\",\"date\":\"2026-01-01\",\"who\":5}", "wrong_type",
          "field 'who' of event 'start' must be a string");
  const char *mark_bad_flag = "{\"type\":\"mark\",\"date\":\"2026-01-01\",\"day\":\"2026-01-01\",\"flag\":1,\"lvl\":\"low\",\"k\":1}";
  refused(tl, mark_bad_flag, "wrong_type", "field 'flag' of event 'mark' must be a bool");
  refused(tl, "{\"type\":\"mark\",\"date\":\"2026-01-01\",\"day\":\"2026-01-01\",\"flag\":true,\"lvl\":\"mid\",\"k\":1}",
          "wrong_type", "field 'lvl' of event 'mark' is 'mid'; expected one of 'low', 'high'");
  refused(tl, "{\"type\":\"mark\",\"date\":\"2026-01-01\",\"day\":\"2026-13-01\",\"flag\":true,\"lvl\":\"low\",\"k\":1}",
          "bad_date", "field 'day' of event 'mark' is not a real date");
  refused(tl, "{\"type\":\"mark\",\"date\":\"2026-01-01\",\"day\":5,\"flag\":true,\"lvl\":\"low\",\"k\":1}", "wrong_type",
          "field 'day' of event 'mark' must be a date (YYYY-MM-DD)");
  refused(tl, "{\"type\":\"mark\",\"date\":\"2026-01-01\",\"day\":\"2026-01-01\",\"flag\":true,\"lvl\":1,\"k\":1}",
          "wrong_type", NULL);
  assert_int_equal(pactum_timeline_count(tl), 0);
  /* err may be NULL. */
  assert_int_equal(pactum_timeline_append_json(tl, "{", 1, NULL), PACTUM_EINPUT);
  pactum_timeline_free(tl);
}

static void test_guards_and_order(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  /* The agreement's own reason comes back with guard_failed. */
  refused(tl, "{\"type\":\"finish\",\"date\":\"2026-01-01\"}", "guard_failed", "event 'finish' rejected: not active");
  ok(tl, "{\"type\":\"start\",\"date\":\"2026-01-10\",\"who\":\"x\"}");
  refused(tl, "{\"type\":\"start\",\"date\":\"2026-01-11\",\"who\":\"y\"}", "guard_failed",
          "event 'start' rejected: already started");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-12\",\"amount\":1}");
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-11\",\"amount\":1}", "out_of_order",
          "event 'pay' dated 2026-01-11 comes after an event dated 2026-01-12; events must be in date order");
  /* The same day as the last event is fine; so is a later one. */
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-12\",\"amount\":2}");
  ok(tl, "{\"type\":\"finish\",\"date\":\"2026-01-12\"}");
  refused(tl, "{\"type\":\"finish\",\"date\":\"2026-01-13\"}", "guard_failed", "event 'finish' rejected: not active");
  assert_int_equal(pactum_timeline_count(tl), 4);
  assert_int_equal(at(f, tl, day(2026, 1, 12))[S_PHASE], DONE);
  assert_int_equal(at(f, tl, day(2026, 1, 12))[C_MONEY], 3000000); /* $3 in millionths (num.h) */
  pactum_timeline_free(tl);
  assert_int_equal(pactum_timeline_count(NULL), 0);
  pactum_timeline_free(NULL);
}

static void test_state_as_of(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  ok(tl, "{\"type\":\"start\",\"date\":\"2026-01-10\",\"who\":\"x\"}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-10\",\"amount\":250}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-02-01\",\"amount\":500}");
  ok(tl, "{\"type\":\"finish\",\"date\":\"2026-03-01\"}");
  ok(tl, "{\"type\":\"units\",\"date\":\"2026-03-01\",\"n\":4}");
  assert_int_equal(pactum_timeline_count(tl), 5);
  /* Money sums are in millionths of a dollar (num.h): $250 is 250000000. */
  struct { int32_t day; int64_t phase, money, widgets, level; } want[] = {
      {DAY_MIN, IDLE, 0, 0, 0},          {day(2025, 1, 1), IDLE, 0, 0, 0},
      {day(2026, 1, 9), IDLE, 0, 0, 0},  {day(2026, 1, 10), ACTIVE, 250000000, 0, 0},
      {day(2026, 1, 31), ACTIVE, 250000000, 0, 0}, {day(2026, 2, 1), ACTIVE, 750000000, 0, 0},
      {day(2026, 2, 28), ACTIVE, 750000000, 0, 0}, {day(2026, 3, 1), DONE, 750000000, 4, 4},
      {day(2099, 1, 1), DONE, 750000000, 4, 4}, {DAY_MAX, DONE, 750000000, 4, 4},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const int64_t *st = at(f, tl, want[i].day);
    if (st[S_PHASE] != want[i].phase || st[C_MONEY] != want[i].money || st[C_WIDGETS] != want[i].widgets ||
        st[S_LEVEL] != want[i].level)
      fail_msg("day %d: phase %lld money %lld widgets %lld level %lld", (int)want[i].day, (long long)st[S_PHASE],
               (long long)st[C_MONEY], (long long)st[C_WIDGETS], (long long)st[S_LEVEL]);
  }
  /* No timeline, or an empty one: the initial state. */
  const int64_t *init = at(f, NULL, day(2026, 1, 1));
  assert_int_equal(init[S_PHASE], IDLE);
  assert_int_equal(init[S_STRIKES], 0);
  pactum_timeline *empty = pactum_timeline_new(f->agr);
  assert_memory_equal(at(f, empty, DAY_MAX), init, WIDTH * sizeof(int64_t));
  pactum_timeline_free(empty);

  /* A decision sees exactly the events dated on or before its day. */
  pactum_request *req = pactum_request_new(f->agr);
  pactum_decision *dec = pactum_decision_new(f->agr);
  pactum_error err;
  const int32_t days[] = {day(2026, 1, 9), day(2026, 1, 10), day(2026, 2, 28), day(2026, 3, 1)};
  const pactum_outcome out[] = {PACTUM_NOT_APPLICABLE, PACTUM_ALLOW, PACTUM_ALLOW, PACTUM_NOT_APPLICABLE};
  for (int i = 0; i < 4; i++) {
    assert_int_equal(pactum_request_init(req, "a", "go", days[i], &err), PACTUM_OK);
    assert_int_equal(pactum_decide(f->agr, tl, req, dec), PACTUM_OK);
    assert_int_equal(pactum_decision_outcome(dec), out[i]);
  }
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
}

static void test_many_events(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  /* Enough events to grow the timeline several times; one unit per day from 2026-01-01. */
  char js[128];
  for (int i = 0; i < 100; i++) {
    char d[11];
    date_format(day(2026, 1, 1) + i, d);
    snprintf(js, sizeof js, "{\"type\":\"units\",\"date\":\"%s\",\"n\":1}", d);
    ok(tl, js);
  }
  assert_int_equal(pactum_timeline_count(tl), 100);
  assert_int_equal(at(f, tl, day(2025, 12, 31))[C_WIDGETS], 0);
  for (int i = 0; i < 100; i++) {
    const int64_t *st = at(f, tl, day(2026, 1, 1) + i);
    assert_int_equal(st[C_WIDGETS], i + 1);
    assert_int_equal(st[S_LEVEL], 1);
  }
  pactum_timeline_free(tl);
}

static void test_transitions_read_the_state_before(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  /* One strike moves none -> one, not on to two: both `when`s see the state before. */
  ok(tl, "{\"type\":\"strike\",\"date\":\"2026-01-01\"}");
  assert_int_equal(at(f, tl, day(2026, 1, 1))[S_STRIKES], 1);
  ok(tl, "{\"type\":\"strike\",\"date\":\"2026-01-01\"}");
  assert_int_equal(at(f, tl, day(2026, 1, 1))[S_STRIKES], 2);
  /* A set without `when`, and a set whose `when` reads a field. */
  ok(tl, "{\"type\":\"mark\",\"date\":\"2026-02-01\",\"day\":\"2026-01-01\",\"flag\":true,\"lvl\":\"high\",\"k\":7}");
  const int64_t *st = at(f, tl, day(2026, 2, 1));
  assert_int_equal(st[S_FLAGGED], 1);
  assert_int_equal(st[S_LEVEL], 7);
  ok(tl, "{\"type\":\"mark\",\"date\":\"2026-02-02\",\"day\":\"2026-01-01\",\"flag\":false,\"lvl\":\"low\",\"k\":9}");
  st = at(f, tl, day(2026, 2, 2));
  assert_int_equal(st[S_FLAGGED], 0);
  assert_int_equal(st[S_LEVEL], 7);
  /* Field order in the JSON does not matter. */
  ok(tl, "{\"k\":-3,\"lvl\":\"high\",\"flag\":true,\"day\":\"2026-01-01\",\"date\":\"2026-02-03\",\"type\":\"mark\"}");
  assert_int_equal(at(f, tl, day(2026, 2, 3))[S_LEVEL], -3);
  pactum_timeline_free(tl);
}

static void test_overflow(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  ok(tl, "{\"type\":\"units\",\"date\":\"2026-01-01\",\"n\":9223372036854775807}");
  assert_true(at(f, tl, DAY_MAX)[C_WIDGETS] == INT64_MAX);
  assert_true(at(f, tl, DAY_MAX)[S_LEVEL] == INT64_MAX);
  /* One more would pass INT64_MAX: refused, and the `set level` of the refused event is not kept. */
  refused(tl, "{\"type\":\"units\",\"date\":\"2026-01-02\",\"n\":1}", "overflow",
          "event 'units' would take commitment 'widgets' past the 64-bit range");
  assert_int_equal(pactum_timeline_count(tl), 1);
  assert_true(at(f, tl, DAY_MAX)[S_LEVEL] == INT64_MAX);
  assert_true(at(f, tl, DAY_MAX)[C_WIDGETS] == INT64_MAX);
  /* The timeline still works after the refusal. */
  ok(tl, "{\"type\":\"units\",\"date\":\"2026-01-02\",\"n\":0}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-03\",\"amount\":5}");
  assert_true(at(f, tl, DAY_MAX)[C_WIDGETS] == INT64_MAX);
  assert_int_equal(at(f, tl, DAY_MAX)[S_LEVEL], 0);
  assert_int_equal(at(f, tl, DAY_MAX)[C_MONEY], 5000000);
  assert_int_equal(pactum_timeline_count(tl), 3);
  pactum_timeline_free(tl);

  /*
  ** Large sums that stay in range are fine: money is in millionths, so the largest sum is
  ** $9,223,372,036,854.775807 = (2^63 - 1) / 10^6, reached here exactly; a millionth more is refused.
  */
  tl = pactum_timeline_new(f->agr);
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":\"9223372036854.775806\"}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":\"0.000001\"}");
  assert_true(at(f, tl, DAY_MAX)[C_MONEY] == INT64_MAX);
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-01\",\"amount\":\"0.000001\"}", "overflow",
          "event 'pay' would take commitment 'money_owed' past the 64-bit range");
  pactum_timeline_free(tl);
}

static void test_negative_amounts(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  ok(tl, "{\"type\":\"units\",\"date\":\"2026-01-01\",\"n\":3}");
  /* A negative amount never counts toward a commitment; the event's `set` is not kept either. */
  refused(tl, "{\"type\":\"units\",\"date\":\"2026-01-02\",\"n\":-1}", "negative_amount",
          "event 'units' counts -1 toward commitment 'widgets'; amounts cannot be negative");
  refused(tl, "{\"type\":\"pay\",\"date\":\"2026-01-02\",\"amount\":\"-0.000001\"}", "negative_amount",
          "event 'pay' counts -$0.000001 toward commitment 'money_owed'; amounts cannot be negative");
  assert_int_equal(at(f, tl, DAY_MAX)[S_LEVEL], 3);
  assert_int_equal(at(f, tl, DAY_MAX)[C_WIDGETS], 3);
  assert_int_equal(pactum_timeline_count(tl), 1);
  pactum_timeline_free(tl);
}

static json_t *status(fx *f, const pactum_timeline *tl, int32_t d) {
  char *s = pactum_status_json(f->agr, tl, d);
  assert_non_null(s);
  json_error_t je;
  json_t *root = json_loads(s, JSON_REJECT_DUPLICATES, &je);
  if (!root) fail_msg("status is not JSON (%s): %s", je.text, s);
  pactum_string_free(s);
  return root;
}

static json_int_t int_at(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  assert_true(json_is_integer(v));
  return json_integer_value(v);
}

static const char *str_at(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  if (!json_is_string(v)) fail_msg("'%s' is not a string", k);
  return json_string_value(v);
}

static void test_status_json(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  ok(tl, "{\"type\":\"start\",\"date\":\"2026-01-10\",\"who\":\"x\"}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-01-10\",\"amount\":250}");
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-02-01\",\"amount\":500}");
  ok(tl, "{\"type\":\"finish\",\"date\":\"2026-03-01\"}");
  ok(tl, "{\"type\":\"units\",\"date\":\"2026-03-01\",\"n\":4}");

  json_t *root = status(f, tl, day(2026, 2, 15));
  assert_string_equal(str_at(root, "date"), "2026-02-15");
  json_t *ag = json_object_get(root, "agreement");
  assert_string_equal(str_at(ag, "id"), "evt");
  assert_string_equal(str_at(ag, "version"), "3");
  assert_int_equal(int_at(root, "events"), 3);
  json_t *st = json_object_get(root, "state");
  assert_int_equal(json_object_size(st), 4);
  assert_string_equal(str_at(st, "phase"), "active");
  assert_true(json_is_false(json_object_get(st, "flagged")));
  assert_int_equal(int_at(st, "level"), 0);
  assert_string_equal(str_at(st, "strikes"), "none");
  json_t *cm = json_object_get(root, "commitments");
  assert_int_equal(json_array_size(cm), 2);
  json_t *m = json_array_get(cm, 0);
  assert_string_equal(str_at(m, "id"), "money_owed");
  assert_string_equal(str_at(m, "owed_by"), "a");
  assert_string_equal(str_at(m, "owed_to"), "b");
  assert_string_equal(str_at(m, "what"), "Pay $1000");
  assert_int_equal(int_at(m, "total"), 1000);
  assert_int_equal(int_at(m, "fulfilled"), 750);
  assert_int_equal(int_at(m, "remaining"), 250);
  assert_string_equal(str_at(m, "unit"), "USD");
  assert_true(json_number_value(json_object_get(m, "percent")) == 75.0);
  assert_string_equal(str_at(m, "deadline"), "2027-12-31"); /* a bare year: its last day */
  json_t *q = json_object_get(m, "quotes");
  assert_int_equal(json_array_size(q), 1);
  assert_string_equal(str_at(json_array_get(q, 0), "source"), "s");
  assert_string_equal(str_at(json_array_get(q, 0), "text"), "pay");
  json_t *w = json_array_get(cm, 1);
  assert_string_equal(str_at(w, "id"), "widgets");
  assert_int_equal(int_at(w, "total"), 10);
  assert_int_equal(int_at(w, "fulfilled"), 0);
  assert_int_equal(int_at(w, "remaining"), 10);
  assert_string_equal(str_at(w, "unit"), "widgets");
  assert_true(json_number_value(json_object_get(w, "percent")) == 0.0);
  assert_true(json_is_null(json_object_get(w, "deadline")));
  json_t *facts = json_object_get(root, "facts");
  json_t *ans = json_object_get(facts, "answer");
  assert_int_equal(int_at(ans, "value"), 42);
  assert_string_equal(str_at(ans, "unit"), "things");
  json_t *cl = json_object_get(root, "clauses");
  assert_int_equal(json_array_size(cl), 1);
  assert_string_equal(str_at(json_array_get(cl, 0), "id"), "act_active");
  assert_string_equal(str_at(json_array_get(cl, 0), "kind"), "permission");
  assert_true(json_is_true(json_object_get(json_array_get(cl, 0), "in_effect")));
  json_decref(root);

  root = status(f, tl, day(2026, 3, 1));
  assert_int_equal(int_at(root, "events"), 5);
  assert_string_equal(str_at(json_object_get(root, "state"), "phase"), "done");
  assert_int_equal(int_at(json_object_get(root, "state"), "level"), 4);
  w = json_array_get(json_object_get(root, "commitments"), 1);
  assert_int_equal(int_at(w, "fulfilled"), 4);
  assert_int_equal(int_at(w, "remaining"), 6);
  assert_true(json_number_value(json_object_get(w, "percent")) == 40.0);
  assert_true(json_is_false(json_object_get(json_array_get(json_object_get(root, "clauses"), 0), "in_effect")));
  json_decref(root);

  /* Before the first event, and without a timeline: the initial state. */
  root = status(f, tl, day(2025, 6, 1));
  assert_int_equal(int_at(root, "events"), 0);
  assert_string_equal(str_at(json_object_get(root, "state"), "phase"), "idle");
  json_decref(root);
  root = status(f, NULL, day(2030, 1, 1));
  assert_int_equal(int_at(root, "events"), 0);
  assert_int_equal(int_at(json_array_get(json_object_get(root, "commitments"), 0), "fulfilled"), 0);
  json_decref(root);

  /* Overpaid: remaining never goes below zero. */
  ok(tl, "{\"type\":\"pay\",\"date\":\"2026-04-01\",\"amount\":1250}");
  root = status(f, tl, day(2026, 4, 1));
  m = json_array_get(json_object_get(root, "commitments"), 0);
  assert_int_equal(int_at(m, "fulfilled"), 2000);
  assert_int_equal(int_at(m, "remaining"), 0);
  assert_true(json_number_value(json_object_get(m, "percent")) == 200.0);
  json_decref(root);
  pactum_timeline_free(tl);
}

static void test_string_fields_compare_by_content(void **state) {
  (void)state;
  /* Strings compare by exact bytes (docs/formats.md, Values), also two strings the agreement
     never names: a transfer from "x" to "x" is from and to the same party. */
  pactum_agreement *agr = unit_load_ok(
      "agreement \"tr\" { version \"1\" effective 2025-01-01 }\n"
      "party a\n"
      "source s official \"s.txt\"\n"
      "state moved: bool = false\n"
      "event transfer { from: string, to: string }\n"
      "on transfer { require event.from != event.to else \"a transfer needs two different parties\" set moved = true }\n");
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  const char *same = "{\"type\":\"transfer\",\"date\":\"2026-01-01\",\"from\":\"x\",\"to\":\"x\"}";
  const char *diff = "{\"type\":\"transfer\",\"date\":\"2026-01-01\",\"from\":\"x\",\"to\":\"y\"}";
  int rc_same = pactum_timeline_append_json(tl, same, strlen(same), &err);
  char code[32];
  snprintf(code, sizeof code, "%s", rc_same ? err.code : "accepted");
  int rc_diff = pactum_timeline_append_json(tl, diff, strlen(diff), &err);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
  assert_int_equal(rc_diff, PACTUM_OK);
  assert_string_equal(code, "guard_failed");
  assert_int_equal(rc_same, PACTUM_EINPUT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validation_errors), cmocka_unit_test(test_guards_and_order),
      cmocka_unit_test(test_state_as_of),       cmocka_unit_test(test_many_events),
      cmocka_unit_test(test_transitions_read_the_state_before),
      cmocka_unit_test(test_overflow),          cmocka_unit_test(test_negative_amounts),
      cmocka_unit_test(test_status_json),
      cmocka_unit_test(test_string_fields_compare_by_content),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
