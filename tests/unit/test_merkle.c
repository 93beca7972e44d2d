/*
** test_merkle.c: the RFC 9162 Merkle tree of src/merkle.c: the frontier, tree hashes, inclusion
** and consistency proofs and their verification.
**
** Expected values come from a reference written here straight from the RFC's recursive
** definitions (MTH, PATH, SUBPROOF, over k = the largest power of two below n), hashing with
** libsodium's one-shot SHA-256 over the prefixed bytes, and from published vectors: SHA-256 of
** the empty string, and the roots of the eight-leaf tree of RFC 6962's test data (the one
** Certificate Transparency and Trillian test against; recomputed independently in Python).
**
** A verifier follows the sizes and index it is given; a path computed with the same sequence
** of left and right siblings ("shape", below) as the one it was made for gives the same root.
** So a proof checked against a wrong size or index is expected to pass exactly when the shape
** for the wrong arguments equals the shape for the right ones (for an inclusion proof, when the
** wrong size's tree puts the leaf on the same path: the size is bound by the signed root, not
** by the proof), and to fail otherwise; the tests assert exactly that.
*/
#include "unit.h"
#include "merkle.h"

#include <sodium.h>

#define H MERKLE_HASH
#define MAXN 4100 /* leaves of the in-memory tree */

/* ---- The reference, from RFC 9162 section 2.1 ---------------------------------------------- */

static void ref_leaf_hash(const uint8_t *data, size_t len, uint8_t out[H]) {
  uint8_t buf[1 + 64];
  assert_true(len <= 64);
  buf[0] = 0x00;
  if (len) memcpy(buf + 1, data, len);
  crypto_hash_sha256(out, buf, 1 + len);
}

static void ref_node_hash(const uint8_t l[H], const uint8_t r[H], uint8_t out[H]) {
  uint8_t buf[1 + 2 * H];
  buf[0] = 0x01;
  memcpy(buf + 1, l, H);
  memcpy(buf + 1 + H, r, H);
  crypto_hash_sha256(out, buf, sizeof buf);
}

/* k: the largest power of two smaller than n (n > 1). */
static uint64_t ref_k(uint64_t n) {
  uint64_t k = 1;
  while (2 * k < n) k *= 2;
  return k;
}

static int ceil_log2(uint64_t n) {
  int l = 0;
  while (l < 64 && ((uint64_t)1 << l) < n) l++;
  return l;
}

static int is_pow2(uint64_t n) { return n && !(n & (n - 1)); }

/* The leaves of the in-memory tree: leaf i's data is "leaf" and i in 8 big-endian bytes. */
static uint8_t leaves[MAXN][H];

static void make_leaves(void) {
  static int done;
  if (done) return;
  for (uint64_t i = 0; i < MAXN; i++) {
    uint8_t data[12] = {'l', 'e', 'a', 'f'};
    for (int b = 0; b < 8; b++) data[4 + b] = (uint8_t)(i >> (56 - 8 * b));
    ref_leaf_hash(data, sizeof data, leaves[i]);
  }
  done = 1;
}

/* MTH(D[a:b]) */
static void ref_mth(uint64_t a, uint64_t b, uint8_t out[H]) {
  uint64_t n = b - a;
  if (n == 0) {
    crypto_hash_sha256(out, NULL, 0);
  } else if (n == 1) {
    memcpy(out, leaves[a], H);
  } else {
    uint64_t k = ref_k(n);
    uint8_t l[H], r[H];
    ref_mth(a, a + k, l);
    ref_mth(a + k, b, r);
    ref_node_hash(l, r, out);
  }
}

/* A list of hashes, with each one's side in the verifier's computation. */
typedef struct plist {
  int n;
  uint8_t h[2 * MERKLE_MAX_LEVELS][H];
  char shape[2 * MERKLE_MAX_LEVELS + 2];
  int shape_only; /* record the sides only, hashing nothing */
} plist;

static void plist_add(plist *p, const uint8_t h[H], char side) {
  assert_true(p->n < 2 * MERKLE_MAX_LEVELS);
  if (!p->shape_only) memcpy(p->h[p->n], h, H);
  p->shape[p->n++] = side;
  p->shape[p->n] = '\0';
}

/* PATH(m, D[a:b]), appending in the RFC's order (':' appends). R: the sibling is to the right. */
static void ref_path(uint64_t m, uint64_t a, uint64_t b, plist *p) {
  uint64_t n = b - a;
  if (n == 1) return;
  uint64_t k = ref_k(n);
  uint8_t s[H];
  if (m < k) {
    ref_path(m, a, a + k, p);
    if (!p->shape_only) ref_mth(a + k, b, s);
    plist_add(p, s, 'R');
  } else {
    ref_path(m - k, a + k, b, p);
    if (!p->shape_only) ref_mth(a, a + k, s);
    plist_add(p, s, 'L');
  }
}

