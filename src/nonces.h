/*
** nonces.h: the nonces a record has seen, so that a signed event is recorded at most once.
**
** A set of strings kept as 128-bit digests (BLAKE2b, libsodium) in an open-addressed table:
** about 32 bytes a nonce. Insertions since a mark can be undone (a refused batch), in time
** proportional to them. Owned by the caller; not thread-safe.
*/
#ifndef PACTUM_NONCES_H
#define PACTUM_NONCES_H

#include <stddef.h>

typedef struct nonces nonces;

nonces *nonces_new(void);
void nonces_free(nonces *ns);
/* Add s[0..n): 0 when it was new, 1 when it was already there (nothing changes), -1 out of memory. */
int nonces_add(nonces *ns, const char *s, size_t n);
/* 1 if s[0..n) is in the set. */
int nonces_has(const nonces *ns, const char *s, size_t n);
/* The number of nonces held. */
size_t nonces_count(const nonces *ns);
/* An undo point; nonces_undo removes what was added since; nonces_settle forgets the undo log. */
size_t nonces_mark(const nonces *ns);
void nonces_undo(nonces *ns, size_t mark);
void nonces_settle(nonces *ns);

#endif
