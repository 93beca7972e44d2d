/*
** canon.c: canonical JSON, and the SHA-256 hashes that chain the record (see canon.h).
*/
#include "canon.h"
#include "digest.h"

#include <sodium.h>
#include <string.h>
#include "banned.h"

static int has_real(const json_t *v, int depth) {
  if (depth > 64) return 1; /* deeper than any event pactum accepts */
  if (json_is_real(v)) return 1;
  if (json_is_object(v)) {
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) if (has_real(x, depth + 1)) return 1;
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (has_real(x, depth + 1)) return 1;
  }
  return 0;
}

int canon_has_real(const json_t *v) { return has_real(v, 0); }

char *canon_json(const json_t *v, size_t *len) {
  if (has_real(v, 0)) return NULL;
  char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
  if (s && len) *len = strlen(s);
  return s;
}

char *canon_signed_part(const json_t *v, size_t *len) {
  if (!json_is_object(v)) return NULL;
  json_t *copy = json_copy((json_t *)v);
  if (!copy) return NULL;
  json_object_del(copy, "signatures");
  json_object_del(copy, "recorded_by");
  char *s = canon_json(copy, len);
  json_decref(copy);
  return s;
}

void canon_chain_hash(int64_t seq, const uint8_t prev[HASH_BYTES], const char *json, size_t len,
                      uint8_t out[HASH_BYTES]) {
  uint8_t be[8];
  uint64_t u = (uint64_t)seq;
  for (int i = 7; i >= 0; i--) {
    be[i] = (uint8_t)(u & 0xff);
    u >>= 8;
  }
  const void *parts[3] = {be, prev, json};
  const size_t lens[3] = {sizeof be, HASH_BYTES, len};
  digest_sha256_parts(parts, lens, 3, out);
}

void canon_agreement_hash(const char *src, size_t len, uint8_t out[HASH_BYTES]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  size_t i = 0;
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) i = 3;
  size_t run = i;
  for (; i < len; i++) {
    if (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n') {
      crypto_hash_sha256_update(&st, (const unsigned char *)src + run, i - run);
      run = i + 1; /* drop the CR, keep the LF */
    }
  }
  crypto_hash_sha256_update(&st, (const unsigned char *)src + run, len - run);
  crypto_hash_sha256_final(&st, out);
}

void canon_hex(const uint8_t *bin, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[bin[i] >> 4];
    out[2 * i + 1] = digits[bin[i] & 15];
  }
  out[2 * n] = '\0';
}

/* Hex digit values; 0xff marks a byte that is not one. */
static const uint8_t HEXVAL[256] = {
    ['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5, ['6'] = 6, ['7'] = 7, ['8'] = 8, ['9'] = 9,
    ['a'] = 10, ['b'] = 11, ['c'] = 12, ['d'] = 13, ['e'] = 14, ['f'] = 15,
    ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15};

static int is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int canon_unhex(const char *s, uint8_t *bin, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char hi = (unsigned char)s[2 * i];
    if (!is_hex(hi)) return -1;
    unsigned char lo = (unsigned char)s[2 * i + 1];
    if (!is_hex(lo)) return -1;
    bin[i] = (uint8_t)(HEXVAL[hi] << 4 | HEXVAL[lo]);
  }
  return s[2 * n] == '\0' ? 0 : -1;
}
