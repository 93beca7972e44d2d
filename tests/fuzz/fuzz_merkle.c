/*
** fuzz_merkle.c: libFuzzer harness for the RFC 9162 proofs of src/merkle.c.
**
** Input: a flags byte (bit 0: a consistency proof, else an inclusion proof; bit 1: the huge
** tree; bit 2: the node function fails at one call), then choice bytes: the size, the index (or
** old size), with bit 2 the number of the call that fails, then up to 24 mutations, each a kind
** byte and its arguments, until the input runs out.
**
** Two synthetic trees:
** - the real one: 2^16 distinct leaves (leaf i is the leaf hash of "fuzz" and i in 8 big-endian
**   bytes), pushed once through a merkle_frontier that keeps every node it reports;
** - the huge one, of up to MERKLE_MAX_SIZE leaves all equal, whose node at level L is the same
**   for every index (so it is known without building it).
** The harness generates the real proof and the root (merkle_inclusion_proof or
** merkle_consistency_proof, merkle_root), checks that the node function was asked only for nodes
** inside the tree and at most 2 * ceil(log2 n) + 2 times, and that the real proof verifies. Then
** it mutates the proof: its hashes (a bit flipped, bytes overwritten, one dropped, inserted,
** swapped, the path truncated), its sizes and its index; after each mutation the verifier's
** answer must equal an oracle's, which verifies the other way, from the RFC's recursive
** definitions: it lists the siblings' sides for the sizes and index (the "shape": R to the right
** of the running hash, L to its left, S for the old tree's last subtree, P when the old root
** starts a consistency proof), folds the path along them with libsodium's SHA-256, and accepts
** only when the path has exactly that many hashes and the result is the root (both roots, for a
** consistency proof). So a mutated proof is accepted exactly when it is a valid proof of some
** tree; a proof does not bind the size by itself (the signed root does), and a size with the same
** shape passes. Every other mutation, an altered byte, a hash too many or too few, two swapped,
** the index or a size moved to a different shape, must be refused. Last, the generators are
** called with the mutated index and sizes (check_generator).
*/
#include "fuzz.h"
#include "alloc.h"
#include "merkle.h"

#include <sodium.h>
#include <string.h>
#include "banned.h"

#define REAL_LEVELS 17 /* levels 0..16 */
#define REAL_N ((uint64_t)1 << (REAL_LEVELS - 1))
#define MAX_OPS 24
#define PATH_CAP (MERKLE_MAX_LEVELS + 8)

typedef uint8_t hash[MERKLE_HASH];

static hash *real_nodes[REAL_LEVELS]; /* real_nodes[L][j] */
static hash huge_nodes[MERKLE_MAX_LEVELS];

typedef struct fn_ctx {
  int huge;
  uint64_t size; /* the tree being proven: nodes must lie inside it */
  int calls;
  int fail_at;   /* > 0: that call fails with FN_FAILED */
} fn_ctx;

#define FN_FAILED 77

static int node_fn(void *vctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]) {
  fn_ctx *c = vctx;
  c->calls++;
  FUZZ_ASSERT(level >= 0 && level < MERKLE_MAX_LEVELS && index < (c->size >> level),
              "node level %d index %llu asked of a tree of %llu leaves", level, (unsigned long long)index,
              (unsigned long long)c->size);
  if (c->fail_at && c->calls == c->fail_at) return FN_FAILED;
  if (c->huge) {
    memcpy(out, huge_nodes[level], MERKLE_HASH);
  } else {
    FUZZ_ASSERT(level < REAL_LEVELS, "level %d in the real tree", level);
    memcpy(out, real_nodes[level][index], MERKLE_HASH);
  }
  return 0;
}

