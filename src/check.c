/*
** check.c: the checker. Resolves every name in a parsed `.pact` tree, gives every
** expression a type and a value source, and reports every error it can find: unknown
** names, type errors, duplicate ids, exception cycles, missing citations, bad windows.
** After a clean check, compile.c can trust the tree.
*/
#include "agreement.h"
#include "date.h"
#include "num.h"
#include "term.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

/* ---- A small symbol table: name -> pointer, open addressing in the arena ----------- */

typedef struct symtab {
  const char **keys;
  void **vals;
  loc *locs;        /* where each name was declared, for "first declared here" notes */
  uint32_t mask;
  int n;
} symtab;

static uint32_t hash_str(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int sym_init(symtab *t, arena *ar, int expect) {
  uint32_t cap = 16;
  while (cap < (uint32_t)expect * 2u + 2u) cap *= 2;
  t->keys = arena_alloc(ar, sizeof(char *) * cap);
  t->vals = arena_alloc(ar, sizeof(void *) * cap);
  t->locs = arena_alloc(ar, sizeof(loc) * cap);
  t->mask = cap - 1;
  t->n = 0;
  return t->keys && t->vals && t->locs ? 0 : -1;
}

static void *sym_get(const symtab *t, const char *k) {
  uint32_t i = hash_str(k, strlen(k)) & t->mask;
  while (t->keys[i]) {
    if (strcmp(t->keys[i], k) == 0) return t->vals[i];
    i = (i + 1) & t->mask;
  }
  return NULL;
}

/* Insert k declared at `at`; if k was already there, keep it and return its index, else -1. */
static int sym_put(symtab *t, const char *k, void *v, loc at) {
  uint32_t i = hash_str(k, strlen(k)) & t->mask;
  while (t->keys[i]) {
    if (strcmp(t->keys[i], k) == 0) return (int)i;
    i = (i + 1) & t->mask;
  }
  t->keys[i] = k;
  t->vals[i] = v;
  t->locs[i] = at;
  t->n++;
  return -1;
}

/* ---- Checker state ------------------------------------------------------------------ */

typedef struct checker {
  ast_file *f;
  arena *ar;
  diag_list *d;
  symtab parties, sources, actions, states, events, clauses, facts, commits, bodies, sets;
  int oom;
} checker;

/* What an expression may read. */
typedef struct scope {
  const action_decl *action; /* request attributes, or NULL */
  const event_decl *event;   /* event fields, or NULL */
  const char *where;         /* "a window", "a transition", ... for messages */
} scope;

static const char *type_name(type_ref t, char *tbuf, size_t cap) {
  switch (t.kind) {
  case TY_BOOL: return "bool";
  case TY_STRING: return "string";
  case TY_INTEGER: return "integer";
  case TY_MONEY: return "money";
  case TY_DATE: return "date";
  case TY_DECIMAL: return "decimal";
  case TY_DURATION: return "duration";
  case TY_REF:
    snprintf(tbuf, cap, "ref %s", t.target ? t.target : "?");
    return tbuf;
  case TY_ENUM: {
    size_t o = (size_t)snprintf(tbuf, cap, "enum {");
    for (int i = 0; i < t.en->n && o < cap; i++)
      o += (size_t)snprintf(tbuf + o, cap - o, "%s%s", i ? ", " : " ", t.en->names[i]);
    if (o < cap) snprintf(tbuf + o, cap - o, " }");
    return tbuf;
  }
  default: return "nothing";
  }
}

static int same_type(type_ref a, type_ref b) {
  if (a.kind != b.kind) return 0;
  if (a.kind == TY_REF) return a.target && b.target && strcmp(a.target, b.target) == 0;
  if (a.kind != TY_ENUM || a.en == b.en) return 1;
  if (a.en->n != b.en->n) return 0;
  for (int i = 0; i < a.en->n; i++)
    if (strcmp(a.en->names[i], b.en->names[i]) != 0) return 0;
  return 1;
}

static int enum_index(const enum_def *en, const char *name) {
  for (int i = 0; i < en->n; i++)
    if (strcmp(en->names[i], name) == 0) return i;
  return -1;
}

/* The event type called name, with its index in *index, or NULL. */
static event_decl *find_event_decl(const checker *c, const char *name, int *index) {
  int i = 0;
  for (event_decl *e = c->f->events; e; e = e->next, i++)
    if (strcmp(e->name, name) == 0) {
      *index = i;
      return e;
    }
  return NULL;
}

/* A `ref T` type: T must be an event type of the agreement; fills t->target_ev. */
static int check_ref_type(checker *c, type_ref *t) {
  if (t->kind != TY_REF) return 0;
  if (!find_event_decl(c, t->target, &t->target_ev))
    return diag_error(c->d, t->target_at, "unknown event type '%s' after 'ref'", t->target);
  return 0;
}

static int check_enum_def(checker *c, type_ref t) {
  if (t.kind != TY_ENUM) return 0;
  symtab seen;
  if (sym_init(&seen, c->ar, t.en->n)) return diag_oom(c->d, t.en->at[0]);
  int rc = 0;
  for (int i = 0; i < t.en->n; i++)
    if (sym_put(&seen, t.en->names[i], NULL, t.en->at[i]) >= 0)
      rc = diag_error(c->d, t.en->at[i], "duplicate enum member '%s'", t.en->names[i]);
  return rc;
}

/*
** Give literal e the type `want` if it can have it, setting its constant value. Enum
** members may be written bare or as strings. Reports and returns -1 on a mismatch.
*/
static int coerce_literal(checker *c, expr *e, type_ref want) {
  char tb[160];
  e->src = SRC_CONST;
  e->type = want;
  const char *found = NULL;
  if (e->duration) {
    if (want.kind == TY_DURATION) { e->value = e->num; return 0; }
    return diag_error(c->d, e->at, "type mismatch: expected %s, found a duration", type_name(want, tb, sizeof tb));
  }
  switch (e->lit) {
  case TK_STRING:
    if (want.kind == TY_STRING) return 0;
    if (want.kind == TY_ENUM) {
      int i = enum_index(want.en, e->str);
      if (i >= 0) {
        e->value = i;
        return 0;
      }
      return diag_error(c->d, e->at, "'%s' is not a member of %s", e->str, type_name(want, tb, sizeof tb));
    }
    found = "a string";
    break;
  case TK_INT:
    if (want.kind == TY_INTEGER) { e->value = e->num; return 0; }
    if (want.kind == TY_DECIMAL) {
      if (num_scale(e->num, &e->value) == NUM_OK) return 0;
      return diag_error(c->d, e->at, "%lld is out of range for a decimal (at most 9223372036854)", (long long)e->num);
    }
    if (want.kind == TY_MONEY)
      return diag_error(c->d, e->at, "money amounts are written with '$': '$%lld'", (long long)e->num);
    if (want.kind == TY_DURATION)
      return diag_error(c->d, e->at, "a duration needs its unit: '%lld days', '%lld months', ...", (long long)e->num,
                        (long long)e->num);
    found = "an integer";
    break;
  case TK_DECIMAL:
    if (want.kind == TY_DECIMAL) { e->value = e->num; return 0; }
    if (want.kind == TY_MONEY) {
      buf m;
      buf_init(&m);
      num_text(&m, e->num, 1);
      diag_error(c->d, e->at, "money amounts are written with '$': '%s'", m.data && !m.failed ? m.data : "$");
      buf_release(&m);
      return -1;
    }
    found = "a decimal number";
    break;
  case TK_MONEY:
    if (want.kind == TY_MONEY) { e->value = e->num; return 0; }
    found = "a money amount";
    break;
  case TK_DATE:
    if (want.kind == TY_DATE) { e->value = e->num; return 0; }
    found = "a date";
    break;
  case TK_IDENT:
    if (strcmp(e->str, "true") == 0 || strcmp(e->str, "false") == 0) {
      if (want.kind == TY_BOOL) { e->value = e->str[0] == 't'; return 0; }
      found = "a bool";
      break;
    }
    if (want.kind == TY_ENUM) {
      int i = enum_index(want.en, e->str);
      if (i >= 0) { e->value = i; return 0; }
      return diag_error(c->d, e->at, "'%s' is not a member of %s", e->str, type_name(want, tb, sizeof tb));
    }
    return diag_error(c->d, e->at, "unknown name '%s' where %s value is expected", e->str, type_name(want, tb, sizeof tb));
  default:
    found = "something else";
  }
  return diag_error(c->d, e->at, "type mismatch: expected %s, found %s", type_name(want, tb, sizeof tb), found);
}

/* The natural type of a literal with no context; TY_NONE for a bare name. */
static type_ref literal_type(const expr *e) {
  type_ref t;
  memset(&t, 0, sizeof t);
  switch (e->lit) {
  case TK_STRING: t.kind = TY_STRING; break;
  case TK_INT: t.kind = e->duration ? TY_DURATION : TY_INTEGER; break;
  case TK_DECIMAL: t.kind = TY_DECIMAL; break;
  case TK_MONEY: t.kind = TY_MONEY; break;
  case TK_DATE: t.kind = TY_DATE; break;
  case TK_IDENT:
    if (strcmp(e->str, "true") == 0 || strcmp(e->str, "false") == 0) t.kind = TY_BOOL;
    break;
  default: break;
  }
  return t;
}

static attr_decl *find_attr(const action_decl *a, int is_context, const char *name) {
  for (attr_decl *x = a->attrs; x; x = x->next)
    if (x->is_context == is_context && strcmp(x->name, name) == 0) return x;
  return NULL;
}

/*
** Type operand e. A bare name that is neither a state variable nor a fact is left with
** TY_NONE when `member_ok` (the caller may then read it as an enum member); otherwise it
** is an error.
*/
static int check_operand(checker *c, const scope *s, expr *e, int member_ok) {
  char tb[160];
  if (e->kind == EX_LIT) {
    e->type = literal_type(e);
    if (e->type.kind == TY_NONE) {
      if (member_ok) return 0;
      return diag_error(c->d, e->at, "unknown name '%s'", e->str);
    }
    return coerce_literal(c, e, e->type);
  }
  if (e->kind != EX_REF) return -2; /* not an operand: the caller checks it as a condition */
  switch (e->scope) {
  case REF_DATE:
    e->type.kind = TY_DATE;
    e->src = SRC_DATE;
    return 0;
  case REF_RESOURCE:
  case REF_CONTEXT: {
    const char *sc = e->scope == REF_CONTEXT ? "context" : "resource";
    if (!s->action)
      return diag_error(c->d, e->at, "'%s.%s' cannot be used in %s: request attributes are not known there", sc, e->name, s->where);
    attr_decl *a = find_attr(s->action, e->scope == REF_CONTEXT, e->name);
    if (!a)
      return diag_error(c->d, e->at, "unknown attribute '%s.%s' of action '%s'", sc, e->name, s->action->name);
    e->type = a->type;
    e->src = SRC_ATTR;
    e->slot = a->slot;
    return 0;
  }
  case REF_EVENT: {
    if (!s->event)
      return diag_error(c->d, e->at, "'event.%s' can only be used inside 'on'", e->name);
    if (strcmp(e->name, "seq") == 0) {
      /* The seq of the event being folded: a ref to its own type, read after its fields. */
      memset(&e->type, 0, sizeof e->type);
      e->type.kind = TY_REF;
      e->type.target = s->event->name;
      e->type.target_at = s->event->at;
      e->type.target_ev = s->event->index;
      e->src = SRC_EVENT;
      e->slot = s->event->nfields;
      return 0;
    }
    for (field_decl *fd = s->event->fields; fd; fd = fd->next)
      if (strcmp(fd->name, e->name) == 0) {
        e->type = fd->type;
        e->src = SRC_EVENT;
        e->slot = fd->slot;
        return 0;
      }
    return diag_error(c->d, e->at, "unknown field 'event.%s' of event '%s'", e->name, s->event->name);
  }
  case REF_NAME: {
    state_decl *st = sym_get(&c->states, e->name);
    if (st) {
      e->type = st->type;
      e->src = SRC_STATE;
      e->slot = st->index;
      return 0;
    }
    fact_decl *fa = sym_get(&c->facts, e->name);
    if (fa) {
      if (fa->value->type.kind == TY_NONE) return -1; /* already reported */
      e->type = fa->value->type;
      e->src = SRC_CONST;
      e->value = fa->value->value;
      e->lit = fa->value->lit;
      e->str = fa->value->str;
      e->str_len = fa->value->str_len;
      return 0;
    }
    if (member_ok) return 0;
    (void)tb;
    return diag_error(c->d, e->at, "unknown name '%s': not a state variable or a fact", e->name);
  }
  }
  return -1;
}

/* A bare name left untyped by check_operand, read as a member of `en`. */
static int resolve_member(checker *c, expr *e, type_ref want) {
  char tb[160];
  const char *name = e->kind == EX_REF ? e->name : e->str;
  if (want.kind != TY_ENUM || enum_index(want.en, name) < 0)
    if (sym_get(&c->sets, name)) return diag_error(c->d, e->at, "'%s' is a set: use it after 'in'", name);
  if (want.kind != TY_ENUM)
    return diag_error(c->d, e->at, "unknown name '%s'", name);
  int i = enum_index(want.en, name);
  if (i < 0)
    return diag_error(c->d, e->at, "'%s' is not a member of %s", name, type_name(want, tb, sizeof tb));
  e->kind = EX_LIT;
  e->lit = TK_IDENT;
  e->str = name;
  e->src = SRC_CONST;
  e->type = want;
  e->value = i;
  return 0;
}

/*
** `recorded by NAME` (inside `on` only): NAME is a party, whose bit is its index, or a body, whose
** bit follows the parties' (see event_meta in agreement.h). The bit goes in e->slot.
*/
static int check_recorded(checker *c, const scope *s, expr *e) {
  if (!s->event) return diag_error(c->d, e->at, "'recorded by %s' can only be used inside 'on'", e->name);
  int np = 0, bit = -1;
  for (party_decl *p = c->f->parties; p; p = p->next, np++)
    if (bit < 0 && strcmp(p->name, e->name) == 0) bit = np;
  int b = 0;
  for (body_decl *bd = c->f->bodies; bd && bit < 0; bd = bd->next, b++)
    if (strcmp(bd->name, e->name) == 0) bit = np + b;
  if (bit < 0) return diag_error(c->d, e->at, "unknown party or body '%s'", e->name);
  e->slot = bit;
  e->src = SRC_CONST;
  return 0;
}

/* ---- Named sets, facts in lists, constants (stream T) -------------------------------- */

static int dup(checker *c, symtab *t, const char *name, loc at, void *v, const char *what);

/* Whether s is the literal true or false (which are never names). */
static int is_bool_word(const char *s) { return strcmp(s, "true") == 0 || strcmp(s, "false") == 0; }

/* What a bare name in a list names when it is not an enum member: a fact or a constant, or NULL. */
static fact_decl *list_fact(checker *c, const expr *it) {
  if (it->lit != TK_IDENT || is_bool_word(it->str)) return NULL;
  return sym_get(&c->facts, it->str);
}

/* "strings", "integers" ... for a set's members. */
static const char *kind_plural(type_kind k) {
  switch (k) {
  case TY_STRING: return "strings";
  case TY_INTEGER: return "integers";
  case TY_MONEY: return "money amounts";
  case TY_DATE: return "dates";
  case TY_ENUM: return "enum members";
  default: return "values";
  }
}

/* Whether a set whose members are of kind k can be compared with a value of type t. */
static int set_fits(type_kind k, type_ref t) {
  if (t.kind == TY_ENUM) return k == TY_ENUM || k == TY_STRING;
  return k == t.kind;
}

/*
** The list of `A in [...]` or `A in SET`, each member given A's type. A set's members are copied,
** so each use resolves them against its own left side. A bare name is a member of A's enum when
** A is an enum that has it; otherwise a fact or a constant, which must have A's type.
*/
static int check_in_list(checker *c, expr *e) {
  char ta[160];
  expr *a = e->a;
  set_decl *sd = NULL;
  if (e->set_name) {
    sd = sym_get(&c->sets, e->set_name);
    if (!sd) return diag_error(c->d, e->set_at, "unknown set '%s'", e->set_name);
    if (sd->kind == TY_NONE) return -1; /* reported at the set */
    if (!set_fits(sd->kind, a->type))
      return diag_error(c->d, e->set_at, "set '%s' holds %s, but the left side of 'in' is %s", sd->name,
                        kind_plural(sd->kind), type_name(a->type, ta, sizeof ta));
    expr **items = arena_alloc(c->ar, sizeof(expr *) * (size_t)sd->nitems);
    if (!items) return diag_oom(c->d, e->set_at);
    for (int i = 0; i < sd->nitems; i++) {
      if (!(items[i] = arena_alloc(c->ar, sizeof(expr)))) return diag_oom(c->d, e->set_at);
      *items[i] = *sd->items[i];
    }
    e->items = items;
    e->nitems = sd->nitems;
  }
  int rc = 0;
  for (int i = 0; i < e->nitems; i++) {
    expr *it = e->items[i];
    int member = a->type.kind == TY_ENUM && it->lit == TK_IDENT && enum_index(a->type.en, it->str) >= 0;
    fact_decl *fa = member ? NULL : list_fact(c, it);
    if (fa) {
      if (fa->value->type.kind == TY_NONE) {
        rc = -1; /* already reported */
        continue;
      }
      if (!same_type(fa->value->type, a->type)) {
        char tb[160];
        rc = diag_error(c->d, it->at, "type mismatch: '%s' is %s, but the left side of 'in' is %s", it->str,
                        type_name(fa->value->type, tb, sizeof tb), type_name(a->type, ta, sizeof ta));
        continue;
      }
      it->type = fa->value->type;
      it->src = SRC_CONST;
      it->value = fa->value->value;
      it->lit = fa->value->lit;
      it->str = fa->value->str;
      it->str_len = fa->value->str_len;
      continue;
    }
    if (coerce_literal(c, it, a->type)) {
      rc = -1;
      if (sd) diag_note(c->d, e->set_at, "a member of set '%s', used here", sd->name);
    }
  }
  return rc;
}

/*
** `set NAME = [...]`: a name of its own (not a state variable, fact or constant), members of one
** kind (bare names are enum members, or facts), and citations that name declared sources.
*/
static int check_sets(checker *c) {
  int rc = 0;
  for (set_decl *sd = c->f->sets; sd; sd = sd->next) {
    if (dup(c, &c->sets, sd->name, sd->at, sd, "set")) rc = -1;
    if (sym_get(&c->facts, sd->name))
      rc = diag_error(c->d, sd->at, "'%s' names both a set and a fact or constant", sd->name);
    for (state_decl *st = c->f->states; st; st = st->next)
      if (strcmp(st->name, sd->name) == 0) rc = diag_error(c->d, sd->at, "'%s' names both a set and a state variable", sd->name);
    if (strcmp(sd->name, "date") == 0)
      rc = diag_error(c->d, sd->at, "'date' is reserved for the request's date; choose another name");
    type_kind kind = TY_NONE;
    int bad = 0;
    for (int i = 0; i < sd->nitems && !bad; i++) {
      expr *it = sd->items[i];
      type_kind k = literal_type(it).kind;
      if (it->lit == TK_IDENT && !is_bool_word(it->str)) {
        fact_decl *fa = list_fact(c, it);
        k = fa ? fa->value->type.kind : TY_ENUM;
        if (k == TY_NONE) { bad = 1; break; } /* the fact's own error */
      }
      if (k == TY_BOOL) {
        bad = diag_error(c->d, it->at, "a set cannot hold bools: 'in' does not apply to them");
        break;
      }
      if (kind == TY_NONE || kind == k) kind = k;
      else if ((kind == TY_STRING && k == TY_ENUM) || (kind == TY_ENUM && k == TY_STRING)) kind = TY_ENUM;
      else
        bad = diag_error(c->d, it->at, "set '%s' mixes %s and %s; its members must have one type", sd->name,
                         kind_plural(kind), kind_plural(k));
    }
    sd->kind = bad ? TY_NONE : kind;
    if (bad) rc = -1;
    for (citation *ci = sd->cites; ci; ci = ci->next) {
      if (!sym_get(&c->sources, ci->source)) rc = diag_error(c->d, ci->at, "unknown source '%s'", ci->source);
      if (ci->text_len == 0) rc = diag_error(c->d, ci->text_at, "empty quotation");
    }
  }
  return rc;
}

/* ---- The term (stream T) ------------------------------------------------------------ */

/* A synthetic reference at the `term` keyword, for the window compiled into each clause. */
static expr *term_ref(checker *c, loc at, ref_scope sc, const char *name) {
  expr *e = arena_alloc(c->ar, sizeof *e);
  if (!e) return NULL;
  e->kind = EX_REF;
  e->at = at;
  e->start = at.off;
  e->end = at.off + at.len;
  e->depth = 1;
  e->scope = sc;
  e->name = name;
  return e;
}

/* A duration's unit as written for n of them: "day" or "days", ... */
static const char *unit_name(term_unit u, int64_t n) {
  static const char *const one[] = {"day", "week", "month", "year"}, *const many[] = {"days", "weeks", "months", "years"};
  return n == 1 ? one[u] : many[u];
}

/*
** The term: its days, its events and its citations. When an event can end it early (`terminated
** by`) or its end depends on notice (`renews`), the state variable TERM_STATE is added, and each
** clause that does not survive gets the window `while date < TERM_STATE` (written at the `term`
** keyword), so the term is state folded by the timeline and a window like any other. Must run
** before the state variables are checked, since it adds one.
*/
static int check_term(checker *c) {
  ast_file *f = c->f;
  term_decl *t = f->term;
  int rc = 0;
  if (!t) {
    for (clause_decl *cl = f->clauses; cl; cl = cl->next)
      if (cl->survives)
        rc = diag_error(c->d, cl->survives_at, "clause '%s' survives, but the agreement has no 'term' to survive", cl->name);
    return rc;
  }
  if (!t->cites) rc = diag_error(c->d, t->at, "the term has no citation: add quote SOURCE \"verbatim text\"");
  for (citation *ci = t->cites; ci; ci = ci->next) {
    if (!sym_get(&c->sources, ci->source)) rc = diag_error(c->d, ci->at, "unknown source '%s'", ci->source);
    if (ci->text_len == 0) rc = diag_error(c->d, ci->text_at, "empty quotation");
  }
  char a[11], b[11];
  if (t->has_from && !t->from_effective && f->has_effective && t->from < f->effective) {
    date_format(t->from, a);
    date_format(f->effective, b);
    rc = diag_error(c->d, t->from_at, "the term starts on %s, before the agreement takes effect on %s", a, b);
  }
  if (!t->has_from || t->from_effective) t->from = f->effective;
  if (t->has_until && t->until < t->from) {
    date_format(t->until, a);
    date_format(t->from, b);
    rc = diag_error(c->d, t->until_at, "the term ends on %s, before it starts on %s", a, b);
  }
  t->ended_by.index = t->notice_event.index = -1;
  if (t->ended_by.name && !find_event_decl(c, t->ended_by.name, &t->ended_by.index))
    rc = diag_error(c->d, t->ended_by.at, "unknown event type '%s'", t->ended_by.name);
  if (t->renews) {
    if (!t->has_until)
      rc = diag_error(c->d, t->renews_at, "a term that renews needs an 'until' day: the last day of its first period");
    if (t->every.count < 1 || t->every.count > TERM_MAX_COUNT)
      rc = diag_error(c->d, t->every.at, "a renewal period is from 1 to %d %s", TERM_MAX_COUNT, unit_name(t->every.unit, 2));
    if (t->notice.count > TERM_MAX_COUNT)
      rc = diag_error(c->d, t->notice.at, "a notice period is at most %d %s", TERM_MAX_COUNT, unit_name(t->notice.unit, 2));
    if (!find_event_decl(c, t->notice_event.name, &t->notice_event.index))
      rc = diag_error(c->d, t->notice_event.at, "unknown event type '%s'", t->notice_event.name);
    else if (t->ended_by.name && strcmp(t->ended_by.name, t->notice_event.name) == 0)
      rc = diag_error(c->d, t->notice_event.at, "'%s' both terminates the agreement and gives notice of non-renewal; "
                      "use two event types", t->notice_event.name);
  }
  for (transition_decl *tr = f->transitions; tr; tr = tr->next)
    for (stmt *st = tr->stmts; st; st = st->next)
      if (st->kind == ST_SET && strcmp(st->var, TERM_STATE) == 0)
        rc = diag_error(c->d, st->var_at, "'%s' is kept by the term: only its events change it", TERM_STATE);
  if (!t->ended_by.name && !t->renews) return rc; /* dates alone: compile.c bounds each clause's from and through */

  state_decl *sd = arena_alloc(c->ar, sizeof *sd);
  expr *init = arena_alloc(c->ar, sizeof *init);
  if (!sd || !init) return diag_oom(c->d, t->at);
  sd->at = t->at;
  sd->name = TERM_STATE;
  sd->type.kind = TY_DATE;
  init->kind = EX_LIT;
  init->lit = TK_DATE;
  init->at = t->at;
  /* The first day out of the term, while nothing ends it early; DAY_MAX (none) while it renews. */
  init->num = !t->renews && t->has_until && t->until < date_from_ymd(DATE_MAX_YEAR, 12, 31) ? t->until + 1 : DAY_MAX;
  sd->init = init;
  state_decl **tail = &f->states;
  while (*tail) tail = &(*tail)->next;
  *tail = sd;
  for (clause_decl *cl = f->clauses; cl; cl = cl->next) {
    if (cl->survives) continue;
    window_cond *w = arena_alloc(c->ar, sizeof *w);
    expr *cmp = arena_alloc(c->ar, sizeof *cmp);
    if (!w || !cmp) return diag_oom(c->d, t->at);
    cmp->at = t->at;
    cmp->kind = EX_CMP;
    cmp->op = TK_LT;
    cmp->start = t->at.off;
    cmp->end = t->at.off + t->at.len;
    cmp->depth = 2;
    cmp->a = term_ref(c, t->at, REF_DATE, "date");
    cmp->b = term_ref(c, t->at, REF_NAME, TERM_STATE);
    if (!cmp->a || !cmp->b) return diag_oom(c->d, t->at);
    w->cond = cmp;
    w->at = t->at;
    window_cond **wt = &cl->windows;
    while (*wt) wt = &(*wt)->next;
    *wt = w;
  }
  return rc;
}

/* ---- Arithmetic (docs/language.md "Arithmetic") ------------------------------------- */

static int check_value(checker *c, const scope *s, expr *e, int member_ok);

/*
** Integer e used as a decimal: a constant is scaled here; anything else is wrapped in a
** conversion (an EX_CALL named "decimal", compiled to V_SCALE). Returns the node to use in e's
** place, or NULL after reporting an overflow.
*/
static expr *promote(checker *c, expr *e) {
  if (e->src == SRC_CONST) {
    int64_t v;
    if (num_scale(e->value, &v)) {
      diag_error(c->d, e->at, "%lld is out of range for a decimal (at most 9223372036854)", (long long)e->value);
      return NULL;
    }
    e->value = v;
    e->type.kind = TY_DECIMAL;
    return e;
  }
  expr *w = arena_alloc(c->ar, sizeof *w);
  if (!w) {
    diag_oom(c->d, e->at);
    return NULL;
  }
  memset(w, 0, sizeof *w);
  w->kind = EX_CALL;
  w->name = "decimal";
  w->at = e->at;
  w->start = e->start;
  w->end = e->end;
  w->depth = e->depth + 1;
  w->a = e;
  w->type.kind = TY_DECIMAL;
  w->src = SRC_EXPR;
  w->value = V_SCALE;
  return w;
}

/* If one of *a, *b is an integer and the other a decimal, make both decimals. 0, or -1 after an error. */
static int unify(checker *c, expr **a, expr **b) {
  if ((*a)->type.kind == TY_INTEGER && (*b)->type.kind == TY_DECIMAL) return (*a = promote(c, *a)) ? 0 : -1;
  if ((*b)->type.kind == TY_INTEGER && (*a)->type.kind == TY_DECIMAL) return (*b = promote(c, *b)) ? 0 : -1;
  return 0;
}

/*
** The type and operation (V_*) of a op b; -1 when the types do not combine. May swap a and b
** (duration + date becomes date + duration) and promote an integer to a decimal.
*/
static int arith_type(checker *c, expr *e, type_kind *res, int *op_out) {
  type_kind ta = e->a->type.kind, tb = e->b->type.kind;
  int num_a = ta == TY_INTEGER || ta == TY_DECIMAL, num_b = tb == TY_INTEGER || tb == TY_DECIMAL;
  switch (e->op) {
  case TK_PLUS:
  case TK_MINUS:
    *op_out = e->op == TK_PLUS ? V_ADD : V_SUB;
    if (ta == TY_INTEGER && tb == TY_INTEGER) { *res = TY_INTEGER; return 0; }
    if (num_a && num_b) { *res = TY_DECIMAL; return unify(c, &e->a, &e->b) ? -2 : 0; }
    if (ta == TY_MONEY && tb == TY_MONEY) { *res = TY_MONEY; return 0; }
    if (ta == TY_DATE && tb == TY_DURATION) { *res = TY_DATE; *op_out = e->op == TK_PLUS ? V_DADD : V_DSUB; return 0; }
    if (ta == TY_DURATION && tb == TY_DATE && e->op == TK_PLUS) {
      expr *t = e->a;
      e->a = e->b;
      e->b = t;
      *res = TY_DATE;
      *op_out = V_DADD;
      return 0;
    }
    if (ta == TY_DATE && tb == TY_DATE && e->op == TK_MINUS) { *res = TY_INTEGER; return 0; }
    return -1;
  case TK_STAR:
    if (ta == TY_INTEGER && tb == TY_INTEGER) { *res = TY_INTEGER; *op_out = V_MUL; return 0; }
    if (num_a && num_b) { *res = TY_DECIMAL; *op_out = ta == tb ? V_MULS : V_MUL; return 0; }
    if ((ta == TY_MONEY && num_b) || (num_a && tb == TY_MONEY)) {
      *res = TY_MONEY;
      *op_out = ta == TY_DECIMAL || tb == TY_DECIMAL ? V_MULS : V_MUL;
      return 0;
    }
    return -1;
  case TK_SLASH:
    if (num_a && num_b) {
      *res = TY_DECIMAL;
      if (ta == TY_DECIMAL && tb == TY_INTEGER) { *op_out = V_DIVR; return 0; }
      *op_out = V_DIVS;
      if (ta == TY_INTEGER && tb == TY_DECIMAL && !(e->a = promote(c, e->a))) return -2;
      return 0;
    }
    if (ta == TY_MONEY && num_b) { *res = TY_MONEY; *op_out = tb == TY_INTEGER ? V_DIVR : V_DIVS; return 0; }
    if (ta == TY_MONEY && tb == TY_MONEY) { *res = TY_DECIMAL; *op_out = V_DIVS; return 0; }
    return -1;
  default: return -1;
  }
}

/* Check e as a value: an operand, or arithmetic over operands (src SRC_EXPR, value the V_* operation). */
static int check_value(checker *c, const scope *s, expr *e, int member_ok) {
  char ta[160], tb[160];
  if (e->kind == EX_REF || e->kind == EX_LIT) return check_operand(c, s, e, member_ok);
  if (e->kind == EX_CALL) {
    int ra = check_value(c, s, e->a, 0), rb = check_value(c, s, e->b, 0);
    if (ra || rb) return -1;
    if (unify(c, &e->a, &e->b)) return -1;
    type_kind k = e->a->type.kind;
    if (!same_type(e->a->type, e->b->type) ||
        (k != TY_INTEGER && k != TY_DECIMAL && k != TY_MONEY && k != TY_DATE))
      return diag_error(c->d, e->at, "%s() takes two integers, decimals, money amounts or dates of one type, not %s and %s",
                        e->name, type_name(e->a->type, ta, sizeof ta), type_name(e->b->type, tb, sizeof tb));
    e->type = e->a->type;
    e->src = SRC_EXPR;
    e->value = e->name[1] == 'i' ? V_MIN : V_MAX;
    return 0;
  }
  if (e->kind != EX_ARITH)
    return diag_error(c->d, e->at, "a condition where a value is expected");
  if (!e->b) {
    if (check_value(c, s, e->a, 0)) return -1;
    type_kind k = e->a->type.kind;
    if (k != TY_INTEGER && k != TY_DECIMAL && k != TY_MONEY)
      return diag_error(c->d, e->at, "'-' negates integers, decimals and money, not %s", type_name(e->a->type, ta, sizeof ta));
    e->type = e->a->type;
    e->src = SRC_EXPR;
    e->value = V_NEG;
    return 0;
  }
  int ra = check_value(c, s, e->a, 0), rb = check_value(c, s, e->b, 0);
  if (ra || rb) return -1;
  type_kind res = TY_NONE;
  int vo = 0, rc = arith_type(c, e, &res, &vo);
  if (rc == -2) return -1;
  if (rc) {
    const char *x = type_name(e->a->type, ta, sizeof ta), *y = type_name(e->b->type, tb, sizeof tb);
    const char *hint = "";
    type_kind ka = e->a->type.kind, kb = e->b->type.kind;
    if ((ka == TY_DATE && kb == TY_INTEGER) || (ka == TY_INTEGER && kb == TY_DATE))
      hint = "; add a duration, such as '30 days'";
    else if ((ka == TY_MONEY && kb == TY_INTEGER) || (ka == TY_INTEGER && kb == TY_MONEY) ||
             (ka == TY_MONEY && kb == TY_DECIMAL) || (ka == TY_DECIMAL && kb == TY_MONEY))
      hint = e->op == TK_PLUS || e->op == TK_MINUS ? "; write an amount with '$'" : "";
    else if (ka == TY_MONEY && kb == TY_MONEY && e->op == TK_STAR)
      hint = "; multiply money by a number";
    switch (e->op) {
    case TK_PLUS: return diag_error(c->d, e->at, "cannot add %s and %s%s", x, y, hint);
    case TK_MINUS: return diag_error(c->d, e->at, "cannot subtract %s from %s%s", y, x, hint);
    case TK_STAR: return diag_error(c->d, e->at, "cannot multiply %s by %s%s", x, y, hint);
    default: return diag_error(c->d, e->at, "cannot divide %s by %s%s", x, y, hint);
    }
  }
  e->type.kind = res;
  e->src = SRC_EXPR;
  e->value = vo;
  return 0;
}

static int is_value(const expr *e) {
  return e->kind == EX_REF || e->kind == EX_LIT || e->kind == EX_ARITH || e->kind == EX_CALL;
}

/* Check e as a condition (a bool-valued expression). */
static int check_cond(checker *c, const scope *s, expr *e) {
  char ta[160], tb[160];
  switch (e->kind) {
  case EX_OR:
  case EX_AND: {
    int ra = check_cond(c, s, e->a);
    int rb = check_cond(c, s, e->b);
    e->type.kind = TY_BOOL;
    return ra || rb ? -1 : 0;
  }
  case EX_NOT:
    e->type.kind = TY_BOOL;
    return check_cond(c, s, e->a);
  case EX_CMP: {
    if (!is_value(e->a) || !is_value(e->b))
      return diag_error(c->d, e->at, "comparisons take values on both sides, not conditions");
    int ra = check_value(c, s, e->a, 1);
    int rb = check_value(c, s, e->b, 1);
    if (ra || rb) return -1;
    if (unify(c, &e->a, &e->b)) return -1;
    expr *a = e->a, *b = e->b;
    if (a->type.kind == TY_NONE && b->type.kind == TY_NONE)
      return diag_error(c->d, a->at, "unknown name '%s'", a->kind == EX_REF ? a->name : a->str);
    if (a->type.kind == TY_NONE && resolve_member(c, a, b->type)) return -1;
    if (b->type.kind == TY_NONE && resolve_member(c, b, a->type)) return -1;
    /* A string literal against an enum names a member. */
    if (a->type.kind == TY_ENUM && b->kind == EX_LIT && b->lit == TK_STRING && coerce_literal(c, b, a->type)) return -1;
    if (b->type.kind == TY_ENUM && a->kind == EX_LIT && a->lit == TK_STRING && coerce_literal(c, a, b->type)) return -1;
    if (!same_type(a->type, b->type))
      return diag_error(c->d, e->at, "type mismatch: cannot compare %s with %s",
                        type_name(a->type, ta, sizeof ta), type_name(b->type, tb, sizeof tb));
    if (e->op != TK_EQ && e->op != TK_NE && a->type.kind != TY_INTEGER && a->type.kind != TY_DECIMAL &&
        a->type.kind != TY_MONEY && a->type.kind != TY_DATE)
      return diag_error(c->d, e->at, "%s orders integers, decimals, money and dates, not %s",
                        lex_kind_name(e->op), type_name(a->type, ta, sizeof ta));
    if (a->src == SRC_CONST && b->src == SRC_CONST)
      return diag_error(c->d, e->at, "this comparison has a constant on both sides");
    e->type.kind = TY_BOOL;
    return 0;
  }
  case EX_IN: {
    expr *a = e->a;
    if (a->kind != EX_REF) return diag_error(c->d, a->at, "the left side of 'in' must be an attribute, state variable or date");
    if (check_operand(c, s, a, 0)) return -1;
    if (a->src == SRC_CONST) return diag_error(c->d, a->at, "'%s' is a fact, a constant: this condition never changes", a->name);
    if (a->type.kind == TY_BOOL) return diag_error(c->d, e->at, "'in' does not apply to bool values");
    e->type.kind = TY_BOOL;
    return check_in_list(c, e);
  }
  case EX_RECORDED:
    e->type.kind = TY_BOOL;
    return check_recorded(c, s, e);
  case EX_ARITH:
  case EX_CALL:
    if (check_value(c, s, e, 0)) return -1;
    return diag_error(c->d, e->at, "a condition must be a bool, but this is %s; compare it with '==', '<', ...",
                      type_name(e->type, ta, sizeof ta));
  case EX_REF:
  case EX_LIT: {
    if (check_operand(c, s, e, 0)) return -1;
    if (e->type.kind != TY_BOOL)
      return diag_error(c->d, e->at, "a condition must be a bool, but this is %s; compare it with '==' or 'in'",
                        type_name(e->type, ta, sizeof ta));
    if (e->src == SRC_CONST && e->kind == EX_LIT)
      return diag_error(c->d, e->at, "a constant condition; drop it or the clause");
    return 0;
  }
  }
  return -1;
}

/* ---- Declarations ------------------------------------------------------------------- */

static int dup(checker *c, symtab *t, const char *name, loc at, void *v, const char *what) {
  int prev = sym_put(t, name, v, at);
  if (prev < 0) return 0;
  diag_error(c->d, at, "duplicate %s '%s'", what, name);
  diag_note(c->d, t->locs[prev], "'%s' was first declared here", name);
  return -1;
}

static int check_citations(checker *c, citation *cites, loc at, const char *what, const char *name) {
  int rc = 0;
  if (!cites)
    rc = diag_error(c->d, at, "%s '%s' has no citation: add quote SOURCE \"verbatim text\"", what, name);
  for (citation *ci = cites; ci; ci = ci->next) {
    source_decl *s = sym_get(&c->sources, ci->source);
    if (!s) rc = diag_error(c->d, ci->at, "unknown source '%s'", ci->source);
    if (ci->text_len == 0) rc = diag_error(c->d, ci->text_at, "empty quotation");
  }
  return rc;
}

/* A version name: printable ASCII or UTF-8, no spaces and no '@'. */
static int version_word_ok(const char *s, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch <= ' ' || ch == 0x7f || ch == '@') return 0;
  }
  return 1;
}

