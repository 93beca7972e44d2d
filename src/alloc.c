/*
** alloc.c: the allocation hook (see alloc.h).
*/
#include "alloc.h"

#include <limits.h>
#include <stdint.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* banned.h makes malloc() and its kin compile errors everywhere else; the parenthesised names
   below are the libc functions themselves, not the banned macros. */

/* The count and the injected failure are each thread's own: a test counts the allocations of the
   code it calls, and a server's other threads neither race on the counter nor see the failure. */
static _Thread_local long fail_after; /* 0: never fail */
static _Thread_local long count;
static _Atomic long failures; /* allocations refused, injected or real */

static int should_fail(void) {
  count++;
  return fail_after > 0 && count >= fail_after;
}

static void *counted(void *p) {
  if (!p) failures++;
  return p;
}

void px_alloc_fail_after(long n) {
  fail_after = n > 0 ? n : 0;
  count = 0;
}
long px_alloc_count(void) { return count; }
void px_alloc_reset_count(void) { count = 0; }

void *px_malloc(size_t n) { return counted(should_fail() ? NULL : (malloc)(n ? n : 1)); }
void *px_calloc(size_t n, size_t size) {
  return counted(should_fail() ? NULL : (calloc)(n ? n : 1, size ? size : 1));
}
void *px_realloc(void *p, size_t n) { return counted(should_fail() ? NULL : (realloc)(p, n ? n : 1)); }
long px_alloc_failures(void) { return failures; }
void px_free(void *p) { (free)(p); }

void px_alloc_init(void) { json_set_alloc_funcs(px_malloc, px_free); }
char *px_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = px_malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

void *px_grow(void *p, int n, int *cap, size_t elem, int first) {
  if (n < *cap) return p;
  if (*cap > INT_MAX / 2) return NULL;
  int ncap = *cap ? *cap * 2 : first;
  if ((size_t)ncap > SIZE_MAX / elem) return NULL;
  void *q = px_realloc(p, elem * (size_t)ncap);
  if (q) *cap = ncap;
  return q;
}
