/*
** record.c: the agreement's record (see record.h): the chain folded into a timeline, a keyring
** and the nonces seen, with every link, Merkle node and rule checked on the way; validated,
** signed, all-or-nothing appends; the store's settings held in its own chain.
*/
#include "record.h"
#include "alloc.h"
#include "error.h"
#include "date.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "banned.h"

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

static int oom(pactum_error *err) { return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory"); }

static const char *const OWN_TYPES[] = {"store_created", "store_upgraded", "settings_changed", "key_registered",
                                        "key_revoked"};
enum { OWN_CREATED, OWN_UPGRADED, OWN_SETTINGS, OWN_KEY, OWN_REVOKE, NOWN };

/* The record-level type of name, or -1 for an agreement event (or no type). */
static int own_type(const char *name, size_t len) {
  for (int i = 0; i < NOWN; i++)
    if (strlen(OWN_TYPES[i]) == len && memcmp(OWN_TYPES[i], name, len) == 0) return i;
  return -1;
}

int record_type_is_own(const char *type, size_t len) { return type && own_type(type, len) >= 0; }

const char *record_store_id(const record *r) { return r->scope.store; }

/* The date of an event object, for the order shared by every dated record. */
static int event_day(const json_t *ev, int32_t *day, pactum_error *err) {
  json_t *d = json_object_get(ev, "date");
  if (!d) return fail(err, "missing_field", "the event has no 'date'");
  if (!json_is_string(d)) return fail(err, "bad_date", "the event's 'date' must be a string, a real day (YYYY-MM-DD)");
  if (date_parse(json_string_value(d), json_string_length(d), day))
    return fail(err, "bad_date", "the event's 'date' '%.40s' is not a real day (YYYY-MM-DD)", json_string_value(d));
  return 0;
}

static int in_date_order(record *r, int32_t day, pactum_error *err) {
  if (day >= r->last_day) return 0;
  char last[11];
  date_format(r->last_day, last);
  return fail(err, "out_of_order", "this event is dated before the previous one (%s); events must be in date order",
              last);
}

/* ---- Settings ----------------------------------------------------------------------------- */

/* Read "require_signatures" and "bootstrap" of a settings record into *set (members absent keep *set). */
static int parse_settings(const json_t *ev, record_settings *set, pactum_error *err) {
  json_t *rs = json_object_get(ev, "require_signatures");
  if (rs) {
    if (!json_is_boolean(rs)) return fail(err, "wrong_type", "'require_signatures' must be true or false");
    set->require_signatures = json_is_true(rs);
  }
  json_t *b = json_object_get(ev, "bootstrap");
  if (!b) return 0;
  if (json_is_null(b)) {
    memset(&set->boot, 0, sizeof set->boot);
    return 0;
  }
  json_t *keys = json_object_get(b, "keys"), *th = json_object_get(b, "threshold");
  if (!json_is_object(b) || json_object_size(b) != 2 || !json_is_array(keys) || !json_is_integer(th))
    return fail(err, "wrong_type", "'bootstrap' must be {\"keys\": [public keys], \"threshold\": k}");
  size_t n = json_array_size(keys);
  if (n == 0 || n > SIGN_MAX_BOOT)
    return fail(err, "bad_key", "'bootstrap' holds %zu keys; it holds 1 to %d", n, SIGN_MAX_BOOT);
  json_int_t k = json_integer_value(th);
  if (k < 1 || (size_t)k > n)
    return fail(err, "bad_key", "the bootstrap threshold is %lld; it is 1 to the number of keys (%zu)", (long long)k, n);
  sign_bootstrap boot;
  memset(&boot, 0, sizeof boot);
  for (size_t i = 0; i < n; i++) {
    const char *b64 = json_string_value(json_array_get(keys, i));
    size_t got = 0;
    if (!b64 || sign_b64_decode(b64, boot.keys[i], SIGN_PK_BYTES, &got) || got != SIGN_PK_BYTES)
      return fail(err, "bad_key", "bootstrap key %zu is not %d bytes of base64", i + 1, SIGN_PK_BYTES);
    for (size_t j = 0; j < i; j++)
      if (!memcmp(boot.keys[j], boot.keys[i], SIGN_PK_BYTES))
        return fail(err, "bad_key", "bootstrap key %zu is given twice", i + 1);
  }
  boot.n = (int)n;
  boot.threshold = (int)k;
  set->boot = boot;
  return 0;
}

/* The settings as JSON members of obj. */
static int put_settings(json_t *obj, const record_settings *set) {
  if (json_object_set_new(obj, "require_signatures", json_boolean(set->require_signatures))) return -1;
  if (set->boot.n == 0) return 0;
  json_t *keys = json_array();
  for (int i = 0; keys && i < set->boot.n; i++) {
    char b64[64];
    sign_b64_encode(set->boot.keys[i], SIGN_PK_BYTES, b64, sizeof b64);
    if (json_array_append_new(keys, json_string(b64))) {
      json_decref(keys);
      return -1;
    }
  }
  json_t *b = keys ? json_pack("{s:o, s:i}", "keys", keys, "threshold", set->boot.threshold) : NULL;
  return b ? json_object_set_new(obj, "bootstrap", b) : -1;
}

/* A store id: 32 lowercase hex digits. */
static int store_id_ok(const char *s) {
  if (!s || strlen(s) != SIGN_STORE_HEX - 1) return 0;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

/*
** The chain's settings record: store_created (record 1) or store_upgraded (a schema-2 store).
** It must name this agreement and a store id, and sets the store's settings.
*/
static int fold_settings_record(record *r, const json_t *ev, int kind, int64_t seq, pactum_error *err) {
  if (r->have_settings)
    return fail(err, "store_corrupt", "a second '%s' record: the store's settings are set once, by its first record",
                OWN_TYPES[kind]);
  if (kind == OWN_CREATED && seq != 1)
    return fail(err, "store_corrupt", "'store_created' must be the chain's first record");
  if (kind == OWN_UPGRADED && seq != r->settings_seq)
    return fail(err, "store_corrupt", "'store_upgraded' at seq %lld, where the store says it is at %lld",
                (long long)seq, (long long)r->settings_seq);
  json_t *ag = json_object_get(ev, "agreement");
  const char *hash = json_string_value(json_object_get(ag, "hash"));
  char mine[HASH_HEX];
  canon_hex(r->agr_hash, HASH_BYTES, mine);
  if (!hash || strcmp(hash, mine) != 0)
    return fail(err, "wrong_agreement", "the store was made for another agreement (source hash %.16s…), not '%s' %s",
                hash ? hash : "none", r->agr->id, r->agr->version);
  const char *id = json_string_value(json_object_get(ev, "store"));
  if (!store_id_ok(id)) return fail(err, "store_corrupt", "the settings record names no store id (32 hex digits)");
  record_settings set;
  memset(&set, 0, sizeof set);
  if (!json_object_get(ev, "require_signatures"))
    return fail(err, "store_corrupt", "the settings record does not say whether signatures are required");
  int rc = parse_settings(ev, &set, err);
  if (rc) return rc;
  r->set = set;
  memcpy(r->scope.store, id, SIGN_STORE_HEX);
  r->have_settings = 1;
  r->settings_seq = seq;
  return 0;
}

/* settings_changed: signed by the bootstrap quorum of the settings in force. */
static int fold_settings_change(record *r, const json_t *ev, pactum_error *err) {
  static const char *const allowed[] = {"type", "date", "nonce", "signatures", "require_signatures", "bootstrap"};
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)ev, k, v) {
    size_t i = 0;
    while (i < sizeof allowed / sizeof allowed[0] && strcmp(allowed[i], k)) i++;
    if (i == sizeof allowed / sizeof allowed[0])
      return fail(err, "unknown_field", "unknown field '%.64s' of 'settings_changed' (it changes require_signatures "
                  "and bootstrap)", k);
  }
  record_settings set = r->set;
  int rc = parse_settings(ev, &set, err);
  if (rc) return rc;
  sign_check c;
  if ((rc = sign_verify_event(ev, &r->scope, r->kr, &r->set.boot, NULL, NULL, &c, err))) return rc;
  if (r->set.boot.n == 0)
    return fail(err, "no_bootstrap", "changing the store's settings needs its bootstrap keys, and the store has none");
  if (c.nboot < r->set.boot.threshold)
    return fail(err, c.nsigs ? "no_quorum" : "unsigned",
                "changing the store's settings must be signed by %d of the %d bootstrap keys; %d signed",
                r->set.boot.threshold, r->set.boot.n, c.nboot);
  r->set = set;
  return 0;
}

