/*
** eval.c: the decision engine. Evaluates compiled conditions and decides a request with
** the default-logic rules of docs/language.md. The hot path (pactum_decide) does no string
** lookups and no allocation: every buffer it writes belongs to the pactum_decision.
*/
#include "agreement.h"
#include "alloc.h"
#include "date.h"
#include "error.h"
#include "num.h"

#include <string.h>
#include "banned.h"

/* An operand computed by arithmetic: kept out of line, so plain operands pay nothing for it. */
__attribute__((cold, noinline)) static int64_t computed_operand(const xop *x, int right, const xenv *env) {
  return value_eval(env->agr, right ? x->rslot : x->lslot, env);
}

int64_t eval_operand(const xop *x, int right, const xenv *env) {
  uint8_t src = right ? x->rsrc : x->lsrc;
  int32_t slot = right ? x->rslot : x->lslot;
  switch (src) {
  case SRC_CONST: return right ? x->rk : x->lk;
  case SRC_ATTR: return env->attrs[slot];
  case SRC_STATE: return env->state[slot];
  case SRC_EVENT: return env->event[slot];
  case SRC_DATE: return env->day;
  default: return computed_operand(x, right, env); /* SRC_EXPR: arithmetic (value.c) */
  }
}

int eval_expr(const pactum_agreement *agr, int32_t root, const xenv *env) {
  const xop *x = &agr->code[root];
  switch (x->op) {
  case X_TRUE: return 1;
  case X_TEST: return eval_operand(x, 0, env) != 0;
  case X_EQ: return eval_operand(x, 0, env) == eval_operand(x, 1, env);
  case X_NE: return eval_operand(x, 0, env) != eval_operand(x, 1, env);
  case X_LT: return eval_operand(x, 0, env) < eval_operand(x, 1, env);
  case X_LE: return eval_operand(x, 0, env) <= eval_operand(x, 1, env);
  case X_GT: return eval_operand(x, 0, env) > eval_operand(x, 1, env);
  case X_GE: return eval_operand(x, 0, env) >= eval_operand(x, 1, env);
  case X_IN: {
    int64_t v = eval_operand(x, 0, env);
    const int64_t *k = agr->consts + x->a;
    for (int32_t i = 0; i < x->b; i++)
      if (k[i] == v) return 1;
    return 0;
  }
  case X_NOT: return !eval_expr(agr, x->a, env);
  case X_AND: return eval_expr(agr, x->a, env) && eval_expr(agr, x->b, env);
  case X_OR: return eval_expr(agr, x->a, env) || eval_expr(agr, x->b, env);
  case X_RECORDED: return (int)((env->recorders >> (x->lk & 63)) & 1);
  }
  return 0;
}

pactum_decision *pactum_decision_new(const pactum_agreement *agr) {
  pactum_decision *d = px_calloc(1, sizeof *d);
  if (!d) return NULL;
  size_t n = (size_t)agr->max_group + 1;
  d->agr = agr;
  d->det = px_malloc(sizeof(int32_t) * n);
  d->over = px_malloc(sizeof(int32_t) * n);
  d->obl = px_malloc(sizeof(int32_t) * n);
  d->scratch = px_malloc(3 * n);
  d->row = px_malloc(sizeof(int64_t) * ((size_t)(agr->nstates + agr->ncommits) + 1));
  if (!d->det || !d->over || !d->obl || !d->scratch || !d->row) {
    pactum_decision_free(d);
    return NULL;
  }
  d->outcome = PACTUM_NOT_APPLICABLE;
  d->state_dep = "";
  d->valid_until = DAY_MAX;
  d->fault_clause = -1;
  return d;
}

void pactum_decision_free(pactum_decision *d) {
  if (!d) return;
  px_free(d->det);
  px_free(d->over);
  px_free(d->obl);
  px_free(d->scratch);
  px_free(d->row);
  px_free(d);
}

