/*
** record.c: the agreement's record (see record.h): validated, signed, all-or-nothing appends
** to the store, and the folding of stored events into a timeline and a keyring.
*/
#include "record.h"
#include "alloc.h"
#include "error.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

static int is_key_event(const json_t *ev) {
  const char *t = json_string_value(json_object_get(ev, "type"));
  return t && strcmp(t, "key_registered") == 0;
}

/* The date of an event object, for the order shared by all event types. */
static int event_day(const json_t *ev, int32_t *day, pactum_error *err) {
  json_t *d = json_object_get(ev, "date");
  if (!d) return fail(err, "missing_field", "the event has no 'date'");
  if (!json_is_string(d)) return fail(err, "bad_date", "the event's 'date' must be a string, a real day (YYYY-MM-DD)");
  if (date_parse(json_string_value(d), json_string_length(d), day))
    return fail(err, "bad_date", "the event's 'date' '%.40s' is not a real day (YYYY-MM-DD)", json_string_value(d));
  return 0;
}

/*
** Validate one event against the state in r (and fold it in): signatures, who may record it,
** then the agreement's own checks. seq is the event's seq in the store. Leaves r unchanged on
** failure, except for the timeline count, which the caller restores.
*/
static int fold(record *r, json_t *ev, int verify, int64_t seq, pactum_error *err) {
  if (!json_is_object(ev)) return fail(err, "wrong_type", "an event must be a JSON object");
  int32_t day;
  if (event_day(ev, &day, err)) return PACTUM_EINPUT;
  if (day < r->last_day) {
    char last[11];
    date_format(r->last_day, last);
    return fail(err, "out_of_order", "this event is dated before the previous one (%s); events must be in date order",
                last);
  }
  if (is_key_event(ev)) {
    int rc = sign_register_key(r->agr, ev, r->kr, r->has_bootstrap ? r->bootstrap_pk : NULL, err);
    if (rc) return rc;
    r->nkeys++;
  } else {
    if (verify) {
      signer_set who;
      const char *type = json_string_value(json_object_get(ev, "type"));
      int ei = type ? agreement_find_event(r->agr, type, strlen(type)) : -1;
      if (ei < 0) return fail(err, "unknown_event", "unknown event type '%.64s'", type ? type : "");
      int rc = sign_verify_event(ev, r->kr, &who, err);
      if (!rc) rc = sign_authorize(r->agr, ei, &who, r->require_signatures, err);
      if (rc) return rc;
    }
    event_meta meta = {seq, 0};
    int rc = timeline_append(r->tl, ev, &meta, err);
    if (rc) return rc;
  }
  r->last_day = day;
  return 0;
}

typedef struct load_ctx {
  record *r;
  pactum_error *err;
  int rc;
} load_ctx;

/*
** Fold one stored record. Records were validated when they were added, so an agreement event
** in a store that does not require signatures takes the fast path: decoded without a tree
** and folded directly. Key registrations, and events whose signatures are checked again, go
** through jansson.
*/
static int fold_stored(record *r, const store_record *rec, pactum_error *err) {
  if (!r->require_signatures) {
    flat_event e;
    char pool[4096];
    if (flat_decode(rec->json, rec->len, &e, pool, sizeof pool) == 0) {
      const flat_value *type = NULL, *date = NULL;
      for (int i = 0; i < e.n; i++) {
        if (e.v[i].klen == 4 && !memcmp(e.v[i].key, "type", 4)) type = &e.v[i];
        if (e.v[i].klen == 4 && !memcmp(e.v[i].key, "date", 4)) date = &e.v[i];
      }
      int32_t day;
      if (type && type->kind == FV_STRING && !(type->slen == 14 && !memcmp(type->s, "key_registered", 14)) && date &&
          date->kind == FV_STRING && !date_parse(date->s, date->slen, &day) && day >= r->last_day) {
        event_meta meta = {rec->seq, 0};
        int rc = timeline_apply(r->tl, &e, &meta, err);
        if (!rc) r->last_day = day;
        return rc;
      }
    }
  }
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *ev = json_loadb(rec->json, rec->len, 0, &je);
  int rc = ev ? fold(r, ev, r->require_signatures, rec->seq, err)
         : px_alloc_failures() != failures ? error_json(err, &je, failures)
                                           : fail(err, "store_corrupt", "not JSON");
  json_decref(ev);
  return rc;
}