/*
** `supersedes "ID@VERSION"`: split it at its one '@' into f->sup_id and f->sup_version (arena
** copies), and refuse a malformed one, the agreement itself, and, when both versions are dates
** of one agreement, a version that is not earlier.
*/
static int check_supersedes(checker *c) {
  ast_file *f = c->f;
  const char *s = f->supersedes, *at = strchr(s, '@');
  size_t n = strlen(s);
  if (!at || strchr(at + 1, '@') || !version_word_ok(s, (size_t)(at - s)) ||
      !version_word_ok(at + 1, n - (size_t)(at - s) - 1))
    return diag_error(c->d, f->supersedes_at,
                      "'supersedes' names one version as \"ID@VERSION\" (no spaces, one '@'), not '%.64s'", s);
  f->sup_id = arena_strndup(c->ar, s, (size_t)(at - s));
  f->sup_version = arena_strndup(c->ar, at + 1, strlen(at + 1));
  if (!f->sup_id || !f->sup_version) return diag_oom(c->d, f->supersedes_at);
  if (!f->id || !f->version || strcmp(f->sup_id, f->id) != 0) return 0;
  if (strcmp(f->sup_version, f->version) == 0)
    return diag_error(c->d, f->supersedes_at, "agreement '%s@%s' cannot supersede itself", f->id, f->version);
  int32_t mine, theirs;
  if (date_parse(f->version, strlen(f->version), &mine) == 0 &&
      date_parse(f->sup_version, strlen(f->sup_version), &theirs) == 0 && theirs > mine)
    return diag_error(c->d, f->supersedes_at, "version '%s' cannot supersede the later version '%s' of '%s'",
                      f->version, f->sup_version, f->id);
  return 0;
}

