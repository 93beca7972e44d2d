/*
** agreement.h: the compiled agreement, the internal form every runtime module reads.
**
** compile.c builds it from a checked tree; after that it is immutable. Everything in it,
** strings included, lives in the agreement's arena.
**
** Values at run time are int64: bools 0/1, enums their member index, integers themselves,
** decimals and money in millionths (value × 10^6: $0.004 is 4000, 20% is 200000), durations
** count × 8 + unit (num.h: `30 days` is 240, `3 months` is 26), dates day numbers, and strings
** an id in the agreement's string table
** (strings the agreement never mentions get negative ids, unique within one request or
** event).
*/
#ifndef PACTUM_AGREEMENT_H
#define PACTUM_AGREEMENT_H

#include "arena.h"
#include "ast.h"
#include "buf.h"

#include <jansson.h>
#include "pactum.h"

#include <stdint.h>

#define MAX_ATTRS 64     /* attributes per action: a request holds them inline */
#define DAY_MIN INT32_MIN
#define DAY_MAX INT32_MAX

/* Compiled expression operations. */
enum {
  X_TRUE,     /* always holds */
  X_TEST,     /* left operand is true */
  X_EQ, X_NE, X_LT, X_LE, X_GT, X_GE,
  X_IN,       /* left operand is one of consts[a .. a+b) */
  X_NOT,      /* not nodes[a] */
  X_AND,      /* nodes[a] and nodes[b] */
  X_OR,       /* nodes[a] or nodes[b] */
  X_RECORDED  /* `recorded by`: bit lk of the event's recorders is set */
};

/*
** An operand whose source is SRC_EXPR is computed by the value program (vop, value.c): its
** slot is the program's root. Plain operands never reach it, so a comparison of an attribute
** with a constant costs what it did before arithmetic existed.
*/
#define XF_DATE_EXPR 1 /* an SRC_EXPR operand reads the date: the answer may turn on any day */

typedef struct xop {
  uint8_t op;
  uint8_t lsrc, rsrc;  /* value_src of each operand */
  uint8_t flags;       /* XF_* */
  int32_t lslot, rslot;
  int64_t lk, rk;      /* SRC_CONST values */
  int32_t a, b;
  uint32_t start, end; /* source span, for traces */
} xop;

/*
** The value program: arithmetic over operands (docs/language.md "Arithmetic"). V_LOAD reads an
** operand (src, slot, k, as an xop's); the others combine nodes a and b. The scaling of each
** multiplication and division is chosen by check.c's typing and fixed here (num.h).
*/
enum {
  V_LOAD,
  V_NEG,    /* - a */
  V_ADD, V_SUB,
  V_MUL,    /* a * b: integers, or money by an integer */
  V_MULS,   /* (a * b) / 10^6 rounded: a decimal factor */
  V_DIVR,   /* a / b rounded: money or a decimal divided by an integer */
  V_DIVS,   /* (a * 10^6) / b rounded: the quotient is a decimal, or money by a decimal */
  V_MIN, V_MAX,
  V_SCALE,  /* a * 10^6: an integer used as a decimal */
  V_DADD,   /* date a + duration b (date.c, date_add) */
  V_DSUB    /* date a - duration b */
};

typedef struct vop {
  uint8_t op, src;
  uint8_t type;        /* the result's type_kind, for explain */
  int32_t slot;
  int64_t k;
  int32_t a, b;
  uint32_t start, end; /* source span, for messages */
} vop;

struct pactum_agreement;

/* The environment an expression is evaluated in. */
typedef struct xenv {
  const int64_t *attrs;  /* request attributes (SRC_ATTR) */
  const int64_t *state;  /* state variables (SRC_STATE) */
  const int64_t *event;  /* event fields (SRC_EVENT), then the event's seq */
  int32_t day;           /* SRC_DATE */
  uint64_t recorders;    /* X_RECORDED: who recorded the event (event_meta) */
  const struct pactum_agreement *agr; /* SRC_EXPR: whose value program; NULL when no operand needs it */
  int *fault;            /* SRC_EXPR: the first arithmetic error (a NUM_* code) is written here, or NULL */
} xenv;

