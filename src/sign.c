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
#include "body.h"
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

int sign_signer_body(const pactum_agreement *agr, const char *name, int *member) {
  return signer_body(agr, name, member);
}

int sign_signer_known(const pactum_agreement *agr, const char *name) {
  return signer_syntax_ok(name, strlen(name)) && signer_in_agreement(agr, name);
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

#define EVENT_DOMAIN "pactum/event/v2\n"
#define CHECKPOINT_DOMAIN "pactum/checkpoint/v1\n"

/* prefix followed by the canonical text of v without `drop` members: a new buffer, or NULL. */
static char *domain_message(const char *prefix, const json_t *v, size_t *len, int *rc, pactum_error *err) {
  size_t n = 0;
  char *body = canon_signed_part(v, &n);
  if (!body) {
    if (uncanonical(v, 0))
      *rc = fail(err, PACTUM_EINPUT, "bad_json", "the object holds a real number or nests too deeply to be signed");
    else
      *rc = oom(err);
    return NULL;
  }
  size_t plen = strlen(prefix);
  char *msg = px_malloc(plen + n + 1);
  if (!msg) {
    px_free(body);
    *rc = oom(err);
    return NULL;
  }
  memcpy(msg, prefix, plen);
  memcpy(msg + plen, body, n + 1);
  px_free(body);
  *len = plen + n;
  return msg;
}

char *sign_message(const sign_scope *sc, const json_t *event, size_t *len, int *rc, pactum_error *err) {
  if (sc->legacy) return domain_message("", event, len, rc, err);
  char prefix[sizeof EVENT_DOMAIN + 2 * 32 + SIGN_STORE_HEX + 4];
  char hex[65];
  canon_hex(sc->agreement, 32, hex);
  snprintf(prefix, sizeof prefix, "%s%s\n%s\n", EVENT_DOMAIN, hex, sc->store);
  return domain_message(prefix, event, len, rc, err);
}

int sign_nonce_ok(const char *s, size_t n) {
  if (n < SIGN_NONCE_MIN || n > SIGN_NONCE_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (!word_char(s[i]) && s[i] != '-') return 0;
  return 1;
}

void sign_nonce_new(char out[33]) {
  uint8_t r[16];
  randombytes_buf(r, sizeof r);
  canon_hex(r, sizeof r, out);
}

/* Append {signer, public_key, signature} to the "signatures" array of v, creating it. */
static int add_signature(json_t *v, const sign_key *k, const uint8_t sig[SIG_BYTES], pactum_error *err) {
  char pk64[PK_B64], sig64[SIG_B64];
  sign_b64_encode(k->pk, SIGN_PK_BYTES, pk64, sizeof pk64);
  sign_b64_encode(sig, SIG_BYTES, sig64, sizeof sig64);
  json_t *entry = json_pack("{s:s, s:s, s:s}", "signer", k->signer, "public_key", pk64, "signature", sig64);
  if (!entry) return oom(err);
  json_t *sigs = json_object_get(v, "signatures");
  if (!sigs) {
    json_t *arr = json_array();
    if (!arr || json_object_set_new(v, "signatures", arr) != 0) {
      json_decref(entry);
      return oom(err);
    }
    sigs = arr;
  }
  if (json_array_append_new(sigs, entry) != 0) return oom(err);
  return PACTUM_OK;
}

/* The checks every signing key and object pass first. */
static int can_sign(json_t *v, const sign_key *k, const char *what, pactum_error *err) {
  if (!json_is_object(v)) return fail(err, PACTUM_EINPUT, "bad_json", "%s must be a JSON object", what);
  if (!signer_syntax_ok(k->signer, strnlen(k->signer, SIGN_MAX_SIGNER)))
    return fail(err, PACTUM_EINPUT, "bad_key", "the key's signer '%.*s' is not a signer name", SIGN_MAX_SIGNER - 1,
                k->signer);
  if (!k->has_secret)
    return fail(err, PACTUM_EINPUT, "bad_key", "the key of '%s' cannot sign: it has no secret part", k->signer);
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  json_t *sigs = json_object_get(v, "signatures");
  if (sigs && !json_is_array(sigs)) return fail(err, PACTUM_EINPUT, "bad_signature", "'signatures' must be an array");
  return PACTUM_OK;
}

int sign_event(json_t *event, const sign_scope *sc, const sign_key *k, pactum_error *err) {
  int rc = can_sign(event, k, "an event", err);
  if (rc) return rc;
  json_t *nv = json_object_get(event, "nonce");
  if (!nv) {
    char nonce[33];
    sign_nonce_new(nonce);
    if (json_object_set_new(event, "nonce", json_string(nonce)) != 0) return oom(err);
  } else if (!json_is_string(nv) || !sign_nonce_ok(json_string_value(nv), json_string_length(nv))) {
    return fail(err, PACTUM_EINPUT, "bad_nonce", "'nonce' must be a string of %d to %d letters, digits, '_' or '-'",
                SIGN_NONCE_MIN, SIGN_NONCE_MAX);
  }
  size_t len = 0;
  char *msg = sign_message(sc, event, &len, &rc, err);
  if (!msg) return rc;
  uint8_t sig[SIG_BYTES];
  crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, k->sk);
  px_free(msg);
  return add_signature(event, k, sig, err);
}

/* ---- Keyring --------------------------------------------------------------------------- */

typedef struct kr_entry {
  char signer[SIGN_MAX_SIGNER];
  uint8_t pk[SIGN_PK_BYTES];
  int64_t registered, revoked; /* record seqs; revoked 0 while active */
} kr_entry;

/* One change since the last settle: a key added (undo: drop the last entry) or revoked. */
typedef struct kr_undo {
  int revoke;
  size_t index;
} kr_undo;

struct keyring {
  int n, cap;
  kr_entry *e;
  int nundo, capundo;
  kr_undo *undo;
};

keyring *keyring_new(void) { return px_calloc(1, sizeof(keyring)); }

void keyring_free(keyring *kr) {
  if (!kr) return;
  px_free(kr->e);
  px_free(kr->undo);
  px_free(kr);
}

static int note_undo(keyring *kr, int revoke, size_t index) {
  kr_undo *u = px_grow(kr->undo, kr->nundo, &kr->capundo, sizeof *kr->undo, 16);
  if (!u) return PACTUM_ENOMEM;
  kr->undo = u;
  kr->undo[kr->nundo++] = (kr_undo){revoke, index};
  return PACTUM_OK;
}

static int kr_find(const keyring *kr, const uint8_t pk[SIGN_PK_BYTES]) {
  for (int i = 0; i < kr->n; i++)
    if (memcmp(kr->e[i].pk, pk, SIGN_PK_BYTES) == 0) return i;
  return -1;
}

const char *keyring_owner(const keyring *kr, const uint8_t pk[SIGN_PK_BYTES], int64_t *revoked_at) {
  int i = kr_find(kr, pk);
  if (revoked_at) *revoked_at = i >= 0 ? kr->e[i].revoked : 0;
  return i >= 0 ? kr->e[i].signer : NULL;
}

int keyring_add(keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES], int64_t seq) {
  size_t len = strlen(signer);
  if (len >= SIGN_MAX_SIGNER) return PACTUM_EINPUT;
  if (kr_find(kr, pk) >= 0) return PACTUM_EINPUT; /* one key, one signer, once */
  kr_entry *e = px_grow(kr->e, kr->n, &kr->cap, sizeof *kr->e, 8);
  if (!e) return PACTUM_ENOMEM;
  kr->e = e;
  if (note_undo(kr, 0, (size_t)kr->n)) return PACTUM_ENOMEM;
  kr_entry *x = &kr->e[kr->n++];
  memset(x, 0, sizeof *x);
  memcpy(x->signer, signer, len + 1);
  memcpy(x->pk, pk, SIGN_PK_BYTES);
  x->registered = seq;
  return PACTUM_OK;
}