/* ---- Folding one event ---------------------------------------------------------------------- */

/* The distinct names of a "recorded_by" array, checked: each a party or BODY.MEMBER of agr. */
static int read_recorded_by(const pactum_agreement *agr, const json_t *rb, signer_set *out, pactum_error *err) {
  if (!json_is_array(rb) || json_array_size(rb) == 0)
    return fail(err, "wrong_type", "'recorded_by' must be a non-empty array of signer names");
  size_t i;
  json_t *x;
  json_array_foreach(rb, i, x) {
    const char *name = json_string_value(x);
    if (!name || !sign_signer_known(agr, name))
      return fail(err, "unknown_signer", "'recorded_by' names '%.64s', neither a party nor a member of a body",
                  name ? name : "(not a string)");
    if (signer_set_add(out, name)) return fail(err, "too_many_signatures", "'recorded_by' names more than 16 signers");
  }
  return 0;
}

/* 1 if ev carries signatures (which then need a nonce). */
static int has_signatures(const json_t *ev) { return json_array_size(json_object_get(ev, "signatures")) > 0; }

/* A nonce, if the event has one: well formed and never seen in this store. */
static int check_nonce(record *r, const json_t *ev, int signed_event, pactum_error *err) {
  json_t *nv = json_object_get(ev, "nonce");
  if (!nv) {
    if (signed_event && !r->scope.legacy) return fail(err, "missing_nonce", "a signed event must carry a 'nonce'");
    return 0;
  }
  if (!json_is_string(nv) || !sign_nonce_ok(json_string_value(nv), json_string_length(nv)))
    return fail(err, "bad_nonce", "'nonce' must be a string of %d to %d letters, digits, '_' or '-'", SIGN_NONCE_MIN,
                SIGN_NONCE_MAX);
  int rc = nonces_add(r->seen, json_string_value(nv), json_string_length(nv));
  if (rc < 0) return oom(err);
  if (rc > 0)
    return fail(err, "replayed",
                "this event's nonce '%.64s' is already in the record: the same signed event cannot be recorded twice",
                json_string_value(nv));
  return 0;
}

