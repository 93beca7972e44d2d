/*
** verify.c: static verification (`pactum verify`). Walks the decision space of space.c,
** deciding every point with pactum_decide, and reports conflicts, gaps in exhaustive actions,
** dead clauses, shadowed exceptions and windows that never open, each with an example; and
** answers can/always/never queries with a witness. See docs/verify.md.
*/
#include "verify.h"
#include "alloc.h"
#include "date.h"
#include "space.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

typedef enum fkind { F_CONFLICT, F_GAP, F_DEAD, F_SHADOWED, F_WINDOW, F_NKINDS } fkind;
static const char *const fkind_name[] = {"conflict", "gap", "dead clause", "shadowed exception", "window"};
static const char *const fkind_json[] = {"conflict", "gap", "dead_clause", "shadowed_exception", "window"};

/* A point of the space kept as an example: enough to print its request, events and state. */
typedef struct example {
  int set;
  space_point pt;
} example;

typedef struct finding {
  fkind kind;
  char *message;       /* malloc'd */
  char *clauses;       /* malloc'd JSON array of the clause ids concerned */
  example ex;
  int order;           /* for a stable report: clause index or discovery order */
} finding;

/* What the walk learns about each clause. */
typedef struct clause_seen {
  int determined;      /* determined some outcome (or, for an obligation, was attached) */
  example applied;     /* a point where it applied but determined nothing */
  int32_t beaten_by;   /* there, a clause that determined the outcome instead (-1 if none) */
  example in_effect;   /* a point where it was in effect */
} clause_seen;

typedef struct conflict_seen {
  int32_t det[8];
  int n;
} conflict_seen;

typedef struct vstate {
  space *sp;
  const pactum_agreement *agr;
  clause_seen *cl;
  finding *f;
  int nf, capf;
  conflict_seen *conf;
  int nconf, capconf;
  uint64_t decisions;
  /* The current group's gap count and first example. */
  uint64_t gaps;
  example gap;
  int64_t *row;        /* [nstates + ncommits] a state row */
  int oom;
} vstate;

static const char *kind_word(clause_kind k) {
  return k == CL_PERMISSION ? "permission" : k == CL_PROHIBITION ? "prohibition" : "obligation";
}

static int add_finding(vstate *v, fkind kind, buf *msg, buf *ids, const example *ex, int order) {
  finding *grown = px_grow(v->f, v->nf, &v->capf, sizeof *grown, 16);
  if (!grown) goto oom;
  v->f = grown;
  finding *f = &v->f[v->nf];
  f->kind = kind;
  f->message = buf_detach(msg);
  f->clauses = buf_detach(ids);
  if (!f->message || !f->clauses) {
    px_free(f->message);
    px_free(f->clauses);
    goto oom;
  }
  if (ex) f->ex = *ex;
  else memset(&f->ex, 0, sizeof f->ex);
  f->order = order;
  v->nf++;
  return 0;
oom:
  buf_release(msg);
  buf_release(ids);
  v->oom = 1;
  return -1;
}

static int has(const int32_t *v, int n, int32_t x) {
  for (int i = 0; i < n; i++)
    if (v[i] == x) return 1;
  return 0;
}

/* The first clause, in file order, that every clause of det excepts (directly or through others). */
static int32_t common_excepted(const pactum_agreement *agr, const int32_t *det, int n) {
  int nc = agr->nclauses;
  uint8_t *reach = px_calloc((size_t)nc * (size_t)n + 1, 1);
  int32_t *stack = px_malloc(sizeof(int32_t) * (size_t)(nc + 1));
  int32_t found = -1;
  if (!reach || !stack) goto out;
  for (int k = 0; k < n; k++) {
    uint8_t *r = reach + (size_t)k * (size_t)nc;
    int top = 0;
    stack[top++] = det[k];
    while (top) {
      const cclause *c = &agr->clauses[stack[--top]];
      for (int e = 0; e < c->nexcepts; e++)
        if (!r[c->excepts[e]]) {
          r[c->excepts[e]] = 1;
          stack[top++] = c->excepts[e];
        }
    }
  }
  for (int32_t c = 0; c < nc && found < 0; c++) {
    int all = 1;
    for (int k = 0; k < n && all; k++) all = reach[(size_t)k * (size_t)nc + (size_t)c];
    if (all) found = c;
  }
out:
  px_free(reach);
  px_free(stack);
  return found;
}

