/*
** events.c: the timeline. Validates events against the agreement (type, fields, date
** order, transition guards), folds each into a new snapshot of the state, and answers
** "what was in force on day D" by binary search, so a decision reads events dated on or
** before its own day and nothing later.
*/
#include "agreement.h"
#include "alloc.h"
#include "date.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

static int fail(pactum_error *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(pactum_error *err, const char *code, const char *fmt, ...) {
  if (err) {
    snprintf(err->code, sizeof err->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return PACTUM_EINPUT;
}

pactum_timeline *pactum_timeline_new(const pactum_agreement *agr) {
  pactum_timeline *tl = px_calloc(1, sizeof *tl);
  if (!tl) return NULL;
  tl->agr = agr;
  tl->width = agr->nstates + agr->ncommits;
  tl->cap = 16;
  tl->days = px_malloc(sizeof(int32_t) * tl->cap);
  tl->snaps = px_malloc(sizeof(int64_t) * (tl->cap + 1) * (size_t)(tl->width ? tl->width : 1));
  if (!tl->days || !tl->snaps) {
    pactum_timeline_free(tl);
    return NULL;
  }
  memcpy(tl->snaps, agr->init, sizeof(int64_t) * (size_t)tl->width);
  return tl;
}

void pactum_timeline_free(pactum_timeline *tl) {
  if (!tl) return;
  px_free(tl->days);
  px_free(tl->snaps);
  px_free(tl);
}

size_t pactum_timeline_count(const pactum_timeline *tl) { return tl ? tl->n : 0; }

const int64_t *timeline_at(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day) {
  if (!tl || tl->n == 0) return agr->init;
  size_t lo = 0, hi = tl->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (tl->days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return tl->snaps + lo * (size_t)tl->width;
}

static const char *type_word(type_kind k) {
  switch (k) {
  case TY_BOOL: return "a bool";
  case TY_STRING: return "a string";
  case TY_INTEGER: return "an integer";
  case TY_MONEY: return "a whole number of dollars";
  case TY_DATE: return "a date (YYYY-MM-DD)";
  case TY_ENUM: return "one of its enum members";
  default: return "a value";
  }
}

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

/* Read field f of event type ev from JSON value v into *out. */
static int field_value(const pactum_agreement *agr, const cevent *ev, const cfield *f, json_t *v,
                       unknowns *unk, int64_t *out, pactum_error *err) {
  int ok = 0;
  switch (f->type.kind) {
  case TY_BOOL:
    if ((ok = json_is_boolean(v))) *out = json_is_true(v);
    break;
  case TY_INTEGER:
  case TY_MONEY:
    if ((ok = json_is_integer(v))) *out = (int64_t)json_integer_value(v);
    break;
  case TY_STRING:
    if ((ok = json_is_string(v))) {
      int32_t id = agreement_string_id(agr, json_string_value(v), json_string_length(v));
      *out = id >= 0 ? id : unknown_id(unk, json_string_value(v), json_string_length(v));
    }
    break;
  case TY_DATE:
    if ((ok = json_is_string(v))) {
      int32_t day;
      if (date_parse(json_string_value(v), json_string_length(v), &day))
        return fail(err, "bad_date", "field '%s' of event '%s' is not a real date", f->name, ev->name);
      *out = day;
    }
    break;
  case TY_ENUM:
    if ((ok = json_is_string(v))) {
      const char *s = json_string_value(v);
      for (int i = 0; i < f->type.en->n; i++)
        if (strcmp(f->type.en->names[i], s) == 0) {
          *out = i;
          return PACTUM_OK;
        }
      buf b;
      buf_init(&b);
      for (int i = 0; i < f->type.en->n; i++) buf_printf(&b, "%s'%s'", i ? ", " : "", f->type.en->names[i]);
      fail(err, "wrong_type", "field '%s' of event '%s' is '%.64s'; expected one of %s", f->name, ev->name,
           s, b.data ? b.data : "");
      buf_release(&b);
      return PACTUM_EINPUT;
    }
    break;
  default:
    break;
  }
  if (!ok)
    return fail(err, "wrong_type", "field '%s' of event '%s' must be %s", f->name, ev->name, type_word(f->type.kind));
  return PACTUM_OK;
}

/* Make room for one more event and its snapshot. */
static int reserve(pactum_timeline *tl) {
  if (tl->n < tl->cap) return 0;
  size_t cap = tl->cap * 2;
  int32_t *days = px_realloc(tl->days, sizeof(int32_t) * cap);
  if (!days) return -1;
  tl->days = days;
  int64_t *snaps = px_realloc(tl->snaps, sizeof(int64_t) * (cap + 1) * (size_t)(tl->width ? tl->width : 1));
  if (!snaps) return -1;
  tl->snaps = snaps;
  tl->cap = cap;
  return 0;
}

int timeline_append(pactum_timeline *tl, json_t *root, int signed_ok, pactum_error *err) {
  const pactum_agreement *agr = tl->agr;
  if (!json_is_object(root)) return fail(err, "wrong_type", "an event must be a JSON object");
  json_t *jt = json_object_get(root, "type"), *jd = json_object_get(root, "date");
  if (!jt) return fail(err, "missing_field", "the event has no 'type'");
  if (!json_is_string(jt)) return fail(err, "wrong_type", "the event's 'type' must be a string");
  int ei = agreement_find_event(agr, json_string_value(jt), json_string_length(jt));
  if (ei < 0) return fail(err, "unknown_event", "unknown event type '%.64s'", json_string_value(jt));
  const cevent *ev = &agr->events[ei];
  if (!jd) return fail(err, "missing_field", "event '%s' has no 'date'", ev->name);
  int32_t day;
  if (!json_is_string(jd) || date_parse(json_string_value(jd), json_string_length(jd), &day))
    return fail(err, "bad_date", "event '%s' has a 'date' that is not a real date (YYYY-MM-DD)", ev->name);
  if (tl->n && day < tl->days[tl->n - 1]) {
    char last[11];
    date_format(tl->days[tl->n - 1], last);
    return fail(err, "out_of_order", "event '%s' dated %s comes after an event dated %s; events must be in date order",
                ev->name, json_string_value(jd), last);
  }
  int64_t fields[MAX_ATTRS];
  unknowns unk;
  unk.n = 0;
  uint64_t seen = 0;
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (!strcmp(key, "type") || !strcmp(key, "date")) continue;
    if (signed_ok && !strcmp(key, "signatures")) continue; /* verified by the record (record.c) */
    int k = 0;
    while (k < ev->nfields && strcmp(ev->fields[k].name, key) != 0) k++;
    if (k == ev->nfields) return fail(err, "unknown_field", "unknown field '%.64s' of event '%s'", key, ev->name);
    if (seen & ((uint64_t)1 << k)) continue; /* jansson already refused duplicate keys */
    int rc = field_value(agr, ev, &ev->fields[k], v, &unk, &fields[k], err);
    if (rc) return rc;
    seen |= (uint64_t)1 << k;
  }
  for (int k = 0; k < ev->nfields; k++)
    if (!(seen & ((uint64_t)1 << k)))
      return fail(err, "missing_field", "event '%s' has no field '%s'", ev->name, ev->fields[k].name);
  if (reserve(tl)) {
    fail(err, "out_of_memory", "out of memory");
    return PACTUM_ENOMEM;
  }

  /* Every condition reads the state as it was before this event. */
  const int64_t *before = tl->snaps + tl->n * (size_t)tl->width;
  int64_t *after = tl->snaps + (tl->n + 1) * (size_t)tl->width;
  memcpy(after, before, sizeof(int64_t) * (size_t)tl->width);
  xenv env = {NULL, before, fields, day};
  for (int s = 0; s < ev->nstmts; s++) {
    const cstmt *st = &ev->stmts[s];
    int holds = st->cond < 0 || eval_expr(agr, st->cond, &env);
    if (st->kind == ST_REQUIRE) {
      if (!holds) return fail(err, "guard_failed", "event '%s' rejected: %s", ev->name, st->reason);
    } else if (holds) {
      after[st->slot] = eval_operand(&agr->code[st->value], 0, &env);
    }
  }
  for (int c = 0; c < agr->ncommits; c++) {
    const ccommit *cm = &agr->commits[c];
    if (cm->event != ei) continue;
    int64_t *sum = &after[agr->nstates + c];
    int64_t add = fields[cm->field];
    if (add < 0)
      return fail(err, "negative_amount", "event '%s' counts %lld toward commitment '%s'; amounts cannot be negative",
                  ev->name, (long long)add, cm->id);
    if ((add > 0 && *sum > INT64_MAX - add) || (add < 0 && *sum < INT64_MIN - add))
      return fail(err, "overflow", "event '%s' would take commitment '%s' past the 64-bit range", ev->name, cm->id);
    *sum += add;
  }
  tl->days[tl->n++] = day;
  return PACTUM_OK;
}

int pactum_timeline_append_json(pactum_timeline *tl, const char *json, size_t len, pactum_error *err) {
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return fail(err, "bad_json", "malformed JSON at column %d: %s", je.column, je.text);
  int rc = timeline_append(tl, root, 0, err);
  json_decref(root);
  return rc;
}
