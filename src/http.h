/*
** http.h: `pactum serve`, the HTTP decision service (libmicrohttpd).
*/
#ifndef PACTUM_HTTP_H
#define PACTUM_HTTP_H

#include "agreement.h"

#include <stddef.h>

typedef struct serve_config {
  const char *host;        /* address to listen on, "127.0.0.1" by default */
  int port;                /* 8181 by default */
  const char *db;          /* the store; created when missing */
  const char *tokens;      /* the tokens file: "SIGNER SHA256HEX" per line; NULL: no one may append */
  const char *read_token;  /* when set, read endpoints need this bearer token too */
  const char *gate_prefix; /* header prefix of the gateway hook, "X-Pactum-" by default */
  size_t max_body;         /* bytes; beyond it 413 */
  unsigned max_conns;
  unsigned timeout_s;      /* idle connections are closed after this */
  size_t max_batch;        /* requests or events in one body */
  unsigned threads;        /* 0: one per core */
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
