/*
** diff.c: `pactum diff A B`. Compares two agreements' vocabularies and clauses (by id), then
** decides a corpus of requests, given or generated over both decision spaces (space.h),
** with each agreement, and groups the requests whose outcome differs by the changed clauses
** that took part in either decision.
*/
#include "diff.h"
#include "alloc.h"
#include "date.h"
#include "space.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

enum { D_UNCHANGED, D_CHANGED, D_ADDED, D_REMOVED };
static const char *const status_name[] = {"unchanged", "changed", "added", "removed"};

/* The fields compared, in the order they are shown. */
enum { FL_KIND, FL_GOVERNS, FL_WHEN, FL_REQUIRES, FL_WINDOW, FL_EXCEPTIONS, FL_QUOTES, FL_NOTES, FL_N };
static const char *const field_name[] = {"kind", "governs", "condition", "requires", "window", "exceptions", "source text", "notes"};
static const char *const field_json[] = {"kind", "governs", "condition", "requires", "window", "exceptions", "quotes", "notes"};

typedef struct dclause {
  const char *id;
  int ia, ib;            /* index in a and in b, or -1 */
  int status;
  char *text[2][FL_N];   /* each field as text, per side (malloc'd) */
} dclause;

typedef struct dstate {
  const pactum_agreement *agr[2];
  dclause *cl;
  int ncl;
  int *of[2];            /* clause index in side s -> dclause */
} dstate;

/* Append the source text of expression root with runs of white space made one space. */
static void put_span(buf *b, const pactum_agreement *agr, int32_t root) {
  const xop *x = &agr->code[root];
  int blank = 0;
  for (uint32_t i = x->start; i < x->end && i < agr->src_len; i++) {
    char c = agr->src[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = 1;
      continue;
    }
    if (blank && b->len) buf_putc(b, ' ');
    blank = 0;
    buf_putc(b, c);
  }
}

static void put_day(buf *b, int32_t day) {
  char t[11];
  date_format(day, t);
  buf_puts(b, t);
}

static char *field_text(const pactum_agreement *agr, const cclause *c, int f) {
  buf b;
  buf_init(&b);
  switch (f) {
  case FL_KIND: buf_puts(&b, c->kind == CL_PERMISSION ? "permission" : c->kind == CL_PROHIBITION ? "prohibition" : "obligation"); break;
  case FL_GOVERNS: buf_printf(&b, "%s %s", agr->parties[c->principal].name, agr->actions[c->action].name); break;
  case FL_WHEN: if (c->when >= 0) put_span(&b, agr, c->when); break;
  case FL_REQUIRES: if (c->requires >= 0) put_span(&b, agr, c->requires); break;
  case FL_WINDOW:
    /* A from on or before the effective date is the effective date: not shown. */
    if (c->from > agr->effective) {
      buf_puts(&b, "from ");
      put_day(&b, c->from);
    }
    if (c->through != DAY_MAX) {
      buf_puts(&b, b.len ? ", through " : "through ");
      put_day(&b, c->through);
    }
    for (int w = 0; w < c->nwin; w++) {
      buf_puts(&b, b.len ? (c->win_until[w] ? ", until " : ", while ") : (c->win_until[w] ? "until " : "while "));
      buf sp;
      buf_init(&sp);
      put_span(&sp, agr, c->win[w]);
      buf_append(&b, sp.data ? sp.data : "", sp.len);
      buf_release(&sp);
    }
    break;
  case FL_EXCEPTIONS:
    for (int e = 0; e < c->nexcepts; e++) buf_printf(&b, "%s%s", e ? ", " : "", agr->clauses[c->excepts[e]].id);
    break;
  case FL_QUOTES:
    for (int q = 0; q < c->ncites; q++) {
      buf_printf(&b, "%s%s ", q ? "\n" : "", c->cites[q].source);
      buf_json_str(&b, c->cites[q].text, c->cites[q].len);
    }
    break;
  default:
    for (int n = 0; n < c->nnotes; n++) {
      buf_puts(&b, n ? "\n" : "");
      buf_json_cstr(&b, c->notes[n]);
    }
    break;
  }
  return buf_detach(&b); /* "" when the field is empty */
}

static void dstate_release(dstate *d) {
  for (int i = 0; i < d->ncl; i++)
    for (int s = 0; s < 2; s++)
      for (int f = 0; f < FL_N; f++) px_free(d->cl[i].text[s][f]);
  px_free(d->cl);
  px_free(d->of[0]);
  px_free(d->of[1]);
}

/* Clause ids sorted, to match the clauses of two agreements in n log n. */
typedef struct id_index {
  const char *id;
  int index;
} id_index;

static int cmp_id(const void *x, const void *y) { return strcmp(((const id_index *)x)->id, ((const id_index *)y)->id); }

