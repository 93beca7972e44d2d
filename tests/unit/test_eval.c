/*
** test_eval.c: deciding requests (src/eval.c) against a small agreement written for the
** purpose, and writing decisions as JSON. Every expected decision follows from the rules in
** docs/language.md ("Semantics"); the reasoning is given next to each group.
*/
#include "unit.h"
#include "alloc.h"
#include "date.h"

#include <jansson.h>

static const char agreement_src[] =
    "agreement \"ev\" {\n"
    "  version \"1.0\"\n"
    "  title \"Eval\"\n"
    "  effective 2025-01-01\n"
    "}\n"
    "party a \"Alpha\"\n"
    "party b \"Beta\"\n"
    "source s official \"s.txt\"\n"
    "state phase: enum { open, closed } = open\n"
    "event close { why: string }\n"
    "event reopen { }\n"
    "on close { set phase = closed }\n"
    "on reopen { set phase = open }\n"
    /* allow / deny / not_applicable */
    "action basic by a, b { resource kind: enum { red, green, blue } = red }\n"
    "permission allow_green { principal a action basic when resource.kind == green quote s \"green is \\\"fine\\\"\" }\n"
    "prohibition deny_blue { principal a action basic when resource.kind == blue quote s \"never blue\" }\n"
    /* exceptions two levels deep */
    "action exc by a { resource n: integer = 0 }\n"
    "prohibition base { principal a action exc quote s \"base\" }\n"
    "permission mid { principal a action exc when resource.n > 10 exception to base quote s \"mid\" }\n"
    "prohibition deep { principal a action exc when resource.n > 100 exception to mid quote s \"deep\" }\n"
    /* a chain through a middle exception that may not apply */
    "action chain by a { resource n: integer = 0 context flag: bool = false }\n"
    "prohibition c_base { principal a action chain quote s \"c base\" }\n"
    "prohibition c_mid { principal a action chain when context.flag exception to c_base quote s \"c mid\" }\n"
    "permission c_deep { principal a action chain when resource.n == 7 exception to c_mid quote s \"c deep\" }\n"
    /* two exceptions to one clause that may disagree */
    "action conf by a { resource n: integer = 0 context flag: bool = false }\n"
    "prohibition k_base { principal a action conf when resource.n < 1000 quote s \"k base\" }\n"
    "permission k_allow { principal a action conf when context.flag exception to k_base quote s \"k allow\" }\n"
    "prohibition k_deny { principal a action conf when resource.n > 5 exception to k_base quote s \"k deny\" }\n"
    /* a conflict next to an unrelated prohibition and an obligation */
    "action conf2 by a { context flag: bool = false }\n"
    "permission q_base { principal a action conf2 quote s \"q base\" }\n"
    "permission q_allow { principal a action conf2 when context.flag exception to q_base quote s \"q allow\" }\n"
    "prohibition q_deny { principal a action conf2 when context.flag exception to q_base quote s \"q deny\" }\n"
    "prohibition q_other { principal a action conf2 quote s \"q other\" }\n"
    "obligation q_obl { principal a action conf2 quote s \"q obl\" }\n"
    /* unrelated permission and prohibition */
    "action mix by a { context flag: bool = false }\n"
    "permission m_allow { principal a action mix quote s \"m allow\" }\n"
    "prohibition m_deny { principal a action mix when context.flag quote s \"m deny\" }\n"
    /* requires and obligations */
    "action req by a { resource n: integer = 0 context ok: bool = false }\n"
    "permission r_perm { principal a action req requires context.ok quote s \"r perm\" }\n"
    "obligation r_obl { principal a action req when resource.n > 0 quote s \"r obl\" }\n"
    "action obl_only by a\n"
    "obligation o_only { principal a action obl_only quote s \"o only\" }\n"
    "action oo by a { context flag: bool = false }\n"
    "obligation o_base { principal a action oo quote s \"o base\" }\n"
    "obligation o_exc { principal a action oo when context.flag exception to o_base quote s \"o exc\" }\n"
    /* windows */
    "action win by a\n"
    "permission w_years { principal a action win from 2026 through 2027 quote s \"w years\" }\n"
    "action win2 by a\n"
    "permission w_early { principal a action win2 from 2020 quote s \"w early\" }\n"
    "action st by a\n"
    "permission s_open { principal a action st while phase == open quote s \"s open\" }\n"
    "prohibition s_closed { principal a action st until phase == open quote s \"s closed\" }\n"
    "action dl by a\n"
    "permission d_before { principal a action dl when date < 2026-07-01 quote s \"d before\" }\n"
    "prohibition d_late { principal a action dl when context.date >= 2027-01-01 quote s \"d late\" }\n"
    /* in [...] and strings the agreement never mentions */
    "action in_str by a { context tag: string = \"std\" }\n"
    "permission i_str { principal a action in_str when context.tag in [\"alpha\", \"beta\"] quote s \"i str\" }\n"
    "prohibition i_std { principal a action in_str when context.tag == \"std\" quote s \"i std\" }\n"
    "action in_enum by a { resource kind: enum { red, green, blue } }\n"
    "permission i_enum { principal a action in_enum when resource.kind in [green, \"blue\"] quote s \"i enum\" }\n"
    "action in_int by a { resource n: integer = 0 }\n"
    "permission i_int { principal a action in_int when resource.n in [1, 2, 3] quote s \"i int\" }\n"
    /* valid_until counts only the clauses that could apply to the request */
    "action vu by a { context flag: bool = false }\n"
    "permission v_flag { principal a action vu when context.flag through 2027 quote s \"v flag\" }\n"
    "permission v_all { principal a action vu from 2026-06-01 quote s \"v all\" }\n"
    "action vs by a { context flag: bool = false }\n"
    "permission vs_flag { principal a action vs when context.flag while phase == open quote s \"vs flag\" }\n"
    "permission vs_all { principal a action vs quote s \"vs all\" }\n"
    "action dd by a { context until_day: date = 2026-06-01 }\n"
    "permission dd_p { principal a action dd when date < context.until_day quote s \"dd\" }\n"
    "action din by a\n"
    "permission din_p { principal a action din when date in [2026-05-05, 2026-09-09] quote s \"din\" }\n"
    "fact code = \"alpha\" { quote s \"code\" }\n"
    "action fct by a { context tag: string = \"zzz\" context tag2: string = \"\" }\n"
    "permission f_p { principal a action fct when context.tag == code quote s \"f p\" }\n"
    "prohibition f_same { principal a action fct when context.tag == context.tag2 quote s \"f same\" }\n"
    "action neq by a { context tag: string = \"std\" }\n"
    "prohibition n_ne { principal a action neq when context.tag != \"alpha\" quote s \"n ne\" }\n";