/*
** Validate one agreement event at seq against the record's state and fold it in. Who recorded
** it is its verified signers and its "recorded_by" (the signers a server authenticated). In a
** store that requires signatures the signers alone must satisfy the event type's recorders;
** otherwise, when anyone is named at all, everyone named together must.
*/
/* The recorders mask of who for the timeline (event_meta.recorders). */
static uint64_t recorders_of(const pactum_agreement *agr, const signer_set *who) {
  const char *names[16];
  for (int i = 0; i < who->n; i++) names[i] = who->names[i];
  return timeline_recorders(agr, names, who->n);
}

static int fold_agreement_event(record *r, json_t *ev, const char *type, int32_t day, int64_t seq, pactum_error *err) {
  int ei = agreement_find_event(r->agr, type, strlen(type));
  if (ei < 0) return fail(err, "unknown_event", "unknown event type '%.64s'", type);
  sign_check c;
  int rc = sign_verify_event(ev, &r->scope, r->kr, NULL, NULL, NULL, &c, err);
  if (rc) return rc;
  if ((rc = check_nonce(r, ev, c.nsigs > 0, err))) return rc;
  signer_set who = c.signers;
  json_t *rb = json_object_get(ev, "recorded_by");
  if (rb && (rc = read_recorded_by(r->agr, rb, &who, err))) return rc;
  if (r->set.require_signatures) {
    if ((rc = sign_authorize(r->agr, ei, &c.signers, err))) return rc;
  } else if (who.n > 0 && (rc = sign_authorize(r->agr, ei, &who, err))) {
    return rc;
  }
  event_meta meta = {seq, recorders_of(r->agr, &who)};
  if ((rc = timeline_append(r->tl, ev, &meta, err))) return rc;
  r->last_day = day;
  return 0;
}

/* Validate and fold the parsed record ev at seq (a stored one, or one being added). */
static int fold_event(record *r, json_t *ev, int64_t seq, pactum_error *err) {
  if (!json_is_object(ev)) return fail(err, "wrong_type", "an event must be a JSON object");
  json_t *tv = json_object_get(ev, "type");
  if (!json_is_string(tv)) return fail(err, tv ? "wrong_type" : "missing_field", "the event's 'type' must be a string");
  const char *type = json_string_value(tv);
  int kind = own_type(type, json_string_length(tv));
  r->scope.legacy = seq < r->settings_seq;
  if (kind == OWN_CREATED || kind == OWN_UPGRADED) return fold_settings_record(r, ev, kind, seq, err);
  if (!r->have_settings && !r->scope.legacy)
    return fail(err, "store_corrupt", "the chain does not begin with its settings record ('store_created')");
  int32_t day;
  int rc = event_day(ev, &day, err);
  if (rc || (rc = in_date_order(r, day, err))) return rc;
  switch (kind) {
  case OWN_SETTINGS:
    /* Signed by the bootstrap quorum, it is replayable like any signed event: once per store. */
    if (!(rc = check_nonce(r, ev, has_signatures(ev), err))) rc = fold_settings_change(r, ev, err);
    break;
  case OWN_KEY:
  case OWN_REVOKE: {
    if ((rc = check_nonce(r, ev, has_signatures(ev), err))) break;
    rc = kind == OWN_KEY ? sign_register_key(r->agr, ev, &r->scope, r->kr, &r->set.boot, seq, err)
                         : sign_revoke_key(r->agr, ev, &r->scope, r->kr, &r->set.boot, seq, err);
    if (!rc) r->nkeys++;
    break;
  }
  default:
    return fold_agreement_event(r, ev, type, day, seq, err);
  }
  if (!rc) r->last_day = day;
  return rc;
}

/*
** The fast path of the fold for a plain stored event: an agreement event with no signatures,
** nonce or recorded_by, decoded without a tree. 1 when it does not apply (use the slow path).
*/
static int fold_plain(record *r, const store_record *rec, pactum_error *err) {
  if (r->set.require_signatures || !r->have_settings) return 1;
  flat_event e;
  char pool[4096];
  if (flat_decode(rec->json, rec->len, &e, pool, sizeof pool)) return 1;
  const flat_value *type = NULL, *date = NULL;
  for (int i = 0; i < e.n; i++) {
    const flat_value *v = &e.v[i];
    if (v->klen == 4 && !memcmp(v->key, "type", 4)) type = v;
    else if (v->klen == 4 && !memcmp(v->key, "date", 4)) date = v;
    else if ((v->klen == 10 && !memcmp(v->key, "signatures", 10)) || (v->klen == 5 && !memcmp(v->key, "nonce", 5)) ||
             (v->klen == 11 && !memcmp(v->key, "recorded_by", 11)))
      return 1;
  }
  int32_t day;
  if (!type || type->kind != FV_STRING || own_type(type->s, type->slen) >= 0 || !date || date->kind != FV_STRING ||
      date_parse(date->s, date->slen, &day) || day < r->last_day)
    return 1;
  event_meta meta = {rec->seq, 0};
  int rc = timeline_apply(r->tl, &e, &meta, err);
  if (!rc) r->last_day = day;
  return rc;
}

