/*
** timeline.c: the storage of a timeline (see struct pactum_timeline in agreement.h): the days
** of the events and the changes of each state slot, in chunks that never move, shared by a
** timeline and its read-only views through a reference-counted store; the index of the seqs
** that refs may name; deep copies, views, truncation, and the state after any number of events.
** events.c validates and folds the events, then appends them here (timeline_push).
*/
#include "agreement.h"
#include "alloc.h"

#include <stdatomic.h>
#include <string.h>
#include "banned.h"

/* ---- The store: every chunk a timeline and its views may read, freed with the last of them -- */

/* One chunk, linked into its store's list. */
typedef struct tl_block {
  struct tl_block *next;
  int64_t data[]; /* the chunk */
} tl_block;

struct tl_store {
  atomic_long refs;
  tl_block *blocks; /* every chunk ever made; only the writer adds to it */
};

static tl_store *tls_new(void) {
  tl_store *st = px_malloc(sizeof *st);
  if (!st) return NULL;
  atomic_init(&st->refs, 1);
  st->blocks = NULL;
  return st;
}

static void tls_release(tl_store *st) {
  if (!st || atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) != 1) return;
  for (tl_block *b = st->blocks, *next; b; b = next) {
    next = b->next;
    px_free(b);
  }
  px_free(st);
}

/* A new chunk of `bytes`, owned by st; NULL if out of memory. */
static void *tls_chunk(tl_store *st, size_t bytes) {
  tl_block *b = px_malloc(sizeof *b + bytes);
  if (!b) return NULL;
  b->next = st->blocks;
  st->blocks = b;
  return b->data;
}

/* ---- Chunk geometry: chunk j holds TL_FIRST << j elements, from element TL_FIRST * (2^j - 1) -- */

static inline int chunk_of(size_t i) {
  return 63 - __builtin_clzll((unsigned long long)((i >> TL_FIRST_LOG) + 1));
}
static inline size_t chunk_start(int j) { return (((size_t)1 << j) - 1) << TL_FIRST_LOG; }
static inline size_t chunk_len(int j) { return TL_FIRST << j; }

/*
** Every sequence is a list of changes, each a value and a uint32 position: a chunk of m changes
** holds their m int64 values, then their m positions. A slot's change holds from the count of
** events `at` on (the events after which it holds); a day's from event index `at` on (the first
** event dated that day): days are stored once per run of events on one day.
*/
#define ENTRY_BYTES 12
static inline int64_t *seq_vals(void *chunk) { return chunk; }
static inline uint32_t *seq_ats(void *chunk, int j) { return (uint32_t *)((int64_t *)chunk + chunk_len(j)); }

/* Change i of s (i < s->n): its value, and its position in *at. */
static inline int64_t seq_get(const tl_seq *s, size_t i, size_t *at) {
  int j = chunk_of(i);
  size_t off = i - chunk_start(j);
  *at = seq_ats(s->chunk[j], j)[off];
  return seq_vals(s->chunk[j])[off];
}

/*
** Make change s->n of s writable: its chunk allocated, and a copy of that chunk when a view may
** read it there (the chunks after it are then left to the views). 0, or -1 when out of memory,
** with what s holds unchanged.
*/
static int seq_reserve(tl_store *st, tl_seq *s) {
  size_t i = s->n;
  int j = chunk_of(i);
  if (j >= TL_CHUNKS) return -1;
  if (s->chunk[j] && i >= s->shared) return 0;
  void *c = tls_chunk(st, chunk_len(j) * ENTRY_BYTES);
  if (!c) return -1;
  if (i < s->shared) {
    size_t m = i - chunk_start(j);
    if (s->chunk[j] && m) {
      memcpy(seq_vals(c), seq_vals(s->chunk[j]), m * sizeof(int64_t));
      memcpy(seq_ats(c, j), seq_ats(s->chunk[j], j), m * sizeof(uint32_t));
    }
    for (int k = j + 1; k < TL_CHUNKS; k++) s->chunk[k] = NULL;
    s->shared = i;
  }
  s->chunk[j] = c;
  return 0;
}

/* Append a change to s, which seq_reserve made room for. */
static inline void seq_put(tl_seq *s, size_t at, int64_t v) {
  int j = chunk_of(s->n);
  size_t off = s->n - chunk_start(j);
  seq_vals(s->chunk[j])[off] = v;
  seq_ats(s->chunk[j], j)[off] = (uint32_t)at;
  s->n++;
}

