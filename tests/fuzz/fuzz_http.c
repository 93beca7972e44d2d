/*
** fuzz_http.c: libFuzzer harness for the HTTP request handlers of `pactum serve`, called in
** process. It links the server's own objects (src/http*.c, through src/http_int.h, so the routes,
** limits and handlers run unchanged), starts a libmicrohttpd daemon with no listening socket,
** driven from this thread, and hands it one end of a socketpair per input. Without a heavy pool,
** the heavy routes run on this thread too.
**
** Input: the first byte holds flags (bit 0: reads need a read token). Then up to eight
** requests, separated by a line "@@@", each sent on its own connection in turn (so events
** appended by one are read by the next, and the votes of a body's members add up: a declaration
** and three votes record a verdict). In each, the first line is "METHOD TARGET", the lines up to
** an empty one are headers, the rest is the body. The harness writes it as an HTTP/1.1 request
** (adding Host, Connection: close, and Content-Length unless the input gave a length or a
** transfer coding) and reads the answer. Bearer token "fuzz-write-N" belongs to the agreement's
** party N (0, 1, ...), "fuzz-vote-B-M" to member M of body B (both from 0), "fuzz-read" reads.
**
** Every store the harness makes has a bootstrap key and a registered key of party 0, so that a
** checkpoint can be signed by a key the store knows. A header "X-Fuzz-Sign: body" (which the
** harness takes out) has the body, a JSON object, signed as a checkpoint by that key; with
** "X-Fuzz-Sign: current" the body becomes the store's current tree head of the events chain, with
** the members of the input's body (when it is a JSON object) put over it, so signed. So POST
** /v1/checkpoints is reached past its signature check, with what the input says, in a store
** whose id changes on every run.
**
** With PACTUM_FUZZ_TRACE set, each request line and the start of its answer go to standard error
** (to see what a seed reaches).
**
** Invariants: the service never answers 500; a JSON answer parses; after every input no
** connection is left open. An input that POSTs to /v1/events or /v1/checkpoints (events, votes,
** checkpoints) leaves a store that is dropped before the next one (the store is made afresh), so
** every input starts from a record that holds only the store's own first two records.
*/
#include "http_int.h"
#include "alloc.h"

#include "fuzz.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/stat.h>

#define FUZZ_MAX_INPUT (64 * 1024)
#define MAX_ANSWER (8u << 20)
#define MAX_REQUESTS 8

static struct MHD_Daemon *daemon_;
static server srv;
static char dir[64], db_path[128], tokens_path[128];
static char *answer;
static sign_key boot_key, party_key; /* made from fixed seeds, so every run signs alike */
static int trace;                    /* PACTUM_FUZZ_TRACE is set */

/* The SHA-256 of tok as 64 hex digits, into out. */
static void token_hex(const char *tok, char out[HASH_HEX]) {
  uint8_t h[HASH_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)tok, strlen(tok));
  canon_hex(h, HASH_BYTES, out);
}

