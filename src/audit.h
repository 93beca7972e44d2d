/*
** audit.h: re-checking a hash chain of the store from its first record to its head.
*/
#ifndef PACTUM_AUDIT_H
#define PACTUM_AUDIT_H

#include "store.h"

typedef struct audit_result {
  int ok;                 /* 1 if the chain is intact (and extends the receipt, if one was given) */
  int64_t records;        /* records checked */
  int64_t bytes;          /* bytes of JSON hashed */
  int64_t bad_seq;        /* the first record that is wrong, when !ok */
  char reason[320];       /* what is wrong with it */
  int64_t head_seq;       /* the last good record */
  uint8_t head[HASH_BYTES];
  int64_t receipt_seq;    /* where the receipt was found, 0 if not (or none was given) */
} audit_result;

/*
** Verify `chain` of st: seqs run 1, 2, ... without a gap; each record's prev_hash is the hash of
** the one before (for seq 1, genesis: the agreement's hash); each hash is canon_chain_hash of
** the record. When receipt is not NULL, the chain must also contain a record with that hash.
** Returns 0 when the check ran (see out->ok), or an error if the store could not be read.
*/
int audit_verify(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], const uint8_t *receipt,
                 audit_result *out /* OUT */, pactum_error *err);

#endif