typedef struct fx {
  pactum_agreement *agr;
  pactum_request *req;
  pactum_decision *dec;
  pactum_timeline *tl;
  char out[1024];
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  if (!f) return -1;
  char *diag = NULL;
  if (pactum_agreement_load_buffer("ev.pact", agreement_src, sizeof agreement_src - 1, &f->agr, &diag)) {
    fprintf(stderr, "%s", diag ? diag : "load failed\n");
    pactum_string_free(diag);
    free(f);
    return -1;
  }
  f->req = pactum_request_new(f->agr);
  f->dec = pactum_decision_new(f->agr);
  f->tl = pactum_timeline_new(f->agr);
  if (!f->req || !f->dec || !f->tl) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  pactum_timeline_free(f->tl);
  pactum_decision_free(f->dec);
  pactum_request_free(f->req);
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

static void join_ids(json_t *arr, int objects, char *out, size_t cap) {
  size_t o = 0;
  out[0] = '\0';
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *id;
    if (objects) {
      assert_true(json_is_object(v));
      assert_int_equal(json_object_size(v), 4);
      assert_true(json_is_string(json_object_get(v, "clause")));
      assert_true(json_is_string(json_object_get(v, "kind")));
      assert_true(json_is_string(json_object_get(v, "text")));
      assert_true(json_is_string(json_object_get(v, "source")));
      id = json_string_value(json_object_get(v, "clause"));
    } else {
      assert_true(json_is_string(v));
      id = json_string_value(v);
    }
    o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "," : "", id);
    assert_true(o < cap);
  }
}

