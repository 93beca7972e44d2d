/*
** test_alloc.c: allocation-failure injection (src/alloc.h). For every N from 1 to the number of
** allocations a full run makes, the Nth allocation and all later ones fail; the run (load the
** shipped agreement, fold two events, parse a request, decide, explain, status) must end in
** success or a clean PACTUM_ENOMEM / NULL, never a crash, a wrong error or (under ASan) a leak.
** jansson allocates with its own malloc and is not injected.
*/
#include "unit.h"
#include "alloc.h"

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"

static const char *const events[2] = {
    "{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"openai\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2029-02-01\",\"amount_usd\":5000000000}",
};
/* On 2029-03-01 a declaration is pending but not verified, so the Azure exclusivity is in
   effect and applies to "aws"; the national-security permission is an exception to it. */
static const char request[] =
    "{\"id\":\"q1\",\"principal\":\"openai\",\"action\":\"serve_api\","
    "\"context\":{\"date\":\"2029-03-01\",\"cloud\":\"aws\",\"customer_segment\":\"us_gov_national_security\"}}";
static const char expected[] =
    "{\"decision\":\"allow\",\"determining\":[{\"clause\":\"national_security_any_cloud\"";

/* Problems, grouped by what went wrong: how many runs, and the first and last N. */
static struct {
  const char *what;
  int rc;
  long first, last, count;
} problems[16];
static size_t nkinds, nproblems;

static void problem(long n, const char *what, int rc) {
  nproblems++;
  for (size_t i = 0; i < nkinds; i++)
    if (problems[i].rc == rc && strcmp(problems[i].what, what) == 0) {
      problems[i].last = n;
      problems[i].count++;
      return;
    }
  if (nkinds < sizeof problems / sizeof problems[0]) {
    problems[nkinds].what = what;
    problems[nkinds].rc = rc;
    problems[nkinds].first = problems[nkinds].last = n;
    problems[nkinds++].count = 1;
  }
}

static const char *report(void) {
  static char out[2048];
  size_t o = 0;
  out[0] = '\0';
  for (size_t i = 0; i < nkinds && o < sizeof out; i++)
    o += (size_t)snprintf(out + o, sizeof out - o, "  %s returned %d: %ld run(s), failing from allocation %ld .. %ld\n",
                          problems[i].what, problems[i].rc, problems[i].count, problems[i].first, problems[i].last);
  return out;
}

/* One full run; returns 1 if every step succeeded. Steps may fail only with PACTUM_ENOMEM/NULL. */
static int run(long n) {
  int complete = 0;
  pactum_agreement *agr = (pactum_agreement *)1;
  char *diag = NULL;
  pactum_timeline *tl = NULL;
  pactum_request *req = NULL;
  pactum_decision *dec = NULL;
  int rc = pactum_agreement_load_file(SHIPPED, &agr, &diag);
  pactum_string_free(diag);
  if (rc != PACTUM_OK) {
    if (rc != PACTUM_ENOMEM) problem(n, "pactum_agreement_load_file", rc);
    if (agr) problem(n, "pactum_agreement_load_file left *out set", rc);
    return 0;
  }
  if (!(tl = pactum_timeline_new(agr))) goto out;
  pactum_error err;
  for (int i = 0; i < 2; i++) {
    rc = pactum_timeline_append_json(tl, events[i], strlen(events[i]), &err);
    if (rc != PACTUM_OK) {
      if (rc != PACTUM_ENOMEM) problem(n, "pactum_timeline_append_json", rc);
      if (pactum_timeline_count(tl) != (size_t)i) problem(n, "a failed append changed the timeline", rc);
      goto out;
    }
  }
  if (!(req = pactum_request_new(agr))) goto out;
  if (!(dec = pactum_decision_new(agr))) goto out;
  memset(&err, 0xAA, sizeof err);
  rc = pactum_request_parse_json(req, request, sizeof request - 1, PACTUM_NO_DAY, &err);
  if (rc != PACTUM_OK) {
    if (rc != PACTUM_ENOMEM) problem(n, "pactum_request_parse_json", rc);
    /* On failure *err says what was wrong. */
    if (!memchr(err.code, '\0', sizeof err.code) || !err.code[0] || (unsigned char)err.code[0] == 0xAA)
      problem(n, "pactum_request_parse_json left err unset", rc);
    /* The request is left unusable until refilled. */
    int drc = pactum_decide(agr, tl, req, dec);
    if (drc != PACTUM_EINPUT) problem(n, "pactum_decide after a failed parse", drc);
    goto out;
  }
  rc = pactum_decide(agr, tl, req, dec);
  if (rc != PACTUM_OK) {
    problem(n, "pactum_decide", rc);
    goto out;
  }
  char js[2048];
  size_t len = pactum_decision_to_json(dec, js, sizeof js);
  if (len >= sizeof js || strncmp(js, expected, sizeof expected - 1) != 0) problem(n, "the decision", (int)len);
  char *ex = pactum_explain(agr, tl, req, 1);
  char *et = ex ? pactum_explain(agr, tl, req, 0) : NULL;
  char *st = et ? pactum_status_json(agr, tl, 20000) : NULL;
  complete = ex && et && st;
  pactum_string_free(ex);
  pactum_string_free(et);
  pactum_string_free(st);
out:
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
  return complete;
}

