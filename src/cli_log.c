/*
** cli_log.c: the commands over the record as a transparency log: audit verify and head (the
** hash chains, the Merkle trees, receipts and checkpoints), audit prove and consistency (RFC
** 9162 proofs), and checkpoint sign, verify and list (tree heads signed by the parties). They
** route and print; the rules live in audit.c, tlog.c, sign.c and record.c.
*/
#include "alloc.h"
#include "audit.h"
#include "cli.h"
#include "error.h"
#include "record.h"
#include "tlog.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* Exit code for a failed library call: bad input (2) or internal (3). */
static int code_of(int rc) { return rc == PACTUM_ENOMEM || rc == PACTUM_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT; }

int cli_chain_option(const opts *o) {
  if (!o->chain || !strcmp(o->chain, "events")) return CHAIN_EVENTS;
  if (!strcmp(o->chain, "decisions")) return CHAIN_DECISIONS;
  return cli_error("'--chain' takes events or decisions, not '%s'", o->chain);
}

/* A seq or size option: a whole number >= min; -1 (reported) otherwise. */
static int count_option(const char *flag, const char *v, int64_t min, int64_t *out) {
  char *end;
  errno = 0;
  long long n = v ? strtoll(v, &end, 10) : 0;
  if (!v || errno || *end || !*v || n < min) return cli_error("'%s' takes a whole number of at least %lld, not '%s'", flag, (long long)min, v ? v : "");
  *out = n;
  return 0;
}

/* Print v as one line of canonical JSON, and free it. */
static int print_json(json_t *v) {
  size_t n;
  char *text = canon_json(v, &n);
  json_decref(v);
  if (!text) return cli_error("out of memory"), EXIT_INTERNAL;
  fwrite(text, 1, n, stdout);
  fputc('\n', stdout);
  px_free(text);
  return EXIT_OK;
}

/* Read a checkpoint (or any JSON object) from path; NULL (reported) if it is not one. */
static json_t *read_json_file(const char *path) {
  json_error_t je;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    cli_error("cannot open '%s': %s", path, strerror(errno));
    return NULL;
  }
  json_t *v = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
  fclose(fp);
  if (!v) cli_error("%s:%d:%d: malformed JSON: %s [bad_json]", path, je.line, je.column, je.text);
  else if (!json_is_object(v)) {
    cli_error("%s: a checkpoint is a JSON object [bad_checkpoint]", path);
    json_decref(v);
    v = NULL;
  }
  return v;
}

/* ---- audit verify, audit head ------------------------------------------------------------- */

/* The chain's genesis: the agreement hash the store recorded. */
static int genesis_of(store *st, uint8_t out[HASH_BYTES]) {
  char *v = NULL;
  pactum_error err;
  if (store_meta_get(st, "agreement_hash", &v, &err) || !v || canon_unhex(v, out, HASH_BYTES)) {
    px_free(v);
    return cli_error("the store records no valid agreement hash");
  }
  px_free(v);
  return 0;
}

/* Check each --checkpoint against the store; 1 if any does not hold. */
static int verify_checkpoints(const opts *o, store *st) {
  if (!o->ncheckpoints) return 0;
  tlog_origin origin;
  pactum_error err;
  if (tlog_origin_read(st, &origin, &err)) {
    printf("checkpoints: FAILED: %s\n", err.message);
    return 1;
  }
  int bad = 0;
  for (int i = 0; i < o->ncheckpoints; i++) {
    json_t *cp = read_json_file(o->checkpoints[i]);
    if (!cp) return 2;
    tlog_check res;
    int rc = tlog_check_checkpoint(st, &origin, cp, &res, &err);
    int chain = tlog_chain_of(cp);
    json_decref(cp);
    if (rc) {
      cli_error("%s: %s [%s]", o->checkpoints[i], err.message, err.code);
      return 2;
    }
    const char *name = store_chain_name((store_chain)chain);
    if (res.ok)
      printf("%s: the log holds the checkpoint %s (size %lld of %lld)\n", name, o->checkpoints[i], (long long)res.size,
             (long long)res.current);
    else {
      printf("%s: FAILED: %s: %s\n", name, o->checkpoints[i], res.reason);
      bad = 1;
    }
  }
  return bad;
}

