/*
** test_alloc.c: allocation-failure injection (src/alloc.h). For every N from 1 to the number of
** allocations a full run makes, the Nth allocation and all later ones fail; the run (load the
** shipped agreement, fold two events, parse a request, decide, explain, status) must end in
** success or a clean PACTUM_ENOMEM / NULL, never a crash, a wrong error or (under ASan) a leak.
** jansson's allocations go through the hook too (px_alloc_init), so they fail as well.
**
** The same for an event append through the record (record.c, store.c): with SQLite's
** allocations routed through the hook too (in this test only), for every N the Nth allocation
** of opening the record and adding a batch fails; the add must succeed or fail cleanly, and the
** store must then hold exactly what it held before (or the whole batch), with its chain intact.
*/
#include "unit.h"
#include "alloc.h"
#include "audit.h"
#include "record.h"

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

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
  print_message("load, fold, decide, explain, status: a clean run makes %ld allocations; %ld runs, the Nth failing\n",
                total, total + 1);
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

/* SQLite's allocator, through the hook: a 16-byte header keeps each block's size. */
static void *sq_malloc(int n) {
  size_t *p = px_malloc((size_t)n + 16);
  if (!p) return NULL;
  p[0] = (size_t)n;
  return (char *)p + 16;
}
static void sq_free(void *p) {
  if (p) px_free((char *)p - 16);
}
static void *sq_realloc(void *p, int n) {
  if (!p) return sq_malloc(n);
  size_t *q = px_realloc((char *)p - 16, (size_t)n + 16);
  if (!q) return NULL;
  q[0] = (size_t)n;
  return (char *)q + 16;
}
static int sq_size(void *p) { return p ? (int)*(size_t *)((char *)p - 16) : 0; }
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *ctx) {
  (void)ctx;
  return SQLITE_OK;
}
static void sq_shutdown(void *ctx) { (void)ctx; }

/* The batch each run appends: a purchase, the declaration, a second purchase. */
static const char *const batch[3] = {
    "{\"type\":\"azure_purchase\",\"date\":\"2029-01-10\",\"amount_usd\":1000}",
    "{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"openai\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2029-02-01\",\"amount_usd\":2000}",
};

/* The store's events chain: its record count, and whether it verifies from genesis. */
static int64_t store_state(const char *path, const pactum_agreement *agr, int *verifies) {
  store *st = NULL;
  pactum_error err;
  *verifies = 0;
  if (store_open(path, 0, &st, &err)) return -1;
  uint8_t genesis[HASH_BYTES];
  canon_agreement_hash(agr->src, agr->src_len, genesis);
  audit_result res;
  int64_t n = -1;
  if (!audit_verify(st, CHAIN_EVENTS, genesis, NULL, &res, &err)) {
    *verifies = res.ok;
    n = res.records;
  }
  int64_t max = -2;
  if (store_max_seq(st, CHAIN_EVENTS, &max, &err) || max != n) n = -1;
  store_close(st);
  return n;
}

/*
** One run: open the record at path and add the batch, with the Nth allocation failing (n 0:
** none). Returns 1 if the batch was added. Checks the store afterwards against `before`.
*/
static int append_run(long n, const pactum_agreement *agr, const char *path, int64_t before, const sign_key *signers,
                      int nsigners, long *used) {
  size_t lens[3];
  for (int i = 0; i < 3; i++) lens[i] = strlen(batch[i]);
  record *r = (record *)1;
  pactum_error err;
  memset(&err, 0, sizeof err);
  size_t bad = 0;
  int64_t first = 0, last = 0;
  px_alloc_fail_after(n);
  int rc = record_open(agr, path, 0, NULL, &r, &err);
  int opened = rc == PACTUM_OK;
  if (opened) rc = record_add(r, batch, lens, 3, signers, nsigners, NULL, &bad, &first, &last, &err);
  *used = px_alloc_count();
  px_alloc_fail_after(0);
  if (!opened && r) problem(n, "record_open left *out set", rc);
  if (rc != PACTUM_OK) {
    /* A clean failure: out of memory, or SQLite's own report of it. */
    int nomem = (rc == PACTUM_ENOMEM && strcmp(err.code, "out_of_memory") == 0) ||
                (rc == PACTUM_EIO && strcmp(err.code, "store") == 0 && strstr(err.message, "out of memory"));
    if (!nomem) {
      fprintf(stderr, "allocation %ld: rc %d [%s] %s\n", n, rc, err.code, err.message);
      problem(n, opened ? "record_add" : "record_open", rc);
    }
  } else if (first != before + 1 || last != before + 3) {
    problem(n, "record_add's first and last seqs", (int)first);
  }
  /* The record object is still usable after a failed add: the same batch goes in now. */
  int added = rc == PACTUM_OK;
  if (opened && !added) {
    int rc2 = record_add(r, batch, lens, 3, signers, nsigners, NULL, &bad, &first, &last, &err);
    if (rc2 != PACTUM_OK) {
      fprintf(stderr, "allocation %ld, retried without failures: rc %d [%s] %s\n", n, rc2, err.code, err.message);
      problem(n, "record_add retried after a failed add", rc2);
    } else {
      added = 2;
    }
  }
  if (opened) record_free(r);
  int verifies = 0;
  int64_t after = store_state(path, agr, &verifies);
  if (!verifies) problem(n, "the chain does not verify", (int)after);
  if (after != before + (added ? 3 : 0)) {
    fprintf(stderr, "allocation %ld: %lld records before, %lld after (added %d)\n", n, (long long)before,
            (long long)after, added);
    problem(n, "the store's record count", (int)after);
  }
  return added == 1;
}

