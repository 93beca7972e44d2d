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
#include "num.h"
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
  } else if (t.kind == TY_MONEY) {
    buf_puts(b, "an amount of dollars (1250000, $0.004)");
  } else if (t.kind == TY_DECIMAL) {
    buf_puts(b, "a number (10.5)");
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
  case TY_DECIMAL: {
    /* "$1_000.50", "0.004": exact, in millionths (num.h); JSON takes it back in whole units. */
    const char *t = f->type.kind == TY_MONEY && text[0] == '$' ? text + 1 : text;
    char clean[64];
    size_t n = 0;
    for (const char *q = t; *q && n + 1 < sizeof clean; q++)
      if (*q != '_') clean[n++] = *q;
    if (!num_parse(clean, n, &v)) return num_json_value(v);
    break;
  }
  case TY_DURATION:
    if (!num_duration_parse(text, strlen(text), &v)) return json_string(text);
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

/* "payment_missed, 2026-03-01" */
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

/*
** Why the comparison is not quadratic in stretches × requests. A decision depends on the
** request, the day, and the state variables that its group's clauses read; pactum_decide says
** up to which day it holds (valid_until) and whether it reads state at all. So each request's
** last decision in each timeline is kept, and made again only when the day reaches its
** valid_until, or when a state variable its group reads changes in that timeline. Added events
** that touch nothing a request reads cost that request nothing, and a stretch where no kept
** decision changed reuses the previous stretch's list of differences. What is left in the worst
** case (every added event changes what every request reads, so every stretch lists every
** request again) is real work, with a real answer of that size: the budget bounds it.
*/

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

/*
** A decision as the comparison compares it: its outcome, determining clauses and obligations
** (their indices are kept apart, in ids[key × 2G ..]: determining first, obligations from G on).
*/
typedef struct kept {
  int32_t valid_until; /* make it again on or after this day */
  uint32_t gen;        /* how many times it was made: tells a stale heap entry */
  int32_t ndet, nobl;
  uint8_t outcome, reads_state;
} kept;

/* A kept decision to make again on `day` (a min-heap by day; stale when gen has moved on). */
typedef struct due {
  int32_t day;
  uint32_t gen;
  size_t key;
} due;

typedef struct cmp_ctx {
  const whatif *w;
  const pactum_agreement *agr;
  json_t *requests;
  size_t nr;
  int G;                 /* room for one list of clauses: the largest group + 1 */
  int width;             /* values in a state row: the state variables, then the commitments */
  uint8_t *dated;        /* [nr] the request gives its own date */
  int32_t *rday;         /* [nr] its date */
  int32_t *group;        /* [nr] its group: action × parties + principal */
  kept *kept;            /* [2 nr] key 2i: request i in the baseline, 2i + 1: in the what-if record */
  int32_t *ids;          /* [2 nr × 2G] */
  uint8_t *mark;         /* [nr] bit t: make request i's decision in timeline t again */
  size_t *marked, nmarked; /* the requests marked, in the order they were */
  uint64_t *differs;     /* [nr / 64 + 1] bit i: undated request i is decided differently */
  size_t ndiffer;
  due *heap;
  int nheap, capheap;
  int ngroups;
  int32_t *greq_start, *greq;   /* the undated requests of each group */
  int32_t *gslot_start, *gslot; /* the state slots each group reads */
  uint8_t *gall;                /* [ngroups] it reads something else too: compare whole rows */
  pactum_request *req;
  pactum_decision *dec;
  whatif_budget *budget;
  uint64_t since_poll;
  pactum_error *err;
} cmp_ctx;

/* Spend units of work: the budget's limit and its stop hook may end the comparison here. */
static int spend(cmp_ctx *c, uint64_t units) {
  whatif_budget *b = c->budget;
  if (!b) return PACTUM_OK;
  b->work += units;
  if (b->max_work && b->work > b->max_work) {
    b->stopped = WHATIF_OVER_WORK;
    return fail(c->err, "work_limit", "the comparison needs more than %llu units of work",
                (unsigned long long)b->max_work);
  }
  c->since_poll += units;
  if (b->stop && c->since_poll >= WHATIF_POLL) {
    c->since_poll = 0;
    int why = b->stop(b->ctx);
    if (why) {
      b->stopped = why;
      return fail(c->err, "stopped", "the comparison was stopped before it ended");
    }
  }
  return PACTUM_OK;
}

/* Count n more items of the answer against its limit. */
static int answer_grows(cmp_ctx *c, size_t n) {
  whatif_budget *b = c->budget;
  if (!b) return PACTUM_OK;
  b->answer += n;
  if (b->max_answer && b->answer > b->max_answer) {
    b->stopped = WHATIF_OVER_ANSWER;
    return fail(c->err, "answer_limit", "the answer would list more than %llu changes and decision differences",
                (unsigned long long)b->max_answer);
  }
  return PACTUM_OK;
}

/* The state slots an expression reads into seen[]; *other when it reads a value that is not a slot. */
static void collect_slots(const pactum_agreement *agr, int32_t root, int width, uint8_t *seen, uint8_t *other) {
  if (root < 0) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) {
    collect_slots(agr, x->a, width, seen, other);
    return;
  }
  if (x->op == X_AND || x->op == X_OR) {
    collect_slots(agr, x->a, width, seen, other);
    collect_slots(agr, x->b, width, seen, other);
    return;
  }
  if (x->op == X_TRUE) return;
  int nops = x->op == X_TEST || x->op == X_IN ? 1 : 2;
  for (int k = 0; k < nops; k++) {
    uint8_t src = k ? x->rsrc : x->lsrc;
    int32_t slot = k ? x->rslot : x->lslot;
    if (src == SRC_STATE && slot >= 0 && slot < width) seen[slot] = 1;
    else if (src != SRC_CONST && src != SRC_ATTR && src != SRC_DATE) *other = 1;
  }
}

