/*
** request.c: building a pactum_request, from JSON or attribute by attribute. This is where
** names become slots and strings become interned ids, so that deciding needs neither.
*/
#include "agreement.h"
#include "alloc.h"
#include "error.h"
#include "date.h"
#include "num.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

/* Refuse with code and message: see error.h. */
#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

pactum_request *pactum_request_new(const pactum_agreement *agr) {
  pactum_request *r = px_calloc(1, sizeof *r);
  if (!r) return NULL;
  r->agr = agr;
  r->action = -1;
  buf_init(&r->strings);
  return r;
}

void pactum_request_free(pactum_request *r) {
  if (!r) return;
  buf_release(&r->strings);
  px_free(r);
}

/* Bring req to "no action yet" and drop the unknown strings of the last request. */
static void reset(pactum_request *r) {
  r->action = -1;
  r->principal = -1;
  r->set = 0;
  r->nunknown = 0;
  r->has_id = 0;
  r->strings.len = 0;
  r->strings.failed = 0; /* a failed append left data and cap as they were */
}

const char *pactum_request_id_json(const pactum_request *r, size_t *len) {
  if (!r->has_id) return NULL;
  *len = r->id_len;
  return r->strings.data + r->id_off;
}

static int begin(pactum_request *r, const char *principal, size_t plen, const char *action,
                 size_t alen, pactum_error *err) {
  const pactum_agreement *agr = r->agr;
  reset(r);
  int a = agreement_find_action(agr, action, alen);
  if (a < 0) return fail(err, "unknown_action", "unknown action '%.*s'", (int)(alen > 64 ? 64 : alen), action);
  int p = agreement_find_party(agr, principal, plen);
  if (p < 0) return fail(err, "unknown_principal", "unknown principal '%.*s'", (int)(plen > 64 ? 64 : plen), principal);
  const caction *act = &agr->actions[a];
  if (!act->principal_ok[p])
    return fail(err, "bad_principal", "'%s' may not be the principal of action '%s' (its principal: %s)",
                agr->parties[p].name, act->name, act->principals_text);
  r->action = a;
  r->principal = p;
  for (int i = 0; i < act->nattrs; i++) r->vals[i] = act->attrs[i].def;
  return PACTUM_OK;
}

int pactum_request_init(pactum_request *r, const char *principal, const char *action,
                        int32_t day, pactum_error *err) {
  int rc = begin(r, principal, strlen(principal), action, strlen(action), err);
  if (rc) return rc;
  if (day == PACTUM_NO_DAY) {
    reset(r);
    return fail(err, "missing_date", "the request has no date");
  }
  r->day = day;
  return PACTUM_OK;
}

/* The id of string s: interned if the agreement knows it, else a fresh negative id. */
static int64_t string_id(pactum_request *r, const char *s, size_t n) {
  int32_t id = agreement_string_id(r->agr, s, n);
  if (id >= 0) return id;
  for (int i = 0; i < r->nunknown; i++)
    if (r->unknown_len[i] == n && (n == 0 || memcmp(r->strings.data + r->unknown_off[i], s, n) == 0)) return -1 - i;
  if (r->nunknown >= MAX_ATTRS) return -1 - MAX_ATTRS; /* one per attribute at most */
  r->unknown_off[r->nunknown] = r->strings.len;
  r->unknown_len[r->nunknown] = n;
  buf_append(&r->strings, s, n);
  return -1 - r->nunknown++;
}

static int find_attr(const pactum_request *r, const char *qname, int is_context_hint,
                     size_t n, int *slot) {
  const caction *act = &r->agr->actions[r->action];
  for (int i = 0; i < act->nattrs; i++) {
    const cattr *a = &act->attrs[i];
    if (is_context_hint >= 0) {
      if (a->is_context == is_context_hint && strlen(a->name) == n && memcmp(a->name, qname, n) == 0) {
        *slot = i;
        return 0;
      }
    } else if (strcmp(a->qname, qname) == 0) {
      *slot = i;
      return 0;
    }
  }
  return -1;
}

static int set_attr(pactum_request *r, int slot, int64_t v) {
  r->vals[slot] = v;
  r->set |= (uint64_t)1 << slot;
  return PACTUM_OK;
}

static int lookup_qname(pactum_request *r, const char *attr, int *slot, pactum_error *err) {
  if (r->action < 0) return fail(err, "no_action", "the request has no action yet");
  if (find_attr(r, attr, -1, 0, slot))
    return fail(err, "unknown_attribute", "unknown attribute '%s' of action '%s'", attr, r->agr->actions[r->action].name);
  return 0;
}