int keyring_revoke(keyring *kr, const uint8_t pk[SIGN_PK_BYTES], int64_t seq) {
  int i = kr_find(kr, pk);
  if (i < 0 || kr->e[i].revoked) return PACTUM_EINPUT;
  if (note_undo(kr, 1, (size_t)i)) return PACTUM_ENOMEM;
  kr->e[i].revoked = seq;
  return PACTUM_OK;
}

int keyring_has(const keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]) {
  int i = kr_find(kr, pk);
  return i >= 0 && !kr->e[i].revoked && strcmp(kr->e[i].signer, signer) == 0;
}

int keyring_active(const keyring *kr, const char *signer) {
  for (int i = 0; i < kr->n; i++)
    if (!kr->e[i].revoked && strcmp(kr->e[i].signer, signer) == 0) return 1;
  return 0;
}

size_t keyring_count(const keyring *kr) { return (size_t)kr->n; }
size_t keyring_mark(const keyring *kr) { return (size_t)kr->nundo; }

void keyring_undo(keyring *kr, size_t mark) {
  while ((size_t)kr->nundo > mark) {
    kr_undo u = kr->undo[--kr->nundo];
    if (u.revoke) kr->e[u.index].revoked = 0;
    else kr->n = (int)u.index;
  }
}

void keyring_settle(keyring *kr) { kr->nundo = 0; }

