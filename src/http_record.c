/*
** http_record.c: the routes of `pactum serve` over the record itself: GET /v1/events, a page of
** the recorded events streamed from the store in small pieces (so a slow reader holds a piece,
** not the page, and no reader the whole record); POST /v1/events, appending a batch all or
** nothing; and GET /v1/audit/verify, the audit of the hash chain on disk.
*/
#include "http_int.h"
#include "alloc.h"
#include "audit.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* ---- GET /v1/events ---------------------------------------------------------------------- */

/* A piece of the page is read when the last one has been sent: about this many bytes, or events. */
#define PIECE_BYTES (32u << 10)
#define PIECE_EVENTS 256

/*
** One page being streamed: the events after `after` up to `upto`, then the trailer. The store is
** read on the connection's thread, through that thread's own handle, one piece at a time.
*/
typedef struct page {
  server *s;
  int64_t after, upto; /* events still to list: after < seq <= upto */
  int64_t head_seq, next;
  char head[HASH_HEX];
  int more;
  int phase; /* 0 the opening, 1 the events, 2 the trailer written, 3 done */
  int listed;
  buf out;   /* what is read and not yet sent: out.data[off .. len) */
  size_t off;
} page;

/* store_scan_range's callback: one event into the piece; nonzero (stop) once the piece is full. */
static int page_event(void *ctx, const store_record *rec) {
  page *p = ctx;
  buf_printf(&p->out, "%s{\"seq\":%lld,\"event\":", p->listed++ ? "," : "", (long long)rec->seq);
  buf_append(&p->out, rec->json, rec->len);
  buf_putc(&p->out, '}');
  p->after = rec->seq;
  return p->out.failed || p->out.len >= PIECE_BYTES;
}

/* Fill p->out with the next piece; -1 if the store cannot be read. */
static int page_fill(page *p) {
  p->out.len = 0;
  p->off = 0;
  if (p->phase == 0) {
    buf_puts(&p->out, "{\"events\":[");
    p->phase = 1;
    return 0;
  }
  if (p->phase == 1 && p->after < p->upto) {
    pactum_error err;
    store *st = http_thread_store(p->s, &err);
    int64_t until = p->upto - p->after > PIECE_EVENTS ? p->after + PIECE_EVENTS : p->upto, before = p->after;
    if (!st || store_scan_range(st, CHAIN_EVENTS, p->after, until, page_event, p, &err) < 0 || p->out.failed) {
      fprintf(stderr, "pactum: error: GET /v1/events: %s\n", p->out.failed ? "out of memory" : err.message);
      return -1;
    }
    /* A seq missing from the store would end the scan early: go on after the range read. */
    if (p->after == before || p->out.len < PIECE_BYTES) p->after = until;
    return 0;
  }
  if (p->phase == 1) {
    buf_printf(&p->out, "],\"head\":{\"seq\":%lld,\"hash\":\"%s\"},\"next\":%lld,\"more\":%s}",
               (long long)p->head_seq, p->head, (long long)p->next, p->more ? "true" : "false");
    p->phase = 2;
    return p->out.failed ? -1 : 0;
  }
  p->phase = 3;
  return 0;
}

/* libmicrohttpd's content reader: up to max bytes of the page, reading the next piece when needed. */
static ssize_t page_read(void *cls, uint64_t pos, char *dst, size_t max) {
  (void)pos;
  page *p = cls;
  while (p->off == p->out.len) {
    if (p->phase == 3) return MHD_CONTENT_READER_END_OF_STREAM;
    if (page_fill(p)) return MHD_CONTENT_READER_END_WITH_ERROR;
  }
  size_t n = p->out.len - p->off < max ? p->out.len - p->off : max;
  memcpy(dst, p->out.data + p->off, n);
  p->off += n;
  return (ssize_t)n;
}

/* libmicrohttpd frees the page with its response. */
static void page_free(void *cls) {
  page *p = cls;
  buf_release(&p->out);
  px_free(p);
}

