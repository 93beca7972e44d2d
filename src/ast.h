/*
** ast.h: the syntax tree of a `.pact` file, as built by parse.c and annotated by check.c.
**
** Every node carries the location of the token that names it. All nodes live in the
** compile's arena. Declarations of one kind form a singly linked list in source order.
*/
#ifndef PACTUM_AST_H
#define PACTUM_AST_H

#include "diag.h"
#include "lex.h"

#include <stdint.h>

/*
** TY_DECIMAL and TY_MONEY are fixed-point (value × 10^6, num.h); TY_DURATION is a count and a
** unit in one int64 (num.h).
*/
typedef enum type_kind { TY_NONE = 0, TY_BOOL, TY_STRING, TY_INTEGER, TY_MONEY, TY_DATE, TY_ENUM, TY_REF, TY_DECIMAL,
                         TY_DURATION } type_kind;

typedef struct enum_def {
  int n;
  const char **names;
  loc *at;
} enum_def;

/*
** A type. `ref T` (TY_REF) holds the seq of an earlier event of type T: its values are seqs
** (positive), and 0 means no event.
*/
typedef struct type_ref {
  type_kind kind;
  const enum_def *en; /* TY_ENUM only */
  const char *target; /* TY_REF only: the event type named, as written */
  loc target_at;      /* TY_REF only: where it is named */
  int target_ev;      /* TY_REF only: its index among the event types, filled by check.c */
} type_ref;

/* Where an operand's value comes from once resolved. */
/* SRC_EXPR: computed by the value program (agreement.h, vop), whose root is in slot. */
typedef enum value_src { SRC_CONST = 0, SRC_ATTR, SRC_STATE, SRC_EVENT, SRC_DATE, SRC_EXPR } value_src;

/* EX_RECORDED is the condition `recorded by NAME` (name, at); check.c gives it the recorders bit in slot. */
/*
** EX_ARITH is a value computed from two (op TK_PLUS .. TK_SLASH), or from one for a unary minus
** (op TK_MINUS, b NULL); EX_CALL is `min(a, b)` or `max(a, b)` (name).
*/
typedef enum expr_kind { EX_OR, EX_AND, EX_NOT, EX_CMP, EX_IN, EX_REF, EX_LIT, EX_RECORDED, EX_ARITH, EX_CALL } expr_kind;
typedef enum ref_scope { REF_RESOURCE, REF_CONTEXT, REF_EVENT, REF_DATE, REF_NAME } ref_scope;

typedef struct expr {
  expr_kind kind;
  loc at;           /* the operator or the operand's first token */
  uint32_t start, end; /* source span of the whole expression, for traces */
  uint32_t depth;   /* height of this subtree; every later stage recurses this deep */
  tok_kind op;      /* EX_CMP: TK_EQ .. TK_GE */
  struct expr *a, *b;
  struct expr **items; /* EX_IN: the literals */
  int nitems;
  /* EX_REF */
  ref_scope scope;
  const char *name;
  /* EX_LIT */
  tok_kind lit;     /* TK_STRING, TK_INT, TK_DECIMAL, TK_MONEY, TK_DATE, or TK_IDENT for true/false/members */
  uint8_t duration; /* TK_INT with a unit (`30 days`): num is the duration (num.h) */
  int64_t num;
  const char *str;
  size_t str_len;
  /* Filled by check.c. */
  type_ref type;
  value_src src;
  int slot;         /* SRC_ATTR, SRC_STATE, SRC_EVENT (the event's nfields for `event.seq`); EX_RECORDED: the bit */
  int64_t value;    /* SRC_CONST */
  /* EX_IN written `in NAME`: the named set (check.c copies its members into items) */
  const char *set_name;
  loc set_at;
} expr;

typedef struct citation {
  struct citation *next;
  loc at;           /* the source id */
  const char *source;
  const char *text;
  size_t text_len;
  loc text_at;
  int source_index; /* filled by check.c */
} citation;

typedef struct note {
  struct note *next;
  const char *text;
} note;

typedef struct party_decl {
  struct party_decl *next;
  loc at;
  const char *name, *title;
} party_decl;

typedef enum confidence { CONF_OFFICIAL, CONF_PRESS, CONF_SEED } confidence;

typedef struct source_decl {
  struct source_decl *next;
  loc at;
  const char *name, *ref, *title;
  confidence conf;
} source_decl;

