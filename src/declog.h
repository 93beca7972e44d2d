/*
** declog.h: the decision log. Each decision made by `pactum decide --log-decisions`, `pactum
** serve` or its gate is appended to the store's decisions chain, hash-chained and in its Merkle
** tree like the events, with what it was decided on: the wall-clock time, the request, the
** outcome, the determining clauses, the agreement (id, version, hash) and the events head
** (seq and hash) of the timeline it read.
**
** Two ways to write: declog_append writes a batch in one transaction (the CLI, which prints a
** decision only once it is logged); a declog_writer is a thread that takes entries from a
** bounded queue and writes them in group commits (the server, which must not wait for the disk
** on every decision). The writer never drops an entry: when its queue is full, declog_writer_push
** waits for room, and says so when there is none in time.
*/
#ifndef PACTUM_DECLOG_H
#define PACTUM_DECLOG_H

#include "agreement.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* What a decision was made on. */
typedef struct declog_basis {
  const pactum_agreement *agr;
  uint8_t agr_hash[HASH_BYTES];
  int64_t events_seq;          /* the head of the events chain the timeline was folded from (0: none) */
  uint8_t events_hash[HASH_BYTES];
} declog_basis;

/*
** The log entry of dec, decided on request (its JSON text, as given): canonical JSON in a new
** buffer the caller frees with px_free; NULL if memory ran out. time_ms is the wall-clock time
** in milliseconds since 1970 (declog_now_ms()).
*/
char *declog_entry(const declog_basis *b, const char *request, size_t len, const pactum_decision *dec,
                   int64_t time_ms, size_t *out_len /* OUT */);
/* The same for a request already parsed (borrowed). */
char *declog_entry_json(const declog_basis *b, json_t *request, const pactum_decision *dec, int64_t time_ms,
                        size_t *out_len /* OUT */);
int64_t declog_now_ms(void);

/*
** Append entries[0..n) to the decisions chain of st in one transaction, after the chain's head
** as stored at that moment (other processes may log into the same store), maintaining the
** Merkle tree. genesis is the agreement's hash, the chain's first prev_hash. *first receives the
** first entry's seq. All or none.
*/
int declog_append(store *st, const uint8_t genesis[HASH_BYTES], char *const *entries, const size_t *lens, size_t n,
                  int64_t *first /* OUT */, pactum_error *err);

/* The background writer of a server. */
typedef struct declog_writer declog_writer;

/*
** Start a writer thread with its own connection to the store at path: it writes what is queued
** every interval_ms, or as soon as batch entries wait. max_queue bounds the entries waiting.
*/
int declog_writer_start(const char *path, const uint8_t genesis[HASH_BYTES], size_t max_queue, unsigned interval_ms,
                        size_t batch, declog_writer **out /* OUT */, pactum_error *err);
/*
** Queue entry, taking ownership of it (the writer frees it). Waits while the queue is full, up to
** wait_ms: 0 when queued, 1 when the queue stayed full (the entry is still the caller's: a
** server refuses the decision rather than make it unlogged), -1 once the writer is stopping.
*/
int declog_writer_push(declog_writer *w, char *entry, size_t len, unsigned wait_ms);
/* Counters for metrics: entries written, entries whose write failed (and were kept for the next try), and waiting. */
void declog_writer_stats(declog_writer *w, int64_t *written, int64_t *failures, int64_t *waiting, int64_t *last_seq);
/* Write everything queued, stop the thread and free w. Returns -1 if entries could not be written (they are reported on stderr). */
int declog_writer_stop(declog_writer *w);

#endif
