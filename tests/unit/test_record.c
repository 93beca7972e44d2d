/*
** test_record.c: the record layer (src/record.c) on a store in a temporary directory:
** record_open, record_add, record_begin/append/end, record_check and record_refresh.
**
** What is checked: a new store's first record is store_created with the settings given; a
** refused batch leaves the timeline's count, the keyring, the nonces seen, the settings and the
** tip (seq, hash and Merkle frontier) exactly as they were, and the store unwritten, whatever the
** batch had changed before the event that failed (a key registered, a nonce taken, a setting
** changed); record_check changes nothing; record_refresh folds what another connection appended,
** checking it, and does nothing when nothing changed. Expected counts and seqs are derived from
** the batches given; the signatures are made with libsodium keys generated here.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "canon.h"
#include "record.h"

#include <jansson.h>
#include <sodium.h>
#include <unistd.h>

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"

typedef struct fx {
  pactum_agreement *agr;
  char dir[64], path[128];
  sign_key boot, openai, microsoft;
  pactum_error err;
} fx;

static sign_key mkkey(const char *signer) {
  sign_key k;
  memset(&k, 0, sizeof k);
  snprintf(k.signer, sizeof k.signer, "%s", signer);
  assert_int_equal(crypto_sign_keypair(k.pk, k.sk), 0);
  k.has_secret = 1;
  return k;
}

static int setup(void **state) {
  if (sign_init() != 0) return -1;
  fx *f = calloc(1, sizeof *f);
  if (!f) return -1;
  char *diag = NULL;
  if (pactum_agreement_load_file(SHIPPED, &f->agr, &diag) != PACTUM_OK) {
    fprintf(stderr, "%s", diag ? diag : "load failed\n");
    pactum_string_free(diag);
    free(f);
    return -1;
  }
  snprintf(f->dir, sizeof f->dir, "/tmp/pactum_record_XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
  f->boot = mkkey("bootstrap");
  f->openai = mkkey("openai");
  f->microsoft = mkkey("microsoft");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  static const char *const suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    char p[160];
    snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
    unlink(p);
  }
  rmdir(f->dir);
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

/* Open (creating) the fixture's store with one bootstrap key and the given signature mode. */
static record *open_record(fx *f, int require_signatures) {
  const uint8_t(*keys)[SIGN_PK_BYTES] = (const uint8_t(*)[SIGN_PK_BYTES]) & f->boot.pk;
  record_init init = {require_signatures, 1, keys, 1};
  record *r = NULL;
  if (record_open(f->agr, f->path, 1, &init, &r, &f->err) != PACTUM_OK)
    fail_msg("record_open: %s [%s]", f->err.message, f->err.code);
  return r;
}

/* Add texts[0..n) with the signers given; must succeed with seqs first..last. */
static void add_ok(fx *f, record *r, const char *const *texts, size_t n, const sign_key *signers, int nsigners,
                   int64_t want_first) {
  size_t lens[16], bad = 0;
  int64_t first = 0, last = 0;
  assert_true(n <= 16);
  for (size_t i = 0; i < n; i++) lens[i] = strlen(texts[i]);
  if (record_add(r, texts, lens, n, signers, nsigners, NULL, &bad, &first, &last, &f->err) != PACTUM_OK)
    fail_msg("record_add refused event %zu: %s [%s]", bad, f->err.message, f->err.code);
  assert_int_equal(first, want_first);
  assert_int_equal(last, want_first + (int64_t)n - 1);
}

/* Everything a refused batch must leave as it was. */
typedef struct snapshot {
  size_t events, keys, nonces;
  record_settings set;
  int64_t seq, nkeys;
  uint8_t hash[HASH_BYTES];
  merkle_frontier tree;
  int64_t stored;
} snapshot;

static snapshot take(record *r) {
  snapshot s;
  memset(&s, 0, sizeof s);
  s.events = pactum_timeline_count(r->tl);
  s.keys = keyring_count(r->kr);
  s.nonces = nonces_count(r->seen);
  s.set = r->set;
  s.seq = r->tip.seq;
  s.nkeys = r->nkeys;
  memcpy(s.hash, r->tip.hash, HASH_BYTES);
  s.tree = r->tip.tree;
  pactum_error err;
  assert_int_equal(store_max_seq(r->st, CHAIN_EVENTS, &s.stored, &err), 0);
  return s;
}