static int load_one(void *ctx, const store_record *rec) {
  load_ctx *lc = ctx;
  record *r = lc->r;
  int rc = fold_stored(r, rec, lc->err);
  if (rc == PACTUM_ENOMEM) {
    lc->rc = rc;
    return 1;
  }
  if (rc) {
    char why[sizeof lc->err->message];
    snprintf(why, sizeof why, "%s", lc->err->message);
    fail(lc->err, "store_corrupt", "stored event seq %lld does not fold: %s", (long long)rec->seq, why);
    lc->rc = rc;
    return 1;
  }
  r->head_seq = rec->seq;
  if (!rec->hash_hex || strlen(rec->hash_hex) != HASH_HEX - 1) {
    fail(lc->err, "store_corrupt", "stored event seq %lld has no valid hash", (long long)rec->seq);
    lc->rc = PACTUM_EINPUT;
    return 1;
  }
  memcpy(r->head_hex, rec->hash_hex, HASH_HEX);
  return 0;
}

/* Fold the records appended since r->head_seq (by this process or another). */
static int catch_up(record *r, pactum_error *err) {
  load_ctx lc = {r, err, 0};
  int64_t before = r->head_seq;
  int rc = store_scan(r->st, CHAIN_EVENTS, r->head_seq, load_one, &lc, err);
  if (lc.rc) return lc.rc;
  if (rc) return rc;
  if (r->head_seq != before && canon_unhex(r->head_hex, r->head_hash, HASH_BYTES))
    return fail(err, "store_corrupt", "stored event seq %lld has no valid hash", (long long)r->head_seq);
  return 0;
}

/*
** Fold the whole store again into a new timeline and keyring (at open, and after a refused
** batch). On success the old ones are freed; on failure r is left exactly as it was.
*/
static int refold(record *r, pactum_error *err) {
  record saved = *r;
  r->tl = pactum_timeline_new(r->agr);
  r->kr = keyring_new();
  r->head_seq = 0;
  memcpy(r->head_hash, r->agr_hash, HASH_BYTES);
  r->last_day = INT32_MIN;
  r->nkeys = 0;
  int rc = !r->tl || !r->kr ? error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory") : catch_up(r, err);
  if (rc) {
    pactum_timeline_free(r->tl);
    keyring_free(r->kr);
    *r = saved;
    return rc;
  }
  pactum_timeline_free(saved.tl);
  keyring_free(saved.kr);
  r->stale = 0;
  return 0;
}

static int read_settings(record *r, const record_init *init, int created, pactum_error *err) {
  int rc;
  char *v = NULL;
  char hex[HASH_HEX];
  canon_hex(r->agr_hash, HASH_BYTES, hex);
  if ((rc = store_meta_get(r->st, "agreement_hash", &v, err))) return rc;
  if (!v) {
    /* A new store: bind it to this agreement, with the settings asked for. */
    if (!created && init == NULL) return fail(err, "store", "the store records no agreement");
    rc = store_begin(r->st, err);
    if (!rc) rc = store_meta_set(r->st, "agreement_hash", hex, err);
    if (!rc) rc = store_meta_set(r->st, "agreement", r->agr->id, err);
    if (!rc) rc = store_meta_set(r->st, "require_signatures", init && init->require_signatures ? "1" : "0", err);
    if (!rc && init && init->bootstrap_pk) {
      char b64[64];
      sign_b64_encode(init->bootstrap_pk, SIGN_PK_BYTES, b64, sizeof b64);
      rc = store_meta_set(r->st, "bootstrap_key", b64, err);
    }
    if (!rc) rc = store_commit(r->st, err);
    else store_rollback(r->st);
    if (rc) return rc;
    if ((rc = store_meta_get(r->st, "agreement_hash", &v, err))) return rc;
  }
  int same = v && strcmp(v, hex) == 0;
  if (!same) {
    char got[HASH_HEX + 1];
    snprintf(got, sizeof got, "%s", v ? v : "");
    px_free(v);
    return fail(err, "wrong_agreement",
                "the store belongs to another agreement (source hash %.16s…), not '%s' %s (%.16s…)", got, r->agr->id,
                r->agr->version, hex);
  }
  px_free(v);
  if ((rc = store_meta_get(r->st, "require_signatures", &v, err))) return rc;
  r->require_signatures = v && strcmp(v, "1") == 0;
  px_free(v);
  if ((rc = store_meta_get(r->st, "bootstrap_key", &v, err))) return rc;
  if (v) {
    size_t n = 0;
    r->has_bootstrap = !sign_b64_decode(v, r->bootstrap_pk, sizeof r->bootstrap_pk, &n) && n == SIGN_PK_BYTES;
    px_free(v);
  }
  return 0;
}