typedef struct attr_decl {
  struct attr_decl *next;
  loc at;
  const char *name;
  int is_context;
  type_ref type;
  expr *def;        /* the default literal, or NULL */
  int slot;         /* filled by check.c */
} attr_decl;

typedef struct name_ref {
  struct name_ref *next;
  loc at;
  const char *name;
  int index;        /* filled by check.c */
} name_ref;

typedef struct action_decl {
  struct action_decl *next;
  loc at;
  const char *name;
  name_ref *principals;
  attr_decl *attrs;
  int nattrs;
  int exhaustive;   /* `exhaustive`: every request must be governed (see pactum verify) */
  int index;
} action_decl;

typedef struct state_decl {
  struct state_decl *next;
  loc at;
  const char *name;
  type_ref type;
  expr *init;       /* NULL only for a ref, which starts at 0 (no event) */
  int index;
} state_decl;

typedef struct field_decl {
  struct field_decl *next;
  loc at;
  const char *name;
  type_ref type;
  int slot;
} field_decl;

typedef struct event_decl {
  struct event_decl *next;
  loc at;
  const char *name;
  field_decl *fields;
  int nfields;
  name_ref *recorders; /* `recorded by`: parties or bodies; NULL means any party */
  int index;
} event_decl;

/* A named group of a body's members, `groups { NAME: M1, M2 ... }`. */
typedef struct body_group {
  struct body_group *next;
  loc at;
  const char *name;
  name_ref *members;  /* each name_ref's index is the member's index in the body, filled by check.c */
  int index;
} body_group;

/* `including N from GROUP` in a body's quorum. */
typedef struct body_need {
  struct body_need *next;
  int64_t count;
  loc count_at;
  name_ref group;     /* index filled by check.c */
} body_need;

/* A body of independent members (an expert panel) that acts by a quorum of them. */
typedef struct body_decl {
  struct body_decl *next;
  loc at;
  const char *name, *title;
  name_ref *members;
  int nmembers;
  body_group *groups;
  int ngroups;
  int64_t quorum;
  loc quorum_at;
  body_need *needs;   /* the quorum's `including` requirements */
  note *notes;
  int index;
} body_decl;

typedef enum stmt_kind { ST_REQUIRE, ST_SET } stmt_kind;

typedef struct stmt {
  struct stmt *next;
  stmt_kind kind;
  loc at;
  expr *cond;       /* ST_REQUIRE: the guard; ST_SET: the `when`, or NULL */
  const char *reason;
  const char *var;  /* ST_SET */
  loc var_at;
  expr *value;
  int slot;
} stmt;

typedef struct transition_decl {
  struct transition_decl *next;
  loc at;
  const char *event;
  stmt *stmts;
  struct citation *cites;
  struct note *notes;
  int event_index;
} transition_decl;

typedef enum clause_kind { CL_PERMISSION, CL_PROHIBITION, CL_OBLIGATION } clause_kind;

typedef struct window_cond {
  struct window_cond *next;
  expr *cond;
  int negate;       /* `until C` is `while not C` */
  loc at;
} window_cond;

typedef struct clause_decl {
  struct clause_decl *next;
  clause_kind kind;
  loc at;
  const char *name;
  name_ref principal, action;
  expr *when, *requires;
  loc requires_at;
  int has_from, has_through;
  int32_t from, through;
  loc from_at, through_at;
  window_cond *windows;
  name_ref *excepts;
  citation *cites;
  note *notes;
  int survives;     /* `survives`: the term's window does not bound it */
  loc survives_at;
  int index;
} clause_decl;

typedef struct commitment_decl {
  struct commitment_decl *next;
  loc at;
  const char *name;
  name_ref owed_by, owed_to;
  const char *what, *unit;
  int has_total, total_is_money;
  int64_t total;
  loc total_at;
  name_ref count_event, count_field;
  int has_since;       /* `since DAY`: only events dated on or after `since` count */
  int32_t since;
  loc since_at;
  expr *where;         /* `where COND`: only events for which COND holds count, or NULL */
  int has_deadline;
  int32_t deadline;
  citation *cites;
  note *notes;
} commitment_decl;

