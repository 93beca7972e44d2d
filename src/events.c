/*
** events.c: folding events into a timeline. Validates each event against the agreement (type,
** fields, date order, references to earlier events, transition guards), computes the state
** after it, and appends it to the timeline's storage (timeline.c), which answers "what was in
** force on day D" by binary search, so a decision reads events dated on or before its own day
** and nothing later.
*/
#include "agreement.h"
#include "term.h"
#include "body.h"
#include "obligations.h"
#include "alloc.h"
#include "error.h"
#include "date.h"
#include "num.h"

#include <jansson.h>
#include <yajl/yajl_parse.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

/* Strings of one event that the agreement never mentions, numbered -1, -2, ... by content. */
typedef struct unknowns {
  const char *s[MAX_ATTRS];
  size_t len[MAX_ATTRS];
  int n;
} unknowns;

static int64_t unknown_id(unknowns *u, const char *s, size_t n) {
  for (int i = 0; i < u->n; i++)
    if (u->len[i] == n && (n == 0 || memcmp(u->s[i], s, n) == 0)) return -1 - i;
  u->s[u->n] = s;
  u->len[u->n] = n;
  return -1 - u->n++;
}

/* Read field f of event type ev from the flat value v into *out. */
static int field_value(const pactum_agreement *agr, const cevent *ev, const cfield *f, const flat_value *v,
                       unknowns *unk, int64_t *out, pactum_error *err) {
  int ok = 0;
  switch (f->type.kind) {
  case TY_BOOL:
    if ((ok = v->kind == FV_BOOL)) *out = v->i;
    break;
  case TY_INTEGER:
    if ((ok = v->kind == FV_INT)) *out = v->i;
    break;
  case TY_MONEY:
  case TY_DECIMAL: {
    /* Whole units as a JSON integer, or an exact decimal in a string; never a binary double (num.h). */
    int rc = v->kind == FV_INT ? num_scale(v->i, out) : v->kind == FV_STRING ? num_parse(v->s, v->slen, out) : NUM_EBAD;
    if (rc == NUM_EOVERFLOW)
      return fail(err, "overflow", "field '%s' of event '%s' is out of range (at most 9223372036854.775807)", f->name,
                  ev->name);
    if (rc == NUM_EDIGITS)
      return fail(err, "wrong_type", "field '%s' of event '%s' has more than 6 fractional digits", f->name, ev->name);
    ok = rc == NUM_OK;
    break;
  }
  case TY_DURATION:
    ok = v->kind == FV_STRING && num_duration_parse(v->s, v->slen, out) == NUM_OK;
    break;
  case TY_REF:
    if ((ok = v->kind == FV_INT && v->i > 0)) *out = v->i;
    break;
  case TY_STRING:
    if ((ok = v->kind == FV_STRING)) {
      int32_t id = agreement_string_id(agr, v->s, v->slen);
      *out = id >= 0 ? id : unknown_id(unk, v->s, v->slen);
    }
    break;
  case TY_DATE:
    if ((ok = v->kind == FV_STRING)) {
      int32_t day;
      if (date_parse(v->s, v->slen, &day))
        return fail(err, "bad_date", "field '%s' of event '%s' is not a real date", f->name, ev->name);
      *out = day;
    }
    break;
  case TY_ENUM:
    if ((ok = v->kind == FV_STRING)) {
      for (int i = 0; i < f->type.en->n; i++)
        if (strlen(f->type.en->names[i]) == v->slen && memcmp(f->type.en->names[i], v->s, v->slen) == 0) {
          *out = i;
          return PACTUM_OK;
        }
      buf b;
      buf_init(&b);
      for (int i = 0; i < f->type.en->n; i++) buf_printf(&b, "%s'%s'", i ? ", " : "", f->type.en->names[i]);
      fail(err, "wrong_type", "field '%s' of event '%s' is '%.*s'; expected one of %s", f->name, ev->name,
           (int)(v->slen > 64 ? 64 : v->slen), v->s, b.data ? b.data : "");
      buf_release(&b);
      return PACTUM_EINPUT;
    }
    break;
  default:
    break;
  }
  if (!ok)
    return fail(err, "wrong_type", "field '%s' of event '%s' must be %s", f->name, ev->name, value_phrase(f->type.kind));
  return PACTUM_OK;
}