typedef struct cattr {
  const char *name;   /* "cloud" */
  const char *qname;  /* "context.cloud" */
  int is_context;
  type_ref type;
  int has_default;
  int64_t def;
} cattr;

typedef struct caction {
  const char *name;
  uint8_t *principal_ok; /* [nparties] */
  const char *principals_text; /* "vendor" or "vendor, reseller" for messages */
  int nattrs;
  cattr *attrs;
  uint64_t required;     /* attributes with no default */
  int exhaustive;        /* declared `exhaustive`: pactum verify reports requests no clause governs */
} caction;

typedef struct cparty { const char *name, *title; } cparty;
typedef struct csource { const char *name, *ref, *title; confidence conf; } csource;

typedef struct cstate {
  const char *name;
  type_ref type;
  int64_t init;
} cstate;

typedef struct cstmt {
  stmt_kind kind;
  int32_t cond;        /* expression root, -1 for none */
  int32_t value;       /* ST_SET: an operand expression */
  int slot;
  const char *reason;
} cstmt;

typedef struct ccite {
  const char *source; /* source id */
  const char *text;
  size_t len;
  loc at;             /* the quoted string in the .pact file */
} ccite;

typedef struct cfield { const char *name; type_ref type; } cfield;

/* Who may record an event: a party, or a body acting by a quorum of its members. */
typedef struct crecorder {
  int is_body;
  int index;           /* into parties or bodies */
} crecorder;

typedef struct cbody {
  const char *name, *title;
  int nmembers;
  const char **members;
  int quorum;
  int ngroups;           /* named groups of members (`groups { … }`) */
  const char **groups;
  uint8_t *in_group;     /* [ngroups * nmembers]: in_group[g * nmembers + m] when member m is in group g */
  int nneeds;            /* the quorum's `including N from GROUP` requirements (body.c applies them) */
  int *need_group, *need_count;
} cbody;

typedef struct cevent {
  const char *name;
  int referenced;      /* a field of some event type is a ref to this one: timelines index its seqs */
  int nrecorders;      /* 0: any party may record it */
  crecorder *recorders;
  int nfields;
  cfield *fields;
  int nstmts;
  cstmt *stmts;
  int ncites;          /* the transition's quotations, if any */
  ccite *cites;
} cevent;


typedef struct cclause {
  const char *id;
  clause_kind kind;
  int principal, action;
  int32_t from, through;    /* inclusive window by date */
  int32_t window;           /* state/date window expression, -1 for none */
  int nwin;                 /* the window's items one by one, for traces */
  int32_t *win;
  uint8_t *win_until;       /* 1 where the item was written `until C` (win[i] is C) */
  int32_t when, requires;   /* -1 for none */
  int nexcepts;
  int32_t *excepts;         /* global indices of the clauses this one excepts */
  int ncites;
  ccite *cites;
  int nnotes;
  const char **notes;
  int nbounds;
  int32_t *bounds;          /* sorted days on which this clause's answer may change */
  uint8_t reads_state;      /* its window or conditions read a state variable */
  uint8_t when_static;      /* its `when` reads only request attributes */
  uint8_t date_dynamic;     /* it compares the date with a value known only per request */
  uint8_t has_arith;        /* its window or conditions compute a value (SRC_EXPR): may fail (value.c) */
  const char *frag;         /* JSON {"clause":..,"kind":..,"text":..,"source":..} */
  size_t frag_len;
  const char *idjson;       /* the id as a JSON string literal */
  size_t idjson_len;
  loc at;
} cclause;