static int check_header(checker *c) {
  ast_file *f = c->f;
  int rc = 0;
  if (!f->id) return -1; /* the parser reported it */
  if (!f->id[0]) rc = diag_error(c->d, f->at, "the agreement id is empty");
  if (!f->version) rc = diag_error(c->d, f->at, "agreement '%s' has no version", f->id);
  if (!f->has_effective) rc = diag_error(c->d, f->at, "agreement '%s' has no effective date", f->id);
  if (!f->parties) rc = diag_error(c->d, f->at, "agreement '%s' names no party", f->id);
  if (f->supersedes && check_supersedes(c)) rc = -1;
  return rc;
}

static int check_actions(checker *c) {
  int rc = 0, i = 0;
  for (action_decl *a = c->f->actions; a; a = a->next) {
    a->index = i++;
    if (dup(c, &c->actions, a->name, a->at, a, "action")) rc = -1;
    for (name_ref *p = a->principals; p; p = p->next) {
      party_decl *pd = sym_get(&c->parties, p->name);
      if (!pd) rc = diag_error(c->d, p->at, "unknown party '%s'", p->name);
    }
    if (a->nattrs > MAX_ATTRS)
      rc = diag_error(c->d, a->at, "action '%s' has %d attributes; at most %d are allowed", a->name, a->nattrs, MAX_ATTRS);
    if (a->nattrs > MAX_ATTRS) continue;
    symtab names[2];
    if (sym_init(&names[0], c->ar, a->nattrs) || sym_init(&names[1], c->ar, a->nattrs)) return diag_oom(c->d, a->at);
    int slot = 0;
    for (attr_decl *x = a->attrs; x; x = x->next) {
      x->slot = slot++;
      if (check_enum_def(c, x->type)) rc = -1;
      if (x->type.kind == TY_REF)
        rc = diag_error(c->d, x->type.target_at, "attribute '%s.%s' of action '%s' cannot be a 'ref': only event fields and state variables refer to events",
                        x->is_context ? "context" : "resource", x->name, a->name);
      if (x->is_context && strcmp(x->name, "date") == 0)
        rc = diag_error(c->d, x->at, "'context.date' is reserved for the request's date");
      if (sym_put(&names[x->is_context], x->name, x, x->at) >= 0)
        rc = diag_error(c->d, x->at, "duplicate attribute '%s.%s' of action '%s'",
                        x->is_context ? "context" : "resource", x->name, a->name);
      if (x->def && coerce_literal(c, x->def, x->type)) rc = -1;
    }
  }
  return rc;
}

