/*
** http_decide.c: the routes of `pactum serve` that decide: POST /v1/decide (one request or a
** batch), POST /v1/explain, and GET /v1/gate, the hook for nginx's auth_request. Each decides on
** one snapshot of the record, made fresh first (http_refresh), with this thread's reusable
** buffers; their cost does not grow with the record. Every decision says which head of the
** events chain it was made on ("events_seq"; the gate's X-Pactum-Events-Seq header), and is
** logged in the store's decision log unless the server runs with --no-decision-log.
*/
#include "http_int.h"
#include "alloc.h"
#include "date.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "banned.h"

/*
** Put dec in the decision log (when the server keeps one), decided on rq and snapshot sn. 0, or
** PACTUM_EIO with *err saying why: the log's queue stayed full, or the log is stopping. The
** decision is then not given: no decision leaves the server unlogged.
*/
static int log_decision(server *s, const snapshot *sn, json_t *rq, const pactum_decision *dec, pactum_error *err) {
  if (!s->log) return 0;
  declog_basis basis;
  basis.agr = s->agr;
  memcpy(basis.agr_hash, s->origin.agreement, HASH_BYTES);
  basis.events_seq = sn->seq;
  memcpy(basis.events_hash, sn->head_hash, HASH_BYTES);
  size_t len = 0;
  char *entry = declog_entry_json(&basis, rq, dec, declog_now_ms(), &len);
  if (!entry) return error_set(err, PACTUM_ENOMEM, "internal", "out of memory");
  int rc = declog_writer_push(s->log, entry, len, s->cfg.log_wait_ms);
  if (rc == 0) return 0;
  px_free(entry);
  atomic_fetch_add(&s->log_refused, 1);
  if (rc < 0) return error_set(err, PACTUM_EIO, "log_full", "the decision log is stopping; the decision is not given");
  return error_set(err, PACTUM_EIO, "log_full",
                   "the decision log could not keep up (%zu decisions waiting for %u ms); the decision is not given "
                   "unlogged",
                   s->cfg.log_queue, s->cfg.log_wait_ms);
}

/*
** One request object decided into b as a Decision, with "events_seq" (the snapshot's head) added
** at its end, and logged; a request error leaves *err set.
*/
static int decide_one(server *s, worker *w, const snapshot *sn, json_t *rq, buf *b, pactum_error *err) {
  int rc = request_from_json(w->req, rq, date_today(), err);
  if (rc) return rc;
  if ((rc = pactum_decide(s->agr, sn->tl, w->req, w->dec)) == PACTUM_EINPUT) return pactum_decision_error(w->dec, err);
  if (rc) {
    snprintf(err->code, sizeof err->code, "internal");
    snprintf(err->message, sizeof err->message, "the request could not be decided");
    return PACTUM_EINTERNAL;
  }
  if ((rc = log_decision(s, sn, rq, w->dec, err))) return rc;
  atomic_fetch_add(&s->decisions[w->dec->outcome], 1);
  char small[4096];
  size_t n = pactum_decision_to_json(w->dec, small, sizeof small);
  if (n < sizeof small) {
    buf_append(b, small, n - 1); /* without its closing brace */
  } else {
    char *big = px_malloc(n + 1);
    if (!big) return PACTUM_ENOMEM;
    pactum_decision_to_json(w->dec, big, n + 1);
    buf_append(b, big, n - 1);
    px_free(big);
  }
  buf_printf(b, ",\"events_seq\":%lld}", (long long)sn->seq);
  return 0;
}

