/*
** sign.c: Ed25519 signatures on events (libsodium), key files, the keyring, and the rule of
** the agreement's `recorded by` clauses (see sign.h).
**
** A signature signs canon_signed_part(event): the canonical JSON of the event without its
** "signatures" member. Key files are small JSON objects; a secret key is written only to a
** file created with O_EXCL and mode 0600, and the copies of it this module holds (buffers,
** the decoded key, jansson's string) are wiped with sodium_memzero before they are released.
** jansson's parser may still leave a transient copy in memory it frees; keys are not meant
** to live in long-running processes that could be inspected.
*/
#include "sign.h"
#include "alloc.h"
#include "canon.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "banned.h"

#define B64 sodium_base64_VARIANT_ORIGINAL
#define SIG_BYTES 64                                         /* crypto_sign_BYTES */
#define PK_B64 sodium_base64_ENCODED_LEN(SIGN_PK_BYTES, B64) /* 44 characters and a NUL */
#define SK_B64 sodium_base64_ENCODED_LEN(SIGN_SK_BYTES, B64) /* 88 and a NUL */
#define SIG_B64 sodium_base64_ENCODED_LEN(SIG_BYTES, B64)
#define MAX_SIGNERS 16    /* distinct signers on one event (signer_set.names) */
#define MAX_ENTRIES 64    /* signature objects on one event, repeats included */
#define MAX_KEY_FILE 4096 /* a key file is about 200 bytes */

_Static_assert(SIG_BYTES == crypto_sign_BYTES && SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES &&
                   SIGN_SK_BYTES == crypto_sign_SECRETKEYBYTES,
               "sign.h sizes are libsodium's Ed25519 sizes");
_Static_assert(sizeof(((signer_set *)0)->names) == MAX_SIGNERS * SIGN_MAX_SIGNER, "signer_set holds MAX_SIGNERS");

/* Refuse with rc, code and message: see error.h. */
#define fail error_set

static int oom(pactum_error *err) { return fail(err, PACTUM_ENOMEM, "out_of_memory", "out of memory"); }

int sign_init(void) { return sodium_init() < 0 ? -1 : 0; }

/* ---- Names ----------------------------------------------------------------------------- */

static int word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
** 1 if s is a well-formed signer name: an identifier ("vendor"), or two joined by one '.'
** ("panel.expert_1"), shorter than SIGN_MAX_SIGNER. Such a name is safe as a file name and
** needs no escaping in JSON.
*/
static int signer_syntax_ok(const char *s, size_t len) {
  if (len == 0 || len >= SIGN_MAX_SIGNER || strlen(s) != len) return 0;
  int dots = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '.') {
      if (++dots > 1 || i == 0 || i + 1 == len) return 0;
    } else if (!word_char(s[i])) {
      return 0;
    }
  }
  return 1;
}

/* The body of agr that a "BODY.MEMBER" signer names, with *member set, or -1. */
static int signer_body(const pactum_agreement *agr, const char *signer, int *member) {
  const char *dot = strchr(signer, '.');
  if (!dot) return -1;
  size_t blen = (size_t)(dot - signer);
  for (int b = 0; b < agr->nbodies; b++) {
    const cbody *cb = &agr->bodies[b];
    if (strlen(cb->name) != blen || memcmp(cb->name, signer, blen) != 0) continue;
    for (int m = 0; m < cb->nmembers; m++)
      if (strcmp(cb->members[m], dot + 1) == 0) {
        *member = m;
        return b;
      }
    return -1;
  }
  return -1;
}

/* 1 if signer is a party of agr, or a member of one of its bodies. */
static int signer_in_agreement(const pactum_agreement *agr, const char *signer) {
  int m;
  if (strchr(signer, '.')) return signer_body(agr, signer, &m) >= 0;
  return agreement_find_party(agr, signer, strlen(signer)) >= 0;
}

/* ---- Base64 ---------------------------------------------------------------------------- */

int sign_b64_encode(const uint8_t *bin, size_t n, char *out, size_t cap) {
  if (!out || cap < sodium_base64_ENCODED_LEN(n, B64)) return -1;
  sodium_bin2base64(out, cap, bin, n, B64);
  return 0;
}