/* Sort a short list of clause indices into file order. */
static void sort_small(int32_t *v, int n) {
  for (int i = 1; i < n; i++) {
    int32_t x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

enum { OUT_ALLOW = 1, OUT_DENY = 2 };

/* Lower *next to the first day after env->day on which a date comparison in root may turn. */
static void dynamic_bounds(const pactum_agreement *agr, int32_t root, const xenv *env, int32_t *next) {
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) {
    dynamic_bounds(agr, x->a, env, next);
    return;
  }
  if (x->op == X_AND || x->op == X_OR) {
    dynamic_bounds(agr, x->a, env, next);
    dynamic_bounds(agr, x->b, env, next);
    return;
  }
  if (x->op < X_EQ || x->op > X_GE) return;
  if (x->flags & XF_DATE_EXPR) {
    /* Arithmetic over the date: no turning day is computed, so the answer holds for this day only. */
    if (env->day < DAY_MAX && env->day + 1 < *next) *next = env->day + 1;
    return;
  }
  int64_t k;
  if (x->lsrc == SRC_DATE && x->rsrc != SRC_DATE) k = eval_operand(x, 1, env);
  else if (x->rsrc == SRC_DATE && x->lsrc != SRC_DATE) k = eval_operand(x, 0, env);
  else return;
  /* The comparison may turn on day k and on the day after it. */
  if (k > env->day && k < *next) *next = (int32_t)k;
  else if (k == env->day && k < DAY_MAX && k + 1 < *next) *next = (int32_t)(k + 1);
}

/* Whether clause c applies on env's day and state, request attributes aside. */
static int in_effect(const pactum_agreement *agr, const cclause *c, const xenv *env) {
  if (env->day < c->from || env->day > c->through) return 0;
  return c->window < 0 || eval_expr(agr, c->window, env);
}

int clause_in_effect(const pactum_agreement *agr, const cclause *c, const int64_t *st, int32_t day) {
  xenv env = {NULL, st, NULL, day, 0, agr, NULL};
  return in_effect(agr, c, &env);
}

int pactum_decide(const pactum_agreement *agr, const pactum_timeline *tl,
                  const pactum_request *req, pactum_decision *d) {
  if (req->agr != agr || d->agr != agr || req->action < 0) return PACTUM_EINPUT;
  const caction *act = &agr->actions[req->action];
  if ((act->required & ~req->set) != 0) return PACTUM_EINPUT;
  int gi = req->action * agr->nparties + req->principal;
  const cgroup *g = &agr->groups[gi];
  /* Only the state slots that the group's clauses read, each found by binary search. */
  const int64_t *st = agr->init;
  if (tl && g->nslots) {
    timeline_slots(tl, req->day, g->slots, g->nslots, d->row);
    st = d->row;
  }
  int fault = 0;
  xenv env = {req->vals, st, NULL, req->day, 0, agr, &fault};
  uint8_t *live = d->scratch, *res = d->scratch + g->n, *sub = d->scratch + 2 * g->n;
  int conflict_at = -1;
  int32_t next = DAY_MAX;
  int reads_state = 0;
  d->group = gi;
  d->day = req->day;
  d->ndet = d->nover = d->nobl = 0;
  d->fault = 0;
  d->fault_clause = -1;

  /* Exceptions come first in g's order, so each clause sees its exceptions' results. */
  for (int i = 0; i < g->n; i++) {
    const cclause *c = &agr->clauses[g->clause[i]];
    /*
    ** A clause whose `when` reads only request attributes and fails can never apply to this
    ** request, so its dates and state cannot change the answer; any other clause can.
    */
    int when = -1;
    if (c->when_static) when = eval_expr(agr, c->when, &env);
    if (when != 0) {
      int lo = 0, hi = c->nbounds;
      while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->bounds[mid] <= req->day) lo = mid + 1;
        else hi = mid;
      }
      if (lo < c->nbounds && c->bounds[lo] < next) next = c->bounds[lo];
      if (c->date_dynamic) {
        if (c->window >= 0) dynamic_bounds(agr, c->window, &env, &next);
        if (c->when >= 0) dynamic_bounds(agr, c->when, &env, &next);
        if (c->requires >= 0) dynamic_bounds(agr, c->requires, &env, &next);
      }
      reads_state |= c->reads_state;
    }
    int app = when != 0 && in_effect(agr, c, &env) && (when == 1 || c->when < 0 || eval_expr(agr, c->when, &env));
    uint8_t below = 0, live_exc = 0;
    for (int32_t k = g->exc_start[i]; k < g->exc_start[i + 1]; k++) {
      live_exc |= live[g->exc[k]];
      below |= sub[g->exc[k]];
    }
    live[i] = (uint8_t)(app || live_exc);
    res[i] = 0;
    if (app && live_exc) {
      d->over[d->nover++] = g->clause[i];
    } else if (app) {
      if (c->kind == CL_PROHIBITION) res[i] = OUT_DENY;
      else if (c->kind == CL_PERMISSION)
        res[i] = c->requires < 0 || eval_expr(agr, c->requires, &env) ? OUT_ALLOW : OUT_DENY;
      else
        d->obl[d->nobl++] = g->clause[i];
    }
    sub[i] = (uint8_t)(res[i] | below);
    if (below == (OUT_ALLOW | OUT_DENY) && conflict_at < 0) conflict_at = i;
    if (c->has_arith && fault) {
      /* Arithmetic failed (overflow, division by zero): no answer, and the clause is named. */
      d->fault = fault;
      d->fault_clause = g->clause[i];
      d->outcome = PACTUM_NOT_APPLICABLE;
      d->ndet = d->nover = d->nobl = 0;
      d->valid_until = DAY_MAX;
      d->reads_state = 0;
      d->state_dep = "";
      return PACTUM_EINPUT;
    }
  }

  if (conflict_at >= 0) {
    /* Report the effective clauses under the clause whose exceptions disagree. */
    uint8_t *mark = live; /* reuse: live[] is no longer needed */
    memset(mark, 0, (size_t)g->n);
    mark[conflict_at] = 1;
    for (int j = conflict_at; j >= 0; j--) {
      if (!mark[j]) continue;
      for (int32_t k = g->exc_start[j]; k < g->exc_start[j + 1]; k++) mark[g->exc[k]] = 1;
    }
    for (int j = 0; j < conflict_at; j++)
      if (mark[j] && res[j]) d->det[d->ndet++] = g->clause[j];
    d->outcome = PACTUM_CONFLICT;
  } else {
    uint8_t all = 0;
    for (int i = 0; i < g->n; i++) all |= res[i];
    uint8_t win = (all & OUT_DENY) ? OUT_DENY : all;
    d->outcome = win == OUT_DENY ? PACTUM_DENY : win == OUT_ALLOW ? PACTUM_ALLOW : PACTUM_NOT_APPLICABLE;
    for (int i = 0; i < g->n; i++) {
      if (!res[i]) continue;
      if (res[i] == win) d->det[d->ndet++] = g->clause[i];
      else d->over[d->nover++] = g->clause[i]; /* a permission beaten by a prohibition */
    }
  }
  sort_small(d->det, d->ndet);
  sort_small(d->over, d->nover);
  sort_small(d->obl, d->nobl);

  /* valid_until: the first day after this one on which a clause that could apply may turn. */
  d->valid_until = next;
  d->reads_state = reads_state;
  d->state_dep = g->state_dep;
  return PACTUM_OK;
}