/*
** Summarise the decision held in f->dec from its JSON form:
** "OUTCOME det=IDS over=IDS obl=IDS until=DATE|state:NAMES|null", checking the shape on the way.
*/
static const char *summarise(fx *f) {
  char js[8192];
  size_t n = pactum_decision_to_json(f->dec, js, sizeof js);
  assert_true(n < sizeof js);
  assert_int_equal(strlen(js), n);
  json_error_t je;
  json_t *root = json_loads(js, JSON_REJECT_DUPLICATES, &je);
  if (!root) fail_msg("decision is not JSON (%s): %s", je.text, js);
  assert_int_equal(json_object_size(root), 6);
  json_t *jd = json_object_get(root, "decision"), *det = json_object_get(root, "determining"),
         *over = json_object_get(root, "overridden"), *obl = json_object_get(root, "obligations"),
         *vu = json_object_get(root, "valid_until"), *ag = json_object_get(root, "agreement");
  assert_true(json_is_string(jd));
  assert_true(json_is_array(det) && json_is_array(over) && json_is_array(obl));
  assert_non_null(vu);
  assert_true(json_is_object(ag));
  assert_string_equal(json_string_value(json_object_get(ag, "id")), "ev");
  assert_string_equal(json_string_value(json_object_get(ag, "version")), "1.0");
  assert_string_equal(json_string_value(jd), pactum_outcome_name(pactum_decision_outcome(f->dec)));
  /* The accessors agree with the JSON. */
  assert_int_equal(pactum_decision_determining_count(f->dec), json_array_size(det));
  for (size_t i = 0; i < json_array_size(det); i++)
    assert_string_equal(pactum_decision_determining_id(f->dec, i),
                        json_string_value(json_object_get(json_array_get(det, i), "clause")));
  assert_null(pactum_decision_determining_id(f->dec, json_array_size(det)));
  char sd[256], so[256], sb[256], su[64];
  join_ids(det, 1, sd, sizeof sd);
  join_ids(over, 0, so, sizeof so);
  join_ids(obl, 1, sb, sizeof sb);
  if (json_is_null(vu)) {
    snprintf(su, sizeof su, "null");
  } else {
    /* {"date":D}, {"date":D,"state":NAMES} or {"state":NAMES}. */
    assert_true(json_is_object(vu));
    json_t *d = json_object_get(vu, "date"), *s = json_object_get(vu, "state");
    assert_int_equal(json_object_size(vu), (d != NULL) + (s != NULL));
    assert_true(d || s);
    if (d) {
      int32_t day;
      assert_true(json_is_string(d));
      assert_int_equal(pactum_day_parse(json_string_value(d), strlen(json_string_value(d)), &day), PACTUM_OK);
    }
    if (s) assert_true(json_is_string(s));
    snprintf(su, sizeof su, "%s%s%s%s", d ? json_string_value(d) : "", d && s ? "+" : "", s ? "state:" : "",
             s ? json_string_value(s) : "");
  }
  snprintf(f->out, sizeof f->out, "%s det=%s over=%s obl=%s until=%s", json_string_value(jd), sd, so, sb, su);
  json_decref(root);
  return f->out;
}

/* Decide {"principal":P,"action":A,"resource":{RES},"context":{"date":DATE,CTX}}. */
static const char *decide_(fx *f, const pactum_timeline *tl, const char *p, const char *a, const char *res,
                           const char *ctx, const char *date) {
  char js[1024];
  snprintf(js, sizeof js, "{\"principal\":\"%s\",\"action\":\"%s\",\"resource\":{%s},\"context\":{\"date\":\"%s\"%s%s}}",
           p, a, res, date, ctx[0] ? "," : "", ctx);
  pactum_error err;
  memset(&err, 0, sizeof err);
  int rc = pactum_request_parse_json(f->req, js, strlen(js), PACTUM_NO_DAY, &err);
  if (rc) fail_msg("request %s refused: %s: %s", js, err.code, err.message);
  assert_int_equal(pactum_decide(f->agr, tl, f->req, f->dec), PACTUM_OK);
  return summarise(f);
}
#define D(a, res, ctx, date) decide_(f, NULL, "a", (a), (res), (ctx), (date))

static void test_basic_outcomes(void **state) {
  fx *f = *state;
  assert_string_equal(D("basic", "", "", "2026-03-01"), "not_applicable det= over= obl= until=null");
  assert_string_equal(D("basic", "\"kind\":\"green\"", "", "2026-03-01"), "allow det=allow_green over= obl= until=null");
  assert_string_equal(D("basic", "\"kind\":\"blue\"", "", "2026-03-01"), "deny det=deny_blue over= obl= until=null");
  /* No clause governs principal b for this action. */
  assert_string_equal(decide_(f, NULL, "b", "basic", "\"kind\":\"green\"", "", "2026-03-01"),
                      "not_applicable det= over= obl= until=null");
  /* The effective date is the first day anything is in effect. */
  assert_string_equal(D("basic", "\"kind\":\"green\"", "", "2024-12-31"),
                      "not_applicable det= over= obl= until=2025-01-01");
  assert_string_equal(D("basic", "\"kind\":\"blue\"", "", "0001-01-01"),
                      "not_applicable det= over= obl= until=2025-01-01");
  assert_string_equal(D("basic", "\"kind\":\"green\"", "", "2025-01-01"), "allow det=allow_green over= obl= until=null");
  assert_string_equal(D("basic", "\"kind\":\"green\"", "", "9999-12-31"), "allow det=allow_green over= obl= until=null");
  assert_string_equal(pactum_outcome_name(PACTUM_ALLOW), "allow");
  assert_string_equal(pactum_outcome_name(PACTUM_DENY), "deny");
  assert_string_equal(pactum_outcome_name(PACTUM_NOT_APPLICABLE), "not_applicable");
  assert_string_equal(pactum_outcome_name(PACTUM_CONFLICT), "conflict");
}

