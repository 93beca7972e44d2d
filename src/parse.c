/*
** parse.c: the `.pact` parser. A recursive-descent parser over lex.c's tokens that builds
** the tree of ast.h. Each function opens with the grammar rule it parses (docs/language.md
** has the whole grammar). After a syntax error the parser skips to the next top-level
** declaration, so one run reports an error in each broken declaration.
*/
#include "ast.h"
#include "date.h"
#include "num.h"

#include <stdio.h>

#include <string.h>
#include "banned.h"

#define MAX_DEPTH 256   /* parentheses and `not` nesting */
#define MAX_HEIGHT 2048 /* height of a condition's tree, and/or chains included */

typedef struct parser {
  lexer lx;
  token tok;        /* the current token */
  arena *ar;
  diag_list *diags;
  int depth;        /* braces open */
  int nest;         /* expression nesting */
  int oom;
} parser;

static void advance(parser *p) {
  if (p->tok.kind == TK_LBRACE) p->depth++;
  else if (p->tok.kind == TK_RBRACE && p->depth > 0) p->depth--;
  p->tok = lex_next(&p->lx);
}

static void *node(parser *p, size_t n) {
  void *x = arena_alloc(p->ar, n);
  if (!x && !p->oom) {
    p->oom = 1;
    diag_oom(p->diags, p->tok.at);
  }
  return x;
}

/* Describe the current token for "expected X, found Y" messages. */
static void found(parser *p, char *out, size_t cap) {
  const token *t = &p->tok;
  if (t->kind == TK_IDENT || t->kind == TK_INT || t->kind == TK_DATE || t->kind == TK_MONEY || t->kind == TK_DECIMAL) {
    int n = (int)(t->at.len > 40 ? 40 : t->at.len);
    snprintf(out, cap, "'%.*s'", n, t->text);
  } else {
    snprintf(out, cap, "%s", lex_kind_name(t->kind));
  }
}

static int expected(parser *p, const char *what) {
  if (p->tok.kind == TK_ERROR) return -1; /* the lexer has reported it */
  char f[64];
  found(p, f, sizeof f);
  return diag_error(p->diags, p->tok.at, "expected %s, found %s", what, f);
}

static int accept(parser *p, tok_kind k) {
  if (p->tok.kind != k) return 0;
  advance(p);
  return 1;
}

static int expect(parser *p, tok_kind k, const char *what) {
  if (accept(p, k)) return 0;
  return expected(p, what);
}

static int accept_word(parser *p, const char *w) {
  if (!lex_is(&p->tok, w)) return 0;
  advance(p);
  return 1;
}

static int expect_word(parser *p, const char *w) {
  if (accept_word(p, w)) return 0;
  char what[48];
  snprintf(what, sizeof what, "'%s'", w);
  return expected(p, what);
}

/* An identifier; its text is copied into the arena. */
static int ident(parser *p, const char **name /* OUT */, loc *at /* OUT */, const char *what) {
  if (p->tok.kind != TK_IDENT) return expected(p, what);
  *name = arena_strndup(p->ar, p->tok.text, p->tok.at.len);
  if (!*name) {
    p->oom = 1;
    return diag_oom(p->diags, p->tok.at);
  }
  if (at) *at = p->tok.at;
  advance(p);
  return 0;
}

static int string(parser *p, const char **s /* OUT */, const char *what) {
  if (p->tok.kind != TK_STRING) return expected(p, what);
  *s = p->tok.str;
  advance(p);
  return 0;
}

static int name_ref_one(parser *p, name_ref *r, const char *what) {
  return ident(p, &r->name, &r->at, what);
}

/* ident_list = ident , { "," , ident } */
static int ident_list(parser *p, name_ref **head, const char *what) {
  name_ref **tail = head;
  do {
    name_ref *r = node(p, sizeof *r);
    if (!r || name_ref_one(p, r, what)) return -1;
    *tail = r;
    tail = &r->next;
  } while (accept(p, TK_COMMA));
  return 0;
}

/* ---- Types and literals ------------------------------------------------------------- */

/*
** type = "bool" | "string" | "integer" | "decimal" | "money" | "date" | "duration"
**      | "enum" "{" ident { "," ident } "}" | "ref" ident
*/
static int parse_type(parser *p, type_ref *t) {
  static const struct { const char *w; type_kind k; } simple[] = {
      {"bool", TY_BOOL}, {"string", TY_STRING}, {"integer", TY_INTEGER},
      {"money", TY_MONEY}, {"date", TY_DATE}, {"decimal", TY_DECIMAL}, {"duration", TY_DURATION}};
  for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
    if (accept_word(p, simple[i].w)) {
      t->kind = simple[i].k;
      return 0;
    }
  }
  if (accept_word(p, "ref")) {
    if (ident(p, &t->target, &t->target_at, "the event type a 'ref' refers to")) return -1;
    t->kind = TY_REF;
    return 0;
  }
  if (!accept_word(p, "enum"))
    return expected(p, "a type (bool, string, integer, decimal, money, date, duration, enum or ref)");
  if (expect(p, TK_LBRACE, "'{' after 'enum'")) return -1;
  enum_def *en = node(p, sizeof *en);
  if (!en) return -1;
  int cap = 8;
  en->names = node(p, sizeof(char *) * (size_t)cap);
  en->at = node(p, sizeof(loc) * (size_t)cap);
  if (!en->names || !en->at) return -1;
  do {
    if (en->n == cap) {
      const char **nn = node(p, sizeof(char *) * (size_t)cap * 2);
      loc *na = node(p, sizeof(loc) * (size_t)cap * 2);
      if (!nn || !na) return -1;
      memcpy(nn, en->names, sizeof(char *) * (size_t)cap);
      memcpy(na, en->at, sizeof(loc) * (size_t)cap);
      en->names = nn;
      en->at = na;
      cap *= 2;
    }
    if (ident(p, &en->names[en->n], &en->at[en->n], "an enum member")) return -1;
    en->n++;
  } while (accept(p, TK_COMMA));
  if (expect(p, TK_RBRACE, "',' or '}' in enum")) return -1;
  t->kind = TY_ENUM;
  t->en = en;
  return 0;
}

/*
** The unit after a count: `30 days`, `1 month`, `10 business days` (a duration, num.h). Called
** with the count read; e is the literal, its value set here. 0 if no unit follows (a plain
** integer), 1 if one did, -1 after an error.
*/
static int parse_unit(parser *p, expr *e) {
  if (p->tok.kind != TK_IDENT) return 0;
  int unit = num_unit_word(p->tok.text, p->tok.at.len);
  if (unit == -1) return 0;
  loc at = p->tok.at;
  advance(p);
  if (unit == -2) {
    if (p->tok.kind != TK_IDENT || num_unit_word(p->tok.text, p->tok.at.len) != NUM_DAYS) {
      expected(p, "'days' after 'business'");
      return -1;
    }
    at = p->tok.at;
    advance(p);
    unit = NUM_BUSINESS_DAYS;
  }
  if (num_duration(e->num, unit, &e->num)) {
    diag_error(p->diags, e->at, "a duration counts at most 10,000,000 units");
    return -1;
  }
  e->duration = 1;
  e->end = at.off + at.len;
  e->at.len = e->end - e->start; /* the caret covers the count and its unit */
  return 1;
}

