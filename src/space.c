/*
** space.c: the finite decision space of one agreement or two (see space.h): date segments,
** representative attribute and event values, the states reachable by events, and a walk
** that decides every point through pactum_decide.
*/
#include "space.h"
#include "body.h"
#include "alloc.h"
#include "date.h"
#include "num.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

static void set_limit(space *sp, const char *what);

/* ---- Sets of JSON literals ------------------------------------------------------------ */

static void vals_release(space_vals *s) {
  for (int i = 0; i < s->n; i++) px_free(s->v[i]);
  px_free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

/* Add the literal in b (consumed) unless the set holds it already. -1 when out of memory. */
static int vals_add_buf(space_vals *s, buf *b) {
  if (b->failed) {
    buf_release(b);
    return -1;
  }
  const char *t = b->data ? b->data : "";
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->v[i], t) == 0) {
      buf_release(b);
      return 0;
    }
  char **v = px_grow(s->v, s->n, &s->cap, sizeof *v, 8);
  if (!v) {
    buf_release(b);
    return -1;
  }
  s->v = v;
  char *d = buf_detach(b);
  if (!d) return -1;
  s->v[s->n++] = d;
  return 0;
}

static int vals_add_str(space_vals *s, const char *str, size_t n) {
  buf b;
  buf_init(&b);
  buf_json_str(&b, str, n);
  return vals_add_buf(s, &b);
}

static int vals_add_i64(space_vals *s, int64_t v) {
  buf b;
  buf_init(&b);
  buf_i64(&b, v);
  return vals_add_buf(s, &b);
}

/* A money or decimal value (millionths, num.h) as JSON: whole units, or an exact decimal string. */
static int vals_add_num(space_vals *s, int64_t v) {
  buf b;
  buf_init(&b);
  num_json(&b, v);
  return vals_add_buf(s, &b);
}

/* A day as a JSON string, if it is a real day of years 1..9999. */
static int vals_add_day(space_vals *s, int64_t d) {
  if (d < date_from_ymd(1, 1, 1) || d > date_from_ymd(9999, 12, 31)) return 0;
  char t[11];
  date_format((int32_t)d, t);
  return vals_add_str(s, t, 10);
}

/* The representatives of value k of type t: k itself, and its neighbours where order matters. */
static int vals_add_typed(space_vals *s, const pactum_agreement *agr, type_ref t, int64_t k) {
  switch (t.kind) {
  case TY_BOOL: return 0; /* bools are added whole, by vals_add_finite */
  case TY_ENUM: return k >= 0 && k < t.en->n ? vals_add_str(s, t.en->names[k], strlen(t.en->names[k])) : 0;
  case TY_STRING: return k >= 0 && k < agr->nstrs ? vals_add_str(s, agr->strs[k], agr->str_lens[k]) : 0;
  case TY_DATE:
    return vals_add_day(s, k - 1) || vals_add_day(s, k) || vals_add_day(s, k + 1) ? -1 : 0;
  case TY_INTEGER:
    if (k > INT64_MIN && vals_add_i64(s, k - 1)) return -1;
    if (vals_add_i64(s, k)) return -1;
    return k < INT64_MAX ? vals_add_i64(s, k + 1) : 0;
  case TY_MONEY:
  case TY_DECIMAL:
    /* The neighbours are a millionth away: the smallest step of these values (num.h). */
    if (k > INT64_MIN && vals_add_num(s, k - 1)) return -1;
    if (vals_add_num(s, k)) return -1;
    return k < INT64_MAX ? vals_add_num(s, k + 1) : 0;
  default: return 0;
  }
}

/* The whole domain of a finite type: both bools, every member of an enum. */
static int vals_add_finite(space_vals *s, type_ref t) {
  if (t.kind == TY_BOOL) {
    buf b;
    buf_init(&b);
    buf_puts(&b, "false");
    if (vals_add_buf(s, &b)) return -1;
    buf_init(&b);
    buf_puts(&b, "true");
    return vals_add_buf(s, &b);
  }
  if (t.kind == TY_ENUM)
    for (int i = 0; i < t.en->n; i++)
      if (vals_add_str(s, t.en->names[i], strlen(t.en->names[i]))) return -1;
  return 0;
}

/*
** Add the constants that expression root compares with operand (src, slot): for `x OP k`,
** `k OP x` and `x in [..]`. Constants of another type (a bool test) add nothing.
*/
static int collect_consts(const pactum_agreement *agr, int32_t root, uint8_t src, int slot, type_ref t,
                          space_vals *s) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  switch (x->op) {
  case X_NOT: return collect_consts(agr, x->a, src, slot, t, s);
  case X_AND:
  case X_OR:
    return collect_consts(agr, x->a, src, slot, t, s) || collect_consts(agr, x->b, src, slot, t, s) ? -1 : 0;
  case X_IN:
    if (x->lsrc == src && x->lslot == slot)
      for (int32_t i = 0; i < x->b; i++)
        if (vals_add_typed(s, agr, t, agr->consts[x->a + i])) return -1;
    return 0;
  case X_EQ: case X_NE: case X_LT: case X_LE: case X_GT: case X_GE:
    if (x->lsrc == src && x->lslot == slot && x->rsrc == SRC_CONST) return vals_add_typed(s, agr, t, x->rk);
    if (x->rsrc == src && x->rslot == slot && x->lsrc == SRC_CONST) return vals_add_typed(s, agr, t, x->lk);
    return 0;
  default: return 0;
  }
}

/* A string no agreement of the space mentions, standing for every other string. */
static int vals_add_other(const space *sp, space_vals *s) {
  char t[32];
  for (int i = 0;; i++) {
    if (i) snprintf(t, sizeof t, "other-%d", i);
    else snprintf(t, sizeof t, "other");
    int taken = 0;
    for (int k = 0; k < sp->nsides; k++) taken |= agreement_string_id(sp->agr[k], t, strlen(t)) >= 0;
    if (!taken) return vals_add_str(s, t, strlen(t));
  }
}

/* Types with no natural constants still need a value: 0 for numbers, the first segment's day. */
static int vals_add_fallback(const space *sp, space_vals *s, type_ref t) {
  if (t.kind == TY_STRING) return vals_add_other(sp, s);
  if (t.kind == TY_INTEGER || t.kind == TY_MONEY || t.kind == TY_DECIMAL) return s->n ? 0 : vals_add_i64(s, 0);
  if (t.kind == TY_DATE)
    for (int i = 0; i < sp->ndays; i++)
      if (vals_add_typed(s, sp->agr[0], t, sp->days[i])) return -1;
  return 0;
}