/* ---- Verifying ------------------------------------------------------------------------- */

int signer_set_add(signer_set *s, const char *name) {
  for (int j = 0; j < s->n; j++)
    if (strcmp(s->names[j], name) == 0) return 0;
  if (s->n == MAX_SIGNERS) return -1;
  snprintf(s->names[s->n++], SIGN_MAX_SIGNER, "%s", name);
  return 0;
}

/* The index of pk among the bootstrap keys, or -1. */
static int boot_index(const sign_bootstrap *boot, const uint8_t pk[SIGN_PK_BYTES]) {
  for (int i = 0; boot && i < boot->n; i++)
    if (sodium_memcmp(boot->keys[i], pk, SIGN_PK_BYTES) == 0) return i;
  return -1;
}

/*
** Check every signature object in sigs over msg[0..len). Each key must be acceptable: an active
** key of the signer it names, a bootstrap key (boot), or new_pk for new_signer.
*/
static int check_entries(const json_t *sigs, const char *msg, size_t len, const keyring *kr,
                         const sign_bootstrap *boot, const uint8_t *new_pk, const char *new_signer, sign_check *out,
                         pactum_error *err) {
  int rc = PACTUM_OK;
  uint32_t boot_seen = 0;
  size_t i;
  json_t *s;
  json_array_foreach(sigs, i, s) {
    json_t *sv = json_object_get(s, "signer"), *pv = json_object_get(s, "public_key");
    json_t *gv = json_object_get(s, "signature");
    if (!json_is_object(s) || json_object_size(s) != 3 || !json_is_string(sv) || !json_is_string(pv) ||
        !json_is_string(gv)) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature",
                "signature %zu must be an object of exactly signer, public_key and signature strings", i + 1);
      break;
    }
    const char *signer = json_string_value(sv);
    if (!signer_syntax_ok(signer, json_string_length(sv))) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature", "signature %zu names no signer: '%.*s' is not a name", i + 1,
                SIGN_MAX_SIGNER - 1, signer);
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
    int registered = kr && keyring_has(kr, signer, pk);
    int bi = registered ? -1 : boot_index(boot, pk);
    int is_new = !registered && bi < 0 && new_pk && sodium_memcmp(pk, new_pk, SIGN_PK_BYTES) == 0 &&
                 strcmp(signer, new_signer) == 0;
    if (!registered && bi < 0 && !is_new) {
      int64_t revoked = 0;
      const char *owner = kr ? keyring_owner(kr, pk, &revoked) : NULL;
      if (owner && revoked && strcmp(owner, signer) == 0)
        rc = fail(err, PACTUM_EINPUT, "revoked_key", "key '%s' of '%s' was revoked (seq %lld)", json_string_value(pv),
                  signer, (long long)revoked);
      else
        rc = fail(err, PACTUM_EINPUT, "unknown_key", "key '%s' is not registered to '%s'", json_string_value(pv), signer);
      break;
    }
    if (crypto_sign_verify_detached(sig, (const unsigned char *)msg, len, pk) != 0) {
      rc = fail(err, PACTUM_EINPUT, "bad_signature",
                "the signature of '%s' does not match (the signed object was altered, or signed for another store or "
                "agreement)",
                signer);
      break;
    }
    if (bi >= 0) {
      if (!(boot_seen & (1u << bi))) out->nboot++;
      boot_seen |= 1u << bi;
    } else if (is_new) {
      out->pop = 1;
    } else if (signer_set_add(&out->signers, signer)) {
      rc = fail(err, PACTUM_EINPUT, "too_many_signatures", "signed by more than %d signers", MAX_SIGNERS);
      break;
    }
  }
  return rc;
}

