/*
** explain.c: the reports a person reads: the trace of one decision (`pactum explain`),
** the state on a day (`pactum status`) and the list of clauses (`pactum clauses`), each
** as text or as JSON. These are the slow, allocating paths; deciding never calls them.
*/
#include "agreement.h"
#include "alloc.h"
#include "date.h"
#include "obligations.h"
#include "num.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

static const char *kind_word(clause_kind k) {
  return k == CL_PERMISSION ? "permission" : k == CL_PROHIBITION ? "prohibition" : "obligation";
}

static const char *conf_word(confidence c) {
  return c == CONF_PRESS ? "press" : c == CONF_SEED ? "seed" : "official";
}

/* The source text of compiled expression root. */
static void put_span(buf *b, const pactum_agreement *agr, int32_t root, int json) {
  const xop *x = &agr->code[root];
  size_t s = x->start, e = x->end;
  if (e > agr->src_len) e = agr->src_len;
  if (s > e) s = e;
  if (json) buf_json_str(b, agr->src + s, e - s);
  else buf_append(b, agr->src + s, e - s);
}

static void put_value(buf *b, const pactum_agreement *agr, type_ref t, int64_t v, int json) {
  char day[11];
  switch (t.kind) {
  case TY_BOOL: buf_puts(b, v ? "true" : "false"); break;
  case TY_ENUM:
    if (v >= 0 && v < t.en->n) {
      if (json) buf_json_cstr(b, t.en->names[v]);
      else buf_puts(b, t.en->names[v]);
    } else {
      buf_puts(b, json ? "null" : "?");
    }
    break;
  case TY_STRING:
    if (v >= 0 && v < agr->nstrs) {
      buf_json_str(b, agr->strs[v], agr->str_lens[v]); /* escaped in text too: no forged lines */
    } else {
      buf_puts(b, json ? "null" : "(a string the agreement does not name)");
    }
    break;
  case TY_DATE:
    if (v == DAY_MAX) { /* a date not yet known: the term's end while it renews */
      buf_puts(b, json ? "null" : "none");
      break;
    }
    date_format((int32_t)v, day);
    if (json) buf_printf(b, "\"%s\"", day);
    else buf_puts(b, day);
    break;
  case TY_MONEY:
  case TY_DECIMAL:
    if (json) num_json(b, v);
    else num_text(b, v, t.kind == TY_MONEY);
    break;
  case TY_DURATION:
    if (json) buf_putc(b, '"');
    num_duration_text(b, v);
    if (json) buf_putc(b, '"');
    break;
  case TY_REF: /* a seq; 0 is no event */
    if (v <= 0) buf_puts(b, json ? "null" : "none");
    else if (json) buf_i64(b, v);
    else buf_printf(b, "seq %lld", (long long)v);
    break;
  default: buf_i64(b, v); break;
  }
}

void report_value(buf *b, const pactum_agreement *agr, type_ref t, int64_t v, int json) { put_value(b, agr, t, v, json); }

static void put_state(buf *b, const pactum_agreement *agr, const int64_t *st, int json) {
  if (json) buf_putc(b, '{');
  for (int i = 0; i < agr->nstates; i++) {
    if (json) {
      if (i) buf_putc(b, ',');
      buf_json_cstr(b, agr->states[i].name);
      buf_putc(b, ':');
    } else {
      buf_printf(b, "%s%s = ", i ? ", " : "", agr->states[i].name);
    }
    put_value(b, agr, agr->states[i].type, st[i], json);
  }
  if (json) buf_putc(b, '}');
  else if (!agr->nstates) buf_puts(b, "(no state variables)");
}

