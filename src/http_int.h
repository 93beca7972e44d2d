/*
** http_int.h: what the files of `pactum serve` share. http.c is the server's core: the daemon,
** connections and their limits, authentication, dispatch and responses; http_pool.c runs the
** heavy requests apart from the decisions; http_tls.c reads the certificate and key. The routes
** live beside them, one file per family: http_info.c (what the agreement and the record say),
** http_decide.c (decide, explain, the gate), http_record.c (reading and appending events, the
** audit) and http_whatif.c. A route is a function of a `req` that answers through http_respond
** (or the send helpers over it) and is listed in the route table of http.c.
*/
#ifndef PACTUM_HTTP_INT_H
#define PACTUM_HTTP_INT_H

#include "buf.h"
#include "canon.h"
#include "declog.h"
#include "tlog.h"
#include "http.h"
#include "record.h"
#include "store.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

/* ---- The server ------------------------------------------------------------------------ */

/* An immutable fold of the record, shared by the readers (http.c). */
typedef struct snapshot {
  pactum_timeline *tl;
  int64_t seq;              /* the head of the events chain it was folded at */
  uint8_t head_hash[HASH_BYTES];
  char head[HASH_HEX];
  atomic_int refs;
} snapshot;

typedef struct api_token {
  char signer[SIGN_MAX_SIGNER];
  uint8_t hash[HASH_BYTES];
} api_token;

/* Latency buckets of /v1/decide, in microseconds. */
#define HTTP_NBUCKETS 9
extern const double http_buckets[HTTP_NBUCKETS];

/* The kinds of error answers, counted in pactum_errors_total. */
enum {
  ERR_BAD_REQUEST, ERR_UNAUTHORIZED, ERR_FORBIDDEN, ERR_NOT_FOUND, ERR_METHOD, ERR_TOO_LARGE, ERR_INTERNAL,
  ERR_UNAVAILABLE, NERR
};
extern const char *const http_err_kind[NERR];

/* The limits that cut or refused something, counted in pactum_limits_total. */
enum {
  LIM_REQUEST_DEADLINE, /* a request not whole by --request-deadline: its connection closed */
  LIM_HEAVY_QUEUE,      /* a pool's queue was full: 503 */
  LIM_WHATIF_WORK,      /* --max-whatif-work: 413 */
  LIM_WHATIF_ANSWER,    /* --max-whatif-answer: 413 */
  LIM_WHATIF_DEADLINE,  /* --whatif-deadline: 503 */
  LIM_CLIENT_GONE,      /* a heavy request's client left: its work stopped, no answer */
  NLIM
};
extern const char *const http_limit_name[NLIM];

typedef struct wire wire;
typedef struct http_pool http_pool;

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
  atomic_uint store_gen; /* bumped when the store file is replaced: threads reopen their handles */
  /* Connections (http.c): every open one, for the request deadline. */
  pthread_mutex_t wires_lock;
  wire *wires;
  atomic_int nwires;
  declog_writer *log; /* the decision log's writer; NULL with --no-decision-log */
  tlog_origin origin; /* the store's id and agreement, for checkpoints */
  atomic_llong log_refused; /* decisions refused because the log's queue stayed full */
  atomic_llong refreshes;   /* folds of what another process appended */
  http_pool *pool;   /* the heavy pool; NULL: heavy requests run where they arrive */
  http_pool *writer; /* one thread for appends (they take the writer lock one at a time anyway) */
  /* Counters for /metrics. */
  atomic_llong decisions[4];
  atomic_llong latency[HTTP_NBUCKETS + 1];
  atomic_llong latency_sum_us, latency_count;
  atomic_llong events_appended, http_requests;
  atomic_int in_flight; /* requests begun and not yet completed */
  atomic_int stopping;  /* SIGTERM or SIGINT came: begin no new request */
  atomic_llong errors[NERR];
  atomic_llong limits[NLIM];
} server;

