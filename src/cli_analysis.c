/*
** cli_analysis.c: the analysis commands, `pactum verify` (verify.c) and `pactum diff`
** (diff.c): arguments, files and exit codes. The analysis itself lives in the library.
**
** Exit codes: 0 clean, the answer is yes, or the agreements are the same; 1 findings, the
** answer is no, or they differ; 2 bad input; 3 internal error.
*/
#include "agreement.h"
#include "alloc.h"
#include "cli.h"
#include "date.h"
#include "diff.h"
#include "verify.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

/* Print a report built in b; EXIT_INTERNAL when it could not be built. */
static int print_buf(buf *b, int rc) {
  if (rc || b->failed) {
    buf_release(b);
    cli_error("out of memory");
    return EXIT_INTERNAL;
  }
  fwrite(b->data ? b->data : "", 1, b->len, stdout);
  buf_release(b);
  return EXIT_OK;
}

/* Load the agreement at path, as --agreement would; diagnostics go to stderr. */
static pactum_agreement *load_path(const opts *o, const char *path, int *code) {
  opts t = *o;
  t.agreement = path;
  return cli_load_agreement(&t, code);
}

/* Split "PRINCIPAL ACTION" into two words of at most 127 bytes each. */
static int split_pair(const char *flag, const char *s, char *p, char *a) {
  int n = 0;
  if (sscanf(s, " %127s %127s %n", p, a, &n) != 2 || s[n] != '\0')
    return cli_error("'%s' takes 'PRINCIPAL ACTION', two words; got '%s'", flag, s);
  return 0;
}

int cmd_verify(opts *o) {
  int code = EXIT_OK;
  if (o->nargs > 1) return cli_error("'verify' checks one agreement; got %d files", o->nargs), EXIT_INPUT;
  if (o->nargs && o->agreement) return cli_error("give the agreement as an argument or with --agreement, not both"), EXIT_INPUT;
  int nq = (o->can != NULL) + (o->always != NULL) + (o->never != NULL);
  if (nq > 1) return cli_error("give one of '--can', '--always' and '--never'"), EXIT_INPUT;
  if (o->where && !nq) return cli_error("'--where' narrows a query: give '--can', '--always' or '--never' too"), EXIT_INPUT;
  if (o->equivalent && nq) return cli_error("'--equivalent' is a query of its own; drop '--can', '--always' or '--never'"), EXIT_INPUT;
  opts lo = *o;
  if (o->nargs) lo.agreement = o->args[0];
  pactum_agreement *agr = cli_load_agreement(&lo, &code);
  if (!agr) return code;
  const char *label = lo.agreement ? lo.agreement : "(built-in)";
  int as_json = o->format && !strcmp(o->format, "json");
  buf out;
  buf_init(&out);
  if (o->equivalent) {
    pactum_agreement *b = load_path(o, o->equivalent, &code);
    if (b) {
      int yes = 0;
      code = print_buf(&out, diff_equivalent(agr, b, as_json, &out, &yes));
      if (!code && !yes) code = EXIT_PROBLEM;
      pactum_agreement_free(b);
    }
  } else if (nq) {
    const char *flag = o->can ? "--can" : o->always ? "--always" : "--never";
    const char *pair = o->can ? o->can : o->always ? o->always : o->never;
    verify_query_kind kind = o->can ? VQ_CAN : o->always ? VQ_ALWAYS : VQ_NEVER;
    char p[128], a[128];
    if (split_pair(flag, pair, p, a)) {
      code = EXIT_INPUT;
    } else {
      pactum_agreement *q = agr;
      if (o->where) {
        char *diag = NULL;
        char why[256];
        q = verify_with_where(agr, p, a, o->where, &diag, why, sizeof why);
        if (!q) {
          if (diag) fputs(diag, stderr);
          else if (why[0]) cli_error("%s", why);
          else cli_error("out of memory");
          code = diag || why[0] ? EXIT_INPUT : EXIT_INTERNAL;
          pactum_string_free(diag);
        }
      } else if (agreement_find_action(agr, a, strlen(a)) < 0) {
        cli_error("unknown action '%s'", a);
        code = EXIT_INPUT;
        q = NULL;
      } else if (agreement_find_party(agr, p, strlen(p)) < 0) {
        cli_error("unknown party '%s'", p);
        code = EXIT_INPUT;
        q = NULL;
      } else if (!agr->actions[agreement_find_action(agr, a, strlen(a))].principal_ok[agreement_find_party(agr, p, strlen(p))]) {
        cli_error("'%s' may not be the principal of action '%s'", p, a);
        code = EXIT_INPUT;
        q = NULL;
      }
      if (q) {
        int yes = 0;
        code = print_buf(&out, verify_query(q, kind, p, a, o->where != NULL, o->where, as_json, &out, &yes));
        if (!code && !yes) code = EXIT_PROBLEM;
        if (q != agr) pactum_agreement_free(q);
      }
    }
  } else {
    int n = 0;
    code = print_buf(&out, verify_report(agr, label, as_json, &out, &n));
    if (!code && n) code = EXIT_PROBLEM;
  }
  buf_release(&out);
  pactum_agreement_free(agr);
  return code;
}