/*
** The representatives of number or date state variable v of agr: its initial value and every
** constant it is compared with anywhere, with their neighbours. They stand in for the values an
** event field or the date is compared with when the other side of the comparison is v.
*/
static int state_reps(const pactum_agreement *agr, int v, space_vals *out) {
  type_ref t = agr->states[v].type;
  if (t.kind != TY_INTEGER && t.kind != TY_MONEY && t.kind != TY_DECIMAL && t.kind != TY_DATE) return 0;
  if (vals_add_typed(out, agr, t, agr->states[v].init)) return -1;
  for (int c = 0; c < agr->nclauses; c++) {
    const cclause *cl = &agr->clauses[c];
    if (collect_consts(agr, cl->when, SRC_STATE, v, t, out) || collect_consts(agr, cl->requires, SRC_STATE, v, t, out) ||
        collect_consts(agr, cl->window, SRC_STATE, v, t, out))
      return -1;
  }
  for (int e = 0; e < agr->nevents; e++)
    for (int k = 0; k < agr->events[e].nstmts; k++)
      if (collect_consts(agr, agr->events[e].stmts[k].cond, SRC_STATE, v, t, out)) return -1;
  return 0;
}

/* Mark in seen[] the state variables that root compares with operand (src, slot). */
static void state_partners(const pactum_agreement *agr, int32_t root, uint8_t src, int slot, uint8_t *seen) {
  if (root < 0) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) {
    state_partners(agr, x->a, src, slot, seen);
    return;
  }
  if (x->op == X_AND || x->op == X_OR) {
    state_partners(agr, x->a, src, slot, seen);
    state_partners(agr, x->b, src, slot, seen);
    return;
  }
  if (x->op < X_EQ || x->op > X_GE) return;
  int left = x->lsrc == src && (src == SRC_DATE || x->lslot == slot);
  int right = x->rsrc == src && (src == SRC_DATE || x->rslot == slot);
  if (left && x->rsrc == SRC_STATE) seen[x->rslot] = 1;
  if (right && x->lsrc == SRC_STATE) seen[x->lslot] = 1;
}

/* ---- Date segments ---------------------------------------------------------------------- */

static int day_cmp(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

typedef struct days_acc {
  int32_t *v;
  int n, cap;
} days_acc;

static int days_add(days_acc *d, int64_t k) {
  if (k < date_from_ymd(1, 1, 1) || k > date_from_ymd(9999, 12, 31)) return 0;
  int32_t *v = px_grow(d->v, d->n, &d->cap, sizeof *v, 64);
  if (!v) return -1;
  d->v = v;
  d->v[d->n++] = (int32_t)k;
  return 0;
}

/* The days on which a comparison of `date` with a constant in root may turn: k and k+1. */
static int collect_days(const pactum_agreement *agr, int32_t root, days_acc *d) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  switch (x->op) {
  case X_NOT: return collect_days(agr, x->a, d);
  case X_AND:
  case X_OR: return collect_days(agr, x->a, d) || collect_days(agr, x->b, d) ? -1 : 0;
  case X_IN:
    if (x->lsrc == SRC_DATE)
      for (int32_t i = 0; i < x->b; i++)
        if (days_add(d, agr->consts[x->a + i]) || days_add(d, agr->consts[x->a + i] + 1)) return -1;
    return 0;
  case X_EQ: case X_NE: case X_LT: case X_LE: case X_GT: case X_GE: {
    int64_t k;
    if (x->lsrc == SRC_DATE && x->rsrc == SRC_CONST) k = x->rk;
    else if (x->rsrc == SRC_DATE && x->lsrc == SRC_CONST) k = x->lk;
    else return 0;
    return days_add(d, k) || days_add(d, k + 1) ? -1 : 0;
  }
  default: return 0;
  }
}

/* Whether root reads the date at all. */
static int reads_date(const pactum_agreement *agr, int32_t root) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return reads_date(agr, x->a);
  if (x->op == X_AND || x->op == X_OR) return reads_date(agr, x->a) || reads_date(agr, x->b);
  return x->lsrc == SRC_DATE || (x->op != X_IN && x->op != X_TEST && x->rsrc == SRC_DATE);
}

static int build_days(space *sp) {
  days_acc d = {NULL, 0, 0};
  int32_t lo = DAY_MAX;
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    if (agr->effective < lo) lo = agr->effective;
    if (days_add(&d, agr->effective)) goto oom;
    for (int i = 0; i < agr->nclauses; i++)
      for (int k = 0; k < agr->clauses[i].nbounds; k++)
        if (days_add(&d, agr->clauses[i].bounds[k])) goto oom;
    for (int e = 0; e < agr->nevents; e++)
      for (int k = 0; k < agr->events[e].nstmts; k++)
        if (collect_days(agr, agr->events[e].stmts[k].cond, &d)) goto oom;
    /* A date state variable compared with the date: its representatives are days the answer may turn. */
    uint8_t *seen = px_calloc((size_t)agr->nstates + 1, 1);
    if (!seen) goto oom;
    for (int c = 0; c < agr->nclauses; c++) {
      state_partners(agr, agr->clauses[c].when, SRC_DATE, 0, seen);
      state_partners(agr, agr->clauses[c].requires, SRC_DATE, 0, seen);
      state_partners(agr, agr->clauses[c].window, SRC_DATE, 0, seen);
    }
    for (int v = 0; v < agr->nstates; v++) {
      if (!seen[v] || agr->states[v].type.kind != TY_DATE) continue;
      space_vals reps = {0, 0, NULL};
      int bad = state_reps(agr, v, &reps);
      for (int i = 0; i < reps.n && !bad; i++) {
        int32_t day;
        if (date_parse(reps.v[i] + 1, 10, &day) == 0) bad = days_add(&d, day) || days_add(&d, (int64_t)day + 1);
      }
      vals_release(&reps);
      if (bad) {
        px_free(seen);
        goto oom;
      }
    }
    px_free(seen);
  }
  if (d.n) qsort(d.v, (size_t)d.n, sizeof(int32_t), day_cmp);
  sp->days = px_malloc(sizeof(int32_t) * (size_t)(d.n ? d.n : 1));
  if (!sp->days) goto oom;
  for (int i = 0; i < d.n; i++)
    if (d.v[i] >= lo && (!sp->ndays || sp->days[sp->ndays - 1] != d.v[i])) sp->days[sp->ndays++] = d.v[i];
  px_free(d.v);
  return 0;
