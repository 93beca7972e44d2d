/*
** compile.c: turns a checked tree into the compiled agreement of agreement.h.
**
**  - clauses are grouped by (principal, action), each group ordered so exceptions come
**    before what they except; that order is computed once, here;
**  - conditions become a compact array of operations over pre-resolved slots;
**  - string literals are interned, so a decision compares integers, never strings;
**  - each clause's JSON fragment is rendered once, so writing a decision is copying.
*/
#include "agreement.h"
#include "alloc.h"
#include "buf.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include "banned.h"

typedef struct compiler {
  pactum_agreement *agr;
  arena *ar;
  xop *code;
  int ncode, capcode;
  vop *vcode;     /* the value program (arithmetic) */
  int nvcode, capvcode;
  int64_t *consts;
  int nconsts, capconsts;
  const char **strs;
  size_t *lens;
  int nstrs, capstrs;
  int32_t *table; /* open addressing over strs during the build */
  uint32_t mask;
  int oom;
} compiler;

static uint32_t str_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int32_t lookup(const int32_t *table, uint32_t mask, const char *const *strs,
                      const size_t *lens, const char *s, size_t n, uint32_t *slot) {
  uint32_t i = str_hash(s, n) & mask;
  while (table[i] >= 0) {
    int32_t id = table[i];
    if (lens[id] == n && memcmp(strs[id], s, n) == 0) return id;
    i = (i + 1) & mask;
  }
  if (slot) *slot = i;
  return -1;
}

int32_t agreement_string_id(const pactum_agreement *agr, const char *s, size_t n) {
  if (!agr->str_table) return -1;
  return lookup(agr->str_table, agr->str_mask, agr->strs, agr->str_lens, s, n, NULL);
}

static int grow(compiler *c, void **p, int *cap, int need, size_t size) {
  if (need <= *cap) return 0;
  int ncap = *cap ? *cap * 2 : 64;
  while (ncap < need) ncap *= 2;
  void *q = px_realloc(*p, (size_t)ncap * size);
  if (!q) {
    c->oom = 1;
    return -1;
  }
  *p = q;
  *cap = ncap;
  return 0;
}

static int rehash(compiler *c, uint32_t cap) {
  int32_t *t = px_malloc(sizeof(int32_t) * cap);
  if (!t) {
    c->oom = 1;
    return -1;
  }
  memset(t, 0xff, sizeof(int32_t) * cap);
  for (int id = 0; id < c->nstrs; id++) {
    uint32_t slot = 0;
    lookup(t, cap - 1, c->strs, c->lens, c->strs[id], c->lens[id], &slot);
    t[slot] = id;
  }
  px_free(c->table);
  c->table = t;
  c->mask = cap - 1;
  return 0;
}

static int64_t intern(compiler *c, const char *s, size_t n) {
  if (!c->table && rehash(c, 64)) return 0;
  uint32_t slot = 0;
  int32_t id = lookup(c->table, c->mask, c->strs, c->lens, s, n, &slot);
  if (id >= 0) return id;
  if (grow(c, (void **)&c->strs, &c->capstrs, c->nstrs + 1, sizeof(char *))) return 0;
  int cap = c->capstrs;
  void *nl = px_realloc(c->lens, (size_t)cap * sizeof(size_t));
  if (!nl) {
    c->oom = 1;
    return 0;
  }
  c->lens = nl;
  id = c->nstrs++;
  c->strs[id] = s;
  c->lens[id] = n;
  if ((uint32_t)c->nstrs * 2u > c->mask) {
    if (rehash(c, (c->mask + 1) * 2)) return 0;
  } else {
    c->table[slot] = id;
  }
  return id;
}

/* The constant an operand denotes, interning strings. */
static int64_t const_value(compiler *c, const expr *e) {
  if (e->type.kind == TY_STRING) return intern(c, e->str ? e->str : "", e->str_len);
  return e->value;
}

/* Compile the value e into the value program; returns its root, -1 when out of memory. */
static int32_t vx(compiler *c, const expr *e) {
  int32_t a = -1, b = -1;
  if (e->src == SRC_EXPR) {
    if ((a = vx(c, e->a)) < 0) return -1;
    if (e->b && (b = vx(c, e->b)) < 0) return -1;
  }
  if (grow(c, (void **)&c->vcode, &c->capvcode, c->nvcode + 1, sizeof(vop))) return -1;
  vop *v = &c->vcode[c->nvcode];
  memset(v, 0, sizeof *v);
  v->start = e->start;
  v->end = e->end;
  v->type = (uint8_t)e->type.kind;
  if (e->src == SRC_EXPR) {
    v->op = (uint8_t)e->value;
    v->a = a;
    v->b = b;
  } else {
    v->op = V_LOAD;
    v->src = (uint8_t)e->src;
    v->slot = e->slot;
    v->k = e->src == SRC_CONST ? const_value(c, e) : 0;
  }
  return c->nvcode++;
}

/* 1 if the value program from root reads the date. */
static int vx_reads_date(const compiler *c, int32_t root) {
  const vop *v = &c->vcode[root];
  if (v->op == V_LOAD) return v->src == SRC_DATE;
  return vx_reads_date(c, v->a) || (v->b >= 0 && vx_reads_date(c, v->b));
}

static void operand(compiler *c, const expr *e, uint8_t *src, int32_t *slot, int64_t *k) {
  *src = (uint8_t)e->src;
  *slot = e->slot;
  *k = e->src == SRC_CONST ? const_value(c, e) : 0;
  if (e->src == SRC_EXPR) {
    *slot = vx(c, e);
    if (*slot < 0) { /* out of memory: reported by the caller through c->oom */
      *src = SRC_CONST;
      *slot = 0;
    }
  }
}