static void put_cites_json(buf *b, const ccite *c, int n) {
  buf_putc(b, '[');
  for (int i = 0; i < n; i++) {
    if (i) buf_putc(b, ',');
    buf_puts(b, "{\"source\":");
    buf_json_cstr(b, c[i].source);
    buf_puts(b, ",\"text\":");
    buf_json_str(b, c[i].text, c[i].len);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
}

static void put_window_text(buf *b, const pactum_agreement *agr, const cclause *c) {
  char day[11];
  date_format(c->from, day);
  buf_printf(b, "from %s%s", day, c->from == agr->effective ? " (the effective date)" : "");
  if (c->through != DAY_MAX) {
    date_format(c->through, day);
    buf_printf(b, ", through %s", day);
  }
  for (int w = 0; w < c->nwin; w++) {
    buf_printf(b, ", %s ", c->win_until[w] ? "until" : "while");
    put_span(b, agr, c->win[w], 0);
  }
}

/* ---- explain ------------------------------------------------------------------------ */

/* One computed operand (value.c): "EXPR = VALUE" in text, {"expression","value"} in JSON. */
static void put_one_computed(buf *b, const pactum_agreement *agr, int32_t vroot, const xenv *env, int json, int *n) {
  const vop *v = &agr->vcode[vroot];
  int fault = 0;
  xenv e = *env;
  e.fault = &fault;
  int64_t val = value_eval(agr, vroot, &e);
  size_t s = v->start, t = v->end <= agr->src_len && v->end > v->start ? v->end : v->start;
  type_ref ty = {.kind = (type_kind)v->type};
  if (json) {
    buf_puts(b, (*n)++ ? "," : ",\"computed\":[");
    buf_puts(b, "{\"expression\":");
    buf_json_str(b, agr->src + s, t - s);
    buf_puts(b, ",\"value\":");
    if (fault) buf_json_cstr(b, num_strerror(fault));
    else put_value(b, agr, ty, val, 1);
    buf_putc(b, '}');
  } else {
    buf_puts(b, "             = ");
    buf_append(b, agr->src + s, t - s);
    buf_puts(b, " is ");
    if (fault) buf_puts(b, num_strerror(fault));
    else put_value(b, agr, ty, val, 0);
    buf_putc(b, '\n');
    (*n)++;
  }
}

/* The values the arithmetic of root computed, for `explain` (nothing when root has none). */
static void put_computed(buf *b, const pactum_agreement *agr, int32_t root, const xenv *env, int json, int *n) {
  if (root < 0 || !agr->nvcode) return;
  const xop *x = &agr->code[root];
  if (x->op == X_NOT) {
    put_computed(b, agr, x->a, env, json, n);
  } else if (x->op == X_AND || x->op == X_OR) {
    put_computed(b, agr, x->a, env, json, n);
    put_computed(b, agr, x->b, env, json, n);
  } else if (x->op >= X_EQ && x->op <= X_GE) {
    if (x->lsrc == SRC_EXPR) put_one_computed(b, agr, x->lslot, env, json, n);
    if (x->rsrc == SRC_EXPR) put_one_computed(b, agr, x->rslot, env, json, n);
  }
}

/* One test of a clause: a JSON object, or a text line "    label  condition  held|FAILED". */
static void trace_item(buf *b, const pactum_agreement *agr, const xenv *env, const char *label, int32_t root, int held,
                       int json, int *first) {
  int n = 0;
  if (json) {
    if (!*first) buf_putc(b, ',');
    buf_puts(b, "{\"test\":");
    buf_json_cstr(b, label);
    buf_puts(b, ",\"condition\":");
    if (root >= 0) put_span(b, agr, root, 1);
    else buf_puts(b, "null");
    buf_printf(b, ",\"held\":%s", held ? "true" : "false");
    put_computed(b, agr, root, env, 1, &n);
    buf_puts(b, n ? "]}" : "}");
  } else {
    size_t start = b->len;
    buf_printf(b, "    %-9s", label);
    if (root >= 0) put_span(b, agr, root, 0);
    size_t w = b->len - start;
    buf_printf(b, "%*s%s\n", w < 56 ? (int)(56 - w) : 1, "", held ? "held" : "FAILED");
    put_computed(b, agr, root, env, 0, &n);
  }
  *first = 0;
}

char *explain_render(const pactum_agreement *agr, const pactum_timeline *tl, const pactum_request *req,
                     int as_json) {
  return explain_render_until(agr, tl, req, as_json, DAY_MAX);
}

char *explain_render_until(const pactum_agreement *agr, const pactum_timeline *tl, const pactum_request *req,
                           int as_json, int32_t until) {
  pactum_decision *d = pactum_decision_new(agr);
  if (!d) return NULL;
  if (pactum_decide(agr, tl, req, d) != PACTUM_OK) {
    pactum_decision_free(d);
    return NULL;
  }
  if (until < d->valid_until) d->valid_until = until;
  const int64_t *st = timeline_at(agr, tl, req->day, d->row); /* the whole row, for the trace */
  xenv env = {req->vals, st, NULL, req->day, 0, agr, NULL};
  const cgroup *g = &agr->groups[d->group];
  char day[11];
  date_format(req->day, day);
  buf b;
  buf_init(&b);
  const char *pname = agr->parties[req->principal].name, *aname = agr->actions[req->action].name;
  if (as_json) {
    buf_puts(&b, "{\"request\":{\"principal\":");
    buf_json_cstr(&b, pname);
    buf_puts(&b, ",\"action\":");
    buf_json_cstr(&b, aname);
    const caction *act = &agr->actions[req->action];
    for (int scope = 0; scope < 2; scope++) {
      buf_puts(&b, scope ? ",\"context\":{" : ",\"resource\":{");
      int n = 0;
      for (int i = 0; i < act->nattrs; i++) {
        if (act->attrs[i].is_context != scope) continue;
        if (n++) buf_putc(&b, ',');
        buf_json_cstr(&b, act->attrs[i].name);
        buf_putc(&b, ':');
        if (act->attrs[i].type.kind == TY_STRING && req->vals[i] < 0) {
          int u = (int)(-1 - req->vals[i]);
          if (u < req->nunknown) buf_json_str(&b, req->strings.data + req->unknown_off[u], req->unknown_len[u]);
          else buf_puts(&b, "null");
        } else {
          put_value(&b, agr, act->attrs[i].type, req->vals[i], 1);
        }
      }
      buf_putc(&b, '}');
    }
    buf_printf(&b, ",\"date\":\"%s\"},\"state\":", day);
    put_state(&b, agr, st, 1);
    buf_puts(&b, ",\"clauses\":[");
  } else {
    buf_printf(&b, "request  %s %s on %s\n", pname, aname, day);
    const caction *act = &agr->actions[req->action];
    for (int i = 0; i < act->nattrs; i++) {
      buf_printf(&b, "         %s = ", act->attrs[i].qname);
      if (act->attrs[i].type.kind == TY_STRING && req->vals[i] < 0) {
        int u = (int)(-1 - req->vals[i]);
        if (u < req->nunknown) buf_json_str(&b, req->strings.data + req->unknown_off[u], req->unknown_len[u]);
      } else {
        put_value(&b, agr, act->attrs[i].type, req->vals[i], 0);
      }
      buf_puts(&b, (req->set >> i) & 1 ? "\n" : "  (default)\n");
    }
    buf_puts(&b, "state    ");
    put_state(&b, agr, st, 0);
    size_t nev = tl ? timeline_count_until(tl, req->day) : 0;
    buf_printf(&b, "  (%zu event%s on or before %s)\n", nev, nev == 1 ? "" : "s", day);
    if (!g->n) buf_puts(&b, "\nno clause governs this principal and action\n");
  }
  /* Walk the clauses in file order, so the trace reads like the agreement. */
  int first = 1;
  for (int ci = 0; ci < agr->nclauses; ci++) {
    int pos = -1;
    for (int i = 0; i < g->n; i++)
      if (g->clause[i] == ci) pos = i;
    if (pos < 0) continue;
    const cclause *c = &agr->clauses[ci];
    int in_effect = clause_in_effect(agr, c, st, req->day);
    int when = c->when < 0 || eval_expr(agr, c->when, &env);
    int applies = in_effect && when;
    int requires = c->requires < 0 || eval_expr(agr, c->requires, &env);
    const char *role = "not_applicable";
    for (int k = 0; k < d->ndet; k++) if (d->det[k] == ci) role = "determining";
    for (int k = 0; k < d->nover; k++) if (d->over[k] == ci) role = "overridden";
    for (int k = 0; k < d->nobl; k++) if (d->obl[k] == ci) role = "obligation";
    if (applies && !strcmp(role, "not_applicable")) role = "applies";
    const char *outcome = !applies ? "none" : c->kind == CL_PROHIBITION ? "deny"
                        : c->kind == CL_OBLIGATION ? "none" : requires ? "allow" : "deny";
    char from[11], through[11];
    date_format(c->from, from);
    date_format(c->through, through);
    int f2 = 1;
    if (as_json) {
      if (!first) buf_putc(&b, ',');
      buf_puts(&b, "{\"clause\":");
      buf_json_cstr(&b, c->id);
      buf_printf(&b, ",\"kind\":\"%s\",\"tests\":[", kind_word(c->kind));
      char lbl[40];
      snprintf(lbl, sizeof lbl, "from %s", from);
      trace_item(&b, agr, &env, lbl, -1, req->day >= c->from, 1, &f2);
      if (c->through != DAY_MAX) {
        snprintf(lbl, sizeof lbl, "through %s", through);
        trace_item(&b, agr, &env, lbl, -1, req->day <= c->through, 1, &f2);
      }
      for (int w = 0; w < c->nwin; w++) {
        int h = eval_expr(agr, c->win[w], &env);
        trace_item(&b, agr, &env, c->win_until[w] ? "until" : "while", c->win[w], c->win_until[w] ? !h : h, 1, &f2);
      }
      if (c->when >= 0) trace_item(&b, agr, &env, "when", c->when, when, 1, &f2);
      if (c->requires >= 0) trace_item(&b, agr, &env, "requires", c->requires, requires, 1, &f2);
      buf_printf(&b, "],\"in_effect\":%s,\"applies\":%s,\"outcome\":\"%s\",\"role\":\"%s\",\"exception_to\":[",
                 in_effect ? "true" : "false", applies ? "true" : "false", outcome, role);
      for (int k = 0; k < c->nexcepts; k++) {
        if (k) buf_putc(&b, ',');
        buf_json_cstr(&b, agr->clauses[c->excepts[k]].id);
      }
      buf_puts(&b, "],\"quotes\":");
      put_cites_json(&b, c->cites, c->ncites);
      buf_puts(&b, ",\"notes\":[");
      for (int k = 0; k < c->nnotes; k++) {
        if (k) buf_putc(&b, ',');
        buf_json_cstr(&b, c->notes[k]);
      }
      buf_puts(&b, "]}");
    } else {
      buf_printf(&b, "\n%s %s", kind_word(c->kind), c->id);
      if (c->nexcepts) {
        buf_puts(&b, "  (exception to ");
        for (int k = 0; k < c->nexcepts; k++)
          buf_printf(&b, "%s%s", k ? ", " : "", agr->clauses[c->excepts[k]].id);
        buf_putc(&b, ')');
      }
      buf_putc(&b, '\n');
      char lbl[40];
      snprintf(lbl, sizeof lbl, "from     %s", from);
      trace_item(&b, agr, &env, lbl, -1, req->day >= c->from, 0, &f2);
      if (c->through != DAY_MAX) {
        snprintf(lbl, sizeof lbl, "through  %s", through);
        trace_item(&b, agr, &env, lbl, -1, req->day <= c->through, 0, &f2);
      }
      for (int w = 0; w < c->nwin; w++) {
        int h = eval_expr(agr, c->win[w], &env);
        trace_item(&b, agr, &env, c->win_until[w] ? "until" : "while", c->win[w], c->win_until[w] ? !h : h, 0, &f2);
      }
      if (c->when >= 0) trace_item(&b, agr, &env, "when", c->when, when, 0, &f2);
      if (c->requires >= 0) trace_item(&b, agr, &env, "requires", c->requires, requires, 0, &f2);
      if (!strcmp(role, "determining")) buf_printf(&b, "    => %s (determining)\n", outcome);
      else if (!strcmp(role, "overridden")) buf_printf(&b, "    => %s, but overridden\n", c->kind == CL_PROHIBITION ? "deny" : requires ? "allow" : "deny");
      else if (!strcmp(role, "obligation")) buf_puts(&b, "    => obligation attached\n");
      else buf_puts(&b, applies ? "    => applies\n" : "    => does not apply\n");
      for (int k = 0; k < c->ncites; k++)
        buf_printf(&b, "    quote [%s] \"%.*s\"\n", c->cites[k].source, (int)c->cites[k].len, c->cites[k].text);
      for (int k = 0; k < c->nnotes; k++) buf_printf(&b, "    note  %s\n", c->notes[k]);
    }
    first = 0;
  }
  char *dj = px_malloc(4096);
  size_t need = dj ? pactum_decision_to_json(d, dj, 4096) : 0;
  if (dj && need >= 4096) {
    px_free(dj);
    dj = px_malloc(need + 1);
    if (dj) pactum_decision_to_json(d, dj, need + 1);
  }
  if (!dj) b.failed = 1;
  if (as_json) {
    buf_puts(&b, "],\"decision\":");
    if (dj) buf_puts(&b, dj);
    buf_puts(&b, "}");
  } else {
    buf_printf(&b, "\ndecision %s\n", pactum_outcome_name(d->outcome));
    for (int k = 0; k < d->ndet; k++) {
      const cclause *c = &agr->clauses[d->det[k]];
      buf_printf(&b, "  %s %s: \"%.*s\" [%s]\n", d->outcome == PACTUM_CONFLICT ? "conflicting" : "determined by", c->id,
                 (int)(c->ncites ? c->cites[0].len : 0), c->ncites ? c->cites[0].text : "", c->ncites ? c->cites[0].source : "");
    }
    for (int k = 0; k < d->nover; k++) buf_printf(&b, "  overridden    %s\n", agr->clauses[d->over[k]].id);
    for (int k = 0; k < d->nobl; k++) buf_printf(&b, "  obligation    %s\n", agr->clauses[d->obl[k]].id);
    if (d->valid_until != DAY_MAX) {
      date_format(d->valid_until, day);
      buf_printf(&b, "  valid until   %s%s%s\n", day, d->reads_state ? ", or until a change of " : "",
                 d->reads_state ? d->state_dep : "");
    } else if (d->reads_state) {
      buf_printf(&b, "  valid until   a change of %s\n", d->state_dep);
    }
  }
  px_free(dj);
  pactum_decision_free(d);
  return buf_detach(&b);
}

char *pactum_explain(const pactum_agreement *agr, const pactum_timeline *tl, const pactum_request *req,
                     int as_json) {
  return explain_render(agr, tl, req, as_json);
}

/* ---- status ------------------------------------------------------------------------- */

/* Why clause c is or is not in effect on day, in a few words. */
static void put_reason(buf *b, const pactum_agreement *agr, const cclause *c, const int64_t *st, int32_t day) {
  char d[11];
  if (day < c->from) {
    date_format(c->from, d);
    buf_printf(b, "not yet: starts %s", d);
    return;
  }
  if (day > c->through) {
    date_format(c->through, d);
    buf_printf(b, "ended on %s", d);
    return;
  }
  xenv env = {NULL, st, NULL, day, 0, agr, NULL};
  for (int w = 0; w < c->nwin; w++) {
    int h = eval_expr(agr, c->win[w], &env);
    if (c->win_until[w] && h) {
      buf_puts(b, "ended: ");
      put_span(b, agr, c->win[w], 0);
      buf_puts(b, " holds");
      return;
    }
    if (!c->win_until[w] && !h) {
      buf_puts(b, "not in effect: ");
      put_span(b, agr, c->win[w], 0);
      buf_puts(b, " does not hold");
      return;
    }
  }
  date_format(c->from, d);
  buf_printf(b, "in effect from %s", d);
  if (c->through != DAY_MAX) {
    date_format(c->through, d);
    buf_printf(b, " through %s", d);
  }
  for (int w = 0; w < c->nwin; w++) {
    buf_printf(b, ", %s ", c->win_until[w] ? "until" : "while");
    put_span(b, agr, c->win[w], 0);
  }
}

/*
** The obligations part of a status (obligations.h): in JSON ,"obligations":[...] (and
** "obligations_omitted":N when the list is cut at OBLIGATIONS_REPORT_MAX instances; on an
** overflow, "obligations":null and "obligations_error"); in text, one line per instance. -1 when
** memory ran out.
*/
static int status_obligations(buf *b, const pactum_agreement *agr, const pactum_timeline *tl, int32_t day,
                              int as_json) {
  obligations_list l;
  pactum_error err;
  memset(&err, 0, sizeof err);
  int rc = obligations_compute(agr, tl, day, &l, &err);
  if (rc == PACTUM_ENOMEM) {
    obligations_release(&l);
    return -1;
  }
  if (rc != PACTUM_OK) {
    if (as_json) {
      buf_printf(b, ",\"obligations\":null,\"obligations_error\":{\"code\":\"%s\",\"message\":", err.code);
      buf_json_cstr(b, err.message);
      buf_putc(b, '}');
    } else {
      buf_printf(b, "\nobligations\n  (not computed: %s)\n", err.message);
    }
    obligations_release(&l);
    return 0;
  }
  if (as_json) {
    buf_puts(b, ",\"obligations\":");
    size_t omitted = obligations_put_json(b, agr, &l, OBLIGATIONS_REPORT_MAX);
    if (omitted) buf_printf(b, ",\"obligations_omitted\":%zu", omitted);
  } else if (agr->nobligs) {
    buf_puts(b, "\nobligations\n");
    if (!l.n) buf_puts(b, "  (no instances)\n");
    for (size_t i = 0; i < l.n && i < OBLIGATIONS_REPORT_MAX; i++) {
      const obl_instance *x = &l.v[i];
      char due[11];
      date_format(x->due, due);
      buf_printf(b, "  %-10s %s #%d, due %s", obligations_state_word(x->state), agr->obligs[x->obl].id, x->number, due);
      if (x->has_owed) {
        type_ref t = {.kind = agr->obligs[x->obl].is_money ? TY_MONEY : TY_INTEGER};
        buf_puts(b, ", owed ");
        put_value(b, agr, t, x->owed, 0);
        buf_puts(b, ", paid ");
        put_value(b, agr, t, x->paid, 0);
      }
      buf_putc(b, '\n');
    }
    if (l.n > OBLIGATIONS_REPORT_MAX)
      buf_printf(b, "  %zu more instances are not listed: a report lists at most %zu\n", l.n - OBLIGATIONS_REPORT_MAX,
                 OBLIGATIONS_REPORT_MAX);
  }
  obligations_release(&l);
  return 0;
}

char *status_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int as_json) {
  int64_t *row = px_malloc(sizeof(int64_t) * ((size_t)(agr->nstates + agr->ncommits) + 1));
  if (!row) return NULL;
  const int64_t *st = timeline_at(agr, tl, day, row);
  size_t nev = tl ? timeline_count_until(tl, day) : 0;
  char d[11];
  date_format(day, d);
  buf b;
  buf_init(&b);
  if (as_json) {
    buf_printf(&b, "{\"date\":\"%s\",\"agreement\":{\"id\":", d);
    buf_json_cstr(&b, agr->id);
    buf_puts(&b, ",\"version\":");
    buf_json_cstr(&b, agr->version);
    buf_printf(&b, "},\"events\":%zu,\"state\":", nev);
    put_state(&b, agr, st, 1);
    buf_puts(&b, ",\"commitments\":[");
  } else {
    buf_printf(&b, "%s %s: status on %s (%zu event%s)\n\nstate\n  ", agr->id, agr->version, d, nev, nev == 1 ? "" : "s");
    put_state(&b, agr, st, 0);
    buf_puts(&b, "\n\ncommitments\n");
    if (!agr->ncommits) buf_puts(&b, "  (none)\n");
  }
  for (int i = 0; i < agr->ncommits; i++) {
    const ccommit *c = &agr->commits[i];
    int64_t done = st[agr->nstates + i];
    int64_t left = done >= c->total ? 0 : c->total - done;
    double pct = c->total > 0 ? 100.0 * (double)done / (double)c->total : 0.0;
    char dl[11];
    if (c->has_deadline) date_format(c->deadline, dl);
    if (as_json) {
      if (i) buf_putc(&b, ',');
      buf_puts(&b, "{\"id\":");
      buf_json_cstr(&b, c->id);
      buf_puts(&b, ",\"owed_by\":");
      buf_json_cstr(&b, agr->parties[c->owed_by].name);
      buf_puts(&b, ",\"owed_to\":");
      buf_json_cstr(&b, agr->parties[c->owed_to].name);
      buf_puts(&b, ",\"what\":");
      buf_json_cstr(&b, c->what);
      /* Money in dollars (num.h), other units as counted. */
      type_ref ct = {.kind = c->is_money ? TY_MONEY : TY_INTEGER};
      buf_puts(&b, ",\"total\":");
      put_value(&b, agr, ct, c->total, 1);
      buf_puts(&b, ",\"fulfilled\":");
      put_value(&b, agr, ct, done, 1);
      buf_puts(&b, ",\"remaining\":");
      put_value(&b, agr, ct, left, 1);
      buf_puts(&b, ",\"unit\":");
      buf_json_cstr(&b, c->unit);
      buf_printf(&b, ",\"percent\":%.2f,\"deadline\":", pct);
      if (c->has_deadline) buf_printf(&b, "\"%s\"", dl);
      else buf_puts(&b, "null");
      buf_puts(&b, ",\"quotes\":");
      put_cites_json(&b, c->cites, c->ncites);
      buf_putc(&b, '}');
    } else {
      buf_printf(&b, "  %s: %s owes %s: %s\n", c->id, agr->parties[c->owed_by].name, agr->parties[c->owed_to].name, c->what);
      type_ref t = {.kind = c->is_money ? TY_MONEY : TY_INTEGER};
      const char *unit = c->is_money ? "" : c->unit;
      buf_puts(&b, "    total ");
      put_value(&b, agr, t, c->total, 0);
      buf_printf(&b, "%s%s, fulfilled ", unit[0] ? " " : "", unit);
      put_value(&b, agr, t, done, 0);
      buf_printf(&b, " (%.2f%%), remaining ", pct);
      put_value(&b, agr, t, left, 0);
      if (c->has_deadline) buf_printf(&b, ", deadline %s", dl);
      buf_putc(&b, '\n');
    }
  }
  if (as_json) buf_putc(&b, ']');
  if (status_obligations(&b, agr, tl, day, as_json)) {
    buf_release(&b);
    px_free(row);
    return NULL;
  }
  buf_puts(&b, as_json ? ",\"facts\":{" : "\nfacts\n");
  for (int i = 0; i < agr->nfacts; i++) {
    const cfact *f = &agr->facts[i];
    if (as_json) {
      if (i) buf_putc(&b, ',');
      buf_json_cstr(&b, f->name);
      buf_puts(&b, ":{\"value\":");
      if (f->type.kind == TY_STRING) buf_json_cstr(&b, f->str ? f->str : "");
      else put_value(&b, agr, f->type, f->value, 1);
      buf_puts(&b, ",\"unit\":");
      /* A money fact is in US dollars, as a money commitment is, unless it names its unit. */
      buf_json_cstr(&b, f->unit[0] || f->type.kind != TY_MONEY ? f->unit : "USD");
      buf_puts(&b, ",\"quotes\":");
      put_cites_json(&b, f->cites, f->ncites);
      buf_putc(&b, '}');
    } else {
      buf_printf(&b, "  %s = ", f->name);
      if (f->type.kind == TY_STRING) buf_printf(&b, "\"%s\"", f->str ? f->str : "");
      else put_value(&b, agr, f->type, f->value, 0);
      if (f->unit[0]) buf_printf(&b, " %s", f->unit);
      buf_putc(&b, '\n');
    }
  }
  if (!as_json && !agr->nfacts) buf_puts(&b, "  (none)\n");
  buf_puts(&b, as_json ? "},\"clauses\":[" : "\nclauses\n");
  for (int i = 0; i < agr->nclauses; i++) {
    const cclause *c = &agr->clauses[i];
    int on = clause_in_effect(agr, c, st, day);
    if (as_json) {
      if (i) buf_putc(&b, ',');
      buf_puts(&b, "{\"id\":");
      buf_json_cstr(&b, c->id);
      buf_printf(&b, ",\"kind\":\"%s\",\"in_effect\":%s,\"reason\":", kind_word(c->kind), on ? "true" : "false");
      buf r;
      buf_init(&r);
      put_reason(&r, agr, c, st, day);
      buf_json_str(&b, r.data ? r.data : "", r.len);
      buf_release(&r);
      buf_putc(&b, '}');
    } else {
      buf_printf(&b, "  %-4s %-12s %s\n", on ? "on" : "off", kind_word(c->kind), c->id);
    }
  }
  buf_puts(&b, as_json ? "]}" : "");
  px_free(row);
  return buf_detach(&b);
}