/* ---- Folding the chain ----------------------------------------------------------------------- */

typedef struct load_ctx {
  record *r;
  pactum_error *err;
  int rc;
  int links_failed;
} load_ctx;

/*
** Check that rec continues the chain folded so far: its seq is the next, its prev_hash is the
** last record's hash, its hash is its own, and its Merkle nodes are those the tree computes.
** On success *tip is the tip after rec.
*/
static int check_links(record *r, const store_record *rec, store_tip *tip, pactum_error *err) {
  long long seq = (long long)rec->seq;
  if (rec->seq != r->tip.seq + 1)
    return fail(err, "store_corrupt", "record %lld is missing: the chain jumps from %lld to %lld",
                (long long)r->tip.seq + 1, (long long)r->tip.seq, seq);
  /* Compared as text, as stored: hex is written in lowercase only, so equal hashes are equal text.
     The last record's hash in hex was made when that record was checked. */
  uint8_t mine[HASH_BYTES];
  if (!r->tip_hex_ok) {
    canon_hex(r->tip.hash, HASH_BYTES, r->tip_hex);
    r->tip_hex_ok = 1;
  }
  if (!rec->prev_hex || strcmp(rec->prev_hex, r->tip_hex))
    return fail(err, "store_corrupt", "record %lld does not follow record %lld: its prev_hash is not that record's hash",
                seq, seq - 1);
  canon_chain_hash(rec->seq, r->tip.hash, rec->json, rec->len, mine);
  char hex[HASH_HEX];
  canon_hex(mine, HASH_BYTES, hex);
  if (!rec->hash_hex || strcmp(rec->hash_hex, hex))
    return fail(err, "store_corrupt", "record %lld was altered: its content does not match its hash", seq);
  *tip = r->tip;
  tip->seq = rec->seq;
  memcpy(tip->hash, mine, HASH_BYTES);
  memcpy(r->next_hex, hex, HASH_HEX); /* becomes tip_hex when the record is folded */
  if (!r->tree_checked) return 0; /* the frontier is read from the store when the fold ends */
  uint8_t leaf[MERKLE_HASH], made[MERKLE_MAX_LEVELS][MERKLE_HASH];
  merkle_leaf_hash(mine, HASH_BYTES, leaf);
  int k = merkle_frontier_push(&tip->tree, leaf, made);
  if (rec->tree_len != (size_t)k * MERKLE_HASH || (k && memcmp(rec->tree, made, rec->tree_len)))
    return fail(err, "store_corrupt", "record %lld's Merkle tree nodes are not those of the chain", seq);
  return 0;
}

/* Fold one stored record, its links first (*links_failed says which failed). */
static int fold_stored(record *r, const store_record *rec, int *links_failed, pactum_error *err) {
  store_tip tip;
  int rc = check_links(r, rec, &tip, err);
  *links_failed = rc != 0;
  if (rc) return rc;
  rc = fold_plain(r, rec, err);
  if (rc == 1) {
    json_error_t je;
    long failures = px_alloc_failures();
    json_t *ev = json_loadb(rec->json, rec->len, JSON_REJECT_DUPLICATES, &je);
    rc = ev ? fold_event(r, ev, rec->seq, err)
       : px_alloc_failures() != failures ? error_json(err, &je, failures)
                                         : fail(err, "store_corrupt", "not JSON");
    json_decref(ev);
  }
  if (!rc) {
    r->tip = tip;
    memcpy(r->tip_hex, r->next_hex, HASH_HEX);
    r->tip_hex_ok = 1;
  }
  return rc;
}

static int load_one(void *ctx, const store_record *rec) {
  load_ctx *lc = ctx;
  int rc = fold_stored(lc->r, rec, &lc->links_failed, lc->err);
  if (rc == PACTUM_ENOMEM) {
    lc->rc = rc;
    return 1;
  }
  if (rc) {
    /* A broken link names its seq already; a record that does not fold is named here. The
       agreement a store was made for is reported as such. */
    if (strcmp(lc->err->code, "wrong_agreement") && !lc->links_failed) {
      char why[sizeof lc->err->message];
      snprintf(why, sizeof why, "%s", lc->err->message);
      fail(lc->err, "store_corrupt", "stored event seq %lld does not fold: %s", (long long)rec->seq, why);
    }
    lc->rc = PACTUM_EINPUT;
    return 1;
  }
  return 0;
}