int sign_b64_decode(const char *b64, uint8_t *out, size_t cap, size_t *n) {
  size_t len = 0;
  if (!b64 || !out) return -1;
  if (sodium_base642bin(out, cap, b64, strlen(b64), NULL, &len, NULL, B64) != 0) return -1;
  if (n) *n = len;
  return 0;
}

/* Decode the JSON string v into exactly want bytes; -1 if it is not that. */
static int decode_exact(const json_t *v, uint8_t *out, size_t want) {
  size_t n = 0;
  if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return -1;
  if (sign_b64_decode(json_string_value(v), out, want, &n) != 0 || n != want) return -1;
  return 0;
}

/* ---- Key files ------------------------------------------------------------------------- */

/* Write all n bytes of p to fd; 0 or -1 with errno set. */
static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Create path exclusively with the given mode; the descriptor, or -1 with err filled. */
static int create_excl(const char *path, mode_t mode, pactum_error *err) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      fail(err, PACTUM_EIO, "key_exists", "the key file '%s' already exists; it is not overwritten", path);
    else
      fail(err, PACTUM_EIO, "io_error", "cannot create the key file '%s': %s", path, strerror(errno));
    return -1;
  }
  if (fchmod(fd, mode) != 0) { /* the umask may have taken bits away; never adds any */
    fail(err, PACTUM_EIO, "io_error", "cannot set the mode of '%s': %s", path, strerror(errno));
    close(fd);
    unlink(path);
    return -1;
  }
  return fd;
}

/* Write text to the new file fd (path) and close it; on failure the file is removed. */
static int finish_file(int fd, const char *path, const char *text, size_t n, pactum_error *err) {
  int bad = write_all(fd, text, n) != 0 || fsync(fd) != 0;
  int e = errno;
  if (close(fd) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (!bad) return 0;
  unlink(path);
  return fail(err, PACTUM_EIO, "io_error", "cannot write the key file '%s': %s", path, strerror(e));
}

int sign_keygen(const char *signer, const char *dir, sign_key *out, pactum_error *err) {
  if (!signer || !signer_syntax_ok(signer, strlen(signer)))
    return fail(err, PACTUM_EINPUT, "bad_signer",
                "'%s' is not a signer name: use a party id or BODY.MEMBER", signer ? signer : "");
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  if (!dir || !*dir) dir = ".";

  char key_path[4096], pub_path[4096];
  int a = snprintf(key_path, sizeof key_path, "%s/%s.key", dir, signer);
  int b = snprintf(pub_path, sizeof pub_path, "%s/%s.pub", dir, signer);
  if (a < 0 || b < 0 || (size_t)a >= sizeof key_path || (size_t)b >= sizeof pub_path)
    return fail(err, PACTUM_EINPUT, "bad_path", "the key directory '%s' is too long", dir);

  sign_key k;
  memset(&k, 0, sizeof k);
  memcpy(k.signer, signer, strlen(signer) + 1);
  k.has_secret = 1;
  crypto_sign_keypair(k.pk, k.sk);

  char pk64[PK_B64], sk64[SK_B64];
  char key_text[SIGN_MAX_SIGNER + PK_B64 + SK_B64 + 64], pub_text[SIGN_MAX_SIGNER + PK_B64 + 64];
  sign_b64_encode(k.pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  sign_b64_encode(k.sk, SIGN_SK_BYTES, sk64, sizeof sk64);
  /* The signer's syntax (checked above) and base64 need no JSON escaping. */
  int kn = snprintf(key_text, sizeof key_text, "{\"signer\":\"%s\",\"public_key\":\"%s\",\"secret_key\":\"%s\"}\n",
                    signer, pk64, sk64);
  int pn = snprintf(pub_text, sizeof pub_text, "{\"signer\":\"%s\",\"public_key\":\"%s\"}\n", signer, pk64);
  sodium_memzero(sk64, sizeof sk64);

  int rc = PACTUM_OK;
  int kfd = -1, pfd = -1;
  if (kn < 0 || pn < 0 || (size_t)kn >= sizeof key_text || (size_t)pn >= sizeof pub_text) {
    rc = fail(err, PACTUM_EINTERNAL, "internal", "the key file of '%s' does not fit its buffer", signer);
    goto done;
  }
  /* Claim both names before writing either, so a refusal leaves nothing behind. */
  if ((kfd = create_excl(key_path, 0600, err)) < 0) {
    rc = PACTUM_EIO;
    goto done;
  }
  if ((pfd = create_excl(pub_path, 0644, err)) < 0) {
    close(kfd);
    unlink(key_path);
    rc = PACTUM_EIO;
    goto done;
  }
  if (finish_file(kfd, key_path, key_text, (size_t)kn, err) != 0) {
    close(pfd);
    unlink(pub_path);
    rc = PACTUM_EIO;
    goto done;
  }
  if (finish_file(pfd, pub_path, pub_text, (size_t)pn, err) != 0) {
    unlink(key_path);
    rc = PACTUM_EIO;
    goto done;
  }
  if (out) *out = k;
done:
  sodium_memzero(key_text, sizeof key_text);
  sodium_memzero(&k, sizeof k);
  return rc;
}

/* Read at most MAX_KEY_FILE bytes of path into a new NUL-terminated buffer; NULL with *rc set. */
static char *read_small_file(const char *path, size_t *len, int *rc, pactum_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *rc = fail(err, PACTUM_EIO, "io_error", "cannot read the key file '%s': %s", path, strerror(errno));
    return NULL;
  }
  char *data = px_malloc(MAX_KEY_FILE + 1);
  if (!data) {
    close(fd);
    *rc = oom(err);
    return NULL;
  }
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, data + n, MAX_KEY_FILE + 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      *rc = fail(err, PACTUM_EIO, "io_error", "cannot read the key file '%s': %s", path, strerror(errno));
      goto bad;
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n > MAX_KEY_FILE) {
      *rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the key file '%s' is too large to be a key", path);
      goto bad;
    }
  }
  close(fd);
  data[n] = '\0';
  *len = n;
  return data;