/* SUBPROOF(m, D[a:b], whole); S marks MTH(D[m]) itself. */
static void ref_subproof(uint64_t m, uint64_t a, uint64_t b, int whole, plist *p) {
  uint64_t n = b - a;
  uint8_t s[H];
  if (m == n) {
    if (!whole) {
      if (!p->shape_only) ref_mth(a, b, s);
      plist_add(p, s, 'S');
    }
    return;
  }
  uint64_t k = ref_k(n);
  if (m <= k) {
    ref_subproof(m, a, a + k, whole, p);
    if (!p->shape_only) ref_mth(a + k, b, s);
    plist_add(p, s, 'R');
  } else {
    ref_subproof(m - k, a + k, b, 0, p);
    if (!p->shape_only) ref_mth(a, a + k, s);
    plist_add(p, s, 'L');
  }
}

/* The verifier's computation for (m, n): P when the old root starts it (m a power of two). */
static void consistency_shape(uint64_t m, uint64_t n, char *out, size_t cap) {
  if (m == n) {
    snprintf(out, cap, "=");
    return;
  }
  static plist p;
  p.n = 0;
  p.shape[0] = '\0';
  p.shape_only = 1;
  ref_subproof(m, 0, n, 1, &p);
  snprintf(out, cap, "%s%s", is_pow2(m) ? "P" : "", p.shape);
}

static void inclusion_shape(uint64_t m, uint64_t n, char *out, size_t cap) {
  static plist p;
  p.n = 0;
  p.shape[0] = '\0';
  p.shape_only = 1;
  ref_path(m, 0, n, &p);
  snprintf(out, cap, "%s", p.shape);
}

/* ---- The tree under test: nodes stored from the frontier's pushes --------------------------- */

typedef struct tree {
  uint64_t n;           /* leaves pushed */
  uint8_t (*node[MERKLE_MAX_LEVELS])[H];
  uint64_t limit;       /* the size of the tree being proven: fn must stay inside it */
  long calls;
  long fail_at;         /* > 0: the call with this number fails */
  int fail_rc;
  int uniform;          /* every leaf is leaves[0]: node[L][j] is perfect[L] */
  uint8_t perfect[MERKLE_MAX_LEVELS][H];
} tree;

static int tree_fn(void *ctx, int level, uint64_t index, uint8_t out[H]) {
  tree *t = ctx;
  t->calls++;
  if (level < 0 || level >= MERKLE_MAX_LEVELS || index >= (t->limit >> level)) {
    print_error("fn asked for level %d index %llu outside a tree of %llu leaves\n", level,
                (unsigned long long)index, (unsigned long long)t->limit);
    fail();
  }
  if (t->fail_at > 0 && t->calls == t->fail_at) return t->fail_rc;
  if (t->uniform) {
    memcpy(out, t->perfect[level], H);
  } else {
    assert_true((index + 1) << level <= t->n);
    memcpy(out, t->node[level][index], H);
  }
  return 0;
}

static tree *tree_new(void) {
  make_leaves();
  tree *t = calloc(1, sizeof *t);
  assert_non_null(t);
  for (int l = 0; l < 14; l++) {
    t->node[l] = calloc((size_t)(MAXN >> l) + 1, H);
    assert_non_null(t->node[l]);
  }
  return t;
}

static void tree_free(tree *t) {
  for (int l = 0; l < MERKLE_MAX_LEVELS; l++) free(t->node[l]);
  free(t);
}

/* Push every leaf through a frontier, checking what each push reports against the reference. */
static tree *tree_build(uint64_t n) {
  tree *t = tree_new();
  merkle_frontier f;
  merkle_frontier_init(&f);
  uint8_t made[MERKLE_MAX_LEVELS][H], want[H], root[H];
  for (uint64_t i = 0; i < n; i++) {
    int k = merkle_frontier_push(&f, leaves[i], made);
    assert_int_equal(k, __builtin_ctzll(i + 1));
    assert_int_equal(f.n, i + 1);
    assert_int_equal(f.count, __builtin_popcountll(i + 1));
    memcpy(t->node[0][i], leaves[i], H);
    for (int l = 1; l <= k; l++) {
      uint64_t idx = ((i + 1) >> l) - 1;
      ref_mth(idx << l, (idx + 1) << l, want);
      assert_memory_equal(made[l - 1], want, H);
      memcpy(t->node[l][idx], made[l - 1], H);
    }
    /* the root after every push (the reference costs i hashes: sampled in large trees) */
    if (i < 130 || is_pow2(i) || is_pow2(i + 1) || is_pow2(i + 2) || i % 97 == 0 || i + 2 >= n) {
      merkle_frontier_root(&f, root);
      ref_mth(0, i + 1, want);
      assert_memory_equal(root, want, H);
    }
  }
  t->n = n;
  return t;
}

/* ---- Known vectors ----------------------------------------------------------------------- */

static void unhex(const char *s, uint8_t out[H]) {
  size_t got = 0;
  assert_int_equal(sodium_hex2bin(out, H, s, strlen(s), NULL, &got, NULL), 0);
  assert_int_equal(got, H);
}

