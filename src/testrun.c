/*
** testrun.c: runs an agreement's test file (X.test.jsonl beside X.pact) for `pactum test`.
**
** Each line that is neither blank nor a `#` comment is one test: events are folded in order, event
** i with seq i + 1 and its "recorded_by" read as a claim. Those listed in "rejected" must be
** refused: a bare index by the agreement's rules (a transition guard or a ref), an object
** {"event", "code", "message"?} with that error code (and message); every other event must be
** accepted. Then, where the test gives them, the request is decided and the decision compared with
** "expect" (the outcome; the determining, overridden and obligation clauses as sets; valid_until),
** and the status on each date of "status" is compared with what it names (state variables,
** commitments' members, clauses in effect, the count of events, obligation instances). A line that
** is not a well-formed test is an input error, reported with its line number and not counted as
** passed or failed; so is an expectation this build cannot check (obligation states before
** `pactum status` reports them), which is never passed silently. Clauses that appear as
** determining or as obligations in any test's decision are covered; the rest are reported.
*/
#include "testrun.h"

#include "alloc.h"
#include "date.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

int testrun_agreement_path(const char *test_path, buf *out) {
  static const char suffix[] = ".test.jsonl";
  size_t n = strlen(test_path), k = sizeof suffix - 1;
  if (n <= k || strcmp(test_path + n - k, suffix) != 0) return -1;
  buf_init(out);
  buf_append(out, test_path, n - k);
  buf_puts(out, ".pact");
  return 0;
}

/* One file's run. Failures and errors are gathered as JSON values and rendered at the end. */
typedef struct tctx {
  const pactum_agreement *agr;
  const char *path;
  int as_json;
  buf *report, *errors;
  json_t *failures, *errs; /* arrays */
  uint8_t *covered;        /* [nclauses] */
  json_t *names;           /* test names seen: object used as a set */
  json_t *shape;           /* the status of an empty timeline: the names a status expectation may use */
  int passed, failed, nerr;
  int oom;
} tctx;

/* Report an input error; `code`, when not NULL, sets it apart in JSON ("unsupported"). */
static void line_verror(tctx *t, long line, const char *code, const char *fmt, va_list ap) {
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  t->nerr++;
  if (t->as_json) {
    json_t *e = line ? json_pack("{s:I,s:s}", "line", (json_int_t)line, "message", msg) : json_pack("{s:s}", "message", msg);
    if (e && code) json_object_set_new(e, "code", json_string(code));
    if (!e || json_array_append_new(t->errs, e)) t->oom = 1;
  } else if (line) {
    buf_printf(t->errors, "%s:%ld: error: %s\n", t->path, line, msg);
  } else {
    buf_printf(t->errors, "%s: error: %s\n", t->path, msg);
  }
}

