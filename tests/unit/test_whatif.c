/*
** test_whatif.c: unit tests of whatif.c: the --add mini-syntax value by value, the merge of added
** events into the baseline by date, and every allocation failure along a whole comparison.
**
** The agreement below is written for these tests: a bool, an integer, money, a date, an enum and a
** string field, so each reading of a value is exercised; its guard refuses a second `open`.
*/
#include "unit.h"

#include <unistd.h>

#include "../../src/alloc.h"
#include "../../src/testrun.h"
#include "../../src/whatif.h"

static const char src[] =
    "agreement \"w\" {\n  version \"1\"\n  effective 2026-01-01\n}\n"
    "party a\n"
    "source s official \"s.txt\"\n"
    "action act by a {\n  context kind: enum { x, y } = x\n}\n"
    "state open: bool = false\n"
    "event open_it { flag: bool, n: integer, amount: money, due: date, kind: enum { x, y }, who: string }\n"
    "event close_it { }\n"
    "on open_it {\n  require not open else \"already open\"\n  set open = true\n}\n"
    "on close_it {\n  set open = false\n}\n"
    "permission p {\n  principal a\n  action act\n  when context.kind == x\n  while open\n  quote s \"a may act\"\n}\n";

static pactum_agreement *load(void) { return unit_load_ok(src); }

/* The compact JSON of --add text, or "ERR: message". Caller frees. */
static char *add_json(const pactum_agreement *agr, const char *text) {
  pactum_error err;
  json_t *ev = whatif_parse_add(agr, text, &err);
  if (!ev) {
    size_t n = strlen(err.message) + 6;
    char *s = malloc(n);
    snprintf(s, n, "ERR: %s", err.message);
    return s;
  }
  char *s = json_dumps(ev, JSON_COMPACT);
  json_decref(ev);
  return s;
}

#define assert_add(agr, text, want)      \
  do {                                   \
    char *got_ = add_json((agr), (text)); \
    assert_string_equal(got_, (want));   \
    free(got_);                          \
  } while (0)

static void test_add_values(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  /* Positional values fill the fields in declared order; the date comes last. */
  assert_add(agr, "open_it true 1_000 $2_500 2027-02-28 y acme 2026-05-01",
             "{\"type\":\"open_it\",\"date\":\"2026-05-01\",\"flag\":true,\"n\":1000,\"amount\":2500,\"due\":\"2027-02-28\","
             "\"kind\":\"y\",\"who\":\"acme\"}");
  /* Named fields first take their places; bare values fill the rest in order. */
  assert_add(agr, "open_it who=acme kind=x false 7 15 2026-01-01 2026-05-01",
             "{\"type\":\"open_it\",\"date\":\"2026-05-01\",\"flag\":false,\"n\":7,\"amount\":15,\"due\":\"2026-01-01\","
             "\"kind\":\"x\",\"who\":\"acme\"}");
  /* Quotes group words; \" and \\ inside them; an empty quoted string is a value. */
  assert_add(agr, "open_it true 1 1 2026-01-01 x \"a \\\"b\\\" \\\\c\" 2026-05-01",
             "{\"type\":\"open_it\",\"date\":\"2026-05-01\",\"flag\":true,\"n\":1,\"amount\":1,\"due\":\"2026-01-01\","
             "\"kind\":\"x\",\"who\":\"a \\\"b\\\" \\\\c\"}");
  assert_add(agr, "open_it true 1 1 2026-01-01 x who=\"\" 2026-05-01",
             "{\"type\":\"open_it\",\"date\":\"2026-05-01\",\"flag\":true,\"n\":1,\"amount\":1,\"due\":\"2026-01-01\","
             "\"kind\":\"x\",\"who\":\"\"}");
  assert_add(agr, "close_it 2026-05-01", "{\"type\":\"close_it\",\"date\":\"2026-05-01\"}");
  /* Each value its field's type cannot take. */
  assert_add(agr, "open_it yes 1 1 2026-01-01 x w 2026-05-01",
             "ERR: field 'flag' of event 'open_it' is true or false; got 'yes'");
  assert_add(agr, "open_it true 1__0 1 2026-01-01 x w 2026-05-01",
             "ERR: field 'n' of event 'open_it' is an integer; got '1__0'");
  assert_add(agr, "open_it true 99999999999999999999 1 2026-01-01 x w 2026-05-01",
             "ERR: field 'n' of event 'open_it' is an integer; got '99999999999999999999'");
  assert_add(agr, "open_it true _1 1 2026-01-01 x w 2026-05-01",
             "ERR: field 'n' of event 'open_it' is an integer; got '_1'");
  assert_add(agr, "open_it true 1 $ 2026-01-01 x w 2026-05-01",
             "ERR: field 'amount' of event 'open_it' is an amount of dollars (1250000, $0.004); got '$'");
  assert_add(agr, "open_it true 1 1 2026-02-30 x w 2026-05-01",
             "ERR: field 'due' of event 'open_it' is a date (YYYY-MM-DD); got '2026-02-30'");
  assert_add(agr, "open_it true 1 1 2026-01-01 z w 2026-05-01",
             "ERR: field 'kind' of event 'open_it' is one of x, y; got 'z'");
  assert_add(agr, "close_it extra 2026-05-01",
             "ERR: too many values for event 'close_it': 'extra' has no field left to fill (its fields: none)");
  assert_add(agr, "close_it", "ERR: no date: give TYPE [VALUE | FIELD=VALUE]... DATE, the date last");
  assert_add(agr, "close_it 26-05-01", "ERR: the last word must be the event's date (YYYY-MM-DD); got '26-05-01'");
  assert_add(agr, "", "ERR: empty; give TYPE [VALUE | FIELD=VALUE]... DATE");
  assert_add(agr, "open_it true 1 1 2026-01-01 x \xff 2026-05-01", "ERR: byte 31 is not valid UTF-8");
  assert_add(agr, "open_it true 1 1 2026-01-01 x caf\xc3\xa9 2026-05-01",
             "{\"type\":\"open_it\",\"date\":\"2026-05-01\",\"flag\":true,\"n\":1,\"amount\":1,\"due\":\"2026-01-01\","
             "\"kind\":\"x\",\"who\":\"caf\xc3\xa9\"}");
  pactum_agreement_free(agr);
}