static void same(const snapshot *a, const snapshot *b) {
  assert_int_equal(a->events, b->events);
  assert_int_equal(a->keys, b->keys);
  assert_int_equal(a->nonces, b->nonces);
  assert_memory_equal(&a->set, &b->set, sizeof a->set);
  assert_int_equal(a->seq, b->seq);
  assert_int_equal(a->nkeys, b->nkeys);
  assert_memory_equal(a->hash, b->hash, HASH_BYTES);
  assert_int_equal(a->tree.n, b->tree.n);
  assert_int_equal(a->tree.count, b->tree.count);
  assert_memory_equal(a->tree.h, b->tree.h, (size_t)a->tree.count * MERKLE_HASH);
  assert_int_equal(a->stored, b->stored);
}

/* Refuse texts[0..n): event `want_bad` with code; the record and store exactly as before. */
static void add_refused(fx *f, record *r, const char *const *texts, size_t n, const sign_key *signers, int nsigners,
                        size_t want_bad, const char *code) {
  snapshot before = take(r);
  size_t lens[16], bad = 0;
  int64_t first = -1, last = -1;
  for (size_t i = 0; i < n; i++) lens[i] = strlen(texts[i]);
  int rc_ = record_add(r, texts, lens, n, signers, nsigners, NULL, &bad, &first, &last, &f->err);
  if (rc_ != PACTUM_EINPUT) fail_msg("batch of %zu starting %.60s accepted (rc %d)", n, texts[0], rc_);
  assert_int_equal(bad, want_bad);
  assert_string_equal(f->err.code, code);
  assert_int_equal(first, 0);
  assert_int_equal(last, 0);
  snapshot after = take(r);
  same(&before, &after);
}

/* A key_registered event for k, signed by the bootstrap key and by k: canonical JSON (px_free). */
static char *registration(fx *f, record *r, const sign_key *k, const char *date) {
  char pk64[64];
  sign_b64_encode(k->pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "type", "key_registered", "date", date, "signer", k->signer,
                         "public_key", pk64);
  assert_int_equal(sign_event(ev, &r->scope, &f->boot, &f->err), PACTUM_OK);
  assert_int_equal(sign_event(ev, &r->scope, k, &f->err), PACTUM_OK);
  size_t n;
  char *text = canon_json(ev, &n);
  json_decref(ev);
  return text;
}

/* settings_changed to require_signatures = on, signed by the bootstrap key. */
static char *settings(fx *f, record *r, int on, const char *date) {
  json_t *ev = json_pack("{s:s, s:s, s:b}", "type", "settings_changed", "date", date, "require_signatures", on);
  assert_int_equal(sign_event(ev, &r->scope, &f->boot, &f->err), PACTUM_OK);
  size_t n;
  char *text = canon_json(ev, &n);
  json_decref(ev);
  return text;
}

/* A second declaration while one is pending fails its guard. */
static const char *const DECLARATION = "{\"type\":\"agi_declared\",\"date\":\"2026-01-02\",\"by\":\"openai\"}";

static void test_open(void **state) {
  fx *f = *state;
  record *r = open_record(f, 1);
  assert_int_equal(r->tip.seq, 1);
  assert_int_equal(r->settings_seq, 1);
  assert_true(r->have_settings);
  assert_int_equal(r->set.require_signatures, 1);
  assert_int_equal(r->set.boot.n, 1);
  assert_int_equal(r->set.boot.threshold, 1);
  assert_memory_equal(r->set.boot.keys[0], f->boot.pk, SIGN_PK_BYTES);
  const char *id = record_store_id(r);
  assert_int_equal(strlen(id), 32);
  assert_int_equal(strspn(id, "0123456789abcdef"), 32);
  assert_memory_equal(r->scope.store, id, 33);
  assert_int_equal(pactum_timeline_count(r->tl), 0);
  assert_int_equal(keyring_count(r->kr), 0);
  /* Opening again reads the same settings from the chain; the store id is the chain's. */
  char id_copy[33];
  memcpy(id_copy, id, 33);
  record_free(r);
  record *again = NULL;
  assert_int_equal(record_open(f->agr, f->path, 0, NULL, &again, &f->err), PACTUM_OK);
  assert_string_equal(record_store_id(again), id_copy);
  assert_int_equal(again->set.require_signatures, 1);
  assert_int_equal(again->tip.seq, 1);
  record_free(again);
  /* Another agreement: refused. */
  pactum_agreement *other = unit_load_ok("agreement \"t\" { version \"1\" effective 2025-01-01 }\nparty a \"A\"\n");
  record *bad = (record *)1;
  assert_int_equal(record_open(other, f->path, 0, NULL, &bad, &f->err), PACTUM_EINPUT);
  assert_null(bad);
  assert_string_equal(f->err.code, "wrong_agreement");
  pactum_agreement_free(other);
  assert_true(record_type_is_own("store_created", 13));
  assert_true(record_type_is_own("key_revoked", 11));
  assert_false(record_type_is_own("azure_purchase", 14));
  assert_false(record_type_is_own("key_revoke", 10));
}

