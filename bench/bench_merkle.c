/*
** bench_merkle.c: what the RFC 9162 tree of src/merkle.c costs, with node hashes in memory.
**
** Usage: bench_merkle [--min-log A] [--max-log B] [--proofs P] [--runs R]
**
** Builds one tree of 2^B leaves (default 2^20) through merkle_frontier_push, keeping every node the
** pushes report in arrays (level L holds 2^(B-L) nodes: 64 MiB at 2^20), as a store keeps them
** beside its rows. Then, for each size n = 2^k (k = A .. B, default 10 .. 20), n = 2^k - 1 (every
** bit set: the longest right edge) and n = 1,000,000, each timed with CLOCK_MONOTONIC, R runs
** (default 5), the median printed:
**
**   inclusion    merkle_inclusion_proof of P leaves drawn at random (default 2,000), then
**                merkle_verify_inclusion of each; ns per proof for each, fn calls and path length
**   consistency  merkle_consistency_proof from P random sizes m in [1, n) to n, then
**                merkle_verify_consistency of each
**   root         merkle_root(n)
**
** and, for the frontier: the mean ns of a push over all 2^B pushes (leaf hash computed beforehand;
** one node hash per push on average), and the ns of the worst push into a tree of 2^k - 1 leaves
** (it completes k nodes). Every generated proof is verified, and the program exits 1 if one fails.
** The column "ns/level" divides a proof's time by log2 n: flat when the cost grows as log n. The
** cost of one merkle_node_hash is printed first, the unit everything else is made of.
*/
#include "merkle.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint8_t hash[MERKLE_HASH];

