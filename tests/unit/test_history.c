/*
** test_history.c: unit tests of history.c over the shipped manifest,
** agreements/microsoft-openai.history: the version in effect on a day (at the boundaries),
** picking a request's version, valid_until stopping at the next version, and loading under
** every allocation failure.
*/
#include "unit.h"

#include "../../src/alloc.h"
#include "../../src/date.h"
#include "../../src/history.h"

#define MANIFEST PACTUM_SOURCE_DIR "/agreements/microsoft-openai.history"

static int32_t day_of(const char *s) {
  int32_t d = 0;
  assert_int_equal(date_parse(s, strlen(s), &d), 0);
  return d;
}

static history *load_ok(void) {
  history *h = NULL;
  char *diag = NULL;
  int rc = history_load(MANIFEST, &h, &diag);
  if (rc != PACTUM_OK) {
    print_error("history_load failed (rc %d):\n%s\n", rc, diag ? diag : "(no diagnostics)");
    fail();
  }
  assert_null(diag);
  return h;
}

/* The chain of partnership-history.md: 2019-07-22, 2023-01-23, 2025-01-21, 2025-10-28, 2026-04-27. */
static void test_versions_in_order(void **state) {
  (void)state;
  history *h = load_ok();
  static const char *const want[] = {"2019-07-22", "2023-01-23", "2025-01-21", "2025-10-28", "2026-04-27"};
  assert_int_equal(h->n, 5);
  assert_string_equal(h->id, "microsoft-openai");
  for (int i = 0; i < 5; i++) {
    assert_string_equal(h->v[i].version, want[i]);
    assert_int_equal(h->v[i].effective, day_of(want[i]));
    assert_string_equal(h->v[i].agr->version, want[i]);
  }
  history_free(h);
}

static void test_version_at_boundaries(void **state) {
  (void)state;
  history *h = load_ok();
  assert_int_equal(history_at(h, day_of("0001-01-01")), -1);
  assert_int_equal(history_at(h, day_of("2019-07-21")), -1);
  assert_int_equal(history_at(h, day_of("2019-07-22")), 0);
  assert_int_equal(history_at(h, day_of("2023-01-22")), 0);
  assert_int_equal(history_at(h, day_of("2023-01-23")), 1);
  assert_int_equal(history_at(h, day_of("2025-01-20")), 1);
  assert_int_equal(history_at(h, day_of("2025-01-21")), 2);
  assert_int_equal(history_at(h, day_of("2025-10-27")), 2);
  assert_int_equal(history_at(h, day_of("2025-10-28")), 3);
  assert_int_equal(history_at(h, day_of("2026-04-26")), 3);
  assert_int_equal(history_at(h, day_of("2026-04-27")), 4);
  assert_int_equal(history_at(h, day_of("9999-12-31")), 4);
  assert_int_equal(history_until(h, 0), day_of("2023-01-23"));
  assert_int_equal(history_until(h, 4), INT32_MAX);
  history_free(h);
}

