/*
** declog.c: the decision log (see declog.h): entries, batches in one transaction, and the
** background writer of a server (a bounded queue, a thread, group commits).
*/
#include "declog.h"
#include "alloc.h"
#include "date.h"
#include "error.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "banned.h"

int64_t declog_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" */
static void format_time(int64_t ms, char out[32]) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  char base[24];
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, 32, "%s.%03dZ", base, (int)(ms % 1000));
}

char *declog_entry(const declog_basis *b, const char *request, size_t len, const pactum_decision *dec, int64_t time_ms,
                   size_t *out_len) {
  json_t *rq = json_loadb(request, len, 0, NULL);
  char *text = declog_entry_json(b, rq, dec, time_ms, out_len);
  json_decref(rq);
  return text;
}

char *declog_entry_json(const declog_basis *b, json_t *request, const pactum_decision *dec, int64_t time_ms,
                        size_t *out_len) {
  char day[11], when[32], ahex[HASH_HEX], ehex[HASH_HEX];
  date_format(dec->day, day);
  format_time(time_ms, when);
  canon_hex(b->agr_hash, HASH_BYTES, ahex);
  canon_hex(b->events_hash, HASH_BYTES, ehex);
  json_t *rq = request ? json_incref(request) : json_null();
  json_t *det = json_array();
  for (size_t i = 0; det && i < pactum_decision_determining_count(dec); i++)
    if (json_array_append_new(det, json_string(pactum_decision_determining_id(dec, i)))) {
      json_decref(det);
      det = NULL;
    }
  /* "O" takes a reference of its own, so ours are dropped below whatever json_pack did. */
  json_t *rec = det && rq ? json_pack("{s:s, s:s, s:O, s:s, s:O, s:{s:s, s:s, s:s}, s:{s:I, s:s}}", "time", when,
                                      "date", day, "request", rq, "decision",
                                      pactum_outcome_name(pactum_decision_outcome(dec)), "determining", det,
                                      "agreement", "id", b->agr->id, "version", b->agr->version, "hash", ahex,
                                      "events", "seq", (json_int_t)b->events_seq, "hash", ehex)
                          : NULL;
  json_decref(rq);
  json_decref(det);
  char *text = rec ? canon_json(rec, out_len) : NULL;
  json_decref(rec);
  return text;
}

int declog_append(store *st, const uint8_t genesis[HASH_BYTES], char *const *entries, const size_t *lens, size_t n,
                  int64_t *first, pactum_error *err) {
  *first = 0;
  if (n == 0) return 0;
  int rc = store_begin(st, err);
  if (rc) return rc;
  store_tip tip;
  rc = store_tip_load(st, CHAIN_DECISIONS, genesis, &tip, err);
  *first = tip.seq + 1;
  for (size_t i = 0; i < n && !rc; i++) rc = store_append(st, CHAIN_DECISIONS, &tip, entries[i], lens[i], err);
  if (!rc) rc = store_commit(st, err);
  else store_rollback(st);
  if (rc) *first = 0;
  return rc;
}

/* ---- The writer ------------------------------------------------------------------------------ */

struct declog_writer {
  store *st;
  uint8_t genesis[HASH_BYTES];
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake, room; /* wake: entries or stop for the thread; room: space for pushers */
  char **q;
  size_t *lens;
  size_t cap, head, count; /* a ring of cap entries */
  size_t inflight;         /* entries taken off the ring and being written: they keep their room until
                              they are written, so a failed batch always fits back */
  size_t batch;
  unsigned interval_ms;
  int stopping;
  int64_t written, failures, last_seq;
};

/* Take up to max entries off the ring, in order, into out; the caller holds the lock. */
static size_t take(declog_writer *w, char **out, size_t *lens, size_t max) {
  size_t n = 0;
  while (n < max && w->count) {
    out[n] = w->q[w->head];
    lens[n] = w->lens[w->head];
    w->head = (w->head + 1) % w->cap;
    w->count--;
    n++;
  }
  return n;
}

/* Put entries back at the front of the ring (a failed write), in order; the caller holds the lock. */
static void put_back(declog_writer *w, char **in, const size_t *lens, size_t n) {
  for (size_t i = n; i-- > 0;) {
    w->head = (w->head + w->cap - 1) % w->cap;
    w->q[w->head] = in[i];
    w->lens[w->head] = lens[i];
    w->count++;
  }
}

