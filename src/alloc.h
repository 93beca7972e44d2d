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
/*
** Room for one more element in an array p of *cap elements of elem bytes, n of them in use.
** When n < *cap, returns p as it is. Otherwise the capacity doubles (to `first` when it was 0)
** and the moved array is returned, *cap updated. NULL when memory runs out or the size would
** overflow: p is then untouched and still owned by the caller, and *cap unchanged.
*/
void *px_grow(void *p, int n, int *cap, size_t elem, int first);
void px_free(void *p);
char *px_strdup(const char *s);

/*
** Route jansson's allocations through px_malloc/px_free as well. jansson's allocator is global
** to the process, so the library never sets it: the pactum binary and the tests call this
** first thing, and a program linking libpactum keeps whatever allocator it chose. Mixing is
** safe either way: px_free is free(), so memory jansson took from malloc() may be freed here.
*/
void px_alloc_init(void);

/*
** yajl is deliberately left on libc's malloc: yajl 2.1 does not check its own allocations
** (yajl_alloc writes through the handle it just allocated without testing it for NULL, and its
** buffers and stacks grow the same way), so a failure injected there crashes inside yajl.
** pactum's one yajl handle (flat_decode in events.c) is a fast path with a jansson fallback.
*/

/* Make the calling thread's Nth allocation from now (1-based) and every later one fail; 0 turns it
   off. Other threads are not affected. */
void px_alloc_fail_after(long n);
/*
** How many allocations have failed since the process started, injected or real. A caller
** whose library call failed without saying why (jansson's parser reports a failed allocation
** as a syntax error) compares this before and after to tell running out of memory from bad
** input. With several threads, another thread's failure can be counted too.
*/
long px_alloc_failures(void);
/* Allocations the calling thread attempted since its counter was last reset. */
long px_alloc_count(void);
void px_alloc_reset_count(void);

#endif