static void test_known_vectors(void **state) {
  (void)state;
  /* The empty tree: SHA-256 of the empty string. */
  uint8_t want[H], got[H];
  unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want);
  merkle_frontier f;
  merkle_frontier_init(&f);
  merkle_frontier_root(&f, got);
  assert_memory_equal(got, want, H);
  tree t0 = {0};
  assert_int_equal(merkle_root(0, tree_fn, &t0, got), MERKLE_OK);
  assert_memory_equal(got, want, H);
  assert_int_equal(t0.calls, 0);

  /* RFC 6962's test leaves; the root of each prefix. Leaf 0 is empty, so root 1 = SHA-256(0x00). */
  static const char *const data[8] = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                      "606162636465666768696a6b6c6d6e6f"};
  static const char *const roots[8] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  uint8_t lh[8][H];
  for (int i = 0; i < 8; i++) {
    uint8_t bytes[16];
    size_t n = 0;
    assert_int_equal(sodium_hex2bin(bytes, sizeof bytes, data[i], strlen(data[i]), NULL, &n, NULL), 0);
    merkle_leaf_hash(bytes, n, lh[i]);
    assert_true(merkle_frontier_push(&f, lh[i], NULL) >= 0);
    unhex(roots[i], want);
    merkle_frontier_root(&f, got);
    assert_memory_equal(got, want, H);
  }
  /* A one-leaf tree's root is its leaf hash. */
  static const uint8_t sha_of_zero_byte[4] = {0x6e, 0x34, 0x0b, 0x9c};
  assert_memory_equal(lh[0], sha_of_zero_byte, 4);

  /* Three leaves by hand: root = SHA-256(01 || SHA-256(01 || l0 || l1) || l2). */
  uint8_t buf[1 + 2 * H], n01[H], n012[H];
  buf[0] = 1;
  memcpy(buf + 1, lh[0], H);
  memcpy(buf + 1 + H, lh[1], H);
  crypto_hash_sha256(n01, buf, sizeof buf);
  memcpy(buf + 1, n01, H);
  memcpy(buf + 1 + H, lh[2], H);
  crypto_hash_sha256(n012, buf, sizeof buf);
  unhex(roots[2], want);
  assert_memory_equal(n012, want, H);
  merkle_node_hash(lh[0], lh[1], got);
  assert_memory_equal(got, n01, H);
  /* Its proofs: leaf 2's path is {n01}; leaf 0's is {l1, l2}; PROOF(2, D[3]) = {l2}. */
  uint8_t path[2][H];
  memcpy(path[0], n01, H);
  assert_int_equal(merkle_verify_inclusion(2, 3, lh[2], (const uint8_t(*)[H])path, 1, n012), MERKLE_OK);
  memcpy(path[0], lh[1], H);
  memcpy(path[1], lh[2], H);
  assert_int_equal(merkle_verify_inclusion(0, 3, lh[0], (const uint8_t(*)[H])path, 2, n012), MERKLE_OK);
  assert_int_equal(merkle_verify_inclusion(1, 3, lh[0], (const uint8_t(*)[H])path, 2, n012), MERKLE_EPROOF);
  memcpy(path[0], lh[2], H);
  assert_int_equal(merkle_verify_consistency(2, 3, n01, n012, (const uint8_t(*)[H])path, 1), MERKLE_OK);
}

/* ---- Proofs against the reference ------------------------------------------------------- */

typedef const uint8_t (*cpath)[H];

static void flip(uint8_t *h, int byte) { h[byte % H] ^= (uint8_t)(1u << (byte % 8)); }

