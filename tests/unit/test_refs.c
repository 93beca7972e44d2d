/*
** test_refs.c: events that name earlier events, and who recorded an event (src/events.c): ref
** fields checked against the seqs already folded, `event.seq`, the seq index kept only for
** referenced types, `recorded by` conditions, the recorders mask of a list of signer names, and
** the "recorded_by" claim of an --events line.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"

#include <jansson.h>

/*
** Two parties and two bodies: bits 0 (buyer) and 1 (seller) are the parties, 2 (board, quorum 2
** of 3) and 3 (auditors, quorum 1 of 1) the bodies.
*/
static const char src[] =
    "agreement \"refs\" { version \"1\" effective 2025-01-01 }\n"
    "party buyer\n"
    "party seller\n"
    "body board { members chair, m1, m2 quorum 2 }\n"
    "body auditors { members lead quorum 1 }\n"
    "state pending: ref order\n"
    "state accepted: ref order = 0\n"
    "state last_note: ref note\n"
    "state by_board: bool = false\n"
    "event order { amount: money }\n"
    "event acceptance { order: ref order }\n"
    "event note { text: string }\n"
    "event remark { about: ref note }\n"
    "event log { text: string }\n"
    "event ruling { n: integer }\n"
    "on order { require recorded by buyer else \"only the buyer orders\" set pending = event.seq }\n"
    "on acceptance {\n"
    "  require event.order == pending else \"only the pending order\"\n"
    "  require recorded by seller and not recorded by buyer else \"the seller alone\"\n"
    "  set accepted = event.order\n"
    "}\n"
    "on note { set last_note = event.seq }\n"
    "on ruling { require recorded by board or recorded by auditors else \"a body rules\" set by_board = true when recorded by board }\n";

enum { S_PENDING, S_ACCEPTED, S_LAST_NOTE, S_BY_BOARD };

static pactum_agreement *load(void) { return unit_load_ok(src); }

/* Fold json with seq and recorders; the rc, with *err filled. */
static int fold(pactum_timeline *tl, const char *json, int64_t seq, uint64_t recorders, pactum_error *err) {
  json_t *root = json_loads(json, 0, NULL);
  assert_non_null(root);
  event_meta m = {seq, recorders};
  memset(err, 0, sizeof *err);
  int rc = timeline_append(tl, root, &m, err);
  json_decref(root);
  return rc;
}

static const int64_t *now(const pactum_timeline *tl) { return timeline_now(tl); }

static void test_recorders_mask(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  const char *buyer[] = {"buyer"};
  assert_int_equal(timeline_recorders(agr, buyer, 1), 1u);
  const char *both[] = {"seller", "buyer", "seller"};
  assert_int_equal(timeline_recorders(agr, both, 3), 3u);
  /* One member of the board, named twice, is not its quorum of two distinct members. */
  const char *one_twice[] = {"board.chair", "board.chair"};
  assert_int_equal(timeline_recorders(agr, one_twice, 2), 0u);
  const char *two[] = {"board.m2", "board.chair"};
  assert_int_equal(timeline_recorders(agr, two, 2), 1u << 2);
  const char *lead[] = {"auditors.lead", "board.m1"};
  assert_int_equal(timeline_recorders(agr, lead, 2), 1u << 3);
  /* Unknown names, members of no body, bodies named bare and members named without their body count for nothing. */
  const char *unknown[] = {"nobody", "board.nobody", "board", "chair", "nobody.chair", "auditors."};
  assert_int_equal(timeline_recorders(agr, unknown, 6), 0u);
  const char *all[] = {"buyer", "seller", "board.m1", "board.m2", "auditors.lead"};
  assert_int_equal(timeline_recorders(agr, all, 5), 15u);
  assert_int_equal(timeline_recorders(agr, NULL, 0), 0u);
  pactum_agreement_free(agr);
}