/*
** Fold the records appended since r->tip.seq (by this process or another). Without tree_checked
** the Merkle frontier is then read from the nodes stored for the tree of the new size (O(log n)
** reads): what appends continue from, trusted here and checked by audit verify.
*/
static int catch_up(record *r, pactum_error *err) {
  load_ctx lc = {r, err, 0, 0};
  int64_t version, before = r->tip.seq;
  int rc = store_data_version(r->st, &version, err);
  if (rc) return rc;
  rc = store_scan(r->st, CHAIN_EVENTS, r->tip.seq, load_one, &lc, err);
  if (lc.rc) return lc.rc;
  if (rc) return rc;
  if (!r->tree_checked && r->tip.seq != before) {
    store_node_ctx c = {r->st, CHAIN_EVENTS, err};
    if ((rc = store_frontier_load(&c, r->tip.seq, &r->tip.tree))) return rc;
  }
  r->data_version = version;
  return 0;
}

static void mark_take(const record *r, record_mark *m) {
  m->tl_n = r->tl->n;
  m->kr = keyring_mark(r->kr);
  m->seen = nonces_mark(r->seen);
  m->tip = r->tip;
  m->last_day = r->last_day;
  m->set = r->set;
  m->have_settings = r->have_settings;
  m->nkeys = r->nkeys;
}

static void mark_restore(record *r, const record_mark *m) {
  timeline_truncate(r->tl, m->tl_n, m->tip.seq);
  keyring_undo(r->kr, m->kr);
  nonces_undo(r->seen, m->seen);
  r->tip = m->tip;
  r->tip_hex_ok = 0;
  r->last_day = m->last_day;
  r->set = m->set;
  r->have_settings = m->have_settings;
  r->nkeys = m->nkeys;
}

/* Forget the undo logs: what was folded is now the record's for good. */
static void settle(record *r) {
  keyring_settle(r->kr);
  nonces_settle(r->seen);
}

static int preload_settings(record *r, pactum_error *err);

/*
** Fold the whole store again into a new timeline, keyring and nonce set (at open, and when a
** refused batch could not be undone). On failure r is left exactly as it was.
*/
static int refold(record *r, pactum_error *err) {
  record saved = *r;
  r->tl = pactum_timeline_new(r->agr);
  r->kr = keyring_new();
  r->seen = nonces_new();
  store_tip_init(&r->tip, r->agr_hash);
  r->tip_hex_ok = 0;
  r->last_day = INT32_MIN;
  r->nkeys = 0;
  r->have_settings = 0;
  memset(&r->set, 0, sizeof r->set);
  int rc = !r->tl || !r->kr || !r->seen ? oom(err) : 0;
  if (!rc && r->settings_seq > 1) rc = preload_settings(r, err); /* the settings of the records before */
  if (!rc) rc = catch_up(r, err);
  if (rc) {
    pactum_timeline_free(r->tl);
    keyring_free(r->kr);
    nonces_free(r->seen);
    *r = saved;
    return rc;
  }
  settle(r);
  pactum_timeline_free(saved.tl);
  keyring_free(saved.kr);
  nonces_free(saved.seen);
  r->stale = 0;
  return 0;
}

/* ---- Creating and upgrading a store's settings ------------------------------------------------ */

