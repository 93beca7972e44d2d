/*
** http.c: `pactum serve`, the decision service. A thin protocol layer over the library:
** libmicrohttpd parses HTTP (epoll, a thread pool sized to the machine); each route turns a
** request into library calls and their results into JSON.
**
** Decisions read an immutable snapshot of the folded events. Appending events (under one
** writer lock) builds a new snapshot and swaps it in; a reader takes the current snapshot
** under a lock held only for the pointer swap, so it never waits for an append to fold, and
** never sees half of one. An event is acknowledged only after its batch has committed.
*/
#include "http.h"
#include "alloc.h"
#include "audit.h"
#include "canon.h"
#include "date.h"
#include "embedded.h"
#include "error.h"
#include "ledger.h"
#include "record.h"
#include "whatif.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "banned.h"

/* ---- Snapshots ------------------------------------------------------------------------ */

typedef struct snapshot {
  pactum_timeline *tl;
  int64_t seq;
  char head[HASH_HEX];
  atomic_int refs;
} snapshot;

typedef struct api_token {
  char signer[SIGN_MAX_SIGNER];
  uint8_t hash[HASH_BYTES];
} api_token;

/* Latency buckets of /v1/decide, in microseconds. */
static const double BUCKETS[] = {50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000};
#define NBUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])

enum { ERR_BAD_REQUEST, ERR_UNAUTHORIZED, ERR_FORBIDDEN, ERR_NOT_FOUND, ERR_METHOD, ERR_TOO_LARGE, ERR_INTERNAL, NERR };
static const char *const ERR_KIND[NERR] = {"bad_request", "unauthorized", "forbidden", "not_found",
                                           "method_not_allowed", "too_large", "internal"};

typedef struct server {
  const pactum_agreement *agr;
  serve_config cfg;
  record *rec; /* the writer's view; only under write_lock */
  pthread_mutex_t write_lock, snap_lock;
  snapshot *snap;
  api_token *tokens;
  size_t ntokens;
  int has_read_token;
  uint8_t read_token[HASH_BYTES];
  char agr_hash[HASH_HEX];
  atomic_llong decisions[4];
  atomic_llong latency[NBUCKETS + 1];
  atomic_llong latency_sum_us, latency_count;
  atomic_llong events_appended, http_requests;
  atomic_int in_flight; /* requests begun and not yet completed */
  atomic_int stopping;  /* SIGTERM or SIGINT came: begin no new request */
  atomic_llong errors[NERR];
} server;

static snapshot *snap_take(server *s) {
  pthread_mutex_lock(&s->snap_lock);
  snapshot *sn = s->snap;
  atomic_fetch_add(&sn->refs, 1);
  pthread_mutex_unlock(&s->snap_lock);
  return sn;
}

static void snap_drop(snapshot *sn) {
  if (sn && atomic_fetch_sub(&sn->refs, 1) == 1) {
    pactum_timeline_free(sn->tl);
    px_free(sn);
  }
}

/* A snapshot of what the writer has folded; NULL if memory ran out. Caller holds write_lock. */
static snapshot *snap_build(server *s) {
  snapshot *sn = px_calloc(1, sizeof *sn);
  if (!sn) return NULL;
  if (!(sn->tl = timeline_copy(s->rec->tl))) {
    px_free(sn);
    return NULL;
  }
  sn->seq = s->rec->tip.seq;
  canon_hex(s->rec->tip.hash, HASH_BYTES, sn->head);
  atomic_init(&sn->refs, 1); /* the server's own reference */
  return sn;
}

static void snap_publish(server *s, snapshot *sn) {
  pthread_mutex_lock(&s->snap_lock);
  snapshot *old = s->snap;
  s->snap = sn;
  pthread_mutex_unlock(&s->snap_lock);
  snap_drop(old);
}

/* ---- Per-connection state and responses ----------------------------------------------- */

typedef struct conn {
  buf body;
  size_t dropped;    /* bytes of an oversized body read and thrown away */
  double over_since; /* when it passed the limit, in microseconds */
  int too_large;
  int started;
} conn;

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type, const char *text,
                                 size_t len) {
  struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result rc = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return rc;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, buf *b) {
  if (b->failed) {
    buf_release(b);
    static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
    return send_text(c, 500, "application/json", oom, sizeof oom - 1);
  }
  enum MHD_Result rc = send_text(c, status, "application/json", b->data ? b->data : "", b->len);
  buf_release(b);
  return rc;
}

/* The Allow header of the 405 being sent; set by dispatch just before, on the same thread. */
static _Thread_local char allow_header[64];

static enum MHD_Result send_error(server *s, struct MHD_Connection *c, unsigned status, int kind, const char *code,
                                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static enum MHD_Result send_error(server *s, struct MHD_Connection *c, unsigned status, int kind, const char *code,
                                  const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  atomic_fetch_add(&s->errors[kind], 1);
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"error\":{\"code\":");
  buf_json_cstr(&b, code);
  buf_puts(&b, ",\"message\":");
  buf_json_cstr(&b, msg);
  buf_puts(&b, "}}");
  if (b.failed || (status != 401 && status != 405)) return send_json(c, status, &b);
  /* A 401 says how to authenticate, a 405 which methods the path takes (RFC 9110). */
  struct MHD_Response *r = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_COPY);
  buf_release(&b);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type", "application/json");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  if (status == 401) MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"pactum\"");
  if (status == 405) MHD_add_response_header(r, "Allow", allow_header);
  enum MHD_Result rc = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return rc;
}

/* ---- Authentication ------------------------------------------------------------------- */

