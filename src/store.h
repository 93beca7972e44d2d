/*
** store.h: the durable record, behind a small interface. store.c keeps it in SQLite (WAL,
** synchronous=FULL); a later backend can keep it elsewhere. No SQL leaves the store module.
**
** The record is an append-only hash chain of events. Record n holds seq n (1, 2, ...), the
** event's canonical JSON, prev_hash (the hash of record n-1, or for record 1 the hash of the
** agreement) and hash = canon_chain_hash(seq, prev_hash, json). A second chain, of decisions,
** is kept the same way when decision logging is on.
*/
#ifndef PACTUM_STORE_H
#define PACTUM_STORE_H

#include "canon.h"
#include "pactum.h"

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 2

typedef struct store store;

typedef enum store_chain { CHAIN_EVENTS = 0, CHAIN_DECISIONS = 1 } store_chain;

/* One record of a chain as read back: pointers valid during the scan callback only. */
typedef struct store_record {
  int64_t seq;
  const char *json;
  size_t len;
  const char *prev_hex;  /* the stored hashes as text; decode with canon_unhex when needed */
  const char *hash_hex;
} store_record;

/*
** Open (creating when `create` is set and the file does not exist) the store at path.
** Creates or migrates the schema; refuses a schema newer than this pactum's ("store_version").
** On failure *out is NULL and *err says why.
*/
int store_open(const char *path, int create, store **out /* OUT */, pactum_error *err);
void store_close(store *st);

/* Settings of the store: "agreement_hash", "require_signatures", "bootstrap_key". */
int store_meta_get(store *st, const char *key, char **val /* OUT: malloc'd, NULL if unset */, pactum_error *err);
int store_meta_set(store *st, const char *key, const char *val, pactum_error *err);

/* A write transaction that holds the store's write lock from begin to commit or rollback. */
int store_begin(store *st, pactum_error *err);
int store_commit(store *st, pactum_error *err);
void store_rollback(store *st);

/* The last record of a chain: seq 0 and *hash untouched when the chain is empty. */
int store_head(store *st, store_chain chain, int64_t *seq /* OUT */, uint8_t hash[HASH_BYTES] /* OUT */,
               pactum_error *err);

/*
** Append json (canonical) to chain after (head_seq, head_hash), inside store_begin. The caller
** passes the head it last saw so a batch chains in memory; *seq and hash receive the new head.
*/
int store_append(store *st, store_chain chain, int64_t head_seq, const uint8_t head_hash[HASH_BYTES],
                 const char *json, size_t len, int64_t *seq /* OUT */, uint8_t hash[HASH_BYTES] /* OUT */,
                 pactum_error *err);

/* Call fn for each record with seq > after, in seq order, until fn returns non-zero. */
typedef int (*store_fn)(void *ctx, const store_record *rec);
int store_scan(store *st, store_chain chain, int64_t after, store_fn fn, void *ctx, pactum_error *err);
/* The same for after < seq <= upto. */
int store_scan_range(store *st, store_chain chain, int64_t after, int64_t upto, store_fn fn, void *ctx,
                     pactum_error *err);
/* A second, independent connection to the same store, for a reader in another thread. */
int store_open_again(store *st, store **out /* OUT */, pactum_error *err);
/* The largest seq of a chain as stored (0 if empty), whatever its hash. */
int store_max_seq(store *st, store_chain chain, int64_t *seq /* OUT */, pactum_error *err);

#endif
