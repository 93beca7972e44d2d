/*
** store.h: the durable record, behind a small interface. store.c keeps it in SQLite (WAL,
** synchronous=FULL); a later backend can keep it elsewhere. No SQL leaves the store module.
**
** The record is an append-only hash chain. Record n holds seq n (1, 2, ...), its canonical JSON,
** prev_hash (the hash of record n-1, or for record 1 the hash of the agreement) and
** hash = canon_chain_hash(seq, prev_hash, json). Over the same records runs an RFC 9162 Merkle
** tree: leaf n-1 is SHA-256(0x00 || hash of record n), and the store keeps, beside record n,
** the perfect subtree hashes that complete at that leaf (levels 1 .. ctz(n)), so any node, root
** or proof is O(log n) reads away. A second chain, of decisions, is kept the same way.
**
** Besides the chains the store keeps settings (meta), the votes of pending proposals and the
** cosignatures of checkpoints. Those are working data, not the record: the chains are the only
** source of truth, and every rule is checked against them by record.c.
*/
#ifndef PACTUM_STORE_H
#define PACTUM_STORE_H

#include "canon.h"
#include "merkle.h"
#include "pactum.h"

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 3

typedef struct store store;

typedef enum store_chain { CHAIN_EVENTS = 0, CHAIN_DECISIONS = 1 } store_chain;

/* The chain's name, "events" or "decisions". */
const char *store_chain_name(store_chain chain);

/* One record of a chain as read back: pointers valid during the scan callback only. */
typedef struct store_record {
  int64_t seq;
  const char *json;
  size_t len;
  const char *prev_hex;  /* the stored hashes as text; decode with canon_unhex when needed */
  const char *hash_hex;
  const uint8_t *tree;   /* the stored tree nodes of this leaf, levels 1.. (NULL when none) */
  size_t tree_len;       /* bytes: 32 per level */
} store_record;

/* Where a chain ends: what an append continues from. */
typedef struct store_tip {
  int64_t seq;               /* the last record; 0 for an empty chain */
  uint8_t hash[HASH_BYTES];  /* its hash; the genesis hash for an empty chain */
  merkle_frontier tree;      /* the Merkle tree over records 1..seq */
} store_tip;

/* The tip of an empty chain that starts from genesis (the agreement's hash). */
void store_tip_init(store_tip *tip /* OUT */, const uint8_t genesis[HASH_BYTES]);

/*
** Open (creating when `create` is set and the file does not exist) the store at path.
** Creates or migrates the schema; refuses a schema newer than this pactum's ("store_version").
** On failure *out is NULL and *err says why.
*/
int store_open(const char *path, int create, store **out /* OUT */, pactum_error *err);
void store_close(store *st);
/*
** Limit the page cache of each store opened from now on to about kib KiB (SQLite's PRAGMA
** cache_size = -kib); 0 keeps SQLite's default (2,000 KiB a connection). A server, which holds a
** connection for each of its threads, calls it once before it opens any: it is not thread-safe.
*/
void store_cache_default(int kib);
/* A second, independent connection to the same store, for a reader in another thread. */
int store_open_again(store *st, store **out /* OUT */, pactum_error *err);

/*
** A number that changes whenever another connection (of this process or another) commits to
** the store: cheap enough to ask before every answer (SQLite's PRAGMA data_version).
*/
int store_data_version(store *st, int64_t *version /* OUT */, pactum_error *err);

/* Settings kept outside the chains: "agreement_hash", "agreement", and legacy keys of schema 2. */
int store_meta_get(store *st, const char *key, char **val /* OUT: malloc'd, NULL if unset */, pactum_error *err);
int store_meta_set(store *st, const char *key, const char *val, pactum_error *err);
int store_meta_del(store *st, const char *key, pactum_error *err);

/* A write transaction that holds the store's write lock from begin to commit or rollback. */
int store_begin(store *st, pactum_error *err);
int store_commit(store *st, pactum_error *err);
void store_rollback(store *st);

/* The last record of a chain: seq 0 and *hash untouched when the chain is empty. */
int store_head(store *st, store_chain chain, int64_t *seq /* OUT */, uint8_t hash[HASH_BYTES] /* OUT */,
               pactum_error *err);
