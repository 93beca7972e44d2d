/*
** record.h: the agreement's record: the store (store.h) seen through the agreement. Opening a
** record checks that the store belongs to this agreement and folds its events into a
** timeline and a keyring; adding events validates each one (type, fields, date order,
** transition guard, signatures, who may record it) before anything is written, and writes a
** batch all or nothing.
*/
#ifndef PACTUM_RECORD_H
#define PACTUM_RECORD_H

#include "agreement.h"
#include "sign.h"
#include "store.h"

typedef struct record {
  const pactum_agreement *agr; /* borrowed */
  store *st;
  pactum_timeline *tl;         /* the agreement's events, folded */
  keyring *kr;                 /* keys registered so far */
  uint8_t agr_hash[HASH_BYTES];
  int require_signatures;
  int has_bootstrap;
  uint8_t bootstrap_pk[SIGN_PK_BYTES];
  int64_t head_seq;            /* the last record folded */
  char head_hex[HASH_HEX];     /* its hash as stored, decoded into head_hash after a scan */
  uint8_t head_hash[HASH_BYTES];
  int32_t last_day;            /* the date of the last event, any type */
  int64_t nkeys;               /* key_registered records folded */
  int stale;                   /* a refused batch may have left its keys or date in kr and last_day:
                                  the next record_add folds the store again first */
} record;

/* How to create a store that does not exist yet; ignored for an existing one. */
typedef struct record_init {
  int require_signatures;
  const uint8_t *bootstrap_pk; /* SIGN_PK_BYTES, or NULL */
} record_init;

/*
** Open the record at path for agr. With `create`, a missing store is created with init's
** settings; otherwise it must exist. Refuses a store that belongs to another agreement
** ("wrong_agreement"). Folds every stored event. On failure *out is NULL.
*/
int record_open(const pactum_agreement *agr, const char *path, int create, const record_init *init,
                record **out /* OUT */, pactum_error *err);
void record_free(record *r);

/*
** Add a batch of events (JSON texts), each signed first by every key in signers. Under the
** store's write lock: catch up with records others appended, validate every event in order,
** then write them all, or none. On a refusal *bad is the 0-based index of the event refused
** and *err says why; nothing is written. On success *first and *last are the new seqs.
*/
int record_add(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
               int nsigners, size_t *bad /* OUT */, int64_t *first /* OUT */, int64_t *last /* OUT */,
               pactum_error *err);

#endif