/* XF_DATE_EXPR when operand src/slot is arithmetic that reads the date. */
static uint8_t date_expr_flag(const compiler *c, uint8_t src, int32_t slot) {
  return src == SRC_EXPR && vx_reads_date(c, slot) ? XF_DATE_EXPR : 0;
}

static int32_t emit(compiler *c, const expr *e, uint8_t op) {
  if (grow(c, (void **)&c->code, &c->capcode, c->ncode + 1, sizeof(xop))) return -1;
  xop *x = &c->code[c->ncode];
  memset(x, 0, sizeof *x);
  x->op = op;
  if (e) {
    x->start = e->start;
    x->end = e->end;
  }
  return c->ncode++;
}

/* Compile a checked condition; returns its root. */
static int32_t cx(compiler *c, const expr *e) {
  int32_t n, a, b;
  switch (e->kind) {
  case EX_OR:
  case EX_AND:
    a = cx(c, e->a);
    b = cx(c, e->b);
    n = emit(c, e, e->kind == EX_OR ? X_OR : X_AND);
    if (n < 0 || a < 0 || b < 0) return -1;
    c->code[n].a = a;
    c->code[n].b = b;
    return n;
  case EX_NOT:
    a = cx(c, e->a);
    n = emit(c, e, X_NOT);
    if (n < 0 || a < 0) return -1;
    c->code[n].a = a;
    return n;
  case EX_CMP: {
    static const uint8_t ops[] = {[TK_EQ] = X_EQ, [TK_NE] = X_NE, [TK_LT] = X_LT,
                                  [TK_LE] = X_LE, [TK_GT] = X_GT, [TK_GE] = X_GE};
    n = emit(c, e, ops[e->op]);
    if (n < 0) return -1;
    xop x = c->code[n];
    operand(c, e->a, &x.lsrc, &x.lslot, &x.lk);
    operand(c, e->b, &x.rsrc, &x.rslot, &x.rk);
    x.flags = (uint8_t)(date_expr_flag(c, x.lsrc, x.lslot) | date_expr_flag(c, x.rsrc, x.rslot));
    c->code[n] = x;
    return n;
  }
  case EX_IN: {
    n = emit(c, e, X_IN);
    if (n < 0) return -1;
    if (grow(c, (void **)&c->consts, &c->capconsts, c->nconsts + e->nitems, sizeof(int64_t))) return -1;
    xop x = c->code[n];
    operand(c, e->a, &x.lsrc, &x.lslot, &x.lk);
    x.a = c->nconsts;
    x.b = e->nitems;
    for (int i = 0; i < e->nitems; i++) c->consts[c->nconsts++] = const_value(c, e->items[i]);
    c->code[n] = x;
    return n;
  }
  case EX_RECORDED:
    n = emit(c, e, X_RECORDED);
    if (n < 0) return -1;
    c->code[n].lk = e->slot;
    return n;
  case EX_REF:
  case EX_LIT:
  case EX_ARITH: /* check.c allows arithmetic only as a value: here only as a `set` value would be */
  case EX_CALL: {
    n = emit(c, e, X_TEST);
    if (n < 0) return -1;
    xop x = c->code[n];
    operand(c, e, &x.lsrc, &x.lslot, &x.lk);
    c->code[n] = x;
    return n;
  }
  }
  return -1;
}

static int32_t cx_opt(compiler *c, const expr *e) { return e ? cx(c, e) : -1; }

static ccite *compile_cites(compiler *c, const citation *ci, int *n) {
  int k = 0;
  for (const citation *x = ci; x; x = x->next) k++;
  ccite *out = arena_alloc(c->ar, sizeof(ccite) * (size_t)(k ? k : 1));
  if (!out) {
    c->oom = 1;
    return NULL;
  }
  k = 0;
  for (const citation *x = ci; x; x = x->next, k++) {
    out[k].source = x->source;
    out[k].text = x->text;
    out[k].len = x->text_len;
    out[k].at = x->text_at;
  }
  *n = k;
  return out;
}

static const char *kind_name(clause_kind k) {
  return k == CL_PERMISSION ? "permission" : k == CL_PROHIBITION ? "prohibition" : "obligation";
}

static const char *arena_buf(compiler *c, buf *b, size_t *len) {
  const char *s = b->failed ? NULL : arena_strndup(c->ar, b->data ? b->data : "", b->len);
  if (!s) c->oom = 1;
  *len = b->len;
  buf_release(b);
  return s;
}

static void collect_date_bounds(const pactum_agreement *agr, int32_t root, int32_t *out, int *n, int cap) {
  if (root < 0) return;
  const xop *x = &agr->code[root];
  switch (x->op) {
  case X_NOT: collect_date_bounds(agr, x->a, out, n, cap); return;
  case X_AND:
  case X_OR:
    collect_date_bounds(agr, x->a, out, n, cap);
    collect_date_bounds(agr, x->b, out, n, cap);
    return;
  case X_IN:
    if (x->lsrc == SRC_DATE)
      for (int32_t i = 0; i < x->b && *n + 2 <= cap; i++) {
        int64_t k = agr->consts[x->a + i];
        out[(*n)++] = (int32_t)k;
        if (k < DAY_MAX) out[(*n)++] = (int32_t)(k + 1);
      }
    return;
  case X_EQ: case X_NE: case X_LT: case X_LE: case X_GT: case X_GE: {
    int64_t k;
    if (x->lsrc == SRC_DATE && x->rsrc == SRC_CONST) k = x->rk;
    else if (x->rsrc == SRC_DATE && x->lsrc == SRC_CONST) k = x->lk;
    else return;
    /* The answer may change on k and on the day after it. */
    if (*n + 2 <= cap) {
      out[(*n)++] = (int32_t)k;
      if (k < DAY_MAX) out[(*n)++] = (int32_t)(k + 1);
    }
    return;
  }
  default: return;
  }
}

