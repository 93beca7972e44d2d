/*
** unit.h: helpers shared by pactum's cmocka unit tests (tests/unit/test_*.c).
*/
#ifndef PACTUM_UNIT_H
#define PACTUM_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pactum.h"

/* Load src (NUL-terminated) and fail the test, printing the diagnostics, if it is rejected. */
static inline pactum_agreement *unit_load_ok(const char *src) {
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  int rc = pactum_agreement_load_buffer("t.pact", src, strlen(src), &agr, &diag);
  if (rc != PACTUM_OK || !agr) {
    print_error("unexpected load failure (rc %d):\n%s\n", rc, diag ? diag : "(no diagnostics)");
    pactum_string_free(diag);
    fail();
  }
  assert_null(diag);
  return agr;
}

/* Load src, which must be rejected with PACTUM_EINPUT; returns the diagnostics (caller frees). */
__attribute__((noinline, unused)) static char *unit_load_err(const char *src) {
  pactum_agreement *agr = (pactum_agreement *)1;
  char *diag = NULL;
  int rc = pactum_agreement_load_buffer("t.pact", src, strlen(src), &agr, &diag);
  if (rc == PACTUM_OK) pactum_agreement_free(agr);
  assert_int_equal(rc, PACTUM_EINPUT);
  assert_null(agr);
  assert_non_null(diag);
  return diag;
}

/* The first line of s (without its newline) in out[cap]. */
static inline const char *unit_first_line(const char *s, char *out, size_t cap) {
  size_t n = strcspn(s, "\n");
  if (n >= cap) n = cap - 1;
  memcpy(out, s, n);
  out[n] = '\0';
  return out;
}

/* Number of non-overlapping occurrences of needle in hay. */
__attribute__((noinline, unused)) static int unit_count(const char *hay, const char *needle) {
  int n = 0;
  size_t k = strlen(needle), off = 0;
  const char *p;
  while ((p = strstr(hay + off, needle)) != NULL) {
    n++;
    off = (size_t)(p - hay) + k;
  }
  return n;
}

/* Assert that loading src fails and that the first diagnostic line is exactly `line`. */
#define assert_first_error(src, line)                                    \
  do {                                                                   \
    char *d_ = unit_load_err(src);                                       \
    char l_[1024];                                                       \
    unit_first_line(d_, l_, sizeof l_);                                  \
    if (strcmp(l_, (line)) != 0) print_error("full diagnostics:\n%s", d_); \
    pactum_string_free(d_);                                              \
    assert_string_equal(l_, (line));                                     \
  } while (0)

#endif