int pactum_decision_error(const pactum_decision *d, pactum_error *err) {
  if (!d->fault || d->fault_clause < 0)
    return error_set(err, PACTUM_EINPUT, "missing_attribute",
                     "the request cannot be decided: an attribute without a default is not given");
  const pactum_agreement *agr = d->agr;
  const cclause *c = &agr->clauses[d->fault_clause];
  return error_set(err, PACTUM_EINPUT, d->fault == NUM_EDIVZERO ? "division_by_zero" : "overflow",
                   "clause '%s' cannot be decided: %s in its arithmetic (line %u)", c->id, num_strerror(d->fault),
                   (unsigned)c->at.line);
}

pactum_outcome pactum_decision_outcome(const pactum_decision *d) { return d->outcome; }

const char *pactum_outcome_name(pactum_outcome o) {
  switch (o) {
  case PACTUM_ALLOW: return "allow";
  case PACTUM_DENY: return "deny";
  case PACTUM_CONFLICT: return "conflict";
  default: return "not_applicable";
  }
}

size_t pactum_decision_determining_count(const pactum_decision *d) { return (size_t)d->ndet; }

const char *pactum_decision_determining_id(const pactum_decision *d, size_t i) {
  return i < (size_t)d->ndet ? d->agr->clauses[d->det[i]].id : NULL;
}

/* A bounded writer that keeps counting past its capacity, like snprintf. */
typedef struct sink {
  char *p;
  size_t len, cap;
} sink;

static void put(sink *s, const char *x, size_t n) {
  if (s->len + n < s->cap) memcpy(s->p + s->len, x, n);
  s->len += n;
}
#define PUTS(s, lit) put((s), (lit), sizeof(lit) - 1)

static void put_frags(sink *s, const pactum_agreement *agr, const int32_t *v, int n, int ids_only) {
  PUTS(s, "[");
  for (int i = 0; i < n; i++) {
    const cclause *c = &agr->clauses[v[i]];
    if (i) PUTS(s, ",");
    if (ids_only) put(s, c->idjson, c->idjson_len);
    else put(s, c->frag, c->frag_len);
  }
  PUTS(s, "]");
}

size_t pactum_decision_to_json(const pactum_decision *d, char *out, size_t cap) {
  sink s = {out, 0, cap};
  const pactum_agreement *agr = d->agr;
  switch (d->outcome) {
  case PACTUM_ALLOW: PUTS(&s, "{\"decision\":\"allow\",\"determining\":"); break;
  case PACTUM_DENY: PUTS(&s, "{\"decision\":\"deny\",\"determining\":"); break;
  case PACTUM_CONFLICT: PUTS(&s, "{\"decision\":\"conflict\",\"determining\":"); break;
  default: PUTS(&s, "{\"decision\":\"not_applicable\",\"determining\":"); break;
  }
  put_frags(&s, agr, d->det, d->ndet, 0);
  PUTS(&s, ",\"overridden\":");
  put_frags(&s, agr, d->over, d->nover, 1);
  PUTS(&s, ",\"obligations\":");
  put_frags(&s, agr, d->obl, d->nobl, 0);
  if (d->valid_until != DAY_MAX) {
    char day[11];
    date_format(d->valid_until, day);
    PUTS(&s, ",\"valid_until\":{\"date\":\"");
    put(&s, day, 10);
    if (d->reads_state) {
      /* The answer may also change earlier, when an event changes this state. */
      PUTS(&s, "\",\"state\":\"");
      put(&s, d->state_dep, strlen(d->state_dep));
    }
    PUTS(&s, "\"},");
  } else if (d->reads_state) {
    PUTS(&s, ",\"valid_until\":{\"state\":\"");
    put(&s, d->state_dep, strlen(d->state_dep));
    PUTS(&s, "\"},");
  } else {
    PUTS(&s, ",\"valid_until\":null,");
  }
  put(&s, agr->tail, agr->tail_len);
  if (s.len < cap) out[s.len] = '\0';
  else if (cap) out[0] = '\0';
  return s.len;
}
