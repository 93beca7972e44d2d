/*
** store.c: the record in SQLite (see store.h). The only file of pactum that speaks SQL.
**
** Schema (PRAGMA user_version holds its version):
**   1: meta(key, value); events(seq INTEGER PRIMARY KEY, json, prev_hash, hash)
**   2: adds decisions(seq INTEGER PRIMARY KEY, json, prev_hash, hash), the decision log
** Hashes are stored as lowercase hex. The database runs in WAL mode with synchronous=FULL, so
** a commit that returned has reached the disk.
*/
#include "store.h"
#include "alloc.h"
#include "error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

struct store {
  sqlite3 *db;
  sqlite3_stmt *append[2], *head[2], *scan[2], *range[2], *meta_get, *meta_set;
  sqlite3_stmt *tx[3]; /* BEGIN IMMEDIATE, COMMIT, ROLLBACK: prepared once, so that a rollback
                          needs no memory and cannot fail for want of it */
  int in_tx;
};

static const char *const TABLE[2] = {"events", "decisions"};
enum { TX_BEGIN, TX_COMMIT, TX_ROLLBACK };

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EIO, (code), __VA_ARGS__)

static int db_fail(store *st, pactum_error *err, const char *what) {
  return fail(err, "store", "store: %s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(store *st, const char *sql, pactum_error *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
  fail(err, "store", "store: %s", msg ? msg : sqlite3_errmsg(st->db));
  sqlite3_free(msg);
  return PACTUM_EIO;
}

static int user_version(store *st, int *v, pactum_error *err) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
    return db_fail(st, err, "reading the schema version");
  int rc = sqlite3_step(s);
  *v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? 0 : db_fail(st, err, "reading the schema version");
}

/* Bring the schema from version v to STORE_SCHEMA_VERSION, one step at a time, in one transaction. */
static int migrate(store *st, int v, pactum_error *err) {
  static const char *const steps[] = {
      /* 0 -> 1 */
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE events(seq INTEGER PRIMARY KEY, json TEXT NOT NULL, prev_hash TEXT NOT NULL,"
      " hash TEXT NOT NULL);"
      "PRAGMA user_version = 1;",
      /* 1 -> 2 */
      "CREATE TABLE decisions(seq INTEGER PRIMARY KEY, json TEXT NOT NULL, prev_hash TEXT NOT NULL,"
      " hash TEXT NOT NULL);"
      "PRAGMA user_version = 2;",
  };
  if (v == STORE_SCHEMA_VERSION) return 0;
  if (exec(st, "BEGIN IMMEDIATE", err)) return PACTUM_EIO;
  /* Another process may have migrated while we waited for the lock. */
  if (user_version(st, &v, err)) goto bad;
  for (; v < STORE_SCHEMA_VERSION; v++)
    if (exec(st, steps[v], err)) goto bad;
  if (exec(st, "COMMIT", err)) goto bad;
  return 0;
bad:
  exec(st, "ROLLBACK", NULL);
  return PACTUM_EIO;
}

/*
** Put the database in WAL mode (it stays so in the file). Switching needs the database to
** itself, and SQLite does not wait for that, so when other processes are opening the same
** new store at once, try again for a while.
*/
static int set_wal(store *st, pactum_error *err) {
  for (int attempt = 0; attempt < 3000; attempt++) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) != SQLITE_OK)
      return db_fail(st, err, "switching to WAL");
    int rc = sqlite3_step(s);
    const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    int wal = mode && strcmp(mode, "wal") == 0;
    sqlite3_finalize(s);
    if (wal) return 0;
    if (rc != SQLITE_ROW && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) return db_fail(st, err, "switching to WAL");
    sqlite3_sleep(10);
  }
  return fail(err, "store", "store: could not switch to WAL mode: the database stayed busy");
}

static int prepare(store *st, sqlite3_stmt **s, const char *sql, pactum_error *err) {
  if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) == SQLITE_OK) return 0;
  return db_fail(st, err, "preparing a statement");
}

