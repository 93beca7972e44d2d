/*
** test_buf.c: the growable text buffer of src/buf.c.
*/
#include "unit.h"
#include "alloc.h"
#include "buf.h"

static void test_empty_and_append(void **state) {
  (void)state;
  buf b;
  buf_init(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  buf_append(&b, "", 0);
  assert_non_null(b.data);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  buf_puts(&b, "ab");
  buf_putc(&b, 'c');
  buf_append(&b, "defXYZ", 3);
  assert_int_equal(b.len, 6);
  assert_string_equal(b.data, "abcdef");
  assert_true(b.cap >= b.len + 1);
  buf_release(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 0);
}

static void test_printf_growth(void **state) {
  (void)state;
  char big[1001];
  for (int i = 0; i < 1000; i++) big[i] = (char)('a' + i % 26);
  big[1000] = '\0';
  buf b;
  buf_init(&b);
  /* Short output goes through the 256-byte scratch buffer. */
  buf_printf(&b, "%d-%s", 42, "x");
  assert_string_equal(b.data, "42-x");
  /* 255 characters still fit the scratch buffer with its NUL; 256 and more do not. */
  buf_printf(&b, "%.255s", big);
  assert_int_equal(b.len, 4 + 255);
  buf_printf(&b, "%.256s", big);
  assert_int_equal(b.len, 4 + 255 + 256);
  buf_printf(&b, "[%s]", big);
  assert_int_equal(b.len, 4 + 255 + 256 + 1002);
  assert_int_equal(strlen(b.data), b.len);
  assert_true(b.cap > b.len);
  assert_memory_equal(b.data, "42-x", 4);
  assert_memory_equal(b.data + 4, big, 255);
  assert_memory_equal(b.data + 4 + 255, big, 256);
  assert_int_equal(b.data[4 + 255 + 256], '[');
  assert_memory_equal(b.data + 4 + 255 + 256 + 1, big, 1000);
  assert_int_equal(b.data[b.len - 1], ']');
  buf_release(&b);

  /* A fresh buffer whose first write is larger than 256 bytes. */
  buf_init(&b);
  buf_printf(&b, "%s%s%s", big, big, big);
  assert_int_equal(b.len, 3000);
  assert_int_equal(strlen(b.data), 3000);
  assert_memory_equal(b.data + 2000, big, 1000);
  buf_release(&b);

  /* Many small writes crossing several doublings. */
  buf_init(&b);
  for (int i = 0; i < 5000; i++) buf_printf(&b, "%d,", i % 10);
  assert_int_equal(b.len, 10000);
  for (int i = 0; i < 5000; i++) {
    assert_int_equal(b.data[2 * i], '0' + i % 10);
    assert_int_equal(b.data[2 * i + 1], ',');
  }
  buf_release(&b);
}

static char *json_of(const char *s, size_t n) {
  buf b;
  buf_init(&b);
  buf_json_str(&b, s, n);
  return buf_detach(&b);
}

static void check_json(const char *in, size_t n, const char *want) {
  char *got = json_of(in, n);
  assert_non_null(got);
  assert_string_equal(got, want);
  px_free(got);
}

static void test_json_escaping(void **state) {
  (void)state;
  check_json("", 0, "\"\"");
  check_json("plain", 5, "\"plain\"");
  check_json("say \"hi\"", 8, "\"say \\\"hi\\\"\"");
  check_json("a\\b", 3, "\"a\\\\b\"");
  check_json("l1\nl2\tx\ry", 9, "\"l1\\nl2\\tx\\ry\"");
  check_json("\x01", 1, "\"\\u0001\"");
  check_json("a\x1f" "b", 3, "\"a\\u001fb\"");
  check_json("\x08\x0c", 2, "\"\\u0008\\u000c\"");
  /* An embedded NUL, counted by n, is escaped rather than ending the string. */
  check_json("a\0b", 3, "\"a\\u0000b\"");
  /* DEL and UTF-8 pass through unchanged. */
  check_json("\x7f", 1, "\"\x7f\"");
  check_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  /* Bytes that are not UTF-8 (a stray continuation, an overlong form, a sequence cut off by n,
     a surrogate) become U+FFFD one byte at a time, so the literal stays valid JSON. */
  check_json("/v1\xc7/x", 6, "\"/v1\\ufffd/x\"");
  check_json("\x80", 1, "\"\\ufffd\"");
  check_json("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");
  check_json("\xe2\x82\xac", 2, "\"\\ufffd\\ufffd\"");
  check_json("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");
  check_json("\xff\xc3\xa9", 3, "\"\\ufffd\xc3\xa9\"");
  /* Only n bytes are read. */
  check_json("abcdef", 3, "\"abc\"");
  /* buf_json_cstr reads up to the NUL. */
  buf b;
  buf_init(&b);
  buf_puts(&b, "x=");
  buf_json_cstr(&b, "q\"");
  assert_string_equal(b.data, "x=\"q\\\"\"");
  buf_release(&b);
}

static void test_i64(void **state) {
  (void)state;
  buf b;
  buf_init(&b);
  buf_i64(&b, 0);
  buf_putc(&b, ' ');
  buf_i64(&b, -1);
  buf_putc(&b, ' ');
  buf_i64(&b, INT64_MAX);
  buf_putc(&b, ' ');
  buf_i64(&b, INT64_MIN);
  assert_string_equal(b.data, "0 -1 9223372036854775807 -9223372036854775808");
  buf_release(&b);
}

static void test_detach_ownership(void **state) {
  (void)state;
  buf b;
  buf_init(&b);
  buf_puts(&b, "hello");
  char *p = buf_detach(&b);
  assert_non_null(p);
  assert_string_equal(p, "hello");
  /* b is emptied and reusable; it no longer refers to p. */
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 0);
  buf_puts(&b, "again");
  assert_true(b.data != p);
  char *q = buf_detach(&b);
  assert_string_equal(q, "again");
  assert_string_equal(p, "hello");
  px_free(p);
  px_free(q);
  /* An empty buffer detaches to an empty, caller-owned string. */
  buf_init(&b);
  char *e = buf_detach(&b);
  assert_non_null(e);
  assert_string_equal(e, "");
  assert_null(b.data);
  px_free(e);
  /* Releasing after a detach is harmless. */
  buf_release(&b);
}