/*
** literal = string | [ "-" ] number | integer unit | money | date | "true" | "false" | ident
** number = integer | decimal | money
** unit = "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years"
**      | "business" ( "day" | "days" )
*/
static expr *parse_literal(parser *p) {
  expr *e = node(p, sizeof *e);
  if (!e) return NULL;
  e->kind = EX_LIT;
  e->at = p->tok.at;
  e->start = p->tok.at.off;
  int neg = 0;
  if (p->tok.kind == TK_MINUS) {
    advance(p);
    if (p->tok.kind != TK_INT && p->tok.kind != TK_DECIMAL && p->tok.kind != TK_MONEY) {
      expected(p, "a number after '-'");
      return NULL;
    }
    neg = 1;
  }
  switch (p->tok.kind) {
  case TK_STRING:
    e->str = p->tok.str;
    e->str_len = p->tok.str_len;
    break;
  case TK_INT:
  case TK_DECIMAL:
  case TK_MONEY:
  case TK_DATE:
    e->num = neg ? -p->tok.num : p->tok.num;
    break;
  case TK_IDENT:
    e->str = arena_strndup(p->ar, p->tok.text, p->tok.at.len);
    if (!e->str) {
      p->oom = 1;
      diag_oom(p->diags, p->tok.at);
      return NULL;
    }
    e->str_len = p->tok.at.len;
    break;
  default:
    expected(p, "a literal value");
    return NULL;
  }
  e->lit = p->tok.kind;
  e->end = p->tok.at.off + p->tok.at.len;
  e->at.len = e->end - e->start;
  if (e->at.line != p->tok.at.line) e->at.len = 1;
  advance(p);
  if (e->lit == TK_INT && !neg && parse_unit(p, e) < 0) return NULL;
  return e;
}

/* ---- Expressions -------------------------------------------------------------------- */

static expr *parse_expr(parser *p);

static expr *binary(parser *p, expr_kind k, loc at, expr *a, expr *b) {
  uint32_t ha = a->depth ? a->depth : 1, hb = b ? (b->depth ? b->depth : 1) : 0;
  uint32_t h = 1 + (ha > hb ? ha : hb);
  if (h > MAX_HEIGHT) {
    diag_error(p->diags, at, "condition too long: more than %d operators deep; split it into several clauses", MAX_HEIGHT);
    return NULL;
  }
  expr *e = node(p, sizeof *e);
  if (!e) return NULL;
  e->depth = h;
  e->kind = k;
  e->at = at;
  e->a = a;
  e->b = b;
  e->start = a->start;
  e->end = b ? b->end : a->end;
  return e;
}

static expr *parse_sum(parser *p);

/* 1 if the current token is the word w and the next byte after it (blanks skipped) is '('. */
static int at_call(parser *p, const char *w) {
  if (!lex_is(&p->tok, w)) return 0;
  size_t i = p->tok.at.off + p->tok.at.len;
  while (i < p->lx.len && (p->lx.src[i] == ' ' || p->lx.src[i] == '\t')) i++;
  return i < p->lx.len && p->lx.src[i] == '(';
}

/* call = ( "min" | "max" ) "(" sum "," sum ")" */
static expr *parse_call(parser *p) {
  loc at = p->tok.at;
  const char *name = lex_is(&p->tok, "min") ? "min" : "max";
  advance(p);
  if (expect(p, TK_LPAREN, "'('")) return NULL;
  if (++p->nest > MAX_DEPTH) {
    diag_error(p->diags, at, "condition nested too deeply (more than %d levels)", MAX_DEPTH);
    return NULL;
  }
  expr *a = parse_sum(p);
  if (!a || expect(p, TK_COMMA, "',' and the second value")) return NULL;
  expr *b = parse_sum(p);
  p->nest--;
  if (!b) return NULL;
  uint32_t end = p->tok.at.off + p->tok.at.len;
  if (expect(p, TK_RPAREN, "')' after the second value")) return NULL;
  expr *e = binary(p, EX_CALL, at, a, b);
  if (!e) return NULL;
  e->name = name;
  e->start = at.off;
  e->end = end;
  return e;
}

/*
** operand = "(" expr ")" | call | ( "resource" | "context" | "event" ) "." ident | "date" | ident
**         | literal | "recorded" "by" ident
*/
static expr *parse_operand(parser *p) {
  if (p->tok.kind == TK_LPAREN) {
    uint32_t start = p->tok.at.off;
    advance(p);
    expr *e = parse_expr(p);
    if (!e) return NULL;
    uint32_t end = p->tok.at.off + p->tok.at.len;
    if (expect(p, TK_RPAREN, "')'")) return NULL;
    e->start = start;
    e->end = end;
    return e;
  }
  if (p->tok.kind != TK_IDENT) {
    if (p->tok.kind == TK_STRING || p->tok.kind == TK_INT || p->tok.kind == TK_MONEY ||
        p->tok.kind == TK_DECIMAL || p->tok.kind == TK_DATE)
      return parse_literal(p);
    expected(p, "a condition or value");
    return NULL;
  }
  if (lex_is(&p->tok, "true") || lex_is(&p->tok, "false")) return parse_literal(p);
  if (at_call(p, "min") || at_call(p, "max")) return parse_call(p);
  expr *e = node(p, sizeof *e);
  if (!e) return NULL;
  e->kind = EX_REF;
  e->at = p->tok.at;
  e->start = p->tok.at.off;
  e->end = p->tok.at.off + p->tok.at.len;
  ref_scope scope = REF_NAME;
  if (lex_is(&p->tok, "resource")) scope = REF_RESOURCE;
  else if (lex_is(&p->tok, "context")) scope = REF_CONTEXT;
  else if (lex_is(&p->tok, "event")) scope = REF_EVENT;
  else if (lex_is(&p->tok, "date")) scope = REF_DATE;
  if (scope == REF_NAME || scope == REF_DATE) {
    e->scope = scope;
    if (ident(p, &e->name, NULL, "a name")) return NULL;
    /* `recorded by NAME`: a name followed by another word is otherwise a syntax error. */
    if (scope == REF_NAME && strcmp(e->name, "recorded") == 0 && accept_word(p, "by")) {
      loc at;
      if (ident(p, &e->name, &at, "a party or body after 'recorded by'")) return NULL;
      e->kind = EX_RECORDED;
      e->end = at.off + at.len;
      if (at.line == e->at.line) e->at.len = e->end - e->start; /* the caret covers the whole condition */
    }
    return e;
  }
  advance(p);
  if (expect(p, TK_DOT, "'.' after a scope name")) return NULL;
  loc at;
  if (ident(p, &e->name, &at, "an attribute name")) return NULL;
  e->scope = scope;
  e->end = at.off + at.len;
  /* context.date is the request's date. */
  if (scope == REF_CONTEXT && strcmp(e->name, "date") == 0) e->scope = REF_DATE;
  return e;
}