static void line_error(tctx *t, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line_error(tctx *t, long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  line_verror(t, line, NULL, fmt, ap);
  va_end(ap);
}

static void line_error_code(tctx *t, long line, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void line_error_code(tctx *t, long line, const char *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  line_verror(t, line, code, fmt, ap);
  va_end(ap);
}

/* One mismatch of a failing test: field, expected and got (JSON values it takes), and a message. */
typedef struct mismatch {
  json_t *list; /* array of {"field","expected","got"} */
  buf text;     /* "field: expected X, got Y; ..." */
} mismatch;

static void mismatch_add(mismatch *m, const char *field, json_t *expected, json_t *got, const char *extra) {
  char *e = json_dumps(expected, JSON_COMPACT | JSON_ENCODE_ANY), *g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
  if (m->text.len) buf_puts(&m->text, "; ");
  buf_printf(&m->text, "%s: expected %s, got %s%s", field, e ? e : "?", g ? g : "?", extra ? extra : "");
  px_free(e);
  px_free(g);
  json_array_append_new(m->list, json_pack("{s:s,s:o,s:o}", "field", field, "expected", expected, "got", got));
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The clause ids of v[0..n) as a sorted JSON array. */
static json_t *id_array(const pactum_agreement *agr, const int32_t *v, int n) {
  const char **ids = px_malloc(sizeof(char *) * (size_t)(n ? n : 1));
  json_t *a = json_array();
  if (!ids || !a) {
    px_free(ids);
    json_decref(a);
    return NULL;
  }
  for (int i = 0; i < n; i++) ids[i] = agr->clauses[v[i]].id;
  qsort(ids, (size_t)n, sizeof ids[0], cmp_cstr);
  for (int i = 0; i < n; i++) json_array_append_new(a, json_string(ids[i]));
  px_free(ids);
  return a;
}

/* A JSON array of strings, sorted (a new array). */
static json_t *sorted_strings(json_t *want) {
  size_t n = json_array_size(want);
  const char **s = px_malloc(sizeof(char *) * (n ? n : 1));
  json_t *a = json_array();
  if (!s || !a) {
    px_free(s);
    json_decref(a);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) s[i] = json_string_value(json_array_get(want, i));
  qsort(s, n, sizeof s[0], cmp_cstr);
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(s[i]));
  px_free(s);
  return a;
}

static int find_clause(const pactum_agreement *agr, const char *id) {
  for (int i = 0; i < agr->nclauses; i++)
    if (!strcmp(agr->clauses[i].id, id)) return i;
  return -1;
}

/* 1 if key is one of keys[0..n). */
static int one_of(const char *key, const char *const *keys, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (!strcmp(keys[k], key)) return 1;
  return 0;
}

/* The event index a "rejected" item names: the item itself, or its "event" member. */
static json_t *rejected_index(json_t *item) { return json_is_object(item) ? json_object_get(item, "event") : item; }

/* "rejected": event indexes, or {"event", "code", "message"?}, each event at most once. */
static int validate_rejected(tctx *t, const char *nm, json_t *rejected, size_t nevents, long line) {
  static const char *const rkeys[] = {"event", "code", "message"};
  size_t i, j;
  json_t *v, *w;
  const char *key;
  if (!json_is_array(rejected)) return line_error(t, line, "test '%s': 'rejected' must be an array", nm), -1;
  json_array_foreach(rejected, i, v) {
    if (json_is_object(v)) {
      json_object_foreach(v, key, w) {
        if (!one_of(key, rkeys, sizeof rkeys / sizeof rkeys[0]))
          return line_error(t, line,
                            "test '%s': 'rejected' item %zu has the unknown member '%s' (an item is an event index, "
                            "or {\"event\", \"code\", \"message\"})",
                            nm, i, key),
                 -1;
      }
      json_t *code = json_object_get(v, "code"), *msg = json_object_get(v, "message");
      if (!json_is_string(code) || !json_string_length(code))
        return line_error(t, line, "test '%s': 'rejected' item %zu needs a 'code', the error code that refuses the event",
                          nm, i),
               -1;
      if (msg && !json_is_string(msg))
        return line_error(t, line, "test '%s': 'rejected' item %zu: 'message' must be a string", nm, i), -1;
    }
    json_t *ix = rejected_index(v);
    if (!json_is_integer(ix) || json_integer_value(ix) < 0 || (size_t)json_integer_value(ix) >= nevents)
      return line_error(t, line, "test '%s': 'rejected' item %zu is not the index of one of its %zu events", nm, i, nevents),
             -1;
    for (j = 0; j < i; j++)
      if (json_integer_value(rejected_index(json_array_get(rejected, j))) == json_integer_value(ix))
        return line_error(t, line, "test '%s': 'rejected' names event %lld twice", nm, (long long)json_integer_value(ix)), -1;
  }
  return 0;
}

/* "expect": the decision and its clause lists, as before status and refusals were added. */
static int validate_expect(tctx *t, const char *nm, json_t *expect, long line) {
  static const char *const ekeys[] = {"decision", "determining", "overridden", "obligations", "valid_until"};
  const char *key;
  json_t *v;
  size_t i;
  json_object_foreach(expect, key, v) {
    if (!one_of(key, ekeys, sizeof ekeys / sizeof ekeys[0]))
      return line_error(t, line,
                        "test '%s': unknown member 'expect.%s' (expect has decision, determining, overridden, "
                        "obligations and valid_until)",
                        nm, key),
             -1;
  }
  const char *d = json_string_value(json_object_get(expect, "decision"));
  if (!d || (strcmp(d, "allow") && strcmp(d, "deny") && strcmp(d, "not_applicable") && strcmp(d, "conflict")))
    return line_error(t, line, "test '%s': 'expect.decision' must be allow, deny, not_applicable or conflict", nm), -1;
  static const char *const lists[] = {"determining", "overridden", "obligations"};
  for (size_t l = 0; l < 3; l++) {
    json_t *a = json_object_get(expect, lists[l]);
    if (!a) continue;
    if (!json_is_array(a)) return line_error(t, line, "test '%s': 'expect.%s' must be an array of clause ids", nm, lists[l]), -1;
    json_array_foreach(a, i, v) {
      if (!json_is_string(v))
        return line_error(t, line, "test '%s': 'expect.%s' must be an array of clause ids", nm, lists[l]), -1;
      if (find_clause(t->agr, json_string_value(v)) < 0)
        return line_error(t, line, "test '%s': 'expect.%s' names '%s', which is no clause of the agreement", nm, lists[l],
                          json_string_value(v)),
               -1;
    }
  }
  return 0;
}

/* The element of the array `a` whose member `key` is the string `id`, or NULL. */
static json_t *find_by(json_t *a, const char *key, const char *id) {
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) {
    const char *s = json_string_value(json_object_get(v, key));
    if (s && !strcmp(s, id)) return v;
  }
  return NULL;
}

/* One object of "status": a date and what to compare on it, every name one the agreement has. */
static int validate_status_one(tctx *t, const char *nm, json_t *st, long line) {
  static const char *const skeys[] = {"date", "state", "commitments", "clauses", "events", "obligations"};
  const char *key, *k2;
  json_t *v, *w;
  size_t i;
  int32_t day;
  if (!json_is_object(st)) return line_error(t, line, "test '%s': 'status' must be an object or an array of objects", nm), -1;
  json_object_foreach(st, key, v) {
    if (!one_of(key, skeys, sizeof skeys / sizeof skeys[0]))
      return line_error(t, line,
                        "test '%s': unknown member 'status.%s' (status has date, state, commitments, clauses, events "
                        "and obligations)",
                        nm, key),
             -1;
  }
  const char *ds = json_string_value(json_object_get(st, "date"));
  if (!ds || date_parse(ds, strlen(ds), &day) != 0)
    return line_error(t, line, "test '%s': 'status.date' must be a day, YYYY-MM-DD", nm), -1;
  if (json_object_size(st) < 2)
    return line_error(t, line, "test '%s': the status on %s checks nothing (give state, commitments, clauses, events or obligations)",
                      nm, ds),
           -1;
  json_t *state = json_object_get(st, "state");
  if (state) {
    if (!json_is_object(state)) return line_error(t, line, "test '%s': 'status.state' must be an object", nm), -1;
    json_object_foreach(state, key, v) {
      if (!json_object_get(json_object_get(t->shape, "state"), key))
        return line_error(t, line, "test '%s': 'status.state' names '%s', which is no state variable of the agreement", nm, key), -1;
    }
  }
  json_t *commits = json_object_get(st, "commitments");
  if (commits) {
    if (!json_is_object(commits)) return line_error(t, line, "test '%s': 'status.commitments' must be an object", nm), -1;
    json_object_foreach(commits, key, v) {
      json_t *shape = find_by(json_object_get(t->shape, "commitments"), "id", key);
      if (!shape)
        return line_error(t, line, "test '%s': 'status.commitments' names '%s', which is no commitment of the agreement", nm, key),
               -1;
      if (!json_is_object(v) || !json_object_size(v))
        return line_error(t, line, "test '%s': 'status.commitments.%s' must be an object such as {\"fulfilled\": 0}", nm, key), -1;
      json_object_foreach(v, k2, w) {
        if (!json_object_get(shape, k2) || !strcmp(k2, "id"))
          return line_error(t, line,
                            "test '%s': 'status.commitments.%s.%s' is not reported for a commitment (fulfilled, "
                            "remaining, total, percent, deadline ...)",
                            nm, key, k2),
                 -1;
      }
    }
  }
  json_t *clauses = json_object_get(st, "clauses");
  if (clauses) {
    if (!json_is_object(clauses)) return line_error(t, line, "test '%s': 'status.clauses' must be an object", nm), -1;
    json_object_foreach(clauses, key, v) {
      if (find_clause(t->agr, key) < 0)
        return line_error(t, line, "test '%s': 'status.clauses' names '%s', which is no clause of the agreement", nm, key), -1;
      if (!json_is_boolean(v))
        return line_error(t, line, "test '%s': 'status.clauses.%s' must be true (in effect) or false", nm, key), -1;
    }
  }
  json_t *events = json_object_get(st, "events");
  if (events && (!json_is_integer(events) || json_integer_value(events) < 0))
    return line_error(t, line, "test '%s': 'status.events' must be a count of events", nm), -1;
  json_t *obls = json_object_get(st, "obligations");
  if (obls) {
    /* Never passed silently: a build whose status has no obligation states says it cannot check them. */
    if (!json_is_array(json_object_get(t->shape, "obligations")))
      return line_error_code(t, line, "unsupported",
                             "test '%s': 'status.obligations' cannot be checked yet: this build of pactum reports no "
                             "obligation states (issue 14)",
                             nm),
             -1;
    if (!json_is_array(obls)) return line_error(t, line, "test '%s': 'status.obligations' must be an array", nm), -1;
    json_array_foreach(obls, i, v) {
      if (!json_is_object(v) || !json_is_string(json_object_get(v, "id")))
        return line_error(t, line, "test '%s': 'status.obligations' item %zu must be an object with an 'id'", nm, i), -1;
    }
  }
  return 0;
}

/* Check the shape of one test; report the first problem as an input error. 0 if well formed. */
static int validate(tctx *t, json_t *sc, long line) {
  static const char *const keys[] = {"name", "events", "rejected", "request", "expect", "status"};
  const char *key;
  json_t *v;
  size_t i;
  if (!json_is_object(sc)) return line_error(t, line, "a test must be a JSON object"), -1;
  json_object_foreach(sc, key, v) {
    if (!one_of(key, keys, sizeof keys / sizeof keys[0]))
      return line_error(t, line, "unknown member '%s' (a test has name, events, rejected, request, expect and status)", key), -1;
  }
  json_t *name = json_object_get(sc, "name");
  if (!json_is_string(name) || !json_string_length(name))
    return line_error(t, line, "the test has no 'name' (a non-empty string)"), -1;
  const char *nm = json_string_value(name);
  if (json_object_get(t->names, nm)) return line_error(t, line, "duplicate test name '%s'", nm), -1;
  json_object_set_new(t->names, nm, json_integer(line));
  json_t *events = json_object_get(sc, "events"), *rejected = json_object_get(sc, "rejected");
  json_t *request = json_object_get(sc, "request"), *expect = json_object_get(sc, "expect");
  json_t *status = json_object_get(sc, "status");
  if (events && !json_is_array(events)) return line_error(t, line, "test '%s': 'events' must be an array", nm), -1;
  json_array_foreach(events, i, v) if (!json_is_object(v))
    return line_error(t, line, "test '%s': event %zu must be a JSON object", nm, i), -1;
  if (rejected && validate_rejected(t, nm, rejected, json_array_size(events), line)) return -1;
  if (!request && !expect && !status && !rejected)
    return line_error(t, line, "test '%s' checks nothing: give 'request' and 'expect', 'status' or 'rejected'", nm), -1;
  if ((request || expect) && !json_is_object(request))
    return line_error(t, line, "test '%s' has no 'request' (a JSON object)", nm), -1;
  if (request && !json_is_object(expect)) return line_error(t, line, "test '%s' has no 'expect' (a JSON object)", nm), -1;
  if (expect && validate_expect(t, nm, expect, line)) return -1;
  if (status) {
    if (json_is_array(status)) {
      if (!json_array_size(status)) return line_error(t, line, "test '%s': 'status' is an empty array", nm), -1;
      json_array_foreach(status, i, v) if (validate_status_one(t, nm, v, line)) return -1;
    } else if (validate_status_one(t, nm, status, line)) {
      return -1;
    }
  }
  return 0;
}

/* "event 1 (payment_missed, 2026-03-01)" */
static void event_label(buf *b, size_t i, json_t *ev) {
  const char *type = json_string_value(json_object_get(ev, "type")), *date = json_string_value(json_object_get(ev, "date"));
  buf_printf(b, "event %zu (%s, %s)", i, type ? type : "?", date ? date : "?");
}

/* The "rejected" item that names event i, or NULL. */
static json_t *rejected_item(json_t *rejected, size_t i) {
  size_t j;
  json_t *r;
  json_array_foreach(rejected, j, r) if ((size_t)json_integer_value(rejected_index(r)) == i) return r;
  return NULL;
}

/* "MESSAGE [CODE]" as a new JSON string. */
static json_t *refusal(const pactum_error *err) {
  buf b;
  buf_init(&b);
  buf_printf(&b, "%s [%s]", err->message, err->code);
  json_t *s = json_string(b.data ? b.data : "");
  buf_release(&b);
  return s;
}

/*
** Fold the test's events into tl, each checked against "rejected". Stops at the first event that
** went otherwise (one mismatch in m): 1. All as said: 0. Out of memory: -1.
*/
static int fold_events(json_t *events, json_t *rejected, pactum_timeline *tl, mismatch *m) {
  size_t i;
  json_t *ev;
  pactum_error err;
  json_array_foreach(events, i, ev) {
    json_t *want = rejected_item(rejected, i);
    int rc = timeline_append_claimed(tl, ev, (int64_t)i + 1, &err); /* its seq is its position */
    if (rc == PACTUM_ENOMEM) return -1;
    json_t *expected = NULL, *got = NULL;
    const char *what = NULL;
    if (!want) {
      if (rc == PACTUM_OK) continue;
      expected = json_string("accepted"), got = refusal(&err);
    } else if (!json_is_object(want)) {
      /* Refused by the agreement's own rules: a guard, or a ref that names no earlier event of its type. */
      if (rc != PACTUM_OK && (!strcmp(err.code, "guard_failed") || !strcmp(err.code, "bad_reference"))) continue;
      expected = json_string("refused by the agreement");
      got = rc ? refusal(&err) : json_string("accepted");
    } else {
      const char *code = json_string_value(json_object_get(want, "code"));
      json_t *msg = json_object_get(want, "message");
      if (rc != PACTUM_OK && !strcmp(code, err.code)) {
        if (!msg || !strcmp(json_string_value(msg), err.message)) continue;
        what = " message", expected = json_incref(msg), got = json_string(err.message);
      } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "refused [%s]", code);
        expected = json_string(b.data ? b.data : "");
        buf_release(&b);
        got = rc ? refusal(&err) : json_string("accepted");
      }
    }
    buf label;
    buf_init(&label);
    event_label(&label, i, ev);
    if (what) buf_puts(&label, what);
    mismatch_add(m, label.data ? label.data : "event", expected, got, NULL);
    buf_release(&label);
    return 1;
  }
  return 0;
}

