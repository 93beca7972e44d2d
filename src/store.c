/*
** store.c: the record in SQLite (see store.h). The only file of pactum that speaks SQL.
**
** Schema (PRAGMA user_version holds its version):
**   1: meta(key, value); events(seq INTEGER PRIMARY KEY, json, prev_hash, hash)
**   2: adds decisions(seq INTEGER PRIMARY KEY, json, prev_hash, hash), the decision log
**   3: adds a `tree` column to both chains (the Merkle nodes that complete at each leaf), the
**      votes of pending proposals, and cosigned checkpoints
** Hashes are stored as lowercase hex, tree nodes as raw bytes. The database runs in WAL mode with
** synchronous=FULL, so a commit that returned has reached the disk.
*/
#include "store.h"
#include "alloc.h"
#include "error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

enum { TX_BEGIN, TX_COMMIT, TX_ROLLBACK };

struct store {
  sqlite3 *db;
  sqlite3_stmt *append[2], *head[2], *scan[2], *range[2], *node[2];
  sqlite3_stmt *meta_get, *meta_set, *meta_del, *data_version;
  sqlite3_stmt *vote_put, *vote_expire, *vote_drop, *vote_scan_one, *vote_scan_all, *vote_count;
  sqlite3_stmt *cosig_put, *cosig_scan;
  sqlite3_stmt *tx[3]; /* BEGIN IMMEDIATE, COMMIT, ROLLBACK: prepared once, so that a rollback
                          needs no memory and cannot fail for want of it */
  int in_tx;
};

static const char *const TABLE[2] = {"events", "decisions"};

static int cache_kib; /* the page cache of each connection opened, in KiB; 0: SQLite's default */

void store_cache_default(int kib) { cache_kib = kib > 0 ? kib : 0; }

const char *store_chain_name(store_chain chain) { return TABLE[chain == CHAIN_DECISIONS]; }

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EIO, (code), __VA_ARGS__)

static int oom(pactum_error *err) { return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory"); }

static int db_fail(store *st, pactum_error *err, const char *what) {
  if (sqlite3_errcode(st->db) == SQLITE_NOMEM) return oom(err);
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

static int prepare(store *st, sqlite3_stmt **s, const char *sql, pactum_error *err) {
  if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) == SQLITE_OK) return 0;
  return db_fail(st, err, "preparing a statement");
}

/* ---- Merkle nodes ----------------------------------------------------------------------- */

/* The leaf hash of a record whose hash is hex; -1 if hex is not a hash. */
static int leaf_of(const char *hex, uint8_t out[MERKLE_HASH]) {
  uint8_t h[HASH_BYTES];
  if (!hex || canon_unhex(hex, h, HASH_BYTES)) return -1;
  merkle_leaf_hash(h, HASH_BYTES, out);
  return 0;
}

/* Trailing zero bits of a positive seq: the number of tree levels that complete at its leaf. */
static int levels_at(int64_t seq) {
  int k = 0;
  for (uint64_t u = (uint64_t)seq; u && !(u & 1); u >>= 1) k++;
  return k;
}

