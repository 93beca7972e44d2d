/*
** test_term.c: the agreement's term and a body's mixed quorum (src/term.c, src/body.c): the
** term's date arithmetic, clauses bounded by the term, termination, renewal with and without a
** timely notice, surviving clauses, and the quorum with group requirements.
**
** Expected days are worked out by hand in the comments, never read from the program:
**  - 2028-12-31 minus 90 days: October keeps 29 days after the 2nd, November 30, December 31, and
**    29 + 30 + 31 = 90, so 2028-10-02.
**  - 2026-12-31 minus 60 days: November keeps 29 days after the 1st, December 31: 2026-11-01.
**  - months keep the day of the month, cut to the month's last day: 2027-01-31 + 1 month =
**    2027-02-28; 2028 is a leap year, so 2028-01-31 + 1 month = 2028-02-29.
*/
#include "unit.h"
#include "agreement.h"
#include "body.h"
#include "date.h"
#include "term.h"

#include <jansson.h>

static int32_t D(int y, int m, int d) { return date_from_ymd(y, m, d); }

static void test_date_add(void **state) {
  (void)state;
  assert_int_equal(term_date_add(D(2027, 1, 31), 1, TU_MONTH), D(2027, 2, 28));
  assert_int_equal(term_date_add(D(2028, 1, 31), 1, TU_MONTH), D(2028, 2, 29));
  assert_int_equal(term_date_add(D(2027, 1, 31), 2, TU_MONTH), D(2027, 3, 31));
  assert_int_equal(term_date_add(D(2028, 2, 29), 1, TU_YEAR), D(2029, 2, 28));
  assert_int_equal(term_date_add(D(2028, 2, 29), 4, TU_YEAR), D(2032, 2, 29));
  assert_int_equal(term_date_add(D(2028, 12, 31), -90, TU_DAY), D(2028, 10, 2));
  assert_int_equal(term_date_add(D(2028, 12, 31), -3, TU_MONTH), D(2028, 9, 30));
  assert_int_equal(term_date_add(D(2027, 3, 31), -1, TU_MONTH), D(2027, 2, 28));
  assert_int_equal(term_date_add(D(2026, 1, 1), 2, TU_WEEK), D(2026, 1, 15));
  assert_int_equal(term_date_add(D(2026, 11, 15), 3, TU_MONTH), D(2027, 2, 15)); /* across a year */
  assert_int_equal(term_date_add(D(9999, 12, 31), 1, TU_DAY), DAY_MAX);
  assert_int_equal(term_date_add(D(9999, 12, 1), 1, TU_MONTH), DAY_MAX);
  assert_int_equal(term_date_add(D(1, 1, 1), -1, TU_DAY), DAY_MIN);
  assert_int_equal(term_date_add(D(1, 1, 31), -1, TU_MONTH), DAY_MIN);
}

/* Two clauses, one of which survives; the term ends 2026-12-31 and renews yearly on 60 days' notice. */
static const char term_src[] =
    "agreement \"t\" { version \"1\" effective 2025-01-01 }\n"
    "party a\n"
    "event ended { why: string }\n"
    "event notice { why: string }\n"
    "term { from 2025-03-01 until 2026-12-31 terminated by ended\n"
    "       renews every 1 year unless notice notice 60 days before quote doc \"x\" }\n"
    "action act by a\n"
    "action keep by a\n"
    "permission p { principal a action act from 2025-01-15 quote doc \"x\" }\n"
    "prohibition s { principal a action keep survives quote doc \"x\" }\n"
    "source doc official \"doc.txt\"\n";

/* Whether clause i is in effect on day after the events lines (one JSON event each, NULL-ended). */
static int in_effect_after(const pactum_agreement *agr, const char *const *lines, int32_t day, int i) {
  pactum_timeline *tl = pactum_timeline_new(agr);
  assert_non_null(tl);
  for (int k = 0; lines && lines[k]; k++) {
    pactum_error err;
    memset(&err, 0, sizeof err);
    json_t *root = json_loads(lines[k], 0, NULL);
    assert_non_null(root);
    assert_int_equal(timeline_append(tl, root, NULL, &err), PACTUM_OK);
    json_decref(root);
  }
  int64_t row[8];
  timeline_at(agr, tl, day, row);
  int on = clause_in_effect(agr, &agr->clauses[i], row, day);
  pactum_timeline_free(tl);
  return on;
}

