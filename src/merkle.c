/*
** merkle.c: RFC 9162 Merkle tree hashes, proofs and their verification (see merkle.h).
**
** Proofs walk the RFC's recursion top-down without recursing: a subtree D[a:a+len) splits at k,
** the largest power of two below len, into the perfect D[a:a+k) and the rest D[a+k:a+len). The
** RFC appends the sibling of each step after the proof of the deeper steps, so the siblings are
** collected top-down and the path is reversed at the end.
*/
#include "merkle.h"
#include "digest.h"

#include <sodium.h>
#include <string.h>
#include "banned.h"

void merkle_leaf_hash(const uint8_t *data, size_t len, uint8_t out[MERKLE_HASH]) {
  static const uint8_t prefix = 0x00;
  const void *parts[2] = {&prefix, data};
  const size_t lens[2] = {1, data ? len : 0};
  digest_sha256_parts(parts, lens, 2, out);
}

void merkle_node_hash(const uint8_t l[MERKLE_HASH], const uint8_t r[MERKLE_HASH], uint8_t out[MERKLE_HASH]) {
  static const uint8_t prefix = 0x01;
  const void *parts[3] = {&prefix, l, r};
  const size_t lens[3] = {1, MERKLE_HASH, MERKLE_HASH};
  digest_sha256_parts(parts, lens, 3, out); /* l and r are read in full before out is written */
}

/* MTH of no leaves: SHA-256 of the empty string. */
static void empty_root(uint8_t out[MERKLE_HASH]) { crypto_hash_sha256(out, NULL, 0); }

/* ---- The frontier ------------------------------------------------------------------------- */

void merkle_frontier_init(merkle_frontier *f) { memset(f, 0, sizeof *f); }

int merkle_frontier_push(merkle_frontier *f, const uint8_t leaf[MERKLE_HASH], uint8_t made[][MERKLE_HASH]) {
  if (f->n >= MERKLE_MAX_SIZE) return MERKLE_ERANGE;
  /* Leaf f->n closes one perfect subtree per trailing 1 bit of f->n: each merges with the last
     (smallest) root of the edge, which covers the 2^L leaves just before it. */
  uint8_t cur[MERKLE_HASH];
  memcpy(cur, leaf, MERKLE_HASH);
  int k = 0;
  for (uint64_t n = f->n; n & 1; n >>= 1) {
    merkle_node_hash(f->h[f->count - 1], cur, cur);
    f->count--;
    if (made) memcpy(made[k], cur, MERKLE_HASH);
    k++;
  }
  memcpy(f->h[f->count++], cur, MERKLE_HASH);
  f->n++;
  return k;
}

void merkle_frontier_root(const merkle_frontier *f, uint8_t out[MERKLE_HASH]) {
  if (f->count == 0) {
    empty_root(out);
    return;
  }
  /* MTH splits off the largest perfect subtree first, so the edge folds from the right. */
  uint8_t r[MERKLE_HASH];
  memcpy(r, f->h[f->count - 1], MERKLE_HASH);
  for (int i = f->count - 2; i >= 0; i--) merkle_node_hash(f->h[i], r, r);
  memcpy(out, r, MERKLE_HASH);
}

/* ---- Subtrees from perfect nodes ---------------------------------------------------------- */

/* The largest power of two strictly below n (n >= 2). */
static uint64_t split_point(uint64_t n) {
  uint64_t k = 1;
  while (k < n - k) k <<= 1; /* k < n / 2 rounded up, without overflow */
  return k;
}

/* log2 of a power of two. */
static int level_of(uint64_t k) {
  int l = 0;
  while (k > 1) {
    k >>= 1;
    l++;
  }
  return l;
}

/*
** MTH(D[a:a+len)) for a subtree the RFC's recursion reaches: len >= 1 and a a multiple of a power
** of two >= len, so that each piece of len's binary decomposition is a perfect node. One call of
** fn per bit set in len; the pieces fold from the right (the smallest, last one) leftwards.
*/
static int range_root(uint64_t a, uint64_t len, merkle_node_fn fn, void *ctx, uint8_t out[MERKLE_HASH]) {
  int have = 0;
  uint8_t acc[MERKLE_HASH], piece[MERKLE_HASH];
  for (int l = 0; l < 64; l++) {
    if (!(len >> l & 1)) continue;
    uint64_t above = l < 63 ? len >> (l + 1) << (l + 1) : 0; /* the larger pieces, to the left */
    int rc = fn(ctx, l, (a + above) >> l, have ? piece : acc);
    if (rc != 0) return rc;
    if (have) merkle_node_hash(piece, acc, acc);
    have = 1;
  }
  memcpy(out, acc, MERKLE_HASH);
  return MERKLE_OK;
}

int merkle_root(uint64_t size, merkle_node_fn fn, void *ctx, uint8_t out[MERKLE_HASH]) {
  if (size > MERKLE_MAX_SIZE) return MERKLE_ERANGE;
  if (size == 0) {
    empty_root(out);
    return MERKLE_OK;
  }
  return range_root(0, size, fn, ctx, out);
}

/* Reverse path[0..n) in place: siblings were collected root first, the RFC lists them leaf first. */
static void reverse_path(uint8_t path[][MERKLE_HASH], int n) {
  uint8_t t[MERKLE_HASH];
  for (int i = 0, j = n - 1; i < j; i++, j--) {
    memcpy(t, path[i], MERKLE_HASH);
    memcpy(path[i], path[j], MERKLE_HASH);
    memcpy(path[j], t, MERKLE_HASH);
  }
}

/* ---- Proofs ------------------------------------------------------------------------------- */

