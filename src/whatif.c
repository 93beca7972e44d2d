/*
** whatif.c: what changes if events are added to an agreement's record. Reads the --add
** mini-syntax, folds the baseline and the baseline with the added events merged in, generates
** representative requests, and compares the two timelines (state, commitments, clauses in
** effect, decisions) on one day or over every stretch of days where they differ. The reports
** are the slow path: they allocate freely, through jansson and buf.
*/
#include "whatif.h"
#include "record.h"

#include "alloc.h"
#include "date.h"
#include "error.h"
#include "space.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)
#define oom(err) error_set((err), PACTUM_ENOMEM, "out_of_memory", "out of memory")

/* ---- the --add mini-syntax ----------------------------------------------------------- */

#define MAX_WORDS (MAX_ATTRS + 2)

/*
** Split s in place into words at spaces and tabs. A double-quoted part may hold spaces; inside
** it \" and \\ stand for " and \. -1: too many words, -2: a quote is not closed.
*/
static int split_words(char *s, char **w, int *n) {
  *n = 0;
  char *r = s;
  for (;;) {
    while (*r == ' ' || *r == '\t') r++;
    if (!*r) return 0;
    if (*n == MAX_WORDS) return -1;
    char *out = r;
    w[(*n)++] = out;
    int quoted = 0;
    while (*r && (quoted || (*r != ' ' && *r != '\t'))) {
      if (*r == '"') {
        quoted = !quoted;
        r++;
        continue;
      }
      if (quoted && *r == '\\' && (r[1] == '"' || r[1] == '\\')) r++;
      *out++ = *r++;
    }
    if (quoted) return -2;
    if (*r) r++; /* past the separator before it may be overwritten by the terminator */
    *out = '\0';
  }
}

/* The event type's fields as "a (an enum: x, y), b (a string)", for messages. */
static void field_list(buf *b, const cevent *ev) {
  for (int k = 0; k < ev->nfields; k++) {
    const cfield *f = &ev->fields[k];
    buf_printf(b, "%s%s", k ? ", " : "", f->name);
  }
  if (!ev->nfields) buf_puts(b, "none");
}

/* What a value of type t must be, for messages: "true or false", "one of verified, rejected", "an integer". */
static void type_phrase(buf *b, type_ref t) {
  if (t.kind == TY_BOOL) {
    buf_puts(b, "true or false");
  } else if (t.kind == TY_ENUM) {
    buf_puts(b, "one of ");
    for (int i = 0; i < t.en->n; i++) buf_printf(b, "%s%s", i ? ", " : "", t.en->names[i]);
  } else if (t.kind == TY_REF) {
    buf_printf(b, "the seq of an earlier '%s' event", t.target);
  } else {
    buf_puts(b, value_phrase(t.kind));
  }
}

/* A whole number with optional single underscores between digits; -1 if it is not one. */
static int parse_number(const char *s, int64_t *out) {
  int64_t v = 0;
  if (!*s) return -1;
  for (const char *p = s; *p; p++) {
    if (*p == '_' && p > s && p[1] >= '0' && p[1] <= '9' && p[-1] != '_') continue;
    if (*p < '0' || *p > '9') return -1;
    if (v > (INT64_MAX - (*p - '0')) / 10) return -1;
    v = v * 10 + (*p - '0');
  }
  *out = v;
  return 0;
}

/* The JSON value of `text` for field f of ev; NULL with *err set. */
static json_t *field_json(const cevent *ev, const cfield *f, const char *text, pactum_error *err) {
  int64_t v;
  int32_t day;
  switch (f->type.kind) {
  case TY_BOOL:
    if (!strcmp(text, "true")) return json_true();
    if (!strcmp(text, "false")) return json_false();
    break;
  case TY_INTEGER:
    if (!parse_number(text, &v)) return json_integer(v);
    break;
  case TY_MONEY:
    if (!parse_number(text[0] == '$' ? text + 1 : text, &v)) return json_integer(v);
    break;
  case TY_DATE:
    if (!date_parse(text, strlen(text), &day)) return json_string(text);
    break;
  case TY_ENUM:
    for (int i = 0; i < f->type.en->n; i++)
      if (!strcmp(f->type.en->names[i], text)) return json_string(text);
    break;
  case TY_STRING:
    return json_string(text);
  case TY_REF:
    if (!parse_number(text, &v) && v > 0) return json_integer(v);
    break;
  default:
    break;
  }
  buf b;
  buf_init(&b);
  type_phrase(&b, f->type);
  fail(err, "wrong_type", "field '%s' of event '%s' is %s; got '%.64s'", f->name, ev->name, b.data ? b.data : "", text);
  buf_release(&b);
  return NULL;
}