static void build_trees(void) {
  static int built;
  if (built) return;
  for (int l = 0; l < REAL_LEVELS; l++) {
    real_nodes[l] = px_calloc(REAL_N >> l, sizeof(hash)); /* kept for the life of the process */
    if (!real_nodes[l]) abort();
  }
  merkle_frontier f;
  merkle_frontier_init(&f);
  hash made[MERKLE_MAX_LEVELS];
  for (uint64_t i = 0; i < REAL_N; i++) {
    uint8_t data[12] = {'f', 'u', 'z', 'z'};
    for (int b = 0; b < 8; b++) data[4 + b] = (uint8_t)(i >> (56 - 8 * b));
    merkle_leaf_hash(data, sizeof data, real_nodes[0][i]);
    int k = merkle_frontier_push(&f, real_nodes[0][i], made);
    FUZZ_ASSERT(k == __builtin_ctzll(i + 1), "push %llu completed %d levels", (unsigned long long)i, k);
    for (int l = 1; l <= k; l++) memcpy(real_nodes[l][((i + 1) >> l) - 1], made[l - 1], MERKLE_HASH);
  }
  /* the empty tree: SHA-256 of the empty string, from the frontier and from merkle_root */
  hash e1, e2, e3;
  merkle_frontier_init(&f);
  merkle_frontier_root(&f, e1);
  fn_ctx none = {0, 0, 0, 0};
  FUZZ_ASSERT(merkle_root(0, node_fn, &none, e2) == MERKLE_OK && none.calls == 0, "merkle_root(0)");
  crypto_hash_sha256(e3, NULL, 0);
  FUZZ_ASSERT(!memcmp(e1, e3, MERKLE_HASH) && !memcmp(e2, e3, MERKLE_HASH), "the empty tree's root");
  merkle_leaf_hash((const uint8_t *)"huge", 4, huge_nodes[0]);
  for (int l = 1; l < MERKLE_MAX_LEVELS; l++) merkle_node_hash(huge_nodes[l - 1], huge_nodes[l - 1], huge_nodes[l]);
  built = 1;
}

static int ceil_log2(uint64_t n) {
  int l = 0;
  while (l < 64 && ((uint64_t)1 << l) < n) l++;
  return l;
}

/* k: the largest power of two below n (n >= 2). */
static uint64_t split(uint64_t n) {
  uint64_t k = 1;
  while (k < n - k) k <<= 1;
  return k;
}

/*
** The verifier's sequence of siblings for PATH(m, D[n]) (R: the sibling is right of the running
** hash), leaf first, as a string; from the RFC's recursion over the sizes alone.
*/
static void inclusion_shape(uint64_t m, uint64_t n, char out[80]) {
  char top[80];
  int k = 0;
  if (n == 0 || m >= n || n > MERKLE_MAX_SIZE) {
    memcpy(out, "!", 2);
    return;
  }
  while (n > 1) {
    uint64_t s = split(n);
    if (m < s) {
      top[k++] = 'R';
      n = s;
    } else {
      top[k++] = 'L';
      m -= s;
      n -= s;
    }
  }
  for (int i = 0; i < k; i++) out[i] = top[k - 1 - i];
  out[k] = '\0';
}

/* The same for PROOF(m, D[n]): P first when the old root starts the computation, S for MTH(D[m]). */
static void consistency_shape(uint64_t m, uint64_t n, char out[80]) {
  char top[80];
  int k = 0, whole = 1;
  if (m == 0 || m > n || n > MERKLE_MAX_SIZE) {
    memcpy(out, "!", 2);
    return;
  }
  if (m == n) {
    memcpy(out, "=", 2);
    return;
  }
  int pow2 = (m & (m - 1)) == 0;
  while (m < n) {
    uint64_t s = split(n);
    if (m <= s) {
      top[k++] = 'R';
      n = s;
    } else {
      top[k++] = 'L';
      m -= s;
      n -= s;
      whole = 0;
    }
  }
  int o = 0;
  if (pow2) out[o++] = 'P';
  if (!whole) out[o++] = 'S';
  for (int i = 0; i < k; i++) out[o++] = top[k - 1 - i];
  out[o] = '\0';
}

/* A proof and everything it is checked against, as the mutations leave them. */
typedef struct claim {
  uint64_t a, b;  /* inclusion: leaf index and size; consistency: from and to */
  hash h1, h2;    /* inclusion: leaf hash and root; consistency: from root and to root */
  hash path[PATH_CAP];
  int np;
} claim;

