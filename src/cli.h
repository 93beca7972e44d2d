/*
** cli.h: what the `pactum` command's files share: exit codes, options, the command table's
** entry, and helpers for loading agreements and events. cli.c holds main, the table and the
** decision commands; cli_record.c the commands over the store; cli_serve.c `pactum serve`.
*/
#ifndef PACTUM_CLI_H
#define PACTUM_CLI_H

#include "agreement.h"

#include <stdint.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_PROBLEM = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

#define CLI_MAX_SIGN 16
#define CLI_MAX_ADD 64
#define CLI_DEFAULT_DB "pactum.db"

/* Options shared by the commands; each command says which it accepts. */
typedef struct opts {
  const char *agreement, *events, *request, *date, *format, *sources;
  const char *db, *head, *since, *by, *party, *member, *out, *key;
  const char *bootstrap_keys[CLI_MAX_SIGN]; /* --bootstrap-key, repeatable */
  int nbootstrap_keys;
  const char *threshold;                    /* --bootstrap-threshold K */
  const char *store_id;                     /* event sign: --store ID */
  const char *seq, *size, *from, *to, *chain; /* audit prove / consistency, checkpoint */
  const char *checkpoints[CLI_MAX_SIGN];    /* --checkpoint FILE, repeatable */
  int ncheckpoints;
  const char *trust[CLI_MAX_SIGN];          /* --trust KEY.pub, repeatable */
  int ntrust;
  const char *history;
  const char *listen, *tokens, *read_token, *max_body, *max_conns, *timeout, *max_batch, *gate_prefix, *threads;
  const char *max_conns_per_ip, *request_deadline, *heavy_threads, *heavy_queue; /* serve */
  const char *max_whatif_work, *max_whatif_answer, *whatif_deadline, *tls_cert, *tls_key;
  const char *vote_ttl; /* serve: --vote-ttl S */
  int no_decision_log;  /* serve: --no-decision-log */
  const char *can, *always, *never, *where, *equivalent; /* verify */
  const char *requests;          /* whatif and diff: --requests FILE */
  const char *sign[CLI_MAX_SIGN];
  int nsign;
  const char *add[CLI_MAX_ADD];  /* whatif: --add, repeatable */
  int nadd;
  int exit_code;
  int unbuffered;
  int require_signatures;
  int log_decisions;
  int bootstrap;
  int help;
  int nargs;
  char **args;
} opts;

enum {
  O_AGREEMENT = 1 << 0, O_EVENTS = 1 << 1, O_REQUEST = 1 << 2, O_DATE = 1 << 3, O_FORMAT = 1 << 4,
  O_EXIT_CODE = 1 << 5, O_SOURCES = 1 << 6, O_UNBUFFERED = 1 << 7, O_FILES = 1 << 8, O_STATUS_DATE = 1 << 9,
  O_DB = 1 << 10, O_SIGN = 1 << 11, O_REQUIRE_SIG = 1 << 12, O_BOOTSTRAP = 1 << 13, O_HEAD = 1 << 14,
  O_SINCE = 1 << 15, O_BY = 1 << 16, O_PARTY = 1 << 17, O_MEMBER = 1 << 18, O_OUT = 1 << 19, O_KEY = 1 << 20,
  O_LOG_DECISIONS = 1 << 21, O_FORMAT_JSONL = 1 << 22, O_KEYGEN_BOOTSTRAP = 1 << 23, O_SERVE = 1 << 24,
  O_HISTORY = 1 << 25,    /* decide, explain, status: --history FILE */
  O_QUERY = 1 << 26,      /* verify: --can, --always, --never, --where */
  O_EQUIVALENT = 1 << 27, /* verify: --equivalent B */
  O_ADD = 1 << 29,        /* whatif: --add EVENT (repeatable) */
  O_REQUESTS = 1 << 30,   /* whatif, diff: --requests FILE */
  O_STORE_ID = 1 << 28    /* event sign: --store ID */
};
/* More options than an int has bits: the accept flags are 64 bits wide. */
#define O_PROVE (1ull << 32)      /* audit prove: --seq, --size, --chain */
#define O_CONSISTENCY (1ull << 33) /* audit consistency: --from, --to, --chain */
#define O_CHECKPOINT (1ull << 34)  /* audit verify: --checkpoint FILE (repeatable) */
#define O_TRUST (1ull << 35)       /* checkpoint verify: --trust KEY.pub (repeatable) */
#define O_CHAIN (1ull << 36)       /* checkpoint sign and list: --chain, --size */

