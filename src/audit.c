/*
** audit.c: re-checks a chain of the record (see audit.h). It trusts nothing stored: each
** record's hash is recomputed from its seq, the previous record's recomputed hash and its
** JSON, so a record that was altered, deleted, inserted or moved is found at its seq.
*/
#include "audit.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

typedef struct walk {
  audit_result *out;
  const uint8_t *receipt;
  uint8_t prev[HASH_BYTES]; /* the recomputed hash of the last good record */
  char prev_hex[HASH_HEX];  /* the same, as the store writes it */
  int64_t expect;           /* the seq the next record must have */
} walk;

static int bad(walk *w, int64_t seq, const char *why) {
  w->out->ok = 0;
  w->out->bad_seq = seq;
  snprintf(w->out->reason, sizeof w->out->reason, "%s", why);
  return 1;
}

static int check_one(void *ctx, const store_record *rec) {
  walk *w = ctx;
  char why[320];
  if (rec->seq != w->expect) {
    snprintf(why, sizeof why,
             "record %lld is missing: the chain jumps from %lld to %lld (a record was deleted or renumbered)",
             (long long)w->expect, (long long)(w->expect - 1), (long long)rec->seq);
    return bad(w, w->expect, why);
  }
  /* Stored hashes are compared as text, in the store's own lowercase hex. */
  if (!rec->prev_hex || memcmp(rec->prev_hex, w->prev_hex, HASH_HEX) != 0) {
    snprintf(why, sizeof why,
             "record %lld does not follow record %lld: its prev_hash is not that record's hash "
             "(a record was inserted, reordered or removed here)",
             (long long)rec->seq, (long long)(rec->seq - 1));
    return bad(w, rec->seq, why);
  }
  uint8_t h[HASH_BYTES];
  char hex[HASH_HEX];
  canon_chain_hash(rec->seq, w->prev, rec->json, rec->len, h);
  canon_hex(h, HASH_BYTES, hex);
  if (!rec->hash_hex || memcmp(rec->hash_hex, hex, HASH_HEX) != 0) {
    snprintf(why, sizeof why, "record %lld was altered: its content does not match its hash", (long long)rec->seq);
    return bad(w, rec->seq, why);
  }
  memcpy(w->prev, h, HASH_BYTES);
  memcpy(w->prev_hex, hex, HASH_HEX);
  w->out->records++;
  w->out->bytes += (int64_t)rec->len;
  w->out->head_seq = rec->seq;
  memcpy(w->out->head, h, HASH_BYTES);
  if (w->receipt && !w->out->receipt_seq && memcmp(h, w->receipt, HASH_BYTES) == 0) w->out->receipt_seq = rec->seq;
  w->expect++;
  return 0;
}

int audit_verify(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], const uint8_t *receipt,
                 audit_result *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  out->ok = 1;
  walk w;
  w.out = out;
  w.receipt = receipt;
  w.expect = 1;
  memcpy(w.prev, genesis, HASH_BYTES);
  canon_hex(genesis, HASH_BYTES, w.prev_hex);
  memcpy(out->head, genesis, HASH_BYTES);
  int rc = store_scan(st, chain, 0, check_one, &w, err);
  if (rc < 0) return rc;
  if (out->ok && receipt && !out->receipt_seq) {
    out->ok = 0;
    out->bad_seq = 0;
    snprintf(out->reason, sizeof out->reason,
             "the chain does not extend the receipt: no record has that hash (the log was rewritten or cut)");
  }
  return 0;
}