/* Whether clause from excepts clause to, directly or through a chain of exceptions. */
static int reaches(const pactum_agreement *agr, int32_t from, int32_t to) {
  const cclause *c = &agr->clauses[from];
  for (int e = 0; e < c->nexcepts; e++)
    if (c->excepts[e] == to || reaches(agr, c->excepts[e], to)) return 1;
  return 0;
}

static void put_ids(buf *b, const pactum_agreement *agr, const int32_t *v, int n) {
  buf_putc(b, '[');
  for (int i = 0; i < n; i++) {
    if (i) buf_putc(b, ',');
    buf_json_cstr(b, agr->clauses[v[i]].id);
  }
  buf_putc(b, ']');
}

static void note_point(example *e, const space_point *pt) {
  if (e->set) return;
  e->set = 1;
  e->pt = *pt;
  e->pt.dec[0] = e->pt.dec[1] = NULL;
}

static int visit_findings(space *sp, const space_point *pt, void *user) {
  vstate *v = user;
  const pactum_agreement *agr = v->agr;
  v->decisions++;
  if (!pt->ok[0]) return 0;
  const pactum_decision *d = pt->dec[0];
  const cgroup *g = &agr->groups[d->group];
  const int64_t *st = timeline_at(agr, sp->states[pt->state].tl[0], d->day, v->row);
  for (int i = 0; i < g->n; i++) {
    int32_t c = g->clause[i];
    clause_seen *cs = &v->cl[c];
    if (!cs->in_effect.set && clause_in_effect(agr, &agr->clauses[c], st, d->day)) note_point(&cs->in_effect, pt);
  }
  for (int i = 0; i < d->ndet; i++) v->cl[d->det[i]].determined = 1;
  for (int i = 0; i < d->nobl; i++) v->cl[d->obl[i]].determined = 1;
  for (int i = 0; i < d->nover; i++) {
    clause_seen *cs = &v->cl[d->over[i]];
    if (cs->applied.set) continue;
    note_point(&cs->applied, pt);
    cs->beaten_by = -1;
    /* Who took its place: an applicable exception to it, else a determining clause. */
    for (int k = 0; k < d->ndet && cs->beaten_by < 0; k++) cs->beaten_by = d->det[k];
  }
  if (d->outcome == PACTUM_CONFLICT) {
    conflict_seen key;
    key.n = d->ndet < 8 ? d->ndet : 8;
    memcpy(key.det, d->det, sizeof(int32_t) * (size_t)key.n);
    for (int k = 0; k < v->nconf; k++)
      if (v->conf[k].n == key.n && !memcmp(v->conf[k].det, key.det, sizeof(int32_t) * (size_t)key.n)) return 0;
    conflict_seen *seen = px_grow(v->conf, v->nconf, &v->capconf, sizeof *seen, 8);
    if (!seen) return -1;
    v->conf = seen;
    v->conf[v->nconf++] = key;
    buf msg, ids;
    buf_init(&msg);
    buf_init(&ids);
    for (int k = 0; k < d->ndet; k++) {
      const cclause *c = &agr->clauses[d->det[k]];
      buf_printf(&msg, "%s'%s' (%s)", k == 0 ? "" : k + 1 == d->ndet ? " and " : ", ", c->id, kind_word(c->kind));
    }
    int32_t top = common_excepted(agr, d->det, d->ndet);
    if (top >= 0) buf_printf(&msg, ", exceptions to '%s',", agr->clauses[top].id);
    buf_puts(&msg, " disagree");
    put_ids(&ids, agr, d->det, d->ndet);
    example ex = {0};
    note_point(&ex, pt);
    if (add_finding(v, F_CONFLICT, &msg, &ids, &ex, v->nf)) return -1;
  }
  if (d->outcome == PACTUM_NOT_APPLICABLE) {
    int a = agreement_find_action(agr, sp->groups[pt->group].action, strlen(sp->groups[pt->group].action));
    if (a >= 0 && agr->actions[a].exhaustive) {
      v->gaps++;
      note_point(&v->gap, pt);
    }
  }
  return 0;
}