static int wrong_type(pactum_request *r, int slot, pactum_error *err) {
  const cattr *a = &r->agr->actions[r->action].attrs[slot];
  return fail(err, "wrong_type", "attribute '%s' must be %s", a->qname, value_phrase(a->type.kind));
}

int pactum_request_set_bool(pactum_request *r, const char *attr, int v, pactum_error *err) {
  int slot;
  if (lookup_qname(r, attr, &slot, err)) return PACTUM_EINPUT;
  if (r->agr->actions[r->action].attrs[slot].type.kind != TY_BOOL) return wrong_type(r, slot, err);
  return set_attr(r, slot, v != 0);
}

int pactum_request_set_int(pactum_request *r, const char *attr, int64_t v, pactum_error *err) {
  int slot;
  if (lookup_qname(r, attr, &slot, err)) return PACTUM_EINPUT;
  type_kind k = r->agr->actions[r->action].attrs[slot].type.kind;
  if (k != TY_INTEGER && k != TY_MONEY && k != TY_DECIMAL && k != TY_DATE) return wrong_type(r, slot, err);
  /* Money and decimals are given in whole units and kept in millionths (num.h). */
  if ((k == TY_MONEY || k == TY_DECIMAL) && num_scale(v, &v))
    return fail(err, "overflow", "attribute '%s' is out of range", attr);
  return set_attr(r, slot, v);
}

int pactum_request_set_string(pactum_request *r, const char *attr, const char *v, pactum_error *err) {
  int slot;
  if (lookup_qname(r, attr, &slot, err)) return PACTUM_EINPUT;
  const cattr *a = &r->agr->actions[r->action].attrs[slot];
  size_t n = strlen(v);
  if (a->type.kind == TY_STRING) {
    int64_t id = string_id(r, v, n);
    if (r->strings.failed) {
      fail(err, "out_of_memory", "out of memory");
      return PACTUM_ENOMEM;
    }
    return set_attr(r, slot, id);
  }
  if (a->type.kind == TY_ENUM) {
    for (int i = 0; i < a->type.en->n; i++)
      if (strcmp(a->type.en->names[i], v) == 0) return set_attr(r, slot, i);
    return fail(err, "wrong_type", "'%.64s' is not a member of attribute '%s'", v, a->qname);
  }
  if (a->type.kind == TY_DATE) {
    int32_t day;
    if (date_parse(v, n, &day)) return fail(err, "bad_date", "attribute '%s': '%.32s' is not a real date (YYYY-MM-DD)", a->qname, v);
    return set_attr(r, slot, day);
  }
  if (a->type.kind == TY_MONEY || a->type.kind == TY_DECIMAL) {
    int64_t x;
    int rc = num_parse(v, n, &x);
    if (rc == NUM_EOVERFLOW) return fail(err, "overflow", "attribute '%s' is out of range", a->qname);
    if (rc) return wrong_type(r, slot, err);
    return set_attr(r, slot, x);
  }
  if (a->type.kind == TY_DURATION) {
    int64_t x;
    if (num_duration_parse(v, n, &x)) return wrong_type(r, slot, err);
    return set_attr(r, slot, x);
  }
  return wrong_type(r, slot, err);
}

/* Set one attribute of scope `is_context` from a JSON value. */
static int set_json(pactum_request *r, int is_context, const char *key, json_t *v, pactum_error *err) {
  int slot;
  const char *scope = is_context ? "context" : "resource";
  if (find_attr(r, key, is_context, strlen(key), &slot))
    return fail(err, "unknown_attribute", "unknown attribute '%s.%.64s' of action '%s'", scope, key,
                r->agr->actions[r->action].name);
  const cattr *a = &r->agr->actions[r->action].attrs[slot];
  switch (a->type.kind) {
  case TY_BOOL:
    if (!json_is_boolean(v)) return wrong_type(r, slot, err);
    return set_attr(r, slot, json_is_true(v));
  case TY_INTEGER:
    if (!json_is_integer(v)) return wrong_type(r, slot, err);
    return set_attr(r, slot, (int64_t)json_integer_value(v));
  case TY_MONEY:
  case TY_DECIMAL: {
    /* Whole units as a JSON integer, or an exact decimal in a string; never a binary double (num.h). */
    int64_t x;
    int rc = num_from_json(v, &x);
    if (rc == NUM_EOVERFLOW)
      return fail(err, "overflow", "attribute '%s' is out of range (at most 9223372036854.775807)", a->qname);
    if (rc == NUM_EDIGITS) return fail(err, "wrong_type", "attribute '%s' has more than 6 fractional digits", a->qname);
    if (rc) return wrong_type(r, slot, err);
    return set_attr(r, slot, x);
  }
  case TY_DURATION: {
    int64_t x;
    if (!json_is_string(v) || num_duration_parse(json_string_value(v), json_string_length(v), &x))
      return wrong_type(r, slot, err);
    return set_attr(r, slot, x);
  }
  case TY_STRING: {
    if (!json_is_string(v)) return wrong_type(r, slot, err);
    int64_t id = string_id(r, json_string_value(v), json_string_length(v));
    if (r->strings.failed) {
      fail(err, "out_of_memory", "out of memory");
      return PACTUM_ENOMEM;
    }
    return set_attr(r, slot, id);
  }
  case TY_ENUM:
  case TY_DATE:
    if (!json_is_string(v)) return wrong_type(r, slot, err);
    if (strlen(json_string_value(v)) != json_string_length(v)) return wrong_type(r, slot, err);
    return pactum_request_set_string(r, a->qname, json_string_value(v), err);
  default:
    return wrong_type(r, slot, err);
  }
}