/*
** In chunk j, whose first m changes are in use: the last change whose position is at most k
** (by_value 0), or whose value is at most k (by_value 1). 1 with its offset in *off and its value
** in *val, or 0 when even the first is past k.
*/
static inline int chunk_find(void *chunk, int j, size_t m, int64_t k, int by_value, size_t *off, int64_t *val) {
  const int64_t *v = seq_vals(chunk);
  const uint32_t *at = seq_ats(chunk, j);
#define KEY(x) (by_value ? v[x] : (int64_t)at[x])
  size_t lo = 0, hi = m;
  if (KEY(m - 1) <= k) lo = m; /* the whole chunk: often the latest change */
  else if (KEY(0) > k) return 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (KEY(mid) <= k) lo = mid + 1;
    else hi = mid;
  }
#undef KEY
  *off = lo - 1;
  *val = v[lo - 1];
  return 1;
}

/*
** The last change of s whose position is at most k (by_value 0), or whose value is at most k
** (by_value 1: the values must ascend, as days do): 1 with its index in *i and its value in *val,
** or 0 when there is none. The last chunk is looked at first, then the earlier ones, newest first
** (they halve in size), with one binary search inside the chunk found.
*/
static inline int seq_find(const tl_seq *s, int64_t k, int by_value, size_t *i, int64_t *val) {
  size_t n = s->n, off;
  if (n <= TL_FIRST) { /* one chunk, as in most timelines */
    if (!n || !chunk_find(s->chunk[0], 0, n, k, by_value, &off, val)) return 0;
    *i = off;
    return 1;
  }
  int last = chunk_of(n - 1);
  for (int j = last; j >= 0; j--) {
    size_t m = j == last ? n - chunk_start(j) : chunk_len(j);
    if (chunk_find(s->chunk[j], j, m, k, by_value, &off, val)) {
      *i = chunk_start(j) + off;
      return 1;
    }
  }
  return 0;
}

/* The value of slot c after the first k events. */
static inline int64_t col_value(const pactum_timeline *tl, int c, size_t k) {
  if (k >= tl->n) return tl->cur[c];
  size_t i;
  int64_t v;
  return seq_find(&tl->cols[c], (int64_t)k, 0, &i, &v) ? v : tl->agr->init[c];
}

/* ---- The seqs of referenced events: an open-addressed table, seq -> event type ---------- */

/* The slot of seq: where it is, or the empty slot where it would go. ref_cap must be > 0. */
static size_t ref_slot(const pactum_timeline *tl, int64_t seq) {
  size_t mask = tl->ref_cap - 1;
  size_t i = (size_t)(((uint64_t)seq * 0x9E3779B97F4A7C15u) >> 32) & mask;
  while (tl->ref_seq[i] && tl->ref_seq[i] != seq) i = (i + 1) & mask;
  return i;
}

int timeline_ref_type(const pactum_timeline *tl, int64_t seq) {
  if (!tl->ref_cap || seq <= 0) return -1;
  size_t i = ref_slot(tl, seq);
  return tl->ref_seq[i] ? tl->ref_type[i] : -1;
}

/* Room for one more seq, the table kept at most half full. -1 when out of memory; tl is unchanged. */
static int ref_reserve(pactum_timeline *tl) {
  if ((tl->ref_n + 1) * 2 <= tl->ref_cap) return 0;
  size_t cap = tl->ref_cap ? tl->ref_cap * 2 : 16;
  int64_t *seqs = px_calloc(cap, sizeof *seqs);
  int32_t *types = px_malloc(sizeof *types * cap);
  if (!seqs || !types) {
    px_free(seqs);
    px_free(types);
    return -1;
  }
  int64_t *old_seq = tl->ref_seq;
  int32_t *old_type = tl->ref_type;
  size_t old_cap = tl->ref_cap;
  tl->ref_seq = seqs;
  tl->ref_type = types;
  tl->ref_cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old_seq[i]) {
      size_t j = ref_slot(tl, old_seq[i]);
      tl->ref_seq[j] = old_seq[i];
      tl->ref_type[j] = old_type[i];
    }
  px_free(old_seq);
  px_free(old_type);
  return 0;
}

/* Record that seq is an event of type ev (a later fold with the same seq replaces it). */
static void ref_put(pactum_timeline *tl, int64_t seq, int ev) {
  size_t i = ref_slot(tl, seq);
  if (!tl->ref_seq[i]) tl->ref_n++;
  tl->ref_seq[i] = seq;
  tl->ref_type[i] = ev;
}

/* A copy of src's table into tl (which has none). -1 when out of memory. */
static int ref_copy(pactum_timeline *tl, const pactum_timeline *src) {
  if (!src->ref_cap) return 0;
  tl->ref_seq = px_malloc(sizeof(int64_t) * src->ref_cap);
  tl->ref_type = px_malloc(sizeof(int32_t) * src->ref_cap);
  if (!tl->ref_seq || !tl->ref_type) return -1;
  memcpy(tl->ref_seq, src->ref_seq, sizeof(int64_t) * src->ref_cap);
  memcpy(tl->ref_type, src->ref_type, sizeof(int32_t) * src->ref_cap);
  tl->ref_n = src->ref_n;
  tl->ref_cap = src->ref_cap;
  return 0;
}

