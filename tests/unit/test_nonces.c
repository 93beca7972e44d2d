/*
** test_nonces.c: the set of nonces a record has seen (src/nonces.c): membership, duplicates,
** the undo log and settling, growth to many thousands of nonces, tombstones left by undone
** insertions (reused, and never letting the table fill up), and running out of memory.
**
** Expected values come from a reference written here: a plain list searched one by one, which
** a random sequence of additions, marks and undos is replayed against.
*/
#include "unit.h"
#include "alloc.h"
#include "nonces.h"

#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* The nonce number i, as text: "nonce-" and i in decimal (at least 16 characters). */
static size_t nonce_text(unsigned long i, char out[40]) {
  int n = snprintf(out, 40, "nonce-%010lu", i);
  return (size_t)n;
}

static void add_new(nonces *ns, unsigned long i) {
  char t[40];
  size_t n = nonce_text(i, t);
  assert_int_equal(nonces_add(ns, t, n), 0);
}

static int has(const nonces *ns, unsigned long i) {
  char t[40];
  size_t n = nonce_text(i, t);
  return nonces_has(ns, t, n);
}

static void test_set(void **state) {
  (void)state;
  nonces *ns = nonces_new();
  assert_non_null(ns);
  assert_int_equal(nonces_count(ns), 0);
  assert_false(nonces_has(ns, "abcdefghijklmnop", 16));
  assert_int_equal(nonces_mark(ns), 0);

  assert_int_equal(nonces_add(ns, "abcdefghijklmnop", 16), 0);
  assert_int_equal(nonces_add(ns, "abcdefghijklmnop", 16), 1); /* a duplicate changes nothing */
  assert_int_equal(nonces_count(ns), 1);
  assert_true(nonces_has(ns, "abcdefghijklmnop", 16));
  /* The whole string counts: a prefix, an extension, another case are other nonces. */
  assert_false(nonces_has(ns, "abcdefghijklmno", 15));
  assert_false(nonces_has(ns, "abcdefghijklmnopq", 17));
  assert_false(nonces_has(ns, "ABCDEFGHIJKLMNOP", 16));
  /* Only the n bytes given are read: a longer buffer with the same first n bytes is the same nonce. */
  assert_true(nonces_has(ns, "abcdefghijklmnopXYZ", 16));
  /* Bytes after a NUL count too (the caller gives the length). */
  assert_int_equal(nonces_add(ns, "abcdefgh\0ijklmnop", 17), 0);
  assert_int_equal(nonces_add(ns, "abcdefgh\0ijklmnoq", 17), 0);
  assert_int_equal(nonces_count(ns), 3);
  assert_int_equal(nonces_add(ns, "", 0), 0); /* the set takes any bytes; record.c checks the form */
  assert_int_equal(nonces_add(ns, "", 0), 1);
  assert_int_equal(nonces_count(ns), 4);
  nonces_free(ns);
  nonces_free(NULL);
}

static void test_undo(void **state) {
  (void)state;
  nonces *ns = nonces_new();
  for (unsigned long i = 0; i < 10; i++) add_new(ns, i);
  nonces_settle(ns);
  assert_int_equal(nonces_mark(ns), 0);
  size_t m = nonces_mark(ns);
  for (unsigned long i = 10; i < 15; i++) add_new(ns, i);
  char t[40];
  size_t n = nonce_text(3, t);
  assert_int_equal(nonces_add(ns, t, n), 1); /* an old nonce again: not logged, not undone */
  assert_int_equal(nonces_mark(ns), m + 5);
  assert_int_equal(nonces_count(ns), 15);
  size_t m2 = nonces_mark(ns);
  for (unsigned long i = 15; i < 20; i++) add_new(ns, i);
  nonces_undo(ns, m2);
  assert_int_equal(nonces_count(ns), 15);
  for (unsigned long i = 0; i < 20; i++) assert_int_equal(has(ns, i), i < 15);
  nonces_undo(ns, m);
  assert_int_equal(nonces_count(ns), 10);
  for (unsigned long i = 0; i < 20; i++) assert_int_equal(has(ns, i), i < 10);
  nonces_undo(ns, m); /* again: nothing more to undo */
  assert_int_equal(nonces_count(ns), 10);
  /* What was undone can be added again (into its tombstone or elsewhere), and undone again. */
  for (unsigned long i = 10; i < 20; i++) add_new(ns, i);
  assert_int_equal(nonces_count(ns), 20);
  for (unsigned long i = 0; i < 20; i++) assert_true(has(ns, i));
  /* Settled additions stay: settle forgets the undo log. */
  nonces_settle(ns);
  assert_int_equal(nonces_mark(ns), 0);
  nonces_undo(ns, 0);
  assert_int_equal(nonces_count(ns), 20);
  for (unsigned long i = 0; i < 20; i++) assert_true(has(ns, i));
  nonces_free(ns);
}

