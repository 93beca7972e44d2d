/*
** test_parse.c: the parser of src/parse.c. The tree is inspected directly through parse_file;
** syntax errors are checked through pactum_agreement_load_buffer, by the exact first line of
** the diagnostics (FILE:LINE:COL: error: MESSAGE).
*/
#include "unit.h"
#include "alloc.h"
#include "arena.h"
#include "ast.h"
#include "date.h"
#include "diag.h"

/* Lines 1-4 of most sources below; the text under test starts on line 5. */
#define HDR                                                                                  \
  "agreement \"t\" { version \"1\" effective 2026-01-01 }\n"                                 \
  "party a\n"                                                                                \
  "source s official \"s.txt\"\n"                                                            \
  "action act by a { resource r: bool = false context c: string = \"x\" context n: integer = 0 }\n"

typedef struct parsed {
  arena ar;
  diag_list d;
  ast_file *f;
  const char *src;
} parsed;

static parsed *parse_src(const char *src) {
  parsed *p = calloc(1, sizeof *p);
  assert_non_null(p);
  arena_init(&p->ar);
  p->src = src;
  diag_init(&p->d, "t.pact", src, strlen(src));
  p->f = parse_file(src, strlen(src), &p->ar, &p->d);
  assert_non_null(p->f);
  return p;
}

static void parsed_free(parsed *p) {
  diag_release(&p->d);
  arena_release(&p->ar);
  free(p);
}

/* The source text an expression spans. */
static void assert_span(const parsed *p, const expr *e, const char *want) {
  size_t n = strlen(want);
  const char *at = strstr(p->src, want);
  assert_non_null(at);
  assert_int_equal(e->start, (uint32_t)(at - p->src));
  assert_int_equal(e->end, (uint32_t)(at - p->src + (ptrdiff_t)n));
}

static const char full_src[] =
    "agreement \"acme\" {\n"
    "  version \"1.0\"\n"
    "  title \"T\"\n"
    "  effective 2026-01-01\n"
    "}\n"
    "party p1 \"Party One\"\n"
    "party p2\n"
    "source s official \"s.txt\" \"Title\"\n"
    "source s2 press \"x.html\"\n"
    "source s3 seed \"y.md\"\n"
    "action act by p1, p2 {\n"
    "  resource by: bool = false\n"
    "  context date_of: date\n"
    "  context total: money = $5\n"
    "  context kind: enum { a, b, c } = b\n"
    "}\n"
    "action bare by p2\n"
    "state st: enum { up, down } = up\n"
    "event ev { amount: money, who: string }\n"
    "on ev {\n"
    "  quote s \"q\"\n"
    "  note \"n\"\n"
    "  require st == up else \"reason\"\n"
    "  set st = down when event.amount > $10\n"
    "}\n"
    "permission c1 {\n"
    "  principal p1\n"
    "  action act\n"
    "  when resource.by or context.total > $1 and not context.kind == a\n"
    "  requires context.kind in [a, \"b\"]\n"
    "  from 2027\n"
    "  through 2028\n"
    "  while st == up\n"
    "  until date >= 2028-06-01\n"
    "  exception to c2, c3\n"
    "  quote s \"text one\"\n"
    "  quote s2 \"text two\"\n"
    "  note \"a note\"\n"
    "}\n"
    "prohibition c2 { principal p1 action act when (context.date < 2027-02-03) quote s \"x\" }\n"
    "obligation c3 { principal p1 action act from 2026-03-04 through 2026-03-05 quote s \"y\" }\n"
    "commitment m { owed_by p1 owed_to p2 what \"w\" total 5 unit \"u\" counted from ev.amount deadline 2030 quote s \"z\" }\n"
    "commitment m2 { total $7 }\n"
    "fact f = $3 { unit \"USD\" note \"n\" quote s \"f\" }\n";