/* ---- Timelines, views and copies ------------------------------------------------------- */

/*
** An empty timeline of agr with its rows (and the slots' sequences) but no store and no events;
** a writer gets a scratch row as well. NULL if out of memory.
*/
static pactum_timeline *tl_alloc(const pactum_agreement *agr, int writer) {
  pactum_timeline *tl = px_calloc(1, sizeof *tl);
  if (!tl) return NULL;
  tl->agr = agr;
  tl->width = agr->nstates + agr->ncommits;
  tl->ncols = tl->width + agr->nhidden;
  size_t w = (size_t)tl->ncols;
  /* One block: the sequences, then the current row, then the scratch row. */
  tl->cols = px_calloc(1, w * sizeof(tl_seq) + (writer ? 2 : 1) * w * sizeof(int64_t) + 1);
  if (!tl->cols) {
    px_free(tl);
    return NULL;
  }
  tl->cur = (int64_t *)(tl->cols + w);
  tl->next = writer ? tl->cur + w : NULL;
  tl->is_view = !writer;
  tl->last_day = DAY_MIN;
  return tl;
}

pactum_timeline *pactum_timeline_new(const pactum_agreement *agr) {
  pactum_timeline *tl = tl_alloc(agr, 1);
  if (!tl) return NULL;
  if (!(tl->store = tls_new())) {
    pactum_timeline_free(tl);
    return NULL;
  }
  memcpy(tl->cur, agr->init, sizeof(int64_t) * (size_t)tl->ncols);
  return tl;
}

void pactum_timeline_free(pactum_timeline *tl) {
  if (!tl) return;
  tls_release(tl->store);
  px_free(tl->cols);
  px_free(tl->ref_seq);
  px_free(tl->ref_type);
  px_free(tl);
}

size_t pactum_timeline_count(const pactum_timeline *tl) { return tl ? tl->n : 0; }

/* A copy of the changes of s into d, with chunks of st. -1 when out of memory. */
static int seq_copy(tl_store *st, tl_seq *d, const tl_seq *s) {
  d->n = s->n;
  for (int j = 0; j < TL_CHUNKS && chunk_start(j) < s->n; j++) {
    size_t m = s->n - chunk_start(j);
    if (m > chunk_len(j)) m = chunk_len(j);
    if (!(d->chunk[j] = tls_chunk(st, chunk_len(j) * ENTRY_BYTES))) return -1;
    memcpy(seq_vals(d->chunk[j]), seq_vals(s->chunk[j]), m * sizeof(int64_t));
    memcpy(seq_ats(d->chunk[j], j), seq_ats(s->chunk[j], j), m * sizeof(uint32_t));
  }
  return 0;
}

pactum_timeline *timeline_copy(const pactum_timeline *src) {
  pactum_timeline *tl = tl_alloc(src->agr, 1);
  if (!tl) return NULL;
  int ok = (tl->store = tls_new()) != NULL && !seq_copy(tl->store, &tl->days, &src->days) && !ref_copy(tl, src);
  for (int c = 0; ok && c < tl->ncols; c++) ok = !seq_copy(tl->store, &tl->cols[c], &src->cols[c]);
  if (!ok) {
    pactum_timeline_free(tl);
    return NULL;
  }
  tl->n = src->n;
  tl->last_day = src->last_day;
  memcpy(tl->cur, src->cur, sizeof(int64_t) * (size_t)tl->ncols);
  return tl;
}

/* v's copy of s, which tl marks shared as far as the view sees. */
static void seq_share(tl_seq *v, tl_seq *s) {
  *v = *s;
  if (s->shared < s->n) s->shared = s->n;
}

pactum_timeline *timeline_view(pactum_timeline *tl) {
  pactum_timeline *v = tl_alloc(tl->agr, 0);
  if (!v) return NULL;
  if (ref_copy(v, tl)) {
    pactum_timeline_free(v);
    return NULL;
  }
  atomic_fetch_add_explicit(&tl->store->refs, 1, memory_order_relaxed);
  v->store = tl->store;
  v->n = tl->n;
  v->last_day = tl->last_day;
  seq_share(&v->days, &tl->days);
  for (int c = 0; c < tl->ncols; c++) seq_share(&v->cols[c], &tl->cols[c]);
  memcpy(v->cur, tl->cur, sizeof(int64_t) * (size_t)tl->ncols);
  return v;
}

