/*
** cli_record.c: the `pactum` commands over the agreement's record: init, event add / import /
** sign, events, audit verify / head, keygen, ledger, decisions, and the decision log that
** `decide --log-decisions` keeps. Each opens the store through record.h or store.h; none
** speaks SQL.
*/
#include "alloc.h"
#include "error.h"
#include "audit.h"
#include "cli.h"
#include "date.h"
#include "ledger.h"
#include "record.h"
#include "tlog.h"
#include "declog.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "banned.h"

static const char *db_path(const opts *o) { return o->db ? o->db : CLI_DEFAULT_DB; }

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Exit code for a failed library call: bad input (2) or internal (3). */
static int code_of(int rc) { return rc == PACTUM_ENOMEM || rc == PACTUM_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT; }

static int load_pub(const char *path, sign_key *k) {
  pactum_error err;
  if (sign_key_load(path, k, &err)) return cli_error("%s", err.message);
  return 0;
}

/* --bootstrap-key files and --bootstrap-threshold, read into init (keys into boot). */
static int bootstrap_option(const opts *o, record_init *init, uint8_t (*boot)[SIGN_PK_BYTES]) {
  for (int i = 0; i < o->nbootstrap_keys; i++) {
    sign_key k;
    if (load_pub(o->bootstrap_keys[i], &k)) return -1;
    for (int j = 0; j < i; j++)
      if (!memcmp(boot[j], k.pk, SIGN_PK_BYTES)) return cli_error("'%s' is a bootstrap key given twice", o->bootstrap_keys[i]);
    memcpy(boot[i], k.pk, SIGN_PK_BYTES);
  }
  init->nbootstrap = o->nbootstrap_keys;
  init->bootstrap = (const uint8_t(*)[SIGN_PK_BYTES])boot;
  init->threshold = o->nbootstrap_keys ? 1 : 0;
  if (o->threshold) {
    char *end;
    errno = 0;
    long k = strtol(o->threshold, &end, 10);
    if (errno || *end || !*o->threshold || k < 1 || k > o->nbootstrap_keys)
      return cli_error("'--bootstrap-threshold' takes how many of the %d bootstrap keys must sign: 1 to %d, not '%s'",
                       o->nbootstrap_keys, o->nbootstrap_keys, o->threshold);
    init->threshold = (int)k;
  }
  return 0;
}

/* Open the record of --db for the agreement, creating the store when `create`. */
record *cli_open_record(const pactum_agreement *agr, const opts *o, int create, unsigned flags, int *code) {
  record_init init = {o->require_signatures, 0, NULL, 0};
  uint8_t boot[CLI_MAX_SIGN][SIGN_PK_BYTES];
  if (bootstrap_option(o, &init, boot)) {
    *code = EXIT_INPUT;
    return NULL;
  }
  const char *path = db_path(o);
  int fresh = !exists(path);
  if (!create && fresh) {
    cli_error("no store at '%s'; create one with 'pactum init' or 'pactum event add'", path);
    *code = EXIT_INPUT;
    return NULL;
  }
  if (!fresh && (o->require_signatures || o->nbootstrap_keys || o->threshold))
    fprintf(stderr,
            "pactum: note: '%s' exists; --require-signatures and --bootstrap-key apply only when a store is created "
            "(change its settings with a 'settings_changed' event)\n",
            path);
  record *r = NULL;
  pactum_error err;
  int rc = record_open_ex(agr, path, create, &init, flags, &r, &err);
  if (rc) {
    cli_error("%s [%s]", err.message, err.code);
    *code = code_of(rc);
    return NULL;
  }
  return r;
}

pactum_timeline *cli_timeline_from_db(const pactum_agreement *agr, const char *path, int *exit_code, int64_t *head_seq,
                                      uint8_t *head_hash) {
  opts o;
  memset(&o, 0, sizeof o);
  o.db = path;
  record *r = cli_open_record(agr, &o, 0, 0, exit_code);
  if (!r) return NULL;
  pactum_timeline *tl = r->tl;
  r->tl = NULL;
  if (head_seq) *head_seq = r->tip.seq;
  if (head_hash) memcpy(head_hash, r->tip.hash, HASH_BYTES);
  record_free(r);
  return tl;
}

