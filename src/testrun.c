/*
** testrun.c: runs an agreement's test file (X.test.jsonl beside X.pact) for `pactum test`.
**
** Each line that is neither blank nor a `#` comment is one test: events are folded in order, event
** i with seq i + 1 and its "recorded_by" read as a claim (those whose 0-based indexes are in
** "rejected" must be refused by the agreement's rules: a transition guard or a ref), the
** request is decided, and the decision is compared with "expect": the outcome, and the
** determining, overridden and obligation clauses as sets, and valid_until, each where given.
** A line that is not a well-formed test is an input error, reported with its line number and
** not counted as passed or failed. Clauses that appear as determining or as obligations in any
** test's decision are covered; the rest are reported.
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
  int passed, failed, nerr;
  int oom;
} tctx;

static void line_error(tctx *t, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line_error(tctx *t, long line, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  t->nerr++;
  if (t->as_json) {
    json_t *e = line ? json_pack("{s:I,s:s}", "line", (json_int_t)line, "message", msg) : json_pack("{s:s}", "message", msg);
    if (!e || json_array_append_new(t->errs, e)) t->oom = 1;
  } else if (line) {
    buf_printf(t->errors, "%s:%ld: error: %s\n", t->path, line, msg);
  } else {
    buf_printf(t->errors, "%s: error: %s\n", t->path, msg);
  }
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

/* Check the shape of one test; report the first problem as an input error. 0 if well formed. */
static int validate(tctx *t, json_t *sc, long line) {
  static const char *const keys[] = {"name", "events", "rejected", "request", "expect"};
  static const char *const ekeys[] = {"decision", "determining", "overridden", "obligations", "valid_until"};
  const char *key;
  json_t *v;
  if (!json_is_object(sc)) return line_error(t, line, "a test must be a JSON object"), -1;
  json_object_foreach(sc, key, v) {
    size_t k = 0;
    while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k], key)) k++;
    if (k == sizeof keys / sizeof keys[0])
      return line_error(t, line, "unknown member '%s' (a test has name, events, rejected, request and expect)", key), -1;
  }
  json_t *name = json_object_get(sc, "name");
  if (!json_is_string(name) || !json_string_length(name))
    return line_error(t, line, "the test has no 'name' (a non-empty string)"), -1;
  const char *nm = json_string_value(name);
  if (json_object_get(t->names, nm)) return line_error(t, line, "duplicate test name '%s'", nm), -1;
  json_object_set_new(t->names, nm, json_integer(line));
  json_t *events = json_object_get(sc, "events"), *rejected = json_object_get(sc, "rejected");
  if (events && !json_is_array(events)) return line_error(t, line, "test '%s': 'events' must be an array", nm), -1;
  size_t i;
  json_array_foreach(events, i, v) if (!json_is_object(v))
    return line_error(t, line, "test '%s': event %zu must be a JSON object", nm, i), -1;
  if (rejected && !json_is_array(rejected)) return line_error(t, line, "test '%s': 'rejected' must be an array", nm), -1;
  json_array_foreach(rejected, i, v) {
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (size_t)json_integer_value(v) >= json_array_size(events))
      return line_error(t, line, "test '%s': 'rejected' item %zu is not the index of one of its %zu events", nm, i,
                        json_array_size(events)),
             -1;
  }
  if (!json_is_object(json_object_get(sc, "request")))
    return line_error(t, line, "test '%s' has no 'request' (a JSON object)", nm), -1;
  json_t *expect = json_object_get(sc, "expect");
  if (!json_is_object(expect)) return line_error(t, line, "test '%s' has no 'expect' (a JSON object)", nm), -1;
  json_object_foreach(expect, key, v) {
    size_t k = 0;
    while (k < sizeof ekeys / sizeof ekeys[0] && strcmp(ekeys[k], key)) k++;
    if (k == sizeof ekeys / sizeof ekeys[0])
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

/* "event 1 (panel_verdict, 2027-04-01)" */
static void event_label(buf *b, size_t i, json_t *ev) {
  const char *type = json_string_value(json_object_get(ev, "type")), *date = json_string_value(json_object_get(ev, "date"));
  buf_printf(b, "event %zu (%s, %s)", i, type ? type : "?", date ? date : "?");
}

static int in_rejected(json_t *rejected, size_t i) {
  size_t j;
  json_t *r;
  json_array_foreach(rejected, j, r) if ((size_t)json_integer_value(r) == i) return 1;
  return 0;
}

/* Run one well-formed test. 1 passed, 0 failed, -1 an input error (reported). */
static int run_test(tctx *t, json_t *sc, long line, pactum_timeline *tl, pactum_request *req, pactum_decision *dec) {
  const pactum_agreement *agr = t->agr;
  const char *name = json_string_value(json_object_get(sc, "name"));
  json_t *events = json_object_get(sc, "events"), *rejected = json_object_get(sc, "rejected");
  json_t *expect = json_object_get(sc, "expect");
  mismatch m;
  m.list = json_array();
  buf_init(&m.text);
  int result = 0;
  size_t i;
  json_t *ev;
  pactum_error err;
  json_array_foreach(events, i, ev) {
    int want_refused = in_rejected(rejected, i);
    int rc = timeline_append_claimed(tl, ev, (int64_t)i + 1, &err); /* its seq is its position */
    if (rc == PACTUM_ENOMEM) {
      t->oom = 1;
      goto out;
    }
    /* Refused by the agreement's own rules: a guard, or a ref that names no earlier event of its type. */
    int guard = rc != PACTUM_OK && (!strcmp(err.code, "guard_failed") || !strcmp(err.code, "bad_reference"));
    if (want_refused == guard) continue;
    buf what;
    buf_init(&what);
    event_label(&what, i, ev);
    const char *field = what.data ? what.data : "event";
    if (want_refused)
      mismatch_add(&m, field, json_string("refused by the agreement"), json_string(rc ? err.message : "accepted"), NULL);
    else
      mismatch_add(&m, field, json_string("accepted"), json_string(err.message), NULL);
    buf_release(&what);
    goto fail;
  }
  char *rq = json_dumps(json_object_get(sc, "request"), JSON_COMPACT);
  int rc = rq ? pactum_request_parse_json(req, rq, strlen(rq), PACTUM_NO_DAY, &err) : PACTUM_ENOMEM;
  px_free(rq);
  if (rc == PACTUM_OK) rc = pactum_decide(agr, tl, req, dec);
  else if (rc == PACTUM_EINPUT) {
    line_error(t, line, "test '%s': the request is refused: %s [%s]", name, err.message, err.code);
    result = -1;
    goto out;
  }
  if (rc == PACTUM_EINPUT && dec->fault) {
    pactum_decision_error(dec, &err); /* the clause whose arithmetic failed */
    line_error(t, line, "test '%s': %s [%s]", name, err.message, err.code);
    result = -1;
    goto out;
  }
  if (rc == PACTUM_EINPUT) {
    line_error(t, line, "test '%s': the request cannot be decided: an attribute without a default is not given", name);
    result = -1;
    goto out;
  }
  if (rc) {
    t->oom = 1;
    goto out;
  }
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
    mismatch_add(&m, "decision", json_string(want), json_string(got), extra.data);
    buf_release(&extra);
  }
  static const char *const lists[] = {"determining", "overridden", "obligations"};
  for (int l = 0; l < 3; l++) {
    json_t *w = json_object_get(expect, lists[l]);
    if (!w) continue;
    const int32_t *v = l == 0 ? dec->det : l == 1 ? dec->over : dec->obl;
    int n = l == 0 ? dec->ndet : l == 1 ? dec->nover : dec->nobl;
    json_t *ws = sorted_strings(w), *gs = id_array(agr, v, n);
    if (!ws || !gs) t->oom = 1;
    if (ws && gs && !json_equal(ws, gs)) {
      mismatch_add(&m, lists[l], ws, gs, NULL);
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
    if (!gv) t->oom = 1;
    else if (!json_equal(wv, gv)) mismatch_add(&m, "valid_until", json_incref(wv), json_incref(gv), NULL);
    json_decref(d);
  }
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
  json_decref(file);
  return t.oom || report->failed || errors->failed ? -1 : 0;
}