static void test_exceptions_two_levels(void **state) {
  fx *f = *state;
  /* base alone denies. */
  assert_string_equal(D("exc", "\"n\":0", "", "2026-03-01"), "deny det=base over= obl= until=null");
  /* n = 50: mid applies and overrides base. */
  assert_string_equal(D("exc", "\"n\":50", "", "2026-03-01"), "allow det=mid over=base obl= until=null");
  /* n = 500: deep overrides mid; mid still applies, so base stays overridden (rule 1). */
  assert_string_equal(D("exc", "\"n\":500", "", "2026-03-01"), "deny det=deep over=base,mid obl= until=null");
  /* Boundaries of the conditions: n > 10 and n > 100 are strict. */
  assert_string_equal(D("exc", "\"n\":10", "", "2026-03-01"), "deny det=base over= obl= until=null");
  assert_string_equal(D("exc", "\"n\":11", "", "2026-03-01"), "allow det=mid over=base obl= until=null");
  assert_string_equal(D("exc", "\"n\":100", "", "2026-03-01"), "allow det=mid over=base obl= until=null");
  assert_string_equal(D("exc", "\"n\":101", "", "2026-03-01"), "deny det=deep over=base,mid obl= until=null");
}

static void test_exception_chain(void **state) {
  fx *f = *state;
  /* c_deep applies though c_mid does not: through the chain it still overrides c_base. */
  assert_string_equal(D("chain", "\"n\":7", "", "2026-03-01"), "allow det=c_deep over=c_base obl= until=null");
  assert_string_equal(D("chain", "\"n\":7", "\"flag\":true", "2026-03-01"),
                      "allow det=c_deep over=c_base,c_mid obl= until=null");
  assert_string_equal(D("chain", "\"n\":0", "\"flag\":true", "2026-03-01"), "deny det=c_mid over=c_base obl= until=null");
  assert_string_equal(D("chain", "\"n\":0", "", "2026-03-01"), "deny det=c_base over= obl= until=null");
}

static void test_conflict(void **state) {
  fx *f = *state;
  /* Both exceptions to k_base apply and disagree: conflict, both reported, in file order. */
  assert_string_equal(D("conf", "\"n\":6", "\"flag\":true", "2026-03-01"),
                      "conflict det=k_allow,k_deny over=k_base obl= until=null");
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_CONFLICT);
  assert_int_equal(pactum_decision_determining_count(f->dec), 2);
  /* The conflict stands even when the clause they except does not apply. */
  assert_string_equal(D("conf", "\"n\":2000", "\"flag\":true", "2026-03-01"),
                      "conflict det=k_allow,k_deny over= obl= until=null");
  /* One exception at a time overrides k_base. */
  assert_string_equal(D("conf", "\"n\":0", "\"flag\":true", "2026-03-01"), "allow det=k_allow over=k_base obl= until=null");
  assert_string_equal(D("conf", "\"n\":6", "", "2026-03-01"), "deny det=k_deny over=k_base obl= until=null");
  assert_string_equal(D("conf", "\"n\":2000", "", "2026-03-01"), "deny det=k_deny over= obl= until=null");
  assert_string_equal(D("conf", "\"n\":0", "", "2026-03-01"), "deny det=k_base over= obl= until=null");
}

static void test_conflict_takes_precedence(void **state) {
  fx *f = *state;
  /* q_other denies, but a conflict outranks every other outcome; clauses that take no part in
     the conflict are not listed, while obligations are attached whatever the outcome. */
  assert_string_equal(D("conf2", "", "\"flag\":true", "2026-03-01"),
                      "conflict det=q_allow,q_deny over=q_base obl=q_obl until=null");
  /* Without the exceptions, the prohibition beats the permission. */
  assert_string_equal(D("conf2", "", "", "2026-03-01"), "deny det=q_other over=q_base obl=q_obl until=null");
}

static void test_prohibition_beats_permission(void **state) {
  fx *f = *state;
  assert_string_equal(D("mix", "", "\"flag\":true", "2026-03-01"), "deny det=m_deny over=m_allow obl= until=null");
  assert_string_equal(D("mix", "", "", "2026-03-01"), "allow det=m_allow over= obl= until=null");
}

static void test_requires_and_obligations(void **state) {
  fx *f = *state;
  /* A failing `requires` denies, and the permission itself is the determining clause. */
  assert_string_equal(D("req", "", "", "2026-03-01"), "deny det=r_perm over= obl= until=null");
  assert_string_equal(D("req", "", "\"ok\":true", "2026-03-01"), "allow det=r_perm over= obl= until=null");
  /* Obligations are attached whatever the outcome, never changing it. */
  assert_string_equal(D("req", "\"n\":1", "\"ok\":true", "2026-03-01"), "allow det=r_perm over= obl=r_obl until=null");
  assert_string_equal(D("req", "\"n\":1", "", "2026-03-01"), "deny det=r_perm over= obl=r_obl until=null");
  assert_string_equal(D("obl_only", "", "", "2026-03-01"), "not_applicable det= over= obl=o_only until=null");
  /* An obligation that is an exception to another overrides it when it applies. */
  assert_string_equal(D("oo", "", "", "2026-03-01"), "not_applicable det= over= obl=o_base until=null");
  assert_string_equal(D("oo", "", "\"flag\":true", "2026-03-01"), "not_applicable det= over=o_base obl=o_exc until=null");
}