/* Render "DATE" of a segment's first day. */
static void put_day(buf *b, int32_t day) {
  char t[11];
  date_format(day, t);
  buf_puts(b, t);
}

/*
** Where the items of c's window hold: its from and through, and each while/until item, over
** every segment and the states reachable by then. Writes the finding's message when the
** window is never open; returns 1 then, 0 when it opens, -1 when out of memory.
*/
static int window_finding(vstate *v, int32_t ci, buf *msg, example *ex) {
  const space *sp = v->sp;
  const pactum_agreement *agr = v->agr;
  const cclause *c = &agr->clauses[ci];
  int open = 0;
  for (int seg = 0; seg < sp->ndays && !open; seg++)
    for (int i = 0; i < sp->nstates && !open; i++)
      if (sp->states[i].seg <= seg)
        open = clause_in_effect(agr, c, timeline_at(agr, sp->states[i].tl[0], sp->days[seg], v->row), sp->days[seg]);
  if (open) return 0;
  /* Each item's first and last segment; item -2 is from, -1 through, k >= 0 the window items. */
  int latest_open = -1, open_item = -3, earliest_close = sp->ndays, close_item = -3, never_item = -3;
  for (int item = -2; item < c->nwin; item++) {
    int first = -1, last = -1;
    for (int seg = 0; seg < sp->ndays; seg++) {
      int32_t day = sp->days[seg];
      int holds = 0;
      if (item == -2) holds = day >= c->from;
      else if (item == -1) holds = day <= c->through;
      else
        for (int i = 0; i < sp->nstates && !holds; i++) {
          if (sp->states[i].seg > seg) continue;
          xenv env = {NULL, timeline_at(agr, sp->states[i].tl[0], day, v->row), NULL, day, 0, agr, NULL};
          int h = eval_expr(agr, c->win[item], &env);
          holds = c->win_until[item] ? !h : h;
        }
      if (holds) {
        if (first < 0) first = seg;
        last = seg;
      }
    }
    if (first < 0) {
      if (never_item == -3) never_item = item;
      continue;
    }
    if (first > latest_open) latest_open = first, open_item = item;
    if (last < earliest_close) earliest_close = last, close_item = item;
  }
  buf item_text;
  buf_init(&item_text);
#define ITEM_TEXT(it)                                                                                     \
  do {                                                                                                    \
    item_text.len = 0;                                                                                    \
    if ((it) == -2) {                                                                                     \
      buf_puts(&item_text, "from ");                                                                      \
      put_day(&item_text, c->from);                                                                       \
    } else if ((it) == -1) {                                                                              \
      buf_puts(&item_text, "through ");                                                                   \
      put_day(&item_text, c->through);                                                                    \
    } else {                                                                                              \
      const xop *x_ = &agr->code[c->win[(it)]];                                                           \
      buf_printf(&item_text, "%s %.*s", c->win_until[(it)] ? "until" : "while", (int)(x_->end - x_->start), \
                 agr->src + x_->start);                                                                   \
    }                                                                                                     \
  } while (0)
  if (never_item != -3) {
    ITEM_TEXT(never_item);
    buf_printf(msg, "the window of '%s' never opens: '%s' holds on no day from ", c->id, item_text.data ? item_text.data : "");
    put_day(msg, sp->days[0]);
    buf_puts(msg, " in any reachable state");
  } else if (latest_open > earliest_close) {
    ITEM_TEXT(open_item);
    buf_printf(msg, "the window of '%s' opens on ", c->id);
    put_day(msg, sp->days[latest_open]);
    buf_printf(msg, " ('%s') after it closes on ", item_text.data ? item_text.data : "");
    put_day(msg, earliest_close + 1 < sp->ndays ? sp->days[earliest_close + 1] - 1 : DAY_MAX);
    ITEM_TEXT(close_item);
    buf_printf(msg, " ('%s')", item_text.data ? item_text.data : "");
  } else {
    buf_printf(msg, "the window of '%s' never opens: its items never hold together on one day in a reachable state", c->id);
  }
#undef ITEM_TEXT
  buf_release(&item_text);
  /* The example: a request of its group on the day the window would open, in the initial state. */
  int seg = latest_open >= 0 ? latest_open : 0;
  int g = space_find_group(sp, agr->parties[c->principal].name, agr->actions[c->action].name);
  if (g >= 0) {
    ex->set = 1;
    memset(&ex->pt, 0, sizeof ex->pt);
    ex->pt.group = g;
    ex->pt.seg = seg;
    ex->pt.state = 0;
  }
  return msg->failed ? -1 : 1;
}