bad:
  close(fd);
  sodium_memzero(data, MAX_KEY_FILE + 1);
  px_free(data);
  return NULL;
}

int sign_key_load(const char *path, sign_key *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  size_t len = 0;
  int rc = PACTUM_OK;
  char *text = read_small_file(path, &len, &rc, err);
  if (!text) return rc;
  json_error_t jerr;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  sodium_memzero(text, MAX_KEY_FILE + 1);
  px_free(text);

  if (!o || !json_is_object(o)) {
    rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the key file '%s' is not a JSON object", path);
    goto done;
  }
  json_t *sv = json_object_get(o, "signer"), *pv = json_object_get(o, "public_key");
  json_t *kv = json_object_get(o, "secret_key");
  if (json_object_size(o) != (kv ? 3u : 2u) || !json_is_string(sv) || !json_is_string(pv) ||
      (kv && !json_is_string(kv))) {
    rc = fail(err, PACTUM_EINPUT, "bad_key_file",
              "the key file '%s' must hold exactly signer, public_key and (for a .key) secret_key strings", path);
    goto done;
  }
  if (!signer_syntax_ok(json_string_value(sv), json_string_length(sv))) {
    rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the signer in the key file '%s' is not a signer name", path);
    goto done;
  }
  memcpy(out->signer, json_string_value(sv), json_string_length(sv) + 1);
  if (decode_exact(pv, out->pk, SIGN_PK_BYTES) != 0) {
    rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the public key in '%s' is not %d bytes of base64", path,
              SIGN_PK_BYTES);
    goto done;
  }
  if (kv) {
    int bad = decode_exact(kv, out->sk, SIGN_SK_BYTES) != 0;
    /* Wipe jansson's copy of the secret too (its string buffer is writable memory). */
    sodium_memzero((char *)json_string_value(kv), json_string_length(kv));
    if (bad) {
      rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the secret key in '%s' is not %d bytes of base64", path,
                SIGN_SK_BYTES);
      goto done;
    }
    uint8_t derived[SIGN_PK_BYTES];
    crypto_sign_ed25519_sk_to_pk(derived, out->sk);
    if (sodium_memcmp(derived, out->pk, SIGN_PK_BYTES) != 0) {
      rc = fail(err, PACTUM_EINPUT, "bad_key_file", "the secret key in '%s' does not belong to its public key", path);
      goto done;
    }
    out->has_secret = 1;
  }
done:
  json_decref(o);
  if (rc != PACTUM_OK) sodium_memzero(out, sizeof *out);
  return rc;
}

