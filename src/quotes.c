/*
** quotes.c: checks that every quotation in an agreement is really in its source document.
**
** A quote matches when it occurs in the source text after both are normalised: runs of
** white space become one space, and typographic quotes and apostrophes become ASCII ones.
** Nothing else is forgiven, so a paraphrase passed off as a quote is caught.
*/
#include "agreement.h"
#include "alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

/* Append s[0..n) to out, normalised as described above. */
static void normalise(buf *out, const char *s, size_t n) {
  int space = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = 1;
      continue;
    }
    if (space && out->len) buf_putc(out, ' ');
    space = 0;
    /* U+2018, U+2019 (quotes, apostrophe) and U+201C, U+201D (double quotes). */
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
      unsigned char t = (unsigned char)s[i + 2];
      if (t == 0x98 || t == 0x99) {
        buf_putc(out, '\'');
        i += 2;
        continue;
      }
      if (t == 0x9C || t == 0x9D) {
        buf_putc(out, '"');
        i += 2;
        continue;
      }
    }
    buf_putc(out, (char)c);
  }
}

static int read_file(const char *path, buf *out) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return -1;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(out, chunk, n);
  int bad = ferror(fp) || out->failed;
  fclose(fp);
  return bad ? -1 : 0;
}

static int check_list(const ccite *c, int n, const char *source, const buf *text, diag_list *diags,
                      const char *src_ref, int *checked) {
  int bad = 0;
  for (int i = 0; i < n; i++) {
    if (strcmp(c[i].source, source) != 0) continue;
    buf q;
    buf_init(&q);
    normalise(&q, c[i].text, c[i].len);
    (*checked)++;
    if (!q.data || !text->data || !strstr(text->data, q.data)) {
      diag_error(diags, c[i].at, "quotation not found in source '%s' (%s)", source, src_ref);
      bad++;
    }
    buf_release(&q);
  }
  return bad;
}

int quotes_verify(const pactum_agreement *agr, const char *dir, diag_list *diags, int *checked, int *missing,
                  buf *notes) {
  int bad = 0;
  *checked = *missing = 0;
  for (int s = 0; s < agr->nsources; s++) {
    const csource *src = &agr->sources[s];
    buf path, raw, text;
    buf_init(&path);
    buf_init(&raw);
    buf_init(&text);
    buf_printf(&path, "%s/%s", dir, src->ref);
    if (path.failed || read_file(path.data, &raw)) {
      (*missing)++;
      buf_printf(notes, "source '%s': cannot read '%s' (%s); its quotes are not verified\n", src->name,
                 path.data ? path.data : src->ref, strerror(errno));
    } else {
      normalise(&text, raw.data ? raw.data : "", raw.len);
      if (!text.data) buf_puts(&text, "");
      for (int i = 0; i < agr->nclauses; i++)
        bad += check_list(agr->clauses[i].cites, agr->clauses[i].ncites, src->name, &text, diags, src->ref, checked);
      for (int i = 0; i < agr->ncommits; i++)
        bad += check_list(agr->commits[i].cites, agr->commits[i].ncites, src->name, &text, diags, src->ref, checked);
      for (int i = 0; i < agr->nevents; i++)
        bad += check_list(agr->events[i].cites, agr->events[i].ncites, src->name, &text, diags, src->ref, checked);
      for (int i = 0; i < agr->nobligs; i++)
        bad += check_list(agr->obligs[i].cites, agr->obligs[i].ncites, src->name, &text, diags, src->ref, checked);
      for (int i = 0; i < agr->nfacts; i++)
        bad += check_list(agr->facts[i].cites, agr->facts[i].ncites, src->name, &text, diags, src->ref, checked);
      bad += check_list(agr->name_cites, agr->nname_cites, src->name, &text, diags, src->ref, checked);
    }
    buf_release(&path);
    buf_release(&raw);
    buf_release(&text);
  }
  return bad;
}