/*
** Schema 2 -> 3 for one chain: the tree of every stored record, computed from the records as
** they are. A chain with a gap gets nodes only up to it; the fold reports the gap itself.
*/
static int fill_tree(store *st, const char *table, pactum_error *err) {
  char sql[160];
  sqlite3_stmt *sel = NULL, *upd = NULL;
  snprintf(sql, sizeof sql, "SELECT seq, hash FROM %s WHERE seq > 0 ORDER BY seq", table);
  if (prepare(st, &sel, sql, err)) return PACTUM_EIO;
  snprintf(sql, sizeof sql, "UPDATE %s SET tree = ? WHERE seq = ?", table);
  if (prepare(st, &upd, sql, err)) {
    sqlite3_finalize(sel);
    return PACTUM_EIO;
  }
  merkle_frontier f;
  merkle_frontier_init(&f);
  int rc = 0, step;
  while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
    int64_t seq = sqlite3_column_int64(sel, 0);
    uint8_t leaf[MERKLE_HASH], made[MERKLE_MAX_LEVELS][MERKLE_HASH];
    if ((uint64_t)seq != f.n + 1 || leaf_of((const char *)sqlite3_column_text(sel, 1), leaf)) break;
    int k = merkle_frontier_push(&f, leaf, made);
    if (k <= 0) continue;
    sqlite3_bind_blob(upd, 1, made, k * MERKLE_HASH, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 2, seq);
    int u = sqlite3_step(upd);
    sqlite3_reset(upd);
    if (u != SQLITE_DONE) {
      rc = db_fail(st, err, "building the Merkle tree");
      break;
    }
  }
  if (!rc && step != SQLITE_ROW && step != SQLITE_DONE) rc = db_fail(st, err, "building the Merkle tree");
  sqlite3_finalize(sel);
  sqlite3_finalize(upd);
  return rc;
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
      /* 2 -> 3 (the trees of stored records are filled in below) */
      "ALTER TABLE events ADD COLUMN tree BLOB;"
      "ALTER TABLE decisions ADD COLUMN tree BLOB;"
      "CREATE TABLE votes(id TEXT NOT NULL, voter TEXT NOT NULL, event TEXT NOT NULL, voted INTEGER NOT NULL,"
      " expires INTEGER NOT NULL, PRIMARY KEY(id, voter));"
      "CREATE TABLE checkpoints(chain TEXT NOT NULL, size INTEGER NOT NULL, root TEXT NOT NULL,"
      " signer TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(chain, size, signer));"
      "PRAGMA user_version = 3;",
  };
  if (v == STORE_SCHEMA_VERSION) return 0;
  if (exec(st, "BEGIN IMMEDIATE", err)) return PACTUM_EIO;
  /* Another process may have migrated while we waited for the lock. */
  if (user_version(st, &v, err)) goto bad;
  for (; v < STORE_SCHEMA_VERSION; v++) {
    if (exec(st, steps[v], err)) goto bad;
    if (v == 2 && (fill_tree(st, "events", err) || fill_tree(st, "decisions", err))) goto bad;
  }
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