static id_index *sorted_ids(const pactum_agreement *agr) {
  id_index *v = px_malloc(sizeof *v * (size_t)(agr->nclauses + 1));
  if (!v) return NULL;
  for (int i = 0; i < agr->nclauses; i++) v[i] = (id_index){agr->clauses[i].id, i};
  if (agr->nclauses) qsort(v, (size_t)agr->nclauses, sizeof *v, cmp_id);
  return v;
}

/* The index of the clause called id, or -1. */
static int find_clause(const id_index *v, int n, const char *id) {
  id_index key = {id, 0};
  const id_index *hit = n ? bsearch(&key, v, (size_t)n, sizeof *v, cmp_id) : NULL;
  return hit ? hit->index : -1;
}

static int dstate_build(dstate *d, const pactum_agreement *a, const pactum_agreement *b) {
  memset(d, 0, sizeof *d);
  d->agr[0] = a;
  d->agr[1] = b;
  d->cl = px_calloc((size_t)(a->nclauses + b->nclauses + 1), sizeof *d->cl);
  d->of[0] = px_calloc((size_t)a->nclauses + 1, sizeof(int));
  d->of[1] = px_calloc((size_t)b->nclauses + 1, sizeof(int));
  id_index *ia = sorted_ids(a), *ib = sorted_ids(b);
  if (!d->cl || !d->of[0] || !d->of[1] || !ia || !ib) {
    px_free(ia);
    px_free(ib);
    return -1;
  }
  for (int i = 0; i < a->nclauses; i++) {
    dclause *c = &d->cl[d->ncl];
    c->id = a->clauses[i].id;
    c->ia = i;
    c->ib = find_clause(ib, b->nclauses, c->id);
    d->of[0][i] = d->ncl;
    if (c->ib >= 0) d->of[1][c->ib] = d->ncl;
    d->ncl++;
  }
  for (int i = 0; i < b->nclauses; i++) {
    if (find_clause(ia, a->nclauses, b->clauses[i].id) >= 0) continue;
    dclause *c = &d->cl[d->ncl];
    c->id = b->clauses[i].id;
    c->ia = -1;
    c->ib = i;
    d->of[1][i] = d->ncl++;
  }
  px_free(ia);
  px_free(ib);
  for (int i = 0; i < d->ncl; i++) {
    dclause *c = &d->cl[i];
    for (int s = 0; s < 2; s++) {
      int k = s ? c->ib : c->ia;
      if (k < 0) continue;
      for (int f = 0; f < FL_N; f++)
        if (!(c->text[s][f] = field_text(d->agr[s], &d->agr[s]->clauses[k], f))) return -1;
    }
    if (c->ia < 0) c->status = D_ADDED;
    else if (c->ib < 0) c->status = D_REMOVED;
    else {
      c->status = D_UNCHANGED;
      for (int f = 0; f < FL_N; f++)
        if (strcmp(c->text[0][f], c->text[1][f]) != 0) c->status = D_CHANGED;
    }
  }
  return 0;
}

/* ---- Vocabulary ------------------------------------------------------------------------ */

static void type_text(buf *b, type_ref t) {
  static const char *const names[] = {"?", "bool", "string", "integer", "money", "date", "enum", "ref", "decimal", "duration"};
  buf_puts(b, names[t.kind]);
  if (t.kind == TY_REF) buf_printf(b, " %s", t.target);
  if (t.kind == TY_ENUM) {
    buf_puts(b, " { ");
    for (int i = 0; i < t.en->n; i++) buf_printf(b, "%s%s", i ? ", " : "", t.en->names[i]);
    buf_puts(b, " }");
  }
}

static int same_type(type_ref x, type_ref y) {
  if (x.kind != y.kind) return 0;
  if (x.kind == TY_REF) return strcmp(x.target, y.target) == 0;
  if (x.kind != TY_ENUM) return 1;
  if (x.en->n != y.en->n) return 0;
  for (int i = 0; i < x.en->n; i++)
    if (strcmp(x.en->names[i], y.en->names[i])) return 0;
  return 1;
}

typedef struct vocab {
  buf text, json;
  int n;
} vocab;

static void vocab_add(vocab *v, const char *what, const char *name, const char *change, const buf *detail) {
  buf_printf(&v->text, "  %s '%s': %s", what, name, change);
  if (detail && detail->len) buf_printf(&v->text, " (%s)", detail->data);
  buf_putc(&v->text, '\n');
  buf_puts(&v->json, v->n ? ",{\"what\":" : "{\"what\":");
  buf_json_cstr(&v->json, what);
  buf_puts(&v->json, ",\"name\":");
  buf_json_cstr(&v->json, name);
  buf_puts(&v->json, ",\"change\":");
  buf_json_cstr(&v->json, change);
  if (detail && detail->len) {
    buf_puts(&v->json, ",\"detail\":");
    buf_json_str(&v->json, detail->data, detail->len);
  }
  buf_putc(&v->json, '}');
  v->n++;
}