int store_open(const char *path, int create, store **out, pactum_error *err) {
  *out = NULL;
  store *st = px_calloc(1, sizeof *st);
  if (!st) return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    fail(err, "store", "cannot open the store '%s': %s", path,
         st->db ? sqlite3_errmsg(st->db) : "out of memory");
    store_close(st);
    return PACTUM_EIO;
  }
  sqlite3_busy_timeout(st->db, 30000);
  int v = 0;
  /*
  ** Look before changing anything: another program's database is left exactly as it was. The
  ** version and the tables are read in one transaction, so a store another process is
  ** creating right now is seen either before or after, never half made.
  */
  int tables = -1;
  if (exec(st, "BEGIN", err)) goto bad;
  if (user_version(st, &v, err)) {
    exec(st, "ROLLBACK", NULL);
    goto bad;
  }
  sqlite3_stmt *probe;
  if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &probe, NULL) == SQLITE_OK &&
      sqlite3_step(probe) == SQLITE_ROW)
    tables = sqlite3_column_int(probe, 0);
  sqlite3_finalize(probe);
  exec(st, "COMMIT", NULL);
  if (tables < 0) {
    /* Not a verdict on the file: SQLite could not read it (out of memory, I/O). */
    db_fail(st, err, "reading the schema");
    goto bad;
  }
  if (v == 0) {
    /* Version 0 is a new, empty file; one that already holds tables belongs to someone else. */
    if (!create || tables != 0) {
      fail(err, "store", "'%s' is not a pactum store", path);
      goto bad;
    }
  }
  if (v > STORE_SCHEMA_VERSION) {
    fail(err, "store_version",
         "the store '%s' has schema version %d, newer than this pactum's %d; use a newer pactum", path, v,
         STORE_SCHEMA_VERSION);
    goto bad;
  }
  if (v > 0) {
    sqlite3_stmt *meta;
    int prc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'agreement_hash'", -1, &meta, NULL);
    sqlite3_finalize(meta);
    if (prc == SQLITE_NOMEM) {
      db_fail(st, err, "reading the schema");
      goto bad;
    }
    if (prc != SQLITE_OK) {
      fail(err, "store", "'%s' is not a pactum store", path);
      goto bad;
    }
  }
  if (set_wal(st, err) || exec(st, "PRAGMA synchronous=FULL;", err)) goto bad;
  if (migrate(st, v, err)) goto bad;
  for (int c = 0; c < 2; c++) {
    char sql[160];
    snprintf(sql, sizeof sql, "INSERT INTO %s(seq, json, prev_hash, hash) VALUES(?, ?, ?, ?)", TABLE[c]);
    if (prepare(st, &st->append[c], sql, err)) goto bad;
    snprintf(sql, sizeof sql, "SELECT seq, hash FROM %s ORDER BY seq DESC LIMIT 1", TABLE[c]);
    if (prepare(st, &st->head[c], sql, err)) goto bad;
    snprintf(sql, sizeof sql, "SELECT seq, json, prev_hash, hash FROM %s WHERE seq > ? ORDER BY seq", TABLE[c]);
    if (prepare(st, &st->scan[c], sql, err)) goto bad;
    snprintf(sql, sizeof sql, "SELECT seq, json, prev_hash, hash FROM %s WHERE seq > ? AND seq <= ? ORDER BY seq",
             TABLE[c]);
    if (prepare(st, &st->range[c], sql, err)) goto bad;
  }
  if (prepare(st, &st->meta_get, "SELECT value FROM meta WHERE key = ?", err) ||
      prepare(st, &st->meta_set, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", err) ||
      prepare(st, &st->tx[TX_BEGIN], "BEGIN IMMEDIATE", err) || prepare(st, &st->tx[TX_COMMIT], "COMMIT", err) ||
      prepare(st, &st->tx[TX_ROLLBACK], "ROLLBACK", err))
    goto bad;
  *out = st;
  return PACTUM_OK;
bad:
  store_close(st);
  return PACTUM_EIO;
}

void store_close(store *st) {
  if (!st) return;
  if (st->in_tx) store_rollback(st);
  for (int c = 0; c < 2; c++) {
    sqlite3_finalize(st->append[c]);
    sqlite3_finalize(st->head[c]);
    sqlite3_finalize(st->scan[c]);
    sqlite3_finalize(st->range[c]);
  }
  sqlite3_finalize(st->meta_get);
  sqlite3_finalize(st->meta_set);
  for (int t = 0; t < 3; t++) sqlite3_finalize(st->tx[t]);
  sqlite3_close(st->db);
  px_free(st);
}

int store_meta_get(store *st, const char *key, char **val, pactum_error *err) {
  *val = NULL;
  sqlite3_stmt *s = st->meta_get;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(s, 0);
    if (!v && sqlite3_errcode(st->db) == SQLITE_NOMEM) {
      sqlite3_reset(s);
      return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
    }
    *val = px_strdup(v ? v : "");
    sqlite3_reset(s);
    return *val ? 0 : error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  }
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading a setting");
}

int store_meta_set(store *st, const char *key, const char *val, pactum_error *err) {
  sqlite3_stmt *s = st->meta_set;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, val, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "writing a setting");
}

