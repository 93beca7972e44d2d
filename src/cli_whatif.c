/*
** cli_whatif.c: the analysis commands. `pactum whatif` adds hypothetical events to a baseline
** and prints what changes (whatif.c does the work); `pactum test` finds agreement tests
** (X.test.jsonl beside X.pact) and runs them (testrun.c does the work).
*/
#include "agreement.h"
#include "alloc.h"
#include "cli.h"
#include "record.h"
#include "testrun.h"
#include "whatif.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "banned.h"

/* ---- pactum test ----------------------------------------------------------------- */

/* A list of malloc'd paths. */
typedef struct paths {
  char **v;
  size_t n, cap;
  int oom;
} paths;

static void paths_add(paths *p, const char *a, const char *b) {
  if (p->oom) return;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 16;
    char **v = px_realloc(p->v, sizeof(char *) * cap);
    if (!v) {
      p->oom = 1;
      return;
    }
    p->v = v;
    p->cap = cap;
  }
  buf s;
  buf_init(&s);
  buf_puts(&s, a);
  if (b) {
    if (s.len && s.data[s.len - 1] != '/') buf_putc(&s, '/');
    buf_puts(&s, b);
  }
  char *d = buf_detach(&s);
  if (!d) p->oom = 1;
  else p->v[p->n++] = d;
}

static void paths_release(paths *p) {
  for (size_t i = 0; i < p->n; i++) px_free(p->v[i]);
  px_free(p->v);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every X.test.jsonl under dir (and every .pact, to name those without tests), depth first. */
static int walk(const char *dir, paths *tests, paths *pacts, int depth) {
  if (depth > 32) return cli_error("'%s': directories nested too deep", dir);
  DIR *d = opendir(dir);
  if (!d) return cli_error("cannot read directory '%s': %s", dir, strerror(errno));
  paths subdirs = {0};
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue; /* ".", "..", and hidden files and directories */
    buf full;
    buf_init(&full);
    buf_puts(&full, dir);
    if (full.len && full.data[full.len - 1] != '/') buf_putc(&full, '/');
    buf_puts(&full, e->d_name);
    struct stat sb;
    if (!full.failed && stat(full.data, &sb) == 0) {
      if (S_ISDIR(sb.st_mode)) paths_add(&subdirs, full.data, NULL);
      else if (ends_with(e->d_name, ".test.jsonl")) paths_add(tests, full.data, NULL);
      else if (ends_with(e->d_name, ".pact")) paths_add(pacts, full.data, NULL);
    }
    buf_release(&full);
  }
  closedir(d);
  int rc = 0;
  for (size_t i = 0; i < subdirs.n && !rc; i++) rc = walk(subdirs.v[i], tests, pacts, depth + 1);
  paths_release(&subdirs);
  return rc;
}

