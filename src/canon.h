/*
** canon.h: canonical JSON and the hashes of the record.
**
** The canonical form of a JSON value is what jansson writes with JSON_COMPACT,
** JSON_SORT_KEYS and JSON_ENSURE_ASCII: no white space, object keys in byte order, strings
** escaped with \" \\ \b \f \n \r \t and \uXXXX for other control and all non-ASCII
** characters, integers in decimal. Reals are not allowed in pactum's JSON.
*/
#ifndef PACTUM_CANON_H
#define PACTUM_CANON_H

#include "pactum.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HASH_BYTES 32
#define HASH_HEX (2 * HASH_BYTES + 1)

/* The canonical text of v, allocated by jansson (free with px_free()); NULL if v holds a real or memory ran out. */
/* Whether v holds a real (or is nested too deeply to tell), which canonical JSON refuses. */
int canon_has_real(const json_t *v);
char *canon_json(const json_t *v, size_t *len /* OUT */);
/*
** The canonical text of object v without its "signatures" and "recorded_by" members: the part of
** an event (or a checkpoint) that signatures sign, after their domain prefix (sign.h).
*/
char *canon_signed_part(const json_t *v, size_t *len /* OUT */);

/* SHA-256 over the 8-byte big-endian seq, the 32-byte prev hash and the canonical JSON. */
void canon_chain_hash(int64_t seq, const uint8_t prev[HASH_BYTES], const char *json, size_t len,
                      uint8_t out[HASH_BYTES] /* OUT */);
/* SHA-256 of an agreement's canonical source: the bytes, less a UTF-8 BOM, with CRLF as LF. */
void canon_agreement_hash(const char *src, size_t len, uint8_t out[HASH_BYTES] /* OUT */);

void canon_hex(const uint8_t *bin, size_t n, char *out /* OUT: 2n+1 bytes */);
/* Parse 2*n hex digits into bin; -1 if s is not exactly that. */
int canon_unhex(const char *s, uint8_t *bin /* OUT */, size_t n);

#endif
