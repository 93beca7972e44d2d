/*
** fuzz_sign.c: libFuzzer harness for the canonical-JSON and signature code paths. The first
** byte picks the agreement; the rest is one JSON value.
**
** Invariants: canonical JSON is ASCII, parses, and is a fixed point (the canonical form of
** its parse is itself); the signed part of an event is the canonical form of the event
** without "signatures"; verifying the input's own signatures and registering it as a key
** never crash; an event signed here by two registered keys verifies with both signers, and
** no longer verifies once a member is added.
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

static void make_keys(const pactum_agreement *agr) {
  for (int i = 0; i < 3; i++) {
    uint8_t seed[crypto_sign_SEEDBYTES];
    memset(seed, 'a' + i, sizeof seed);
    crypto_sign_seed_keypair(keys[i].pk, keys[i].sk, seed);
    keys[i].has_secret = 1;
    const char *who = i == 0 ? "bootstrap" : agr->parties[(i - 1) % agr->nparties].name;
    snprintf(keys[i].signer, sizeof keys[i].signer, "%s", who);
  }
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

static void check_signed_part(const json_t *v) {
  size_t plen = 0, wlen = 0;
  char *part = canon_signed_part(v, &plen);
  json_t *without = json_deep_copy(v);
  if (!without) {
    px_free(part);
    return;
  }
  json_object_del(without, "signatures");
  char *want = canon_json(without, &wlen);
  FUZZ_ASSERT(!part == !want, "signed part and canonical form disagree on whether there is one");
  if (part) FUZZ_ASSERT(plen == wlen && !memcmp(part, want, plen), "the signed part is not the event without signatures");
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

/* Sign a copy of v (without its signatures) with keys 1 and 2; it must verify, then fail once altered. */
static void sign_roundtrip(const pactum_agreement *agr, const json_t *v, const keyring *kr) {
  json_t *c = json_deep_copy(v);
  if (!c) return;
  json_object_del(c, "signatures");
  pactum_error err;
  signer_set who;
  int rc = sign_event(c, &keys[1], &err);
  if (rc == PACTUM_OK) rc = sign_event(c, &keys[2], &err);
  if (rc != PACTUM_OK) {
    /* Only an event with no canonical form (a real) or no memory may refuse to be signed. */
    FUZZ_ASSERT(rc == PACTUM_ENOMEM || !canon_json_ok(c), "signing refused a plain event: %s [%s]", err.message,
                err.code);
    json_decref(c);
    return;
  }
  rc = sign_verify_event(c, kr, &who, &err);
  FUZZ_ASSERT(rc == PACTUM_OK, "an event just signed does not verify: %s [%s]", err.message, err.code);
  int distinct = strcmp(keys[1].signer, keys[2].signer) != 0;
  FUZZ_ASSERT(who.n == 1 + distinct, "%d signers verified, expected %d", who.n, 1 + distinct);
  for (int e = 0; e < agr->nevents && e < 16; e++) sign_authorize(agr, e, &who, 1, &err);
  json_object_set_new(c, "fuzz_tamper", json_true());
  rc = sign_verify_event(c, kr, &who, &err);
  FUZZ_ASSERT(rc != PACTUM_OK, "an altered event still verifies");
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
    if (kr && keyring_add(kr, keys[1].signer, keys[1].pk) == 0 && keyring_add(kr, keys[2].signer, keys[2].pk) == 0) {
      pactum_error err;
      signer_set who;
      if (sign_verify_event(v, kr, &who, &err) == PACTUM_OK) {
        FUZZ_ASSERT(who.n >= 0 && who.n <= 16, "%d signers", who.n);
        for (int i = 0; i < who.n; i++) FUZZ_ASSERT(keyring_known(kr, who.names[i]), "an unknown signer verified");
        for (int e = 0; e < agr->nevents && e < 16; e++) sign_authorize(agr, e, &who, data[0] & 2, &err);
      } else {
        FUZZ_ASSERT(err.code[0] && err.message[0], "a refused signature without code or message");
      }
      sign_register_key(agr, v, kr, (data[0] & 4) ? keys[0].pk : NULL, &err);
      sign_roundtrip(agr, v, kr);
    }
    keyring_free(kr);
    /* Every string member through the base64 and hex decoders. */
    const char *key;
    json_t *m;
    json_object_foreach(v, key, m) {
      if (!json_is_string(m)) continue;
      uint8_t bin[64], hash[HASH_BYTES];
      size_t n = 0;
      if (sign_b64_decode(json_string_value(m), bin, sizeof bin, &n) == 0)
        FUZZ_ASSERT(n <= sizeof bin, "base64 decoded %zu bytes into %zu", n, sizeof bin);
      canon_unhex(json_string_value(m), hash, HASH_BYTES);
    }
  }
  json_decref(v);
  return 0;
}