oom:
  px_free(d.v);
  return -1;
}

/* ---- Reachable states -------------------------------------------------------------------- */

/* The state variables of side s after everything in tl (tl's own row). */
static const int64_t *state_vals(const space *sp, int s, const pactum_timeline *tl) {
  (void)sp;
  (void)s;
  return timeline_now(tl);
}

/*
** Two states are the same when their state variables are, and when the same event kinds have
** been folded among those a ref can name (the seq of kind k is always k + 1: see try_event).
*/
static int same_state(const space *sp, pactum_timeline *const *a, pactum_timeline *const *b) {
  for (int s = 0; s < sp->nsides; s++) {
    int n = sp->agr[s]->nstates;
    if (n && memcmp(state_vals(sp, s, a[s]), state_vals(sp, s, b[s]), sizeof(int64_t) * (size_t)n) != 0) return 0;
    for (int k = 0; k < sp->nkinds; k++)
      if (timeline_ref_type(a[s], k + 1) != timeline_ref_type(b[s], k + 1)) return 0;
  }
  return 1;
}

/*
** One event type as the space sees it: its name and the representatives of each field, by name.
** When its `on` blocks read `recorded by`, a last pseudo-field "recorded_by" takes every set of the
** recorders they name, as JSON arrays of signer names (a body by a quorum of its members, body_quorum_example).
*/
typedef struct ev_kind {
  const char *name;
  int nfields;
  const char **fields;
  space_vals *vals;
} ev_kind;

static void ev_kinds_free(ev_kind *k, int n) {
  for (int i = 0; i < n; i++) {
    for (int f = 0; f < k[i].nfields; f++) vals_release(&k[i].vals[f]);
    px_free(k[i].fields);
    px_free(k[i].vals);
  }
  px_free(k);
}

static int kind_index(const ev_kind *k, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(k[i].name, name) == 0) return i;
  return -1;
}

static int field_index(const ev_kind *k, const char *name) {
  for (int j = 0; j < k->nfields; j++)
    if (strcmp(k->fields[j], name) == 0) return j;
  return -1;
}

/*
** A ref field takes one value: the seq that every event of its target kind is folded with (the
** kind's index + 1). A ref that names no folded event of that kind is refused, so it reaches no
** state; and a ref that tells apart two events of one kind cannot be written (docs/verify.md#limits).
*/
static int ref_reps(space *sp, ev_kind *k, int n) {
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    for (int e = 0; e < agr->nevents; e++)
      for (int f = 0; f < agr->events[e].nfields; f++) {
        const cfield *fd = &agr->events[e].fields[f];
        if (fd->type.kind != TY_REF) continue;
        int i = kind_index(k, n, agr->events[e].name), t = kind_index(k, n, fd->type.target);
        int j = i >= 0 ? field_index(&k[i], fd->name) : -1;
        if (j >= 0 && t >= 0 && vals_add_i64(&k[i].vals[j], t + 1)) return -1;
      }
  }
  return 0;
}

/* Mark in seen[] (indexed by recorders bit) the parties and bodies root tests with `recorded by`. */
static void recorded_bits(const pactum_agreement *agr, int32_t root, uint8_t *seen) {
  if (root < 0) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) recorded_bits(agr, x->a, seen);
  else if (x->op == X_AND || x->op == X_OR) {
    recorded_bits(agr, x->a, seen);
    recorded_bits(agr, x->b, seen);
  } else if (x->op == X_RECORDED) {
    seen[x->lk & 63] = 1;
  }
}

#define SPACE_MAX_RECORDERS 8 /* recorders named per event kind: their 2^8 sets are tried */

/* The recorders named by `recorded by` in the on blocks of kind k, by name (parties, then bodies). */
static int recorder_names(const space *sp, const ev_kind *k, const char **names) {
  int n = 0;
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    int e = agreement_find_event(agr, k->name, strlen(k->name));
    if (e < 0) continue;
    uint8_t seen[64] = {0};
    for (int st = 0; st < agr->events[e].nstmts; st++) recorded_bits(agr, agr->events[e].stmts[st].cond, seen);
    for (int b = 0; b < 64; b++) {
      if (!seen[b]) continue;
      const char *name = b < agr->nparties ? agr->parties[b].name : agr->bodies[b - agr->nparties].name;
      int dup = 0;
      for (int i = 0; i < n; i++) dup |= strcmp(names[i], name) == 0;
      if (!dup && n < 64) names[n++] = name;
    }
  }
  return n;
}

/* Append to out the signer names that make `name` a recorder: itself, or a quorum of a body's members. */
static void recorder_claim(const space *sp, const char *name, int *first, buf *out) {
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    if (agreement_find_party(agr, name, strlen(name)) >= 0) {
      buf_puts(out, *first ? "" : ",");
      buf_json_cstr(out, name);
      *first = 0;
      return;
    }
    for (int b = 0; b < agr->nbodies; b++) {
      const cbody *bd = &agr->bodies[b];
      if (strcmp(bd->name, name) != 0) continue;
      int *quorum = px_malloc(sizeof(int) * (size_t)(bd->nmembers ? bd->nmembers : 1));
      if (!quorum) {
        out->failed = 1;
        return;
      }
      int n = body_quorum_example(bd, quorum);
      for (int k = 0; k < n; k++) {
        buf_puts(out, *first ? "\"" : ",\"");
        buf_puts(out, bd->name);
        buf_putc(out, '.');
        buf_puts(out, bd->members[quorum[k]]);
        buf_putc(out, '"');
        *first = 0;
      }
      px_free(quorum);
      return;
    }
  }
}

/* The pseudo-field "recorded_by" of each kind whose on blocks read `recorded by`: every set of those recorders. */
static int recorder_reps(space *sp, ev_kind *k, int n) {
  for (int i = 0; i < n; i++) {
    const char *names[64];
    int r = recorder_names(sp, &k[i], names);
    if (!r) continue;
    if (r > SPACE_MAX_RECORDERS) {
      set_limit(sp, "an event type's 'recorded by' conditions name more recorders than the limit");
      r = SPACE_MAX_RECORDERS;
    }
    int j = k[i].nfields++;
    k[i].fields[j] = "recorded_by";
    for (uint32_t set = 0; set < (1u << r); set++) {
      buf b;
      buf_init(&b);
      buf_putc(&b, '[');
      int first = 1;
      for (int bit = 0; bit < r; bit++)
        if (set & (1u << bit)) recorder_claim(sp, names[bit], &first, &b);
      buf_putc(&b, ']');
      if (vals_add_buf(&k[i].vals[j], &b)) return -1;
    }
  }
  return 0;
}

