/*
** audit.c: re-checks a chain of the record (see audit.h).
**
** Each record is checked on its own: its hash must be canon_chain_hash(seq, its prev_hash,
** its JSON), and its prev_hash must be the hash stored on the record before it (for seq 1,
** the genesis hash). Together these prove the whole chain, and they let the work be split:
** the seqs are cut into ranges checked in parallel, one reader connection and one thread per
** range, and the ranges' ends are then joined. The first record found wrong is reported
** with its seq: altered (content and hash disagree), missing (a gap in the seqs), out of
** place (its prev_hash is not the hash of the record before: inserted, reordered, removed), or
** with Merkle tree nodes that are not the ones its leaves give.
**
** The tree is checked the same way: ranges start at multiples of 2^ALIGN_BITS leaves, so every
** node of level ALIGN_BITS or less lies inside one range and is recomputed there from the
** leaves; the few nodes above (one per 2^(ALIGN_BITS+1) leaves) are checked after the join,
** each from its two children, level by level.
*/
#include "audit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "banned.h"

#define AUDIT_MAX_THREADS 8
#define ALIGN_BITS 16                          /* ranges start at multiples of 2^16 records */
#define AUDIT_MIN_PER_THREAD (1 << ALIGN_BITS) /* smaller chains are checked in one thread */

typedef struct part {
  store *st;
  store_chain chain;
  int64_t lo, hi;            /* checks lo < seq <= hi */
  const uint8_t *receipt;
  /* results */
  int rc;
  pactum_error err;
  int have;                  /* saw at least one record */
  int64_t first_seq;
  char first_prev[HASH_HEX]; /* the first record's stored prev_hash */
  char last_hash[HASH_HEX];  /* the last good record's hash */
  int64_t last_seq;
  int64_t expect;
  int64_t records, bytes;
  int64_t bad_seq;           /* 0: no fault inside the part */
  char reason[320];
  int64_t receipt_seq;
  merkle_frontier tree;      /* over this range's leaves, from lo */
} part;

static int fault(part *p, int64_t seq, const char *why) {
  p->bad_seq = seq;
  snprintf(p->reason, sizeof p->reason, "%s", why);
  return 1;
}

static int text_is(const char *stored, const char *hex) {
  return stored && strlen(stored) == HASH_HEX - 1 && memcmp(stored, hex, HASH_HEX) == 0;
}