/* For each group: its undated requests, and the state slots its clauses read. */
static int index_groups(cmp_ctx *c) {
  const pactum_agreement *agr = c->agr;
  int ng = c->ngroups;
  c->greq_start = px_calloc((size_t)ng + 1, sizeof(int32_t));
  c->greq = px_malloc(sizeof(int32_t) * (c->nr ? c->nr : 1));
  c->gslot_start = px_calloc((size_t)ng + 1, sizeof(int32_t));
  c->gall = px_calloc((size_t)ng ? (size_t)ng : 1, 1);
  uint8_t *seen = px_calloc((size_t)c->width + 1, 1);
  int32_t *fill = px_malloc(sizeof(int32_t) * ((size_t)ng + 1));
  size_t nslots = 0;
  int rc = PACTUM_OK;
  if (!c->greq_start || !c->greq || !c->gslot_start || !c->gall || !seen || !fill) {
    rc = oom(c->err);
    goto out;
  }
  for (size_t i = 0; i < c->nr; i++)
    if (!c->dated[i]) c->greq_start[c->group[i] + 1]++;
  for (int g = 0; g < ng; g++) c->greq_start[g + 1] += c->greq_start[g];
  memcpy(fill, c->greq_start, sizeof(int32_t) * (size_t)ng);
  for (size_t i = 0; i < c->nr; i++)
    if (!c->dated[i]) c->greq[fill[c->group[i]]++] = (int32_t)i;
  /* Two passes over the clauses: count the slots of each group, then list them. */
  for (int pass = 0; pass < 2; pass++) {
    nslots = 0;
    for (int g = 0; g < ng; g++) {
      const cgroup *gr = &agr->groups[g];
      memset(seen, 0, (size_t)c->width + 1);
      for (int k = 0; k < gr->n; k++) {
        const cclause *cl = &agr->clauses[gr->clause[k]];
        collect_slots(agr, cl->window, c->width, seen, &c->gall[g]);
        collect_slots(agr, cl->when, c->width, seen, &c->gall[g]);
        collect_slots(agr, cl->requires, c->width, seen, &c->gall[g]);
      }
      if (pass == 0) c->gslot_start[g] = (int32_t)nslots;
      for (int s = 0; s < c->width; s++)
        if (seen[s]) {
          if (pass == 1) c->gslot[nslots] = s;
          nslots++;
        }
    }
    c->gslot_start[ng] = (int32_t)nslots;
    if (pass == 0 && !(c->gslot = px_malloc(sizeof(int32_t) * (nslots ? nslots : 1)))) {
      rc = oom(c->err);
      goto out;
    }
  }
out:
  px_free(seen);
  px_free(fill);
  return rc;
}

