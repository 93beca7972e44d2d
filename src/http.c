/*
** http.c: `pactum serve`, the core of the decision service: the daemon and its lifecycle,
** connections and their limits, authentication, dispatch and responses. The routes are in
** http_info.c, http_decide.c, http_record.c and http_whatif.c; http_int.h says what they share.
**
** libmicrohttpd parses HTTP (epoll, a thread pool sized to the machine). A request whose cost
** grows with the record is suspended and handed to a small pool of its own (http_pool.c), so
** that no number of them slows a decision. Every connection is also kept in a list here: a
** reaper thread cuts the ones whose request is not whole by --request-deadline, which the idle
** --timeout alone never does for a client that trickles a byte every few seconds.
**
** Decisions read an immutable snapshot of the folded events. Appending events (under one
** writer lock) builds a new snapshot and swaps it in; a reader takes the current snapshot
** under a lock held only for the pointer swap, so it never waits for an append to fold, and
** never sees half of one. A snapshot's timeline is a view of the writer's (timeline_view):
** it shares the stored events and costs O(state width) to make, whatever their number. An
** event is acknowledged only after its batch has committed.
*/
#include "http_int.h"
#include "alloc.h"
#include "error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "banned.h"

const double http_buckets[HTTP_NBUCKETS] = {50, 100, 250, 500, 1000, 2500, 5000, 10000, 50000};
const char *const http_err_kind[NERR] = {"bad_request", "unauthorized", "forbidden", "not_found",
                                         "method_not_allowed", "too_large", "internal", "unavailable"};
const char *const http_limit_name[NLIM] = {"request_deadline", "heavy_queue", "whatif_work",
                                           "whatif_answer", "whatif_deadline", "client_gone"};

double http_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* ---- Snapshots ------------------------------------------------------------------------ */

snapshot *http_snap_take(server *s) {
  pthread_mutex_lock(&s->snap_lock);
  snapshot *sn = s->snap;
  atomic_fetch_add(&sn->refs, 1);
  pthread_mutex_unlock(&s->snap_lock);
  return sn;
}

void http_snap_drop(snapshot *sn) {
  if (sn && atomic_fetch_sub(&sn->refs, 1) == 1) {
    pactum_timeline_free(sn->tl);
    px_free(sn);
  }
}

snapshot *http_snap_build(server *s) {
  snapshot *sn = px_calloc(1, sizeof *sn);
  if (!sn) return NULL;
  if (!(sn->tl = timeline_view(s->rec->tl))) {
    px_free(sn);
    return NULL;
  }
  sn->seq = s->rec->tip.seq;
  memcpy(sn->head_hash, s->rec->tip.hash, HASH_BYTES);
  canon_hex(s->rec->tip.hash, HASH_BYTES, sn->head);
  atomic_init(&sn->refs, 1); /* the server's own reference */
  return sn;
}

void http_snap_publish(server *s, snapshot *sn) {
  pthread_mutex_lock(&s->snap_lock);
  snapshot *old = s->snap;
  s->snap = sn;
  pthread_mutex_unlock(&s->snap_lock);
  http_snap_drop(old);
}

/* ---- Per-thread state ------------------------------------------------------------------- */

/* Each service thread (libmicrohttpd's and the pool's) keeps its own worker, freed when it ends. */
static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;

/* The key's destructor: a thread's worker and what it holds, when the thread ends. */
static void worker_free(void *p) {
  worker *w = p;
  pactum_request_free(w->req);
  pactum_decision_free(w->dec);
  if (w->st) store_close(w->st);
  px_free(w);
}

static void worker_key_init(void) { pthread_key_create(&worker_key, worker_free); }

/* This thread's worker, made on first use (empty); NULL if memory ran out. */
static worker *thread_worker(void) {
  pthread_once(&worker_once, worker_key_init);
  worker *w = pthread_getspecific(worker_key);
  if (w) return w;
  if (!(w = px_calloc(1, sizeof *w))) return NULL;
  if (pthread_setspecific(worker_key, w)) {
    px_free(w);
    return NULL;
  }
  return w;
}