/* The signatures array of v, checked for shape; NULL (no signatures) is fine. */
static int signatures_of(const json_t *v, const json_t **sigs, pactum_error *err) {
  *sigs = json_object_get(v, "signatures");
  if (!*sigs) return PACTUM_OK;
  if (!json_is_array(*sigs)) return fail(err, PACTUM_EINPUT, "bad_signature", "'signatures' must be an array");
  if (json_array_size(*sigs) > MAX_ENTRIES)
    return fail(err, PACTUM_EINPUT, "too_many_signatures", "%zu signatures; at most %d are read",
                json_array_size(*sigs), MAX_ENTRIES);
  return PACTUM_OK;
}

int sign_verify_event(const json_t *event, const sign_scope *sc, const keyring *kr, const sign_bootstrap *boot,
                      const uint8_t *new_pk, const char *new_signer, sign_check *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  if (!json_is_object(event)) return fail(err, PACTUM_EINPUT, "bad_json", "an event must be a JSON object");
  const json_t *sigs;
  int rc = signatures_of(event, &sigs, err);
  if (rc || !sigs || json_array_size(sigs) == 0) return rc;
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  out->nsigs = (int)json_array_size(sigs);
  if (!sc->legacy) {
    json_t *nv = json_object_get(event, "nonce");
    if (!nv) return fail(err, PACTUM_EINPUT, "missing_nonce", "a signed event must carry a 'nonce'");
  }
  size_t len = 0;
  char *msg = sign_message(sc, event, &len, &rc, err);
  if (!msg) return rc;
  rc = check_entries(sigs, msg, len, kr, boot, new_pk, new_signer, out, err);
  px_free(msg);
  if (rc) memset(out, 0, sizeof *out);
  return rc;
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
      char q[BODY_TEXT_MAX];
      body_quorum_text(&agr->bodies[r->index], q, sizeof q);
      put(out, cap, &at, "%s%s", sep(k++, n), q);
    } else {
      put(out, cap, &at, "%s%s", sep(k++, n), agr->parties[r->index].name);
    }
  }
}

void sign_who_records(const pactum_agreement *agr, int ev, char *out, size_t cap) {
  if (ev < 0 || ev >= agr->nevents) {
    snprintf(out, cap, "nobody");
    return;
  }
  who_records(agr, &agr->events[ev], -1, out, cap);
}

/* The distinct signers of s that are members of body b, their member indices into members. */
static int members_signed(const pactum_agreement *agr, int b, const signer_set *s, int members[MAX_SIGNERS] /* OUT */) {
  int n = 0, m;
  for (int i = 0; i < s->n && n < MAX_SIGNERS; i++)
    if (signer_body(agr, s->names[i], &m) == b) members[n++] = m; /* names are distinct, so members are too */
  return n;
}

static int is_party(const pactum_agreement *agr, const char *name) {
  return !strchr(name, '.') && agreement_find_party(agr, name, strlen(name)) >= 0;
}