json_t *whatif_parse_add(const pactum_agreement *agr, const char *text, pactum_error *err) {
  /* JSON strings hold UTF-8 only: refuse other bytes here, with their place. */
  size_t n0 = strlen(text);
  for (size_t i = 0; i < n0;) {
    size_t k = utf8_seq_len((const unsigned char *)text + i, n0 - i);
    if (!k) return fail(err, "bad_add", "byte %zu is not valid UTF-8", i + 1), NULL;
    i += k;
  }
  char *s = px_strdup(text);
  json_t *ev = NULL;
  char *w[MAX_WORDS];
  int n;
  if (!s) return oom(err), NULL;
  int rc = split_words(s, w, &n);
  if (rc == -2) {
    fail(err, "bad_add", "a double quote is not closed");
    goto out;
  }
  if (rc == -1) {
    fail(err, "bad_add", "more than %d words", MAX_WORDS);
    goto out;
  }
  if (n == 0) {
    fail(err, "bad_add", "empty; give TYPE [VALUE | FIELD=VALUE]... DATE");
    goto out;
  }
  int ei = agreement_find_event(agr, w[0], strlen(w[0]));
  if (ei < 0) {
    buf b;
    buf_init(&b);
    for (int i = 0; i < agr->nevents; i++) buf_printf(&b, "%s%s", i ? ", " : "", agr->events[i].name);
    fail(err, "unknown_event", "unknown event type '%.64s'; the agreement's event types are %s", w[0],
         agr->nevents ? b.data ? b.data : "" : "none");
    buf_release(&b);
    goto out;
  }
  const cevent *e = &agr->events[ei];
  int32_t day;
  if (n < 2) {
    fail(err, "bad_add", "no date: give TYPE [VALUE | FIELD=VALUE]... DATE, the date last");
    goto out;
  }
  rc = date_parse(w[n - 1], strlen(w[n - 1]), &day);
  if (rc == -2) {
    fail(err, "bad_date", "'%.64s' is not a real date", w[n - 1]);
    goto out;
  }
  if (rc) {
    fail(err, "bad_add", "the last word must be the event's date (YYYY-MM-DD); got '%.64s'", w[n - 1]);
    goto out;
  }
  const char *val[MAX_ATTRS] = {0};
  const char *recorded_by = NULL;
  int npos = 0;
  const char *pos[MAX_WORDS];
  for (int i = 1; i < n - 1; i++) {
    char *eq = strchr(w[i], '=');
    int k = -1;
    if (eq && (size_t)(eq - w[i]) == 11 && !memcmp(w[i], "recorded_by", 11)) {
      /* Who recorded it, as a claim: signer names separated by commas. */
      if (recorded_by) {
        fail(err, "bad_add", "'recorded_by' is given twice");
        goto out;
      }
      recorded_by = eq + 1;
    } else if (eq) {
      *eq = '\0';
      for (int j = 0; j < e->nfields && k < 0; j++)
        if (!strcmp(e->fields[j].name, w[i])) k = j;
      if (k < 0) {
        buf b;
        buf_init(&b);
        field_list(&b, &agr->events[ei]);
        fail(err, "unknown_field", "event '%s' has no field '%.64s'; its fields: %s", e->name, w[i], b.data ? b.data : "");
        buf_release(&b);
        goto out;
      }
      if (val[k]) {
        fail(err, "bad_add", "field '%s' is given twice", e->fields[k].name);
        goto out;
      }
      val[k] = eq + 1;
    } else {
      pos[npos++] = w[i];
    }
  }
  /* Positional values fill the fields not named, in declared order. */
  int next = 0;
  for (int i = 0; i < npos; i++) {
    while (next < e->nfields && val[next]) next++;
    if (next == e->nfields) {
      buf b;
      buf_init(&b);
      field_list(&b, e);
      fail(err, "bad_add", "too many values for event '%s': '%.64s' has no field left to fill (its fields: %s)", e->name,
           pos[i], b.data ? b.data : "");
      buf_release(&b);
      goto out;
    }
    val[next++] = pos[i];
  }
  if (!(ev = json_object())) {
    oom(err);
    goto out;
  }
  json_object_set_new(ev, "type", json_string(e->name));
  json_object_set_new(ev, "date", json_string(w[n - 1]));
  for (int k = 0; k < e->nfields; k++) {
    if (!val[k]) {
      buf b;
      buf_init(&b);
      type_phrase(&b, e->fields[k].type);
      fail(err, "missing_field", "event '%s' needs a value for field '%s' (%s)", e->name, e->fields[k].name,
           b.data ? b.data : "");
      buf_release(&b);
      json_decref(ev);
      ev = NULL;
      goto out;
    }
    json_t *v = field_json(e, &e->fields[k], val[k], err);
    if (!v) {
      json_decref(ev);
      ev = NULL;
      goto out;
    }
    json_object_set_new(ev, e->fields[k].name, v);
  }
  if (recorded_by) {
    json_t *names = json_array();
    for (const char *p = recorded_by; names && *p;) {
      const char *comma = strchr(p, ',');
      size_t len = comma ? (size_t)(comma - p) : strlen(p);
      if (len && json_array_append_new(names, json_stringn(p, len))) {
        json_decref(names);
        names = NULL;
      }
      p += len + (comma != NULL);
    }
    if (!names || json_object_set_new(ev, "recorded_by", names)) {
      oom(err);
      json_decref(ev);
      ev = NULL;
      goto out;
    }
  }
out:
  px_free(s);
  return ev;
}