/*
** Decide the test's request on tl and compare the decision with "expect", adding mismatches to m.
** 0 done; -1 an input error (reported); -2 out of memory.
*/
static int check_decision(tctx *t, json_t *sc, long line, pactum_timeline *tl, pactum_request *req, pactum_decision *dec,
                          mismatch *m) {
  const pactum_agreement *agr = t->agr;
  const char *name = json_string_value(json_object_get(sc, "name"));
  json_t *expect = json_object_get(sc, "expect");
  pactum_error err;
  char *rq = json_dumps(json_object_get(sc, "request"), JSON_COMPACT);
  int rc = rq ? pactum_request_parse_json(req, rq, strlen(rq), PACTUM_NO_DAY, &err) : PACTUM_ENOMEM;
  px_free(rq);
  if (rc == PACTUM_OK) rc = pactum_decide(agr, tl, req, dec);
  else if (rc == PACTUM_EINPUT) {
    line_error(t, line, "test '%s': the request is refused: %s [%s]", name, err.message, err.code);
    return -1;
  }
  if (rc == PACTUM_EINPUT && dec->fault) {
    pactum_decision_error(dec, &err); /* the clause whose arithmetic failed */
    line_error(t, line, "test '%s': %s [%s]", name, err.message, err.code);
    return -1;
  }
  if (rc == PACTUM_EINPUT) {
    line_error(t, line, "test '%s': the request cannot be decided: an attribute without a default is not given", name);
    return -1;
  }
  if (rc) return -2;
  for (int k = 0; k < dec->ndet; k++) t->covered[dec->det[k]] = 1;
  for (int k = 0; k < dec->nobl; k++) t->covered[dec->obl[k]] = 1;

  const char *want = json_string_value(json_object_get(expect, "decision"));
  const char *got = pactum_outcome_name(dec->outcome);
  if (strcmp(want, got)) {
    json_t *det = id_array(agr, dec->det, dec->ndet);
    char *ds = json_dumps(det, JSON_COMPACT);
    buf extra;
    buf_init(&extra);
    buf_printf(&extra, " (determining %s)", ds ? ds : "?");
    px_free(ds);
    json_decref(det);
    mismatch_add(m, "decision", json_string(want), json_string(got), extra.data);
    buf_release(&extra);
  }
  static const char *const lists[] = {"determining", "overridden", "obligations"};
  for (int l = 0; l < 3; l++) {
    json_t *w = json_object_get(expect, lists[l]);
    if (!w) continue;
    const int32_t *v = l == 0 ? dec->det : l == 1 ? dec->over : dec->obl;
    int n = l == 0 ? dec->ndet : l == 1 ? dec->nover : dec->nobl;
    json_t *ws = sorted_strings(w), *gs = id_array(agr, v, n);
    if (!ws || !gs) {
      json_decref(ws);
      json_decref(gs);
      return -2;
    }
    if (!json_equal(ws, gs)) {
      mismatch_add(m, lists[l], ws, gs, NULL);
    } else {
      json_decref(ws);
      json_decref(gs);
    }
  }
  json_t *wv = json_object_get(expect, "valid_until");
  if (wv) {
    char small[4096];
    size_t need = pactum_decision_to_json(dec, small, sizeof small);
    char *text = need < sizeof small ? small : px_malloc(need + 1);
    if (text != small && text) pactum_decision_to_json(dec, text, need + 1);
    json_t *d = text ? json_loadb(text, need, 0, NULL) : NULL;
    if (text != small) px_free(text);
    json_t *gv = d ? json_object_get(d, "valid_until") : NULL;
    if (!gv) {
      json_decref(d);
      return -2;
    }
    if (!json_equal(wv, gv)) mismatch_add(m, "valid_until", json_incref(wv), json_incref(gv), NULL);
    json_decref(d);
  }
  return 0;
}