/* POST /v1/decide: one request, or an array of them decided on one snapshot. */
enum MHD_Result http_decide_decide(req *q) {
  server *s = q->s;
  double t0 = http_now_us();
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  json_t *root = http_body_json(q, &refused);
  if (!root) return refused;
  worker *w = http_worker(s);
  if (!w) {
    json_decref(root);
    return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  }
  snapshot *sn = http_snap_take(s);
  buf b;
  buf_init(&b);
  enum MHD_Result rc;
  pactum_error err;
  if (json_is_array(root)) {
    size_t n = json_array_size(root);
    if (n > s->cfg.max_batch) {
      http_snap_drop(sn);
      json_decref(root);
      return http_send_error(q, 413, ERR_TOO_LARGE, "batch_too_large", "a batch holds at most %zu requests; this one has %zu",
                        s->cfg.max_batch, n);
    }
    buf_putc(&b, '[');
    int unlogged = 0;
    for (size_t i = 0; i < n && !unlogged; i++) {
      if (i) buf_putc(&b, ',');
      int r = decide_one(s, w, sn, json_array_get(root, i), &b, &err);
      if (r == PACTUM_EIO) {
        unlogged = 1;
      } else if (r) {
        buf_puts(&b, "{\"error\":{\"index\":");
        buf_i64(&b, (int64_t)i);
        buf_puts(&b, ",\"code\":");
        buf_json_cstr(&b, err.code);
        buf_puts(&b, ",\"message\":");
        buf_json_cstr(&b, err.message);
        buf_puts(&b, "}}");
        atomic_fetch_add(&s->errors[ERR_BAD_REQUEST], 1);
      }
    }
    buf_putc(&b, ']');
    if (unlogged) {
      buf_release(&b);
      rc = http_send_error(q, 503, ERR_UNAVAILABLE, err.code, "%s", err.message);
    } else {
      rc = http_send_json(q, 200, &b);
    }
  } else {
    int r = decide_one(s, w, sn, root, &b, &err);
    if (r == PACTUM_EIO) {
      buf_release(&b);
      rc = http_send_error(q, 503, ERR_UNAVAILABLE, err.code, "%s", err.message);
    } else if (r) {
      buf_release(&b);
      rc = http_send_error(q, r == PACTUM_EINPUT ? 400 : 500, r == PACTUM_EINPUT ? ERR_BAD_REQUEST : ERR_INTERNAL,
                      err.code, "%s", err.message);
    } else {
      rc = http_send_json(q, 200, &b);
    }
  }
  http_snap_drop(sn);
  json_decref(root);
  double us = http_now_us() - t0;
  size_t k = 0;
  while (k < HTTP_NBUCKETS && us > http_buckets[k]) k++;
  atomic_fetch_add(&s->latency[k], 1);
  atomic_fetch_add(&s->latency_sum_us, (long long)us);
  atomic_fetch_add(&s->latency_count, 1);
  return rc;
}

/* POST /v1/explain: how one request is decided, as `pactum explain --format json`. */
enum MHD_Result http_decide_explain(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  json_t *root = http_body_json(q, &refused);
  if (!root) return refused;
  worker *w = http_worker(s);
  pactum_error err;
  int r = w ? request_from_json(w->req, root, date_today(), &err) : PACTUM_ENOMEM;
  json_decref(root);
  if (r == PACTUM_ENOMEM) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  if (r) return http_send_error(q, 400, ERR_BAD_REQUEST, err.code, "%s", err.message);
  snapshot *sn = http_snap_take(s);
  char *text = pactum_explain(s->agr, sn->tl, w->req, 1);
  int64_t seq = sn->seq;
  http_snap_drop(sn);
  if (!text) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  /* The explanation is one JSON object: "events_seq" goes before its closing brace. */
  buf b;
  buf_init(&b);
  size_t n = strlen(text);
  buf_append(&b, text, n ? n - 1 : 0);
  buf_printf(&b, ",\"events_seq\":%lld}", (long long)seq);
  pactum_string_free(text);
  return http_send_json(q, 200, &b);
}

/* ---- The gateway hook: GET /v1/gate, for nginx's auth_request ------------------------- */

typedef struct gate_ctx {
  const char *prefix;
  size_t plen;
  json_t *resource, *context;
  const char *bad; /* the first gate header whose name or value is not UTF-8 */
} gate_ctx;

/* 1 if the NUL-terminated s is valid UTF-8 (JSON strings must be). */
static int utf8_ok(const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0, k; i < n; i += k)
    if (!(k = utf8_seq_len((const unsigned char *)s + i, n - i))) return 0;
  return 1;
}

/* Header "X-Pactum-Context-Customer-Segment" becomes attribute customer_segment. */
static void header_attr(const char *name, char *out, size_t cap) {
  size_t i = 0;
  for (; name[i] && i + 1 < cap; i++) out[i] = name[i] == '-' ? '_' : (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  out[i] = '\0';
}

/* For each request header: a gate attribute header becomes a resource or context attribute. */
static enum MHD_Result gate_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  gate_ctx *g = cls;
  if (strncasecmp(key, g->prefix, g->plen) != 0 || !value) return MHD_YES;
  if (!utf8_ok(key) || !utf8_ok(value)) {
    if (!g->bad) g->bad = key;
    return MHD_YES;
  }
  const char *rest = key + g->plen;
  char name[128];
  if (!strncasecmp(rest, "Resource-", 9)) {
    header_attr(rest + 9, name, sizeof name);
    json_object_set_new(g->resource, name, json_string(value));
  } else if (!strncasecmp(rest, "Context-", 8)) {
    header_attr(rest + 8, name, sizeof name);
    json_object_set_new(g->context, name, json_string(value));
  }
  return MHD_YES;
}

