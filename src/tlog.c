/*
** tlog.c: tree heads, proofs and checkpoints over the store's chains (see tlog.h).
*/
#include "tlog.h"
#include "alloc.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

static int oom(pactum_error *err) { return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory"); }

int tlog_chain_of(const json_t *obj) {
  const char *c = json_string_value(json_object_get(obj, "chain"));
  if (!c) return -1;
  if (!strcmp(c, "events")) return CHAIN_EVENTS;
  if (!strcmp(c, "decisions")) return CHAIN_DECISIONS;
  return -1;
}

/* ---- Origin ---------------------------------------------------------------------------------- */

typedef struct origin_ctx {
  tlog_origin *o;
  pactum_error *err;
  int rc, found;
} origin_ctx;

static int origin_one(void *ctx, const store_record *rec) {
  origin_ctx *c = ctx;
  c->found = 1;
  json_t *v = json_loadb(rec->json, rec->len, 0, NULL);
  const char *type = json_string_value(json_object_get(v, "type"));
  const char *id = json_string_value(json_object_get(v, "store"));
  const char *hash = json_string_value(json_object_get(json_object_get(v, "agreement"), "hash"));
  if (!type || (strcmp(type, "store_created") && strcmp(type, "store_upgraded")) || !id ||
      strlen(id) != SIGN_STORE_HEX - 1 || !hash || canon_unhex(hash, c->o->agreement, HASH_BYTES))
    c->rc = fail(c->err, "store_corrupt", "record %lld is not the store's settings record", (long long)rec->seq);
  else memcpy(c->o->store, id, SIGN_STORE_HEX);
  json_decref(v);
  return 1;
}

int tlog_origin_read(store *st, tlog_origin *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  char *v = NULL;
  int rc = store_meta_get(st, "settings_seq", &v, err);
  if (rc) return rc;
  long long seq = v ? strtoll(v, NULL, 10) : 1;
  px_free(v);
  origin_ctx c = {out, err, 0, 0};
  rc = store_scan_range(st, CHAIN_EVENTS, seq - 1, seq, origin_one, &c, err);
  if (rc < 0) return rc;
  if (c.rc) return c.rc;
  if (!c.found)
    return fail(err, "store_corrupt", "the store has no settings record yet (open it once with its agreement)");
  return 0;
}

/* ---- Heads and proofs ------------------------------------------------------------------------ */

/* The chain's length, and a size argument resolved (0: the length) and checked. */
static int resolve_size(store *st, store_chain chain, int64_t *size, int64_t *length, pactum_error *err) {
  int rc = store_max_seq(st, chain, length, err);
  if (rc) return rc;
  if (*size == 0) *size = *length;
  if (*size < 0 || *size > *length)
    return fail(err, "bad_argument", "the %s chain holds %lld records; there is no tree of size %lld",
                store_chain_name(chain), (long long)*length, (long long)*size);
  return 0;
}

/* Turn a merkle_* failure into err (the node reader has filled err when it failed). */
static int merkle_failed(int mrc, pactum_error *err, const char *what) {
  if (err && err->code[0]) return PACTUM_EIO;
  return error_set(err, PACTUM_EINTERNAL, "internal", "%s failed (%d)", what, mrc);
}

int tlog_root(store *st, store_chain chain, int64_t size, uint8_t root[HASH_BYTES], pactum_error *err) {
  if (err) err->code[0] = '\0';
  store_node_ctx c = {st, chain, err};
  int mrc = merkle_root((uint64_t)size, store_node, &c, root);
  return mrc ? merkle_failed(mrc, err, "computing a tree head") : 0;
}

static json_t *hex_json(const uint8_t *h) {
  char hex[HASH_HEX];
  canon_hex(h, HASH_BYTES, hex);
  return json_string(hex);
}

static json_t *path_json(uint8_t path[][MERKLE_HASH], int n) {
  json_t *a = json_array();
  for (int i = 0; a && i < n; i++)
    if (json_array_append_new(a, hex_json(path[i]))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

typedef struct one_ctx {
  json_t *rec;
} one_ctx;

static int keep_record(void *ctx, const store_record *r) {
  one_ctx *c = ctx;
  c->rec = json_pack("{s:I, s:s, s:s, s:s%}", "seq", (json_int_t)r->seq, "prev_hash", r->prev_hex ? r->prev_hex : "",
                     "hash", r->hash_hex ? r->hash_hex : "", "json", r->json, r->len);
  return 1;
}

int tlog_prove(store *st, store_chain chain, int64_t seq, int64_t size, json_t **out, pactum_error *err) {
  *out = NULL;
  int64_t length;
  int rc = resolve_size(st, chain, &size, &length, err);
  if (rc) return rc;
  if (seq < 1 || seq > size)
    return fail(err, "bad_argument", "record %lld is not in the tree of size %lld", (long long)seq, (long long)size);
  uint8_t path[TLOG_MAX_PATH][MERKLE_HASH], root[HASH_BYTES];
  int n = 0;
  err->code[0] = '\0';
  store_node_ctx c = {st, chain, err};
  int mrc = merkle_inclusion_proof((uint64_t)seq - 1, (uint64_t)size, store_node, &c, path, &n);
  if (mrc) return merkle_failed(mrc, err, "building an inclusion proof");
  if ((rc = tlog_root(st, chain, size, root, err))) return rc;
  one_ctx oc = {NULL};
  rc = store_scan_range(st, chain, seq - 1, seq, keep_record, &oc, err);
  if (rc < 0) return rc;
  if (!oc.rec) return oom(err);
  json_t *p = path_json(path, n);
  json_t *o = p ? json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "proof", "inclusion", "chain", store_chain_name(chain),
                            "seq", (json_int_t)seq, "size", (json_int_t)size, "root", hex_json(root), "record", oc.rec,
                            "path", p)
                : NULL;
  if (!o) {
    if (!p) json_decref(oc.rec);
    return oom(err);
  }
  *out = o;
  return 0;
}

int tlog_consistency(store *st, store_chain chain, int64_t from, int64_t to, json_t **out, pactum_error *err) {
  *out = NULL;
  int64_t length;
  int rc = resolve_size(st, chain, &to, &length, err);
  if (rc) return rc;
  if (from < 1 || from > to)
    return fail(err, "bad_argument", "a consistency proof goes from a size of 1 or more to a size no smaller (%lld to %lld)",
                (long long)from, (long long)to);
  uint8_t path[TLOG_MAX_PATH][MERKLE_HASH], r1[HASH_BYTES], r2[HASH_BYTES];
  int n = 0;
  err->code[0] = '\0';
  store_node_ctx c = {st, chain, err};
  int mrc = merkle_consistency_proof((uint64_t)from, (uint64_t)to, store_node, &c, path, &n);
  if (mrc) return merkle_failed(mrc, err, "building a consistency proof");
  if ((rc = tlog_root(st, chain, from, r1, err)) || (rc = tlog_root(st, chain, to, r2, err))) return rc;
  json_t *p = path_json(path, n);
  json_t *o = p ? json_pack("{s:s, s:s, s:{s:I, s:o}, s:{s:I, s:o}, s:o}", "proof", "consistency", "chain",
                            store_chain_name(chain), "from", "size", (json_int_t)from, "root", hex_json(r1), "to", "size",
                            (json_int_t)to, "root", hex_json(r2), "path", p)
                : NULL;
  if (!o) return oom(err);
  *out = o;
  return 0;
}

/* ---- Checkpoints ----------------------------------------------------------------------------- */

typedef struct hash_ctx {
  uint8_t *out;
  int found;
} hash_ctx;

static int keep_hash(void *ctx, const store_record *r) {
  hash_ctx *c = ctx;
  c->found = r->hash_hex && !canon_unhex(r->hash_hex, c->out, HASH_BYTES);
  return 1;
}

/* The chain hash of record size (the agreement's hash for size 0). */
static int head_at(store *st, store_chain chain, const tlog_origin *o, int64_t size, uint8_t out[HASH_BYTES],
                   pactum_error *err) {
  if (size == 0) {
    memcpy(out, o->agreement, HASH_BYTES);
    return 0;
  }
  hash_ctx c = {out, 0};
  int rc = store_scan_range(st, chain, size - 1, size, keep_hash, &c, err);
  if (rc < 0) return rc;
  return c.found ? 0 : error_set(err, PACTUM_EIO, "store_corrupt", "record %lld has no valid hash", (long long)size);
}

static void origin_name(const tlog_origin *o, char out[SIGN_STORE_HEX + 8]) {
  snprintf(out, SIGN_STORE_HEX + 8, "pactum:%s", o->store);
}

int tlog_checkpoint(store *st, const tlog_origin *o, store_chain chain, int64_t size, json_t **out, pactum_error *err) {
  *out = NULL;
  int64_t length;
  int rc = resolve_size(st, chain, &size, &length, err);
  if (rc) return rc;
  uint8_t root[HASH_BYTES], head[HASH_BYTES];
  if ((rc = tlog_root(st, chain, size, root, err)) || (rc = head_at(st, chain, o, size, head, err))) return rc;
  char origin[SIGN_STORE_HEX + 8];
  origin_name(o, origin);
  json_t *cp = json_pack("{s:s, s:o, s:s, s:I, s:o, s:o}", "origin", origin, "agreement", hex_json(o->agreement), "chain",
                         store_chain_name(chain), "size", (json_int_t)size, "root", hex_json(root), "head", hex_json(head));
  if (!cp) return oom(err);
  *out = cp;
  return 0;
}

/* A member of cp that must be 64 hex digits. */
static int hex_member(const json_t *cp, const char *key, uint8_t out[HASH_BYTES], pactum_error *err) {
  const char *v = json_string_value(json_object_get(cp, key));
  if (!v || canon_unhex(v, out, HASH_BYTES))
    return fail(err, "bad_checkpoint", "the checkpoint's '%s' must be 64 hex digits", key);
  return 0;
}

int tlog_check_checkpoint(store *st, const tlog_origin *o, const json_t *cp, tlog_check *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  if (!json_is_object(cp)) return fail(err, "bad_checkpoint", "a checkpoint is a JSON object");
  static const char *const keys[] = {"origin", "agreement", "chain", "size", "root", "head", "signatures"};
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)cp, k, v) {
    size_t i = 0;
    while (i < sizeof keys / sizeof keys[0] && strcmp(keys[i], k)) i++;
    if (i == sizeof keys / sizeof keys[0]) return fail(err, "bad_checkpoint", "unknown member '%.64s' of a checkpoint", k);
  }
  int chain = tlog_chain_of(cp);
  if (chain < 0) return fail(err, "bad_checkpoint", "the checkpoint's 'chain' must be \"events\" or \"decisions\"");
  json_t *sz = json_object_get(cp, "size");
  if (!json_is_integer(sz) || json_integer_value(sz) < 0)
    return fail(err, "bad_checkpoint", "the checkpoint's 'size' must be a whole number");
  uint8_t agreement[HASH_BYTES], root[HASH_BYTES], head[HASH_BYTES];
  int rc;
  if ((rc = hex_member(cp, "agreement", agreement, err)) || (rc = hex_member(cp, "root", root, err)) ||
      (rc = hex_member(cp, "head", head, err)))
    return rc;
  const char *origin = json_string_value(json_object_get(cp, "origin"));
  if (!origin) return fail(err, "bad_checkpoint", "the checkpoint has no 'origin'");
  out->size = json_integer_value(sz);
  if ((rc = store_max_seq(st, (store_chain)chain, &out->current, err))) return rc;
  char mine[SIGN_STORE_HEX + 8];
  origin_name(o, mine);
  if (strcmp(origin, mine) || memcmp(agreement, o->agreement, HASH_BYTES)) {
    snprintf(out->reason, sizeof out->reason, "the checkpoint is of another store or agreement ('%.80s', not '%s')",
             origin, mine);
    return 0;
  }
  if (out->size > out->current) {
    snprintf(out->reason, sizeof out->reason,
             "the %s log was cut: the checkpoint covers %lld records, the store holds %lld",
             store_chain_name((store_chain)chain), (long long)out->size, (long long)out->current);
    return 0;
  }
  uint8_t mroot[HASH_BYTES], mhead[HASH_BYTES];
  if ((rc = tlog_root(st, (store_chain)chain, out->size, mroot, err)) ||
      (rc = head_at(st, (store_chain)chain, o, out->size, mhead, err)))
    return rc;
  if (memcmp(mroot, root, HASH_BYTES) || memcmp(mhead, head, HASH_BYTES)) {
    snprintf(out->reason, sizeof out->reason,
             "the %s log was rewritten: its first %lld records are not those the checkpoint signed",
             store_chain_name((store_chain)chain), (long long)out->size);
    return 0;
  }
  out->ok = 1;
  return 0;
}