/* The current time as "YYYY-MM-DDTHH:MM:SSZ". */
static void utc_now(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The settings record of kind for this agreement and settings: canonical JSON (px_free). */
static char *settings_record(const record *r, int kind, const record_settings *set, size_t *len) {
  uint8_t id[16];
  char idhex[SIGN_STORE_HEX], ahex[HASH_HEX], now[32];
  randombytes_buf(id, sizeof id);
  canon_hex(id, sizeof id, idhex);
  canon_hex(r->agr_hash, HASH_BYTES, ahex);
  utc_now(now);
  json_t *o = json_pack("{s:s, s:{s:s, s:s, s:s}, s:s, s:s}", "type", OWN_TYPES[kind], "agreement", "hash", ahex, "id",
                        r->agr->id, "version", r->agr->version, "store", idhex, kind == OWN_CREATED ? "created" : "upgraded",
                        now);
  char *text = NULL;
  if (o && !put_settings(o, set)) text = canon_json(o, len);
  json_decref(o);
  return text;
}

/* The settings a schema-2 store kept in meta: require_signatures and one bootstrap key. */
static int legacy_settings(record *r, record_settings *set, int *found, pactum_error *err) {
  memset(set, 0, sizeof *set);
  char *v = NULL;
  int rc = store_meta_get(r->st, "require_signatures", &v, err);
  if (rc) return rc;
  *found = v != NULL;
  set->require_signatures = v && strcmp(v, "1") == 0;
  px_free(v);
  if ((rc = store_meta_get(r->st, "bootstrap_key", &v, err))) return rc;
  size_t n = 0;
  if (v && !sign_b64_decode(v, set->boot.keys[0], SIGN_PK_BYTES, &n) && n == SIGN_PK_BYTES) {
    set->boot.n = 1;
    set->boot.threshold = 1;
  }
  px_free(v);
  return 0;
}

/*
** Make sure the chain holds its settings record, under the write lock. A new store gets
** store_created with init's settings; a schema-2 store gets its meta settings committed in the
** chain (store_created when it holds no record yet, else store_upgraded after its records) and
** those meta keys removed. Returns 0 with nothing to do when another process got there first.
*/
static int settle_settings(record *r, const record_init *init, pactum_error *err) {
  int rc = store_begin(r->st, err);
  if (rc) return rc;
  char *v = NULL, hex[HASH_HEX];
  canon_hex(r->agr_hash, HASH_BYTES, hex);
  store_tip tip;
  char *text = NULL;
  size_t len = 0;
  if ((rc = store_meta_get(r->st, "agreement_hash", &v, err))) goto done;
  if (v && strcmp(v, hex) != 0) {
    rc = fail(err, "wrong_agreement", "the store belongs to another agreement (source hash %.16s…), not '%s' %s (%.16s…)",
              v, r->agr->id, r->agr->version, hex);
    goto done;
  }
  if ((rc = store_tip_load(r->st, CHAIN_EVENTS, r->agr_hash, &tip, err))) goto done;
  record_settings set;
  int legacy = 0;
  if ((rc = legacy_settings(r, &set, &legacy, err))) goto done;
  char *at = NULL;
  if ((rc = store_meta_get(r->st, "settings_seq", &at, err))) goto done;
  int settled = at != NULL;
  px_free(at);
  if (settled || (tip.seq > 0 && !legacy)) goto done; /* made already, or not ours to mend */
  if (!v && !init) {
    rc = error_set(err, PACTUM_EIO, "store", "the store records no agreement");
    goto done;
  }
  if (!legacy) {
    memset(&set, 0, sizeof set);
    set.require_signatures = init->require_signatures;
    for (int i = 0; i < init->nbootstrap && i < SIGN_MAX_BOOT; i++)
      memcpy(set.boot.keys[i], init->bootstrap[i], SIGN_PK_BYTES);
    set.boot.n = init->nbootstrap < SIGN_MAX_BOOT ? init->nbootstrap : SIGN_MAX_BOOT;
    set.boot.threshold = set.boot.n ? (init->threshold > 0 ? init->threshold : 1) : 0;
  }
  int kind = tip.seq == 0 ? OWN_CREATED : OWN_UPGRADED;
  if (!(text = settings_record(r, kind, &set, &len))) {
    rc = oom(err);
    goto done;
  }
  char seqtext[24];
  snprintf(seqtext, sizeof seqtext, "%lld", (long long)tip.seq + 1);
  if ((rc = store_append(r->st, CHAIN_EVENTS, &tip, text, len, err)) ||
      (rc = store_meta_set(r->st, "agreement_hash", hex, err)) ||
      (rc = store_meta_set(r->st, "agreement", r->agr->id, err)) ||
      (rc = store_meta_set(r->st, "settings_seq", seqtext, err)) ||
      (rc = store_meta_del(r->st, "require_signatures", err)) || (rc = store_meta_del(r->st, "bootstrap_key", err)))
    goto done;
  rc = store_commit(r->st, err);
  px_free(v);
  px_free(text);
  return rc;
done:
  store_rollback(r->st);
  px_free(v);
  px_free(text);
  return rc;
}

/*
** Refuse a store made for another agreement before reading its chain (the fold checks the
** chain's own settings record too). *settled says whether the settings record exists already.
*/
static int check_agreement(record *r, int *settled, pactum_error *err) {
  char *v = NULL, hex[HASH_HEX];
  canon_hex(r->agr_hash, HASH_BYTES, hex);
  int rc = store_meta_get(r->st, "agreement_hash", &v, err);
  if (rc) return rc;
  if (v && strcmp(v, hex) != 0) {
    char got[HASH_HEX + 1];
    snprintf(got, sizeof got, "%s", v);
    px_free(v);
    return fail(err, "wrong_agreement", "the store belongs to another agreement (source hash %.16s…), not '%s' %s (%.16s…)",
                got, r->agr->id, r->agr->version, hex);
  }
  px_free(v);
  if ((rc = store_meta_get(r->st, "settings_seq", &v, err))) return rc;
  *settled = v != NULL;
  px_free(v);
  return 0;
}

/* Where the settings record is: meta's settings_seq (checked by the fold), 1 by default. */
static int read_settings_seq(record *r, pactum_error *err) {
  char *v = NULL;
  int rc = store_meta_get(r->st, "settings_seq", &v, err);
  if (rc) return rc;
  long long seq = v ? strtoll(v, NULL, 10) : 1;
  px_free(v);
  if (seq < 1) return fail(err, "store_corrupt", "the store's settings_seq is not a seq");
  r->settings_seq = seq;
  return 0;
}

int record_open(const pactum_agreement *agr, const char *path, int create, const record_init *init, record **out,
                pactum_error *err) {
  return record_open_ex(agr, path, create, init, 0, out, err);
}

int record_open_ex(const pactum_agreement *agr, const char *path, int create, const record_init *init, unsigned flags,
                   record **out, pactum_error *err) {
  *out = NULL;
  if (sign_init()) return fail(err, "internal", "libsodium could not start");
  record *r = px_calloc(1, sizeof *r);
  if (!r) return oom(err);
  r->agr = agr;
  r->tree_checked = (flags & RECORD_CHECK_TREE) != 0;
  canon_agreement_hash(agr->src, agr->src_len, r->agr_hash);
  memcpy(r->scope.agreement, r->agr_hash, HASH_BYTES);
  static const record_init none = {0, 0, NULL, 0};
  int rc = store_open(path, create, &r->st, err);
  int settled = 0;
  if (!rc) rc = check_agreement(r, &settled, err);
  if (!rc && !settled) rc = settle_settings(r, create ? (init ? init : &none) : NULL, err);
  if (!rc) rc = read_settings_seq(r, err);
  if (!rc) rc = refold(r, err);
  if (rc) {
    record_free(r);
    return rc;
  }
  *out = r;
  return PACTUM_OK;
}

typedef struct preload_ctx {
  record *r;
  pactum_error *err;
  int rc, found;
} preload_ctx;

static int preload_one(void *ctx, const store_record *rec) {
  preload_ctx *p = ctx;
  json_t *ev = json_loadb(rec->json, rec->len, 0, NULL);
  const char *type = json_string_value(json_object_get(ev, "type"));
  p->found = 1;
  if (!type || strcmp(type, "store_upgraded")) {
    p->rc = fail(p->err, "store_corrupt", "record %lld is not the store's 'store_upgraded' record", (long long)rec->seq);
  } else {
    record_settings set;
    memset(&set, 0, sizeof set);
    p->rc = parse_settings(ev, &set, p->err);
    if (!p->rc) p->r->set = set;
  }
  json_decref(ev);
  return 1;
}

static int preload_settings(record *r, pactum_error *err) {
  preload_ctx p = {r, err, 0, 0};
  int rc = store_scan_range(r->st, CHAIN_EVENTS, r->settings_seq - 1, r->settings_seq, preload_one, &p, err);
  if (rc < 0) return rc;
  if (p.rc) return p.rc;
  if (!p.found) return fail(err, "store_corrupt", "the store's settings record (seq %lld) is missing", (long long)r->settings_seq);
  return 0;
}

void record_free(record *r) {
  if (!r) return;
  store_close(r->st);
  pactum_timeline_free(r->tl);
  keyring_free(r->kr);
  nonces_free(r->seen);
  px_free(r);
}

int record_refresh(record *r, int *changed, pactum_error *err) {
  if (changed) *changed = 0;
  int64_t version;
  int rc = store_data_version(r->st, &version, err);
  if (rc || version == r->data_version) return rc;
  int64_t before = r->tip.seq;
  if (r->stale) rc = refold(r, err);
  else {
    record_mark m;
    mark_take(r, &m);
    rc = catch_up(r, err);
    if (rc) mark_restore(r, &m);
    else settle(r);
  }
  if (!rc && changed) *changed = r->tip.seq != before;
  return rc;
}

/* ---- Adding ---------------------------------------------------------------------------------------- */

/* Write the caller's names into ev as its recorded_by, sorted. */
static int set_recorded_by(const record *r, json_t *ev, const record_caller *caller, pactum_error *err) {
  signer_set who;
  memset(&who, 0, sizeof who);
  for (int i = 0; i < caller->nnames; i++) {
    if (!sign_signer_known(r->agr, caller->names[i]))
      return fail(err, "unknown_signer", "'%.64s' is neither a party nor a member of a body", caller->names[i]);
    if (signer_set_add(&who, caller->names[i])) return fail(err, "too_many_signatures", "more than 16 recorders");
  }
  qsort(who.names, (size_t)who.n, sizeof who.names[0], (int (*)(const void *, const void *))strcmp);
  json_t *arr = json_array();
  for (int i = 0; arr && i < who.n; i++)
    if (json_array_append_new(arr, json_string(who.names[i]))) {
      json_decref(arr);
      arr = NULL;
    }
  if (!arr || json_object_set_new(ev, "recorded_by", arr)) return oom(err);
  return 0;
}

/*
** Parse text into an event ready to fold: repeated keys refused, "recorded_by" as the caller
** allows, signed by signers. *out is the caller's.
*/
static int prepare_event(record *r, const char *text, size_t len, const sign_key *signers, int nsigners,
                         const record_caller *caller, json_t **out, pactum_error *err) {
  *out = NULL;
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *ev = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!ev) return error_json(err, &je, failures);
  int rc = 0;
  const char *type = json_string_value(json_object_get(ev, "type"));
  int own = type && own_type(type, strlen(type)) >= 0;
  if (json_is_object(ev) && json_object_get(ev, "recorded_by") && !(caller && caller->keep_recorded_by))
    rc = fail(err, "reserved_field",
              "'recorded_by' is written by the server that authenticated the recorders; an event may not bring its own");
  if (!rc && json_is_object(ev) && type && (!strcmp(type, "store_created") || !strcmp(type, "store_upgraded")))
    rc = fail(err, "not_allowed", "'%s' is written once, when the store is made", type);
  for (int k = 0; k < nsigners && !rc; k++) rc = sign_event(ev, &r->scope, &signers[k], err);
  if (!rc && caller && caller->nnames > 0 && !own && json_is_object(ev)) rc = set_recorded_by(r, ev, caller, err);
  if (rc) {
    json_decref(ev);
    return rc;
  }
  *out = ev;
  return 0;
}