/* The largest seq of a chain as stored (0 if empty), whatever its hash. */
int store_max_seq(store *st, store_chain chain, int64_t *seq /* OUT */, pactum_error *err);

/*
** The tip of a chain as stored: its head, and the Merkle frontier read from the stored nodes of
** the perfect subtrees (O(log n) reads). The stored nodes are trusted here; record.c's fold and
** audit.c check them against the records.
*/
int store_tip_load(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], store_tip *tip /* OUT */,
                   pactum_error *err);

/*
** Append json (canonical) to chain after *tip, inside store_begin: seq = tip->seq + 1, prev_hash
** = tip->hash, and the tree nodes completed at the new leaf. On success *tip is the new tip; on
** failure it is unchanged.
*/
int store_append(store *st, store_chain chain, store_tip *tip, const char *json, size_t len, pactum_error *err);

/* Call fn for each record with seq > after, in seq order, until fn returns non-zero. */
typedef int (*store_fn)(void *ctx, const store_record *rec);
int store_scan(store *st, store_chain chain, int64_t after, store_fn fn, void *ctx, pactum_error *err);
/* The same for after < seq <= upto. */
int store_scan_range(store *st, store_chain chain, int64_t after, int64_t upto, store_fn fn, void *ctx,
                     pactum_error *err);

/*
** The Merkle node at `level` covering leaves [index << level, (index + 1) << level) of chain, a
** perfect subtree, as stored (level 0: the leaf hash of record index + 1). A merkle_node_fn
** over a `store_node_ctx`. Missing or malformed: store_corrupt.
*/
typedef struct store_node_ctx {
  store *st;
  store_chain chain;
  pactum_error *err;
} store_node_ctx;
int store_node(void *ctx /* store_node_ctx */, int level, uint64_t index, uint8_t out[MERKLE_HASH] /* OUT */);
/* The frontier of the tree of the first size records, from their stored perfect nodes. */
int store_frontier_load(store_node_ctx *c, int64_t size, merkle_frontier *f /* OUT */);

/* ---- Votes on proposed events (pending; not part of the record) ----------------------- */

/* One vote as read back: pointers valid during the callback only. */
typedef struct store_vote {
  const char *id;        /* the proposal: hex SHA-256 of the proposed event's canonical JSON */
  const char *voter;     /* BODY.MEMBER or a party */
  const char *event;     /* the proposed event, canonical JSON */
  size_t len;
  int64_t voted, expires; /* Unix seconds */
} store_vote;
typedef int (*store_vote_fn)(void *ctx, const store_vote *v);

/* Record voter's vote for proposal id (a repeated vote refreshes its times). Inside store_begin. */
int store_vote_put(store *st, const char *id, const char *voter, const char *event, size_t len, int64_t voted,
                   int64_t expires, pactum_error *err);
/* The votes of voter that have not expired at now. */
int store_vote_count(store *st, const char *voter, int64_t now, int64_t *n /* OUT */, pactum_error *err);
/* Forget every vote that expired at or before now. */
int store_vote_expire(store *st, int64_t now, pactum_error *err);
/* Forget every vote for proposal id. */
int store_vote_drop(store *st, const char *id, pactum_error *err);
/* Call fn for each vote (of proposal id, or of every proposal when id is NULL), by id then time. */
int store_vote_scan(store *st, const char *id, store_vote_fn fn, void *ctx, pactum_error *err);

/* ---- Cosigned checkpoints --------------------------------------------------------------- */

typedef struct store_cosig {
  const char *chain;
  int64_t size;
  const char *root;      /* hex */
  const char *signer;
  const char *json;      /* the checkpoint with this signer's signature */
  size_t len;
} store_cosig;
typedef int (*store_cosig_fn)(void *ctx, const store_cosig *c);

/* Keep signer's signed checkpoint of chain at size (one per signer and size; a repeat replaces it). */
int store_cosig_put(store *st, store_chain chain, int64_t size, const char *root_hex, const char *signer,
                    const char *json, size_t len, pactum_error *err);
/* Call fn for each kept checkpoint of chain, by size then signer. */
int store_cosig_scan(store *st, store_chain chain, store_cosig_fn fn, void *ctx, pactum_error *err);

#endif