/* The members every event object may carry besides its fields (docs/formats.md#event). */
static int reserved_member(const char *name) {
  static const char *const reserved[] = {"type", "date", "seq", "signatures", "nonce", "recorded_by"};
  for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
    if (strcmp(name, reserved[i]) == 0) return 1;
  return 0;
}

/* The record's own event types, which no agreement may declare (events.c never folds them). */
static int record_level_type(const char *name) { return event_type_record_level(name, strlen(name)); }

static int check_states_and_events(checker *c) {
  int rc = 0, i = 0;
  for (state_decl *s = c->f->states; s; s = s->next) {
    s->index = i++;
    if (dup(c, &c->states, s->name, s->at, s, "state variable")) rc = -1;
    if (strcmp(s->name, "date") == 0)
      rc = diag_error(c->d, s->at, "'date' is reserved for the request's date; choose another name");
    if (check_enum_def(c, s->type)) rc = -1;
    if (s->type.kind == TY_STRING)
      rc = diag_error(c->d, s->at, "state variable '%s' cannot be a string; use an enum", s->name);
    else if (s->type.kind == TY_REF) {
      if (check_ref_type(c, &s->type)) rc = -1;
      /* A ref starts as no event, 0; an initial value, if written, can only say so. */
      if (s->init && (s->init->lit != TK_INT || s->init->num != 0))
        rc = diag_error(c->d, s->init->at, "state variable '%s' is a ref: it starts at 0 (no event), so its initial value can only be 0",
                        s->name);
      else if (s->init) {
        s->init->type = s->type;
        s->init->src = SRC_CONST;
        s->init->value = 0;
      }
    } else if (coerce_literal(c, s->init, s->type)) rc = -1;
    if (sym_get(&c->facts, s->name))
      rc = diag_error(c->d, s->at, "'%s' names both a state variable and a fact", s->name);
  }
  i = 0;
  for (event_decl *e = c->f->events; e; e = e->next) {
    e->index = i++;
    if (dup(c, &c->events, e->name, e->at, e, "event type")) rc = -1;
    if (record_level_type(e->name))
      rc = diag_error(c->d, e->at, "'%s' is the record's own event type; choose another name", e->name);
    if (e->nfields > MAX_ATTRS) {
      rc = diag_error(c->d, e->at, "event '%s' has %d fields; at most %d are allowed", e->name, e->nfields, MAX_ATTRS);
      continue;
    }
    symtab names;
    if (sym_init(&names, c->ar, e->nfields)) return diag_oom(c->d, e->at);
    int slot = 0;
    for (field_decl *fd = e->fields; fd; fd = fd->next) {
      fd->slot = slot++;
      if (check_enum_def(c, fd->type) || check_ref_type(c, &fd->type)) rc = -1;
      if (reserved_member(fd->name))
        rc = diag_error(c->d, fd->at, "'%s' is reserved in every event; choose another field name", fd->name);
      if (sym_put(&names, fd->name, fd, fd->at) >= 0)
        rc = diag_error(c->d, fd->at, "duplicate field '%s' of event '%s'", fd->name, e->name);
    }
  }
  int ntrans = 0;
  for (transition_decl *t = c->f->transitions; t; t = t->next) ntrans++;
  symtab handled;
  if (sym_init(&handled, c->ar, ntrans)) return diag_oom(c->d, c->f->at);
  for (transition_decl *t = c->f->transitions; t; t = t->next) {
    event_decl *e = sym_get(&c->events, t->event);
    if (!e) {
      rc = diag_error(c->d, t->at, "unknown event type '%s'", t->event);
      continue;
    }
    t->event_index = e->index;
    if (sym_put(&handled, t->event, t, t->at) >= 0)
      rc = diag_error(c->d, t->at, "a second 'on %s'; put all of its statements in one block", t->event);
    for (citation *ci = t->cites; ci; ci = ci->next) {
      if (!sym_get(&c->sources, ci->source)) rc = diag_error(c->d, ci->at, "unknown source '%s'", ci->source);
      if (ci->text_len == 0) rc = diag_error(c->d, ci->text_at, "empty quotation");
    }
    scope s = {NULL, e, "a transition"};
    for (stmt *st = t->stmts; st; st = st->next) {
      if (st->cond && check_cond(c, &s, st->cond)) rc = -1;
      if (st->kind != ST_SET) continue;
      state_decl *v = sym_get(&c->states, st->var);
      if (!v) {
        rc = diag_error(c->d, st->var_at, "unknown state variable '%s'", st->var);
        continue;
      }
      st->slot = v->index;
      expr *x = st->value;
      if (!is_value(x)) {
        rc = diag_error(c->d, x->at, "'set' takes a value, not a condition");
        continue;
      }
      if (check_value(c, &s, x, 1)) { rc = -1; continue; }
      if (x->type.kind == TY_INTEGER && v->type.kind == TY_DECIMAL) {
        if (!(x = st->value = promote(c, x))) rc = -1;
      } else if (x->type.kind == TY_NONE) {
        if (resolve_member(c, x, v->type)) rc = -1;
      } else if (x->kind == EX_LIT && x->lit == TK_STRING && v->type.kind == TY_ENUM) {
        if (coerce_literal(c, x, v->type)) rc = -1;
      } else if (!same_type(x->type, v->type)) {
        char ta[160], tb[160];
        rc = diag_error(c->d, x->at, "type mismatch: '%s' is %s, but this value is %s", v->name,
                        type_name(v->type, ta, sizeof ta), type_name(x->type, tb, sizeof tb));
      }
    }
  }
  return rc;
}