/* ---- Signing --------------------------------------------------------------------------- */

/* 1 if v holds a real or nests deeper than canon_json accepts: why canon text could be NULL. */
static int uncanonical(const json_t *v, int depth) {
  if (depth > 64 || json_is_real(v)) return 1;
  const char *k;
  json_t *x;
  size_t i;
  if (json_is_object(v)) {
    json_object_foreach((json_t *)v, k, x) if (uncanonical(x, depth + 1)) return 1;
  } else if (json_is_array(v)) {
    json_array_foreach(v, i, x) if (uncanonical(x, depth + 1)) return 1;
  }
  return 0;
}

/* The signed part of event, or NULL with err filled (*rc the code). Free with px_free(). */
static char *signed_part(const json_t *event, size_t *len, int *rc, pactum_error *err) {
  char *s = canon_signed_part(event, len);
  if (s) return s;
  if (uncanonical(event, 0))
    *rc = fail(err, PACTUM_EINPUT, "bad_json", "the event holds a real number or nests too deeply to be signed");
  else
    *rc = oom(err);
  return NULL;
}

int sign_event(json_t *event, const sign_key *k, pactum_error *err) {
  if (!json_is_object(event)) return fail(err, PACTUM_EINPUT, "bad_json", "an event must be a JSON object");
  if (!signer_syntax_ok(k->signer, strnlen(k->signer, SIGN_MAX_SIGNER)))
    return fail(err, PACTUM_EINPUT, "bad_key", "the key's signer '%.*s' is not a signer name", SIGN_MAX_SIGNER - 1,
                k->signer);
  if (!k->has_secret)
    return fail(err, PACTUM_EINPUT, "bad_key", "the key of '%s' cannot sign: it has no secret part", k->signer);
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  json_t *sigs = json_object_get(event, "signatures");
  if (sigs && !json_is_array(sigs))
    return fail(err, PACTUM_EINPUT, "bad_signature", "'signatures' of the event must be an array");

  int rc = PACTUM_OK;
  size_t len = 0;
  char *msg = signed_part(event, &len, &rc, err);
  if (!msg) return rc;
  uint8_t sig[SIG_BYTES];
  crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, k->sk);
  px_free(msg);

  char pk64[PK_B64], sig64[SIG_B64];
  sign_b64_encode(k->pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  sign_b64_encode(sig, sizeof sig, sig64, sizeof sig64);
  json_t *entry = json_pack("{s:s, s:s, s:s}", "signer", k->signer, "public_key", pk64, "signature", sig64);
  if (!entry) return oom(err);
  if (!sigs) {
    json_t *arr = json_array();
    if (!arr || json_object_set_new(event, "signatures", arr) != 0) {
      json_decref(entry);
      return oom(err);
    }
    sigs = arr;
  }
  if (json_array_append_new(sigs, entry) != 0) return oom(err);
  return PACTUM_OK;
}

/* ---- Keyring --------------------------------------------------------------------------- */

typedef struct kr_entry {
  char signer[SIGN_MAX_SIGNER];
  uint8_t pk[SIGN_PK_BYTES];
} kr_entry;

struct keyring {
  size_t n, cap;
  kr_entry *e;
};

keyring *keyring_new(void) { return px_calloc(1, sizeof(keyring)); }

void keyring_free(keyring *kr) {
  if (!kr) return;
  px_free(kr->e);
  px_free(kr);
}

/* The signer a key is registered to, or NULL. */
static const char *keyring_owner(const keyring *kr, const uint8_t pk[SIGN_PK_BYTES]) {
  for (size_t i = 0; i < kr->n; i++)
    if (memcmp(kr->e[i].pk, pk, SIGN_PK_BYTES) == 0) return kr->e[i].signer;
  return NULL;
}

int keyring_add(keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]) {
  size_t len = strlen(signer);
  if (len >= SIGN_MAX_SIGNER) return PACTUM_EINPUT;
  if (keyring_has(kr, signer, pk)) return PACTUM_OK;
  if (kr->n == kr->cap) {
    size_t cap = kr->cap ? 2 * kr->cap : 8;
    kr_entry *e = px_realloc(kr->e, cap * sizeof *e);
    if (!e) return PACTUM_ENOMEM;
    kr->e = e;
    kr->cap = cap;
  }
  kr_entry *x = &kr->e[kr->n++];
  memset(x, 0, sizeof *x);
  memcpy(x->signer, signer, len + 1);
  memcpy(x->pk, pk, SIGN_PK_BYTES);
  return PACTUM_OK;
}