/* The SHA-256 of the bearer token of c, or -1 if it carries none. */
static int bearer_hash(struct MHD_Connection *c, uint8_t out[HASH_BYTES]) {
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncasecmp(h, "Bearer ", 7) != 0) return -1;
  const char *t = h + 7;
  while (*t == ' ') t++;
  if (!*t) return -1;
  crypto_hash_sha256(out, (const unsigned char *)t, strlen(t));
  return 0;
}

/* The signer whose token c carries, or NULL. Every entry is compared, in constant time. */
static const char *authenticate(server *s, struct MHD_Connection *c) {
  uint8_t h[HASH_BYTES];
  if (bearer_hash(c, h)) return NULL;
  const char *who = NULL;
  for (size_t i = 0; i < s->ntokens; i++)
    if (sodium_memcmp(h, s->tokens[i].hash, HASH_BYTES) == 0 && !who) who = s->tokens[i].signer;
  return who;
}

static int read_allowed(server *s, struct MHD_Connection *c) {
  if (!s->has_read_token) return 1;
  uint8_t h[HASH_BYTES];
  if (bearer_hash(c, h)) return 0;
  if (sodium_memcmp(h, s->read_token, HASH_BYTES) == 0) return 1;
  return authenticate(s, c) != NULL; /* a party's token reads too */
}

static int load_tokens(server *s, const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp) {
    fprintf(stderr, "pactum: error: cannot open the tokens file '%s': %s\n", path, strerror(errno));
    return -1;
  }
  char line[512];
  int lineno = 0, rc = 0;
  while (fgets(line, sizeof line, fp)) {
    lineno++;
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == '\0') continue;
    char signer[SIGN_MAX_SIGNER], hex[80];
    if (sscanf(p, "%127s %79s", signer, hex) != 2) {
      fprintf(stderr, "%s:%d: error: expected 'SIGNER SHA256-OF-TOKEN'\n", path, lineno);
      rc = -1;
      break;
    }
    api_token *t = px_realloc(s->tokens, (s->ntokens + 1) * sizeof *t);
    if (!t) {
      rc = -1;
      break;
    }
    s->tokens = t;
    snprintf(t[s->ntokens].signer, sizeof t[s->ntokens].signer, "%s", signer);
    if (canon_unhex(hex, t[s->ntokens].hash, HASH_BYTES)) {
      fprintf(stderr, "%s:%d: error: '%s' is not a SHA-256 in hex (64 digits)\n", path, lineno, hex);
      rc = -1;
      break;
    }
    s->ntokens++;
  }
  fclose(fp);
  return rc;
}

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

/* ---- Routes --------------------------------------------------------------------------- */

typedef struct req {
  server *s;
  struct MHD_Connection *c;
  conn *cn;
  const char *method;
} req;

static int32_t query_day(req *q, int *bad) {
  const char *d = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "date");
  int32_t day = date_today();
  *bad = d && date_parse(d, strlen(d), &day) != 0;
  return day;
}

static enum MHD_Result r_healthz(req *q) {
  static const char ok[] = "{\"ok\":true}";
  return send_text(q->c, 200, "application/json", ok, sizeof ok - 1);
}

static enum MHD_Result r_metrics(req *q) {
  server *s = q->s;
  buf b;
  buf_init(&b);
  buf_puts(&b, "# HELP pactum_decisions_total Decisions made, by outcome.\n# TYPE pactum_decisions_total counter\n");
  for (int o = 0; o < 4; o++)
    buf_printf(&b, "pactum_decisions_total{outcome=\"%s\"} %lld\n", pactum_outcome_name((pactum_outcome)o),
               (long long)atomic_load(&s->decisions[o]));
  buf_puts(&b, "# HELP pactum_decide_request_seconds Time to answer a /v1/decide request.\n"
               "# TYPE pactum_decide_request_seconds histogram\n");
  long long cum = 0;
  for (size_t i = 0; i < NBUCKETS; i++) {
    cum += atomic_load(&s->latency[i]);
    buf_printf(&b, "pactum_decide_request_seconds_bucket{le=\"%g\"} %lld\n", BUCKETS[i] / 1e6, cum);
  }
  cum += atomic_load(&s->latency[NBUCKETS]);
  buf_printf(&b, "pactum_decide_request_seconds_bucket{le=\"+Inf\"} %lld\n", cum);
  buf_printf(&b, "pactum_decide_request_seconds_sum %.6f\n", (double)atomic_load(&s->latency_sum_us) / 1e6);
  buf_printf(&b, "pactum_decide_request_seconds_count %lld\n", (long long)atomic_load(&s->latency_count));
  buf_puts(&b, "# HELP pactum_events_appended_total Events recorded through this service.\n"
               "# TYPE pactum_events_appended_total counter\n");
  buf_printf(&b, "pactum_events_appended_total %lld\n", (long long)atomic_load(&s->events_appended));
  buf_puts(&b, "# HELP pactum_errors_total Requests answered with an error, by kind.\n# TYPE pactum_errors_total counter\n");
  for (int k = 0; k < NERR; k++)
    buf_printf(&b, "pactum_errors_total{kind=\"%s\"} %lld\n", ERR_KIND[k], (long long)atomic_load(&s->errors[k]));
  buf_printf(&b, "# HELP pactum_http_requests_total HTTP requests begun.\n"
                 "# TYPE pactum_http_requests_total counter\npactum_http_requests_total %lld\n",
             (long long)atomic_load(&s->http_requests));
  snapshot *sn = snap_take(s);
  buf_printf(&b, "# TYPE pactum_events_recorded gauge\npactum_events_recorded %lld\n", (long long)sn->seq);
  snap_drop(sn);
  if (b.failed) return send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  enum MHD_Result rc = send_text(q->c, 200, "text/plain; version=0.0.4", b.data, b.len);
  buf_release(&b);
  return rc;
}