int cmd_audit_verify(opts *o) {
  int code = EXIT_OK;
  uint8_t receipt[HASH_BYTES];
  if (o->head && canon_unhex(o->head, receipt, HASH_BYTES)) {
    cli_error("'--head' takes a hash of 64 hex digits, as 'pactum audit head' prints it");
    return EXIT_INPUT;
  }
  store *st = cli_open_store(o, &code);
  if (!st) return code;
  uint8_t genesis[HASH_BYTES];
  if (genesis_of(st, genesis)) {
    store_close(st);
    return EXIT_PROBLEM;
  }
  for (int c = 0; c < 2; c++) {
    const char *name = store_chain_name((store_chain)c);
    audit_result res;
    pactum_error err;
    if (audit_verify(st, (store_chain)c, genesis, c == CHAIN_EVENTS && o->head ? receipt : NULL, &res, &err)) {
      cli_error("%s", err.message);
      code = EXIT_INPUT;
      break;
    }
    if (c == CHAIN_DECISIONS && res.records == 0 && res.ok) continue;
    if (!res.ok) {
      if (res.bad_seq) printf("%s: FAILED at seq %lld: %s\n", name, (long long)res.bad_seq, res.reason);
      else printf("%s: FAILED: %s\n", name, res.reason);
      code = EXIT_PROBLEM;
      continue;
    }
    char hex[HASH_HEX];
    canon_hex(res.head, HASH_BYTES, hex);
    printf("%s: ok: %lld records, %lld bytes; head %lld %s\n", name, (long long)res.records, (long long)res.bytes,
           (long long)res.head_seq, hex);
    if (c == CHAIN_EVENTS && o->head) printf("%s: the chain extends the receipt (seq %lld)\n", name, (long long)res.receipt_seq);
  }
  if (code != EXIT_INPUT) {
    int bad = verify_checkpoints(o, st);
    if (bad == 2) code = EXIT_INPUT;
    else if (bad && code == EXIT_OK) code = EXIT_PROBLEM;
  }
  store_close(st);
  return code;
}

int cmd_audit_head(opts *o) {
  int code = EXIT_OK;
  store *st = cli_open_store(o, &code);
  if (!st) return code;
  int64_t seq;
  uint8_t h[HASH_BYTES];
  pactum_error err;
  tlog_origin origin;
  if (genesis_of(st, h)) code = EXIT_PROBLEM;
  else if (store_head(st, CHAIN_EVENTS, &seq, h, &err)) {
    cli_error("%s", err.message);
    code = EXIT_PROBLEM;
  } else {
    char hex[HASH_HEX];
    canon_hex(h, HASH_BYTES, hex);
    printf("%s\n", hex);
    int known = !tlog_origin_read(st, &origin, &err);
    fprintf(stderr, "pactum: head of the events chain: seq %lld%s%s\n", (long long)seq, known ? "; store " : "",
            known ? origin.store : "");
  }
  store_close(st);
  return code;
}

/* ---- audit prove, audit consistency -------------------------------------------------------- */

int cmd_audit_prove(opts *o) {
  int chain = cli_chain_option(o);
  int64_t seq = 0, size = 0;
  if (chain < 0 || count_option("--seq", o->seq, 1, &seq) || (o->size && count_option("--size", o->size, 1, &size)))
    return EXIT_INPUT;
  int code = EXIT_OK;
  store *st = cli_open_store(o, &code);
  if (!st) return code;
  json_t *proof = NULL;
  pactum_error err;
  int rc = tlog_prove(st, (store_chain)chain, seq, size, &proof, &err);
  store_close(st);
  if (rc) {
    cli_error("%s [%s]", err.message, err.code);
    return code_of(rc);
  }
  return print_json(proof);
}

