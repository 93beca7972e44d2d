/*
** bench_tlog.c: the transparency log's costs on a large store, in process (bench/tlog.sh runs it).
**
**   bench_tlog --db PATH --records N [--proofs K] [--fill-only]
**
** Fills the store at PATH with N purchase events if it holds fewer (batches of 10,000, each one
** transaction), then measures, on a record opened once:
**   1. inclusion proofs of K random records in the whole tree (tlog_prove), and their
**      verification (merkle_verify_inclusion): the median and the 99th percentile, in µs;
**   2. consistency proofs between K random pairs of sizes (tlog_consistency), likewise;
**   3. record_refresh after another connection appended k = 1, 10, 100, 1,000 and 10,000 events:
**      the time to fold them, against the time record_open takes to fold the whole store; then
**      what a server does next to publish them, a view of the timeline (timeline_view), beside
**      the full copy it used to make (timeline_copy).
** With --fill-only it fills the store and stops.
** Timings are wall-clock (CLOCK_MONOTONIC) of one thread; compare them within one run.
*/
#include "agreement.h"
#include "alloc.h"
#include "merkle.h"
#include "record.h"
#include "tlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Append n purchases dated from 2026 on, in batches of up to 10,000. */
static int fill(record *r, int64_t n, int64_t first_index) {
  enum { BATCH = 10000 };
  static char text[BATCH][96];
  const char *texts[BATCH];
  size_t lens[BATCH];
  for (int64_t done = 0; done < n;) {
    int k = n - done < BATCH ? (int)(n - done) : BATCH;
    for (int i = 0; i < k; i++) {
      int64_t x = first_index + done + i;
      int day = 1 + (int)((x / 100000) % 28);
      int n2 = snprintf(text[i], sizeof text[i], "{\"type\":\"azure_purchase\",\"date\":\"2033-12-%02d\",\"amount_usd\":%lld}",
                        day, (long long)(1000 + x % 100000));
      texts[i] = text[i];
      lens[i] = (size_t)n2;
    }
    size_t bad;
    int64_t f, l;
    pactum_error err;
    if (record_add(r, texts, lens, (size_t)k, NULL, 0, NULL, &bad, &f, &l, &err)) {
      fprintf(stderr, "bench_tlog: append: %s\n", err.message);
      return -1;
    }
    done += k;
  }
  return 0;
}

static void report(const char *what, double *t, int k) {
  qsort(t, (size_t)k, sizeof *t, cmp_double);
  printf("%-44s median %8.1f µs   p99 %8.1f µs   (%d runs)\n", what, t[k / 2], t[k * 99 / 100], k);
}