/* Headers carry strings; give each attribute the JSON type the agreement declares for it. */
static void retype(const caction *act, json_t *obj, int is_context) {
  const char *k;
  json_t *v;
  void *tmp;
  json_object_foreach_safe(obj, tmp, k, v) {
    for (int i = 0; i < act->nattrs; i++) {
      const cattr *a = &act->attrs[i];
      if (a->is_context != is_context || strcmp(a->name, k)) continue;
      const char *sv = json_string_value(v);
      if (a->type.kind == TY_BOOL && sv) {
        if (!strcasecmp(sv, "true") || !strcmp(sv, "1")) json_object_set_new(obj, k, json_true());
        else if (!strcasecmp(sv, "false") || !strcmp(sv, "0")) json_object_set_new(obj, k, json_false());
      } else if (a->type.kind == TY_INTEGER && sv) { /* money and decimals take their text as it is (num.h) */
        char *end;
        errno = 0;
        long long n = strtoll(sv, &end, 10);
        if (!errno && *sv && !*end) json_object_set_new(obj, k, json_integer(n));
      }
    }
  }
}

/* GET /v1/gate: the request in headers, 204 when allowed, 403 otherwise, the decision in headers. */
enum MHD_Result http_decide_gate(req *q) {
  server *s = q->s;
  const char *prefix = s->cfg.gate_prefix;
  char hp[96], ha[96], hd[96];
  snprintf(hp, sizeof hp, "%sPrincipal", prefix);
  snprintf(ha, sizeof ha, "%sAction", prefix);
  snprintf(hd, sizeof hd, "%sDate", prefix);
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  const char *principal = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, hp);
  const char *action = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, ha);
  const char *date = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, hd);
  if (!principal || !action)
    return http_send_error(q, 400, ERR_BAD_REQUEST, "missing_field", "the gate needs the headers '%s' and '%s'", hp, ha);
  gate_ctx g = {prefix, strlen(prefix), json_object(), json_object(), NULL};
  MHD_get_connection_values(q->c, MHD_HEADER_KIND, gate_header, &g);
  if (g.bad) {
    json_decref(g.resource);
    json_decref(g.context);
    return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_header", "the header '%.64s' is not UTF-8", g.bad);
  }
  int a = agreement_find_action(s->agr, action, strlen(action));
  if (a >= 0) {
    retype(&s->agr->actions[a], g.resource, 0);
    retype(&s->agr->actions[a], g.context, 1);
  }
  if (date) json_object_set_new(g.context, "date", json_string(date));
  json_t *rq = json_pack("{s:s, s:s, s:o, s:o}", "principal", principal, "action", action, "resource", g.resource,
                         "context", g.context);
  worker *w = http_worker(s);
  pactum_error err;
  int r = rq && w ? request_from_json(w->req, rq, date_today(), &err) : PACTUM_ENOMEM;
  if (r) {
    json_decref(rq);
    if (r == PACTUM_ENOMEM) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
    return http_send_error(q, 400, ERR_BAD_REQUEST, err.code, "%s", err.message);
  }
  snapshot *sn = http_snap_take(s);
  int d = pactum_decide(s->agr, sn->tl, w->req, w->dec);
  int unlogged = d ? 0 : log_decision(s, sn, rq, w->dec, &err);
  int64_t seq = sn->seq;
  http_snap_drop(sn);
  json_decref(rq);
  if (d == PACTUM_EINPUT) {
    pactum_decision_error(w->dec, &err);
    return http_send_error(q, 400, ERR_BAD_REQUEST, err.code, "%s", err.message);
  }
  if (d) return http_send_error(q, 500, ERR_INTERNAL, "internal", "the request could not be decided");
  if (unlogged) return http_send_error(q, 503, ERR_UNAVAILABLE, err.code, "%s", err.message);
  atomic_fetch_add(&s->decisions[w->dec->outcome], 1);
  buf ids;
  buf_init(&ids);
  for (int i = 0; i < w->dec->ndet; i++) {
    if (i) buf_putc(&ids, ',');
    buf_puts(&ids, s->agr->clauses[w->dec->det[i]].id);
  }
  int allow = w->dec->outcome == PACTUM_ALLOW;
  struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    buf_release(&ids);
    return MHD_NO;
  }
  char hn[128];
  snprintf(hn, sizeof hn, "%sDecision", prefix);
  MHD_add_response_header(resp, hn, pactum_outcome_name(w->dec->outcome));
  snprintf(hn, sizeof hn, "%sClauses", prefix);
  MHD_add_response_header(resp, hn, ids.data ? ids.data : "");
  char seqtext[24];
  snprintf(seqtext, sizeof seqtext, "%lld", (long long)seq);
  snprintf(hn, sizeof hn, "%sEvents-Seq", prefix);
  MHD_add_response_header(resp, hn, seqtext);
  buf_release(&ids);
  return http_respond(q, allow ? 204 : 403, resp);
}
