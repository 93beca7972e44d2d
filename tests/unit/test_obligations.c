/*
** test_obligations.c: the instances of first-class obligations and their states on a day
** (src/obligations.c): the deadline arithmetic, an invoice on its due day and the day after,
** partial then full payment, late payment, discharge (before the due day, after it, and of
** instances that arise later), first-in-first-out matching and unmatched events, recurring
** periods, an `at` obligation, the JSON shape, and allocation failures. Every expected value
** is worked out by hand from the rules in obligations.h, in the comment beside it.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "date.h"
#include "obligations.h"

#include <jansson.h>

/* Money in the engine's unit: millionths of a dollar (num.h). */
#define USD(n) ((int64_t)(n) * 1000000)

static const char src[] =
    "agreement \"obl\" { version \"1\" effective 2026-01-01 }\n"
    "party a\n"
    "party b\n"
    "source s official \"s.txt\"\n"
    "state level: integer = 0\n"
    "event invoice { number: integer  amount: money }\n"
    "event paid { number: integer  amount: money }\n"
    "event ended { }\n"
    "event order { big: bool }\n"
    "event delivered { }\n"
    "event report { quarter: integer }\n"
    "event fee_paid { amount: money }\n"
    "on invoice { set level = 1 }\n"
    "obligation invoices { owed_by a owed_to b what \"Pay each invoice\" on invoice due 30 days after trigger\n"
    "  amount event.amount fulfilled by paid where event.number == trigger.number counting amount\n"
    "  discharged by ended quote s \"pay\" }\n"
    "obligation orders { owed_by b owed_to a on order when event.big due 10 days after trigger\n"
    "  fulfilled by delivered quote s \"deliver\" }\n"
    "obligation reports { owed_by a owed_to b every quarter from effective until 2026-12-31\n"
    "  due 15 days after trigger fulfilled by report where event.quarter == trigger.seq quote s \"report\" }\n"
    "obligation fee { owed_by a owed_to b at 2026-06-30 due 2026-07-31 amount $100\n"
    "  fulfilled by fee_paid counting amount quote s \"fee\" }\n";

static int32_t D(const char *s) {
  int32_t d;
  assert_int_equal(date_parse(s, strlen(s), &d), 0);
  return d;
}

/* A timeline of the given event lines (NULL-terminated). */
static pactum_timeline *fold(const pactum_agreement *agr, const char *const *lines) {
  pactum_timeline *tl = pactum_timeline_new(agr);
  assert_non_null(tl);
  for (; *lines; lines++) {
    pactum_error err;
    if (pactum_timeline_append_json(tl, *lines, strlen(*lines), &err) != PACTUM_OK) {
      print_error("event refused: %s: %s\n", *lines, err.message);
      fail();
    }
  }
  return tl;
}

/* Instance `number` of obligation `id` in l, or fail. */
static const obl_instance *find(const pactum_agreement *agr, const obligations_list *l, const char *id, int number) {
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(agr->obligs[l->v[i].obl].id, id) && l->v[i].number == number) return &l->v[i];
  print_error("no instance %s #%d\n", id, number);
  fail();
  return NULL;
}

static size_t count(const pactum_agreement *agr, const obligations_list *l, const char *id) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++) n += !strcmp(agr->obligs[l->v[i].obl].id, id);
  return n;
}

/* The state of id #number on day. */
static int state_on(const pactum_agreement *agr, const pactum_timeline *tl, const char *day, const char *id, int number,
                    int64_t *paid) {
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D(day), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, id, number);
  int st = x->state;
  if (paid) *paid = x->paid;
  obligations_release(&l);
  return st;
}

static void test_date_add(void **state) {
  (void)state;
  /* The end-of-month rule: the day of the month is kept, clamped to the month's last day. */
  assert_int_equal(obligations_date_add(D("2027-01-31"), 1, OBU_MONTH), D("2027-02-28"));
  assert_int_equal(obligations_date_add(D("2028-01-31"), 1, OBU_MONTH), D("2028-02-29"));
  assert_int_equal(obligations_date_add(D("2026-12-31"), 2, OBU_MONTH), D("2027-02-28"));
  assert_int_equal(obligations_date_add(D("2028-02-29"), 1, OBU_YEAR), D("2029-02-28"));
  assert_int_equal(obligations_date_add(D("2026-01-10"), 30, OBU_DAY), D("2026-02-09"));
  assert_int_equal(obligations_date_add(D("2026-02-20"), 2, OBU_WEEK), D("2026-03-06"));
  /* 2026-03-06 is a Friday: 5 business days are Mon 9 .. Fri 13. */
  assert_int_equal(obligations_date_add(D("2026-03-06"), 5, OBU_BDAY), D("2026-03-13"));
  /* From Saturday 7 March, the first business day is Monday 9. */
  assert_int_equal(obligations_date_add(D("2026-03-07"), 1, OBU_BDAY), D("2026-03-09"));
  /* Wednesday 4 March + 3: Thu 5, Fri 6, Mon 9. */
  assert_int_equal(obligations_date_add(D("2026-03-04"), 3, OBU_BDAY), D("2026-03-09"));
  /* Wednesday 4 March + 10: two whole weeks, Wednesday 18. */
  assert_int_equal(obligations_date_add(D("2026-03-04"), 10, OBU_BDAY), D("2026-03-18"));
  assert_int_equal(obligations_date_add(D("2026-03-07"), 0, OBU_BDAY), D("2026-03-07"));
  /* Past the calendar: clamped to its last day. */
  assert_int_equal(obligations_date_add(D("9999-12-01"), 2, OBU_MONTH), D("9999-12-31"));
  assert_int_equal(obligations_date_add(D("9999-12-30"), 5, OBU_DAY), D("9999-12-31"));
}