static void test_tree(void **state) {
  (void)state;
  parsed *p = parse_src(full_src);
  if (p->d.errors) fail_msg("unexpected errors:\n%s", p->d.out.data);
  ast_file *f = p->f;
  assert_string_equal(f->id, "acme");
  assert_string_equal(f->version, "1.0");
  assert_string_equal(f->title, "T");
  assert_true(f->has_effective);
  assert_int_equal(f->effective, date_from_ymd(2026, 1, 1));

  party_decl *pa = f->parties;
  assert_string_equal(pa->name, "p1");
  assert_string_equal(pa->title, "Party One");
  assert_int_equal(pa->at.line, 6);
  assert_int_equal(pa->at.col, 7);
  assert_string_equal(pa->next->name, "p2");
  assert_null(pa->next->title);
  assert_null(pa->next->next);

  source_decl *so = f->sources;
  assert_string_equal(so->name, "s");
  assert_int_equal(so->conf, CONF_OFFICIAL);
  assert_string_equal(so->ref, "s.txt");
  assert_string_equal(so->title, "Title");
  assert_int_equal(so->next->conf, CONF_PRESS);
  assert_string_equal(so->next->ref, "x.html");
  assert_null(so->next->title);
  assert_int_equal(so->next->next->conf, CONF_SEED);

  action_decl *ac = f->actions;
  assert_string_equal(ac->name, "act");
  assert_string_equal(ac->principals->name, "p1");
  assert_string_equal(ac->principals->next->name, "p2");
  assert_null(ac->principals->next->next);
  assert_int_equal(ac->nattrs, 4);
  attr_decl *at = ac->attrs;
  /* Keywords are contextual: `by` is an attribute name here. */
  assert_string_equal(at->name, "by");
  assert_false(at->is_context);
  assert_int_equal(at->type.kind, TY_BOOL);
  assert_int_equal(at->def->lit, TK_IDENT);
  assert_string_equal(at->def->str, "false");
  at = at->next;
  assert_string_equal(at->name, "date_of");
  assert_true(at->is_context);
  assert_int_equal(at->type.kind, TY_DATE);
  assert_null(at->def);
  at = at->next;
  assert_int_equal(at->type.kind, TY_MONEY);
  assert_int_equal(at->def->lit, TK_MONEY);
  assert_int_equal(at->def->num, 5000000); /* $5 in millionths (num.h) */
  at = at->next;
  assert_int_equal(at->type.kind, TY_ENUM);
  assert_int_equal(at->type.en->n, 3);
  assert_string_equal(at->type.en->names[0], "a");
  assert_string_equal(at->type.en->names[2], "c");
  assert_string_equal(at->def->str, "b");
  assert_null(at->next);
  assert_string_equal(ac->next->name, "bare");
  assert_int_equal(ac->next->nattrs, 0);
  assert_null(ac->next->attrs);

  state_decl *st = f->states;
  assert_string_equal(st->name, "st");
  assert_int_equal(st->type.kind, TY_ENUM);
  assert_string_equal(st->init->str, "up");

  event_decl *ev = f->events;
  assert_string_equal(ev->name, "ev");
  assert_int_equal(ev->nfields, 2);
  assert_string_equal(ev->fields->name, "amount");
  assert_int_equal(ev->fields->type.kind, TY_MONEY);
  assert_int_equal(ev->fields->next->type.kind, TY_STRING);

  transition_decl *tr = f->transitions;
  assert_string_equal(tr->event, "ev");
  assert_string_equal(tr->cites->source, "s");
  assert_string_equal(tr->cites->text, "q");
  assert_string_equal(tr->notes->text, "n");
  stmt *s1 = tr->stmts;
  assert_int_equal(s1->kind, ST_REQUIRE);
  assert_int_equal(s1->cond->kind, EX_CMP);
  assert_int_equal(s1->cond->op, TK_EQ);
  assert_string_equal(s1->reason, "reason");
  stmt *s2 = s1->next;
  assert_int_equal(s2->kind, ST_SET);
  assert_string_equal(s2->var, "st");
  assert_int_equal(s2->value->kind, EX_REF);
  assert_int_equal(s2->value->scope, REF_NAME);
  assert_string_equal(s2->value->name, "down");
  assert_int_equal(s2->cond->op, TK_GT);
  assert_int_equal(s2->cond->a->scope, REF_EVENT);
  assert_string_equal(s2->cond->a->name, "amount");
  assert_int_equal(s2->cond->b->lit, TK_MONEY);
  assert_int_equal(s2->cond->b->num, 10000000); /* $10 in millionths (num.h) */
  assert_null(s2->next);

  clause_decl *c1 = f->clauses;
  assert_string_equal(c1->name, "c1");
  assert_int_equal(c1->kind, CL_PERMISSION);
  assert_string_equal(c1->principal.name, "p1");
  assert_string_equal(c1->action.name, "act");
  /* `or` binds loosest, then `and`, then `not`. */
  expr *w = c1->when;
  assert_int_equal(w->kind, EX_OR);
  assert_int_equal(w->a->kind, EX_REF);
  assert_int_equal(w->a->scope, REF_RESOURCE);
  assert_string_equal(w->a->name, "by");
  assert_int_equal(w->b->kind, EX_AND);
  assert_int_equal(w->b->a->kind, EX_CMP);
  assert_int_equal(w->b->a->op, TK_GT);
  assert_int_equal(w->b->a->a->scope, REF_CONTEXT);
  assert_int_equal(w->b->b->kind, EX_NOT);
  assert_int_equal(w->b->b->a->kind, EX_CMP);
  assert_int_equal(w->b->b->a->op, TK_EQ);
  assert_string_equal(w->b->b->a->b->name, "a");
  assert_span(p, w, "resource.by or context.total > $1 and not context.kind == a");
  assert_span(p, w->b->b, "not context.kind == a");
  expr *rq = c1->requires;
  assert_int_equal(rq->kind, EX_IN);
  assert_int_equal(rq->a->scope, REF_CONTEXT);
  assert_int_equal(rq->nitems, 2);
  assert_int_equal(rq->items[0]->lit, TK_IDENT);
  assert_string_equal(rq->items[0]->str, "a");
  assert_int_equal(rq->items[1]->lit, TK_STRING);
  assert_string_equal(rq->items[1]->str, "b");
  assert_span(p, rq, "context.kind in [a, \"b\"]");
  /* A bare year: `from` means its first day, `through` its last. */
  assert_true(c1->has_from);
  assert_int_equal(c1->from, date_from_ymd(2027, 1, 1));
  assert_true(c1->has_through);
  assert_int_equal(c1->through, date_from_ymd(2028, 12, 31));
  window_cond *wc = c1->windows;
  assert_false(wc->negate);
  assert_int_equal(wc->cond->kind, EX_CMP);
  assert_true(wc->next->negate);
  assert_int_equal(wc->next->cond->op, TK_GE);
  assert_int_equal(wc->next->cond->a->scope, REF_DATE);
  assert_int_equal(wc->next->cond->b->lit, TK_DATE);
  assert_int_equal(wc->next->cond->b->num, date_from_ymd(2028, 6, 1));
  assert_null(wc->next->next);
  assert_string_equal(c1->excepts->name, "c2");
  assert_string_equal(c1->excepts->next->name, "c3");
  assert_null(c1->excepts->next->next);
  assert_string_equal(c1->cites->source, "s");
  assert_string_equal(c1->cites->text, "text one");
  assert_int_equal(c1->cites->text_len, 8);
  assert_string_equal(c1->cites->next->source, "s2");
  assert_null(c1->cites->next->next);
  assert_string_equal(c1->notes->text, "a note");

  clause_decl *c2 = c1->next;
  assert_int_equal(c2->kind, CL_PROHIBITION);
  assert_false(c2->has_from);
  /* context.date is the request's date; parentheses are part of the span. */
  assert_int_equal(c2->when->kind, EX_CMP);
  assert_int_equal(c2->when->a->scope, REF_DATE);
  assert_span(p, c2->when, "(context.date < 2027-02-03)");
  clause_decl *c3 = c2->next;
  assert_int_equal(c3->kind, CL_OBLIGATION);
  assert_int_equal(c3->from, date_from_ymd(2026, 3, 4));
  assert_int_equal(c3->through, date_from_ymd(2026, 3, 5));
  assert_null(c3->next);

  commitment_decl *m = f->commitments;
  assert_string_equal(m->owed_by.name, "p1");
  assert_string_equal(m->owed_to.name, "p2");
  assert_string_equal(m->what, "w");
  assert_true(m->has_total);
  assert_false(m->total_is_money);
  assert_int_equal(m->total, 5);
  assert_string_equal(m->unit, "u");
  assert_string_equal(m->count_event.name, "ev");
  assert_string_equal(m->count_field.name, "amount");
  assert_true(m->has_deadline);
  assert_int_equal(m->deadline, date_from_ymd(2030, 12, 31));
  commitment_decl *m2 = m->next;
  assert_true(m2->total_is_money);
  assert_int_equal(m2->total, 7000000); /* $7 in millionths */
  assert_string_equal(m2->unit, "USD");

  fact_decl *fa = f->facts;
  assert_string_equal(fa->name, "f");
  assert_int_equal(fa->value->lit, TK_MONEY);
  assert_int_equal(fa->value->num, 3000000);
  assert_string_equal(fa->unit, "USD");
  assert_string_equal(fa->notes->text, "n");
  parsed_free(p);
}

