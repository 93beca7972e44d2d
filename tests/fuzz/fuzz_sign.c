/*
** fuzz_sign.c: libFuzzer harness for the canonical-JSON, signature, key and checkpoint code
** paths. The first byte picks the agreement and options; the rest is one JSON value.
**
** Invariants: canonical JSON is ASCII, parses, and is a fixed point (the canonical form of
** its parse is itself); the signed part of an event is its canonical form without "signatures"
** and "recorded_by", and the signed message is the domain line, the agreement hash, the store
** id and that part; verifying the input's own signatures, registering or revoking it as a key,
** and verifying it as a checkpoint never crash, and a refusal has a code and a message; an event
** signed here by two registered keys (with the nonce sign_event adds, or the input's own if it
** is well formed) verifies with both signers, and no longer verifies once a member is added,
** once its nonce changes, or in another store; a copy signed as a checkpoint verifies as one and
** not as an event.
*/
#include "fuzz.h"
#include "alloc.h"
#include "canon.h"
#include "sign.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include "banned.h"

#define FUZZ_MAX_INPUT (64 * 1024)

/* Keys from fixed seeds: 0 is the bootstrap key, 1 and 2 belong to the agreement's first two parties. */
static sign_key keys[3];
static sign_scope scope, other;
static sign_bootstrap boot;

static void make_keys(const pactum_agreement *agr) {
  for (int i = 0; i < 3; i++) {
    uint8_t seed[crypto_sign_SEEDBYTES];
    memset(seed, 'a' + i, sizeof seed);
    crypto_sign_seed_keypair(keys[i].pk, keys[i].sk, seed);
    keys[i].has_secret = 1;
    const char *who = i == 0 ? "bootstrap" : agr->parties[(i - 1) % agr->nparties].name;
    snprintf(keys[i].signer, sizeof keys[i].signer, "%s", who);
  }
  memset(&scope, 0, sizeof scope);
  canon_agreement_hash(agr->src, agr->src_len, scope.agreement);
  snprintf(scope.store, sizeof scope.store, "0123456789abcdef0123456789abcdef");
  other = scope;
  snprintf(other.store, sizeof other.store, "fedcba9876543210fedcba9876543210");
  memset(&boot, 0, sizeof boot);
  boot.n = 1;
  boot.threshold = 1;
  memcpy(boot.keys[0], keys[0].pk, SIGN_PK_BYTES);
}