worker *http_worker(server *s) {
  worker *w = thread_worker();
  if (!w) return NULL;
  if (w->agr == s->agr) return w;
  pactum_request_free(w->req);
  pactum_decision_free(w->dec);
  w->req = pactum_request_new(s->agr);
  w->dec = pactum_decision_new(s->agr);
  w->agr = w->req && w->dec ? s->agr : NULL;
  return w->agr ? w : NULL;
}

store *http_thread_store(server *s, pactum_error *err) {
  worker *w = thread_worker();
  if (!w) {
    error_set(err, PACTUM_ENOMEM, "internal", "out of memory");
    return NULL;
  }
  unsigned gen = atomic_load(&s->store_gen);
  if (w->st && w->st_srv == s && w->st_gen == gen) return w->st;
  if (w->st) store_close(w->st);
  w->st = NULL;
  w->seen_valid = 0;
  if (store_open(s->cfg.db, 0, &w->st, err)) return NULL;
  w->st_srv = s;
  w->st_gen = gen;
  return w->st;
}

int http_refresh(server *s, pactum_error *err) {
  worker *w = thread_worker();
  store *st = http_thread_store(s, err);
  if (!w || !st) return PACTUM_ENOMEM;
  int64_t version;
  int rc = store_data_version(st, &version, err);
  if (rc) return rc;
  if (w->seen_valid && w->seen_version == version) return 0;
  /* Something was committed since this thread last looked: by this server's writer (then the
     snapshot has it already, and record_refresh finds nothing), or by another process. The
     writer's fold may also be ahead of the snapshot with nothing left for record_refresh to find:
     an append or a vote catches up with the store first, and when the batch is refused, or the
     vote only kept, no snapshot was made of what it caught up with. */
  pthread_mutex_lock(&s->write_lock);
  int changed = 0;
  rc = record_refresh(s->rec, &changed, err);
  if (!rc && !changed) {
    snapshot *cur = http_snap_take(s);
    changed = cur->seq != s->rec->tip.seq;
    http_snap_drop(cur);
  }
  snapshot *sn = !rc && changed ? http_snap_build(s) : NULL;
  if (sn) http_snap_publish(s, sn);
  pthread_mutex_unlock(&s->write_lock);
  if (!rc && changed && !sn) rc = error_set(err, PACTUM_ENOMEM, "internal", "out of memory");
  if (rc) return rc;
  if (changed) atomic_fetch_add(&s->refreshes, 1);
  w->seen_version = version;
  w->seen_valid = 1;
  return 0;
}

int http_fresh(req *q, enum MHD_Result *rc) {
  pactum_error err;
  if (!http_refresh(q->s, &err)) return 0;
  *rc = http_send_error(q, 500, ERR_INTERNAL, strcmp(err.code, "out_of_memory") ? err.code : "internal", "%s",
                        err.message);
  return -1;
}

/* ---- Responses ------------------------------------------------------------------------- */

enum MHD_Result http_respond(req *q, unsigned status, struct MHD_Response *r) {
  if (!r) return MHD_NO;
  if (q->deferred) {
    if (q->cn->reply) { /* a route answers once; a second answer is a bug, dropped */
      MHD_destroy_response(r);
      return MHD_NO;
    }
    q->cn->reply = r;
    q->cn->reply_status = status;
    return MHD_YES;
  }
  enum MHD_Result rc = MHD_queue_response(q->c, status, r);
  MHD_destroy_response(r);
  return rc;
}