static void test_header_items_once(void **state) {
  (void)state;
  parsed *p = parse_src("agreement \"t\" { effective 2027-05-06 title \"x\" version \"2\" }\n");
  assert_int_equal(p->d.errors, 0);
  assert_string_equal(p->f->version, "2");
  assert_string_equal(p->f->title, "x");
  assert_int_equal(p->f->effective, date_from_ymd(2027, 5, 6));
  parsed_free(p);
  p = parse_src("agreement \"t\" { version \"1\" }\n");
  assert_null(p->f->title);
  assert_false(p->f->has_effective);
  parsed_free(p);
  /* Each header item at most once. */
  assert_first_error("agreement \"t\" { version \"1\" version \"2\" effective 2026-01-01 }\nparty a\n",
                     "t.pact:1:29: error: the header gives 'version' twice");
  assert_first_error("agreement \"t\" { title \"a\" title \"b\" version \"1\" effective 2026-01-01 }\nparty a\n",
                     "t.pact:1:27: error: the header gives 'title' twice");
  assert_first_error("agreement \"t\" { version \"1\" effective 2026-01-01 effective 2027-05-06 }\nparty a\n",
                     "t.pact:1:50: error: the header gives 'effective' twice");
}

static void test_loads(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(HDR "permission p { principal a action act quote s \"x\" }\n");
  assert_string_equal(pactum_agreement_id(agr), "t");
  assert_string_equal(pactum_agreement_version(agr), "1");
  assert_string_equal(pactum_agreement_title(agr), "");
  pactum_agreement_free(agr);
  /* Windows CRLF line ends and a byte-order mark are fine. */
  agr = unit_load_ok("\xEF\xBB\xBF" "agreement \"t\" {\r\n version \"1\"\r\n effective 2026-01-01\r\n}\r\nparty a\r\n");
  pactum_agreement_free(agr);
  /* Names used before they are declared. */
  agr = unit_load_ok("agreement \"t\" { version \"1\" effective 2026-01-01 }\n"
                     "permission p { principal a action act quote s \"x\" }\n"
                     "action act by a\nsource s official \"s.txt\"\nparty a\n");
  pactum_agreement_free(agr);
}