static void test_refs_name_earlier_events(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  assert_int_equal(now(tl)[S_PENDING], 0); /* a ref without an initial value starts at no event */
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5}", 4, 1, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_PENDING], 4); /* event.seq */
  assert_int_equal(fold(tl, "{\"type\":\"note\",\"date\":\"2026-01-02\",\"text\":\"x\"}", 5, 0, &err), PACTUM_OK);
  assert_int_equal(fold(tl, "{\"type\":\"log\",\"date\":\"2026-01-02\",\"text\":\"x\"}", 6, 0, &err), PACTUM_OK);
  /* Nothing at seq 3; a 'note' at 5; an unindexed 'log' at 6, which is no order; 9 is not before this event. */
  const char *tmpl = "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":%d}";
  char ev[128];
  snprintf(ev, sizeof ev, tmpl, 3);
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_reference");
  assert_string_equal(err.message, "field 'order' of event 'acceptance' names seq 3, but no event of type 'order' has seq 3");
  snprintf(ev, sizeof ev, tmpl, 5);
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.message, "field 'order' of event 'acceptance' names seq 5, an event of type 'note', not 'order'");
  snprintf(ev, sizeof ev, tmpl, 6);
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_reference");
  snprintf(ev, sizeof ev, tmpl, 9);
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.message,
                      "field 'order' of event 'acceptance' names seq 9, which is not before this event (seq 7); it must "
                      "name an earlier event of type 'order'");
  snprintf(ev, sizeof ev, tmpl, 7); /* its own seq */
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_reference");
  /* A ref must be a positive whole number. */
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":0}", 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":\"4\"}", 7, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_int_equal(pactum_timeline_count(tl), 3);
  snprintf(ev, sizeof ev, tmpl, 4);
  assert_int_equal(fold(tl, ev, 7, 2, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_ACCEPTED], 4);
  /* Only referenced types are indexed: the order (4) and the note (5), not the log or the acceptance. */
  assert_int_equal(tl->ref_n, 2);
  assert_int_equal(timeline_ref_type(tl, 4), 0);
  assert_int_equal(timeline_ref_type(tl, 5), 2);
  assert_int_equal(timeline_ref_type(tl, 6), -1);
  assert_int_equal(timeline_ref_type(tl, 7), -1);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_refused_events_are_not_indexed(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  /* An order the seller records is refused by its guard: seq 1 holds no order. */
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5}", 1, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "guard_failed");
  assert_int_equal(tl->ref_n, 0);
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-02\",\"order\":1}", 2, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_reference");
  /* The pending order is the only one an acceptance may name, and the seller must record it alone. */
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-01-03\",\"amount\":5}", 3, 1, &err), PACTUM_OK);
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-01-04\",\"amount\":6}", 4, 1, &err), PACTUM_OK);
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-05\",\"order\":3}", 5, 2, &err), PACTUM_EINPUT);
  assert_string_equal(err.message, "event 'acceptance' rejected: only the pending order");
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-05\",\"order\":4}", 5, 3, &err), PACTUM_EINPUT);
  assert_string_equal(err.message, "event 'acceptance' rejected: the seller alone");
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-05\",\"order\":4}", 5, 2, &err), PACTUM_OK);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* What-if folds hypothetical events among older ones: seqs need not increase. */
static void test_seqs_out_of_order(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5}", 11, 1, &err), PACTUM_OK);
  assert_int_equal(fold(tl, "{\"type\":\"note\",\"date\":\"2026-01-02\",\"text\":\"x\"}", 3, 0, &err), PACTUM_OK);
  /* Seq 11 was folded first, so an event with a lower seq may name it. */
  assert_int_equal(fold(tl, "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":11}", 4, 2, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_ACCEPTED], 11);
  assert_int_equal(fold(tl, "{\"type\":\"remark\",\"date\":\"2026-01-03\",\"about\":3}", 12, 0, &err), PACTUM_OK);
  /* A seq folded again is the latest event with it. */
  assert_int_equal(fold(tl, "{\"type\":\"note\",\"date\":\"2026-01-04\",\"text\":\"y\"}", 11, 0, &err), PACTUM_OK);
  assert_int_equal(timeline_ref_type(tl, 11), 2);
  assert_int_equal(tl->ref_n, 2);
  /* The index grows past its first table and survives a copy. */
  for (int i = 0; i < 100; i++) {
    char ev[128];
    snprintf(ev, sizeof ev, "{\"type\":\"note\",\"date\":\"2026-02-01\",\"text\":\"%d\"}", i);
    assert_int_equal(fold(tl, ev, 1000 - i, 0, &err), PACTUM_OK);
  }
  assert_int_equal(tl->ref_n, 102);
  pactum_timeline *copy = timeline_copy(tl);
  assert_non_null(copy);
  for (int i = 0; i < 100; i++) assert_int_equal(timeline_ref_type(copy, 1000 - i), 2);
  assert_int_equal(timeline_ref_type(copy, 3), 2);
  assert_int_equal(timeline_ref_type(copy, 4), -1);
  assert_int_equal(fold(copy, "{\"type\":\"remark\",\"date\":\"2026-03-01\",\"about\":950}", 2000, 0, &err), PACTUM_OK);
  pactum_timeline_free(copy);
  assert_int_equal(fold(tl, "{\"type\":\"order\",\"date\":\"2026-03-01\",\"amount\":1}", 0, 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_seq");
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

static void test_recorded_by_conditions(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  const char *ruling = "{\"type\":\"ruling\",\"date\":\"2026-01-01\",\"n\":1}";
  assert_int_equal(fold(tl, ruling, 1, 3, &err), PACTUM_EINPUT); /* the parties are no body */
  assert_string_equal(err.message, "event 'ruling' rejected: a body rules");
  assert_int_equal(fold(tl, ruling, 1, 1u << 3, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_BY_BOARD], 0);
  assert_int_equal(fold(tl, ruling, 2, 1u << 2, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_BY_BOARD], 1);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* pactum_timeline_append_json: seq = count + 1, recorders from the "recorded_by" claim. */
static void test_claims(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
#define APPEND(s) pactum_timeline_append_json(tl, (s), strlen(s), &err)
  assert_int_equal(APPEND("{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5}"), PACTUM_EINPUT);
  assert_string_equal(err.code, "guard_failed");
  assert_int_equal(APPEND("{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5,\"recorded_by\":5}"), PACTUM_EINPUT);
  assert_string_equal(err.message, "'recorded_by' must be an array of signer names");
  assert_int_equal(APPEND("{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5,\"recorded_by\":[\"buyer\",1]}"),
                   PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  /* signatures and nonce are passed over, unverified. */
  assert_int_equal(APPEND("{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5,\"recorded_by\":[\"buyer\"],"
                          "\"nonce\":\"n0nce-0123456789ab\",\"signatures\":[{\"signer\":\"buyer\"}]}"),
                   PACTUM_OK);
  assert_int_equal(now(tl)[S_PENDING], 1); /* the first accepted event: seq 1 */
  assert_int_equal(APPEND("{\"type\":\"acceptance\",\"date\":\"2026-01-02\",\"order\":1,\"recorded_by\":[\"seller\"]}"),
                   PACTUM_OK);
  assert_int_equal(now(tl)[S_ACCEPTED], 1);
  /* More than 64 names is a limit, reported. */
  json_t *big = json_pack("{s:s,s:s,s:i}", "type", "ruling", "date", "2026-01-03", "n", 1);
  json_t *names = json_array();
  for (int i = 0; i < 65; i++) json_array_append_new(names, json_string("board.m1"));
  json_object_set_new(big, "recorded_by", names);
  assert_int_equal(timeline_append_claimed(tl, big, 3, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "too_many_recorders");
  json_array_remove(names, 0);
  json_array_set_new(names, 0, json_string("board.chair"));
  assert_int_equal(timeline_append_claimed(tl, big, 3, &err), PACTUM_OK); /* 64 names: chair and m1 */
  assert_int_equal(now(tl)[S_BY_BOARD], 1);
  json_decref(big);
  /* pactum_timeline_append_seq takes the seq given. */
  const char *note_ev = "{\"type\":\"note\",\"date\":\"2026-01-04\",\"text\":\"x\"}";
  assert_int_equal(pactum_timeline_append_seq(tl, note_ev, strlen(note_ev), 40, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_LAST_NOTE], 40);
  assert_int_equal(pactum_timeline_append_seq(tl, note_ev, strlen(note_ev), -1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_seq");
  /* A line of an --events file of a record-level type is skipped; any other is folded. */
  const char *key = "{\"type\":\"key_registered\",\"date\":\"2026-01-04\",\"signer\":\"buyer\"}";
  size_t n = pactum_timeline_count(tl);
  assert_int_equal(timeline_append_line(tl, key, strlen(key), 41, &err), PACTUM_OK);
  assert_int_equal(pactum_timeline_count(tl), n);
  assert_int_equal(timeline_append_line(tl, note_ev, strlen(note_ev), 42, &err), PACTUM_OK);
  assert_int_equal(now(tl)[S_LAST_NOTE], 42);
  assert_int_equal(APPEND(key), PACTUM_EINPUT); /* a single event of the public API is the agreement's */
  assert_string_equal(err.code, "unknown_event");
  assert_int_equal(event_type_record_level("store_created", 13), 1);
  assert_int_equal(event_type_record_level("store_create", 12), 0);
#undef APPEND
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* Every allocation of the seq index and of a copy may fail: ENOMEM, and the timeline as it was. */
static void test_allocation_failures(void **state) {
  (void)state;
  pactum_agreement *agr = load();
  for (long n = 1;; n++) {
    pactum_timeline *tl = pactum_timeline_new(agr);
    assert_non_null(tl);
    px_alloc_reset_count();
    px_alloc_fail_after(n);
    int failed = 0;
    for (int i = 0; i < 40 && !failed; i++) {
      char ev[128];
      snprintf(ev, sizeof ev, "{\"type\":\"note\",\"date\":\"2026-02-01\",\"text\":\"%d\"}", i);
      size_t before = pactum_timeline_count(tl), indexed = tl->ref_n;
      json_t *root = json_loads(ev, 0, NULL);
      if (!root) {
        failed = 1;
        break;
      }
      event_meta m = {i + 1, 0};
      pactum_error err;
      int rc = timeline_append(tl, root, &m, &err);
      json_decref(root);
      if (rc) {
        assert_int_equal(rc, PACTUM_ENOMEM);
        assert_int_equal(pactum_timeline_count(tl), before);
        assert_int_equal(tl->ref_n, indexed);
        failed = 1;
      }
    }
    pactum_timeline *copy = failed ? NULL : timeline_copy(tl);
    if (!failed && !copy) failed = 1;
    px_alloc_fail_after(0);
    if (copy) assert_int_equal(timeline_ref_type(copy, 40), 2);
    pactum_timeline_free(copy);
    pactum_timeline_free(tl);
    if (!failed) break;
  }
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_recorders_mask),          cmocka_unit_test(test_refs_name_earlier_events),
      cmocka_unit_test(test_refused_events_are_not_indexed), cmocka_unit_test(test_seqs_out_of_order),
      cmocka_unit_test(test_recorded_by_conditions), cmocka_unit_test(test_claims),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