static void vocab_types(vocab *v, const char *what, const char *name, type_ref x, type_ref y) {
  if (same_type(x, y)) return;
  buf d;
  buf_init(&d);
  type_text(&d, x);
  buf_puts(&d, " -> ");
  type_text(&d, y);
  vocab_add(v, what, name, "type changed", &d);
  buf_release(&d);
}

/* An event type's name in agr, or "" for none (-1). */
static const char *event_name(const pactum_agreement *agr, int e) { return e >= 0 ? agr->events[e].name : ""; }

/*
** Whether two first-class obligations (obligations.h) say the same, item by item, by name where
** they name parties and events. A trigger's `when` condition is compared only by its presence,
** which the detail of a "changed" line says.
*/
static int same_obligation(const pactum_agreement *a, const cobl *x, const pactum_agreement *b, const cobl *y) {
  return x->trigger == y->trigger && !strcmp(a->parties[x->owed_by].name, b->parties[y->owed_by].name) &&
         !strcmp(a->parties[x->owed_to].name, b->parties[y->owed_to].name) && !strcmp(x->what, y->what) &&
         !strcmp(event_name(a, x->trig_event), event_name(b, y->trig_event)) &&
         (x->trig_cond >= 0) == (y->trig_cond >= 0) && x->every_months == y->every_months && x->from == y->from &&
         x->until == y->until && x->at_day == y->at_day && x->due_relative == y->due_relative &&
         x->due_day == y->due_day && x->due_count == y->due_count && x->due_unit == y->due_unit &&
         x->amount == y->amount && x->amount_value == y->amount_value && x->is_money == y->is_money &&
         x->amount_field == y->amount_field && !strcmp(event_name(a, x->ful_event), event_name(b, y->ful_event)) &&
         !strcmp(event_name(a, x->dis_event), event_name(b, y->dis_event)) && x->has_where == y->has_where &&
         x->trig_key == y->trig_key && x->ful_key == y->ful_key && x->count_field == y->count_field;
}

/* The first-class obligations each side declares, by id: added, removed, or changed. */
static void vocab_obligations(vocab *v, const pactum_agreement *a, const pactum_agreement *b) {
  const pactum_agreement *side[2] = {a, b};
  for (int s = 0; s < 2; s++) {
    const pactum_agreement *x = side[s], *y = side[1 - s];
    for (int i = 0; i < x->nobligs; i++) {
      int k = 0;
      while (k < y->nobligs && strcmp(y->obligs[k].id, x->obligs[i].id)) k++;
      if (k == y->nobligs) {
        vocab_add(v, "obligation", x->obligs[i].id, s ? "added" : "removed", NULL);
      } else if (s == 0 && !same_obligation(x, &x->obligs[i], y, &y->obligs[k])) {
        buf d;
        buf_init(&d);
        buf_puts(&d, "its instances are not compared; run 'pactum obligations' under each");
        vocab_add(v, "obligation", x->obligs[i].id, "changed", &d);
        buf_release(&d);
      }
    }
  }
}

