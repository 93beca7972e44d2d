/*
** test_sign.c: signatures and who may record what (src/sign.c): base64, key files, signing and
** verifying events, the keyring, `recorded by` parties and bodies with a quorum, and key
** registration through the bootstrap key. Expected values are derived independently: signatures
** are checked with libsodium directly over the canonical text written out by hand.
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "canon.h"
#include "sign.h"

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PACTUM_SOURCE_DIR
#error "PACTUM_SOURCE_DIR must be defined"
#endif
#define SHIPPED PACTUM_SOURCE_DIR "/agreements/microsoft-openai-2025-10-28.pact"

typedef struct fx {
  pactum_agreement *agr;
  keyring *kr;
  char dir[64];
  pactum_error err;
} fx;

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

/* A fresh in-memory keypair for signer (libsodium directly, no files). */
static sign_key mkkey(const char *signer) {
  sign_key k;
  memset(&k, 0, sizeof k);
  snprintf(k.signer, sizeof k.signer, "%s", signer);
  assert_int_equal(crypto_sign_keypair(k.pk, k.sk), 0);
  k.has_secret = 1;
  return k;
}

/* A fresh key for signer, registered in the fixture's keyring. */
static sign_key regkey(fx *f, const char *signer) {
  sign_key k = mkkey(signer);
  assert_int_equal(keyring_add(f->kr, signer, k.pk), PACTUM_OK);
  return k;
}

static json_t *parse(const char *text) {
  json_error_t je;
  json_t *v = json_loads(text, 0, &je);
  if (!v) fail_msg("bad test JSON: %s: %s", text, je.text);
  return v;
}

static void sign_ok(fx *f, json_t *ev, const sign_key *k) {
  if (sign_event(ev, k, &f->err) != PACTUM_OK) fail_msg("sign_event: %s: %s", f->err.code, f->err.message);
}

/* Verify ev, which must pass, into *s. */
static void verify_ok(fx *f, const json_t *ev, signer_set *s) {
  memset(&f->err, 0, sizeof f->err);
  if (sign_verify_event(ev, f->kr, s, &f->err) != PACTUM_OK)
    fail_msg("sign_verify_event: %s: %s", f->err.code, f->err.message);
}

/* Verify ev, which must be refused with code (and message msg, when not NULL). */
static void verify_refused(fx *f, const json_t *ev, const char *code, const char *msg) {
  signer_set s;
  memset(&f->err, 0, sizeof f->err);
  assert_int_equal(sign_verify_event(ev, f->kr, &s, &f->err), PACTUM_EINPUT);
  assert_int_equal(s.n, 0);
  assert_string_equal(f->err.code, code);
  if (msg) assert_string_equal(f->err.message, msg);
}

static int event_index(fx *f, const char *name) {
  int i = agreement_find_event(f->agr, name, strlen(name));
  assert_true(i >= 0);
  return i;
}

/* Authorize the signers of ev (verified first) for its type; returns the rc, err in f->err. */
static int authorize(fx *f, const json_t *ev, int require) {
  signer_set s;
  verify_ok(f, ev, &s);
  memset(&f->err, 0, sizeof f->err);
  return sign_authorize(f->agr, event_index(f, json_string_value(json_object_get(ev, "type"))), &s, require,
                        &f->err);
}