int sign_authorize(const pactum_agreement *agr, int ev, const signer_set *who, pactum_error *err) {
  if (ev < 0 || ev >= agr->nevents)
    return fail(err, PACTUM_EINTERNAL, "internal", "event type %d is not in the agreement", ev);
  const cevent *e = &agr->events[ev];
  int n = who ? who->n : 0;
  if (n < 0 || n > MAX_SIGNERS) return fail(err, PACTUM_EINTERNAL, "internal", "a signer set holds %d names", n);
  char whom[400];
  who_records(agr, e, -1, whom, sizeof whom);
  if (n == 0) return fail(err, PACTUM_EINPUT, "unsigned", "'%s' must be signed by %s", e->name, whom);
  if (e->nrecorders == 0) {
    for (int i = 0; i < n; i++)
      if (is_party(agr, who->names[i])) return PACTUM_OK;
  }
  int best = -1, best_count = 0, best_members[MAX_SIGNERS];
  for (int r = 0; r < e->nrecorders; r++) {
    const crecorder *rec = &e->recorders[r];
    if (!rec->is_body) {
      const char *party = agr->parties[rec->index].name;
      for (int i = 0; i < n; i++)
        if (strcmp(who->names[i], party) == 0) return PACTUM_OK;
      continue;
    }
    int members[MAX_SIGNERS];
    int c = members_signed(agr, rec->index, who, members);
    if (body_quorum_met(&agr->bodies[rec->index], members, c)) return PACTUM_OK;
    if (c > best_count) {
      best = r;
      best_count = c;
      memcpy(best_members, members, sizeof(int) * (size_t)c);
    }
  }
  if (best >= 0) {
    const cbody *b = &agr->bodies[agr->events[ev].recorders[best].index];
    char others[400], q[BODY_TEXT_MAX];
    who_records(agr, e, best, others, sizeof others);
    body_quorum_text(b, q, sizeof q);
    /* Enough members, but not from the groups the quorum asks for: say which group falls short. */
    int have = 0, r = best_count >= b->quorum ? body_quorum_unmet(b, best_members, best_count, &have) : -1;
    char shortfall[160] = "";
    if (r >= 0)
      snprintf(shortfall, sizeof shortfall, ", %d of them from %s", have, b->groups[b->need_group[r]]);
    return fail(err, PACTUM_EINPUT, "no_quorum", "'%s' needs %s; %d %s%s%s%s%s", e->name, q, best_count,
                best_count == 1 ? "has" : "have", shortfall,
                e->nrecorders > 1 ? " (it may also be recorded by " : "", e->nrecorders > 1 ? others : "",
                e->nrecorders > 1 ? ")" : "");
  }
  char names[400];
  size_t at = 0;
  names[0] = '\0';
  for (int i = 0; i < n; i++)
    put(names, sizeof names, &at, "%s'%s'", i == 0 ? "" : i == n - 1 ? " and " : ", ", who->names[i]);
  return fail(err, PACTUM_EINPUT, "not_allowed", "%s may not record '%s'; it is recorded by %s", names, e->name, whom);
}

/* ---- Registering and revoking keys ------------------------------------------------------ */

/* The signer and public key a key event names, checked against agr. */
static int key_event_subject(const pactum_agreement *agr, const json_t *event, const char *type, const char **signer,
                             uint8_t pk[SIGN_PK_BYTES], pactum_error *err) {
  if (!json_is_object(event)) return fail(err, PACTUM_EINPUT, "bad_json", "an event must be a JSON object");
  json_t *tv = json_object_get(event, "type");
  if (!json_is_string(tv) || strcmp(json_string_value(tv), type) != 0)
    return fail(err, PACTUM_EINPUT, "bad_json", "the event must have type '%s'", type);
  json_t *sv = json_object_get(event, "signer"), *pv = json_object_get(event, "public_key");
  if (!json_is_string(sv))
    return fail(err, PACTUM_EINPUT, "missing_field", "field 'signer' of event '%s' must be a string", type);
  *signer = json_string_value(sv);
  if (!signer_syntax_ok(*signer, json_string_length(sv)) || !signer_in_agreement(agr, *signer))
    return fail(err, PACTUM_EINPUT, "unknown_signer",
                "'%.*s' is neither a party nor a member of a body of agreement '%s'", SIGN_MAX_SIGNER - 1, *signer,
                agr->id);
  if (decode_exact(pv, pk, SIGN_PK_BYTES) != 0)
    return fail(err, PACTUM_EINPUT, "bad_key", "field 'public_key' of the key of '%s' is not %d bytes of base64",
                *signer, SIGN_PK_BYTES);
  return PACTUM_OK;
}