static void vocab_compare(vocab *v, const pactum_agreement *a, const pactum_agreement *b) {
  vocab_obligations(v, a, b);
  const pactum_agreement *side[2] = {a, b};
  for (int s = 0; s < 2; s++) {
    const pactum_agreement *x = side[s], *y = side[1 - s];
    const char *change = s ? "added" : "removed";
    for (int i = 0; i < x->nparties; i++)
      if (agreement_find_party(y, x->parties[i].name, strlen(x->parties[i].name)) < 0)
        vocab_add(v, "party", x->parties[i].name, change, NULL);
    for (int i = 0; i < x->nactions; i++)
      if (agreement_find_action(y, x->actions[i].name, strlen(x->actions[i].name)) < 0)
        vocab_add(v, "action", x->actions[i].name, change, NULL);
    for (int i = 0; i < x->nevents; i++)
      if (agreement_find_event(y, x->events[i].name, strlen(x->events[i].name)) < 0)
        vocab_add(v, "event", x->events[i].name, change, NULL);
    for (int i = 0; i < x->nstates; i++) {
      int k = 0;
      while (k < y->nstates && strcmp(y->states[k].name, x->states[i].name)) k++;
      if (k == y->nstates) vocab_add(v, "state", x->states[i].name, change, NULL);
      else if (s == 0) vocab_types(v, "state", x->states[i].name, x->states[i].type, y->states[k].type);
    }
    /* Attributes and fields of the actions and events both declare. */
    for (int i = 0; i < x->nactions; i++) {
      const caction *ax = &x->actions[i];
      int j = agreement_find_action(y, ax->name, strlen(ax->name));
      if (j < 0) continue;
      const caction *ay = &y->actions[j];
      buf name;
      for (int k = 0; k < ax->nattrs; k++) {
        int m = 0;
        while (m < ay->nattrs && strcmp(ay->attrs[m].qname, ax->attrs[k].qname)) m++;
        buf_init(&name);
        buf_printf(&name, "%s.%s", ax->name, ax->attrs[k].qname);
        if (m == ay->nattrs) vocab_add(v, "attribute", name.data ? name.data : "", change, NULL);
        else if (s == 0) vocab_types(v, "attribute", name.data ? name.data : "", ax->attrs[k].type, ay->attrs[m].type);
        buf_release(&name);
      }
      if (s == 0 && (strcmp(ax->principals_text, ay->principals_text) || ax->exhaustive != ay->exhaustive)) {
        buf d;
        buf_init(&d);
        buf_printf(&d, "by %s%s -> by %s%s", ax->principals_text, ax->exhaustive ? " exhaustive" : "", ay->principals_text,
                   ay->exhaustive ? " exhaustive" : "");
        vocab_add(v, "action", ax->name, "changed", &d);
        buf_release(&d);
      }
    }
    for (int i = 0; i < x->nevents; i++) {
      const cevent *ex = &x->events[i];
      int j = agreement_find_event(y, ex->name, strlen(ex->name));
      if (j < 0) continue;
      const cevent *ey = &y->events[j];
      for (int k = 0; k < ex->nfields; k++) {
        int m = 0;
        while (m < ey->nfields && strcmp(ey->fields[m].name, ex->fields[k].name)) m++;
        buf name;
        buf_init(&name);
        buf_printf(&name, "%s.%s", ex->name, ex->fields[k].name);
        if (m == ey->nfields) vocab_add(v, "event field", name.data ? name.data : "", change, NULL);
        else if (s == 0) vocab_types(v, "event field", name.data ? name.data : "", ex->fields[k].type, ey->fields[m].type);
        buf_release(&name);
      }
    }
  }
}

/* ---- Impact ------------------------------------------------------------------------------ */

/* A group of differing requests: the changed clauses that took part, and a few examples. */
#define DIFF_EXAMPLES 3
typedef struct impact_group {
  int *cause;           /* dclause indices, ascending */
  int ncause;
  int order;            /* when the group was first seen, to break ties */
  uint64_t count;
  int nex;
  char *ex[DIFF_EXAMPLES]; /* rendered examples (text and JSON) */
  char *exj[DIFF_EXAMPLES];
} impact_group;

typedef struct impact {
  dstate *d;
  space *sp;            /* the generated corpus, or NULL */
  impact_group *g;
  int ng, capg;
  uint64_t compared, differ;
  int stop_at_first;    /* for diff_equivalent */
  uint64_t rejected;    /* corpus requests neither agreement accepts */
  buf rejected_text, rejected_json;
  int oom;
} impact;

static void impact_release(impact *im) {
  buf_release(&im->rejected_text);
  buf_release(&im->rejected_json);
  for (int i = 0; i < im->ng; i++) {
    px_free(im->g[i].cause);
    for (int k = 0; k < im->g[i].nex; k++) {
      px_free(im->g[i].ex[k]);
      px_free(im->g[i].exj[k]);
    }
  }
  px_free(im->g);
}

static const char *outcome_of(int ok, const pactum_decision *dec) {
  return ok ? pactum_outcome_name(dec->outcome) : "invalid";
}

/* role[k]: 0 when dclause k took no part in dec, 1 when overridden or an obligation, 2 when determining. */
static void clause_roles(const dstate *d, int s, const pactum_decision *dec, uint8_t *role) {
  if (!dec) return;
  for (int i = 0; i < dec->nover; i++) role[d->of[s][dec->over[i]]] = 1;
  for (int i = 0; i < dec->nobl; i++) role[d->of[s][dec->obl[i]]] = 1;
  for (int i = 0; i < dec->ndet; i++) role[d->of[s][dec->det[i]]] = 2;
}