static void put_example_text(buf *b, const space *sp, const example *ex) {
  buf_puts(b, "  request: ");
  space_request_json(sp, &ex->pt, b);
  buf_puts(b, "\n  events:  ");
  if (ex->pt.state == 0) buf_puts(b, "none");
  else space_events_json(sp, ex->pt.state, b);
  if (sp->agr[0]->nstates) {
    buf_puts(b, " (");
    space_state_text(sp, 0, ex->pt.state, b);
    buf_putc(b, ')');
  }
  buf_putc(b, '\n');
}

static void put_example_json(buf *b, const space *sp, const example *ex) {
  buf_puts(b, "{\"request\":");
  space_request_json(sp, &ex->pt, b);
  buf_puts(b, ",\"events\":");
  space_events_json(sp, ex->pt.state, b);
  buf_puts(b, ",\"state\":");
  buf st;
  buf_init(&st);
  space_state_text(sp, 0, ex->pt.state, &st);
  buf_json_str(b, st.data ? st.data : "", st.len);
  buf_release(&st);
  buf_putc(b, '}');
}

/* What was explored: every group, or only group g when g >= 0. */
static void put_explored(buf *b, const space *sp, uint64_t decisions, int as_json, int g) {
  int actions = g >= 0 ? 1 : sp->ngroups;
  if (as_json) {
    buf_printf(b, "{\"groups\":%d,\"segments\":%d,\"states\":%d,\"decisions\":%llu,\"complete\":%s", actions,
               sp->ndays, sp->nstates, (unsigned long long)decisions, sp->incomplete ? "false" : "true");
    if (sp->incomplete) {
      buf_puts(b, ",\"limit\":");
      buf_json_cstr(b, sp->limit);
    }
    if (sp->approx[0]) {
      buf_puts(b, ",\"approximate\":");
      buf_json_cstr(b, sp->approx);
    }
    buf_putc(b, '}');
    return;
  }
  buf_printf(b, "explored %llu decision%s: ", (unsigned long long)decisions, decisions == 1 ? "" : "s");
  if (g >= 0) buf_printf(b, "%s %s", sp->groups[g].principal, sp->groups[g].action);
  else buf_printf(b, "%d principal-action pair%s", actions, actions == 1 ? "" : "s");
  buf_printf(b, ", %d date segment%s from ", sp->ndays, sp->ndays == 1 ? "" : "s");
  if (sp->ndays) put_day(b, sp->days[0]);
  buf_printf(b, ", %d reachable state%s\n", sp->nstates, sp->nstates == 1 ? "" : "s");
  if (sp->incomplete)
    buf_printf(b, "incomplete: %s; what is found below is real, but nothing is claimed about what was not explored\n",
               sp->limit);
  if (sp->approx[0])
    buf_printf(b, "approximate: %s, so representative values may miss some requests (docs/verify.md#limits)\n",
               sp->approx);
}