/* The whole number of query argument name into *out (default def): -1 after answering 400. */
static int query_count(req *q, const char *name, long long def, long long min, long long max, long long *out,
                       enum MHD_Result *rc) {
  const char *v = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, name);
  *out = def;
  if (!v) return 0;
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno || *end || !*v || v[0] == '+' || n < min || n > max) {
    *rc = http_send_error(q, 400, ERR_BAD_REQUEST, "bad_argument", "'%s' is a whole number from %lld to %lld", name, min, max);
    return -1;
  }
  *out = n;
  return 0;
}

/*
** GET /v1/events?since=SEQ&limit=N: the events after since, at most limit of them, then the head
** of the chain, the since to ask for next and whether more follow.
*/
enum MHD_Result http_record_list(req *q) {
  server *s = q->s;
  long long since, limit;
  enum MHD_Result refused;
  if (query_count(q, "since", 0, 0, INT64_MAX, &since, &refused) ||
      query_count(q, "limit", HTTP_EVENTS_LIMIT, 1, HTTP_EVENTS_MAX_LIMIT, &limit, &refused))
    return refused;
  pactum_error err;
  store *st = http_thread_store(s, &err);
  uint8_t head[HASH_BYTES];
  canon_unhex(s->agr_hash, head, HASH_BYTES);
  int64_t seq = 0;
  if (!st || store_head(st, CHAIN_EVENTS, &seq, head, &err))
    return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  page *p = px_calloc(1, sizeof *p);
  if (!p) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  buf_init(&p->out);
  p->s = s;
  /* The head is read first and the page ends at or before it: an append committed meanwhile is
     in a later page, never skipped by a client that goes on from `next`. */
  p->head_seq = seq;
  canon_hex(head, HASH_BYTES, p->head);
  p->after = since;
  p->upto = since < seq ? (seq - since > limit ? since + limit : seq) : since;
  p->next = p->upto;
  p->more = p->upto < seq;
  struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 << 10, page_read, p, page_free);
  if (!r) {
    page_free(p);
    return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  }
  MHD_add_response_header(r, "Content-Type", "application/json");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  return http_respond(q, 200, r);
}

/* ---- POST /v1/events ---------------------------------------------------------------------- */

/* May `who` (a party, or BODY.MEMBER) record events of type ev? */
static int may_record(const pactum_agreement *agr, const char *who, int ev) {
  const cevent *e = &agr->events[ev];
  if (e->nrecorders == 0) return agreement_find_party(agr, who, strlen(who)) >= 0;
  for (int i = 0; i < e->nrecorders; i++) {
    const crecorder *r = &e->recorders[i];
    if (!r->is_body) {
      if (!strcmp(agr->parties[r->index].name, who)) return 1;
      continue;
    }
    const cbody *b = &agr->bodies[r->index];
    size_t n = strlen(b->name);
    if (strncmp(who, b->name, n) || who[n] != '.') continue;
    for (int m = 0; m < b->nmembers; m++)
      if (!strcmp(b->members[m], who + n + 1)) return 1;
  }
  return 0;
}