static void collect_state(const pactum_agreement *agr, int32_t root, uint8_t *seen) {
  if (root < 0) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) collect_state(agr, x->a, seen);
  else if (x->op == X_AND || x->op == X_OR) {
    collect_state(agr, x->a, seen);
    collect_state(agr, x->b, seen);
  } else {
    int two = x->op != X_IN && x->op != X_TEST && x->op != X_RECORDED && x->op != X_TRUE;
    if (x->lsrc == SRC_STATE) seen[x->lslot] = 1;
    if (x->rsrc == SRC_STATE && two) seen[x->rslot] = 1;
    if (x->lsrc == SRC_EXPR && x->op != X_RECORDED && x->op != X_TRUE) value_reads(agr, x->lslot, seen);
    if (x->rsrc == SRC_EXPR && two) value_reads(agr, x->rslot, seen);
  }
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* 1 if root compares the date with something that is not a constant (an attribute, say). */
static int dynamic_date(const pactum_agreement *agr, int32_t root) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return dynamic_date(agr, x->a);
  if (x->op == X_AND || x->op == X_OR) return dynamic_date(agr, x->a) || dynamic_date(agr, x->b);
  if (x->op < X_EQ || x->op > X_GE) return 0;
  /* Arithmetic over the date (date - context.signed > 30) may turn on any day: conservative. */
  if (x->flags & XF_DATE_EXPR) return 1;
  return (x->lsrc == SRC_DATE && x->rsrc != SRC_CONST) || (x->rsrc == SRC_DATE && x->lsrc != SRC_CONST);
}

/* 1 if an operand of root is computed (SRC_EXPR). */
static int has_arith(const pactum_agreement *agr, int32_t root) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return has_arith(agr, x->a);
  if (x->op == X_AND || x->op == X_OR) return has_arith(agr, x->a) || has_arith(agr, x->b);
  if (x->op == X_RECORDED || x->op == X_TRUE) return 0;
  return x->lsrc == SRC_EXPR || (x->op != X_IN && x->op != X_TEST && x->rsrc == SRC_EXPR);
}

/* What an expression reads: request date (bit 1), state (bit 2), request attributes (bit 4). */
static int expr_reads(const pactum_agreement *agr, int32_t root) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return expr_reads(agr, x->a);
  if (x->op == X_AND || x->op == X_OR) return expr_reads(agr, x->a) | expr_reads(agr, x->b);
  int r = 0;
  if (x->op == X_RECORDED || x->op == X_TRUE) return 0;
  uint8_t srcs[2] = {x->lsrc, (x->op == X_IN || x->op == X_TEST) ? (uint8_t)SRC_CONST : x->rsrc};
  int32_t slots[2] = {x->lslot, x->rslot};
  for (int k = 0; k < 2; k++)
    r |= srcs[k] == SRC_DATE ? 1 : srcs[k] == SRC_STATE ? 2 : srcs[k] == SRC_ATTR ? 4
         : srcs[k] == SRC_EXPR ? value_reads(agr, slots[k], NULL) & 7 : 0;
  return r;
}

/* How many days collect_date_bounds may add for root: two per comparison or list item. */
static int bound_room(const pactum_agreement *agr, int32_t root) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return bound_room(agr, x->a);
  if (x->op == X_AND || x->op == X_OR) return bound_room(agr, x->a) + bound_room(agr, x->b);
  return x->op == X_IN ? 2 * x->b : 2;
}

/* The days on which clause cl may start or stop applying, and what it reads. */
static int clause_bounds(compiler *c, cclause *cl) {
  const pactum_agreement *agr = c->agr;
  int cap = 4 + bound_room(agr, cl->window) + bound_room(agr, cl->when) + bound_room(agr, cl->requires);
  int32_t *b = px_malloc(sizeof(int32_t) * (size_t)cap);
  if (!b) return -1;
  int nb = 0;
  b[nb++] = agr->effective;
  if (cl->from > agr->effective) b[nb++] = cl->from;
  if (cl->through != DAY_MAX) b[nb++] = cl->through + 1;
  collect_date_bounds(agr, cl->window, b, &nb, cap);
  collect_date_bounds(agr, cl->when, b, &nb, cap);
  collect_date_bounds(agr, cl->requires, b, &nb, cap);
  qsort(b, (size_t)nb, sizeof(int32_t), cmp_i32);
  int u = 0;
  for (int i = 0; i < nb; i++)
    if (!u || b[u - 1] != b[i]) b[u++] = b[i];
  cl->bounds = arena_alloc(c->ar, sizeof(int32_t) * (size_t)u);
  if (cl->bounds) memcpy(cl->bounds, b, sizeof(int32_t) * (size_t)u);
  cl->nbounds = u;
  px_free(b);
  int reads = expr_reads(agr, cl->window) | expr_reads(agr, cl->when) | expr_reads(agr, cl->requires);
  cl->reads_state = (reads & 2) != 0;
  cl->when_static = cl->when >= 0 && (expr_reads(agr, cl->when) & 3) == 0;
  cl->date_dynamic = (uint8_t)(dynamic_date(agr, cl->window) || dynamic_date(agr, cl->when) ||
                               dynamic_date(agr, cl->requires));
  cl->has_arith = (uint8_t)(has_arith(agr, cl->window) || has_arith(agr, cl->when) || has_arith(agr, cl->requires));
  return cl->bounds ? 0 : -1;
}