/* 1 if signer S signed with an active key, per the check. */
static int signed_by(const sign_check *c, const char *signer) {
  for (int i = 0; i < c->signers.n; i++)
    if (strcmp(c->signers.names[i], signer) == 0) return 1;
  return 0;
}

/* The refusal for a bootstrap quorum that is not there. */
static int boot_refused(const sign_bootstrap *boot, const sign_check *c, const char *what, pactum_error *err) {
  if (!boot || boot->n == 0)
    return fail(err, PACTUM_EINPUT, "no_bootstrap", "%s must be signed by the bootstrap keys, and the store has none",
                what);
  return fail(err, PACTUM_EINPUT, c->nsigs ? "no_quorum" : "unsigned",
              "%s must be signed by %d of the %d bootstrap keys; %d signed", what, boot->threshold, boot->n, c->nboot);
}

int sign_register_key(const pactum_agreement *agr, const json_t *event, const sign_scope *sc, keyring *kr,
                      const sign_bootstrap *boot, int64_t seq, pactum_error *err) {
  const char *signer;
  uint8_t pk[SIGN_PK_BYTES];
  int rc = key_event_subject(agr, event, "key_registered", &signer, pk, err);
  if (rc) return rc;
  /* One key, one signer, for good: a key shared by two members would let one holder make a
     quorum, and a revoked key must not come back. */
  int64_t revoked = 0;
  const char *owner = keyring_owner(kr, pk, &revoked);
  const char *pv = json_string_value(json_object_get(event, "public_key"));
  if (owner && strcmp(owner, signer) == 0)
    return fail(err, PACTUM_EINPUT, "duplicate_key", "key '%s' is already registered to '%s'%s", pv, signer,
                revoked ? " (and revoked)" : "");
  if (owner) return fail(err, PACTUM_EINPUT, "key_in_use", "key '%s' is already registered to '%s', not '%s'", pv, owner, signer);

  sign_check c;
  rc = sign_verify_event(event, sc, kr, boot, pk, signer, &c, err);
  if (rc) return rc;
  char what[SIGN_MAX_SIGNER + 40];
  if (keyring_active(kr, signer)) {
    if (!signed_by(&c, signer))
      return fail(err, PACTUM_EINPUT, c.nsigs ? "not_allowed" : "unsigned",
                  "a new key of '%s' must be signed by a key already registered to '%s'", signer, signer);
  } else {
    snprintf(what, sizeof what, "the first key of '%s'", signer);
    int need = sc->legacy ? 1 : boot ? boot->threshold : 1;
    if (!boot || boot->n == 0 || c.nboot < need) return boot_refused(boot, &c, what, err);
  }
  if (!sc->legacy && !c.pop)
    return fail(err, PACTUM_EINPUT, "no_proof",
                "the new key of '%s' must sign its own registration (sign with it too), to show its holder has it",
                signer);
  rc = keyring_add(kr, signer, pk, seq);
  return rc == PACTUM_ENOMEM ? oom(err) : rc;
}