static int cmp_finding(const void *a, const void *b) {
  const finding *x = a, *y = b;
  if (x->kind != y->kind) return (int)x->kind - (int)y->kind;
  return (x->order > y->order) - (x->order < y->order);
}

int verify_report(const pactum_agreement *agr, const char *label, int as_json, buf *out, int *nfindings) {
  space sp;
  const pactum_agreement *one[1] = {agr};
  if (space_init(&sp, one, 1)) return -1;
  vstate v;
  memset(&v, 0, sizeof v);
  v.sp = &sp;
  v.agr = agr;
  v.cl = px_calloc((size_t)agr->nclauses + 1, sizeof *v.cl);
  v.row = px_malloc(sizeof(int64_t) * ((size_t)(agr->nstates + agr->ncommits) + 1));
  int rc = -1;
  if (!v.cl || !v.row) goto out;
  for (int g = 0; g < sp.ngroups; g++) {
    v.gaps = 0;
    memset(&v.gap, 0, sizeof v.gap);
    if (space_walk(&sp, g, visit_findings, &v) || v.oom) goto out;
    if (v.gaps) {
      buf msg, ids;
      buf_init(&msg);
      buf_init(&ids);
      buf_printf(&msg, "'%s' by %s is exhaustive, but no clause governs %llu of its %llu explored requests",
                 sp.groups[g].action, sp.groups[g].principal, (unsigned long long)v.gaps, (unsigned long long)sp.points);
      buf_puts(&ids, "[]");
      if (add_finding(&v, F_GAP, &msg, &ids, &v.gap, g)) goto out;
    }
  }
  /* Claims that something never happens hold only for a space explored in full. */
  for (int32_t c = 0; c < agr->nclauses && !sp.incomplete; c++) {
    const cclause *cl = &agr->clauses[c];
    clause_seen *cs = &v.cl[c];
    buf msg, ids;
    buf_init(&msg);
    buf_init(&ids);
    buf_putc(&ids, '[');
    buf_json_cstr(&ids, cl->id);
    buf_putc(&ids, ']');
    example ex = {0};
    /* A complete walk decides every segment and state of the clause's group. */
    int w = cs->in_effect.set ? 0 : window_finding(&v, c, &msg, &ex);
    if (w < 0) {
      buf_release(&msg);
      buf_release(&ids);
      goto out;
    }
    if (w) {
      if (add_finding(&v, F_WINDOW, &msg, &ids, ex.set ? &ex : NULL, c)) goto out;
      continue;
    }
    if (cs->determined) {
      buf_release(&msg);
      buf_release(&ids);
      continue;
    }
    const char *does = cl->kind == CL_OBLIGATION ? "is never attached to a decision" : "never determines an outcome";
    if (cs->applied.set) {
      const char *by = cs->beaten_by >= 0 ? agr->clauses[cs->beaten_by].id : NULL;
      int overridden = 0; /* 1: an exception to it; 2: an exception further down its chain */
      if (by) {
        for (int e = 0; e < agr->clauses[cs->beaten_by].nexcepts; e++)
          if (agr->clauses[cs->beaten_by].excepts[e] == c) overridden = 1;
        if (!overridden && reaches(agr, cs->beaten_by, c)) overridden = 2; /* the checker refuses cycles */
      }
      buf_printf(&msg, "'%s' (%s) %s: wherever it applies, ", cl->id, kind_word(cl->kind), does);
      if (!by) buf_puts(&msg, "an exception to it applies");
      else if (overridden == 1) buf_printf(&msg, "it is overridden by its exception '%s'", by);
      else if (overridden == 2) buf_printf(&msg, "it is overridden by '%s', an exception to one of its exceptions", by);
      else buf_printf(&msg, "'%s' (%s) decides instead", by, kind_word(agr->clauses[cs->beaten_by].kind));
      if (add_finding(&v, cl->nexcepts ? F_SHADOWED : F_DEAD, &msg, &ids, &cs->applied, c)) goto out;
    } else {
      buf_printf(&msg, "'%s' (%s) %s: in its window, its condition holds for no request", cl->id, kind_word(cl->kind), does);
      if (add_finding(&v, F_DEAD, &msg, &ids, cs->in_effect.set ? &cs->in_effect : NULL, c)) goto out;
    }
  }
  if (v.nf) qsort(v.f, (size_t)v.nf, sizeof *v.f, cmp_finding);
  uint64_t decisions = v.decisions;
  if (as_json) {
    buf_puts(out, "{\"agreement\":{\"id\":");
    buf_json_cstr(out, agr->id);
    buf_puts(out, ",\"version\":");
    buf_json_cstr(out, agr->version);
    buf_puts(out, "},\"explored\":");
    put_explored(out, &sp, decisions, 1, -1);
    buf_puts(out, ",\"findings\":[");
    for (int i = 0; i < v.nf; i++) {
      if (i) buf_putc(out, ',');
      buf_puts(out, "{\"kind\":");
      buf_json_cstr(out, fkind_json[v.f[i].kind]);
      buf_puts(out, ",\"clauses\":");
      buf_puts(out, v.f[i].clauses);
      buf_puts(out, ",\"message\":");
      buf_json_cstr(out, v.f[i].message);
      buf_puts(out, ",\"example\":");
      if (v.f[i].ex.set) put_example_json(out, &sp, &v.f[i].ex);
      else buf_puts(out, "null");
      buf_putc(out, '}');
    }
    buf_printf(out, "]}\n");
  } else {
    buf_printf(out, "%s: %s %s\n", label, agr->id, agr->version);
    put_explored(out, &sp, decisions, 0, -1);
    for (int i = 0; i < v.nf; i++) {
      buf_printf(out, "\n%s: %s\n", fkind_name[v.f[i].kind], v.f[i].message);
      if (v.f[i].ex.set) put_example_text(out, &sp, &v.f[i].ex);
    }
    buf_printf(out, "\n%d finding%s%s\n", v.nf, v.nf == 1 ? "" : "s", sp.incomplete ? " in an incomplete exploration" : "");
  }
  *nfindings = v.nf + (sp.incomplete ? 1 : 0); /* an incomplete run proves nothing clean */
  rc = out->failed ? -1 : 0;
out:
  for (int i = 0; i < v.nf; i++) {
    px_free(v.f[i].message);
    px_free(v.f[i].clauses);
  }
  px_free(v.f);
  px_free(v.conf);
  px_free(v.cl);
  px_free(v.row);
  space_release(&sp);
  return rc;
}

