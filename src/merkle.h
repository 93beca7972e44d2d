/*
** merkle.h: RFC 9162 Merkle trees (interim: the frontier only; the full module replaces this).
*/
#ifndef PACTUM_MERKLE_H
#define PACTUM_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH 32
#define MERKLE_MAX_LEVELS 64

void merkle_leaf_hash(const uint8_t *data, size_t len, uint8_t out[MERKLE_HASH]);
void merkle_node_hash(const uint8_t l[MERKLE_HASH], const uint8_t r[MERKLE_HASH], uint8_t out[MERKLE_HASH]);

typedef struct merkle_frontier {
  uint64_t n;
  int count;
  uint8_t h[MERKLE_MAX_LEVELS][MERKLE_HASH];
} merkle_frontier;

void merkle_frontier_init(merkle_frontier *f);
int merkle_frontier_push(merkle_frontier *f, const uint8_t leaf[MERKLE_HASH], uint8_t made[][MERKLE_HASH]);
void merkle_frontier_root(const merkle_frontier *f, uint8_t out[MERKLE_HASH]);

typedef int (*merkle_node_fn)(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]);
int merkle_root(uint64_t size, merkle_node_fn fn, void *ctx, uint8_t out[MERKLE_HASH]);
int merkle_inclusion_proof(uint64_t leaf, uint64_t size, merkle_node_fn fn, void *ctx, uint8_t path[][MERKLE_HASH],
                           int *npath /* OUT */);
int merkle_consistency_proof(uint64_t from, uint64_t to, merkle_node_fn fn, void *ctx, uint8_t path[][MERKLE_HASH],
                             int *npath /* OUT */);
int merkle_verify_inclusion(uint64_t leaf, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
                            const uint8_t path[][MERKLE_HASH], int npath, const uint8_t root[MERKLE_HASH]);
int merkle_verify_consistency(uint64_t from, uint64_t to, const uint8_t from_root[MERKLE_HASH],
                              const uint8_t to_root[MERKLE_HASH], const uint8_t path[][MERKLE_HASH], int npath);

#endif
