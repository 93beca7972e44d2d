/*
** http_record.c: the routes of `pactum serve` over the record itself: GET /v1/events, a page of
** the recorded events streamed from the store in small pieces (so a slow reader holds a piece,
** not the page, and no reader the whole record); POST /v1/events, appending a batch all or
** nothing, or a vote of a body's member (GET /v1/proposals lists them); GET /v1/audit/verify,
** the audit of the hash chains on disk; and the transparency log: GET /v1/store (its tree
** heads), GET /v1/proof and /v1/consistency (RFC 9162 proofs), and GET and POST /v1/checkpoints
** (tree heads the parties signed).
*/
#include "http_int.h"
#include "alloc.h"
#include "audit.h"
#include "error.h"
#include "proposal.h"
#include "tlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The head of the chain after an append, as JSON members, read under the writer lock. */
static void put_head(buf *b, const record *r) {
  char hex[HASH_HEX];
  canon_hex(r->tip.hash, HASH_BYTES, hex);
  buf_printf(b, "\"head\":{\"seq\":%lld,\"hash\":\"%s\"}", (long long)r->tip.seq, hex);
}

/* The answer to a refused append or vote: 400 for the record's refusals, 403 for who may not. */
static enum MHD_Result refused_append(req *q, int r, size_t bad, size_t n, const pactum_error *err) {
  int input = r == PACTUM_EINPUT;
  unsigned status = !input ? 500 : !strcmp(err->code, "not_allowed") ? 403 : 400;
  int kind = !input ? ERR_INTERNAL : status == 403 ? ERR_FORBIDDEN : ERR_BAD_REQUEST;
  if (bad < n) return http_send_error(q, status, kind, err->code, "event %zu: %s; nothing was written", bad, err->message);
  return http_send_error(q, status, kind, err->code, "%s", err->message);
}

/*
** A vote by member `who` for the one event of the body (proposal.h): 202 with the proposal while
** the quorum is not reached, 200 with the recorded seq when this vote reaches it.
*/
static enum MHD_Result vote(req *q, const char *who, const char *text, size_t len) {
  server *s = q->s;
  proposal_result res;
  pactum_error err;
  pthread_mutex_lock(&s->write_lock);
  int r = proposal_vote(s->rec, who, text, len, (int64_t)time(NULL), s->cfg.vote_ttl_s, &res, &err);
  snapshot *sn = !r && res.recorded ? http_snap_build(s) : NULL;
  if (sn) http_snap_publish(s, sn);
  buf b;
  buf_init(&b);
  if (!r && res.recorded) {
    buf_printf(&b, "{\"recorded\":1,\"first\":%lld,\"last\":%lld,", (long long)res.seq, (long long)res.seq);
    put_head(&b, s->rec);
    buf_putc(&b, ',');
  }
  pthread_mutex_unlock(&s->write_lock);
  if (r) {
    buf_release(&b);
    return refused_append(q, r, 0, 1, &err);
  }
  if (res.recorded) {
    atomic_fetch_add(&s->events_appended, 1);
    if (!sn) fprintf(stderr, "pactum: warning: an event was recorded, but the new snapshot could not be built\n");
  } else {
    buf_putc(&b, '{');
  }
  buf_printf(&b, "\"proposal\":{\"id\":\"%s\",\"body\":", res.id);
  buf_json_cstr(&b, res.body);
  buf_printf(&b, ",\"votes\":%d,\"needed\":%d,\"expires\":%lld,\"recorded\":%s}}", res.votes, res.needed,
             (long long)res.expires, res.recorded ? "true" : "false");
  return http_send_json(q, res.recorded ? 200 : 202, &b);
}