static int heap_push(cmp_ctx *c, int32_t day, uint32_t gen, size_t key) {
  due *h = px_grow(c->heap, c->nheap, &c->capheap, sizeof *h, 64);
  if (!h) return oom(c->err);
  c->heap = h;
  int i = c->nheap++;
  while (i > 0 && h[(i - 1) / 2].day > day) {
    h[i] = h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h[i] = (due){day, gen, key};
  return PACTUM_OK;
}

static due heap_pop(cmp_ctx *c) {
  due *h = c->heap, top = h[0], last = h[--c->nheap];
  int i = 0, n = c->nheap;
  for (;;) {
    int k = 2 * i + 1;
    if (k >= n) break;
    if (k + 1 < n && h[k + 1].day < h[k].day) k++;
    if (h[k].day >= last.day) break;
    h[i] = h[k];
    i = k;
  }
  if (n) h[i] = last;
  return top;
}

/* Mark request i's decision in timeline t to be made again at this stretch. */
static int mark(cmp_ctx *c, size_t i, int t) {
  if (!c->mark[i]) c->marked[c->nmarked++] = i;
  c->mark[i] |= (uint8_t)(1u << t);
  return PACTUM_OK;
}

/* Timeline t's state moved from row a to row b: mark the kept decisions that read what changed. */
static void state_moved(cmp_ctx *c, int t, const int64_t *a, const int64_t *b) {
  for (int g = 0; g < c->ngroups; g++) {
    if (c->greq_start[g] == c->greq_start[g + 1]) continue;
    int changed = 0;
    if (c->gall[g]) changed = memcmp(a, b, sizeof(int64_t) * (size_t)c->width) != 0;
    for (int32_t k = c->gslot_start[g]; !changed && k < c->gslot_start[g + 1]; k++) changed = a[c->gslot[k]] != b[c->gslot[k]];
    if (!changed) continue;
    for (int32_t k = c->greq_start[g]; k < c->greq_start[g + 1]; k++)
      if (c->kept[2 * (size_t)c->greq[k] + (size_t)t].reads_state) mark(c, (size_t)c->greq[k], t);
  }
}

/* The same decision: outcome, determining clauses and obligations. */
static int kept_same(const cmp_ctx *c, const kept *a, const int32_t *ia, const kept *b, const int32_t *ib) {
  return a->outcome == b->outcome && a->ndet == b->ndet && a->nobl == b->nobl &&
         !memcmp(ia, ib, sizeof(int32_t) * (size_t)a->ndet) &&
         !memcmp(ia + c->G, ib + c->G, sizeof(int32_t) * (size_t)a->nobl);
}

static int32_t *ids_of(const cmp_ctx *c, size_t key) { return c->ids + key * 2 * (size_t)c->G; }

/*
** Decide request i in the timelines of tmask (bit 0: baseline, bit 1: what-if), a request
** without a date on `day`, and keep the decisions; an undated one is due again at its valid_until.
*/
static int make(cmp_ctx *c, size_t i, unsigned tmask, int32_t day) {
  const pactum_agreement *agr = c->agr;
  int rc = request_from_json(c->req, json_array_get(c->requests, i), day, c->err);
  if (rc) return rc == PACTUM_ENOMEM ? rc : fail(c->err, "bad_request", "request %zu cannot be decided", i + 1);
  for (int t = 0; t < 2; t++) {
    if (!(tmask & (1u << t))) continue;
    if ((rc = spend(c, 1))) return rc;
    if (pactum_decide(agr, t ? c->w->hyp : c->w->base, c->req, c->dec))
      return fail(c->err, "bad_request", "request %zu cannot be decided", i + 1);
    size_t key = 2 * i + (size_t)t;
    kept *k = &c->kept[key];
    int32_t *ids = ids_of(c, key);
    k->outcome = (uint8_t)c->dec->outcome;
    k->reads_state = (uint8_t)(c->dec->reads_state != 0);
    k->ndet = c->dec->ndet;
    k->nobl = c->dec->nobl;
    memcpy(ids, c->dec->det, sizeof(int32_t) * (size_t)k->ndet);
    memcpy(ids + c->G, c->dec->obl, sizeof(int32_t) * (size_t)k->nobl);
    k->valid_until = c->dec->valid_until;
    k->gen++;
    if (!c->dated[i] && k->valid_until != DAY_MAX && (rc = heap_push(c, k->valid_until, k->gen, key))) return rc;
  }
  return PACTUM_OK;
}

static int differ(const cmp_ctx *c, size_t i) {
  return !kept_same(c, &c->kept[2 * i], ids_of(c, 2 * i), &c->kept[2 * i + 1], ids_of(c, 2 * i + 1));
}

/*
** Make the marked decisions of undated requests again on `day`; *changed is set when the list of
** differences changes (a request starts or stops differing, or differs otherwise than before).
** old holds room for one request's two kept decisions.
*/
static int remake_marked(cmp_ctx *c, int32_t day, kept *oldk, int32_t *oldids, int *changed) {
  size_t room = 2 * (size_t)c->G;
  for (size_t m = 0; m < c->nmarked; m++) {
    size_t i = c->marked[m];
    unsigned tmask = c->mark[i];
    c->mark[i] = 0;
    int was = (c->differs[i / 64] >> (i % 64)) & 1;
    for (int t = 0; t < 2; t++) {
      oldk[t] = c->kept[2 * i + (size_t)t];
      memcpy(oldids + (size_t)t * room, ids_of(c, 2 * i + (size_t)t), sizeof(int32_t) * room);
    }
    int rc = make(c, i, tmask, day);
    if (rc) return rc;
    int now = differ(c, i);
    if (now != was) {
      c->differs[i / 64] ^= (uint64_t)1 << (i % 64);
      c->ndiffer += now ? 1 : (size_t)-1;
      *changed = 1;
    } else if (now) {
      for (int t = 0; t < 2; t++)
        if (!kept_same(c, &oldk[t], oldids + (size_t)t * room, &c->kept[2 * i + (size_t)t], ids_of(c, 2 * i + (size_t)t)))
          *changed = 1;
    }
  }
  c->nmarked = 0;
  return PACTUM_OK;
}

static json_t *kept_json(const cmp_ctx *c, size_t key) {
  const kept *k = &c->kept[key];
  const int32_t *ids = ids_of(c, key);
  return json_pack("{s:s,s:o,s:o}", "decision", pactum_outcome_name((pactum_outcome)k->outcome), "determining",
                   clause_ids(c->agr, ids, k->ndet), "obligations", clause_ids(c->agr, ids + c->G, k->nobl));
}

/* What differs on day d besides decisions: {"state","commitments","clauses"}, or NULL. */
static json_t *state_diff(const cmp_ctx *c, int32_t d, const int64_t *sb, const int64_t *sh) {
  const pactum_agreement *agr = c->agr;
  json_t *state = json_array(), *commits = json_array(), *clauses = json_array();
  json_t *diff = json_pack("{s:o,s:o,s:o}", "state", state, "commitments", commits, "clauses", clauses);
  if (!diff) return NULL;
  for (int i = 0; i < agr->nstates; i++)
    if (sb[i] != sh[i])
      json_array_append_new(state, json_pack("{s:s,s:o,s:o}", "name", agr->states[i].name, "baseline",
                                             value_json(agr, agr->states[i].type, sb[i]), "whatif",
                                             value_json(agr, agr->states[i].type, sh[i])));
  for (int i = 0; i < agr->ncommits; i++) {
    int64_t b = sb[agr->nstates + i], h = sh[agr->nstates + i];
    type_ref t = {.kind = agr->commits[i].is_money ? TY_MONEY : TY_INTEGER}; /* money in dollars (num.h) */
    if (b != h)
      json_array_append_new(commits, json_pack("{s:s,s:o,s:o,s:o}", "id", agr->commits[i].id, "baseline",
                                               value_json(agr, t, b), "whatif", value_json(agr, t, h), "total",
                                               value_json(agr, t, agr->commits[i].total)));
  }
  for (int i = 0; i < agr->nclauses; i++) {
    int b = clause_in_effect(agr, &agr->clauses[i], sb, d), h = clause_in_effect(agr, &agr->clauses[i], sh, d);
    if (b != h)
      json_array_append_new(clauses, json_pack("{s:s,s:b,s:b}", "clause", agr->clauses[i].id, "baseline", b, "whatif", h));
  }
  return diff;
}

static int parts_empty(json_t *d) {
  const char *k;
  json_t *v;
  json_object_foreach(d, k, v) if (json_array_size(v)) return 0;
  return 1;
}

/* The same state, commitments and clauses as the change `last`. */
static int parts_equal(json_t *last, json_t *parts) {
  json_t *ld = json_object_get(last, "diff");
  return json_equal(json_object_get(ld, "state"), json_object_get(parts, "state")) &&
         json_equal(json_object_get(ld, "commitments"), json_object_get(parts, "commitments")) &&
         json_equal(json_object_get(ld, "clauses"), json_object_get(parts, "clauses"));
}

/*
** The decisions that differ on this stretch, in request order: the undated requests that differ,
** and the dated ones of this stretch (here[0..nhere), ascending) that differ.
*/
static int list_one(cmp_ctx *c, size_t i, json_t *out) {
  int rc = spend(c, 1);
  if (rc) return rc;
  if (json_array_append_new(out, json_pack("{s:O,s:o,s:o}", "request", json_array_get(c->requests, i), "baseline",
                                           kept_json(c, 2 * i), "whatif", kept_json(c, 2 * i + 1))))
    return oom(c->err);
  return PACTUM_OK;
}

static int list_decisions(cmp_ctx *c, const int32_t *here, size_t nhere, json_t *out) {
  size_t h = 0;
  int rc = PACTUM_OK;
  for (size_t wd = 0; wd < c->nr / 64 + 1; wd++)
    for (uint64_t bits = c->differs[wd]; bits; bits &= bits - 1) {
      size_t i = wd * 64 + (size_t)__builtin_ctzll(bits);
      for (; h < nhere && (size_t)here[h] < i; h++)
        if (differ(c, (size_t)here[h]) && (rc = list_one(c, (size_t)here[h], out))) return rc;
      if ((rc = list_one(c, i, out))) return rc;
    }
  for (; h < nhere; h++)
    if (differ(c, (size_t)here[h]) && (rc = list_one(c, (size_t)here[h], out))) return rc;
  return PACTUM_OK;
}

/* The through member of a change: a day, or null for "for ever after". */
static void set_through(json_t *ch, int32_t through) {
  char d[11];
  if (through == DAY_MAX) {
    json_object_set_new(ch, "through", json_null());
  } else {
    date_format(through, d);
    json_object_set_new(ch, "through", json_string(d));
  }
}

/* The stretch of days each dated request belongs to; bucket[s] .. bucket[s + 1] index into order. */
static int bucket_dated(cmp_ctx *c, const int32_t *cuts, size_t n, int has_day, int32_t **bucket, int32_t **order) {
  *bucket = px_calloc(n + 2, sizeof(int32_t));
  *order = px_malloc(sizeof(int32_t) * (c->nr ? c->nr : 1));
  int32_t *sof = px_malloc(sizeof(int32_t) * (c->nr ? c->nr : 1));
  if (!*bucket || !*order || !sof) {
    px_free(sof);
    return oom(c->err);
  }
  for (size_t i = 0; i < c->nr; i++) {
    if (!c->dated[i]) continue;
    size_t lo = 0, hi = n; /* the last cut on or before its date; before the first, the first */
    while (!has_day && lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cuts[mid] <= c->rday[i]) lo = mid + 1;
      else hi = mid;
    }
    sof[i] = has_day || lo == 0 ? 0 : (int32_t)lo - 1;
    (*bucket)[sof[i] + 1]++;
  }
  for (size_t s = 0; s < n + 1; s++) (*bucket)[s + 1] += (*bucket)[s];
  int32_t *fill = px_malloc(sizeof(int32_t) * (n + 1));
  if (!fill) {
    px_free(sof);
    return oom(c->err);
  }
  memcpy(fill, *bucket, sizeof(int32_t) * (n + 1));
  for (size_t i = 0; i < c->nr; i++)
    if (c->dated[i]) (*order)[fill[sof[i]]++] = (int32_t)i;
  px_free(fill);
  px_free(sof);
  return PACTUM_OK;
}