/* Prepare every statement the store runs. */
static int prepare_all(store *st, pactum_error *err) {
  for (int c = 0; c < 2; c++) {
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO %s(seq, json, prev_hash, hash, tree) VALUES(?, ?, ?, ?, ?)", TABLE[c]);
    if (prepare(st, &st->append[c], sql, err)) return PACTUM_EIO;
    snprintf(sql, sizeof sql, "SELECT seq, hash FROM %s ORDER BY seq DESC LIMIT 1", TABLE[c]);
    if (prepare(st, &st->head[c], sql, err)) return PACTUM_EIO;
    snprintf(sql, sizeof sql, "SELECT seq, json, prev_hash, hash, tree FROM %s WHERE seq > ? ORDER BY seq", TABLE[c]);
    if (prepare(st, &st->scan[c], sql, err)) return PACTUM_EIO;
    snprintf(sql, sizeof sql,
             "SELECT seq, json, prev_hash, hash, tree FROM %s WHERE seq > ? AND seq <= ? ORDER BY seq", TABLE[c]);
    if (prepare(st, &st->range[c], sql, err)) return PACTUM_EIO;
    snprintf(sql, sizeof sql, "SELECT hash, tree FROM %s WHERE seq = ?", TABLE[c]);
    if (prepare(st, &st->node[c], sql, err)) return PACTUM_EIO;
  }
  if (prepare(st, &st->meta_get, "SELECT value FROM meta WHERE key = ?", err) ||
      prepare(st, &st->meta_set, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", err) ||
      prepare(st, &st->meta_del, "DELETE FROM meta WHERE key = ?", err) ||
      prepare(st, &st->data_version, "PRAGMA data_version", err) ||
      prepare(st, &st->vote_put,
              "INSERT OR REPLACE INTO votes(id, voter, event, voted, expires) VALUES(?, ?, ?, ?, ?)", err) ||
      prepare(st, &st->vote_expire, "DELETE FROM votes WHERE expires <= ?", err) ||
      prepare(st, &st->vote_count, "SELECT count(*) FROM votes WHERE voter = ? AND expires > ?", err) ||
      prepare(st, &st->vote_drop, "DELETE FROM votes WHERE id = ?", err) ||
      prepare(st, &st->vote_scan_one,
              "SELECT id, voter, event, voted, expires FROM votes WHERE id = ? ORDER BY voted, voter", err) ||
      prepare(st, &st->vote_scan_all,
              "SELECT id, voter, event, voted, expires FROM votes ORDER BY id, voted, voter", err) ||
      prepare(st, &st->cosig_put,
              "INSERT OR REPLACE INTO checkpoints(chain, size, root, signer, json) VALUES(?, ?, ?, ?, ?)", err) ||
      prepare(st, &st->cosig_scan,
              "SELECT chain, size, root, signer, json FROM checkpoints WHERE chain = ? ORDER BY size, signer", err) ||
      prepare(st, &st->tx[TX_BEGIN], "BEGIN IMMEDIATE", err) || prepare(st, &st->tx[TX_COMMIT], "COMMIT", err) ||
      prepare(st, &st->tx[TX_ROLLBACK], "ROLLBACK", err))
    return PACTUM_EIO;
  return 0;
}

int store_open(const char *path, int create, store **out, pactum_error *err) {
  *out = NULL;
  store *st = px_calloc(1, sizeof *st);
  if (!st) return oom(err);
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    fail(err, "store", "cannot open the store '%s': %s", path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
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
  if (cache_kib) {
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d;", cache_kib);
    if (exec(st, sql, err)) goto bad;
  }
  if (migrate(st, v, err)) goto bad;
  if (prepare_all(st, err)) goto bad;
  *out = st;
  return PACTUM_OK;
bad:
  store_close(st);
  return err && !strcmp(err->code, "out_of_memory") ? PACTUM_ENOMEM : PACTUM_EIO;
}

void store_close(store *st) {
  if (!st) return;
  if (st->in_tx) store_rollback(st);
  for (int c = 0; c < 2; c++) {
    sqlite3_finalize(st->append[c]);
    sqlite3_finalize(st->head[c]);
    sqlite3_finalize(st->scan[c]);
    sqlite3_finalize(st->range[c]);
    sqlite3_finalize(st->node[c]);
  }
  sqlite3_stmt *each[] = {st->meta_get,      st->meta_set,      st->meta_del,  st->data_version, st->vote_put,
                          st->vote_expire,   st->vote_drop,     st->vote_scan_one, st->vote_scan_all,
                          st->cosig_put,     st->cosig_scan, st->vote_count};
  for (size_t i = 0; i < sizeof each / sizeof each[0]; i++) sqlite3_finalize(each[i]);
  for (int t = 0; t < 3; t++) sqlite3_finalize(st->tx[t]);
  sqlite3_close(st->db);
  px_free(st);
}

int store_open_again(store *st, store **out, pactum_error *err) {
  const char *path = sqlite3_db_filename(st->db, "main");
  if (!path || !*path) return fail(err, "store", "the store has no file to open again");
  return store_open(path, 0, out, err);
}

int store_data_version(store *st, int64_t *version, pactum_error *err) {
  sqlite3_stmt *s = st->data_version;
  sqlite3_reset(s);
  int rc = sqlite3_step(s);
  *version = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  return rc == SQLITE_ROW ? 0 : db_fail(st, err, "reading the data version");
}

/* ---- Settings --------------------------------------------------------------------------- */

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
      return oom(err);
    }
    *val = px_strdup(v ? v : "");
    sqlite3_reset(s);
    return *val ? 0 : oom(err);
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

int store_meta_del(store *st, const char *key, pactum_error *err) {
  sqlite3_stmt *s = st->meta_del;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "removing a setting");
}

/* ---- Transactions ----------------------------------------------------------------------- */

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

/* ---- Chains ----------------------------------------------------------------------------- */