static void test_syntax_errors(void **state) {
  (void)state;
  assert_first_error("", "t.pact:1:1: error: empty agreement: expected 'agreement \"id\" { ... }'");
  assert_first_error("# nothing\n", "t.pact:2:1: error: empty agreement: expected 'agreement \"id\" { ... }'");
  assert_first_error("party a\n", "t.pact:1:1: error: expected 'agreement', found 'party'");
  assert_first_error("agreement t { }\n", "t.pact:1:11: error: expected the agreement id as a string, found 't'");
  assert_first_error("agreement \"t\" { versio \"1\" }\nparty a\n",
                     "t.pact:1:17: error: expected 'version', 'title', 'effective', 'supersedes' or '}', found 'versio'");
  assert_first_error("agreement \"t\" { effective 2026 }\nparty a\n",
                     "t.pact:1:27: error: expected the effective date (YYYY-MM-DD), found '2026'");
  assert_first_error(HDR "agreement \"u\" { }\n",
                     "t.pact:5:1: error: a file holds one agreement; a second 'agreement' header is not allowed");
  assert_first_error(HDR "clause x { }\n",
                     "t.pact:5:1: error: expected a declaration (party, body, source, action, state, event, on, "
                     "permission, prohibition, obligation, commitment, fact, constant, set or term), found 'clause'");
  assert_first_error(HDR "permission p { action act }\n", "t.pact:5:16: error: expected 'principal', found 'action'");
  assert_first_error(HDR "permission p { principal a action act when context.n = 1 }\n",
                     "t.pact:5:54: error: '=' is not a comparison; write '=='");
  assert_first_error(HDR "permission p { principal a action act when resource.r when resource.r }\n",
                     "t.pact:5:55: error: clause 'p' has two 'when' conditions; join them with 'and'");
  assert_first_error(HDR "permission p { principal a action act requires resource.r requires resource.r }\n",
                     "t.pact:5:59: error: clause 'p' has two 'requires' conditions; join them with 'and'");
  assert_first_error(HDR "permission p { principal a action act from 2026 from 2027 }\n",
                     "t.pact:5:49: error: clause 'p' has two 'from' dates");
  assert_first_error(HDR "permission p { principal a action act through 2026 through 2027 }\n",
                     "t.pact:5:52: error: clause 'p' has two 'through' dates");
  assert_first_error(HDR "permission p { principal a action act through 10000 }\n",
                     "t.pact:5:47: error: year 10000 is out of range 1..9999");
  assert_first_error(HDR "permission p { principal a action act from 0 }\n",
                     "t.pact:5:44: error: year 0 is out of range 1..9999");
  assert_first_error(HDR "permission p { principal a action act from \"2026\" }\n",
                     "t.pact:5:44: error: expected a date (YYYY-MM-DD) or a year, found string");
  assert_first_error(HDR "state v: float = 1\n",
                     "t.pact:5:10: error: expected a type (bool, string, integer, decimal, money, date, duration, enum or ref), found 'float'");
  assert_first_error(HDR "source s2 official2 \"x\"\n",
                     "t.pact:5:11: error: expected a confidence: official, press or seed, found 'official2'");
  assert_first_error(HDR "permission p { principal a action act when resource r }\n",
                     "t.pact:5:53: error: expected '.' after a scope name, found 'r'");
  assert_first_error(HDR "permission p { principal a action act when context.c in \"x\" }\n",
                     "t.pact:5:57: error: expected '[' or a set's name after 'in', found string");
  assert_first_error(HDR "on ev { sett v = 1 }\n",
                     "t.pact:5:9: error: expected 'require', 'set', 'quote', 'note' or '}', found 'sett'");
  assert_first_error(HDR "permission p { principal a action act wen x }\n",
                     "t.pact:5:39: error: expected 'when', 'requires', 'from', 'through', 'while', 'until', "
                     "'exception', 'survives', 'quote', 'note' or '}', found 'wen'");
  assert_first_error(HDR "commitment m { owes a }\n",
                     "t.pact:5:16: error: expected 'owed_by', 'owed_to', 'what', 'total', 'counted', 'deadline', "
                     "'quote', 'note' or '}', found 'owes'");
  assert_first_error(HDR "commitment m { total 5 }\n", "t.pact:5:24: error: expected 'unit', found '}'");
  assert_first_error(HDR "permission p { principal a action act",
                     "t.pact:5:38: error: expected 'when', 'requires', 'from', 'through', 'while', 'until', "
                     "'exception', 'survives', 'quote', 'note' or '}', found end of file");
  assert_first_error(HDR "state v: integer = =\n", "t.pact:5:20: error: expected a literal value, found '='");
  assert_first_error(HDR "permission p { principal a action act when ) }\n",
                     "t.pact:5:44: error: expected a condition or value, found ')'");
  assert_first_error(HDR "fact f = 1 quote s \"x\"\n",
                     "t.pact:5:12: error: expected '{' and the fact's citation, found 'quote'");
  assert_first_error(HDR "state v: enum { a b } = a\n", "t.pact:5:19: error: expected ',' or '}' in enum, found 'b'");
  assert_first_error(HDR "permission p { principal a action act when !resource.r quote s \"x\" }\n",
                     "t.pact:5:44: error: unexpected '!'; write 'not' or '!='");
}