int cmd_test(opts *o) {
  int as_json = o->format && !strcmp(o->format, "json");
  paths tests = {0}, pacts = {0};
  int code = EXIT_OK;
  if (o->nargs == 0) {
    cli_error("'test' needs a directory, a test file (X.test.jsonl) or an agreement (X.pact)");
    return EXIT_INPUT;
  }
  for (int i = 0; i < o->nargs && !code; i++) {
    const char *a = o->args[i];
    struct stat sb;
    if (stat(a, &sb) != 0) {
      cli_error("cannot open '%s': %s", a, strerror(errno));
      code = EXIT_INPUT;
    } else if (S_ISDIR(sb.st_mode)) {
      size_t before = tests.n;
      if (walk(a, &tests, &pacts, 0)) code = EXIT_INPUT;
      else if (tests.n == before) {
        cli_error("no test files (*.test.jsonl) under '%s'", a);
        code = EXIT_INPUT;
      }
    } else if (ends_with(a, ".test.jsonl")) {
      paths_add(&tests, a, NULL);
    } else if (ends_with(a, ".pact")) {
      buf t;
      buf_init(&t);
      buf_append(&t, a, strlen(a) - 5);
      buf_puts(&t, ".test.jsonl");
      if (t.failed) code = EXIT_INTERNAL;
      else if (stat(t.data, &sb) != 0) {
        cli_error("'%s' has no tests: '%s' does not exist", a, t.data);
        code = EXIT_INPUT;
      } else {
        paths_add(&tests, t.data, NULL);
      }
      buf_release(&t);
    } else {
      cli_error("'%s' is neither a directory, a test file (X.test.jsonl) nor an agreement (X.pact)", a);
      code = EXIT_INPUT;
    }
  }
  if (tests.oom || pacts.oom) code = EXIT_INTERNAL;
  if (code) goto out;
  if (tests.n > 1) qsort(tests.v, tests.n, sizeof tests.v[0], cmp_path);
  if (pacts.n > 1) qsort(pacts.v, pacts.n, sizeof pacts.v[0], cmp_path);

  testrun_counts totals = {0, 0, 0};
  if (as_json) fputs("{\"files\":[", stdout);
  for (size_t i = 0; i < tests.n && !code; i++) {
    const char *tp = tests.v[i];
    if (i && !strcmp(tp, tests.v[i - 1])) continue; /* named twice */
    buf pact, report, errors;
    buf_init(&report);
    buf_init(&errors);
    if (testrun_agreement_path(tp, &pact) || pact.failed) {
      code = EXIT_INTERNAL;
      buf_release(&pact);
      break;
    }
    pactum_agreement *agr = NULL;
    char *diag = NULL;
    const char *why = NULL;
    char msg[1200];
    struct stat sb;
    if (stat(pact.data, &sb) != 0) {
      snprintf(msg, sizeof msg, "no agreement '%s' beside it", pact.data);
      why = msg;
    } else {
      int rc = pactum_agreement_load_file(pact.data, &agr, &diag);
      if (rc == PACTUM_ENOMEM) code = EXIT_INTERNAL;
      else if (rc) {
        if (diag && !as_json) fputs(diag, stderr);
        snprintf(msg, sizeof msg, "the agreement '%s' does not load%s%.1000s", pact.data, diag && as_json ? ":\n" : "",
                 diag && as_json ? diag : "");
        why = msg;
      }
      pactum_string_free(diag);
    }
    if (!code) {
      if (as_json && i) fputc(',', stdout);
      if (testrun_file(agr, pact.data, why, tp, as_json, &report, &errors, &totals)) code = EXIT_INTERNAL;
      fputs(errors.data ? errors.data : "", stderr);
      fputs(report.data ? report.data : "", stdout);
    }
    pactum_agreement_free(agr);
    buf_release(&pact);
    buf_release(&report);
    buf_release(&errors);
  }
  if (code) goto out;
  /* Agreements found under a directory with no test file of their own. */
  if (as_json) fputs("],\"untested\":[", stdout);
  int first = 1;
  for (size_t i = 0; i < pacts.n; i++) {
    buf t;
    buf_init(&t);
    buf_append(&t, pacts.v[i], strlen(pacts.v[i]) - 5);
    buf_puts(&t, ".test.jsonl");
    int has = 0;
    for (size_t k = 0; k < tests.n && !has && t.data; k++) has = !strcmp(tests.v[k], t.data);
    if (!has) {
      if (as_json) {
        buf j;
        buf_init(&j);
        buf_json_cstr(&j, pacts.v[i]);
        printf("%s%s", first ? "" : ",", j.data ? j.data : "\"\"");
        buf_release(&j);
      } else {
        printf("%s: no tests (no '%s')\n", pacts.v[i], t.data ? t.data : "");
      }
      first = 0;
    }
    buf_release(&t);
  }
  if (as_json)
    printf("],\"passed\":%d,\"failed\":%d,\"errors\":%d}\n", totals.passed, totals.failed, totals.errors);
  else {
    printf("%d passed, %d failed", totals.passed, totals.failed);
    if (totals.errors) printf(", %d error%s", totals.errors, totals.errors == 1 ? "" : "s");
    printf("\n");
  }
  code = totals.errors ? EXIT_INPUT : totals.failed ? EXIT_PROBLEM : EXIT_OK;
out:
  paths_release(&tests);
  paths_release(&pacts);
  return code;
}

/* ---- pactum whatif ---------------------------------------------------------------- */

/*
** Every non-blank line of path as a JSON object; labels "PATH:LINE". With seqs (an --events
** file), each line's seq is its position among the non-blank lines, appended to seqs, and lines of
** the record's own event types are skipped (but counted); *last gets the last seq. -1 (reported)
** on bad input.
*/
static int read_objects(const char *path, json_t *into, json_t *labels, json_t *seqs, int64_t *last, int *code) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    cli_error("cannot open '%s': %s", path, strerror(errno));
    *code = EXIT_INPUT;
    return -1;
  }
  buf line;
  buf_init(&line);
  long lineno = 0;
  int64_t seq = 0;
  int rc = 0;
  while (cli_read_line(fp, &line) >= 0) {
    lineno++;
    if (cli_blank(&line)) continue;
    seq++;
    json_error_t je;
    json_t *v = json_loadb(line.data, line.len, JSON_REJECT_DUPLICATES, &je);
    if (!v || !json_is_object(v)) {
      fprintf(stderr, "%s:%ld: error: %s%s\n", path, lineno, v ? "not a JSON object" : "malformed JSON: ", v ? "" : je.text);
      json_decref(v);
      *code = EXIT_INPUT;
      rc = -1;
      break;
    }
    json_t *type = json_object_get(v, "type");
    if (seqs && json_is_string(type) && event_type_record_level(json_string_value(type), json_string_length(type))) {
      json_decref(v);
      continue;
    }
    buf lab;
    buf_init(&lab);
    buf_printf(&lab, "%s:%ld", path, lineno);
    int bad = lab.failed || json_array_append_new(into, v) || (labels && json_array_append_new(labels, json_string(lab.data))) ||
              (seqs && json_array_append_new(seqs, json_integer(seq)));
    buf_release(&lab);
    if (bad) {
      *code = EXIT_INTERNAL;
      rc = -1;
      break;
    }
  }
  if (line.failed) *code = EXIT_INTERNAL, rc = -1;
  if (last) *last = seq;
  buf_release(&line);
  fclose(fp);
  return rc;
}