/*
** POST /v1/events: one event or a batch, appended all or nothing under the writer lock, each
** event's "recorded_by" naming the token's signer; or, for one event a body records, posted by
** one of its members, a vote for it.
*/
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
  /* The token's signer must be allowed to record every event of the batch; a body's member casts
     a vote, for one event at a time. */
  int voting = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *ev = json_array_get(root, i);
    const char *type = json_string_value(json_object_get(ev, "type"));
    if (!type) continue; /* the record refuses it below, with the precise reason */
    if (event_type_record_level(type, strlen(type))) continue; /* its own signatures decide */
    int ei = agreement_find_event(s->agr, type, strlen(type));
    if (ei < 0) continue;
    pthread_mutex_lock(&s->write_lock);
    int votes = proposal_applies(s->rec, who, type);
    pthread_mutex_unlock(&s->write_lock);
    enum MHD_Result rc;
    if (votes && n > 1) {
      rc = http_send_error(q, 400, ERR_BAD_REQUEST, "vote_alone",
                           "event %zu: '%s' is recorded by a quorum of the members of a body: a member's vote for it is "
                           "posted alone, one event; nothing was written",
                           i, type);
    } else if (votes) {
      voting = 1;
      continue;
    } else if (!may_record(s->agr, who, ei)) {
      rc = http_send_error(q, 403, ERR_FORBIDDEN, "not_allowed", "event %zu: '%s' may not record '%s'; nothing was written",
                           i, who, type);
    } else {
      continue;
    }
    json_decref(root);
    return rc;
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
  } else if (voting) {
    rc = vote(q, who, texts[0], lens[0]);
  } else {
    pactum_error err;
    size_t bad;
    int64_t first, last;
    const char *names[1] = {who};
    record_caller caller = {names, 1, 0};
    buf b;
    buf_init(&b);
    pthread_mutex_lock(&s->write_lock);
    int r = record_add(s->rec, (const char *const *)texts, lens, n, NULL, 0, &caller, &bad, &first, &last, &err);
    snapshot *sn = r ? NULL : http_snap_build(s);
    if (sn) http_snap_publish(s, sn);
    if (!r) {
      buf_printf(&b, "{\"recorded\":%zu,\"first\":%lld,\"last\":%lld,", n, (long long)first, (long long)last);
      put_head(&b, s->rec);
      buf_putc(&b, '}');
    }
    pthread_mutex_unlock(&s->write_lock);
    if (r) {
      buf_release(&b);
      rc = refused_append(q, r, bad, n, &err);
    } else {
      atomic_fetch_add(&s->events_appended, (long long)n);
      if (!sn) fprintf(stderr, "pactum: warning: events recorded, but the new snapshot could not be built\n");
      rc = http_send_json(q, 200, &b);
    }
  }
  for (size_t i = 0; texts && i < n; i++) px_free(texts[i]);
  px_free(texts);
  px_free(lens);
  return rc;
}

/* GET /v1/proposals: the events a body's members are voting on, with their votes. */
enum MHD_Result http_record_proposals(req *q) {
  server *s = q->s;
  json_t *list = NULL;
  pactum_error err;
  pthread_mutex_lock(&s->write_lock);
  int r = proposal_list(s->rec, (int64_t)time(NULL), &list, &err);
  pthread_mutex_unlock(&s->write_lock);
  if (r) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  json_t *o = json_pack("{s:o, s:I}", "proposals", list, "vote_ttl", (json_int_t)s->cfg.vote_ttl_s);
  char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return http_send_owned(q, text);
}

/* ---- The transparency log ------------------------------------------------------------------ */

/* ?chain=events|decisions into *chain (default events): -1 after answering 400. */
static int query_chain(req *q, store_chain *chain, enum MHD_Result *rc) {
  const char *v = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "chain");
  *chain = CHAIN_EVENTS;
  if (!v || !strcmp(v, "events")) return 0;
  if (!strcmp(v, "decisions")) {
    *chain = CHAIN_DECISIONS;
    return 0;
  }
  *rc = http_send_error(q, 400, ERR_BAD_REQUEST, "bad_argument", "'chain' is events or decisions");
  return -1;
}

/* Send a tlog result: the JSON object, or its error (400 for a bad argument, else 500). */
static enum MHD_Result send_tlog(req *q, int r, json_t *o, const pactum_error *err) {
  if (r) {
    int input = !strcmp(err->code, "bad_argument");
    return http_send_error(q, input ? 400 : 500, input ? ERR_BAD_REQUEST : ERR_INTERNAL, err->code, "%s", err->message);
  }
  char *text = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return http_send_owned(q, text);
}

