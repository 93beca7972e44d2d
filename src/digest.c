/*
** digest.c: SHA-256 by libcrypto, each thread with a context of its own (see digest.h).
*/
#include "digest.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include "banned.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t ctx_key;
static EVP_MD *sha256_md; /* fetched once; NULL if libcrypto cannot give it */

static void ctx_free(void *p) { EVP_MD_CTX_free(p); }

static void setup(void) {
  sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
  if (pthread_key_create(&ctx_key, ctx_free) != 0) {
    EVP_MD_free(sha256_md);
    sha256_md = NULL;
  }
}

/* This thread's context, created on first use; NULL if libcrypto cannot serve. */
static EVP_MD_CTX *thread_ctx(void) {
  pthread_once(&once, setup);
  if (!sha256_md) return NULL;
  EVP_MD_CTX *c = pthread_getspecific(ctx_key);
  if (c) return c;
  if (!(c = EVP_MD_CTX_new())) return NULL;
  if (pthread_setspecific(ctx_key, c) != 0) {
    EVP_MD_CTX_free(c);
    return NULL;
  }
  return c;
}

void digest_sha256_parts(const void *const *parts, const size_t *lens, int n, uint8_t out[DIGEST_BYTES]) {
  EVP_MD_CTX *c = thread_ctx();
  int ok = c && EVP_DigestInit_ex2(c, sha256_md, NULL) == 1;
  for (int i = 0; ok && i < n; i++) ok = EVP_DigestUpdate(c, parts[i], lens[i]) == 1;
  unsigned int got = 0;
  if (ok && EVP_DigestFinal_ex(c, out, &got) == 1 && got == DIGEST_BYTES) return;
  /* libcrypto failed: the same hash from libsodium. */
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (int i = 0; i < n; i++) crypto_hash_sha256_update(&st, parts[i], lens[i]);
  crypto_hash_sha256_final(&st, out);
}

void digest_sha256(const void *data, size_t len, uint8_t out[DIGEST_BYTES]) {
  const void *parts[1] = {data};
  digest_sha256_parts(parts, &len, 1, out);
}