/* Every way of spoiling the inclusion proof of leaf m in the tree of n leaves must fail. */
static void spoil_inclusion(uint64_t m, uint64_t n, uint8_t path[][H], int np, const uint8_t root[H],
                            uint64_t maxn) {
  const uint8_t *leaf = leaves[m];
  uint8_t bad[MERKLE_MAX_LEVELS + 1][H], other[H];
  /* one byte flipped, in each element, at a varying position (every byte of the first) */
  for (int i = 0; i < np; i++) {
    for (int b = 0; b < (i == 0 ? H : 1); b++) {
      memcpy(bad, path, (size_t)np * H);
      flip(bad[i], i == 0 ? b : (int)(m + (uint64_t)i * 7));
      assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)bad, np, root), MERKLE_EPROOF);
    }
  }
  /* the leaf hash or the root flipped */
  memcpy(other, leaf, H);
  flip(other, (int)m);
  assert_int_equal(merkle_verify_inclusion(m, n, other, (cpath)path, np, root), MERKLE_EPROOF);
  memcpy(other, root, H);
  flip(other, (int)n);
  assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)path, np, other), MERKLE_EPROOF);
  /* an element missing (each one in turn), or one too many (at the end and at the start) */
  for (int drop = 0; drop < np; drop++) {
    int j = 0;
    for (int i = 0; i < np; i++)
      if (i != drop) memcpy(bad[j++], path[i], H);
    assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)bad, np - 1, root), MERKLE_EPROOF);
  }
  memcpy(bad, path, (size_t)np * H);
  memcpy(bad[np], np ? path[np - 1] : leaf, H);
  assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)bad, np + 1, root), MERKLE_EPROOF);
  memcpy(bad[0], root, H);
  memcpy(bad + 1, path, (size_t)np * H);
  assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)bad, np + 1, root), MERKLE_EPROOF);
  /* two neighbours swapped */
  for (int i = 0; i + 1 < np; i++) {
    memcpy(bad, path, (size_t)np * H);
    memcpy(bad[i], path[i + 1], H);
    memcpy(bad[i + 1], path[i], H);
    assert_int_equal(merkle_verify_inclusion(m, n, leaf, (cpath)bad, np, root), MERKLE_EPROOF);
  }
  /* another index, the same leaf hash: passes only if the verifier's computation is the same */
  char want[160], got[160];
  inclusion_shape(m, n, want, sizeof want);
  for (uint64_t w = 0; w < n; w++) {
    if (w == m || (n > 80 && w > 8 && w + 8 < n && w % 97)) continue;
    inclusion_shape(w, n, got, sizeof got);
    int expect = strcmp(got, want) == 0 ? MERKLE_OK : MERKLE_EPROOF;
    assert_int_equal(merkle_verify_inclusion(w, n, leaf, (cpath)path, np, root), expect);
  }
  /* in small trees, every other index and size together: the proof of a right-hand leaf must not
     pass as the proof of a leaf in a tree of its subtree's size (a verifier that went on hashing
     after the size ran out would accept leaf 1 of 2 as leaf 0 of 1) */
  if (n <= 24)
    for (uint64_t s = 1; s <= maxn; s++)
      for (uint64_t w = 0; w < s; w++) {
        if (s == n && w == m) continue;
        inclusion_shape(w, s, got, sizeof got);
        int expect = strcmp(got, want) == 0 ? MERKLE_OK : MERKLE_EPROOF;
        if (merkle_verify_inclusion(w, s, leaf, (cpath)path, np, root) != expect) {
          print_error("leaf %llu of %llu checked as %llu of %llu: shapes %s and %s\n", (unsigned long long)m,
                      (unsigned long long)n, (unsigned long long)w, (unsigned long long)s, want, got);
          fail();
        }
      }
  assert_int_equal(merkle_verify_inclusion(n, n, leaf, (cpath)path, np, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(UINT64_MAX, n, leaf, (cpath)path, np, root), MERKLE_ERANGE);
  /* another size */
  for (uint64_t s = m + 1; s <= maxn; s++) {
    if (s == n || (maxn > 80 && s + 8 < n && s > m + 8 && s % 89)) continue;
    inclusion_shape(m, s, got, sizeof got);
    int expect = strcmp(got, want) == 0 ? MERKLE_OK : MERKLE_EPROOF;
    if (merkle_verify_inclusion(m, s, leaf, (cpath)path, np, root) != expect) {
      print_error("leaf %llu of %llu checked as of %llu: shapes %s and %s\n", (unsigned long long)m,
                  (unsigned long long)n, (unsigned long long)s, want, got);
      fail();
    }
  }
}

static void check_inclusion(tree *t, uint64_t m, uint64_t n, uint64_t maxn, int spoil) {
  uint8_t path[MERKLE_MAX_LEVELS][H], root[H], want_root[H];
  int np = -1;
  t->limit = n;
  t->calls = 0;
  assert_int_equal(merkle_root(n, tree_fn, t, root), MERKLE_OK);
  assert_int_equal(t->calls, __builtin_popcountll(n));
  ref_mth(0, n, want_root);
  assert_memory_equal(root, want_root, H);

  t->calls = 0;
  assert_int_equal(merkle_inclusion_proof(m, n, tree_fn, t, path, &np), MERKLE_OK);
  if (t->calls > 2 * ceil_log2(n) + 1) {
    print_error("inclusion proof of leaf %llu of %llu: %ld calls of fn\n", (unsigned long long)m,
                (unsigned long long)n, t->calls);
    fail();
  }
  plist ref = {0};
  ref_path(m, 0, n, &ref);
  assert_int_equal(np, ref.n);
  assert_true(np <= ceil_log2(n));
  for (int i = 0; i < np; i++) assert_memory_equal(path[i], ref.h[i], H);
  assert_int_equal(merkle_verify_inclusion(m, n, leaves[m], (cpath)path, np, root), MERKLE_OK);
  if (spoil) spoil_inclusion(m, n, path, np, root, maxn);
}

static void test_inclusion_small(void **state) {
  (void)state;
  tree *t = tree_build(72);
  for (uint64_t n = 1; n <= 64; n++)
    for (uint64_t m = 0; m < n; m++) check_inclusion(t, m, n, 66, 1);
  tree_free(t);
}