/*
** Two values of a status equal? JSON equality, except that numbers compare by value, so 750000
** equals 750000.0 (a money amount may be printed with a fraction).
*/
static int values_equal(json_t *a, json_t *b) {
  if (json_is_number(a) && json_is_number(b) && !(json_is_integer(a) && json_is_integer(b)))
    return json_number_value(a) == json_number_value(b);
  return json_equal(a, b);
}

/* Compare one value of a status; the field is "status DATE WHAT". got may be NULL (absent). */
static void status_compare(mismatch *m, const char *date, const char *what, json_t *want, json_t *got) {
  if (got && values_equal(want, got)) return;
  buf f;
  buf_init(&f);
  buf_printf(&f, "status %s %s", date, what);
  mismatch_add(m, f.data ? f.data : "status", json_incref(want), got ? json_incref(got) : json_null(), NULL);
  buf_release(&f);
}

/* The obligation instance of `got` that `want` names by its id (and instance, when it gives one). */
static json_t *find_instance(json_t *got, json_t *want) {
  size_t i;
  json_t *v, *inst = json_object_get(want, "instance");
  const char *id = json_string_value(json_object_get(want, "id"));
  json_array_foreach(got, i, v) {
    const char *gid = json_string_value(json_object_get(v, "id"));
    if (gid && !strcmp(gid, id) && (!inst || values_equal(inst, json_object_get(v, "instance")))) return v;
  }
  return NULL;
}