/* Step one of the prepared transaction statements. */
static int tx(store *st, int which, pactum_error *err) {
  sqlite3_stmt *s = st->tx[which];
  int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE) fail(err, "store", "store: %s", sqlite3_errmsg(st->db));
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : PACTUM_EIO;
}

int store_begin(store *st, pactum_error *err) {
  /* A transaction a failed rollback left open would hold the write lock: end it first. */
  if (!sqlite3_get_autocommit(st->db)) tx(st, TX_ROLLBACK, NULL);
  if (tx(st, TX_BEGIN, err)) return PACTUM_EIO;
  st->in_tx = 1;
  return 0;
}

int store_commit(store *st, pactum_error *err) {
  if (tx(st, TX_COMMIT, err)) {
    store_rollback(st);
    return PACTUM_EIO;
  }
  st->in_tx = 0;
  return 0;
}

void store_rollback(store *st) {
  if (st->in_tx && !sqlite3_get_autocommit(st->db)) tx(st, TX_ROLLBACK, NULL);
  st->in_tx = 0;
}

int store_head(store *st, store_chain chain, int64_t *seq, uint8_t hash[HASH_BYTES], pactum_error *err) {
  sqlite3_stmt *s = st->head[chain];
  sqlite3_reset(s);
  int rc = sqlite3_step(s);
  *seq = 0;
  if (rc == SQLITE_ROW) {
    *seq = sqlite3_column_int64(s, 0);
    const char *h = (const char *)sqlite3_column_text(s, 1);
    if (!h || canon_unhex(h, hash, HASH_BYTES)) {
      sqlite3_reset(s);
      return fail(err, "store_corrupt", "the head of the %s chain (seq %lld) has no valid hash", TABLE[chain],
                  (long long)*seq);
    }
  }
  sqlite3_reset(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading the head");
}

int store_append(store *st, store_chain chain, int64_t head_seq, const uint8_t head_hash[HASH_BYTES],
                 const char *json, size_t len, int64_t *seq, uint8_t hash[HASH_BYTES], pactum_error *err) {
  char prev_hex[HASH_HEX], hash_hex[HASH_HEX];
  int64_t n = head_seq + 1;
  uint8_t h[HASH_BYTES];
  canon_hex(head_hash, HASH_BYTES, prev_hex); /* head_hash and hash may be the same buffer */
  canon_chain_hash(n, head_hash, json, len, h);
  canon_hex(h, HASH_BYTES, hash_hex);
  sqlite3_stmt *s = st->append[chain];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, n);
  sqlite3_bind_text(s, 2, json, (int)len, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, prev_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, hash_hex, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_DONE) return db_fail(st, err, "appending a record");
  memcpy(hash, h, HASH_BYTES);
  *seq = n;
  return 0;
}

static int scan_stmt(store *st, sqlite3_stmt *s, store_fn fn, void *ctx, pactum_error *err) {
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    store_record r;
    r.seq = sqlite3_column_int64(s, 0);
    r.json = (const char *)sqlite3_column_text(s, 1);
    r.len = (size_t)sqlite3_column_bytes(s, 1);
    if (!r.json) r.json = "";
    r.prev_hex = (const char *)sqlite3_column_text(s, 2);
    r.hash_hex = (const char *)sqlite3_column_text(s, 3);
    int stop = fn(ctx, &r);
    if (stop) {
      sqlite3_reset(s);
      return stop;
    }
  }
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading records");
}

int store_scan(store *st, store_chain chain, int64_t after, store_fn fn, void *ctx, pactum_error *err) {
  sqlite3_stmt *s = st->scan[chain];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, after);
  return scan_stmt(st, s, fn, ctx, err);
}

int store_scan_range(store *st, store_chain chain, int64_t after, int64_t upto, store_fn fn, void *ctx,
                     pactum_error *err) {
  sqlite3_stmt *s = st->range[chain];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, after);
  sqlite3_bind_int64(s, 2, upto);
  return scan_stmt(st, s, fn, ctx, err);
}

int store_open_again(store *st, store **out, pactum_error *err) {
  const char *path = sqlite3_db_filename(st->db, "main");
  if (!path || !*path) return fail(err, "store", "the store has no file to open again");
  return store_open(path, 0, out, err);
}

int store_max_seq(store *st, store_chain chain, int64_t *seq, pactum_error *err) {
  sqlite3_stmt *s = st->head[chain];
  sqlite3_reset(s);
  int rc = sqlite3_step(s);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading the head");
}