static int check_facts(checker *c) {
  int rc = 0;
  for (fact_decl *fa = c->f->facts; fa; fa = fa->next) {
    if (dup(c, &c->facts, fa->name, fa->at, fa, fa->is_constant ? "constant" : "fact")) rc = -1;
    if (strcmp(fa->name, "date") == 0)
      rc = diag_error(c->d, fa->at, "'date' is reserved for the request's date; choose another name");
    type_ref t = literal_type(fa->value);
    if (t.kind == TY_NONE) {
      rc = diag_error(c->d, fa->value->at, "a %s's value must be a string, number, money amount, date, duration or bool",
                      fa->is_constant ? "constant" : "fact");
      fa->value->type.kind = TY_NONE;
    } else if (coerce_literal(c, fa->value, t)) {
      rc = -1;
    }
    if (!fa->is_constant) {
      if (check_citations(c, fa->cites, fa->at, "fact", fa->name)) rc = -1;
    } else if (fa->cites) {
      rc = diag_error(c->d, fa->cites->at, "constant '%s' quotes a source; a value the contract states is a 'fact'", fa->name);
    } else if (!fa->notes) {
      rc = diag_error(c->d, fa->at, "constant '%s' has no note: say where its value comes from with note \"...\"", fa->name);
    }
  }
  return rc;
}

