/*
** peers_decide.c: pactum's in-process figures for bench/peers/run, over the corpus that
** bench/peers/lib.mjs writes (DIR/events-H.jsonl and DIR/requests-H.jsonl for each history H).
**
** Usage: peers_decide --agreement FILE --dir DIR [--passes P]
**
** Loads the agreement, folds each history's events into its own timeline, and parses every
** request once into a pactum_request bound to the timeline of its history, in corpus order
** (by the request's "id"). Then, after one warm-up pass of each:
**
**   decide     the C API on parsed requests, as a caller that parses a request and then decides
**              it would run: the corpus is parsed in chunks of 4096 into a pool of requests
**              (not timed), and each chunk is then decided P times (timed)
**   decide_cold P passes of pactum_decide over all the requests parsed up front: 100,000
**              pactum_request objects of ~1.6 KiB each, far more than the caches hold, so this
**              mostly measures memory latency
**   json       one pass of parse JSON line -> pactum_decide -> pactum_decision_to_json
**              (the C API with JSON in and JSON out, as Cedar's figure includes JSON)
**
** and prints one line per figure, "NAME NS_PER_DECISION DECISIONS", then a checksum line
** "outcomes ALLOW DENY NOT_APPLICABLE CONFLICT". Exit 0, or 1 with a message on stderr.
*/
#include "pactum.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_HISTORIES 16

typedef struct item {
  long id;
  int h;
  pactum_request *req;
  char *json;
  size_t len;
} item;