/* One chain's size, head and root, as a JSON object; NULL with *err set. */
static json_t *tree_head(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], pactum_error *err) {
  store_tip tip;
  uint8_t root[HASH_BYTES];
  if (store_tip_load(st, chain, genesis, &tip, err)) return NULL;
  merkle_frontier_root(&tip.tree, root);
  char head[HASH_HEX], rhex[HASH_HEX];
  canon_hex(tip.hash, HASH_BYTES, head);
  canon_hex(root, HASH_BYTES, rhex);
  return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)tip.seq, "head", head, "root", rhex);
}

/* GET /v1/store: the store's id, agreement and settings, and each chain's tree head. */
enum MHD_Result http_record_store(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  pactum_error err;
  store *st = http_thread_store(s, &err);
  if (!st) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  json_t *boot = json_null();
  pthread_mutex_lock(&s->write_lock);
  record_settings set = s->rec->set;
  pthread_mutex_unlock(&s->write_lock);
  if (set.boot.n) {
    json_t *keys = json_array();
    for (int i = 0; i < set.boot.n; i++) {
      char b64[64];
      sign_b64_encode(set.boot.keys[i], SIGN_PK_BYTES, b64, sizeof b64);
      json_array_append_new(keys, json_string(b64));
    }
    boot = json_pack("{s:o, s:i}", "keys", keys, "threshold", set.boot.threshold);
  }
  json_t *ev = tree_head(st, CHAIN_EVENTS, s->rec->agr_hash, &err);
  json_t *dc = ev ? tree_head(st, CHAIN_DECISIONS, s->rec->agr_hash, &err) : NULL;
  if (!ev || !dc) {
    json_decref(ev);
    json_decref(boot);
    return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  }
  json_t *o = json_pack("{s:s, s:{s:s, s:s, s:s}, s:{s:b, s:o}, s:o, s:o}", "id", s->origin.store, "agreement", "id",
                        s->agr->id, "version", s->agr->version, "hash", s->agr_hash, "settings", "require_signatures",
                        set.require_signatures, "bootstrap", boot, "events", ev, "decisions", dc);
  return send_tlog(q, o ? 0 : error_set(&err, PACTUM_ENOMEM, "internal", "out of memory"), o, &err);
}

/* GET /v1/proof?seq=N[&size=M][&chain=C]: an inclusion proof. */
enum MHD_Result http_record_proof(req *q) {
  enum MHD_Result refused;
  long long seq, size;
  store_chain chain;
  if (query_chain(q, &chain, &refused) || query_count(q, "seq", 0, 1, INT64_MAX, &seq, &refused) ||
      query_count(q, "size", 0, 1, INT64_MAX, &size, &refused))
    return refused;
  if (!seq) return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_argument", "'seq' names the record to prove");
  pactum_error err;
  store *st = http_thread_store(q->s, &err);
  if (!st) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  json_t *o = NULL;
  int r = tlog_prove(st, chain, seq, size, &o, &err);
  return send_tlog(q, r, o, &err);
}

/* GET /v1/consistency?from=M[&to=N][&chain=C]: a consistency proof. */
enum MHD_Result http_record_consistency(req *q) {
  enum MHD_Result refused;
  long long from, to;
  store_chain chain;
  if (query_chain(q, &chain, &refused) || query_count(q, "from", 0, 1, INT64_MAX, &from, &refused) ||
      query_count(q, "to", 0, 1, INT64_MAX, &to, &refused))
    return refused;
  if (!from) return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_argument", "'from' is the size of the older tree");
  pactum_error err;
  store *st = http_thread_store(q->s, &err);
  if (!st) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  json_t *o = NULL;
  int r = tlog_consistency(st, chain, from, to, &o, &err);
  return send_tlog(q, r, o, &err);
}

typedef struct cosig_list {
  json_t *list;
  size_t n, max;
  int more, failed;
} cosig_list;