static void test_due_day_and_after(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-10\",\"number\":7,\"amount\":1000}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  obligations_list l;
  pactum_error err;
  /* 2026-01-10 + 30 days = 2026-02-09: on that day it is still active. */
  assert_int_equal(obligations_compute(agr, tl, D("2026-02-09"), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, "invoices", 1);
  assert_int_equal(x->state, OBS_ACTIVE);
  assert_int_equal(x->due, D("2026-02-09"));
  assert_int_equal(x->trigger, D("2026-01-10"));
  assert_int_equal(x->trigger_seq, 1);
  assert_true(x->has_owed);
  assert_int_equal(x->owed, USD(1000));
  assert_int_equal(x->paid, USD(0));
  assert_int_equal(count(agr, &l, "invoices"), 1);
  obligations_release(&l);
  /* The day after, unpaid: violated. */
  assert_int_equal(state_on(agr, tl, "2026-02-10", "invoices", 1, NULL), OBS_VIOLATED);
  /* Before the invoice, there is no instance at all. */
  assert_int_equal(obligations_compute(agr, tl, D("2026-01-09"), &l, &err), PACTUM_OK);
  assert_int_equal(count(agr, &l, "invoices"), 0);
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_partial_then_full(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-10\",\"number\":7,\"amount\":1000}",
                      "{\"type\":\"invoice\",\"date\":\"2026-01-12\",\"number\":8,\"amount\":50}",
                      "{\"type\":\"paid\",\"date\":\"2026-01-20\",\"number\":7,\"amount\":400}",
                      "{\"type\":\"paid\",\"date\":\"2026-02-05\",\"number\":7,\"amount\":600}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  int64_t paid;
  /* 400 of 1000 by 2026-01-25: active. */
  assert_int_equal(state_on(agr, tl, "2026-01-25", "invoices", 1, &paid), OBS_ACTIVE);
  assert_int_equal(paid, USD(400));
  /* 400 + 600 = 1000 on 2026-02-05, before the due day 2026-02-09: fulfilled on time. */
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-02-05"), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, "invoices", 1);
  assert_int_equal(x->state, OBS_FULFILLED);
  assert_true(x->on_time);
  assert_int_equal(x->paid, USD(1000));
  assert_int_equal(x->fulfilled, D("2026-02-05"));
  /* Invoice 8 got nothing: the payments named invoice 7. */
  assert_int_equal(find(agr, &l, "invoices", 2)->paid, USD(0));
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_late_payment(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-10\",\"number\":7,\"amount\":1000}",
                      "{\"type\":\"paid\",\"date\":\"2026-02-12\",\"number\":7,\"amount\":1000}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  assert_int_equal(state_on(agr, tl, "2026-02-11", "invoices", 1, NULL), OBS_VIOLATED);
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-02-12"), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, "invoices", 1);
  assert_int_equal(x->state, OBS_FULFILLED);
  assert_false(x->on_time);
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_discharge(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  /* Invoice 1 is past due when the agreement ends (due 2026-01-31 < 2026-02-20): it stays
     violated. Invoice 2 (due 2026-03-14) is open then: discharged. Invoice 3 comes after. */
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-01\",\"number\":1,\"amount\":10}",
                      "{\"type\":\"invoice\",\"date\":\"2026-02-12\",\"number\":2,\"amount\":20}",
                      "{\"type\":\"ended\",\"date\":\"2026-02-20\"}",
                      "{\"type\":\"invoice\",\"date\":\"2026-02-25\",\"number\":3,\"amount\":30}",
                      "{\"type\":\"paid\",\"date\":\"2026-02-26\",\"number\":2,\"amount\":20}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  assert_int_equal(state_on(agr, tl, "2026-02-19", "invoices", 2, NULL), OBS_ACTIVE);
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-03-31"), &l, &err), PACTUM_OK);
  assert_int_equal(find(agr, &l, "invoices", 1)->state, OBS_VIOLATED);
  const obl_instance *x = find(agr, &l, "invoices", 2);
  assert_int_equal(x->state, OBS_DISCHARGED);
  assert_int_equal(x->discharged, D("2026-02-20"));
  /* The payment after the discharge is counted toward it but does not fulfil it. */
  assert_int_equal(x->paid, USD(20));
  assert_int_equal(x->fulfilled, DAY_MAX);
  x = find(agr, &l, "invoices", 3);
  assert_int_equal(x->state, OBS_DISCHARGED);
  assert_int_equal(x->discharged, D("2026-02-25"));
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_fifo_and_unmatched(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  /* The delivery of 03-01 comes before any order: unmatched. The order of 03-03 is not big: no
     instance. The delivery of 03-05 fulfils the oldest open order, #1 (03-02). */
  const char *ev[] = {"{\"type\":\"delivered\",\"date\":\"2026-03-01\"}",
                      "{\"type\":\"order\",\"date\":\"2026-03-02\",\"big\":true}",
                      "{\"type\":\"order\",\"date\":\"2026-03-03\",\"big\":false}",
                      "{\"type\":\"order\",\"date\":\"2026-03-04\",\"big\":true}",
                      "{\"type\":\"delivered\",\"date\":\"2026-03-05\"}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-03-14"), &l, &err), PACTUM_OK);
  assert_int_equal(count(agr, &l, "orders"), 2);
  const obl_instance *x = find(agr, &l, "orders", 1);
  assert_int_equal(x->state, OBS_FULFILLED);
  assert_true(x->on_time);
  assert_false(x->has_owed);
  x = find(agr, &l, "orders", 2);
  assert_int_equal(x->trigger, D("2026-03-04"));
  assert_int_equal(x->due, D("2026-03-14"));
  assert_int_equal(x->state, OBS_ACTIVE);
  assert_int_equal(l.unmatched[1], 1);
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_recurring(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  pactum_error err;
  obligations_list l;
  /* No events. On 2026-03-31 the first quarter has closed (trigger 03-31, due 04-15) and the
     second is in progress (trigger 06-30, due 07-15): two instances. */
  assert_int_equal(obligations_compute(agr, NULL, D("2026-03-31"), &l, &err), PACTUM_OK);
  assert_int_equal(count(agr, &l, "reports"), 2);
  const obl_instance *x = find(agr, &l, "reports", 1);
  assert_int_equal(x->state, OBS_ACTIVE);
  assert_int_equal(x->trigger, D("2026-03-31"));
  assert_int_equal(x->due, D("2026-04-15"));
  x = find(agr, &l, "reports", 2);
  assert_int_equal(x->state, OBS_PENDING);
  assert_int_equal(x->due, D("2026-07-15"));
  obligations_release(&l);
  /* Long after the last period (until 2026-12-31): four instances, all violated. */
  assert_int_equal(obligations_compute(agr, NULL, D("2027-06-01"), &l, &err), PACTUM_OK);
  assert_int_equal(count(agr, &l, "reports"), 4);
  assert_int_equal(find(agr, &l, "reports", 4)->due, D("2027-01-15"));
  assert_int_equal(find(agr, &l, "reports", 4)->state, OBS_VIOLATED);
  obligations_release(&l);
  /* The report of quarter 2 sent early (2026-05-01) fulfils #2 on time; #1 is violated. */
  const char *ev[] = {"{\"type\":\"report\",\"date\":\"2026-05-01\",\"quarter\":2}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  assert_int_equal(state_on(agr, tl, "2026-05-01", "reports", 1, NULL), OBS_VIOLATED);
  assert_int_equal(state_on(agr, tl, "2026-05-01", "reports", 2, NULL), OBS_FULFILLED);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_at(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  /* The fee paid on 06-01, before the 06-30 trigger, finds no instance: unmatched. Then 60 on
     07-01 and 40 on 08-01: 100 in all after the due day 07-31. */
  const char *ev[] = {"{\"type\":\"fee_paid\",\"date\":\"2026-06-01\",\"amount\":5}",
                      "{\"type\":\"fee_paid\",\"date\":\"2026-07-01\",\"amount\":60}",
                      "{\"type\":\"fee_paid\",\"date\":\"2026-08-01\",\"amount\":40}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  int64_t paid;
  assert_int_equal(state_on(agr, tl, "2026-06-29", "fee", 1, &paid), OBS_PENDING);
  assert_int_equal(paid, USD(0));
  assert_int_equal(state_on(agr, tl, "2026-07-31", "fee", 1, &paid), OBS_ACTIVE);
  assert_int_equal(paid, USD(60));
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-08-01"), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, "fee", 1);
  assert_int_equal(x->state, OBS_FULFILLED);
  assert_false(x->on_time);
  assert_int_equal(x->paid, USD(100));
  assert_int_equal(x->owed, USD(100));
  assert_int_equal(l.unmatched[3], 1);
  assert_int_equal(l.unmatched_amount[3], USD(5));
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* `where event.F == trigger.seq` with F a ref to the triggering event: the seq names the instance. */
static void test_ref_key(void **state) {
  (void)state;
  static const char ref_src[] =
      "agreement \"obl-ref\" { version \"1\" effective 2026-01-01 }\n"
      "party a\n"
      "party b\n"
      "source s official \"s.txt\"\n"
      "event notice { }\n"
      "event cure { of: ref notice }\n"
      "obligation cure_breach { owed_by a owed_to b on notice due 2 weeks after trigger\n"
      "  fulfilled by cure where event.of == trigger.seq quote s \"cure\" }\n";
  pactum_agreement *agr = unit_load_ok(ref_src);
  /* Notices are seqs 1 (2026-03-02, due 03-16) and 2 (2026-03-05, due 03-19); the cure of seq 2
     on 03-10 fulfils #2, not the older #1. On 03-17, #1 is violated and #2 fulfilled on time. */
  const char *ev[] = {"{\"type\":\"notice\",\"date\":\"2026-03-02\"}", "{\"type\":\"notice\",\"date\":\"2026-03-05\"}",
                      "{\"type\":\"cure\",\"date\":\"2026-03-10\",\"of\":2}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  obligations_list l;
  pactum_error err;
  assert_int_equal(obligations_compute(agr, tl, D("2026-03-17"), &l, &err), PACTUM_OK);
  const obl_instance *x = find(agr, &l, "cure_breach", 1);
  assert_int_equal(x->due, D("2026-03-16"));
  assert_int_equal(x->state, OBS_VIOLATED);
  x = find(agr, &l, "cure_breach", 2);
  assert_int_equal(x->trigger_seq, 2);
  assert_int_equal(x->state, OBS_FULFILLED);
  assert_true(x->on_time);
  assert_int_equal(x->fulfilled, D("2026-03-10"));
  obligations_release(&l);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_json(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-10\",\"number\":7,\"amount\":1000}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  char *s = obligations_render(agr, tl, D("2026-02-10"), 1, NULL);
  assert_non_null(s);
  json_error_t je;
  json_t *root = json_loads(s, 0, &je);
  assert_non_null(root);
  json_t *arr = json_object_get(root, "obligations");
  assert_true(json_is_array(arr));
  json_t *x = json_array_get(arr, 0);
  assert_string_equal(json_string_value(json_object_get(x, "id")), "invoices");
  assert_int_equal(json_integer_value(json_object_get(x, "instance")), 1);
  assert_string_equal(json_string_value(json_object_get(x, "state")), "violated");
  assert_string_equal(json_string_value(json_object_get(x, "due")), "2026-02-09");
  assert_int_equal(json_integer_value(json_object_get(x, "owed")), 1000);
  assert_int_equal(json_integer_value(json_object_get(x, "paid")), 0);
  assert_int_equal(json_integer_value(json_object_get(root, "omitted")), 0);
  json_decref(root);
  px_free(s);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_alloc_failures(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(src);
  const char *ev[] = {"{\"type\":\"invoice\",\"date\":\"2026-01-10\",\"number\":7,\"amount\":1000}",
                      "{\"type\":\"paid\",\"date\":\"2026-01-11\",\"number\":7,\"amount\":10}", NULL};
  pactum_timeline *tl = fold(agr, ev);
  /* Every allocation of a report fails in turn: NULL and out_of_memory, never a crash. */
  int failed = 0;
  for (int k = 1; k < 64; k++) {
    px_alloc_fail_after(k);
    pactum_error err;
    memset(&err, 0, sizeof err);
    char *s = obligations_render(agr, tl, D("2026-12-31"), k % 2, &err);
    px_alloc_fail_after(0);
    if (s) {
      px_free(s);
      continue;
    }
    failed++;
    assert_string_equal(err.code, "out_of_memory");
  }
  assert_true(failed > 0);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_add),      cmocka_unit_test(test_due_day_and_after),
      cmocka_unit_test(test_partial_then_full), cmocka_unit_test(test_late_payment),
      cmocka_unit_test(test_discharge),     cmocka_unit_test(test_fifo_and_unmatched),
      cmocka_unit_test(test_recurring),     cmocka_unit_test(test_at),
      cmocka_unit_test(test_ref_key),       cmocka_unit_test(test_json),
      cmocka_unit_test(test_alloc_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