static const flat_value *flat_get(const flat_event *e, const char *key) {
  size_t n = strlen(key);
  for (int i = 0; i < e->n; i++)
    if (e->v[i].klen == n && memcmp(e->v[i].key, key, n) == 0) return &e->v[i];
  return NULL;
}

/* A member of every event that is not a field: what the record adds, and verifies itself. */
static int record_member(const char *key, size_t n) {
  return (n == 10 && memcmp(key, "signatures", 10) == 0) || (n == 5 && memcmp(key, "nonce", 5) == 0) ||
         (n == 11 && memcmp(key, "recorded_by", 11) == 0);
}

int event_type_record_level(const char *type, size_t n) {
  static const char *const types[] = {"store_created", "store_upgraded", "settings_changed", "key_registered",
                                      "key_revoked"};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strlen(types[i]) == n && memcmp(types[i], type, n) == 0) return 1;
  return 0;
}

/*
** Each ref field of event ev (values in fields) must name an event of its target type already
** folded into tl; seq is the event's own.
*/
static int check_refs(const pactum_timeline *tl, const cevent *ev, const int64_t *fields, int64_t seq,
                      pactum_error *err) {
  const pactum_agreement *agr = tl->agr;
  for (int k = 0; k < ev->nfields; k++) {
    const cfield *f = &ev->fields[k];
    if (f->type.kind != TY_REF) continue;
    int t = timeline_ref_type(tl, fields[k]);
    if (t == f->type.target_ev) continue;
    const char *want = agr->events[f->type.target_ev].name;
    long long v = (long long)fields[k];
    if (t >= 0)
      return fail(err, "bad_reference", "field '%s' of event '%s' names seq %lld, an event of type '%s', not '%s'",
                  f->name, ev->name, v, agr->events[t].name, want);
    if (fields[k] >= seq)
      return fail(err, "bad_reference",
                  "field '%s' of event '%s' names seq %lld, which is not before this event (seq %lld); it must name an earlier event of type '%s'",
                  f->name, ev->name, v, (long long)seq, want);
    return fail(err, "bad_reference", "field '%s' of event '%s' names seq %lld, but no event of type '%s' has seq %lld",
                f->name, ev->name, v, want, v);
  }
  return PACTUM_OK;
}

