/*
** arena.h: one bump allocator per compile.
**
** Everything an agreement holds (AST, names, compiled clauses, strings) lives in one arena
** and is released at once with arena_release. Allocation failure returns NULL; callers
** report PACTUM_ENOMEM and unwind.
*/
#ifndef PACTUM_ARENA_H
#define PACTUM_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena {
  arena_chunk *head;
  size_t used; /* total bytes handed out, for `pactum check --stats` and benchmarks */
} arena;

void arena_init(arena *a);
/* Release every chunk; a is empty and reusable afterwards. */
void arena_release(arena *a);
/* Zeroed, 16-byte aligned memory owned by the arena; NULL if out of memory. */
void *arena_alloc(arena *a, size_t n);
/* A NUL-terminated copy of s[0..n) owned by the arena. */
char *arena_strndup(arena *a, const char *s, size_t n);

#endif