/* ---- Queries -------------------------------------------------------------------------- */

#define WHERE_CLAUSE "__where__"

/*
** Rewrite the loader's diagnostics about the appended condition (on line `line` of the text it
** loaded) to name `--where`, line 1. An error found after the condition (the parser reaching
** the closing brace) is placed just past its end.
*/
static char *where_diag(const char *d, unsigned line, const char *where) {
  buf b;
  buf_init(&b);
  int skip = 0;
  for (const char *p = d; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
    unsigned l = 0, col = 0;
    int used = 0;
    if (!strncmp(p, "--where:", 8) && sscanf(p + 8, "%u:%u:%n", &l, &col, &used) == 2 && used > 0) {
      skip = 0;
      if (l == line) {
        buf_printf(&b, "--where:1:%u:", col);
        buf_append(&b, p + 8 + used, n - 8 - (size_t)used);
      } else if (l > line) {
        size_t end = strlen(where);
        buf_printf(&b, "--where:1:%zu:", end + 1);
        /* The parser met the clause's closing brace: to the user, the end of the condition. */
        const char *msg = p + 8 + used, *brace = strstr(msg, "found '}'");
        if (brace && brace < p + n) {
          buf_append(&b, msg, (size_t)(brace - msg));
          buf_puts(&b, "found the end of the condition");
          buf_append(&b, brace + 9, (size_t)(p + n - brace - 9));
        } else {
          buf_append(&b, msg, n - 8 - (size_t)used);
        }
        buf_printf(&b, "    1 | %s\n      | %*s^\n", where, (int)end, "");
        skip = 2; /* the loader's own source line and caret */
      } else {
        buf_append(&b, p, n);
      }
    } else if (skip) {
      skip--;
    } else if (n > 8 && p[4] >= '0' && p[4] <= '9' && !strncmp(p + 5, " | ", 3)) {
      buf_puts(&b, "    1 | ");
      buf_append(&b, p + 8, n - 8);
    } else {
      buf_append(&b, p, n);
    }
    p += n;
  }
  return buf_detach(&b);
}