int cmd_init(opts *o) {
  int code = EXIT_OK;
  const char *path = db_path(o);
  if (exists(path)) {
    cli_error("'%s' already exists", path);
    return EXIT_INPUT;
  }
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  record *r = cli_open_record(agr, o, 1, 0, &code);
  if (r) {
    char hex[HASH_HEX];
    canon_hex(r->agr_hash, HASH_BYTES, hex);
    printf("created %s for %s %s (agreement hash %s)\n", path, agr->id, agr->version, hex);
    printf("store %s\n", record_store_id(r));
    if (r->set.boot.n)
      printf("signatures: %s; bootstrap keys: %d, of which %d must sign\n",
             r->set.require_signatures ? "required" : "optional, verified when present", r->set.boot.n,
             r->set.boot.threshold);
    else
      printf("signatures: %s; bootstrap keys: none\n",
             r->set.require_signatures ? "required" : "optional, verified when present");
  }
  record_free(r);
  pactum_agreement_free(agr);
  return code;
}

/* Read every non-blank line of fp; *lines[i] is line number i+1's text. -1 with errno set if fp
   could not be read to its end (ENOMEM when memory ran out). */
typedef struct batch {
  char **texts;
  size_t *lens;
  long *lineno;
  size_t n, cap;
} batch;

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) px_free(b->texts[i]);
  px_free(b->texts);
  px_free(b->lens);
  px_free(b->lineno);
}

static int batch_read(FILE *fp, batch *b) {
  memset(b, 0, sizeof *b);
  buf line;
  buf_init(&line);
  long no = 0;
  while (cli_read_line(fp, &line) >= 0) {
    no++;
    if (cli_blank(&line)) continue;
    if (b->n == b->cap) {
      size_t cap = b->cap ? b->cap * 2 : 64;
      char **t = px_realloc(b->texts, cap * sizeof *t);
      if (t) b->texts = t;
      size_t *l = px_realloc(b->lens, cap * sizeof *l);
      if (l) b->lens = l;
      long *n = px_realloc(b->lineno, cap * sizeof *n);
      if (n) b->lineno = n;
      if (!t || !l || !n) {
        errno = ENOMEM;
        break;
      }
      b->cap = cap;
    }
    b->texts[b->n] = px_malloc(line.len + 1);
    if (!b->texts[b->n]) {
      errno = ENOMEM;
      break;
    }
    memcpy(b->texts[b->n], line.data, line.len + 1);
    b->lens[b->n] = line.len;
    b->lineno[b->n] = no;
    b->n++;
  }
  int failed = line.failed || ferror(fp) || !feof(fp);
  int why = errno;
  buf_release(&line);
  errno = why;
  return failed ? -1 : 0;
}

/*
** An export begins with its store's settings record (store_created, or store_upgraded later on):
** `event import` leaves those out, saying so, since a store writes its own when it is made. Every
** other line is imported, or refused, as it is.
*/
static void skip_settings_records(batch *b, const char *name) {
  size_t kept = 0;
  for (size_t i = 0; i < b->n; i++) {
    json_t *v = json_loadb(b->texts[i], b->lens[i], 0, NULL);
    const char *type = json_string_value(json_object_get(v, "type"));
    int skip = type && (!strcmp(type, "store_created") || !strcmp(type, "store_upgraded"));
    if (skip)
      fprintf(stderr, "pactum: note: %s:%ld: '%s' left out: it is the exported store's own settings record, and this "
                      "store has its own\n", name, b->lineno[i], type);
    json_decref(v);
    if (skip) {
      px_free(b->texts[i]);
      continue;
    }
    b->texts[kept] = b->texts[i];
    b->lens[kept] = b->lens[i];
    b->lineno[kept] = b->lineno[i];
    kept++;
  }
  b->n = kept;
}

