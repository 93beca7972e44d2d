/*
** tlog.h: the record as a transparency log (RFC 9162). Over each chain of the store runs a
** Merkle tree (store.h); here are its tree heads, inclusion and consistency proofs, and
** checkpoints: a tree head signed by a party, so that a log cut short or rewritten is caught
** by anyone who holds a later checkpoint. The formats are in docs/store.md; tools/verify_proof.py
** checks proofs and checkpoints without pactum.
*/
#ifndef PACTUM_TLOG_H
#define PACTUM_TLOG_H

#include "sign.h"
#include "store.h"

#include <jansson.h>

/* The most hashes a proof holds: two per level of a tree of 2^63 leaves. */
#define TLOG_MAX_PATH 128

/* Who a store is: its id and the agreement it was made for, read from its settings record. */
typedef struct tlog_origin {
  char store[SIGN_STORE_HEX];
  uint8_t agreement[HASH_BYTES];
} tlog_origin;

/* Read st's origin from its chain's settings record (no agreement needed). */
int tlog_origin_read(store *st, tlog_origin *out /* OUT */, pactum_error *err);

/* The root of chain's tree over its first size records (size <= its length; 0: SHA-256 of ""). */
int tlog_root(store *st, store_chain chain, int64_t size, uint8_t root[HASH_BYTES] /* OUT */, pactum_error *err);

/*
** A new JSON object (the caller's): the inclusion proof of record seq in the tree of size, with
** the record itself (seq, prev_hash, hash, json) and the root:
**   {"proof":"inclusion","chain":C,"seq":S,"size":N,"root":HEX,"record":{...},"path":[HEX...]}
** size 0 means the chain's current length.
*/
int tlog_prove(store *st, store_chain chain, int64_t seq, int64_t size, json_t **out /* OUT */, pactum_error *err);

/*
** A new JSON object: the consistency proof between the trees of sizes from and to (0: current):
**   {"proof":"consistency","chain":C,"from":{"size":M,"root":HEX},"to":{"size":N,"root":HEX},"path":[...]}
*/
int tlog_consistency(store *st, store_chain chain, int64_t from, int64_t to, json_t **out /* OUT */,
                     pactum_error *err);

/*
** A new, unsigned checkpoint of chain at size (0: current):
**   {"origin":"pactum:STORE","agreement":HEX,"chain":C,"size":N,"root":HEX,"head":HEX}
** head is the chain hash of record size (the agreement hash when size is 0).
*/
int tlog_checkpoint(store *st, const tlog_origin *o, store_chain chain, int64_t size, json_t **out /* OUT */,
                    pactum_error *err);

/* What a checkpoint says about a store. */
typedef struct tlog_check {
  int ok;                /* the store holds the checkpoint's tree: same origin, and its prefix of that size */
  int64_t size, current; /* the checkpoint's size, and the chain's length now */
  char reason[320];      /* when !ok: how the log differs (cut, rewritten, another store) */
} tlog_check;

/*
** Parse checkpoint cp (its shape, the chain it names) and compare it with st: the origin and
** agreement must be st's, its size no more than the chain's length, and the root and head at
** that size those it names. Returns 0 when the comparison ran (see out->ok); PACTUM_EINPUT if
** cp is not a checkpoint. Signatures are not checked here: see sign_verify_checkpoint.
*/
int tlog_check_checkpoint(store *st, const tlog_origin *o, const json_t *cp, tlog_check *out /* OUT */,
                          pactum_error *err);

/* The chain a checkpoint or proof names ("events" or "decisions"); -1 if neither. */
int tlog_chain_of(const json_t *obj);

#endif