/* The event types of every side, merged by name, with their fields merged by name. */
static ev_kind *ev_kinds_build(space *sp, int *nout) {
  int cap = 0;
  for (int s = 0; s < sp->nsides; s++) cap += sp->agr[s]->nevents;
  ev_kind *k = px_calloc((size_t)(cap ? cap : 1), sizeof *k);
  if (!k) return NULL;
  int n = 0;
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    for (int e = 0; e < agr->nevents; e++) {
      const cevent *ev = &agr->events[e];
      int i = 0;
      while (i < n && strcmp(k[i].name, ev->name) != 0) i++;
      if (i == n) {
        k[n].name = ev->name;
        int fcap = 1; /* room for "recorded_by" */
        for (int t = 0; t < sp->nsides; t++) {
          int ei = agreement_find_event(sp->agr[t], ev->name, strlen(ev->name));
          if (ei >= 0) fcap += sp->agr[t]->events[ei].nfields;
        }
        k[n].fields = px_calloc((size_t)(fcap ? fcap : 1), sizeof(char *));
        k[n].vals = px_calloc((size_t)(fcap ? fcap : 1), sizeof(space_vals));
        n++;
        if (!k[i].fields || !k[i].vals) goto oom;
      }
      for (int f = 0; f < ev->nfields; f++) {
        const cfield *fd = &ev->fields[f];
        int j = 0;
        while (j < k[i].nfields && strcmp(k[i].fields[j], fd->name) != 0) j++;
        if (j == k[i].nfields) k[i].fields[k[i].nfields++] = fd->name;
        space_vals *v = &k[i].vals[j];
        if (vals_add_finite(v, fd->type)) goto oom;
        uint8_t *partners = px_calloc((size_t)agr->nstates + 1, 1);
        if (!partners) goto oom;
        int bad = 0;
        for (int st = 0; st < ev->nstmts && !bad; st++) {
          bad = collect_consts(agr, ev->stmts[st].cond, SRC_EVENT, f, fd->type, v) ||
                collect_consts(agr, ev->stmts[st].value, SRC_EVENT, f, fd->type, v);
          state_partners(agr, ev->stmts[st].cond, SRC_EVENT, f, partners);
        }
        /* A field compared with a state variable takes that variable's representatives. */
        for (int sv = 0; sv < agr->nstates && !bad; sv++)
          if (partners[sv] && agr->states[sv].type.kind == fd->type.kind) bad = state_reps(agr, sv, v);
        px_free(partners);
        if (bad) goto oom;
        if (vals_add_fallback(sp, v, fd->type)) goto oom;
      }
    }
  }
  if (ref_reps(sp, k, n) || recorder_reps(sp, k, n)) goto oom;
  *nout = n;
  return k;
oom:
  ev_kinds_free(k, n);
  return NULL;
}

static int add_state(space *sp, int seg, int parent, char *event, pactum_timeline **tl) {
  space_state *v = px_grow(sp->states, sp->nstates, &sp->capstates, sizeof *v, 16);
  if (!v) return -1;
  sp->states = v;
  space_state *st = &sp->states[sp->nstates++];
  memset(st, 0, sizeof *st);
  st->seg = seg;
  st->parent = parent;
  st->event = event;
  for (int s = 0; s < sp->nsides; s++) st->tl[s] = tl[s];
  return 0;
}

static void set_limit(space *sp, const char *what) {
  if (!sp->incomplete) snprintf(sp->limit, sizeof sp->limit, "%s", what);
  sp->incomplete = 1;
}

/*
** Try event instance (kind k, number kind, combination c) dated day on state i. Every event of
** kind k is folded with seq kind + 1, so that refs, `event.seq` and ref state stay finite (see
** docs/verify.md#limits). A side that does not know the event type ignores it; a side that
** refuses it (a guard, a missing field, a ref) makes the transition impossible. A new state is
** appended, labelled seg.
*/
static int try_event(space *sp, const ev_kind *k, int kind, uint64_t c, int i, int seg, long *budget) {
  if (--*budget < 0) {
    set_limit(sp, "too many events to try while searching for reachable states");
    return 0;
  }
  char day[11];
  date_format(sp->days[seg], day);
  buf full;
  buf_init(&full);
  buf_puts(&full, "{\"type\":");
  buf_json_cstr(&full, k->name);
  buf_printf(&full, ",\"date\":\"%s\"", day);
  uint64_t rest = c;
  int pick[MAX_ATTRS * SPACE_MAX_SIDES];
  for (int f = 0; f < k->nfields; f++) {
    int n = k->vals[f].n ? k->vals[f].n : 1;
    pick[f] = (int)(rest % (uint64_t)n);
    rest /= (uint64_t)n;
    if (!k->vals[f].n) continue;
    buf_putc(&full, ',');
    buf_json_cstr(&full, k->fields[f]);
    buf_putc(&full, ':');
    buf_puts(&full, k->vals[f].v[pick[f]]);
  }
  buf_putc(&full, '}');
  pactum_timeline *tl[SPACE_MAX_SIDES] = {NULL, NULL};
  int rc = 0, ok = !full.failed;
  for (int s = 0; s < sp->nsides && ok; s++) {
    const pactum_agreement *agr = sp->agr[s];
    int ei = agreement_find_event(agr, k->name, strlen(k->name));
    if (!(tl[s] = timeline_copy(sp->states[i].tl[s]))) {
      rc = -1;
      break;
    }
    if (ei < 0) continue;
    /* This side's part of the event: the fields it declares. */
    buf part;
    buf_init(&part);
    buf_puts(&part, "{\"type\":");
    buf_json_cstr(&part, k->name);
    buf_printf(&part, ",\"date\":\"%s\"", day);
    for (int f = 0; f < k->nfields; f++) {
      int known = strcmp(k->fields[f], "recorded_by") == 0;
      for (int g = 0; g < agr->events[ei].nfields; g++) known |= strcmp(agr->events[ei].fields[g].name, k->fields[f]) == 0;
      if (!known || !k->vals[f].n) continue;
      buf_putc(&part, ',');
      buf_json_cstr(&part, k->fields[f]);
      buf_putc(&part, ':');
      buf_puts(&part, k->vals[f].v[pick[f]]);
    }
    buf_putc(&part, '}');
    pactum_error err;
    int r = part.failed ? PACTUM_ENOMEM : pactum_timeline_append_seq(tl[s], part.data, part.len, kind + 1, &err);
    buf_release(&part);
    if (r == PACTUM_ENOMEM) rc = -1;
    if (r != PACTUM_OK) ok = 0;
  }
  int known = rc == 0 && ok;
  for (int j = 0; known && j < sp->nstates; j++)
    if (same_state(sp, sp->states[j].tl, tl)) known = 0, ok = 0;
  if (rc == 0 && ok) {
    if (sp->nstates >= SPACE_MAX_STATES) {
      set_limit(sp, "more reachable states than the limit");
    } else {
      char *ev = buf_detach(&full);
      if (!ev || add_state(sp, seg, i, ev, tl)) {
        px_free(ev);
        rc = -1;
      } else {
        return 0; /* the timelines now belong to the new state */
      }
    }
  }
  buf_release(&full);
  for (int s = 0; s < sp->nsides; s++) pactum_timeline_free(tl[s]);
  return rc;
}

