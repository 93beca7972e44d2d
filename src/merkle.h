/*
** merkle.h: the Merkle tree of a log, as RFC 9162 section 2.1 defines it (Certificate
** Transparency v2): the tree hash MTH, inclusion proofs (PATH) and consistency proofs (PROOF),
** and their verification (2.1.3.2 and 2.1.4.2). Hashes are SHA-256 (libsodium):
**
**   leaf hash  = SHA-256(0x00 || data)
**   node hash  = SHA-256(0x01 || left || right)
**   MTH({})    = SHA-256("")
**   MTH(D[n])  = node hash of MTH(D[0:k]) and MTH(D[k:n]), k the largest power of two < n
**
** The module holds no tree. A writer keeps a merkle_frontier (the right edge) and stores, beside
** each leaf, the perfect nodes that complete at it (merkle_frontier_push). A reader proves from
** those stored nodes through a merkle_node_fn, which need only return PERFECT subtrees: the node
** at `level` L and `index` j covers leaves [j << L, (j + 1) << L), level 0 being the leaf hashes.
** Every non-perfect subtree a proof needs (on the right edge) is computed here from perfect
** ones, so a proof for a tree of n leaves costs O(log n) calls of the function: at most
** 2 * ceil(log2 n) + 1 for an inclusion proof and 2 * ceil(log2 n) + 2 for a consistency proof.
**
** Sizes are leaf counts, at most MERKLE_MAX_SIZE (2^63 - 1, the largest seq SQLite holds); then a
** path never has more than MERKLE_MAX_LEVELS hashes, so `uint8_t path[MERKLE_MAX_LEVELS][MERKLE_HASH]`
** always has room for a proof.
**
** Nothing here allocates or keeps state: every function is thread-safe on distinct arguments.
*/
#ifndef PACTUM_MERKLE_H
#define PACTUM_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH 32
#define MERKLE_MAX_LEVELS 64
/* The largest tree size (leaf count) the proofs accept. */
#define MERKLE_MAX_SIZE ((uint64_t)INT64_MAX)

/*
** Return codes of the proof functions. A merkle_node_fn's own non-zero return is passed through
** unchanged, so it should return something other than these (pactum's PACTUM_E* codes are).
*/
#define MERKLE_OK 0
/* An index or size out of range: leaf >= size, from > to, a size above MERKLE_MAX_SIZE, or a
   path length below 0 or above MERKLE_MAX_LEVELS. */
#define MERKLE_ERANGE (-101)
/* A consistency proof from the empty tree (from == 0): RFC 9162 defines PROOF(m, D[n]) only for
   0 < m; every tree extends the empty one, and there is nothing to prove. */
#define MERKLE_EEMPTY (-102)
/* Verification only: the proof does not prove what it is checked against (a hash differs, or the
   path has the wrong number of hashes for the sizes and index). */
#define MERKLE_EPROOF (-103)

/* SHA-256(0x00 || data[0..len)): the hash of a leaf whose data is those bytes. */
void merkle_leaf_hash(const uint8_t *data, size_t len, uint8_t out[MERKLE_HASH] /* OUT */);
/* SHA-256(0x01 || l || r): the hash of an inner node. out may alias l or r. */
void merkle_node_hash(const uint8_t l[MERKLE_HASH], const uint8_t r[MERKLE_HASH], uint8_t out[MERKLE_HASH] /* OUT */);

/*
** The right edge of a tree of n leaves: the roots of its perfect subtrees, largest first, one per
** bit set in n (count == popcount(n)); h[i] for i < count. A plain value: copy it, keep it on the
** stack; it owns nothing.
*/
typedef struct merkle_frontier {
  uint64_t n;
  int count;
  uint8_t h[MERKLE_MAX_LEVELS][MERKLE_HASH];
} merkle_frontier;

