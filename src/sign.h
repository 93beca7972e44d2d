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

/* Add k's signature to event (a JSON object), appending to its "signatures" array. */
int sign_event(json_t *event, const sign_key *k, pactum_error *err);

/* Public keys known to be a signer's, in the order they were registered. Owned by the caller. */
typedef struct keyring keyring;
keyring *keyring_new(void);
void keyring_free(keyring *kr);
int keyring_add(keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]);
/* 1 if pk is registered to signer. */
int keyring_has(const keyring *kr, const char *signer, const uint8_t pk[SIGN_PK_BYTES]);
/* 1 if signer has any key. */
int keyring_known(const keyring *kr, const char *signer);

/* The signers whose signatures on an event verified, distinct. */
typedef struct signer_set {
  int n;
  char names[16][SIGN_MAX_SIGNER];
} signer_set;

/*
** Verify every signature on event against the keyring: each must be well formed, by a key
** registered to its signer, and valid over the event. Any bad one refuses the whole event
** (codes "bad_signature", "unknown_key"). On success *out lists the distinct signers.
*/
int sign_verify_event(const json_t *event, const keyring *kr, signer_set *out /* OUT */, pactum_error *err);

/*
** May these signers record an event of type ev? With require_signatures, or whenever the event
** carries signatures, the verified signers must include an allowed party, or a quorum of
** distinct members of an allowed body. Unsigned events pass only when signatures are not
** required. Refusals use code "not_allowed" (a party the agreement does not allow, naming
** who may) or "no_quorum" (naming how many members signed and how many are needed) or
** "unsigned".
*/
int sign_authorize(const pactum_agreement *agr, int ev, const signer_set *signers, int require_signatures,
                   pactum_error *err);

/*
** A key_registered event {"type":"key_registered","date":D,"signer":S,"public_key":B64,
** "signatures":[...]}: S must be a party or BODY.MEMBER of agr; the event must be signed by a
** key already registered to S, or, when S has none yet, by the bootstrap key (bootstrap_pk,
** NULL when the store has none). On success the key is added to kr.
*/
int sign_register_key(const pactum_agreement *agr, const json_t *event, keyring *kr,
                      const uint8_t *bootstrap_pk, pactum_error *err);

#endif