int keyring_has(const keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]) {
  for (size_t i = 0; i < kr->n; i++)
    if (memcmp(kr->e[i].pk, pk, SIGN_PK_BYTES) == 0 && strcmp(kr->e[i].signer, signer) == 0) return 1;
  return 0;
}

int keyring_known(const keyring *kr, const char *signer) {
  for (size_t i = 0; i < kr->n; i++)
    if (strcmp(kr->e[i].signer, signer) == 0) return 1;
  return 0;
}

/* ---- Verifying ------------------------------------------------------------------------- */

/*
** Check every signature on event: well formed, made by a key registered to its signer (or,
** when bootstrap_pk is given, by that key, whoever it names), and valid over the signed part.
** On success *out holds the distinct signers whose keys are in kr and *by_bootstrap (may be
** NULL) is 1 if the bootstrap key signed. Any bad signature refuses the whole event.
*/
static int check_signatures(const json_t *event, const keyring *kr, const uint8_t *bootstrap_pk, signer_set *out,
                            int *by_bootstrap, pactum_error *err) {
  out->n = 0;
  if (by_bootstrap) *by_bootstrap = 0;
  if (!json_is_object(event)) return fail(err, PACTUM_EINPUT, "bad_json", "an event must be a JSON object");
  json_t *sigs = json_object_get(event, "signatures");
  if (!sigs) return PACTUM_OK;
  if (!json_is_array(sigs))
    return fail(err, PACTUM_EINPUT, "bad_signature", "'signatures' of the event must be an array");
  size_t count = json_array_size(sigs);
  if (count == 0) return PACTUM_OK;
  if (count > MAX_ENTRIES)
    return fail(err, PACTUM_EINPUT, "too_many_signatures", "the event carries %zu signatures; at most %d are read",
                count, MAX_ENTRIES);
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");

  int rc = PACTUM_OK;
  size_t len = 0;
  char *msg = signed_part(event, &len, &rc, err);
  if (!msg) return rc;

  size_t i;
  json_t *s;
  json_array_foreach(sigs, i, s) {
    json_t *sv = json_object_get(s, "signer"), *pv = json_object_get(s, "public_key");
    json_t *gv = json_object_get(s, "signature");
    if (!json_is_object(s) || json_object_size(s) != 3 || !json_is_string(sv) || !json_is_string(pv) ||
        !json_is_string(gv)) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature",
                "signature %zu of the event must be an object of exactly signer, public_key and signature strings",
                i + 1);
      break;
    }
    const char *signer = json_string_value(sv);
    if (!signer_syntax_ok(signer, json_string_length(sv))) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature", "signature %zu of the event names no signer: '%.*s' is not a name",
                i + 1, SIGN_MAX_SIGNER - 1, signer);
      break;
    }
    uint8_t pk[SIGN_PK_BYTES], sig[SIG_BYTES];
    if (decode_exact(pv, pk, sizeof pk) != 0) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature", "the public key of '%s' is not %d bytes of base64", signer,
                SIGN_PK_BYTES);
      break;
    }
    if (decode_exact(gv, sig, sizeof sig) != 0) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature", "the signature of '%s' is not %d bytes of base64", signer,
                SIG_BYTES);
      break;
    }
    int registered = keyring_has(kr, signer, pk);
    int is_bootstrap = bootstrap_pk && sodium_memcmp(pk, bootstrap_pk, SIGN_PK_BYTES) == 0;
    if (!registered && !is_bootstrap) {
      rc = fail(err, PACTUM_EINPUT, "unknown_key", "key '%s' is not registered to '%s'", json_string_value(pv),
                signer);
      break;
    }
    if (crypto_sign_verify_detached(sig, (const unsigned char *)msg, len, pk) != 0) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature", "the signature of '%s' does not match the event", signer);
      break;
    }
    if (is_bootstrap && by_bootstrap) *by_bootstrap = 1;
    if (!registered) continue;
    int seen = 0;
    for (int j = 0; j < out->n && !seen; j++) seen = strcmp(out->names[j], signer) == 0;
    if (seen) continue;
    if (out->n == MAX_SIGNERS) {
      rc = fail(err, PACTUM_EINPUT, "too_many_signatures", "the event is signed by more than %d signers",
                MAX_SIGNERS);
      break;
    }
    memcpy(out->names[out->n++], signer, json_string_length(sv) + 1);
  }
  px_free(msg);
  if (rc != PACTUM_OK) {
    out->n = 0;
    if (by_bootstrap) *by_bootstrap = 0;
  }
  return rc;
}

