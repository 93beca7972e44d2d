/*
** sign.h: who may record what. Ed25519 keys (libsodium), signatures on events, the keyring
** built from key_registered events, and the authorisation rule of the agreement's
** `recorded by` clauses (a party, or a body acting by a quorum of distinct members).
**
** A signer is named by a string: a party id ("vendor"), or a body member as
** "BODY.MEMBER" ("panel.expert_1").
**
** Signatures travel inside the event object, as
**   "signatures":[{"signer":S,"public_key":B64,"signature":B64}, ...]
** and sign the canonical JSON (canon.h) of the event object with "signatures" removed, so a
** signature copied onto an altered event no longer verifies.
*/
#ifndef PACTUM_SIGN_H
#define PACTUM_SIGN_H

#include "agreement.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define SIGN_PK_BYTES 32
#define SIGN_SK_BYTES 64
#define SIGN_MAX_SIGNER 128

/* A keypair as read from a key file. */
typedef struct sign_key {
  char signer[SIGN_MAX_SIGNER];
  uint8_t pk[SIGN_PK_BYTES];
  uint8_t sk[SIGN_SK_BYTES]; /* all zero for a public-only key */
  int has_secret;
} sign_key;

/* 0 once libsodium is ready (safe to call many times), -1 if it cannot start. */
int sign_init(void);

/*
** A new keypair for `signer`. Writes DIR/NAME.key (secret, mode 0600) and DIR/NAME.pub, where
** NAME is the signer with '.' kept; both are one JSON object:
**   {"signer":S,"public_key":B64}                      (.pub)
**   {"signer":S,"public_key":B64,"secret_key":B64}     (.key)
** Refuses to overwrite an existing file. On success *out (may be NULL) receives the key.
*/
int sign_keygen(const char *signer, const char *dir, sign_key *out /* OUT */, pactum_error *err);
/* Read a .key or .pub file. */
int sign_key_load(const char *path, sign_key *out /* OUT */, pactum_error *err);

/* Standard base64 with padding (libsodium's sodium_bin2base64 variant ORIGINAL). */
int sign_b64_encode(const uint8_t *bin, size_t n, char *out /* OUT */, size_t cap);
int sign_b64_decode(const char *b64, uint8_t *out /* OUT */, size_t cap, size_t *n /* OUT */);

/* ---- What a signature is bound to --------------------------------------------------- */

#define SIGN_STORE_HEX 33 /* a store's id: 32 lowercase hex digits and a NUL */
#define SIGN_MAX_BOOT 16  /* bootstrap keys of one store */
#define SIGN_NONCE_MIN 16
#define SIGN_NONCE_MAX 64

/*
** A signature on an event is bound to the agreement and to the store it is recorded in, so it
** cannot be recorded in another store, or under another agreement. It signs
**   "pactum/event/v2\n" HEX(agreement hash) "\n" STORE-ID "\n" CANONICAL(event)
** where CANONICAL is the canonical JSON of the event without its "signatures" and "recorded_by"
** members. Records of a schema-2 store, made before signatures were bound, signed the canonical
** JSON alone: `legacy` verifies those.
*/
typedef struct sign_scope {
  uint8_t agreement[32];
  char store[SIGN_STORE_HEX];
  int legacy;
} sign_scope;

/* The keys that administer a store: `threshold` of the `n` must sign together. */
typedef struct sign_bootstrap {
  int n, threshold;
  uint8_t keys[SIGN_MAX_BOOT][SIGN_PK_BYTES];
} sign_bootstrap;

/*
** The bytes a signature on event signs in scope sc: a new buffer (free with px_free), or NULL
** with *rc and err set (the event holds a real or nests too deeply: bad_json; out of memory).
*/
char *sign_message(const sign_scope *sc, const json_t *event, size_t *len /* OUT */, int *rc /* OUT */,
                   pactum_error *err);

/* 1 if s[0..n) is a well-formed nonce: SIGN_NONCE_MIN..SIGN_NONCE_MAX of [A-Za-z0-9_-]. */
int sign_nonce_ok(const char *s, size_t n);
/* A fresh random nonce: 32 lowercase hex digits and a NUL. */
void sign_nonce_new(char out[33] /* OUT */);

/*
** Add k's signature to event (a JSON object) for scope sc, appending to its "signatures". An
** event without a "nonce" gets a fresh one first, so that co-signers of the same event must be
** handed the event as signed (with its nonce), and a signed event cannot be recorded twice.
*/
int sign_event(json_t *event, const sign_scope *sc, const sign_key *k, pactum_error *err);

/* ---- The keyring --------------------------------------------------------------------- */