int cmd_audit_consistency(opts *o) {
  int chain = cli_chain_option(o);
  if (chain < 0) return EXIT_INPUT;
  if (!o->from) return cli_error("'audit consistency' needs --from SIZE or --from CHECKPOINT"), EXIT_INPUT;
  int64_t from = 0, to = 0;
  json_t *cp = NULL;
  if (o->from[0] >= '0' && o->from[0] <= '9') {
    if (count_option("--from", o->from, 1, &from)) return EXIT_INPUT;
  } else {
    if (!(cp = read_json_file(o->from))) return EXIT_INPUT;
    json_t *sz = json_object_get(cp, "size");
    if (!json_is_integer(sz) || json_integer_value(sz) < 1 || tlog_chain_of(cp) < 0) {
      json_decref(cp);
      return cli_error("'%s' is not a checkpoint of a non-empty chain [bad_checkpoint]", o->from), EXIT_INPUT;
    }
    from = json_integer_value(sz);
    if (!o->chain) chain = tlog_chain_of(cp);
  }
  if (o->to && count_option("--to", o->to, 1, &to)) {
    json_decref(cp);
    return EXIT_INPUT;
  }
  int code = EXIT_OK;
  store *st = cli_open_store(o, &code);
  if (!st) {
    json_decref(cp);
    return code;
  }
  json_t *proof = NULL;
  pactum_error err;
  int rc = tlog_consistency(st, (store_chain)chain, from, to, &proof, &err);
  store_close(st);
  if (rc) {
    json_decref(cp);
    cli_error("%s [%s]", err.message, err.code);
    return code_of(rc);
  }
  /* A checkpoint's own root must be the log's root at its size, or no proof can join them. */
  const char *want = json_string_value(json_object_get(cp, "root"));
  const char *have = json_string_value(json_object_get(json_object_get(proof, "from"), "root"));
  int rewritten = cp && (!want || !have || strcmp(want, have));
  json_decref(cp);
  if (rewritten) {
    json_decref(proof);
    printf("FAILED: the log was rewritten: its tree of size %lld is not the one '%s' signed\n", (long long)from, o->from);
    return EXIT_PROBLEM;
  }
  return print_json(proof);
}

/* ---- checkpoint sign, verify, list -------------------------------------------------------- */