int cmd_whatif(opts *o) {
  int code = EXIT_OK;
  int as_json = o->format && !strcmp(o->format, "json");
  int32_t day = 0;
  if (o->date && cli_day_option(o, &day)) return EXIT_INPUT;
  if (o->nadd == 0) {
    cli_error("'whatif' needs at least one '--add EVENT' (TYPE [VALUE | FIELD=VALUE]... DATE)");
    return EXIT_INPUT;
  }
  if (o->db && o->events) {
    cli_error("give either --db or --events, not both");
    return EXIT_INPUT;
  }
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  json_t *base = NULL, *labels = NULL, *seqs = NULL, *added = json_array(), *requests = NULL, *report = NULL;
  int64_t last_seq = 0;
  whatif w;
  int have_w = 0;
  pactum_error err;
  record *r = NULL;
  if (!added) goto oom;
  for (int i = 0; i < o->nadd; i++) {
    json_t *ev = whatif_parse_add(agr, o->add[i], &err);
    if (!ev) {
      cli_error("--add '%s': %s", o->add[i], err.message);
      code = strcmp(err.code, "out_of_memory") ? EXIT_INPUT : EXIT_INTERNAL;
      goto out;
    }
    json_array_append_new(added, ev);
  }
  /* The baseline: the store's events, the --events file's, or none. */
  if (o->db) {
    struct stat sb;
    if (stat(o->db, &sb) != 0) {
      cli_error("no store at '%s'; create one with 'pactum init' or 'pactum event add'", o->db);
      code = EXIT_INPUT;
      goto out;
    }
    int rc = record_open(agr, o->db, 0, NULL, &r, &err);
    if (!rc) rc = whatif_store_events(r->st, r->tip.seq, &base, &labels, &seqs, &err);
    if (!rc) last_seq = r->tip.seq;
    if (rc) {
      cli_error("%s [%s]", err.message, err.code);
      code = rc == PACTUM_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
      goto out;
    }
  } else {
    base = json_array();
    labels = json_array();
    seqs = json_array();
    if (!base || !labels || !seqs) goto oom;
    if (o->events && read_objects(o->events, base, labels, seqs, &last_seq, &code)) goto out;
  }
  int rc = whatif_init(&w, agr, base, labels, seqs, last_seq, added, &err);
  if (rc) {
    cli_error("%s [%s]", err.message, err.code);
    code = rc == PACTUM_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
    goto out;
  }
  have_w = 1;
  if (o->requests) {
    if (!(requests = json_array())) goto oom;
    json_t *rlabels = json_array();
    if (!rlabels) goto oom;
    rc = read_objects(o->requests, requests, rlabels, NULL, NULL, &code);
    /* Each request must be one the agreement can decide: report its line. */
    pactum_request *req = rc ? NULL : pactum_request_new(agr);
    size_t i;
    json_t *rq;
    if (!rc && !req) code = EXIT_INTERNAL, rc = -1;
    json_array_foreach(rc ? NULL : requests, i, rq) {
      if (request_from_json(req, rq, agr->effective, &err)) {
        fprintf(stderr, "%s: error: %s [%s]\n", json_string_value(json_array_get(rlabels, i)), err.message, err.code);
        code = EXIT_INPUT;
        rc = -1;
        break;
      }
    }
    pactum_request_free(req);
    json_decref(rlabels);
    if (rc) goto out;
  } else {
    long left_out = 0;
    if (!(requests = whatif_generate_requests(agr, &left_out))) goto oom;
    if (left_out)
      fprintf(stderr, "pactum: note: %ld generated requests left out (at most %d per principal and action)\n", left_out,
              WHATIF_MAX_PER_ACTION);
  }
  rc = whatif_compare(&w, requests, o->date != NULL, day, &report, &err);
  if (rc) {
    cli_error("%s [%s]", err.message, err.code);
    code = rc == PACTUM_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
    goto out;
  }
  if (!o->requests) json_object_set_new(report, "generated_requests", json_true());
  if (as_json) {
    char *s = json_dumps(report, JSON_COMPACT);
    if (!s) goto oom;
    puts(s);
    px_free(s);
  } else {
    char *s = whatif_render_text(agr, report);
    if (!s) goto oom;
    fputs(s, stdout);
    px_free(s);
  }
  goto out;
oom:
  cli_error("out of memory");
  code = EXIT_INTERNAL;
out:
  if (have_w) whatif_release(&w);
  json_decref(report);
  json_decref(requests);
  json_decref(base);
  json_decref(labels);
  json_decref(seqs);
  json_decref(added);
  record_free(r);
  pactum_agreement_free(agr);
  return code;
}
