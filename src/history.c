/*
** history.c: loading a history manifest (the versions of one agreement, oldest first),
** checking the chain of `supersedes`, and picking the version in effect on a day. See
** history.h and docs/formats.md#history-manifest.
**
** The manifest is read with the `.pact` lexer, so its tokens, comments and diagnostics
** (`file:line:col: error: ...` with a caret) are those of the language.
*/
#include "history.h"
#include "alloc.h"
#include "date.h"
#include "error.h"
#include "lex.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

/* One manifest entry as written, with where each part was written. */
typedef struct entry {
  const char *version, *file;
  int32_t effective;
  loc version_at, effective_at, file_at;
} entry;

typedef struct mparser {
  lexer lx;
  token tok;
  arena *ar;
  diag_list *d;
} mparser;

static void next(mparser *p) { p->tok = lex_next(&p->lx); }

static int expected(mparser *p, const char *what) {
  if (p->tok.kind == TK_ERROR) return -1; /* the lexer has reported it */
  if (p->tok.kind == TK_EOF) return diag_error(p->d, p->tok.at, "expected %s, found the end of the file", what);
  int n = (int)(p->tok.at.len > 40 ? 40 : p->tok.at.len);
  return diag_error(p->d, p->tok.at, "expected %s, found '%.*s'", what, n, p->tok.text);
}

static int word(mparser *p, const char *w, const char *what) {
  if (!lex_is(&p->tok, w)) return expected(p, what);
  next(p);
  return 0;
}

static int string(mparser *p, const char **s /* OUT */, loc *at /* OUT */, const char *what) {
  if (p->tok.kind != TK_STRING) return expected(p, what);
  *s = p->tok.str;
  *at = p->tok.at;
  next(p);
  return 0;
}

/*
** manifest = "history" string { "version" string "effective" date "file" string }
** Entries go to *es (arena memory), their count to *n. Returns 0, or -1 with errors in p->d.
*/
static int parse_manifest(mparser *p, const char **id /* OUT */, loc *id_at /* OUT */, entry **es /* OUT */,
                          int *n /* OUT */) {
  int cap = 8, rc = 0;
  *n = 0;
  *es = arena_alloc(p->ar, sizeof(entry) * (size_t)cap);
  if (!*es) return diag_oom(p->d, p->tok.at);
  if (p->tok.kind == TK_EOF) return diag_error(p->d, p->tok.at, "empty history: expected 'history \"ID\"'");
  if (word(p, "history", "'history'") || string(p, id, id_at, "the agreement id as a string")) return -1;
  while (p->tok.kind != TK_EOF) {
    entry e;
    memset(&e, 0, sizeof e);
    if (word(p, "version", "'version' or the end of the file") ||
        string(p, &e.version, &e.version_at, "the version as a string") ||
        word(p, "effective", "'effective'"))
      return -1;
    if (p->tok.kind != TK_DATE) return expected(p, "the effective date (YYYY-MM-DD)");
    e.effective = (int32_t)p->tok.num;
    e.effective_at = p->tok.at;
    next(p);
    if (word(p, "file", "'file'") || string(p, &e.file, &e.file_at, "the .pact file as a string")) return -1;
    for (int i = 0; i < *n; i++) {
      if (strcmp((*es)[i].version, e.version) == 0) {
        rc = diag_error(p->d, e.version_at, "version '%s' is listed twice", e.version);
        diag_note(p->d, (*es)[i].version_at, "first listed here");
      }
    }
    if (*n > 0 && e.effective <= (*es)[*n - 1].effective) {
      char a[16], b[16];
      date_format(e.effective, a);
      date_format((*es)[*n - 1].effective, b);
      rc = diag_error(p->d, e.effective_at, "effective dates must increase: %s is not after %s, the date of version '%s'",
                      a, b, (*es)[*n - 1].version);
    }
    if (*n == cap) {
      entry *grown = arena_alloc(p->ar, sizeof(entry) * (size_t)cap * 2);
      if (!grown) return diag_oom(p->d, p->tok.at);
      memcpy(grown, *es, sizeof(entry) * (size_t)cap);
      *es = grown;
      cap *= 2;
    }
    (*es)[(*n)++] = e;
  }
  if (*n == 0 && !rc) rc = diag_error(p->d, *id_at, "history '%s' lists no version", *id);
  return rc;
}

