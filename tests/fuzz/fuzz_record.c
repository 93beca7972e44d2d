/*
** fuzz_record.c: libFuzzer harness for the record as a transparency log: appends, votes, proofs and
** checkpoints, on a fresh store for each input.
**
** The input is a first byte of choices and then lines. Each line is one operation, chosen by its
** first character, with the rest of the line as its text:
**   'a' TEXT   record_add of TEXT (one event, JSON) with no caller, as `pactum event add`
**   'h' TEXT   record_add of TEXT with the caller a party's token names (a server's append)
**   'v' TEXT   proposal_vote of TEXT by a body member chosen by the next byte of the choices
**   'c' TEXT   TEXT as a checkpoint: tlog_check_checkpoint and sign_verify_checkpoint
**   'p' N      an inclusion proof of record N mod the size, and a consistency proof
** Invariants: a refused append or vote changes nothing (the head, the timeline's count, the
** nonces, the keyring's size); after every operation the chains verify (audit_verify) and the
** folded record equals a fresh fold of the store (record_open again: same head and count); every
** proof pactum builds verifies, and fails with one hash changed; the current checkpoint of the
** store is held by it, and one with its root changed is not.
*/
#include "fuzz.h"
#include "alloc.h"
#include "audit.h"
#include "merkle.h"
#include "proposal.h"
#include "record.h"
#include "tlog.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "banned.h"

#define FUZZ_MAX_INPUT (16 * 1024)
#define FUZZ_MAX_OPS 24

static char db[64];

static void remove_store(void) {
  char side[80];
  unlink(db);
  snprintf(side, sizeof side, "%s-wal", db);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", db);
  unlink(side);
}

/* What a refused operation must leave as it was. */
typedef struct state {
  int64_t seq;
  uint8_t hash[HASH_BYTES];
  size_t events, nonces, keys;
} state;

static state state_of(const record *r) {
  state s;
  s.seq = r->tip.seq;
  memcpy(s.hash, r->tip.hash, HASH_BYTES);
  s.events = pactum_timeline_count(r->tl);
  s.nonces = nonces_count(r->seen);
  s.keys = keyring_count(r->kr);
  return s;
}

static int same(const state *a, const state *b) {
  return a->seq == b->seq && !memcmp(a->hash, b->hash, HASH_BYTES) && a->events == b->events && a->nonces == b->nonces &&
         a->keys == b->keys;
}

/* The chains verify, and a fresh fold of the store agrees with r. */
static void check_store(const pactum_agreement *agr, record *r) {
  pactum_error err;
  audit_result res;
  FUZZ_ASSERT(!audit_verify(r->st, CHAIN_EVENTS, r->agr_hash, NULL, &res, &err), "audit: %s", err.message);
  FUZZ_ASSERT(res.ok && res.head_seq == r->tip.seq && !memcmp(res.head, r->tip.hash, HASH_BYTES), "audit: %s",
              res.reason);
  record *again = NULL;
  FUZZ_ASSERT(!record_open_ex(agr, db, 0, NULL, RECORD_CHECK_TREE, &again, &err), "fold again: %s", err.message);
  FUZZ_ASSERT(again->tip.seq == r->tip.seq && pactum_timeline_count(again->tl) == pactum_timeline_count(r->tl),
              "a fresh fold disagrees with the record");
  uint8_t a[HASH_BYTES], b[HASH_BYTES];
  merkle_frontier_root(&again->tip.tree, a);
  merkle_frontier_root(&r->tip.tree, b);
  FUZZ_ASSERT(!memcmp(a, b, HASH_BYTES), "the tree of a fresh fold differs");
  record_free(again);
}

/* Decode the hex strings of a JSON array into path; their count. */
static int path_of(json_t *arr, uint8_t path[][MERKLE_HASH]) {
  int n = 0;
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    if (n == TLOG_MAX_PATH) break;
    canon_unhex(json_string_value(v), path[n++], MERKLE_HASH);
  }
  return n;
}

static void check_proofs(record *r, uint64_t pick) {
  if (r->tip.seq < 1) return;
  pactum_error err;
  int64_t n = r->tip.seq, seq = 1 + (int64_t)(pick % (uint64_t)n);
  json_t *p = NULL;
  FUZZ_ASSERT(!tlog_prove(r->st, CHAIN_EVENTS, seq, 0, &p, &err), "prove: %s", err.message);
  uint8_t path[TLOG_MAX_PATH][MERKLE_HASH], root[32], h[32], leaf[32];
  int np = path_of(json_object_get(p, "path"), path);
  canon_unhex(json_string_value(json_object_get(p, "root")), root, 32);
  canon_unhex(json_string_value(json_object_get(json_object_get(p, "record"), "hash")), h, 32);
  merkle_leaf_hash(h, 32, leaf);
  FUZZ_ASSERT(!merkle_verify_inclusion((uint64_t)seq - 1, (uint64_t)n, leaf, (const uint8_t(*)[32])path, np, root),
              "a proof pactum built does not verify");
  if (np) {
    path[pick % (uint64_t)np][0] ^= 1;
    FUZZ_ASSERT(merkle_verify_inclusion((uint64_t)seq - 1, (uint64_t)n, leaf, (const uint8_t(*)[32])path, np, root),
                "a proof with a hash changed verifies");
  }
  json_decref(p);
  int64_t from = 1 + (int64_t)((pick >> 8) % (uint64_t)n);
  FUZZ_ASSERT(!tlog_consistency(r->st, CHAIN_EVENTS, from, 0, &p, &err), "consistency: %s", err.message);
  uint8_t r1[32], r2[32];
  np = path_of(json_object_get(p, "path"), path);
  canon_unhex(json_string_value(json_object_get(json_object_get(p, "from"), "root")), r1, 32);
  canon_unhex(json_string_value(json_object_get(json_object_get(p, "to"), "root")), r2, 32);
  FUZZ_ASSERT(!merkle_verify_consistency((uint64_t)from, (uint64_t)n, r1, r2, (const uint8_t(*)[32])path, np),
              "a consistency proof pactum built does not verify");
  json_decref(p);
}