static int verify(int consistency, const claim *c) {
  const uint8_t(*p)[MERKLE_HASH] = (const uint8_t(*)[MERKLE_HASH])c->path;
  if (consistency) return merkle_verify_consistency(c->a, c->b, c->h1, c->h2, p, c->np);
  return merkle_verify_inclusion(c->a, c->b, c->h1, p, c->np, c->h2);
}

/* SHA-256(0x01 || l || r), with libsodium directly. */
static void oracle_node(const uint8_t *l, const uint8_t *r, uint8_t out[MERKLE_HASH]) {
  uint8_t in[1 + 2 * MERKLE_HASH];
  in[0] = 1;
  memcpy(in + 1, l, MERKLE_HASH);
  memcpy(in + 1 + MERKLE_HASH, r, MERKLE_HASH);
  crypto_hash_sha256(out, in, sizeof in);
}

/* 1 if the claim is a valid proof, by folding its path along the shape of its sizes. */
static int oracle(int consistency, const claim *c) {
  char shape[80];
  if (!consistency) {
    inclusion_shape(c->a, c->b, shape);
    if (shape[0] == '!' || c->np != (int)strlen(shape)) return 0;
    hash r;
    memcpy(r, c->h1, MERKLE_HASH);
    for (int i = 0; i < c->np; i++) {
      if (shape[i] == 'R') oracle_node(r, c->path[i], r);
      else oracle_node(c->path[i], r, r);
    }
    return !memcmp(r, c->h2, MERKLE_HASH);
  }
  consistency_shape(c->a, c->b, shape);
  if (shape[0] == '!') return 0;
  if (shape[0] == '=') return c->np == 0 && !memcmp(c->h1, c->h2, MERKLE_HASH);
  /* P: the old root starts both computations; S: the path's first hash does */
  const char *tags = shape + 1;
  int i = shape[0] == 'S' ? 1 : 0;
  if (c->np != i + (int)strlen(tags)) return 0;
  hash fr, sr;
  memcpy(fr, shape[0] == 'S' ? c->path[0] : c->h1, MERKLE_HASH);
  memcpy(sr, fr, MERKLE_HASH);
  for (const char *t = tags; *t; t++, i++) {
    if (*t == 'L') {
      oracle_node(c->path[i], fr, fr);
      oracle_node(c->path[i], sr, sr);
    } else {
      oracle_node(sr, c->path[i], sr);
    }
  }
  return !memcmp(fr, c->h1, MERKLE_HASH) && !memcmp(sr, c->h2, MERKLE_HASH);
}

static void mutate(fuzz_reader *r, claim *c) {
  uint8_t kind = fuzz_u8(r);
  uint32_t i = fuzz_below(r, (uint32_t)c->np + 2); /* np: the first hash, np + 1: the second */
  uint8_t *target = i < (uint32_t)c->np ? c->path[i] : i == (uint32_t)c->np ? c->h1 : c->h2;
  switch (kind % 9) {
  case 0: { /* flip one bit */
    uint8_t at = fuzz_u8(r);
    target[at % MERKLE_HASH] ^= (uint8_t)(1u << (at >> 5));
    break;
  }
  case 1: /* overwrite with input bytes */
    for (int k = 0; k < MERKLE_HASH; k++) target[k] = fuzz_u8(r);
    break;
  case 2: /* drop an element of the path */
    if (c->np > 0) {
      uint32_t d = i % (uint32_t)c->np;
      memmove(c->path[d], c->path[d + 1], (size_t)(c->np - 1 - (int)d) * MERKLE_HASH);
      c->np--;
    }
    break;
  case 3: /* insert a copy of a hash (of the path, or one of the two) */
    if (c->np < PATH_CAP) {
      hash copy;
      memcpy(copy, target, MERKLE_HASH);
      uint32_t at = fuzz_below(r, (uint32_t)c->np + 1);
      memmove(c->path[at + 1], c->path[at], (size_t)(c->np - (int)at) * MERKLE_HASH);
      memcpy(c->path[at], copy, MERKLE_HASH);
      c->np++;
    }
    break;
  case 4: { /* swap two hashes */
    uint32_t j = fuzz_below(r, (uint32_t)c->np + 2);
    uint8_t *other = j < (uint32_t)c->np ? c->path[j] : j == (uint32_t)c->np ? c->h1 : c->h2;
    hash t;
    memcpy(t, target, MERKLE_HASH);
    memcpy(target, other, MERKLE_HASH);
    memcpy(other, t, MERKLE_HASH);
    break;
  }
  case 5: /* truncate the path */
    c->np = (int)fuzz_below(r, (uint32_t)c->np + 1);
    break;
  case 6: /* another first number (index, or old size) */
    c->a = fuzz_u8(r) & 1 ? c->a + (uint64_t)(int8_t)fuzz_u8(r) : fuzz_u64(r);
    break;
  case 7: /* another second number (size) */
    c->b = fuzz_u8(r) & 1 ? c->b + (uint64_t)(int8_t)fuzz_u8(r) : fuzz_u64(r);
    break;
  default: /* both numbers by a shift: the same proof read one level up or down */
  {
    int up = fuzz_u8(r) & 1;
    c->a = up ? c->a << 1 : c->a >> 1;
    c->b = up ? c->b << 1 : c->b >> 1;
    break;
  }
  }
}

