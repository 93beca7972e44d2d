/*
** cli.c: the `pactum` command. A thin layer over libpactum: it parses arguments, reads
** files and streams, and dispatches from a command table, as git does.
**
** Exit codes: 0 ok; 1 a decision or check found a problem; 2 bad input; 3 internal error.
*/
#include "agreement.h"
#include "alloc.h"
#include "cli.h"
#include "canon.h"
#include "date.h"
#include "embedded.h"
#include "history.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

int cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("pactum: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return -1;
}

static int parse_opts(const command *cmd, int argc, char **argv, opts *o) {
  static const struct { const char *flag; uint64_t bit; size_t off; } values[] = {
      {"--agreement", O_AGREEMENT, offsetof(opts, agreement)},
      {"--events", O_EVENTS, offsetof(opts, events)},
      {"--request", O_REQUEST, offsetof(opts, request)},
      {"--date", O_DATE, offsetof(opts, date)},
      {"--format", O_FORMAT, offsetof(opts, format)},
      {"--sources", O_SOURCES, offsetof(opts, sources)},
      {"--db", O_DB, offsetof(opts, db)},
      {"--bootstrap-threshold", O_BOOTSTRAP, offsetof(opts, threshold)},
      {"--store", O_STORE_ID, offsetof(opts, store_id)},
      {"--seq", O_PROVE, offsetof(opts, seq)},
      {"--size", O_PROVE | O_CHAIN, offsetof(opts, size)},
      {"--chain", O_PROVE | O_CONSISTENCY | O_CHAIN, offsetof(opts, chain)},
      {"--from", O_CONSISTENCY, offsetof(opts, from)},
      {"--to", O_CONSISTENCY, offsetof(opts, to)},
      {"--head", O_HEAD, offsetof(opts, head)},
      {"--since", O_SINCE, offsetof(opts, since)},
      {"--by", O_BY, offsetof(opts, by)},
      {"--party", O_PARTY, offsetof(opts, party)},
      {"--member", O_MEMBER, offsetof(opts, member)},
      {"--out", O_OUT, offsetof(opts, out)},
      {"--key", O_KEY, offsetof(opts, key)},
      {"--history", O_HISTORY, offsetof(opts, history)},
      {"--listen", O_SERVE, offsetof(opts, listen)},
      {"--tokens", O_SERVE, offsetof(opts, tokens)},
      {"--read-token", O_SERVE, offsetof(opts, read_token)},
      {"--max-body", O_SERVE, offsetof(opts, max_body)},
      {"--max-conns", O_SERVE, offsetof(opts, max_conns)},
      {"--timeout", O_SERVE, offsetof(opts, timeout)},
      {"--max-batch", O_SERVE, offsetof(opts, max_batch)},
      {"--gate-prefix", O_SERVE, offsetof(opts, gate_prefix)},
      {"--threads", O_SERVE, offsetof(opts, threads)},
      {"--max-conns-per-ip", O_SERVE, offsetof(opts, max_conns_per_ip)},
      {"--request-deadline", O_SERVE, offsetof(opts, request_deadline)},
      {"--heavy-threads", O_SERVE, offsetof(opts, heavy_threads)},
      {"--heavy-queue", O_SERVE, offsetof(opts, heavy_queue)},
      {"--max-whatif-work", O_SERVE, offsetof(opts, max_whatif_work)},
      {"--max-whatif-answer", O_SERVE, offsetof(opts, max_whatif_answer)},
      {"--whatif-deadline", O_SERVE, offsetof(opts, whatif_deadline)},
      {"--vote-ttl", O_SERVE, offsetof(opts, vote_ttl)},
      {"--tls-cert", O_SERVE, offsetof(opts, tls_cert)},
      {"--tls-key", O_SERVE, offsetof(opts, tls_key)},
      {"--can", O_QUERY, offsetof(opts, can)},
      {"--always", O_QUERY, offsetof(opts, always)},
      {"--never", O_QUERY, offsetof(opts, never)},
      {"--where", O_QUERY, offsetof(opts, where)},
      {"--equivalent", O_EQUIVALENT, offsetof(opts, equivalent)},
      {"--requests", O_REQUESTS, offsetof(opts, requests)},
  };
  static const struct { const char *flag; uint64_t bit; size_t off; } flags[] = {
      {"--exit-code", O_EXIT_CODE, offsetof(opts, exit_code)},
      {"--unbuffered", O_UNBUFFERED, offsetof(opts, unbuffered)},
      {"--require-signatures", O_REQUIRE_SIG, offsetof(opts, require_signatures)},
      {"--log-decisions", O_LOG_DECISIONS, offsetof(opts, log_decisions)},
      {"--no-decision-log", O_SERVE, offsetof(opts, no_decision_log)},
      {"--bootstrap", O_KEYGEN_BOOTSTRAP, offsetof(opts, bootstrap)},
  };
  static const struct {
    const char *flag;
    uint64_t bit;
    size_t off, count;
    int max;
    const char *what, *needs;
  } lists[] = {
      {"--sign", O_SIGN, offsetof(opts, sign), offsetof(opts, nsign), CLI_MAX_SIGN, "keys", "a key file"},
      {"--add", O_ADD, offsetof(opts, add), offsetof(opts, nadd), CLI_MAX_ADD, "events",
       "an event: TYPE [VALUE | FIELD=VALUE]... DATE"},
      {"--bootstrap-key", O_BOOTSTRAP, offsetof(opts, bootstrap_keys), offsetof(opts, nbootstrap_keys), CLI_MAX_SIGN,
       "bootstrap keys", "a public key file"},
      {"--checkpoint", O_CHECKPOINT, offsetof(opts, checkpoints), offsetof(opts, ncheckpoints), CLI_MAX_SIGN,
       "checkpoints", "a checkpoint file"},
      {"--trust", O_TRUST, offsetof(opts, trust), offsetof(opts, ntrust), CLI_MAX_SIGN, "keys", "a public key file"},
  };
  memset(o, 0, sizeof *o);
  o->args = argv;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      o->help = 1;
      continue;
    }
    int matched = 0;
    for (size_t k = 0; k < sizeof flags / sizeof flags[0] && !matched; k++) {
      if (strcmp(a, flags[k].flag) != 0) continue;
      if (!(cmd->accepts & flags[k].bit)) return cli_error("'%s' does not take '%s'", cmd->name, a);
      *(int *)(void *)((char *)o + flags[k].off) = 1;
      matched = 1;
    }
    /* Options that may repeat, each adding a value to a list. */
    for (size_t k = 0; k < sizeof lists / sizeof lists[0] && !matched; k++) {
      size_t n = strlen(lists[k].flag);
      if (strncmp(a, lists[k].flag, n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
      if (!(cmd->accepts & lists[k].bit)) return cli_error("'%s' does not take '%s'", cmd->name, lists[k].flag);
      const char **list = (const char **)(void *)((char *)o + lists[k].off);
      int *count = (int *)(void *)((char *)o + lists[k].count);
      if (*count == lists[k].max) return cli_error("at most %d '%s' %s", lists[k].max, lists[k].flag, lists[k].what);
      if (a[n] == '=') list[(*count)++] = a + n + 1;
      else if (i + 1 < argc) list[(*count)++] = argv[++i];
      else return cli_error("'%s' needs %s", lists[k].flag, lists[k].needs);
      matched = 1;
    }
    for (size_t k = 0; k < sizeof values / sizeof values[0] && !matched; k++) {
      size_t n = strlen(values[k].flag);
      if (strncmp(a, values[k].flag, n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
      uint64_t bit = values[k].bit == O_DATE && (cmd->accepts & O_STATUS_DATE) ? O_STATUS_DATE : values[k].bit;
      if (!(cmd->accepts & bit)) return cli_error("'%s' does not take '%s'", cmd->name, values[k].flag);
      const char *v;
      if (a[n] == '=') v = a + n + 1;
      else if (i + 1 < argc) v = argv[++i];
      else return cli_error("'%s' needs a value", values[k].flag);
      *(const char **)(void *)((char *)o + values[k].off) = v;
      matched = 1;
    }
    if (matched) continue;
    if (a[0] == '-' && a[1] != '\0') return cli_error("unknown option '%s' for '%s'", a, cmd->name);
    if (!(cmd->accepts & O_FILES)) return cli_error("'%s' takes no argument '%s'", cmd->name, a);
    argv[o->nargs++] = argv[i];
  }
  if (o->format) {
    int jsonl = (cmd->accepts & O_FORMAT_JSONL) != 0;
    if (jsonl ? strcmp(o->format, "jsonl") && strcmp(o->format, "text")
              : strcmp(o->format, "json") && strcmp(o->format, "text"))
      return cli_error("unknown format '%s': use %s or text", o->format, jsonl ? "jsonl" : "json");
  }
  return 0;
}

pactum_agreement *cli_load_agreement(const opts *o, int *exit_code) {
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  int rc = o->agreement
               ? pactum_agreement_load_file(o->agreement, &agr, &diag)
               : pactum_agreement_load_buffer(embedded_agreement_name, (const char *)embedded_agreement,
                                              embedded_agreement_len, &agr, &diag);
  if (rc != PACTUM_OK) {
    if (diag) fputs(diag, stderr);
    pactum_string_free(diag);
    *exit_code = rc == PACTUM_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    return NULL;
  }
  return agr;
}

/*
** Read a whole line of any length from fp into line (without its newline or CR); -1 at the end
** of input, and also when the line could not be read: then line->failed is set and errno says
** why (ENOMEM, or the read error), so that a failed read is never taken for the end of input.
** getline grows the buffer with libc's realloc (not through the hook; px_free frees it alike).
*/
long cli_read_line(FILE *fp, buf *line) {
  char *p = line->data;
  size_t cap = line->cap;
  errno = 0;
  ssize_t n = getline(&p, &cap, fp);
  line->data = p; /* getline may have grown the buffer with realloc */
  line->cap = cap;
  if (n < 0) {
    int why = errno;
    line->len = 0;
    if (why == ENOMEM || ferror(fp)) line->failed = 1;
    errno = why;
    return -1;
  }
  size_t len = (size_t)n;
  while (len && (p[len - 1] == '\n' || p[len - 1] == '\r')) len--;
  p[len] = '\0';
  line->len = len;
  return (long)len;
}

int cli_read_failed(const char *name) {
  int why = errno;
  cli_error("cannot read '%s': %s", name, strerror(why));
  return why == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
}

int cli_blank(const buf *line) {
  for (size_t i = 0; i < line->len; i++)
    if (line->data[i] != ' ' && line->data[i] != '\t') return 0;
  return 1;
}

/*
** Fold --events into a new timeline. Errors name the file and line. Each event's seq is its
** position among the non-blank lines; record-level lines are skipped but counted.
*/
pactum_timeline *cli_load_timeline(const pactum_agreement *agr, const opts *o, int *exit_code) {
  if (o->db && o->events) {
    cli_error("give either --db or --events, not both");
    *exit_code = EXIT_INPUT;
    return NULL;
  }
  if (o->db) return cli_timeline_from_db(agr, o->db, exit_code, NULL, NULL);
  pactum_timeline *tl = pactum_timeline_new(agr);
  if (!tl) {
    *exit_code = EXIT_INTERNAL;
    cli_error("out of memory");
    return NULL;
  }
  if (!o->events) return tl;
  FILE *fp = fopen(o->events, "rb");
  if (!fp) {
    cli_error("cannot open '%s': %s", o->events, strerror(errno));
    pactum_timeline_free(tl);
    *exit_code = EXIT_INPUT;
    return NULL;
  }
  buf line;
  buf_init(&line);
  long lineno = 0;
  int64_t seq = 0;
  int bad = 0;
  while (cli_read_line(fp, &line) >= 0) {
    lineno++;
    if (cli_blank(&line)) continue;
    pactum_error err;
    int rc = timeline_append_line(tl, line.data, line.len, ++seq, &err);
    if (rc) {
      fprintf(stderr, "%s:%ld: error: %s [%s]\n", o->events, lineno, err.message, err.code);
      bad = rc == PACTUM_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
      break;
    }
  }
  if (line.failed) bad = cli_read_failed(o->events);
  buf_release(&line);
  fclose(fp);
  if (bad) {
    pactum_timeline_free(tl);
    *exit_code = bad;
    return NULL;
  }
  return tl;
}

int cli_day_option(const opts *o, int32_t *day) {
  if (!o->date) {
    *day = date_today();
    return 0;
  }
  int rc = date_parse(o->date, strlen(o->date), day);
  if (rc == -2) return cli_error("'%s' is not a real date", o->date);
  if (rc) return cli_error("'%s' is not a date of the form YYYY-MM-DD", o->date);
  return 0;
}

int cli_print_report(char *report, int as_json) {
  if (!report) return EXIT_INTERNAL;
  fputs(report, stdout);
  if (as_json) fputc('\n', stdout);
  pactum_string_free(report);
  return EXIT_OK;
}

static void print_error_line(FILE *out, long lineno, const pactum_error *err) {
  buf b;
  buf_init(&b);
  buf_printf(&b, "{\"error\":{\"line\":%ld,\"code\":", lineno);
  buf_json_cstr(&b, err->code);
  buf_puts(&b, ",\"message\":");
  buf_json_cstr(&b, err->message);
  buf_puts(&b, "}}\n");
  if (!b.failed) fwrite(b.data, 1, b.len, out);
  buf_release(&b);
}

/*
** What requests are decided against: the one agreement (--agreement or the built-in one), or
** every version of a history (--history), each with its own timeline, request and decision.
** The arrays are px_calloc'd and owned here; the agreements are owned by h when it is set.
*/
typedef struct deciders {
  history *h;
  int n;
  pactum_agreement **agr;
  pactum_timeline **tl;
  pactum_request **req;
  pactum_decision **dec;
  int64_t head_seq;          /* with --db: the events head the timeline was folded at */
  uint8_t head_hash[HASH_BYTES];
} deciders;

static void deciders_release(deciders *x) {
  for (int i = 0; i < x->n; i++) {
    if (x->dec) pactum_decision_free(x->dec[i]);
    if (x->req) pactum_request_free(x->req[i]);
    if (x->tl) pactum_timeline_free(x->tl[i]);
    if (!x->h && x->agr) pactum_agreement_free(x->agr[i]);
  }
  history_free(x->h);
  px_free(x->dec);
  px_free(x->req);
  px_free(x->tl);
  px_free(x->agr);
  memset(x, 0, sizeof *x);
}

/* Fold --events into the timelines of every version of a history; errors name the line. */
static int history_events(deciders *x, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return cli_error("cannot open '%s': %s", path, strerror(errno)), EXIT_INPUT;
  buf line;
  buf_init(&line);
  long lineno = 0;
  int64_t seq = 0; /* as in cli_load_timeline */
  int code = EXIT_OK;
  while (!code && cli_read_line(fp, &line) >= 0) {
    lineno++;
    if (cli_blank(&line)) continue;
    pactum_error err;
    int v;
    int rc = history_append_event(x->h, x->tl, line.data, line.len, ++seq, &v, &err);
    if (rc == PACTUM_OK) continue;
    if (v >= 0)
      fprintf(stderr, "%s:%ld: error: %s [%s] (version %s)\n", path, lineno, err.message, err.code,
              x->h->v[v].version);
    else
      fprintf(stderr, "%s:%ld: error: %s [%s]\n", path, lineno, err.message, err.code);
    code = rc == PACTUM_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
  }
  if (line.failed && !code) code = EXIT_INTERNAL;
  buf_release(&line);
  fclose(fp);
  return code;
}

/*
** Load what the command decides against, with requests and decisions when with_requests.
** Returns EXIT_OK, or an exit code after reporting the problem; x is released either way
** by deciders_release.
*/
static int deciders_open(deciders *x, const opts *o, int with_requests) {
  int code = EXIT_OK;
  memset(x, 0, sizeof *x);
  if (o->history) {
    if (o->agreement) return cli_error("give either --agreement or --history, not both"), EXIT_INPUT;
    if (o->db) return cli_error("'--history' takes its events from --events; a store belongs to one version"), EXIT_INPUT;
    if (o->log_decisions) return cli_error("'--log-decisions' needs one agreement; it cannot be used with '--history'"), EXIT_INPUT;
    char *diag = NULL;
    int rc = history_load(o->history, &x->h, &diag);
    if (rc != PACTUM_OK) {
      if (diag) fputs(diag, stderr);
      pactum_string_free(diag);
      return rc == PACTUM_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    }
    x->n = x->h->n;
  } else {
    x->n = 1;
  }
  x->agr = px_calloc((size_t)x->n, sizeof *x->agr);
  x->tl = px_calloc((size_t)x->n, sizeof *x->tl);
  x->req = px_calloc((size_t)x->n, sizeof *x->req);
  x->dec = px_calloc((size_t)x->n, sizeof *x->dec);
  if (!x->agr || !x->tl || !x->req || !x->dec) return cli_error("out of memory"), EXIT_INTERNAL;
  if (!x->h) {
    if (!(x->agr[0] = cli_load_agreement(o, &code))) return code;
    if (o->db && !o->events) {
      /* The events head the timeline was folded at goes into every logged decision. */
      if (!(x->tl[0] = cli_timeline_from_db(x->agr[0], o->db, &code, &x->head_seq, x->head_hash))) return code;
    } else if (!(x->tl[0] = cli_load_timeline(x->agr[0], o, &code))) {
      return code;
    }
  } else {
    for (int i = 0; i < x->n; i++) {
      x->agr[i] = x->h->v[i].agr;
      if (!(x->tl[i] = pactum_timeline_new(x->agr[i]))) return cli_error("out of memory"), EXIT_INTERNAL;
    }
    if (o->events && (code = history_events(x, o->events)) != EXIT_OK) return code;
  }
  for (int i = 0; with_requests && i < x->n; i++) {
    x->req[i] = pactum_request_new(x->agr[i]);
    x->dec[i] = pactum_decision_new(x->agr[i]);
    if (!x->req[i] || !x->dec[i]) return cli_error("out of memory"), EXIT_INTERNAL;
  }
  return EXIT_OK;
}

/*
** decide and explain share one loop: each request (from --request, or a line of stdin)
** is parsed, decided and written; a bad line yields an error object and the loop goes on.
*/
static int run_requests(opts *o, int explain) {
  deciders x;
  int code = deciders_open(&x, o, 1);
  int32_t today = date_today();
  if (!code && o->date && cli_day_option(o, &today)) code = EXIT_INPUT;
  int as_json = explain ? (o->format && strcmp(o->format, "text") != 0) : 1;
  decision_log *lg = NULL;
  if (code) goto out;
  /* Without --history these are the one agreement's; with it, each request picks its version. */
  pactum_agreement *agr = x.agr[0];
  pactum_timeline *tl = x.tl[0];
  pactum_request *req = x.req[0];
  pactum_decision *dec = x.dec[0];
  if (o->log_decisions) {
    if (!o->db) {
      cli_error("'--log-decisions' needs '--db': the log is kept in the store");
      code = EXIT_INPUT;
      goto out;
    }
    if (!(lg = cli_decision_log_open(agr, o->db, x.head_seq, x.head_hash, o->unbuffered ? 1 : 1024, &code))) goto out;
  }
  FILE *in = stdin;
  if (o->nargs > 1) {
    cli_error("'%s' reads one file of requests; got %d", explain ? "explain" : "decide", o->nargs);
    code = EXIT_INPUT;
    goto out;
  }
  if (o->nargs && o->request) {
    cli_error("give either --request or a file of requests, not both");
    code = EXIT_INPUT;
    goto out;
  }
  if (o->nargs && strcmp(o->args[0], "-") != 0 && !(in = fopen(o->args[0], "rb"))) {
    cli_error("cannot open '%s': %s", o->args[0], strerror(errno));
    code = EXIT_INPUT;
    goto out;
  }
  static char outbuf[1 << 16];
  if (!o->unbuffered) setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  char small[8192];
  buf line;
  buf_init(&line);
  long lineno = 0;
  int any_bad = 0, any_not_allowed = 0;
  for (;;) {
    const char *text;
    size_t len;
    if (o->request) {
      if (lineno) break;
      text = o->request;
      len = strlen(text);
    } else {
      if (cli_read_line(in, &line) < 0) break;
      text = line.data ? line.data : "";
      len = line.len;
    }
    lineno++;
    if (!o->request && cli_blank(&line)) continue;
    pactum_error err;
    int rc, k = 0;
    if (x.h) {
      rc = history_pick_request(x.h, x.req, text, len, today, &k, &err);
      agr = x.agr[k];
      tl = x.tl[k];
      req = x.req[k];
      dec = x.dec[k];
    } else {
      rc = pactum_request_parse_json(req, text, len, today, &err);
    }
    if (rc == PACTUM_OK &&
        (rc = x.h ? history_decide(x.h, k, tl, req, dec) : pactum_decide(agr, tl, req, dec)) != PACTUM_OK) {
      if (rc == PACTUM_EINPUT) {
        pactum_decision_error(dec, &err); /* arithmetic that failed, or an attribute not given */
      } else {
        snprintf(err.code, sizeof err.code, "internal");
        snprintf(err.message, sizeof err.message, "the request could not be decided");
      }
    }
    if (rc != PACTUM_OK) {
      if (rc == PACTUM_ENOMEM) {
        cli_error("out of memory");
        code = EXIT_INTERNAL;
        break;
      }
      if (lg) {
        /* Kept in order with the logged decisions around it. */
        buf eb;
        buf_init(&eb);
        buf_printf(&eb, "{\"error\":{\"line\":%ld,\"code\":", lineno);
        buf_json_cstr(&eb, err.code);
        buf_puts(&eb, ",\"message\":");
        buf_json_cstr(&eb, err.message);
        buf_puts(&eb, "}}");
        int bad = eb.failed || cli_decision_log_pass(lg, eb.data, eb.len);
        buf_release(&eb);
        if (bad) {
          code = EXIT_INTERNAL;
          break;
        }
      } else {
        print_error_line(stdout, lineno, &err);
        if (o->unbuffered) fflush(stdout);
      }
      any_bad = 1;
      continue;
    }
    if (dec->outcome != PACTUM_ALLOW) any_not_allowed = 1;
    if (explain) {
      char *t = x.h ? explain_render_until(agr, tl, req, as_json, history_until(x.h, k))
                    : pactum_explain(agr, tl, req, as_json);
      if (t && x.h && !as_json) {
        /* Say which version decided, and for how long it is the one in effect. */
        char from[16], to[16] = "";
        date_format(x.h->v[k].effective, from);
        if (k + 1 < x.h->n) date_format(x.h->v[k + 1].effective - 1, to);
        printf("version  %s@%s, in effect from %s%s%s\n", x.h->id, x.h->v[k].version, from, to[0] ? " to " : "", to);
      }
      if (!t) {
        cli_error("out of memory");
        code = EXIT_INTERNAL;
        break;
      }
      fputs(t, stdout);
      fputs(as_json ? "\n" : "\n", stdout);
      pactum_string_free(t);
      continue;
    }
    /* A request's "id" is echoed first, so answers can be matched to questions. */
    size_t idlen = 0;
    const char *id = pactum_request_id_json(req, &idlen);
    if (lg) {
      /* Logged decisions are printed, with their decision_id, once the log has committed them. */
      buf ob;
      buf_init(&ob);
      size_t need = pactum_decision_to_json(dec, small, sizeof small);
      char *dj = need < sizeof small ? small : px_malloc(need + 1);
      if (dj && dj != small) pactum_decision_to_json(dec, dj, need + 1);
      if (dj) {
        buf_putc(&ob, '{');
        if (id) {
          buf_puts(&ob, "\"id\":");
          buf_append(&ob, id, idlen);
          buf_putc(&ob, ',');
        }
        buf_append(&ob, dj + 1, need - 1);
      }
      size_t split = id ? idlen + 7 : 1; /* after {"id":X, */
      int bad = !dj || ob.failed || cli_decision_log_add(lg, text, len, dec, ob.data, ob.len, split);
      if (dj && dj != small) px_free(dj);
      buf_release(&ob);
      if (bad) {
        code = EXIT_INTERNAL;
        break;
      }
      continue;
    }
    if (id) {
      fputs("{\"id\":", stdout);
      fwrite(id, 1, idlen, stdout);
      fputc(',', stdout);
    }
    size_t n = pactum_decision_to_json(dec, small, sizeof small);
    if (n < sizeof small) {
      small[n] = '\n';
      fwrite(small + (id ? 1 : 0), 1, n + (id ? 0 : 1), stdout);
    } else {
      char *big = px_malloc(n + 1);
      if (!big) {
        code = EXIT_INTERNAL;
        break;
      }
      pactum_decision_to_json(dec, big, n + 1);
      big[n] = '\n';
      fwrite(big + (id ? 1 : 0), 1, n + (id ? 0 : 1), stdout);
      px_free(big);
    }
    if (o->unbuffered) fflush(stdout);
  }
  if (line.failed && !code) code = cli_read_failed(o->nargs ? o->args[0] : "<stdin>");
  buf_release(&line);
  if (in != stdin) fclose(in);
  if (lg && cli_decision_log_close(lg) && !code) code = EXIT_INTERNAL;
  lg = NULL;
  fflush(stdout);
  if (!code && any_bad) code = EXIT_INPUT;
  if (!code && o->exit_code && any_not_allowed) code = EXIT_PROBLEM;
out:
  if (lg) cli_decision_log_close(lg);
  deciders_release(&x);
  return code;
}

static int cmd_decide(opts *o) { return run_requests(o, 0); }
static int cmd_explain(opts *o) { return run_requests(o, 1); }

static int cmd_status(opts *o) {
  int32_t day;
  if (cli_day_option(o, &day)) return EXIT_INPUT;
  deciders x;
  int code = deciders_open(&x, o, 0);
  if (!code) {
    int k = x.h ? history_at(x.h, day) : 0;
    if (k < 0) {
      char a[16], b[16];
      date_format(day, a);
      date_format(x.h->v[0].effective, b);
      cli_error("no version of '%s' is in effect on %s; the first takes effect on %s", x.h->id, a, b);
      code = EXIT_INPUT;
    } else {
      int as_json = o->format && strcmp(o->format, "text") != 0;
      code = cli_print_report(status_render(x.agr[k], x.tl[k], day, as_json), as_json);
    }
  }
  deciders_release(&x);
  return code;
}

static int cmd_clauses(opts *o) {
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  int as_json = o->format && strcmp(o->format, "text") != 0;
  code = cli_print_report(clauses_render(agr, as_json), as_json);
  pactum_agreement_free(agr);
  return code;
}

static int cmd_check(opts *o) {
  if (o->nargs == 0) return cli_error("'check' needs a .pact file"), EXIT_INPUT;
  int code = EXIT_OK;
  int as_json = o->format && !strcmp(o->format, "json");
  for (int i = 0; i < o->nargs; i++) {
    const char *path = o->args[i];
    pactum_agreement *agr = NULL;
    char *diag = NULL;
    int rc = pactum_agreement_load_file(path, &agr, &diag);
    if (rc != PACTUM_OK) {
      if (diag) fputs(diag, stderr);
      pactum_string_free(diag);
      int c = rc == PACTUM_EINPUT ? EXIT_PROBLEM : rc == PACTUM_EIO ? EXIT_INPUT : EXIT_INTERNAL;
      if (c > code) code = c;
      if (as_json) {
        buf b;
        buf_init(&b);
        buf_puts(&b, "{\"file\":");
        buf_json_cstr(&b, path);
        buf_printf(&b, ",\"ok\":false,\"error\":\"%s\"}\n",
                   rc == PACTUM_EINPUT ? "invalid" : rc == PACTUM_EIO ? "unreadable" : "internal");
        if (!b.failed) fputs(b.data, stdout);
        buf_release(&b);
      }
      continue;
    }
    pactum_summary s;
    pactum_agreement_summary(agr, &s);
    /* Verify the quotations against the source documents, from --sources or beside the file. */
    buf dir, notes;
    buf_init(&dir);
    buf_init(&notes);
    if (o->sources) {
      buf_puts(&dir, o->sources);
    } else {
      const char *slash = strrchr(path, '/');
      if (slash) buf_append(&dir, path, (size_t)(slash - path));
      else buf_puts(&dir, ".");
    }
    diag_list d;
    diag_init(&d, agr->file, agr->src, agr->src_len);
    int checked = 0, missing = 0;
    int unquoted = quotes_verify(agr, dir.data ? dir.data : ".", &d, &checked, &missing, &notes);
    if (unquoted) {
      fputs(d.out.data ? d.out.data : "", stderr);
      if (code < EXIT_PROBLEM) code = EXIT_PROBLEM;
    }
    if (missing && o->sources) {
      fputs(notes.data ? notes.data : "", stderr);
      if (code < EXIT_PROBLEM) code = EXIT_PROBLEM;
    }
    int ok = !unquoted && !(missing && o->sources);
    if (as_json) {
      printf("{\"file\":");
      buf b;
      buf_init(&b);
      buf_json_cstr(&b, path);
      fputs(b.data ? b.data : "\"\"", stdout);
      buf_release(&b);
      printf(",\"ok\":%s,\"clauses\":%d,\"permissions\":%d,\"prohibitions\":%d,\"obligations\":%d,"
             "\"exceptions\":%d,\"commitments\":%d,\"facts\":%d,\"actions\":%d,\"events\":%d,"
             "\"quotes_verified\":%d,\"quotes_not_found\":%d,\"sources_unread\":%d",
             ok ? "true" : "false", s.clauses, s.permissions, s.prohibitions, s.obligations, s.exceptions,
             s.commitments, s.facts, s.actions, s.events, checked - unquoted, unquoted, missing);
      if (agr->supersedes) {
        buf_init(&b);
        buf_puts(&b, ",\"supersedes\":");
        buf_json_cstr(&b, agr->supersedes);
        if (!b.failed) fputs(b.data, stdout);
        buf_release(&b);
      }
      fputs("}\n", stdout);
    } else {
      printf("%s: %s: %s %s", path, ok ? "ok" : unquoted ? "quotations not found" : "sources not read",
             pactum_agreement_id(agr),
             pactum_agreement_version(agr));
      if (agr->supersedes) printf(", supersedes %s", agr->supersedes);
      printf("\n");
      printf("  %d clauses (%d permissions, %d prohibitions, %d obligations), %d exceptions, %d commitments, %d facts\n",
             s.clauses, s.permissions, s.prohibitions, s.obligations, s.exceptions, s.commitments, s.facts);
      printf("  %d parties, %d sources, %d actions, %d attributes, %d state variables, %d event types, %d transitions\n",
             s.parties, s.sources, s.actions, s.attributes, s.states, s.events, s.transitions);
      printf("  %d of %d quotations found in their sources", checked - unquoted, checked);
      if (missing) printf("; %d source%s not read", missing, missing == 1 ? "" : "s");
      printf("\n");
    }
    diag_release(&d);
    buf_release(&dir);
    buf_release(&notes);
    pactum_agreement_free(agr);
  }
  return code;
}

/* The main job on its defaults: explain each sample request against the shipped agreement. */
static int cmd_demo(opts *o) {
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  pactum_request *req = pactum_request_new(agr);
  pactum_timeline *tl = pactum_timeline_new(agr);
  if (!req || !tl) code = EXIT_INTERNAL;
  printf("pactum %s: %s %s, \"%s\"\n", PACTUM_VERSION, pactum_agreement_id(agr), pactum_agreement_version(agr),
         pactum_agreement_title(agr));
  const char *p = (const char *)embedded_sample, *end = p + embedded_sample_len;
  long lineno = 0;
  while (!code && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *line = p;
    p += len + 1;
    lineno++;
    if (len == 0 || line[0] == '#') continue;
    /* A sample line is {"title":..., "events":[...], "request":{...}}. */
    json_error_t je;
    json_t *root = json_loadb(line, len, 0, &je);
    if (!root) {
      cli_error("sample line %ld: %s", lineno, je.text);
      code = EXIT_INTERNAL;
      break;
    }
    pactum_timeline_free(tl);
    tl = pactum_timeline_new(agr);
    json_t *evs = json_object_get(root, "events"), *ev;
    size_t i;
    pactum_error err;
    json_array_foreach(evs, i, ev) {
      char *s = json_dumps(ev, JSON_COMPACT);
      if (!tl || !s || pactum_timeline_append_json(tl, s, strlen(s), &err)) code = EXIT_INTERNAL;
      px_free(s);
    }
    char *rq = json_dumps(json_object_get(root, "request"), JSON_COMPACT);
    const char *title = json_string_value(json_object_get(root, "title"));
    if (!code && rq && pactum_request_parse_json(req, rq, strlen(rq), PACTUM_NO_DAY, &err) == PACTUM_OK) {
      char *t = pactum_explain(agr, tl, req, 0);
      printf("\n== %s\n", title ? title : "");
      if (json_array_size(evs)) {
        printf("events  ");
        json_array_foreach(evs, i, ev) {
          printf("%s%s %s", i ? "; " : "", json_string_value(json_object_get(ev, "date")),
                 json_string_value(json_object_get(ev, "type")));
        }
        printf("\n");
      }
      fputs(t ? t : "", stdout);
      pactum_string_free(t);
    } else if (!code) {
      cli_error("sample line %ld: %s", lineno, err.message);
      code = EXIT_INTERNAL;
    }
    px_free(rq);
    json_decref(root);
  }
  pactum_timeline_free(tl);
  pactum_request_free(req);
  pactum_agreement_free(agr);
  return code;
}

static int cmd_version(opts *o) {
  (void)o;
  printf("pactum %s\n", PACTUM_VERSION);
  return EXIT_OK;
}

static int cmd_help(opts *o);

static const command commands[] = {
    {"decide", cmd_decide,
     O_AGREEMENT | O_EVENTS | O_DB | O_REQUEST | O_DATE | O_EXIT_CODE | O_UNBUFFERED | O_FILES | O_LOG_DECISIONS |
         O_HISTORY,
     "pactum decide [REQUESTS.jsonl] [--agreement FILE | --history FILE] [--events FILE.jsonl | --db PATH]\n"
     "                     [--request JSON] [--date D] [--exit-code] [--unbuffered] [--log-decisions]",
     "decide requests (one JSON object per line from the file or stdin, or --request) and print one JSON decision per line"},
    {"explain", cmd_explain, O_AGREEMENT | O_EVENTS | O_DB | O_REQUEST | O_DATE | O_FORMAT | O_FILES | O_HISTORY,
     "pactum explain [REQUESTS.jsonl] [--agreement FILE | --history FILE] [--events FILE.jsonl | --db PATH]\n"
     "                      [--request JSON] [--date D] [--format text|json]",
     "print how each request is decided: every clause considered, its tests, quotes and the outcome"},
    {"status", cmd_status, O_AGREEMENT | O_EVENTS | O_DB | O_STATUS_DATE | O_FORMAT | O_HISTORY,
     "pactum status [--date D] [--agreement FILE | --history FILE] [--events FILE.jsonl | --db PATH]\n"
     "                     [--format text|json]",
     "print the state, commitments, facts and which clauses are in effect on a day"},
    {"ledger", cmd_ledger, O_AGREEMENT | O_EVENTS | O_DB | O_STATUS_DATE | O_FORMAT | O_BY,
     "pactum ledger [--date D] [--by month|quarter] [--agreement FILE] [--events FILE.jsonl | --db PATH]\n"
     "                     [--format text|json]",
     "the commitments ledger: totals, amounts per month or quarter, deadlines and the pace needed"},
    {"obligations", cmd_obligations, O_AGREEMENT | O_EVENTS | O_DB | O_STATUS_DATE | O_FORMAT,
     "pactum obligations [--date D] [--agreement FILE] [--events FILE.jsonl | --db PATH] [--format text|json]",
     "every instance of each obligation: its state (pending, active, fulfilled, violated, discharged), due day,\n"
     "amount owed and amount paid on a day"},
    {"clauses", cmd_clauses, O_AGREEMENT | O_FORMAT,
     "pactum clauses [--agreement FILE] [--format text|json]",
     "list the clauses with their kinds, windows, conditions and quoted source text"},
    {"check", cmd_check, O_FORMAT | O_SOURCES | O_FILES,
     "pactum check FILE.pact... [--sources DIR] [--format text|json]",
     "parse and check agreement files, verify every quotation against its source document, print a summary"},
    {"init", cmd_init, O_AGREEMENT | O_DB | O_REQUIRE_SIG | O_BOOTSTRAP,
     "pactum init [--db PATH] [--agreement FILE] [--require-signatures] [--bootstrap-key FILE.pub]",
     "create the store of an agreement's record (the default store is ./pactum.db)"},
    {"event add", cmd_event_add, O_AGREEMENT | O_DB | O_SIGN | O_REQUIRE_SIG | O_BOOTSTRAP,
     "pactum event add [--db PATH] [--sign KEY]... [--agreement FILE] < events.jsonl",
     "validate a batch of events and record them all, or none; --sign adds a signature to each"},
    {"event import", cmd_event_import, O_AGREEMENT | O_DB | O_SIGN | O_REQUIRE_SIG | O_BOOTSTRAP | O_FILES,
     "pactum event import FILE.jsonl [--db PATH] [--sign KEY]... [--agreement FILE]",
     "the same as 'event add', reading the batch from a file"},
    {"event sign", cmd_event_sign, O_KEY | O_FILES | O_DB | O_STORE_ID | O_AGREEMENT,
     "pactum event sign --key KEY (--db PATH | --store ID [--agreement FILE]) [EVENTS.jsonl]",
     "add a signature, bound to the store and its agreement, to each event (one JSON object per line); print them"},
    {"events", cmd_events, O_AGREEMENT | O_DB | O_FORMAT | O_FORMAT_JSONL | O_SINCE,
     "pactum events [--db PATH] [--since SEQ] [--format jsonl|text] [--agreement FILE]",
     "export the recorded events, in order"},
    {"audit verify", cmd_audit_verify, O_AGREEMENT | O_DB | O_HEAD | O_CHECKPOINT,
     "pactum audit verify [--db PATH] [--head HASH] [--checkpoint FILE]... [--agreement FILE]",
     "re-check the hash chains and Merkle trees; report the first record altered, deleted, inserted or reordered,\n"
     "and whether the log still holds each receipt and checkpoint"},
    {"audit prove", cmd_audit_prove, O_DB | O_PROVE,
     "pactum audit prove --seq N [--size M] [--chain events|decisions] [--db PATH]",
     "an RFC 9162 inclusion proof of record N in the tree of size M (default: the whole chain), as JSON"},
    {"audit consistency", cmd_audit_consistency, O_DB | O_CONSISTENCY,
     "pactum audit consistency --from SIZE|CHECKPOINT [--to SIZE] [--chain events|decisions] [--db PATH]",
     "an RFC 9162 consistency proof that the log of size --to extends the one of size --from, as JSON"},
    {"checkpoint sign", cmd_checkpoint_sign, O_AGREEMENT | O_DB | O_KEY | O_CHAIN,
     "pactum checkpoint sign --key KEY [--chain events|decisions] [--size N] [--db PATH] [--agreement FILE]",
     "check the whole record, then sign its tree head with a party's key; the store keeps the cosignature"},
    {"checkpoint verify", cmd_checkpoint_verify, O_AGREEMENT | O_DB | O_TRUST | O_FILES,
     "pactum checkpoint verify FILE... [--trust KEY.pub]... [--db PATH] [--agreement FILE]",
     "check each checkpoint's signatures and that the store still holds the tree it signed"},
    {"checkpoint list", cmd_checkpoint_list, O_DB | O_CHAIN,
     "pactum checkpoint list [--chain events|decisions] [--db PATH]",
     "the checkpoints the parties have signed, kept in the store, one JSON object per line"},
    {"audit head", cmd_audit_head, O_AGREEMENT | O_DB,
     "pactum audit head [--db PATH] [--agreement FILE]",
     "print the head of the chain (seq and hash): a receipt for 'audit verify --head'"},
    {"keygen", cmd_keygen, O_AGREEMENT | O_PARTY | O_MEMBER | O_OUT | O_KEYGEN_BOOTSTRAP,
     "pactum keygen (--party P [--member M] | --bootstrap) [--out DIR] [--agreement FILE]",
     "write an Ed25519 keypair (P.key, P.pub; BODY.MEMBER.key for a member of a body; bootstrap.key)"},
    {"decisions", cmd_decisions, O_AGREEMENT | O_DB | O_FORMAT | O_FORMAT_JSONL | O_SINCE,
     "pactum decisions [--db PATH] [--since SEQ] [--format jsonl|text] [--agreement FILE]",
     "export the decision log kept by 'decide --log-decisions'"},
    {"serve", cmd_serve, O_AGREEMENT | O_DB | O_SERVE,
     "pactum serve [--listen 127.0.0.1:8181] [--db pactum.db] [--agreement FILE] [--tokens FILE]\n"
     "                    [--read-token FILE] [--tls-cert FILE --tls-key FILE] [--max-body BYTES] [--max-batch N]\n"
     "                    [--max-conns N] [--max-conns-per-ip N] [--timeout S] [--request-deadline S]\n"
     "                    [--threads N] [--heavy-threads N] [--heavy-queue N] [--max-whatif-work N]\n"
     "                    [--max-whatif-answer N] [--whatif-deadline S] [--gate-prefix X-Pactum-]\n"
     "                    [--vote-ttl S] [--no-decision-log]",
     "the HTTP decision service, event intake, gateway hook and dashboard; stops cleanly on SIGTERM"},
    {"verify", cmd_verify, O_AGREEMENT | O_FORMAT | O_FILES | O_QUERY | O_EQUIVALENT,
     "pactum verify [FILE.pact] [--format text|json]\n"
     "                     [--can 'PRINCIPAL ACTION' | --always 'P A' | --never 'P A'] [--where CONDITION]\n"
     "                     [--equivalent B.pact]",
     "find conflicts, gaps, dead clauses, shadowed exceptions and windows that never open; answer can/always/never"},
    {"diff", cmd_diff, O_FORMAT | O_FILES | O_REQUESTS | O_EVENTS | O_DATE,
     "pactum diff A.pact B.pact [--requests FILE.jsonl [--events FILE.jsonl] [--date D]] [--format text|json]",
     "compare two agreements clause by clause and list the requests they decide differently (exit 1 when they differ)"},
    {"whatif", cmd_whatif, O_AGREEMENT | O_EVENTS | O_DB | O_STATUS_DATE | O_FORMAT | O_ADD | O_REQUESTS,
     "pactum whatif --add 'TYPE [VALUE | FIELD=VALUE]... DATE' [--add ...] [--events FILE.jsonl | --db PATH]\n"
     "                     [--date D] [--requests FILE.jsonl] [--agreement FILE] [--format text|json]",
     "add hypothetical events to the baseline and print the state, clauses and decisions that change"},
    {"test", cmd_test, O_FORMAT | O_FILES,
     "pactum test [DIR | FILE]... [--format text|json]",
     "run agreement tests (X.test.jsonl beside X.pact): failures, 'N passed, N failed' and clause coverage"},
    {"demo", cmd_demo, 0,
     "pactum demo",
     "explain a sample of requests against the shipped agreement (the README's first command)"},
    {"version", cmd_version, 0, "pactum version", "print the version"},
    {"help", cmd_help, O_FILES, "pactum help [COMMAND]", "show help for pactum or one command"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
  fprintf(out, "usage: pactum COMMAND [OPTIONS]\n\n"
               "pactum makes a business agreement executable. The default agreement is the built-in\n%s.\n\ncommands:\n",
          embedded_agreement_name);
  for (size_t i = 0; i < NCOMMANDS; i++) fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nexit codes: 0 ok, 1 a decision or check found a problem, 2 bad input, 3 internal error\n"
               "run 'pactum COMMAND --help' for a command's options; docs/cli.md has them all.\n");
}

static void command_help(const command *c) {
  printf("usage: %s\n\n%s\n", c->usage, c->summary);
  if (c->accepts & O_AGREEMENT) printf("\n  --agreement FILE  the .pact file (default: the built-in %s)", embedded_agreement_name);
  if (c->accepts & O_HISTORY) printf("\n  --history FILE    the versions of the agreement (a history manifest): use the one in effect on each date");
  if (c->accepts & O_EVENTS) printf("\n  --events FILE     events, one JSON object per line, in date order");
  if (c->accepts & O_DB) printf("\n  --db PATH         the store of the agreement's record (default ./pactum.db where a store is needed)");
  if (c->accepts & O_REQUEST) printf("\n  --request JSON    one request instead of a JSONL stream on stdin");
  if (c->accepts & O_DATE) printf("\n  --date D          the date (YYYY-MM-DD) to use when a request gives none; default today");
  if (c->accepts & O_STATUS_DATE)
    printf("\n  --date D          the day (YYYY-MM-DD) to report on; default %s",
           (c->accepts & O_ADD) ? "every day from the first event or boundary on" : "today");
  if (c->accepts & O_FORMAT) printf("\n  --format F        %s", (c->accepts & O_FORMAT_JSONL) ? "jsonl or text" : "text or json");
  if (c->accepts & O_SOURCES) printf("\n  --sources DIR     where the source documents are (default: beside the .pact file);\n                    every quotation must appear in its source, and every source must be readable");
  if (c->accepts & O_EXIT_CODE) printf("\n  --exit-code       exit 1 when any decision is not allow");
  if (c->accepts & O_SIGN) printf("\n  --sign KEY        sign each event with this key file (repeat for several signers)");
  if (c->accepts & O_REQUIRE_SIG) printf("\n  --require-signatures  when the store is created: every event must be signed by who may record it");
  if (c->accepts & O_BOOTSTRAP)
    printf("\n  --bootstrap-key F when the store is created: a key of its administrators, who register each signer's\n"
           "                    first key and change the settings (repeat for several)"
           "\n  --bootstrap-threshold K  how many of the bootstrap keys must sign together (default 1)");
  if (c->accepts & O_STORE_ID) printf("\n  --store ID        the id of the store the signatures are for (what 'pactum init' prints)");
  if (c->accepts & O_PROVE) printf("\n  --seq N           the record to prove\n  --size M          the tree to prove it in (default: the whole chain)");
  if (c->accepts & O_CONSISTENCY)
    printf("\n  --from SIZE|FILE  the older tree: its size, or a checkpoint file\n  --to SIZE         the newer tree (default: the whole chain)");
  if (c->accepts & (O_PROVE | O_CONSISTENCY | O_CHAIN)) printf("\n  --chain C         events (default) or decisions");
  if ((c->accepts & O_CHAIN) && !(c->accepts & O_PROVE) && c->run == cmd_checkpoint_sign)
    printf("\n  --size N          sign the tree of the first N records (default: all)");
  if (c->accepts & O_CHECKPOINT) printf("\n  --checkpoint FILE also prove the log still holds this signed tree head (repeatable)");
  if (c->accepts & O_TRUST) printf("\n  --trust KEY.pub   accept signatures by this key besides the keys registered in the store");
  if (c->accepts & O_HEAD) printf("\n  --head HASH       also prove the chain still contains this receipt");
  if (c->accepts & O_SINCE) printf("\n  --since SEQ       only records after this seq");
  if (c->accepts & O_BY) printf("\n  --by P            month (default) or quarter");
  if (c->accepts & O_PARTY) printf("\n  --party P         the party the key is for");
  if (c->accepts & O_MEMBER) printf("\n  --member M        with --party BODY: the member of that body");
  if (c->accepts & O_SERVE)
    printf("\n  --listen H:P      the IPv4 address and port (default 127.0.0.1:8181; port 0 picks a free one)"
           "\n  --tokens FILE     who may append events: lines of 'SIGNER SHA256-OF-TOKEN'"
           "\n  --read-token FILE close the read endpoints to all but the bearer of the token on this file's first"
           "\n                    line (and the parties'); keep the file unreadable to others"
           "\n  --tls-cert FILE   serve HTTPS with this PEM certificate (chain); needs --tls-key"
           "\n  --tls-key FILE    the PEM private key of --tls-cert"
           "\n  --max-body BYTES  the largest request body (default 1048576; beyond it 413)"
           "\n  --max-batch N     requests or events in one body (default 10000)"
           "\n  --max-conns N     connections at once (default 1024)"
           "\n  --max-conns-per-ip N  connections at once from one address (default 64; 0: no limit)"
           "\n  --timeout S       close a connection idle this many seconds (default 10)"
           "\n  --request-deadline S  close a connection whose request (headers and body) is not whole this many"
           "\n                    seconds after it began to be awaited (default 30; 0: no deadline)"
           "\n  --threads N       worker threads (default: one per core)"
           "\n  --heavy-threads N threads for the reads whose cost grows with the record (default 2)"
           "\n  --heavy-queue N   heavy requests, and appends, that may wait for a thread (default 16; beyond it 503)"
           "\n  --max-whatif-work N    units of work one what-if may take (default 20000000; beyond it 413)"
           "\n  --max-whatif-answer N  changes and decision differences one what-if may list (default 100000)"
           "\n  --whatif-deadline S    seconds one what-if comparison may run (default 10; beyond it 503)"
           "\n  --gate-prefix P   the prefix of the gateway hook's headers (default X-Pactum-)"
           "\n  --vote-ttl S      a body member's vote on an event lapses after S seconds (default 86400)"
           "\n  --no-decision-log do not log the decisions of /v1/decide and /v1/gate in the store (they are by default)");
  if (c->accepts & O_KEYGEN_BOOTSTRAP)
    printf("\n  --bootstrap       a key for no party: the one that signs each signer's first key_registered");
  if (c->accepts & O_OUT) printf("\n  --out DIR         where to write the key files (default .)");
  if (c->accepts & O_KEY) printf("\n  --key FILE        the secret key file to sign with");
  if (c->accepts & O_ADD)
    printf("\n  --add EVENT       a hypothetical event: its type, its fields' values (in declared order, or\n"
           "                    FIELD=VALUE; a ref is a seq) and its date, e.g. 'payment_missed INV-7 2026-03-01';\n"
           "                    added events get the seqs after the baseline's last, in the order given; repeatable");
  if (c->accepts & O_REQUESTS)
    printf("\n  --requests FILE   the requests to compare, one JSON object per line (default: generated over the\n"
           "                    finite domains: each principal, action and value the agreement distinguishes)");
  if (c->accepts & O_LOG_DECISIONS) printf("\n  --log-decisions   append each decision to the store's decision log (needs --db)");
  if (c->accepts & O_QUERY)
    printf("\n  --can 'P A'       can a request of principal P for action A be allowed? (yes: exit 0, no: exit 1)"
           "\n  --always 'P A'    is every request of P for A allowed?"
           "\n  --never 'P A'     is no request of P for A allowed?"
           "\n  --where COND      only the requests meeting this condition (the syntax of a clause's 'when')");
  if (c->accepts & O_EQUIVALENT) printf("\n  --equivalent B    do this agreement and B decide every request alike?");
  if (c->accepts & O_UNBUFFERED) printf("\n  --unbuffered      write each decision as soon as it is made (for pipes driven line by line)");
  printf("\n");
}

static int cmd_help(opts *o) {
  char name[64] = "";
  if (o->nargs) snprintf(name, sizeof name, "%s%s%s", o->args[0], o->nargs > 1 ? " " : "", o->nargs > 1 ? o->args[1] : "");
  if (o->nargs)
    for (size_t i = 0; i < NCOMMANDS; i++)
      if (!strcmp(commands[i].name, name) || !strcmp(commands[i].name, o->args[0])) {
        command_help(&commands[i]);
        return EXIT_OK;
      }
  usage(stdout);
  return EXIT_OK;
}

int main(int argc, char **argv) {
  px_alloc_init(); /* jansson allocates through the hook too */
  if (argc < 2) {
    usage(stderr);
    return EXIT_INPUT;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(stdout);
    return EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) return cmd_version(NULL);
  /* Two-word commands ("event add", "audit verify") first, then one-word ones. */
  char two[64];
  snprintf(two, sizeof two, "%s %s", argv[1], argc > 2 ? argv[2] : "");
  for (int words = 2; words >= 1; words--) {
    for (size_t i = 0; i < NCOMMANDS; i++) {
      if (strcmp(commands[i].name, words == 2 ? two : argv[1]) != 0) continue;
      opts o;
      if (parse_opts(&commands[i], argc - 1 - words, argv + 1 + words, &o)) return EXIT_INPUT;
      if (o.help) {
        command_help(&commands[i]);
        return EXIT_OK;
      }
      return commands[i].run(&o);
    }
  }
  if (!strcmp(argv[1], "event") || !strcmp(argv[1], "audit") || !strcmp(argv[1], "checkpoint")) {
    cli_error("'%s' needs a subcommand: %s", argv[1],
              !strcmp(argv[1], "event")   ? "add, import or sign"
              : !strcmp(argv[1], "audit") ? "verify, head, prove or consistency"
                                          : "sign, verify or list");
    return EXIT_INPUT;
  }
  cli_error("unknown command '%s'; run 'pactum help'", argv[1]);
  return EXIT_INPUT;
}