static void test_year_windows(void **state) {
  fx *f = *state;
  /* from 2026 = 2026-01-01, through 2027 = 2027-12-31, both inclusive. The days on which the
     answer may change: 2025-01-01 (effective), 2026-01-01 (from), 2028-01-01 (through + 1). */
  assert_string_equal(D("win", "", "", "2024-06-01"), "not_applicable det= over= obl= until=2025-01-01");
  assert_string_equal(D("win", "", "", "2025-12-31"), "not_applicable det= over= obl= until=2026-01-01");
  assert_string_equal(D("win", "", "", "2026-01-01"), "allow det=w_years over= obl= until=2028-01-01");
  assert_string_equal(D("win", "", "", "2027-12-31"), "allow det=w_years over= obl= until=2028-01-01");
  assert_string_equal(D("win", "", "", "2028-01-01"), "not_applicable det= over= obl= until=null");
  /* A `from` before the effective date is moved up to it. */
  assert_string_equal(D("win2", "", "", "2024-12-31"), "not_applicable det= over= obl= until=2025-01-01");
  assert_string_equal(D("win2", "", "", "2025-01-01"), "allow det=w_early over= obl= until=null");
}

static void test_state_windows(void **state) {
  fx *f = *state;
  pactum_timeline *tl = pactum_timeline_new(f->agr);
  assert_non_null(tl);
  pactum_error err;
  const char *e1 = "{\"type\":\"close\",\"date\":\"2026-03-01\",\"why\":\"audit\"}";
  const char *e2 = "{\"type\":\"reopen\",\"date\":\"2026-06-01\"}";
  assert_int_equal(pactum_timeline_append_json(tl, e1, strlen(e1), &err), PACTUM_OK);
  assert_int_equal(pactum_timeline_append_json(tl, e2, strlen(e2), &err), PACTUM_OK);
  /* Both clauses read `phase`; no date is ahead, so only an event can change the answer. */
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2026-02-28"), "allow det=s_open over= obl= until=state:phase");
  /* An event counts on its own day. */
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2026-03-01"), "deny det=s_closed over= obl= until=state:phase");
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2026-05-31"), "deny det=s_closed over= obl= until=state:phase");
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2026-06-01"), "allow det=s_open over= obl= until=state:phase");
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2030-01-01"), "allow det=s_open over= obl= until=state:phase");
  /* Without a timeline the state is the initial one. */
  assert_string_equal(decide_(f, NULL, "a", "st", "", "", "2026-04-01"), "allow det=s_open over= obl= until=state:phase");
  /* A day ahead, and state that could change the answer sooner. */
  assert_string_equal(decide_(f, tl, "a", "st", "", "", "2024-06-01"),
                      "not_applicable det= over= obl= until=2025-01-01+state:phase");
  pactum_timeline_free(tl);
}

static void test_date_conditions(void **state) {
  fx *f = *state;
  /* Days collected for dl: 2025-01-01, 2026-07-01 and 2026-07-02 (from date < 2026-07-01),
     2027-01-01 and 2027-01-02 (from context.date >= 2027-01-01). */
  assert_string_equal(D("dl", "", "", "2026-01-01"), "allow det=d_before over= obl= until=2026-07-01");
  assert_string_equal(D("dl", "", "", "2026-06-30"), "allow det=d_before over= obl= until=2026-07-01");
  assert_string_equal(D("dl", "", "", "2026-07-01"), "not_applicable det= over= obl= until=2026-07-02");
  assert_string_equal(D("dl", "", "", "2026-08-01"), "not_applicable det= over= obl= until=2027-01-01");
  assert_string_equal(D("dl", "", "", "2027-01-01"), "deny det=d_late over= obl= until=2027-01-02");
  assert_string_equal(D("dl", "", "", "2027-06-01"), "deny det=d_late over= obl= until=null");
}