/*
** The generators on the mutated numbers: they refuse, without asking fn, exactly the arguments
** there is no proof for (MERKLE_ERANGE; MERKLE_EEMPTY from the empty log); a proof they make
** verifies; a failing fn's code comes back from the call that failed, with an empty path.
*/
static void check_generator(int consistency, uint64_t a, uint64_t b, uint64_t limit, int huge, int fail_at) {
  int bad = consistency ? a > b || b > MERKLE_MAX_SIZE : a >= b || b > MERKLE_MAX_SIZE;
  int empty = consistency && !bad && a == 0;
  if (!bad && !empty && b > limit) return; /* a proof exists, but not in the synthetic tree */
  fn_ctx ctx = {huge, b, 0, fail_at};
  claim c;
  memset(&c, 0, sizeof c);
  c.a = a;
  c.b = b;
  c.np = -1;
  int rc = consistency ? merkle_consistency_proof(a, b, node_fn, &ctx, c.path, &c.np)
                       : merkle_inclusion_proof(a, b, node_fn, &ctx, c.path, &c.np);
  int want = bad ? MERKLE_ERANGE : empty ? MERKLE_EEMPTY : fail_at && ctx.calls >= fail_at ? FN_FAILED : MERKLE_OK;
  FUZZ_ASSERT(rc == want, "%s proof for (%llu, %llu) returned %d, not %d", consistency ? "consistency" : "inclusion",
              (unsigned long long)a, (unsigned long long)b, rc, want);
  if (rc != MERKLE_OK) {
    FUZZ_ASSERT(c.np == 0, "a refused proof with a path of %d", c.np);
    FUZZ_ASSERT(ctx.calls == (rc == FN_FAILED ? fail_at : 0), "%d calls of fn before the refusal", ctx.calls);
    return;
  }
  fn_ctx plain = {huge, b, 0, 0};
  FUZZ_ASSERT(merkle_root(b, node_fn, &plain, c.h2) == MERKLE_OK, "root of %llu", (unsigned long long)b);
  if (consistency) {
    plain.size = a;
    FUZZ_ASSERT(merkle_root(a, node_fn, &plain, c.h1) == MERKLE_OK, "root of %llu", (unsigned long long)a);
  } else {
    memcpy(c.h1, huge ? huge_nodes[0] : real_nodes[0][a], MERKLE_HASH);
  }
  FUZZ_ASSERT(verify(consistency, &c) == MERKLE_OK, "the proof generated for (%llu, %llu) does not verify",
              (unsigned long long)a, (unsigned long long)b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  build_trees();
  fuzz_reader r = {data + 1, size - 1};
  int consistency = data[0] & 1, huge = (data[0] >> 1) & 1;
  uint64_t limit = huge ? MERKLE_MAX_SIZE : REAL_N;

  claim real, c;
  memset(&real, 0, sizeof real);
  fn_ctx ctx = {huge, 0, 0, 0};
  uint64_t n = 1 + fuzz_u64(&r) % limit;
  ctx.size = n;
  hash root;
  int rc = merkle_root(n, node_fn, &ctx, root);
  FUZZ_ASSERT(rc == MERKLE_OK && ctx.calls == __builtin_popcountll(n), "merkle_root of %llu: rc %d, %d calls",
              (unsigned long long)n, rc, ctx.calls);
  if (!huge && n <= 256) { /* the frontier of the first n leaves has the same root */
    merkle_frontier f;
    merkle_frontier_init(&f);
    hash froot;
    for (uint64_t i = 0; i < n; i++) merkle_frontier_push(&f, real_nodes[0][i], NULL);
    merkle_frontier_root(&f, froot);
    FUZZ_ASSERT(!memcmp(froot, root, MERKLE_HASH), "the frontier's root of %llu leaves differs", (unsigned long long)n);
  }
  ctx.calls = 0;
  if (consistency) {
    uint64_t m = 1 + fuzz_u64(&r) % n;
    fn_ctx old = {huge, m, 0, 0};
    real.a = m;
    real.b = n;
    FUZZ_ASSERT(merkle_root(m, node_fn, &old, real.h1) == MERKLE_OK, "root of %llu", (unsigned long long)m);
    memcpy(real.h2, root, MERKLE_HASH);
    rc = merkle_consistency_proof(m, n, node_fn, &ctx, real.path, &real.np);
  } else {
    uint64_t m = fuzz_u64(&r) % n;
    real.a = m;
    real.b = n;
    if (huge) memcpy(real.h1, huge_nodes[0], MERKLE_HASH);
    else memcpy(real.h1, real_nodes[0][m], MERKLE_HASH);
    memcpy(real.h2, root, MERKLE_HASH);
    rc = merkle_inclusion_proof(m, n, node_fn, &ctx, real.path, &real.np);
  }
  int fail_at = (data[0] & 4) ? 1 + (int)fuzz_below(&r, 48) : 0;
  FUZZ_ASSERT(rc == MERKLE_OK, "proof for %llu, %llu: rc %d", (unsigned long long)real.a, (unsigned long long)n, rc);
  FUZZ_ASSERT(ctx.calls <= 2 * ceil_log2(n) + 2, "%d calls of fn for a tree of %llu", ctx.calls, (unsigned long long)n);
  FUZZ_ASSERT(real.np >= 0 && real.np <= MERKLE_MAX_LEVELS, "a path of %d", real.np);
  rc = verify(consistency, &real);
  FUZZ_ASSERT(rc == MERKLE_OK, "the real proof (%llu, %llu, %d hashes) does not verify: %d", (unsigned long long)real.a,
              (unsigned long long)n, real.np, rc);

  FUZZ_ASSERT(oracle(consistency, &real), "the oracle refuses the real proof of (%llu, %llu)", (unsigned long long)real.a,
              (unsigned long long)n);
  c = real;
  for (int op = 0; op < MAX_OPS && r.n > 0; op++) {
    mutate(&r, &c);
    int should = oracle(consistency, &c);
    rc = verify(consistency, &c);
    FUZZ_ASSERT((rc == MERKLE_OK) == should,
                "%s proof of (%llu, %llu) checked as (%llu, %llu) with %d hashes: verifier says %d, the oracle %s",
                consistency ? "consistency" : "inclusion", (unsigned long long)real.a, (unsigned long long)real.b,
                (unsigned long long)c.a, (unsigned long long)c.b, c.np, rc, should ? "accepts" : "refuses");
    FUZZ_ASSERT(rc == MERKLE_OK || rc == MERKLE_EPROOF || rc == MERKLE_ERANGE || rc == MERKLE_EEMPTY,
                "unknown verifier answer %d", rc);
  }
  check_generator(consistency, c.a, c.b, limit, huge, fail_at);
  return 0;
}
