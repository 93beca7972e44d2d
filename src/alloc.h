/*
** alloc.h: the one allocation hook every pactum module goes through.
**
** px_malloc and friends behave like their libc namesakes. Tests install a failing
** allocator with px_alloc_fail_after to prove that every allocation failure ends in a
** clean error.
*/
#ifndef PACTUM_ALLOC_H
#define PACTUM_ALLOC_H

#include <stddef.h>

void *px_malloc(size_t n);
void *px_calloc(size_t n, size_t size);
void *px_realloc(void *p, size_t n);
void px_free(void *p);
char *px_strdup(const char *s);

/* Make the Nth allocation from now (1-based) and every later one fail; 0 turns it off. */
void px_alloc_fail_after(long n);
/* Allocations attempted since the counter was last reset. */
long px_alloc_count(void);
void px_alloc_reset_count(void);

#endif