int whatif_compare(const whatif *w, json_t *requests, int has_day, int32_t day, json_t **out, pactum_error *err) {
  return whatif_compare_bounded(w, requests, has_day, day, NULL, out, err);
}

int whatif_compare_bounded(const whatif *w, json_t *requests, int has_day, int32_t day, whatif_budget *budget,
                           json_t **out, pactum_error *err) {
  const pactum_agreement *agr = w->agr;
  size_t nr = json_array_size(requests), one = nr ? nr : 1;
  cmp_ctx c;
  memset(&c, 0, sizeof c);
  c.w = w;
  c.agr = agr;
  c.requests = requests;
  c.nr = nr;
  c.G = agr->max_group + 1;
  c.width = agr->nstates + agr->ncommits;
  c.ngroups = agr->nactions * agr->nparties;
  c.budget = budget;
  c.since_poll = WHATIF_POLL; /* ask the stop hook before the first unit of work */
  c.err = err;
  c.dated = px_calloc(one, 1);
  c.rday = px_calloc(one, sizeof(int32_t));
  c.group = px_calloc(one, sizeof(int32_t));
  c.kept = px_calloc(2 * one, sizeof(kept));
  c.ids = px_calloc(2 * one * 2 * (size_t)c.G, sizeof(int32_t));
  c.mark = px_calloc(one, 1);
  c.marked = px_malloc(sizeof(size_t) * one);
  c.differs = px_calloc(nr / 64 + 1, sizeof(uint64_t));
  c.req = pactum_request_new(agr);
  c.dec = pactum_decision_new(agr);
  size_t cap = 1 + w->base->n + w->hyp->n;
  for (int i = 0; i < agr->nclauses; i++) cap += (size_t)agr->clauses[i].nbounds;
  int32_t *cuts = px_malloc(sizeof(int32_t) * cap), *bucket = NULL, *order = NULL, *oldids = NULL;
  kept oldk[2];
  json_t *changes = json_array(), *parts = NULL, *decisions = NULL;
  int rc = PACTUM_OK;
  *out = NULL;
  if (budget) budget->stopped = 0;
  oldids = px_malloc(sizeof(int32_t) * 4 * (size_t)c.G);
  int64_t *rows = px_malloc(sizeof(int64_t) * (4 * (size_t)c.width + 1)); /* two rows for each timeline */
  if (!c.dated || !c.rday || !c.group || !c.kept || !c.ids || !c.mark || !c.marked || !c.differs || !c.req || !c.dec ||
      !cuts || !changes || !oldids || !rows) {
    rc = oom(err);
    goto done;
  }
  if ((rc = spend(&c, 0))) goto done;
  /* Check every request once, and note its group and whether it carries its own date. */
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
    c.group[i] = c.req->action * agr->nparties + c.req->principal;
  }
  if ((rc = index_groups(&c))) goto done;
  size_t n = 0;
  if (has_day) {
    cuts[n++] = day;
  } else {
    cuts[n++] = agr->effective;
    for (size_t i = 0; i < w->base->n; i++) cuts[n++] = timeline_day(w->base, i);
    for (size_t i = 0; i < w->hyp->n; i++) cuts[n++] = timeline_day(w->hyp, i);
    for (int i = 0; i < agr->nclauses; i++)
      for (int k = 0; k < agr->clauses[i].nbounds; k++) cuts[n++] = agr->clauses[i].bounds[k];
    qsort(cuts, n, sizeof cuts[0], cmp_i32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
      if (!u || cuts[u - 1] != cuts[i]) cuts[u++] = cuts[i];
    n = u;
  }
  if ((rc = bucket_dated(&c, cuts, n, has_day, &bucket, &order))) goto done;
  json_t *last = NULL;             /* the change that the next stretch may extend */
  const int64_t *row[2] = {NULL, NULL}; /* each timeline's state on the stretch: one of its two rows */
  size_t upto[2] = {0, 0};         /* the events that state is after */
  int dated_before = 0;            /* the stretch before listed dated requests */
  for (size_t s = 0; s < n; s++) {
    int32_t from = cuts[s], through = s + 1 < n ? cuts[s + 1] - 1 : DAY_MAX;
    if (has_day) through = from;
    if ((rc = spend(&c, 1))) goto done;
    int changed = dated_before;
    /* Which kept decisions of the undated requests no longer hold on `from`. */
    for (int t = 0; t < 2; t++) {
      const pactum_timeline *tl = t ? w->hyp : w->base;
      size_t k = timeline_count_until(tl, from);
      int64_t *mine = rows + (size_t)(2 * t) * (size_t)c.width, *other = mine + c.width;
      if (s == 0) {
        for (size_t i = 0; i < nr; i++)
          if (!c.dated[i]) mark(&c, i, t);
        row[t] = timeline_row(tl, k, mine);
      } else if (k != upto[t]) {
        const int64_t *now = timeline_row(tl, k, row[t] == mine ? other : mine);
        state_moved(&c, t, row[t], now);
        row[t] = now;
      }
      upto[t] = k;
    }
    while (c.nheap && c.heap[0].day <= from) {
      due d = heap_pop(&c);
      if (c.kept[d.key].gen == d.gen) mark(&c, d.key / 2, (int)(d.key % 2));
    }
    if ((rc = remake_marked(&c, from, oldk, oldids, &changed))) goto done;
    /* The dated requests of this stretch, decided on their own dates. */
    const int32_t *here = order + bucket[s];
    size_t nhere = (size_t)(bucket[s + 1] - bucket[s]), dated_differ = 0;
    for (size_t k = 0; k < nhere; k++) {
      if ((rc = make(&c, (size_t)here[k], 3, from))) goto done;
      dated_differ += (size_t)differ(&c, (size_t)here[k]);
    }
    if (dated_differ) changed = 1;
    dated_before = dated_differ > 0;
    if (!(parts = state_diff(&c, from, row[0], row[1]))) {
      rc = oom(err);
      goto done;
    }
    if (parts_empty(parts) && !c.ndiffer && !dated_differ) {
      json_decref(parts);
      parts = NULL;
      last = NULL;
      continue;
    }
    if (last && !changed && parts_equal(last, parts)) {
      /* Nothing differs otherwise than on the stretch before: it extends that change. */
      json_decref(parts);
      parts = NULL;
      set_through(last, through);
      continue;
    }
    if (!(decisions = json_array()) || (rc = list_decisions(&c, here, nhere, decisions))) {
      if (!rc) rc = oom(err);
      goto done;
    }
    if (json_object_set_new(parts, "decisions", decisions)) {
      decisions = NULL;
      rc = oom(err);
      goto done;
    }
    size_t listed = json_array_size(decisions);
    decisions = NULL;
    if (last && json_equal(json_object_get(last, "diff"), parts)) {
      json_decref(parts);
      parts = NULL;
      set_through(last, through);
      continue;
    }
    if ((rc = answer_grows(&c, 1 + listed))) goto done;
    char d1[11];
    date_format(from, d1);
    json_t *ch = json_pack("{s:s,s:o}", "from", d1, "diff", parts);
    parts = NULL;
    if (!ch || json_array_append_new(changes, ch)) {
      rc = oom(err);
      goto done;
    }
    set_through(ch, through);
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
  /* Not compared yet, and said so rather than left out silently. */
  else if (agr->nobligs && json_object_set_new(*out, "not_compared", json_pack("[s]", "obligations")))
    rc = oom(err);
done:
  json_decref(changes);
  json_decref(parts);
  json_decref(decisions);
  px_free(cuts);
  px_free(bucket);
  px_free(order);
  px_free(oldids);
  px_free(rows);
  px_free(c.dated);
  px_free(c.rday);
  px_free(c.group);
  px_free(c.kept);
  px_free(c.ids);
  px_free(c.mark);
  px_free(c.marked);
  px_free(c.differs);
  px_free(c.heap);
  px_free(c.greq_start);
  px_free(c.greq);
  px_free(c.gslot_start);
  px_free(c.gslot);
  px_free(c.gall);
  pactum_request_free(c.req);
  pactum_decision_free(c.dec);
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
  if (json_array_size(json_object_get(r, "not_compared")))
    buf_puts(&b, "(the obligations' instances are not compared yet: run 'pactum obligations' on each record)\n");
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
        type_kind tk = k < agr->nstates ? agr->states[k].type.kind : TY_NONE;
        int64_t n = 0;
        if (ref) report_value(&b, agr, agr->states[k].type, (int64_t)json_integer_value(val), 0); /* "seq 4", "none" */
        else if ((tk == TY_MONEY || tk == TY_DECIMAL) && num_from_json(val, &n) == NUM_OK)
          report_value(&b, agr, agr->states[k].type, n, 0); /* "$200.10", "0.995027" */
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
      static const char *const sides[] = {"baseline", " -> ", "whatif", " of ", "total"};
      for (int s2 = 0; s2 < 5; s2++) {
        if (s2 % 2) {
          buf_puts(&b, sides[s2]);
          continue;
        }
        json_t *val = json_object_get(x, sides[s2]);
        int64_t n = (int64_t)json_integer_value(val);
        if (t.kind == TY_MONEY && num_from_json(val, &n)) n = 0; /* written by value_json: cannot fail */
        report_value(&b, agr, t, n, 0);
      }
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