int sign_verify_event(const json_t *event, const keyring *kr, signer_set *out, pactum_error *err) {
  return check_signatures(event, kr, NULL, out, NULL, err);
}

/* ---- Authorising ----------------------------------------------------------------------- */

/* Append text to out[cap] at *at, truncating quietly. */
static void put(char *out, size_t cap, size_t *at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *out, size_t cap, size_t *at, const char *fmt, ...) {
  if (*at >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out + *at, cap - *at, fmt, ap);
  va_end(ap);
  if (n > 0) *at += (size_t)n;
  if (*at >= cap) *at = cap;
}

/* The separator before item i of n in "a, b or c". */
static const char *sep(int i, int n) { return i == 0 ? "" : i == n - 1 ? " or " : ", "; }

/*
** Who may record e, as "vendor", "vendor or reseller", "3 of the 5 members of 'panel'" or
** "any party", leaving out recorder `skip` (-1 for none).
*/
static void who_records(const pactum_agreement *agr, const cevent *e, int skip, char *out, size_t cap) {
  size_t at = 0;
  out[0] = '\0';
  if (e->nrecorders == 0) {
    put(out, cap, &at, "any party");
    return;
  }
  int n = e->nrecorders - (skip >= 0), k = 0;
  for (int i = 0; i < e->nrecorders; i++) {
    if (i == skip) continue;
    const crecorder *r = &e->recorders[i];
    if (r->is_body) {
      const cbody *b = &agr->bodies[r->index];
      put(out, cap, &at, "%s%d of the %d members of '%s'", sep(k++, n), b->quorum, b->nmembers, b->name);
    } else {
      put(out, cap, &at, "%s%s", sep(k++, n), agr->parties[r->index].name);
    }
  }
}

/* The distinct signers of s that are members of body b. */
static int members_signed(const pactum_agreement *agr, int b, const signer_set *s) {
  int n = 0, m;
  for (int i = 0; i < s->n; i++)
    if (signer_body(agr, s->names[i], &m) == b) n++; /* names are distinct, so members are too */
  return n;
}

static int is_party(const pactum_agreement *agr, const char *name) {
  return !strchr(name, '.') && agreement_find_party(agr, name, strlen(name)) >= 0;
}

int sign_authorize(const pactum_agreement *agr, int ev, const signer_set *signers, int require_signatures,
                   pactum_error *err) {
  if (ev < 0 || ev >= agr->nevents)
    return fail(err, PACTUM_EINTERNAL, "internal", "event type %d is not in the agreement", ev);
  const cevent *e = &agr->events[ev];
  int n = signers ? signers->n : 0;
  if (n < 0 || n > MAX_SIGNERS) return fail(err, PACTUM_EINTERNAL, "internal", "a signer set holds %d names", n);
  char who[400];
  who_records(agr, e, -1, who, sizeof who);

  if (n == 0) {
    if (!require_signatures) return PACTUM_OK;
    return fail(err, PACTUM_EINPUT, "unsigned", "'%s' must be signed by %s", e->name, who);
  }
  if (e->nrecorders == 0) {
    for (int i = 0; i < n; i++)
      if (is_party(agr, signers->names[i])) return PACTUM_OK;
  }
  int best = -1, best_count = 0;
  for (int r = 0; r < e->nrecorders; r++) {
    const crecorder *rec = &e->recorders[r];
    if (!rec->is_body) {
      const char *party = agr->parties[rec->index].name;
      for (int i = 0; i < n; i++)
        if (strcmp(signers->names[i], party) == 0) return PACTUM_OK;
      continue;
    }
    int c = members_signed(agr, rec->index, signers);
    if (c >= agr->bodies[rec->index].quorum) return PACTUM_OK;
    if (c > best_count) {
      best = r;
      best_count = c;
    }
  }
  if (best >= 0) {
    const cbody *b = &agr->bodies[agr->events[ev].recorders[best].index];
    char others[400];
    who_records(agr, e, best, others, sizeof others);
    return fail(err, PACTUM_EINPUT, "no_quorum", "'%s' needs %d of the %d members of '%s'; %d signed%s%s%s", e->name,
                b->quorum, b->nmembers, b->name, best_count, e->nrecorders > 1 ? " (it may also be recorded by " : "",
                e->nrecorders > 1 ? others : "", e->nrecorders > 1 ? ")" : "");
  }
  char names[400];
  size_t at = 0;
  names[0] = '\0';
  for (int i = 0; i < n; i++)
    put(names, sizeof names, &at, "%s'%s'", i == 0 ? "" : i == n - 1 ? " and " : ", ", signers->names[i]);
  return fail(err, PACTUM_EINPUT, "not_allowed", "%s may not record '%s'; it is recorded by %s", names, e->name, who);
}

