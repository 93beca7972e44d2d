/*
** fuzz_support.c: the helpers of fuzz.h shared by every harness.
*/
#include "fuzz.h"
#include "alloc.h"

#include <jansson.h>
#include <string.h>
#include "banned.h"

extern const unsigned char fuzz_agreement_shipped[];
extern const size_t fuzz_agreement_shipped_len;
extern const unsigned char fuzz_agreement_reseller[];
extern const size_t fuzz_agreement_reseller_len;

const pactum_agreement *fuzz_agreement(int which) {
  static pactum_agreement *loaded[FUZZ_NAGREEMENTS];
  which = which < 0 ? 0 : which % FUZZ_NAGREEMENTS;
  if (!loaded[which]) {
    const char *src = (const char *)(which ? fuzz_agreement_reseller : fuzz_agreement_shipped);
    size_t len = which ? fuzz_agreement_reseller_len : fuzz_agreement_shipped_len;
    char *diag = NULL;
    if (pactum_agreement_load_buffer(which ? "reseller.pact" : "shipped.pact", src, len, &loaded[which], &diag)) {
      fprintf(stderr, "fuzz: a built-in agreement does not load:\n%s\n", diag ? diag : "(no message)");
      abort();
    }
  }
  return loaded[which];
}

uint8_t fuzz_u8(fuzz_reader *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}

uint32_t fuzz_u32(fuzz_reader *r) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v = (v << 8) | fuzz_u8(r);
  return v;
}

uint64_t fuzz_u64(fuzz_reader *r) {
  uint64_t hi = fuzz_u32(r);
  return (hi << 32) | fuzz_u32(r);
}

uint32_t fuzz_below(fuzz_reader *r, uint32_t n) {
  if (n == 0) return 0;
  uint32_t v = n <= 256 ? fuzz_u8(r) : fuzz_u32(r);
  return v % n;
}

char *fuzz_decision_json(const pactum_decision *dec, size_t *len) {
  char small[16];
  size_t need = pactum_decision_to_json(dec, small, sizeof small);
  char *out = px_malloc(need + 1);
  if (!out) return NULL;
  size_t wrote = pactum_decision_to_json(dec, out, need + 1);
  FUZZ_ASSERT(wrote == need, "decision_to_json wrote %zu bytes after asking for %zu", wrote, need);
  *len = wrote;
  return out;
}

int fuzz_json_valid(const char *s, size_t n) {
  json_error_t je;
  json_t *v = json_loadb(s, n, JSON_DECODE_ANY, &je);
  json_decref(v);
  return v != NULL;
}