static const char *type_name(type_kind k) {
  switch (k) {
  case TY_BOOL: return "bool";
  case TY_STRING: return "string";
  case TY_INTEGER: return "integer";
  case TY_MONEY: return "money";
  case TY_DATE: return "date";
  case TY_ENUM: return "enum";
  case TY_REF: return "ref";
  default: return "none";
  }
}

static enum MHD_Result r_agreement(req *q) {
  const pactum_agreement *agr = q->s->agr;
  char day[11];
  date_format(agr->effective, day);
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"id\":");
  buf_json_cstr(&b, agr->id);
  buf_puts(&b, ",\"version\":");
  buf_json_cstr(&b, agr->version);
  buf_puts(&b, ",\"title\":");
  buf_json_cstr(&b, agr->title);
  buf_printf(&b, ",\"effective\":\"%s\",\"hash\":\"%s\",\"parties\":[", day, q->s->agr_hash);
  for (int i = 0; i < agr->nparties; i++) {
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, agr->parties[i].name);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, agr->parties[i].title);
    buf_putc(&b, '}');
  }
  buf_puts(&b, "],\"bodies\":[");
  for (int i = 0; i < agr->nbodies; i++) {
    const cbody *bd = &agr->bodies[i];
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, bd->name);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, bd->title);
    buf_puts(&b, ",\"members\":[");
    for (int m = 0; m < bd->nmembers; m++) {
      if (m) buf_putc(&b, ',');
      buf_json_cstr(&b, bd->members[m]);
    }
    buf_printf(&b, "],\"quorum\":%d}", bd->quorum);
  }
  buf_puts(&b, "],\"sources\":[");
  static const char *const conf[] = {"official", "press", "seed"};
  for (int i = 0; i < agr->nsources; i++) {
    const csource *src = &agr->sources[i];
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, src->name);
    buf_printf(&b, ",\"confidence\":\"%s\",\"ref\":", conf[src->conf]);
    buf_json_cstr(&b, src->ref);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, src->title);
    buf_putc(&b, '}');
  }
  buf_puts(&b, "],\"source\":");
  buf_json_str(&b, agr->src, agr->src_len);
  buf_putc(&b, '}');
  return send_json(q->c, 200, &b);
}

/* An enum's ,"members":[...], a ref's ,"event":"TYPE"; nothing for other types. */
static void put_members(buf *b, type_ref t) {
  if (t.kind == TY_REF) {
    buf_puts(b, ",\"event\":");
    buf_json_cstr(b, t.target);
    return;
  }
  if (t.kind != TY_ENUM) return;
  buf_puts(b, ",\"members\":[");
  for (int m = 0; m < t.en->n; m++) {
    if (m) buf_putc(b, ',');
    buf_json_cstr(b, t.en->names[m]);
  }
  buf_putc(b, ']');
}

static enum MHD_Result r_vocabulary(req *q) {
  const pactum_agreement *agr = q->s->agr;
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"actions\":[");
  for (int a = 0; a < agr->nactions; a++) {
    const caction *act = &agr->actions[a];
    buf_puts(&b, a ? ",{\"name\":" : "{\"name\":");
    buf_json_cstr(&b, act->name);
    buf_puts(&b, ",\"principals\":[");
    int n = 0;
    for (int p = 0; p < agr->nparties; p++)
      if (act->principal_ok[p]) {
        if (n++) buf_putc(&b, ',');
        buf_json_cstr(&b, agr->parties[p].name);
      }
    buf_puts(&b, "],\"attributes\":[");
    for (int i = 0; i < act->nattrs; i++) {
      const cattr *at = &act->attrs[i];
      buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
      buf_json_cstr(&b, at->name);
      buf_printf(&b, ",\"scope\":\"%s\",\"type\":\"%s\"", at->is_context ? "context" : "resource",
                 type_name(at->type.kind));
      put_members(&b, at->type);
      buf_puts(&b, ",\"default\":");
      if (!at->has_default) {
        buf_puts(&b, "null");
      } else {
        switch (at->type.kind) {
        case TY_BOOL: buf_puts(&b, at->def ? "true" : "false"); break;
        case TY_ENUM: buf_json_cstr(&b, at->type.en->names[at->def]); break;
        case TY_STRING:
          if (at->def >= 0 && at->def < agr->nstrs) buf_json_str(&b, agr->strs[at->def], agr->str_lens[at->def]);
          else buf_puts(&b, "null");
          break;
        case TY_DATE: {
          char d[11];
          date_format((int32_t)at->def, d);
          buf_printf(&b, "\"%s\"", d);
          break;
        }
        default: buf_i64(&b, at->def); break;
        }
      }
      buf_putc(&b, '}');
    }
    buf_puts(&b, "]}");
  }
  /* The event types and their fields, for the dashboard's what-if form. */
  buf_puts(&b, "],\"events\":[");
  for (int e = 0; e < agr->nevents; e++) {
    const cevent *ev = &agr->events[e];
    buf_puts(&b, e ? ",{\"name\":" : "{\"name\":");
    buf_json_cstr(&b, ev->name);
    buf_puts(&b, ",\"fields\":[");
    for (int f = 0; f < ev->nfields; f++) {
      const cfield *fd = &ev->fields[f];
      buf_puts(&b, f ? ",{\"name\":" : "{\"name\":");
      buf_json_cstr(&b, fd->name);
      buf_printf(&b, ",\"type\":\"%s\"", type_name(fd->type.kind));
      put_members(&b, fd->type);
      buf_putc(&b, '}');
    }
    buf_puts(&b, "]}");
  }
  buf_puts(&b, "]}");
  return send_json(q->c, 200, &b);
}

