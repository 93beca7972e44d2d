/*
** test_space.c: the decision space (src/space.c) and the analyses over it (src/verify.c,
** src/diff.c): the segments, states and representatives of the shipped agreement, checked
** against its source text; every point replayed through the public API decides the same; and
** every allocation failure during verify and diff ends cleanly.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "diff.h"
#include "space.h"
#include "verify.h"

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"

static pactum_agreement *load_shipped(void) {
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  assert_int_equal(pactum_agreement_load_file(SHIPPED, &agr, &diag), PACTUM_OK);
  assert_null(diag);
  return agr;
}

static int32_t day(const char *s) {
  int32_t d;
  assert_int_equal(pactum_day_parse(s, strlen(s), &d), PACTUM_OK);
  return d;
}

/*
** The effective date is 2025-10-28; "research IP ... through 2030" ends on 2030-12-31 and the
** rights to models and products "through 2032" on 2032-12-31, so the answers may change on
** 2031-01-01 and 2033-01-01. No clause compares the date with anything else.
*/
static void shipped_segments_and_states(void **state) {
  (void)state;
  pactum_agreement *agr = load_shipped();
  space sp;
  const pactum_agreement *one[1] = {agr};
  assert_int_equal(space_init(&sp, one, 1), 0);
  assert_int_equal(sp.ndays, 3);
  assert_int_equal(sp.days[0], day("2025-10-28"));
  assert_int_equal(sp.days[1], day("2031-01-01"));
  assert_int_equal(sp.days[2], day("2033-01-01"));
  /* agi: none, then declared (agi_declared, which `declaration` names), then verified or back to
     none by a panel_verdict naming it (verified comes first among the enum's members). The
     declaration is the first event of each witness: seq 1. */
  assert_int_equal(sp.nstates, 4);
  static const char *const want[] = {"agi = none, declaration = none", "agi = declared, declaration = seq 1",
                                     "agi = verified, declaration = seq 1", "agi = none, declaration = seq 1"};
  buf b;
  buf_init(&b);
  for (int i = 0; i < 4; i++) {
    b.len = 0;
    space_state_text(&sp, 0, i, &b);
    assert_string_equal(b.data, want[i]);
  }
  buf_release(&b);
  /* serve_api's cloud is compared only with "azure": two classes, "azure" and any other. */
  int g = space_find_group(&sp, "openai", "serve_api");
  assert_true(g >= 0);
  const space_group *gr = &sp.groups[g];
  int found = 0;
  for (int j = 0; j < gr->nattrs; j++)
    if (!strcmp(gr->attrs[j].qname, "context.cloud")) {
      found = 1;
      assert_int_equal(gr->attrs[j].vals.n, 2);
      assert_string_equal(gr->attrs[j].vals.v[0], "\"azure\"");
      assert_string_equal(gr->attrs[j].vals.v[1], "\"other\"");
    }
  assert_true(found);
  assert_int_equal(space_find_group(&sp, "microsoft", "serve_api"), -1);
  assert_false(sp.incomplete);
  space_release(&sp);
  pactum_agreement_free(agr);
}

/* An integer compared with 10 takes its default, 1, then 9, 10 and 11. */
static void integer_representatives(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok("agreement \"t\" { version \"1\" effective 2026-01-01 }\n"
                                       "party p\nsource s official \"x\"\n"
                                       "action a by p { context seats: integer = 1 }\n"
                                       "prohibition small { principal p action a when context.seats < 10 quote s \"x\" }\n");
  space sp;
  const pactum_agreement *one[1] = {agr};
  assert_int_equal(space_init(&sp, one, 1), 0);
  const space_group *gr = &sp.groups[space_find_group(&sp, "p", "a")];
  assert_int_equal(gr->nattrs, 1);
  assert_int_equal(gr->attrs[0].vals.n, 4);
  assert_string_equal(gr->attrs[0].vals.v[0], "1");
  assert_string_equal(gr->attrs[0].vals.v[1], "9");
  assert_string_equal(gr->attrs[0].vals.v[2], "10");
  assert_string_equal(gr->attrs[0].vals.v[3], "11");
  space_release(&sp);
  pactum_agreement_free(agr);
}

/* Replay each point from its printed request and events: the decision must be the same. */
static int replay(space *sp, const space_point *pt, void *user) {
  int *n = user;
  const pactum_agreement *agr = sp->agr[0];
  buf r, e;
  buf_init(&r);
  buf_init(&e);
  space_request_json(sp, pt, &r);
  space_events_json(sp, pt->state, &e);
  pactum_timeline *tl = pactum_timeline_new(agr);
  json_error_t je;
  json_t *events = json_loads(e.data, 0, &je);
  assert_non_null(events);
  size_t i;
  json_t *ev;
  json_array_foreach(events, i, ev) {
    char *s = json_dumps(ev, JSON_COMPACT);
    pactum_error err;
    assert_int_equal(pactum_timeline_append_json(tl, s, strlen(s), &err), PACTUM_OK);
    free(s);
  }
  json_decref(events);
  pactum_request *req = pactum_request_new(agr);
  pactum_decision *dec = pactum_decision_new(agr);
  pactum_error err;
  assert_int_equal(pactum_request_parse_json(req, r.data, r.len, PACTUM_NO_DAY, &err), PACTUM_OK);
  assert_int_equal(pactum_decide(agr, tl, req, dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(dec), pactum_decision_outcome(pt->dec[0]));
  assert_int_equal(pactum_decision_determining_count(dec), pactum_decision_determining_count(pt->dec[0]));
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
  buf_release(&r);
  buf_release(&e);
  (*n)++;
  return 0;
}

static void points_replay(void **state) {
  (void)state;
  pactum_agreement *agr = load_shipped();
  space sp;
  const pactum_agreement *one[1] = {agr};
  assert_int_equal(space_init(&sp, one, 1), 0);
  int n = 0;
  for (int g = 0; g < sp.ngroups; g++) assert_int_equal(space_walk(&sp, g, replay, &n), 0);
  /* 141 requests and segments in each of the 4 states: 129, and 12 for the 4 principal-action
     pairs without attributes added by the review (OpenAI's revenue share, build_capacity, and
     develop_supercomputing for each party), each in the 3 date segments. */
  assert_int_equal(n, 564);
  space_release(&sp);
  pactum_agreement_free(agr);
}

/* For every N, fail the Nth allocation and all later ones: verify and diff fail cleanly. */
static void allocation_failures(void **state) {
  (void)state;
  pactum_agreement *agr = load_shipped();
  for (int which = 0; which < 3; which++) {
    long total = 0;
    for (long n = 1;; n++) {
      buf out;
      buf_init(&out);
      px_alloc_reset_count();
      px_alloc_fail_after(n);
      int rc, k = 0, r = 0;
      if (which == 0) {
        rc = verify_report(agr, "t", 0, &out, &k);
      } else if (which == 1) {
        diff_input in = {agr, agr, "a", "b", 0, NULL, 0, NULL, NULL, 0};
        rc = diff_report(&in, 1, &out, &k, &r);
      } else {
        rc = verify_query(agr, VQ_CAN, "openai", "serve_api", 0, NULL, 0, &out, &k);
      }
      px_alloc_fail_after(0);
      buf_release(&out);
      if (rc == 0) {
        total = n;
        break;
      }
      assert_int_equal(rc, -1);
      assert_true(n < 100000);
    }
    assert_true(total > 1);
  }
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shipped_segments_and_states),
      cmocka_unit_test(integer_representatives),
      cmocka_unit_test(points_replay),
      cmocka_unit_test(allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
