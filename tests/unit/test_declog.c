/*
** test_declog.c: the decision log's background writer (src/declog.c) on a store in a temporary
** directory.
**
** What is checked: every entry pushed is written once, in order, on the decisions chain; a queue
** that stays full answers 1 and leaves the entry with the caller; and a batch the store refuses
** is neither lost nor reordered. The refusal is injected with a trigger, added through a second
** SQLite connection, that aborts every insert into the decisions table while a flag is set: the
** writer's batch fails, is put back and is written once the flag is cleared. While it is being
** written it still holds its room in the queue, so a push meanwhile finds the queue full rather
** than take that room and leave the failed batch nowhere to go back to.
*/
#include "unit.h"
#include "alloc.h"
#include "declog.h"
#include "store.h"

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

typedef struct fx {
  char dir[64], path[128];
  uint8_t genesis[HASH_BYTES];
  sqlite3 *side; /* the second connection, which sets and clears the fault */
} fx;

static void sql(sqlite3 *db, const char *text) {
  char *msg = NULL;
  int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
  if (rc != SQLITE_OK) fail_msg("sql '%s': %s", text, msg ? msg : "?");
}

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/pactum-declog-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
  memset(f->genesis, 0xA5, sizeof f->genesis);
  store *st = NULL;
  pactum_error err;
  assert_int_equal(store_open(f->path, 1, &st, &err), 0);
  store_close(st);
  assert_int_equal(sqlite3_open(f->path, &f->side), SQLITE_OK);
  sqlite3_busy_timeout(f->side, 10000);
  sql(f->side, "CREATE TABLE fault(on_ INTEGER NOT NULL); INSERT INTO fault VALUES (0);"
               "CREATE TRIGGER fault_insert BEFORE INSERT ON decisions WHEN (SELECT on_ FROM fault)"
               " BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  sqlite3_close(f->side);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

static char *entry(int i, size_t *len) {
  char *s = px_malloc(32);
  assert_non_null(s);
  int n = snprintf(s, 32, "{\"n\":%d}", i);
  *len = (size_t)n;
  return s;
}

/* The JSON of the decisions chain's records, in seq order, joined by spaces. */
static void chain_text(fx *f, char *out, size_t cap) {
  sqlite3_stmt *q = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->side, "SELECT seq, json FROM decisions ORDER BY seq", -1, &q, NULL), SQLITE_OK);
  size_t used = 0;
  out[0] = 0;
  int64_t expect = 1;
  while (sqlite3_step(q) == SQLITE_ROW) {
    assert_int_equal(sqlite3_column_int64(q, 0), expect++);
    int n = snprintf(out + used, cap - used, "%s%s", used ? " " : "", (const char *)sqlite3_column_text(q, 1));
    assert_true(n > 0 && (size_t)n < cap - used);
    used += (size_t)n;
  }
  sqlite3_finalize(q);
}

static void wait_for(declog_writer *w, int64_t written_at_least, int64_t failures_at_least) {
  for (int i = 0; i < 1000; i++) {
    int64_t written, failures;
    declog_writer_stats(w, &written, &failures, NULL, NULL);
    if (written >= written_at_least && failures >= failures_at_least) return;
    struct timespec t = {0, 5 * 1000000};
    nanosleep(&t, NULL);
  }
  fail_msg("the writer did not reach %lld written and %lld failures in 5 s", (long long)written_at_least,
           (long long)failures_at_least);
}

static void test_written_in_order(void **state) {
  fx *f = *state;
  declog_writer *w = NULL;
  pactum_error err;
  assert_int_equal(declog_writer_start(f->path, f->genesis, 8, 5, 3, &w, &err), 0);
  for (int i = 1; i <= 20; i++) {
    size_t len;
    char *e = entry(i, &len);
    assert_int_equal(declog_writer_push(w, e, len, 5000), 0);
  }
  wait_for(w, 20, 0);
  int64_t written, failures, waiting, last;
  declog_writer_stats(w, &written, &failures, &waiting, &last);
  assert_int_equal(written, 20);
  assert_int_equal(failures, 0);
  assert_int_equal(waiting, 0);
  assert_int_equal(last, 20);
  assert_int_equal(declog_writer_stop(w), 0);
  char text[1024];
  chain_text(f, text, sizeof text);
  assert_string_equal(text, "{\"n\":1} {\"n\":2} {\"n\":3} {\"n\":4} {\"n\":5} {\"n\":6} {\"n\":7} {\"n\":8} {\"n\":9} "
                            "{\"n\":10} {\"n\":11} {\"n\":12} {\"n\":13} {\"n\":14} {\"n\":15} {\"n\":16} {\"n\":17} "
                            "{\"n\":18} {\"n\":19} {\"n\":20}");
}

static void test_failed_batch_kept(void **state) {
  fx *f = *state;
  sql(f->side, "UPDATE fault SET on_ = 1");
  declog_writer *w = NULL;
  pactum_error err;
  /* A queue of 4, written 4 at a time: the four pushes fill it and make one batch. */
  assert_int_equal(declog_writer_start(f->path, f->genesis, 4, 5, 4, &w, &err), 0);
  for (int i = 1; i <= 4; i++) {
    size_t len;
    char *e = entry(i, &len);
    assert_int_equal(declog_writer_push(w, e, len, 5000), 0);
  }
  wait_for(w, 0, 1); /* the batch was taken and refused */
  int64_t written, failures, waiting;
  declog_writer_stats(w, &written, &failures, &waiting, NULL);
  assert_int_equal(written, 0);
  assert_int_equal(waiting, 4);
  /* The queue is still full: the refused batch holds its room, so a fifth entry is not taken. */
  size_t len;
  char *fifth = entry(5, &len);
  assert_int_equal(declog_writer_push(w, fifth, len, 50), 1);
  /* Once the store takes inserts again, the batch is written, whole and in order. */
  sql(f->side, "UPDATE fault SET on_ = 0");
  wait_for(w, 4, 1);
  assert_int_equal(declog_writer_push(w, fifth, len, 5000), 0);
  wait_for(w, 5, 1);
  declog_writer_stats(w, &written, NULL, &waiting, NULL);
  assert_int_equal(written, 5);
  assert_int_equal(waiting, 0);
  assert_int_equal(declog_writer_stop(w), 0);
  char text[256];
  chain_text(f, text, sizeof text);
  assert_string_equal(text, "{\"n\":1} {\"n\":2} {\"n\":3} {\"n\":4} {\"n\":5}");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_written_in_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_batch_kept, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