/* Many thousands: every one is found, no miss is, duplicates are refused, undo takes them all. */
static void test_growth(void **state) {
  (void)state;
  enum { N = 200000 };
  nonces *ns = nonces_new();
  for (unsigned long i = 0; i < N; i += 2) add_new(ns, i);
  nonces_settle(ns);
  size_t m = nonces_mark(ns);
  for (unsigned long i = 1; i < N; i += 2) add_new(ns, i);
  assert_int_equal(nonces_count(ns), N);
  for (unsigned long i = 0; i < N; i++) {
    char t[40];
    size_t n = nonce_text(i, t);
    if (!nonces_has(ns, t, n)) fail_msg("nonce %lu is missing", i);
    if (nonces_add(ns, t, n) != 1) fail_msg("nonce %lu taken twice", i);
  }
  for (unsigned long i = N; i < N + 50000; i++)
    if (has(ns, i)) fail_msg("nonce %lu was never added", i);
  /* Undo the 100,000 odd ones added since the mark, in time proportional to them. */
  nonces_undo(ns, m);
  assert_int_equal(nonces_count(ns), N / 2);
  for (unsigned long i = 0; i < N; i++)
    if (has(ns, i) != !(i & 1)) fail_msg("nonce %lu after the undo", i);
  nonces_free(ns);
}

#ifdef __GLIBC__
static size_t heap_in_use(void) { return mallinfo2().uordblks; }
#endif