void store_tip_init(store_tip *tip, const uint8_t genesis[HASH_BYTES]) {
  tip->seq = 0;
  memcpy(tip->hash, genesis, HASH_BYTES);
  merkle_frontier_init(&tip->tree);
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

int store_max_seq(store *st, store_chain chain, int64_t *seq, pactum_error *err) {
  sqlite3_stmt *s = st->head[chain];
  sqlite3_reset(s);
  int rc = sqlite3_step(s);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading the head");
}

int store_node(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]) {
  store_node_ctx *c = ctx;
  store *st = c->st;
  if (level < 0 || level >= MERKLE_MAX_LEVELS - 1 || index >= ((uint64_t)INT64_MAX >> level))
    return fail(c->err, "store_corrupt", "no Merkle node at level %d, index %llu", level, (unsigned long long)index);
  int64_t seq = (int64_t)((index + 1) << level); /* the last leaf of the subtree, 1-based */
  sqlite3_stmt *s = st->node[c->chain];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, seq);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return db_fail(st, c->err, "reading a Merkle node");
    return fail(c->err, "store_corrupt", "the %s chain has no record %lld for its Merkle tree", TABLE[c->chain],
                (long long)seq);
  }
  int bad;
  if (level == 0) {
    bad = leaf_of((const char *)sqlite3_column_text(s, 0), out);
  } else {
    const uint8_t *tree = sqlite3_column_blob(s, 1);
    size_t n = (size_t)sqlite3_column_bytes(s, 1);
    bad = !tree || n != (size_t)levels_at(seq) * MERKLE_HASH;
    if (!bad) memcpy(out, tree + (size_t)(level - 1) * MERKLE_HASH, MERKLE_HASH);
  }
  sqlite3_reset(s);
  if (bad)
    return fail(c->err, "store_corrupt", "record %lld of the %s chain has no valid Merkle node at level %d",
                (long long)seq, TABLE[c->chain], level);
  return 0;
}

int store_frontier_load(store_node_ctx *c, int64_t size, merkle_frontier *f) {
  merkle_frontier_init(f);
  /* The perfect subtrees of a tree of size leaves, largest first: one per set bit of size. */
  uint64_t start = 0;
  for (int level = MERKLE_MAX_LEVELS - 2; level >= 0; level--) {
    uint64_t span = (uint64_t)1 << level;
    if (!((uint64_t)size & span)) continue;
    int rc = store_node(c, level, start >> level, f->h[f->count]);
    if (rc) return rc;
    f->count++;
    start += span;
  }
  f->n = (uint64_t)size;
  return 0;
}

int store_tip_load(store *st, store_chain chain, const uint8_t genesis[HASH_BYTES], store_tip *tip,
                   pactum_error *err) {
  store_tip_init(tip, genesis);
  int64_t seq;
  uint8_t hash[HASH_BYTES];
  int rc = store_head(st, chain, &seq, hash, err);
  if (rc || seq == 0) return rc;
  store_node_ctx c = {st, chain, err};
  if ((rc = store_frontier_load(&c, seq, &tip->tree))) return rc;
  tip->seq = seq;
  memcpy(tip->hash, hash, HASH_BYTES);
  return 0;
}

int store_append(store *st, store_chain chain, store_tip *tip, const char *json, size_t len, pactum_error *err) {
  char prev_hex[HASH_HEX], hash_hex[HASH_HEX];
  store_tip next = *tip;
  next.seq = tip->seq + 1;
  canon_hex(tip->hash, HASH_BYTES, prev_hex);
  canon_chain_hash(next.seq, tip->hash, json, len, next.hash);
  canon_hex(next.hash, HASH_BYTES, hash_hex);
  uint8_t leaf[MERKLE_HASH], made[MERKLE_MAX_LEVELS][MERKLE_HASH];
  merkle_leaf_hash(next.hash, HASH_BYTES, leaf);
  int k = merkle_frontier_push(&next.tree, leaf, made);
  if (k < 0) return fail(err, "store_full", "the %s chain holds as many records as it can", TABLE[chain]);
  sqlite3_stmt *s = st->append[chain];
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, next.seq);
  sqlite3_bind_text(s, 2, json, (int)len, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, prev_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, hash_hex, -1, SQLITE_STATIC);
  if (k) sqlite3_bind_blob(s, 5, made, k * MERKLE_HASH, SQLITE_STATIC);
  else sqlite3_bind_null(s, 5);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_DONE) return db_fail(st, err, "appending a record");
  *tip = next;
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
    r.tree = sqlite3_column_blob(s, 4);
    r.tree_len = (size_t)sqlite3_column_bytes(s, 4);
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