static int add_from(opts *o, FILE *fp, const char *name, int import) {
  int code = EXIT_OK;
  sign_key keys[CLI_MAX_SIGN];
  pactum_error err;
  for (int i = 0; i < o->nsign; i++)
    if (sign_key_load(o->sign[i], &keys[i], &err)) {
      cli_error("%s", err.message);
      return EXIT_INPUT;
    }
  for (int i = 0; i < o->nsign; i++)
    if (!keys[i].has_secret) {
      cli_error("'%s' holds no secret key; sign with a .key file", o->sign[i]);
      return EXIT_INPUT;
    }
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  batch b;
  if (batch_read(fp, &b)) {
    int why = errno;
    cli_error("cannot read the events from %s: %s", name, strerror(why));
    batch_free(&b);
    pactum_agreement_free(agr);
    return why == ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
  }
  if (import) skip_settings_records(&b, name);
  int fresh = !exists(db_path(o));
  record *r = cli_open_record(agr, o, 1, 0, &code);
  if (r) {
    size_t bad;
    int64_t first, last;
    record_caller importer = {NULL, 0, 1};
    int rc = record_add(r, (const char *const *)b.texts, b.lens, b.n, keys, o->nsign, import ? &importer : NULL, &bad,
                        &first, &last, &err);
    if (rc) {
      if (bad < b.n) fprintf(stderr, "%s:%ld: error: %s [%s]\n", name, b.lineno[bad], err.message, err.code);
      else cli_error("%s [%s]", err.message, err.code);
      fprintf(stderr, "pactum: nothing was recorded\n");
      code = code_of(rc);
      if (fresh) {
        /* The store was made for this batch: take it away again, as if never opened. */
        record_free(r);
        r = NULL;
        const char *path = db_path(o);
        char side[4096];
        remove(path);
        snprintf(side, sizeof side, "%s-wal", path);
        remove(side);
        snprintf(side, sizeof side, "%s-shm", path);
        remove(side);
      }
    } else if (b.n == 0) {
      printf("no events to record\n");
    } else {
      char hex[HASH_HEX];
      canon_hex(r->tip.hash, HASH_BYTES, hex);
      printf("recorded %zu event%s, seq %lld..%lld\nhead %lld %s\n", b.n, b.n == 1 ? "" : "s", (long long)first,
             (long long)last, (long long)r->tip.seq, hex);
    }
  }
  for (int i = 0; i < o->nsign; i++) sodium_memzero(&keys[i], sizeof keys[i]);
  record_free(r);
  batch_free(&b);
  pactum_agreement_free(agr);
  return code;
}

int cmd_event_add(opts *o) { return add_from(o, stdin, "<stdin>", 0); }

int cmd_event_import(opts *o) {
  if (o->nargs != 1) {
    cli_error("'event import' takes one file of events");
    return EXIT_INPUT;
  }
  FILE *fp = fopen(o->args[0], "rb");
  if (!fp) {
    cli_error("cannot open '%s': %s", o->args[0], strerror(errno));
    return EXIT_INPUT;
  }
  int code = add_from(o, fp, o->args[0], 1);
  fclose(fp);
  return code;
}