/*
** The keys registered in a store, in the order they were registered, with their revocations.
** Changes since a mark can be undone (a refused batch), in time proportional to the changes.
** Owned by the caller.
*/
typedef struct keyring keyring;
keyring *keyring_new(void);
void keyring_free(keyring *kr);
int keyring_add(keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES], int64_t seq);
/* Revoke pk (which must be registered and active) as of record seq. */
int keyring_revoke(keyring *kr, const uint8_t pk[SIGN_PK_BYTES], int64_t seq);
/* 1 if pk is an active (registered, not revoked) key of signer. */
int keyring_has(const keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]);
/* 1 if signer has an active key. */
int keyring_active(const keyring *kr, const char *signer);
/* The signer pk was ever registered to (revoked or not), or NULL; *revoked_at the seq of its revocation, 0 if none. */
const char *keyring_owner(const keyring *kr, const uint8_t pk[SIGN_PK_BYTES], int64_t *revoked_at /* OUT */);
/* The number of keys registered (revoked ones included). */
size_t keyring_count(const keyring *kr);
/* An undo point, and going back to it; keyring_settle forgets the undo log (after a commit). */
size_t keyring_mark(const keyring *kr);
void keyring_undo(keyring *kr, size_t mark);
void keyring_settle(keyring *kr);

/* ---- Verifying ------------------------------------------------------------------------ */

/* The signers whose signatures on an event verified, distinct. */
typedef struct signer_set {
  int n;
  char names[16][SIGN_MAX_SIGNER];
} signer_set;

/* Add name to s unless it is there; -1 if s is full. */
int signer_set_add(signer_set *s, const char *name);

/* What an event's signatures showed. */
typedef struct sign_check {
  signer_set signers; /* distinct signers whose active registered keys signed */
  int nboot;          /* distinct bootstrap keys that signed */
  int pop;            /* the key being registered signed too (proof of possession) */
  int nsigs;          /* signature objects on the event */
} sign_check;

/*
** Verify every signature on event for scope sc: each must be well formed, valid, and by an
** active key registered to the signer it names, by a bootstrap key (when boot is given), or by
** the key being registered (new_pk for new_signer, when given). One bad signature refuses the
** whole event ("bad_signature", "unknown_key", "revoked_key", "too_many_signatures").
*/
int sign_verify_event(const json_t *event, const sign_scope *sc, const keyring *kr, const sign_bootstrap *boot,
                      const uint8_t *new_pk, const char *new_signer, sign_check *out /* OUT */, pactum_error *err);

/*
** May `who` record an event of type ev? They must include an allowed party, or a quorum of
** distinct members of an allowed body (for an event type without `recorded by`: any party).
** who holds verified signers and the signers a server authenticated by token, merged. Refusals:
** "not_allowed" (naming who may) or "no_quorum" (how many members and how many are needed).
*/
int sign_authorize(const pactum_agreement *agr, int ev, const signer_set *who, pactum_error *err);
/* "'resolution' is recorded by 2 of the 3 members of 'board'" style phrase of who may record ev. */
void sign_who_records(const pactum_agreement *agr, int ev, char *out /* OUT */, size_t cap);
/* 1 if name is a party of agr, or BODY.MEMBER of one of its bodies. */
int sign_signer_known(const pactum_agreement *agr, const char *name);
/* The body a "BODY.MEMBER" name belongs to (with *member), or -1. */
int sign_signer_body(const pactum_agreement *agr, const char *name, int *member /* OUT */);

/*
** A key_registered event {"type":"key_registered","date":D,"signer":S,"public_key":B64,"nonce":N,
** "signatures":[...]}: S must be a party or BODY.MEMBER of agr; the new key must sign its own
** registration (not for legacy records); and the event must be signed by an active key of S,
** or, when S has none, by `threshold` of the bootstrap keys. On success the key is added to kr
** as of record seq.
*/
int sign_register_key(const pactum_agreement *agr, const json_t *event, const sign_scope *sc, keyring *kr,
                      const sign_bootstrap *boot, int64_t seq, pactum_error *err);
/*
** A key_revoked event {"type":"key_revoked","date":D,"signer":S,"public_key":B64,"nonce":N,
** "signatures":[...]}: the key must be an active key of S; the event must be signed by an active
** key of S (the revoked one included) or by `threshold` of the bootstrap keys.
*/
int sign_revoke_key(const pactum_agreement *agr, const json_t *event, const sign_scope *sc, keyring *kr,
                    const sign_bootstrap *boot, int64_t seq, pactum_error *err);

/* ---- Checkpoints ---------------------------------------------------------------------- */

/*
** A checkpoint is a JSON object naming a chain's tree head; its signatures sign
**   "pactum/checkpoint/v1\n" CANONICAL(checkpoint without "signatures").
** sign_checkpoint appends k's signature; sign_verify_checkpoint checks every signature on it:
** each must be valid, and by an active key of its signer in kr or by one of the `ntrusted`
** trusted keys (its signer then is the name the key file gives). *out lists the signers.
*/
int sign_checkpoint(json_t *cp, const sign_key *k, pactum_error *err);
int sign_verify_checkpoint(const json_t *cp, const keyring *kr, const sign_key *trusted, int ntrusted,
                           signer_set *out /* OUT */, pactum_error *err);

#endif