/* The tail of `A in NAME`: a named set, whose members check.c copies into the list. */
static expr *parse_in_set(parser *p, loc at, expr *a) {
  expr *e = binary(p, EX_IN, at, a, NULL);
  if (!e) return NULL;
  e->set_at = p->tok.at;
  if (ident(p, &e->set_name, NULL, "a set's name")) return NULL;
  e->end = e->set_at.off + e->set_at.len;
  return e;
}

/* unary = "-" unary | operand */
static expr *parse_unary(parser *p) {
  if (p->tok.kind != TK_MINUS) return parse_operand(p);
  loc at = p->tok.at;
  advance(p);
  if (++p->nest > MAX_DEPTH) {
    diag_error(p->diags, at, "condition nested too deeply (more than %d levels)", MAX_DEPTH);
    return NULL;
  }
  expr *a = parse_unary(p);
  p->nest--;
  if (!a) return NULL;
  /* A minus before a number literal is part of the literal. */
  if (a->kind == EX_LIT && !a->duration && (a->lit == TK_INT || a->lit == TK_DECIMAL || a->lit == TK_MONEY) &&
      a->start == at.off + 1) {
    a->num = -a->num;
    a->start = at.off;
    a->at = at;
    a->at.len = a->end - a->start;
    return a;
  }
  expr *e = binary(p, EX_ARITH, at, a, NULL);
  if (!e) return NULL;
  e->op = TK_MINUS;
  e->start = at.off;
  return e;
}

/* product = unary { ( "*" | "/" ) unary } */
static expr *parse_product(parser *p) {
  expr *e = parse_unary(p);
  while (e && (p->tok.kind == TK_STAR || p->tok.kind == TK_SLASH)) {
    loc at = p->tok.at;
    tok_kind op = p->tok.kind;
    advance(p);
    expr *b = parse_unary(p);
    e = b ? binary(p, EX_ARITH, at, e, b) : NULL;
    if (e) e->op = op;
  }
  return e;
}

/* sum = product { ( "+" | "-" ) product } */
static expr *parse_sum(parser *p) {
  expr *e = parse_product(p);
  while (e && (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS)) {
    loc at = p->tok.at;
    tok_kind op = p->tok.kind;
    advance(p);
    expr *b = parse_product(p);
    e = b ? binary(p, EX_ARITH, at, e, b) : NULL;
    if (e) e->op = op;
  }
  return e;
}

/* comparison = sum [ relop sum | "in" ( "[" literal { "," literal } "]" | ident ) ] */
static expr *parse_comparison(parser *p) {
  expr *a = parse_sum(p);
  if (!a) return NULL;
  tok_kind k = p->tok.kind;
  if (k == TK_EQ || k == TK_NE || k == TK_LT || k == TK_LE || k == TK_GT || k == TK_GE) {
    loc at = p->tok.at;
    advance(p);
    expr *b = parse_sum(p);
    if (!b) return NULL;
    expr *e = binary(p, EX_CMP, at, a, b);
    if (e) e->op = k;
    return e;
  }
  if (k == TK_ASSIGN) {
    diag_error(p->diags, p->tok.at, "'=' is not a comparison; write '=='");
    return NULL;
  }
  if (lex_is(&p->tok, "in")) {
    loc at = p->tok.at;
    advance(p);
    if (p->tok.kind == TK_IDENT) return parse_in_set(p, at, a);
    if (expect(p, TK_LBRACKET, "'[' or a set's name after 'in'")) return NULL;
    expr *e = binary(p, EX_IN, at, a, NULL);
    if (!e) return NULL;
    int cap = 0;
    do {
      expr *lit = parse_literal(p);
      if (!lit) return NULL;
      if (e->nitems == cap) {
        int ncap = cap ? cap * 2 : 4;
        expr **items = node(p, sizeof(expr *) * (size_t)ncap);
        if (!items) return NULL;
        if (cap) memcpy(items, e->items, sizeof(expr *) * (size_t)cap);
        e->items = items;
        cap = ncap;
      }
      e->items[e->nitems++] = lit;
    } while (accept(p, TK_COMMA));
    e->end = p->tok.at.off + p->tok.at.len;
    if (expect(p, TK_RBRACKET, "',' or ']'")) return NULL;
    return e;
  }
  return a;
}

/* negation = "not" negation | comparison */
static expr *parse_negation(parser *p) {
  if (lex_is(&p->tok, "not")) {
    loc at = p->tok.at;
    uint32_t start = at.off;
    advance(p);
    if (++p->nest > MAX_DEPTH) {
      diag_error(p->diags, at, "condition nested too deeply (more than %d levels)", MAX_DEPTH);
      return NULL;
    }
    expr *a = parse_negation(p);
    p->nest--;
    if (!a) return NULL;
    expr *e = binary(p, EX_NOT, at, a, NULL);
    if (e) e->start = start;
    return e;
  }
  return parse_comparison(p);
}

/* conjunction = negation { "and" negation } */
static expr *parse_conjunction(parser *p) {
  expr *e = parse_negation(p);
  while (e && lex_is(&p->tok, "and")) {
    loc at = p->tok.at;
    advance(p);
    expr *b = parse_negation(p);
    e = b ? binary(p, EX_AND, at, e, b) : NULL;
  }
  return e;
}

/* expr = conjunction { "or" conjunction } */
static expr *parse_expr(parser *p) {
  if (++p->nest > MAX_DEPTH) {
    diag_error(p->diags, p->tok.at, "condition nested too deeply (more than %d levels)", MAX_DEPTH);
    return NULL;
  }
  expr *e = parse_conjunction(p);
  while (e && lex_is(&p->tok, "or")) {
    loc at = p->tok.at;
    advance(p);
    expr *b = parse_conjunction(p);
    e = b ? binary(p, EX_OR, at, e, b) : NULL;
  }
  p->nest--;
  return e;
}

/* ---- Declarations ------------------------------------------------------------------- */

/* citation = "quote" ident string */
static int parse_citation(parser *p, citation ***tail) {
  citation *c = node(p, sizeof *c);
  if (!c) return -1;
  if (ident(p, &c->source, &c->at, "a source id after 'quote'")) return -1;
  c->text_at = p->tok.at;
  if (p->tok.kind != TK_STRING) return expected(p, "the quoted source text");
  c->text = p->tok.str;
  c->text_len = p->tok.str_len;
  advance(p);
  **tail = c;
  *tail = &c->next;
  return 0;
}