static void test_valid_until_request_dates(void **state) {
  fx *f = *state;
  /* date < context.until_day: the request's own value, and the day after it, are collected. */
  assert_string_equal(D("dd", "", "", "2026-03-01"), "allow det=dd_p over= obl= until=2026-06-01");
  assert_string_equal(D("dd", "", "\"until_day\":\"2026-04-15\"", "2026-03-01"), "allow det=dd_p over= obl= until=2026-04-15");
  assert_string_equal(D("dd", "", "", "2026-06-01"), "not_applicable det= over= obl= until=2026-06-02");
  assert_string_equal(D("dd", "", "", "2026-07-01"), "not_applicable det= over= obl= until=null");
  /* date in [...]: each listed day and the day after it. */
  assert_string_equal(D("din", "", "", "2026-03-01"), "not_applicable det= over= obl= until=2026-05-05");
  assert_string_equal(D("din", "", "", "2026-05-05"), "allow det=din_p over= obl= until=2026-05-06");
  assert_string_equal(D("din", "", "", "2026-05-06"), "not_applicable det= over= obl= until=2026-09-09");
  assert_string_equal(D("din", "", "", "2026-09-09"), "allow det=din_p over= obl= until=2026-09-10");
  assert_string_equal(D("din", "", "", "2026-09-10"), "not_applicable det= over= obl= until=null");
}

static void test_valid_until_per_request(void **state) {
  fx *f = *state;
  /* v_flag's `when` reads only a request attribute; when it fails, no later day can make
     v_flag apply, so its `through` (next day 2028-01-01) does not count. v_all starts on
     2026-06-01. */
  assert_string_equal(D("vu", "", "", "2026-03-01"), "not_applicable det= over= obl= until=2026-06-01");
  assert_string_equal(D("vu", "", "\"flag\":true", "2026-03-01"), "allow det=v_flag over= obl= until=2026-06-01");
  assert_string_equal(D("vu", "", "", "2026-07-01"), "allow det=v_all over= obl= until=null");
  assert_string_equal(D("vu", "", "\"flag\":true", "2026-07-01"), "allow det=v_flag,v_all over= obl= until=2028-01-01");
  assert_string_equal(D("vu", "", "\"flag\":true", "2028-01-01"), "allow det=v_all over= obl= until=null");
  /* Likewise a clause reading state counts only if it could apply. */
  assert_string_equal(D("vs", "", "", "2026-03-01"), "allow det=vs_all over= obl= until=null");
  assert_string_equal(D("vs", "", "\"flag\":true", "2026-03-01"), "allow det=vs_flag,vs_all over= obl= until=state:phase");
}

static void test_in_lists_and_strings(void **state) {
  fx *f = *state;
  assert_string_equal(D("in_str", "", "", "2026-03-01"), "deny det=i_std over= obl= until=null");
  assert_string_equal(D("in_str", "", "\"tag\":\"std\"", "2026-03-01"), "deny det=i_std over= obl= until=null");
  assert_string_equal(D("in_str", "", "\"tag\":\"alpha\"", "2026-03-01"), "allow det=i_str over= obl= until=null");
  assert_string_equal(D("in_str", "", "\"tag\":\"beta\"", "2026-03-01"), "allow det=i_str over= obl= until=null");
  /* Strings compare by exact bytes; strings the agreement never names equal no literal. */
  const char *others[] = {"\"tag\":\"gamma\"", "\"tag\":\"Alpha\"", "\"tag\":\"\"", "\"tag\":\"alph\"",
                          "\"tag\":\"alphaa\"", "\"tag\":\"alpha \"", "\"tag\":\"b\\u00e9ta\""};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    assert_string_equal(D("in_str", "", others[i], "2026-03-01"), "not_applicable det= over= obl= until=null");
  assert_string_equal(D("in_enum", "\"kind\":\"red\"", "", "2026-03-01"), "not_applicable det= over= obl= until=null");
  assert_string_equal(D("in_enum", "\"kind\":\"green\"", "", "2026-03-01"), "allow det=i_enum over= obl= until=null");
  assert_string_equal(D("in_enum", "\"kind\":\"blue\"", "", "2026-03-01"), "allow det=i_enum over= obl= until=null");
  static const int ints[] = {-1, 0, 1, 2, 3, 4, 1000};
  static const int in[] = {0, 0, 1, 1, 1, 0, 0};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    char res[32];
    snprintf(res, sizeof res, "\"n\":%d", ints[i]);
    assert_string_equal(D("in_int", res, "", "2026-03-01"), in[i] ? "allow det=i_int over= obl= until=null"
                                                                   : "not_applicable det= over= obl= until=null");
  }
  /* A string fact compares like its literal. */
  assert_string_equal(D("fct", "", "\"tag\":\"alpha\"", "2026-03-01"), "allow det=f_p over= obl= until=null");
  assert_string_equal(D("fct", "", "", "2026-03-01"), "not_applicable det= over= obl= until=null");
  /* Two attributes holding the same string the agreement never names are equal; different ones are not. */
  assert_string_equal(D("fct", "", "\"tag\":\"q\",\"tag2\":\"q\"", "2026-03-01"), "deny det=f_same over= obl= until=null");
  assert_string_equal(D("fct", "", "\"tag\":\"q\",\"tag2\":\"r\"", "2026-03-01"), "not_applicable det= over= obl= until=null");
  assert_string_equal(D("fct", "", "\"tag\":\"alpha\",\"tag2\":\"alpha\"", "2026-03-01"),
                      "deny det=f_same over=f_p obl= until=null");
  /* != against a string the agreement never names holds. */
  assert_string_equal(D("neq", "", "\"tag\":\"zzz\"", "2026-03-01"), "deny det=n_ne over= obl= until=null");
  assert_string_equal(D("neq", "", "\"tag\":\"beta\"", "2026-03-01"), "deny det=n_ne over= obl= until=null");
  assert_string_equal(D("neq", "", "", "2026-03-01"), "deny det=n_ne over= obl= until=null");
  assert_string_equal(D("neq", "", "\"tag\":\"alpha\"", "2026-03-01"), "not_applicable det= over= obl= until=null");
}