/*
** The clauses one principal may invoke for one action, ordered so that every exception
** comes before the clauses it excepts. exc[exc_start[i] .. exc_start[i+1]) are the local
** positions of the direct exceptions to the clause at position i; all are < i.
*/
typedef struct cgroup {
  int n;
  int32_t *clause;     /* [n] global clause index */
  int32_t *exc_start;  /* [n+1] */
  int32_t *exc;
  const char *state_dep; /* state variables the group's clauses read, "" if none */
  int nslots;
  int32_t *slots;        /* [nslots] their slots, ascending: what pactum_decide reads of a timeline */
} cgroup;

typedef struct ccommit {
  const char *id, *what, *unit;
  int owed_by, owed_to;
  int64_t total;
  int is_money;
  int event, field;    /* counted from events[event].fields[field] */
  int32_t since;       /* events dated before it do not count (DAY_MIN: no `since`) */
  int32_t where;       /* root of the `where` condition, read as in an `on` block, or -1 */
  int has_deadline;
  int32_t deadline;
  int ncites;
  ccite *cites;
} ccommit;

/*
** A first-class obligation, compiled (obligations.h computes its instances). The timeline keeps
** what the instances need in hidden slots after the state and the commitments (agr->nhidden of
** them, never part of a state row): counters that change with every triggering, fulfilling or
** discharging event (so the event's position and day can be found), and the values read from
** those events. A slot is -1 when the obligation does not need it.
*/
typedef struct cobl {
  const char *id, *what;
  int owed_by, owed_to;
  obl_trigger trigger;
  int trig_event;          /* OBT_EVENT */
  int32_t trig_cond;       /* OBT_EVENT: `when`, an expression root, or -1 */
  int every_months;        /* OBT_EVERY */
  int32_t from, until;     /* OBT_EVERY: until is DAY_MAX without one */
  int32_t at_day;          /* OBT_AT */
  int due_relative;
  int32_t due_day;
  int64_t due_count;
  obl_unit due_unit;
  obl_amount amount;
  int64_t amount_value;    /* OBA_LIT, OBA_FACT */
  int is_money;
  int ful_event, dis_event; /* dis_event -1 without `discharged by` */
  int has_where;
  int trig_key, ful_key;   /* field indices (nfields: the seq); trig_key is unused for a dated trigger */
  int count_field, amount_field; /* -1 without `counting`, or without an event.FIELD amount */
  int slot_trig, slot_trig_seq, slot_trig_key, slot_trig_amount; /* OBT_EVENT only */
  int slot_ful, slot_ful_key, slot_ful_count, slot_dis;
  int ncites;
  ccite *cites;
} cobl;

typedef struct cfact {
  const char *name, *unit;
  type_ref type;
  int64_t value;
  const char *str;     /* TY_STRING */
  int ncites;
  ccite *cites;
} cfact;

/* The agreement's term (term.c); present 0 when the agreement has none. */
typedef struct cterm {
  int present;
  int32_t start;            /* its first day */
  int32_t until;            /* the last day of its first period; DAY_MAX when it runs indefinitely */
  int renews;               /* `renews every … unless notice …`: until is then not a fixed end */
  int64_t every, notice;    /* the renewal and notice periods, counts of every_unit and notice_unit */
  term_unit every_unit, notice_unit;
  int slot;                 /* the state slot of TERM_STATE, -1 when no event ends the term */
  int ended_by;             /* the event type that terminates the agreement, or -1 */
  int notice_event;         /* the event type that gives notice of non-renewal, or -1 */
} cterm;