/*
** A first-class obligation (`obligation NAME { owed_by ... }`, see obligations.h): who owes what
** to whom, what creates each instance (an accepted event, a recurring period, or a date), its
** deadline, an optional amount, what fulfils it and what discharges it.
*/
typedef enum obl_trigger { OBT_NONE = 0, OBT_EVENT, OBT_EVERY, OBT_AT } obl_trigger;
/* Units of a deadline's length (`due N UNIT after trigger`); OBU_BDAY: Monday to Friday. */
typedef enum obl_unit { OBU_DAY = 0, OBU_WEEK, OBU_MONTH, OBU_YEAR, OBU_BDAY } obl_unit;
/* What an amount is: none, a literal, a fact, or a field of the triggering event. */
typedef enum obl_amount { OBA_NONE = 0, OBA_LIT, OBA_FACT, OBA_FIELD } obl_amount;

typedef struct obligation_decl {
  struct obligation_decl *next;
  loc at;
  const char *name;
  name_ref owed_by, owed_to;
  const char *what;
  obl_trigger trigger;
  loc trigger_at;
  name_ref on_event;       /* OBT_EVENT */
  expr *on_when;           /* OBT_EVENT: `when COND`, or NULL */
  int every_months;        /* OBT_EVERY: 1, 3 or 12 */
  int32_t from, until, at_day;
  int has_until, from_effective;
  loc from_at, until_at;
  int has_due, due_relative;
  int32_t due_day;         /* `due DAY` */
  int64_t due_count;       /* `due N UNIT after trigger` */
  obl_unit due_unit;
  loc due_at;
  obl_amount amount;
  int64_t amount_value;    /* OBA_LIT; OBA_FACT once checked */
  int amount_money;        /* the amount is money (else an integer) */
  name_ref amount_ref;     /* OBA_FACT: the fact; OBA_FIELD: the field of the triggering event */
  loc amount_at;
  name_ref ful_event;      /* `fulfilled by EVENT` */
  int has_where;
  name_ref ful_key, trig_key; /* `where event.F == trigger.G` */
  name_ref counting;       /* `counting FIELD`, or name NULL */
  name_ref dis_event;      /* `discharged by EVENT`, or name NULL */
  citation *cites;
  note *notes;
  /* Filled by check.c: field indices (an event's nfields stands for its seq), or -1. */
  int trig_key_field, ful_key_field, count_field, amount_field;
} obligation_decl;

typedef struct fact_decl {
  struct fact_decl *next;
  loc at;
  const char *name;
  expr *value;
  const char *unit;
  citation *cites;
  note *notes;
  int is_constant;  /* `constant NAME = LIT { note … }`: no source states it; a note, not a quote */
} fact_decl;

/* `set NAME = [LIT, …]`: a named list of literals, used after `in`. */
typedef struct set_decl {
  struct set_decl *next;
  loc at;
  const char *name;
  expr **items;
  int nitems;
  citation *cites;
  note *notes;
  type_kind kind;   /* filled by check.c: the members' type; TY_ENUM when some are bare names */
} set_decl;

/* A duration written `N days|weeks|months|years` (the term's own, until durations are a type). */
typedef enum term_unit { TU_DAY, TU_WEEK, TU_MONTH, TU_YEAR } term_unit;
typedef struct term_duration {
  int64_t count;
  term_unit unit;
  loc at;
} term_duration;

/* The agreement's term: `term { from …  until …  terminated by E  renews every D unless notice E D before }`. */
typedef struct term_decl {
  loc at;
  int has_from, from_effective, has_until;
  int32_t from, until;
  loc from_at, until_at;
  name_ref ended_by;        /* `terminated by EVENT` (name NULL if none); index: the event type */
  int renews;
  loc renews_at;
  term_duration every, notice;
  name_ref notice_event;    /* `unless notice EVENT D before`; index: the event type */
  citation *cites;
  note *notes;
} term_decl;

typedef struct ast_file {
  loc at;
  const char *id, *version, *title;
  int has_effective;
  int32_t effective;
  const char *supersedes; /* "ID@VERSION" as written, or NULL */
  loc supersedes_at;
  const char *sup_id, *sup_version; /* its two parts, filled by check.c */
  party_decl *parties;
  source_decl *sources;
  action_decl *actions;
  state_decl *states;
  event_decl *events;
  transition_decl *transitions;
  clause_decl *clauses;
  commitment_decl *commitments;
  fact_decl *facts;
  body_decl *bodies;
  set_decl *sets;
  term_decl *term;
  obligation_decl *obligations; /* first-class obligations (obligations.h) */
} ast_file;

/* parse.c: build the tree; errors go to diags. Returns NULL only when out of memory. */
ast_file *parse_file(const char *src, size_t len, arena *ar, diag_list *diags);

#endif