/* Canonical text of ev, or NULL with *rc and err set. */
static char *canonical(json_t *ev, size_t *len, int *rc, pactum_error *err) {
  char *canon = canon_json(ev, len);
  if (!canon)
    *rc = canon_has_real(ev)
              ? fail(err, "wrong_type", "the event holds a number with a fraction or exponent; amounts are whole numbers")
              : oom(err);
  return canon;
}

int record_begin(record *r, pactum_error *err) {
  int rc;
  if (r->stale && (rc = refold(r, err))) return rc;
  if ((rc = store_begin(r->st, err))) return rc;
  record_mark before;
  mark_take(r, &before);
  if ((rc = catch_up(r, err))) {
    mark_restore(r, &before);
    store_rollback(r->st);
    return rc;
  }
  settle(r);
  mark_take(r, &r->batch);
  return 0;
}

int record_append(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
                  int nsigners, const record_caller *caller, size_t *bad, int64_t *first, int64_t *last,
                  pactum_error *err) {
  *bad = (size_t)-1;
  *first = *last = 0;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    json_t *ev = NULL;
    char *canon = NULL;
    size_t len = 0;
    rc = prepare_event(r, texts[i], lens[i], signers, nsigners, caller, &ev, err);
    if (!rc) canon = canonical(ev, &len, &rc, err);
    if (!rc) rc = fold_event(r, ev, r->tip.seq + 1, err);
    if (!rc) rc = store_append(r->st, CHAIN_EVENTS, &r->tip, canon, len, err);
    r->tip_hex_ok = 0;
    if (!rc && !*first) *first = r->tip.seq;
    px_free(canon);
    json_decref(ev);
    if (rc) *bad = i;
  }
  if (!rc) *last = *first ? r->tip.seq : 0; /* an empty batch records nothing: first and last are both 0 */
  return rc;
}