struct pactum_agreement {
  arena ar;
  const char *file;
  const char *src;     /* a copy of the source */
  size_t src_len;
  const char *id, *version, *title;
  const char *supersedes;                         /* `supersedes "ID@VERSION"` as written, or NULL */
  const char *supersedes_id, *supersedes_version; /* its two parts, or NULL */
  int32_t effective;
  int nparties, nsources, nactions, nstates, nevents, nclauses, ncommits, nfacts, nbodies;
  cbody *bodies;
  cparty *parties;
  csource *sources;
  caction *actions;
  cstate *states;
  cevent *events;
  cclause *clauses;
  cgroup *groups;      /* [nactions * nparties]: action * nparties + principal */
  ccommit *commits;
  cfact *facts;
  int nobligs;         /* first-class obligations */
  cobl *obligs;
  int nhidden;         /* their hidden slots, after the state and the commitments */
  int max_group;
  xop *code;
  int ncode;
  vop *vcode;          /* the value program (arithmetic), reached through SRC_EXPR operands */
  int nvcode;
  int64_t *consts;
  int nconsts;
  /* Interned strings: ids 0..nstrs-1, found through an open-addressed table. */
  const char **strs;
  size_t *str_lens;
  int nstrs;
  int32_t *str_table;
  uint32_t str_mask;
  int64_t *init;       /* [nstates + ncommits + nhidden]: the state before any event */
  cterm term;
  int nname_cites;     /* the quotations of the term and of the named sets, for quotes.c */
  ccite *name_cites;
  const char *tail;    /* the decision's closing "agreement":{...}} JSON */
  size_t tail_len;
  pactum_summary summary;
};

/*
** A timeline (timeline.c keeps its storage, events.c folds events into it): for each slot of the
** state (the state variables, then the commitment sums) the list of its changes, each a value and
** the count of events after which it holds; and the days of the events, once per run of events
** on one day (a list of changes too: the day, and the index of its first event). An event costs
** 12 bytes for each slot it changes, and 12 more when it is the first of its day; the state after
** any number of events is found by binary search, one slot at a time. (Days are bounded: a record
** spans at most 3,652,059 of them, 0001-01-01 to 9999-12-31, whatever its number of events.)
**
** The lists are sequences of chunks that never move once written: chunk j of a sequence holds
** TL_FIRST << j elements, so a sequence of n elements has about log2(n / TL_FIRST) chunks and
** the pointers to them fit in the timeline itself. The chunks belong to a reference-counted
** store (tl_store), shared by a timeline and its views (timeline_view): a view copies the chunk
** pointers and the lengths, and so sees the timeline as it was, whatever is appended later. A
** writer that must write where a view may read (after a truncation below a view's length)
** writes a copy of that chunk first; the chunk it leaves is freed with the store. The seqs of the
** events whose type some ref field names (cevent.referenced) are kept in an open-addressed table,
** so a ref can be checked.
*/
#define TL_FIRST_LOG 4                      /* chunk 0 holds 16 elements */
#define TL_FIRST ((size_t)1 << TL_FIRST_LOG)
#define TL_CHUNKS 29                        /* 16 * (2^29 - 1) changes: more than TL_MAX_EVENTS */
#define TL_MAX_EVENTS ((size_t)UINT32_MAX)  /* events a timeline holds at most (a limit, reported) */

typedef struct tl_store tl_store;

/* A list of changes in chunks (timeline.c). */
typedef struct tl_seq {
  void *chunk[TL_CHUNKS]; /* chunk j: TL_FIRST << j changes, their int64 values then their uint32
                             positions, or NULL when not yet needed */
  size_t n;               /* changes this timeline sees */
  size_t shared;          /* [0, shared) may be read by a view: writing there copies the chunk first */
} tl_seq;

struct pactum_timeline {
  const pactum_agreement *agr;
  size_t n;              /* events */
  int32_t last_day;      /* the day of the last event; DAY_MIN when there is none */
  int width;             /* nstates + ncommits: a state row */
  int ncols;             /* width + agr->nhidden: the slots kept (obligations' hidden slots last) */
  int is_view;           /* a read-only view (timeline_view): appending is refused */
  tl_store *store;       /* the chunks, shared with the views */
  tl_seq days;           /* the days of the events, ascending: each from the index of its first event */
  tl_seq *cols;          /* [ncols] each slot's changes, from the count of events after which each holds */
  int64_t *cur;          /* [ncols] the state after all n events */
  int64_t *next;         /* [ncols] a writer's row for the event being folded (NULL in a view) */
  int64_t *ref_seq;      /* [ref_cap] seqs of referenced events, 0 for an empty slot */
  int32_t *ref_type;     /* [ref_cap] the event type at each of them */
  size_t ref_n, ref_cap; /* ref_cap is 0 or a power of two, at least twice ref_n */
};