static void test_refused_batch(void **state) {
  fx *f = *state;
  record *r = open_record(f, 0);
  static const char *const good[] = {"{\"type\":\"azure_purchase\",\"date\":\"2026-01-10\",\"amount_usd\":100}",
                                     "{\"type\":\"agi_declared\",\"date\":\"2026-02-01\",\"by\":\"openai\"}"};
  add_ok(f, r, good, 2, NULL, 0, 2);
  assert_int_equal(pactum_timeline_count(r->tl), 2);

  /* A batch that changes everything before its last event fails there: nothing of it stays. */
  char *reg = registration(f, r, &f->openai, "2026-02-03");
  char *on = settings(f, r, 1, "2026-02-03");
  json_t *p = json_pack("{s:s, s:s, s:i}", "type", "azure_purchase", "date", "2026-02-03", "amount_usd", 5);
  assert_int_equal(sign_event(p, &r->scope, &f->openai, &f->err), PACTUM_OK);
  size_t n;
  char *signed_purchase = canon_json(p, &n);
  json_decref(p);
  const char *nonced = "{\"type\":\"azure_purchase\",\"date\":\"2026-02-03\",\"amount_usd\":6,\"nonce\":\"nonce-of-the-batch-1\"}";
  const char *bad_batch[] = {reg, nonced, on, signed_purchase, "{\"type\":\"agi_declared\",\"date\":\"2026-02-04\",\"by\":\"openai\"}"};
  add_refused(f, r, bad_batch, 5, NULL, 0, 4, "unsigned"); /* signatures are required from the 3rd on */
  const char *bad_batch2[] = {reg, nonced, on, signed_purchase, "{\"type\": "};
  add_refused(f, r, bad_batch2, 5, NULL, 0, 4, "bad_json");
  /* A second declaration while one is pending fails its guard. */
  const char *bad_batch3[] = {reg, nonced, signed_purchase, "{\"type\":\"agi_declared\",\"date\":\"2026-02-04\",\"by\":\"openai\"}"};
  add_refused(f, r, bad_batch3, 4, NULL, 0, 3, "guard_failed");
  /* The key, the nonce and the setting were not kept: the same events are accepted now. */
  assert_false(keyring_active(r->kr, "openai"));
  assert_false(nonces_has(r->seen, "nonce-of-the-batch-1", 20));
  assert_int_equal(r->set.require_signatures, 0);
  const char *ok_batch[] = {reg, nonced, on, signed_purchase};
  add_ok(f, r, ok_batch, 4, NULL, 0, 4);
  assert_true(keyring_active(r->kr, "openai"));
  assert_true(nonces_has(r->seen, "nonce-of-the-batch-1", 20));
  assert_int_equal(r->set.require_signatures, 1);
  assert_int_equal(pactum_timeline_count(r->tl), 4);
  assert_int_equal(r->tip.seq, 7);
  /* Replays are refused now, and refusing them changes nothing. */
  const char *replay[] = {signed_purchase};
  add_refused(f, r, replay, 1, NULL, 0, 0, "replayed");
  const char *replay_reg[] = {reg};
  add_refused(f, r, replay_reg, 1, NULL, 0, 0, "replayed");
  /* A refusal in the first event, and a refusal of a signed event (by the signers given). */
  const char *unsigned_one[] = {"{\"type\":\"azure_purchase\",\"date\":\"2026-02-05\",\"amount_usd\":1}"};
  add_refused(f, r, unsigned_one, 1, NULL, 0, 0, "unsigned");
  const char *two[] = {"{\"type\":\"azure_purchase\",\"date\":\"2026-02-05\",\"amount_usd\":1}",
                       "{\"type\":\"agi_declared\",\"date\":\"2026-02-05\",\"by\":\"openai\"}"};
  add_refused(f, r, two, 2, &f->microsoft, 1, 0, "unknown_key");
  add_ok(f, r, two, 1, &f->openai, 1, 8);

  /* record_begin .. record_end(0): everything appended in between is undone. */
  snapshot before = take(r);
  assert_int_equal(record_begin(r, &f->err), 0);
  size_t lens[1] = {strlen(two[0])}, bad;
  int64_t first, last;
  assert_int_equal(record_append(r, two, lens, 1, &f->openai, 1, NULL, &bad, &first, &last, &f->err), 0);
  assert_int_equal(first, 9);
  assert_int_equal(record_end(r, 0, &f->err), 0);
  snapshot after = take(r);
  same(&before, &after);
  /* An empty batch writes nothing and succeeds. */
  assert_int_equal(record_add(r, NULL, NULL, 0, NULL, 0, NULL, &bad, &first, &last, &f->err), 0);
  assert_int_equal(first, 0);
  assert_int_equal(last, 0);
  after = take(r);
  same(&before, &after);

  /* What the record holds in memory is what a fresh fold of the store gives. */
  record *fresh = NULL;
  assert_int_equal(record_open(f->agr, f->path, 0, NULL, &fresh, &f->err), PACTUM_OK);
  snapshot a = take(r), b = take(fresh);
  same(&a, &b);
  record_free(fresh);
  px_free(reg);
  px_free(on);
  px_free(signed_purchase);
  record_free(r);
}