/* Fold base and added (arrays of JSON texts) into w; the rc of whatif_init. */
static int init_from(whatif *w, const pactum_agreement *agr, const char *const *base, size_t nb, const char *const *added,
                     size_t na, pactum_error *err) {
  json_t *b = json_array(), *l = json_array(), *a = json_array();
  for (size_t i = 0; i < nb; i++) {
    json_array_append_new(b, json_loads(base[i], 0, NULL));
    char lab[32];
    snprintf(lab, sizeof lab, "b:%zu", i + 1);
    json_array_append_new(l, json_string(lab));
  }
  for (size_t i = 0; i < na; i++) json_array_append_new(a, json_loads(added[i], 0, NULL));
  int rc = whatif_init(w, agr, b, l, NULL, 0, a, err);
  json_decref(b);
  json_decref(l);
  json_decref(a);
  return rc;
}

static void test_merge_by_date(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  const char *base[] = {"{\"type\":\"close_it\",\"date\":\"2026-03-01\"}", "{\"type\":\"close_it\",\"date\":\"2026-06-01\"}"};
  /* Given out of order: sorted by date, stably; on 2026-03-01 after the baseline's own event. */
  const char *added[] = {"{\"type\":\"close_it\",\"date\":\"2026-07-01\"}",
                         "{\"type\":\"open_it\",\"date\":\"2026-03-01\",\"flag\":true,\"n\":1,\"amount\":1,"
                         "\"due\":\"2026-01-01\",\"kind\":\"x\",\"who\":\"w\"}"};
  whatif w;
  pactum_error err;
  assert_int_equal(init_from(&w, agr, base, 2, added, 2, &err), PACTUM_OK);
  assert_int_equal(pactum_timeline_count(w.base), 2);
  assert_int_equal(pactum_timeline_count(w.hyp), 4);
  assert_string_equal(json_string_value(json_object_get(json_array_get(w.added, 0), "type")), "open_it");
  assert_string_equal(json_string_value(json_object_get(json_array_get(w.added, 1), "type")), "close_it");
  /* open on 2026-03-01 (after the close of that day), closed again on 2026-06-01 by the baseline. */
  json_t *report = NULL;
  json_t *rq = json_loads("[{\"principal\":\"a\",\"action\":\"act\"}]", 0, NULL);
  assert_int_equal(whatif_compare(&w, rq, 0, 0, &report, &err), PACTUM_OK);
  json_t *ch = json_object_get(report, "changes");
  assert_int_equal(json_array_size(ch), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(ch, 0), "from")), "2026-03-01");
  assert_string_equal(json_string_value(json_object_get(json_array_get(ch, 0), "through")), "2026-05-31");
  json_decref(report);
  json_decref(rq);
  whatif_release(&w);

  /* A second open while one is open: the guard's reason, the added event's position. */
  const char *twice[] = {added[1], added[1]};
  assert_int_equal(init_from(&w, agr, base, 2, twice, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "guard_failed");
  assert_string_equal(err.message, "added event 2 (open_it, 2026-03-01) is refused: already open");
  pactum_agreement_free(agr);
}