int main(int argc, char **argv) {
  px_alloc_init();
  const char *db = NULL;
  int64_t want = 1000000;
  int k = 1000, fill_only = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fill-only")) fill_only = 1;
    else if (i + 1 == argc) k = 0; /* an option without its value */
    else if (!strcmp(argv[i], "--db")) db = argv[++i];
    else if (!strcmp(argv[i], "--records")) want = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--proofs")) k = atoi(argv[++i]);
    else k = 0;
  }
  if (!db || want < 2 || k < 1) {
    fprintf(stderr, "usage: bench_tlog --db PATH --records N [--proofs K] [--fill-only]\n");
    return 2;
  }
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(PACTUM_BENCH_AGREEMENT, &agr, &diag)) {
    fprintf(stderr, "%s", diag ? diag : "cannot load the agreement\n");
    return 2;
  }
  record *r = NULL;
  pactum_error err;
  record_init init = {0, 0, NULL, 0};
  double t0 = now_us();
  if (record_open(agr, db, 1, &init, &r, &err)) {
    fprintf(stderr, "bench_tlog: %s\n", err.message);
    return 2;
  }
  double open_us = now_us() - t0;
  if (r->tip.seq < want) {
    printf("filling the store to %lld records...\n", (long long)want);
    if (fill(r, want - r->tip.seq, r->tip.seq)) return 2;
    record_free(r);
    t0 = now_us();
    if (record_open(agr, db, 0, NULL, &r, &err)) return 2;
    open_us = now_us() - t0;
  }
  int64_t n = r->tip.seq;
  printf("store: %lld records; record_open folded and checked them in %.0f ms (%.2f µs a record)\n", (long long)n,
         open_us / 1e3, open_us / (double)n);
  if (fill_only) {
    record_free(r);
    pactum_agreement_free(agr);
    return 0;
  }

  double *t = px_malloc(sizeof(double) * (size_t)k), *v = px_malloc(sizeof(double) * (size_t)k);
  srand(20251028);
  int64_t pathlen = 0;
  for (int i = 0; i < k; i++) {
    int64_t seq = 1 + (int64_t)(((uint64_t)rand() << 31 ^ (uint64_t)rand()) % (uint64_t)n);
    json_t *proof = NULL;
    double a = now_us();
    if (tlog_prove(r->st, CHAIN_EVENTS, seq, 0, &proof, &err)) {
      fprintf(stderr, "bench_tlog: prove: %s\n", err.message);
      return 1;
    }
    t[i] = now_us() - a;
    /* Verify it as a client would, from the JSON. */
    json_t *path = json_object_get(proof, "path");
    uint8_t hashes[TLOG_MAX_PATH][MERKLE_HASH], root[32], h[32], leaf[32];
    int np = (int)json_array_size(path);
    pathlen += np;
    for (int j = 0; j < np; j++) canon_unhex(json_string_value(json_array_get(path, (size_t)j)), hashes[j], 32);
    canon_unhex(json_string_value(json_object_get(proof, "root")), root, 32);
    canon_unhex(json_string_value(json_object_get(json_object_get(proof, "record"), "hash")), h, 32);
    a = now_us();
    merkle_leaf_hash(h, 32, leaf);
    int bad = merkle_verify_inclusion((uint64_t)seq - 1, (uint64_t)n, leaf, (const uint8_t(*)[32])hashes, np, root);
    v[i] = now_us() - a;
    json_decref(proof);
    if (bad) {
      fprintf(stderr, "bench_tlog: a proof of seq %lld does not verify\n", (long long)seq);
      return 1;
    }
  }
  printf("inclusion proofs in a tree of %lld records: %.1f hashes a path\n", (long long)n, (double)pathlen / k);
  report("  tlog_prove (reads the store, builds JSON)", t, k);
  report("  merkle_verify_inclusion", v, k);
  for (int i = 0; i < k; i++) {
    int64_t from = 1 + (int64_t)(((uint64_t)rand() << 31 ^ (uint64_t)rand()) % (uint64_t)(n - 1));
    json_t *proof = NULL;
    double a = now_us();
    if (tlog_consistency(r->st, CHAIN_EVENTS, from, 0, &proof, &err)) {
      fprintf(stderr, "bench_tlog: consistency: %s\n", err.message);
      return 1;
    }
    t[i] = now_us() - a;
    json_decref(proof);
  }
  report("consistency proofs to the whole tree", t, k);

  /* Refresh: another connection appends; the first folds only what is new. */
  printf("record_refresh after another connection appended k events (the store holds %lld):\n", (long long)n);
  static const int ks[] = {1, 10, 100, 1000, 10000};
  pactum_timeline *published = timeline_view(r->tl); /* the server's snapshot, replaced after each refresh */
  for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
    record *w = NULL;
    if (record_open(agr, db, 0, NULL, &w, &err)) return 1;
    if (fill(w, ks[j], n)) return 1;
    record_free(w);
    int changed = 0;
    double a = now_us();
    if (record_refresh(r, &changed, &err) || !changed) {
      fprintf(stderr, "bench_tlog: refresh: %s\n", changed ? err.message : "nothing new");
      return 1;
    }
    double us = now_us() - a;
    printf("  k = %5d: %10.1f µs  (%.2f µs an event; record_open of the whole store: %.0f ms)\n", ks[j], us, us / ks[j],
           open_us / 1e3);
    /* Publishing what was folded: a view, as the server makes now, and a full copy, as it did. */
    a = now_us();
    pactum_timeline *view = timeline_view(r->tl);
    double view_us = now_us() - a;
    a = now_us();
    pactum_timeline *copy = timeline_copy(r->tl);
    double copy_us = now_us() - a;
    if (!view || !copy) {
      fprintf(stderr, "bench_tlog: out of memory\n");
      return 1;
    }
    pactum_timeline_free(published);
    published = view;
    pactum_timeline_free(copy);
    printf("            then the snapshot: timeline_view %.1f µs (a full copy, timeline_copy: %.1f µs)\n", view_us,
           copy_us);
    n = r->tip.seq;
  }
  pactum_timeline_free(published);
  int changed = 1;
  double a = now_us();
  record_refresh(r, &changed, &err);
  printf("  nothing new: %.2f µs (one PRAGMA data_version)\n", now_us() - a);
  px_free(t);
  px_free(v);
  record_free(r);
  pactum_agreement_free(agr);
  return 0;
}