static void test_numbers_out_of_range(void **state) {
  (void)state;
  /*
  ** Integers are at most 2^63 - 1, money (kept in millionths) at most $(2^63 - 1) / 10^6; a larger
  ** literal is an error, not a wrapped value.
  */
  assert_first_error(HDR "fact f = 99999999999999999999 { quote s \"x\" }\n",
                     "t.pact:5:10: error: number '99999999999999999999' does not fit in 64 bits");
  assert_first_error(HDR "fact f = $9223372036854.775808 { quote s \"x\" }\n",
                     "t.pact:5:10: error: money amount '$9223372036854.775808' is out of range (at most $9,223,372,036,854.775807)");
  pactum_agreement *agr = unit_load_ok(HDR "fact f = $9223372036854.775807 { quote s \"x\" }\n");
  pactum_agreement_free(agr);
  agr = unit_load_ok(HDR "fact f = 9223372036854775807 { quote s \"x\" }\n");
  pactum_agreement_free(agr);
}

static void test_nesting_limit(void **state) {
  (void)state;
  /* 300 parentheses: the 257th opening one is too deep (offsets 43.. on line 5). */
  size_t n = 300;
  char *src = malloc(strlen(HDR) + 5 * n + 200);
  assert_non_null(src);
  size_t o = (size_t)snprintf(src, 200 + strlen(HDR), "%spermission p { principal a action act when ", HDR);
  for (size_t i = 0; i < n; i++) src[o++] = '(';
  memcpy(src + o, "resource.r", 10);
  o += 10;
  for (size_t i = 0; i < n; i++) src[o++] = ')';
  memcpy(src + o, " quote s \"x\" }\n", 16);
  assert_first_error(src, "t.pact:5:300: error: condition nested too deeply (more than 256 levels)");
  /* 256 levels are fine. */
  o = (size_t)snprintf(src, 200 + strlen(HDR), "%spermission p { principal a action act when ", HDR);
  for (size_t i = 0; i < 255; i++) src[o++] = '(';
  memcpy(src + o, "resource.r", 10);
  o += 10;
  for (size_t i = 0; i < 255; i++) src[o++] = ')';
  memcpy(src + o, " quote s \"x\" }\n", 16);
  pactum_agreement *agr = unit_load_ok(src);
  pactum_agreement_free(agr);
  /* A long chain of `not` must not exhaust the stack either. */
  o = (size_t)snprintf(src, 200 + strlen(HDR), "%spermission p { principal a action act when ", HDR);
  for (size_t i = 0; i < n; i++) {
    memcpy(src + o, "not ", 4);
    o += 4;
  }
  memcpy(src + o, "resource.r }\n", 14);
  char *d = unit_load_err(src);
  assert_non_null(strstr(d, "condition nested too deeply (more than 256 levels)"));
  pactum_string_free(d);
  free(src);
}

