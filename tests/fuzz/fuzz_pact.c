/*
** fuzz_pact.c: libFuzzer harness for the .pact front end: lexer, parser, checker and
** compiler, through pactum_agreement_load_buffer. An input that loads is then used: its
** clauses, status and, for each action a principal may invoke, a decision on the effective
** date with the attributes' defaults, each rendered and checked to be valid JSON.
**
** Invariants: loading returns PACTUM_OK with an agreement, or an error with no agreement
** and a diagnostic in "file:line:col: error: ..." form; deciding never fails except for a
** required attribute left unset; every JSON pactum writes parses.
*/
#include "fuzz.h"
#include "alloc.h"
#include "canon.h"

#include <string.h>
#include "banned.h"

#define FUZZ_MAX_INPUT (256 * 1024)
#define MAX_DECISIONS 64

/* Check that the malloc'd text s is valid JSON (when as_json) and release it. */
static void check_render(char *s, int as_json, const char *what) {
  if (!s) return; /* out of memory is allowed to give NULL */
  if (as_json) FUZZ_ASSERT(fuzz_json_valid(s, strlen(s)), "%s wrote invalid JSON: %.200s", what, s);
  pactum_string_free(s);
}

/* Decide, explain and render one request per (action, principal) the agreement allows. */
static void use_agreement(const pactum_agreement *agr) {
  pactum_summary sum;
  pactum_agreement_summary(agr, &sum);
  FUZZ_ASSERT(sum.clauses == agr->nclauses, "summary counts %d clauses, the agreement has %d", sum.clauses,
              agr->nclauses);
  check_render(clauses_render(agr, 1), 1, "clauses_render");
  check_render(clauses_render(agr, 0), 0, "clauses_render");
  pactum_timeline *tl = pactum_timeline_new(agr);
  check_render(status_render(agr, tl, agr->effective, 1), 1, "status_render");
  pactum_request *req = pactum_request_new(agr);
  pactum_decision *dec = pactum_decision_new(agr);
  int made = 0;
  for (int a = 0; a < agr->nactions && made < MAX_DECISIONS; a++) {
    for (int p = 0; p < agr->nparties && made < MAX_DECISIONS; p++) {
      if (!agr->actions[a].principal_ok[p] || !req || !dec) continue;
      pactum_error err;
      int rc = pactum_request_init(req, agr->parties[p].name, agr->actions[a].name, agr->effective, &err);
      FUZZ_ASSERT(rc == PACTUM_OK, "request_init refused an allowed pair: %s", err.message);
      made++;
      rc = pactum_decide(agr, tl, req, dec);
      if (agr->actions[a].required) {
        FUZZ_ASSERT(rc == PACTUM_EINPUT, "a request missing a required attribute was decided");
        continue;
      }
      FUZZ_ASSERT(rc == PACTUM_OK, "decide failed with %d", rc);
      size_t len = 0;
      char *out = fuzz_decision_json(dec, &len);
      if (out) FUZZ_ASSERT(fuzz_json_valid(out, len), "decision_to_json wrote invalid JSON: %.200s", out);
      px_free(out);
      check_render(pactum_explain(agr, tl, req, 1), 1, "explain");
      check_render(pactum_explain(agr, tl, req, 0), 0, "explain");
    }
  }
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  int rc = pactum_agreement_load_buffer("fuzz.pact", (const char *)data, size, &agr, &diag);
  if (rc == PACTUM_OK) {
    FUZZ_ASSERT(agr != NULL, "load succeeded without an agreement");
    use_agreement(agr);
  } else {
    FUZZ_ASSERT(agr == NULL, "load failed (%d) but gave an agreement", rc);
    if (rc == PACTUM_EINPUT) {
      FUZZ_ASSERT(diag && strncmp(diag, "fuzz.pact:", 10) == 0 && strstr(diag, ": error: "),
                  "a refused file has no 'file:line:col: error:' diagnostic: %.200s", diag ? diag : "(null)");
    }
  }
  uint8_t hash[HASH_BYTES];
  canon_agreement_hash((const char *)data, size, hash);
  pactum_string_free(diag);
  pactum_agreement_free(agr);
  return 0;
}
