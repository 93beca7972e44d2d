/*
** http.h: `pactum serve`, the HTTP decision service (libmicrohttpd, optionally over TLS with
** GnuTLS). docs/http-api.md describes the endpoints, the limits and what bounds each one.
*/
#ifndef PACTUM_HTTP_H
#define PACTUM_HTTP_H

#include "agreement.h"

#include <stddef.h>
#include <stdint.h>

typedef struct serve_config {
  const char *host;            /* address to listen on, "127.0.0.1" by default */
  int port;                    /* 8181 by default */
  const char *db;              /* the store; created when missing */
  const char *tokens;          /* the tokens file: "SIGNER SHA256HEX" per line; NULL: no one may append */
  const char *read_token_file; /* when set, read endpoints need the token on this file's first line */
  const char *tls_cert;        /* with tls_key: serve HTTPS with these PEM files */
  const char *tls_key;
  const char *gate_prefix;     /* header prefix of the gateway hook, "X-Pactum-" by default */
  size_t max_body;             /* bytes; beyond it 413 */
  size_t max_batch;            /* requests or events in one body */
  unsigned max_conns;
  unsigned max_conns_per_ip;   /* 0: no limit per client address */
  unsigned timeout_s;          /* a connection idle this long is closed */
  unsigned request_deadline_s; /* a request not whole this long after it began to be awaited is cut; 0: never */
  unsigned threads;            /* 0: one per core */
  unsigned heavy_threads;      /* the pool for requests whose cost grows with the record; 0: none, they run
                                  on the connection's own thread (the fuzz harness) */
  unsigned heavy_queue;        /* heavy requests waiting for a pool thread at most; beyond it 503 */
  uint64_t max_whatif_work;    /* units of work of one what-if (whatif.h); beyond it 413 */
  uint64_t max_whatif_answer;  /* changes and decision differences one what-if answer may list */
  unsigned whatif_deadline_s;  /* seconds one what-if comparison may run; beyond it 503 */
  unsigned vote_ttl_s;         /* a vote on a body's event lapses after this many seconds */
  int no_decision_log;         /* do not log decisions (they are logged by default) */
  unsigned log_wait_ms;        /* a decision waits this long for room in the log's queue; then 503 */
  size_t log_queue;            /* decisions waiting to be logged, at most */
  int quiet;
} serve_config;

/* Set the documented defaults. */
void http_config_init(serve_config *cfg);

/*
** Serve agr until SIGTERM or SIGINT, then finish the requests in flight and return 0; -1
** (reported on stderr) if the service cannot start. Blocks the calling thread.
*/
int http_serve(const pactum_agreement *agr, const serve_config *cfg);

#endif
