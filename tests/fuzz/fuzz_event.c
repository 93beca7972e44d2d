/*
** fuzz_event.c: libFuzzer harness for event JSON through validation and fold. The first byte
** picks the agreement; the rest is JSONL, one event per line, folded in order.
**
** Each line is folded twice, the two ways pactum folds events: (A) parsed by jansson and
** folded from the tree, as `--events` and `event add` do; (B) written in canonical JSON,
** decoded by yajl without a tree and folded from the flat list, as a store's records are
** when it is opened. Invariants: both accept or both refuse; a refusal of the canonical text
** gives the same code and message from its tree as from its flat list (the first problem
** found depends on member order, so the input's own order may name another); afterwards
** the two timelines hold the same days and the same state after every event; a copy and a
** view of the timeline equal it; status and ledger for every event's day render to valid JSON.
*/
#include "fuzz.h"
#include "alloc.h"
#include "canon.h"
#include "ledger.h"

#include <jansson.h>
#include <string.h>
#include "banned.h"

#define FUZZ_MAX_INPUT (64 * 1024)

/* 1 if a and b hold the same days, and the same state after every number of events. */
static int same_timeline(const pactum_timeline *a, const pactum_timeline *b) {
  if (a->n != b->n || a->width != b->width) return 0;
  size_t w = (size_t)a->width;
  int64_t *ra = px_malloc(sizeof(int64_t) * (2 * w + 1)), *rb = ra ? ra + w : NULL;
  if (!ra) return 1; /* out of memory: nothing to compare with */
  int same = 1;
  for (size_t k = 0; k <= a->n && same; k++) {
    if (k < a->n && timeline_day(a, k) != timeline_day(b, k)) same = 0;
    else if (w && memcmp(timeline_row(a, k, ra), timeline_row(b, k, rb), w * sizeof(int64_t))) same = 0;
  }
  px_free(ra);
  return same;
}

/* Fold one line both ways; keeps tb in step with ta. */
static void fold_line(pactum_timeline *ta, pactum_timeline *tb, pactum_timeline *tc, const char *line, size_t len) {
  pactum_error ea, eb, ec;
  memset(&ea, 0, sizeof ea);
  memset(&eb, 0, sizeof eb);
  /* The public entry point, on a third timeline: the same answer as path A. */
  int rc_c = pactum_timeline_append_json(tc, line, len, &ec);
  json_error_t je;
  json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    FUZZ_ASSERT(rc_c == PACTUM_EINPUT && !strcmp(ec.code, "bad_json"), "unparsable JSON was not refused as bad_json");
    return;
  }
  /* Every path reads the "recorded_by" claim, and gives the event the seq count + 1. */
  int rc_a = timeline_append_claimed(ta, root, (int64_t)ta->n + 1, &ea);
  uint64_t claimed = 0;
  pactum_error ignored;
  int bad_claim = timeline_claimed_recorders(ta->agr, root, &claimed, &ignored) != PACTUM_OK;
  FUZZ_ASSERT(rc_a == rc_c && (rc_a == PACTUM_OK || !strcmp(ea.code, ec.code)),
              "timeline_append and pactum_timeline_append_json disagree: %d %s / %d %s", rc_a, ea.code, rc_c, ec.code);
  if (rc_a) FUZZ_ASSERT(ea.code[0] && ea.message[0], "an event refusal without code or message");
  size_t clen = 0;
  char *canon = json_is_object(root) ? canon_json(root, &clen) : NULL;
  flat_event e;
  char pool[4096];
  if (bad_claim) {
    /* A claim that is not a list of names is refused before the event is read: tb stays as ta. */
  } else if (canon && flat_decode(canon, clen, &e, pool, sizeof pool) == 0) {
    event_meta mb = {(int64_t)tb->n + 1, claimed};
    int rc_b = timeline_apply(tb, &e, &mb, &eb);
    FUZZ_ASSERT(rc_a == rc_b, "the tree and the flat fold disagree on %.300s: %d %s (%s) / %d %s (%s)", canon, rc_a,
                ea.code, ea.message, rc_b, eb.code, eb.message);
    /* With the members in the same (canonical) order, both report the same first problem. */
    if (rc_b) {
      pactum_timeline *scratch = timeline_copy(ta); /* ta is as it was: it refused the event too */
      json_t *sorted = json_loadb(canon, clen, 0, &je);
      if (scratch && sorted) {
        pactum_error es;
        event_meta ms = {(int64_t)scratch->n + 1, claimed};
        int rc_s = timeline_append(scratch, sorted, &ms, &es);
        FUZZ_ASSERT(rc_s == rc_b && !strcmp(es.code, eb.code) && !strcmp(es.message, eb.message),
                    "the tree and the flat fold refuse %.300s differently: %s (%s) / %s (%s)", canon, es.code,
                    es.message, eb.code, eb.message);
      }
      json_decref(sorted);
      pactum_timeline_free(scratch);
    }
  } else {
    /* No canonical form (a real) or too big for the flat path: the store folds it from the tree too. */
    event_meta mb = {(int64_t)tb->n + 1, claimed};
    timeline_append(tb, root, &mb, &eb);
  }
  px_free(canon);
  json_decref(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  const pactum_agreement *agr = fuzz_agreement(data[0] & 1);
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  pactum_timeline *ta = pactum_timeline_new(agr), *tb = pactum_timeline_new(agr), *tc = pactum_timeline_new(agr);
  if (!ta || !tb || !tc) goto out;
  for (const char *line = text, *end = text + len; line < end;) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    fold_line(ta, tb, tc, line, n);
    line += n + 1;
  }
  FUZZ_ASSERT(same_timeline(ta, tb), "the tree and the flat fold built different timelines");
  FUZZ_ASSERT(same_timeline(ta, tc), "timeline_append and pactum_timeline_append_json built different timelines");
  pactum_timeline *copy = timeline_copy(ta);
  if (copy) FUZZ_ASSERT(same_timeline(ta, copy), "timeline_copy differs from its original");
  pactum_timeline_free(copy);
  pactum_timeline *view = timeline_view(ta);
  if (view) FUZZ_ASSERT(same_timeline(ta, view), "timeline_view differs from its original");
  pactum_timeline_free(view);
  /* Status on each event's day (the first 8), and on the day before the first. */
  for (size_t i = 0; i <= ta->n && i < 8; i++) {
    int32_t day = i < ta->n ? timeline_day(ta, i) : (ta->n ? timeline_day(ta, 0) - 1 : agr->effective);
    char *s = pactum_status_json(agr, ta, day);
    if (s) FUZZ_ASSERT(fuzz_json_valid(s, strlen(s)), "status wrote invalid JSON: %.300s", s);
    pactum_string_free(s);
  }
  /* The ledger on the last event's day, by month as JSON and by quarter as text. Its length
     grows with the span of the events' dates (an event in year 1 and a ledger in year 9999 make
     120,000 months: bounded, but slow to fuzz), so the day is kept within ten years of the first. */
  int32_t last = ta->n ? timeline_day(ta, ta->n - 1) : agr->effective;
  if (ta->n && last - timeline_day(ta, 0) > 3653) last = timeline_day(ta, 0) + 3653;
  char *l = ledger_render(agr, ta, last, 0, 1);
  if (l) FUZZ_ASSERT(fuzz_json_valid(l, strlen(l)), "ledger wrote invalid JSON: %.300s", l);
  pactum_string_free(l);
  pactum_string_free(ledger_render(agr, ta, last, 1, 0));
out:
  pactum_timeline_free(ta);
  pactum_timeline_free(tb);
  pactum_timeline_free(tc);
  return 0;
}