/*
** Group the clauses by (action, principal) and order each group so that every exception
** comes before what it excepts. Linear in clauses plus exception edges: clauses are bucketed
** by group first, then each group is sorted topologically (Kahn's algorithm).
*/
static int build_groups(compiler *c) {
  pactum_agreement *agr = c->agr;
  int ng = agr->nactions * agr->nparties, nc = agr->nclauses;
  agr->groups = arena_alloc(c->ar, sizeof(cgroup) * (size_t)(ng ? ng : 1));
  int32_t *start = px_calloc((size_t)ng + 2, sizeof(int32_t));
  int32_t *order = px_malloc(sizeof(int32_t) * (size_t)(nc + 1));
  int32_t *pos = px_malloc(sizeof(int32_t) * (size_t)(nc + 1));
  int32_t *indeg = px_calloc((size_t)(nc + 1), sizeof(int32_t));
  int32_t *queue = px_malloc(sizeof(int32_t) * (size_t)(nc + 1));
  int32_t *fill = px_malloc(sizeof(int32_t) * (size_t)((ng > nc ? ng : nc) + 2));
  uint8_t *seen = px_calloc((size_t)agr->nstates + 1, 1);
  int rc = -1;
  if (!agr->groups || !start || !order || !pos || !indeg || !queue || !fill || !seen) goto out;
  for (int i = 0; i < nc; i++)
    if (clause_bounds(c, &agr->clauses[i])) goto out;
  /* Bucket the clauses by group, keeping file order within each. */
  for (int i = 0; i < nc; i++) start[agr->clauses[i].action * agr->nparties + agr->clauses[i].principal + 1]++;
  for (int g = 0; g < ng; g++) start[g + 1] += start[g];
  for (int g = 0; g <= ng; g++) fill[g] = start[g];
  for (int i = 0; i < nc; i++) order[fill[agr->clauses[i].action * agr->nparties + agr->clauses[i].principal]++] = i;
  /* Number of exceptions to each clause: its predecessors in the order. */
  for (int i = 0; i < nc; i++)
    for (int j = 0; j < agr->clauses[i].nexcepts; j++) indeg[agr->clauses[i].excepts[j]]++;
  for (int g = 0; g < ng; g++) {
    cgroup *gr = &agr->groups[g];
    const int32_t *members = order + start[g];
    int n = start[g + 1] - start[g];
    gr->n = n;
    gr->clause = arena_alloc(c->ar, sizeof(int32_t) * (size_t)(n + 1));
    gr->exc_start = arena_alloc(c->ar, sizeof(int32_t) * (size_t)(n + 2));
    if (!gr->clause || !gr->exc_start) goto out;
    if (n > agr->max_group) agr->max_group = n;
    if (!n) {
      gr->state_dep = "";
      continue;
    }
    int qh = 0, qt = 0, nedges = 0;
    for (int k = 0; k < n; k++) {
      nedges += agr->clauses[members[k]].nexcepts;
      if (indeg[members[k]] == 0) queue[qt++] = members[k];
    }
    int placed = 0;
    while (qh < qt) {
      int32_t ci = queue[qh++];
      pos[ci] = placed;
      gr->clause[placed++] = ci;
      const cclause *cl = &agr->clauses[ci];
      for (int j = 0; j < cl->nexcepts; j++)
        if (--indeg[cl->excepts[j]] == 0) queue[qt++] = cl->excepts[j];
    }
    if (placed != n) goto out; /* a cycle: check.c rejects those */
    /* Direct exceptions to the clause at position i, as positions, ascending. */
    gr->exc = arena_alloc(c->ar, sizeof(int32_t) * (size_t)(nedges + 1));
    if (!gr->exc) goto out;
    for (int i = 0; i <= n; i++) gr->exc_start[i] = 0;
    for (int k = 0; k < n; k++) {
      const cclause *x = &agr->clauses[gr->clause[k]];
      for (int j = 0; j < x->nexcepts; j++) gr->exc_start[pos[x->excepts[j]] + 1]++;
    }
    for (int i = 0; i < n; i++) gr->exc_start[i + 1] += gr->exc_start[i];
    for (int i = 0; i <= n; i++) fill[i] = gr->exc_start[i];
    for (int k = 0; k < n; k++) {
      const cclause *x = &agr->clauses[gr->clause[k]];
      for (int j = 0; j < x->nexcepts; j++) gr->exc[fill[pos[x->excepts[j]]]++] = k;
    }
    memset(seen, 0, (size_t)agr->nstates + 1);
    for (int i = 0; i < n; i++) {
      const cclause *cl = &agr->clauses[gr->clause[i]];
      collect_state(agr, cl->window, seen);
      collect_state(agr, cl->when, seen);
      collect_state(agr, cl->requires, seen);
    }
    buf sd;
    buf_init(&sd);
    for (int s = 0; s < agr->nstates; s++)
      if (seen[s]) {
        if (sd.len) buf_puts(&sd, ", ");
        buf_puts(&sd, agr->states[s].name);
        gr->nslots++;
      }
    if (gr->nslots && !(gr->slots = arena_alloc(c->ar, sizeof(int32_t) * (size_t)gr->nslots))) {
      buf_release(&sd);
      goto out;
    }
    for (int s = 0, k = 0; s < agr->nstates; s++)
      if (seen[s]) gr->slots[k++] = s;
    size_t len;
    gr->state_dep = arena_buf(c, &sd, &len);
    if (!gr->state_dep) goto out;
  }
  rc = 0;
out:
  px_free(start);
  px_free(order);
  px_free(pos);
  px_free(indeg);
  px_free(queue);
  px_free(fill);
  px_free(seen);
  if (rc) c->oom = 1;
  return rc;
}