int cmd_checkpoint_sign(opts *o) {
  int chain = cli_chain_option(o);
  int64_t size = 0;
  if (chain < 0 || (o->size && count_option("--size", o->size, 1, &size))) return EXIT_INPUT;
  if (!o->key) return cli_error("'checkpoint sign' needs --key KEY, the signing party's secret key"), EXIT_INPUT;
  sign_key k;
  pactum_error err;
  if (sign_init() || sign_key_load(o->key, &k, &err)) return cli_error("%s", err.message), EXIT_INPUT;
  if (!k.has_secret) {
    sodium_memzero(&k, sizeof k);
    return cli_error("'%s' holds no secret key; sign with a .key file", o->key), EXIT_INPUT;
  }
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  /* Opening the record checks every link, node and rule of the events chain: a party signs
     only a log it has checked. */
  record *r = agr ? cli_open_record(agr, o, 0, RECORD_CHECK_TREE, &code) : NULL;
  json_t *cp = NULL;
  if (r) {
    if (!keyring_has(r->kr, k.signer, k.pk))
      fprintf(stderr, "pactum: warning: the key of '%s' is not registered in this store; others must trust it by hand "
                      "(checkpoint verify --trust)\n", k.signer);
    tlog_origin origin;
    memcpy(origin.store, record_store_id(r), SIGN_STORE_HEX);
    memcpy(origin.agreement, r->agr_hash, HASH_BYTES);
    int rc = tlog_checkpoint(r->st, &origin, (store_chain)chain, size, &cp, &err);
    if (!rc) rc = sign_checkpoint(cp, &k, &err);
    size_t n = 0;
    char *text = rc ? NULL : canon_json(cp, &n);
    if (!rc && !text) rc = error_set(&err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
    if (!rc) {
      const char *root = json_string_value(json_object_get(cp, "root"));
      rc = store_cosig_put(r->st, (store_chain)chain, json_integer_value(json_object_get(cp, "size")), root, k.signer,
                           text, n, &err);
    }
    if (rc) {
      cli_error("%s [%s]", err.message, err.code);
      code = code_of(rc);
    } else {
      fwrite(text, 1, n, stdout);
      fputc('\n', stdout);
    }
    px_free(text);
    json_decref(cp);
  }
  sodium_memzero(&k, sizeof k);
  if (r) record_free(r);
  pactum_agreement_free(agr);
  return code;
}

int cmd_checkpoint_verify(opts *o) {
  if (o->nargs < 1) return cli_error("'checkpoint verify' takes one or more checkpoint files"), EXIT_INPUT;
  sign_key trusted[CLI_MAX_SIGN];
  pactum_error err;
  for (int i = 0; i < o->ntrust; i++)
    if (sign_key_load(o->trust[i], &trusted[i], &err)) return cli_error("%s", err.message), EXIT_INPUT;
  int code = EXIT_OK;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  record *r = agr ? cli_open_record(agr, o, 0, 0, &code) : NULL;
  if (!r) {
    pactum_agreement_free(agr);
    return code;
  }
  tlog_origin origin;
  memcpy(origin.store, record_store_id(r), SIGN_STORE_HEX);
  memcpy(origin.agreement, r->agr_hash, HASH_BYTES);
  for (int i = 0; i < o->nargs && code != EXIT_INPUT; i++) {
    const char *path = o->args[i];
    json_t *cp = read_json_file(path);
    if (!cp) {
      code = EXIT_INPUT;
      break;
    }
    signer_set who;
    tlog_check res;
    int rc = sign_verify_checkpoint(cp, r->kr, trusted, o->ntrust, &who, &err);
    if (rc == PACTUM_EINPUT && strcmp(err.code, "bad_json")) {
      printf("%s: FAILED: %s [%s]\n", path, err.message, err.code);
      code = EXIT_PROBLEM;
    } else if (rc) {
      cli_error("%s: %s [%s]", path, err.message, err.code);
      code = code_of(rc);
    } else if ((rc = tlog_check_checkpoint(r->st, &origin, cp, &res, &err))) {
      cli_error("%s: %s [%s]", path, err.message, err.code);
      code = code_of(rc);
    } else if (!res.ok) {
      printf("%s: FAILED: %s\n", path, res.reason);
      code = EXIT_PROBLEM;
    } else {
      printf("%s: ok: %s tree of size %lld signed by", path, store_chain_name((store_chain)tlog_chain_of(cp)),
             (long long)res.size);
      for (int s = 0; s < who.n; s++) printf("%s %s", s ? "," : "", who.names[s]);
      printf("; the store holds it (%lld records now)\n", (long long)res.current);
    }
    json_decref(cp);
  }
  record_free(r);
  pactum_agreement_free(agr);
  return code;
}

static int print_cosig(void *ctx, const store_cosig *c) {
  (void)ctx;
  fwrite(c->json, 1, c->len, stdout);
  fputc('\n', stdout);
  return 0;
}

int cmd_checkpoint_list(opts *o) {
  int chain = cli_chain_option(o);
  if (chain < 0) return EXIT_INPUT;
  int code = EXIT_OK;
  store *st = cli_open_store(o, &code);
  if (!st) return code;
  pactum_error err;
  if (store_cosig_scan(st, (store_chain)chain, print_cosig, NULL, &err) < 0) {
    cli_error("%s", err.message);
    code = EXIT_INPUT;
  }
  store_close(st);
  return code;
}