int record_end(record *r, int commit, pactum_error *err) {
  int rc = commit ? store_commit(r->st, err) : (store_rollback(r->st), 0);
  if (!commit || rc) {
    /* Nothing was written: put the folded state back as it was before the batch. */
    mark_restore(r, &r->batch);
    return rc;
  }
  settle(r);
  /* r->data_version stays the one catch_up read inside the transaction. A commit of this
     connection leaves its data version as it was; reading it again here would take in a commit
     that another process made since ours, which nothing here has folded, and record_refresh would
     then never fold it. */
  return 0;
}

int record_add(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
               int nsigners, const record_caller *caller, size_t *bad, int64_t *first, int64_t *last,
               pactum_error *err) {
  *bad = (size_t)-1;
  *first = *last = 0;
  int rc = record_begin(r, err);
  if (rc) return rc;
  rc = record_append(r, texts, lens, n, signers, nsigners, caller, bad, first, last, err);
  if (rc) {
    record_end(r, 0, NULL);
    *first = *last = 0;
    return rc;
  }
  if ((rc = record_end(r, 1, err))) *first = *last = 0;
  return rc;
}

int record_check(record *r, const char *text, size_t len, const record_caller *caller, signer_set *signers,
                 pactum_error *err) {
  if (signers) memset(signers, 0, sizeof *signers);
  record_mark m;
  mark_take(r, &m);
  json_t *ev = NULL;
  int rc = prepare_event(r, text, len, NULL, 0, caller, &ev, err);
  if (!rc) {
    /* Every rule but who may record it: count who the event names, then fold as if satisfied. */
    const char *type = json_string_value(json_object_get(ev, "type"));
    int kind = type ? own_type(type, strlen(type)) : -1;
    if (kind >= 0) {
      rc = fail(err, "not_allowed", "'%s' is not proposed: it is recorded with its signatures", type);
    } else {
      sign_check c;
      rc = sign_verify_event(ev, &r->scope, r->kr, NULL, NULL, NULL, &c, err);
      signer_set who = c.signers;
      json_t *rb = json_object_get(ev, "recorded_by");
      if (!rc && rb) rc = read_recorded_by(r->agr, rb, &who, err);
      if (!rc && signers) *signers = who;
      if (!rc) {
        int32_t day;
        int ei = type ? agreement_find_event(r->agr, type, strlen(type)) : -1;
        if (ei < 0) rc = fail(err, "unknown_event", "unknown event type '%.64s'", type ? type : "");
        if (!rc) rc = event_day(ev, &day, err);
        if (!rc) rc = in_date_order(r, day, err);
        if (!rc) rc = check_nonce(r, ev, c.nsigs > 0, err);
        event_meta meta = {r->tip.seq + 1, recorders_of(r->agr, &who)};
        if (!rc) rc = timeline_append(r->tl, ev, &meta, err);
      }
    }
  }
  json_decref(ev);
  mark_restore(r, &m);
  return rc;
}