/* A body's groups and the quorum's requirements, as check.c resolved them (name_ref index: the member, the group). */
static int compile_body_groups(compiler *c, const body_decl *b, cbody *cb) {
  int nn = 0;
  for (const body_need *n = b->needs; n; n = n->next) nn++;
  cb->groups = arena_alloc(c->ar, sizeof(char *) * (size_t)(b->ngroups ? b->ngroups : 1));
  cb->in_group = arena_alloc(c->ar, (size_t)(b->ngroups ? b->ngroups : 1) * (size_t)(b->nmembers ? b->nmembers : 1));
  cb->need_group = arena_alloc(c->ar, sizeof(int) * (size_t)(nn ? nn : 1));
  cb->need_count = arena_alloc(c->ar, sizeof(int) * (size_t)(nn ? nn : 1));
  if (!cb->groups || !cb->in_group || !cb->need_group || !cb->need_count) return -1;
  memset(cb->in_group, 0, (size_t)(b->ngroups ? b->ngroups : 1) * (size_t)(b->nmembers ? b->nmembers : 1));
  for (const body_group *g = b->groups; g; g = g->next) {
    cb->groups[cb->ngroups] = g->name;
    for (const name_ref *m = g->members; m; m = m->next)
      if (m->index >= 0) cb->in_group[(size_t)cb->ngroups * (size_t)b->nmembers + (size_t)m->index] = 1;
    cb->ngroups++;
  }
  for (const body_need *n = b->needs; n; n = n->next) {
    cb->need_group[cb->nneeds] = n->group.index;
    cb->need_count[cb->nneeds++] = (int)n->count;
  }
  return 0;
}

/* The quotations of the term and of the named sets, in one list (they are only verified). */
static int compile_name_cites(compiler *c, const ast_file *f) {
  int n = 0;
  const citation *term_cites;
  for (const set_decl *sd = f->sets; sd; sd = sd->next)
    for (const citation *x = sd->cites; x; x = x->next) n++;
  if (f->term)
    for (const citation *x = f->term->cites; x; x = x->next) n++;
  ccite *out = arena_alloc(c->ar, sizeof(ccite) * (size_t)(n ? n : 1));
  if (!out) return -1;
  int k = 0;
  for (const set_decl *sd = f->sets; sd; sd = sd->next) {
    int m = 0;
    ccite *one = compile_cites(c, sd->cites, &m);
    if (!one) return -1;
    memcpy(out + k, one, sizeof(ccite) * (size_t)m);
    k += m;
  }
  term_cites = f->term ? f->term->cites : NULL;
  if (term_cites) {
    int m = 0;
    ccite *one = compile_cites(c, term_cites, &m);
    if (!one) return -1;
    memcpy(out + k, one, sizeof(ccite) * (size_t)m);
    k += m;
  }
  c->agr->name_cites = out;
  c->agr->nname_cites = k;
  return 0;
}

/*
** The first-class obligations (obligations.h): their parties, triggers, deadlines and amounts, and
** their hidden slots, numbered from nstates + ncommits. Returns 0, or -1 when memory ran out.
*/
static int compile_obligations(compiler *c, const ast_file *f) {
  pactum_agreement *agr = c->agr;
  int n = 0;
  for (const obligation_decl *o = f->obligations; o; o = o->next) n++;
  agr->nobligs = n;
  if (!(agr->obligs = arena_alloc(c->ar, sizeof(cobl) * (size_t)(n ? n : 1)))) return -1;
  int slot = agr->nstates + agr->ncommits, i = 0;
  for (const obligation_decl *o = f->obligations; o; o = o->next, i++) {
    cobl *ob = &agr->obligs[i];
    memset(ob, 0, sizeof *ob);
    ob->id = o->name;
    ob->what = o->what ? o->what : "";
    ob->owed_by = agreement_find_party(agr, o->owed_by.name, strlen(o->owed_by.name));
    ob->owed_to = agreement_find_party(agr, o->owed_to.name, strlen(o->owed_to.name));
    ob->trigger = o->trigger;
    ob->trig_event = -1;
    ob->trig_cond = -1;
    ob->slot_trig = ob->slot_trig_seq = ob->slot_trig_key = ob->slot_trig_amount = -1;
    ob->slot_ful_key = ob->slot_ful_count = ob->slot_dis = -1;
    if (o->trigger == OBT_EVENT) {
      ob->trig_event = agreement_find_event(agr, o->on_event.name, strlen(o->on_event.name));
      if (o->on_when && (ob->trig_cond = cx(c, o->on_when)) < 0) return -1;
      ob->slot_trig = slot++;
      ob->slot_trig_seq = slot++;
      if (o->has_where) ob->slot_trig_key = slot++;
      if (o->amount == OBA_FIELD) ob->slot_trig_amount = slot++;
    }
    ob->every_months = o->every_months;
    ob->from = o->from;
    ob->until = o->has_until ? o->until : DAY_MAX;
    ob->at_day = o->at_day;
    ob->due_relative = o->due_relative;
    ob->due_day = o->due_day;
    ob->due_count = o->due_count;
    ob->due_unit = o->due_unit;
    ob->amount = o->amount;
    ob->amount_value = o->amount_value;
    ob->is_money = o->amount_money;
    ob->amount_field = o->amount_field;
    ob->ful_event = agreement_find_event(agr, o->ful_event.name, strlen(o->ful_event.name));
    ob->dis_event = o->dis_event.name ? agreement_find_event(agr, o->dis_event.name, strlen(o->dis_event.name)) : -1;
    ob->has_where = o->has_where;
    ob->trig_key = o->trig_key_field;
    ob->ful_key = o->ful_key_field;
    ob->count_field = o->count_field;
    ob->slot_ful = slot++;
    if (o->has_where) ob->slot_ful_key = slot++;
    if (o->count_field >= 0) ob->slot_ful_count = slot++;
    if (ob->dis_event >= 0) ob->slot_dis = slot++;
    if (!(ob->cites = compile_cites(c, o->cites, &ob->ncites))) return -1;
  }
  agr->nhidden = slot - (agr->nstates + agr->ncommits);
  return 0;
}