/*
** PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       for m < k
**               = PATH(m - k, D[k:n]) : MTH(D[0:k])   for m >= k
** PATH(0, {d}) = {}
*/
int merkle_inclusion_proof(uint64_t leaf, uint64_t size, merkle_node_fn fn, void *ctx,
                           uint8_t path[][MERKLE_HASH], int *npath) {
  *npath = 0;
  if (size > MERKLE_MAX_SIZE || leaf >= size) return MERKLE_ERANGE;
  uint64_t a = 0, len = size;
  int n = 0;
  while (len > 1) {
    uint64_t k = split_point(len);
    int rc;
    if (leaf - a < k) {
      rc = range_root(a + k, len - k, fn, ctx, path[n]);
      len = k;
    } else {
      rc = fn(ctx, level_of(k), a >> level_of(k), path[n]);
      a += k;
      len -= k;
    }
    if (rc != 0) return rc;
    n++;
  }
  reverse_path(path, n);
  *npath = n;
  return MERKLE_OK;
}

/*
** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), where
** SUBPROOF(m, D[m], true)  = {}
** SUBPROOF(m, D[m], false) = {MTH(D[m])}
** SUBPROOF(m, D[n], b)     = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])              for m <= k
**                          = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])     for m > k
*/
int merkle_consistency_proof(uint64_t from, uint64_t to, merkle_node_fn fn, void *ctx,
                             uint8_t path[][MERKLE_HASH], int *npath) {
  *npath = 0;
  if (to > MERKLE_MAX_SIZE || from > to) return MERKLE_ERANGE;
  if (from == 0) return MERKLE_EEMPTY;
  uint64_t a = 0, m = from, len = to;
  int whole = 1; /* b: D[a:a+len) still starts at the first leaf, whose root the verifier has */
  int n = 0, rc;
  while (m < len) {
    uint64_t k = split_point(len);
    if (m <= k) {
      rc = range_root(a + k, len - k, fn, ctx, path[n]);
      len = k;
    } else {
      rc = fn(ctx, level_of(k), a >> level_of(k), path[n]);
      a += k;
      m -= k;
      len -= k;
      whole = 0;
    }
    if (rc != 0) return rc;
    n++;
  }
  /* m == len: D[a:a+len) is the old tree's last perfect subtree (len halved to it), or the whole. */
  if (!whole) {
    if ((rc = fn(ctx, level_of(len), a >> level_of(len), path[n])) != 0) return rc;
    n++;
  }
  reverse_path(path, n);
  *npath = n;
  return MERKLE_OK;
}

/* ---- Verification (RFC 9162 2.1.3.2 and 2.1.4.2) ------------------------------------------ */

int merkle_verify_inclusion(uint64_t leaf, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
                            const uint8_t path[][MERKLE_HASH], int npath, const uint8_t root[MERKLE_HASH]) {
  if (size > MERKLE_MAX_SIZE || leaf >= size) return MERKLE_ERANGE;
  if (npath < 0 || npath > MERKLE_MAX_LEVELS || (npath > 0 && !path)) return MERKLE_ERANGE;
  uint64_t fn = leaf, sn = size - 1;
  uint8_t r[MERKLE_HASH];
  memcpy(r, leaf_hash, MERKLE_HASH);
  for (int i = 0; i < npath; i++) {
    if (sn == 0) return MERKLE_EPROOF;
    if ((fn & 1) || fn == sn) {
      merkle_node_hash(path[i], r, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      merkle_node_hash(r, path[i], r);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0 || sodium_memcmp(r, root, MERKLE_HASH) != 0) return MERKLE_EPROOF;
  return MERKLE_OK;
}

int merkle_verify_consistency(uint64_t from, uint64_t to, const uint8_t from_root[MERKLE_HASH],
                              const uint8_t to_root[MERKLE_HASH], const uint8_t path[][MERKLE_HASH], int npath) {
  if (to > MERKLE_MAX_SIZE || from > to) return MERKLE_ERANGE;
  if (npath < 0 || npath > MERKLE_MAX_LEVELS || (npath > 0 && !path)) return MERKLE_ERANGE;
  if (from == 0) return MERKLE_EEMPTY;
  if (from == to) {
    if (npath != 0 || sodium_memcmp(from_root, to_root, MERKLE_HASH) != 0) return MERKLE_EPROOF;
    return MERKLE_OK;
  }
  /* 1. An empty path proves nothing. */
  if (npath == 0) return MERKLE_EPROOF;
  /* 2. For a power-of-two `from` the old root is itself the first value of the path. */
  int pow2 = (from & (from - 1)) == 0;
  int total = npath + pow2;
  /* 3, 4. */
  uint64_t fn = from - 1, sn = to - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  /* 5. */
  uint8_t fr[MERKLE_HASH], sr[MERKLE_HASH];
  const uint8_t *first = pow2 ? from_root : path[0];
  memcpy(fr, first, MERKLE_HASH);
  memcpy(sr, first, MERKLE_HASH);
  /* 6. */
  for (int i = 1; i < total; i++) {
    const uint8_t *c = path[i - pow2];
    if (sn == 0) return MERKLE_EPROOF;
    if ((fn & 1) || fn == sn) {
      merkle_node_hash(c, fr, fr);
      merkle_node_hash(c, sr, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      merkle_node_hash(sr, c, sr);
    }
    fn >>= 1;
    sn >>= 1;
  }
  /* 7. */
  if (sn != 0 || sodium_memcmp(fr, from_root, MERKLE_HASH) != 0 || sodium_memcmp(sr, to_root, MERKLE_HASH) != 0)
    return MERKLE_EPROOF;
  return MERKLE_OK;
}