/*
** An event as a flat list of its top-level members, the form the timeline folds. Keys and
** strings are borrowed (from a json_t or a decode pool) and need not be NUL-terminated.
*/
typedef enum fv_kind { FV_STRING, FV_INT, FV_BOOL, FV_OTHER } fv_kind;
typedef struct flat_value {
  const char *key;
  size_t klen;
  fv_kind kind;       /* FV_OTHER: null, a real, an array or an object */
  const char *s;
  size_t slen;
  int64_t i;
} flat_value;
#define FLAT_MAX 80
typedef struct flat_event {
  flat_value v[FLAT_MAX];
  int n;
} flat_event;

/* What the record knows of an event beyond its JSON. */
typedef struct event_meta {
  int64_t seq;        /* its seq: the chain seq in a store; in an --events file, its 1-based line
                         position counting every non-blank line (so an export of a store, which
                         holds record-level lines too, keeps its seqs) */
  uint64_t recorders; /* bit p (0 <= p < nparties): party p recorded it;
                         bit nparties + b: body b recorded it (a quorum of its distinct members) */
} event_meta;

/*
** events.c: validate an event and fold it in (see pactum_timeline_append_json). m gives its seq,
** which a ref field of a later event names and `event.seq` reads, and who recorded it, which
** `recorded by` reads; NULL means seq = the count of events folded so far + 1 and no recorders.
** The members "signatures", "nonce" and "recorded_by" are passed over: the record verifies them
** (an --events file does not). Seqs need not increase (what-if folds hypothetical events among
** older ones) and are not checked for uniqueness. On failure the timeline is unchanged.
*/
int timeline_append(pactum_timeline *tl, json_t *root, const event_meta *m, pactum_error *err);
int timeline_apply(pactum_timeline *tl, const flat_event *e, const event_meta *m, pactum_error *err);
/*
** The recorders mask of a list of signer names: a party id sets its bit; members of a body, named
** "BODY.MEMBER", set the body's bit when at least its quorum of distinct members is named.
** Duplicates count once; unknown names are ignored.
*/
uint64_t timeline_recorders(const pactum_agreement *agr, const char *const *names, int n);
/*
** Fold an event whose "recorded_by" member, if any, is taken as a claim (an array of at most 64
** signer names) of who recorded it, unverified: an --events file, a test, what-if. seq as in
** event_meta. A "recorded_by" that is not an array of strings is refused ("wrong_type").
*/
int timeline_append_claimed(pactum_timeline *tl, json_t *root, int64_t seq, pactum_error *err);
/* The recorders mask of root's "recorded_by" claim (0 without one); refused as timeline_append_claimed says. */
int timeline_claimed_recorders(const pactum_agreement *agr, json_t *root, uint64_t *mask /* OUT */, pactum_error *err);
/*
** Fold one line of an --events file, the JSON text of an event whose seq is seq (its position
** among the file's non-blank lines), as timeline_append_claimed. A line whose type is a
** record-level type (an export of a store holds them) is skipped: PACTUM_OK, nothing folded.
*/
int timeline_append_line(pactum_timeline *tl, const char *json, size_t len, int64_t seq, pactum_error *err);
/*
** 1 if type (n bytes) is one of the record's own event types (store_created, store_upgraded,
** settings_changed, key_registered, key_revoked): no agreement declares them and no timeline
** folds them; an --events file skips them.
*/
int event_type_record_level(const char *type, size_t n);
/* The type of the indexed event with this seq, or -1 (not referenced, or no such event). */
int timeline_ref_type(const pactum_timeline *tl, int64_t seq);
/*
** Decode a JSON object's top-level members into e without building a tree (yajl); strings are
** copied into pool[0..cap). -1 if the text is not one JSON object or the pool is too small.
*/
int flat_decode(const char *json, size_t len, flat_event *e, char *pool, size_t cap);