static enum MHD_Result send_owned(req *q, char *text) {
  if (!text) return send_error(q->s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  enum MHD_Result rc = send_text(q->c, 200, "application/json", text, strlen(text));
  px_free(text);
  return rc;
}

static enum MHD_Result r_clauses(req *q) { return send_owned(q, clauses_render(q->s->agr, 1)); }

static enum MHD_Result r_status(req *q) {
  int bad;
  int32_t day = query_day(q, &bad);
  if (bad) return send_error(q->s, q->c, 400, ERR_BAD_REQUEST, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  snapshot *sn = snap_take(q->s);
  char *text = status_render(q->s->agr, sn->tl, day, 1);
  snap_drop(sn);
  return send_owned(q, text);
}

static enum MHD_Result r_ledger(req *q) {
  int bad;
  int32_t day = query_day(q, &bad);
  if (bad) return send_error(q->s, q->c, 400, ERR_BAD_REQUEST, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  const char *by = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "by");
  if (by && strcmp(by, "month") && strcmp(by, "quarter"))
    return send_error(q->s, q->c, 400, ERR_BAD_REQUEST, "bad_argument", "'by' is month or quarter");
  snapshot *sn = snap_take(q->s);
  char *text = ledger_render(q->s->agr, sn->tl, day, by && !strcmp(by, "quarter"), 1);
  snap_drop(sn);
  return send_owned(q, text);
}

/* One request object decided into b (as a Decision, or an error object for a batch). */
typedef struct worker {
  const pactum_agreement *agr;
  pactum_request *req;
  pactum_decision *dec;
} worker;

/* Each service thread keeps its own request and decision buffers, freed when the thread ends. */
static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;

static void worker_free(void *p) {
  worker *w = p;
  pactum_request_free(w->req);
  pactum_decision_free(w->dec);
  px_free(w);
}

static void worker_key_init(void) { pthread_key_create(&worker_key, worker_free); }

/* This thread's reusable request and decision buffers; NULL if memory ran out. */
static worker *thread_worker(const pactum_agreement *agr) {
  pthread_once(&worker_once, worker_key_init);
  worker *w = pthread_getspecific(worker_key);
  if (w && w->agr == agr) return w;
  if (!w) {
    if (!(w = px_calloc(1, sizeof *w))) return NULL;
    if (pthread_setspecific(worker_key, w)) {
      px_free(w);
      return NULL;
    }
  }
  pactum_request_free(w->req);
  pactum_decision_free(w->dec);
  w->req = pactum_request_new(agr);
  w->dec = pactum_decision_new(agr);
  w->agr = w->req && w->dec ? agr : NULL;
  return w->agr ? w : NULL;
}

static int decide_one(server *s, worker *w, const pactum_timeline *tl, json_t *rq, buf *b, pactum_error *err) {
  int rc = request_from_json(w->req, rq, date_today(), err);
  if (rc) return rc;
  if (pactum_decide(s->agr, tl, w->req, w->dec)) {
    snprintf(err->code, sizeof err->code, "internal");
    snprintf(err->message, sizeof err->message, "the request could not be decided");
    return PACTUM_EINTERNAL;
  }
  atomic_fetch_add(&s->decisions[w->dec->outcome], 1);
  char small[4096];
  size_t n = pactum_decision_to_json(w->dec, small, sizeof small);
  if (n < sizeof small) {
    buf_append(b, small, n);
  } else {
    char *big = px_malloc(n + 1);
    if (!big) return PACTUM_ENOMEM;
    pactum_decision_to_json(w->dec, big, n + 1);
    buf_append(b, big, n);
    px_free(big);
  }
  return 0;
}

/* The request's body as JSON; NULL after answering 400 (*rc holds what to return). */
static json_t *body_json(req *q, enum MHD_Result *rc) {
  const buf *body = &q->cn->body;
  json_error_t je;
  json_t *root = json_loadb(body->data ? body->data : "", body->len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    *rc = send_error(q->s, q->c, 400, ERR_BAD_REQUEST, "bad_json", "malformed JSON at line %d, column %d: %s", je.line,
                     je.column, je.text);
  return root;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static enum MHD_Result r_decide(req *q) {
  server *s = q->s;
  double t0 = now_us();
  enum MHD_Result refused;
  json_t *root = body_json(q, &refused);
  if (!root) return refused;
  worker *w = thread_worker(s->agr);
  if (!w) {
    json_decref(root);
    return send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  }
  snapshot *sn = snap_take(s);
  buf b;
  buf_init(&b);
  enum MHD_Result rc;
  pactum_error err;
  if (json_is_array(root)) {
    size_t n = json_array_size(root);
    if (n > s->cfg.max_batch) {
      snap_drop(sn);
      json_decref(root);
      return send_error(s, q->c, 413, ERR_TOO_LARGE, "batch_too_large", "a batch holds at most %zu requests; this one has %zu",
                        s->cfg.max_batch, n);
    }
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
      if (i) buf_putc(&b, ',');
      int r = decide_one(s, w, sn->tl, json_array_get(root, i), &b, &err);
      if (r) {
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
    rc = send_json(q->c, 200, &b);
  } else {
    int r = decide_one(s, w, sn->tl, root, &b, &err);
    if (r) {
      buf_release(&b);
      rc = send_error(s, q->c, r == PACTUM_EINPUT ? 400 : 500, r == PACTUM_EINPUT ? ERR_BAD_REQUEST : ERR_INTERNAL,
                      err.code, "%s", err.message);
    } else {
      rc = send_json(q->c, 200, &b);
    }
  }
  snap_drop(sn);
  json_decref(root);
  double us = now_us() - t0;
  size_t k = 0;
  while (k < NBUCKETS && us > BUCKETS[k]) k++;
  atomic_fetch_add(&s->latency[k], 1);
  atomic_fetch_add(&s->latency_sum_us, (long long)us);
  atomic_fetch_add(&s->latency_count, 1);
  return rc;
}

static enum MHD_Result r_explain(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  json_t *root = body_json(q, &refused);
  if (!root) return refused;
  worker *w = thread_worker(s->agr);
  pactum_error err;
  int r = w ? request_from_json(w->req, root, date_today(), &err) : PACTUM_ENOMEM;
  json_decref(root);
  if (r == PACTUM_ENOMEM) return send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  if (r) return send_error(s, q->c, 400, ERR_BAD_REQUEST, err.code, "%s", err.message);
  snapshot *sn = snap_take(s);
  char *text = pactum_explain(s->agr, sn->tl, w->req, 1);
  snap_drop(sn);
  return send_owned(q, text);
}

/*
** POST /v1/whatif: {"add":[event or "TYPE VALUES... DATE", ...], "date"?: D, "requests"?: [...]}.
** The baseline is the snapshot's events, read back from the store up to the snapshot's seq.
*/
static enum MHD_Result r_whatif(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  json_t *root = body_json(q, &refused);
  if (!root) return refused;
  json_t *add = json_object_get(root, "add"), *jd = json_object_get(root, "date"), *rqs = json_object_get(root, "requests");
  json_t *added = NULL, *base = NULL, *labels = NULL, *seqs = NULL, *report = NULL;
  const char *key;
  json_t *v;
  pactum_error err;
  int status = 400, kind = ERR_BAD_REQUEST, rc = PACTUM_EINPUT, has_day = 0;
  int32_t day = 0;
  snapshot *sn = NULL;
  store *st = NULL;
  if (!json_is_object(root)) {
    error_set(&err, rc, "wrong_type", "the body must be a JSON object {\"add\": [...]}");
    goto fail;
  }
  json_object_foreach(root, key, v) if (strcmp(key, "add") && strcmp(key, "date") && strcmp(key, "requests")) {
    error_set(&err, rc, "unknown_field", "unknown member '%.64s' (the body has add, date and requests)", key);
    goto fail;
  }
  if (!json_is_array(add) || !json_array_size(add)) {
    error_set(&err, rc, "missing_field", "'add' must be a non-empty array of events");
    goto fail;
  }
  if (json_array_size(add) > s->cfg.max_batch || json_array_size(rqs) > s->cfg.max_batch) {
    status = 413;
    kind = ERR_TOO_LARGE;
    error_set(&err, rc, "batch_too_large", "'add' and 'requests' hold at most %zu items each", s->cfg.max_batch);
    goto fail;
  }
  if (jd && (!json_is_string(jd) || date_parse(json_string_value(jd), json_string_length(jd), &day))) {
    error_set(&err, rc, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
    goto fail;
  }
  has_day = jd != NULL;
  if (rqs && !json_is_array(rqs)) {
    error_set(&err, rc, "wrong_type", "'requests' must be an array of requests");
    goto fail;
  }
  if (!(added = json_array())) goto oom;
  size_t i;
  json_array_foreach(add, i, v) {
    json_t *ev = json_is_string(v) ? whatif_parse_add(s->agr, json_string_value(v), &err) : json_incref(v);
    if (!ev) {
      if (!strcmp(err.code, "out_of_memory")) goto oom;
      pactum_error e = err;
      error_set(&err, rc, e.code, "added event %zu: %s", i + 1, e.message);
      goto fail;
    }
    json_array_append_new(added, ev);
  }
  sn = snap_take(s);
  if (store_open(s->cfg.db, 0, &st, &err) || whatif_store_events(st, sn->seq, &base, &labels, &seqs, &err)) {
    status = 500;
    kind = ERR_INTERNAL;
    goto fail;
  }
  whatif w;
  if ((rc = whatif_init(&w, s->agr, base, labels, seqs, sn->seq, added, &err))) {
    if (rc == PACTUM_ENOMEM) goto oom;
    goto fail;
  }
  json_t *gen = rqs ? NULL : whatif_generate_requests(s->agr, &(long){0});
  rc = rqs || gen ? whatif_compare(&w, rqs ? rqs : gen, has_day, day, &report, &err) : PACTUM_ENOMEM;
  if (!rc && gen) json_object_set_new(report, "generated_requests", json_true());
  json_decref(gen);
  whatif_release(&w);
  if (rc == PACTUM_ENOMEM) goto oom;
  if (rc) goto fail;
  char *text = json_dumps(report, JSON_COMPACT);
  enum MHD_Result out = text ? send_text(q->c, 200, "application/json", text, strlen(text))
                             : send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  px_free(text);
  json_decref(report);
  json_decref(added);
  json_decref(base);
  json_decref(labels);
  json_decref(seqs);
  json_decref(root);
  store_close(st);
  snap_drop(sn);
  return out;
oom:
  status = 500;
  kind = ERR_INTERNAL;
  error_set(&err, PACTUM_ENOMEM, "internal", "out of memory");
fail:
  json_decref(report);
  json_decref(added);
  json_decref(base);
  json_decref(labels);
  json_decref(seqs);
  json_decref(root);
  if (st) store_close(st);
  snap_drop(sn);
  return send_error(s, q->c, (unsigned)status, kind, err.code, "%s", err.message);
}

typedef struct events_ctx {
  buf *b;
  int n;
} events_ctx;

static int list_event(void *ctx, const store_record *rec) {
  events_ctx *x = ctx;
  buf_printf(x->b, "%s{\"seq\":%lld,\"event\":", x->n++ ? "," : "", (long long)rec->seq);
  buf_append(x->b, rec->json, rec->len);
  buf_putc(x->b, '}');
  return x->b->failed;
}

static enum MHD_Result r_events_get(req *q) {
  server *s = q->s;
  const char *since = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "since");
  long long after = 0;
  if (since) {
    char *end;
    errno = 0;
    after = strtoll(since, &end, 10);
    if (errno || *end || after < 0)
      return send_error(s, q->c, 400, ERR_BAD_REQUEST, "bad_argument", "'since' is a seq, a whole number");
  }
  store *st;
  pactum_error err;
  if (store_open(s->cfg.db, 0, &st, &err))
    return send_error(s, q->c, 500, ERR_INTERNAL, "store", "%s", err.message);
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"events\":[");
  events_ctx x = {&b, 0};
  /* The head first, then the events up to it: an append committed between the two reads must
     not leave the head past the last event listed (a client polling with since=head.seq would
     never see the events in between). */
  int64_t seq = 0;
  uint8_t head[HASH_BYTES];
  canon_unhex(s->agr_hash, head, HASH_BYTES);
  int rc = store_head(st, CHAIN_EVENTS, &seq, head, &err);
  if (!rc && after < seq) rc = store_scan_range(st, CHAIN_EVENTS, after, seq, list_event, &x, &err);
  store_close(st);
  if (rc < 0) {
    buf_release(&b);
    return send_error(s, q->c, 500, ERR_INTERNAL, "store", "%s", err.message);
  }
  char hex[HASH_HEX];
  canon_hex(head, HASH_BYTES, hex);
  buf_printf(&b, "],\"head\":{\"seq\":%lld,\"hash\":\"%s\"}}", (long long)seq, hex);
  return send_json(q->c, 200, &b);
}

static enum MHD_Result r_events_post(req *q) {
  server *s = q->s;
  const char *who = authenticate(s, q->c);
  if (!who)
    return send_error(s, q->c, 401, ERR_UNAUTHORIZED, "unauthorized",
                      "appending events needs 'Authorization: Bearer TOKEN' with a token listed in the tokens file");
  enum MHD_Result refused;
  json_t *root = body_json(q, &refused);
  if (!root) return refused;
  if (json_is_object(root)) {
    json_t *arr = json_array();
    json_array_append_new(arr, root);
    root = arr;
  }
  if (!json_is_array(root)) {
    json_decref(root);
    return send_error(s, q->c, 400, ERR_BAD_REQUEST, "wrong_type", "the body must be an event object or an array of them");
  }
  size_t n = json_array_size(root);
  if (n > s->cfg.max_batch) {
    json_decref(root);
    return send_error(s, q->c, 413, ERR_TOO_LARGE, "batch_too_large", "a batch holds at most %zu events; this one has %zu",
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
      enum MHD_Result rc = send_error(s, q->c, 403, ERR_FORBIDDEN, "not_allowed",
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
    rc = send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  } else {
    pactum_error err;
    size_t bad;
    int64_t first, last;
    pthread_mutex_lock(&s->write_lock);
    const char *names[1] = {who};
    record_caller caller = {names, 1, 0};
    int r = record_add(s->rec, (const char *const *)texts, lens, n, NULL, 0, &caller, &bad, &first, &last, &err);
    snapshot *sn = r ? NULL : snap_build(s);
    if (sn) snap_publish(s, sn);
    int64_t head_seq = s->rec->tip.seq;
    char hex[HASH_HEX];
    canon_hex(s->rec->tip.hash, HASH_BYTES, hex);
    pthread_mutex_unlock(&s->write_lock);
    if (r) {
      int input = r == PACTUM_EINPUT;
      if (bad < n)
        rc = send_error(s, q->c, input ? 400 : 500, input ? ERR_BAD_REQUEST : ERR_INTERNAL, err.code,
                        "event %zu: %s; nothing was written", bad, err.message);
      else
        rc = send_error(s, q->c, input ? 400 : 500, input ? ERR_BAD_REQUEST : ERR_INTERNAL, err.code, "%s", err.message);
    } else {
      atomic_fetch_add(&s->events_appended, (long long)n);
      buf b;
      buf_init(&b);
      buf_printf(&b, "{\"recorded\":%zu,\"first\":%lld,\"last\":%lld,\"head\":{\"seq\":%lld,\"hash\":\"%s\"}}", n,
                 (long long)first, (long long)last, (long long)head_seq, hex);
      if (!sn) fprintf(stderr, "pactum: warning: events recorded, but the new snapshot could not be built\n");
      rc = send_json(q->c, 200, &b);
    }
  }
  for (size_t i = 0; texts && i < n; i++) px_free(texts[i]);
  px_free(texts);
  px_free(lens);
  return rc;
}

static enum MHD_Result r_audit(req *q) {
  server *s = q->s;
  store *st;
  pactum_error err;
  if (store_open(s->cfg.db, 0, &st, &err))
    return send_error(s, q->c, 500, ERR_INTERNAL, "store", "%s", err.message);
  uint8_t genesis[HASH_BYTES];
  canon_unhex(s->agr_hash, genesis, HASH_BYTES);
  audit_result res;
  int rc = audit_verify(st, CHAIN_EVENTS, genesis, NULL, &res, &err);
  store_close(st);
  if (rc) return send_error(s, q->c, 500, ERR_INTERNAL, "store", "%s", err.message);
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
  return send_json(q->c, 200, &b);
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
      } else if ((a->type.kind == TY_INTEGER || a->type.kind == TY_MONEY) && sv) {
        char *end;
        errno = 0;
        long long n = strtoll(sv, &end, 10);
        if (!errno && *sv && !*end) json_object_set_new(obj, k, json_integer(n));
      }
    }
  }
}

static enum MHD_Result r_gate(req *q) {
  server *s = q->s;
  const char *prefix = s->cfg.gate_prefix;
  char hp[96], ha[96], hd[96];
  snprintf(hp, sizeof hp, "%sPrincipal", prefix);
  snprintf(ha, sizeof ha, "%sAction", prefix);
  snprintf(hd, sizeof hd, "%sDate", prefix);
  const char *principal = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, hp);
  const char *action = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, ha);
  const char *date = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, hd);
  if (!principal || !action)
    return send_error(s, q->c, 400, ERR_BAD_REQUEST, "missing_field", "the gate needs the headers '%s' and '%s'", hp, ha);
  gate_ctx g = {prefix, strlen(prefix), json_object(), json_object(), NULL};
  MHD_get_connection_values(q->c, MHD_HEADER_KIND, gate_header, &g);
  if (g.bad) {
    json_decref(g.resource);
    json_decref(g.context);
    return send_error(s, q->c, 400, ERR_BAD_REQUEST, "bad_header", "the header '%.64s' is not UTF-8", g.bad);
  }
  int a = agreement_find_action(s->agr, action, strlen(action));
  if (a >= 0) {
    retype(&s->agr->actions[a], g.resource, 0);
    retype(&s->agr->actions[a], g.context, 1);
  }
  if (date) json_object_set_new(g.context, "date", json_string(date));
  json_t *rq = json_pack("{s:s, s:s, s:o, s:o}", "principal", principal, "action", action, "resource", g.resource,
                         "context", g.context);
  worker *w = thread_worker(s->agr);
  pactum_error err;
  int r = rq && w ? request_from_json(w->req, rq, date_today(), &err) : PACTUM_ENOMEM;
  json_decref(rq);
  if (r == PACTUM_ENOMEM) return send_error(s, q->c, 500, ERR_INTERNAL, "internal", "out of memory");
  if (r) return send_error(s, q->c, 400, ERR_BAD_REQUEST, err.code, "%s", err.message);
  snapshot *sn = snap_take(s);
  int d = pactum_decide(s->agr, sn->tl, w->req, w->dec);
  snap_drop(sn);
  if (d) return send_error(s, q->c, 500, ERR_INTERNAL, "internal", "the request could not be decided");
  atomic_fetch_add(&s->decisions[w->dec->outcome], 1);
  buf ids;
  buf_init(&ids);
  for (int i = 0; i < w->dec->ndet; i++) {
    if (i) buf_putc(&ids, ',');
    buf_puts(&ids, s->agr->clauses[w->dec->det[i]].id);
  }
  int allow = w->dec->outcome == PACTUM_ALLOW;
  struct MHD_Response *resp = allow ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
                                    : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    buf_release(&ids);
    return MHD_NO;
  }
  char hn[128];
  snprintf(hn, sizeof hn, "%sDecision", prefix);
  MHD_add_response_header(resp, hn, pactum_outcome_name(w->dec->outcome));
  snprintf(hn, sizeof hn, "%sClauses", prefix);
  MHD_add_response_header(resp, hn, ids.data ? ids.data : "");
  enum MHD_Result rc = MHD_queue_response(q->c, allow ? 204 : 403, resp);
  MHD_destroy_response(resp);
  buf_release(&ids);
  return rc;
}