int sign_revoke_key(const pactum_agreement *agr, const json_t *event, const sign_scope *sc, keyring *kr,
                    const sign_bootstrap *boot, int64_t seq, pactum_error *err) {
  const char *signer;
  uint8_t pk[SIGN_PK_BYTES];
  int rc = key_event_subject(agr, event, "key_revoked", &signer, pk, err);
  if (rc) return rc;
  const char *pv = json_string_value(json_object_get(event, "public_key"));
  if (!keyring_has(kr, signer, pk)) {
    int64_t revoked = 0;
    const char *owner = keyring_owner(kr, pk, &revoked);
    if (owner && strcmp(owner, signer) == 0 && revoked)
      return fail(err, PACTUM_EINPUT, "revoked_key", "key '%s' of '%s' was already revoked (seq %lld)", pv, signer,
                  (long long)revoked);
    return fail(err, PACTUM_EINPUT, "unknown_key", "key '%s' is not registered to '%s'", pv, signer);
  }
  sign_check c;
  rc = sign_verify_event(event, sc, kr, boot, NULL, NULL, &c, err);
  if (rc) return rc;
  char what[SIGN_MAX_SIGNER + 40];
  snprintf(what, sizeof what, "revoking a key of '%s'", signer);
  if (!signed_by(&c, signer) && (!boot || boot->n == 0 || c.nboot < boot->threshold)) {
    if (boot && boot->n) return boot_refused(boot, &c, what, err);
    return fail(err, PACTUM_EINPUT, c.nsigs ? "not_allowed" : "unsigned",
                "%s must be signed by a key of '%s' (the store has no bootstrap keys)", what, signer);
  }
  rc = keyring_revoke(kr, pk, seq);
  return rc == PACTUM_ENOMEM ? oom(err) : rc;
}

/* ---- Checkpoints ------------------------------------------------------------------------ */

int sign_checkpoint(json_t *cp, const sign_key *k, pactum_error *err) {
  int rc = can_sign(cp, k, "a checkpoint", err);
  if (rc) return rc;
  size_t len = 0;
  char *msg = domain_message(CHECKPOINT_DOMAIN, cp, &len, &rc, err);
  if (!msg) return rc;
  uint8_t sig[SIG_BYTES];
  crypto_sign_detached(sig, NULL, (const unsigned char *)msg, len, k->sk);
  px_free(msg);
  return add_signature(cp, k, sig, err);
}

int sign_verify_checkpoint(const json_t *cp, const keyring *kr, const sign_key *trusted, int ntrusted, signer_set *out,
                           pactum_error *err) {
  memset(out, 0, sizeof *out);
  if (!json_is_object(cp)) return fail(err, PACTUM_EINPUT, "bad_json", "a checkpoint must be a JSON object");
  const json_t *sigs;
  int rc = signatures_of(cp, &sigs, err);
  if (rc) return rc;
  if (!sigs || json_array_size(sigs) == 0) return fail(err, PACTUM_EINPUT, "unsigned", "the checkpoint is not signed");
  if (sign_init() != 0) return fail(err, PACTUM_EINTERNAL, "crypto", "libsodium cannot start");
  size_t len = 0;
  char *msg = domain_message(CHECKPOINT_DOMAIN, cp, &len, &rc, err);
  if (!msg) return rc;
  /* A trusted key counts for its own signer whatever the keyring says. */
  keyring *trust = NULL;
  if (ntrusted > 0) {
    if (!(trust = keyring_new())) {
      px_free(msg);
      return oom(err);
    }
    for (int i = 0; i < ntrusted; i++) keyring_add(trust, trusted[i].signer, trusted[i].pk, 0);
  }
  size_t i;
  json_t *s;
  json_array_foreach(sigs, i, s) {
    sign_check c;
    memset(&c, 0, sizeof c);
    json_t *one = json_array();
    json_array_append(one, s);
    const char *name = json_string_value(json_object_get(s, "signer"));
    uint8_t pk[SIGN_PK_BYTES];
    int in_trust = trust && name && !decode_exact(json_object_get(s, "public_key"), pk, sizeof pk) &&
                   keyring_has(trust, name, pk);
    rc = check_entries(one, msg, len, in_trust ? trust : kr, NULL, NULL, NULL, &c, err);
    json_decref(one);
    if (rc) break;
    if (c.signers.n && signer_set_add(out, c.signers.names[0])) {
      rc = fail(err, PACTUM_EINPUT, "too_many_signatures", "signed by more than %d signers", MAX_SIGNERS);
      break;
    }
  }
  keyring_free(trust);
  px_free(msg);
  if (rc) memset(out, 0, sizeof *out);
  return rc;
}