static void test_json_exact_and_snprintf_contract(void **state) {
  fx *f = *state;
  D("basic", "\"kind\":\"green\"", "", "2026-03-01");
  const char *want = "{\"decision\":\"allow\",\"determining\":[{\"clause\":\"allow_green\",\"kind\":\"permission\","
                     "\"text\":\"green is \\\"fine\\\"\",\"source\":\"s\"}],\"overridden\":[],\"obligations\":[],"
                     "\"valid_until\":null,\"agreement\":{\"id\":\"ev\",\"version\":\"1.0\"}}";
  size_t len = strlen(want);
  char buf[1024];
  assert_int_equal(pactum_decision_to_json(f->dec, buf, sizeof buf), len);
  assert_string_equal(buf, want);
  /* Asking with no room reports the length and writes nothing. */
  assert_int_equal(pactum_decision_to_json(f->dec, NULL, 0), len);
  /* With room for everything but the NUL, nothing beyond cap is touched. */
  for (size_t cap = 1; cap <= len; cap++) {
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(pactum_decision_to_json(f->dec, buf, cap), len);
    for (size_t i = cap; i < sizeof buf; i++)
      if (buf[i] != 'Z') fail_msg("cap %zu: byte %zu was written", cap, i);
  }
  memset(buf, 'Z', sizeof buf);
  assert_int_equal(pactum_decision_to_json(f->dec, buf, len + 1), len);
  assert_string_equal(buf, want);
  assert_int_equal(buf[len + 1], 'Z');

  /* A decision with every list filled and a date ahead. */
  D("req", "\"n\":1", "", "2024-01-01");
  D("conf", "\"n\":6", "\"flag\":true", "2024-01-01");
  assert_string_equal(summarise(f), "not_applicable det= over= obl= until=2025-01-01");
  D("req", "\"n\":1", "", "2026-01-01");
  char js[2048];
  size_t n = pactum_decision_to_json(f->dec, js, sizeof js);
  assert_string_equal(js, "{\"decision\":\"deny\",\"determining\":[{\"clause\":\"r_perm\",\"kind\":\"permission\","
                          "\"text\":\"r perm\",\"source\":\"s\"}],\"overridden\":[],\"obligations\":[{\"clause\":"
                          "\"r_obl\",\"kind\":\"obligation\",\"text\":\"r obl\",\"source\":\"s\"}],\"valid_until\":null,"
                          "\"agreement\":{\"id\":\"ev\",\"version\":\"1.0\"}}");
  assert_int_equal(n, strlen(js));
  D("win", "", "", "2026-05-05");
  n = pactum_decision_to_json(f->dec, js, sizeof js);
  assert_non_null(strstr(js, ",\"valid_until\":{\"date\":\"2028-01-01\"},"));
  D("st", "", "", "2026-05-05");
  n = pactum_decision_to_json(f->dec, js, sizeof js);
  assert_non_null(strstr(js, ",\"valid_until\":{\"state\":\"phase\"},"));
  (void)n;
}

