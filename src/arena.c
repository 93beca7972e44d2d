/*
** arena.c: the bump allocator behind every compiled agreement (see arena.h).
*/
#include "arena.h"
#include "alloc.h"

#include <stdint.h>
#include <string.h>
#include "banned.h"

struct arena_chunk {
  arena_chunk *next;
  size_t cap, off;
  _Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK 65536

void arena_init(arena *a) {
  a->head = NULL;
  a->used = 0;
}

void arena_release(arena *a) {
  arena_chunk *c = a->head;
  while (c) {
    arena_chunk *next = c->next;
    px_free(c);
    c = next;
  }
  arena_init(a);
}

void *arena_alloc(arena *a, size_t n) {
  if (n > SIZE_MAX - sizeof(arena_chunk) - 15u) return NULL;
  n = (n + 15u) & ~(size_t)15u;
  if (n == 0) n = 16;
  arena_chunk *c = a->head;
  if (!c || c->cap - c->off < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    if (cap > SIZE_MAX - sizeof(arena_chunk)) return NULL;
    c = px_malloc(sizeof(arena_chunk) + cap);
    if (!c) return NULL;
    c->cap = cap;
    c->off = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->off;
  c->off += n;
  a->used += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (!p) return NULL;
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