/*
** Tombstones: a record_check adds a nonce and undoes it, for every check a server makes, so a
** long-lived set sees millions of additions undone. They must neither fill the table (a miss
** would then probe it all) nor grow it without bound.
*/
static void test_tombstones(void **state) {
  (void)state;
  nonces *ns = nonces_new();
  for (unsigned long i = 0; i < 1000; i++) add_new(ns, i);
  nonces_settle(ns);
#ifdef __GLIBC__
  size_t before = heap_in_use();
#endif
  clock_t t0 = clock();
  for (unsigned long i = 0; i < 500000; i++) {
    size_t m = nonces_mark(ns);
    add_new(ns, 1000000 + i);
    nonces_undo(ns, m);
    if (i % 50000 == 0) { /* lookups of present and absent nonces still end */
      assert_true(has(ns, i % 1000));
      assert_false(has(ns, 1000000 + i));
    }
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  assert_int_equal(nonces_count(ns), 1000);
  for (unsigned long i = 0; i < 1000; i++) assert_true(has(ns, i));
  for (unsigned long i = 0; i < 500000; i += 997) assert_false(has(ns, 1000000 + i));
#ifdef __GLIBC__
  /* 500,000 insertions undone: the table stays the size 1,000 nonces need (a few kB), not 8 MB. */
  size_t after = heap_in_use();
  if (after > before + 256 * 1024) fail_msg("the set grew by %zu bytes over 500,000 undone insertions", after - before);
#endif
  /* Each add and undo costs O(1): half a million take well under a few seconds, even under valgrind. */
  const char *scale = getenv("PACTUM_TIME_SCALE");
  double limit = 5.0 * (scale ? atof(scale) : 1.0);
  if (secs > limit) fail_msg("500,000 add/undo cycles took %.2f s", secs);

  /* A nonce undone, then added again for good, is found; its tombstone does not hide it. */
  size_t m = nonces_mark(ns);
  add_new(ns, 42424242);
  nonces_undo(ns, m);
  add_new(ns, 42424242);
  nonces_settle(ns);
  assert_true(has(ns, 42424242));
  assert_int_equal(nonces_count(ns), 1001);
  nonces_free(ns);
}

/* Random additions, marks, undos and settles against a plain list. */
static void test_against_reference(void **state) {
  (void)state;
  enum { OPS = 20000, UNIVERSE = 3000 };
  static unsigned long ref[OPS];      /* the nonces present, in order of addition */
  static size_t ref_marks[64], ns_marks[64];
  size_t nref = 0, nmarks = 0, settled = 0; /* ref[0..settled) cannot be undone */
  nonces *ns = nonces_new();
  srand(7);
  for (int op = 0; op < OPS; op++) {
    int what = rand() % 10;
    if (what < 6) {
      unsigned long v = (unsigned long)(rand() % UNIVERSE);
      int present = 0;
      for (size_t i = 0; i < nref; i++) present |= ref[i] == v;
      char t[40];
      size_t n = nonce_text(v, t);
      assert_int_equal(nonces_add(ns, t, n), present);
      if (!present) ref[nref++] = v;
    } else if (what < 8 && nmarks < 64) {
      ref_marks[nmarks] = nref;
      ns_marks[nmarks++] = nonces_mark(ns);
    } else if (what < 9 && nmarks) {
      size_t k = (size_t)rand() % nmarks;
      nonces_undo(ns, ns_marks[k]);
      nref = ref_marks[k];
      nmarks = k;
    } else {
      nonces_settle(ns);
      settled = nref;
      nmarks = 0;
    }
    assert_true(nref >= settled);
    assert_int_equal(nonces_count(ns), nref);
  }
  for (unsigned long v = 0; v < UNIVERSE; v++) {
    int present = 0;
    for (size_t i = 0; i < nref; i++) present |= ref[i] == v;
    assert_int_equal(has(ns, v), present);
  }
  nonces_free(ns);
}

/* Out of memory while growing: the addition fails (-1) and the set is as it was. */
static void test_out_of_memory(void **state) {
  (void)state;
  nonces *ns = nonces_new();
  assert_non_null(ns);
  px_alloc_fail_after(1);
  char t[40];
  size_t n = nonce_text(1, t);
  assert_int_equal(nonces_add(ns, t, n), -1);
  px_alloc_fail_after(0);
  assert_int_equal(nonces_count(ns), 0);
  assert_false(has(ns, 1));
  /* Fail the first, then the second allocation of an addition that allocates (the table or the
     undo log growing; the 33rd addition grows both), until one fails. */
  unsigned long i = 0;
  for (int fail = 1; fail <= 2; fail++) {
    for (int tries = 0;; tries++) {
      assert_true(tries < 100000);
      size_t before = nonces_count(ns), mark = nonces_mark(ns);
      n = nonce_text(i, t);
      px_alloc_fail_after(fail);
      int rc = nonces_add(ns, t, n);
      px_alloc_fail_after(0);
      if (rc == 0) {
        i++;
        continue;
      }
      assert_int_equal(rc, -1);
      assert_int_equal(nonces_count(ns), before);
      assert_int_equal(nonces_mark(ns), mark);
      assert_false(nonces_has(ns, t, n));
      break;
    }
    for (unsigned long j = 0; j < i; j++) assert_true(has(ns, j));
    add_new(ns, i++); /* and it works again */
  }
  nonces_free(ns);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_set),         cmocka_unit_test(test_undo),
      cmocka_unit_test(test_growth),      cmocka_unit_test(test_tombstones),
      cmocka_unit_test(test_against_reference), cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