/* ---- the two timelines ---------------------------------------------------------------- */

static int32_t event_day(json_t *ev) {
  int32_t day;
  json_t *d = json_object_get(ev, "date");
  if (!json_is_string(d) || date_parse(json_string_value(d), json_string_length(d), &day)) return DAY_MIN;
  return day;
}

/* "panel_verdict, 2029-06-01" */
static void event_label(buf *b, json_t *ev) {
  const char *t = json_string_value(json_object_get(ev, "type")), *d = json_string_value(json_object_get(ev, "date"));
  buf_printf(b, "%.64s, %.10s", t ? t : "?", d ? d : "?");
}

/* labels[i], or "event N" when the caller gave no label for it. */
static const char *label_of(json_t *labels, size_t i, char *tmp, size_t cap) {
  const char *l = json_string_value(json_array_get(labels, i));
  if (l) return l;
  snprintf(tmp, cap, "event %zu", i + 1);
  return tmp;
}

/* The agreement's own reason when a guard refused an event, else the whole message. */
static const char *reason_of(const pactum_error *e) {
  const char *p = strstr(e->message, "' rejected: ");
  return !strcmp(e->code, "guard_failed") && p ? p + 12 : e->message;
}

/* The seq of baseline event i. */
static int64_t base_seq(json_t *seqs, size_t i) {
  json_t *s = json_array_get(seqs, i);
  return json_is_integer(s) ? (int64_t)json_integer_value(s) : (int64_t)i + 1;
}

