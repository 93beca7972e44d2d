/*
** api.c: loading agreements (the pipeline lex -> parse -> check -> compile) and the small
** accessors of pactum.h.
*/
#include "agreement.h"
#include "alloc.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

void pactum_string_free(char *s) { px_free(s); }

void pactum_agreement_free(pactum_agreement *agr) {
  if (!agr) return;
  arena a = agr->ar;
  arena_release(&a); /* agr itself lives in its arena */
}

static char *detach_diags(diag_list *d) { return buf_detach(&d->out); }

int pactum_agreement_load_buffer(const char *name, const char *src, size_t len,
                                 pactum_agreement **out, char **diag) {
  *out = NULL;
  if (diag) *diag = NULL;
  arena boot;
  arena_init(&boot);
  pactum_agreement *agr = arena_alloc(&boot, sizeof *agr);
  if (!agr) return PACTUM_ENOMEM;
  agr->ar = boot; /* from here on the agreement's arena owns the agreement itself */
  arena *ar = &agr->ar;
  char *copy = arena_strndup(ar, src, len);
  char *fname = copy ? arena_strndup(ar, name, strlen(name)) : NULL;
  if (!fname) {
    pactum_agreement_free(agr);
    return PACTUM_ENOMEM;
  }
  agr->src = copy;
  agr->src_len = len;
  agr->file = fname;
  diag_list d;
  diag_init(&d, fname, copy, len);
  ast_file *f = parse_file(copy, len, ar, &d);
  int rc = PACTUM_OK;
  if (!f) rc = PACTUM_ENOMEM;
  else if (d.errors || check_file(f, ar, &d)) rc = PACTUM_EINPUT;
  else rc = compile_agreement(agr, f);
  if (d.oom) rc = PACTUM_ENOMEM;
  if (rc == PACTUM_OK) {
    /* The state before any event, and the fixed tail of every decision. */
    int width = agr->nstates + agr->ncommits + agr->nhidden;
    agr->init = arena_alloc(ar, sizeof(int64_t) * (size_t)(width ? width : 1));
    buf t;
    buf_init(&t);
    buf_puts(&t, "\"agreement\":{\"id\":");
    buf_json_cstr(&t, agr->id);
    buf_puts(&t, ",\"version\":");
    buf_json_cstr(&t, agr->version);
    buf_puts(&t, "}}");
    agr->tail = t.failed ? NULL : arena_strndup(ar, t.data, t.len);
    agr->tail_len = t.len;
    buf_release(&t);
    if (!agr->init || !agr->tail) {
      rc = PACTUM_ENOMEM;
    } else {
      memset(agr->init, 0, sizeof(int64_t) * (size_t)(width ? width : 1));
      for (int i = 0; i < agr->nstates; i++) agr->init[i] = agr->states[i].init;
    }
  }
  if (rc == PACTUM_ENOMEM && !d.errors) diag_error(&d, (loc){1, 1, 0, 1}, "out of memory");
  if (rc != PACTUM_OK) {
    if (diag) *diag = detach_diags(&d);
    diag_release(&d);
    pactum_agreement_free(agr);
    return rc;
  }
  diag_release(&d);
  *out = agr;
  return PACTUM_OK;
}

int pactum_agreement_load_file(const char *path, pactum_agreement **out, char **diag) {
  *out = NULL;
  if (diag) *diag = NULL;
  buf content;
  buf_init(&content);
  int rd = diag_read_file(path, &content, diag);
  if (rd) return rd;
  int rc = pactum_agreement_load_buffer(path, content.data ? content.data : "", content.len, out, diag);
  buf_release(&content);
  return rc;
}

const char *pactum_agreement_id(const pactum_agreement *agr) { return agr->id; }
const char *pactum_agreement_version(const pactum_agreement *agr) { return agr->version; }
const char *pactum_agreement_title(const pactum_agreement *agr) { return agr->title; }

void pactum_agreement_summary(const pactum_agreement *agr, pactum_summary *out) { *out = agr->summary; }
