/*
** merkle.c: RFC 9162 Merkle tree hashes and the frontier (interim; replaced by the full module).
*/
#include "merkle.h"

#include <sodium.h>
#include <string.h>
#include "banned.h"

void merkle_leaf_hash(const uint8_t *data, size_t len, uint8_t out[MERKLE_HASH]) {
  crypto_hash_sha256_state st;
  uint8_t z = 0;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &z, 1);
  crypto_hash_sha256_update(&st, data, len);
  crypto_hash_sha256_final(&st, out);
}

void merkle_node_hash(const uint8_t l[MERKLE_HASH], const uint8_t r[MERKLE_HASH], uint8_t out[MERKLE_HASH]) {
  crypto_hash_sha256_state st;
  uint8_t one = 1;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &one, 1);
  crypto_hash_sha256_update(&st, l, MERKLE_HASH);
  crypto_hash_sha256_update(&st, r, MERKLE_HASH);
  crypto_hash_sha256_final(&st, out);
}

void merkle_frontier_init(merkle_frontier *f) { memset(f, 0, sizeof *f); }

int merkle_frontier_push(merkle_frontier *f, const uint8_t leaf[MERKLE_HASH], uint8_t made[][MERKLE_HASH]) {
  uint8_t cur[MERKLE_HASH];
  memcpy(cur, leaf, MERKLE_HASH);
  int k = 0;
  for (uint64_t n = f->n; n & 1; n >>= 1) {
    merkle_node_hash(f->h[f->count - 1], cur, cur);
    f->count--;
    memcpy(made[k++], cur, MERKLE_HASH);
  }
  memcpy(f->h[f->count++], cur, MERKLE_HASH);
  f->n++;
  return k;
}

void merkle_frontier_root(const merkle_frontier *f, uint8_t out[MERKLE_HASH]) {
  if (f->count == 0) {
    crypto_hash_sha256(out, (const unsigned char *)"", 0);
    return;
  }
  uint8_t cur[MERKLE_HASH];
  memcpy(cur, f->h[f->count - 1], MERKLE_HASH);
  for (int i = f->count - 2; i >= 0; i--) merkle_node_hash(f->h[i], cur, cur);
  memcpy(out, cur, MERKLE_HASH);
}

int merkle_root(uint64_t size, merkle_node_fn fn, void *ctx, uint8_t out[MERKLE_HASH]) {
  (void)size, (void)fn, (void)ctx, (void)out;
  return -1;
}
int merkle_inclusion_proof(uint64_t leaf, uint64_t size, merkle_node_fn fn, void *ctx, uint8_t path[][MERKLE_HASH],
                           int *npath) {
  (void)leaf, (void)size, (void)fn, (void)ctx, (void)path, (void)npath;
  return -1;
}
int merkle_consistency_proof(uint64_t from, uint64_t to, merkle_node_fn fn, void *ctx, uint8_t path[][MERKLE_HASH],
                             int *npath) {
  (void)from, (void)to, (void)fn, (void)ctx, (void)path, (void)npath;
  return -1;
}
int merkle_verify_inclusion(uint64_t leaf, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
                            const uint8_t path[][MERKLE_HASH], int npath, const uint8_t root[MERKLE_HASH]) {
  (void)leaf, (void)size, (void)leaf_hash, (void)path, (void)npath, (void)root;
  return -1;
}
int merkle_verify_consistency(uint64_t from, uint64_t to, const uint8_t from_root[MERKLE_HASH],
                              const uint8_t to_root[MERKLE_HASH], const uint8_t path[][MERKLE_HASH], int npath) {
  (void)from, (void)to, (void)from_root, (void)to_root, (void)path, (void)npath;
  return -1;
}