static void test_inclusion_large(void **state) {
  (void)state;
  tree *t = tree_build(MAXN);
  static const uint64_t sizes[] = {1000, 1023, 1024, 1025, 2047, 3000, 4095, 4096, 4097};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    uint64_t n = sizes[s];
    for (uint64_t m = 0; m < n; m++) {
      int spoil = m < 3 || m + 3 > n || m % 211 == 0 || m == n / 2;
      if (spoil || m % 61 == 0) check_inclusion(t, m, n, n + 3, spoil);
    }
  }
  tree_free(t);
}

/* Every way of spoiling the consistency proof from m to n must fail. */
static void spoil_consistency(uint64_t m, uint64_t n, uint8_t path[][H], int np, const uint8_t r1[H],
                              const uint8_t r2[H], uint64_t maxn) {
  uint8_t bad[MERKLE_MAX_LEVELS + 1][H], other[H];
  for (int i = 0; i < np; i++) {
    for (int b = 0; b < (i == 0 ? H : 1); b++) {
      memcpy(bad, path, (size_t)np * H);
      flip(bad[i], i == 0 ? b : (int)(m + n + (uint64_t)i * 5));
      assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)bad, np), MERKLE_EPROOF);
    }
  }
  memcpy(other, r1, H);
  flip(other, (int)m);
  assert_int_equal(merkle_verify_consistency(m, n, other, r2, (cpath)path, np), MERKLE_EPROOF);
  memcpy(other, r2, H);
  flip(other, (int)n);
  assert_int_equal(merkle_verify_consistency(m, n, r1, other, (cpath)path, np), MERKLE_EPROOF);
  for (int drop = 0; drop < np; drop++) {
    int j = 0;
    for (int i = 0; i < np; i++)
      if (i != drop) memcpy(bad[j++], path[i], H);
    assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)bad, np - 1), MERKLE_EPROOF);
  }
  memcpy(bad, path, (size_t)np * H);
  memcpy(bad[np], np ? path[np - 1] : r1, H);
  assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)bad, np + 1), MERKLE_EPROOF);
  memcpy(bad[0], r1, H);
  memcpy(bad + 1, path, (size_t)np * H);
  assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)bad, np + 1), MERKLE_EPROOF);
  for (int i = 0; i + 1 < np; i++) {
    if (!memcmp(path[i], path[i + 1], H)) continue;
    memcpy(bad, path, (size_t)np * H);
    memcpy(bad[i], path[i + 1], H);
    memcpy(bad[i + 1], path[i], H);
    assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)bad, np), MERKLE_EPROOF);
  }
  /* the roots swapped (different when m < n) */
  if (m < n) assert_int_equal(merkle_verify_consistency(m, n, r2, r1, (cpath)path, np), MERKLE_EPROOF);
  /* other sizes, the same roots and path: pass only where the verifier computes the same thing */
  char want[160], got[160];
  consistency_shape(m, n, want, sizeof want);
  for (uint64_t a = 1; a <= maxn; a++) {
    for (uint64_t b = a; b <= maxn; b++) {
      if ((a == m && b == n) || (a != m && b != n && n > 24)) continue;
      if (maxn > 80 && (a + 8 < m || a > m + 8) && (b + 8 < n || b > n + 8) && (a + b) % 61) continue;
      consistency_shape(a, b, got, sizeof got);
      int expect = strcmp(got, want) == 0 ? MERKLE_OK : MERKLE_EPROOF;
      int rc = merkle_verify_consistency(a, b, r1, r2, (cpath)path, np);
      if (rc != expect) {
        print_error("proof %llu..%llu checked as %llu..%llu gave %d: shapes %s and %s\n", (unsigned long long)m,
                    (unsigned long long)n, (unsigned long long)a, (unsigned long long)b, rc, want, got);
        fail();
      }
    }
  }
  assert_int_equal(merkle_verify_consistency(0, n, r1, r2, (cpath)path, np), MERKLE_EEMPTY);
  assert_int_equal(merkle_verify_consistency(n + 1, n, r1, r2, (cpath)path, np), MERKLE_ERANGE);
}

static void check_consistency(tree *t, uint64_t m, uint64_t n, uint64_t maxn, int spoil) {
  uint8_t path[MERKLE_MAX_LEVELS][H], r1[H], r2[H];
  int np = -1;
  ref_mth(0, m, r1);
  ref_mth(0, n, r2);
  t->limit = n;
  t->calls = 0;
  assert_int_equal(merkle_consistency_proof(m, n, tree_fn, t, path, &np), MERKLE_OK);
  if (t->calls > 2 * ceil_log2(n) + 2) {
    print_error("consistency proof %llu..%llu: %ld calls of fn\n", (unsigned long long)m, (unsigned long long)n,
                t->calls);
    fail();
  }
  plist ref = {0};
  if (m < n) ref_subproof(m, 0, n, 1, &ref);
  assert_int_equal(np, ref.n);
  assert_true(np <= ceil_log2(n) + 1);
  for (int i = 0; i < np; i++) assert_memory_equal(path[i], ref.h[i], H);
  assert_int_equal(merkle_verify_consistency(m, n, r1, r2, (cpath)path, np), MERKLE_OK);
  if (spoil) spoil_consistency(m, n, path, np, r1, r2, maxn);
}