/* ---- Votes ------------------------------------------------------------------------------ */

int store_vote_put(store *st, const char *id, const char *voter, const char *event, size_t len, int64_t voted,
                   int64_t expires, pactum_error *err) {
  sqlite3_stmt *s = st->vote_put;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, voter, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, event, (int)len, SQLITE_STATIC);
  sqlite3_bind_int64(s, 4, voted);
  sqlite3_bind_int64(s, 5, expires);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "recording a vote");
}

static int run_delete(store *st, sqlite3_stmt *s, pactum_error *err, const char *what) {
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, what);
}

int store_vote_count(store *st, const char *voter, int64_t now, int64_t *n, pactum_error *err) {
  sqlite3_stmt *s = st->vote_count;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, voter, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, now);
  int rc = sqlite3_step(s);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_ROW ? 0 : db_fail(st, err, "counting votes");
}

int store_vote_expire(store *st, int64_t now, pactum_error *err) {
  sqlite3_reset(st->vote_expire);
  sqlite3_bind_int64(st->vote_expire, 1, now);
  return run_delete(st, st->vote_expire, err, "expiring votes");
}

int store_vote_drop(store *st, const char *id, pactum_error *err) {
  sqlite3_reset(st->vote_drop);
  sqlite3_bind_text(st->vote_drop, 1, id, -1, SQLITE_STATIC);
  return run_delete(st, st->vote_drop, err, "removing votes");
}

int store_vote_scan(store *st, const char *id, store_vote_fn fn, void *ctx, pactum_error *err) {
  sqlite3_stmt *s = id ? st->vote_scan_one : st->vote_scan_all;
  sqlite3_reset(s);
  if (id) sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    store_vote v;
    v.id = (const char *)sqlite3_column_text(s, 0);
    v.voter = (const char *)sqlite3_column_text(s, 1);
    v.event = (const char *)sqlite3_column_text(s, 2);
    v.len = (size_t)sqlite3_column_bytes(s, 2);
    v.voted = sqlite3_column_int64(s, 3);
    v.expires = sqlite3_column_int64(s, 4);
    if (!v.id || !v.voter || !v.event) {
      sqlite3_reset(s);
      return db_fail(st, err, "reading votes");
    }
    int stop = fn(ctx, &v);
    if (stop) {
      sqlite3_reset(s);
      return stop;
    }
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading votes");
}

/* ---- Checkpoints ------------------------------------------------------------------------ */

int store_cosig_put(store *st, store_chain chain, int64_t size, const char *root_hex, const char *signer,
                    const char *json, size_t len, pactum_error *err) {
  sqlite3_stmt *s = st->cosig_put;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, TABLE[chain], -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, size);
  sqlite3_bind_text(s, 3, root_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, signer, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 5, json, (int)len, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "keeping a checkpoint");
}

int store_cosig_scan(store *st, store_chain chain, store_cosig_fn fn, void *ctx, pactum_error *err) {
  sqlite3_stmt *s = st->cosig_scan;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, TABLE[chain], -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    store_cosig c;
    c.chain = (const char *)sqlite3_column_text(s, 0);
    c.size = sqlite3_column_int64(s, 1);
    c.root = (const char *)sqlite3_column_text(s, 2);
    c.signer = (const char *)sqlite3_column_text(s, 3);
    c.json = (const char *)sqlite3_column_text(s, 4);
    c.len = (size_t)sqlite3_column_bytes(s, 4);
    if (!c.chain || !c.root || !c.signer || !c.json) {
      sqlite3_reset(s);
      return db_fail(st, err, "reading checkpoints");
    }
    int stop = fn(ctx, &c);
    if (stop) {
      sqlite3_reset(s);
      return stop;
    }
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading checkpoints");
}