static void test_recovery(void **state) {
  (void)state;
  /* One error per broken declaration; the parser resumes at the next top-level keyword. */
  char *d = unit_load_err(HDR "permission p { action act }\n"
                              "state v: float = 1\n"
                              "party b\n"
                              "prohibition q { principal a action act quote s \"x\" when = }\n");
  assert_int_equal(unit_count(d, ": error: "), 3);
  assert_non_null(strstr(d, "t.pact:5:16: error: "));
  assert_non_null(strstr(d, "t.pact:6:10: error: "));
  assert_non_null(strstr(d, "t.pact:8:"));
  pactum_string_free(d);
  /* The checker does not run on a file with syntax errors. */
  d = unit_load_err(HDR "permission p { action act }\n"
                        "permission q { principal zz action act quote s \"x\" }\n");
  assert_int_equal(unit_count(d, ": error: "), 1);
  pactum_string_free(d);
}

static void test_diagnostic_format(void **state) {
  (void)state;
  char *d = unit_load_err(HDR "permission p { principal a action act wen x }\n");
  assert_string_equal(d, "t.pact:5:39: error: expected 'when', 'requires', 'from', 'through', 'while', 'until', "
                         "'exception', 'survives', 'quote', 'note' or '}', found 'wen'\n"
                         "    5 | permission p { principal a action act wen x }\n"
                         "      |                                       ^~~\n");
  pactum_string_free(d);
  /* The name given to load_buffer is the one in messages; diag may be NULL. */
  pactum_agreement *agr = (pactum_agreement *)1;
  assert_int_equal(pactum_agreement_load_buffer("other.pact", "x", 1, &agr, NULL), PACTUM_EINPUT);
  assert_null(agr);
  char *diag = NULL;
  assert_int_equal(pactum_agreement_load_buffer("other.pact", "x", 1, &agr, &diag), PACTUM_EINPUT);
  assert_non_null(diag);
  assert_true(strncmp(diag, "other.pact:1:1: error: ", 23) == 0);
  pactum_string_free(diag);
  /* A file that cannot be read. */
  diag = NULL;
  assert_int_equal(pactum_agreement_load_file("/nonexistent/dir/x.pact", &agr, &diag), PACTUM_EIO);
  assert_null(agr);
  assert_non_null(diag);
  assert_non_null(strstr(diag, "cannot open '/nonexistent/dir/x.pact'"));
  pactum_string_free(diag);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tree),          cmocka_unit_test(test_header_items_once),
      cmocka_unit_test(test_loads),         cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_nesting_limit), cmocka_unit_test(test_numbers_out_of_range), cmocka_unit_test(test_recovery),
      cmocka_unit_test(test_diagnostic_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