typedef struct command {
  const char *name;
  int (*run)(opts *o);
  uint64_t accepts;
  const char *usage;
  const char *summary;
} command;

/* git's habit: print "pactum: error: ..." and return -1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Load --agreement, or the embedded default; prints diagnostics. NULL on failure, *exit_code set. */
pactum_agreement *cli_load_agreement(const opts *o, int *exit_code);
/* The events to decide with: from --db when given, else --events, else none. NULL on failure. */
pactum_timeline *cli_load_timeline(const pactum_agreement *agr, const opts *o, int *exit_code);
/* One line of any length into line, without its end; -1 at the end of input. */
long cli_read_line(FILE *fp, buf *line);
/* After cli_read_line failed (line->failed): report it with errno; the exit code (3 for ENOMEM, else 2). */
int cli_read_failed(const char *name);
int cli_blank(const buf *line);
/* --date, or today when it is not given; -1 (reported) when it is not a real date. */
int cli_day_option(const opts *o, int32_t *day);
/* Print a report (freeing it) and a newline after JSON; EXIT_INTERNAL if it is NULL (out of memory). */
int cli_print_report(char *report, int as_json);

/* cli_log.c */
int cmd_audit_prove(opts *o);
int cmd_audit_consistency(opts *o);
int cmd_checkpoint_sign(opts *o);
int cmd_checkpoint_verify(opts *o);
int cmd_checkpoint_list(opts *o);
/* cli_record.c: shared with cli_log.c */
/* Open --db (./pactum.db by default) with store.h, which must exist; NULL (reported) if it cannot. */
struct store;
struct store *cli_open_store(const opts *o, int *code);
/* --chain: events (default) or decisions; -1 (reported) otherwise. */
int cli_chain_option(const opts *o);
/* Open the record of --db for agr (creating the store when create); NULL (reported, *code set) on failure. */
struct record;
/* flags as record_open_ex's (RECORD_CHECK_TREE). */
struct record *cli_open_record(const pactum_agreement *agr, const opts *o, int create, unsigned flags, int *code);

/* cli_record.c */
int cmd_init(opts *o);
int cmd_event_add(opts *o);
int cmd_event_import(opts *o);
int cmd_event_sign(opts *o);
int cmd_events(opts *o);
int cmd_audit_verify(opts *o);
int cmd_audit_head(opts *o);
int cmd_keygen(opts *o);
int cmd_ledger(opts *o);
int cmd_decisions(opts *o);

/* cli_obligations.c */
int cmd_obligations(opts *o);

/* cli_serve.c */
int cmd_serve(opts *o);

/* cli_whatif.c */
int cmd_whatif(opts *o);
int cmd_test(opts *o);
/* cli_analysis.c */
int cmd_verify(opts *o);
int cmd_diff(opts *o);
/* Open the store of --db (or ./pactum.db) read-only-in-spirit and fold its events. */
/* The same, with the head of the events chain it was folded at (head_seq and head_hash may be NULL). */
pactum_timeline *cli_timeline_from_db(const pactum_agreement *agr, const char *path, int *exit_code,
                                      int64_t *head_seq /* OUT */, uint8_t *head_hash /* OUT: 32 bytes */);
/* Append decisions to the decision log of the store at path: see cli_record.c. */
typedef struct decision_log decision_log;
/*
** Decisions are queued with the lines to print; every `every` decisions (and at close) the
** queue is written to the log in one transaction and only then printed, each decision line
** gaining its "decision_id". So the write lock is held only while writing, and a decision is
** printed only once it is durable.
*/
decision_log *cli_decision_log_open(const pactum_agreement *agr, const char *path, int64_t events_seq,
                                    const uint8_t *events_hash /* 32 bytes */, int every, int *exit_code);
/*
** Queue a decision on `request` whose output line (a JSON object, no newline) is out[0..n);
** its "decision_id" member is inserted at out[split] (after the request's echoed "id").
*/
int cli_decision_log_add(decision_log *lg, const char *request, size_t len, const pactum_decision *dec,
                         const char *out, size_t n, size_t split);
/* Queue a line that is printed as it is (an error line), in order with the decisions. */
int cli_decision_log_pass(decision_log *lg, const char *line, size_t n);
/* Write and print what is queued, then close. -1 if the log could not be written. */
int cli_decision_log_close(decision_log *lg);

#endif