/* Remove the store and its WAL files. */
static void remove_store(void) {
  unlink(db_path);
  char side[160];
  snprintf(side, sizeof side, "%s-wal", db_path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", db_path);
  unlink(side);
}

/* A keypair for signer from a seed of 32 bytes, all `fill`. */
static void seed_key(sign_key *k, const char *signer, uint8_t fill) {
  uint8_t seed[crypto_sign_SEEDBYTES];
  memset(seed, fill, sizeof seed);
  memset(k, 0, sizeof *k);
  snprintf(k->signer, sizeof k->signer, "%s", signer);
  if (crypto_sign_seed_keypair(k->pk, k->sk, seed)) abort();
  k->has_secret = 1;
}

/* Register party 0's key in the new store: signed by the key itself and by the bootstrap key. */
static void register_party_key(void) {
  char b64[64], text[512];
  sign_b64_encode(party_key.pk, SIGN_PK_BYTES, b64, sizeof b64);
  int n = snprintf(text, sizeof text, "{\"type\":\"key_registered\",\"date\":\"2025-10-28\",\"signer\":\"%s\",\"public_key\":\"%s\"}",
                   party_key.signer, b64);
  const char *texts[1] = {text};
  size_t lens[1] = {(size_t)n}, bad;
  sign_key both[2] = {party_key, boot_key};
  int64_t first, last;
  pactum_error err;
  if (record_add(srv.rec, texts, lens, 1, both, 2, NULL, &bad, &first, &last, &err)) {
    fprintf(stderr, "fuzz: cannot register the party's key: %s [%s]\n", err.message, err.code);
    abort();
  }
}

/* A new store (store_created, with the bootstrap key, and party 0's key registered) and the snapshot of it. */
static void open_store(void) {
  remove_store();
  const uint8_t(*boot)[SIGN_PK_BYTES] = &boot_key.pk;
  record_init init = {0, 1, boot, 1};
  pactum_error err;
  if (record_open(srv.agr, db_path, 1, &init, &srv.rec, &err)) {
    fprintf(stderr, "fuzz: cannot open the store: %s\n", err.message);
    abort();
  }
  register_party_key();
  canon_hex(srv.rec->agr_hash, HASH_BYTES, srv.agr_hash);
  memcpy(srv.origin.store, record_store_id(srv.rec), SIGN_STORE_HEX);
  memcpy(srv.origin.agreement, srv.rec->agr_hash, HASH_BYTES);
  atomic_fetch_add(&srv.store_gen, 1); /* a new file: read handles on the old one are reopened */
  snapshot *sn = http_snap_build(&srv);
  if (!sn) abort();
  if (srv.snap) http_snap_publish(&srv, sn);
  else srv.snap = sn;
}

static void remove_files(void) {
  remove_store();
  unlink(tokens_path);
  rmdir(dir);
}

static void setup(void) {
  if (sign_init() != 0) abort();
  snprintf(dir, sizeof dir, "/tmp/pactum-fuzz-http-XXXXXX");
  if (!mkdtemp(dir)) abort();
  snprintf(db_path, sizeof db_path, "%s/fuzz.db", dir);
  snprintf(tokens_path, sizeof tokens_path, "%s/tokens", dir);
  atexit(remove_files);
  const pactum_agreement *agr = fuzz_agreement(0);
  serve_config cfg;
  http_config_init(&cfg);
  cfg.db = db_path;
  cfg.max_body = 16 * 1024; /* small enough for fuzz inputs to pass it */
  cfg.max_batch = 8;
  cfg.heavy_threads = 0;    /* heavy routes run here, on the harness's thread */
  cfg.no_decision_log = 1;  /* the log's writer is a thread of its own on the store, which is remade */
  cfg.quiet = 1;
  if (http_server_init(&srv, agr, &cfg)) abort();
  seed_key(&boot_key, "bootstrap", 0x5b);
  seed_key(&party_key, agr->parties[0].name, 0x50);
  char hex[HASH_HEX];
  FILE *fp = fopen(tokens_path, "w");
  if (!fp) abort();
  for (int i = 0; i < agr->nparties; i++) {
    char tok[32];
    snprintf(tok, sizeof tok, "fuzz-write-%d", i);
    token_hex(tok, hex);
    fprintf(fp, "%s %s\n", agr->parties[i].name, hex);
  }
  for (int b = 0; b < agr->nbodies; b++)
    for (int m = 0; m < agr->bodies[b].nmembers; m++) {
      char tok[48];
      snprintf(tok, sizeof tok, "fuzz-vote-%d-%d", b, m);
      token_hex(tok, hex);
      fprintf(fp, "%s.%s %s\n", agr->bodies[b].name, agr->bodies[b].members[m], hex);
    }
  fclose(fp);
  if (http_load_tokens(&srv, tokens_path)) abort();
  crypto_hash_sha256(srv.read_token, (const unsigned char *)"fuzz-read", 9);
  open_store();
  daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, http_on_request, &srv, MHD_OPTION_NOTIFY_COMPLETED,
                             http_on_completed, &srv, MHD_OPTION_NOTIFY_CONNECTION, http_on_connection, &srv,
                             MHD_OPTION_CONNECTION_TIMEOUT, 0u, MHD_OPTION_END);
  if (!daemon_) abort();
  answer = px_malloc(MAX_ANSWER + 1);
  if (!answer) abort();
  trace = getenv("PACTUM_FUZZ_TRACE") != NULL;
}

/* Append s[0..n) to the request being built, cut to cap. */
static void put(char *out, size_t *len, size_t cap, const char *s, size_t n) {
  if (*len + n > cap) n = cap - *len;
  memcpy(out + *len, s, n);
  *len += n;
}

/*
** The body for "X-Fuzz-Sign: MODE": with MODE "current" the store's current tree head of the
** events chain with the body's members (a JSON object) put over it, otherwise the body itself (a
** JSON object), signed as a checkpoint by party 0's registered key; as compact JSON (px_free it),
** its length in *n. NULL when there is no JSON object to sign, or it cannot be signed: then the
** body is sent as it is.
*/
static char *signed_body(const char *mode, size_t mlen, const char *body, size_t blen, size_t *n) {
  json_t *cp = NULL, *given = json_loadb(body, blen, 0, NULL);
  pactum_error err;
  if (mlen == 7 && !memcmp(mode, "current", 7)) {
    if (tlog_checkpoint(srv.rec->st, &srv.origin, CHAIN_EVENTS, 0, &cp, &err)) cp = NULL;
    if (cp && json_is_object(given)) json_object_update(cp, given);
    json_decref(given);
  } else {
    cp = given;
  }
  char *text = NULL;
  if (json_is_object(cp) && !sign_checkpoint(cp, &party_key, &err)) text = json_dumps(cp, JSON_COMPACT);
  json_decref(cp);
  if (text) *n = strlen(text);
  return text;
}

