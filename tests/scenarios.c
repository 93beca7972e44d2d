/*
** scenarios.c: runs decision scenarios from a JSONL file against an agreement.
**
** Usage: scenarios AGREEMENT.pact SCENARIOS.jsonl
**
** Each non-comment line is {"name","events"?,"rejected"?,"request","expect"}. Events are
** folded in order; those whose indexes are listed in "rejected" must be refused by a
** transition guard, every other event must be accepted. The decision must match
** expect.decision and expect.determining (as a set), and expect.overridden,
** expect.obligations and expect.valid_until where given. Prints "N passed, M failed".
*/
#include "agreement.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare a JSON array of ids with the clause indices v[0..n) as sets. */
static int same_ids(const pactum_agreement *agr, json_t *want, const int32_t *v, int n, char *why, size_t cap,
                    const char *what) {
  size_t k = json_array_size(want);
  const char *a[256], *b[256];
  if (k > 256 || n > 256) return 0;
  for (size_t i = 0; i < k; i++) a[i] = json_string_value(json_array_get(want, i));
  for (int i = 0; i < n; i++) b[i] = agr->clauses[v[i]].id;
  qsort(a, k, sizeof a[0], cmp_str);
  qsort(b, (size_t)n, sizeof b[0], cmp_str);
  int ok = k == (size_t)n;
  for (size_t i = 0; ok && i < k; i++) ok = a[i] && !strcmp(a[i], b[i]);
  if (!ok) {
    size_t o = (size_t)snprintf(why, cap, "%s: expected [", what);
    for (size_t i = 0; i < k && o < cap; i++) o += (size_t)snprintf(why + o, cap - o, "%s%s", i ? " " : "", a[i] ? a[i] : "?");
    if (o < cap) o += (size_t)snprintf(why + o, cap - o, "], got [");
    for (int i = 0; i < n && o < cap; i++) o += (size_t)snprintf(why + o, cap - o, "%s%s", i ? " " : "", b[i]);
    if (o < cap) snprintf(why + o, cap - o, "]");
  }
  return ok;
}

static int run_one(const pactum_agreement *agr, json_t *sc, char *why, size_t cap) {
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_request *req = pactum_request_new(agr);
  pactum_decision *dec = pactum_decision_new(agr);
  int ok = 0;
  json_t *events = json_object_get(sc, "events"), *rejected = json_object_get(sc, "rejected");
  size_t i;
  json_t *ev;
  pactum_error err;
  json_array_foreach(events, i, ev) {
    int expect_reject = 0;
    size_t j;
    json_t *r;
    json_array_foreach(rejected, j, r) expect_reject |= (size_t)json_integer_value(r) == i;
    char *s = json_dumps(ev, JSON_COMPACT);
    int rc = pactum_timeline_append_json(tl, s, strlen(s), &err);
    free(s);
    if (expect_reject && (rc == PACTUM_OK || strcmp(err.code, "guard_failed") != 0)) {
      snprintf(why, cap, "event %zu should have been refused by a guard, got %s", i, rc ? err.code : "accepted");
      goto out;
    }
    if (!expect_reject && rc != PACTUM_OK) {
      snprintf(why, cap, "event %zu refused: %s", i, err.message);
      goto out;
    }
  }
  char *rq = json_dumps(json_object_get(sc, "request"), JSON_COMPACT);
  int rc = rq ? pactum_request_parse_json(req, rq, strlen(rq), PACTUM_NO_DAY, &err) : PACTUM_EINPUT;
  free(rq);
  if (rc) {
    snprintf(why, cap, "request refused: %s", err.message);
    goto out;
  }
  if (pactum_decide(agr, tl, req, dec)) {
    snprintf(why, cap, "decide failed");
    goto out;
  }
  json_t *expect = json_object_get(sc, "expect");
  const char *want = json_string_value(json_object_get(expect, "decision"));
  const char *got = pactum_outcome_name(dec->outcome);
  if (!want || strcmp(want, got)) {
    snprintf(why, cap, "decision: expected %s, got %s", want ? want : "?", got);
    goto out;
  }
  json_t *w;
  if ((w = json_object_get(expect, "determining")) && !same_ids(agr, w, dec->det, dec->ndet, why, cap, "determining")) goto out;
  if ((w = json_object_get(expect, "overridden")) && !same_ids(agr, w, dec->over, dec->nover, why, cap, "overridden")) goto out;
  if ((w = json_object_get(expect, "obligations")) && !same_ids(agr, w, dec->obl, dec->nobl, why, cap, "obligations")) goto out;
  if ((w = json_object_get(expect, "valid_until"))) {
    char out[4096];
    pactum_decision_to_json(dec, out, sizeof out);
    json_t *d = json_loads(out, 0, NULL);
    int same = d && json_equal(json_object_get(d, "valid_until"), w);
    if (!same) {
      char *s = json_dumps(json_object_get(d, "valid_until"), JSON_COMPACT | JSON_ENCODE_ANY);
      snprintf(why, cap, "valid_until: got %s", s ? s : "?");
      free(s);
    }
    json_decref(d);
    if (!same) goto out;
  }
  ok = 1;
out:
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: scenarios AGREEMENT.pact SCENARIOS.jsonl\n");
    return 2;
  }
  pactum_agreement *agr;
  char *diag;
  if (pactum_agreement_load_file(argv[1], &agr, &diag)) {
    fputs(diag ? diag : "cannot load\n", stderr);
    return 1;
  }
  FILE *fp = fopen(argv[2], "r");
  if (!fp) {
    perror(argv[2]);
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int lineno = 0, passed = 0, failed = 0;
  json_t *names = json_object();
  while ((n = getline(&line, &cap, fp)) >= 0) {
    lineno++;
    if (n == 0 || line[0] == '#' || line[0] == '\n') continue;
    json_error_t je;
    json_t *sc = json_loads(line, 0, &je);
    const char *name = sc ? json_string_value(json_object_get(sc, "name")) : NULL;
    char why[1024] = "";
    if (!sc || !name) {
      printf("FAIL %s:%d: not a scenario: %s\n", argv[2], lineno, sc ? "no name" : je.text);
      failed++;
    } else if (json_object_get(names, name)) {
      printf("FAIL %s:%d: duplicate scenario name '%s'\n", argv[2], lineno, name);
      failed++;
    } else if (run_one(agr, sc, why, sizeof why)) {
      passed++;
    } else {
      printf("FAIL %s:%d: %s: %s\n", argv[2], lineno, name, why);
      failed++;
    }
    if (name) json_object_set_new(names, name, json_true());
    json_decref(sc);
  }
  free(line);
  fclose(fp);
  json_decref(names);
  pactum_agreement_free(agr);
  printf("%d passed, %d failed\n", passed, failed);
  return failed || !passed ? 1 : 0;
}
