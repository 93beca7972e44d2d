/*
** bench_refused.c: what a refused batch costs, against the size of the store (bench/tlog.sh).
**
**   bench_refused --dir DIR [--sizes 1000,20000]
**
** For each size N: a store that requires signatures, holding openai's key and N purchases it
** signed; then 20 times a batch of 10 signed purchases whose last is refused (dated before the
** store's last event), timed from record_add's call to its return: the median. Issue 13 measured
** 2 s at 20,000 signed events before a refused batch was undone in memory (the whole store was
** folded again, every signature verified again). The cost should not grow with N.
*/
#include "alloc.h"
#include "record.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  px_alloc_init();
  const char *dir = NULL, *sizes = "1000,20000";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--dir")) dir = argv[i + 1];
    else if (!strcmp(argv[i], "--sizes")) sizes = argv[i + 1];
  }
  if (!dir || sodium_init() < 0) {
    fprintf(stderr, "usage: bench_refused --dir DIR [--sizes N,N...]\n");
    return 2;
  }
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(PACTUM_BENCH_AGREEMENT, &agr, &diag)) return 2;
  sign_key boot, openai;
  memset(&boot, 0, sizeof boot);
  memset(&openai, 0, sizeof openai);
  snprintf(boot.signer, sizeof boot.signer, "bootstrap");
  snprintf(openai.signer, sizeof openai.signer, "openai");
  crypto_sign_keypair(boot.pk, boot.sk);
  crypto_sign_keypair(openai.pk, openai.sk);
  boot.has_secret = openai.has_secret = 1;
  for (const char *p = sizes; *p;) {
    long n = strtol(p, (char **)&p, 10);
    if (*p == ',') p++;
    char db[512];
    snprintf(db, sizeof db, "%s/refused-%ld.db", dir, n);
    unlink(db);
    const uint8_t(*boots)[SIGN_PK_BYTES] = (const uint8_t(*)[SIGN_PK_BYTES])boot.pk;
    record_init init = {1, 1, boots, 1};
    record *r = NULL;
    pactum_error err;
    if (record_open(agr, db, 1, &init, &r, &err)) {
      fprintf(stderr, "bench_refused: %s\n", err.message);
      return 1;
    }
    char b64[64], reg[256];
    sign_b64_encode(openai.pk, SIGN_PK_BYTES, b64, sizeof b64);
    snprintf(reg, sizeof reg, "{\"type\":\"key_registered\",\"date\":\"2026-01-01\",\"signer\":\"openai\",\"public_key\":\"%s\"}", b64);
    const char *one[1] = {reg};
    size_t len = strlen(reg), bad;
    int64_t first, last;
    sign_key both[2] = {boot, openai};
    if (record_add(r, one, &len, 1, both, 2, NULL, &bad, &first, &last, &err)) {
      fprintf(stderr, "bench_refused: registering the key: %s\n", err.message);
      return 1;
    }
    enum { BATCH = 1000 };
    static char text[BATCH][96];
    const char *texts[BATCH];
    size_t lens[BATCH];
    for (long done = 0; done < n;) {
      int k = n - done < BATCH ? (int)(n - done) : BATCH;
      for (int i = 0; i < k; i++) {
        lens[i] = (size_t)snprintf(text[i], sizeof text[i], "{\"type\":\"azure_purchase\",\"date\":\"2027-06-01\",\"amount_usd\":%ld}",
                                   1 + done + i);
        texts[i] = text[i];
      }
      if (record_add(r, texts, lens, (size_t)k, &openai, 1, NULL, &bad, &first, &last, &err)) {
        fprintf(stderr, "bench_refused: filling: %s\n", err.message);
        return 1;
      }
      done += k;
    }
    double t[20];
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 10; i++) {
        lens[i] = (size_t)snprintf(text[i], sizeof text[i], "{\"type\":\"azure_purchase\",\"date\":\"%s\",\"amount_usd\":%d}",
                                   i == 9 ? "2026-06-01" : "2027-07-01", 100 + i); /* the last is out of order */
        texts[i] = text[i];
      }
      double a = now_us();
      int rc = record_add(r, texts, lens, 10, &openai, 1, NULL, &bad, &first, &last, &err);
      t[round] = now_us() - a;
      if (rc != PACTUM_EINPUT || bad != 9) {
        fprintf(stderr, "bench_refused: the batch was not refused at its last event (%d, %zu)\n", rc, bad);
        return 1;
      }
    }
    qsort(t, 20, sizeof t[0], cmp_double);
    printf("a refused batch of 10 signed events in a signed store of %6ld events: median %8.1f µs (min %.1f, max %.1f)\n",
           n, t[10], t[0], t[19]);
    record_free(r);
  }
  pactum_agreement_free(agr);
  return 0;
}