/* One clause on the path of visit_exceptions, and the next of its exception targets to follow. */
typedef struct visit_frame {
  clause_decl *cl;
  name_ref *next;
} visit_frame;

/*
** Exception cycles: depth-first search with colours; reports each cycle once. The path is kept
** in stack (room for every clause, as a clause is on it at most once), not on the C stack, so a
** chain of 200,000 exceptions listed from the last to the first does not overflow it.
*/
static int visit_exceptions(checker *c, clause_decl *root, uint8_t *colour, visit_frame *stack) {
  int rc = 0;
  size_t top = 0;
  colour[root->index] = 1;
  stack[top++] = (visit_frame){root, root->excepts};
  while (top) {
    visit_frame *f = &stack[top - 1];
    name_ref *r = f->next;
    if (!r) {
      colour[f->cl->index] = 2;
      top--;
      continue;
    }
    f->next = r->next;
    if (r->index < 0) continue;
    clause_decl *t = sym_get(&c->clauses, r->name);
    if (!t) continue;
    if (colour[t->index] == 1) {
      rc = diag_error(c->d, r->at, "exception cycle: '%s' is an exception to '%s', which is (through its own exceptions) an exception to '%s'",
                      f->cl->name, t->name, f->cl->name);
      r->index = -1; /* break the cycle so later passes terminate */
    } else if (colour[t->index] == 0) {
      colour[t->index] = 1;
      stack[top++] = (visit_frame){t, t->excepts};
    }
  }
  return rc;
}

static int check_clauses(checker *c) {
  int rc = 0, n = 0;
  for (clause_decl *cl = c->f->clauses; cl; cl = cl->next) {
    cl->index = n++;
    if (dup(c, &c->clauses, cl->name, cl->at, cl, "clause id")) rc = -1;
  }
  for (clause_decl *cl = c->f->clauses; cl; cl = cl->next) {
    party_decl *pd = sym_get(&c->parties, cl->principal.name);
    action_decl *ad = sym_get(&c->actions, cl->action.name);
    if (!pd) rc = diag_error(c->d, cl->principal.at, "unknown party '%s'", cl->principal.name);
    if (!ad) rc = diag_error(c->d, cl->action.at, "unknown action '%s'", cl->action.name);
    if (pd && ad) {
      int ok = 0;
      for (name_ref *p = ad->principals; p; p = p->next) ok |= strcmp(p->name, pd->name) == 0;
      if (!ok) rc = diag_error(c->d, cl->principal.at, "party '%s' is not a principal of action '%s'", pd->name, ad->name);
    }
    scope req = {ad, NULL, "a clause"};
    scope win = {NULL, NULL, "a window ('while'/'until')"};
    if (cl->when && (!ad || check_cond(c, &req, cl->when))) rc = -1;
    if (cl->requires) {
      if (cl->kind != CL_PERMISSION)
        rc = diag_error(c->d, cl->requires_at, "'requires' belongs to permissions; clause '%s' is a%s", cl->name,
                        cl->kind == CL_PROHIBITION ? " prohibition" : "n obligation");
      else if (!ad || check_cond(c, &req, cl->requires))
        rc = -1;
    }
    for (window_cond *w = cl->windows; w; w = w->next)
      if (check_cond(c, &win, w->cond)) rc = -1;
    if (cl->has_from && cl->has_through && cl->from > cl->through) {
      char a[11], b[11];
      date_format(cl->from, a);
      date_format(cl->through, b);
      rc = diag_error(c->d, cl->through_at, "clause '%s' closes on %s, before it opens on %s", cl->name, b, a);
    }
    if (c->f->has_effective && cl->has_through && cl->through < c->f->effective) {
      char b[11];
      date_format(cl->through, b);
      rc = diag_error(c->d, cl->through_at, "clause '%s' closes on %s, before the agreement takes effect", cl->name, b);
    }
    for (name_ref *r = cl->excepts; r; r = r->next) {
      clause_decl *t = sym_get(&c->clauses, r->name);
      r->index = -1;
      if (!t) {
        rc = diag_error(c->d, r->at, "unknown clause '%s'", r->name);
        continue;
      }
      if (t == cl) {
        rc = diag_error(c->d, r->at, "clause '%s' cannot be an exception to itself", cl->name);
        continue;
      }
      if (strcmp(t->action.name, cl->action.name) != 0 || strcmp(t->principal.name, cl->principal.name) != 0) {
        rc = diag_error(c->d, r->at, "clause '%s' (%s %s) cannot be an exception to '%s' (%s %s): both must govern the same principal and action",
                        cl->name, cl->principal.name, cl->action.name, t->name, t->principal.name, t->action.name);
        continue;
      }
      if ((cl->kind == CL_OBLIGATION) != (t->kind == CL_OBLIGATION)) {
        rc = diag_error(c->d, r->at, "%s '%s' cannot be an exception to %s '%s': obligations except only obligations, "
                        "and permissions and prohibitions only each other",
                        cl->kind == CL_OBLIGATION ? "obligation" : cl->kind == CL_PERMISSION ? "permission" : "prohibition",
                        cl->name, t->kind == CL_OBLIGATION ? "obligation" : t->kind == CL_PERMISSION ? "permission" : "prohibition",
                        t->name);
        continue;
      }
      r->index = t->index;
    }
    if (check_citations(c, cl->cites, cl->at, "clause", cl->name)) rc = -1;
  }
  uint8_t *colour = arena_alloc(c->ar, (size_t)n + 1);
  visit_frame *stack = arena_alloc(c->ar, ((size_t)n + 1) * sizeof *stack);
  if (!colour || !stack) return diag_oom(c->d, c->f->at);
  for (clause_decl *cl = c->f->clauses; cl; cl = cl->next)
    if (!colour[cl->index] && visit_exceptions(c, cl, colour, stack)) rc = -1;
  return rc;
}

/* The member index of name in body b, or -1. */
static int body_member_index(const body_decl *b, const char *name) {
  int i = 0;
  for (const name_ref *m = b->members; m; m = m->next, i++)
    if (strcmp(m->name, name) == 0) return i;
  return -1;
}