static int set_scope(pactum_request *r, json_t *obj, int is_context, int32_t *day, int *has_day,
                     pactum_error *err) {
  const char *key;
  json_t *v;
  if (!obj) return PACTUM_OK;
  if (!json_is_object(obj))
    return fail(err, "wrong_type", "'%s' must be an object", is_context ? "context" : "resource");
  json_object_foreach(obj, key, v) {
    if (is_context && strcmp(key, "date") == 0) {
      if (!json_is_string(v)) return fail(err, "bad_date", "'context.date' must be a string YYYY-MM-DD");
      const char *s = json_string_value(v);
      int rc = date_parse(s, json_string_length(v), day);
      if (rc) return fail(err, "bad_date", "'context.date' is not a real date: '%.32s'", s);
      *has_day = 1;
      continue;
    }
    int rc = set_json(r, is_context, key, v, err);
    if (rc) return rc;
  }
  return PACTUM_OK;
}

int request_from_json(pactum_request *r, json_t *root, int32_t default_day, pactum_error *err) {
  reset(r);
  if (!json_is_object(root)) return fail(err, "wrong_type", "a request must be a JSON object");
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (strcmp(key, "principal") && strcmp(key, "action") && strcmp(key, "resource") &&
        strcmp(key, "context") && strcmp(key, "id"))
      return fail(err, "unknown_field", "unknown request field '%.64s'", key);
  }
  json_t *p = json_object_get(root, "principal"), *a = json_object_get(root, "action");
  if (!p) return fail(err, "missing_field", "the request has no 'principal'");
  if (!a) return fail(err, "missing_field", "the request has no 'action'");
  if (!json_is_string(p)) return fail(err, "wrong_type", "'principal' must be a string");
  if (!json_is_string(a)) return fail(err, "wrong_type", "'action' must be a string");
  int rc = begin(r, json_string_value(p), json_string_length(p), json_string_value(a),
                 json_string_length(a), err);
  if (rc) return rc;
  json_t *id = json_object_get(root, "id");
  if (id) {
    if (!json_is_string(id) && !json_is_integer(id)) {
      reset(r);
      return fail(err, "wrong_type", "'id' must be a string or an integer");
    }
    char *text = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
    if (text) {
      r->id_off = r->strings.len;
      r->id_len = strlen(text);
      buf_puts(&r->strings, text);
      px_free(text);
    }
    if (!text || r->strings.failed) {
      reset(r);
      fail(err, "out_of_memory", "out of memory");
      return PACTUM_ENOMEM;
    }
    r->has_id = 1;
  }
  int32_t day = 0;
  int has_day = 0;
  if ((rc = set_scope(r, json_object_get(root, "resource"), 0, &day, &has_day, err)) ||
      (rc = set_scope(r, json_object_get(root, "context"), 1, &day, &has_day, err))) {
    reset(r);
    return rc;
  }
  if (!has_day) {
    if (default_day == PACTUM_NO_DAY) {
      reset(r);
      return fail(err, "missing_date", "the request has no 'context.date'");
    }
    day = default_day;
  }
  r->day = day;
  const caction *act = &r->agr->actions[r->action];
  uint64_t missing = act->required & ~r->set;
  if (missing) {
    int i = 0;
    while (!(missing & ((uint64_t)1 << i))) i++;
    reset(r);
    return fail(err, "missing_attribute", "attribute '%s' of action '%s' has no default and must be given",
                act->attrs[i].qname, act->name);
  }
  return PACTUM_OK;
}

int pactum_request_parse_json(pactum_request *r, const char *json, size_t len, int32_t default_day,
                              pactum_error *err) {
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    reset(r);
    return error_json(err, &je, failures);
  }
  int rc = request_from_json(r, root, default_day, err);
  json_decref(root);
  return rc;
}