/*
** Record one request decided by both: when the outcomes differ, count it under the changed
** clauses that took part in either decision. request/events are JSON texts for the examples.
*/
static int impact_add(impact *im, int ok_a, const pactum_decision *da, int ok_b, const pactum_decision *db,
                      const char *request, const char *events, long line) {
  im->compared++;
  const char *oa = outcome_of(ok_a, da), *ob = outcome_of(ok_b, db);
  if (!strcmp(oa, ob)) return 0;
  im->differ++;
  dstate *d = im->d;
  uint8_t *mark = px_calloc(2 * ((size_t)d->ncl + 1), 1);
  int *cause = px_malloc(sizeof(int) * (size_t)(d->ncl + 1));
  if (!mark || !cause) goto oom;
  uint8_t *ra = mark, *rb = mark + d->ncl + 1;
  clause_roles(d, 0, ok_a ? da : NULL, ra);
  clause_roles(d, 1, ok_b ? db : NULL, rb);
  /*
  ** A changed clause caused the difference when it took part on one side only, or determined
  ** both outcomes (its own yield changed); an added or removed one when it took part at all.
  ** Failing that, every changed clause that took part is named.
  */
  int n = 0;
  for (int k = 0; k < d->ncl; k++) {
    if (d->cl[k].status == D_UNCHANGED || !(ra[k] || rb[k])) continue;
    if (d->cl[k].status != D_CHANGED || !ra[k] != !rb[k] || (ra[k] == 2 && rb[k] == 2)) cause[n++] = k;
  }
  if (!n)
    for (int k = 0; k < d->ncl; k++)
      if (d->cl[k].status != D_UNCHANGED && (ra[k] || rb[k])) cause[n++] = k;
  px_free(mark);
  mark = NULL;
  int gi = 0;
  while (gi < im->ng && !(im->g[gi].ncause == n && !memcmp(im->g[gi].cause, cause, sizeof(int) * (size_t)n))) gi++;
  if (gi == im->ng) {
    impact_group *g = px_grow(im->g, im->ng, &im->capg, sizeof *g, 8);
    if (!g) goto oom;
    im->g = g;
    memset(&im->g[gi], 0, sizeof im->g[gi]);
    im->g[gi].cause = cause;
    im->g[gi].ncause = n;
    im->g[gi].order = gi;
    im->ng++;
    cause = NULL;
  }
  px_free(cause);
  impact_group *g = &im->g[gi];
  g->count++;
  int seen = 0; /* an example with the same request, after other events, adds little */
  for (int k = 0; k < g->nex && !seen; k++) seen = strstr(g->exj[k], request) != NULL;
  if (g->nex < DIFF_EXAMPLES && !seen) {
    buf t, j;
    buf_init(&t);
    buf_init(&j);
    buf_puts(&t, "    ");
    if (line) buf_printf(&t, "line %ld: ", line);
    buf_printf(&t, "%s -> %s  %s", oa, ob, request);
    if (events && strcmp(events, "[]")) buf_printf(&t, "\n      events: %s", events);
    buf_puts(&j, "{");
    if (line) buf_printf(&j, "\"line\":%ld,", line);
    buf_puts(&j, "\"a\":");
    buf_json_cstr(&j, oa);
    buf_puts(&j, ",\"b\":");
    buf_json_cstr(&j, ob);
    buf_printf(&j, ",\"request\":%s,\"events\":%s}", request, events ? events : "[]");
    g->ex[g->nex] = buf_detach(&t);
    g->exj[g->nex] = buf_detach(&j);
    if (!g->ex[g->nex] || !g->exj[g->nex]) {
      px_free(g->ex[g->nex]);
      px_free(g->exj[g->nex]);
      im->oom = 1;
      return -1;
    }
    g->nex++;
  }
  return im->stop_at_first ? 1 : 0;
oom:
  px_free(mark);
  px_free(cause);
  im->oom = 1;
  return -1;
}

static int visit_impact(space *sp, const space_point *pt, void *user) {
  impact *im = user;
  buf r, e;
  buf_init(&r);
  buf_init(&e);
  space_request_json(sp, pt, &r);
  space_events_json(sp, pt->state, &e);
  int rc = r.failed || e.failed ? -1
                                : impact_add(im, pt->ok[0], pt->dec[0], pt->ok[1], pt->dec[1], r.data, e.data, 0);
  buf_release(&r);
  buf_release(&e);
  return rc;
}