int whatif_init(whatif *w, const pactum_agreement *agr, json_t *base, json_t *labels, json_t *seqs, int64_t last_seq,
                json_t *added, pactum_error *err) {
  memset(w, 0, sizeof *w);
  w->agr = agr;
  size_t nb = json_array_size(base), na = json_array_size(added);
  size_t *order = px_malloc(sizeof(size_t) * (na ? na : 1));
  int32_t *aday = px_malloc(sizeof(int32_t) * (na ? na : 1));
  w->base = pactum_timeline_new(agr);
  w->hyp = pactum_timeline_new(agr);
  w->added = json_array();
  int rc = PACTUM_OK;
  buf lab;
  buf_init(&lab);
  if (!order || !aday || !w->base || !w->hyp || !w->added) {
    rc = oom(err);
    goto out;
  }
  for (size_t i = 0; i < na; i++) {
    json_t *ev = json_array_get(added, i);
    if (!json_is_object(ev)) {
      rc = fail(err, "wrong_type", "added event %zu is not a JSON object", i + 1);
      goto out;
    }
    if ((aday[i] = event_day(ev)) == DAY_MIN) {
      rc = fail(err, "bad_date", "added event %zu has no 'date' that is a real day (YYYY-MM-DD)", i + 1);
      goto out;
    }
    /* Insertion sort by date keeps the given order within a day. */
    size_t j = i;
    while (j > 0 && aday[order[j - 1]] > aday[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  for (size_t i = 0; i < nb; i++) {
    json_t *ev = json_array_get(base, i);
    if (base_seq(seqs, i) > last_seq) last_seq = base_seq(seqs, i);
    if ((rc = timeline_append_claimed(w->base, ev, base_seq(seqs, i), err))) {
      if (rc == PACTUM_EINPUT) {
        pactum_error e = *err;
        char tmp[32];
        rc = fail(err, e.code, "%s: %s", label_of(labels, i, tmp, sizeof tmp), e.message);
      }
      goto out;
    }
  }
  /* The hypothetical record: each added event after the baseline events of its day. */
  size_t i = 0, k = 0;
  while (i < nb || k < na) {
    int take_added = k < na && (i == nb || aday[order[k]] < event_day(json_array_get(base, i)));
    json_t *ev = take_added ? json_array_get(added, order[k]) : json_array_get(base, i);
    int64_t seq = take_added ? last_seq + (int64_t)order[k] + 1 : base_seq(seqs, i);
    rc = timeline_append_claimed(w->hyp, ev, seq, err);
    if (rc == PACTUM_EINPUT) {
      pactum_error e = *err;
      char tmp[32];
      lab.len = 0;
      event_label(&lab, ev);
      if (take_added)
        fail(err, e.code, "added event %zu (%s) is refused: %s", order[k] + 1, lab.data ? lab.data : "", reason_of(&e));
      else
        fail(err, e.code, "with the added events, the baseline event %s (%s) is refused: %s",
             label_of(labels, i, tmp, sizeof tmp), lab.data ? lab.data : "", reason_of(&e));
    }
    if (rc) goto out;
    if (take_added) {
      json_t *copy = json_deep_copy(ev);
      if (!copy || json_object_set_new(copy, "seq", json_integer(seq)) || json_array_append_new(w->added, copy)) {
        rc = oom(err);
        goto out;
      }
      k++;
    } else {
      i++;
    }
  }
out:
  buf_release(&lab);
  px_free(order);
  px_free(aday);
  if (rc) whatif_release(w);
  return rc;
}

void whatif_release(whatif *w) {
  pactum_timeline_free(w->base);
  pactum_timeline_free(w->hyp);
  json_decref(w->added);
  w->base = w->hyp = NULL;
  w->added = NULL;
}

typedef struct scan_ctx {
  json_t *events, *labels, *seqs;
  pactum_error *err;
  int rc;
} scan_ctx;

static int scan_one(void *ctx, const store_record *rec) {
  scan_ctx *c = ctx;
  json_t *ev = json_loadb(rec->json, rec->len, 0, NULL);
  if (!ev) {
    c->rc = fail(c->err, "store_corrupt", "stored event seq %lld is not JSON", (long long)rec->seq);
    return 1;
  }
  json_t *t = json_object_get(ev, "type");
  if (json_is_string(t) && event_type_record_level(json_string_value(t), json_string_length(t))) {
    json_decref(ev);
    return 0;
  }
  char lab[40];
  snprintf(lab, sizeof lab, "seq %lld", (long long)rec->seq);
  if (json_array_append_new(c->events, ev) || json_array_append_new(c->labels, json_string(lab)) ||
      json_array_append_new(c->seqs, json_integer(rec->seq))) {
    c->rc = oom(c->err);
    return 1;
  }
  return 0;
}

int whatif_store_events(store *st, int64_t upto, json_t **events, json_t **labels, json_t **seqs, pactum_error *err) {
  scan_ctx c = {json_array(), json_array(), json_array(), err, 0};
  int rc = c.events && c.labels && c.seqs ? store_scan_range(st, CHAIN_EVENTS, 0, upto, scan_one, &c, err) : oom(err);
  if (!rc) rc = c.rc;
  if (rc) {
    json_decref(c.events);
    json_decref(c.labels);
    json_decref(c.seqs);
    *events = *labels = *seqs = NULL;
    return rc;
  }
  *events = c.events;
  *labels = c.labels;
  *seqs = c.seqs;
  return PACTUM_OK;
}

/* ---- generated requests ------------------------------------------------------------------ */

/*
** The space of agr alone gives the groups (principal, action) and the representative values of
** their attributes; each of its first WHATIF_MAX_PER_ACTION combinations per group becomes one
** request. The rest are counted in *left_out, without the space's own cap on combinations.
*/
json_t *whatif_generate_requests(const pactum_agreement *agr, long *left_out) {
  *left_out = 0;
  space sp;
  if (space_init(&sp, &agr, 1)) return NULL;
  json_t *all = json_array();
  buf b;
  buf_init(&b);
  for (int g = 0; all && g < sp.ngroups; g++) {
    const space_group *gr = &sp.groups[g];
    long total = 1; /* combinations, saturating at LONG_MAX */
    for (int j = 0; j < gr->nattrs; j++) {
      long k = gr->attrs[j].vals.n ? gr->attrs[j].vals.n : 1;
      total = total > LONG_MAX / k ? LONG_MAX : total * k;
    }
    long made = total < WHATIF_MAX_PER_ACTION ? total : WHATIF_MAX_PER_ACTION;
    *left_out = *left_out > LONG_MAX - (total - made) ? LONG_MAX : *left_out + (total - made);
    for (long c = 0; c < made; c++) {
      b.len = 0;
      space_combo_json(&sp, g, (uint64_t)c, &b);
      json_t *rq = b.failed ? NULL : json_loadb(b.data, b.len, 0, NULL);
      if (!rq || json_array_append_new(all, rq)) {
        json_decref(all);
        all = NULL;
      }
      if (!all) break;
    }
  }
  buf_release(&b);
  space_release(&sp);
  return all;
}

/* ---- the comparison ------------------------------------------------------------------- */

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* A value of type t as JSON. */
static json_t *value_json(const pactum_agreement *agr, type_ref t, int64_t v) {
  buf b;
  buf_init(&b);
  report_value(&b, agr, t, v, 1);
  json_t *j = b.data ? json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL) : NULL;
  buf_release(&b);
  return j;
}

static json_t *clause_ids(const pactum_agreement *agr, const int32_t *v, int n) {
  json_t *a = json_array();
  for (int i = 0; a && i < n; i++) json_array_append_new(a, json_string(agr->clauses[v[i]].id));
  return a;
}

static json_t *decision_json(const pactum_agreement *agr, const pactum_decision *d) {
  return json_pack("{s:s,s:o,s:o}", "decision", pactum_outcome_name(d->outcome), "determining",
                   clause_ids(agr, d->det, d->ndet), "obligations", clause_ids(agr, d->obl, d->nobl));
}

typedef struct cmp_ctx {
  const whatif *w;
  json_t *requests;
  uint8_t *dated;        /* [nrequests] the request gives its own date */
  int32_t *rday;         /* its date */
  pactum_request *req;
  pactum_decision *db, *dh;
  pactum_error *err;
} cmp_ctx;

/* What differs on day d; decisions for undated requests on d, dated ones when lo <= date <= hi. */
static int diff_on(cmp_ctx *c, int32_t d, int32_t lo, int32_t hi, json_t **out) {
  const whatif *w = c->w;
  const pactum_agreement *agr = w->agr;
  const int64_t *sb = timeline_at(agr, w->base, d), *sh = timeline_at(agr, w->hyp, d);
  json_t *state = json_array(), *commits = json_array(), *clauses = json_array(), *decisions = json_array();
  json_t *diff = json_pack("{s:o,s:o,s:o,s:o}", "state", state, "commitments", commits, "clauses", clauses, "decisions",
                           decisions);
  if (!diff) return oom(c->err);
  for (int i = 0; i < agr->nstates; i++)
    if (sb[i] != sh[i])
      json_array_append_new(state, json_pack("{s:s,s:o,s:o}", "name", agr->states[i].name, "baseline",
                                             value_json(agr, agr->states[i].type, sb[i]), "whatif",
                                             value_json(agr, agr->states[i].type, sh[i])));
  for (int i = 0; i < agr->ncommits; i++) {
    int64_t b = sb[agr->nstates + i], h = sh[agr->nstates + i];
    if (b != h)
      json_array_append_new(commits, json_pack("{s:s,s:I,s:I,s:I}", "id", agr->commits[i].id, "baseline", (json_int_t)b,
                                               "whatif", (json_int_t)h, "total", (json_int_t)agr->commits[i].total));
  }
  for (int i = 0; i < agr->nclauses; i++) {
    int b = clause_in_effect(agr, &agr->clauses[i], sb, d), h = clause_in_effect(agr, &agr->clauses[i], sh, d);
    if (b != h)
      json_array_append_new(clauses, json_pack("{s:s,s:b,s:b}", "clause", agr->clauses[i].id, "baseline", b, "whatif", h));
  }
  size_t i;
  json_t *rq;
  json_array_foreach(c->requests, i, rq) {
    if (c->dated[i] && (c->rday[i] < lo || c->rday[i] > hi)) continue;
    int rc = request_from_json(c->req, rq, d, c->err);
    if (!rc) rc = pactum_decide(agr, w->base, c->req, c->db);
    if (!rc) rc = pactum_decide(agr, w->hyp, c->req, c->dh);
    if (rc) {
      json_decref(diff);
      return rc == PACTUM_ENOMEM ? rc : fail(c->err, "bad_request", "request %zu cannot be decided", i + 1);
    }
    json_t *b = decision_json(agr, c->db), *h = decision_json(agr, c->dh);
    if (b && h && !json_equal(b, h))
      json_array_append_new(decisions, json_pack("{s:O,s:o,s:o}", "request", rq, "baseline", b, "whatif", h));
    else {
      json_decref(b);
      json_decref(h);
    }
  }
  *out = diff;
  return PACTUM_OK;
}

static int diff_empty(json_t *d) {
  const char *k;
  json_t *v;
  json_object_foreach(d, k, v) if (json_array_size(v)) return 0;
  return 1;
}

int whatif_compare(const whatif *w, json_t *requests, int has_day, int32_t day, json_t **out, pactum_error *err) {
  const pactum_agreement *agr = w->agr;
  size_t nr = json_array_size(requests);
  cmp_ctx c = {w, requests, px_calloc(nr ? nr : 1, 1), px_calloc(nr ? nr : 1, sizeof(int32_t)), pactum_request_new(agr),
               pactum_decision_new(agr), pactum_decision_new(agr), err};
  size_t cap = 1 + w->base->n + w->hyp->n;
  for (int i = 0; i < agr->nclauses; i++) cap += (size_t)agr->clauses[i].nbounds;
  int32_t *cuts = px_malloc(sizeof(int32_t) * cap);
  json_t *changes = json_array();
  int rc = PACTUM_OK;
  *out = NULL;
  if (!c.dated || !c.rday || !c.req || !c.db || !c.dh || !cuts || !changes) {
    rc = oom(err);
    goto done;
  }
  /* Check every request once, and note those that carry their own date. */
  for (size_t i = 0; i < nr; i++) {
    json_t *rq = json_array_get(requests, i);
    if ((rc = request_from_json(c.req, rq, agr->effective, err))) {
      if (rc == PACTUM_EINPUT) {
        pactum_error e = *err;
        rc = fail(err, e.code, "request %zu: %s", i + 1, e.message);
      }
      goto done;
    }
    c.dated[i] = json_object_get(json_object_get(rq, "context"), "date") != NULL;
    c.rday[i] = c.req->day;
  }
  size_t n = 0;
  if (has_day) {
    cuts[n++] = day;
  } else {
    cuts[n++] = agr->effective;
    for (size_t i = 0; i < w->base->n; i++) cuts[n++] = w->base->days[i];
    for (size_t i = 0; i < w->hyp->n; i++) cuts[n++] = w->hyp->days[i];
    for (int i = 0; i < agr->nclauses; i++)
      for (int k = 0; k < agr->clauses[i].nbounds; k++) cuts[n++] = agr->clauses[i].bounds[k];
    qsort(cuts, n, sizeof cuts[0], cmp_i32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
      if (!u || cuts[u - 1] != cuts[i]) cuts[u++] = cuts[i];
    n = u;
  }
  json_t *last = NULL;       /* the change that the next stretch may extend */
  for (size_t s = 0; s < n; s++) {
    int32_t from = cuts[s], through = s + 1 < n ? cuts[s + 1] - 1 : DAY_MAX;
    if (has_day) through = from;
    /* Dated requests belong to the stretch holding their date; before the first, to the first. */
    int32_t lo = has_day || s == 0 ? DAY_MIN : from, hi = has_day ? DAY_MAX : through;
    json_t *d = NULL;
    if ((rc = diff_on(&c, from, lo, hi, &d))) goto done;
    if (diff_empty(d)) {
      json_decref(d);
      last = NULL;
      continue;
    }
    char buf1[11];
    if (last && json_equal(json_object_get(last, "diff"), d)) {
      json_decref(d);
      if (through == DAY_MAX) json_object_set_new(last, "through", json_null());
      else {
        date_format(through, buf1);
        json_object_set_new(last, "through", json_string(buf1));
      }
      continue;
    }
    date_format(from, buf1);
    json_t *ch = json_pack("{s:s,s:o}", "from", buf1, "diff", d);
    if (through == DAY_MAX) json_object_set_new(ch, "through", json_null());
    else {
      date_format(through, buf1);
      json_object_set_new(ch, "through", json_string(buf1));
    }
    json_array_append_new(changes, ch);
    last = ch;
  }
  /* Flatten: each change is {"from","through",state,commitments,clauses,decisions}. */
  size_t i;
  json_t *ch;
  json_array_foreach(changes, i, ch) {
    json_object_update(ch, json_object_get(ch, "diff"));
    json_object_del(ch, "diff");
  }
  char eff[11], on[11];
  date_format(agr->effective, eff);
  date_format(day, on);
  *out = json_pack("{s:{s:s,s:s},s:O,s:I,s:o,s:I,s:o}", "agreement", "id", agr->id, "version", agr->version, "added",
                   w->added, "baseline_events", (json_int_t)w->base->n, "date", has_day ? json_string(on) : json_null(),
                   "requests", (json_int_t)nr, "changes", changes);
  changes = NULL;
  if (!*out) rc = oom(err);
done:
  json_decref(changes);
  px_free(cuts);
  px_free(c.dated);
  px_free(c.rday);
  pactum_request_free(c.req);
  pactum_decision_free(c.db);
  pactum_decision_free(c.dh);
  return rc;
}

/* ---- text -------------------------------------------------------------------------------- */

/* A JSON value for people: strings bare, the rest as JSON. */
static void put_json(buf *b, json_t *v) {
  if (json_is_string(v)) {
    buf_append(b, json_string_value(v), json_string_length(v));
    return;
  }
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  buf_puts(b, s ? s : "?");
  px_free(s);
}

/* "name=value name=value" of an object's members, skipping `skip`. */
static void put_members(buf *b, json_t *obj, const char *skip) {
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    if (skip && !strcmp(k, skip)) continue;
    buf_printf(b, " %s=", k);
    if (json_is_string(v)) buf_json_str(b, json_string_value(v), json_string_length(v));
    else put_json(b, v);
  }
}

static void put_decision(buf *b, json_t *d) {
  put_json(b, json_object_get(d, "decision"));
  json_t *det = json_object_get(d, "determining"), *obl = json_object_get(d, "obligations");
  size_t i;
  json_t *v;
  if (json_array_size(det)) {
    buf_puts(b, " by");
    json_array_foreach(det, i, v) buf_printf(b, "%s %s", i ? "," : "", json_string_value(v));
  }
  if (json_array_size(obl)) {
    buf_puts(b, " with obligation");
    json_array_foreach(obl, i, v) buf_printf(b, "%s %s", i ? "," : "", json_string_value(v));
  }
}

char *whatif_render_text(const pactum_agreement *agr, json_t *r) {
  buf b;
  buf_init(&b);
  json_t *ag = json_object_get(r, "agreement");
  buf_printf(&b, "what if, under %s %s, these events were added to the %lld baseline event%s:\n",
             json_string_value(json_object_get(ag, "id")), json_string_value(json_object_get(ag, "version")),
             (long long)json_integer_value(json_object_get(r, "baseline_events")),
             json_integer_value(json_object_get(r, "baseline_events")) == 1 ? "" : "s");
  size_t i, j;
  json_t *v, *x;
  json_array_foreach(json_object_get(r, "added"), i, v) {
    buf_printf(&b, "  + %s %s (seq %lld)", json_string_value(json_object_get(v, "date")),
               json_string_value(json_object_get(v, "type")), (long long)json_integer_value(json_object_get(v, "seq")));
    json_t *copy = json_deep_copy(v);
    json_object_del(copy, "type");
    json_object_del(copy, "date");
    json_object_del(copy, "seq");
    put_members(&b, copy, NULL);
    json_decref(copy);
    buf_putc(&b, '\n');
  }
  json_t *date = json_object_get(r, "date");
  buf_printf(&b, "compared on %s%s, over %lld request%s\n", json_is_string(date) ? "" : "every day",
             json_is_string(date) ? json_string_value(date) : "",
             (long long)json_integer_value(json_object_get(r, "requests")),
             json_integer_value(json_object_get(r, "requests")) == 1 ? "" : "s");
  json_t *changes = json_object_get(r, "changes");
  if (!json_array_size(changes)) buf_puts(&b, "\nno differences: no state, commitment, clause or decision changes\n");
  json_array_foreach(changes, i, v) {
    json_t *from = json_object_get(v, "from"), *through = json_object_get(v, "through");
    if (json_is_string(date)) buf_printf(&b, "\non %s:\n", json_string_value(from));
    else if (json_is_null(through)) buf_printf(&b, "\nfrom %s on:\n", json_string_value(from));
    else if (json_equal(from, through)) buf_printf(&b, "\non %s:\n", json_string_value(from));
    else buf_printf(&b, "\nfrom %s through %s:\n", json_string_value(from), json_string_value(through));
    json_array_foreach(json_object_get(v, "state"), j, x) {
      const char *name = json_string_value(json_object_get(x, "name"));
      int k = 0;
      while (k < agr->nstates && strcmp(agr->states[k].name, name)) k++;
      int ref = k < agr->nstates && agr->states[k].type.kind == TY_REF;
      buf_printf(&b, "  state %s: ", name);
      for (int side = 0; side < 2; side++) {
        json_t *val = json_object_get(x, side ? "whatif" : "baseline");
        if (side) buf_puts(&b, " -> ");
        if (ref) report_value(&b, agr, agr->states[k].type, (int64_t)json_integer_value(val), 0); /* "seq 4", "none" */
        else put_json(&b, val);
      }
      buf_putc(&b, '\n');
    }
    json_array_foreach(json_object_get(v, "commitments"), j, x) {
      const char *id = json_string_value(json_object_get(x, "id"));
      int k = 0;
      while (k < agr->ncommits && strcmp(agr->commits[k].id, id)) k++;
      type_ref t = {.kind = k < agr->ncommits && agr->commits[k].is_money ? TY_MONEY : TY_INTEGER};
      buf_printf(&b, "  commitment %s: ", id);
      report_value(&b, agr, t, (int64_t)json_integer_value(json_object_get(x, "baseline")), 0);
      buf_puts(&b, " -> ");
      report_value(&b, agr, t, (int64_t)json_integer_value(json_object_get(x, "whatif")), 0);
      buf_puts(&b, " of ");
      report_value(&b, agr, t, (int64_t)json_integer_value(json_object_get(x, "total")), 0);
      if (k < agr->ncommits && agr->commits[k].unit && !agr->commits[k].is_money) buf_printf(&b, " %s", agr->commits[k].unit);
      buf_putc(&b, '\n');
    }
    json_array_foreach(json_object_get(v, "clauses"), j, x) {
      buf_printf(&b, "  clause %s %s\n", json_string_value(json_object_get(x, "clause")),
                 json_is_true(json_object_get(x, "whatif")) ? "comes into effect" : "stops being in effect");
    }
    json_t *ds = json_object_get(v, "decisions");
    if (json_array_size(ds)) buf_printf(&b, "  %zu %s:\n", json_array_size(ds), json_array_size(ds) == 1 ? "decision changes" : "decisions change");
    json_array_foreach(ds, j, x) {
      json_t *rq = json_object_get(x, "request");
      buf_printf(&b, "    %s %s", json_string_value(json_object_get(rq, "principal")),
                 json_string_value(json_object_get(rq, "action")));
      put_members(&b, json_object_get(rq, "resource"), NULL);
      put_members(&b, json_object_get(rq, "context"), "date");
      json_t *rd = json_object_get(json_object_get(rq, "context"), "date");
      if (rd) buf_printf(&b, " on %s", json_string_value(rd));
      buf_puts(&b, ": ");
      put_decision(&b, json_object_get(x, "baseline"));
      buf_puts(&b, " -> ");
      put_decision(&b, json_object_get(x, "whatif"));
      buf_putc(&b, '\n');
    }
  }
  return buf_detach(&b);
}
