/*
** digest.h: SHA-256 for the record's hashes: the hash chain, the Merkle tree and the agreement
** hash. OpenSSL's libcrypto computes it, with the CPU's SHA instructions where there are any
** (libsodium's SHA-256, which pactum uses for everything else, has none): about three times as
** fast on the short inputs of the record, which every fold and audit hashes. Should libcrypto
** fail (it allocates its contexts), libsodium computes the same hash instead.
*/
#ifndef PACTUM_DIGEST_H
#define PACTUM_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_BYTES 32

/* SHA-256 of the concatenation of parts[0..n) (lens[i] bytes each; n at most 8) into out. */
void digest_sha256_parts(const void *const *parts, const size_t *lens, int n, uint8_t out[DIGEST_BYTES] /* OUT */);
/* SHA-256 of data[0..len). */
void digest_sha256(const void *data, size_t len, uint8_t out[DIGEST_BYTES] /* OUT */);

#endif