/* Decide the corpus in->reqs with both agreements. */
static int impact_corpus(impact *im, const diff_input *in) {
  pactum_request *req[2] = {pactum_request_new(in->a), pactum_request_new(in->b)};
  pactum_decision *dec[2] = {pactum_decision_new(in->a), pactum_decision_new(in->b)};
  const pactum_timeline *tl[2] = {in->tl_a, in->tl_b};
  const pactum_agreement *agr[2] = {in->a, in->b};
  int rc = 0;
  if (!req[0] || !req[1] || !dec[0] || !dec[1]) rc = -1;
  for (size_t i = 0; i < in->nreqs && rc == 0; i++) {
    int ok[2];
    for (int s = 0; s < 2; s++) {
      pactum_error err;
      int r = pactum_request_parse_json(req[s], in->reqs[i].text, in->reqs[i].len, in->default_day, &err);
      if (r == PACTUM_ENOMEM) rc = -1;
      ok[s] = r == PACTUM_OK && pactum_decide(agr[s], tl[s], req[s], dec[s]) == PACTUM_OK;
    }
    if (rc) break;
    if (!ok[0] && !ok[1]) {
      /* Not a request either agreement can decide: reported, not compared. */
      pactum_error err;
      pactum_request_parse_json(req[0], in->reqs[i].text, in->reqs[i].len, in->default_day, &err);
      im->rejected++;
      buf_printf(&im->rejected_text, "    line %ld: %s [%s]\n", in->reqs[i].line, err.message, err.code);
      buf_printf(&im->rejected_json, "%s{\"line\":%ld,\"code\":", im->rejected > 1 ? "," : "", in->reqs[i].line);
      buf_json_cstr(&im->rejected_json, err.code);
      buf_puts(&im->rejected_json, ",\"message\":");
      buf_json_cstr(&im->rejected_json, err.message);
      buf_putc(&im->rejected_json, '}');
      continue;
    }
    buf t;
    buf_init(&t);
    buf_append(&t, in->reqs[i].text, in->reqs[i].len);
    rc = t.failed ? -1 : impact_add(im, ok[0], dec[0], ok[1], dec[1], t.data, "[]", in->reqs[i].line);
    buf_release(&t);
    if (rc > 0) rc = 0;
  }
  for (int s = 0; s < 2; s++) {
    pactum_request_free(req[s]);
    pactum_decision_free(dec[s]);
  }
  return rc;
}

static int impact_generated(impact *im, space *sp) {
  for (int g = 0; g < sp->ngroups; g++) {
    if (space_walk(sp, g, visit_impact, im) || im->oom) return -1;
    if (im->stop_at_first && im->differ) break;
  }
  return 0;
}

static int cmp_group(const void *x, const void *y) {
  const impact_group *a = x, *b = y;
  if (a->count != b->count) return (a->count < b->count) - (a->count > b->count);
  return (a->order > b->order) - (a->order < b->order);
}

/* ---- Reports ------------------------------------------------------------------------------ */

static void put_side(buf *b, const char *label, const pactum_agreement *agr, int as_json) {
  if (as_json) {
    buf_puts(b, "{\"file\":");
    buf_json_cstr(b, label);
    buf_puts(b, ",\"id\":");
    buf_json_cstr(b, agr->id);
    buf_puts(b, ",\"version\":");
    buf_json_cstr(b, agr->version);
    buf_puts(b, ",\"effective\":\"");
    put_day(b, agr->effective);
    buf_puts(b, "\"}");
  } else {
    buf_printf(b, "%s (%s %s, effective ", label, agr->id, agr->version);
    put_day(b, agr->effective);
    buf_putc(b, ')');
  }
}

/* Width of the two columns of a changed field, in characters (code points). */
#define COL 48

/* Characters (not bytes) in s[0..n). */
static size_t width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

/*
** The next line of at most COL characters of *p, broken at a space where one is near enough
** and always at a newline; *p moves past it. Returns its length in bytes, 0 at the end.
*/
static size_t next_line(const char **p) {
  const char *s = *p;
  size_t i = 0, w = 0, brk = 0;
  while (s[i] && s[i] != '\n' && w < COL) {
    if (s[i] == ' ') brk = i;
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80) i++; /* the rest of a UTF-8 sequence */
    w++;
  }
  size_t len = i;
  if (s[i] && s[i] != '\n' && brk > COL / 2) len = brk; /* break at the last space */
  *p = s + len;
  if (**p == ' ' || **p == '\n') (*p)++;
  return len;
}

/* A changed field: its name, then a's text and b's text in two columns, wrapped. */
static void put_side_by_side(buf *b, const char *name, const char *ta, const char *tb) {
  const char *pa = *ta ? ta : "(none)", *pb = *tb ? tb : "(none)";
  int first = 1;
  while (*pa || *pb) {
    const char *la = pa, *lb = pb;
    size_t na = *pa ? next_line(&pa) : 0, nb = *pb ? next_line(&pb) : 0;
    buf_printf(b, "    %-12s ", first ? name : "");
    first = 0;
    buf_append(b, la, na);
    for (size_t k = width(la, na); k < COL; k++) buf_putc(b, ' ');
    buf_puts(b, nb ? " | " : " |");
    buf_append(b, lb, nb);
    buf_putc(b, '\n');
  }
}