/* One whole comparison, text included: 1 if it completed, 0 if an allocation failed (cleanly). */
static int whole(const pactum_agreement *agr) {
  const char *base[] = {"{\"type\":\"close_it\",\"date\":\"2026-03-01\"}"};
  const char *added[] = {"{\"type\":\"open_it\",\"date\":\"2026-04-01\",\"flag\":true,\"n\":1,\"amount\":1,"
                         "\"due\":\"2026-01-01\",\"kind\":\"x\",\"who\":\"w\"}"};
  whatif w;
  pactum_error err;
  int rc = init_from(&w, agr, base, 1, added, 1, &err);
  if (rc) {
    assert_int_equal(rc, PACTUM_ENOMEM);
    return 0;
  }
  long left = 0;
  json_t *reqs = whatif_generate_requests(agr, &left), *report = NULL;
  int done = 0;
  if (reqs) {
    rc = whatif_compare(&w, reqs, 0, 0, &report, &err);
    if (rc) assert_int_equal(rc, PACTUM_ENOMEM);
    char *text = rc ? NULL : whatif_render_text(agr, report);
    done = text != NULL;
    px_free(text);
  }
  json_decref(report);
  json_decref(reqs);
  whatif_release(&w);
  return done;
}

static void test_every_allocation_fails_cleanly(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  px_alloc_reset_count();
  assert_int_equal(whole(agr), 1);
  long total = px_alloc_count();
  assert_true(total > 5);
  for (long n = 1; n <= total; n++) {
    px_alloc_fail_after(n);
    whole(agr); /* ENOMEM or NULL, never a crash or a leak (the ASan build checks) */
    px_alloc_fail_after(0);
  }
  assert_int_equal(whole(agr), 1);
  pactum_agreement_free(agr);
}

/* testrun_file over a file of one passing and one failing test: 1 if it completed with 1 and 1. */
static int whole_testrun(const pactum_agreement *agr, const char *path) {
  buf report, errors;
  buf_init(&report);
  buf_init(&errors);
  testrun_counts c = {0, 0, 0};
  int rc = testrun_file(agr, "w.pact", NULL, path, 0, &report, &errors, &c);
  int done = rc == 0 && c.passed == 1 && c.failed == 1 && c.errors == 0;
  if (rc == 0 && !done) fail_msg("counts %d %d %d\n%s%s", c.passed, c.failed, c.errors, report.data, errors.data);
  buf_release(&report);
  buf_release(&errors);
  return done;
}

static void test_testrun_allocation_failures(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  char path[] = "/tmp/pactum-unit-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  /* Without events nothing is open: `p` (while open) is not in effect, so not_applicable. */
  fputs("{\"name\": \"closed\", \"request\": {\"principal\": \"a\", \"action\": \"act\", \"context\": {\"date\": \"2026-05-01\"}},"
        " \"expect\": {\"decision\": \"not_applicable\"}}\n"
        "{\"name\": \"wrong\", \"request\": {\"principal\": \"a\", \"action\": \"act\", \"context\": {\"date\": \"2026-05-01\"}},"
        " \"expect\": {\"decision\": \"allow\", \"determining\": [\"p\"]}}\n",
        fp);
  fclose(fp);
  px_alloc_reset_count();
  assert_int_equal(whole_testrun(agr, path), 1);
  long total = px_alloc_count();
  assert_true(total > 5);
  for (long n = 1; n <= total; n++) {
    px_alloc_fail_after(n);
    whole_testrun(agr, path); /* -1 or complete, never a crash or a leak */
    px_alloc_fail_after(0);
  }
  assert_int_equal(whole_testrun(agr, path), 1);
  unlink(path);
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_values),
      cmocka_unit_test(test_merge_by_date),
      cmocka_unit_test(test_every_allocation_fails_cleanly),
      cmocka_unit_test(test_testrun_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