/* The canonical text of v, checked: ASCII, parses, and canonical again unchanged. */
static char *checked_canon(const json_t *v, size_t *len) {
  char *c = canon_json(v, len);
  if (!c) return NULL;
  for (size_t i = 0; i < *len; i++) FUZZ_ASSERT((unsigned char)c[i] < 0x80 && c[i] != '\0', "canonical JSON is not ASCII");
  json_error_t je;
  json_t *again = json_loadb(c, *len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
  FUZZ_ASSERT(again != NULL, "canonical JSON does not parse (%s): %.300s", je.text, c);
  size_t len2 = 0;
  char *c2 = canon_json(again, &len2);
  FUZZ_ASSERT(c2 && len2 == *len && !memcmp(c, c2, len2), "canonical JSON is not a fixed point: %.300s", c);
  px_free(c2);
  json_decref(again);
  return c;
}

/* The signed part is the event without "signatures" and "recorded_by"; the message prefixes it. */
static void check_signed_part(const json_t *v) {
  size_t plen = 0, wlen = 0;
  char *part = canon_signed_part(v, &plen);
  json_t *without = json_deep_copy(v);
  if (!without) {
    px_free(part);
    return;
  }
  json_object_del(without, "signatures");
  json_object_del(without, "recorded_by");
  char *want = canon_json(without, &wlen);
  FUZZ_ASSERT(!part == !want, "signed part and canonical form disagree on whether there is one");
  if (part) FUZZ_ASSERT(plen == wlen && !memcmp(part, want, plen), "the signed part is not the event without signatures");
  if (part) {
    pactum_error err;
    int rc = 0;
    size_t mlen = 0;
    char *msg = sign_message(&scope, v, &mlen, &rc, &err);
    char hex[65], prefix[200];
    canon_hex(scope.agreement, 32, hex);
    int n = snprintf(prefix, sizeof prefix, "pactum/event/v2\n%s\n%s\n", hex, scope.store);
    if (msg) {
      FUZZ_ASSERT(mlen == (size_t)n + plen && !memcmp(msg, prefix, (size_t)n) && !memcmp(msg + n, part, plen),
                  "the signed message is not the domain, agreement, store and signed part");
    } else {
      FUZZ_ASSERT(rc == PACTUM_ENOMEM, "a signed part but no message: %s [%s]", err.message, err.code);
    }
    px_free(msg);
  }
  px_free(part);
  px_free(want);
  json_decref(without);
}

/* 1 if v has a canonical form (holds no real). */
static int canon_json_ok(const json_t *v) {
  size_t n = 0;
  char *t = canon_json(v, &n);
  int ok = t != NULL;
  px_free(t);
  return ok;
}

/* 1 if v's "nonce" is absent or well formed (sign_event refuses any other). */
static int nonce_signable(const json_t *v) {
  json_t *nv = json_object_get(v, "nonce");
  return !nv || (json_is_string(nv) && sign_nonce_ok(json_string_value(nv), json_string_length(nv)));
}

static void verify_refused(const json_t *c, const sign_scope *sc, const keyring *kr, const char *what) {
  sign_check chk;
  pactum_error err;
  int rc = sign_verify_event(c, sc, kr, NULL, NULL, NULL, &chk, &err);
  FUZZ_ASSERT(rc != PACTUM_OK, "%s still verifies", what);
  FUZZ_ASSERT(err.code[0] && err.message[0], "a refused signature without code or message");
}

/* Sign a copy of v (without its signatures) with keys 1 and 2; it must verify, then fail once altered. */
static void sign_roundtrip(const pactum_agreement *agr, const json_t *v, const keyring *kr) {
  json_t *c = json_deep_copy(v);
  if (!c) return;
  json_object_del(c, "signatures");
  pactum_error err;
  sign_check chk;
  int rc = sign_event(c, &scope, &keys[1], &err);
  if (rc == PACTUM_OK) rc = sign_event(c, &scope, &keys[2], &err);
  if (rc != PACTUM_OK) {
    /* Only an event with no canonical form (a real), a malformed nonce, or no memory may refuse to be signed. */
    FUZZ_ASSERT(rc == PACTUM_ENOMEM || !canon_json_ok(c) || !nonce_signable(v), "signing refused a plain event: %s [%s]",
                err.message, err.code);
    json_decref(c);
    return;
  }
  json_t *nv = json_object_get(c, "nonce");
  FUZZ_ASSERT(json_is_string(nv) && sign_nonce_ok(json_string_value(nv), json_string_length(nv)),
              "a signed event without a well-formed nonce");
  rc = sign_verify_event(c, &scope, kr, NULL, NULL, NULL, &chk, &err);
  FUZZ_ASSERT(rc == PACTUM_OK, "an event just signed does not verify: %s [%s]", err.message, err.code);
  int distinct = strcmp(keys[1].signer, keys[2].signer) != 0;
  FUZZ_ASSERT(chk.signers.n == 1 + distinct && chk.nsigs == 2, "%d signers verified, expected %d", chk.signers.n,
              1 + distinct);
  for (int e = 0; e < agr->nevents && e < 16; e++) sign_authorize(agr, e, &chk.signers, &err);
  verify_refused(c, &other, kr, "an event signed for another store");
  json_t *recorded = json_deep_copy(c);
  if (recorded) { /* a server's recorded_by is not signed */
    json_object_set_new(recorded, "recorded_by", json_pack("[s]", keys[1].signer));
    rc = sign_verify_event(recorded, &scope, kr, NULL, NULL, NULL, &chk, &err);
    FUZZ_ASSERT(rc == PACTUM_OK, "recorded_by broke the signatures: %s [%s]", err.message, err.code);
    json_decref(recorded);
  }
  json_incref(nv);
  json_object_set_new(c, "nonce", json_string("fuzz-another-nonce-0000"));
  verify_refused(c, &scope, kr, "an event with its nonce changed");
  json_object_set_new(c, "nonce", nv);
  json_object_set_new(c, "fuzz_tamper", json_true());
  verify_refused(c, &scope, kr, "an altered event");
  json_decref(c);
}

/* Sign a copy of v as a checkpoint with key 1: it verifies as a checkpoint, not as an event. */
static void checkpoint_roundtrip(const json_t *v, const keyring *kr) {
  json_t *c = json_deep_copy(v);
  if (!c) return;
  json_object_del(c, "signatures");
  pactum_error err;
  signer_set who;
  int rc = sign_checkpoint(c, &keys[1], &err);
  if (rc != PACTUM_OK) {
    FUZZ_ASSERT(rc == PACTUM_ENOMEM || !canon_json_ok(c), "signing refused a plain checkpoint: %s [%s]", err.message,
                err.code);
    json_decref(c);
    return;
  }
  rc = sign_verify_checkpoint(c, kr, NULL, 0, &who, &err);
  FUZZ_ASSERT(rc == PACTUM_OK && who.n == 1, "a checkpoint just signed does not verify: %s [%s]", err.message, err.code);
  if (json_object_get(c, "nonce")) verify_refused(c, &scope, kr, "a checkpoint signature taken for an event's");
  json_object_set_new(c, "fuzz_tamper", json_true());
  FUZZ_ASSERT(sign_verify_checkpoint(c, kr, NULL, 0, &who, &err) != PACTUM_OK, "an altered checkpoint still verifies");
  json_decref(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  if (sign_init() != 0) abort();
  const pactum_agreement *agr = fuzz_agreement(data[0] & 1);
  make_keys(agr);
  json_error_t je;
  json_t *v = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
  if (!v) return 0;
  size_t clen = 0;
  char *c = checked_canon(v, &clen);
  if (c) {
    uint8_t prev[HASH_BYTES] = {0}, out[HASH_BYTES];
    canon_chain_hash((int64_t)clen, prev, c, clen, out);
  }
  px_free(c);
  if (json_is_object(v)) {
    check_signed_part(v);
    keyring *kr = keyring_new();
    if (kr && keyring_add(kr, keys[1].signer, keys[1].pk, 2) == 0 && keyring_add(kr, keys[2].signer, keys[2].pk, 3) == 0) {
      pactum_error err;
      sign_check chk;
      const sign_bootstrap *b = (data[0] & 4) ? &boot : NULL;
      sign_scope sc = scope;
      sc.legacy = (data[0] & 8) != 0;
      if (sign_verify_event(v, &sc, kr, b, NULL, NULL, &chk, &err) == PACTUM_OK) {
        FUZZ_ASSERT(chk.signers.n >= 0 && chk.signers.n <= 16 && chk.nboot <= 1, "%d signers", chk.signers.n);
        for (int i = 0; i < chk.signers.n; i++)
          FUZZ_ASSERT(keyring_active(kr, chk.signers.names[i]), "an unknown signer verified");
        for (int e = 0; e < agr->nevents && e < 16; e++) sign_authorize(agr, e, &chk.signers, &err);
      } else {
        FUZZ_ASSERT(err.code[0] && err.message[0], "a refused signature without code or message");
      }
      signer_set who;
      if (sign_verify_checkpoint(v, kr, &keys[0], 1, &who, &err) != PACTUM_OK)
        FUZZ_ASSERT(err.code[0] && err.message[0], "a refused checkpoint without code or message");
      size_t mark = keyring_mark(kr), n = keyring_count(kr);
      if (sign_register_key(agr, v, &sc, kr, b, 4, &err) == PACTUM_OK)
        FUZZ_ASSERT(keyring_count(kr) == n + 1, "a key registered but the keyring did not grow");
      if (sign_revoke_key(agr, v, &sc, kr, b, 5, &err) != PACTUM_OK)
        FUZZ_ASSERT(err.code[0] && err.message[0], "a refused revocation without code or message");
      keyring_undo(kr, mark);
      FUZZ_ASSERT(keyring_count(kr) == n && keyring_has(kr, keys[1].signer, keys[1].pk) &&
                      keyring_has(kr, keys[2].signer, keys[2].pk),
                  "undo did not put the keyring back");
      sign_roundtrip(agr, v, kr);
      checkpoint_roundtrip(v, kr);
    }
    keyring_free(kr);
    /* Every string member through the base64, hex and nonce checks. */
    const char *key;
    json_t *m;
    json_object_foreach(v, key, m) {
      if (!json_is_string(m)) continue;
      uint8_t bin[64], hash[HASH_BYTES];
      size_t n = 0;
      if (sign_b64_decode(json_string_value(m), bin, sizeof bin, &n) == 0)
        FUZZ_ASSERT(n <= sizeof bin, "base64 decoded %zu bytes into %zu", n, sizeof bin);
      canon_unhex(json_string_value(m), hash, HASH_BYTES);
      size_t len = json_string_length(m);
      const char *s = json_string_value(m);
      int ok = len >= SIGN_NONCE_MIN && len <= SIGN_NONCE_MAX;
      for (size_t i = 0; ok && i < len; i++)
        ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
             s[i] == '-';
      FUZZ_ASSERT(sign_nonce_ok(s, len) == ok, "sign_nonce_ok disagrees with the nonce's definition on '%.80s'", s);
    }
  }
  json_decref(v);
  return 0;
}