/* Build the HTTP request from the fuzz text into out; its length. */
static size_t build_request(const char *text, size_t len, char *out, size_t cap) {
  size_t o = 0;
  const char *end = text + len, *p = text;
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  size_t first = nl ? (size_t)(nl - p) : (size_t)(end - p);
  if (first && p[first - 1] == '\r') first--;
  put(out, &o, cap, p, first);
  static const char fixed[] = " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n";
  put(out, &o, cap, fixed, sizeof fixed - 1);
  p = nl ? nl + 1 : end;
  int has_length = 0;
  const char *sign_mode = NULL;
  size_t sign_len = 0;
  while (p < end) {
    nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r') n--;
    if (n == 0) {
      p = nl ? nl + 1 : end;
      break;
    }
    if (n >= 15 && !strncasecmp(p, "content-length:", 15)) has_length = 1;
    if (n >= 18 && !strncasecmp(p, "transfer-encoding:", 18)) has_length = 1;
    if (n >= 12 && !strncasecmp(p, "x-fuzz-sign:", 12)) { /* the harness's, not sent */
      for (sign_mode = p + 12, sign_len = n - 12; sign_len && *sign_mode == ' '; sign_mode++, sign_len--) {
      }
    } else {
      put(out, &o, cap, p, n);
      put(out, &o, cap, "\r\n", 2);
    }
    p = nl ? nl + 1 : end;
  }
  size_t body = (size_t)(end - p);
  char *signed_text = sign_mode ? signed_body(sign_mode, sign_len, p, body, &body) : NULL;
  if (!signed_text) body = (size_t)(end - p);
  if (!has_length) {
    char cl[48];
    int k = snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", body);
    put(out, &o, cap, cl, (size_t)k);
  }
  put(out, &o, cap, "\r\n", 2);
  put(out, &o, cap, signed_text ? signed_text : p, body);
  px_free(signed_text);
  return o;
}

/*
** Decode a chunked body (a streamed answer, GET /v1/events) in place: its length, or (size_t)-1
** if the chunks are malformed. Only what arrived is decoded; the last chunk must be there.
*/
static size_t dechunk(char *body, size_t n) {
  size_t in = 0, out = 0;
  for (;;) {
    char *end;
    const char *p = body + in;
    if (in >= n) return (size_t)-1;
    unsigned long k = strtoul(p, &end, 16);
    if (end == p || (size_t)(end - body) + 2 > n || memcmp(end, "\r\n", 2)) return (size_t)-1;
    in = (size_t)(end - body) + 2;
    if (k == 0) return out;
    if (in + k + 2 > n || memcmp(body + in + k, "\r\n", 2)) return (size_t)-1;
    memmove(body + out, body + in, k);
    out += k;
    in += k + 2;
  }
}

/* Check the answer: never a 500, and a JSON body that parses. */
static void check_answer(const char *method, char *a, size_t n) {
  if (n == 0) return; /* closed without an answer: a request libmicrohttpd itself refused to read */
  const char *head_end = NULL;
  for (size_t i = 0; i + 3 < n; i++)
    if (!memcmp(a + i, "\r\n\r\n", 4)) {
      head_end = a + i;
      break;
    }
  FUZZ_ASSERT(n >= 12 && !memcmp(a, "HTTP/1.", 7), "the answer is not HTTP: %.100s", a);
  FUZZ_ASSERT(head_end != NULL, "the answer has no end of headers: %.200s", a);
  int status = (a[9] - '0') * 100 + (a[10] - '0') * 10 + (a[11] - '0');
  FUZZ_ASSERT(status != 500, "the service answered 500: %.*s", (int)(n > 600 ? 600 : n), a);
  int json = 0;
  char *body = (char *)head_end + 4;
  size_t blen = n - (size_t)(body - a);
  for (const char *h = a; h + 32 <= head_end; h++)
    if (!strncasecmp(h, "\r\nContent-Type: application/json", 32)) json = 1;
  /* Only the first answer is checked: fuzzed headers can keep the connection open, and then
     what follows the declared body is read as a second request. */
  for (const char *h = a; h + 17 <= head_end; h++)
    if (!strncasecmp(h, "\r\nContent-Length:", 17)) {
      size_t declared = strtoul(h + 17, NULL, 10);
      if (declared < blen) blen = declared;
    }
  int chunked = 0;
  for (const char *h = a; h + 28 <= head_end; h++)
    if (!strncasecmp(h, "\r\nTransfer-Encoding: chunked", 28)) chunked = 1;
  if (json && chunked && strcmp(method, "HEAD") != 0) {
    blen = dechunk(body, blen);
    FUZZ_ASSERT(blen != (size_t)-1, "a chunked answer is malformed: %.*s", (int)(n > 600 ? 600 : n), a);
  }
  if (json && strcmp(method, "HEAD") != 0)
    FUZZ_ASSERT(fuzz_json_valid(body, blen), "a JSON answer does not parse: %.*s", (int)(n > 600 ? 600 : n), a);
}