static void test_every_allocation_fails_cleanly(void **state) {
  (void)state;
  px_alloc_fail_after(0);
  assert_int_equal(run(0), 1);
  assert_int_equal(nproblems, 0);
  long total = px_alloc_count();
  assert_true(total > 10);
  for (long n = 1; n <= total + 1; n++) {
    px_alloc_fail_after(n);
    int complete = run(n);
    px_alloc_fail_after(0);
    /* Failing from the last allocation on still fails the run; one past it changes nothing. */
    if (n == total + 1 && !complete) problem(n, "a run with no failed allocation", 0);
  }
  /* Nothing was left broken: a clean run still works. */
  assert_int_equal(run(0), 1);
  if (nproblems) fail_msg("%zu problems in %ld runs (a full run makes %ld allocations):\n%s", nproblems, total + 1,
                          total, report());
}

static void test_request_recovers_after_oom(void **state) {
  (void)state;
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  assert_int_equal(pactum_agreement_load_file(SHIPPED, &agr, &diag), PACTUM_OK);
  pactum_request *req = pactum_request_new(agr);
  assert_non_null(req);
  pactum_error err;
  /* "aws" is a string the agreement never names, so the request stores it. */
  px_alloc_fail_after(1);
  int rc = pactum_request_parse_json(req, request, sizeof request - 1, PACTUM_NO_DAY, &err);
  px_alloc_fail_after(0);
  /* Once memory is available again the same request object works. */
  int rc2 = pactum_request_parse_json(req, request, sizeof request - 1, PACTUM_NO_DAY, &err);
  pactum_request_free(req);
  pactum_agreement_free(agr);
  assert_int_equal(rc, PACTUM_ENOMEM);
  assert_int_equal(rc2, PACTUM_OK);
}

static void test_timeline_growth_failure(void **state) {
  (void)state;
  pactum_agreement *agr = NULL;
  assert_int_equal(pactum_agreement_load_file(SHIPPED, &agr, NULL), PACTUM_OK);
  /* Appending past the initial capacity grows the timeline; make each growth fail once. */
  pactum_timeline *tl = pactum_timeline_new(agr);
  assert_non_null(tl);
  pactum_error err;
  char js[128];
  int failures = 0;
  for (int i = 0; i < 40; i++) {
    snprintf(js, sizeof js, "{\"type\":\"azure_purchase\",\"date\":\"2030-01-%02d\",\"amount_usd\":1}", i % 28 + 1);
    if (i >= 28) snprintf(js, sizeof js, "{\"type\":\"azure_purchase\",\"date\":\"2030-02-%02d\",\"amount_usd\":1}", i - 27);
    size_t before = pactum_timeline_count(tl);
    px_alloc_fail_after(1);
    int rc = pactum_timeline_append_json(tl, js, strlen(js), &err);
    px_alloc_fail_after(0);
    if (rc == PACTUM_ENOMEM) {
      failures++;
      assert_string_equal(err.code, "out_of_memory");
      assert_int_equal(pactum_timeline_count(tl), before);
      rc = pactum_timeline_append_json(tl, js, strlen(js), &err);
    }
    assert_int_equal(rc, PACTUM_OK);
    assert_int_equal(pactum_timeline_count(tl), before + 1);
  }
  assert_true(failures >= 1);
  /* 40 purchases of $1. */
  char *st = pactum_status_json(agr, tl, 30000);
  assert_non_null(st);
  assert_non_null(strstr(st, "\"fulfilled\":40,"));
  pactum_string_free(st);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_cleanly),
      cmocka_unit_test(test_request_recovers_after_oom),
      cmocka_unit_test(test_timeline_growth_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