int timeline_push(pactum_timeline *tl, int32_t day, const int64_t *after, int64_t seq, int ref_type) {
  if (tl->is_view || tl->n >= TL_MAX_EVENTS) return -1;
  int new_day = !tl->n || tl->last_day != day;
  /* Room for everything first, so that a failure changes nothing. */
  if (new_day && seq_reserve(tl->store, &tl->days)) return -1;
  for (int c = 0; c < tl->ncols; c++)
    if (after[c] != tl->cur[c] && seq_reserve(tl->store, &tl->cols[c])) return -1;
  if (ref_type >= 0 && ref_reserve(tl)) return -1;
  for (int c = 0; c < tl->ncols; c++)
    if (after[c] != tl->cur[c]) {
      seq_put(&tl->cols[c], tl->n + 1, after[c]);
      tl->cur[c] = after[c];
    }
  if (new_day) seq_put(&tl->days, tl->n, day);
  tl->last_day = day;
  if (ref_type >= 0) ref_put(tl, seq, ref_type);
  tl->n++;
  return 0;
}

/* Drop the changes of s at positions above max (the last ones); the value then in force, or dflt. */
static int64_t seq_cut(tl_seq *s, size_t max, int64_t dflt) {
  size_t at;
  while (s->n) {
    int64_t v = seq_get(s, s->n - 1, &at);
    if (at <= max) return v;
    s->n--;
  }
  return dflt;
}

void timeline_truncate(pactum_timeline *tl, size_t n, int64_t last_seq) {
  if (n < tl->n) {
    tl->last_day = n ? (int32_t)seq_cut(&tl->days, n - 1, 0) : DAY_MIN; /* the days of the first n events */
    if (!n) tl->days.n = 0;
    for (int c = 0; c < tl->ncols; c++) tl->cur[c] = seq_cut(&tl->cols[c], n, tl->agr->init[c]);
    tl->n = n;
  }
  /* Drop the referenced seqs after last_seq: the table is rebuilt with the rest in place (it
     holds only the events some ref can name, declarations and the like, so this is small). */
  int dropped = 0;
  for (size_t i = 0; i < tl->ref_cap; i++)
    if (tl->ref_seq[i] > last_seq) {
      tl->ref_seq[i] = 0;
      tl->ref_n--;
      dropped = 1;
    }
  if (!dropped) return;
  for (size_t i = 0; i < tl->ref_cap; i++) {
    if (!tl->ref_seq[i]) continue;
    int64_t seq = tl->ref_seq[i];
    int32_t type = tl->ref_type[i];
    tl->ref_seq[i] = 0;
    size_t j = ref_slot(tl, seq);
    tl->ref_seq[j] = seq;
    tl->ref_type[j] = type;
  }
}

/* ---- Reading -------------------------------------------------------------------------- */

/* The number of events dated on or before day. */
static inline size_t count_until(const pactum_timeline *tl, int32_t day) {
  if (day >= tl->last_day) return tl->n; /* the latest state: a decision's usual case */
  size_t i, at;
  int64_t v;
  if (!seq_find(&tl->days, day, 1, &i, &v)) return 0; /* before the first event's day */
  if (i + 1 == tl->days.n) return tl->n;
  (void)seq_get(&tl->days, i + 1, &at); /* up to the first event of the next day */
  return at;
}

size_t timeline_count_until(const pactum_timeline *tl, int32_t day) { return count_until(tl, day); }

int32_t timeline_day(const pactum_timeline *tl, size_t k) {
  size_t i;
  int64_t v;
  return seq_find(&tl->days, (int64_t)k, 0, &i, &v) ? (int32_t)v : DAY_MIN;
}

const int64_t *timeline_now(const pactum_timeline *tl) { return tl->cur; }

const int64_t *timeline_row(const pactum_timeline *tl, size_t k, int64_t *row) {
  if (k >= tl->n) memcpy(row, tl->cur, sizeof(int64_t) * (size_t)tl->width);
  else
    for (int c = 0; c < tl->width; c++) row[c] = col_value(tl, c, k);
  return row;
}

void timeline_slots(const pactum_timeline *tl, int32_t day, const int32_t *slots, int nslots, int64_t *row) {
  size_t k = count_until(tl, day);
  for (int i = 0; i < nslots; i++) row[slots[i]] = col_value(tl, slots[i], k);
}

const int64_t *timeline_at(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int64_t *row) {
  if (!tl) {
    memcpy(row, agr->init, sizeof(int64_t) * (size_t)(agr->nstates + agr->ncommits));
    return row;
  }
  return timeline_row(tl, timeline_count_until(tl, day), row);
}

size_t timeline_changes(const pactum_timeline *tl, int slot, size_t k) {
  size_t i;
  int64_t v;
  return seq_find(&tl->cols[slot], (int64_t)k, 0, &i, &v) ? i + 1 : 0;
}

int64_t timeline_change(const pactum_timeline *tl, int slot, size_t i, size_t *after) {
  return seq_get(&tl->cols[slot], i, after);
}