static void test_term_window(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(term_src);
  assert_true(agr->term.present);
  assert_int_equal(agr->term.slot, 0);
  /* The term starts 2025-03-01, later than the clause's own from. */
  assert_false(in_effect_after(agr, NULL, D(2025, 2, 28), 0));
  assert_true(in_effect_after(agr, NULL, D(2025, 3, 1), 0));
  /* No notice: the term renews, and goes on past its first end. */
  assert_true(in_effect_after(agr, NULL, D(2026, 12, 31), 0));
  assert_true(in_effect_after(agr, NULL, D(2027, 1, 1), 0));
  assert_true(in_effect_after(agr, NULL, D(2031, 6, 1), 0));
  /* Notice on the deadline 2026-11-01: the term ends 2026-12-31; the clause stops the day after. */
  const char *timely[] = {"{\"type\":\"notice\",\"date\":\"2026-11-01\",\"why\":\"w\"}", NULL};
  assert_true(in_effect_after(agr, timely, D(2026, 12, 31), 0));
  assert_false(in_effect_after(agr, timely, D(2027, 1, 1), 0));
  assert_true(in_effect_after(agr, timely, D(2027, 1, 1), 1)); /* it survives */
  /* A day late: the deadline of the second period, 2027-12-31 - 60 days = 2027-11-01, is met. */
  const char *late[] = {"{\"type\":\"notice\",\"date\":\"2026-11-02\",\"why\":\"w\"}", NULL};
  assert_true(in_effect_after(agr, late, D(2027, 12, 31), 0));
  assert_false(in_effect_after(agr, late, D(2028, 1, 1), 0));
  /* Termination on 2026-05-05: not in effect that day; a later notice does not bring it back. */
  const char *ended[] = {"{\"type\":\"ended\",\"date\":\"2026-05-05\",\"why\":\"w\"}",
                         "{\"type\":\"notice\",\"date\":\"2026-06-01\",\"why\":\"w\"}", NULL};
  assert_true(in_effect_after(agr, ended, D(2026, 5, 4), 0));
  assert_false(in_effect_after(agr, ended, D(2026, 5, 5), 0));
  assert_false(in_effect_after(agr, ended, D(2026, 12, 31), 0));
  assert_true(in_effect_after(agr, ended, D(2030, 1, 1), 1));
  /* A notice, then termination before the notice's end: termination wins, being earlier. */
  const char *both[] = {"{\"type\":\"notice\",\"date\":\"2026-01-10\",\"why\":\"w\"}",
                        "{\"type\":\"ended\",\"date\":\"2026-02-01\",\"why\":\"w\"}", NULL};
  assert_true(in_effect_after(agr, both, D(2026, 1, 31), 0));
  assert_false(in_effect_after(agr, both, D(2026, 2, 1), 0));
  pactum_agreement_free(agr);
}

/* A term without renewal or termination: only dates, compiled into from and through. */
static void test_term_dates_only(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(
      "agreement \"t\" { version \"1\" effective 2025-01-01 }\nparty a\naction act by a\n"
      "term { until 2025-06-30 quote doc \"x\" }\n"
      "permission p { principal a action act through 2026 quote doc \"x\" }\n"
      "source doc official \"doc.txt\"\n");
  assert_int_equal(agr->term.slot, -1);
  assert_int_equal(agr->nstates, 0);
  assert_int_equal(agr->clauses[0].from, D(2025, 1, 1));
  assert_int_equal(agr->clauses[0].through, D(2025, 6, 30));
  pactum_agreement_free(agr);
}

/*
** Periods of a month from 2027-01-31 are anchored there: the first period ends 2027-01-30, the
** next 2027-02-27 (2027-01-31 + 1 month = 02-28, less a day), the third 2027-03-30 (2027-01-31 +
** 2 months = 03-31, less a day), not 03-27 as adding a month to each end in turn would give.
*/
static void test_monthly_renewal_anchored(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(
      "agreement \"t\" { version \"1\" effective 2027-01-01 }\nparty a\naction act by a\nevent notice { why: string }\n"
      "term { until 2027-01-30 renews every 1 month unless notice notice 0 days before quote doc \"x\" }\n"
      "permission p { principal a action act quote doc \"x\" }\n"
      "source doc official \"doc.txt\"\n");
  assert_int_equal(term_notice_ends(agr, D(2027, 1, 30)), D(2027, 1, 31));
  assert_int_equal(term_notice_ends(agr, D(2027, 1, 31)), D(2027, 2, 28));
  assert_int_equal(term_notice_ends(agr, D(2027, 2, 27)), D(2027, 2, 28));
  assert_int_equal(term_notice_ends(agr, D(2027, 3, 1)), D(2027, 3, 31));
  pactum_agreement_free(agr);
}

/* A panel of three members from each side; a quorum of 3 including 1 from each side. */
static const char body_src[] =
    "agreement \"b\" { version \"1\" effective 2025-01-01 }\n"
    "party a\n"
    "body panel { members m1, m2, m3, o1, o2, o3\n"
    "  groups { ms: m1, m2, m3  oa: o1, o2, o3 }\n"
    "  quorum 3 including 1 from ms, 1 from oa }\n";

static void test_mixed_quorum(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(body_src);
  const cbody *b = &agr->bodies[0];
  uint64_t bit = (uint64_t)1 << 1; /* party a is bit 0, the panel bit 1 */
  const char *one_side[] = {"panel.m1", "panel.m2", "panel.m3"};
  const char *mixed[] = {"panel.m1", "panel.m2", "panel.o3"};
  const char *twice[] = {"panel.m1", "panel.m1", "panel.o1"};
  const char *all[] = {"panel.o1", "panel.o2", "panel.o3", "panel.m3"};
  assert_int_equal(timeline_recorders(agr, one_side, 3) & bit, 0);
  assert_int_equal(timeline_recorders(agr, mixed, 3) & bit, bit);
  assert_int_equal(timeline_recorders(agr, twice, 3) & bit, 0); /* two distinct members */
  assert_int_equal(timeline_recorders(agr, all, 4) & bit, bit);
  int ms[] = {0, 1, 2}, mix[] = {0, 4, 1}, have = -1;
  assert_false(body_quorum_met(b, ms, 3));
  assert_int_equal(body_quorum_unmet(b, ms, 3, &have), 1);
  assert_int_equal(have, 0);
  assert_true(body_quorum_met(b, mix, 3));
  int ex[6];
  int n = body_quorum_example(b, ex);
  assert_int_equal(n, 3);
  assert_true(body_quorum_met(b, ex, n));
  char text[BODY_TEXT_MAX];
  body_quorum_text(b, text, sizeof text);
  assert_string_equal(text, "3 of the 6 members of 'panel', including 1 from ms and 1 from oa");
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_add),
      cmocka_unit_test(test_term_window),
      cmocka_unit_test(test_term_dates_only),
      cmocka_unit_test(test_monthly_renewal_anchored),
      cmocka_unit_test(test_mixed_quorum),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
