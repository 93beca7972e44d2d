/*
** test_arena.c: the bump allocator of src/arena.c.
*/
#include "unit.h"
#include "alloc.h"
#include "arena.h"

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

static void test_alignment(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  for (size_t n = 0; n < 200; n++) {
    void *p = arena_alloc(&a, n);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
  }
  /* Odd sizes interleaved with a size that crosses into a new chunk. */
  for (int i = 0; i < 50; i++) {
    void *p = arena_alloc(&a, (size_t)(i * 997 % 3001) + 1);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
  }
  arena_release(&a);
}

static void test_zeroed_and_distinct(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  /* Dirty a large block, release it, and allocate again: the new memory must be zero even if
     malloc hands back the same bytes. */
  unsigned char *p = arena_alloc(&a, 50000);
  assert_non_null(p);
  assert_true(all_zero(p, 50000));
  memset(p, 0xAB, 50000);
  arena_release(&a);
  assert_null(a.head);
  assert_int_equal(a.used, 0);
  for (int i = 0; i < 100; i++) {
    unsigned char *q = arena_alloc(&a, 1000);
    assert_non_null(q);
    assert_true(all_zero(q, 1000));
    memset(q, 0xCD, 1000);
  }
  /* Allocations never overlap: each block keeps its own pattern. */
  unsigned char *blocks[64];
  for (int i = 0; i < 64; i++) {
    blocks[i] = arena_alloc(&a, 33);
    assert_non_null(blocks[i]);
    assert_true(all_zero(blocks[i], 33));
    memset(blocks[i], i + 1, 33);
  }
  for (int i = 0; i < 64; i++)
    for (int k = 0; k < 33; k++) assert_int_equal(blocks[i][k], i + 1);
  arena_release(&a);
}

static void test_used_accounting(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  assert_int_equal(a.used, 0);
  assert_non_null(arena_alloc(&a, 1)); /* rounded up to 16 */
  assert_int_equal(a.used, 16);
  assert_non_null(arena_alloc(&a, 16));
  assert_int_equal(a.used, 32);
  assert_non_null(arena_alloc(&a, 17)); /* 32 */
  assert_int_equal(a.used, 64);
  assert_non_null(arena_alloc(&a, 0)); /* a zero-size request still gets a distinct 16 bytes */
  assert_int_equal(a.used, 80);
  arena_release(&a);
  assert_int_equal(a.used, 0);
}

static void test_large_allocations(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  unsigned char *small1 = arena_alloc(&a, 100);
  assert_non_null(small1);
  memset(small1, 1, 100);
  /* Larger than a 64 KiB chunk: gets a chunk of its own, fully usable. */
  size_t big = 3 * 65536 + 5;
  unsigned char *p = arena_alloc(&a, big);
  assert_non_null(p);
  assert_int_equal((uintptr_t)p % 16, 0);
  assert_true(all_zero(p, big));
  memset(p, 0x5A, big);
  /* Exactly one chunk. */
  unsigned char *q = arena_alloc(&a, 65536);
  assert_non_null(q);
  assert_true(all_zero(q, 65536));
  memset(q, 0x33, 65536);
  /* Small allocations continue to work afterwards and do not touch the big blocks. */
  for (int i = 0; i < 1000; i++) {
    unsigned char *r = arena_alloc(&a, 200);
    assert_non_null(r);
    assert_true(all_zero(r, 200));
    memset(r, 0x77, 200);
  }
  assert_int_equal(p[0], 0x5A);
  assert_int_equal(p[big - 1], 0x5A);
  assert_int_equal(q[65535], 0x33);
  for (int i = 0; i < 100; i++) assert_int_equal(small1[i], 1);
  arena_release(&a);
}

static void test_strndup(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  char *s = arena_strndup(&a, "hello world", 5);
  assert_non_null(s);
  assert_string_equal(s, "hello");
  assert_int_equal((uintptr_t)s % 16, 0);
  char *e = arena_strndup(&a, "", 0);
  assert_non_null(e);
  assert_string_equal(e, "");
  /* NULL is fine with n == 0. */
  char *z = arena_strndup(&a, NULL, 0);
  assert_non_null(z);
  assert_string_equal(z, "");
  /* Embedded NULs are copied: exactly n bytes then a terminator. */
  char *b = arena_strndup(&a, "a\0b", 3);
  assert_non_null(b);
  assert_memory_equal(b, "a\0b\0", 4);
  /* A copy, not an alias. */
  char src[8] = "abcdefg";
  char *c = arena_strndup(&a, src, 7);
  src[0] = 'X';
  assert_string_equal(c, "abcdefg");
  /* Longer than a chunk. */
  size_t n = 70000;
  char *longsrc = malloc(n);
  assert_non_null(longsrc);
  memset(longsrc, 'q', n);
  char *l = arena_strndup(&a, longsrc, n);
  assert_non_null(l);
  assert_int_equal(strlen(l), n);
  free(longsrc);
  arena_release(&a);
}

static void test_out_of_memory(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  px_alloc_fail_after(1);
  assert_null(arena_alloc(&a, 10));
  assert_null(arena_strndup(&a, "abc", 3));
  px_alloc_fail_after(0);
  assert_null(a.head);
  /* Memory left in the current chunk needs no allocation. */
  assert_non_null(arena_alloc(&a, 10));
  px_alloc_fail_after(1);
  assert_non_null(arena_alloc(&a, 10));
  assert_null(arena_alloc(&a, 100000)); /* needs a new chunk */
  px_alloc_fail_after(0);
  arena_release(&a);
}

static void test_impossible_sizes(void **state) {
  (void)state;
  arena a;
  arena_init(&a);
  /* A request that cannot be satisfied must give NULL, never a smaller block. */
  assert_null(arena_alloc(&a, SIZE_MAX));
  assert_null(arena_alloc(&a, SIZE_MAX - 7));
  assert_null(arena_alloc(&a, SIZE_MAX - 15));
  assert_int_equal(a.used, 0);
  arena_release(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_alignment),        cmocka_unit_test(test_zeroed_and_distinct),
      cmocka_unit_test(test_used_accounting),  cmocka_unit_test(test_large_allocations),
      cmocka_unit_test(test_strndup),          cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_impossible_sizes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