/* ---- The dashboard --------------------------------------------------------------------- */

static enum MHD_Result r_static(req *q, const char *path) {
  for (size_t i = 0; i < embedded_web_count; i++)
    if (!strcmp(embedded_web[i].path, path))
      return send_text(q->c, 200, embedded_web[i].type, (const char *)embedded_web[i].data, embedded_web[i].len);
  return send_error(q->s, q->c, 404, ERR_NOT_FOUND, "not_found", "no such page '%s'", path);
}

/* ---- Dispatch ------------------------------------------------------------------------- */

typedef struct route {
  const char *method, *path;
  enum MHD_Result (*fn)(req *q);
  int read; /* guarded by --read-token */
} route;

static const route ROUTES[] = {
    {"GET", "/healthz", r_healthz, 0},
    {"GET", "/metrics", r_metrics, 1},
    {"GET", "/v1/agreement", r_agreement, 1},
    {"GET", "/v1/vocabulary", r_vocabulary, 1},
    {"GET", "/v1/clauses", r_clauses, 1},
    {"GET", "/v1/status", r_status, 1},
    {"GET", "/v1/ledger", r_ledger, 1},
    {"POST", "/v1/decide", r_decide, 1},
    {"POST", "/v1/explain", r_explain, 1},
    {"POST", "/v1/whatif", r_whatif, 1},
    {"GET", "/v1/events", r_events_get, 1},
    {"POST", "/v1/events", r_events_post, 0},
    {"GET", "/v1/audit/verify", r_audit, 1},
    {"GET", "/v1/gate", r_gate, 1},
};