static void test_consistency_small(void **state) {
  (void)state;
  tree *t = tree_build(72);
  for (uint64_t n = 1; n <= 64; n++)
    for (uint64_t m = 1; m <= n; m++) check_consistency(t, m, n, 66, 1);
  tree_free(t);
}

static void test_consistency_large(void **state) {
  (void)state;
  tree *t = tree_build(MAXN);
  static const uint64_t sizes[] = {1000, 1024, 1025, 3000, 4096, 4097};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    uint64_t n = sizes[s];
    for (uint64_t m = 1; m <= n; m++) {
      int spoil = m < 3 || m + 3 > n || m == n / 2 || m == 512 || m == 513;
      if (spoil || m % 61 == 0 || is_pow2(m)) check_consistency(t, m, n, spoil ? n + 2 : n, spoil);
    }
  }
  tree_free(t);
}

/* ---- Huge trees: every leaf the same, so a node's hash depends on its level only ------------ */

static void u_mth(const tree *t, uint64_t n, uint8_t out[H]) {
  if (is_pow2(n)) {
    memcpy(out, t->perfect[ceil_log2(n)], H);
    return;
  }
  uint64_t k = ref_k(n);
  uint8_t r[H];
  u_mth(t, n - k, r);
  ref_node_hash(t->perfect[ceil_log2(k)], r, out);
}

static void u_path(const tree *t, uint64_t m, uint64_t n, plist *p) {
  if (n == 1) return;
  uint64_t k = ref_k(n);
  uint8_t s[H];
  if (m < k) {
    u_path(t, m, k, p);
    u_mth(t, n - k, s);
  } else {
    u_path(t, m - k, n - k, p);
    memcpy(s, t->perfect[ceil_log2(k)], H);
  }
  plist_add(p, s, m < k ? 'R' : 'L');
}

static void u_subproof(const tree *t, uint64_t m, uint64_t n, int whole, plist *p) {
  uint8_t s[H];
  if (m == n) {
    if (!whole) {
      u_mth(t, n, s);
      plist_add(p, s, 'S');
    }
    return;
  }
  uint64_t k = ref_k(n);
  if (m <= k) {
    u_subproof(t, m, k, whole, p);
    u_mth(t, n - k, s);
  } else {
    u_subproof(t, m - k, n - k, 0, p);
    memcpy(s, t->perfect[ceil_log2(k)], H);
  }
  plist_add(p, s, m <= k ? 'R' : 'L');
}

static void test_huge_trees(void **state) {
  (void)state;
  make_leaves();
  tree *t = calloc(1, sizeof *t);
  assert_non_null(t);
  t->uniform = 1;
  memcpy(t->perfect[0], leaves[0], H);
  for (int l = 1; l < MERKLE_MAX_LEVELS; l++) ref_node_hash(t->perfect[l - 1], t->perfect[l - 1], t->perfect[l]);
  const uint64_t big = MERKLE_MAX_SIZE;
  static const uint64_t sizes[] = {(uint64_t)1 << 62, ((uint64_t)1 << 62) + 1, ((uint64_t)3 << 61) + 12345,
                                   MERKLE_MAX_SIZE - 1, MERKLE_MAX_SIZE, (uint64_t)1 << 40, 1000000, 1000001};
  int longest_incl = 0, longest_cons = 0;
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    uint64_t n = sizes[s];
    uint8_t root[H], want[H], path[MERKLE_MAX_LEVELS][H];
    int np;
    t->limit = n;
    assert_int_equal(merkle_root(n, tree_fn, t, root), MERKLE_OK);
    u_mth(t, n, want);
    assert_memory_equal(root, want, H);
    const uint64_t picks[] = {0, 1, n / 2, n / 3, n - 2, n - 1, (n / 7) * 5, (n - 1) & ~(uint64_t)0xffff};
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
      uint64_t m = picks[i];
      plist ref = {0};
      t->calls = 0;
      assert_int_equal(merkle_inclusion_proof(m, n, tree_fn, t, path, &np), MERKLE_OK);
      assert_true(t->calls <= 2 * ceil_log2(n) + 1);
      u_path(t, m, n, &ref);
      assert_int_equal(np, ref.n);
      for (int j = 0; j < np; j++) assert_memory_equal(path[j], ref.h[j], H);
      assert_int_equal(merkle_verify_inclusion(m, n, leaves[0], (cpath)path, np, root), MERKLE_OK);
      if (np > longest_incl) longest_incl = np;

      uint64_t from = m ? m : 1;
      uint8_t r1[H];
      u_mth(t, from, r1);
      plist cref = {0};
      t->calls = 0;
      assert_int_equal(merkle_consistency_proof(from, n, tree_fn, t, path, &np), MERKLE_OK);
      assert_true(t->calls <= 2 * ceil_log2(n) + 2);
      if (from < n) u_subproof(t, from, n, 1, &cref);
      assert_int_equal(np, cref.n);
      for (int j = 0; j < np; j++) assert_memory_equal(path[j], cref.h[j], H);
      assert_int_equal(merkle_verify_consistency(from, n, r1, root, (cpath)path, np), MERKLE_OK);
      if (np > longest_cons) longest_cons = np;
    }
  }
  /* The longest consistency proofs: from an odd size just above a half to the largest tree. */
  for (uint64_t from = ((uint64_t)1 << 62) + 1; from < ((uint64_t)1 << 62) + 40; from += 2) {
    uint8_t path[MERKLE_MAX_LEVELS][H];
    int np;
    t->limit = big;
    assert_int_equal(merkle_consistency_proof(from, big, tree_fn, t, path, &np), MERKLE_OK);
    if (np > longest_cons) longest_cons = np;
  }
  assert_true(longest_incl <= MERKLE_MAX_LEVELS);
  assert_true(longest_cons <= MERKLE_MAX_LEVELS);
  assert_int_equal(longest_incl, 63);
  free(t);
}