static int build_states(space *sp) {
  pactum_timeline *tl[SPACE_MAX_SIDES] = {NULL, NULL};
  for (int s = 0; s < sp->nsides; s++)
    if (!(tl[s] = pactum_timeline_new(sp->agr[s]))) {
      for (int t = 0; t < s; t++) pactum_timeline_free(tl[t]);
      return -1;
    }
  if (add_state(sp, 0, -1, NULL, tl)) {
    for (int s = 0; s < sp->nsides; s++) pactum_timeline_free(tl[s]);
    return -1;
  }
  int nk = 0;
  ev_kind *k = ev_kinds_build(sp, &nk);
  if (!k) return -1;
  sp->kinds = px_calloc((size_t)(nk ? nk : 1), sizeof *sp->kinds);
  if (!sp->kinds) {
    ev_kinds_free(k, nk);
    return -1;
  }
  for (int e = 0; e < nk; e++) sp->kinds[e] = k[e].name;
  sp->nkinds = nk;
  /* When no transition reads the date, what is reachable does not depend on the day. */
  int dated = 0;
  for (int s = 0; s < sp->nsides; s++)
    for (int e = 0; e < sp->agr[s]->nevents; e++)
      for (int t = 0; t < sp->agr[s]->events[e].nstmts; t++) {
        const cstmt *st = &sp->agr[s]->events[e].stmts[t];
        dated |= reads_date(sp->agr[s], st->cond) || (st->kind == ST_SET && reads_date(sp->agr[s], st->value));
      }
  long budget = SPACE_MAX_TRANSITIONS;
  int rc = 0;
  for (int seg = 0; seg < (dated ? sp->ndays : (sp->ndays ? 1 : 0)) && rc == 0; seg++) {
    for (int i = 0; i < sp->nstates && rc == 0; i++) {
      for (int e = 0; e < nk && rc == 0; e++) {
        uint64_t combos = 1;
        for (int f = 0; f < k[e].nfields; f++) {
          combos *= (uint64_t)(k[e].vals[f].n ? k[e].vals[f].n : 1);
          if (combos > SPACE_MAX_EVENT_INSTANCES) {
            combos = SPACE_MAX_EVENT_INSTANCES;
            set_limit(sp, "an event type has more field combinations than the limit");
            break;
          }
        }
        for (uint64_t c = 0; c < combos && rc == 0; c++) rc = try_event(sp, &k[e], e, c, i, seg, &budget);
      }
    }
  }
  ev_kinds_free(k, nk);
  return rc;
}

/* ---- Groups and their attribute domains ------------------------------------------------- */

static int find_group(const space *sp, const char *principal, const char *action) {
  for (int g = 0; g < sp->ngroups; g++)
    if (!strcmp(sp->groups[g].principal, principal) && !strcmp(sp->groups[g].action, action)) return g;
  return -1;
}

int space_find_group(const space *sp, const char *principal, const char *action) {
  return find_group(sp, principal, action);
}

static int build_groups(space *sp) {
  int cap = 0;
  for (int s = 0; s < sp->nsides; s++) cap += sp->agr[s]->nactions * sp->agr[s]->nparties;
  sp->groups = px_calloc((size_t)(cap ? cap : 1), sizeof(space_group));
  if (!sp->groups) return -1;
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    for (int a = 0; a < agr->nactions; a++) {
      const caction *act = &agr->actions[a];
      for (int p = 0; p < agr->nparties; p++) {
        if (!act->principal_ok[p]) continue;
        int g = find_group(sp, agr->parties[p].name, act->name);
        if (g < 0) {
          g = sp->ngroups++;
          space_group *ng = &sp->groups[g];
          ng->principal = px_strdup(agr->parties[p].name);
          ng->action = px_strdup(act->name);
          ng->attrs = px_calloc(MAX_ATTRS * SPACE_MAX_SIDES, sizeof(space_attr));
          if (!ng->principal || !ng->action || !ng->attrs) return -1;
          ng->exhaustive = s == 0 && act->exhaustive;
        }
        space_group *gr = &sp->groups[g];
        gr->present[s] = 1;
        gr->nclauses[s] = agr->groups[a * agr->nparties + p].n;
        for (int k = 0; k < act->nattrs; k++) {
          const cattr *at = &act->attrs[k];
          int j = 0;
          while (j < gr->nattrs && strcmp(gr->attrs[j].qname, at->qname) != 0) j++;
          if (j == gr->nattrs) {
            if (!(gr->attrs[j].qname = px_strdup(at->qname))) return -1;
            gr->nattrs++;
          }
          space_vals *v = &gr->attrs[j].vals;
          if (vals_add_finite(v, at->type)) return -1;
          /* The default itself (not its neighbours): requests that leave the attribute out. */
          if (at->has_default) {
            int rc = at->type.kind == TY_STRING ? vals_add_typed(v, agr, at->type, at->def)
                     : at->type.kind == TY_INTEGER ? vals_add_i64(v, at->def)
                     : at->type.kind == TY_MONEY || at->type.kind == TY_DECIMAL ? vals_add_num(v, at->def)
                     : at->type.kind == TY_DATE ? vals_add_day(v, at->def)
                                                : 0;
            if (rc) return -1;
          }
          /* Every clause of this action compares the attribute with its constants. */
          uint8_t *partners = px_calloc((size_t)agr->nstates + 1, 1);
          if (!partners) return -1;
          int bad = 0;
          for (int c = 0; c < agr->nclauses && !bad; c++) {
            const cclause *cl = &agr->clauses[c];
            if (cl->action != a) continue;
            bad = collect_consts(agr, cl->when, SRC_ATTR, k, at->type, v) ||
                  collect_consts(agr, cl->requires, SRC_ATTR, k, at->type, v);
            state_partners(agr, cl->when, SRC_ATTR, k, partners);
            state_partners(agr, cl->requires, SRC_ATTR, k, partners);
          }
          /* Compared with a state variable: every value it takes in a reachable state, and its neighbours. */
          for (int sv = 0; sv < agr->nstates && !bad; sv++) {
            if (!partners[sv] || agr->states[sv].type.kind != at->type.kind) continue;
            for (int i = 0; i < sp->nstates && !bad; i++)
              bad = vals_add_typed(v, agr, at->type, state_vals(sp, s, sp->states[i].tl[s])[sv]);
          }
          px_free(partners);
          if (bad) return -1;
          if (vals_add_fallback(sp, v, at->type)) return -1;
        }
      }
    }
  }
  for (int g = 0; g < sp->ngroups; g++) {
    space_group *gr = &sp->groups[g];
    gr->ncombos = 1;
    for (int j = 0; j < gr->nattrs; j++) {
      gr->ncombos *= (uint64_t)(gr->attrs[j].vals.n ? gr->attrs[j].vals.n : 1);
      if (gr->ncombos > SPACE_MAX_COMBOS) {
        gr->ncombos = SPACE_MAX_COMBOS;
        set_limit(sp, "an action has more attribute combinations than the limit");
        break;
      }
    }
  }
  return 0;
}