/* A copy of text[0..len) as a response with the usual headers; NULL if memory ran out. */
static struct MHD_Response *text_response(const char *type, const char *text, size_t len) {
  struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (!r) return NULL;
  MHD_add_response_header(r, "Content-Type", type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  return r;
}

enum MHD_Result http_send_text(req *q, unsigned status, const char *type, const char *text, size_t len) {
  return http_respond(q, status, text_response(type, text, len));
}

enum MHD_Result http_send_json(req *q, unsigned status, buf *b) {
  if (b->failed) {
    buf_release(b);
    static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
    return http_send_text(q, 500, "application/json", oom, sizeof oom - 1);
  }
  enum MHD_Result rc = http_send_text(q, status, "application/json", b->data ? b->data : "", b->len);
  buf_release(b);
  return rc;
}

enum MHD_Result http_send_owned(req *q, char *text) {
  if (!text) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  enum MHD_Result rc = http_send_text(q, 200, "application/json", text, strlen(text));
  px_free(text);
  return rc;
}

/* The Allow header of the 405 being sent; set by dispatch just before, on the same thread. */
static _Thread_local char allow_header[64];

/* The error body {"error":{"code","message"[,"limit","value"]}} with its headers, and send it. */
static enum MHD_Result send_error_body(req *q, unsigned status, int kind, const char *code, const char *limit,
                                       unsigned long long value, const char *msg) {
  atomic_fetch_add(&q->s->errors[kind], 1);
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"error\":{\"code\":");
  buf_json_cstr(&b, code);
  buf_puts(&b, ",\"message\":");
  buf_json_cstr(&b, msg);
  if (limit) {
    buf_puts(&b, ",\"limit\":");
    buf_json_cstr(&b, limit);
    buf_printf(&b, ",\"value\":%llu", value);
  }
  buf_puts(&b, "}}");
  if (b.failed) return http_send_json(q, status, &b);
  struct MHD_Response *r = text_response("application/json", b.data, b.len);
  buf_release(&b);
  if (!r) return MHD_NO;
  /* A 401 says how to authenticate, a 405 which methods the path takes (RFC 9110), a 503 when to
     come back. */
  if (status == 401) MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"pactum\"");
  if (status == 405) MHD_add_response_header(r, "Allow", allow_header);
  if (status == 503) MHD_add_response_header(r, "Retry-After", "1");
  return http_respond(q, status, r);
}

enum MHD_Result http_send_error(req *q, unsigned status, int kind, const char *code, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return send_error_body(q, status, kind, code, NULL, 0, msg);
}

enum MHD_Result http_send_limit(req *q, unsigned status, int kind, int lim, const char *code, const char *limit,
                                unsigned long long value, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  atomic_fetch_add(&q->s->limits[lim], 1);
  return send_error_body(q, status, kind, code, limit, value, msg);
}