char *pactum_status_json(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day) {
  return status_render(agr, tl, day, 1);
}

/* ---- clauses ------------------------------------------------------------------------ */

char *clauses_render(const pactum_agreement *agr, int as_json) {
  buf b;
  buf_init(&b);
  if (as_json) buf_putc(&b, '[');
  for (int i = 0; i < agr->nclauses; i++) {
    const cclause *c = &agr->clauses[i];
    buf w;
    buf_init(&w);
    put_window_text(&w, agr, c);
    if (as_json) {
      if (i) buf_putc(&b, ',');
      buf_puts(&b, "{\"id\":");
      buf_json_cstr(&b, c->id);
      buf_printf(&b, ",\"kind\":\"%s\",\"principal\":", kind_word(c->kind));
      buf_json_cstr(&b, agr->parties[c->principal].name);
      buf_puts(&b, ",\"action\":");
      buf_json_cstr(&b, agr->actions[c->action].name);
      buf_puts(&b, ",\"window\":");
      buf_json_str(&b, w.data ? w.data : "", w.len);
      buf_puts(&b, ",\"when\":");
      if (c->when >= 0) put_span(&b, agr, c->when, 1);
      else buf_puts(&b, "null");
      buf_puts(&b, ",\"requires\":");
      if (c->requires >= 0) put_span(&b, agr, c->requires, 1);
      else buf_puts(&b, "null");
      buf_puts(&b, ",\"exception_to\":[");
      for (int k = 0; k < c->nexcepts; k++) {
        if (k) buf_putc(&b, ',');
        buf_json_cstr(&b, agr->clauses[c->excepts[k]].id);
      }
      buf_puts(&b, "],\"quotes\":");
      put_cites_json(&b, c->cites, c->ncites);
      buf_putc(&b, '}');
    } else {
      buf_printf(&b, "%s  %s: %s %s\n", c->id, kind_word(c->kind), agr->parties[c->principal].name,
                 agr->actions[c->action].name);
      buf_printf(&b, "    window    %s\n", w.data ? w.data : "");
      if (c->when >= 0) {
        buf_puts(&b, "    when      ");
        put_span(&b, agr, c->when, 0);
        buf_putc(&b, '\n');
      }
      if (c->requires >= 0) {
        buf_puts(&b, "    requires  ");
        put_span(&b, agr, c->requires, 0);
        buf_putc(&b, '\n');
      }
      for (int k = 0; k < c->nexcepts; k++) buf_printf(&b, "    exception to %s\n", agr->clauses[c->excepts[k]].id);
      for (int k = 0; k < c->ncites; k++) {
        const char *conf = "official";
        for (int s = 0; s < agr->nsources; s++)
          if (!strcmp(agr->sources[s].name, c->cites[k].source)) conf = conf_word(agr->sources[s].conf);
        buf_printf(&b, "    quote     [%s, %s] \"%.*s\"\n", c->cites[k].source, conf, (int)c->cites[k].len, c->cites[k].text);
      }
      buf_putc(&b, '\n');
    }
    buf_release(&w);
  }
  if (as_json) buf_putc(&b, ']');
  return buf_detach(&b);
}
