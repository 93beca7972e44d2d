/*
** fuzz_diff.c: differential libFuzzer harness. The fuzz bytes are choices: an agreement, a
** principal, an action, a day and, for each attribute of the action, whether to set it and
** to what. The same request is then built twice: (A) through the C API
** (pactum_request_init and pactum_request_set_*), and (B) written as request JSON and read
** by pactum_request_parse_json. Both are decided.
**
** Invariants: A and B are refused together, with the same code when only one thing was
** wrong; a request missing a required attribute is refused by B and not decided by A; when
** both are decided, the decision JSON and the explanation JSON are byte for byte the same.
*/
#include "fuzz.h"
#include "alloc.h"
#include "date.h"

#include <jansson.h>
#include <string.h>
#include "banned.h"

/* A day for a choice: near the effective date, on or beside a clause's bound, or anywhere in years 1..9999. */
static int32_t pick_day(fuzz_reader *r, const pactum_agreement *agr) {
  int32_t lo = date_from_ymd(DATE_MIN_YEAR, 1, 1), hi = date_from_ymd(DATE_MAX_YEAR, 12, 31);
  int64_t day = agr->effective;
  switch (fuzz_u8(r) % 4) {
  case 0:
    day += (int8_t)fuzz_u8(r);
    break;
  case 1:
  case 2:
    if (agr->nclauses) {
      const cclause *c = &agr->clauses[fuzz_below(r, (uint32_t)agr->nclauses)];
      if (c->nbounds) day = c->bounds[fuzz_below(r, (uint32_t)c->nbounds)];
      else day = fuzz_u8(r) & 1 ? c->from : c->through;
      day += (int)(fuzz_u8(r) % 3) - 1;
    }
    break;
  default:
    day = lo + (int64_t)(fuzz_u32(r) % (uint32_t)(hi - lo + 1));
  }
  return (int32_t)(day < lo ? lo : day > hi ? hi : day);
}

/* A short printable ASCII string from the fuzz bytes, into out[cap]. */
static void pick_text(fuzz_reader *r, char *out, size_t cap) {
  size_t n = fuzz_below(r, (uint32_t)cap);
  for (size_t i = 0; i < n; i++) out[i] = (char)(' ' + fuzz_u8(r) % 95);
  out[n] = '\0';
}

typedef struct both {
  pactum_request *req;  /* path A */
  json_t *scope[2];     /* path B: resource, context */
  int rc_a;             /* the first refusal of path A */
  pactum_error err_a;
  int faults;           /* things chosen to be wrong */
} both;

static void note_a(both *b, int rc, const pactum_error *err) {
  if (rc != PACTUM_OK && b->rc_a == PACTUM_OK) {
    b->rc_a = rc;
    b->err_a = *err;
  }
}