static int parse_note(parser *p, note ***tail) {
  note *n = node(p, sizeof *n);
  if (!n || string(p, &n->text, "the note's text")) return -1;
  **tail = n;
  *tail = &n->next;
  return 0;
}

/* day = date | integer (a bare year) */
static int parse_day(parser *p, int32_t *day, loc *at, int last_day_of_year) {
  *at = p->tok.at;
  if (p->tok.kind == TK_DATE) {
    *day = (int32_t)p->tok.num;
    advance(p);
    return 0;
  }
  if (p->tok.kind == TK_INT) {
    int64_t y = p->tok.num;
    if (y < 1 || y > 9999) return diag_error(p->diags, p->tok.at, "year %lld is out of range 1..9999", (long long)y);
    *day = last_day_of_year ? date_from_ymd((int)y, 12, 31) : date_from_ymd((int)y, 1, 1);
    advance(p);
    return 0;
  }
  return expected(p, "a date (YYYY-MM-DD) or a year");
}

/*
** header = "agreement" string "{" { "version" string | "title" string | "effective" date
**                                  | "supersedes" string } "}"
*/
static int parse_header(parser *p, ast_file *f) {
  f->at = p->tok.at;
  if (expect_word(p, "agreement")) return -1;
  if (string(p, &f->id, "the agreement id as a string")) return -1;
  if (expect(p, TK_LBRACE, "'{' after the agreement id")) return -1;
  while (!accept(p, TK_RBRACE)) {
    token item = p->tok;
    if (accept_word(p, "version")) {
      if (f->version) return diag_error(p->diags, item.at, "the header gives 'version' twice");
      if (string(p, &f->version, "the version as a string")) return -1;
    } else if (accept_word(p, "title")) {
      if (f->title) return diag_error(p->diags, item.at, "the header gives 'title' twice");
      if (string(p, &f->title, "the title as a string")) return -1;
    } else if (accept_word(p, "effective")) {
      if (f->has_effective) return diag_error(p->diags, item.at, "the header gives 'effective' twice");
      if (p->tok.kind != TK_DATE) return expected(p, "the effective date (YYYY-MM-DD)");
      f->effective = (int32_t)p->tok.num;
      f->has_effective = 1;
      advance(p);
    } else if (accept_word(p, "supersedes")) {
      if (f->supersedes) return diag_error(p->diags, item.at, "the header gives 'supersedes' twice");
      f->supersedes_at = p->tok.at;
      if (string(p, &f->supersedes, "the superseded version as a string \"ID@VERSION\"")) return -1;
    } else {
      return expected(p, "'version', 'title', 'effective', 'supersedes' or '}'");
    }
  }
  return 0;
}