/* Empty b and write fmt into it; its text, or "?" when memory ran out (b is then marked failed). */
static const char *reprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *reprintf(buf *b, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  b->len = 0;
  buf_puts(b, small);
  return b->data && !b->failed ? b->data : "?";
}

/* Compare the status on one date of "status" with what it names, adding mismatches. -1 out of memory. */
static int check_status_one(tctx *t, json_t *st, pactum_timeline *tl, mismatch *m) {
  const char *ds = json_string_value(json_object_get(st, "date"));
  int32_t day;
  date_parse(ds, strlen(ds), &day); /* validated */
  char *text = pactum_status_json(t->agr, tl, day);
  json_t *got = text ? json_loads(text, 0, NULL) : NULL;
  pactum_string_free(text);
  if (!got) return -1;
  const char *key, *k2;
  json_t *v, *w;
  size_t i;
  buf what;
  buf_init(&what);
  json_object_foreach(json_object_get(st, "state"), key, v) {
    const char *wt = reprintf(&what, "state.%s", key);
    status_compare(m, ds, wt, v, json_object_get(json_object_get(got, "state"), key));
  }
  json_object_foreach(json_object_get(st, "commitments"), key, v) {
    json_t *c = find_by(json_object_get(got, "commitments"), "id", key);
    json_object_foreach(v, k2, w) {
      const char *wt = reprintf(&what, "commitments.%s.%s", key, k2);
      status_compare(m, ds, wt, w, c ? json_object_get(c, k2) : NULL);
    }
  }
  json_object_foreach(json_object_get(st, "clauses"), key, v) {
    json_t *c = find_by(json_object_get(got, "clauses"), "id", key);
    const char *wt = reprintf(&what, "clauses.%s.in_effect", key);
    status_compare(m, ds, wt, v, c ? json_object_get(c, "in_effect") : NULL);
  }
  json_t *events = json_object_get(st, "events");
  if (events) status_compare(m, ds, "events", events, json_object_get(got, "events"));
  json_array_foreach(json_object_get(st, "obligations"), i, v) {
    json_t *o = find_instance(json_object_get(got, "obligations"), v);
    char *inst = json_dumps(json_object_get(v, "instance"), JSON_COMPACT | JSON_ENCODE_ANY);
    json_object_foreach(v, k2, w) {
      if (!strcmp(k2, "id") || !strcmp(k2, "instance")) continue;
      const char *wt = reprintf(&what, "obligations[%s%s%s].%s", json_string_value(json_object_get(v, "id")), inst ? " " : "",
                 inst ? inst : "", k2);
      status_compare(m, ds, wt, w, o ? json_object_get(o, k2) : NULL);
    }
    if (!o && json_object_size(v) <= 2) { /* nothing but the names: the instance must exist */
      const char *wt = reprintf(&what, "obligations[%s%s%s]", json_string_value(json_object_get(v, "id")), inst ? " " : "",
                 inst ? inst : "");
      status_compare(m, ds, wt, v, NULL);
    }
    px_free(inst);
  }
  int oom = what.failed;
  buf_release(&what);
  json_decref(got);
  return oom ? -1 : 0;
}