/* dir/name, or name itself when it is absolute or dir is empty. */
static const char *resolve(arena *ar, const char *manifest, const char *name) {
  const char *slash = strrchr(manifest, '/');
  if (name[0] == '/' || !slash) return arena_strndup(ar, name, strlen(name));
  size_t dl = (size_t)(slash - manifest) + 1, nl = strlen(name);
  char *s = arena_alloc(ar, dl + nl + 1);
  if (!s) return NULL;
  memcpy(s, manifest, dl);
  memcpy(s + dl, name, nl + 1);
  return s;
}

/* Check version i's agreement against its entry and the entry before it. */
static int check_version(diag_list *d, const char *id, const entry *es, int i, const pactum_agreement *agr) {
  const entry *e = &es[i];
  int rc = 0;
  if (strcmp(agr->id, id) != 0)
    rc = diag_error(d, e->file_at, "'%s' is agreement '%s', not '%s'", e->file, agr->id, id);
  if (strcmp(agr->version, e->version) != 0)
    rc = diag_error(d, e->version_at, "'%s' declares version '%s', not '%s'", e->file, agr->version, e->version);
  if (agr->effective != e->effective) {
    char a[16], b[16];
    date_format(agr->effective, a);
    date_format(e->effective, b);
    rc = diag_error(d, e->effective_at, "'%s' takes effect on %s, not %s", e->file, a, b);
  }
  if (i == 0) return rc;
  const entry *prev = &es[i - 1];
  if (!agr->supersedes)
    rc = diag_error(d, e->file_at, "'%s' does not supersede the version before it; its header needs supersedes \"%s@%s\"",
                    e->file, id, prev->version);
  else if (strcmp(agr->supersedes_id, id) != 0 || strcmp(agr->supersedes_version, prev->version) != 0)
    rc = diag_error(d, e->file_at, "'%s' supersedes '%s', but the version before it is '%s@%s'", e->file,
                    agr->supersedes, id, prev->version);
  return rc;
}

int history_load(const char *path, history **out, char **diag) {
  *out = NULL;
  if (diag) *diag = NULL;
  buf text;
  buf_init(&text);
  int rd = diag_read_file(path, &text, diag);
  if (rd) return rd;
  const char *src = text.data ? text.data : "";
  size_t len = text.len;
  int rc;
  history *h = px_calloc(1, sizeof *h);
  if (!h) {
    buf_release(&text);
    return PACTUM_ENOMEM;
  }
  arena_init(&h->ar);
  buf msgs; /* the agreements' own diagnostics come first, then the manifest's */
  buf_init(&msgs);
  diag_list d;
  const char *file = arena_strndup(&h->ar, path, strlen(path));
  const char *copy = arena_strndup(&h->ar, src, len);
  buf_release(&text);
  diag_init(&d, file ? file : path, copy, copy ? len : 0);
  if (!file || !copy) {
    rc = PACTUM_ENOMEM;
    goto done;
  }
  h->file = file;
  mparser p;
  memset(&p, 0, sizeof p);
  p.ar = &h->ar;
  p.d = &d;
  lex_init(&p.lx, copy, len, &h->ar, &d);
  next(&p);
  entry *es = NULL;
  int n = 0;
  loc id_at;
  if (parse_manifest(&p, &h->id, &id_at, &es, &n) || d.errors) {
    rc = d.oom ? PACTUM_ENOMEM : PACTUM_EINPUT;
    goto done;
  }
  h->v = arena_alloc(&h->ar, sizeof(history_version) * (size_t)n);
  if (!h->v) {
    rc = PACTUM_ENOMEM;
    goto done;
  }
  for (int i = 0; i < n; i++) {
    history_version *v = &h->v[i];
    v->version = es[i].version;
    v->effective = es[i].effective;
    v->file = resolve(&h->ar, path, es[i].file);
    if (!v->file) {
      rc = PACTUM_ENOMEM;
      goto done;
    }
    char *adiag = NULL;
    int lr = pactum_agreement_load_file(v->file, &v->agr, &adiag);
    h->n = i + 1; /* so history_free releases what was loaded */
    if (adiag) buf_puts(&msgs, adiag);
    pactum_string_free(adiag);
    if (lr == PACTUM_ENOMEM) {
      rc = PACTUM_ENOMEM;
      goto done;
    }
    if (lr != PACTUM_OK) {
      diag_error(&d, es[i].file_at, "version '%s' cannot be loaded from '%s'", es[i].version, v->file);
      continue;
    }
    check_version(&d, h->id, es, i, v->agr);
  }
  rc = d.oom ? PACTUM_ENOMEM : d.errors ? PACTUM_EINPUT : PACTUM_OK;
done:
  if (rc != PACTUM_OK) {
    if (diag) {
      buf_append(&msgs, d.out.data ? d.out.data : "", d.out.len);
      if (rc == PACTUM_ENOMEM && !d.oom) buf_puts(&msgs, "pactum: out of memory\n");
      *diag = buf_detach(&msgs);
    }
    buf_release(&msgs);
    diag_release(&d);
    history_free(h);
    return rc;
  }
  buf_release(&msgs);
  diag_release(&d);
  *out = h;
  return PACTUM_OK;
}