json_t *http_body_json(req *q, enum MHD_Result *rc) {
  const buf *body = &q->cn->body;
  json_error_t je;
  json_t *root = json_loadb(body->data ? body->data : "", body->len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    *rc = http_send_error(q, 400, ERR_BAD_REQUEST, "bad_json", "malformed JSON at line %d, column %d: %s", je.line,
                          je.column, je.text);
  return root;
}

/* ---- Authentication -------------------------------------------------------------------- */

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

/* Every entry is compared, in constant time. */
const char *http_authenticate(server *s, struct MHD_Connection *c) {
  uint8_t h[HASH_BYTES];
  if (bearer_hash(c, h)) return NULL;
  const char *who = NULL;
  for (size_t i = 0; i < s->ntokens; i++)
    if (sodium_memcmp(h, s->tokens[i].hash, HASH_BYTES) == 0 && !who) who = s->tokens[i].signer;
  return who;
}

/* Whether c may read: no read token is set, or c carries it or a party's token. */
static int read_allowed(server *s, struct MHD_Connection *c) {
  if (!s->has_read_token) return 1;
  uint8_t h[HASH_BYTES];
  if (bearer_hash(c, h)) return 0;
  if (sodium_memcmp(h, s->read_token, HASH_BYTES) == 0) return 1;
  return http_authenticate(s, c) != NULL; /* a party's token reads too */
}

int http_load_tokens(server *s, const char *path) {
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
    /* A token stands for a signer of the agreement: it is written into what the holder records. */
    if (s->agr && !sign_signer_known(s->agr, signer)) {
      fprintf(stderr, "%s:%d: error: '%s' is neither a party of the agreement nor BODY.MEMBER of one of its bodies\n",
              path, lineno, signer);
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

/*
** The read token: the first line of the file at path, without the white space around it. Only
** its hash is kept; the line is wiped. A file that others may read is served, with a warning.
*/
static int load_read_token(server *s, const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp) {
    fprintf(stderr, "pactum: error: cannot open the read token file '%s': %s\n", path, strerror(errno));
    return -1;
  }
  struct stat sb;
  if (fstat(fileno(fp), &sb) == 0 && (sb.st_mode & (S_IRGRP | S_IROTH)) && !s->cfg.quiet)
    fprintf(stderr, "pactum: warning: the read token file '%s' may be read by %s (chmod 600 it)\n", path,
            (sb.st_mode & S_IROTH) ? "anyone" : "its group");
  char line[4096];
  int rc = 0;
  if (!fgets(line, sizeof line, fp)) line[0] = '\0';
  size_t n = strlen(line);
  if (n == sizeof line - 1 && line[n - 1] != '\n') {
    fprintf(stderr, "pactum: error: the first line of the read token file '%s' is longer than %zu bytes\n", path,
            sizeof line - 2);
    rc = -1;
  }
  char *t = line;
  while (*t == ' ' || *t == '\t') t++;
  while (n > (size_t)(t - line) && strchr(" \t\r\n", line[n - 1])) line[--n] = '\0';
  if (!rc && !*t) {
    fprintf(stderr, "pactum: error: the read token file '%s' is empty: its first line must hold the token\n", path);
    rc = -1;
  }
  if (!rc) {
    s->has_read_token = 1;
    crypto_hash_sha256(s->read_token, (const unsigned char *)t, strlen(t));
  }
  sodium_memzero(line, sizeof line);
  fclose(fp);
  return rc;
}

/* ---- Connections and the request deadline ------------------------------------------------ */

/*
** Every open connection is a wire, from libmicrohttpd's STARTED notice to its CLOSED notice. The
** reaper shuts a connection down (it never closes it) only while holding wires_lock with the wire
** still listed; libmicrohttpd sends CLOSED, which unlists it under the same lock, before it closes
** the socket, so the descriptor the reaper shuts down is never one already reused.
*/
struct wire {
  wire *prev, *next;
  MHD_socket fd;
  atomic_llong since_us; /* when the request now awaited began to be: the accept, or the last answer */
  atomic_int receiving;  /* that request is not yet whole */
  int cut;               /* shut down already (under wires_lock) */
};

/* The wire of c, or NULL when it is not listed (it could not be, or the harness did not ask). */
static wire *wire_of(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

void http_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe) {
  server *s = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    wire *w = px_calloc(1, sizeof *w);
    if (!w) return; /* not tracked: only the idle timeout will close it */
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    w->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
    atomic_init(&w->since_us, (long long)http_now_us());
    atomic_init(&w->receiving, 1);
    pthread_mutex_lock(&s->wires_lock);
    w->next = s->wires;
    if (s->wires) s->wires->prev = w;
    s->wires = w;
    pthread_mutex_unlock(&s->wires_lock);
    atomic_fetch_add(&s->nwires, 1);
    *socket_context = w;
  } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    wire *w = *socket_context;
    if (!w) return;
    pthread_mutex_lock(&s->wires_lock);
    if (w->prev) w->prev->next = w->next;
    else s->wires = w->next;
    if (w->next) w->next->prev = w->prev;
    pthread_mutex_unlock(&s->wires_lock);
    atomic_fetch_sub(&s->nwires, 1);
    px_free(w);
    *socket_context = NULL;
  }
}

/* The reaper: cuts the connections whose request is not whole by the deadline. */
static struct {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  int started, stop;
} reaper = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *reap(void *arg) {
  server *s = arg;
  double deadline = (double)s->cfg.request_deadline_s * 1e6;
  pthread_mutex_lock(&reaper.lock);
  while (!reaper.stop) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100000000; /* ten looks a second: a cut comes at most 0.1 s late */
    if (until.tv_nsec >= 1000000000) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&reaper.wake, &reaper.lock, &until);
    if (reaper.stop) break;
    double now = http_now_us();
    pthread_mutex_lock(&s->wires_lock);
    for (wire *w = s->wires; w; w = w->next) {
      if (w->cut || !atomic_load(&w->receiving) || now - (double)atomic_load(&w->since_us) <= deadline) continue;
      if (w->fd != MHD_INVALID_SOCKET) shutdown(w->fd, SHUT_RDWR);
      w->cut = 1;
      atomic_fetch_add(&s->limits[LIM_REQUEST_DEADLINE], 1);
    }
    pthread_mutex_unlock(&s->wires_lock);
  }
  pthread_mutex_unlock(&reaper.lock);
  return NULL;
}