/* ---- Comparisons the representatives do not cover ------------------------------------ */

/* The type of operand (src, slot) in a clause of action `action` or the on block of event `ev`. */
static type_kind operand_kind(const pactum_agreement *agr, uint8_t src, int32_t slot, int action, int ev) {
  switch (src) {
  case SRC_ATTR: return action >= 0 ? agr->actions[action].attrs[slot].type.kind : TY_NONE;
  case SRC_STATE: return agr->states[slot].type.kind;
  case SRC_EVENT: /* a field, or past them the event's seq */
    return ev < 0 ? TY_NONE : slot < agr->events[ev].nfields ? agr->events[ev].fields[slot].type.kind : TY_REF;
  case SRC_DATE: return TY_DATE;
  default: return TY_NONE;
  }
}

static const char *operand_name(const pactum_agreement *agr, uint8_t src, int32_t slot, int action, int ev) {
  switch (src) {
  case SRC_ATTR: return action >= 0 ? agr->actions[action].attrs[slot].qname : "an attribute";
  case SRC_STATE: return agr->states[slot].name;
  case SRC_EVENT:
    return ev < 0 ? "an event field" : slot < agr->events[ev].nfields ? agr->events[ev].fields[slot].name : "event.seq";
  default: return "date";
  }
}

/*
** Arithmetic (value.c): the representatives are the constants compared with plain operands, so a
** computed value (a price times a quantity, a date plus 30 days) may turn between them. Noted
** with the expression's text.
*/
static void note_arith(space *sp, const pactum_agreement *agr, int32_t vroot) {
  const vop *v = &agr->vcode[vroot];
  uint32_t a = v->start < agr->src_len ? v->start : 0, b = v->end <= agr->src_len && v->end > a ? v->end : a;
  int n = (int)(b - a > 80 ? 80 : b - a);
  snprintf(sp->approx, sizeof sp->approx, "'%.*s' is computed (arithmetic), and its values are not all tried", n,
           agr->src + a);
}

/*
** Note in sp->approx the first comparison of root between two values that are not constants,
** of a type whose values are represented (string, integer, money, date) rather than enumerated.
*/
static void find_approx(space *sp, const pactum_agreement *agr, int32_t root, int action, int ev) {
  if (root < 0 || sp->approx[0]) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) {
    find_approx(sp, agr, x->a, action, ev);
    return;
  }
  if (x->op == X_AND || x->op == X_OR) {
    find_approx(sp, agr, x->a, action, ev);
    find_approx(sp, agr, x->b, action, ev);
    return;
  }
  if (x->op >= X_EQ && x->op <= X_GE && (x->lsrc == SRC_EXPR || x->rsrc == SRC_EXPR)) {
    note_arith(sp, agr, x->lsrc == SRC_EXPR ? x->lslot : x->rslot);
    return;
  }
  if (x->op < X_EQ || x->op > X_GE || x->lsrc == SRC_CONST || x->rsrc == SRC_CONST) return;
  type_kind k = operand_kind(agr, x->lsrc, x->lslot, action, ev);
  if (k == TY_BOOL || k == TY_ENUM || k == TY_NONE) return;
  snprintf(sp->approx, sizeof sp->approx, "'%s' is compared with '%s'", operand_name(agr, x->lsrc, x->lslot, action, ev),
           operand_name(agr, x->rsrc, x->rslot, action, ev));
}

/* How many operands of root read event field `slot`. */
static int field_uses(const pactum_agreement *agr, int32_t root, int slot) {
  if (root < 0) return 0;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) return field_uses(agr, x->a, slot);
  if (x->op == X_AND || x->op == X_OR) return field_uses(agr, x->a, slot) + field_uses(agr, x->b, slot);
  return (x->lsrc == SRC_EVENT && x->lslot == slot) +
         (x->op != X_IN && x->op != X_TEST && x->op != X_RECORDED && x->rsrc == SRC_EVENT && x->rslot == slot);
}

/*
** Whether statement k of event e is `require FIELD == STATE` for a ref field read nowhere else in
** its block. The space folds every event of one kind with one seq, so a ref compares equal to any
** other ref of its kind; for this guard that is exact: the field may name the event the state
** variable holds (a ref state only ever holds the seq of a folded event of its kind), and the
** event it names changes nothing else. Other comparisons of two refs may tell apart two events of
** one kind, which the space cannot (docs/verify.md#limits).
*/
static int exact_ref_guard(const pactum_agreement *agr, int e, int k) {
  const cevent *ev = &agr->events[e];
  const cstmt *st = &ev->stmts[k];
  if (st->kind != ST_REQUIRE || st->cond < 0) return 0;
  const xop *x = &agr->code[st->cond];
  if (x->op != X_EQ) return 0;
  int field = x->lsrc == SRC_EVENT && x->rsrc == SRC_STATE ? x->lslot
              : x->rsrc == SRC_EVENT && x->lsrc == SRC_STATE ? x->rslot
                                                             : -1;
  if (field < 0 || field >= ev->nfields || ev->fields[field].type.kind != TY_REF) return 0;
  int uses = 0;
  for (int t = 0; t < ev->nstmts; t++)
    uses += field_uses(agr, ev->stmts[t].cond, field) + (ev->stmts[t].kind == ST_SET ? field_uses(agr, ev->stmts[t].value, field) : 0);
  return uses == 1;
}