/* request.c: fill r from a parsed request object (see pactum_request_parse_json). */
int request_from_json(pactum_request *r, json_t *root, int32_t default_day, pactum_error *err);
/*
** timeline.c: the storage of a timeline (see struct pactum_timeline).
**
** timeline_truncate forgets the events after the first n, and the referenced seqs after last_seq
** (undoing a refused batch of a record, whose seqs only grow), in time proportional to what it
** drops. Views of tl taken before keep what they saw.
*/
void timeline_truncate(pactum_timeline *tl, size_t n, int64_t last_seq);
/* A deep copy of tl (a timeline or a view) that shares nothing with it and can be appended to; NULL if
   out of memory. */
pactum_timeline *timeline_copy(const pactum_timeline *tl);
/*
** A read-only view of tl as it is now, sharing its chunks: O(width + the ref index), whatever the
** number of events. Later appends to (or truncations of) tl never change what the view sees; the
** two may be freed in any order, and read by different threads once made (tl appended to by one
** thread, the view read by others). Appending to a view is refused (PACTUM_EINTERNAL). NULL if
** out of memory. Making a view marks tl's current length as shared: tl itself is not otherwise
** changed.
*/
pactum_timeline *timeline_view(pactum_timeline *tl);
/*
** Append one event dated day, after which the state is after[0..width), with seq indexed as an
** event of type ref_type when ref_type >= 0 (events.c folds, then calls this). 0, or -1 when out
** of memory: tl is then unchanged. tl must not be a view, and must hold fewer than TL_MAX_EVENTS.
*/
int timeline_push(pactum_timeline *tl, int32_t day, const int64_t *after, int64_t seq, int ref_type);
/* The number of events dated on or before day (they are the first ones: events are in date order). */
size_t timeline_count_until(const pactum_timeline *tl, int32_t day);
/* The day of event k (0-based, k < tl->n). */
int32_t timeline_day(const pactum_timeline *tl, size_t k);
/* The state after every event folded: tl's own row, valid until tl is next changed. */
const int64_t *timeline_now(const pactum_timeline *tl);
/* Fill row[0..width) with the state after the first k events (all of them if k >= n); returns row. */
const int64_t *timeline_row(const pactum_timeline *tl, size_t k, int64_t *row);
/* Fill row[slots[i]] for i < nslots with the state on day (pactum_decide); the rest of row is untouched. */
void timeline_slots(const pactum_timeline *tl, int32_t day, const int32_t *slots, int nslots, int64_t *row);
/*
** The values in force on `day` into row[0..width): nstates state values, then ncommits sums;
** returns row. tl may be NULL (the initial state).
*/
const int64_t *timeline_at(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int64_t *row);
/* The number of changes of slot among the first k events. */
size_t timeline_changes(const pactum_timeline *tl, int slot, size_t k);
/* Change i of slot (i < its count): the value, and *after the count of events after which it holds. */
int64_t timeline_change(const pactum_timeline *tl, int slot, size_t i, size_t *after /* OUT */);

/* A request resolved against its agreement; see request.c. */
struct pactum_request {
  const pactum_agreement *agr;
  int principal, action;
  int32_t day;
  uint64_t set;          /* attributes given explicitly */
  int nunknown;          /* strings the agreement never mentions, ids -1, -2, ... */
  size_t unknown_off[MAX_ATTRS]; /* offsets into `strings` */
  size_t unknown_len[MAX_ATTRS];
  buf strings;           /* backing store for unknown strings and the id */
  int has_id;            /* the request's "id", as JSON text at strings[id_off .. id_off+id_len) */
  size_t id_off, id_len;
  int64_t vals[MAX_ATTRS];
};

