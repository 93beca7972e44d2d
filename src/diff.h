/*
** diff.h: comparing two agreements (`pactum diff`): their vocabularies, every clause
** (added, removed, changed field by field, unchanged), and the impact of the changes on
** requests, from a corpus or from the decision space of both (space.h).
*/
#ifndef PACTUM_DIFF_H
#define PACTUM_DIFF_H

#include "agreement.h"
#include "buf.h"

/* One request of a corpus: its JSON text and its line in the file (borrowed). */
typedef struct diff_request {
  const char *text;
  size_t len;
  long line;
} diff_request;

typedef struct diff_input {
  const pactum_agreement *a, *b;
  const char *label_a, *label_b;  /* how to name the files in the report */
  int corpus;                     /* 1: decide reqs; 0: generate requests over the finite domains */
  const diff_request *reqs;       /* the corpus (NULL when it is empty) */
  size_t nreqs;
  const pactum_timeline *tl_a, *tl_b; /* events for the corpus (may be NULL) */
  int32_t default_day;            /* for corpus requests without a date */
} diff_input;

/*
** Compare in->a and in->b and append the report to out, as text or JSON. *changes receives
** the number of clauses not unchanged, vocabulary changes and requests whose outcome
** differs; *rejected is 1 when some request of the corpus is valid in neither agreement
** (those are listed, not compared). Returns 0, or -1 when out of memory.
*/
int diff_report(const diff_input *in, int as_json, buf *out, int *changes /* OUT */, int *rejected /* OUT */);

/*
** Whether a and b decide every point of their joint decision space alike. *yes receives the
** answer; the first point where they differ, if any, is appended to out as text or JSON.
** Returns 0, or -1 when out of memory.
*/
int diff_equivalent(const pactum_agreement *a, const pactum_agreement *b, int as_json, buf *out, int *yes /* OUT */);

#endif