static void build_approx(space *sp) {
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    for (int c = 0; c < agr->nclauses; c++) {
      const cclause *cl = &agr->clauses[c];
      find_approx(sp, agr, cl->when, cl->action, -1);
      find_approx(sp, agr, cl->requires, cl->action, -1);
      find_approx(sp, agr, cl->window, cl->action, -1);
    }
    for (int e = 0; e < agr->nevents; e++)
      for (int k = 0; k < agr->events[e].nstmts; k++) {
        const cstmt *st = &agr->events[e].stmts[k];
        if (!exact_ref_guard(agr, e, k)) find_approx(sp, agr, st->cond, -1, e);
        if (!sp->approx[0] && st->kind == ST_SET && agr->code[st->value].lsrc == SRC_EXPR)
          note_arith(sp, agr, agr->code[st->value].lslot);
      }
  }
}

/* ---- The space ----------------------------------------------------------------------- */

int space_init(space *sp, const pactum_agreement *const *agrs, int nsides) {
  memset(sp, 0, sizeof *sp);
  sp->nsides = nsides;
  for (int s = 0; s < nsides; s++) {
    sp->agr[s] = agrs[s];
    buf_init(&sp->json[s]);
    if (!(sp->req[s] = pactum_request_new(agrs[s])) || !(sp->dec[s] = pactum_decision_new(agrs[s]))) goto oom;
  }
  /* The states first: an attribute compared with a state variable takes its reachable values. */
  if (build_days(sp) || build_states(sp) || build_groups(sp)) goto oom;
  build_approx(sp);
  return 0;
oom:
  space_release(sp);
  return -1;
}

void space_release(space *sp) {
  for (int s = 0; s < sp->nsides; s++) {
    pactum_request_free(sp->req[s]);
    pactum_decision_free(sp->dec[s]);
    buf_release(&sp->json[s]);
  }
  for (int i = 0; i < sp->nstates; i++) {
    px_free(sp->states[i].event);
    for (int s = 0; s < sp->nsides; s++) pactum_timeline_free(sp->states[i].tl[s]);
  }
  px_free(sp->states);
  for (int g = 0; g < sp->ngroups; g++) {
    space_group *gr = &sp->groups[g];
    px_free(gr->principal);
    px_free(gr->action);
    if (gr->attrs)
      for (int j = 0; j < gr->nattrs; j++) {
        px_free(gr->attrs[j].qname);
        vals_release(&gr->attrs[j].vals);
      }
    px_free(gr->attrs);
  }
  px_free(sp->groups);
  px_free(sp->days);
  px_free(sp->kinds);
  memset(sp, 0, sizeof *sp);
}

/*
** The request of combination `combo` of group g, in JSON, holding the attributes that side s
** declares (every attribute when s < 0), dated day when day != DAY_MIN.
*/
static void request_json(const space *sp, int g, uint64_t combo, int s, int32_t day, buf *out) {
  const space_group *gr = &sp->groups[g];
  const caction *act = NULL;
  if (s >= 0) {
    int a = agreement_find_action(sp->agr[s], gr->action, strlen(gr->action));
    act = a >= 0 ? &sp->agr[s]->actions[a] : NULL;
  }
  buf_puts(out, "{\"principal\":");
  buf_json_cstr(out, gr->principal);
  buf_puts(out, ",\"action\":");
  buf_json_cstr(out, gr->action);
  for (int scope = 0; scope < 2; scope++) {
    const char *prefix = scope ? "context." : "resource.";
    size_t plen = strlen(prefix);
    int first = 1;
    uint64_t rest = combo;
    for (int j = 0; j < gr->nattrs; j++) {
      const space_attr *at = &gr->attrs[j];
      int n = at->vals.n ? at->vals.n : 1;
      int pick = (int)(rest % (uint64_t)n);
      rest /= (uint64_t)n;
      if (strncmp(at->qname, prefix, plen) != 0 || !at->vals.n) continue;
      if (act) {
        int known = 0;
        for (int k = 0; k < act->nattrs; k++) known |= strcmp(act->attrs[k].qname, at->qname) == 0;
        if (!known) continue;
      }
      buf_puts(out, first ? (scope ? ",\"context\":{" : ",\"resource\":{") : ",");
      first = 0;
      buf_json_cstr(out, at->qname + plen);
      buf_putc(out, ':');
      buf_puts(out, at->vals.v[pick]);
    }
    if (scope && day != DAY_MIN) {
      char d[11];
      date_format(day, d);
      buf_printf(out, "%s\"date\":\"%s\"", first ? ",\"context\":{" : ",", d);
      first = 0;
    }
    if (!first) buf_putc(out, '}');
  }
  buf_putc(out, '}');
}

int space_walk(space *sp, int g, space_visit visit, void *user) {
  space_group *gr = &sp->groups[g];
  space_point pt;
  memset(&pt, 0, sizeof pt);
  pt.group = g;
  sp->points = 0;
  /* The work of one decision: the clauses of the largest of its groups, and then some. */
  uint64_t per_point = 1;
  for (int s = 0; s < sp->nsides; s++) {
    int a = agreement_find_action(sp->agr[s], gr->action, strlen(gr->action));
    int p = agreement_find_party(sp->agr[s], gr->principal, strlen(gr->principal));
    if (a >= 0 && p >= 0) per_point += (uint64_t)sp->agr[s]->groups[a * sp->agr[s]->nparties + p].n;
  }
  for (uint64_t c = 0; c < gr->ncombos; c++) {
    pt.combo = c;
    sp->work += 64; /* building and parsing the request */
    for (int s = 0; s < sp->nsides; s++) {
      pt.ok[s] = 0;
      pt.dec[s] = NULL;
      if (!gr->present[s]) continue;
      buf *b = &sp->json[s];
      b->len = 0;
      request_json(sp, g, c, s, DAY_MIN, b);
      if (b->failed) return -1;
      pactum_error err;
      int rc = pactum_request_parse_json(sp->req[s], b->data, b->len, sp->ndays ? sp->days[0] : 0, &err);
      if (rc == PACTUM_ENOMEM) return -1;
      pt.ok[s] = rc == PACTUM_OK;
    }
    for (int seg = 0; seg < sp->ndays; seg++) {
      pt.seg = seg;
      for (int i = 0; i < sp->nstates; i++) {
        if (sp->states[i].seg > seg) continue;
        if (sp->points >= SPACE_MAX_POINTS) {
          set_limit(sp, "more decisions than the limit");
          return 0;
        }
        if (sp->work >= SPACE_MAX_WORK) {
          set_limit(sp, "the agreement is too large to explore in full within the work limit");
          return 0;
        }
        sp->points++;
        sp->work += per_point;
        pt.state = i;
        for (int s = 0; s < sp->nsides; s++) {
          if (!pt.ok[s]) continue;
          sp->req[s]->day = sp->days[seg];
          if (pactum_decide(sp->agr[s], sp->states[i].tl[s], sp->req[s], sp->dec[s]) != PACTUM_OK) return -1;
          pt.dec[s] = sp->dec[s];
        }
        int rc = visit(sp, &pt, user);
        if (rc < 0) return -1;
        if (rc > 0) return 0;
      }
    }
  }
  return 0;
}