static void authorize_refused(fx *f, const json_t *ev, int require, const char *code, const char *msg) {
  assert_int_equal(authorize(f, ev, require), PACTUM_EINPUT);
  assert_string_equal(f->err.code, code);
  assert_string_equal(f->err.message, msg);
}

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
  signer_set s;

  verify_ok(f, ev, &s); /* no "signatures": nothing to verify */
  assert_int_equal(s.n, 0);
  json_object_set_new(ev, "signatures", json_array());
  verify_ok(f, ev, &s); /* an empty array is the same */
  assert_int_equal(s.n, 0);

  sign_ok(f, ev, &k);
  json_t *sigs = json_object_get(ev, "signatures");
  assert_int_equal(json_array_size(sigs), 1);
  json_t *e = json_array_get(sigs, 0);
  assert_int_equal(json_object_size(e), 3);
  assert_string_equal(json_string_value(json_object_get(e, "signer")), "openai");

  /* What was signed is the canonical event without "signatures", written out by hand here. */
  static const char signed_text[] = "{\"by\":\"Sam\",\"date\":\"2029-01-15\",\"type\":\"agi_declared\"}";
  uint8_t pk[32], sig[64];
  size_t n;
  assert_int_equal(sign_b64_decode(json_string_value(json_object_get(e, "public_key")), pk, sizeof pk, &n), 0);
  assert_int_equal(n, 32);
  assert_memory_equal(pk, k.pk, 32);
  assert_int_equal(sign_b64_decode(json_string_value(json_object_get(e, "signature")), sig, sizeof sig, &n), 0);
  assert_int_equal(n, 64);
  assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)signed_text, sizeof signed_text - 1, k.pk),
                   0);
  /* Ed25519 is deterministic: the same key over the same text gives the same signature. */
  uint8_t again[64];
  crypto_sign_detached(again, NULL, (const unsigned char *)signed_text, sizeof signed_text - 1, k.sk);
  assert_memory_equal(again, sig, 64);

  verify_ok(f, ev, &s);
  assert_int_equal(s.n, 1);
  assert_string_equal(s.names[0], "openai");

  /* Member order and white space do not matter: the signature covers the canonical form. */
  char *text = json_dumps(ev, JSON_INDENT(2));
  json_t *reordered = parse(text);
  free(text);
  verify_ok(f, reordered, &s);
  assert_int_equal(s.n, 1);
  json_decref(reordered);

  /* A public-only key cannot sign; a real number cannot be signed. */
  sign_key pub = k;
  memset(pub.sk, 0, sizeof pub.sk);
  pub.has_secret = 0;
  assert_int_equal(sign_event(ev, &pub, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_key");
  json_t *real = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":1.5}");
  assert_int_equal(sign_event(real, &k, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_json");
  json_decref(real);
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
  verify_refused(f, ev, "bad_signature", "the signature of 'openai' does not match the event");

  json_object_set_new(e, "signature", json_string("Zm9v")); /* base64, but 3 bytes */
  verify_refused(f, ev, "bad_signature", "the signature of 'openai' is not 64 bytes of base64");
  json_object_set_new(e, "signature", json_string("not base64!"));
  verify_refused(f, ev, "bad_signature", NULL);

  /* Shapes: extra or missing members, wrong types, a non-array. */
  json_object_set_new(e, "signature", json_string(junk64));
  json_object_set_new(e, "note", json_string("x"));
  verify_refused(f, ev, "bad_signature",
                 "signature 1 of the event must be an object of exactly signer, public_key and signature strings");
  json_object_del(e, "note");
  json_object_del(e, "signature");
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_set_new(e, "signature", json_integer(1));
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_set_new(ev, "signatures", json_string("x"));
  verify_refused(f, ev, "bad_signature", "'signatures' of the event must be an array");
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

  /* The same signature on an event with one field changed. */
  json_t *altered = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Satya\"}");
  json_object_set(altered, "signatures", sigs);
  verify_refused(f, altered, "bad_signature", "the signature of 'openai' does not match the event");
  json_decref(altered);

  /* ... with a field added, or the date moved. */
  json_object_set_new(ev, "extra", json_true());
  verify_refused(f, ev, "bad_signature", NULL);
  json_object_del(ev, "extra");
  signer_set s;
  verify_ok(f, ev, &s);
  json_object_set_new(ev, "date", json_string("2029-01-16"));
  verify_refused(f, ev, "bad_signature", NULL);

  /* One bad signature among good ones refuses the whole event. */
  json_object_set_new(ev, "date", json_string("2029-01-15"));
  sign_key m = regkey(f, "microsoft");
  sign_ok(f, ev, &m);
  verify_ok(f, ev, &s);
  assert_int_equal(s.n, 2);
  json_t *e = json_array_get(sigs, 1);
  json_object_set(e, "signature", json_object_get(json_array_get(sigs, 0), "signature"));
  verify_refused(f, ev, "bad_signature", "the signature of 'microsoft' does not match the event");
  json_decref(ev);
}

static void test_unregistered_key(void **state) {
  fx *f = *state;
  sign_key k = mkkey("openai"); /* never registered */
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k);
  char pk64[64], msg[200];
  sign_b64_encode(k.pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  snprintf(msg, sizeof msg, "key '%s' is not registered to 'openai'", pk64);
  verify_refused(f, ev, "unknown_key", msg);

  /* Registered, but to someone else: signing under another's name does not work either. */
  assert_int_equal(keyring_add(f->kr, "microsoft", k.pk), PACTUM_OK);
  assert_true(keyring_known(f->kr, "microsoft"));
  assert_false(keyring_known(f->kr, "openai"));
  verify_refused(f, ev, "unknown_key", msg);
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
  signer_set s;
  verify_ok(f, ev, &s);
  assert_int_equal(s.n, 16);
  assert_string_equal(s.names[15], "s15");
  sign_key k = regkey(f, "s16");
  sign_ok(f, ev, &k);
  verify_refused(f, ev, "too_many_signatures", "the event is signed by more than 16 signers");
  json_decref(ev);
}

/* ---- who may record what --------------------------------------------------------------- */

static void test_party_recorders(void **state) {
  fx *f = *state;
  sign_key o = regkey(f, "openai"), m = regkey(f, "microsoft");
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &m);
  authorize_refused(f, ev, 0, "not_allowed", "'microsoft' may not record 'agi_declared'; it is recorded by openai");
  authorize_refused(f, ev, 1, "not_allowed", "'microsoft' may not record 'agi_declared'; it is recorded by openai");
  sign_ok(f, ev, &o); /* microsoft's signature alongside openai's does no harm */
  assert_int_equal(authorize(f, ev, 1), PACTUM_OK);
  json_decref(ev);

  ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  sign_ok(f, ev, &m);
  assert_int_equal(authorize(f, ev, 1), PACTUM_OK);
  json_decref(ev);

  sign_key x = regkey(f, "panel.expert_1");
  ev = parse("{\"type\":\"azure_purchase\",\"date\":\"2029-01-15\",\"amount_usd\":5}");
  sign_ok(f, ev, &x);
  authorize_refused(f, ev, 0, "not_allowed",
                    "'panel.expert_1' may not record 'azure_purchase'; it is recorded by openai or microsoft");
  json_decref(ev);
}