static int check_one(void *ctx, const store_record *rec) {
  part *p = ctx;
  char why[320];
  if (!p->have) p->expect = rec->seq; /* where a part starts is checked when parts are joined */
  if (rec->seq != p->expect) {
    snprintf(why, sizeof why,
             "record %lld is missing: the chain jumps from %lld to %lld (a record was deleted or renumbered)",
             (long long)p->expect, (long long)(p->expect - 1), (long long)rec->seq);
    return fault(p, p->expect, why);
  }
  uint8_t prev[HASH_BYTES];
  int prev_ok = rec->prev_hex && strlen(rec->prev_hex) == HASH_HEX - 1 && !canon_unhex(rec->prev_hex, prev, HASH_BYTES);
  if (!p->have) {
    p->have = 1;
    p->first_seq = rec->seq;
    snprintf(p->first_prev, sizeof p->first_prev, "%s", prev_ok ? rec->prev_hex : "");
  } else if (!prev_ok || !text_is(rec->prev_hex, p->last_hash)) {
    snprintf(why, sizeof why,
             "record %lld does not follow record %lld: its prev_hash is not that record's hash "
             "(a record was inserted, reordered or removed here)",
             (long long)rec->seq, (long long)(rec->seq - 1));
    return fault(p, rec->seq, why);
  }
  if (!prev_ok) {
    snprintf(why, sizeof why, "record %lld has no valid prev_hash", (long long)rec->seq);
    return fault(p, rec->seq, why);
  }
  uint8_t h[HASH_BYTES];
  char hex[HASH_HEX];
  canon_chain_hash(rec->seq, prev, rec->json, rec->len, h);
  canon_hex(h, HASH_BYTES, hex);
  if (!text_is(rec->hash_hex, hex)) {
    snprintf(why, sizeof why, "record %lld was altered: its content does not match its hash", (long long)rec->seq);
    return fault(p, rec->seq, why);
  }
  /* The tree nodes that complete at this leaf and lie inside the range are recomputed here. */
  uint8_t leaf[MERKLE_HASH], made[MERKLE_MAX_LEVELS][MERKLE_HASH];
  merkle_leaf_hash(h, HASH_BYTES, leaf);
  int k = merkle_frontier_push(&p->tree, leaf, made);
  int levels = 0;
  for (uint64_t u = (uint64_t)rec->seq; !(u & 1); u >>= 1) levels++;
  int local = p->lo == 0 ? k : k < ALIGN_BITS ? k : ALIGN_BITS;
  if (local > levels) local = levels;
  /* A range whose first record is not lo + 1 is missing records: the join reports that, and
     its leaves are not where the tree puts them, so only the node count is checked here. */
  if (p->first_seq != p->lo + 1) local = 0;
  if (rec->tree_len != (size_t)levels * MERKLE_HASH || (local && memcmp(rec->tree, made, (size_t)local * MERKLE_HASH))) {
    snprintf(why, sizeof why, "record %lld's Merkle tree nodes are not those of the chain", (long long)rec->seq);
    return fault(p, rec->seq, why);
  }
  memcpy(p->last_hash, hex, HASH_HEX);
  p->last_seq = rec->seq;
  p->records++;
  p->bytes += (int64_t)rec->len;
  if (p->receipt && !p->receipt_seq && memcmp(h, p->receipt, HASH_BYTES) == 0) p->receipt_seq = rec->seq;
  p->expect++;
  return 0;
}

static void *run_part(void *arg) {
  part *p = arg;
  p->expect = p->lo + 1;
  merkle_frontier_init(&p->tree);
  int rc = store_scan_range(p->st, p->chain, p->lo, p->hi, check_one, p, &p->err);
  p->rc = rc < 0 ? rc : 0;
  return NULL;
}

static void fill(audit_result *out, int64_t seq, const char *why) {
  out->ok = 0;
  out->bad_seq = seq;
  snprintf(out->reason, sizeof out->reason, "%s", why);
}

/*
** The tree nodes above level ALIGN_BITS, which span ranges: each must be the hash of its two
** children as stored (those of level ALIGN_BITS were checked inside the ranges), lowest first.
** A node that is wrong reports the record it is kept beside.
*/
static int check_high_nodes(store *st, store_chain chain, audit_result *out, pactum_error *err) {
  store_node_ctx c = {st, chain, err};
  for (int level = ALIGN_BITS + 1; level < MERKLE_MAX_LEVELS - 1; level++) {
    uint64_t span = (uint64_t)1 << level;
    if (span > (uint64_t)out->head_seq) break;
    for (uint64_t end = span; end <= (uint64_t)out->head_seq; end += span) {
      uint64_t index = end / span - 1;
      uint8_t left[MERKLE_HASH], right[MERKLE_HASH], node[MERKLE_HASH], want[MERKLE_HASH];
      int rc = store_node(&c, level - 1, 2 * index, left);
      if (!rc) rc = store_node(&c, level - 1, 2 * index + 1, right);
      if (!rc) rc = store_node(&c, level, index, node);
      if (!rc) merkle_node_hash(left, right, want);
      if (rc || memcmp(node, want, MERKLE_HASH)) {
        char why[320];
        snprintf(why, sizeof why, "record %llu's Merkle tree nodes are not those of the chain", (unsigned long long)end);
        fill(out, (int64_t)end, why);
        return 0;
      }
    }
  }
  return 0;
}