static void test_decide_is_pure_and_does_not_allocate(void **state) {
  fx *f = *state;
  pactum_error err;
  const char *rq = "{\"principal\":\"a\",\"action\":\"exc\",\"resource\":{\"n\":500},\"context\":{\"date\":\"2026-03-01\"}}";
  assert_int_equal(pactum_request_parse_json(f->req, rq, strlen(rq), PACTUM_NO_DAY, &err), PACTUM_OK);
  char first[1024], again[1024];
  px_alloc_reset_count();
  assert_int_equal(pactum_decide(f->agr, f->tl, f->req, f->dec), PACTUM_OK);
  assert_int_equal(px_alloc_count(), 0);
  pactum_decision_to_json(f->dec, first, sizeof first);
  assert_int_equal(px_alloc_count(), 0);
  /* Deciding something else in between does not leak into the next decision. */
  D("conf", "\"n\":6", "\"flag\":true", "2026-03-01");
  assert_int_equal(pactum_request_parse_json(f->req, rq, strlen(rq), PACTUM_NO_DAY, &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, f->tl, f->req, f->dec), PACTUM_OK);
  pactum_decision_to_json(f->dec, again, sizeof again);
  assert_string_equal(first, again);
  /* Two decision objects for the same request agree. */
  pactum_decision *d2 = pactum_decision_new(f->agr);
  assert_non_null(d2);
  assert_int_equal(pactum_decide(f->agr, NULL, f->req, d2), PACTUM_OK);
  pactum_decision_to_json(d2, again, sizeof again);
  assert_string_equal(first, again);
  pactum_decision_free(d2);
}

static void test_decide_rejects_incomplete_requests(void **state) {
  fx *f = *state;
  pactum_error err;
  /* A fresh request has no action. */
  pactum_request *r = pactum_request_new(f->agr);
  assert_non_null(r);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  /* in_enum's `kind` has no default and was never set. */
  assert_int_equal(pactum_request_init(r, "a", "in_enum", date_from_ymd(2026, 3, 1), &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  assert_int_equal(pactum_request_set_string(r, "resource.kind", "blue", &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_OK);
  assert_string_equal(summarise(f), "allow det=i_enum over= obl= until=null");
  /* A request parse that failed leaves the request unusable. */
  const char *bad = "{\"principal\":\"a\",\"action\":\"nope\"}";
  assert_int_equal(pactum_request_parse_json(r, bad, strlen(bad), 0, &err), PACTUM_EINPUT);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  pactum_request_free(r);
  /* A request built for another agreement is refused. */
  pactum_agreement *other = unit_load_ok(agreement_src);
  pactum_request *ro = pactum_request_new(other);
  assert_int_equal(pactum_request_init(ro, "a", "win", date_from_ymd(2026, 3, 1), &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, ro, f->dec), PACTUM_EINPUT);
  pactum_request_free(ro);
  pactum_agreement_free(other);
}

static void test_explain(void **state) {
  fx *f = *state;
  pactum_error err;
  const char *rq = "{\"principal\":\"a\",\"action\":\"conf\",\"resource\":{\"n\":6},\"context\":{\"date\":\"2026-03-01\",\"flag\":true}}";
  assert_int_equal(pactum_request_parse_json(f->req, rq, strlen(rq), PACTUM_NO_DAY, &err), PACTUM_OK);
  char *js = pactum_explain(f->agr, NULL, f->req, 1);
  assert_non_null(js);
  json_error_t je;
  json_t *root = json_loads(js, 0, &je);
  if (!root) fail_msg("explain is not JSON (%s): %s", je.text, js);
  json_t *dec = json_object_get(root, "decision");
  assert_string_equal(json_string_value(json_object_get(dec, "decision")), "conflict");
  json_t *clauses = json_object_get(root, "clauses");
  assert_int_equal(json_array_size(clauses), 3);
  assert_string_equal(json_string_value(json_object_get(json_array_get(clauses, 0), "clause")), "k_base");
  assert_string_equal(json_string_value(json_object_get(json_array_get(clauses, 0), "role")), "overridden");
  assert_string_equal(json_string_value(json_object_get(json_array_get(clauses, 1), "role")), "determining");
  assert_string_equal(json_string_value(json_object_get(json_array_get(clauses, 2), "role")), "determining");
  json_decref(root);
  pactum_string_free(js);
  char *txt = pactum_explain(f->agr, NULL, f->req, 0);
  assert_non_null(txt);
  assert_non_null(strstr(txt, "k_allow"));
  assert_non_null(strstr(txt, "conflict"));
  pactum_string_free(txt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic_outcomes),
      cmocka_unit_test(test_exceptions_two_levels),
      cmocka_unit_test(test_exception_chain),
      cmocka_unit_test(test_conflict),
      cmocka_unit_test(test_conflict_takes_precedence),
      cmocka_unit_test(test_prohibition_beats_permission),
      cmocka_unit_test(test_requires_and_obligations),
      cmocka_unit_test(test_year_windows),
      cmocka_unit_test(test_state_windows),
      cmocka_unit_test(test_date_conditions),
      cmocka_unit_test(test_valid_until_per_request),
      cmocka_unit_test(test_valid_until_request_dates),
      cmocka_unit_test(test_in_lists_and_strings),
      cmocka_unit_test(test_json_exact_and_snprintf_contract),
      cmocka_unit_test(test_decide_is_pure_and_does_not_allocate),
      cmocka_unit_test(test_decide_rejects_incomplete_requests),
      cmocka_unit_test(test_explain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