static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  char b[8192];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(b, 1, sizeof b, in)) > 0) ok = fwrite(b, 1, n, out) == n;
  if (in) fclose(in);
  if (out && fclose(out)) ok = 0;
  return ok ? 0 : -1;
}

static void remove_store(const char *path) {
  char side[96];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

/*
** The append sweep. Unsigned: a store without signatures, whose stored events fold by the fast
** path. Signed: a store that requires signatures, holding openai's key (registered with the
** bootstrap key) and three earlier events signed by it; each run's batch is signed by openai's
** key inside record_add, and opening the record verifies every stored signature again.
*/
static void append_sweep(int signed_store) {
  pactum_agreement *agr = NULL;
  assert_int_equal(pactum_agreement_load_file(SHIPPED, &agr, NULL), PACTUM_OK);
  char dir[] = "/tmp/pactum_alloc_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char base[64], path[64];
  snprintf(base, sizeof base, "%s/base.db", dir);
  snprintf(path, sizeof path, "%s/record.db", dir);
  sign_key boot, openai;
  memset(&boot, 0, sizeof boot);
  memset(&openai, 0, sizeof openai);
  snprintf(boot.signer, sizeof boot.signer, "bootstrap");
  snprintf(openai.signer, sizeof openai.signer, "openai");
  assert_int_equal(crypto_sign_keypair(boot.pk, boot.sk), 0);
  assert_int_equal(crypto_sign_keypair(openai.pk, openai.sk), 0);
  boot.has_secret = openai.has_secret = 1;
  /* The store every run starts from: three earlier events in it, closed (its WAL folded in). */
  static const char *const earlier[3] = {
      "{\"type\":\"azure_purchase\",\"date\":\"2028-11-01\",\"amount_usd\":10}",
      "{\"type\":\"azure_purchase\",\"date\":\"2028-12-01\",\"amount_usd\":20}",
      "{\"type\":\"azure_purchase\",\"date\":\"2028-12-01\",\"amount_usd\":30}",
  };
  record *r = NULL;
  pactum_error err;
  const uint8_t(*boots)[SIGN_PK_BYTES] = (const uint8_t(*)[SIGN_PK_BYTES])boot.pk;
  record_init init = {signed_store, signed_store, signed_store ? boots : NULL, signed_store};
  assert_int_equal(record_open(agr, base, 1, &init, &r, &err), PACTUM_OK);
  size_t lens[3], bad;
  int64_t first, last, stored = 4; /* store_created and the three */
  if (signed_store) {
    char b64[64], reg[256];
    assert_int_equal(sign_b64_encode(openai.pk, SIGN_PK_BYTES, b64, sizeof b64), 0);
    snprintf(reg, sizeof reg, "{\"type\":\"key_registered\",\"date\":\"2028-10-01\",\"signer\":\"openai\",\"public_key\":\"%s\"}",
             b64);
    const char *regs[1] = {reg};
    size_t reglen = strlen(reg);
    sign_key both[2] = {boot, openai}; /* the bootstrap key, and the new key's own signature */
    if (record_add(r, regs, &reglen, 1, both, 2, NULL, &bad, &first, &last, &err) != PACTUM_OK)
      fail_msg("registering openai's key: [%s] %s", err.code, err.message);
    stored = 5;
  }
  for (int i = 0; i < 3; i++) lens[i] = strlen(earlier[i]);
  if (record_add(r, earlier, lens, 3, signed_store ? &openai : NULL, signed_store, NULL, &bad, &first, &last, &err) != PACTUM_OK)
    fail_msg("the earlier events: [%s] %s", err.code, err.message);
  record_free(r);
  int verifies = 0;
  assert_int_equal(store_state(base, agr, &verifies), stored);
  assert_true(verifies);
  nproblems = nkinds = 0;
  const sign_key *signers = signed_store ? &openai : NULL;
  long total = 0;
  remove_store(path);
  assert_int_equal(copy_file(base, path), 0);
  assert_int_equal(append_run(0, agr, path, stored, signers, signed_store, &total), 1);
  assert_true(total > 10);
  for (long n = 1; n <= total + 1; n++) {
    remove_store(path);
    assert_int_equal(copy_file(base, path), 0);
    long used = 0;
    int complete = append_run(n, agr, path, stored, signers, signed_store, &used);
    if (n == total + 1 && !complete) problem(n, "a run with no failed allocation", 0);
  }
  print_message("event append (%s): a clean open-and-add makes %ld allocations; %ld runs, the Nth failing\n",
                signed_store ? "signed" : "unsigned", total, total + 1);
  sodium_memzero(&boot, sizeof boot);
  sodium_memzero(&openai, sizeof openai);
  pactum_agreement_free(agr);
  remove_store(path);
  remove_store(base);
  rmdir(dir);
  if (nproblems) fail_msg("%zu problems in %ld runs:\n%s", nproblems, total + 1, report());
}

static void test_event_append_every_allocation_fails_cleanly(void **state) {
  (void)state;
  append_sweep(0);
}

static void test_signed_event_append_every_allocation_fails_cleanly(void **state) {
  (void)state;
  append_sweep(1);
}

int main(void) {
  px_alloc_init(); /* jansson's allocations are injected too */
  static const sqlite3_mem_methods mem = {sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL};
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK) {
    fprintf(stderr, "sqlite3_config refused the allocator\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_allocation_fails_cleanly),
      cmocka_unit_test(test_request_recovers_after_oom),
      cmocka_unit_test(test_timeline_growth_failure),
      cmocka_unit_test(test_event_append_every_allocation_fails_cleanly),
      cmocka_unit_test(test_signed_event_append_every_allocation_fails_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