int diff_report(const diff_input *in, int as_json, buf *out, int *changes, int *rejected) {
  dstate d;
  vocab v;
  impact im;
  space sp;
  int have_space = 0, rc = -1;
  memset(&im, 0, sizeof im);
  buf_init(&v.text);
  buf_init(&v.json);
  v.n = 0;
  if (dstate_build(&d, in->a, in->b)) goto out;
  vocab_compare(&v, in->a, in->b);
  im.d = &d;
  if (in->corpus) {
    if (impact_corpus(&im, in)) goto out;
  } else {
    const pactum_agreement *two[2] = {in->a, in->b};
    if (space_init(&sp, two, 2)) goto out;
    have_space = 1;
    im.sp = &sp;
    if (impact_generated(&im, &sp)) goto out;
  }
  if (im.ng) qsort(im.g, (size_t)im.ng, sizeof *im.g, cmp_group);
  int count[4] = {0, 0, 0, 0};
  for (int i = 0; i < d.ncl; i++) count[d.cl[i].status]++;
  *rejected = im.rejected > 0;
  *changes = count[D_CHANGED] + count[D_ADDED] + count[D_REMOVED] + v.n + (int)(im.differ > 1000000 ? 1000000 : im.differ);
  if (as_json) {
    buf_puts(out, "{\"a\":");
    put_side(out, in->label_a, in->a, 1);
    buf_puts(out, ",\"b\":");
    put_side(out, in->label_b, in->b, 1);
    buf_puts(out, ",\"vocabulary\":[");
    buf_append(out, v.json.data ? v.json.data : "", v.json.len);
    buf_puts(out, "],\"clauses\":[");
    for (int i = 0; i < d.ncl; i++) {
      const dclause *c = &d.cl[i];
      int s = c->ia >= 0 ? 0 : 1;
      buf_puts(out, i ? ",{\"id\":" : "{\"id\":");
      buf_json_cstr(out, c->id);
      buf_printf(out, ",\"status\":\"%s\",\"kind\":", status_name[c->status]);
      buf_json_cstr(out, c->text[c->status == D_ADDED ? 1 : s][FL_KIND]);
      if (c->status == D_CHANGED) {
        buf_puts(out, ",\"changes\":[");
        int first = 1;
        for (int f = 0; f < FL_N; f++) {
          if (!strcmp(c->text[0][f], c->text[1][f])) continue;
          buf_puts(out, first ? "{\"field\":" : ",{\"field\":");
          first = 0;
          buf_json_cstr(out, field_json[f]);
          buf_puts(out, ",\"a\":");
          buf_json_cstr(out, c->text[0][f]);
          buf_puts(out, ",\"b\":");
          buf_json_cstr(out, c->text[1][f]);
          buf_putc(out, '}');
        }
        buf_putc(out, ']');
      }
      buf_putc(out, '}');
    }
    buf_printf(out, "],\"impact\":{\"corpus\":\"%s\",\"compared\":%llu,\"differ\":%llu", in->corpus ? "requests" : "generated",
               (unsigned long long)im.compared, (unsigned long long)im.differ);
    if (have_space) {
      buf_printf(out, ",\"complete\":%s", sp.incomplete ? "false" : "true");
      if (sp.incomplete) {
        buf_puts(out, ",\"limit\":");
        buf_json_cstr(out, sp.limit);
      }
      if (sp.approx[0]) {
        buf_puts(out, ",\"approximate\":");
        buf_json_cstr(out, sp.approx);
      }
    }
    if (in->corpus) {
      buf_printf(out, ",\"rejected\":[");
      buf_append(out, im.rejected_json.data ? im.rejected_json.data : "", im.rejected_json.len);
      buf_putc(out, ']');
    }
    buf_puts(out, ",\"groups\":[");
    for (int i = 0; i < im.ng; i++) {
      const impact_group *g = &im.g[i];
      buf_puts(out, i ? ",{\"cause\":[" : "{\"cause\":[");
      for (int k = 0; k < g->ncause; k++) {
        buf_puts(out, k ? ",{\"clause\":" : "{\"clause\":");
        buf_json_cstr(out, d.cl[g->cause[k]].id);
        buf_printf(out, ",\"status\":\"%s\"}", status_name[d.cl[g->cause[k]].status]);
      }
      buf_printf(out, "],\"count\":%llu,\"examples\":[", (unsigned long long)g->count);
      for (int k = 0; k < g->nex; k++) {
        if (k) buf_putc(out, ',');
        buf_puts(out, g->exj[k]);
      }
      buf_puts(out, "]}");
    }
    buf_puts(out, "]}}\n");
  } else {
    buf_puts(out, "a: ");
    put_side(out, in->label_a, in->a, 0);
    buf_puts(out, "\nb: ");
    put_side(out, in->label_b, in->b, 0);
    buf_puts(out, "\n\nvocabulary: ");
    if (!v.n) buf_puts(out, "the same\n");
    else {
      buf_printf(out, "%d change%s\n", v.n, v.n == 1 ? "" : "s");
      buf_append(out, v.text.data, v.text.len);
    }
    buf_printf(out, "\nclauses: %d added, %d removed, %d changed, %d unchanged\n", count[D_ADDED], count[D_REMOVED],
               count[D_CHANGED], count[D_UNCHANGED]);
    for (int i = 0; i < d.ncl; i++) {
      const dclause *c = &d.cl[i];
      int s = c->ia >= 0 ? 0 : 1;
      buf_printf(out, "  %-9s %s %s (%s)\n", status_name[c->status], c->text[s][FL_KIND], c->id, c->text[s][FL_GOVERNS]);
      if (c->status != D_CHANGED) continue;
      buf_printf(out, "    %-12s %-*s | %s\n", "", COL, "a", "b");
      for (int f = 0; f < FL_N; f++)
        if (strcmp(c->text[0][f], c->text[1][f])) put_side_by_side(out, field_name[f], c->text[0][f], c->text[1][f]);
    }
    buf_printf(out, "\nimpact: %llu of %llu %s decide differently\n", (unsigned long long)im.differ,
               (unsigned long long)im.compared, in->corpus ? "requests from the corpus" : "requests generated over the finite domains");
    if (have_space && sp.incomplete) buf_printf(out, "  incomplete: %s\n", sp.limit);
    if (have_space && sp.approx[0])
      buf_printf(out, "  approximate: %s, so representative values may miss some requests (docs/verify.md#limits)\n",
                 sp.approx);
    if (im.rejected) {
      buf_printf(out, "  %llu request%s neither agreement accepts, not compared:\n", (unsigned long long)im.rejected,
                 im.rejected == 1 ? "" : "s");
      buf_append(out, im.rejected_text.data, im.rejected_text.len);
    }
    for (int i = 0; i < im.ng; i++) {
      const impact_group *g = &im.g[i];
      buf_puts(out, "  ");
      if (!g->ncause) buf_puts(out, "no changed clause took part (the vocabulary or the events differ)");
      for (int k = 0; k < g->ncause; k++)
        buf_printf(out, "%s%s (%s)", k ? ", " : "", d.cl[g->cause[k]].id, status_name[d.cl[g->cause[k]].status]);
      buf_printf(out, ": %llu request%s\n", (unsigned long long)g->count, g->count == 1 ? "" : "s");
      for (int k = 0; k < g->nex; k++) buf_printf(out, "%s\n", g->ex[k]);
    }
  }
  rc = out->failed || v.text.failed || v.json.failed ? -1 : 0;
out:
  impact_release(&im);
  if (have_space) space_release(&sp);
  dstate_release(&d);
  buf_release(&v.text);
  buf_release(&v.json);
  return rc;
}

