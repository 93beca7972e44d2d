/*
** test_sign.c: signatures and who may record what (src/sign.c): base64, key files, signing and
** verifying events bound to a store and its agreement, nonces, the keyring with revocation and
** its undo log, `recorded by` parties and bodies with a quorum, key registration by k of n
** bootstrap keys with proof of possession, revocation, and signed checkpoints.
**
** Expected values are derived independently: each signed message is written out here by hand,
** "pactum/event/v2\n" HEX(agreement hash) "\n" STORE-ID "\n" followed by the canonical event
** text typed in (or "pactum/checkpoint/v1\n" and the canonical checkpoint), and signatures are
** checked against it with libsodium directly.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "canon.h"
#include "sign.h"

#include <dirent.h>
#include <stdarg.h>
#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"
#define STORE_A "0123456789abcdef0123456789abcdef"
#define STORE_B "fedcba9876543210fedcba9876543210"

typedef struct fx {
  pactum_agreement *agr;
  keyring *kr;
  sign_scope sc;       /* the store the tests sign for: STORE_A, agreement SHA-256("agreement A") */
  sign_key bootkey;    /* the store's one bootstrap key ... */
  sign_bootstrap boot; /* ... 1 of 1 */
  char dir[64];
  pactum_error err;
} fx;

/* A fresh in-memory keypair for signer (libsodium directly, no files). */
static sign_key mkkey(const char *signer) {
  sign_key k;
  memset(&k, 0, sizeof k);
  snprintf(k.signer, sizeof k.signer, "%s", signer);
  assert_int_equal(crypto_sign_keypair(k.pk, k.sk), 0);
  k.has_secret = 1;
  return k;
}

/* A scope: the agreement hash is SHA-256 of `agreement`, the store id `store`. */
static sign_scope scope_of(const char *agreement, const char *store, int legacy) {
  sign_scope sc;
  memset(&sc, 0, sizeof sc);
  crypto_hash_sha256(sc.agreement, (const unsigned char *)agreement, strlen(agreement));
  snprintf(sc.store, sizeof sc.store, "%s", store);
  sc.legacy = legacy;
  return sc;
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
  f->kr = keyring_new();
  f->sc = scope_of("agreement A", STORE_A, 0);
  f->bootkey = mkkey("bootstrap");
  f->boot.n = 1;
  f->boot.threshold = 1;
  memcpy(f->boot.keys[0], f->bootkey.pk, SIGN_PK_BYTES);
  snprintf(f->dir, sizeof f->dir, "/tmp/pactum_sign_XXXXXX");
  if (!f->kr || !mkdtemp(f->dir)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  DIR *d = opendir(f->dir);
  if (d) {
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
      unlink(p);
    }
    closedir(d);
  }
  rmdir(f->dir);
  keyring_free(f->kr);
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

/* A fresh key for signer, registered in the fixture's keyring (as of record 2). */
static sign_key regkey(fx *f, const char *signer) {
  sign_key k = mkkey(signer);
  assert_int_equal(keyring_add(f->kr, signer, k.pk, 2), PACTUM_OK);
  return k;
}

static json_t *parse(const char *text) {
  json_error_t je;
  json_t *v = json_loads(text, 0, &je);
  if (!v) fail_msg("bad test JSON: %s: %s", text, je.text);
  return v;
}

static void sign_ok(fx *f, json_t *ev, const sign_key *k) {
  if (sign_event(ev, &f->sc, k, &f->err) != PACTUM_OK) fail_msg("sign_event: %s: %s", f->err.code, f->err.message);
}

/* Verify ev in the fixture's scope (no bootstrap, no key being registered); it must pass. */
static void verify_ok(fx *f, const json_t *ev, sign_check *c) {
  memset(&f->err, 0, sizeof f->err);
  if (sign_verify_event(ev, &f->sc, f->kr, NULL, NULL, NULL, c, &f->err) != PACTUM_OK)
    fail_msg("sign_verify_event: %s: %s", f->err.code, f->err.message);
}

/* Verify ev in scope sc, which must be refused with code (and message msg, when not NULL). */
static void verify_refused_in(fx *f, const sign_scope *sc, const json_t *ev, const char *code, const char *msg) {
  sign_check c;
  memset(&f->err, 0, sizeof f->err);
  assert_int_equal(sign_verify_event(ev, sc, f->kr, NULL, NULL, NULL, &c, &f->err), PACTUM_EINPUT);
  assert_int_equal(c.signers.n, 0);
  assert_string_equal(f->err.code, code);
  if (msg) assert_string_equal(f->err.message, msg);
}

static void verify_refused(fx *f, const json_t *ev, const char *code, const char *msg) {
  verify_refused_in(f, &f->sc, ev, code, msg);
}

/*
** The message a signature on an event signs, written out by hand: the domain line, the
** agreement hash in lowercase hex, the store id, then the canonical text given.
*/
static size_t event_message(const sign_scope *sc, const char *canonical, char *out, size_t cap) {
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, sc->agreement, 32);
  int n = sc->legacy ? snprintf(out, cap, "%s", canonical)
                     : snprintf(out, cap, "pactum/event/v2\n%s\n%s\n%s", hex, sc->store, canonical);
  assert_true(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

/* Signature i of v: its public key and signature bytes. */
static void signature_of(const json_t *v, size_t i, uint8_t pk[32], uint8_t sig[64]) {
  json_t *e = json_array_get(json_object_get(v, "signatures"), i);
  size_t n = 0;
  assert_non_null(e);
  assert_int_equal(sign_b64_decode(json_string_value(json_object_get(e, "public_key")), pk, 32, &n), 0);
  assert_int_equal(n, 32);
  assert_int_equal(sign_b64_decode(json_string_value(json_object_get(e, "signature")), sig, 64, &n), 0);
  assert_int_equal(n, 64);
}

/* 1 if signature i of v is a valid Ed25519 signature of msg[0..len) by pk. */
static int signs(const json_t *v, size_t i, const uint8_t want_pk[32], const char *msg, size_t len) {
  uint8_t pk[32], sig[64];
  signature_of(v, i, pk, sig);
  return memcmp(pk, want_pk, 32) == 0 && crypto_sign_verify_detached(sig, (const unsigned char *)msg, len, pk) == 0;
}

/* Append a signature entry made by hand: signer named `signer`, by key k, over msg. */
static void add_raw_signature(json_t *v, const char *signer, const sign_key *k, const char *msg, size_t len) {
  uint8_t sig[64];
  char pk64[64], sig64[100];
  crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, k->sk);
  sign_b64_encode(k->pk, 32, pk64, sizeof pk64);
  sign_b64_encode(sig, 64, sig64, sizeof sig64);
  json_t *sigs = json_object_get(v, "signatures");
  if (!sigs) {
    sigs = json_array();
    json_object_set_new(v, "signatures", sigs);
  }
  json_array_append_new(sigs, json_pack("{s:s, s:s, s:s}", "signer", signer, "public_key", pk64, "signature", sig64));
}

static int event_index(fx *f, const char *name) {
  int i = agreement_find_event(f->agr, name, strlen(name));
  assert_true(i >= 0);
  return i;
}

/* Authorize the signers of ev (verified first) for its type; returns the rc, err in f->err. */
static int authorize(fx *f, const json_t *ev) {
  sign_check c;
  verify_ok(f, ev, &c);
  memset(&f->err, 0, sizeof f->err);
  return sign_authorize(f->agr, event_index(f, json_string_value(json_object_get(ev, "type"))), &c.signers, &f->err);
}

static void authorize_refused(fx *f, const json_t *ev, const char *code, const char *msg) {
  assert_int_equal(authorize(f, ev), PACTUM_EINPUT);
  assert_string_equal(f->err.code, code);
  assert_string_equal(f->err.message, msg);
}

static void b64_of(const uint8_t pk[32], char out[64]) { sign_b64_encode(pk, 32, out, 64); }

/* ---- base64 ---------------------------------------------------------------------------- */

static void test_b64(void **state) {
  (void)state;
  /* RFC 4648, section 10. */
  static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; i++) {
    char out[16];
    uint8_t bin[16];
    size_t n = 99;
    assert_int_equal(sign_b64_encode((const uint8_t *)plain[i], strlen(plain[i]), out, sizeof out), 0);
    assert_string_equal(out, coded[i]);
    assert_int_equal(sign_b64_decode(coded[i], bin, sizeof bin, &n), 0);
    assert_int_equal(n, strlen(plain[i]));
    assert_memory_equal(bin, plain[i], n);
  }
  char small[8];
  assert_int_equal(sign_b64_encode((const uint8_t *)"foobar", 6, small, sizeof small), -1); /* needs 9 */
  uint8_t bin[8];
  size_t n;
  assert_int_equal(sign_b64_decode("Zg", bin, sizeof bin, &n), -1);       /* padding is required */
  assert_int_equal(sign_b64_decode("Zm9v!", bin, sizeof bin, &n), -1);    /* not base64 */
  assert_int_equal(sign_b64_decode("Zm9v Zm9v", bin, sizeof bin, &n), -1); /* no white space */
  assert_int_equal(sign_b64_decode("Zm9vYmFy", bin, 5, &n), -1);          /* 6 bytes do not fit in 5 */
  assert_int_equal(sign_b64_decode("Zm9vYmFy", bin, 6, &n), 0);
  assert_int_equal(n, 6);
}