int timeline_apply(pactum_timeline *tl, const flat_event *e, const event_meta *m, pactum_error *err) {
  const pactum_agreement *agr = tl->agr;
  if (tl->is_view) return error_set(err, PACTUM_EINTERNAL, "internal", "a view of a timeline cannot be appended to");
  if (tl->n >= TL_MAX_EVENTS)
    return fail(err, "too_many_events", "a timeline holds at most %zu events", (size_t)TL_MAX_EVENTS);
  event_meta next = {(int64_t)tl->n + 1, 0};
  if (!m) m = &next;
  if (m->seq <= 0) return fail(err, "bad_seq", "an event's seq must be a positive number, not %lld", (long long)m->seq);
  const flat_value *jt = flat_get(e, "type"), *jd = flat_get(e, "date");
  if (!jt) return fail(err, "missing_field", "the event has no 'type'");
  if (jt->kind != FV_STRING) return fail(err, "wrong_type", "the event's 'type' must be a string");
  int ei = agreement_find_event(agr, jt->s, jt->slen);
  if (ei < 0) return fail(err, "unknown_event", "unknown event type '%.*s'", (int)(jt->slen > 64 ? 64 : jt->slen), jt->s);
  const cevent *ev = &agr->events[ei];
  if (!jd) return fail(err, "missing_field", "event '%s' has no 'date'", ev->name);
  int32_t day;
  if (jd->kind != FV_STRING || date_parse(jd->s, jd->slen, &day))
    return fail(err, "bad_date", "event '%s' has a 'date' that is not a real date (YYYY-MM-DD)", ev->name);
  if (day < tl->last_day) {
    char last[11];
    date_format(tl->last_day, last);
    return fail(err, "out_of_order", "event '%s' dated %.10s comes after an event dated %s; events must be in date order",
                ev->name, jd->s, last);
  }
  int64_t fields[MAX_ATTRS + 1]; /* the fields, then the seq (`event.seq`) */
  unknowns unk;
  unk.n = 0;
  uint64_t seen = 0;
  for (int i = 0; i < e->n; i++) {
    const flat_value *v = &e->v[i];
    if (v == jt || v == jd) continue;
    if (record_member(v->key, v->klen)) continue; /* verified by record.c; an --events file does not */
    int k = 0;
    while (k < ev->nfields && (strlen(ev->fields[k].name) != v->klen || memcmp(ev->fields[k].name, v->key, v->klen)))
      k++;
    if (k == ev->nfields)
      return fail(err, "unknown_field", "unknown field '%.*s' of event '%s'", (int)(v->klen > 64 ? 64 : v->klen), v->key,
                  ev->name);
    if (seen & ((uint64_t)1 << k))
      return fail(err, "bad_json", "field '%s' of event '%s' is given twice", ev->fields[k].name, ev->name);
    int rc = field_value(agr, ev, &ev->fields[k], v, &unk, &fields[k], err);
    if (rc) return rc;
    seen |= (uint64_t)1 << k;
  }
  for (int k = 0; k < ev->nfields; k++)
    if (!(seen & ((uint64_t)1 << k)))
      return fail(err, "missing_field", "event '%s' has no field '%s'", ev->name, ev->fields[k].name);
  int rc = check_refs(tl, ev, fields, m->seq, err);
  if (rc) return rc;
  fields[ev->nfields] = m->seq;

  /* Every condition reads the state as it was before this event. */
  const int64_t *before = tl->cur;
  int64_t *after = tl->next;
  memcpy(after, before, sizeof(int64_t) * (size_t)tl->ncols);
  int fault = 0;
  xenv env = {NULL, before, fields, day, m->recorders, agr, &fault};
  for (int s = 0; s < ev->nstmts; s++) {
    const cstmt *st = &ev->stmts[s];
    int32_t at = st->cond;
    int holds = st->cond < 0 || eval_expr(agr, st->cond, &env);
    if (!fault && st->kind == ST_REQUIRE && !holds)
      return fail(err, "guard_failed", "event '%s' rejected: %s", ev->name, st->reason);
    if (!fault && st->kind == ST_SET && holds) {
      at = st->value;
      after[st->slot] = eval_operand(&agr->code[at], 0, &env);
    }
    if (fault) {
      /* Arithmetic failed: the event is refused, quoting the expression (docs/language.md "Arithmetic"). */
      const xop *x = &agr->code[at];
      uint32_t from = x->start < agr->src_len ? x->start : 0, to = x->end <= agr->src_len ? x->end : from;
      int len = (int)(to > from ? (to - from > 120 ? 120 : to - from) : 0);
      return fail(err, fault == NUM_EDIVZERO ? "division_by_zero" : "overflow", "event '%s' refused: %s in '%.*s'",
                  ev->name, num_strerror(fault), len, agr->src + from);
    }
  }
  term_fold(agr, ei, day, after);
  for (int c = 0; c < agr->ncommits; c++) {
    const ccommit *cm = &agr->commits[c];
    if (cm->event != ei) continue;
    /* The commitment's window: dated on or after `since`, and `where` holds (on the state before). */
    if (day < cm->since || (cm->where >= 0 && !eval_expr(agr, cm->where, &env))) continue;
    int64_t *sum = &after[agr->nstates + c];
    int64_t add = fields[cm->field];
    if (add < 0) {
      buf amt;
      buf_init(&amt);
      if (cm->is_money) num_text(&amt, add, 1); /* millionths of a dollar, written as dollars */
      else buf_i64(&amt, add);
      fail(err, "negative_amount", "event '%s' counts %s toward commitment '%s'; amounts cannot be negative", ev->name,
           amt.data && !amt.failed ? amt.data : "a negative amount", cm->id);
      buf_release(&amt);
      return PACTUM_EINPUT;
    }
    if ((add > 0 && *sum > INT64_MAX - add) || (add < 0 && *sum < INT64_MIN - add))
      return fail(err, "overflow", "event '%s' would take commitment '%s' past the 64-bit range", ev->name, cm->id);
    *sum += add;
  }
  if (agr->nobligs) obligations_fold(agr, ei, fields, &env, after);
  if (timeline_push(tl, day, after, m->seq, ev->referenced ? ei : -1)) {
    fail(err, "out_of_memory", "out of memory");
    return PACTUM_ENOMEM;
  }
  return PACTUM_OK;
}