pactum_agreement *verify_with_where(const pactum_agreement *agr, const char *principal, const char *action,
                                    const char *where, char **diag, char *why, size_t why_cap) {
  *diag = NULL;
  why[0] = '\0';
  int a = agreement_find_action(agr, action, strlen(action));
  int p = agreement_find_party(agr, principal, strlen(principal));
  if (a < 0 || p < 0 || !agr->actions[a].principal_ok[p]) {
    if (a < 0) snprintf(why, why_cap, "unknown action '%s'", action);
    else if (p < 0) snprintf(why, why_cap, "unknown party '%s'", principal);
    else snprintf(why, why_cap, "'%s' may not be the principal of action '%s'", principal, action);
    return NULL;
  }
  if (strchr(where, '\n') || strchr(where, '\r')) {
    snprintf(why, why_cap, "the '--where' condition must be one line");
    return NULL;
  }
  buf src;
  buf_init(&src);
  buf_append(&src, agr->src, agr->src_len);
  unsigned line = 1;
  for (size_t i = 0; i < agr->src_len; i++) line += agr->src[i] == '\n';
  if (agr->src_len && agr->src[agr->src_len - 1] != '\n') {
    buf_putc(&src, '\n');
    line++;
  }
  buf_printf(&src, "source __where_source__ seed \"--where\"\nobligation " WHERE_CLAUSE " {\n  principal %s\n  action %s\n"
                   "  quote __where_source__ \"--where\"\n  when\n",
             principal, action);
  line += 6;
  buf_puts(&src, where);
  buf_puts(&src, "\n}\n");
  if (src.failed) {
    buf_release(&src);
    return NULL;
  }
  pactum_agreement *w = NULL;
  char *d = NULL;
  int rc = pactum_agreement_load_buffer("--where", src.data, src.len, &w, &d);
  buf_release(&src);
  if (rc != PACTUM_OK) {
    if (d) *diag = where_diag(d, line, where);
    pactum_string_free(d);
    return NULL;
  }
  /* The condition must not have closed the clause and declared anything of its own. */
  if (w->nclauses != agr->nclauses + 1 || strcmp(w->clauses[w->nclauses - 1].id, WHERE_CLAUSE) != 0 ||
      w->nactions != agr->nactions || w->nstates != agr->nstates || w->nevents != agr->nevents) {
    pactum_agreement_free(w);
    snprintf(why, why_cap, "the '--where' condition must be a single condition");
    return NULL;
  }
  return w;
}

typedef struct qstate {
  verify_query_kind kind;
  int32_t where;       /* the condition's clause, or -1 */
  uint64_t matched;    /* requests meeting the condition */
  example witness;
  pactum_outcome witness_outcome;
} qstate;