/* ---- Registering keys ------------------------------------------------------------------ */

int sign_register_key(const pactum_agreement *agr, const json_t *event, keyring *kr, const uint8_t *bootstrap_pk,
                      pactum_error *err) {
  if (!json_is_object(event)) return fail(err, PACTUM_EINPUT, "bad_json", "an event must be a JSON object");
  json_t *tv = json_object_get(event, "type");
  if (!json_is_string(tv) || strcmp(json_string_value(tv), "key_registered") != 0)
    return fail(err, PACTUM_EINPUT, "bad_json", "a key registration must have type 'key_registered'");
  json_t *sv = json_object_get(event, "signer"), *pv = json_object_get(event, "public_key");
  if (!json_is_string(sv))
    return fail(err, PACTUM_EINPUT, "missing_field", "field 'signer' of event 'key_registered' must be a string");
  const char *signer = json_string_value(sv);
  if (!signer_syntax_ok(signer, json_string_length(sv)) || !signer_in_agreement(agr, signer))
    return fail(err, PACTUM_EINPUT, "unknown_signer",
                "'%.*s' is neither a party nor a member of a body of agreement '%s'", SIGN_MAX_SIGNER - 1, signer,
                agr->id);
  uint8_t pk[SIGN_PK_BYTES];
  if (decode_exact(pv, pk, sizeof pk) != 0)
    return fail(err, PACTUM_EINPUT, "bad_key", "field 'public_key' of the key of '%s' is not %d bytes of base64",
                signer, SIGN_PK_BYTES);

  signer_set set;
  int by_bootstrap = 0;
  int rc = check_signatures(event, kr, bootstrap_pk, &set, &by_bootstrap, err);
  if (rc != PACTUM_OK) return rc;
  int nsigs = (int)json_array_size(json_object_get(event, "signatures"));

  if (keyring_known(kr, signer)) {
    int by_self = 0;
    for (int i = 0; i < set.n && !by_self; i++) by_self = strcmp(set.names[i], signer) == 0;
    if (!by_self)
      return fail(err, PACTUM_EINPUT, nsigs ? "not_allowed" : "unsigned",
                  "a new key of '%s' must be signed by a key already registered to '%s'", signer, signer);
  } else if (!bootstrap_pk) {
    return fail(err, PACTUM_EINPUT, "no_bootstrap",
                "the first key of '%s' must be signed by the bootstrap key, and the store has none", signer);
  } else if (!by_bootstrap) {
    return fail(err, PACTUM_EINPUT, nsigs ? "not_allowed" : "unsigned",
                "the first key of '%s' must be signed by the bootstrap key", signer);
  }

  /* One key, one signer: a key shared by two members would let one holder make a quorum. */
  const char *owner = keyring_owner(kr, pk);
  if (owner && strcmp(owner, signer) == 0)
    return fail(err, PACTUM_EINPUT, "duplicate_key", "key '%s' is already registered to '%s'", json_string_value(pv),
                signer);
  if (owner)
    return fail(err, PACTUM_EINPUT, "key_in_use", "key '%s' is already registered to '%s', not '%s'",
                json_string_value(pv), owner, signer);
  if (keyring_add(kr, signer, pk) != PACTUM_OK) return oom(err);
  return PACTUM_OK;
}