/*
** What `event sign` binds its signatures to: the store of --db (its id and agreement, read from
** its chain), or --store ID with the agreement of --agreement (the built-in one by default).
*/
static int scope_option(const opts *o, sign_scope *sc) {
  memset(sc, 0, sizeof *sc);
  if (!!o->db == !!o->store_id) {
    cli_error("'event sign' needs the store the events are for: --db PATH, or --store ID (which 'pactum init' and "
              "'pactum audit head' print)");
    return EXIT_INPUT;
  }
  if (o->db) {
    int code = EXIT_OK;
    store *st = cli_open_store(o, &code);
    if (!st) return code;
    tlog_origin origin;
    pactum_error err;
    int rc = tlog_origin_read(st, &origin, &err);
    store_close(st);
    if (rc) {
      cli_error("%s [%s]", err.message, err.code);
      return code_of(rc);
    }
    memcpy(sc->agreement, origin.agreement, HASH_BYTES);
    memcpy(sc->store, origin.store, SIGN_STORE_HEX);
    return EXIT_OK;
  }
  size_t n = strlen(o->store_id);
  int ok = n == SIGN_STORE_HEX - 1;
  for (size_t i = 0; ok && i < n; i++) ok = (o->store_id[i] >= '0' && o->store_id[i] <= '9') || (o->store_id[i] >= 'a' && o->store_id[i] <= 'f');
  if (!ok) {
    cli_error("'--store' takes a store's id, 32 lowercase hex digits, not '%s'", o->store_id);
    return EXIT_INPUT;
  }
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  canon_agreement_hash(agr->src, agr->src_len, sc->agreement);
  memcpy(sc->store, o->store_id, SIGN_STORE_HEX);
  pactum_agreement_free(agr);
  return EXIT_OK;
}

int cmd_event_sign(opts *o) {
  if (!o->key) {
    cli_error("'event sign' needs --key KEY");
    return EXIT_INPUT;
  }
  if (o->nargs > 1) {
    cli_error("'event sign' reads one file of events");
    return EXIT_INPUT;
  }
  sign_key k;
  pactum_error err;
  if (sign_init() || sign_key_load(o->key, &k, &err)) {
    cli_error("%s", err.message);
    return EXIT_INPUT;
  }
  if (!k.has_secret) {
    cli_error("'%s' holds no secret key; sign with a .key file", o->key);
    return EXIT_INPUT;
  }
  sign_scope scope;
  int scode = scope_option(o, &scope);
  if (scode) {
    sodium_memzero(&k, sizeof k);
    return scode;
  }
  FILE *fp = o->nargs ? fopen(o->args[0], "rb") : stdin;
  if (!fp) {
    cli_error("cannot open '%s': %s", o->args[0], strerror(errno));
    return EXIT_INPUT;
  }
  const char *name = o->nargs ? o->args[0] : "<stdin>";
  buf line;
  buf_init(&line);
  long no = 0;
  int code = EXIT_OK;
  while (code == EXIT_OK && cli_read_line(fp, &line) >= 0) {
    no++;
    if (cli_blank(&line)) continue;
    json_error_t je;
    json_t *ev = json_loadb(line.data, line.len, JSON_REJECT_DUPLICATES, &je);
    size_t n = 0;
    char *text = NULL;
    if (!ev) {
      fprintf(stderr, "%s:%ld: error: malformed JSON at column %d: %s [bad_json]\n", name, no, je.column, je.text);
      code = EXIT_INPUT;
    } else if (sign_event(ev, &scope, &k, &err)) {
      fprintf(stderr, "%s:%ld: error: %s [%s]\n", name, no, err.message, err.code);
      code = EXIT_INPUT;
    } else if (!(text = canon_json(ev, &n))) {
      fprintf(stderr, "%s:%ld: error: the event holds a number with a fraction or exponent [wrong_type]\n", name, no);
      code = EXIT_INPUT;
    } else {
      fwrite(text, 1, n, stdout);
      fputc('\n', stdout);
    }
    px_free(text);
    json_decref(ev);
  }
  if (line.failed && code == EXIT_OK) code = cli_read_failed(name);
  sodium_memzero(&k, sizeof k);
  buf_release(&line);
  if (fp != stdin) fclose(fp);
  return code;
}

static int parse_since(const opts *o, int64_t *since) {
  *since = 0;
  if (!o->since) return 0;
  char *end;
  errno = 0;
  long long v = strtoll(o->since, &end, 10);
  if (errno || *end || v < 0) return cli_error("'--since' takes a seq, a whole number: '%s'", o->since);
  *since = v;
  return 0;
}