struct pactum_decision {
  const pactum_agreement *agr;
  pactum_outcome outcome;
  int group;
  int32_t day;
  int ndet, nover, nobl;
  int32_t *det, *over, *obl; /* global clause indices, in file order */
  uint8_t *scratch;          /* 3 * max_group bytes of working space */
  int64_t *row;              /* [nstates + ncommits] the state slots the group's clauses read */
  int32_t valid_until;       /* DAY_MAX when no date boundary is ahead */
  const char *state_dep;     /* state the answer depends on, "" if none */
  int reads_state;           /* a state change could change the answer */
  int fault;                 /* a NUM_* code when arithmetic failed (pactum_decide then gives PACTUM_EINPUT) */
  int32_t fault_clause;      /* the clause whose arithmetic failed, -1 for none */
  uint32_t fault_start, fault_end; /* its expression's source span */
};

/* check.c: resolve names and types in f and report every error; 0 if clean. */
int check_file(ast_file *f, arena *ar, diag_list *diags);
/* compile.c: build agr (already holding file, src and arena) from a checked tree. */
int compile_agreement(pactum_agreement *agr, const ast_file *f);

/* The id of an interned string, or -1. */
int32_t agreement_string_id(const pactum_agreement *agr, const char *s, size_t n);
int agreement_find_action(const pactum_agreement *agr, const char *s, size_t n);
int agreement_find_party(const pactum_agreement *agr, const char *s, size_t n);
int agreement_find_event(const pactum_agreement *agr, const char *s, size_t n);

/*
** quotes.c: check every quotation against the text of its source document, found as
** `dir/REF` (REF being the source's reference). Mismatches are reported to diags with the
** quote's location. *checked and *missing count the quotes verified and the sources whose
** file could not be read. Returns the number of quotes not found.
*/
int quotes_verify(const pactum_agreement *agr, const char *dir, diag_list *diags, int *checked, int *missing,
                  buf *notes);

/* explain.c: readable and JSON reports. Each returns a malloc'd string, or NULL. */
char *explain_render(const pactum_agreement *agr, const pactum_timeline *tl, const pactum_request *req, int as_json);
/* The same, with the decision's valid_until no later than `until` (a later version's first day). */
char *explain_render_until(const pactum_agreement *agr, const pactum_timeline *tl, const pactum_request *req,
                           int as_json, int32_t until);
char *status_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int as_json);
char *clauses_render(const pactum_agreement *agr, int as_json);
/* explain.c: a value of type t as people read it (money grouped, "$1,000"), or as JSON. */
void report_value(buf *b, const pactum_agreement *agr, type_ref t, int64_t v, int json);
/* eval.c: 1 if clause c is in effect (dates and state window) on day with state st. */
int clause_in_effect(const pactum_agreement *agr, const cclause *c, const int64_t *st, int32_t day);
/* eval.c: evaluate expression root (which must be >= 0). */
int eval_expr(const pactum_agreement *agr, int32_t root, const xenv *env);
int64_t eval_operand(const xop *x, int right, const xenv *env);
/*
** value.c: evaluate the value program from root. On overflow, division by zero or a date out
** of range, the result is 0 and the first error's NUM_* code goes to *env->fault (when set).
*/
int64_t value_eval(const pactum_agreement *agr, int32_t root, const xenv *env);
/*
** value.c: what the program from root reads: bit 1 the date, bit 2 state (and seen[slot] = 1 for
** each state slot when seen is not NULL), bit 4 request attributes, bit 8 event fields.
*/
int value_reads(const pactum_agreement *agr, int32_t root, uint8_t *seen);

#endif