static void test_unsigned(void **state) {
  fx *f = *state;
  json_t *ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  assert_int_equal(authorize(f, ev, 0), PACTUM_OK);
  authorize_refused(f, ev, 1, "unsigned", "'agi_declared' must be signed by openai");
  json_decref(ev);
  ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-01-15\",\"verdict\":\"verified\",\"signatures\":[]}");
  assert_int_equal(authorize(f, ev, 0), PACTUM_OK);
  authorize_refused(f, ev, 1, "unsigned", "'panel_verdict' must be signed by 3 of the 5 members of 'panel'");
  json_decref(ev);
  assert_int_equal(sign_authorize(f->agr, event_index(f, "azure_purchase"), NULL, 1, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.message, "'azure_purchase' must be signed by openai or microsoft");
}

static void test_quorum(void **state) {
  fx *f = *state;
  sign_key e1 = regkey(f, "panel.expert_1"), e2 = regkey(f, "panel.expert_2"), e3 = regkey(f, "panel.expert_3");
  sign_key o = regkey(f, "openai");
  json_t *ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-02-01\",\"verdict\":\"verified\"}");
  sign_ok(f, ev, &e1);
  authorize_refused(f, ev, 0, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 1 signed");
  sign_ok(f, ev, &e2);
  authorize_refused(f, ev, 1, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 signed");

  /* The same member again, even with a second key of theirs, is still one member. */
  sign_ok(f, ev, &e1);
  sign_key e1b = regkey(f, "panel.expert_1");
  sign_ok(f, ev, &e1b);
  authorize_refused(f, ev, 1, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 signed");

  /* A party is not a member. */
  sign_ok(f, ev, &o);
  authorize_refused(f, ev, 1, "no_quorum", "'panel_verdict' needs 3 of the 5 members of 'panel'; 2 signed");

  sign_ok(f, ev, &e3);
  assert_int_equal(authorize(f, ev, 1), PACTUM_OK);
  json_decref(ev);

  /* Only openai signing a verdict: not a member at all. */
  ev = parse("{\"type\":\"panel_verdict\",\"date\":\"2029-02-01\",\"verdict\":\"verified\"}");
  sign_ok(f, ev, &o);
  authorize_refused(f, ev, 0, "not_allowed",
                    "'openai' may not record 'panel_verdict'; it is recorded by 3 of the 5 members of 'panel'");
  json_decref(ev);

  /* Signers named like members of a body the agreement does not have, or non-members, count for nothing. */
  signer_set s = {.n = 3};
  snprintf(s.names[0], SIGN_MAX_SIGNER, "panel.expert_9");
  snprintf(s.names[1], SIGN_MAX_SIGNER, "board.expert_1");
  snprintf(s.names[2], SIGN_MAX_SIGNER, "panelx.expert_2");
  assert_int_equal(sign_authorize(f->agr, event_index(f, "panel_verdict"), &s, 1, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_string_equal(f->err.message, "'panel.expert_9', 'board.expert_1' and 'panelx.expert_2' may not record "
                                      "'panel_verdict'; it is recorded by 3 of the 5 members of 'panel'");
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
  assert_int_equal(sign_authorize(agr, ping, &s, 1, &f->err), PACTUM_OK);
  assert_int_equal(sign_authorize(agr, ping, NULL, 0, &f->err), PACTUM_OK);
  assert_int_equal(sign_authorize(agr, ping, NULL, 1, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.message, "'ping' must be signed by any party");
  snprintf(s.names[0], SIGN_MAX_SIGNER, "board.x");
  assert_int_equal(sign_authorize(agr, ping, &s, 0, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "not_allowed");
  assert_string_equal(f->err.message, "'board.x' may not record 'ping'; it is recorded by any party");

  assert_int_equal(sign_authorize(agr, vote, &s, 0, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.code, "no_quorum");
  assert_string_equal(f->err.message,
                      "'vote' needs 2 of the 3 members of 'board'; 1 signed (it may also be recorded by a)");
  s.n = 2;
  snprintf(s.names[1], SIGN_MAX_SIGNER, "board.z");
  assert_int_equal(sign_authorize(agr, vote, &s, 1, &f->err), PACTUM_OK);
  s.n = 1;
  snprintf(s.names[0], SIGN_MAX_SIGNER, "a");
  assert_int_equal(sign_authorize(agr, vote, &s, 1, &f->err), PACTUM_OK);
  snprintf(s.names[0], SIGN_MAX_SIGNER, "b");
  assert_int_equal(sign_authorize(agr, vote, &s, 1, &f->err), PACTUM_EINPUT);
  assert_string_equal(f->err.message, "'b' may not record 'vote'; it is recorded by 2 of the 3 members of 'board' or a");
  pactum_agreement_free(agr);
}

/* ---- key registration ------------------------------------------------------------------ */

static json_t *key_event(const char *signer, const uint8_t pk[SIGN_PK_BYTES]) {
  char pk64[64];
  sign_b64_encode(pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  return json_pack("{s:s, s:s, s:s, s:s}", "type", "key_registered", "date", "2029-01-01", "signer", signer,
                   "public_key", pk64);
}

static int reg(fx *f, json_t *ev, const uint8_t *bootstrap) {
  memset(&f->err, 0, sizeof f->err);
  return sign_register_key(f->agr, ev, f->kr, bootstrap, &f->err);
}

static void reg_refused(fx *f, json_t *ev, const uint8_t *bootstrap, const char *code, const char *msg) {
  assert_int_equal(reg(f, ev, bootstrap), PACTUM_EINPUT);
  assert_string_equal(f->err.code, code);
  if (msg) assert_string_equal(f->err.message, msg);
}

static void test_register_keys(void **state) {
  fx *f = *state;
  sign_key boot = mkkey("bootstrap"), k1 = mkkey("openai"), k2 = mkkey("openai");

  /* The first key of openai: unsigned, then signed by a stranger, then by the bootstrap key. */
  json_t *ev = key_event("openai", k1.pk);
  reg_refused(f, ev, boot.pk, "unsigned", "the first key of 'openai' must be signed by the bootstrap key");
  sign_key stranger = mkkey("microsoft");
  json_t *ev2 = json_deep_copy(ev);
  sign_ok(f, ev2, &stranger);
  reg_refused(f, ev2, boot.pk, "unknown_key", NULL);
  assert_int_equal(keyring_add(f->kr, "microsoft", stranger.pk), PACTUM_OK); /* known, but not the bootstrap */
  reg_refused(f, ev2, boot.pk, "not_allowed", "the first key of 'openai' must be signed by the bootstrap key");
  json_decref(ev2);

  sign_ok(f, ev, &boot);
  reg_refused(f, ev, NULL, "unknown_key", NULL); /* without a bootstrap key its signature is a stranger's */
  assert_false(keyring_known(f->kr, "openai"));
  assert_int_equal(reg(f, ev, boot.pk), PACTUM_OK);
  assert_true(keyring_has(f->kr, "openai", k1.pk));
  reg_refused(f, ev, boot.pk, "not_allowed", NULL); /* now openai has a key: the bootstrap key is not enough */
  json_decref(ev);

  /* A second key must be signed by the first. */
  ev = key_event("openai", k2.pk);
  sign_ok(f, ev, &boot);
  reg_refused(f, ev, boot.pk, "not_allowed", "a new key of 'openai' must be signed by a key already registered to 'openai'");
  json_decref(ev);
  ev = key_event("openai", k2.pk);
  sign_ok(f, ev, &stranger); /* microsoft's registered key */
  reg_refused(f, ev, boot.pk, "not_allowed", NULL);
  json_decref(ev);
  ev = key_event("openai", k2.pk);
  reg_refused(f, ev, boot.pk, "unsigned", NULL);
  sign_ok(f, ev, &k1);
  json_t *altered = json_deep_copy(ev);
  json_object_set_new(altered, "date", json_string("2029-01-02"));
  reg_refused(f, altered, boot.pk, "bad_signature", NULL);
  json_decref(altered);
  assert_int_equal(reg(f, ev, boot.pk), PACTUM_OK);
  assert_true(keyring_has(f->kr, "openai", k2.pk));
  assert_true(keyring_has(f->kr, "openai", k1.pk));
  char pk64[64], msg[200];
  sign_b64_encode(k2.pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  snprintf(msg, sizeof msg, "key '%s' is already registered to 'openai'", pk64);
  reg_refused(f, ev, boot.pk, "duplicate_key", msg);
  json_decref(ev);

  /* The new key signs events as openai. */
  ev = parse("{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"Sam\"}");
  sign_ok(f, ev, &k2);
  assert_int_equal(authorize(f, ev, 1), PACTUM_OK);
  json_decref(ev);

  /* A key cannot belong to two signers: one holder would count as two members. */
  sign_key e1 = mkkey("panel.expert_1");
  ev = key_event("panel.expert_1", e1.pk);
  sign_ok(f, ev, &boot);
  assert_int_equal(reg(f, ev, boot.pk), PACTUM_OK);
  json_decref(ev);
  ev = key_event("panel.expert_2", e1.pk);
  sign_ok(f, ev, &boot);
  reg_refused(f, ev, boot.pk, "key_in_use", NULL);
  assert_false(keyring_known(f->kr, "panel.expert_2"));
  json_decref(ev);

  /* No bootstrap key in the store: nobody's first key can be registered. */
  sign_key e3 = mkkey("panel.expert_3");
  ev = key_event("panel.expert_3", e3.pk);
  reg_refused(f, ev, NULL, "no_bootstrap",
              "the first key of 'panel.expert_3' must be signed by the bootstrap key, and the store has none");
  json_decref(ev);
}

static void test_register_unknown_signer(void **state) {
  fx *f = *state;
  sign_key boot = mkkey("bootstrap"), k = mkkey("x");
  static const char *const names[] = {"google", "panel.expert_6", "board.expert_1", "panel", "openai.x", "panel.",
                                      "a/b"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    json_t *ev = key_event(names[i], k.pk);
    sign_ok(f, ev, &boot);
    char msg[200];
    snprintf(msg, sizeof msg, "'%s' is neither a party nor a member of a body of agreement '%s'", names[i],
             pactum_agreement_id(f->agr));
    reg_refused(f, ev, boot.pk, "unknown_signer", msg);
    json_decref(ev);
  }

  json_t *ev = key_event("openai", k.pk);
  json_object_set_new(ev, "public_key", json_string("Zm9v"));
  sign_ok(f, ev, &boot);
  reg_refused(f, ev, boot.pk, "bad_key", NULL);
  json_decref(ev);
  ev = parse("{\"type\":\"agi_declared\",\"signer\":\"openai\"}");
  reg_refused(f, ev, boot.pk, "bad_json", NULL);
  json_decref(ev);
  ev = parse("{\"type\":\"key_registered\"}");
  reg_refused(f, ev, boot.pk, "missing_field", NULL);
  json_decref(ev);
}

/* ---- the keyring ----------------------------------------------------------------------- */

static void test_keyring(void **state) {
  (void)state;
  assert_int_equal(sign_init(), 0);
  keyring *kr = keyring_new();
  assert_non_null(kr);
  uint8_t pk[40][SIGN_PK_BYTES];
  for (int i = 0; i < 40; i++) {
    randombytes_buf(pk[i], SIGN_PK_BYTES);
    assert_int_equal(keyring_add(kr, i % 2 ? "a" : "b", pk[i]), PACTUM_OK);
  }
  assert_int_equal(keyring_add(kr, "a", pk[1]), PACTUM_OK); /* again: no change */
  for (int i = 0; i < 40; i++) {
    assert_true(keyring_has(kr, i % 2 ? "a" : "b", pk[i]));
    assert_false(keyring_has(kr, i % 2 ? "b" : "a", pk[i]));
  }
  assert_false(keyring_known(kr, "c"));
  char longname[SIGN_MAX_SIGNER + 1];
  memset(longname, 'x', sizeof longname - 1);
  longname[SIGN_MAX_SIGNER] = '\0';
  assert_int_equal(keyring_add(kr, longname, pk[0]), PACTUM_EINPUT);

  /* Growing the ring when memory runs out fails cleanly and keeps what it had. */
  keyring *small = keyring_new();
  assert_non_null(small);
  for (int i = 0; i < 8; i++) assert_int_equal(keyring_add(small, "a", pk[i]), PACTUM_OK);
  px_alloc_fail_after(1);
  assert_int_equal(keyring_add(small, "a", pk[8]), PACTUM_ENOMEM);
  px_alloc_fail_after(0);
  assert_true(keyring_has(small, "a", pk[7]));
  assert_false(keyring_has(small, "a", pk[8]));
  assert_int_equal(keyring_add(small, "a", pk[8]), PACTUM_OK);
  keyring_free(small);
  keyring_free(kr);
  keyring_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_b64),
      cmocka_unit_test_setup_teardown(test_keygen_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_key_load_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sign_verify, setup, teardown),
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
      cmocka_unit_test(test_keyring),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