/* The member index of name (n bytes) in body b, or -1. */
static int body_member(const cbody *b, const char *name, size_t n) {
  for (int i = 0; i < b->nmembers; i++)
    if (strlen(b->members[i]) == n && memcmp(b->members[i], name, n) == 0) return i;
  return -1;
}

/* Whether names[i] is "BODY.MEMBER" for body b, and which member: its index, or -1. */
static int member_of(const pactum_agreement *agr, int b, const char *name) {
  const char *dot = strchr(name, '.');
  const cbody *bd = &agr->bodies[b];
  if (!dot || strlen(bd->name) != (size_t)(dot - name) || memcmp(bd->name, name, (size_t)(dot - name))) return -1;
  return body_member(bd, dot + 1, strlen(dot + 1));
}

#define MAX_CLAIMED 64 /* names read from a "recorded_by" claim */

uint64_t timeline_recorders(const pactum_agreement *agr, const char *const *names, int n) {
  uint64_t mask = 0;
  for (int i = 0; i < n; i++) {
    if (!names[i] || strchr(names[i], '.')) continue;
    int p = agreement_find_party(agr, names[i], strlen(names[i]));
    if (p >= 0 && p < 64) mask |= (uint64_t)1 << p;
  }
  int members[MAX_CLAIMED];
  for (int b = 0; b < agr->nbodies && agr->nparties + b < 64; b++) {
    int distinct = 0;
    for (int i = 0; i < n && distinct < MAX_CLAIMED; i++) {
      int k = names[i] ? member_of(agr, b, names[i]) : -1;
      if (k < 0) continue;
      int again = 0;
      for (int j = 0; j < distinct && !again; j++) again = members[j] == k;
      if (!again) members[distinct++] = k;
    }
    if (body_quorum_met(&agr->bodies[b], members, distinct)) mask |= (uint64_t)1 << (agr->nparties + b);
  }
  return mask;
}


int timeline_claimed_recorders(const pactum_agreement *agr, json_t *root, uint64_t *mask, pactum_error *err) {
  *mask = 0;
  json_t *rb = json_is_object(root) ? json_object_get(root, "recorded_by") : NULL;
  if (!rb) return PACTUM_OK;
  if (!json_is_array(rb)) return fail(err, "wrong_type", "'recorded_by' must be an array of signer names");
  size_t n = json_array_size(rb);
  if (n > MAX_CLAIMED)
    return fail(err, "too_many_recorders", "'recorded_by' names %zu signers; at most %d are read", n, MAX_CLAIMED);
  const char *names[MAX_CLAIMED];
  for (size_t i = 0; i < n; i++)
    if (!(names[i] = json_string_value(json_array_get(rb, i))))
      return fail(err, "wrong_type", "'recorded_by' must be an array of signer names; item %zu is not a string", i + 1);
  *mask = timeline_recorders(agr, names, (int)n);
  return PACTUM_OK;
}

int timeline_append_claimed(pactum_timeline *tl, json_t *root, int64_t seq, pactum_error *err) {
  event_meta m = {seq, 0};
  int rc = timeline_claimed_recorders(tl->agr, root, &m.recorders, err);
  return rc ? rc : timeline_append(tl, root, &m, err);
}

int timeline_append(pactum_timeline *tl, json_t *root, const event_meta *m, pactum_error *err) {
  if (!json_is_object(root)) return fail(err, "wrong_type", "an event must be a JSON object");
  flat_event e;
  e.n = 0;
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (e.n == FLAT_MAX) return fail(err, "unknown_field", "the event has more than %d fields", FLAT_MAX);
    flat_value *f = &e.v[e.n++];
    f->key = key;
    f->klen = strlen(key);
    f->s = NULL;
    f->slen = 0;
    f->i = 0;
    if (json_is_string(v)) {
      f->kind = FV_STRING;
      f->s = json_string_value(v);
      f->slen = json_string_length(v);
    } else if (json_is_integer(v)) {
      f->kind = FV_INT;
      f->i = (int64_t)json_integer_value(v);
    } else if (json_is_boolean(v)) {
      f->kind = FV_BOOL;
      f->i = json_is_true(v);
    } else {
      f->kind = FV_OTHER;
    }
  }
  return timeline_apply(tl, &e, m, err);
}