int record_open(const pactum_agreement *agr, const char *path, int create, const record_init *init, record **out,
                pactum_error *err) {
  *out = NULL;
  if (sign_init()) return fail(err, "internal", "libsodium could not start");
  record *r = px_calloc(1, sizeof *r);
  if (!r) return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  r->agr = agr;
  canon_agreement_hash(agr->src, agr->src_len, r->agr_hash);
  int rc = store_open(path, create, &r->st, err);
  if (!rc) rc = read_settings(r, create ? init : NULL, create, err);
  if (!rc) rc = refold(r, err);
  if (rc) {
    record_free(r);
    return rc;
  }
  *out = r;
  return PACTUM_OK;
}

void record_free(record *r) {
  if (!r) return;
  store_close(r->st);
  pactum_timeline_free(r->tl);
  keyring_free(r->kr);
  px_free(r);
}

int record_add(record *r, const char *const *texts, const size_t *lens, size_t n, const sign_key *signers,
               int nsigners, size_t *bad, int64_t *first, int64_t *last, pactum_error *err) {
  *bad = (size_t)-1;
  *first = *last = 0;
  int rc;
  /* A refused batch whose state could not be folded again left r stale: fold it now. */
  if (r->stale && (rc = refold(r, err))) return rc;
  if ((rc = store_begin(r->st, err))) return rc;
  if ((rc = catch_up(r, err))) {
    store_rollback(r->st);
    return rc;
  }
  size_t tl_count = r->tl->n;
  int64_t seq = r->head_seq;
  uint8_t head[HASH_BYTES];
  memcpy(head, r->head_hash, HASH_BYTES);
  int dirty = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    json_error_t je;
    long failures = px_alloc_failures();
    json_t *ev = json_loadb(texts[i], lens[i], JSON_REJECT_DUPLICATES, &je);
    if (!ev) {
      rc = error_json(err, &je, failures);
    } else {
      for (int k = 0; k < nsigners && !rc; k++) rc = sign_event(ev, &signers[k], err);
      size_t len = 0;
      char *canon = NULL;
      if (!rc && !(canon = canon_json(ev, &len)))
        rc = canon_has_real(ev) ? fail(err, "wrong_type",
                                       "the event holds a number with a fraction or exponent; amounts are whole numbers")
                                : error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
      if (!rc) {
        dirty = 1;
        rc = fold(r, ev, 1, seq + 1, err); /* store_append gives it the next seq */
      }
      if (!rc) rc = store_append(r->st, CHAIN_EVENTS, seq, head, canon, len, &seq, head, err);
      if (!rc && !*first) *first = seq;
      px_free(canon);
    }
    json_decref(ev);
    if (rc) *bad = i;
  }
  if (!rc) rc = store_commit(r->st, err);
  else store_rollback(r->st);
  if (rc) {
    /* Nothing was written: put the folded state back as the store has it. */
    pactum_error ignored;
    if (dirty && refold(r, &ignored)) {
      /* Out of memory again: keep the old timeline, cut back to where it was, and fold
         everything again before the next batch (the keyring may hold a key of this one). */
      r->tl->n = tl_count;
      r->stale = 1;
    }
    return rc;
  }
  r->head_seq = seq;
  memcpy(r->head_hash, head, HASH_BYTES);
  *last = n ? seq : 0; /* an empty batch records nothing: first and last are both 0 */
  return PACTUM_OK;
}