/* ---- Arguments, errors and the frontier's bounds -------------------------------------------- */

static void test_bad_arguments(void **state) {
  (void)state;
  tree *t = tree_build(16);
  t->limit = 16;
  uint8_t path[MERKLE_MAX_LEVELS][H], root[H], r1[H];
  int np = 99;
  assert_int_equal(merkle_inclusion_proof(0, 0, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(np, 0);
  assert_int_equal(merkle_inclusion_proof(16, 16, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_inclusion_proof(UINT64_MAX, 16, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_inclusion_proof(0, MERKLE_MAX_SIZE + 1, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_inclusion_proof(0, UINT64_MAX, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_consistency_proof(0, 16, tree_fn, t, path, &np), MERKLE_EEMPTY);
  assert_int_equal(merkle_consistency_proof(0, 0, tree_fn, t, path, &np), MERKLE_EEMPTY);
  assert_int_equal(merkle_consistency_proof(9, 8, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_consistency_proof(1, MERKLE_MAX_SIZE + 1, tree_fn, t, path, &np), MERKLE_ERANGE);
  assert_int_equal(merkle_root(MERKLE_MAX_SIZE + 1, tree_fn, t, root), MERKLE_ERANGE);
  assert_int_equal(t->calls, 0);

  /* from == to: an empty proof, valid only between equal roots */
  np = 99;
  assert_int_equal(merkle_consistency_proof(16, 16, tree_fn, t, path, &np), MERKLE_OK);
  assert_int_equal(np, 0);
  assert_int_equal(t->calls, 0);
  ref_mth(0, 16, root);
  ref_mth(0, 15, r1);
  assert_int_equal(merkle_verify_consistency(16, 16, root, root, NULL, 0), MERKLE_OK);
  assert_int_equal(merkle_verify_consistency(16, 16, r1, root, NULL, 0), MERKLE_EPROOF);
  memcpy(path[0], root, H);
  assert_int_equal(merkle_verify_consistency(16, 16, root, root, (cpath)path, 1), MERKLE_EPROOF);

  /* malformed input to the verifiers: refused, never read */
  assert_int_equal(merkle_inclusion_proof(3, 16, tree_fn, t, path, &np), MERKLE_OK);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], (cpath)path, np, root), MERKLE_OK);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], NULL, np, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], (cpath)path, -1, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], (cpath)path, MERKLE_MAX_LEVELS + 1, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], (cpath)path, 1 << 30, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(3, 0, leaves[3], (cpath)path, np, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(3, UINT64_MAX, leaves[3], (cpath)path, np, root), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_inclusion(16, 16, leaves[3], (cpath)path, np, root), MERKLE_ERANGE);
  /* a path of 64 hashes read in full for a tree that needs 4: refused, and only those 64 are read */
  uint8_t(*full)[H] = calloc(MERKLE_MAX_LEVELS, H);
  assert_non_null(full);
  assert_int_equal(merkle_verify_inclusion(3, 16, leaves[3], (cpath)full, MERKLE_MAX_LEVELS, root), MERKLE_EPROOF);
  assert_int_equal(merkle_verify_inclusion(0, MERKLE_MAX_SIZE, leaves[3], (cpath)full, MERKLE_MAX_LEVELS, root),
                   MERKLE_EPROOF);
  assert_int_equal(merkle_verify_consistency(3, MERKLE_MAX_SIZE, r1, root, (cpath)full, MERKLE_MAX_LEVELS),
                   MERKLE_EPROOF);
  free(full);

  assert_int_equal(merkle_consistency_proof(15, 16, tree_fn, t, path, &np), MERKLE_OK);
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, (cpath)path, np), MERKLE_OK);
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, NULL, np), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, (cpath)path, -1), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, (cpath)path, MERKLE_MAX_LEVELS + 1), MERKLE_ERANGE);
  /* an empty path, for an old size that is not a power of two: refused without reading path[0] */
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, NULL, 0), MERKLE_EPROOF);
  assert_int_equal(merkle_verify_consistency(15, 16, r1, root, (cpath)path, 0), MERKLE_EPROOF);
  assert_int_equal(merkle_verify_consistency(17, 16, r1, root, (cpath)path, np), MERKLE_ERANGE);
  assert_int_equal(merkle_verify_consistency(0, 16, r1, root, (cpath)path, np), MERKLE_EEMPTY);
  assert_int_equal(merkle_verify_consistency(15, UINT64_MAX, r1, root, (cpath)path, np), MERKLE_ERANGE);
  tree_free(t);
}