/* The frontier of the empty tree. */
void merkle_frontier_init(merkle_frontier *f /* OUT */);
/*
** Add leaf hash number f->n (0-based). Returns k = ctz(f->n + 1) taken before the push: the number
** of perfect nodes this leaf completes, and writes them to made[0..k) when made is not NULL:
** made[L - 1] is the node at level L and index ((n + 1) >> L) - 1, n being f->n before the push:
** the node covering the 2^L leaves that end with this one. made needs room for MERKLE_MAX_LEVELS hashes
** (k <= 63 for any f->n <= MERKLE_MAX_SIZE). Returns MERKLE_ERANGE, changing nothing, when the
** tree already has MERKLE_MAX_SIZE leaves.
*/
int merkle_frontier_push(merkle_frontier *f, const uint8_t leaf[MERKLE_HASH], uint8_t made[][MERKLE_HASH] /* OUT */);
/* MTH of the frontier's n leaves; for n == 0, SHA-256 of the empty string. */
void merkle_frontier_root(const merkle_frontier *f, uint8_t out[MERKLE_HASH] /* OUT */);

/*
** Where proofs read perfect subtrees: write to out the node at `level` (0 <= level < 64) covering
** leaves [index << level, (index + 1) << level), and return 0; any other value is an error, which
** the caller of the proof function receives unchanged. The proof functions only ask for nodes
** inside the tree they prove (every leaf covered is below its size).
*/
typedef int (*merkle_node_fn)(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]);

/*
** MTH of the first `size` leaves, from popcount(size) calls of fn; SHA-256("") for size 0.
** Returns MERKLE_OK, MERKLE_ERANGE (size > MERKLE_MAX_SIZE) or fn's error.
*/
int merkle_root(uint64_t size, merkle_node_fn fn, void *ctx, uint8_t out[MERKLE_HASH] /* OUT */);
/*
** The inclusion proof PATH(leaf, D[size]) of RFC 9162 2.1.3.1 into path[0..*npath), from the
** sibling next to the leaf up to the one next to the root (empty for a tree of one leaf).
** path needs room for MERKLE_MAX_LEVELS hashes. Returns MERKLE_OK; MERKLE_ERANGE when
** leaf >= size or size > MERKLE_MAX_SIZE; or fn's error. On an error *npath is 0 and path is
** undefined.
*/
int merkle_inclusion_proof(uint64_t leaf, uint64_t size, merkle_node_fn fn, void *ctx,
                           uint8_t path[][MERKLE_HASH] /* OUT */, int *npath /* OUT */);
/*
** The consistency proof PROOF(from, D[to]) of RFC 9162 2.1.4.1 into path[0..*npath), which needs
** room for MERKLE_MAX_LEVELS hashes. For from == to the proof is empty (RFC 6962's
** SUBPROOF(m, D[m], true) = {}): the two heads are consistent when their roots are equal.
** Returns MERKLE_OK; MERKLE_EEMPTY when from == 0; MERKLE_ERANGE when from > to or
** to > MERKLE_MAX_SIZE; or fn's error. On an error *npath is 0 and path is undefined.
*/
int merkle_consistency_proof(uint64_t from, uint64_t to, merkle_node_fn fn, void *ctx,
                             uint8_t path[][MERKLE_HASH] /* OUT */, int *npath /* OUT */);

/*
** RFC 9162 2.1.3.2: 0 (MERKLE_OK) only when path[0..npath) proves that leaf_hash is leaf number
** `leaf` of the tree of `size` leaves whose root is `root`. Otherwise MERKLE_ERANGE (leaf >= size,
** size > MERKLE_MAX_SIZE, npath < 0 or > MERKLE_MAX_LEVELS, or npath > 0 with a NULL path) or
** MERKLE_EPROOF. Never reads beyond path[npath - 1].
*/
int merkle_verify_inclusion(uint64_t leaf, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
                            const uint8_t path[][MERKLE_HASH], int npath, const uint8_t root[MERKLE_HASH]);
/*
** RFC 9162 2.1.4.2: 0 (MERKLE_OK) only when path[0..npath) proves that the tree of `to` leaves
** with root to_root extends the tree of `from` leaves with root from_root. For from == to, valid
** only with an empty path and equal roots. Otherwise MERKLE_EEMPTY (from == 0: there is no such
** proof), MERKLE_ERANGE (from > to, to > MERKLE_MAX_SIZE, npath < 0 or > MERKLE_MAX_LEVELS, or
** npath > 0 with a NULL path) or MERKLE_EPROOF.
*/
int merkle_verify_consistency(uint64_t from, uint64_t to, const uint8_t from_root[MERKLE_HASH],
                              const uint8_t to_root[MERKLE_HASH], const uint8_t path[][MERKLE_HASH], int npath);

#endif