static void test_check(void **state) {
  fx *f = *state;
  record *r = open_record(f, 0);
  const char *reg[] = {registration(f, r, &f->openai, "2026-01-01"), DECLARATION};
  add_ok(f, r, reg, 2, NULL, 0, 2);
  snapshot before = take(r);
  signer_set who;
  /* A valid event: accepted, nothing changes, and its signers are counted. */
  json_t *p = json_pack("{s:s, s:s, s:i}", "type", "azure_purchase", "date", "2026-02-03", "amount_usd", 5);
  assert_int_equal(sign_event(p, &r->scope, &f->openai, &f->err), PACTUM_OK);
  size_t n;
  char *text = canon_json(p, &n);
  json_decref(p);
  assert_int_equal(record_check(r, text, n, NULL, &who, &f->err), 0);
  assert_int_equal(who.n, 1);
  assert_string_equal(who.names[0], "openai");
  snapshot after = take(r);
  same(&before, &after);
  /* Checked twice: its nonce was not kept by the first check. */
  assert_int_equal(record_check(r, text, n, NULL, &who, &f->err), 0);
  /* A caller's names count too (a server's token holders). */
  const char *names[] = {"panel.expert_1", "panel.expert_2"};
  record_caller caller = {names, 2, 0};
  const char *verdict =
      "{\"type\":\"panel_verdict\",\"date\":\"2026-02-04\",\"declaration\":3,\"verdict\":\"rejected\"}";
  assert_int_equal(record_check(r, verdict, strlen(verdict), &caller, &who, &f->err), 0);
  assert_int_equal(who.n, 2);
  /* Refusals: a guard, a date, a record-level type, a bad signature; nothing changes. */
  const char *again = "{\"type\":\"agi_declared\",\"date\":\"2026-02-04\",\"by\":\"openai\"}";
  assert_int_equal(record_check(r, again, strlen(again), NULL, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "guard_failed");
  const char *early = "{\"type\":\"azure_purchase\",\"date\":\"2025-12-31\",\"amount_usd\":5}";
  assert_int_equal(record_check(r, early, strlen(early), NULL, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "out_of_order");
  assert_int_equal(record_check(r, reg[0], strlen(reg[0]), NULL, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_int_equal(text[n - 3], 'e'); /* the text ends ..."type":"azure_purchase"} */
  text[n - 3] = 'x';                  /* signed as azure_purchase, presented as azure_purchasx */
  assert_int_equal(record_check(r, text, n, NULL, &who, &f->err), PACTUM_EINPUT);
  after = take(r);
  same(&before, &after);
  /* Once added, the same signed event is a replay. */
  text[n - 3] = 'e';
  const char *batch[] = {text};
  add_ok(f, r, batch, 1, NULL, 0, 4);
  assert_int_equal(record_check(r, text, n, NULL, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "replayed");
  px_free(text);
  px_free((char *)reg[0]);
  record_free(r);
}

static void test_refresh(void **state) {
  fx *f = *state;
  record *a = open_record(f, 0), *b = NULL;
  assert_int_equal(record_open(f->agr, f->path, 0, NULL, &b, &f->err), PACTUM_OK);
  int changed = -1;
  /* Nothing changed: nothing folded. */
  assert_int_equal(record_refresh(b, &changed, &f->err), 0);
  assert_int_equal(changed, 0);

  static const char *const purchases[] = {"{\"type\":\"azure_purchase\",\"date\":\"2026-01-10\",\"amount_usd\":100}",
                                          "{\"type\":\"azure_purchase\",\"date\":\"2026-01-11\",\"amount_usd\":200}",
                                          "{\"type\":\"agi_declared\",\"date\":\"2026-02-01\",\"by\":\"openai\"}"};
  add_ok(f, a, purchases, 3, NULL, 0, 2);
  const char *reg[] = {registration(f, a, &f->openai, "2026-02-02")};
  add_ok(f, a, reg, 1, NULL, 0, 5);
  assert_int_equal(pactum_timeline_count(b->tl), 0); /* b has not looked yet */
  assert_int_equal(record_refresh(b, &changed, &f->err), 0);
  assert_int_equal(changed, 1);
  snapshot sa = take(a), sb = take(b);
  same(&sa, &sb);
  assert_true(keyring_active(b->kr, "openai"));
  /* Again: nothing new. */
  assert_int_equal(record_refresh(b, &changed, &f->err), 0);
  assert_int_equal(changed, 0);
  /* b's own append: a refresh of b finds nothing new, a refresh of a folds it. */
  const char *more[] = {"{\"type\":\"azure_purchase\",\"date\":\"2026-02-03\",\"amount_usd\":300}"};
  add_ok(f, b, more, 1, &f->openai, 1, 6);
  assert_int_equal(record_refresh(b, &changed, &f->err), 0);
  assert_int_equal(changed, 0);
  assert_int_equal(record_refresh(a, &changed, &f->err), 0);
  assert_int_equal(changed, 1);
  sa = take(a);
  sb = take(b);
  same(&sa, &sb);
  /* a folded the nonces b's appends carried: the registration's and the signed purchase's. */
  assert_int_equal(nonces_count(a->seen), 2);

  /* Another connection appends a well-linked record (hash and Merkle nodes right) that breaks a
     rule: it is dated before the last event. The refresh stops with store_corrupt naming its
     seq, and the record is as it was; adding through it is refused the same way. */
  store *st = NULL;
  assert_int_equal(store_open(f->path, 0, &st, &f->err), 0);
  store_tip tip;
  assert_int_equal(store_tip_load(st, CHAIN_EVENTS, a->agr_hash, &tip, &f->err), 0);
  assert_int_equal(tip.seq, 6);
  assert_int_equal(store_begin(st, &f->err), 0);
  const char *early = "{\"amount_usd\":1,\"date\":\"2025-01-01\",\"type\":\"azure_purchase\"}";
  assert_int_equal(store_append(st, CHAIN_EVENTS, &tip, early, strlen(early), &f->err), 0);
  assert_int_equal(store_commit(st, &f->err), 0);
  store_close(st);
  snapshot before = take(a);
  assert_int_equal(record_refresh(a, &changed, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "store_corrupt");
  assert_non_null(strstr(f->err.message, "seq 7"));
  snapshot after = take(a);
  before.stored = after.stored; /* the store holds the bad record; the fold stopped before it */
  same(&before, &after);
  assert_int_equal(a->tip.seq, 6);
  size_t bad;
  int64_t first, last;
  size_t lens[1] = {strlen(more[0])};
  assert_int_equal(record_add(a, more, lens, 1, NULL, 0, NULL, &bad, &first, &last, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "store_corrupt");
  px_free((char *)reg[0]);
  record_free(a);
  record_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_open, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused_batch, setup, teardown),
      cmocka_unit_test_setup_teardown(test_check, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