/*
** Send one request (fuzz text[0..len), see build_request) on a new connection and check the
** answer. 1 if it was a POST to a route that may write the store (events, votes, checkpoints).
*/
static int exchange(const char *text, size_t len) {
  static char request[FUZZ_MAX_INPUT + 512];
  size_t rlen = build_request(text, len, request, sizeof request);
  char method[16] = "";
  size_t m = 0;
  while (m < rlen && m < sizeof method - 1 && request[m] != ' ') {
    method[m] = request[m];
    m++;
  }
  method[m] = '\0';

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) abort();
  fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
  struct sockaddr_in peer;
  memset(&peer, 0, sizeof peer);
  peer.sin_family = AF_INET;
  peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&peer, sizeof peer) != MHD_YES) abort();
  size_t sent = 0, got = 0;
  int closed = 0, idle = 0;
  /* Requests are handled on this thread inside MHD_run, so a few rounds without progress mean
     the daemon waits for more than the input holds (a declared length longer than the body). */
  for (int round = 0; round < 100000 && !closed && idle < 20; round++) {
    size_t before = sent + got;
    if (sent < rlen) {
      ssize_t w = send(sv[1], request + sent, rlen - sent, MSG_NOSIGNAL);
      if (w > 0) sent += (size_t)w;
    }
    MHD_run(daemon_);
    for (;;) {
      char sink[65536];
      ssize_t r = recv(sv[1], got < MAX_ANSWER ? answer + got : sink,
                       got < MAX_ANSWER ? (MAX_ANSWER - got < sizeof sink ? MAX_ANSWER - got : sizeof sink) : sizeof sink, 0);
      if (r > 0) {
        if (got < MAX_ANSWER) got += (size_t)r;
        continue;
      }
      if (r == 0) closed = 1;
      break;
    }
    idle = sent + got == before ? idle + 1 : 0;
  }
  close(sv[1]);
  /* Let the daemon see the close and release the connection. */
  for (int round = 0; round < 100; round++) {
    MHD_run(daemon_);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (info && info->num_connections == 0) break;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  FUZZ_ASSERT(!info || info->num_connections == 0, "a connection is still open after its input");
  answer[got] = '\0';
  if (trace) {
    const char *eol = memchr(request, '\r', rlen);
    const char *body = strstr(answer, "\r\n\r\n");
    fprintf(stderr, "%.*s\n  -> %.12s %.300s\n", eol ? (int)(eol - request) : 80, request, answer,
            body ? body + 4 : "");
  }
  if (closed) check_answer(method, answer, got);
  const char *target = request + m + (m < rlen);
  return !strcmp(method, "POST") &&
         (!strncmp(target, "/v1/events", 10) || !strncmp(target, "/v1/checkpoints", 15));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
  if (!daemon_) setup();
  srv.has_read_token = data[0] & 1;
  /* Up to MAX_REQUESTS requests, one after the other, separated by a line "@@@". */
  const char *text = (const char *)data + 1, *end = text + size - 1;
  int posted = 0;
  for (int k = 0; k < MAX_REQUESTS && text <= end; k++) {
    const char *sep = NULL;
    for (const char *p = text; !sep && p + 5 <= end; p++)
      if (!memcmp(p, "\n@@@\n", 5)) sep = p;
    if (k == MAX_REQUESTS - 1) sep = NULL;
    posted |= exchange(text, (size_t)((sep ? sep : end) - text));
    if (!sep) break;
    text = sep + 5;
  }
  if (posted || srv.rec->tip.seq != 2) {
    /* Events, votes or checkpoints may have been written: start the next input from a new store. */
    record_free(srv.rec);
    srv.rec = NULL;
    open_store();
  }
  return 0;
}