static void *writer_main(void *arg) {
  declog_writer *w = arg;
  char **batch = px_malloc(w->batch * sizeof *batch);
  size_t *lens = px_malloc(w->batch * sizeof *lens);
  pthread_mutex_lock(&w->lock);
  for (;;) {
    if (!w->count && !w->stopping) {
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_nsec += (long)(w->interval_ms % 1000) * 1000000;
      until.tv_sec += w->interval_ms / 1000 + until.tv_nsec / 1000000000;
      until.tv_nsec %= 1000000000;
      pthread_cond_timedwait(&w->wake, &w->lock, &until);
    }
    if (!w->count && w->stopping) break;
    if (!w->count) continue;
    if (!batch || !lens) { /* no memory for the batch: write one at a time */
      char *one = w->q[w->head];
      size_t len = w->lens[w->head];
      pthread_mutex_unlock(&w->lock);
      int64_t first;
      pactum_error err;
      int rc = declog_append(w->st, w->genesis, &one, &len, 1, &first, &err);
      pthread_mutex_lock(&w->lock);
      if (!rc) {
        px_free(one);
        w->head = (w->head + 1) % w->cap;
        w->count--;
        w->written++;
        w->last_seq = first;
        pthread_cond_broadcast(&w->room);
      } else {
        w->failures++;
        if (w->stopping) break;
      }
      continue;
    }
    size_t n = take(w, batch, lens, w->batch);
    w->inflight = n;
    pthread_mutex_unlock(&w->lock);
    int64_t first = 0;
    pactum_error err;
    int rc = declog_append(w->st, w->genesis, batch, lens, n, &first, &err);
    if (rc) fprintf(stderr, "pactum: warning: the decision log could not be written (%zu entries kept): %s\n", n, err.message);
    pthread_mutex_lock(&w->lock);
    w->inflight = 0;
    if (!rc) {
      for (size_t i = 0; i < n; i++) px_free(batch[i]);
      w->written += (int64_t)n;
      w->last_seq = first + (int64_t)n - 1;
      pthread_cond_broadcast(&w->room);
    } else {
      w->failures++;
      put_back(w, batch, lens, n); /* fits: pushers never took the room of the batch in flight */
      if (w->stopping) break;
      /* Try again after an interval rather than spin on a store that refuses. */
      struct timespec pause = {(time_t)(w->interval_ms / 1000), (long)(w->interval_ms % 1000) * 1000000};
      pthread_mutex_unlock(&w->lock);
      nanosleep(&pause, NULL);
      pthread_mutex_lock(&w->lock);
    }
  }
  pthread_mutex_unlock(&w->lock);
  px_free(batch);
  px_free(lens);
  return NULL;
}

int declog_writer_start(const char *path, const uint8_t genesis[HASH_BYTES], size_t max_queue, unsigned interval_ms,
                        size_t batch, declog_writer **out, pactum_error *err) {
  *out = NULL;
  if (max_queue == 0) max_queue = 1;
  if (batch == 0) batch = 1;
  if (interval_ms == 0) interval_ms = 1;
  declog_writer *w = px_calloc(1, sizeof *w);
  if (!w) return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  w->q = px_calloc(max_queue, sizeof *w->q);
  w->lens = px_calloc(max_queue, sizeof *w->lens);
  if (!w->q || !w->lens) {
    px_free(w->q);
    px_free(w->lens);
    px_free(w);
    return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  }
  int rc = store_open(path, 0, &w->st, err);
  if (rc) {
    px_free(w->q);
    px_free(w->lens);
    px_free(w);
    return rc;
  }
  memcpy(w->genesis, genesis, HASH_BYTES);
  w->cap = max_queue;
  w->batch = batch;
  w->interval_ms = interval_ms;
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->wake, NULL);
  pthread_cond_init(&w->room, NULL);
  if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
    store_close(w->st);
    px_free(w->q);
    px_free(w->lens);
    px_free(w);
    return error_set(err, PACTUM_EINTERNAL, "internal", "cannot start the decision log's thread");
  }
  *out = w;
  return 0;
}

int declog_writer_push(declog_writer *w, char *entry, size_t len, unsigned wait_ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += (long)(wait_ms % 1000) * 1000000;
  until.tv_sec += wait_ms / 1000 + until.tv_nsec / 1000000000;
  until.tv_nsec %= 1000000000;
  pthread_mutex_lock(&w->lock);
  while (w->count + w->inflight == w->cap && !w->stopping)
    if (pthread_cond_timedwait(&w->room, &w->lock, &until) == ETIMEDOUT) break;
  int rc = w->stopping ? -1 : w->count + w->inflight == w->cap ? 1 : 0;
  if (!rc) {
    size_t at = (w->head + w->count) % w->cap;
    w->q[at] = entry;
    w->lens[at] = len;
    w->count++;
    if (w->count >= w->batch) pthread_cond_signal(&w->wake);
  }
  pthread_mutex_unlock(&w->lock);
  return rc;
}

void declog_writer_stats(declog_writer *w, int64_t *written, int64_t *failures, int64_t *waiting, int64_t *last_seq) {
  pthread_mutex_lock(&w->lock);
  if (written) *written = w->written;
  if (failures) *failures = w->failures;
  if (waiting) *waiting = (int64_t)(w->count + w->inflight);
  if (last_seq) *last_seq = w->last_seq;
  pthread_mutex_unlock(&w->lock);
}

int declog_writer_stop(declog_writer *w) {
  if (!w) return 0;
  pthread_mutex_lock(&w->lock);
  w->stopping = 1;
  pthread_cond_broadcast(&w->wake);
  pthread_cond_broadcast(&w->room);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  int lost = w->count > 0;
  if (lost) fprintf(stderr, "pactum: error: %zu decisions could not be written to the decision log\n", w->count);
  while (w->count) {
    px_free(w->q[w->head]);
    w->head = (w->head + 1) % w->cap;
    w->count--;
  }
  store_close(w->st);
  pthread_mutex_destroy(&w->lock);
  pthread_cond_destroy(&w->wake);
  pthread_cond_destroy(&w->room);
  px_free(w->q);
  px_free(w->lens);
  px_free(w);
  return lost ? -1 : 0;
}