/* Run one well-formed test. 1 passed, 0 failed, -1 an input error (reported). */
static int run_test(tctx *t, json_t *sc, long line, pactum_timeline *tl, pactum_request *req, pactum_decision *dec) {
  const char *name = json_string_value(json_object_get(sc, "name"));
  json_t *status = json_object_get(sc, "status");
  mismatch m;
  m.list = json_array();
  buf_init(&m.text);
  int result = 0;
  size_t i;
  json_t *st;
  int r = fold_events(json_object_get(sc, "events"), json_object_get(sc, "rejected"), tl, &m);
  if (r < 0) {
    t->oom = 1;
    goto out;
  }
  if (r > 0) goto fail;
  if (json_object_get(sc, "request")) {
    r = check_decision(t, sc, line, tl, req, dec, &m);
    if (r == -1) {
      result = -1;
      goto out;
    }
    if (r == -2) {
      t->oom = 1;
      goto out;
    }
  }
  if (json_is_object(status) && check_status_one(t, status, tl, &m)) t->oom = 1;
  json_array_foreach(status, i, st) if (check_status_one(t, st, tl, &m)) t->oom = 1;
  if (t->oom) goto out;
  if (json_array_size(m.list) == 0) {
    result = 1;
    goto out;
  }
fail:
  if (t->as_json) {
    json_t *f = json_pack("{s:I,s:s,s:s,s:O}", "line", (json_int_t)line, "name", name, "message",
                          m.text.data ? m.text.data : "", "mismatches", m.list);
    if (!f || json_array_append_new(t->failures, f)) t->oom = 1;
  } else {
    buf_printf(t->report, "FAIL %s:%ld: %s: %s\n", t->path, line, name, m.text.data ? m.text.data : "");
  }
out:
  json_decref(m.list);
  buf_release(&m.text);
  return result;
}