store *cli_open_store(const opts *o, int *code) {
  const char *path = db_path(o);
  if (!exists(path)) {
    cli_error("no store at '%s'", path);
    *code = EXIT_INPUT;
    return NULL;
  }
  store *st;
  pactum_error err;
  if (store_open(path, 0, &st, &err)) {
    cli_error("%s [%s]", err.message, err.code);
    *code = EXIT_INPUT;
    return NULL;
  }
  return st;
}

typedef struct export_ctx {
  int text;
  int decisions;
} export_ctx;

static int export_one(void *ctx, const store_record *rec) {
  export_ctx *x = ctx;
  if (!x->text) {
    /* JSONL: the record as stored, with its seq first for the decision log. */
    if (x->decisions) printf("{\"id\":%lld,%.*s\n", (long long)rec->seq, (int)(rec->len - 1), rec->json + 1);
    else printf("%.*s\n", (int)rec->len, rec->json);
    return 0;
  }
  json_t *v = json_loadb(rec->json, rec->len, 0, NULL);
  if (!v) {
    printf("%6lld  (not JSON)\n", (long long)rec->seq);
    return 0;
  }
  if (x->decisions) {
    json_t *rq = json_object_get(v, "request");
    const char *date = json_string_value(json_object_get(v, "date"));
    printf("%6lld  %s  %s %s -> %s", (long long)rec->seq, date ? date : "?",
           json_string_value(json_object_get(rq, "principal")) ? json_string_value(json_object_get(rq, "principal")) : "?",
           json_string_value(json_object_get(rq, "action")) ? json_string_value(json_object_get(rq, "action")) : "?",
           json_string_value(json_object_get(v, "decision")) ? json_string_value(json_object_get(v, "decision")) : "?");
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(v, "determining"), i, id) printf("%s%s", i ? ", " : " (", json_string_value(id));
    printf("%s\n", json_array_size(json_object_get(v, "determining")) ? ")" : "");
  } else {
    const char *date = json_string_value(json_object_get(v, "date"));
    const char *type = json_string_value(json_object_get(v, "type"));
    printf("%6lld  %s  %-16s", (long long)rec->seq, date ? date : "----------", type ? type : "?");
    const char *k;
    json_t *f;
    json_object_foreach(v, k, f) {
      if (!strcmp(k, "date") || !strcmp(k, "type") || !strcmp(k, "signatures") || !strcmp(k, "nonce") ||
          !strcmp(k, "recorded_by"))
        continue;
      char *s = json_dumps(f, JSON_ENCODE_ANY | JSON_COMPACT);
      printf(" %s=%s", k, s ? s : "?");
      px_free(s);
    }
    size_t i;
    json_t *sg;
    json_array_foreach(json_object_get(v, "signatures"), i, sg) {
      const char *who = json_string_value(json_object_get(sg, "signer"));
      printf("%s%s", i ? ", " : "  signed by ", who ? who : "?");
    }
    json_array_foreach(json_object_get(v, "recorded_by"), i, sg) {
      const char *who = json_string_value(sg);
      printf("%s%s", i ? ", " : "  recorded by ", who ? who : "?");
    }
    printf("\n");
  }
  json_decref(v);
  return 0;
}

static int export_chain(opts *o, store_chain chain) {
  int code = EXIT_OK;
  int64_t since;
  if (parse_since(o, &since)) return EXIT_INPUT;
  store *st = cli_open_store(o, &code);
  if (!st) return code;
  export_ctx x = {o->format && !strcmp(o->format, "text"), chain == CHAIN_DECISIONS};
  pactum_error err;
  if (store_scan(st, chain, since, export_one, &x, &err) < 0) {
    cli_error("%s", err.message);
    code = EXIT_INPUT;
  }
  store_close(st);
  return code;
}

int cmd_events(opts *o) { return export_chain(o, CHAIN_EVENTS); }
int cmd_decisions(opts *o) { return export_chain(o, CHAIN_DECISIONS); }

