/*
** record.h: the agreement's record: the store (store.h) seen through the agreement.
**
** The chain is the only source of truth. Its first record, `store_created`, binds the store to
** the agreement (by its hash) and holds the store's settings: whether every event must be
** signed, and the bootstrap keys that administer it (k of n). Changing a setting later is a
** `settings_changed` record signed by the bootstrap quorum; keys come and go by `key_registered`
** and `key_revoked` records. Opening a record folds the whole chain, checking every hash link,
** every Merkle node and every rule on the way, into a timeline, a keyring and the set of nonces
** seen; a stored record that fails any check stops the fold with `store_corrupt`, naming its seq.
** Adding events validates each one (signatures, replay, who may record it, type, fields, date
** order, guards) before anything is written, and writes a batch all or nothing.
*/
#ifndef PACTUM_RECORD_H
#define PACTUM_RECORD_H

#include "agreement.h"
#include "nonces.h"
#include "sign.h"
#include "store.h"

/* The settings a store's chain holds. */
typedef struct record_settings {
  int require_signatures;
  sign_bootstrap boot; /* boot.n == 0: none */
} record_settings;

/* Everything a batch may change, to put back when the batch is refused. */
typedef struct record_mark {
  size_t tl_n, kr, seen;
  store_tip tip;
  int32_t last_day;
  record_settings set;
  int have_settings;
  int64_t nkeys;
} record_mark;

typedef struct record {
  const pactum_agreement *agr; /* borrowed */
  store *st;
  pactum_timeline *tl;         /* the agreement's events, folded */
  keyring *kr;                 /* keys registered so far */
  nonces *seen;                /* nonces recorded so far */
  uint8_t agr_hash[HASH_BYTES];
  sign_scope scope;            /* what signatures in this store are bound to */
  record_settings set;         /* as of the last record folded */
  int have_settings;           /* the chain's settings record has been folded */
  int64_t settings_seq;        /* that record: 1 (store_created), or store_upgraded's seq in a store of schema 2 */
  store_tip tip;               /* the last record folded: its seq, hash and Merkle frontier */
  char tip_hex[HASH_HEX];      /* tip.hash in hex, when tip_hex_ok */
  char next_hex[HASH_HEX];
  int tip_hex_ok;
  int32_t last_day;            /* the date of the last dated record */
  int64_t data_version;        /* the store's data version when last folded */
  int64_t nkeys;               /* key records folded */
  int stale;                   /* a refused batch could not be undone in memory: fold everything again */
  int tree_checked;            /* RECORD_CHECK_TREE: the fold recomputes every Merkle node */
  record_mark batch;           /* where the open write transaction began (record_begin) */
} record;

/* How to create a store that does not exist yet; ignored for an existing one. */
typedef struct record_init {
  int require_signatures;
  int nbootstrap;                             /* 0: no bootstrap keys */
  const uint8_t (*bootstrap)[SIGN_PK_BYTES];  /* nbootstrap keys */
  int threshold;                              /* how many of them must sign; 0 means 1 */
} record_init;

/*
** Who adds a batch, besides what its signatures say. The CLI passes NULL: it has the store file
** in hand, so it is bound by signatures alone. A server passes the signers it authenticated by
** their bearer tokens (the caller, or the voters of a proposal): they are written into each
** agreement event as its "recorded_by", and the fold then holds them to the event type's
** recorders (a body needs its quorum of distinct members) in every store.
*/
typedef struct record_caller {
  const char *const *names;
  int nnames;
  int keep_recorded_by; /* event import: take each event's "recorded_by" as it was exported */
} record_caller;

/*
** Open the record at path for agr. With `create`, a missing store is created with init's
** settings; otherwise it must exist. Refuses a store that belongs to another agreement
** ("wrong_agreement"). A store of schema 2 gets a `store_upgraded` record committing the
** settings it kept outside its chain. Folds every stored record. On failure *out is NULL.
*/
int record_open(const pactum_agreement *agr, const char *path, int create, const record_init *init,
                record **out /* OUT */, pactum_error *err);
void record_free(record *r);

/*
** The same, with flags. RECORD_CHECK_TREE: the fold also recomputes the Merkle tree from the
** chain and checks every stored node against it, so tip.tree is the chain's own (what a party
** signs in a checkpoint). Without it, the fold checks every hash link and every rule, and reads
** the tree's frontier from the stored nodes (audit verify checks those).
*/
#define RECORD_CHECK_TREE 1u
int record_open_ex(const pactum_agreement *agr, const char *path, int create, const record_init *init, unsigned flags,
                   record **out /* OUT */, pactum_error *err);

/*
** Add a batch of events (JSON texts), each signed first by every key in signers. Under the
** store's write lock: catch up with records others appended, validate every event in order,
** then write them all, or none. On a refusal *bad is the 0-based index of the event refused
** and *err says why; nothing is written, and the record is as it was (undone in time
** proportional to the batch). On success *first and *last are the new seqs.
*/
int record_add(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
               int nsigners, const record_caller *caller, size_t *bad /* OUT */, int64_t *first /* OUT */,
               int64_t *last /* OUT */, pactum_error *err);

/*
** The same in steps, for callers that do more inside the one write transaction (a vote is kept
** or an event recorded, atomically): record_begin takes the write lock and catches up;
** record_append validates and writes a batch (on a refusal the caller must end with commit = 0);
** record_end commits, or rolls back and undoes in memory everything since record_begin.
*/
int record_begin(record *r, pactum_error *err);
int record_append(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
                  int nsigners, const record_caller *caller, size_t *bad /* OUT */, int64_t *first /* OUT */,
                  int64_t *last /* OUT */, pactum_error *err);
int record_end(record *r, int commit, pactum_error *err);

/*
** Would event text be accepted now, from caller (see record_caller), if the recorders' rule
** were satisfied? Every other check runs (signatures, replay, type, fields, date, guards) and
** nothing changes. On success *signers (may be NULL) holds who the event's signatures and the
** caller already make: a proposal counts them toward the quorum.
*/
int record_check(record *r, const char *text, size_t len, const record_caller *caller,
                 signer_set *signers /* OUT */, pactum_error *err);

/*
** Fold what other connections appended since the last fold, checking it as at open. *changed
** (may be NULL) says whether anything new was folded. Cheap when nothing changed: one look at
** the store's data version.
*/
int record_refresh(record *r, int *changed /* OUT */, pactum_error *err);

/* The store's id as the chain holds it (32 hex digits); "" before the settings record. */
const char *record_store_id(const record *r);

/* 1 if type names a record-level event: store_created, store_upgraded, settings_changed, key_registered, key_revoked. */
int record_type_is_own(const char *type, size_t len);

#endif