static int visit_query(space *sp, const space_point *pt, void *user) {
  (void)sp;
  qstate *q = user;
  if (!pt->ok[0]) return 0;
  const pactum_decision *d = pt->dec[0];
  if (q->where >= 0 && !has(d->obl, d->nobl, q->where)) return 0;
  q->matched++;
  int allowed = d->outcome == PACTUM_ALLOW;
  /* can and never look for an allowed request; always for one that is not allowed. */
  if ((q->kind == VQ_ALWAYS) != allowed) {
    note_point(&q->witness, pt);
    q->witness_outcome = d->outcome;
    return 1;
  }
  return 0;
}

int verify_query(const pactum_agreement *agr, verify_query_kind kind, const char *principal, const char *action,
                 int has_where, const char *where_text, int as_json, buf *out, int *yes) {
  space sp;
  const pactum_agreement *one[1] = {agr};
  if (space_init(&sp, one, 1)) return -1;
  int rc = -1;
  int g = space_find_group(&sp, principal, action);
  if (g < 0) {
    buf_printf(out, "'%s' may not be the principal of action '%s', or neither is declared", principal, action);
    goto out;
  }
  qstate q;
  memset(&q, 0, sizeof q);
  q.kind = kind;
  q.where = has_where ? agr->nclauses - 1 : -1;
  if (space_walk(&sp, g, visit_query, &q)) goto out;
  int found = q.witness.set;
  *yes = kind == VQ_CAN ? found : !found;
  /* Without a witness, only a search of the whole space can answer. */
  int unknown = !found && sp.incomplete;
  if (unknown) *yes = 0;
  static const char *const qname[] = {"can", "always", "never"};
  buf what;
  buf_init(&what);
  buf_printf(&what, "%s %s", principal, action);
  if (has_where) buf_printf(&what, " where %s", where_text);
  if (as_json) {
    buf_puts(out, "{\"query\":");
    buf_json_cstr(out, qname[kind]);
    buf_puts(out, ",\"principal\":");
    buf_json_cstr(out, principal);
    buf_puts(out, ",\"action\":");
    buf_json_cstr(out, action);
    buf_puts(out, ",\"where\":");
    if (has_where) buf_json_cstr(out, where_text);
    else buf_puts(out, "null");
    buf_printf(out, ",\"answer\":\"%s\",\"explored\":", unknown ? "unknown" : *yes ? "yes" : "no");
    put_explored(out, &sp, sp.points, 1, g);
    buf_puts(out, ",\"witness\":");
    if (found) {
      put_example_json(out, &sp, &q.witness);
      out->len--; /* reopen the object to add the outcome */
      buf_puts(out, ",\"decision\":");
      buf_json_cstr(out, pactum_outcome_name(q.witness_outcome));
      buf_putc(out, '}');
    } else {
      buf_puts(out, "null");
    }
    buf_puts(out, "}\n");
  } else {
    const char *w = what.data ? what.data : "";
    if (unknown)
      buf_printf(out, "unknown: %s: no witness in the part of the space explored\n", w);
    else if (kind == VQ_CAN)
      buf_printf(out, found ? "yes: %s can be allowed\n" : "no: %s is never allowed\n", w);
    else if (kind == VQ_ALWAYS)
      buf_printf(out, found ? "no: %s is not always allowed\n" : "yes: %s is always allowed\n", w);
    else
      buf_printf(out, found ? "no: %s can be allowed\n" : "yes: %s is never allowed\n", w);
    if (found) {
      buf_printf(out, "  decision: %s\n", pactum_outcome_name(q.witness_outcome));
      put_example_text(out, &sp, &q.witness);
    } else if (has_where && !q.matched && !sp.incomplete) {
      buf_puts(out, "  no request meets the condition\n");
    }
    put_explored(out, &sp, sp.points, 0, g);
  }
  buf_release(&what);
  rc = out->failed ? -1 : 0;
out:
  space_release(&sp);
  return rc;
}