int cmd_keygen(opts *o) {
  int code = EXIT_OK;
  if (o->bootstrap && (o->party || o->member)) {
    cli_error("'--bootstrap' makes a key for no party; drop --party and --member");
    return EXIT_INPUT;
  }
  if (o->bootstrap) {
    sign_key k;
    pactum_error err;
    if (sign_init() || sign_keygen("bootstrap", o->out ? o->out : ".", &k, &err)) {
      cli_error("%s", err.message);
      return EXIT_INPUT;
    }
    char b64[64];
    sign_b64_encode(k.pk, SIGN_PK_BYTES, b64, sizeof b64);
    printf("wrote %s/bootstrap.key (secret) and %s/bootstrap.pub\npublic key %s\n", o->out ? o->out : ".",
           o->out ? o->out : ".", b64);
    printf("create the store with: pactum init --bootstrap-key %s/bootstrap.pub\n", o->out ? o->out : ".");
    sodium_memzero(&k, sizeof k);
    return EXIT_OK;
  }
  if (!o->party) {
    cli_error("'keygen' needs --party P, or --bootstrap");
    return EXIT_INPUT;
  }
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  char signer[SIGN_MAX_SIGNER];
  int ok = 0;
  if (o->member) {
    for (int b = 0; b < agr->nbodies; b++)
      if (!strcmp(agr->bodies[b].name, o->party))
        for (int m = 0; m < agr->bodies[b].nmembers; m++) ok |= !strcmp(agr->bodies[b].members[m], o->member);
    if (!ok) cli_error("'%s' is not a member of a body '%s' of the agreement", o->member, o->party);
    snprintf(signer, sizeof signer, "%s.%s", o->party, o->member);
  } else {
    ok = agreement_find_party(agr, o->party, strlen(o->party)) >= 0;
    if (!ok) cli_error("unknown party '%s'; for a body's member give --party BODY --member M", o->party);
    snprintf(signer, sizeof signer, "%s", o->party);
  }
  pactum_agreement_free(agr);
  if (!ok) return EXIT_INPUT;
  sign_key k;
  pactum_error err;
  if (sign_init() || sign_keygen(signer, o->out ? o->out : ".", &k, &err)) {
    cli_error("%s", err.message);
    return EXIT_INPUT;
  }
  char b64[64];
  sign_b64_encode(k.pk, SIGN_PK_BYTES, b64, sizeof b64);
  printf("wrote %s/%s.key (secret) and %s/%s.pub\npublic key %s\n", o->out ? o->out : ".", signer,
         o->out ? o->out : ".", signer, b64);
  sodium_memzero(&k, sizeof k);
  return EXIT_OK;
}

int cmd_ledger(opts *o) {
  int code = EXIT_OK;
  int32_t day;
  if (cli_day_option(o, &day)) return EXIT_INPUT;
  if (o->by && strcmp(o->by, "month") && strcmp(o->by, "quarter")) {
    cli_error("'--by' takes month or quarter, not '%s'", o->by);
    return EXIT_INPUT;
  }
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  pactum_timeline *tl = cli_load_timeline(agr, o, &code);
  if (tl) {
    int as_json = o->format && !strcmp(o->format, "json");
    code = cli_print_report(ledger_render(agr, tl, day, o->by && !strcmp(o->by, "quarter"), as_json), as_json);
  }
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
  return code;
}

/* ---- The decision log ---------------------------------------------------------------- */

typedef struct queued {
  char *entry;   /* canonical JSON for the log, or NULL for a line printed as it is */
  size_t entry_len;
  char *line;
  size_t line_len;
  size_t split;  /* where "decision_id" goes in the line */
} queued;

struct decision_log {
  store *st;
  declog_basis basis;
  int every;
  queued *q;
  size_t n, cap, ndecisions;
};