/* One request, from its headers to its answer (libmicrohttpd's per-request pointer). */
typedef struct conn {
  buf body;
  size_t dropped;    /* bytes of an oversized body read and thrown away */
  double over_since; /* when it passed the limit, in microseconds */
  int too_large;
  /* A heavy request handed to the pool: the connection is suspended until the pool resumes it. */
  int handed;
  MHD_socket fd;               /* its socket, to see whether the client left */
  struct MHD_Response *reply;  /* the answer the pool made, queued when the connection resumes */
  unsigned reply_status;
} conn;

/* A request being answered. */
typedef struct req {
  server *s;
  struct MHD_Connection *c;
  conn *cn;
  const char *method;
  int deferred; /* on a pool thread: the answer waits in cn->reply for the connection to resume */
} req;

/*
** Where a route runs. On the connection's thread when its cost does not grow with the record
** (decisions, the gate, pages of events); else apart, so that it never delays a decision: reads in
** the heavy pool, writes on the writer's thread, so that no number of reads can hold up a write.
*/
enum { LANE_CONN, LANE_HEAVY, LANE_WRITE };

typedef struct route {
  const char *method, *path;
  enum MHD_Result (*fn)(req *q);
  int read; /* guarded by --read-token */
  int lane;
} route;

/* ---- http.c: snapshots, per-thread state, responses, authentication -------------------- */

/* The page cache of each of the server's store connections, in KiB (SQLite's default is 2,000). */
#define HTTP_STORE_CACHE_KIB 256

/* The current snapshot, with a reference the caller drops. */
snapshot *http_snap_take(server *s);
void http_snap_drop(snapshot *sn);
/*
** A snapshot of what the writer has folded: a view of its timeline, O(state width + the ref
** index), not O(events). NULL if memory ran out. Caller holds write_lock.
*/
snapshot *http_snap_build(server *s);
/* Swap sn in for the readers (taking the server's reference), dropping the old one. */
void http_snap_publish(server *s, snapshot *sn);

/* A thread's reusable request and decision buffers, and its read handle on the store. */
typedef struct worker {
  const pactum_agreement *agr;
  pactum_request *req;
  pactum_decision *dec;
  store *st;        /* opened on first use, closed when the thread ends */
  unsigned st_gen;  /* the server's store_gen when it was opened */
  const server *st_srv;
  int64_t seen_version; /* st's data version when this thread last made sure the snapshot was fresh */
  int seen_valid;
} worker;
/* This thread's worker, NULL if memory ran out. Freed when the thread ends. */
worker *http_worker(server *s);
/* This thread's read handle on the store, opened on first use; NULL with *err set. */
store *http_thread_store(server *s, pactum_error *err /* OUT */);

/*
** Make the snapshot at least as fresh as the store: when another process (or another server)
** committed since this thread last looked (its handle's data version changed), fold the new
** records, and only those, checking each, and publish a new snapshot. Cheap otherwise: one
** PRAGMA data_version on this thread's handle. Every route that answers from the record calls
** it first. 0, or an error (a store changed behind pactum's back: store_corrupt) in *err.
*/
int http_refresh(server *s, pactum_error *err /* OUT */);
/* http_refresh, answering 500 on failure: 0 to go on, else the route returns *rc. */
int http_fresh(req *q, enum MHD_Result *rc /* OUT */);

double http_now_us(void);
/* 1 when the peer of fd has gone (closed, shut down its side, or reset); never blocks. */
int http_client_gone(MHD_socket fd);

/* Queue r (owned: always consumed) as the answer; see req.deferred. MHD_NO if r is NULL or was refused. */
enum MHD_Result http_respond(req *q, unsigned status, struct MHD_Response *r);
enum MHD_Result http_send_text(req *q, unsigned status, const char *type, const char *text, size_t len);
/* b as the JSON answer, released; a 500 if b ran out of memory. */
enum MHD_Result http_send_json(req *q, unsigned status, buf *b);
/* text (px_malloc'd, freed here) as a 200 JSON answer; a 500 if it is NULL. */
enum MHD_Result http_send_owned(req *q, char *text);
/* {"error":{"code","message"}}, counted under kind. */
enum MHD_Result http_send_error(req *q, unsigned status, int kind, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/*
** An error for a limit passed: {"error":{"code","message","limit","value"}}, where limit is the
** option's name and value its setting; a 503 carries Retry-After. Counted under kind and lim.
*/
enum MHD_Result http_send_limit(req *q, unsigned status, int kind, int lim, const char *code, const char *limit,
                                unsigned long long value, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The request's body as JSON; NULL after answering 400 (*rc holds what to return). */
json_t *http_body_json(req *q, enum MHD_Result *rc /* OUT */);
/* The signer whose bearer token q carries, or NULL. */
const char *http_authenticate(server *s, struct MHD_Connection *c);
/* The tokens file into s->tokens; -1 (reported on stderr) if it cannot be read or is malformed. */
int http_load_tokens(server *s, const char *path);

/* libmicrohttpd's callbacks (cls is the server), for http_serve and the fuzz harness. */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                const char *version, const char *upload, size_t *upload_size, void **con_cls);
void http_on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why);
void http_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe);