/* A failing fn: its own code comes back, from whichever call fails. */
static void test_fn_errors(void **state) {
  (void)state;
  tree *t = tree_build(64);
  uint8_t path[MERKLE_MAX_LEVELS][H], root[H];
  int np;
  for (uint64_t n = 1; n <= 64; n++) {
    t->limit = n;
    for (uint64_t m = 0; m < n; m += 3) {
      t->calls = 0;
      t->fail_at = 0;
      assert_int_equal(merkle_inclusion_proof(m, n, tree_fn, t, path, &np), MERKLE_OK);
      long total = t->calls;
      for (long f = 1; f <= total; f++) {
        t->calls = 0;
        t->fail_at = f;
        t->fail_rc = f % 2 ? -3 : 7; /* PACTUM_EIO, or anything non-zero */
        np = 99;
        assert_int_equal(merkle_inclusion_proof(m, n, tree_fn, t, path, &np), t->fail_rc);
        assert_int_equal(np, 0);
        assert_int_equal(t->calls, f); /* stops at the failure */
      }
      t->fail_at = 0;
      t->calls = 0;
      uint64_t from = m + 1;
      assert_int_equal(merkle_consistency_proof(from, n, tree_fn, t, path, &np), MERKLE_OK);
      total = t->calls;
      for (long f = 1; f <= total; f++) {
        t->calls = 0;
        t->fail_at = f;
        t->fail_rc = -4;
        np = 99;
        assert_int_equal(merkle_consistency_proof(from, n, tree_fn, t, path, &np), -4);
        assert_int_equal(np, 0);
      }
    }
    t->fail_at = 1;
    t->fail_rc = 5;
    t->calls = 0;
    assert_int_equal(merkle_root(n, tree_fn, t, root), 5);
    t->fail_at = 0;
  }
  tree_free(t);
}

static void test_frontier_bounds(void **state) {
  (void)state;
  make_leaves();
  merkle_frontier f;
  merkle_frontier_init(&f);
  assert_int_equal(f.n, 0);
  assert_int_equal(f.count, 0);
  /* made may be NULL; the first leaf completes nothing */
  assert_int_equal(merkle_frontier_push(&f, leaves[0], NULL), 0);
  uint8_t made[MERKLE_MAX_LEVELS][H];
  assert_int_equal(merkle_frontier_push(&f, leaves[1], made), 1);
  uint8_t want[H];
  ref_node_hash(leaves[0], leaves[1], want);
  assert_memory_equal(made[0], want, H);

  /* A tree of 2^63 - 1 leaves (63 perfect subtrees) is full: a push is refused, nothing changes. */
  merkle_frontier full;
  memset(&full, 0xab, sizeof full);
  full.n = MERKLE_MAX_SIZE;
  full.count = 63;
  merkle_frontier copy = full;
  assert_int_equal(merkle_frontier_push(&full, leaves[0], made), MERKLE_ERANGE);
  assert_memory_equal(&full, &copy, sizeof full);
  /* One below full (2^63 - 2, an even size): the push completes nothing, and fills the edge. */
  full.n = MERKLE_MAX_SIZE - 1;
  full.count = 62;
  assert_int_equal(merkle_frontier_push(&full, leaves[0], made), 0);
  assert_int_equal(full.count, 63);
  assert_int_equal(full.n, MERKLE_MAX_SIZE);
  /* 2^62 - 1 leaves: the next completes 62 levels, and the edge shrinks to one root. */
  full.n = ((uint64_t)1 << 62) - 1;
  full.count = 62;
  assert_int_equal(merkle_frontier_push(&full, leaves[0], made), 62);
  assert_int_equal(full.count, 1);
  assert_int_equal(full.n, (uint64_t)1 << 62);
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) return 1;
  if (argc > 1) cmocka_set_test_filter(argv[1]); /* unit_merkle TEST_NAME_PATTERN */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_vectors),     cmocka_unit_test(test_inclusion_small),
      cmocka_unit_test(test_inclusion_large),   cmocka_unit_test(test_consistency_small),
      cmocka_unit_test(test_consistency_large), cmocka_unit_test(test_huge_trees),
      cmocka_unit_test(test_bad_arguments),     cmocka_unit_test(test_fn_errors),
      cmocka_unit_test(test_frontier_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