#define ALLOC_N(ptr, n) ((ptr) = arena_alloc(c.ar, sizeof(*(ptr)) * (size_t)((n) ? (n) : 1)))

int compile_agreement(pactum_agreement *agr, const ast_file *f) {
  compiler c;
  memset(&c, 0, sizeof c);
  c.agr = agr;
  c.ar = &agr->ar;
  pactum_summary *sum = &agr->summary;
  memset(sum, 0, sizeof *sum);
  agr->id = f->id;
  agr->version = f->version;
  agr->title = f->title ? f->title : "";
  agr->effective = f->effective;
  agr->supersedes = f->supersedes;
  agr->supersedes_id = f->sup_id;
  agr->supersedes_version = f->sup_version;

  for (const party_decl *p = f->parties; p; p = p->next) agr->nparties++;
  for (const source_decl *s = f->sources; s; s = s->next) agr->nsources++;
  for (const action_decl *a = f->actions; a; a = a->next) agr->nactions++;
  for (const state_decl *s = f->states; s; s = s->next) agr->nstates++;
  for (const event_decl *e = f->events; e; e = e->next) agr->nevents++;
  for (const clause_decl *cl = f->clauses; cl; cl = cl->next) agr->nclauses++;
  for (const commitment_decl *m = f->commitments; m; m = m->next) agr->ncommits++;
  for (const fact_decl *fa = f->facts; fa; fa = fa->next) agr->nfacts++;
  for (const body_decl *b = f->bodies; b; b = b->next) agr->nbodies++;
  if (!ALLOC_N(agr->parties, agr->nparties) || !ALLOC_N(agr->sources, agr->nsources) ||
      !ALLOC_N(agr->actions, agr->nactions) || !ALLOC_N(agr->states, agr->nstates) ||
      !ALLOC_N(agr->events, agr->nevents) || !ALLOC_N(agr->clauses, agr->nclauses) ||
      !ALLOC_N(agr->commits, agr->ncommits) || !ALLOC_N(agr->facts, agr->nfacts) ||
      !ALLOC_N(agr->bodies, agr->nbodies))
    goto oom;

  int i = 0;
  for (const party_decl *p = f->parties; p; p = p->next, i++) {
    agr->parties[i].name = p->name;
    agr->parties[i].title = p->title ? p->title : "";
  }
  i = 0;
  for (const source_decl *s = f->sources; s; s = s->next, i++) {
    csource *cs = &agr->sources[i];
    cs->name = s->name;
    cs->ref = s->ref;
    cs->title = s->title ? s->title : "";
    cs->conf = s->conf;
  }
  i = 0;
  for (const action_decl *a = f->actions; a; a = a->next, i++) {
    caction *ca = &agr->actions[i];
    ca->name = a->name;
    ca->nattrs = a->nattrs;
    ca->exhaustive = a->exhaustive;
    ALLOC_N(ca->principal_ok, agr->nparties);
    ALLOC_N(ca->attrs, a->nattrs);
    if (!ca->principal_ok || !ca->attrs) goto oom;
    buf pt;
    buf_init(&pt);
    for (const name_ref *r = a->principals; r; r = r->next) {
      int pi = agreement_find_party(agr, r->name, strlen(r->name));
      if (pi >= 0) ca->principal_ok[pi] = 1;
      if (pt.len) buf_puts(&pt, ", ");
      buf_puts(&pt, r->name);
    }
    size_t len;
    if (!(ca->principals_text = arena_buf(&c, &pt, &len))) goto oom;
    int k = 0;
    for (const attr_decl *x = a->attrs; x; x = x->next, k++) {
      cattr *at = &ca->attrs[k];
      at->name = x->name;
      at->is_context = x->is_context;
      at->type = x->type;
      buf q;
      buf_init(&q);
      buf_printf(&q, "%s.%s", x->is_context ? "context" : "resource", x->name);
      if (!(at->qname = arena_buf(&c, &q, &len))) goto oom;
      if (x->def) {
        at->has_default = 1;
        at->def = const_value(&c, x->def);
      } else {
        ca->required |= (uint64_t)1 << k;
      }
    }
    sum->attributes += a->nattrs;
  }
  i = 0;
  for (const state_decl *s = f->states; s; s = s->next, i++) {
    agr->states[i].name = s->name;
    agr->states[i].type = s->type;
    agr->states[i].init = s->init ? const_value(&c, s->init) : 0; /* a ref without one starts at no event */
  }
  i = 0;
  for (const body_decl *b = f->bodies; b; b = b->next, i++) {
    cbody *cb = &agr->bodies[i];
    cb->name = b->name;
    cb->title = b->title ? b->title : "";
    cb->quorum = (int)b->quorum;
    if (!ALLOC_N(cb->members, b->nmembers)) goto oom;
    for (const name_ref *m = b->members; m; m = m->next) cb->members[cb->nmembers++] = m->name;
    if (compile_body_groups(&c, b, cb)) goto oom;
  }
  i = 0;
  for (const event_decl *e = f->events; e; e = e->next, i++) {
    cevent *ce = &agr->events[i];
    ce->name = e->name;
    int nr = 0;
    for (const name_ref *r = e->recorders; r; r = r->next) nr++;
    if (!ALLOC_N(ce->recorders, nr)) goto oom;
    for (const name_ref *r = e->recorders; r; r = r->next) {
      crecorder *cr = &ce->recorders[ce->nrecorders++];
      cr->is_body = r->index >= 0;
      cr->index = cr->is_body ? r->index : agreement_find_party(agr, r->name, strlen(r->name));
    }
    ce->nfields = e->nfields;
    if (!ALLOC_N(ce->fields, e->nfields)) goto oom;
    int k = 0;
    for (const field_decl *fd = e->fields; fd; fd = fd->next, k++) {
      ce->fields[k].name = fd->name;
      ce->fields[k].type = fd->type;
      if (fd->type.kind == TY_REF) agr->events[fd->type.target_ev].referenced = 1;
    }
  }
  for (const transition_decl *t = f->transitions; t; t = t->next) {
    cevent *ce = &agr->events[t->event_index];
    int n = 0;
    for (const stmt *s = t->stmts; s; s = s->next) n++;
    if (!ALLOC_N(ce->stmts, n)) goto oom;
    ce->nstmts = n;
    if (!(ce->cites = compile_cites(&c, t->cites, &ce->ncites))) goto oom;
    int k = 0;
    for (const stmt *s = t->stmts; s; s = s->next, k++) {
      cstmt *cs = &ce->stmts[k];
      cs->kind = s->kind;
      cs->reason = s->reason;
      cs->slot = s->slot;
      cs->cond = cx_opt(&c, s->cond);
      cs->value = -1;
      if (s->kind == ST_SET) {
        int32_t n2 = emit(&c, s->value, X_TEST);
        if (n2 < 0) goto oom;
        xop x = c.code[n2];
        operand(&c, s->value, &x.lsrc, &x.lslot, &x.lk);
        c.code[n2] = x;
        cs->value = n2;
      }
    }
    sum->transitions++;
  }
  term_compile(agr, f);
  if (compile_name_cites(&c, f)) goto oom;
  /* Clauses, in source order. */
  i = 0;
  for (const clause_decl *cl = f->clauses; cl; cl = cl->next, i++) {
    cclause *cc = &agr->clauses[i];
    cc->id = cl->name;
    cc->kind = cl->kind;
    cc->at = cl->at;
    cc->principal = agreement_find_party(agr, cl->principal.name, strlen(cl->principal.name));
    cc->action = agreement_find_action(agr, cl->action.name, strlen(cl->action.name));
    cc->from = cl->has_from ? cl->from : agr->effective;
    if (cc->from < agr->effective) cc->from = agr->effective;
    cc->through = cl->has_through ? cl->through : DAY_MAX;
    if (!cl->survives) term_bound_clause(agr, &cc->from, &cc->through);
    cc->when = cx_opt(&c, cl->when);
    cc->requires = cx_opt(&c, cl->requires);
    cc->window = -1;
    int nw = 0;
    for (const window_cond *w = cl->windows; w; w = w->next) nw++;
    if (!ALLOC_N(cc->win, nw) || !ALLOC_N(cc->win_until, nw)) goto oom;
    for (const window_cond *w = cl->windows; w; w = w->next) {
      int32_t n = cx(&c, w->cond);
      cc->win[cc->nwin] = n;
      cc->win_until[cc->nwin++] = (uint8_t)w->negate;
      if (w->negate) {
        int32_t m = emit(&c, w->cond, X_NOT);
        if (m < 0) goto oom;
        c.code[m].a = n;
        n = m;
      }
      if (cc->window >= 0) {
        int32_t m = emit(&c, NULL, X_AND);
        if (m < 0) goto oom;
        c.code[m].a = cc->window;
        c.code[m].b = n;
        n = m;
      }
      cc->window = n;
    }
    int ne = 0;
    for (const name_ref *r = cl->excepts; r; r = r->next) ne += r->index >= 0;
    if (!ALLOC_N(cc->excepts, ne)) goto oom;
    for (const name_ref *r = cl->excepts; r; r = r->next)
      if (r->index >= 0) cc->excepts[cc->nexcepts++] = r->index;
    if (!(cc->cites = compile_cites(&c, cl->cites, &cc->ncites))) goto oom;
    int nn = 0;
    for (const note *x = cl->notes; x; x = x->next) nn++;
    if (!ALLOC_N(cc->notes, nn)) goto oom;
    for (const note *x = cl->notes; x; x = x->next) cc->notes[cc->nnotes++] = x->text;
    buf fr;
    buf_init(&fr);
    buf_puts(&fr, "{\"clause\":");
    buf_json_cstr(&fr, cc->id);
    buf_printf(&fr, ",\"kind\":\"%s\",\"text\":", kind_name(cc->kind));
    buf_json_str(&fr, cc->ncites ? cc->cites[0].text : "", cc->ncites ? cc->cites[0].len : 0);
    buf_puts(&fr, ",\"source\":");
    buf_json_cstr(&fr, cc->ncites ? cc->cites[0].source : "");
    buf_putc(&fr, '}');
    if (!(cc->frag = arena_buf(&c, &fr, &cc->frag_len))) goto oom;
    buf idj;
    buf_init(&idj);
    buf_json_cstr(&idj, cc->id);
    if (!(cc->idjson = arena_buf(&c, &idj, &cc->idjson_len))) goto oom;
    sum->clauses++;
    if (cl->kind == CL_PERMISSION) sum->permissions++;
    else if (cl->kind == CL_PROHIBITION) sum->prohibitions++;
    else sum->obligations++;
    if (cc->nexcepts) sum->exceptions++;
  }
  i = 0;
  for (const commitment_decl *m = f->commitments; m; m = m->next, i++) {
    ccommit *cm = &agr->commits[i];
    cm->id = m->name;
    cm->what = m->what ? m->what : "";
    cm->unit = m->unit ? m->unit : "";
    cm->total = m->total;
    cm->is_money = m->total_is_money;
    cm->owed_by = agreement_find_party(agr, m->owed_by.name, strlen(m->owed_by.name));
    cm->owed_to = agreement_find_party(agr, m->owed_to.name, strlen(m->owed_to.name));
    cm->event = agreement_find_event(agr, m->count_event.name, strlen(m->count_event.name));
    cm->field = -1;
    const cevent *ce = &agr->events[cm->event];
    for (int k = 0; k < ce->nfields; k++)
      if (strcmp(ce->fields[k].name, m->count_field.name) == 0) cm->field = k;
    cm->since = m->has_since ? m->since : DAY_MIN;
    cm->where = cx_opt(&c, m->where);
    cm->has_deadline = m->has_deadline;
    cm->deadline = m->deadline;
    if (!(cm->cites = compile_cites(&c, m->cites, &cm->ncites))) goto oom;
  }
  i = 0;
  for (const fact_decl *fa = f->facts; fa; fa = fa->next, i++) {
    cfact *cf = &agr->facts[i];
    cf->name = fa->name;
    cf->unit = fa->unit ? fa->unit : "";
    cf->type = fa->value->type;
    cf->value = fa->value->value;
    cf->str = fa->value->type.kind == TY_STRING ? fa->value->str : NULL;
    if (!(cf->cites = compile_cites(&c, fa->cites, &cf->ncites))) goto oom;
  }
  if (compile_obligations(&c, f)) goto oom;
  if (c.oom) goto oom;

  /* Move the growable arrays into the arena. */
  agr->ncode = c.ncode;
  agr->code = arena_alloc(c.ar, sizeof(xop) * (size_t)(c.ncode ? c.ncode : 1));
  agr->nvcode = c.nvcode;
  agr->vcode = arena_alloc(c.ar, sizeof(vop) * (size_t)(c.nvcode ? c.nvcode : 1));
  if (!agr->vcode) goto oom;
  if (c.nvcode) memcpy(agr->vcode, c.vcode, sizeof(vop) * (size_t)c.nvcode);
  agr->nconsts = c.nconsts;
  agr->consts = arena_alloc(c.ar, sizeof(int64_t) * (size_t)(c.nconsts ? c.nconsts : 1));
  agr->nstrs = c.nstrs;
  agr->strs = arena_alloc(c.ar, sizeof(char *) * (size_t)(c.nstrs ? c.nstrs : 1));
  agr->str_lens = arena_alloc(c.ar, sizeof(size_t) * (size_t)(c.nstrs ? c.nstrs : 1));
  if (!agr->code || !agr->consts || !agr->strs || !agr->str_lens) goto oom;
  if (c.ncode) memcpy(agr->code, c.code, sizeof(xop) * (size_t)c.ncode);
  if (c.nconsts) memcpy(agr->consts, c.consts, sizeof(int64_t) * (size_t)c.nconsts);
  if (c.nstrs) {
    memcpy(agr->strs, c.strs, sizeof(char *) * (size_t)c.nstrs);
    memcpy(agr->str_lens, c.lens, sizeof(size_t) * (size_t)c.nstrs);
    agr->str_table = arena_alloc(c.ar, sizeof(int32_t) * (c.mask + 1));
    if (!agr->str_table) goto oom;
    memcpy(agr->str_table, c.table, sizeof(int32_t) * (c.mask + 1));
    agr->str_mask = c.mask;
  }
  if (build_groups(&c)) goto oom;

  sum->parties = agr->nparties;
  sum->sources = agr->nsources;
  sum->actions = agr->nactions;
  sum->states = agr->nstates;
  sum->events = agr->nevents;
  sum->commitments = agr->ncommits;
  sum->facts = agr->nfacts;
  px_free(c.code);
  px_free(c.vcode);
  px_free(c.consts);
  px_free(c.strs);
  px_free(c.lens);
  px_free(c.table);
  return PACTUM_OK;
oom:
  px_free(c.code);
  px_free(c.vcode);
  px_free(c.consts);
  px_free(c.strs);
  px_free(c.lens);
  px_free(c.table);
  return PACTUM_ENOMEM;
}

static int find_name(const char *const *names, size_t stride, int n, const char *s, size_t len) {
  const char *base = (const char *)names;
  for (int i = 0; i < n; i++) {
    const char *name = *(const char *const *)(const void *)(base + (size_t)i * stride);
    if (strlen(name) == len && memcmp(name, s, len) == 0) return i;
  }
  return -1;
}

int agreement_find_action(const pactum_agreement *agr, const char *s, size_t n) {
  return find_name(&agr->actions[0].name, sizeof(caction), agr->nactions, s, n);
}
int agreement_find_party(const pactum_agreement *agr, const char *s, size_t n) {
  return find_name(&agr->parties[0].name, sizeof(cparty), agr->nparties, s, n);
}
int agreement_find_event(const pactum_agreement *agr, const char *s, size_t n) {
  return find_name(&agr->events[0].name, sizeof(cevent), agr->nevents, s, n);
}