/* POST /v1/events: one event or a batch, appended all or nothing under the writer lock. */
enum MHD_Result http_record_append(req *q) {
  server *s = q->s;
  const char *who = http_authenticate(s, q->c);
  if (!who)
    return http_send_error(q, 401, ERR_UNAUTHORIZED, "unauthorized",
                      "appending events needs 'Authorization: Bearer TOKEN' with a token listed in the tokens file");
  enum MHD_Result refused;
  json_t *root = http_body_json(q, &refused);
  if (!root) return refused;
  if (json_is_object(root)) {
    json_t *arr = json_array();
    json_array_append_new(arr, root);
    root = arr;
  }
  if (!json_is_array(root)) {
    json_decref(root);
    return http_send_error(q, 400, ERR_BAD_REQUEST, "wrong_type", "the body must be an event object or an array of them");
  }
  size_t n = json_array_size(root);
  if (n > s->cfg.max_batch) {
    json_decref(root);
    return http_send_error(q, 413, ERR_TOO_LARGE, "batch_too_large", "a batch holds at most %zu events; this one has %zu",
                      s->cfg.max_batch, n);
  }
  /* The token's signer must be allowed to record every event of the batch. */
  for (size_t i = 0; i < n; i++) {
    json_t *ev = json_array_get(root, i);
    const char *type = json_string_value(json_object_get(ev, "type"));
    if (!type) continue; /* the record refuses it below, with the precise reason */
    if (!strcmp(type, "key_registered")) continue; /* its own signatures decide */
    int ei = agreement_find_event(s->agr, type, strlen(type));
    if (ei >= 0 && !may_record(s->agr, who, ei)) {
      enum MHD_Result rc = http_send_error(q, 403, ERR_FORBIDDEN, "not_allowed",
                                      "event %zu: '%s' may not record '%s'; nothing was written", i, who, type);
      json_decref(root);
      return rc;
    }
  }
  char **texts = px_calloc(n ? n : 1, sizeof *texts);
  size_t *lens = px_calloc(n ? n : 1, sizeof *lens);
  int oom = !texts || !lens;
  for (size_t i = 0; i < n && !oom; i++) {
    texts[i] = json_dumps(json_array_get(root, i), JSON_COMPACT | JSON_ENCODE_ANY);
    if (!texts[i]) oom = 1;
    else lens[i] = strlen(texts[i]);
  }
  json_decref(root);
  enum MHD_Result rc;
  if (oom) {
    rc = http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  } else {
    pactum_error err;
    size_t bad;
    int64_t first, last;
    pthread_mutex_lock(&s->write_lock);
    int r = record_add(s->rec, (const char *const *)texts, lens, n, NULL, 0, &bad, &first, &last, &err);
    snapshot *sn = r ? NULL : http_snap_build(s);
    if (sn) http_snap_publish(s, sn);
    int64_t head_seq = s->rec->head_seq;
    char hex[HASH_HEX];
    canon_hex(s->rec->head_hash, HASH_BYTES, hex);
    pthread_mutex_unlock(&s->write_lock);
    if (r) {
      int input = r == PACTUM_EINPUT;
      if (bad < n)
        rc = http_send_error(q, input ? 400 : 500, input ? ERR_BAD_REQUEST : ERR_INTERNAL, err.code,
                        "event %zu: %s; nothing was written", bad, err.message);
      else
        rc = http_send_error(q, input ? 400 : 500, input ? ERR_BAD_REQUEST : ERR_INTERNAL, err.code, "%s", err.message);
    } else {
      atomic_fetch_add(&s->events_appended, (long long)n);
      buf b;
      buf_init(&b);
      buf_printf(&b, "{\"recorded\":%zu,\"first\":%lld,\"last\":%lld,\"head\":{\"seq\":%lld,\"hash\":\"%s\"}}", n,
                 (long long)first, (long long)last, (long long)head_seq, hex);
      if (!sn) fprintf(stderr, "pactum: warning: events recorded, but the new snapshot could not be built\n");
      rc = http_send_json(q, 200, &b);
    }
  }
  for (size_t i = 0; texts && i < n; i++) px_free(texts[i]);
  px_free(texts);
  px_free(lens);
  return rc;
}

/* ---- GET /v1/audit/verify ----------------------------------------------------------------- */

/* GET /v1/audit/verify: audit_verify over the events chain on disk. */
enum MHD_Result http_record_audit(req *q) {
  server *s = q->s;
  store *st;
  pactum_error err;
  if (store_open(s->cfg.db, 0, &st, &err))
    return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  uint8_t genesis[HASH_BYTES];
  canon_unhex(s->agr_hash, genesis, HASH_BYTES);
  audit_result res;
  int rc = audit_verify(st, CHAIN_EVENTS, genesis, NULL, &res, &err);
  store_close(st);
  if (rc) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  char hex[HASH_HEX];
  canon_hex(res.head, HASH_BYTES, hex);
  buf b;
  buf_init(&b);
  buf_printf(&b, "{\"ok\":%s,\"records\":%lld,\"bytes\":%lld,\"head\":{\"seq\":%lld,\"hash\":\"%s\"},\"bad_seq\":",
             res.ok ? "true" : "false", (long long)res.records, (long long)res.bytes, (long long)res.head_seq, hex);
  if (res.ok) {
    buf_puts(&b, "null,\"reason\":null}");
  } else {
    buf_printf(&b, "%lld,\"reason\":", (long long)res.bad_seq);
    buf_json_cstr(&b, res.reason);
    buf_putc(&b, '}');
  }
  return http_send_json(q, 200, &b);
}