/* party = "party" ident [ string ] */
static int parse_party(parser *p, ast_file *f, party_decl ***tail) {
  (void)f;
  party_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the party's id")) return -1;
  if (p->tok.kind == TK_STRING && string(p, &d->title, "")) return -1;
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* source = "source" ident confidence string [ string ] */
static int parse_source(parser *p, source_decl ***tail) {
  source_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the source's id")) return -1;
  if (accept_word(p, "official")) d->conf = CONF_OFFICIAL;
  else if (accept_word(p, "press")) d->conf = CONF_PRESS;
  else if (accept_word(p, "seed")) d->conf = CONF_SEED;
  else return expected(p, "a confidence: official, press or seed");
  if (string(p, &d->ref, "the source's reference (file or address) as a string")) return -1;
  if (p->tok.kind == TK_STRING && string(p, &d->title, "")) return -1;
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* attribute = ( "resource" | "context" ) ident ":" type [ "=" literal ] */
static int parse_attribute(parser *p, action_decl *a, attr_decl ***tail) {
  attr_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  if (accept_word(p, "context")) d->is_context = 1;
  else if (!accept_word(p, "resource")) return expected(p, "'resource', 'context' or '}'");
  if (ident(p, &d->name, &d->at, "the attribute's name")) return -1;
  if (expect(p, TK_COLON, "':' and a type")) return -1;
  if (parse_type(p, &d->type)) return -1;
  if (accept(p, TK_ASSIGN) && !(d->def = parse_literal(p))) return -1;
  a->nattrs++;
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* action = "action" ident "by" ident { "," ident } [ "exhaustive" ] [ "{" { attribute } "}" ] */
static int parse_action(parser *p, action_decl ***tail) {
  action_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the action's name")) return -1;
  if (expect_word(p, "by")) return -1;
  if (ident_list(p, &d->principals, "a party id")) return -1;
  /* The list has no comma before it, so a party called `exhaustive` is still read as a party. */
  if (accept_word(p, "exhaustive")) d->exhaustive = 1;
  if (accept(p, TK_LBRACE)) {
    attr_decl **at = &d->attrs;
    while (!accept(p, TK_RBRACE))
      if (parse_attribute(p, d, &at)) return -1;
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* state = "state" ident ":" type "=" literal | "state" ident ":" "ref" ident [ "=" literal ] */
static int parse_state(parser *p, state_decl ***tail) {
  state_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the state variable's name")) return -1;
  if (expect(p, TK_COLON, "':' and a type")) return -1;
  if (parse_type(p, &d->type)) return -1;
  /* A ref may leave out its initial value: it starts at 0, no event. */
  if (d->type.kind != TY_REF || p->tok.kind == TK_ASSIGN) {
    if (expect(p, TK_ASSIGN, "'=' and the initial value")) return -1;
    if (!(d->init = parse_literal(p))) return -1;
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* event = "event" ident [ "recorded" "by" ident { "," ident } ] "{" { ident ":" type } "}" */
static int parse_event(parser *p, event_decl ***tail) {
  event_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the event type's name")) return -1;
  if (accept_word(p, "recorded")) {
    if (expect_word(p, "by")) return -1;
    if (ident_list(p, &d->recorders, "a party or body that may record this event")) return -1;
  }
  if (expect(p, TK_LBRACE, "'{' and the event's fields")) return -1;
  field_decl **ft = &d->fields;
  while (!accept(p, TK_RBRACE)) {
    field_decl *fd = node(p, sizeof *fd);
    if (!fd || ident(p, &fd->name, &fd->at, "a field name or '}'")) return -1;
    if (expect(p, TK_COLON, "':' and a type")) return -1;
    if (parse_type(p, &fd->type)) return -1;
    accept(p, TK_COMMA);
    d->nfields++;
    *ft = fd;
    ft = &fd->next;
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/*
** transition = "on" ident "{" { "require" expr "else" string | "set" ident "=" expr [ "when" expr ]
**                             | citation | "note" string } "}"
*/
static int parse_transition(parser *p, transition_decl ***tail) {
  transition_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->event, &d->at, "an event type after 'on'")) return -1;
  if (expect(p, TK_LBRACE, "'{' and the transition's statements")) return -1;
  stmt **st = &d->stmts;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
      continue;
    }
    if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
      continue;
    }
    stmt *s = node(p, sizeof *s);
    if (!s) return -1;
    s->at = p->tok.at;
    if (accept_word(p, "require")) {
      s->kind = ST_REQUIRE;
      if (!(s->cond = parse_expr(p))) return -1;
      if (expect_word(p, "else")) return -1;
      if (string(p, &s->reason, "the reason given when the requirement fails")) return -1;
    } else if (accept_word(p, "set")) {
      s->kind = ST_SET;
      if (ident(p, &s->var, &s->var_at, "a state variable")) return -1;
      if (expect(p, TK_ASSIGN, "'='")) return -1;
      if (!(s->value = parse_expr(p))) return -1;
      if (accept_word(p, "when") && !(s->cond = parse_expr(p))) return -1;
    } else {
      return expected(p, "'require', 'set', 'quote', 'note' or '}'");
    }
    *st = s;
    st = &s->next;
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/*
** clause = kind ident "{" "principal" ident "action" ident { clause_item } "}"
** clause_item = "when" expr | "requires" expr | "from" day | "through" day | "while" expr
**             | "until" expr | "exception" "to" ident { "," ident } | citation | "note" string
*/
static int parse_clause_rest(parser *p, clause_decl *d, clause_decl ***tail);
static int parse_clause(parser *p, clause_kind kind, clause_decl ***tail) {
  clause_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  d->kind = kind;
  if (ident(p, &d->name, &d->at, "the clause's id")) return -1;
  if (expect(p, TK_LBRACE, "'{' after the clause's id")) return -1;
  return parse_clause_rest(p, d, tail);
}

/* The rest of a clause, from `principal`: its id and '{' are read. */
static int parse_clause_rest(parser *p, clause_decl *d, clause_decl ***tail) {
  if (expect_word(p, "principal")) return -1;
  if (name_ref_one(p, &d->principal, "the principal's party id")) return -1;
  if (expect_word(p, "action")) return -1;
  if (name_ref_one(p, &d->action, "the action's name")) return -1;
  window_cond **wt = &d->windows;
  name_ref **et = &d->excepts;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    loc at = p->tok.at;
    if (accept_word(p, "when")) {
      if (d->when) return diag_error(p->diags, at, "clause '%s' has two 'when' conditions; join them with 'and'", d->name);
      if (!(d->when = parse_expr(p))) return -1;
    } else if (accept_word(p, "requires")) {
      if (d->requires) return diag_error(p->diags, at, "clause '%s' has two 'requires' conditions; join them with 'and'", d->name);
      d->requires_at = at;
      if (!(d->requires = parse_expr(p))) return -1;
    } else if (accept_word(p, "from")) {
      if (d->has_from) return diag_error(p->diags, at, "clause '%s' has two 'from' dates", d->name);
      if (parse_day(p, &d->from, &d->from_at, 0)) return -1;
      d->has_from = 1;
    } else if (accept_word(p, "through")) {
      if (d->has_through) return diag_error(p->diags, at, "clause '%s' has two 'through' dates", d->name);
      if (parse_day(p, &d->through, &d->through_at, 1)) return -1;
      d->has_through = 1;
    } else if (lex_is(&p->tok, "while") || lex_is(&p->tok, "until")) {
      window_cond *w = node(p, sizeof *w);
      if (!w) return -1;
      w->negate = lex_is(&p->tok, "until");
      w->at = at;
      advance(p);
      if (!(w->cond = parse_expr(p))) return -1;
      *wt = w;
      wt = &w->next;
    } else if (accept_word(p, "exception")) {
      if (expect_word(p, "to")) return -1;
      if (ident_list(p, et, "the id of a clause this one is an exception to")) return -1;
      while (*et) et = &(*et)->next;
    } else if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
    } else if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
    } else if (accept_word(p, "survives")) {
      if (d->survives) return diag_error(p->diags, at, "clause '%s' says 'survives' twice", d->name);
      d->survives = 1;
      d->survives_at = at;
    } else {
      return expected(p, "'when', 'requires', 'from', 'through', 'while', 'until', 'exception', 'survives', 'quote', 'note' or '}'");
    }
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* ---- First-class obligations (obligations.h) ----------------------------------------- */

/*
** duration = integer ( "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years"
**                    | "business" ( "day" | "days" ) )
** A small reader of its own until the expression language has durations.
*/
static int parse_obl_duration(parser *p, int64_t *count, obl_unit *unit) {
  static const struct { const char *w; obl_unit u; } units[] = {
      {"day", OBU_DAY},     {"days", OBU_DAY},     {"week", OBU_WEEK}, {"weeks", OBU_WEEK},
      {"month", OBU_MONTH}, {"months", OBU_MONTH}, {"year", OBU_YEAR}, {"years", OBU_YEAR}};
  if (p->tok.kind != TK_INT) return expected(p, "a number of days, weeks, months or years");
  *count = p->tok.num;
  advance(p);
  if (accept_word(p, "business")) {
    if (!accept_word(p, "days") && !accept_word(p, "day")) return expected(p, "'days' after 'business'");
    *unit = OBU_BDAY;
    return 0;
  }
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (accept_word(p, units[i].w)) {
      *unit = units[i].u;
      return 0;
    }
  return expected(p, "'days', 'weeks', 'months', 'years' or 'business days'");
}

/* "event" "." ident, or "trigger" "." ident: the field's name and where it is. */
static int parse_obl_member(parser *p, const char *scope, name_ref *r) {
  if (expect_word(p, scope)) return -1;
  char what[48];
  snprintf(what, sizeof what, "'.' and a field of the %s", scope);
  if (expect(p, TK_DOT, what)) return -1;
  return name_ref_one(p, r, "a field name");
}

/* One item of an obligation whose trigger is `on`, `every` or `at`; the keyword is current. */
static int parse_obl_trigger(parser *p, obligation_decl *d) {
  loc at = p->tok.at;
  if (d->trigger != OBT_NONE)
    return diag_error(p->diags, at, "obligation '%s' has two triggers; give one of 'on', 'every' or 'at'", d->name);
  d->trigger_at = at;
  if (accept_word(p, "on")) {
    d->trigger = OBT_EVENT;
    if (name_ref_one(p, &d->on_event, "the event type that triggers the obligation")) return -1;
    if (accept_word(p, "when") && !(d->on_when = parse_expr(p))) return -1;
    return 0;
  }
  if (accept_word(p, "at")) {
    d->trigger = OBT_AT;
    return parse_day(p, &d->at_day, &d->from_at, 0);
  }
  advance(p); /* every */
  d->trigger = OBT_EVERY;
  if (accept_word(p, "month")) d->every_months = 1;
  else if (accept_word(p, "quarter")) d->every_months = 3;
  else if (accept_word(p, "year")) d->every_months = 12;
  else return expected(p, "'month', 'quarter' or 'year' after 'every'");
  if (expect_word(p, "from")) return -1;
  if (lex_is(&p->tok, "effective")) {
    d->from_at = p->tok.at;
    d->from_effective = 1;
    advance(p);
  } else if (parse_day(p, &d->from, &d->from_at, 0)) {
    return -1;
  }
  if (accept_word(p, "until")) {
    if (parse_day(p, &d->until, &d->until_at, 1)) return -1;
    d->has_until = 1;
  }
  return 0;
}

/*
** obligation = "obligation" ident "{" "owed_by" ident { obligation_item } "}"
** obligation_item = "owed_to" ident | "what" string
**   | "on" ident [ "when" expr ] | "every" ( "month" | "quarter" | "year" ) "from" ( day | "effective" ) [ "until" day ]
**   | "at" day | "due" ( day | duration "after" "trigger" )
**   | "amount" ( money | integer | ident | "event" "." ident )
**   | "fulfilled" "by" ident [ "where" "event" "." ident "==" "trigger" "." ident ] [ "counting" ident ]
**   | "discharged" "by" ident | citation | "note" string
** The id and '{' are read; the current token is `owed_by`.
*/
static int parse_obligation(parser *p, const char *name, loc name_at, obligation_decl ***tail) {
  obligation_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  d->name = name;
  d->at = name_at;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    loc at = p->tok.at;
    if (accept_word(p, "owed_by")) {
      if (d->owed_by.name) return diag_error(p->diags, at, "obligation '%s' gives 'owed_by' twice", d->name);
      if (name_ref_one(p, &d->owed_by, "the party that owes it")) return -1;
    } else if (accept_word(p, "owed_to")) {
      if (d->owed_to.name) return diag_error(p->diags, at, "obligation '%s' gives 'owed_to' twice", d->name);
      if (name_ref_one(p, &d->owed_to, "the party it is owed to")) return -1;
    } else if (accept_word(p, "what")) {
      if (string(p, &d->what, "what is owed, as a string")) return -1;
    } else if (lex_is(&p->tok, "on") || lex_is(&p->tok, "every") || lex_is(&p->tok, "at")) {
      if (parse_obl_trigger(p, d)) return -1;
    } else if (accept_word(p, "due")) {
      if (d->has_due) return diag_error(p->diags, at, "obligation '%s' has two deadlines", d->name);
      d->has_due = 1;
      d->due_at = p->tok.at;
      if (p->tok.kind == TK_DATE) {
        if (parse_day(p, &d->due_day, &d->due_at, 0)) return -1;
      } else {
        d->due_relative = 1;
        if (parse_obl_duration(p, &d->due_count, &d->due_unit)) return -1;
        if (expect_word(p, "after") || expect_word(p, "trigger")) return -1;
      }
    } else if (accept_word(p, "amount")) {
      if (d->amount != OBA_NONE) return diag_error(p->diags, at, "obligation '%s' has two amounts", d->name);
      d->amount_at = p->tok.at;
      if (p->tok.kind == TK_MONEY || p->tok.kind == TK_INT) {
        d->amount = OBA_LIT;
        d->amount_money = p->tok.kind == TK_MONEY;
        d->amount_value = p->tok.num;
        advance(p);
      } else if (lex_is(&p->tok, "event")) {
        d->amount = OBA_FIELD;
        if (parse_obl_member(p, "event", &d->amount_ref)) return -1;
      } else if (p->tok.kind == TK_IDENT) {
        d->amount = OBA_FACT;
        if (name_ref_one(p, &d->amount_ref, "")) return -1;
      } else {
        return expected(p, "an amount: money, an integer, a fact or event.FIELD");
      }
    } else if (accept_word(p, "fulfilled")) {
      if (d->ful_event.name) return diag_error(p->diags, at, "obligation '%s' has two 'fulfilled by'", d->name);
      if (expect_word(p, "by") || name_ref_one(p, &d->ful_event, "the event type that fulfils it")) return -1;
      if (accept_word(p, "where")) {
        d->has_where = 1;
        if (parse_obl_member(p, "event", &d->ful_key)) return -1;
        if (expect(p, TK_EQ, "'=='")) return -1;
        if (parse_obl_member(p, "trigger", &d->trig_key)) return -1;
      }
      if (accept_word(p, "counting") && name_ref_one(p, &d->counting, "the field that counts toward the amount"))
        return -1;
    } else if (accept_word(p, "discharged")) {
      if (d->dis_event.name) return diag_error(p->diags, at, "obligation '%s' has two 'discharged by'", d->name);
      if (expect_word(p, "by") || name_ref_one(p, &d->dis_event, "the event type that discharges it")) return -1;
    } else if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
    } else if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
    } else {
      return expected(p, "'owed_to', 'what', 'on', 'every', 'at', 'due', 'amount', 'fulfilled', 'discharged', "
                         "'quote', 'note' or '}'");
    }
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/*
** "obligation" ident "{" then either `principal` (an action clause, unchanged) or `owed_by` (a
** first-class obligation).
*/
static int parse_obligation_or_clause(parser *p, clause_decl ***ct, obligation_decl ***ot) {
  const char *name;
  loc at;
  if (ident(p, &name, &at, "the clause's id")) return -1;
  if (expect(p, TK_LBRACE, "'{' after the clause's id")) return -1;
  if (lex_is(&p->tok, "owed_by")) return parse_obligation(p, name, at, ot);
  clause_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  d->kind = CL_OBLIGATION;
  d->name = name;
  d->at = at;
  return parse_clause_rest(p, d, ct);
}

/*
** commitment = "commitment" ident "{" { commitment_item } "}"
** counted    = "counted" "from" ident "." ident [ "since" day ] [ "where" expr ]
*/
static int parse_commitment(parser *p, commitment_decl ***tail) {
  commitment_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the commitment's id")) return -1;
  if (expect(p, TK_LBRACE, "'{' after the commitment's id")) return -1;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    if (accept_word(p, "owed_by")) {
      if (name_ref_one(p, &d->owed_by, "a party id")) return -1;
    } else if (accept_word(p, "owed_to")) {
      if (name_ref_one(p, &d->owed_to, "a party id")) return -1;
    } else if (accept_word(p, "what")) {
      if (string(p, &d->what, "what is owed, as a string")) return -1;
    } else if (lex_is(&p->tok, "total")) {
      advance(p);
      d->total_at = p->tok.at;
      if (p->tok.kind == TK_MONEY) {
        d->total = p->tok.num;
        d->total_is_money = 1;
        d->unit = "USD";
        advance(p);
      } else if (p->tok.kind == TK_INT) {
        d->total = p->tok.num;
        advance(p);
        if (expect_word(p, "unit")) return -1;
        if (string(p, &d->unit, "the unit as a string")) return -1;
      } else {
        return expected(p, "an amount ($N, or N unit \"...\")");
      }
      d->has_total = 1;
    } else if (accept_word(p, "counted")) {
      if (expect_word(p, "from")) return -1;
      if (name_ref_one(p, &d->count_event, "an event type")) return -1;
      if (expect(p, TK_DOT, "'.' and the field counted")) return -1;
      if (name_ref_one(p, &d->count_field, "a field name")) return -1;
      if (accept_word(p, "since")) {
        if (parse_day(p, &d->since, &d->since_at, 0)) return -1;
        d->has_since = 1;
      }
      if (accept_word(p, "where") && !(d->where = parse_expr(p))) return -1;
    } else if (accept_word(p, "deadline")) {
      loc at;
      if (parse_day(p, &d->deadline, &at, 1)) return -1;
      d->has_deadline = 1;
    } else if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
    } else if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
    } else {
      return expected(p, "'owed_by', 'owed_to', 'what', 'total', 'counted', 'deadline', 'quote', 'note' or '}'");
    }
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/*
** fact     = "fact" ident "=" literal "{" { "unit" string | citation | "note" string } "}"
** constant = "constant" ident "=" literal "{" { "unit" string | citation | "note" string } "}"
*/
static int parse_fact(parser *p, fact_decl ***tail, int is_constant) {
  const char *what = is_constant ? "constant" : "fact";
  char msg[64];
  fact_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  d->is_constant = is_constant;
  snprintf(msg, sizeof msg, "the %s's name", what);
  if (ident(p, &d->name, &d->at, msg)) return -1;
  snprintf(msg, sizeof msg, "'=' and the %s's value", what);
  if (expect(p, TK_ASSIGN, msg)) return -1;
  if (!(d->value = parse_literal(p))) return -1;
  if (expect(p, TK_LBRACE, is_constant ? "'{' and the constant's note" : "'{' and the fact's citation")) return -1;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    if (accept_word(p, "unit")) {
      if (string(p, &d->unit, "the unit as a string")) return -1;
    } else if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
    } else if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
    } else {
      return expected(p, "'unit', 'quote', 'note' or '}'");
    }
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* groups = "groups" "{" { ident ":" ident { "," ident } } "}" */
static int parse_body_groups(parser *p, body_decl *d) {
  if (expect(p, TK_LBRACE, "'{' and the body's groups")) return -1;
  body_group **gt = &d->groups;
  while (!accept(p, TK_RBRACE)) {
    body_group *g = node(p, sizeof *g);
    if (!g || ident(p, &g->name, &g->at, "a group's name or '}'")) return -1;
    if (expect(p, TK_COLON, "':' and the group's members")) return -1;
    if (ident_list(p, &g->members, "a member id")) return -1;
    d->ngroups++;
    *gt = g;
    gt = &g->next;
  }
  return 0;
}

/* including = "including" integer "from" ident { "," integer "from" ident } */
static int parse_body_needs(parser *p, body_decl *d) {
  body_need **nt = &d->needs;
  do {
    body_need *n = node(p, sizeof *n);
    if (!n) return -1;
    n->count_at = p->tok.at;
    if (p->tok.kind != TK_INT) return expected(p, "a number of members from a group");
    n->count = p->tok.num;
    advance(p);
    if (expect_word(p, "from")) return -1;
    if (name_ref_one(p, &n->group, "a group of the body")) return -1;
    *nt = n;
    nt = &n->next;
  } while (accept(p, TK_COMMA));
  return 0;
}

/*
** body = "body" ident [ string ] "{" "members" ident { "," ident } [ groups ]
**        "quorum" integer [ including ] { "note" string } "}"
*/
static int parse_body(parser *p, body_decl ***tail) {
  body_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the body's id")) return -1;
  if (p->tok.kind == TK_STRING && string(p, &d->title, "")) return -1;
  if (expect(p, TK_LBRACE, "'{' and the body's members")) return -1;
  if (expect_word(p, "members")) return -1;
  if (ident_list(p, &d->members, "a member id")) return -1;
  for (name_ref *m = d->members; m; m = m->next) d->nmembers++;
  if (accept_word(p, "groups") && parse_body_groups(p, d)) return -1;
  if (expect_word(p, "quorum")) return -1;
  d->quorum_at = p->tok.at;
  if (p->tok.kind != TK_INT) return expected(p, "the quorum, a number of members");
  d->quorum = p->tok.num;
  advance(p);
  if (accept_word(p, "including") && parse_body_needs(p, d)) return -1;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    if (!accept_word(p, "note")) return expected(p, "'note' or '}'");
    if (parse_note(p, &nt)) return -1;
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* set = "set" ident "=" "[" literal { "," literal } "]" [ "{" { citation | "note" string } "}" ] */
static int parse_set(parser *p, set_decl ***tail) {
  set_decl *d = node(p, sizeof *d);
  if (!d || ident(p, &d->name, &d->at, "the set's name")) return -1;
  if (expect(p, TK_ASSIGN, "'=' and the set's members")) return -1;
  if (expect(p, TK_LBRACKET, "'[' and the set's members")) return -1;
  int cap = 0;
  do {
    expr *lit = parse_literal(p);
    if (!lit) return -1;
    if (d->nitems == cap) {
      int ncap = cap ? cap * 2 : 4;
      expr **items = node(p, sizeof(expr *) * (size_t)ncap);
      if (!items) return -1;
      if (cap) memcpy(items, d->items, sizeof(expr *) * (size_t)cap);
      d->items = items;
      cap = ncap;
    }
    d->items[d->nitems++] = lit;
  } while (accept(p, TK_COMMA));
  if (expect(p, TK_RBRACKET, "',' or ']'")) return -1;
  if (accept(p, TK_LBRACE)) {
    citation **ct = &d->cites;
    note **nt = &d->notes;
    while (!accept(p, TK_RBRACE)) {
      if (accept_word(p, "quote")) {
        if (parse_citation(p, &ct)) return -1;
      } else if (accept_word(p, "note")) {
        if (parse_note(p, &nt)) return -1;
      } else {
        return expected(p, "'quote', 'note' or '}'");
      }
    }
  }
  **tail = d;
  *tail = &d->next;
  return 0;
}

/* duration = integer ( "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" ) */
static int parse_duration(parser *p, term_duration *d) {
  static const struct { const char *w; term_unit u; } units[] = {
      {"day", TU_DAY}, {"days", TU_DAY}, {"week", TU_WEEK}, {"weeks", TU_WEEK},
      {"month", TU_MONTH}, {"months", TU_MONTH}, {"year", TU_YEAR}, {"years", TU_YEAR}};
  d->at = p->tok.at;
  if (p->tok.kind != TK_INT) return expected(p, "a duration (N days, weeks, months or years)");
  d->count = p->tok.num;
  advance(p);
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (accept_word(p, units[i].w)) {
      d->unit = units[i].u;
      return 0;
    }
  return expected(p, "'days', 'weeks', 'months' or 'years'");
}

/*
** term      = "term" "{" { term_item } "}"
** term_item = "from" ( "effective" | day ) | "until" day | "terminated" "by" ident
**           | "renews" "every" duration "unless" "notice" ident duration "before"
**           | citation | "note" string
*/
static int parse_term(parser *p, ast_file *f, loc kw) {
  term_decl *d = node(p, sizeof *d);
  if (!d) return -1;
  d->at = kw;
  if (expect(p, TK_LBRACE, "'{' and the term's items")) return -1;
  citation **ct = &d->cites;
  note **nt = &d->notes;
  while (!accept(p, TK_RBRACE)) {
    loc at = p->tok.at;
    if (accept_word(p, "from")) {
      if (d->has_from) return diag_error(p->diags, at, "the term has two 'from' items");
      d->has_from = 1;
      if (lex_is(&p->tok, "effective")) {
        d->from_at = p->tok.at;
        d->from_effective = 1;
        advance(p);
      } else if (parse_day(p, &d->from, &d->from_at, 0)) {
        return -1;
      }
    } else if (accept_word(p, "until")) {
      if (d->has_until) return diag_error(p->diags, at, "the term has two 'until' items");
      if (parse_day(p, &d->until, &d->until_at, 1)) return -1;
      d->has_until = 1;
    } else if (accept_word(p, "terminated")) {
      if (d->ended_by.name) return diag_error(p->diags, at, "the term has two 'terminated by' items; one event type ends it");
      if (expect_word(p, "by")) return -1;
      if (name_ref_one(p, &d->ended_by, "the event type that terminates the agreement")) return -1;
    } else if (accept_word(p, "renews")) {
      if (d->renews) return diag_error(p->diags, at, "the term has two 'renews' items");
      d->renews = 1;
      d->renews_at = at;
      if (expect_word(p, "every")) return -1;
      if (parse_duration(p, &d->every)) return -1;
      if (expect_word(p, "unless") || expect_word(p, "notice")) return -1;
      if (name_ref_one(p, &d->notice_event, "the event type that gives notice of non-renewal")) return -1;
      if (parse_duration(p, &d->notice)) return -1;
      if (expect_word(p, "before")) return -1;
    } else if (accept_word(p, "quote")) {
      if (parse_citation(p, &ct)) return -1;
    } else if (accept_word(p, "note")) {
      if (parse_note(p, &nt)) return -1;
    } else {
      return expected(p, "'from', 'until', 'terminated', 'renews', 'quote', 'note' or '}'");
    }
  }
  if (f->term) {
    diag_error(p->diags, kw, "a second 'term'; an agreement has one term");
    return 0; /* the block itself parsed: go on with the next declaration */
  }
  f->term = d;
  return 0;
}

static int top_keyword(const token *t) {
  static const char *kw[] = {"party", "body", "source", "action", "state", "event", "on",
                             "permission", "prohibition", "obligation", "commitment", "fact",
                             "constant", "set", "term"};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (lex_is(t, kw[i])) return 1;
  return 0;
}

/* Skip to the next top-level declaration after a syntax error. */
static void sync(parser *p) {
  if (p->tok.kind != TK_EOF) advance(p);
  while (p->tok.kind != TK_EOF && !(p->depth == 0 && top_keyword(&p->tok))) advance(p);
}

/* file = header { declaration } */
ast_file *parse_file(const char *src, size_t len, arena *ar, diag_list *diags) {
  parser p;
  memset(&p, 0, sizeof p);
  p.ar = ar;
  p.diags = diags;
  lex_init(&p.lx, src, len, ar, diags);
  ast_file *f = arena_alloc(ar, sizeof *f);
  if (!f) {
    diags->oom = 1;
    return NULL;
  }
  p.tok = lex_next(&p.lx);
  if (p.tok.kind == TK_EOF) {
    diag_error(diags, p.tok.at, "empty agreement: expected 'agreement \"id\" { ... }'");
    return f;
  }
  if (parse_header(&p, f)) sync(&p);
  party_decl **pt = &f->parties;
  source_decl **st = &f->sources;
  action_decl **at = &f->actions;
  state_decl **vt = &f->states;
  event_decl **et = &f->events;
  transition_decl **tt = &f->transitions;
  clause_decl **ct = &f->clauses;
  commitment_decl **mt = &f->commitments;
  fact_decl **ft = &f->facts;
  body_decl **bt = &f->bodies;
  set_decl **xt = &f->sets;
  obligation_decl **ot = &f->obligations;
  while (p.tok.kind != TK_EOF && !p.oom) {
    int rc;
    if (accept_word(&p, "party")) rc = parse_party(&p, f, &pt);
    else if (accept_word(&p, "source")) rc = parse_source(&p, &st);
    else if (accept_word(&p, "action")) rc = parse_action(&p, &at);
    else if (accept_word(&p, "state")) rc = parse_state(&p, &vt);
    else if (accept_word(&p, "event")) rc = parse_event(&p, &et);
    else if (accept_word(&p, "on")) rc = parse_transition(&p, &tt);
    else if (accept_word(&p, "permission")) rc = parse_clause(&p, CL_PERMISSION, &ct);
    else if (accept_word(&p, "prohibition")) rc = parse_clause(&p, CL_PROHIBITION, &ct);
    else if (accept_word(&p, "obligation")) rc = parse_obligation_or_clause(&p, &ct, &ot);
    else if (accept_word(&p, "commitment")) rc = parse_commitment(&p, &mt);
    else if (accept_word(&p, "fact")) rc = parse_fact(&p, &ft, 0);
    else if (accept_word(&p, "constant")) rc = parse_fact(&p, &ft, 1);
    else if (accept_word(&p, "set")) rc = parse_set(&p, &xt);
    else if (lex_is(&p.tok, "term")) {
      loc kw = p.tok.at;
      advance(&p);
      rc = parse_term(&p, f, kw);
    }
    else if (accept_word(&p, "body")) rc = parse_body(&p, &bt);
    else if (lex_is(&p.tok, "agreement")) rc = diag_error(diags, p.tok.at, "a file holds one agreement; a second 'agreement' header is not allowed");
    else rc = expected(&p, "a declaration (party, body, source, action, state, event, on, permission, prohibition, obligation, commitment, fact, constant, set or term)");
    if (rc) sync(&p);
  }
  return p.oom || diags->oom ? NULL : f;
}
