/*
** bench_append.c: appends in batches, in process, as a server makes them (bench/tlog.sh).
**
**   bench_append --db PATH --batches B --batch N [--agreement FILE]
**
** Opens the record at PATH (creating it), then appends B batches of N purchase events, each
** batch one record_add: validated, folded, hash-chained and (since schema 3) placed in the
** Merkle tree, in one durable transaction. Prints events per second. Built against the current
** tree, and, by bench/tlog.sh, against an older one with -DPACTUM_OLD_RECORD_API, so that the two
** are measured in the same run.
*/
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  const char *db = NULL, *file = PACTUM_BENCH_AGREEMENT;
  int batches = 20, batch = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--db")) db = argv[i + 1];
    else if (!strcmp(argv[i], "--agreement")) file = argv[i + 1];
    else if (!strcmp(argv[i], "--batches")) batches = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
  }
  if (!db || batches < 1 || batch < 1) {
    fprintf(stderr, "usage: bench_append --db PATH --batches B --batch N\n");
    return 2;
  }
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(file, &agr, &diag)) {
    fprintf(stderr, "%s", diag ? diag : "bench_append: cannot load the agreement\n");
    return 2;
  }
  record *r = NULL;
  pactum_error err;
#ifdef PACTUM_OLD_RECORD_API
  record_init init = {0, NULL};
#else
  record_init init = {0, 0, NULL, 0};
#endif
  if (record_open(agr, db, 1, &init, &r, &err)) {
    fprintf(stderr, "bench_append: %s\n", err.message);
    return 2;
  }
  char (*text)[96] = calloc((size_t)batch, 96);
  const char **texts = calloc((size_t)batch, sizeof *texts);
  size_t *lens = calloc((size_t)batch, sizeof *lens);
  double total = 0;
  for (int b = 0; b < batches; b++) {
    for (int i = 0; i < batch; i++) {
      long x = (long)b * batch + i;
      lens[i] = (size_t)snprintf(text[i], 96, "{\"type\":\"azure_purchase\",\"date\":\"2030-%02ld-01\",\"amount_usd\":%ld}",
                                 1 + (x * 12) / ((long)batches * batch), 1000 + x % 100000);
      texts[i] = text[i];
    }
    size_t bad;
    int64_t first, last;
    double t0 = now_s();
#ifdef PACTUM_OLD_RECORD_API
    int rc = record_add(r, texts, lens, (size_t)batch, NULL, 0, &bad, &first, &last, &err);
#else
    int rc = record_add(r, texts, lens, (size_t)batch, NULL, 0, NULL, &bad, &first, &last, &err);
#endif
    total += now_s() - t0;
    if (rc) {
      fprintf(stderr, "bench_append: %s\n", err.message);
      return 1;
    }
  }
  printf("%.0f events/s (%d batches of %d in %.3f s)\n", (double)batches * batch / total, batches, batch, total);
  record_free(r);
  pactum_agreement_free(agr);
  free(text);
  free((void *)texts);
  free(lens);
  return 0;
}