/* Choose whether and how to set attribute i, in both requests. */
static void pick_attr(fuzz_reader *r, const pactum_agreement *agr, const cattr *a, both *b) {
  uint8_t how = fuzz_u8(r);
  if (how % 4 == 0) return; /* left to its default */
  json_t *scope = b->scope[a->is_context];
  pactum_error err;
  int rc = PACTUM_OK;
  switch (a->type.kind) {
  case TY_BOOL: {
    int v = how & 4 ? 1 : 0;
    if (b->rc_a == PACTUM_OK) rc = pactum_request_set_bool(b->req, a->qname, v, &err);
    json_object_set_new(scope, a->name, json_boolean(v));
    break;
  }
  case TY_INTEGER:
  case TY_MONEY: {
    int64_t v;
    if (how % 4 == 1) v = (int8_t)fuzz_u8(r);
    else if (how % 4 == 2 || agr->nconsts == 0) v = (int64_t)fuzz_u64(r);
    else v = agr->consts[fuzz_below(r, (uint32_t)agr->nconsts)] + (int)(fuzz_u8(r) % 3) - 1;
    if (b->rc_a == PACTUM_OK) rc = pactum_request_set_int(b->req, a->qname, v, &err);
    json_object_set_new(scope, a->name, json_integer((json_int_t)v));
    break;
  }
  case TY_DATE: {
    int32_t day = pick_day(r, agr);
    char text[11];
    date_format(day, text);
    if (b->rc_a == PACTUM_OK)
      rc = how & 4 ? pactum_request_set_string(b->req, a->qname, text, &err)
                   : pactum_request_set_int(b->req, a->qname, day, &err);
    json_object_set_new(scope, a->name, json_string(text));
    break;
  }
  case TY_ENUM: {
    char text[16];
    const char *v = text;
    if (how & 4 || a->type.en->n == 0) {
      pick_text(r, text, sizeof text);
      for (int i = 0; i < a->type.en->n; i++)
        if (!strcmp(a->type.en->names[i], text)) b->faults--; /* it happens to be a member */
      b->faults++;
    } else {
      v = a->type.en->names[fuzz_below(r, (uint32_t)a->type.en->n)];
    }
    if (b->rc_a == PACTUM_OK) rc = pactum_request_set_string(b->req, a->qname, v, &err);
    json_object_set_new(scope, a->name, json_string(v));
    break;
  }
  case TY_STRING: {
    char text[24];
    const char *v = text;
    if (how & 4 && agr->nstrs > 0) {
      int id = (int)fuzz_below(r, (uint32_t)agr->nstrs);
      if (strlen(agr->strs[id]) != agr->str_lens[id]) return; /* a C string cannot carry it */
      v = agr->strs[id];
    } else {
      pick_text(r, text, sizeof text);
    }
    json_t *js = json_string(v);
    if (!js) return; /* not UTF-8: JSON cannot carry it */
    if (b->rc_a == PACTUM_OK) rc = pactum_request_set_string(b->req, a->qname, v, &err);
    json_object_set_new(scope, a->name, js);
    break;
  }
  default:
    return;
  }
  note_a(b, rc, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  fuzz_reader r = {data, size};
  const pactum_agreement *agr = fuzz_agreement(fuzz_u8(&r) & 1);
  both b;
  memset(&b, 0, sizeof b);
  b.req = pactum_request_new(agr);
  pactum_request *req_b = pactum_request_new(agr);
  pactum_decision *da = pactum_decision_new(agr), *db = pactum_decision_new(agr);
  json_t *root = json_object();
  b.scope[0] = json_object();
  b.scope[1] = json_object();
  if (!b.req || !req_b || !da || !db || !root || !b.scope[0] || !b.scope[1]) goto out;

  uint32_t p = fuzz_below(&r, (uint32_t)agr->nparties + 1), a = fuzz_below(&r, (uint32_t)agr->nactions + 1);
  const char *pname = p < (uint32_t)agr->nparties ? agr->parties[p].name : "nobody_at_all";
  const char *aname = a < (uint32_t)agr->nactions ? agr->actions[a].name : "no_such_action";
  b.faults += p == (uint32_t)agr->nparties;
  b.faults += a == (uint32_t)agr->nactions;
  int32_t day = pick_day(&r, agr);
  char dtext[11];
  date_format(day, dtext);
  pactum_error err;
  b.rc_a = pactum_request_init(b.req, pname, aname, day, &err);
  if (b.rc_a) b.err_a = err;
  json_object_set_new(root, "principal", json_string(pname));
  json_object_set_new(root, "action", json_string(aname));
  json_object_set_new(b.scope[1], "date", json_string(dtext));
  if (a < (uint32_t)agr->nactions) {
    const caction *act = &agr->actions[a];
    for (int i = 0; i < act->nattrs; i++) pick_attr(&r, agr, &act->attrs[i], &b);
  }
  if (json_object_size(b.scope[0])) json_object_set(root, "resource", b.scope[0]);
  json_object_set(root, "context", b.scope[1]);
  char *text = json_dumps(root, JSON_COMPACT);
  if (!text) goto out;
  pactum_error err_b;
  int rc_b = pactum_request_parse_json(req_b, text, strlen(text), PACTUM_NO_DAY, &err_b);
  int rc_da = b.rc_a == PACTUM_OK ? pactum_decide(agr, NULL, b.req, da) : b.rc_a;

  int a_decided = b.rc_a == PACTUM_OK && rc_da == PACTUM_OK;
  if (!a_decided || rc_b != PACTUM_OK) {
    FUZZ_ASSERT(!a_decided && rc_b != PACTUM_OK,
                "one path refused the request: C API %d [%s] %s, decide %d / JSON %d [%s] %s: %s", b.rc_a,
                b.rc_a ? b.err_a.code : "", b.rc_a ? b.err_a.message : "", rc_da, rc_b, rc_b ? err_b.code : "",
                rc_b ? err_b.message : "", text);
    if (b.rc_a == PACTUM_OK) /* built but not decided: a required attribute was left unset */
      FUZZ_ASSERT(rc_da == PACTUM_EINPUT && !strcmp(err_b.code, "missing_attribute"),
                  "the C API request was not decided (%d) and the JSON one was refused with [%s]: %s", rc_da,
                  err_b.code, text);
    else if (b.faults == 1)
      FUZZ_ASSERT(!strcmp(b.err_a.code, err_b.code), "the paths refused with different codes: %s / %s: %s",
                  b.err_a.code, err_b.code, text);
  } else {
    FUZZ_ASSERT(pactum_decide(agr, NULL, req_b, db) == PACTUM_OK, "the JSON request was not decided: %s", text);
    size_t la = 0, lb = 0;
    char *ta = fuzz_decision_json(da, &la), *tb = fuzz_decision_json(db, &lb);
    if (ta && tb)
      FUZZ_ASSERT(la == lb && !memcmp(ta, tb, la), "the paths decided differently:\n  C API: %s\n  JSON:  %s\n  request: %s",
                  ta, tb, text);
    px_free(ta);
    px_free(tb);
    char *ea = pactum_explain(agr, NULL, b.req, 1), *eb = pactum_explain(agr, NULL, req_b, 1);
    if (ea && eb) FUZZ_ASSERT(!strcmp(ea, eb), "the paths explain differently: %s", text);
    pactum_string_free(ea);
    pactum_string_free(eb);
  }
  px_free(text);
out:
  json_decref(root);
  json_decref(b.scope[0]);
  json_decref(b.scope[1]);
  pactum_decision_free(da);
  pactum_decision_free(db);
  pactum_request_free(req_b);
  pactum_request_free(b.req);
  return 0;
}