static hash *levels[MERKLE_MAX_LEVELS];
static int max_log = 20;
static long calls;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng_state = 0x6d65726b6c65ULL;
static uint64_t rng(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int node_fn(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]) {
  (void)ctx;
  calls++;
  memcpy(out, levels[level][index], MERKLE_HASH);
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Build the tree of 2^max_log leaves; returns the mean ns per push. */
static double build(void) {
  uint64_t n = (uint64_t)1 << max_log;
  for (int l = 0; l <= max_log; l++) {
    levels[l] = malloc((size_t)(n >> l) * sizeof(hash));
    if (!levels[l]) {
      fprintf(stderr, "bench_merkle: out of memory\n");
      exit(3);
    }
  }
  for (uint64_t i = 0; i < n; i++) {
    uint8_t data[8];
    for (int b = 0; b < 8; b++) data[b] = (uint8_t)(i >> (56 - 8 * b));
    merkle_leaf_hash(data, sizeof data, levels[0][i]);
  }
  merkle_frontier f;
  merkle_frontier_init(&f);
  hash made[MERKLE_MAX_LEVELS];
  double t0 = now_ns();
  for (uint64_t i = 0; i < n; i++) {
    int k = merkle_frontier_push(&f, levels[0][i], made);
    for (int l = 1; l <= k; l++) memcpy(levels[l][((i + 1) >> l) - 1], made[l - 1], MERKLE_HASH);
  }
  double t = now_ns() - t0;
  /* the frontier's root must be the tree's */
  hash a, b;
  merkle_frontier_root(&f, a);
  merkle_root(n, node_fn, NULL, b);
  if (memcmp(a, b, MERKLE_HASH)) {
    fprintf(stderr, "bench_merkle: the frontier's root differs from merkle_root\n");
    exit(1);
  }
  return t / (double)n;
}

/* The worst push: into a tree of 2^k - 1 leaves (k nodes completed), repeated from a copy. */
static double worst_push(int k) {
  merkle_frontier f;
  merkle_frontier_init(&f);
  /* the edge of 2^k - 1 leaves: the perfect nodes of levels k-1 .. 0 */
  for (int l = k - 1; l >= 0; l--) memcpy(f.h[f.count++], levels[l][0], MERKLE_HASH);
  f.n = ((uint64_t)1 << k) - 1;
  hash made[MERKLE_MAX_LEVELS];
  const int reps = 20000;
  double t0 = now_ns();
  for (int r = 0; r < reps; r++) {
    merkle_frontier g = f;
    if (merkle_frontier_push(&g, levels[0][0], made) != k) exit(1);
  }
  return (now_ns() - t0) / reps;
}

typedef struct result {
  double gen, ver;  /* ns per proof */
  double calls, len; /* mean fn calls and path length per proof */
} result;

static int failures;

static result bench_inclusion(uint64_t n, int proofs, int runs) {
  hash root, (*paths)[MERKLE_MAX_LEVELS] = malloc((size_t)proofs * sizeof *paths);
  uint64_t *leaf = malloc((size_t)proofs * sizeof *leaf);
  int *np = malloc((size_t)proofs * sizeof *np);
  double *g = malloc((size_t)runs * sizeof *g), *v = malloc((size_t)runs * sizeof *v);
  if (!paths || !leaf || !np || !g || !v) exit(3);
  merkle_root(n, node_fn, NULL, root);
  long len = 0;
  for (int r = 0; r < runs; r++) {
    for (int i = 0; i < proofs; i++) leaf[i] = rng() % n;
    calls = 0;
    double t0 = now_ns();
    for (int i = 0; i < proofs; i++) merkle_inclusion_proof(leaf[i], n, node_fn, NULL, paths[i], &np[i]);
    g[r] = (now_ns() - t0) / proofs;
    len = 0;
    for (int i = 0; i < proofs; i++) len += np[i];
    t0 = now_ns();
    int bad = 0;
    for (int i = 0; i < proofs; i++)
      bad += merkle_verify_inclusion(leaf[i], n, levels[0][leaf[i]], (const uint8_t(*)[MERKLE_HASH])paths[i], np[i],
                                     root) != MERKLE_OK;
    v[r] = (now_ns() - t0) / proofs;
    failures += bad;
  }
  result res = {median(g, runs), median(v, runs), (double)calls / proofs, (double)len / proofs};
  free(paths);
  free(leaf);
  free(np);
  free(g);
  free(v);
  return res;
}

static result bench_consistency(uint64_t n, int proofs, int runs) {
  hash root, (*paths)[MERKLE_MAX_LEVELS] = malloc((size_t)proofs * sizeof *paths);
  hash *old = malloc((size_t)proofs * sizeof *old);
  uint64_t *from = malloc((size_t)proofs * sizeof *from);
  int *np = malloc((size_t)proofs * sizeof *np);
  double *g = malloc((size_t)runs * sizeof *g), *v = malloc((size_t)runs * sizeof *v);
  if (!paths || !old || !from || !np || !g || !v) exit(3);
  merkle_root(n, node_fn, NULL, root);
  long len = 0;
  for (int r = 0; r < runs; r++) {
    for (int i = 0; i < proofs; i++) {
      from[i] = 1 + rng() % (n - 1);
      merkle_root(from[i], node_fn, NULL, old[i]); /* what the verifier holds: not timed */
    }
    calls = 0;
    double t0 = now_ns();
    for (int i = 0; i < proofs; i++) merkle_consistency_proof(from[i], n, node_fn, NULL, paths[i], &np[i]);
    g[r] = (now_ns() - t0) / proofs;
    len = 0;
    for (int i = 0; i < proofs; i++) len += np[i];
    t0 = now_ns();
    int bad = 0;
    for (int i = 0; i < proofs; i++)
      bad += merkle_verify_consistency(from[i], n, old[i], root, (const uint8_t(*)[MERKLE_HASH])paths[i], np[i]) !=
             MERKLE_OK;
    v[r] = (now_ns() - t0) / proofs;
    failures += bad;
  }
  result res = {median(g, runs), median(v, runs), (double)calls / proofs, (double)len / proofs};
  free(paths);
  free(old);
  free(from);
  free(np);
  free(g);
  free(v);
  return res;
}

static double bench_root(uint64_t n, int runs) {
  double *t = malloc((size_t)runs * sizeof *t);
  if (!t) exit(3);
  hash root;
  const int reps = 2000;
  for (int r = 0; r < runs; r++) {
    double t0 = now_ns();
    for (int i = 0; i < reps; i++) merkle_root(n, node_fn, NULL, root);
    t[r] = (now_ns() - t0) / reps;
  }
  double m = median(t, runs);
  free(t);
  return m;
}

static int arg_int(const char *s, int lo, int hi) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) {
    fprintf(stderr, "bench_merkle: '%s' is not in %d..%d\n", s, lo, hi);
    exit(2);
  }
  return (int)v;
}