/* Read the corpus: every non-blank line, with its line number. */
static int read_requests(const char *path, diff_request **out, size_t *n) {
  FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!fp) return cli_error("cannot open '%s': %s", path, strerror(errno));
  buf line;
  buf_init(&line);
  size_t cap = 0;
  long lineno = 0;
  int rc = 0;
  *out = NULL;
  *n = 0;
  while (cli_read_line(fp, &line) >= 0) {
    lineno++;
    if (cli_blank(&line)) continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      diff_request *v = px_realloc(*out, sizeof *v * cap);
      if (!v) {
        rc = -2;
        break;
      }
      *out = v;
    }
    char *copy = px_malloc(line.len + 1);
    if (!copy) {
      rc = -2;
      break;
    }
    memcpy(copy, line.data, line.len + 1);
    (*out)[*n].text = copy;
    (*out)[*n].len = line.len;
    (*out)[*n].line = lineno;
    (*n)++;
  }
  if (line.failed) rc = -2;
  buf_release(&line);
  if (fp != stdin) fclose(fp);
  if (rc == -2) cli_error("out of memory");
  return rc;
}

int cmd_diff(opts *o) {
  if (o->nargs != 2) return cli_error("'diff' compares two agreements: pactum diff A.pact B.pact"), EXIT_INPUT;
  if ((o->events || o->date) && !o->requests)
    return cli_error("'--events' and '--date' apply to the requests of '--requests'"), EXIT_INPUT;
  int code = EXIT_OK;
  int32_t day = 0;
  if (o->requests && cli_day_option(o, &day)) return EXIT_INPUT;
  pactum_agreement *a = load_path(o, o->args[0], &code);
  pactum_agreement *b = a ? load_path(o, o->args[1], &code) : NULL;
  pactum_timeline *ta = NULL, *tb = NULL;
  diff_request *reqs = NULL;
  size_t nreqs = 0;
  if (!b) goto out;
  if (o->requests) {
    opts ea = *o, eb = *o;
    ea.agreement = o->args[0];
    eb.agreement = o->args[1];
    if (!(ta = cli_load_timeline(a, &ea, &code)) || !(tb = cli_load_timeline(b, &eb, &code))) goto out;
    int rc = read_requests(o->requests, &reqs, &nreqs);
    if (rc) {
      code = rc == -2 ? EXIT_INTERNAL : EXIT_INPUT;
      goto out;
    }
  }
  diff_input in = {a, b, o->args[0], o->args[1], o->requests != NULL, reqs, nreqs, ta, tb, day};
  buf out;
  buf_init(&out);
  int changes = 0, rejected = 0;
  code = print_buf(&out, diff_report(&in, o->format && !strcmp(o->format, "json"), &out, &changes, &rejected));
  if (!code && rejected) code = EXIT_INPUT;
  else if (!code && changes) code = EXIT_PROBLEM;
out:
  for (size_t i = 0; i < nreqs; i++) px_free((void *)(uintptr_t)reqs[i].text);
  px_free(reqs);
  pactum_timeline_free(ta);
  pactum_timeline_free(tb);
  pactum_agreement_free(b);
  pactum_agreement_free(a);
  return code;
}
