/*
** fuzz_request.c: libFuzzer harness for request JSON to decision. The first byte picks the
** agreement (bit 0) and whether a request without a date is refused or decided on the
** effective date (bit 1). The rest is lines: every line but the last is an event folded into
** the timeline (refusals are fine), and the last line is the request, parsed, decided,
** rendered and explained.
**
** Invariants: a refused request has an error code and message; a decided one renders to
** valid JSON whose "decision" is the outcome's name, and pactum_decision_to_json measures
** exactly what it then writes; deciding the same request twice gives the same bytes; its
** id, when it has one, is valid JSON.
*/
#include "fuzz.h"
#include "alloc.h"

#include <jansson.h>
#include <string.h>
#include "banned.h"

#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  const pactum_agreement *agr = fuzz_agreement(data[0] & 1);
  int32_t default_day = (data[0] & 2) ? agr->effective : PACTUM_NO_DAY;
  const char *text = (const char *)data + 1;
  size_t len = size - 1;

  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_request *req = pactum_request_new(agr);
  pactum_decision *dec = pactum_decision_new(agr);
  if (!tl || !req || !dec) goto out;
  /* Every line before the last is an event. */
  const char *last = text;
  for (const char *nl; (nl = memchr(last, '\n', len - (size_t)(last - text))) != NULL; last = nl + 1) {
    pactum_error err;
    size_t before = pactum_timeline_count(tl);
    int rc = pactum_timeline_append_json(tl, last, (size_t)(nl - last), &err);
    FUZZ_ASSERT(pactum_timeline_count(tl) == before + (rc == PACTUM_OK), "the event count is off after rc %d", rc);
    if (rc) FUZZ_ASSERT(err.code[0] && err.message[0], "an event refusal without code or message");
  }
  pactum_error err;
  memset(&err, 0, sizeof err);
  int rc = pactum_request_parse_json(req, last, len - (size_t)(last - text), default_day, &err);
  if (rc) {
    FUZZ_ASSERT(err.code[0] && err.message[0], "a request refusal without code or message");
    goto out;
  }
  size_t idlen = 0;
  const char *id = pactum_request_id_json(req, &idlen);
  if (id) FUZZ_ASSERT(fuzz_json_valid(id, idlen), "the request id is not JSON: %.*s", (int)idlen, id);
  rc = pactum_decide(agr, tl, req, dec);
  FUZZ_ASSERT(rc == PACTUM_OK, "a parsed request was not decided (%d)", rc);
  size_t n1 = 0, n2 = 0;
  char *t1 = fuzz_decision_json(dec, &n1);
  if (t1) {
    json_error_t je;
    json_t *v = json_loadb(t1, n1, 0, &je);
    FUZZ_ASSERT(v != NULL, "decision JSON does not parse (%s): %.300s", je.text, t1);
    const char *outcome = json_string_value(json_object_get(v, "decision"));
    FUZZ_ASSERT(outcome && !strcmp(outcome, pactum_outcome_name(pactum_decision_outcome(dec))),
                "the decision JSON names another outcome: %.300s", t1);
    json_decref(v);
    /* Deciding is pure: a second decision of the same request writes the same bytes. */
    FUZZ_ASSERT(pactum_decide(agr, tl, req, dec) == PACTUM_OK, "the second decision failed");
    char *t2 = fuzz_decision_json(dec, &n2);
    if (t2) FUZZ_ASSERT(n1 == n2 && !memcmp(t1, t2, n1), "two decisions of one request differ");
    px_free(t2);
  }
  px_free(t1);
  char *ex = pactum_explain(agr, tl, req, 1);
  if (ex) FUZZ_ASSERT(fuzz_json_valid(ex, strlen(ex)), "explain wrote invalid JSON: %.300s", ex);
  pactum_string_free(ex);
  pactum_string_free(pactum_explain(agr, tl, req, 0));
out:
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_timeline_free(tl);
  return 0;
}