/* ---- The store's canonical records, decoded without building a tree (yajl) ---------- */

typedef struct yctx {
  flat_event *e;
  int depth;         /* 1 inside the event object */
  char *pool;        /* copies of keys and strings: yajl's pointers do not outlive a callback */
  size_t used, cap;
  int overflow;
} yctx;

static const char *keep(yctx *y, const unsigned char *s, size_t n) {
  if (y->used + n + 1 > y->cap) {
    y->overflow = 1;
    return NULL;
  }
  char *p = y->pool + y->used;
  memcpy(p, s, n);
  p[n] = '\0';
  y->used += n + 1;
  return p;
}

static flat_value *current(yctx *y) { return y->e->n ? &y->e->v[y->e->n - 1] : NULL; }

/* A scalar at depth 1 is the value of the last key; deeper values belong to a nested member. */
static int y_scalar(yctx *y, fv_kind kind, int64_t i, const unsigned char *s, size_t n) {
  if (y->depth != 1) return 1;
  flat_value *f = current(y);
  if (!f) return 0;
  f->kind = kind;
  f->i = i;
  if (kind == FV_STRING && !(f->s = keep(y, s, n))) return 0;
  f->slen = n;
  return 1;
}
static int y_null(void *c) { return y_scalar(c, FV_OTHER, 0, NULL, 0); }
static int y_bool(void *c, int b) { return y_scalar(c, FV_BOOL, b != 0, NULL, 0); }
static int y_int(void *c, long long v) { return y_scalar(c, FV_INT, v, NULL, 0); }
static int y_double(void *c, double v) {
  (void)v;
  return y_scalar(c, FV_OTHER, 0, NULL, 0);
}
static int y_string(void *c, const unsigned char *s, size_t n) { return y_scalar(c, FV_STRING, 0, s, n); }
static int y_key(void *c, const unsigned char *s, size_t n) {
  yctx *y = c;
  if (y->depth != 1) return 1;
  if (y->e->n == FLAT_MAX) return 0;
  flat_value *f = &y->e->v[y->e->n++];
  memset(f, 0, sizeof *f);
  f->kind = FV_OTHER;
  if (!(f->key = keep(y, s, n))) return 0;
  f->klen = n;
  return 1;
}
static int y_open(void *c) {
  yctx *y = c;
  if (y->depth == 1 && current(y)) current(y)->kind = FV_OTHER; /* a nested member: not a field value */
  y->depth++;
  return 1;
}
static int y_close(void *c) {
  ((yctx *)c)->depth--;
  return 1;
}

static const yajl_callbacks ycallbacks = {y_null, y_bool, y_int, y_double, NULL, y_string,
                                          y_open, y_key, y_close, y_open, y_close};

int flat_decode(const char *json, size_t len, flat_event *e, char *pool, size_t cap) {
  yctx y = {e, 0, pool, 0, cap, 0};
  e->n = 0;
  yajl_handle h = yajl_alloc(&ycallbacks, NULL, &y); /* libc malloc: see alloc.h */
  if (!h) return -1;
  int ok = yajl_parse(h, (const unsigned char *)json, len) == yajl_status_ok && yajl_complete_parse(h) == yajl_status_ok;
  yajl_free(h);
  return ok && !y.overflow ? 0 : -1;
}

int pactum_timeline_append_seq(pactum_timeline *tl, const char *json, size_t len, int64_t seq, pactum_error *err) {
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return error_json(err, &je, failures);
  int rc = timeline_append_claimed(tl, root, seq, err);
  json_decref(root);
  return rc;
}

int timeline_append_line(pactum_timeline *tl, const char *json, size_t len, int64_t seq, pactum_error *err) {
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return error_json(err, &je, failures);
  json_t *type = json_object_get(root, "type");
  int rc = json_is_string(type) && event_type_record_level(json_string_value(type), json_string_length(type))
               ? PACTUM_OK
               : timeline_append_claimed(tl, root, seq, err);
  json_decref(root);
  return rc;
}

int pactum_timeline_append_json(pactum_timeline *tl, const char *json, size_t len, pactum_error *err) {
  return pactum_timeline_append_seq(tl, json, len, (int64_t)tl->n + 1, err);
}