int main(int argc, char **argv) {
  int min_log = 10, proofs = 2000, runs = 5;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && !strcmp(argv[i], "--min-log")) min_log = arg_int(argv[++i], 2, 30);
    else if (i + 1 < argc && !strcmp(argv[i], "--max-log")) max_log = arg_int(argv[++i], 2, 30);
    else if (i + 1 < argc && !strcmp(argv[i], "--proofs")) proofs = arg_int(argv[++i], 1, 10000000);
    else if (i + 1 < argc && !strcmp(argv[i], "--runs")) runs = arg_int(argv[++i], 1, 1000);
    else {
      fprintf(stderr, "usage: bench_merkle [--min-log A] [--max-log B] [--proofs P] [--runs R]\n");
      return 2;
    }
  }
  if (min_log > max_log) min_log = max_log;

  /* the unit everything else is made of */
  hash x = {1}, y = {2};
  double h0 = now_ns();
  for (int i = 0; i < 200000; i++) merkle_node_hash(x, y, (i & 1) ? x : y);
  double node_ns = (now_ns() - h0) / 200000;
  printf("merkle_node_hash (SHA-256 of 65 bytes): %.0f ns\n", node_ns);

  double t0 = now_ns();
  double push = build();
  printf("tree of 2^%d leaves built in %.2f s (leaf hashes, pushes, node copies)\n", max_log, (now_ns() - t0) / 1e9);
  printf("frontier push, mean over %llu pushes: %.0f ns (one node hash per push on average)\n",
         (unsigned long long)1 << max_log, push);
  printf("proofs: %d per run, median of %d runs; ns per proof; calls = merkle_node_fn calls per proof\n\n", proofs,
         runs);

  printf("%-10s %3s | %9s %9s %9s %6s %5s %8s | %9s %9s %9s %6s %5s %8s | %7s %7s\n", "n", "log", "incl gen",
         "verify", "total", "calls", "path", "ns/level", "cons gen", "verify", "total", "calls", "path", "ns/level",
         "root", "push*");
  uint64_t sizes[2 * 31 + 1];
  int nsizes = 0;
  for (int k = min_log; k <= max_log; k++) {
    sizes[nsizes++] = ((uint64_t)1 << k) - 1;
    sizes[nsizes++] = (uint64_t)1 << k;
  }
  if (max_log >= 20) sizes[nsizes++] = 1000000;
  /* keep them in order */
  for (int i = 1; i < nsizes; i++)
    for (int j = i; j > 0 && sizes[j - 1] > sizes[j]; j--) {
      uint64_t t = sizes[j];
      sizes[j] = sizes[j - 1];
      sizes[j - 1] = t;
    }
  for (int s = 0; s < nsizes; s++) {
    uint64_t n = sizes[s];
    double lg = log2((double)n);
    result in = bench_inclusion(n, proofs, runs);
    result co = bench_consistency(n, proofs, runs);
    double root = bench_root(n, runs);
    int all_ones = (n & (n + 1)) == 0; /* n = 2^k - 1: the next push is the worst */
    char push_col[16] = "";
    if (all_ones && n > 1) snprintf(push_col, sizeof push_col, "%.0f", worst_push((int)lrint(log2((double)(n + 1)))));
    printf("%-10llu %5.2f | %9.0f %9.0f %9.0f %6.1f %5.1f %8.1f | %9.0f %9.0f %9.0f %6.1f %5.1f %8.1f | %7.0f %7s\n",
           (unsigned long long)n, lg, in.gen, in.ver, in.gen + in.ver, in.calls, in.len, (in.gen + in.ver) / lg,
           co.gen, co.ver, co.gen + co.ver, co.calls, co.len, (co.gen + co.ver) / lg, root, push_col);
  }
  printf("\npush*: the worst push, into a tree of n = 2^k - 1 leaves (it completes k nodes), ns\n");
  if (failures) {
    printf("bench_merkle: %d proofs did not verify\n", failures);
    return 1;
  }
  printf("every proof verified\n");
  for (int l = 0; l <= max_log; l++) free(levels[l]);
  return 0;
}
