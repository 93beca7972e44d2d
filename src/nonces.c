/*
** nonces.c: a set of nonce digests with undo (see nonces.h).
**
** Linear probing over 16-byte digests. An all-zero slot is empty and a slot of all 0xff bytes
** is a removed one (a tombstone, skipped by lookups); a digest that happens to be either is
** nudged by its last byte, which costs nothing in practice and keeps the two marks free.
*/
#include "nonces.h"
#include "alloc.h"

#include <sodium.h>
#include <string.h>
#include "banned.h"

#define DIGEST 16

typedef struct slot {
  unsigned char d[DIGEST];
} slot;

struct nonces {
  slot *t;
  size_t cap, used, live; /* used counts tombstones too */
  slot *undo;             /* digests added since the last settle, in order */
  size_t nundo, capundo;
};

static const slot EMPTY = {{0}};
static const slot GONE = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static void digest(const char *s, size_t n, slot *out) {
  crypto_generichash(out->d, DIGEST, (const unsigned char *)s, n, NULL, 0);
  if (!memcmp(out, &EMPTY, DIGEST)) out->d[DIGEST - 1] = 1;
  if (!memcmp(out, &GONE, DIGEST)) out->d[DIGEST - 1] = 0xfe;
}

static size_t home(const slot *d, size_t cap) {
  size_t h;
  memcpy(&h, d->d, sizeof h);
  return h & (cap - 1);
}

nonces *nonces_new(void) { return px_calloc(1, sizeof(nonces)); }

void nonces_free(nonces *ns) {
  if (!ns) return;
  px_free(ns->t);
  px_free(ns->undo);
  px_free(ns);
}

/* The slot holding d, or (with for_insert) the first free one on its probe path; NULL if absent. */
static slot *find(const nonces *ns, const slot *d, int for_insert) {
  if (!ns->cap) return NULL;
  slot *free_slot = NULL;
  for (size_t i = home(d, ns->cap), k = 0; k < ns->cap; i = (i + 1) & (ns->cap - 1), k++) {
    slot *s = &ns->t[i];
    if (!memcmp(s, &EMPTY, DIGEST)) return for_insert ? (free_slot ? free_slot : s) : NULL;
    if (!memcmp(s, &GONE, DIGEST)) {
      if (!free_slot) free_slot = s;
      continue;
    }
    if (!memcmp(s, d, DIGEST)) return s;
  }
  return for_insert ? free_slot : NULL;
}

/* Rebuild into a table of cap slots (a power of two), dropping tombstones. */
static int rehash(nonces *ns, size_t cap) {
  slot *t = px_calloc(cap, sizeof *t);
  if (!t) return -1;
  slot *old = ns->t;
  size_t oldcap = ns->cap;
  ns->t = t;
  ns->cap = cap;
  ns->used = ns->live = 0;
  for (size_t i = 0; i < oldcap; i++) {
    if (!memcmp(&old[i], &EMPTY, DIGEST) || !memcmp(&old[i], &GONE, DIGEST)) continue;
    *find(ns, &old[i], 1) = old[i];
    ns->used++;
    ns->live++;
  }
  px_free(old);
  return 0;
}

int nonces_has(const nonces *ns, const char *s, size_t n) {
  slot d;
  digest(s, n, &d);
  slot *at = find(ns, &d, 0);
  return at && !memcmp(at, &d, DIGEST);
}

int nonces_add(nonces *ns, const char *s, size_t n) {
  slot d;
  digest(s, n, &d);
  slot *at = find(ns, &d, 0);
  if (at && !memcmp(at, &d, DIGEST)) return 1;
  if ((ns->used + 1) * 2 > ns->cap && rehash(ns, ns->cap ? (ns->live + 1) * 2 > ns->cap ? ns->cap * 2 : ns->cap : 64))
    return -1;
  if (ns->nundo == ns->capundo) {
    size_t cap = ns->capundo ? ns->capundo * 2 : 16;
    slot *u = px_realloc(ns->undo, cap * sizeof *u);
    if (!u) return -1;
    ns->undo = u;
    ns->capundo = cap;
  }
  at = find(ns, &d, 1);
  if (!memcmp(at, &EMPTY, DIGEST)) ns->used++;
  *at = d;
  ns->live++;
  ns->undo[ns->nundo++] = d;
  return 0;
}

size_t nonces_count(const nonces *ns) { return ns->live; }
size_t nonces_mark(const nonces *ns) { return ns->nundo; }

void nonces_undo(nonces *ns, size_t mark) {
  while (ns->nundo > mark) {
    slot *at = find(ns, &ns->undo[--ns->nundo], 0);
    if (at) {
      *at = GONE;
      ns->live--;
    }
  }
}

void nonces_settle(nonces *ns) { ns->nundo = 0; }