void history_free(history *h) {
  if (!h) return;
  for (int i = 0; i < h->n; i++) pactum_agreement_free(h->v[i].agr);
  arena_release(&h->ar);
  px_free(h);
}

int history_at(const history *h, int32_t day) {
  int lo = 0, hi = h->n; /* the answer is the last index with effective <= day */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (h->v[mid].effective <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

int32_t history_until(const history *h, int k) { return k + 1 < h->n ? h->v[k + 1].effective : DAY_MAX; }

int history_decide(const history *h, int k, const pactum_timeline *tl, const pactum_request *req,
                   pactum_decision *dec) {
  int rc = pactum_decide(h->v[k].agr, tl, req, dec);
  int32_t until = history_until(h, k);
  if (rc == PACTUM_OK && until < dec->valid_until) dec->valid_until = until;
  return rc;
}

int history_pick_request(const history *h, pactum_request **reqs, const char *json, size_t len,
                         int32_t default_day, int *version, pactum_error *err) {
  *version = h->n - 1;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return error_set(err, PACTUM_EINPUT, "bad_json", "malformed JSON at column %d: %s", je.column, je.text);
  /* The date decides the version; a date that is not one is left for the request's own check. */
  int32_t day = default_day;
  json_t *date = json_object_get(json_object_get(root, "context"), "date");
  int dated = json_is_string(date) && date_parse(json_string_value(date), json_string_length(date), &day) == 0;
  if (dated || (!date && default_day != PACTUM_NO_DAY)) {
    int k = history_at(h, day);
    if (k < 0) {
      char a[16], b[16];
      date_format(day, a);
      date_format(h->v[0].effective, b);
      json_decref(root);
      return error_set(err, PACTUM_EINPUT, "no_version",
                       "no version of '%s' is in effect on %s; the first takes effect on %s", h->id, a, b);
    }
    *version = k;
  }
  int rc = request_from_json(reqs[*version], root, default_day, err);
  json_decref(root);
  if (rc == PACTUM_EINPUT && err) {
    /* Versions differ in their actions and attributes: say which one refused the request. */
    size_t n = strlen(err->message);
    snprintf(err->message + n, sizeof err->message - n, " (version %s)", h->v[*version].version);
  }
  return rc;
}

int history_append_event(const history *h, pactum_timeline **tls, const char *json, size_t len, int64_t seq,
                         int *version, pactum_error *err) {
  *version = -1;
  json_error_t je;
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root)
    return error_set(err, PACTUM_EINPUT, "bad_json", "malformed JSON at column %d: %s", je.column, je.text);
  json_t *type = json_object_get(root, "type");
  int folded = 0, rc = PACTUM_OK;
  if (json_is_string(type) && event_type_record_level(json_string_value(type), json_string_length(type))) {
    folded = 1; /* the record's own events: skipped, though they count for seqs */
  } else if (json_is_string(type)) {
    for (int i = 0; i < h->n && rc == PACTUM_OK; i++) {
      if (agreement_find_event(h->v[i].agr, json_string_value(type), json_string_length(type)) < 0) continue;
      folded++;
      *version = i;
      rc = timeline_append_claimed(tls[i], root, seq, err);
    }
    if (!folded)
      rc = error_set(err, PACTUM_EINPUT, "unknown_event", "no version of '%s' declares event type '%.64s'", h->id,
                     json_string_value(type));
  } else {
    /* No type, or not a string: the latest version says what is wrong with it. */
    *version = h->n - 1;
    rc = timeline_append_claimed(tls[h->n - 1], root, seq, err);
  }
  json_decref(root);
  return rc;
}