/* The request on c is whole (or answered): the deadline no longer runs for it. */
static void request_received(struct MHD_Connection *c) {
  wire *w = wire_of(c);
  if (w) atomic_store(&w->receiving, 0);
}

int http_client_gone(MHD_socket fd) {
  if (fd == MHD_INVALID_SOCKET) return 0;
  struct pollfd p = {fd, POLLRDHUP, 0};
  /* POLLRDHUP: the peer closed or shut down its side, whatever it sent before is still unread
     (over TLS, its close_notify alert). */
  return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

/* ---- Dispatch -------------------------------------------------------------------------- */

static const route ROUTES[] = {
    {"GET", "/healthz", http_info_healthz, 0, LANE_CONN},
    {"GET", "/metrics", http_info_metrics, 1, LANE_CONN},
    {"GET", "/v1/agreement", http_info_agreement, 1, LANE_CONN},
    {"GET", "/v1/vocabulary", http_info_vocabulary, 1, LANE_CONN},
    {"GET", "/v1/clauses", http_info_clauses, 1, LANE_CONN},
    {"GET", "/v1/status", http_info_status, 1, LANE_HEAVY},
    {"GET", "/v1/ledger", http_info_ledger, 1, LANE_HEAVY},
    {"GET", "/v1/obligations", http_info_obligations, 1, LANE_HEAVY},
    {"POST", "/v1/decide", http_decide_decide, 1, LANE_CONN},
    {"POST", "/v1/explain", http_decide_explain, 1, LANE_CONN},
    {"POST", "/v1/whatif", http_whatif_compare, 1, LANE_HEAVY},
    {"GET", "/v1/events", http_record_list, 1, LANE_CONN},
    {"POST", "/v1/events", http_record_append, 0, LANE_WRITE},
    {"GET", "/v1/audit/verify", http_record_audit, 1, LANE_HEAVY},
    {"GET", "/v1/gate", http_decide_gate, 1, LANE_CONN},
    {"GET", "/v1/proposals", http_record_proposals, 1, LANE_HEAVY},
    {"GET", "/v1/store", http_record_store, 1, LANE_CONN},
    {"GET", "/v1/proof", http_record_proof, 1, LANE_CONN},
    {"GET", "/v1/consistency", http_record_consistency, 1, LANE_CONN},
    {"GET", "/v1/checkpoints", http_record_checkpoints, 1, LANE_HEAVY},
    {"POST", "/v1/checkpoints", http_record_cosign, 0, LANE_WRITE},
};

/* Run r for q in its lane: here, or handed to its pool when there is one (not in the fuzz harness). */
static enum MHD_Result run_route(req *q, const route *r) {
  server *s = q->s;
  http_pool *p = r->lane == LANE_HEAVY ? s->pool : r->lane == LANE_WRITE ? s->writer : NULL;
  if (!p) return r->fn(q);
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(q->c, MHD_CONNECTION_INFO_CONNECTION_FD);
  q->cn->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
  if (http_pool_submit(p, q, r) == 0) return MHD_YES;
  return http_send_limit(q, 503, ERR_UNAVAILABLE, LIM_HEAVY_QUEUE, "busy", "heavy-queue", http_pool_queue(p),
                         "the %s pool is full: %u running and %u waiting, the most --heavy-queue allows; try again "
                         "shortly", http_pool_name(p), http_pool_threads(p), http_pool_queue(p));
}

static enum MHD_Result dispatch(req *q, const char *url) {
  server *s = q->s;
  int path_known = 0;
  for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
    const route *r = &ROUTES[i];
    if (strcmp(r->path, url)) continue;
    path_known = 1;
    if (strcmp(r->method, q->method)) continue;
    if (r->read && !read_allowed(s, q->c))
      return http_send_error(q, 401, ERR_UNAUTHORIZED, "unauthorized",
                             "this service needs a read token: 'Authorization: Bearer TOKEN'");
    return run_route(q, r);
  }
  if (path_known) {
    allow_header[0] = '\0';
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++)
      if (!strcmp(ROUTES[i].path, url)) {
        size_t n = strlen(allow_header);
        snprintf(allow_header + n, sizeof allow_header - n, "%s%s", n ? ", " : "", ROUTES[i].method);
      }
    return http_send_error(q, 405, ERR_METHOD, "method_not_allowed", "'%s' does not take %s", url, q->method);
  }
  if (!strcmp(q->method, "GET") && (!strcmp(url, "/") || !strncmp(url, "/app.", 5) || !strcmp(url, "/style.css"))) {
    if (!read_allowed(s, q->c))
      return http_send_error(q, 401, ERR_UNAUTHORIZED, "unauthorized", "this service needs a read token");
    return http_info_static(q, !strcmp(url, "/") ? "/index.html" : url);
  }
  return http_send_error(q, 404, ERR_NOT_FOUND, "not_found", "no route '%s %s'", q->method, url);
}