/* The coverage: text lines, or a JSON object. */
static void coverage(tctx *t, json_t *file) {
  const pactum_agreement *agr = t->agr;
  int n = 0;
  for (int i = 0; i < agr->nclauses; i++) n += t->covered[i];
  if (t->as_json) {
    json_t *never = json_array();
    for (int i = 0; i < agr->nclauses; i++)
      if (!t->covered[i])
        json_array_append_new(never, json_pack("{s:s,s:I}", "clause", agr->clauses[i].id, "line",
                                               (json_int_t)agr->clauses[i].at.line));
    json_object_set_new(file, "coverage",
                        json_pack("{s:i,s:i,s:o}", "clauses", agr->nclauses, "determined", n, "never", never));
    return;
  }
  buf_printf(t->report, "  coverage: %d of %d clauses determined an outcome", n, agr->nclauses);
  if (n == agr->nclauses) {
    buf_puts(t->report, "\n");
    return;
  }
  buf_puts(t->report, "; never:");
  for (int i = 0; i < agr->nclauses; i++)
    if (!t->covered[i]) buf_printf(t->report, " %s (line %u)", agr->clauses[i].id, agr->clauses[i].at.line);
  buf_puts(t->report, "\n");
}

int testrun_file(const pactum_agreement *agr, const char *pact_path, const char *load_error, const char *test_path,
                 int as_json, buf *report, buf *errors, testrun_counts *totals) {
  tctx t;
  memset(&t, 0, sizeof t);
  t.agr = agr;
  t.path = test_path;
  t.as_json = as_json;
  t.report = report;
  t.errors = errors;
  t.failures = json_array();
  t.errs = json_array();
  t.names = json_object();
  json_t *file = json_pack("{s:s,s:s}", "file", test_path, "agreement", pact_path);
  pactum_timeline *tl = NULL;
  pactum_request *req = NULL;
  pactum_decision *dec = NULL;
  FILE *fp = NULL;
  buf line;
  buf_init(&line);
  if (!t.failures || !t.errs || !t.names || !file) {
    t.oom = 1;
    goto done;
  }
  if (!agr) {
    line_error(&t, 0, "%s", load_error ? load_error : "the agreement could not be loaded");
    goto done;
  }
  t.covered = px_calloc((size_t)(agr->nclauses ? agr->nclauses : 1), 1);
  req = pactum_request_new(agr);
  dec = pactum_decision_new(agr);
  if (!t.covered || !req || !dec) {
    t.oom = 1;
    goto done;
  }
  /* What a status of this agreement holds (its state variables, commitments, clauses and, in a
     build that has them, obligations), so that a status expectation naming something else is an
     input error rather than a failure. */
  if (!(tl = pactum_timeline_new(agr))) {
    t.oom = 1;
    goto done;
  }
  char *shape = pactum_status_json(agr, tl, agr->effective);
  t.shape = shape ? json_loads(shape, 0, NULL) : NULL;
  pactum_string_free(shape);
  if (!t.shape) {
    t.oom = 1;
    goto done;
  }
  if (!(fp = fopen(test_path, "rb"))) {
    line_error(&t, 0, "cannot open '%s': %s", test_path, strerror(errno));
    goto done;
  }
  long lineno = 0;
  for (;;) {
    char *p = line.data;
    size_t cap = line.cap;
    ssize_t got = getline(&p, &cap, fp);
    line.data = p;
    line.cap = cap;
    if (got < 0) break;
    size_t len = (size_t)got;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r')) len--;
    lineno++;
    size_t s = 0;
    while (s < len && (p[s] == ' ' || p[s] == '\t')) s++;
    if (s == len || p[s] == '#') continue;
    json_error_t je;
    json_t *sc = json_loadb(p + s, len - s, JSON_REJECT_DUPLICATES, &je);
    if (!sc) {
      line_error(&t, lineno, "malformed JSON at column %d: %s", je.column + (int)s, je.text);
      continue;
    }
    if (validate(&t, sc, lineno) == 0) {
      pactum_timeline_free(tl);
      if (!(tl = pactum_timeline_new(agr))) t.oom = 1;
      int r = tl ? run_test(&t, sc, lineno, tl, req, dec) : 0;
      if (r == 1) t.passed++;
      else if (r == 0 && !t.oom) t.failed++;
    }
    json_decref(sc);
    if (t.oom) break;
  }
  if (t.passed + t.failed + t.nerr == 0) line_error(&t, 0, "no tests in '%s'", test_path);
done:
  if (fp) fclose(fp);
  buf_release(&line);
  if (!t.oom) {
    if (as_json) {
      json_object_set_new(file, "passed", json_integer(t.passed));
      json_object_set_new(file, "failed", json_integer(t.failed));
      json_object_set(file, "failures", t.failures);
      json_object_set(file, "errors", t.errs);
      if (agr && t.covered) coverage(&t, file);
      else json_object_set_new(file, "coverage", json_null());
      char *s = json_dumps(file, JSON_COMPACT);
      if (s) buf_puts(report, s);
      else t.oom = 1;
      px_free(s);
    } else {
      buf_printf(report, "%s: %d passed, %d failed", test_path, t.passed, t.failed);
      if (t.nerr) buf_printf(report, ", %d error%s", t.nerr, t.nerr == 1 ? "" : "s");
      buf_puts(report, "\n");
      if (agr && t.covered && t.passed + t.failed) coverage(&t, file);
    }
  }
  totals->passed += t.passed;
  totals->failed += t.failed;
  totals->errors += t.nerr;
  pactum_timeline_free(tl);
  pactum_request_free(req);
  pactum_decision_free(dec);
  px_free(t.covered);
  json_decref(t.failures);
  json_decref(t.errs);
  json_decref(t.names);
  json_decref(t.shape);
  json_decref(file);
  return t.oom || report->failed || errors->failed ? -1 : 0;
}