static int list_cosig(void *ctx, const store_cosig *c) {
  cosig_list *l = ctx;
  if (l->n == l->max) {
    l->more = 1;
    return 1;
  }
  json_t *v = json_loadb(c->json, c->len, 0, NULL);
  if (!v || json_array_append_new(l->list, v)) {
    l->failed = 1;
    return 1;
  }
  l->n++;
  return 0;
}

/*
** GET /v1/checkpoints[?chain=C]: the chain's tree head now, unsigned, and the checkpoints the
** parties signed and sent (at most HTTP_EVENTS_MAX_LIMIT, oldest first; "more" says if others follow).
*/
enum MHD_Result http_record_checkpoints(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  store_chain chain;
  if (query_chain(q, &chain, &refused) || http_fresh(q, &refused)) return refused;
  pactum_error err;
  store *st = http_thread_store(s, &err);
  if (!st) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  json_t *now = NULL;
  int r = tlog_checkpoint(st, &s->origin, chain, 0, &now, &err);
  if (r) return send_tlog(q, r, NULL, &err);
  cosig_list l = {json_array(), 0, HTTP_EVENTS_MAX_LIMIT, 0, 0};
  if (store_cosig_scan(st, chain, list_cosig, &l, &err) < 0 || l.failed) {
    json_decref(now);
    json_decref(l.list);
    return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", l.failed ? "out of memory" : err.message);
  }
  json_t *o = json_pack("{s:o, s:o, s:b}", "current", now, "signed", l.list, "more", l.more);
  return send_tlog(q, o ? 0 : error_set(&err, PACTUM_ENOMEM, "internal", "out of memory"), o, &err);
}

/*
** POST /v1/checkpoints: a checkpoint signed by parties whose keys are registered in the store.
** Its signatures must verify and the store must hold the tree it signed; then each signer's
** cosignature is kept. Any token may post one: the signatures, not the token, say who signed.
*/
enum MHD_Result http_record_cosign(req *q) {
  server *s = q->s;
  if (!http_authenticate(s, q->c))
    return http_send_error(q, 401, ERR_UNAUTHORIZED, "unauthorized",
                           "sending a checkpoint needs 'Authorization: Bearer TOKEN' with a token of the tokens file");
  enum MHD_Result refused;
  json_t *cp = http_body_json(q, &refused);
  if (!cp) return refused;
  pactum_error err;
  signer_set who;
  tlog_check res;
  int chain = tlog_chain_of(cp);
  pthread_mutex_lock(&s->write_lock);
  int r = sign_verify_checkpoint(cp, s->rec->kr, NULL, 0, &who, &err);
  if (!r) r = tlog_check_checkpoint(s->rec->st, &s->origin, cp, &res, &err);
  if (!r && !res.ok) r = error_set(&err, PACTUM_EINPUT, "inconsistent", "%s", res.reason);
  size_t len = 0;
  char *text = NULL;
  if (!r && !(text = canon_json(cp, &len))) r = error_set(&err, PACTUM_ENOMEM, "internal", "out of memory");
  const char *root = json_string_value(json_object_get(cp, "root"));
  for (int i = 0; !r && i < who.n; i++)
    r = store_cosig_put(s->rec->st, (store_chain)chain, res.size, root, who.names[i], text, len, &err);
  pthread_mutex_unlock(&s->write_lock);
  px_free(text);
  json_decref(cp);
  if (r == PACTUM_EINPUT) /* 409: the store does not hold what the checkpoint signed */
    return http_send_error(q, strcmp(err.code, "inconsistent") ? 400 : 409, ERR_BAD_REQUEST, err.code, "%s", err.message);
  if (r) return http_send_error(q, 500, ERR_INTERNAL, "store", "%s", err.message);
  buf b;
  buf_init(&b);
  buf_printf(&b, "{\"kept\":%d,\"size\":%lld,\"signers\":[", who.n, (long long)res.size);
  for (int i = 0; i < who.n; i++) {
    if (i) buf_putc(&b, ',');
    buf_json_cstr(&b, who.names[i]);
  }
  buf_puts(&b, "]}");
  return http_send_json(q, 200, &b);
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

