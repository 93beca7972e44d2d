/*
** alloc.c: the allocation hook (see alloc.h).
*/
#include "alloc.h"

#include <stdlib.h>
#include <string.h>
#include "banned.h"

static long fail_after; /* 0: never fail */
static long count;

static int should_fail(void) {
  count++;
  return fail_after > 0 && count >= fail_after;
}

void px_alloc_fail_after(long n) {
  fail_after = n > 0 ? n : 0;
  count = 0;
}
long px_alloc_count(void) { return count; }
void px_alloc_reset_count(void) { count = 0; }

void *px_malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }
void *px_calloc(size_t n, size_t size) {
  return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}
void *px_realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }
void px_free(void *p) { free(p); }
char *px_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = px_malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}