/* ---- Request intake -------------------------------------------------------------------- */

enum MHD_Result http_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                const char *version, const char *upload, size_t *upload_size, void **con_cls) {
  (void)version;
  server *s = cls;
  conn *cn = *con_cls;
  req q = {s, c, cn, method, 0};
  if (!cn) {
    /* Shutting down: requests begun before the signal finish; a new one finds its connection closed. */
    if (atomic_load(&s->stopping)) return MHD_NO;
    cn = px_calloc(1, sizeof *cn);
    if (!cn) return MHD_NO;
    buf_init(&cn->body);
    cn->fd = MHD_INVALID_SOCKET;
    *con_cls = q.cn = cn;
    atomic_fetch_add(&s->http_requests, 1);
    atomic_fetch_add(&s->in_flight, 1);
    /* A declared length over the limit is refused at once, before any of the body is read. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
      cn->too_large = 1;
      request_received(c);
      return http_send_error(&q, 413, ERR_TOO_LARGE, "too_large", "the body is larger than %zu bytes", s->cfg.max_body);
    }
    return MHD_YES;
  }
  if (cn->handed) {
    /* Resumed by the pool. Its answer, when it made one, is queued now; without one (the client
       left, or memory ran out) the connection is closed. */
    struct MHD_Response *r = cn->reply;
    cn->reply = NULL;
    if (!r) return MHD_NO;
    enum MHD_Result rc = MHD_queue_response(c, cn->reply_status, r);
    MHD_destroy_response(r);
    return rc;
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
      cn->over_since = http_now_us();
      buf_release(&cn->body);
    }
    if (cn->too_large) {
      /* Dropped as it arrives, to be refused with 413 when it ends; but a body that is still
         coming a second after it passed the limit is cut off rather than read forever. */
      cn->dropped += *upload_size;
      if (http_now_us() - cn->over_since > 1e6 || cn->dropped > 64 * (size_t)(1u << 20)) {
        atomic_fetch_add(&s->errors[ERR_TOO_LARGE], 1);
        return MHD_NO;
      }
    } else {
      buf_append(&cn->body, upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  request_received(c);
  if (cn->too_large == 2)
    return http_send_error(&q, 413, ERR_TOO_LARGE, "too_large", "the body is larger than %zu bytes", s->cfg.max_body);
  if (cn->body.failed) return http_send_error(&q, 500, ERR_INTERNAL, "internal", "out of memory");
  return dispatch(&q, url);
}

void http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why) {
  server *s = cls;
  (void)why;
  /* On a kept-alive connection the next request's deadline runs from here. */
  wire *w = wire_of(c);
  if (w) {
    atomic_store(&w->since_us, (long long)http_now_us());
    atomic_store(&w->receiving, 1);
  }
  conn *cn = *con_cls;
  if (!cn) return;
  atomic_fetch_sub(&s->in_flight, 1);
  if (cn->reply) MHD_destroy_response(cn->reply);
  buf_release(&cn->body);
  px_free(cn);
  *con_cls = NULL;
}

/* ---- Lifecycle ------------------------------------------------------------------------- */

void http_config_init(serve_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->host = "127.0.0.1";
  cfg->port = 8181;
  cfg->db = "pactum.db";
  cfg->gate_prefix = "X-Pactum-";
  cfg->max_body = 1u << 20;
  cfg->max_batch = 10000;
  cfg->max_conns = 1024;
  cfg->max_conns_per_ip = 64;
  cfg->timeout_s = 10;
  cfg->request_deadline_s = 30;
  cfg->heavy_threads = 2;
  cfg->heavy_queue = 16;
  cfg->max_whatif_work = 20000000;
  cfg->max_whatif_answer = 100000;
  cfg->whatif_deadline_s = 10;
  cfg->vote_ttl_s = 86400;
  cfg->log_wait_ms = 2000;
  cfg->log_queue = 65536;
}

int http_server_init(server *s, const pactum_agreement *agr, const serve_config *cfg) {
  memset(s, 0, sizeof *s);
  s->agr = agr;
  s->cfg = *cfg;
  pthread_mutex_init(&s->write_lock, NULL);
  pthread_mutex_init(&s->snap_lock, NULL);
  pthread_mutex_init(&s->wires_lock, NULL);
  if (cfg->tokens && http_load_tokens(s, cfg->tokens)) return -1;
  if (cfg->read_token_file && load_read_token(s, cfg->read_token_file)) return -1;
  return 0;
}

void http_server_release(server *s) {
  if (s->log && declog_writer_stop(s->log))
    fprintf(stderr, "pactum: error: decisions were lost: the decision log could not be written\n");
  s->log = NULL;
  http_pool_free(s->pool);
  http_pool_free(s->writer);
  s->pool = s->writer = NULL;
  http_snap_drop(s->snap);
  s->snap = NULL;
  record_free(s->rec);
  s->rec = NULL;
  px_free(s->tokens);
  s->tokens = NULL;
  sodium_memzero(s->read_token, sizeof s->read_token);
}

/* Open the record and build the first snapshot. */
static int open_record(server *s) {
  record_init init = {0, 0, NULL, 0};
  pactum_error err;
  /* A store changed behind pactum's back stops the fold, and the server does not start. */
  if (record_open(s->agr, s->cfg.db, 1, &init, &s->rec, &err)) {
    fprintf(stderr, "pactum: error: %s [%s]\n", err.message, err.code);
    return -1;
  }
  canon_hex(s->rec->agr_hash, HASH_BYTES, s->agr_hash);
  memcpy(s->origin.store, record_store_id(s->rec), SIGN_STORE_HEX);
  memcpy(s->origin.agreement, s->rec->agr_hash, HASH_BYTES);
  if (!s->cfg.no_decision_log &&
      declog_writer_start(s->cfg.db, s->rec->agr_hash, s->cfg.log_queue, 100, 1000, &s->log, &err)) {
    fprintf(stderr, "pactum: error: the decision log cannot start: %s [%s]\n", err.message, err.code);
    return -1;
  }
  if (!(s->snap = http_snap_build(s))) {
    fprintf(stderr, "pactum: error: out of memory\n");
    return -1;
  }
  return 0;
}

/* Start libmicrohttpd with the server's options; NULL (reported) if it cannot listen. */
static struct MHD_Daemon *start_daemon(server *s, unsigned threads, const char *cert, const char *key) {
  const serve_config *cfg = &s->cfg;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)cfg->port);
  if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
    fprintf(stderr, "pactum: error: '%s' is not an IPv4 address to listen on\n", cfg->host);
    return NULL;
  }
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
  struct MHD_OptionItem tls[] = {
      {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert},
      {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
      {MHD_OPTION_END, 0, NULL},
  };
  if (cert) flags |= MHD_USE_TLS;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)cfg->port, NULL, NULL, http_on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conns_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
      MHD_OPTION_NOTIFY_COMPLETED, http_on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, http_on_connection, s,
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_ARRAY, cert ? tls : tls + 2, MHD_OPTION_END);
  if (!d) fprintf(stderr, "pactum: error: cannot listen on %s:%d\n", cfg->host, cfg->port);
  return d;
}