/*
** A body's groups (each named once, of the body's members, each member once in a group) and
** its quorum's requirements (each of a group of the body, once, asking from 1 to all of its
** members); when the groups asked of share no member, the requirements together must fit in
** the quorum.
*/
static int check_body_groups(checker *c, body_decl *b) {
  int rc = 0, gi = 0;
  symtab groups;
  if (sym_init(&groups, c->ar, b->ngroups)) return diag_oom(c->d, b->at);
  int *sizes = arena_alloc(c->ar, sizeof(int) * (size_t)(b->ngroups + 1));
  uint8_t *owner = arena_alloc(c->ar, (size_t)b->nmembers + 1); /* 1 + the first asked group holding it */
  if (!sizes || !owner) return diag_oom(c->d, b->at);
  for (body_group *g = b->groups; g; g = g->next) {
    g->index = gi++;
    if (sym_put(&groups, g->name, g, g->at) >= 0)
      rc = diag_error(c->d, g->at, "duplicate group '%s' of body '%s'", g->name, b->name);
    symtab seen;
    if (sym_init(&seen, c->ar, b->nmembers)) return diag_oom(c->d, g->at);
    for (name_ref *m = g->members; m; m = m->next) {
      m->index = body_member_index(b, m->name);
      if (m->index < 0)
        rc = diag_error(c->d, m->at, "'%s' is not a member of body '%s'", m->name, b->name);
      else if (sym_put(&seen, m->name, m, m->at) >= 0)
        rc = diag_error(c->d, m->at, "'%s' is named twice in group '%s'", m->name, g->name);
      else
        sizes[g->index]++;
    }
  }
  symtab asked;
  if (sym_init(&asked, c->ar, b->ngroups + 1)) return diag_oom(c->d, b->at);
  int64_t sum = 0;
  int disjoint = 1;
  for (body_need *n = b->needs; n; n = n->next) {
    body_group *g = sym_get(&groups, n->group.name);
    n->group.index = -1;
    if (!g) {
      rc = diag_error(c->d, n->group.at, "unknown group '%s' of body '%s'", n->group.name, b->name);
      continue;
    }
    n->group.index = g->index;
    if (sym_put(&asked, g->name, g, n->group.at) >= 0) {
      rc = diag_error(c->d, n->group.at, "the quorum of body '%s' asks for members from '%s' twice", b->name, g->name);
      continue;
    }
    if (n->count < 1 || n->count > sizes[g->index])
      rc = diag_error(c->d, n->count_at, "body '%s' can ask for 1 to %d members from '%s', not %lld", b->name,
                      sizes[g->index], g->name, (long long)n->count);
    sum += n->count;
    for (name_ref *m = g->members; m; m = m->next)
      if (m->index >= 0) {
        if (owner[m->index] && owner[m->index] != g->index + 1) disjoint = 0;
        owner[m->index] = (uint8_t)(g->index + 1 > 255 ? 255 : g->index + 1);
      }
  }
  if (!rc && disjoint && sum > b->quorum && b->quorum >= 1)
    rc = diag_error(c->d, b->quorum_at, "the quorum of body '%s' is %lld, but it asks for %lld members from its groups; "
                    "raise the quorum to at least %lld", b->name, (long long)b->quorum, (long long)sum, (long long)sum);
  return rc;
}

static int check_bodies(checker *c) {
  int rc = 0, i = 0;
  for (body_decl *b = c->f->bodies; b; b = b->next) {
    b->index = i++;
    if (dup(c, &c->bodies, b->name, b->at, b, "body")) rc = -1;
    if (sym_get(&c->parties, b->name))
      rc = diag_error(c->d, b->at, "'%s' names both a party and a body", b->name);
    symtab seen;
    if (sym_init(&seen, c->ar, b->nmembers)) return diag_oom(c->d, b->at);
    for (name_ref *m = b->members; m; m = m->next)
      if (sym_put(&seen, m->name, m, m->at) >= 0)
        rc = diag_error(c->d, m->at, "duplicate member '%s' of body '%s'", m->name, b->name);
    if (b->quorum < 1 || b->quorum > b->nmembers)
      rc = diag_error(c->d, b->quorum_at, "the quorum of body '%s' must be between 1 and its %d member%s", b->name,
                      b->nmembers, b->nmembers == 1 ? "" : "s");
    else if (b->quorum > 16)
      rc = diag_error(c->d, b->quorum_at, "the quorum of body '%s' is %lld; an event carries at most 16 signers",
                      b->name, (long long)b->quorum);
    if (check_body_groups(c, b)) rc = -1;
  }
  /* Each party and each body is a bit of an event's recorders (event_meta in agreement.h). */
  int bit = 0;
  for (party_decl *p = c->f->parties; p; p = p->next)
    if (++bit == 65)
      rc = diag_error(c->d, p->at, "'%s' is the 65th party or body; an agreement has at most 64 parties and bodies together",
                      p->name);
  for (body_decl *b = c->f->bodies; b; b = b->next)
    if (++bit == 65)
      rc = diag_error(c->d, b->at, "'%s' is the 65th party or body; an agreement has at most 64 parties and bodies together",
                      b->name);
  for (event_decl *e = c->f->events; e; e = e->next) {
    int nr = 0;
    for (name_ref *r = e->recorders; r; r = r->next) nr++;
    symtab named;
    if (sym_init(&named, c->ar, nr)) return diag_oom(c->d, e->at);
    for (name_ref *r = e->recorders; r; r = r->next) {
      if (sym_put(&named, r->name, r, r->at) >= 0)
        rc = diag_error(c->d, r->at, "'%s' is named twice after 'recorded by'", r->name);
      party_decl *pd = sym_get(&c->parties, r->name);
      body_decl *bd = sym_get(&c->bodies, r->name);
      if (!pd && !bd) rc = diag_error(c->d, r->at, "unknown party or body '%s'", r->name);
      r->index = pd ? -1 : bd ? bd->index : -1;
    }
  }
  return rc;
}

static int check_commitments(checker *c) {
  int rc = 0;
  for (commitment_decl *m = c->f->commitments; m; m = m->next) {
    if (dup(c, &c->commits, m->name, m->at, m, "commitment")) rc = -1;
    if (!m->owed_by.name) rc = diag_error(c->d, m->at, "commitment '%s' has no 'owed_by'", m->name);
    else if (!sym_get(&c->parties, m->owed_by.name)) rc = diag_error(c->d, m->owed_by.at, "unknown party '%s'", m->owed_by.name);
    if (!m->owed_to.name) rc = diag_error(c->d, m->at, "commitment '%s' has no 'owed_to'", m->name);
    else if (!sym_get(&c->parties, m->owed_to.name)) rc = diag_error(c->d, m->owed_to.at, "unknown party '%s'", m->owed_to.name);
    if (!m->has_total) rc = diag_error(c->d, m->at, "commitment '%s' has no 'total'", m->name);
    else if (m->total <= 0) rc = diag_error(c->d, m->total_at, "commitment '%s' must owe a positive total", m->name);
    if (!m->count_event.name) {
      rc = diag_error(c->d, m->at, "commitment '%s' has no 'counted from EVENT.FIELD'", m->name);
    } else {
      event_decl *e = sym_get(&c->events, m->count_event.name);
      if (!e) {
        rc = diag_error(c->d, m->count_event.at, "unknown event type '%s'", m->count_event.name);
      } else {
        field_decl *fd = e->fields;
        while (fd && strcmp(fd->name, m->count_field.name) != 0) fd = fd->next;
        if (!fd)
          rc = diag_error(c->d, m->count_field.at, "unknown field '%s' of event '%s'", m->count_field.name, e->name);
        else if (fd->type.kind != (m->total_is_money ? TY_MONEY : TY_INTEGER))
          rc = diag_error(c->d, m->count_field.at, "field '%s.%s' must be %s to count toward '%s'", e->name, fd->name,
                          m->total_is_money ? "money" : "an integer", m->name);
        /* `where` reads what an `on` block of the counted event reads: its fields, state, facts. */
        scope s = {NULL, e, "a commitment's 'where'"};
        if (m->where && check_cond(c, &s, m->where)) rc = -1;
      }
    }
    if (m->has_since && m->has_deadline && m->since > m->deadline) {
      char since[11], due[11];
      date_format(m->since, since);
      date_format(m->deadline, due);
      rc = diag_error(c->d, m->since_at, "commitment '%s' counts since %s, after its deadline %s: nothing could count in time",
                      m->name, since, due);
    }
    if (check_citations(c, m->cites, m->at, "commitment", m->name)) rc = -1;
  }
  return rc;
}

/* ---- First-class obligations (obligations.h) ----------------------------------------- */

/* The index of field `name` of e, e->nfields for "seq" when seq_ok, or -1 (reported). */
static int obl_field(checker *c, const event_decl *e, const name_ref *r, int seq_ok, type_ref *type /* OUT */) {
  memset(type, 0, sizeof *type);
  if (seq_ok && strcmp(r->name, "seq") == 0) {
    type->kind = TY_REF;
    type->target = e->name;
    type->target_ev = e->index;
    return e->nfields;
  }
  for (field_decl *fd = e->fields; fd; fd = fd->next)
    if (strcmp(fd->name, r->name) == 0) {
      *type = fd->type;
      return fd->slot;
    }
  diag_error(c->d, r->at, "unknown field '%s' of event '%s'", r->name, e->name);
  return -1;
}

/* An event type named by an obligation, or NULL (reported). */
static event_decl *obl_event(checker *c, const name_ref *r) {
  event_decl *e = sym_get(&c->events, r->name);
  if (!e) diag_error(c->d, r->at, "unknown event type '%s'", r->name);
  return e;
}

/* A party named by an obligation: 0, or -1 (reported) when missing or unknown. */
static int obl_party(checker *c, const obligation_decl *o, const name_ref *r, const char *item) {
  if (!r->name) return diag_error(c->d, o->at, "obligation '%s' has no '%s'", o->name, item);
  if (!sym_get(&c->parties, r->name)) return diag_error(c->d, r->at, "unknown party '%s'", r->name);
  return 0;
}