/* ---- key files ------------------------------------------------------------------------- */

static void path_of(fx *f, const char *name, char *out, size_t cap) { snprintf(out, cap, "%s/%s", f->dir, name); }

static void test_keygen_round_trip(void **state) {
  fx *f = *state;
  sign_key k, sec, pub;
  char kp[256], pp[256];
  assert_int_equal(sign_keygen("panel.expert_1", f->dir, &k, &f->err), PACTUM_OK);
  assert_string_equal(k.signer, "panel.expert_1");
  assert_true(k.has_secret);
  path_of(f, "panel.expert_1.key", kp, sizeof kp);
  path_of(f, "panel.expert_1.pub", pp, sizeof pp);

  struct stat st;
  assert_int_equal(stat(kp, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  assert_int_equal(stat(pp, &st), 0);
  assert_int_equal(st.st_mode & 0022, 0); /* others may read the public file, not write it */

  assert_int_equal(sign_key_load(kp, &sec, &f->err), PACTUM_OK);
  assert_string_equal(sec.signer, "panel.expert_1");
  assert_true(sec.has_secret);
  assert_memory_equal(sec.pk, k.pk, SIGN_PK_BYTES);
  assert_memory_equal(sec.sk, k.sk, SIGN_SK_BYTES);
  assert_int_equal(sign_key_load(pp, &pub, &f->err), PACTUM_OK);
  assert_string_equal(pub.signer, "panel.expert_1");
  assert_false(pub.has_secret);
  assert_memory_equal(pub.pk, k.pk, SIGN_PK_BYTES);
  static const uint8_t zero[SIGN_SK_BYTES];
  assert_memory_equal(pub.sk, zero, SIGN_SK_BYTES);

  /* The loaded pair is a working Ed25519 pair: sign with the secret, verify with the public. */
  uint8_t sig[crypto_sign_BYTES], derived[SIGN_PK_BYTES];
  crypto_sign_ed25519_sk_to_pk(derived, sec.sk);
  assert_memory_equal(derived, pub.pk, SIGN_PK_BYTES);
  crypto_sign_detached(sig, NULL, (const unsigned char *)"hello", 5, sec.sk);
  assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)"hello", 5, pub.pk), 0);

  /* The .pub file is the JSON the header documents, with the key in standard base64. */
  json_error_t je;
  json_t *o = json_load_file(pp, 0, &je);
  assert_non_null(o);
  assert_int_equal(json_object_size(o), 2);
  assert_string_equal(json_string_value(json_object_get(o, "signer")), "panel.expert_1");
  uint8_t pk[64];
  size_t n = 0;
  assert_int_equal(sodium_base642bin(pk, sizeof pk, json_string_value(json_object_get(o, "public_key")),
                                     json_string_length(json_object_get(o, "public_key")), NULL, &n, NULL,
                                     sodium_base64_VARIANT_ORIGINAL),
                   0);
  assert_int_equal(n, SIGN_PK_BYTES);
  assert_memory_equal(pk, k.pk, SIGN_PK_BYTES);
  json_decref(o);

  /* A second keygen for the same signer refuses and leaves the first key as it was. */
  sign_key again;
  assert_int_equal(sign_keygen("panel.expert_1", f->dir, &again, &f->err), PACTUM_EIO);
  assert_string_equal(f->err.code, "key_exists");
  assert_non_null(strstr(f->err.message, "panel.expert_1.key' already exists"));
  assert_int_equal(sign_key_load(kp, &sec, &f->err), PACTUM_OK);
  assert_memory_equal(sec.sk, k.sk, SIGN_SK_BYTES);

  /* Only the .pub exists: still refused, and no .key is left behind. */
  path_of(f, "openai.pub", pp, sizeof pp);
  path_of(f, "openai.key", kp, sizeof kp);
  FILE *fp = fopen(pp, "w");
  assert_non_null(fp);
  fputs("x", fp);
  fclose(fp);
  assert_int_equal(sign_keygen("openai", f->dir, NULL, &f->err), PACTUM_EIO);
  assert_string_equal(f->err.code, "key_exists");
  assert_int_equal(access(kp, F_OK), -1);

  /* Names that are not signers never reach the file system. */
  assert_int_equal(sign_keygen("../evil", f->dir, NULL, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_signer");
  assert_int_equal(sign_keygen("a.b.c", f->dir, NULL, &f->err), PACTUM_EINPUT);
  assert_int_equal(sign_keygen("", f->dir, NULL, &f->err), PACTUM_EINPUT);
  assert_int_equal(sign_keygen(".hidden", f->dir, NULL, &f->err), PACTUM_EINPUT);
  assert_int_equal(sign_keygen("x", "/nonexistent/dir", NULL, &f->err), PACTUM_EIO);
  assert_string_equal(f->err.code, "io_error");
}

static void write_file(const char *path, const char *text) {
  unlink(path);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static void test_key_load_errors(void **state) {
  fx *f = *state;
  sign_key k;
  char p[256];
  path_of(f, "missing.key", p, sizeof p);
  assert_int_equal(sign_key_load(p, &k, &f->err), PACTUM_EIO);
  assert_string_equal(f->err.code, "io_error");

  path_of(f, "bad.key", p, sizeof p);
  static const char *const bad[] = {
      "not json",
      "[]",
      "{\"signer\":\"openai\"}",
      "{\"signer\":\"openai\",\"public_key\":\"Zm9v\"}",                 /* 3 bytes, not 32 */
      "{\"signer\":\"a/b\",\"public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
      "{\"signer\":\"openai\",\"public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"x\":1}",
      "{\"signer\":\"openai\",\"public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"secret_key\":\"Zm9v\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    write_file(p, bad[i]);
    if (sign_key_load(p, &k, &f->err) != PACTUM_EINPUT) fail_msg("accepted: %s", bad[i]);
    assert_string_equal(f->err.code, "bad_key_file");
  }
  /* 32 zero bytes is a well-formed public key. */
  write_file(p, "{\"signer\":\"openai\",\"public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}");
  assert_int_equal(sign_key_load(p, &k, &f->err), PACTUM_OK);
  assert_false(k.has_secret);

  /* A secret key whose public half is not the file's public key. */
  sign_key a = mkkey("openai"), b = mkkey("openai");
  char pk64[64], sk64[100], text[300];
  sign_b64_encode(a.pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  sign_b64_encode(b.sk, SIGN_SK_BYTES, sk64, sizeof sk64);
  snprintf(text, sizeof text, "{\"signer\":\"openai\",\"public_key\":\"%s\",\"secret_key\":\"%s\"}", pk64, sk64);
  write_file(p, text);
  assert_int_equal(sign_key_load(p, &k, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_key_file");
  assert_non_null(strstr(f->err.message, "does not belong to its public key"));
  assert_false(k.has_secret);
  sign_b64_encode(a.sk, SIGN_SK_BYTES, sk64, sizeof sk64);
  snprintf(text, sizeof text, "{\"signer\":\"openai\",\"public_key\":\"%s\",\"secret_key\":\"%s\"}", pk64, sk64);
  write_file(p, text);
  assert_int_equal(sign_key_load(p, &k, &f->err), PACTUM_OK);
  assert_true(k.has_secret);
  assert_memory_equal(k.sk, a.sk, SIGN_SK_BYTES);
}

/* ---- signing and verifying ------------------------------------------------------------- */

static void test_sign_verify(void **state) {
  fx *f = *state;
  sign_key k = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_check c;

  verify_ok(f, ev, &c); /* no "signatures": nothing to verify, no nonce needed */
  assert_int_equal(c.nsigs, 0);
  assert_int_equal(c.signers.n, 0);
  json_object_set_new(ev, "signatures", json_array());
  verify_ok(f, ev, &c); /* an empty array is the same */
  assert_int_equal(c.nsigs, 0);
  json_object_del(ev, "signatures");

  sign_ok(f, ev, &k);
  /* sign_event gave the event a nonce: 32 lowercase hex digits. */
  const char *nonce = json_string_value(json_object_get(ev, "nonce"));
  assert_non_null(nonce);
  assert_int_equal(strlen(nonce), 32);
  assert_int_equal(strspn(nonce, "0123456789abcdef"), 32);
  json_t *sigs = json_object_get(ev, "signatures");
  assert_int_equal(json_array_size(sigs), 1);
  json_t *e = json_array_get(sigs, 0);
  assert_int_equal(json_object_size(e), 3);
  assert_string_equal(json_string_value(json_object_get(e, "signer")), "openai");

  /* What was signed: the domain, the agreement hash, the store, and the canonical event with its
     nonce and without "signatures", written out by hand here. */
  char canonical[256], msg[512];
  snprintf(canonical, sizeof canonical, "{\"by\":\"Sam\",\"date\":\"2029-01-15\",\"nonce\":\"%s\",\"type\":\"agi_declared\"}",
           nonce);
  size_t len = event_message(&f->sc, canonical, msg, sizeof msg);
  assert_true(signs(ev, 0, k.pk, msg, len));
  /* Ed25519 is deterministic: the same key over the same text gives the same signature. */
  uint8_t pk[32], sig[64], again[64];
  signature_of(ev, 0, pk, sig);
  crypto_sign_detached(again, NULL, (const unsigned char *)msg, len, k.sk);
  assert_memory_equal(again, sig, 64);
  /* sign_message builds the same bytes. */
  int rc = 0;
  size_t mlen = 0;
  char *m = sign_message(&f->sc, ev, &mlen, &rc, &f->err);
  assert_non_null(m);
  assert_int_equal(mlen, len);
  assert_memory_equal(m, msg, len);
  px_free(m);

  verify_ok(f, ev, &c);
  assert_int_equal(c.nsigs, 1);
  assert_int_equal(c.signers.n, 1);
  assert_string_equal(c.signers.names[0], "openai");
  assert_int_equal(c.nboot, 0);
  assert_int_equal(c.pop, 0);

  /* Member order and white space do not matter: the signature covers the canonical form. */
  char *text = json_dumps(ev, JSON_INDENT(2));
  json_t *reordered = parse(text);
  free(text);
  verify_ok(f, reordered, &c);
  assert_int_equal(c.signers.n, 1);
  json_decref(reordered);

  /* "recorded_by" is written by the server after the signers signed: it is not signed. */
  json_object_set_new(ev, "recorded_by", parse("[\"openai\"]"));
  verify_ok(f, ev, &c);
  assert_int_equal(c.signers.n, 1);
  json_object_del(ev, "recorded_by");

  /* A co-signer signs the same event, nonce and all: the nonce is kept, both verify. */
  sign_key m2 = regkey(f, "microsoft");
  sign_ok(f, ev, &m2);
  assert_string_equal(json_string_value(json_object_get(ev, "nonce")), nonce);
  assert_true(signs(ev, 1, m2.pk, msg, len));
  verify_ok(f, ev, &c);
  assert_int_equal(c.signers.n, 2);
  assert_int_equal(c.nsigs, 2);

  /* A public-only key cannot sign; a real number cannot be signed. */
  sign_key pub = k;
  memset(pub.sk, 0, sizeof pub.sk);
  pub.has_secret = 0;
  assert_int_equal(sign_event(ev, &f->sc, &pub, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_key");
  json_t *real = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":1.5}");
  assert_int_equal(sign_event(real, &f->sc, &k, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_json");
  json_decref(real);
  json_decref(ev);
}

static void test_nonces(void **state) {
  fx *f = *state;
  /* The form: 16 to 64 characters of [A-Za-z0-9_-]. */
  static const char *const good[] = {"abcdefghijklmnop", "ABC-def_0123456789", "----------------",
                                     "0123456789012345678901234567890123456789012345678901234567890123"};
  static const char *const bad[] = {"", "abcdefghijklmno", "abcdefghijklmnop!", "abcdefgh ijklmnop", "abcdefgh.ijklmnop",
                                    "abcdefghijklmnopé", "01234567890123456789012345678901234567890123456789012345678901234"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (!sign_nonce_ok(good[i], strlen(good[i]))) fail_msg("refused nonce '%s'", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (sign_nonce_ok(bad[i], strlen(bad[i]))) fail_msg("accepted nonce '%s'", bad[i]);
  assert_false(sign_nonce_ok("abcdefgh\0ijklmnop", 17)); /* a NUL inside */

  char n1[33], n2[33];
  sign_nonce_new(n1);
  sign_nonce_new(n2);
  assert_int_equal(strlen(n1), 32);
  assert_int_equal(strspn(n1, "0123456789abcdef"), 32);
  assert_true(sign_nonce_ok(n1, 32));
  assert_string_not_equal(n1, n2);

  /* A nonce the caller gave is kept and signed. */
  sign_key k = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5,"
                     "\"nonce\":\"nonce-given-by-caller-1\"}");
  sign_ok(f, ev, &k);
  assert_string_equal(json_string_value(json_object_get(ev, "nonce")), "nonce-given-by-caller-1");
  char msg[512];
  size_t len = event_message(
      &f->sc, "{\"amount_usd\":5,\"date\":\"2029-01-15\",\"nonce\":\"nonce-given-by-caller-1\",\"type\":\"azure_purchase\"}",
      msg, sizeof msg);
  assert_true(signs(ev, 0, k.pk, msg, len));

  /* The nonce is signed: changed, the signature fails; removed, the event is refused for it. */
  json_t *other = json_deep_copy(ev);
  json_object_set_new(other, "nonce", json_string("nonce-given-by-caller-2"));
  verify_refused(f, other, "bad_signature", NULL);
  json_object_del(other, "nonce");
  verify_refused(f, other, "missing_nonce", "a signed event must carry a 'nonce'");
  json_decref(other);
  json_decref(ev);

  /* A malformed nonce is refused before anything is signed. */
  static const char *const bad_events[] = {
      "{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5,\"nonce\":\"short\"}",
      "{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5,\"nonce\":1234567890123456789}",
      "{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5,\"nonce\":\"has a space in it!\"}"};
  for (size_t i = 0; i < sizeof bad_events / sizeof bad_events[0]; i++) {
    json_t *b = parse(bad_events[i]);
    assert_int_equal(sign_event(b, &f->sc, &k, &f->err), PACTUM_EINPUT);
    assert_string_equal(f->err.code, "bad_nonce");
    assert_null(json_object_get(b, "signatures"));
    json_decref(b);
  }
}

/* A signature is bound to its store and its agreement. */
static void test_scope_binding(void **state) {
  fx *f = *state;
  sign_key k = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k);
  sign_check c;
  verify_ok(f, ev, &c);

  static const char why[] = "the signature of 'openai' does not match (the signed object was altered, or signed for "
                            "another store or agreement)";
  sign_scope other_store = scope_of("agreement A", STORE_B, 0);
  verify_refused_in(f, &other_store, ev, "bad_signature", why);
  sign_scope other_agreement = scope_of("agreement B", STORE_A, 0);
  verify_refused_in(f, &other_agreement, ev, "bad_signature", why);
  sign_scope legacy = scope_of("agreement A", STORE_A, 1);
  verify_refused_in(f, &legacy, ev, "bad_signature", why);

  /* Signed for store B: refused in store A, accepted in B. */
  json_t *ev_b = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  assert_int_equal(sign_event(ev_b, &other_store, &k, &f->err), PACTUM_OK);
  verify_refused(f, ev_b, "bad_signature", why);
  assert_int_equal(sign_verify_event(ev_b, &other_store, f->kr, NULL, NULL, NULL, &c, &f->err), PACTUM_OK);
  assert_int_equal(c.signers.n, 1);
  json_decref(ev_b);

  /* A record of a schema-2 store was signed over its canonical JSON alone (the legacy form):
     that verifies in the legacy scope only, and needs no nonce there. */
  json_t *old = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  static const char old_text[] = "{\"by\":\"Sam\",\"date\":\"2029-01-15\",\"type\":\"agi_declared\"}";
  add_raw_signature(old, "openai", &k, old_text, sizeof old_text - 1);
  assert_int_equal(sign_verify_event(old, &legacy, f->kr, NULL, NULL, NULL, &c, &f->err), PACTUM_OK);
  assert_int_equal(c.signers.n, 1);
  verify_refused(f, old, "missing_nonce", NULL);
  json_object_set_new(old, "nonce", json_string("a-nonce-added-later"));
  verify_refused(f, old, "bad_signature", why);
  json_decref(old);
  /* sign_message in the legacy scope is the canonical text alone. */
  int rc = 0;
  size_t len = 0;
  json_t *plain = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  char *m = sign_message(&legacy, plain, &len, &rc, &f->err);
  assert_non_null(m);
  assert_int_equal(len, sizeof old_text - 1);
  assert_memory_equal(m, old_text, len);
  px_free(m);
  json_decref(plain);
  json_decref(ev);
}

static void test_forged_signature(void **state) {
  fx *f = *state;
  sign_key k = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k);
  json_t *e = json_array_get(json_object_get(ev, "signatures"), 0);

  uint8_t junk[64];
  char junk64[100];
  randombytes_buf(junk, sizeof junk);
  sign_b64_encode(junk, sizeof junk, junk64, sizeof junk64);
  json_object_set_new(e, "signature", json_string(junk64));
  verify_refused(f, ev, "bad_signature", NULL);

  json_object_set_new(e, "signature", json_string("Zm9v")); /* base64, but 3 bytes */
  verify_refused(f, ev, "bad_signature", "the signature of 'openai' is not 64 bytes of base64");
  json_object_set_new(e, "signature", json_string("not base64!"));
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_set_new(e, "signature", json_string(junk64));
  json_object_set_new(e, "public_key", json_string("Zm9v"));
  verify_refused(f, ev, "bad_signature", "the public key of 'openai' is not 32 bytes of base64");
  char pk64[64];
  b64_of(k.pk, pk64);
  json_object_set_new(e, "public_key", json_string(pk64));
  json_object_set_new(e, "signer", json_string("../openai"));
  verify_refused(f, ev, "bad_signature", "signature 1 names no signer: '../openai' is not a name");
  json_object_set_new(e, "signer", json_string("openai"));

  /* Shapes: extra or missing members, wrong types, a non-array. */
  json_object_set_new(e, "note", json_string("x"));
  verify_refused(f, ev, "bad_signature",
                 "signature 1 must be an object of exactly signer, public_key and signature strings");
  json_object_del(e, "note");
  json_object_del(e, "signature");
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_set_new(e, "signature", json_integer(1));
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_set_new(ev, "signatures", json_string("x"));
  verify_refused(f, ev, "bad_signature", "'signatures' must be an array");
  json_object_set_new(ev, "signatures", parse("[1]"));
  verify_refused(f, ev, "bad_signature", NULL);
  json_decref(ev);
}

static void test_altered_event(void **state) {
  fx *f = *state;
  sign_key k = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k);
  json_t *sigs = json_object_get(ev, "signatures");
  static const char why[] = "the signature of 'openai' does not match (the signed object was altered, or signed for "
                            "another store or agreement)";

  /* The same signature and nonce on an event with one field changed. */
  json_t *altered = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Satya\"}");
  json_object_set(altered, "nonce", json_object_get(ev, "nonce"));
  json_object_set(altered, "signatures", sigs);
  verify_refused(f, altered, "bad_signature", why);
  json_decref(altered);

  /* ... with a field added, or the date moved. */
  json_object_set_new(ev, "extra", json_true());
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_del(ev, "extra");
  sign_check c;
  verify_ok(f, ev, &c);
  json_object_set_new(ev, "date", json_string("2029-01-16"));
  verify_refused(f, ev, "bad_signature", NULL);

  /* One bad signature among good ones refuses the whole event. */
  json_object_set_new(ev, "date", json_string("2029-01-15"));
  sign_key m = regkey(f, "microsoft");
  sign_ok(f, ev, &m);
  verify_ok(f, ev, &c);
  assert_int_equal(c.signers.n, 2);
  json_t *e = json_array_get(sigs, 1);
  json_object_set(e, "signature", json_object_get(json_array_get(sigs, 0), "signature"));
  verify_refused(f, ev, "bad_signature",
                 "the signature of 'microsoft' does not match (the signed object was altered, or signed for another "
                 "store or agreement)");
  json_decref(ev);
}

static void test_unregistered_key(void **state) {
  fx *f = *state;
  sign_key k = mkkey("openai"); /* never registered */
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k);
  char pk64[64], msg[200];
  b64_of(k.pk, pk64);
  snprintf(msg, sizeof msg, "key '%s' is not registered to 'openai'", pk64);
  verify_refused(f, ev, "unknown_key", msg);

  /* Registered, but to someone else: signing under another's name does not work either. */
  assert_int_equal(keyring_add(f->kr, "microsoft", k.pk, 2), PACTUM_OK);
  assert_true(keyring_active(f->kr, "microsoft"));
  assert_false(keyring_active(f->kr, "openai"));
  verify_refused(f, ev, "unknown_key", msg);

  /* The bootstrap key is no signer's key: an event signed by it alone is refused. */
  json_t *b = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, b, &f->bootkey);
  b64_of(f->bootkey.pk, pk64);
  snprintf(msg, sizeof msg, "key '%s' is not registered to 'bootstrap'", pk64);
  verify_refused(f, b, "unknown_key", msg);
  json_decref(b);
  json_decref(ev);
}

static void test_too_many_signers(void **state) {
  fx *f = *state;
  json_t *ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  sign_key first = regkey(f, "s0");
  for (int i = 0; i < 16; i++) {
    char name[8];
    snprintf(name, sizeof name, "s%d", i);
    sign_key k = i == 0 ? first : regkey(f, name);
    sign_ok(f, ev, &k);
  }
  sign_ok(f, ev, &first); /* a repeat does not count */
  sign_check c;
  verify_ok(f, ev, &c);
  assert_int_equal(c.signers.n, 16);
  assert_int_equal(c.nsigs, 17);
  assert_string_equal(c.signers.names[15], "s15");
  sign_key k = regkey(f, "s16");
  sign_ok(f, ev, &k);
  verify_refused(f, ev, "too_many_signatures", "signed by more than 16 signers");
  json_decref(ev);

  /* At most 64 signature objects are read, repeats included. */
  ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  for (int i = 0; i < 64; i++) sign_ok(f, ev, &first);
  verify_ok(f, ev, &c);
  assert_int_equal(c.signers.n, 1);
  sign_ok(f, ev, &first);
  verify_refused(f, ev, "too_many_signatures", "65 signatures; at most 64 are read");
  json_decref(ev);
}

/* ---- who may record what --------------------------------------------------------------- */

static void test_party_recorders(void **state) {
  fx *f = *state;
  sign_key o = regkey(f, "openai"), m = regkey(f, "microsoft");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &m);
  authorize_refused(f, ev, "not_allowed", "'microsoft' may not record 'agi_declared'; it is recorded by openai");
  sign_ok(f, ev, &o); /* microsoft's signature alongside openai's does no harm */
  assert_int_equal(authorize(f, ev), PACTUM_OK);
  json_decref(ev);

  ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  sign_ok(f, ev, &m);
  assert_int_equal(authorize(f, ev), PACTUM_OK);
  json_decref(ev);

  sign_key x = regkey(f, "panel.expert_1");
  ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  sign_ok(f, ev, &x);
  authorize_refused(f, ev, "not_allowed",
                    "'panel.expert_1' may not record 'azure_purchase'; it is recorded by openai or microsoft");
  json_decref(ev);
}

static void test_unsigned(void **state) {
  fx *f = *state;
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  authorize_refused(f, ev, "unsigned", "'agi_declared' must be signed by openai");
  json_decref(ev);
  ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-01-15\",\"verdict\":\"verified\",\"signatures\":[]}");
  authorize_refused(f, ev, "unsigned", "'panel_verdict' must be signed by 3 of the 5 members of 'panel'");
  json_decref(ev);
  assert_int_equal(sign_authorize(f->agr, event_index(f, "azure_purchase"), NULL, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.message, "'azure_purchase' must be signed by openai or microsoft");
  char who[200];
  sign_who_records(f->agr, event_index(f, "panel_verdict"), who, sizeof who);
  assert_string_equal(who, "3 of the 5 members of 'panel'");
  sign_who_records(f->agr, -1, who, sizeof who);
  assert_string_equal(who, "nobody");
}

static void test_quorum(void **state) {
  fx *f = *state;
  sign_key e1 = regkey(f, "panel.expert_1"), e2 = regkey(f, "panel.expert_2"), e3 = regkey(f, "panel.expert_3");
  sign_key o = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-02-01\",\"verdict\":\"verified\"}");
  sign_ok(f, ev, &e1);
  authorize_refused(f, ev, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 1 has");
  sign_ok(f, ev, &e2);
  authorize_refused(f, ev, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 have");

  /* The same member again, even with a second key of theirs, is still one member. */
  sign_ok(f, ev, &e1);
  sign_key e1b = regkey(f, "panel.expert_1");
  sign_ok(f, ev, &e1b);
  authorize_refused(f, ev, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 have");

  /* A party is not a member. */
  sign_ok(f, ev, &o);
  authorize_refused(f, ev, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 have");

  sign_ok(f, ev, &e3);
  assert_int_equal(authorize(f, ev), PACTUM_OK);
  json_decref(ev);

  /* Only openai signing a verdict: not a member at all. */
  ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-02-01\",\"verdict\":\"verified\"}");
  sign_ok(f, ev, &o);
  authorize_refused(f, ev, "not_allowed",
                    "'openai' may not record 'panel_verdict'; it is recorded by 3 of the 5 members of 'panel'");
  json_decref(ev);

  /* Signers named like members of a body the agreement does not have, or non-members, count for nothing. */
  signer_set s = {.n = 3};
  snprintf(s.names[0], SIGN_MAX_SIGNER, "panel.expert_9");
  snprintf(s.names[1], SIGN_MAX_SIGNER, "board.expert_1");
  snprintf(s.names[2], SIGN_MAX_SIGNER, "panelx.expert_2");
  assert_int_equal(sign_authorize(f->agr, event_index(f, "panel_verdict"), &s, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_string_equal(f->err.message, "'panel.expert_9', 'board.expert_1' and 'panelx.expert_2' may not record "
                                      "'panel_verdict'; it is recorded by 3 of the 5 members of 'panel'");
  /* A set with a name twice (signer_set_add refuses the repeat) still counts one member. */
  signer_set t;
  memset(&t, 0, sizeof t);
  assert_int_equal(signer_set_add(&t, "panel.expert_1"), 0);
  assert_int_equal(signer_set_add(&t, "panel.expert_1"), 0);
  assert_int_equal(signer_set_add(&t, "panel.expert_2"), 0);
  assert_int_equal(t.n, 2);
  assert_int_equal(sign_authorize(f->agr, event_index(f, "panel_verdict"), &t, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "no_quorum");
}

/* An agreement with an event anyone may record and one a body or a party records. */
static void test_open_and_mixed_recorders(void **state) {
  fx *f = *state;
  pactum_agreement *agr = unit_load_ok("agreement \"t\" { version \"1\" effective 2025-01-01 }\n"
                                       "party a \"A\"\n"
                                       "party b \"B\"\n"
                                       "body board \"Board\" { members x, y, z quorum 2 }\n"
                                       "event ping { }\n"
                                       "event vote recorded by board, a { }\n");
  int ping = agreement_find_event(agr, "ping", 4), vote = agreement_find_event(agr, "vote", 4);
  assert_true(ping >= 0 && vote >= 0);
  signer_set s = {.n = 1};
  snprintf(s.names[0], SIGN_MAX_SIGNER, "b");
  assert_int_equal(sign_authorize(agr, ping, &s, &f->err), PACTUM_OK);
  assert_int_equal(sign_authorize(agr, ping, NULL, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "unsigned");
  assert_string_equal(f->err.message, "'ping' must be signed by any party");
  snprintf(s.names[0], SIGN_MAX_SIGNER, "board.x");
  assert_int_equal(sign_authorize(agr, ping, &s, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_string_equal(f->err.message, "'board.x' may not record 'ping'; it is recorded by any party");

  assert_int_equal(sign_authorize(agr, vote, &s, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "no_quorum");
  assert_string_equal(f->err.message,
                      "'vote' needs 2 of the 3 members of 'board'; 1 has (it may also be recorded by a)");
  s.n = 2;
  snprintf(s.names[1], SIGN_MAX_SIGNER, "board.z");
  assert_int_equal(sign_authorize(agr, vote, &s, &f->err), PACTUM_OK);
  s.n = 1;
  snprintf(s.names[0], SIGN_MAX_SIGNER, "a");
  assert_int_equal(sign_authorize(agr, vote, &s, &f->err), PACTUM_OK);
  snprintf(s.names[0], SIGN_MAX_SIGNER, "b");
  assert_int_equal(sign_authorize(agr, vote, &s, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.message, "'b' may not record 'vote'; it is recorded by 2 of the 3 members of 'board' or a");
  assert_true(sign_signer_known(agr, "board.y"));
  assert_true(sign_signer_known(agr, "a"));
  assert_false(sign_signer_known(agr, "board.w"));
  assert_false(sign_signer_known(agr, "board"));
  int member = -1;
  assert_int_equal(sign_signer_body(agr, "board.z", &member), 0);
  assert_int_equal(member, 2);
  assert_int_equal(sign_signer_body(agr, "a", &member), -1);
  pactum_agreement_free(agr);
}

/* ---- key registration ------------------------------------------------------------------ */

static json_t *key_event(const char *type, const char *signer, const uint8_t pk[SIGN_PK_BYTES], const char *date) {
  char pk64[64];
  b64_of(pk, pk64);
  return json_pack("{s:s, s:s, s:s, s:s}", "type", type, "date", date, "signer", signer, "public_key", pk64);
}

/* A key_registered event for signer's key pk, signed by each of the n keys given. */
static json_t *registration(fx *f, const char *signer, const uint8_t pk[SIGN_PK_BYTES], int n, ...) {
  json_t *ev = key_event("key_registered", signer, pk, "2029-01-01");
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n; i++) sign_ok(f, ev, va_arg(ap, const sign_key *));
  va_end(ap);
  return ev;
}

static int reg(fx *f, json_t *ev, const sign_bootstrap *boot, int64_t seq) {
  memset(&f->err, 0, sizeof f->err);
  return sign_register_key(f->agr, ev, &f->sc, f->kr, boot, seq, &f->err);
}

/* ev must be refused with code (and message msg when not NULL), leaving the keyring as it was. */
static void reg_refused(fx *f, json_t *ev, const sign_bootstrap *boot, const char *code, const char *msg) {
  size_t before = keyring_count(f->kr), mark = keyring_mark(f->kr);
  assert_int_equal(reg(f, ev, boot, 9), PACTUM_EINPUT);
  assert_string_equal(f->err.code, code);
  if (msg) assert_string_equal(f->err.message, msg);
  assert_int_equal(keyring_count(f->kr), before);
  assert_int_equal(keyring_mark(f->kr), mark);
  json_decref(ev);
}

static void test_register_keys(void **state) {
  fx *f = *state;
  sign_key k1 = mkkey("openai"), k2 = mkkey("openai");
  const sign_key *boot = &f->bootkey;

  /* The first key of openai needs the bootstrap key and its own signature (proof of possession). */
  reg_refused(f, registration(f, "openai", k1.pk, 0), &f->boot, "unsigned",
              "the first key of 'openai' must be signed by 1 of the 1 bootstrap keys; 0 signed");
  sign_key stranger = mkkey("microsoft");
  reg_refused(f, registration(f, "openai", k1.pk, 2, &stranger, &k1), &f->boot, "unknown_key", NULL);
  reg_refused(f, registration(f, "openai", k1.pk, 1, &k1), &f->boot, "no_quorum",
              "the first key of 'openai' must be signed by 1 of the 1 bootstrap keys; 0 signed");
  assert_int_equal(keyring_add(f->kr, "microsoft", stranger.pk, 2), PACTUM_OK); /* known, but not the bootstrap */
  reg_refused(f, registration(f, "openai", k1.pk, 2, &stranger, &k1), &f->boot, "no_quorum", NULL);
  reg_refused(f, registration(f, "openai", k1.pk, 1, boot), &f->boot, "no_proof",
              "the new key of 'openai' must sign its own registration (sign with it too), to show its holder has it");
  /* Without the bootstrap keys given, the bootstrap key's signature is a stranger's. */
  reg_refused(f, registration(f, "openai", k1.pk, 2, boot, &k1), NULL, "unknown_key", NULL);
  /* The proof must name the signer being registered: the new key signing as someone else is a stranger. */
  sign_key k1_as_other = k1;
  snprintf(k1_as_other.signer, sizeof k1_as_other.signer, "panel.expert_1");
  reg_refused(f, registration(f, "openai", k1.pk, 2, boot, &k1_as_other), &f->boot, "unknown_key", NULL);
  assert_false(keyring_active(f->kr, "openai"));

  json_t *ev = registration(f, "openai", k1.pk, 2, boot, &k1);
  assert_int_equal(reg(f, ev, &f->boot, 2), PACTUM_OK);
  assert_true(keyring_has(f->kr, "openai", k1.pk));
  int64_t revoked = -1;
  assert_string_equal(keyring_owner(f->kr, k1.pk, &revoked), "openai");
  assert_int_equal(revoked, 0);
  char pk64[64], msg[200];
  b64_of(k1.pk, pk64);
  snprintf(msg, sizeof msg, "key '%s' is already registered to 'openai'", pk64);
  reg_refused(f, ev, &f->boot, "duplicate_key", msg); /* the same registration again */

  /* A second key must be signed by the first, and by itself. */
  reg_refused(f, registration(f, "openai", k2.pk, 2, boot, &k2), &f->boot, "not_allowed",
              "a new key of 'openai' must be signed by a key already registered to 'openai'");
  reg_refused(f, registration(f, "openai", k2.pk, 2, &stranger, &k2), &f->boot, "not_allowed", NULL);
  reg_refused(f, registration(f, "openai", k2.pk, 0), &f->boot, "unsigned", NULL);
  reg_refused(f, registration(f, "openai", k2.pk, 1, &k1), &f->boot, "no_proof", NULL);
  json_t *altered = registration(f, "openai", k2.pk, 2, &k1, &k2);
  json_object_set_new(altered, "date", json_string("2029-01-02"));
  reg_refused(f, altered, &f->boot, "bad_signature", NULL);
  ev = registration(f, "openai", k2.pk, 2, &k1, &k2);
  assert_int_equal(reg(f, ev, &f->boot, 3), PACTUM_OK);
  json_decref(ev);
  assert_true(keyring_has(f->kr, "openai", k2.pk));
  assert_true(keyring_has(f->kr, "openai", k1.pk));

  /* The new key signs events as openai. */
  ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k2);
  assert_int_equal(authorize(f, ev), PACTUM_OK);
  json_decref(ev);

  /* A key cannot belong to two signers: one holder would count as two members. */
  sign_key e1 = mkkey("panel.expert_1");
  ev = registration(f, "panel.expert_1", e1.pk, 2, boot, &e1);
  assert_int_equal(reg(f, ev, &f->boot, 4), PACTUM_OK);
  json_decref(ev);
  sign_key e1_as_2 = e1;
  snprintf(e1_as_2.signer, sizeof e1_as_2.signer, "panel.expert_2");
  b64_of(e1.pk, pk64);
  snprintf(msg, sizeof msg, "key '%s' is already registered to 'panel.expert_1', not 'panel.expert_2'", pk64);
  reg_refused(f, registration(f, "panel.expert_2", e1.pk, 2, boot, &e1_as_2), &f->boot, "key_in_use", msg);
  assert_false(keyring_active(f->kr, "panel.expert_2"));

  /* No bootstrap key in the store: nobody's first key can be registered. */
  sign_bootstrap none;
  memset(&none, 0, sizeof none);
  sign_key e3 = mkkey("panel.expert_3");
  reg_refused(f, registration(f, "panel.expert_3", e3.pk, 1, &e3), &none, "no_bootstrap",
              "the first key of 'panel.expert_3' must be signed by the bootstrap keys, and the store has none");
  reg_refused(f, registration(f, "panel.expert_3", e3.pk, 1, &e3), NULL, "no_bootstrap", NULL);

  /* A record of a schema-2 store (legacy scope) was registered without a proof of possession. */
  sign_scope legacy = scope_of("agreement A", STORE_A, 1);
  ev = key_event("key_registered", "panel.expert_3", e3.pk, "2029-01-01");
  char old_text[256];
  char e3_64[64];
  b64_of(e3.pk, e3_64);
  snprintf(old_text, sizeof old_text,
           "{\"date\":\"2029-01-01\",\"public_key\":\"%s\",\"signer\":\"panel.expert_3\",\"type\":\"key_registered\"}",
           e3_64);
  add_raw_signature(ev, "bootstrap", boot, old_text, strlen(old_text));
  assert_int_equal(sign_register_key(f->agr, ev, &legacy, f->kr, &f->boot, 5, &f->err), PACTUM_OK);
  assert_true(keyring_has(f->kr, "panel.expert_3", e3.pk));
  json_decref(ev);
}

static void test_register_unknown_signer(void **state) {
  fx *f = *state;
  sign_key k = mkkey("x");
  static const char *const names[] = {"google", "panel.expert_6", "board.expert_1", "panel", "openai.x", "panel.",
                                      "a/b"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    json_t *ev = registration(f, names[i], k.pk, 1, &f->bootkey);
    char msg[200];
    snprintf(msg, sizeof msg, "'%s' is neither a party nor a member of a body of agreement '%s'", names[i],
             pactum_agreement_id(f->agr));
    reg_refused(f, ev, &f->boot, "unknown_signer", msg);
  }

  json_t *ev = key_event("key_registered", "openai", k.pk, "2029-01-01");
  json_object_set_new(ev, "public_key", json_string("Zm9v"));
  sign_ok(f, ev, &f->bootkey);
  reg_refused(f, ev, &f->boot, "bad_key", NULL);
  reg_refused(f, parse("{\"type\":\"agi_declared\",\"signer\":\"openai\"}"), &f->boot, "bad_json", NULL);
  reg_refused(f, parse("{\"type\":\"key_registered\"}"), &f->boot, "missing_field", NULL);
  reg_refused(f, parse("[1]"), &f->boot, "bad_json", NULL);
}

/* k of n bootstrap keys: each distinct key counts once, and k of them must sign. */
static void test_bootstrap_quorum(void **state) {
  fx *f = *state;
  sign_key b1 = mkkey("bootstrap"), b2 = mkkey("bootstrap"), b3 = mkkey("bootstrap");
  sign_bootstrap boot = {.n = 3, .threshold = 2};
  memcpy(boot.keys[0], b1.pk, SIGN_PK_BYTES);
  memcpy(boot.keys[1], b2.pk, SIGN_PK_BYTES);
  memcpy(boot.keys[2], b3.pk, SIGN_PK_BYTES);
  sign_key o = mkkey("openai"), m = mkkey("microsoft");

  reg_refused(f, registration(f, "openai", o.pk, 2, &b1, &o), &boot, "no_quorum",
              "the first key of 'openai' must be signed by 2 of the 3 bootstrap keys; 1 signed");
  reg_refused(f, registration(f, "openai", o.pk, 3, &b1, &b1, &o), &boot, "no_quorum",
              "the first key of 'openai' must be signed by 2 of the 3 bootstrap keys; 1 signed");
  json_t *ev = registration(f, "openai", o.pk, 3, &b1, &b2, &o);
  sign_check c;
  assert_int_equal(sign_verify_event(ev, &f->sc, f->kr, &boot, o.pk, "openai", &c, &f->err), PACTUM_OK);
  assert_int_equal(c.nboot, 2);
  assert_int_equal(c.pop, 1);
  assert_int_equal(c.signers.n, 0); /* bootstrap keys and the new key are no signer's registered key */
  assert_int_equal(reg(f, ev, &boot, 2), PACTUM_OK);
  json_decref(ev);
  ev = registration(f, "microsoft", m.pk, 4, &b3, &b1, &b3, &m);
  assert_int_equal(reg(f, ev, &boot, 3), PACTUM_OK);
  json_decref(ev);
  assert_true(keyring_has(f->kr, "openai", o.pk) && keyring_has(f->kr, "microsoft", m.pk));

  /* Revoking by the bootstrap keys takes the same quorum. */
  json_t *rv = key_event("key_revoked", "openai", o.pk, "2029-02-01");
  sign_ok(f, rv, &b2);
  assert_int_equal(sign_revoke_key(f->agr, rv, &f->sc, f->kr, &boot, 4, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "no_quorum");
  assert_string_equal(f->err.message, "revoking a key of 'openai' must be signed by 2 of the 3 bootstrap keys; 1 signed");
  assert_true(keyring_has(f->kr, "openai", o.pk));
  sign_ok(f, rv, &b3);
  assert_int_equal(sign_revoke_key(f->agr, rv, &f->sc, f->kr, &boot, 4, &f->err), PACTUM_OK);
  assert_false(keyring_has(f->kr, "openai", o.pk));
  json_decref(rv);
}

/* ---- revocation ------------------------------------------------------------------------ */

static int revoke(fx *f, json_t *ev, const sign_bootstrap *boot, int64_t seq) {
  memset(&f->err, 0, sizeof f->err);
  return sign_revoke_key(f->agr, ev, &f->sc, f->kr, boot, seq, &f->err);
}

static void test_revoke_keys(void **state) {
  fx *f = *state;
  sign_key k1 = mkkey("openai"), m = mkkey("microsoft");
  json_t *ev = registration(f, "openai", k1.pk, 2, &f->bootkey, &k1);
  assert_int_equal(reg(f, ev, &f->boot, 2), PACTUM_OK);
  json_decref(ev);
  ev = registration(f, "microsoft", m.pk, 2, &f->bootkey, &m);
  assert_int_equal(reg(f, ev, &f->boot, 3), PACTUM_OK);
  json_decref(ev);

  /* An event openai signed while its key was good. */
  json_t *before = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, before, &k1);
  sign_check c;
  verify_ok(f, before, &c);

  char pk64[64], msg[200];
  b64_of(k1.pk, pk64);
  json_t *rv = key_event("key_revoked", "openai", k1.pk, "2029-02-01");
  assert_int_equal(revoke(f, rv, &f->boot, 5), PACTUM_EINPUT); /* unsigned */
  assert_string_equal(f->err.code, "unsigned");
  assert_string_equal(f->err.message, "revoking a key of 'openai' must be signed by 1 of the 1 bootstrap keys; 0 signed");
  sign_ok(f, rv, &m); /* microsoft may not revoke openai's key */
  assert_int_equal(revoke(f, rv, &f->boot, 5), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "no_quorum");
  json_decref(rv);
  /* Without bootstrap keys only a key of the signer may revoke. */
  sign_bootstrap none;
  memset(&none, 0, sizeof none);
  rv = key_event("key_revoked", "openai", k1.pk, "2029-02-01");
  sign_ok(f, rv, &m);
  assert_int_equal(revoke(f, rv, &none, 5), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_string_equal(f->err.message,
                      "revoking a key of 'openai' must be signed by a key of 'openai' (the store has no bootstrap keys)");
  json_decref(rv);
  /* A key the signer does not hold. */
  rv = key_event("key_revoked", "microsoft", k1.pk, "2029-02-01");
  sign_ok(f, rv, &m);
  assert_int_equal(revoke(f, rv, &f->boot, 5), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "unknown_key");
  snprintf(msg, sizeof msg, "key '%s' is not registered to 'microsoft'", pk64);
  assert_string_equal(f->err.message, msg);
  json_decref(rv);
  assert_true(keyring_has(f->kr, "openai", k1.pk));

  /* openai revokes its own key with that key, at seq 5. */
  size_t mark = keyring_mark(f->kr);
  rv = key_event("key_revoked", "openai", k1.pk, "2029-02-01");
  sign_ok(f, rv, &k1);
  assert_int_equal(revoke(f, rv, &f->boot, 5), PACTUM_OK);
  assert_false(keyring_has(f->kr, "openai", k1.pk));
  assert_false(keyring_active(f->kr, "openai"));
  int64_t at = 0;
  assert_string_equal(keyring_owner(f->kr, k1.pk, &at), "openai");
  assert_int_equal(at, 5);
  assert_int_equal(keyring_count(f->kr), 2);

  /* Afterwards, what the key signed is refused, naming the revocation. */
  snprintf(msg, sizeof msg, "key '%s' of 'openai' was revoked (seq 5)", pk64);
  verify_refused(f, before, "revoked_key", msg);
  json_t *after = parse("{\"type\":\"agi_declared\",\"date\":\"2029-03-01\",\"by\":\"Sam\"}");
  sign_ok(f, after, &k1);
  verify_refused(f, after, "revoked_key", msg);
  /* Revoked again, or registered again, to openai or to anyone: refused. */
  assert_int_equal(revoke(f, rv, &f->boot, 6), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "revoked_key");
  snprintf(msg, sizeof msg, "key '%s' of 'openai' was already revoked (seq 5)", pk64);
  assert_string_equal(f->err.message, msg);
  snprintf(msg, sizeof msg, "key '%s' is already registered to 'openai' (and revoked)", pk64);
  reg_refused(f, registration(f, "openai", k1.pk, 2, &f->bootkey, &k1), &f->boot, "duplicate_key", msg);
  /* A new first key for openai: the revoked key cannot sign for it; the bootstrap key can. */
  sign_key k2 = mkkey("openai");
  reg_refused(f, registration(f, "openai", k2.pk, 2, &k1, &k2), &f->boot, "revoked_key", NULL);

  /* Undo: the revocation is gone, the key verifies again. */
  keyring_undo(f->kr, mark);
  assert_true(keyring_has(f->kr, "openai", k1.pk));
  assert_string_equal(keyring_owner(f->kr, k1.pk, &at), "openai");
  assert_int_equal(at, 0);
  verify_ok(f, before, &c);
  assert_int_equal(c.signers.n, 1);

  /* The bootstrap quorum may revoke too; then a new first key needs the bootstrap again. */
  json_t *rv2 = key_event("key_revoked", "openai", k1.pk, "2029-02-02");
  sign_ok(f, rv2, &f->bootkey);
  assert_int_equal(revoke(f, rv2, &f->boot, 7), PACTUM_OK);
  assert_false(keyring_active(f->kr, "openai"));
  json_t *ev2 = registration(f, "openai", k2.pk, 2, &f->bootkey, &k2);
  assert_int_equal(reg(f, ev2, &f->boot, 8), PACTUM_OK);
  assert_true(keyring_has(f->kr, "openai", k2.pk));
  json_decref(ev2);
  json_decref(rv2);
  json_decref(rv);
  json_decref(after);
  json_decref(before);
}

/* ---- the keyring ----------------------------------------------------------------------- */

static void test_keyring(void **state) {
  (void)state;
  assert_int_equal(sign_init(), 0);
  keyring *kr = keyring_new();
  assert_non_null(kr);
  uint8_t pk[48][SIGN_PK_BYTES];
  for (int i = 0; i < 48; i++) randombytes_buf(pk[i], SIGN_PK_BYTES);
  for (int i = 0; i < 40; i++) assert_int_equal(keyring_add(kr, i % 2 ? "a" : "b", pk[i], i + 2), PACTUM_OK);
  assert_int_equal(keyring_add(kr, "a", pk[1], 50), PACTUM_EINPUT); /* one key, once */
  assert_int_equal(keyring_add(kr, "b", pk[1], 50), PACTUM_EINPUT); /* nor to another signer */
  assert_int_equal(keyring_count(kr), 40);
  for (int i = 0; i < 40; i++) {
    assert_true(keyring_has(kr, i % 2 ? "a" : "b", pk[i]));
    assert_false(keyring_has(kr, i % 2 ? "b" : "a", pk[i]));
  }
  assert_false(keyring_active(kr, "c"));
  assert_null(keyring_owner(kr, pk[40], NULL));
  char longname[SIGN_MAX_SIGNER + 1];
  memset(longname, 'x', sizeof longname - 1);
  longname[SIGN_MAX_SIGNER] = '\0';
  assert_int_equal(keyring_add(kr, longname, pk[40], 50), PACTUM_EINPUT);
  assert_int_equal(keyring_revoke(kr, pk[40], 50), PACTUM_EINPUT); /* not registered */

  /* The undo log: adds and revocations since a mark go back, in reverse. */
  keyring_settle(kr);
  assert_int_equal(keyring_mark(kr), 0);
  size_t m0 = keyring_mark(kr);
  assert_int_equal(keyring_add(kr, "c", pk[40], 60), PACTUM_OK);
  assert_int_equal(keyring_revoke(kr, pk[3], 61), PACTUM_OK);
  assert_int_equal(keyring_revoke(kr, pk[3], 62), PACTUM_EINPUT); /* already revoked */
  size_t m1 = keyring_mark(kr);
  assert_int_equal(keyring_add(kr, "c", pk[41], 63), PACTUM_OK);
  assert_int_equal(keyring_revoke(kr, pk[40], 64), PACTUM_OK);
  assert_int_equal(keyring_count(kr), 42);
  assert_false(keyring_active(kr, "c") && keyring_has(kr, "c", pk[40]));
  keyring_undo(kr, m1);
  assert_int_equal(keyring_count(kr), 41);
  assert_true(keyring_has(kr, "c", pk[40]));
  assert_null(keyring_owner(kr, pk[41], NULL));
  assert_false(keyring_has(kr, "a", pk[3]));
  keyring_undo(kr, m0);
  assert_int_equal(keyring_count(kr), 40);
  assert_false(keyring_active(kr, "c"));
  assert_true(keyring_has(kr, "a", pk[3]));
  int64_t at = -1;
  keyring_owner(kr, pk[3], &at);
  assert_int_equal(at, 0);
  /* Settled changes stay. */
  assert_int_equal(keyring_add(kr, "c", pk[42], 70), PACTUM_OK);
  keyring_settle(kr);
  keyring_undo(kr, 0);
  assert_true(keyring_has(kr, "c", pk[42]));
  assert_int_equal(keyring_count(kr), 41);

  /* Growing the ring when memory runs out fails cleanly and keeps what it had. */
  keyring *small = keyring_new();
  assert_non_null(small);
  for (int i = 0; i < 8; i++) assert_int_equal(keyring_add(small, "a", pk[i], i + 2), PACTUM_OK);
  keyring_settle(small);
  px_alloc_fail_after(1);
  assert_int_equal(keyring_add(small, "a", pk[8], 10), PACTUM_ENOMEM);
  px_alloc_fail_after(0);
  assert_true(keyring_has(small, "a", pk[7]));
  assert_false(keyring_has(small, "a", pk[8]));
  assert_int_equal(keyring_count(small), 8);
  assert_int_equal(keyring_add(small, "a", pk[8], 10), PACTUM_OK);
  keyring_free(small);
  keyring_free(kr);
  keyring_free(NULL);
}

/* ---- checkpoints ----------------------------------------------------------------------- */

#define CP_TEXT                                                                                                  \
  "{\"agreement\":\"" "1111111111111111111111111111111111111111111111111111111111111111" "\",\"chain\":\"events\"," \
  "\"head\":\"" "2222222222222222222222222222222222222222222222222222222222222222" "\",\"origin\":\"pactum:" STORE_A \
  "\",\"root\":\"" "3333333333333333333333333333333333333333333333333333333333333333" "\",\"size\":5}"

static void test_checkpoints(void **state) {
  fx *f = *state;
  sign_key o = regkey(f, "openai"), m = mkkey("microsoft");
  json_t *cp = parse(CP_TEXT);
  assert_int_equal(sign_checkpoint(cp, &o, &f->err), PACTUM_OK);
  /* It signs the checkpoint domain and the canonical checkpoint (CP_TEXT is in canonical order). */
  static const char msg[] = "pactum/checkpoint/v1\n" CP_TEXT;
  assert_true(signs(cp, 0, o.pk, msg, sizeof msg - 1));
  signer_set who;
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, NULL, 0, &who, &f->err), PACTUM_OK);
  assert_int_equal(who.n, 1);
  assert_string_equal(who.names[0], "openai");

  /* Microsoft's key is not in the keyring: trusted by hand (its public half), it counts. */
  assert_int_equal(sign_checkpoint(cp, &m, &f->err), PACTUM_OK);
  char pk64[64], why[200];
  b64_of(m.pk, pk64);
  snprintf(why, sizeof why, "key '%s' is not registered to 'microsoft'", pk64);
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, NULL, 0, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "unknown_key");
  assert_string_equal(f->err.message, why);
  assert_int_equal(who.n, 0);
  sign_key trusted = m;
  memset(trusted.sk, 0, sizeof trusted.sk);
  trusted.has_secret = 0;
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, &trusted, 1, &who, &f->err), PACTUM_OK);
  assert_int_equal(who.n, 2);
  assert_string_equal(who.names[1], "microsoft");
  /* Trust is for the signer the key file names: the same key claimed by another name is not. */
  snprintf(trusted.signer, sizeof trusted.signer, "panel.expert_1");
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, &trusted, 1, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "unknown_key");

  /* A tampered checkpoint: its size or root changed under the signatures. */
  json_t *cut = json_deep_copy(cp);
  json_object_set_new(cut, "size", json_integer(4));
  assert_int_equal(sign_verify_checkpoint(cut, f->kr, &m, 1, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_signature");
  json_object_set_new(cut, "size", json_integer(5));
  json_object_set_new(cut, "root", json_string("4444444444444444444444444444444444444444444444444444444444444444"));
  assert_int_equal(sign_verify_checkpoint(cut, f->kr, &m, 1, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_signature");
  json_decref(cut);

  /* Unsigned, or not an object. */
  json_t *bare = parse(CP_TEXT);
  assert_int_equal(sign_verify_checkpoint(bare, f->kr, NULL, 0, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "unsigned");
  assert_string_equal(f->err.message, "the checkpoint is not signed");
  json_t *arr = parse("[1]");
  assert_int_equal(sign_verify_checkpoint(arr, f->kr, NULL, 0, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_json");
  json_decref(arr);

  /* Domain separation: a signature made on an event is no checkpoint signature, nor the reverse,
     even over the same members. */
  json_t *as_event = parse(CP_TEXT);
  json_object_set_new(as_event, "nonce", json_string("a-nonce-for-the-event"));
  sign_ok(f, as_event, &o);
  assert_int_equal(sign_verify_checkpoint(as_event, f->kr, NULL, 0, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_signature");
  json_t *as_cp = parse(CP_TEXT);
  json_object_set_new(as_cp, "nonce", json_string("a-nonce-for-the-event"));
  assert_int_equal(sign_checkpoint(as_cp, &o, &f->err), PACTUM_OK);
  verify_refused(f, as_cp, "bad_signature", NULL);
  json_decref(as_cp);
  json_decref(as_event);

  /* A revoked key's checkpoint signature is refused. */
  size_t mark = keyring_mark(f->kr);
  assert_int_equal(keyring_revoke(f->kr, o.pk, 9), PACTUM_OK);
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, &m, 1, &who, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "revoked_key");
  keyring_undo(f->kr, mark);
  assert_int_equal(sign_verify_checkpoint(cp, f->kr, &m, 1, &who, &f->err), PACTUM_OK);

  /* A public-only key cannot sign a checkpoint. */
  assert_int_equal(sign_checkpoint(bare, &trusted, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_key");
  json_decref(bare);
  json_decref(cp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_b64),
      cmocka_unit_test_setup_teardown(test_keygen_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_key_load_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sign_verify, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nonces, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scope_binding, setup, teardown),
      cmocka_unit_test_setup_teardown(test_forged_signature, setup, teardown),
      cmocka_unit_test_setup_teardown(test_altered_event, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unregistered_key, setup, teardown),
      cmocka_unit_test_setup_teardown(test_too_many_signers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_party_recorders, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unsigned, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quorum, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_and_mixed_recorders, setup, teardown),
      cmocka_unit_test_setup_teardown(test_register_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_register_unknown_signer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bootstrap_quorum, setup, teardown),
      cmocka_unit_test_setup_teardown(test_revoke_keys, setup, teardown),
      cmocka_unit_test(test_keyring),
      cmocka_unit_test_setup_teardown(test_checkpoints, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