void space_request_json(const space *sp, const space_point *pt, buf *out) {
  int s = sp->groups[pt->group].present[0] || sp->nsides == 1 ? 0 : 1;
  request_json(sp, pt->group, pt->combo, sp->nsides == 1 ? s : -1, sp->days[pt->seg], out);
}

void space_combo_json(const space *sp, int g, uint64_t combo, buf *out) {
  int s = sp->groups[g].present[0] || sp->nsides == 1 ? 0 : 1;
  request_json(sp, g, combo, s, DAY_MIN, out);
}

/* The states whose events lead to state, newest first, in chain[0..n); returns n. */
static int state_chain(const space *sp, int state, int *chain) {
  int n = 0;
  for (int i = state; i >= 0 && sp->states[i].event && n < SPACE_MAX_STATES; i = sp->states[i].parent) chain[n++] = i;
  return n;
}

/* The kind of the event text ev (its "type"), or -1. */
static int event_kind(const space *sp, json_t *ev) {
  const char *t = json_string_value(json_object_get(ev, "type"));
  for (int k = 0; t && k < sp->nkinds; k++)
    if (strcmp(sp->kinds[k], t) == 0) return k;
  return -1;
}

/* The target event type of ref field `name` of event type `type` on some side, or NULL. */
static const char *ref_target(const space *sp, const char *type, const char *name) {
  for (int s = 0; s < sp->nsides; s++) {
    const pactum_agreement *agr = sp->agr[s];
    int e = agreement_find_event(agr, type, strlen(type));
    for (int f = 0; e >= 0 && f < agr->events[e].nfields; f++)
      if (agr->events[e].fields[f].type.kind == TY_REF && strcmp(agr->events[e].fields[f].name, name) == 0)
        return agr->events[e].fields[f].type.target;
  }
  return NULL;
}

/*
** Event ev, the pos-th (1-based) of a witness whose earlier events have the kinds kinds[0..pos-1),
** as an --events line: in the space every event of a kind has one seq (try_event), so a ref field
** is given the position of the latest earlier event of its target type, which is its seq when the
** witness is read as an --events file.
*/
static void put_witness_event(const space *sp, const char *ev, const int *kinds, int pos, buf *out) {
  json_t *o = json_loads(ev, 0, NULL);
  const char *type = json_string_value(json_object_get(o, "type"));
  const char *key;
  json_t *v;
  int changed = 0;
  json_object_foreach(o, key, v) {
    const char *target = type ? ref_target(sp, type, key) : NULL;
    if (!target) continue;
    for (int i = pos - 2; i >= 0; i--)
      if (kinds[i] >= 0 && strcmp(sp->kinds[kinds[i]], target) == 0) {
        json_integer_set(v, i + 1);
        changed = 1;
        break;
      }
  }
  char *text = changed ? json_dumps(o, JSON_COMPACT) : NULL;
  buf_puts(out, text ? text : ev);
  px_free(text);
  json_decref(o);
}

void space_events_json(const space *sp, int state, buf *out) {
  int chain[SPACE_MAX_STATES + 1], kinds[SPACE_MAX_STATES + 1];
  int n = state_chain(sp, state, chain);
  buf_putc(out, '[');
  for (int k = n - 1; k >= 0; k--) {
    int pos = n - k;
    json_t *o = json_loads(sp->states[chain[k]].event, 0, NULL);
    kinds[pos - 1] = event_kind(sp, o);
    json_decref(o);
    put_witness_event(sp, sp->states[chain[k]].event, kinds, pos, out);
    if (k) buf_putc(out, ',');
  }
  buf_putc(out, ']');
}

/* A ref state value v (a kind's seq in the space) as the seq it has in state's witness: "seq N", or "none". */
static void put_witness_ref(const space *sp, int state, int64_t v, buf *out) {
  int chain[SPACE_MAX_STATES + 1];
  int n = state_chain(sp, state, chain);
  for (int k = 0; v > 0 && k < n; k++) { /* newest first: the latest event of that kind */
    json_t *o = json_loads(sp->states[chain[k]].event, 0, NULL);
    int kind = event_kind(sp, o);
    json_decref(o);
    if (kind + 1 == v) {
      buf_printf(out, "seq %d", n - k);
      return;
    }
  }
  buf_puts(out, v > 0 ? "seq ?" : "none");
}

void space_state_text(const space *sp, int side, int state, buf *out) {
  const pactum_agreement *agr = sp->agr[side];
  const int64_t *v = state_vals(sp, side, sp->states[state].tl[side]);
  for (int i = 0; i < agr->nstates; i++) {
    const cstate *st = &agr->states[i];
    buf_printf(out, "%s%s = ", i ? ", " : "", st->name);
    char d[11];
    switch (st->type.kind) {
    case TY_BOOL: buf_puts(out, v[i] ? "true" : "false"); break;
    case TY_ENUM: buf_puts(out, v[i] >= 0 && v[i] < st->type.en->n ? st->type.en->names[v[i]] : "?"); break;
    case TY_DATE:
      date_format((int32_t)v[i], d);
      buf_puts(out, d);
      break;
    case TY_REF: put_witness_ref(sp, state, v[i], out); break;
    case TY_MONEY:
    case TY_DECIMAL:
    case TY_DURATION: report_value(out, agr, st->type, v[i], 0); break;
    default: buf_i64(out, v[i]); break;
    }
  }
}
