/*
** fuzz.h: what every libFuzzer harness of pactum shares: the agreements built into the
** harness binaries, a reader that turns fuzz bytes into choices, and FUZZ_ASSERT, which
** aborts (so libFuzzer records a crash) when an invariant of pactum does not hold.
**
** Each harness defines LLVMFuzzerTestOneInput. Under clang with PACTUM_FUZZ=ON it links
** libFuzzer; in every other build it links replay.c, whose main() runs the harness over the
** files of the seed corpus and the regressions, so CTest replays them under gcc too.
*/
#ifndef PACTUM_FUZZ_H
#define PACTUM_FUZZ_H

#include "agreement.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken invariant and abort: libFuzzer saves the input as a crash. */
#define FUZZ_ASSERT(cond, ...)                                                         \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "fuzz: invariant failed at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                                    \
      fprintf(stderr, "\n");                                                           \
      abort();                                                                         \
    }                                                                                  \
  } while (0)

/*
** The agreements built into the harnesses: 0 is the shipped agreement, 1 the cloud-reseller
** example. Loaded once and kept for the life of the process; never NULL (aborts if the
** built-in text does not load, which would be a bug of the build, not of the input).
*/
#define FUZZ_NAGREEMENTS 2
const pactum_agreement *fuzz_agreement(int which);

/* Fuzz bytes consumed as choices; reading past the end yields zeros. */
typedef struct fuzz_reader {
  const uint8_t *p;
  size_t n;
} fuzz_reader;
uint8_t fuzz_u8(fuzz_reader *r);
uint32_t fuzz_u32(fuzz_reader *r);
uint64_t fuzz_u64(fuzz_reader *r);
/* A number in [0, n) (0 when n is 0). */
uint32_t fuzz_below(fuzz_reader *r, uint32_t n);

/*
** The decision as JSON (pactum_decision_to_json), malloc'd through px_malloc, its length in
** *len; NULL if memory ran out. Checks that the text written is exactly as long as measured.
*/
char *fuzz_decision_json(const pactum_decision *dec, size_t *len /* OUT */);

/* 1 if the text s[0..n) parses as JSON (any value); used to check what pactum writes. */
int fuzz_json_valid(const char *s, size_t n);

#endif