/* Zero s and set it up for agr and cfg (locks, tokens, read token); -1 reported on stderr. */
int http_server_init(server *s, const pactum_agreement *agr, const serve_config *cfg);
void http_server_release(server *s);

/* ---- http_pool.c: the heavy pool ------------------------------------------------------- */

/* A pool of `threads` threads with room for `queue` requests waiting; NULL if it cannot start. */
http_pool *http_pool_new(server *s, const char *name, unsigned threads, unsigned queue);
/* Its name ("heavy", "write"), threads and queue, for messages and metrics. */
const char *http_pool_name(const http_pool *p);
unsigned http_pool_threads(const http_pool *p);
unsigned http_pool_queue(const http_pool *p);
/*
** Hand q's route r to the pool: q's connection is suspended, and resumed once r has answered
** (on a pool thread, deferred). -1 when the queue is full: nothing was done.
*/
int http_pool_submit(http_pool *p, const req *q, const route *r);
/* 1 once the pool is stopping: long work should end (answering 503). */
int http_pool_stopping(const http_pool *p);
/* Requests waiting and running, for /metrics. */
void http_pool_load(http_pool *p, int *queued /* OUT */, int *running /* OUT */);
/* Stop: queued requests are answered 503, running ones asked to end; wait for the threads. */
void http_pool_stop(http_pool *p);
void http_pool_free(http_pool *p);

/* ---- http_tls.c ------------------------------------------------------------------------ */

/*
** Read and check the PEM certificate (chain) and key for TLS: each must parse and the key must
** match the certificate. *cert and *key receive NUL-terminated copies (px_free them). -1, the
** problem named on stderr, otherwise.
*/
int http_tls_load(const char *cert_path, const char *key_path, char **cert /* OUT */, char **key /* OUT */);

/* ---- The routes ------------------------------------------------------------------------ */

/* http_info.c */
enum MHD_Result http_info_healthz(req *q);
enum MHD_Result http_info_metrics(req *q);
enum MHD_Result http_info_agreement(req *q);
enum MHD_Result http_info_vocabulary(req *q);
enum MHD_Result http_info_clauses(req *q);
enum MHD_Result http_info_status(req *q);
enum MHD_Result http_info_ledger(req *q);
enum MHD_Result http_info_obligations(req *q);
/* The dashboard's file at path ("/index.html", "/app.js", ...), or 404. */
enum MHD_Result http_info_static(req *q, const char *path);

/* http_decide.c */
enum MHD_Result http_decide_decide(req *q);
enum MHD_Result http_decide_explain(req *q);
enum MHD_Result http_decide_gate(req *q);

/* http_record.c */
#define HTTP_EVENTS_LIMIT 1000      /* GET /v1/events: events per page by default */
#define HTTP_EVENTS_MAX_LIMIT 10000 /* ... and at most */
enum MHD_Result http_record_list(req *q);
enum MHD_Result http_record_append(req *q);
enum MHD_Result http_record_audit(req *q);
enum MHD_Result http_record_proposals(req *q);
enum MHD_Result http_record_store(req *q);
enum MHD_Result http_record_proof(req *q);
enum MHD_Result http_record_consistency(req *q);
enum MHD_Result http_record_checkpoints(req *q);
enum MHD_Result http_record_cosign(req *q);

/* http_whatif.c */
enum MHD_Result http_whatif_compare(req *q);

#endif