static enum MHD_Result dispatch(req *q, const char *url) {
  server *s = q->s;
  int path_known = 0;
  for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
    const route *r = &ROUTES[i];
    if (strcmp(r->path, url)) continue;
    path_known = 1;
    if (strcmp(r->method, q->method)) continue;
    if (r->read && !read_allowed(s, q->c))
      return send_error(s, q->c, 401, ERR_UNAUTHORIZED, "unauthorized", "this service needs a read token: 'Authorization: Bearer TOKEN'");
    return r->fn(q);
  }
  if (path_known) {
    allow_header[0] = '\0';
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++)
      if (!strcmp(ROUTES[i].path, url)) {
        size_t n = strlen(allow_header);
        snprintf(allow_header + n, sizeof allow_header - n, "%s%s", n ? ", " : "", ROUTES[i].method);
      }
    return send_error(s, q->c, 405, ERR_METHOD, "method_not_allowed", "'%s' does not take %s", url, q->method);
  }
  if (!strcmp(q->method, "GET") && (!strcmp(url, "/") || !strncmp(url, "/app.", 5) || !strcmp(url, "/style.css"))) {
    if (!read_allowed(s, q->c))
      return send_error(s, q->c, 401, ERR_UNAUTHORIZED, "unauthorized", "this service needs a read token");
    return r_static(q, !strcmp(url, "/") ? "/index.html" : url);
  }
  return send_error(s, q->c, 404, ERR_NOT_FOUND, "not_found", "no route '%s %s'", q->method, url);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)version;
  server *s = cls;
  conn *cn = *con_cls;
  if (!cn) {
    /* Shutting down: requests begun before the signal finish; a new one finds its connection closed. */
    if (atomic_load(&s->stopping)) return MHD_NO;
    cn = px_calloc(1, sizeof *cn);
    if (!cn) return MHD_NO;
    buf_init(&cn->body);
    *con_cls = cn;
    atomic_fetch_add(&s->http_requests, 1);
    atomic_fetch_add(&s->in_flight, 1);
    /* A declared length over the limit is refused at once, before any of the body is read. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
      cn->too_large = 1;
      return send_error(s, c, 413, ERR_TOO_LARGE, "too_large", "the body is larger than %zu bytes", s->cfg.max_body);
    }
    return MHD_YES;
  }
  if (cn->too_large == 1) {
    *upload_size = 0; /* answered already; what still arrives is dropped */
    return MHD_YES;
  }
  if (*upload_size) {
    /* A body without a declared length that grows past the limit is dropped as it arrives, kept
       at no cost, and refused once it ends. */
    if (!cn->too_large && cn->body.len + *upload_size > s->cfg.max_body) {
      cn->too_large = 2;
      cn->over_since = now_us();
      buf_release(&cn->body);
    }
    if (cn->too_large) {
      /* Dropped as it arrives, to be refused with 413 when it ends; but a body that is still
         coming a second after it passed the limit is cut off rather than read forever. */
      cn->dropped += *upload_size;
      if (now_us() - cn->over_since > 1e6 || cn->dropped > 64 * (size_t)(1u << 20)) {
        atomic_fetch_add(&s->errors[ERR_TOO_LARGE], 1);
        return MHD_NO;
      }
    } else {
      buf_append(&cn->body, upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (cn->too_large == 2)
    return send_error(s, c, 413, ERR_TOO_LARGE, "too_large", "the body is larger than %zu bytes", s->cfg.max_body);
  if (cn->body.failed) return send_error(s, c, 500, ERR_INTERNAL, "internal", "out of memory");
  req q = {s, c, cn, method};
  return dispatch(&q, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why) {
  server *s = cls;
  (void)c;
  (void)why;
  conn *cn = *con_cls;
  if (!cn) return;
  atomic_fetch_sub(&s->in_flight, 1);
  buf_release(&cn->body);
  px_free(cn);
  *con_cls = NULL;
}

void http_config_init(serve_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->host = "127.0.0.1";
  cfg->port = 8181;
  cfg->db = "pactum.db";
  cfg->gate_prefix = "X-Pactum-";
  cfg->max_body = 1u << 20;
  cfg->max_conns = 1024;
  cfg->timeout_s = 10;
  cfg->max_batch = 10000;
}

int http_serve(const pactum_agreement *agr, const serve_config *cfg) {
  static server srv; /* one per process: the signal wait below is process-wide */
  server *s = &srv;
  memset(s, 0, sizeof *s);
  s->agr = agr;
  s->cfg = *cfg;
  pthread_mutex_init(&s->write_lock, NULL);
  pthread_mutex_init(&s->snap_lock, NULL);
  if (cfg->tokens && load_tokens(s, cfg->tokens)) return -1;
  if (cfg->read_token) {
    s->has_read_token = 1;
    crypto_hash_sha256(s->read_token, (const unsigned char *)cfg->read_token, strlen(cfg->read_token));
  }
  record_init init = {0, 0, NULL, 0};
  pactum_error err;
  if (record_open(agr, cfg->db, 1, &init, &s->rec, &err)) {
    fprintf(stderr, "pactum: error: %s [%s]\n", err.message, err.code);
    return -1;
  }
  canon_hex(s->rec->agr_hash, HASH_BYTES, s->agr_hash);
  if (!(s->snap = snap_build(s))) {
    record_free(s->rec);
    fprintf(stderr, "pactum: error: out of memory\n");
    return -1;
  }
  /* SIGTERM and SIGINT are waited for by this thread; the service's threads never see them. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)cfg->port);
  if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
    fprintf(stderr, "pactum: error: '%s' is not an IPv4 address to listen on\n", cfg->host);
    return -1;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned threads = cfg->threads ? cfg->threads : (unsigned)(cpus > 0 ? cpus : 1);
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, (uint16_t)cfg->port, NULL, NULL, on_request, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
      MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "pactum: error: cannot listen on %s:%d\n", cfg->host, cfg->port);
    snap_drop(s->snap);
    record_free(s->rec);
    return -1;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  if (!cfg->quiet)
    fprintf(stderr, "pactum: serving %s %s on http://%s:%u/ (%u threads, store %s, %lld events)\n", agr->id,
            agr->version, cfg->host, info ? (unsigned)info->port : (unsigned)cfg->port, threads, cfg->db,
            (long long)s->rec->tip.seq);
  int sig = 0;
  sigwait(&sigs, &sig);
  if (!cfg->quiet) fprintf(stderr, "pactum: %s: finishing the requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  /* Stop accepting, then let every request already begun be answered before the threads stop. */
  MHD_socket ls = MHD_quiesce_daemon(d);
  /* Requests already on the wire when the signal came are read and begun within a moment; only
     after it are new requests turned away. */
  struct timespec grace = {0, 250000000};
  nanosleep(&grace, NULL);
  atomic_store(&s->stopping, 1);
  /* A request begun but never finished by its client is not waited for past a moment. */
  for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < 1500; waited += 5) {
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(d);
  if (ls != MHD_INVALID_SOCKET) close(ls);
  snap_drop(s->snap);
  record_free(s->rec);
  px_free(s->tokens);
  return 0;
}