/*
** Stop in order: stop accepting; let the requests on the wire begin; stop beginning new ones;
** wait a while for those begun; stop the heavy pool (its queued requests are answered 503, its
** running ones asked to end) and let their answers go out; then stop the reaper and the daemon.
** libmicrohttpd must not be stopped with a connection suspended: the pool resumes every one.
*/
static void stop_service(server *s, struct MHD_Daemon *d) {
  MHD_socket ls = MHD_quiesce_daemon(d);
  struct timespec grace = {0, 250000000};
  nanosleep(&grace, NULL);
  atomic_store(&s->stopping, 1);
  for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < 1500; waited += 5) {
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
  }
  http_pool_stop(s->pool);
  http_pool_stop(s->writer);
  for (int waited = 0; atomic_load(&s->in_flight) > 0 && waited < 500; waited += 5) {
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
  }
  if (reaper.started) {
    pthread_mutex_lock(&reaper.lock);
    reaper.stop = 1;
    pthread_cond_signal(&reaper.wake);
    pthread_mutex_unlock(&reaper.lock);
    pthread_join(reaper.thread, NULL);
    reaper.started = 0;
  }
  MHD_stop_daemon(d);
  if (ls != MHD_INVALID_SOCKET) close(ls);
}

int http_serve(const pactum_agreement *agr, const serve_config *cfg) {
  static server srv; /* one per process: the signal wait below is process-wide */
  server *s = &srv;
  char *cert = NULL, *key = NULL;
  struct MHD_Daemon *d = NULL;
  int rc = -1;
  if (http_server_init(s, agr, cfg)) goto out;
  if (cfg->tls_cert) {
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
      fprintf(stderr, "pactum: error: this libmicrohttpd was built without TLS: '--tls-cert' cannot be served\n");
      goto out;
    }
    if (http_tls_load(cfg->tls_cert, cfg->tls_key, &cert, &key)) goto out;
  }
  /* Every connection the server opens (the writer's, each thread's, the decision log's) reads
     little at a time: a small page cache each keeps the sum of them small. */
  store_cache_default(HTTP_STORE_CACHE_KIB);
  if (open_record(s)) goto out;
  /* SIGTERM and SIGINT are waited for by this thread; the service's threads never see them. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (cfg->heavy_threads && (!(s->pool = http_pool_new(s, "heavy", cfg->heavy_threads, cfg->heavy_queue)) ||
                             !(s->writer = http_pool_new(s, "write", 1, cfg->heavy_queue)))) {
    fprintf(stderr, "pactum: error: cannot start the threads of the heavy pool and the writer\n");
    goto out;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned threads = cfg->threads ? cfg->threads : (unsigned)(cpus > 0 ? cpus : 1);
  if (!(d = start_daemon(s, threads, cert, key))) goto out;
  if (cfg->request_deadline_s) {
    reaper.stop = 0;
    reaper.started = pthread_create(&reaper.thread, NULL, reap, s) == 0;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  if (!cfg->quiet)
    fprintf(stderr, "pactum: serving %s %s on %s://%s:%u/ (%u threads, store %s, events head %lld)\n", agr->id, agr->version,
            cert ? "https" : "http", cfg->host, info ? (unsigned)info->port : (unsigned)cfg->port, threads, cfg->db,
            (long long)s->rec->tip.seq);
  int sig = 0;
  sigwait(&sigs, &sig);
  if (!cfg->quiet) fprintf(stderr, "pactum: %s: finishing the requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  stop_service(s, d);
  rc = 0;
out:
  if (rc) {
    http_pool_stop(s->pool);
    http_pool_stop(s->writer);
  }
  http_server_release(s);
  if (cert) sodium_memzero(cert, strlen(cert));
  if (key) sodium_memzero(key, strlen(key));
  px_free(cert);
  px_free(key);
  return rc;
}
