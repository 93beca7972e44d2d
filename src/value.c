/*
** value.c: the value program, the arithmetic of conditions and `set` (see agreement.h, vop).
** Kept apart from the comparisons of eval.c: an operand reaches this file only when it is an
** expression, so plain comparisons cost what they always did.
*/
#include "agreement.h"
#include "date.h"
#include "num.h"

#include "banned.h"

static int64_t fault(const xenv *env, int rc) {
  if (env->fault && !*env->fault) *env->fault = rc;
  return 0;
}

static int64_t load(const vop *v, const xenv *env) {
  switch (v->src) {
  case SRC_CONST: return v->k;
  case SRC_ATTR: return env->attrs[v->slot];
  case SRC_STATE: return env->state[v->slot];
  case SRC_EVENT: return env->event[v->slot];
  default: return env->day;
  }
}

int64_t value_eval(const pactum_agreement *agr, int32_t root, const xenv *env) {
  const vop *v = &agr->vcode[root];
  if (v->op == V_LOAD) return load(v, env);
  int64_t a = value_eval(agr, v->a, env), b = 0, r = 0;
  if (env->fault && *env->fault) return 0;
  if (v->op != V_NEG && v->op != V_SCALE) {
    b = value_eval(agr, v->b, env);
    if (env->fault && *env->fault) return 0;
  }
  int rc = NUM_OK;
  switch (v->op) {
  case V_NEG: rc = num_sub(0, a, &r); break;
  case V_ADD: rc = num_add(a, b, &r); break;
  case V_SUB: rc = num_sub(a, b, &r); break;
  case V_MUL: rc = num_mul(a, b, &r); break;
  case V_MULS: rc = num_mul_scaled(a, b, &r); break;
  case V_DIVR: rc = num_div_round(a, b, &r); break;
  case V_DIVS: rc = num_div_scaled(a, b, &r); break;
  case V_MIN: r = a < b ? a : b; break;
  case V_MAX: r = a > b ? a : b; break;
  case V_SCALE: rc = num_scale(a, &r); break;
  case V_DADD:
  case V_DSUB: {
    int64_t d = b;
    if (v->op == V_DSUB) d = -num_duration_count(b) * 8 + num_duration_unit(b); /* the same units back */
    if (a < INT32_MIN || a > INT32_MAX) return fault(env, NUM_EOVERFLOW);
    int32_t day = date_add((int32_t)a, d);
    if (day == DATE_NONE) rc = NUM_EOVERFLOW;
    r = day;
    break;
  }
  default: rc = NUM_EOVERFLOW; break;
  }
  return rc ? fault(env, rc) : r;
}

int value_reads(const pactum_agreement *agr, int32_t root, uint8_t *seen) {
  const vop *v = &agr->vcode[root];
  if (v->op != V_LOAD) {
    int r = value_reads(agr, v->a, seen);
    if (v->op != V_NEG && v->op != V_SCALE) r |= value_reads(agr, v->b, seen);
    return r;
  }
  switch (v->src) {
  case SRC_DATE: return 1;
  case SRC_STATE:
    if (seen) seen[v->slot] = 1;
    return 2;
  case SRC_ATTR: return 4;
  case SRC_EVENT: return 8;
  default: return 0;
  }
}