static void test_failure_is_sticky(void **state) {
  (void)state;
  buf b;
  buf_init(&b);
  buf_puts(&b, "ok");
  px_alloc_fail_after(1); /* the next allocation fails */
  char big[600];
  memset(big, 'z', sizeof big);
  buf_append(&b, big, sizeof big);
  px_alloc_fail_after(0);
  assert_true(b.failed);
  /* Later appends do nothing even though memory is available again. */
  buf_puts(&b, "more");
  buf_printf(&b, "%s", "x");
  assert_true(b.failed);
  assert_null(buf_detach(&b)); /* and the detach releases what was there */
  assert_null(b.data);
  /* The buffer is reusable after the detach. */
  buf_puts(&b, "fresh");
  char *p = buf_detach(&b);
  assert_non_null(p);
  assert_string_equal(p, "fresh");
  px_free(p);

  /* A first allocation that fails: detach gives NULL, no leak. */
  buf_init(&b);
  px_alloc_fail_after(1);
  buf_puts(&b, "x");
  px_alloc_fail_after(0);
  assert_null(buf_detach(&b));
  buf_init(&b);
  px_alloc_fail_after(1);
  assert_null(buf_detach(&b));
  px_alloc_fail_after(0);
  buf_release(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty_and_append), cmocka_unit_test(test_printf_growth),
      cmocka_unit_test(test_json_escaping),    cmocka_unit_test(test_i64),
      cmocka_unit_test(test_detach_ownership), cmocka_unit_test(test_failure_is_sticky),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
