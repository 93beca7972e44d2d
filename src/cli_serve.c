/*
** cli_serve.c: `pactum serve`, the command: reads its options into a serve_config, loads the
** agreement and hands both to http_serve (http.h). Every option's range is checked here, so a bad
** value is refused before anything is opened; files (tokens, read token, TLS) are read and
** checked by http_serve at start-up, with exit status 2 when one is wrong.
*/
#include "cli.h"
#include "http.h"
#include "sign.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* A whole number in [min, max] into *out; -1 (reported, naming the option) otherwise. */
static int parse_count(const char *what, const char *v, unsigned long long min, unsigned long long max,
                       unsigned long long *out /* OUT */) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (errno || *end || !*v || v[0] == '-' || v[0] == '+' || n < min || n > max)
    return cli_error("'%s' takes a whole number from %llu to %llu, not '%s'", what, min, max, v);
  *out = n;
  return 0;
}

/* --listen HOST:PORT into cfg; host[] receives the host part. */
static int parse_listen(const char *v, char *host, size_t cap, serve_config *cfg) {
  const char *colon = strrchr(v, ':');
  unsigned long long n = 0;
  if (!colon || (size_t)(colon - v) >= cap) return cli_error("'--listen' takes HOST:PORT, such as 127.0.0.1:8181");
  memcpy(host, v, (size_t)(colon - v));
  host[colon - v] = '\0';
  cfg->host = host;
  if (parse_count("--listen", colon + 1, 0, 65535, &n)) return -1;
  cfg->port = (int)n;
  return 0;
}

/* The numeric options: each with its range; NULL values keep http_config_init's defaults. */
static int parse_numbers(const opts *o, serve_config *cfg) {
  unsigned long long n = 0;
  struct {
    const char *flag, *value;
    unsigned long long min, max;
    int kind; /* 0 size_t, 1 unsigned, 2 uint64_t */
    void *dst;
  } nums[] = {
      {"--max-body", o->max_body, 0, 1ull << 30, 0, &cfg->max_body},
      {"--max-conns", o->max_conns, 1, 100000, 1, &cfg->max_conns},
      {"--max-conns-per-ip", o->max_conns_per_ip, 0, 100000, 1, &cfg->max_conns_per_ip},
      {"--timeout", o->timeout, 0, 86400, 1, &cfg->timeout_s},
      {"--request-deadline", o->request_deadline, 0, 86400, 1, &cfg->request_deadline_s},
      {"--max-batch", o->max_batch, 1, 1000000, 0, &cfg->max_batch},
      {"--threads", o->threads, 0, 256, 1, &cfg->threads},
      {"--heavy-threads", o->heavy_threads, 1, 64, 1, &cfg->heavy_threads},
      {"--heavy-queue", o->heavy_queue, 0, 100000, 1, &cfg->heavy_queue},
      {"--max-whatif-work", o->max_whatif_work, 1, 1000000000000ull, 2, &cfg->max_whatif_work},
      {"--max-whatif-answer", o->max_whatif_answer, 1, 1000000000ull, 2, &cfg->max_whatif_answer},
      {"--whatif-deadline", o->whatif_deadline, 1, 86400, 1, &cfg->whatif_deadline_s},
      {"--vote-ttl", o->vote_ttl, 1, 366ull * 86400, 1, &cfg->vote_ttl_s},
  };
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    if (!nums[i].value) continue;
    if (parse_count(nums[i].flag, nums[i].value, nums[i].min, nums[i].max, &n)) return -1;
    if (nums[i].kind == 0) *(size_t *)nums[i].dst = (size_t)n;
    else if (nums[i].kind == 1) *(unsigned *)nums[i].dst = (unsigned)n;
    else *(uint64_t *)nums[i].dst = (uint64_t)n;
  }
  return 0;
}

int cmd_serve(opts *o) {
  serve_config cfg;
  http_config_init(&cfg);
  char host[64];
  if (o->listen && parse_listen(o->listen, host, sizeof host, &cfg)) return EXIT_INPUT;
  if (parse_numbers(o, &cfg)) return EXIT_INPUT;
  if (!o->tls_cert != !o->tls_key) {
    cli_error("'--tls-cert' and '--tls-key' go together: give both (PEM files) or neither");
    return EXIT_INPUT;
  }
  if (o->db) cfg.db = o->db;
  cfg.tokens = o->tokens;
  cfg.no_decision_log = o->no_decision_log;
  cfg.read_token_file = o->read_token;
  cfg.tls_cert = o->tls_cert;
  cfg.tls_key = o->tls_key;
  if (o->gate_prefix) cfg.gate_prefix = o->gate_prefix;
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  if (sign_init()) {
    pactum_agreement_free(agr);
    cli_error("libsodium could not start");
    return EXIT_INTERNAL;
  }
  int rc = http_serve(agr, &cfg);
  pactum_agreement_free(agr);
  return rc ? EXIT_INPUT : EXIT_OK;
}
