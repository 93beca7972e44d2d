/*
** bench_decide.c: how long one decision takes, in process, against the shipped agreement.
**
** Usage: bench_decide [--agreement FILE] [--runs R] [--iters N] [--requests N] [--quiet]
**
** Builds a fixed-seed mix of requests covering every action of the agreement, with varied
** attributes and dates over 2025-2034, and a timeline with purchases, a rejected AGI
** declaration, a second declaration and its verification. The requests are written as JSON,
** then parsed once into pactum_request objects. Then, each timed with CLOCK_MONOTONIC:
**
**   pactum_decide              over the pre-parsed mix (warm-up, then R runs of N decisions)
**   pactum_request_parse_json  over the same JSON lines, into one reusable request
**   pactum_decision_to_json    over the decisions of the mix, into a stack buffer
**
** and prints the median, min and max ns per operation of each, so their ratios are visible.
*/
#include "pactum.h"
#include "record.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef PACTUM_BENCH_AGREEMENT
#define PACTUM_BENCH_AGREEMENT "agreements/microsoft-openai-2025-10-28.pact"
#endif

/* ---- A small deterministic PRNG (splitmix64) ---------------------------------------------- */

static uint64_t rng_state = 0x5eed2025c0ffeeULL;

static uint64_t rng(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static unsigned pick(unsigned n) { return (unsigned)(rng() % n); }
static int chance(unsigned pct) { return pick(100) < pct; }
#define PICK(arr) (arr)[pick((unsigned)(sizeof(arr) / sizeof((arr)[0])))]

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- The request mix ---------------------------------------------------------------------- */

static const char *const actions[] = {"serve_api",   "serve_product",   "codevelop_product",
                                      "release_open_weights", "purchase_compute", "license_model_ip",
                                      "use_ip",      "pursue_agi",      "receive_revenue_share"};
#define NACTIONS 9

static const char *const clouds[] = {"azure", "azure", "aws", "gcp", "oracle", "coreweave"};
static const char *const segments[] = {"commercial", "commercial", "us_gov_national_security", "enterprise"};
static const char *const partners[] = {"apple", "softbank", "oracle", "io-products", "broadcom"};
static const char *const providers[] = {"azure", "oracle", "aws", "coreweave", "google"};
static const char *const licensees[] = {"microsoft", "google", "amazon", "meta", "xai"};
static const char *const ip_kinds[] = {"model", "product", "research", "consumer_hardware"};
static const char *const bools[] = {"false", "true"};

/* A day uniformly in 2025-01-01 .. 2034-12-31, as "YYYY-MM-DD". */
static void random_date(char out[11]) {
  int32_t lo, hi;
  pactum_day_parse("2025-01-01", 10, &lo);
  pactum_day_parse("2034-12-31", 10, &hi);
  pactum_day_format(lo + (int32_t)pick((unsigned)(hi - lo + 1)), out);
}

/* Request i of the mix: action i % 9, so every action has the same share. */
static int make_request(int i, char *out, size_t cap) {
  int a = i % NACTIONS;
  char date[11];
  random_date(date);
  const char *act = actions[a];
  switch (a) {
  case 0:
    if (chance(20)) return snprintf(out, cap, "{\"principal\":\"openai\",\"action\":\"%s\",\"context\":{\"date\":\"%s\"}}", act, date);
    return snprintf(out, cap,
                    "{\"principal\":\"openai\",\"action\":\"%s\",\"resource\":{\"built_with_third_party\":%s},"
                    "\"context\":{\"date\":\"%s\",\"cloud\":\"%s\",\"customer_segment\":\"%s\"}}",
                    act, bools[chance(30)], date, PICK(clouds), PICK(segments));
  case 1:
    return snprintf(out, cap,
                    "{\"principal\":\"openai\",\"action\":\"%s\",\"resource\":{\"built_with_third_party\":%s},"
                    "\"context\":{\"date\":\"%s\",\"cloud\":\"%s\"}}",
                    act, bools[chance(30)], date, PICK(clouds));
  case 2:
    return snprintf(out, cap, "{\"principal\":\"openai\",\"action\":\"%s\",\"context\":{\"date\":\"%s\",\"partner\":\"%s\"}}",
                    act, date, PICK(partners));
  case 3:
    if (chance(25)) return snprintf(out, cap, "{\"principal\":\"openai\",\"action\":\"%s\",\"context\":{\"date\":\"%s\"}}", act, date);
    return snprintf(out, cap,
                    "{\"principal\":\"openai\",\"action\":\"%s\",\"resource\":{\"meets_capability_criteria\":%s},"
                    "\"context\":{\"date\":\"%s\"}}",
                    act, bools[chance(60)], date);
  case 4:
    return snprintf(out, cap, "{\"principal\":\"openai\",\"action\":\"%s\",\"context\":{\"date\":\"%s\",\"provider\":\"%s\"}}",
                    act, date, PICK(providers));
  case 5:
    return snprintf(out, cap, "{\"principal\":\"openai\",\"action\":\"%s\",\"context\":{\"date\":\"%s\",\"licensee\":\"%s\"}}",
                    act, date, PICK(licensees));
  case 6:
    return snprintf(out, cap,
                    "{\"principal\":\"microsoft\",\"action\":\"%s\",\"resource\":{\"ip_kind\":\"%s\",\"post_agi\":%s},"
                    "\"context\":{\"date\":\"%s\",\"safety_guardrails\":%s}}",
                    act, PICK(ip_kinds), bools[chance(30)], date, bools[chance(50)]);
  case 7:
    return snprintf(out, cap,
                    "{\"principal\":\"microsoft\",\"action\":\"%s\",\"context\":{\"date\":\"%s\",\"uses_openai_ip\":%s,"
                    "\"within_compute_threshold\":%s}}",
                    act, date, bools[chance(50)], bools[chance(50)]);
  default:
    return snprintf(out, cap, "{\"principal\":\"microsoft\",\"action\":\"%s\",\"context\":{\"date\":\"%s\"}}", act, date);
  }
}

/* The timeline: purchases, a rejected declaration, a second one and its verification (each verdict names its declaration by seq, its 1-based position). */
static const char *const timeline_events[] = {
    "{\"type\":\"azure_purchase\",\"date\":\"2026-01-15\",\"amount_usd\":10000000000}",
    "{\"type\":\"azure_purchase\",\"date\":\"2026-06-30\",\"amount_usd\":25000000000}",
    "{\"type\":\"agi_declared\",\"date\":\"2027-01-10\",\"by\":\"openai\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2027-03-01\",\"amount_usd\":30000000000}",
    "{\"type\":\"panel_verdict\",\"date\":\"2027-04-01\",\"declaration\":3,\"verdict\":\"rejected\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2028-01-01\",\"amount_usd\":40000000000}",
    "{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"openai\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2029-03-01\",\"amount_usd\":45000000000}",
    "{\"type\":\"panel_verdict\",\"date\":\"2029-06-01\",\"declaration\":7,\"verdict\":\"verified\"}",
    "{\"type\":\"azure_purchase\",\"date\":\"2030-01-01\",\"amount_usd\":50000000000}",
    "{\"type\":\"azure_purchase\",\"date\":\"2031-01-01\",\"amount_usd\":50000000000}",
};
#define NEVENTS (int)(sizeof timeline_events / sizeof timeline_events[0])

/* ---- Timing ------------------------------------------------------------------------------ */

typedef struct result {
  const char *name;
  int runs;
  long ops;
  double med, min, max; /* ns per op */
} result;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void summarize(result *r, double *per_op, int runs) {
  qsort(per_op, (size_t)runs, sizeof(double), cmp_double);
  r->runs = runs;
  r->min = per_op[0];
  r->max = per_op[runs - 1];
  r->med = runs % 2 ? per_op[runs / 2] : (per_op[runs / 2 - 1] + per_op[runs / 2]) / 2;
}

static volatile uint64_t sink; /* keeps the work observable */

static void die(const char *what) {
  fprintf(stderr, "bench_decide: %s\n", what);
  exit(1);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  const char *path = PACTUM_BENCH_AGREEMENT;
  const char *db = NULL;
  int runs = 9, quiet = 0;
  long iters = 2000000;
  int nreq = 4096;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--agreement") && i + 1 < argc) path = argv[++i];
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = (int)strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--iters") && i + 1 < argc) iters = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--requests") && i + 1 < argc) nreq = (int)strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--quiet")) quiet = 1;
    else if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
    else {
      fprintf(stderr, "usage: bench_decide [--agreement FILE] [--db STORE] [--runs R] [--iters N] [--requests N] [--quiet]\n");
      return 2;
    }
  }
  if (runs < 1 || runs > 99 || iters < 1 || nreq < NACTIONS) die("bad arguments");

  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(path, &agr, &diag) != PACTUM_OK) {
    fprintf(stderr, "bench_decide: cannot load %s\n%s", path, diag ? diag : "");
    return 1;
  }
  pactum_timeline *tl = NULL;
  pactum_error err;
  if (db) {
    /* The timeline of a store: open the record, fold every event, keep the timeline. */
    record *r = NULL;
    double t0 = now_s();
    if (record_open(agr, db, 0, NULL, &r, &err) != PACTUM_OK) {
      fprintf(stderr, "bench_decide: cannot open the store %s: %s\n", db, err.message);
      return 1;
    }
    double t1 = now_s();
    tl = r->tl;
    r->tl = NULL;
    printf("store %s: %zu events folded in %.3f s (%.0f ns per event)\n", db, pactum_timeline_count(tl), t1 - t0,
           (t1 - t0) * 1e9 / (double)(pactum_timeline_count(tl) ? pactum_timeline_count(tl) : 1));
    record_free(r);
  } else {
    tl = pactum_timeline_new(agr);
    if (!tl) die("out of memory");
    for (int i = 0; i < NEVENTS; i++)
      if (pactum_timeline_append_json(tl, timeline_events[i], strlen(timeline_events[i]), &err) != PACTUM_OK) {
        fprintf(stderr, "bench_decide: event %d rejected: %s\n", i, err.message);
        return 1;
      }
  }

  /* The mix, as JSON and as pre-parsed requests. */
  char **json = calloc((size_t)nreq, sizeof *json);
  size_t *json_len = calloc((size_t)nreq, sizeof *json_len);
  pactum_request **reqs = calloc((size_t)nreq, sizeof *reqs);
  pactum_decision **decs = calloc((size_t)nreq, sizeof *decs);
  if (!json || !json_len || !reqs || !decs) die("out of memory");
  size_t json_bytes = 0;
  for (int i = 0; i < nreq; i++) {
    char line[1024];
    int n = make_request(i, line, sizeof line);
    if (n < 0 || (size_t)n >= sizeof line) die("request too long");
    json[i] = malloc((size_t)n + 1);
    if (!json[i]) die("out of memory");
    memcpy(json[i], line, (size_t)n + 1);
    json_len[i] = (size_t)n;
    json_bytes += (size_t)n;
    reqs[i] = pactum_request_new(agr);
    decs[i] = pactum_decision_new(agr);
    if (!reqs[i] || !decs[i]) die("out of memory");
    if (pactum_request_parse_json(reqs[i], json[i], json_len[i], PACTUM_NO_DAY, &err) != PACTUM_OK) {
      fprintf(stderr, "bench_decide: request %d does not parse: %s\n%s\n", i, err.message, json[i]);
      return 1;
    }
  }

  /* Decide the mix once: coverage of outcomes, and the decisions to_json will render. */
  long outcomes[4] = {0, 0, 0, 0};
  size_t out_bytes = 0;
  char out[8192];
  for (int i = 0; i < nreq; i++) {
    if (pactum_decide(agr, tl, reqs[i], decs[i]) != PACTUM_OK) die("decide failed");
    outcomes[pactum_decision_outcome(decs[i])]++;
    out_bytes += pactum_decision_to_json(decs[i], out, sizeof out);
  }

  pactum_decision *dec = pactum_decision_new(agr);
  pactum_request *scratch = pactum_request_new(agr);
  if (!dec || !scratch) die("out of memory");
  double *per_op = calloc((size_t)runs, sizeof(double));
  if (!per_op) die("out of memory");
  result res[3] = {{"pactum_decide", 0, 0, 0, 0, 0},
                   {"pactum_request_parse_json", 0, 0, 0, 0, 0},
                   {"pactum_decision_to_json", 0, 0, 0, 0, 0}};

  /* 1. pactum_decide over the pre-parsed mix. */
  uint64_t acc = 0;
  for (long k = 0; k < iters; k++) { /* warm-up */
    pactum_decide(agr, tl, reqs[k % nreq], dec);
    acc += (uint64_t)pactum_decision_outcome(dec);
  }
  for (int r = 0; r < runs; r++) {
    double t0 = now_ns();
    int i = 0;
    for (long k = 0; k < iters; k++) {
      pactum_decide(agr, tl, reqs[i], dec);
      acc += (uint64_t)pactum_decision_outcome(dec);
      if (++i == nreq) i = 0;
    }
    per_op[r] = (now_ns() - t0) / (double)iters;
  }
  res[0].ops = iters;
  summarize(&res[0], per_op, runs);

  /* 2. pactum_request_parse_json over the same lines (slower: fewer per run). */
  long piters = iters / 10 > nreq ? iters / 10 : nreq;
  for (int k = 0; k < nreq; k++) acc += (uint64_t)pactum_request_parse_json(scratch, json[k], json_len[k], PACTUM_NO_DAY, &err);
  for (int r = 0; r < runs; r++) {
    double t0 = now_ns();
    int i = 0;
    for (long k = 0; k < piters; k++) {
      acc += (uint64_t)pactum_request_parse_json(scratch, json[i], json_len[i], PACTUM_NO_DAY, &err);
      if (++i == nreq) i = 0;
    }
    per_op[r] = (now_ns() - t0) / (double)piters;
  }
  res[1].ops = piters;
  summarize(&res[1], per_op, runs);

  /* 3. pactum_decision_to_json over the mix's decisions. */
  long titers = iters / 2 > nreq ? iters / 2 : nreq;
  for (int k = 0; k < nreq; k++) acc += pactum_decision_to_json(decs[k], out, sizeof out);
  for (int r = 0; r < runs; r++) {
    double t0 = now_ns();
    int i = 0;
    for (long k = 0; k < titers; k++) {
      acc += pactum_decision_to_json(decs[i], out, sizeof out);
      if (++i == nreq) i = 0;
    }
    per_op[r] = (now_ns() - t0) / (double)titers;
  }
  res[2].ops = titers;
  summarize(&res[2], per_op, runs);
  sink = acc;

  if (!quiet) {
    printf("bench_decide: %s %s, %zu events in the timeline\n", pactum_agreement_id(agr), pactum_agreement_version(agr),
           pactum_timeline_count(tl));
    printf("mix: %d requests, all %d actions, dates 2025-01-01..2034-12-31, %.0f bytes of JSON per request,\n"
           "     %.0f bytes per decision; outcomes: %ld allow, %ld deny, %ld not_applicable, %ld conflict\n\n",
           nreq, NACTIONS, (double)json_bytes / nreq, (double)out_bytes / nreq, outcomes[PACTUM_ALLOW],
           outcomes[PACTUM_DENY], outcomes[PACTUM_NOT_APPLICABLE], outcomes[PACTUM_CONFLICT]);
  }
  printf("%-28s %5s %10s %12s %10s %10s %8s\n", "operation", "runs", "ops/run", "median ns/op", "min", "max",
         "x decide");
  for (int k = 0; k < 3; k++)
    printf("%-28s %5d %10ld %12.1f %10.1f %10.1f %8.1f\n", res[k].name, res[k].runs, res[k].ops, res[k].med, res[k].min,
           res[k].max, res[k].med / res[0].med);
  double sum = res[0].med + res[1].med + res[2].med;
  printf("%-28s %5s %10s %12.1f %10s %10s %8.1f\n", "parse + decide + to_json", "", "", sum, "", "", sum / res[0].med);
  printf("\nin-process ceiling for one request through all three: %.0f requests/s\n", 1e9 / sum);
  printf("decide: %.1f ns per decision (target <= 1000 ns): %s\n", res[0].med, res[0].med <= 1000 ? "met" : "NOT met");

  free(per_op);
  pactum_request_free(scratch);
  pactum_decision_free(dec);
  for (int i = 0; i < nreq; i++) {
    pactum_decision_free(decs[i]);
    pactum_request_free(reqs[i]);
    free(json[i]);
  }
  free(decs);
  free(reqs);
  free(json_len);
  free(json);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
  return 0;
}