static void test_pick_and_decide(void **state) {
  (void)state;
  history *h = load_ok();
  pactum_request *reqs[5];
  pactum_timeline *tls[5];
  for (int i = 0; i < 5; i++) {
    reqs[i] = pactum_request_new(h->v[i].agr);
    tls[i] = pactum_timeline_new(h->v[i].agr);
    assert_non_null(reqs[i]);
    assert_non_null(tls[i]);
  }
  pactum_error err;
  int k = -7;
  /* Dated: the 2023 version; "Azure is the exclusive cloud provider for all OpenAI workloads". */
  static const char r2024[] = "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"date\":\"2024-03-01\",\"cloud\":\"aws\"}}";
  assert_int_equal(history_pick_request(h, reqs, r2024, sizeof r2024 - 1, PACTUM_NO_DAY, &k, &err), PACTUM_OK);
  assert_int_equal(k, 1);
  pactum_decision *dec = pactum_decision_new(h->v[1].agr);
  assert_non_null(dec);
  assert_int_equal(history_decide(h, 1, tls[1], reqs[1], dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(dec), PACTUM_DENY);
  char out[4096];
  pactum_decision_to_json(dec, out, sizeof out);
  /* The 2023 exclusivity has no end date: the answer holds until the 2025-01-21 version. */
  assert_non_null(strstr(out, "\"valid_until\":{\"date\":\"2025-01-21\"}"));
  assert_non_null(strstr(out, "\"version\":\"2023-01-23\""));
  pactum_decision_free(dec);
  /* Undated: the default day picks the version. */
  static const char undated[] = "{\"principal\":\"openai\",\"action\":\"serve_api\"}";
  assert_int_equal(history_pick_request(h, reqs, undated, sizeof undated - 1, day_of("2026-01-01"), &k, &err), PACTUM_OK);
  assert_int_equal(k, 3);
  /* Undated with no default: the latest version reports the missing date. */
  assert_int_equal(history_pick_request(h, reqs, undated, sizeof undated - 1, PACTUM_NO_DAY, &k, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "missing_date");
  assert_non_null(strstr(err.message, "(version 2026-04-27)"));
  /* Before the first version. */
  static const char early[] = "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"date\":\"2019-07-21\"}}";
  assert_int_equal(history_pick_request(h, reqs, early, sizeof early - 1, PACTUM_NO_DAY, &k, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "no_version");
  /* A date that is not one is refused by the request's own check. */
  static const char baddate[] = "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"date\":\"2024-02-30\"}}";
  assert_int_equal(history_pick_request(h, reqs, baddate, sizeof baddate - 1, PACTUM_NO_DAY, &k, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_date");
  static const char notjson[] = "{\"principal\":";
  assert_int_equal(history_pick_request(h, reqs, notjson, sizeof notjson - 1, PACTUM_NO_DAY, &k, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_json");
  /* Events go to every version that declares their type, and only there. */
  static const char ev[] = "{\"type\":\"agi_declared\",\"date\":\"2026-02-01\",\"by\":\"openai\"}";
  assert_int_equal(history_append_event(h, tls, ev, sizeof ev - 1, 1, &k, &err), PACTUM_OK);
  assert_int_equal(pactum_timeline_count(tls[0]), 0);
  assert_int_equal(pactum_timeline_count(tls[2]), 0);
  assert_int_equal(pactum_timeline_count(tls[3]), 1);
  assert_int_equal(pactum_timeline_count(tls[4]), 1);
  static const char unknown[] = "{\"type\":\"merger\",\"date\":\"2026-03-01\"}";
  assert_int_equal(history_append_event(h, tls, unknown, sizeof unknown - 1, 2, &k, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_event");
  for (int i = 0; i < 5; i++) {
    pactum_request_free(reqs[i]);
    pactum_timeline_free(tls[i]);
  }
  history_free(h);
}

/* Every allocation of a load may fail: the load then ends in PACTUM_ENOMEM and leaks nothing. */
static void test_load_under_allocation_failure(void **state) {
  (void)state;
  px_alloc_reset_count();
  history_free(load_ok());
  long total = px_alloc_count();
  assert_true(total > 5);
  for (long n = 1; n <= total; n++) {
    history *h = (history *)1;
    char *diag = NULL;
    px_alloc_fail_after(n);
    int rc = history_load(MANIFEST, &h, &diag);
    px_alloc_fail_after(0);
    pactum_string_free(diag);
    if (rc == PACTUM_OK) {
      history_free(h);
      continue;
    }
    if (rc != PACTUM_ENOMEM) fail_msg("allocation %ld failed: rc %d, expected PACTUM_ENOMEM", n, rc);
    assert_null(h);
  }
  history_free(load_ok());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_versions_in_order),
      cmocka_unit_test(test_version_at_boundaries),
      cmocka_unit_test(test_pick_and_decide),
      cmocka_unit_test(test_load_under_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