int audit_verify(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], const uint8_t *receipt,
                 audit_result *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  out->ok = 1;
  memcpy(out->head, genesis, HASH_BYTES);
  int64_t max;
  if (store_max_seq(st, chain, &max, err)) return PACTUM_EIO;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int n = cpus > 1 ? (int)(cpus < AUDIT_MAX_THREADS ? cpus : AUDIT_MAX_THREADS) : 1;
  if (max / n < AUDIT_MIN_PER_THREAD) n = 1;
  part parts[AUDIT_MAX_THREADS];
  pthread_t threads[AUDIT_MAX_THREADS];
  int started[AUDIT_MAX_THREADS] = {0};
  memset(parts, 0, sizeof parts);
  for (int k = 0; k < n; k++) {
    part *p = &parts[k];
    p->chain = chain;
    /* Range bounds are multiples of 2^ALIGN_BITS: no node of that level or less spans two. */
    p->lo = (max / n * k) >> ALIGN_BITS << ALIGN_BITS;
    p->hi = k == n - 1 ? INT64_MAX : (max / n * (k + 1)) >> ALIGN_BITS << ALIGN_BITS;
    p->receipt = receipt;
    if (k == 0) p->st = st;
    else if (store_open_again(st, &p->st, err)) n = k; /* fewer parts: run what we have */
  }
  for (int k = 1; k < n; k++) started[k] = pthread_create(&threads[k], NULL, run_part, &parts[k]) == 0;
  run_part(&parts[0]);
  for (int k = 1; k < n; k++) {
    if (started[k]) pthread_join(threads[k], NULL);
    else run_part(&parts[k]);
  }
  int rc = 0;
  char genesis_hex[HASH_HEX];
  canon_hex(genesis, HASH_BYTES, genesis_hex);
  const char *link = genesis_hex; /* the hash the next part's first record must name */
  int64_t next = 1;               /* the seq the next part's first record must have */
  char why[320];
  for (int k = 0; k < n && out->ok && !rc; k++) {
    part *p = &parts[k];
    if (p->rc) {
      *err = p->err;
      rc = p->rc;
      break;
    }
    if (!p->have) continue; /* an empty range: the next part's start is checked against `next` */
    if (p->first_seq != next) {
      snprintf(why, sizeof why,
               "record %lld is missing: the chain jumps from %lld to %lld (a record was deleted or renumbered)",
               (long long)next, (long long)(next - 1), (long long)p->first_seq);
      fill(out, next, why);
      break;
    }
    if (strcmp(p->first_prev, link) != 0) {
      snprintf(why, sizeof why,
               "record %lld does not follow record %lld: its prev_hash is not that record's hash "
               "(a record was inserted, reordered or removed here)",
               (long long)p->first_seq, (long long)(p->first_seq - 1));
      fill(out, p->first_seq, why);
      break;
    }
    out->records += p->records;
    out->bytes += p->bytes;
    if (p->bad_seq) {
      fill(out, p->bad_seq, p->reason);
      if (p->last_seq) { /* the last good record is the one before the fault */
        out->head_seq = p->last_seq;
        canon_unhex(p->last_hash, out->head, HASH_BYTES);
      }
      break;
    }
    if (!out->receipt_seq && p->receipt_seq) out->receipt_seq = p->receipt_seq;
    out->head_seq = p->last_seq;
    canon_unhex(p->last_hash, out->head, HASH_BYTES);
    link = p->last_hash;
    next = p->last_seq + 1;
  }
  if (!rc && out->ok && n > 1) rc = check_high_nodes(st, chain, out, err);
  for (int k = 1; k < AUDIT_MAX_THREADS; k++)
    if (parts[k].st) store_close(parts[k].st);
  if (rc) return rc;
  if (out->ok && receipt && !out->receipt_seq && memcmp(receipt, genesis, HASH_BYTES) == 0) {
    /* The receipt of an empty chain: every chain extends it. */
  } else if (out->ok && receipt && !out->receipt_seq) {
    fill(out, 0, "the chain does not extend the receipt: no record has that hash (the log was rewritten or cut)");
  }
  return 0;
}