int diff_equivalent(const pactum_agreement *a, const pactum_agreement *b, int as_json, buf *out, int *yes) {
  dstate d;
  impact im;
  space sp;
  int rc = -1, have_space = 0;
  memset(&im, 0, sizeof im);
  if (dstate_build(&d, a, b)) goto out;
  const pactum_agreement *two[2] = {a, b};
  if (space_init(&sp, two, 2)) goto out;
  have_space = 1;
  im.d = &d;
  im.sp = &sp;
  im.stop_at_first = 1;
  if (impact_generated(&im, &sp)) goto out;
  /* Without a difference, only a comparison of the whole space can answer. */
  int unknown = im.differ == 0 && sp.incomplete;
  *yes = im.differ == 0 && !unknown;
  if (as_json) {
    buf_printf(out, "{\"query\":\"equivalent\",\"answer\":\"%s\",\"compared\":%llu,\"complete\":%s,\"witness\":",
               unknown ? "unknown" : *yes ? "yes" : "no", (unsigned long long)im.compared, sp.incomplete ? "false" : "true");
    buf_puts(out, im.ng ? im.g[0].exj[0] : "null");
    buf_puts(out, "}\n");
  } else {
    buf_printf(out, "%s: %s %s and %s %s %s\n", unknown ? "unknown" : *yes ? "yes" : "no", a->id, a->version, b->id,
               b->version,
               unknown ? "decide every request explored alike, but not every request was explored"
               : *yes  ? "decide every explored request alike"
                       : "decide this request differently (a -> b):");
    if (im.ng) buf_printf(out, "%s\n", im.g[0].ex[0]);
    buf_printf(out, "compared %llu request%s", (unsigned long long)im.compared, im.compared == 1 ? "" : "s");
    if (sp.incomplete) buf_printf(out, " (incomplete: %s)", sp.limit);
    buf_putc(out, '\n');
  }
  rc = out->failed ? -1 : 0;
out:
  impact_release(&im);
  if (have_space) space_release(&sp);
  dstate_release(&d);
  return rc;
}