static void check_checkpoints(record *r, const char *text, size_t len) {
  tlog_origin o;
  memcpy(o.store, record_store_id(r), SIGN_STORE_HEX);
  memcpy(o.agreement, r->agr_hash, HASH_BYTES);
  pactum_error err;
  tlog_check res;
  json_t *cp = NULL;
  FUZZ_ASSERT(!tlog_checkpoint(r->st, &o, CHAIN_EVENTS, 0, &cp, &err), "checkpoint: %s", err.message);
  FUZZ_ASSERT(!tlog_check_checkpoint(r->st, &o, cp, &res, &err) && res.ok, "the store does not hold its own checkpoint");
  const char *root = json_string_value(json_object_get(cp, "root"));
  char changed[HASH_HEX];
  snprintf(changed, sizeof changed, "%s", root);
  changed[0] = changed[0] == '0' ? '1' : '0';
  json_object_set_new(cp, "root", json_string(changed));
  FUZZ_ASSERT(!tlog_check_checkpoint(r->st, &o, cp, &res, &err) && !res.ok, "a changed root is held");
  json_decref(cp);
  /* The input's own checkpoint: any answer, never a crash. */
  json_t *mine = json_loadb(text, len, 0, NULL);
  if (mine) {
    signer_set who;
    tlog_check_checkpoint(r->st, &o, mine, &res, &err);
    sign_verify_checkpoint(mine, r->kr, NULL, 0, &who, &err);
    json_decref(mine);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  px_alloc_init();
  if (!db[0]) snprintf(db, sizeof db, "/tmp/pactum-fuzz-record-%d.db", (int)getpid());
  remove_store();
  fuzz_reader choices = {data, 1};
  const pactum_agreement *agr = fuzz_agreement(fuzz_u8(&choices) & 1);
  record *r = NULL;
  pactum_error err;
  record_init init = {0, 0, NULL, 0};
  FUZZ_ASSERT(!record_open(agr, db, 1, &init, &r, &err), "open: %s", err.message);
  const char *p = (const char *)data + 1, *end = (const char *)data + size;
  fuzz_reader more = {data, size};
  for (int op = 0; p < end && op < FUZZ_MAX_OPS; op++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    char kind = *p;
    const char *text = p + 1;
    size_t len = (size_t)(stop - text);
    p = nl ? nl + 1 : end;
    if (kind != 'a' && kind != 'h' && kind != 'v' && kind != 'c' && kind != 'p') continue;
    state before = state_of(r);
    int rc = 0;
    if (kind == 'a' || kind == 'h') {
      const char *names[1] = {agr->parties[fuzz_below(&more, (uint32_t)agr->nparties)].name};
      record_caller caller = {names, 1, 0};
      size_t bad;
      int64_t first, last;
      rc = record_add(r, &text, &len, 1, NULL, 0, kind == 'h' ? &caller : NULL, &bad, &first, &last, &err);
      if (!rc) FUZZ_ASSERT(r->tip.seq == before.seq + 1, "an accepted append is not one record");
    } else if (kind == 'v') {
      if (!agr->nbodies) continue;
      const cbody *b = &agr->bodies[fuzz_below(&more, (uint32_t)agr->nbodies)];
      char voter[SIGN_MAX_SIGNER];
      snprintf(voter, sizeof voter, "%s.%s", b->name, b->members[fuzz_below(&more, (uint32_t)b->nmembers)]);
      proposal_result res;
      rc = proposal_vote(r, voter, text, len, 1700000000, 3600, &res, &err);
      if (!rc && !res.recorded) FUZZ_ASSERT(r->tip.seq == before.seq, "a vote short of the quorum recorded something");
      if (!rc && res.recorded) FUZZ_ASSERT(r->tip.seq == before.seq + 1, "a quorum recorded more than its event");
    } else if (kind == 'c') {
      check_checkpoints(r, text, len);
      continue;
    } else {
      check_proofs(r, fuzz_u64(&more));
      continue;
    }
    if (rc == PACTUM_ENOMEM) break;
    if (rc) {
      state after = state_of(r);
      FUZZ_ASSERT(same(&before, &after), "a refused %s changed the record (code %s)", kind == 'v' ? "vote" : "append",
                  err.code);
    }
    check_store(agr, r);
  }
  record_free(r);
  remove_store();
  return 0;
}