/* `where event.F == trigger.G`: both fields exist and hold values that can be matched. */
static int check_obl_where(checker *c, obligation_decl *o, const event_decl *trig, const event_decl *ful) {
  char ta[160], tb[160];
  type_ref tf, tg;
  o->ful_key_field = obl_field(c, ful, &o->ful_key, 1, &tf);
  if (o->ful_key_field < 0) return -1;
  if (trig) {
    o->trig_key_field = obl_field(c, trig, &o->trig_key, 1, &tg);
    if (o->trig_key_field < 0) return -1;
  } else if (strcmp(o->trig_key.name, "seq") == 0) {
    /* A period's number (1, 2, ...) or, for `at`, 1. */
    memset(&tg, 0, sizeof tg);
    tg.kind = TY_INTEGER;
    o->trig_key_field = 0;
  } else {
    return diag_error(c->d, o->trig_key.at, "'trigger.%s': the trigger of an '%s' obligation has only 'trigger.seq'",
                      o->trig_key.name, o->trigger == OBT_EVERY ? "every" : "at");
  }
  if (tf.kind == TY_STRING || tg.kind == TY_STRING)
    return diag_error(c->d, tf.kind == TY_STRING ? o->ful_key.at : o->trig_key.at,
                      "strings cannot be matched between events; match an integer, enum, date or ref field");
  /* `trigger.seq` is a ref to the trigger's event type (its seq), or an integer (a period's number). */
  if (!same_type(tf, tg))
    return diag_error(c->d, o->ful_key.at, "type mismatch: cannot match 'event.%s' (%s) with 'trigger.%s' (%s)",
                      o->ful_key.name, type_name(tf, ta, sizeof ta), o->trig_key.name, type_name(tg, tb, sizeof tb));
  return 0;
}

static int check_obligation(checker *c, obligation_decl *o) {
  int rc = 0;
  o->trig_key_field = o->ful_key_field = o->count_field = o->amount_field = -1;
  if (dup(c, &c->clauses, o->name, o->at, o, "clause")) rc = -1;
  if (obl_party(c, o, &o->owed_by, "owed_by")) rc = -1;
  if (obl_party(c, o, &o->owed_to, "owed_to")) rc = -1;
  event_decl *trig = NULL, *ful = NULL;
  switch (o->trigger) {
  case OBT_NONE:
    rc = diag_error(c->d, o->at, "obligation '%s' has no trigger: add 'on EVENT', 'every month|quarter|year from DAY' or 'at DAY'",
                    o->name);
    break;
  case OBT_EVENT:
    if (!(trig = obl_event(c, &o->on_event))) rc = -1;
    else if (o->on_when) {
      scope s = {NULL, trig, "an obligation's trigger"};
      if (check_cond(c, &s, o->on_when)) rc = -1;
    }
    break;
  case OBT_EVERY:
    if (o->from_effective) {
      if (!c->f->has_effective)
        rc = diag_error(c->d, o->from_at, "'from effective': the agreement's header gives no 'effective' date");
      o->from = c->f->effective;
    }
    if (o->has_until && o->until < o->from)
      rc = diag_error(c->d, o->until_at, "obligation '%s' recurs until a day before it starts", o->name);
    break;
  case OBT_AT:
    break;
  }
  if (!o->has_due) {
    rc = diag_error(c->d, o->at, "obligation '%s' has no deadline: add 'due DAY' or 'due N days after trigger'", o->name);
  } else if (o->due_relative) {
    /* Deadlines stay within the calendar (years 1..9999): at most 100 years after the trigger. */
    static const int64_t most[] = {[OBU_DAY] = 36524, [OBU_WEEK] = 5217, [OBU_MONTH] = 1200, [OBU_YEAR] = 100,
                                   [OBU_BDAY] = 26087};
    if (o->due_count < 0 || o->due_count > most[o->due_unit])
      rc = diag_error(c->d, o->due_at, "a deadline is at most 100 years after its trigger (%lld %s here)",
                      (long long)most[o->due_unit],
                      o->due_unit == OBU_DAY ? "days" : o->due_unit == OBU_WEEK ? "weeks" : o->due_unit == OBU_MONTH ? "months"
                      : o->due_unit == OBU_YEAR ? "years" : "business days");
  }
  if (o->amount == OBA_FACT) {
    fact_decl *fa = sym_get(&c->facts, o->amount_ref.name);
    if (!fa) {
      rc = diag_error(c->d, o->amount_ref.at, "unknown fact '%s'", o->amount_ref.name);
    } else if (fa->value->type.kind != TY_MONEY && fa->value->type.kind != TY_INTEGER) {
      rc = diag_error(c->d, o->amount_ref.at, "fact '%s' is not money or an integer, so it cannot be an amount", fa->name);
    } else {
      o->amount_value = fa->value->value;
      o->amount_money = fa->value->type.kind == TY_MONEY;
    }
  } else if (o->amount == OBA_FIELD) {
    if (o->trigger != OBT_EVENT) {
      rc = diag_error(c->d, o->amount_at, "'event.%s': only an obligation triggered 'on' an event can read its fields",
                      o->amount_ref.name);
    } else if (trig) {
      type_ref t;
      o->amount_field = obl_field(c, trig, &o->amount_ref, 0, &t);
      if (o->amount_field < 0) rc = -1;
      else if (t.kind != TY_MONEY && t.kind != TY_INTEGER)
        rc = diag_error(c->d, o->amount_ref.at, "field '%s.%s' is not money or an integer, so it cannot be an amount",
                        trig->name, o->amount_ref.name);
      else o->amount_money = t.kind == TY_MONEY;
    }
  }
  if (o->amount != OBA_NONE && o->amount != OBA_FIELD && o->amount_value < 0)
    rc = diag_error(c->d, o->amount_at, "an obligation's amount cannot be negative");
  if (!o->ful_event.name) {
    rc = diag_error(c->d, o->at, "obligation '%s' has no 'fulfilled by EVENT'", o->name);
  } else if (!(ful = obl_event(c, &o->ful_event))) {
    rc = -1;
  } else {
    int trigger_known = o->trigger == OBT_EVERY || o->trigger == OBT_AT || trig;
    if (o->has_where && trigger_known && check_obl_where(c, o, trig, ful)) rc = -1;
    if (o->counting.name) {
      type_ref t;
      o->count_field = obl_field(c, ful, &o->counting, 0, &t);
      if (o->count_field < 0) rc = -1;
      else if (o->amount == OBA_NONE)
        rc = diag_error(c->d, o->counting.at, "'counting %s' needs an amount to count toward: add 'amount'", o->counting.name);
      else if (t.kind != (o->amount_money ? TY_MONEY : TY_INTEGER))
        rc = diag_error(c->d, o->counting.at, "field '%s.%s' must be %s to count toward '%s'", ful->name, o->counting.name,
                        o->amount_money ? "money" : "an integer", o->name);
    }
  }
  if (o->dis_event.name && !obl_event(c, &o->dis_event)) rc = -1;
  if (check_citations(c, o->cites, o->at, "obligation", o->name)) rc = -1;
  return rc;
}

static int check_obligations(checker *c) {
  int rc = 0;
  for (obligation_decl *o = c->f->obligations; o; o = o->next)
    if (check_obligation(c, o)) rc = -1;
  return rc;
}

int check_file(ast_file *f, arena *ar, diag_list *diags) {
  checker c;
  memset(&c, 0, sizeof c);
  c.f = f;
  c.ar = ar;
  c.d = diags;
  int n[10] = {0};
  for (party_decl *x = f->parties; x; x = x->next) n[0]++;
  for (source_decl *x = f->sources; x; x = x->next) n[1]++;
  for (action_decl *x = f->actions; x; x = x->next) n[2]++;
  for (state_decl *x = f->states; x; x = x->next) n[3]++;
  for (event_decl *x = f->events; x; x = x->next) n[4]++;
  for (clause_decl *x = f->clauses; x; x = x->next) n[5]++;
  for (obligation_decl *x = f->obligations; x; x = x->next) n[5]++;
  for (fact_decl *x = f->facts; x; x = x->next) n[6]++;
  for (commitment_decl *x = f->commitments; x; x = x->next) n[7]++;
  for (body_decl *x = f->bodies; x; x = x->next) n[8]++;
  for (set_decl *x = f->sets; x; x = x->next) n[9]++;
  if (sym_init(&c.parties, ar, n[0]) || sym_init(&c.sources, ar, n[1]) ||
      sym_init(&c.actions, ar, n[2]) || sym_init(&c.states, ar, n[3]) ||
      sym_init(&c.events, ar, n[4]) || sym_init(&c.clauses, ar, n[5]) ||
      sym_init(&c.facts, ar, n[6]) || sym_init(&c.commits, ar, n[7]) || sym_init(&c.bodies, ar, n[8]) ||
      sym_init(&c.sets, ar, n[9]))
    return diag_oom(diags, f->at);
  int rc = check_header(&c);
  for (party_decl *p = f->parties; p; p = p->next)
    if (dup(&c, &c.parties, p->name, p->at, p, "party")) rc = -1;
  for (source_decl *s = f->sources; s; s = s->next)
    if (dup(&c, &c.sources, s->name, s->at, s, "source")) rc = -1;
  if (check_facts(&c)) rc = -1;
  if (check_sets(&c)) rc = -1;
  if (check_term(&c)) rc = -1;
  if (check_actions(&c)) rc = -1;
  if (check_states_and_events(&c)) rc = -1;
  if (check_clauses(&c)) rc = -1;
  if (check_commitments(&c)) rc = -1;
  if (check_obligations(&c)) rc = -1;
  if (check_bodies(&c)) rc = -1;
  return rc || diags->errors ? -1 : 0;
}