decision_log *cli_decision_log_open(const pactum_agreement *agr, const char *path, int64_t events_seq,
                                    const uint8_t *events_hash, int every, int *exit_code) {
  opts o;
  memset(&o, 0, sizeof o);
  o.db = path;
  /* Opening the record checks the store belongs to this agreement. */
  record *r = cli_open_record(agr, &o, 0, 0, exit_code);
  if (!r) return NULL;
  decision_log *lg = px_calloc(1, sizeof *lg);
  if (!lg) {
    record_free(r);
    *exit_code = EXIT_INTERNAL;
    return NULL;
  }
  lg->every = every > 0 ? every : 1;
  lg->basis.agr = agr;
  memcpy(lg->basis.agr_hash, r->agr_hash, HASH_BYTES);
  lg->basis.events_seq = events_seq;
  memcpy(lg->basis.events_hash, events_hash, HASH_BYTES);
  lg->st = r->st;
  r->st = NULL;
  record_free(r);
  return lg;
}

static int enqueue(decision_log *lg, char *entry, size_t entry_len, const char *line, size_t n, size_t split) {
  if (lg->n == lg->cap) {
    size_t cap = lg->cap ? lg->cap * 2 : 64;
    queued *q = px_realloc(lg->q, cap * sizeof *q);
    if (!q) return -1;
    lg->q = q;
    lg->cap = cap;
  }
  char *copy = px_malloc(n + 1);
  if (!copy) return -1;
  memcpy(copy, line, n);
  copy[n] = '\0';
  lg->q[lg->n++] = (queued){entry, entry_len, copy, n, split < n ? split : n};
  return 0;
}

/* Write the queued decisions in one transaction after the chain's current head, then print. */
static int flush_log(decision_log *lg) {
  pactum_error err;
  int64_t seq = 0;
  int rc = 0;
  if (lg->ndecisions) {
    char **entries = px_malloc(lg->ndecisions * sizeof *entries);
    size_t *lens = px_malloc(lg->ndecisions * sizeof *lens);
    if (!entries || !lens) {
      rc = error_set(&err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
    } else {
      size_t k = 0;
      for (size_t i = 0; i < lg->n; i++)
        if (lg->q[i].entry) {
          entries[k] = lg->q[i].entry;
          lens[k++] = lg->q[i].entry_len;
        }
      rc = declog_append(lg->st, lg->basis.agr_hash, entries, lens, k, &seq, &err);
    }
    px_free(entries);
    px_free(lens);
    if (rc) cli_error("the decision log could not be written: %s", err.message);
  }
  for (size_t i = 0; i < lg->n; i++) {
    queued *q = &lg->q[i];
    if (!rc) {
      if (q->entry)
        printf("%.*s\"decision_id\":%lld,%s\n", (int)q->split, q->line, (long long)seq++, q->line + q->split);
      else printf("%s\n", q->line);
    }
    px_free(q->entry);
    px_free(q->line);
  }
  fflush(stdout);
  lg->n = lg->ndecisions = 0;
  return rc ? -1 : 0;
}

int cli_decision_log_add(decision_log *lg, const char *request, size_t len, const pactum_decision *dec,
                         const char *out, size_t n, size_t split) {
  size_t rn;
  char *text = declog_entry(&lg->basis, request, len, dec, declog_now_ms(), &rn);
  if (!text) return cli_error("cannot log the decision: out of memory");
  if (enqueue(lg, text, rn, out, n, split)) {
    px_free(text);
    return cli_error("out of memory");
  }
  lg->ndecisions++;
  return (int)lg->ndecisions >= lg->every ? flush_log(lg) : 0;
}

int cli_decision_log_pass(decision_log *lg, const char *line, size_t n) {
  if (enqueue(lg, NULL, 0, line, n, 0)) return cli_error("out of memory");
  return lg->every == 1 ? flush_log(lg) : 0;
}

int cli_decision_log_close(decision_log *lg) {
  if (!lg) return 0;
  int rc = flush_log(lg);
  store_close(lg->st);
  px_free(lg->q);
  px_free(lg);
  return rc;
}