static void die(const char *what, const char *detail) {
  fprintf(stderr, "peers_decide: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(1);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_id(const void *a, const void *b) {
  long x = ((const item *)a)->id, y = ((const item *)b)->id;
  return (x > y) - (x < y);
}

static volatile uint64_t sink;

int main(int argc, char **argv) {
  const char *agreement = NULL, *dir = NULL;
  long passes = 20;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--agreement") && i + 1 < argc) agreement = argv[++i];
    else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!strcmp(argv[i], "--passes") && i + 1 < argc) passes = strtol(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: peers_decide --agreement FILE --dir DIR [--passes P]\n");
      return 2;
    }
  }
  if (!agreement || !dir || passes < 1) die("--agreement and --dir are required, --passes >= 1", NULL);

  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(agreement, &agr, &diag) != PACTUM_OK) die("cannot load the agreement", diag);

  pactum_timeline *tls[MAX_HISTORIES];
  item *items = NULL;
  size_t n = 0, cap = 0;
  int nh = 0;
  pactum_error err;
  char path[4096];
  char *line = NULL;
  size_t linecap = 0;
  for (; nh < MAX_HISTORIES; nh++) {
    snprintf(path, sizeof path, "%s/events-%d.jsonl", dir, nh);
    FILE *ev = fopen(path, "r");
    if (!ev) break;
    tls[nh] = pactum_timeline_new(agr);
    if (!tls[nh]) die("out of memory", NULL);
    ssize_t got;
    while ((got = getline(&line, &linecap, ev)) > 0)
      if (pactum_timeline_append_json(tls[nh], line, (size_t)got, &err) != PACTUM_OK) die(path, err.message);
    fclose(ev);

    snprintf(path, sizeof path, "%s/requests-%d.jsonl", dir, nh);
    FILE *rq = fopen(path, "r");
    if (!rq) die("cannot open", path);
    while ((got = getline(&line, &linecap, rq)) > 0) {
      if (n == cap) {
        cap = cap ? cap * 2 : 4096;
        items = realloc(items, cap * sizeof *items);
        if (!items) die("out of memory", NULL);
      }
      item *it = &items[n++];
      it->h = nh;
      it->len = (size_t)got;
      it->json = malloc((size_t)got + 1);
      it->req = pactum_request_new(agr);
      if (!it->json || !it->req) die("out of memory", NULL);
      memcpy(it->json, line, (size_t)got + 1);
      if (pactum_request_parse_json(it->req, line, (size_t)got, PACTUM_NO_DAY, &err) != PACTUM_OK) die(path, err.message);
      size_t idlen = 0;
      const char *id = pactum_request_id_json(it->req, &idlen);
      if (!id) die("a request has no id", path);
      it->id = strtol(id, NULL, 10);
    }
    fclose(rq);
  }
  free(line);
  if (nh == 0 || n == 0) die("no corpus in", dir);
  qsort(items, n, sizeof *items, by_id);

  pactum_decision *dec = pactum_decision_new(agr);
  pactum_request *scratch = pactum_request_new(agr);
  if (!dec || !scratch) die("out of memory", NULL);
  long outcomes[4] = {0, 0, 0, 0};
  uint64_t acc = 0;

  /* Warm-up, and the outcome counts the run checks against pactum decide. */
  for (size_t i = 0; i < n; i++) {
    if (pactum_decide(agr, tls[items[i].h], items[i].req, dec) != PACTUM_OK) die("decide failed", items[i].json);
    outcomes[pactum_decision_outcome(dec)]++;
  }
  double t0 = now_ns();
  for (long p = 0; p < passes; p++)
    for (size_t i = 0; i < n; i++) {
      pactum_decide(agr, tls[items[i].h], items[i].req, dec);
      acc += (uint64_t)pactum_decision_outcome(dec);
    }
  double cold_ns = (now_ns() - t0) / ((double)passes * (double)n);

  enum { CHUNK = 4096 };
  pactum_request **pool = calloc(CHUNK, sizeof *pool);
  if (!pool) die("out of memory", NULL);
  for (int k = 0; k < CHUNK; k++)
    if (!(pool[k] = pactum_request_new(agr))) die("out of memory", NULL);
  double hot_total = 0;
  for (int warm = 0; warm < 2; warm++) {
    hot_total = 0;
    for (size_t c = 0; c < n; c += CHUNK) {
      size_t m = n - c < CHUNK ? n - c : CHUNK;
      for (size_t k = 0; k < m; k++)
        if (pactum_request_parse_json(pool[k], items[c + k].json, items[c + k].len, PACTUM_NO_DAY, &err) != PACTUM_OK)
          die("parse failed", err.message);
      t0 = now_ns();
      for (long p = 0; p < passes; p++)
        for (size_t k = 0; k < m; k++) {
          pactum_decide(agr, tls[items[c + k].h], pool[k], dec);
          acc += (uint64_t)pactum_decision_outcome(dec);
        }
      hot_total += now_ns() - t0;
    }
  }
  double decide_ns = hot_total / ((double)passes * (double)n);
  for (int k = 0; k < CHUNK; k++) pactum_request_free(pool[k]);
  free(pool);

  char out[8192];
  for (int warm = 0; warm < 2; warm++) {
    t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
      if (pactum_request_parse_json(scratch, items[i].json, items[i].len, PACTUM_NO_DAY, &err) != PACTUM_OK)
        die("parse failed", err.message);
      pactum_decide(agr, tls[items[i].h], scratch, dec);
      size_t len = pactum_decision_to_json(dec, out, sizeof out);
      if (len >= sizeof out) die("decision too long", NULL);
      acc += len;
    }
  }
  double json_ns = (now_ns() - t0) / (double)n;
  sink = acc;

  printf("decide %.2f %zu\n", decide_ns, n * (size_t)passes);
  printf("decide_cold %.2f %zu\n", cold_ns, n * (size_t)passes);
  printf("json %.2f %zu\n", json_ns, n);
  printf("outcomes %ld %ld %ld %ld\n", outcomes[PACTUM_ALLOW], outcomes[PACTUM_DENY], outcomes[PACTUM_NOT_APPLICABLE],
         outcomes[PACTUM_CONFLICT]);

  pactum_request_free(scratch);
  pactum_decision_free(dec);
  for (size_t i = 0; i < n; i++) {
    pactum_request_free(items[i].req);
    free(items[i].json);
  }
  free(items);
  for (int h = 0; h < nh; h++) pactum_timeline_free(tls[h]);
  pactum_agreement_free(agr);
  return 0;
}
