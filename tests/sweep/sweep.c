/*
** sweep.c: the day-by-day window sweep of the shipped agreement.
**
** Usage: test_sweep AGREEMENT.pact
**
** Walks every day from 2025-10-01 to 2034-01-01 (inclusive) under three event histories:
**   (a) no events;
**   (b) AGI declared 2029-01-15, verified by the panel 2029-06-01;
**   (c) declared 2027-01-10, rejected 2027-04-01, declared again 2028-01-15, never verified.
** and checks, from a table of expected windows written by hand from the agreement's source text:
**   1. every clause's in-effect days form one contiguous interval;
**   2. that interval starts and ends on the expected days (per history);
**   3. decisions for a set of request shapes match an oracle built from the same table, so no
**      two clauses overlap where they should not (e.g. serve_api on aws is exactly one of
**      deny-by-exclusivity or not_applicable, switching on the verification day);
**   4. valid_until is consistent: a date v is after the request's day and the decision does not
**      change before v (nor before the next event); with no date, the decision does not change
**      for the rest of the sweep unless an event lands;
**   5. pactum_status_json reports the same in-effect flags as clause_in_effect.
** Prints failures, then "N passed, M failed"; exits 1 on any failure.
*/
#include "agreement.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHIST 3
#define MAX_EVENTS 4
#define KEY_LEN 512
#define IDS_LEN 128
#define MSG_LEN (2 * KEY_LEN)

static int npassed, nfailed;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  if (ok) {
    npassed++;
    return;
  }
  nfailed++;
  va_list ap;
  va_start(ap, fmt);
  fputs("FAIL: ", stdout);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
}

static int32_t day_of(const char *s) {
  int32_t d;
  if (pactum_day_parse(s, strlen(s), &d) != PACTUM_OK) {
    fprintf(stderr, "test_sweep: bad date literal '%s'\n", s);
    exit(2);
  }
  return d;
}

static const char *fmt_day(int32_t d, char out[11]) {
  if (d == DAY_MAX) return "(none)";
  pactum_day_format(d, out);
  return out;
}

/* ---- The event histories -------------------------------------------------------------- */

typedef struct history {
  const char *name;
  const char *events[MAX_EVENTS]; /* JSON, NULL-terminated */
} history;

static const history histories[NHIST] = {
    {"(a) no events", {NULL}},
    {"(b) AGI declared 2029-01-15, verified 2029-06-01",
     {"{\"type\":\"agi_declared\",\"date\":\"2029-01-15\",\"by\":\"openai\"}",
      "{\"type\":\"panel_verdict\",\"date\":\"2029-06-01\",\"declaration\":1,\"verdict\":\"verified\"}", NULL}},
    {"(c) declared 2027-01-10, rejected 2027-04-01, declared 2028-01-15, never verified",
     {"{\"type\":\"agi_declared\",\"date\":\"2027-01-10\",\"by\":\"openai\"}",
      "{\"type\":\"panel_verdict\",\"date\":\"2027-04-01\",\"declaration\":1,\"verdict\":\"rejected\"}",
      "{\"type\":\"agi_declared\",\"date\":\"2028-01-15\",\"by\":\"openai\"}", NULL}},
};

/* The day of each event of history h, for "the next event after d". */
static int32_t event_days[NHIST][MAX_EVENTS];
static int nevent_days[NHIST];

/* The first event day > d in history h, or DAY_MAX. */
static int32_t next_event(int h, int32_t d) {
  for (int i = 0; i < nevent_days[h]; i++)
    if (event_days[h][i] > d) return event_days[h][i];
  return DAY_MAX;
}

/* ---- The expected windows --------------------------------------------------------------- */

/*
** First and last in-effect day of each clause within the sweep, per history (a), (b), (c).
** "2034-01-01" as the last day means "still in effect on the sweep's last day"; NULL as the
** first day would mean "never in effect". No clause starts before the effective date
** 2025-10-28 ("Microsoft and OpenAI signed a definitive agreement on October 28, 2025"; header
** `effective 2025-10-28`; docs/language.md: "no clause is in effect before it").
**
** Verification in (b) lands on 2029-06-01, so clauses ending at verification have their last
** day on 2029-05-31 ("`until agi == verified` ends the day the panel's verdict lands"). In (c)
** nothing is ever verified (reading R1: a pending declaration leaves things in place; R2: a
** rejection leaves things as they were), so (c) equals (a).
*/
#define EFF "2025-10-28"
#define END "2034-01-01"
#define PRE_VERIF "2029-05-31"

typedef struct window_row {
  const char *clause;
  const char *first[NHIST];
  const char *last[NHIST];
} window_row;

static const window_row windows[] = {
    /* primary: "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place
       until any AGI declaration." (R1: until the panel verifies) */
    {"azure_api_exclusivity", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* primary: "Azure API exclusivity" - serving on Azure is always allowed; no end date. */
    {"api_on_azure", {EFF, EFF, EFF}, {END, END, END}},
    /* primary: "API products built with third parties must still run on Azure." - shares the
       exclusivity's window ("still"), so ends at verification. */
    {"third_party_api_on_azure", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* primary: "OpenAI may provide API access to U.S. government national security customers on
       any cloud." - no end date. */
    {"national_security_any_cloud", {EFF, EFF, EFF}, {END, END, END}},
    /* primary: "OpenAI may jointly develop some products with third parties." - no end date. */
    {"joint_development", {EFF, EFF, EFF}, {END, END, END}},
    /* history: "non-API products may be served on any cloud." - no end date. */
    {"non_api_products_any_cloud", {EFF, EFF, EFF}, {END, END, END}},
    /* primary: "OpenAI may release certain open-weight models." - no end date. */
    {"open_weight_models", {EFF, EFF, EFF}, {END, END, END}},
    /* primary: "Microsoft relinquished its prior right of first refusal to serve as OpenAI's
       compute provider." - no end date. */
    {"compute_any_provider", {EFF, EFF, EFF}, {END, END, END}},
    /* primary: "Exclusive IP rights to OpenAI models ... remain in place until any AGI
       declaration." (R1) The exclusivity qualifies the rights to models, "through 2032", and
       cannot outlast them (reading X1): it ends at verification or with 2032. */
    {"exclusive_model_ip", {EFF, EFF, EFF}, {"2032-12-31", PRE_VERIF, "2032-12-31"}},
    /* primary: "extending Microsoft's rights to OpenAI models and products through 2032" -
       through 2032-12-31, whatever happens to AGI. */
    {"model_product_ip", {EFF, EFF, EFF}, {"2032-12-31", "2032-12-31", "2032-12-31"}},
    /* primary: "Microsoft's IP rights extend to post-AGI models through 2032, subject to safety
       guardrails." */
    {"post_agi_model_ip", {EFF, EFF, EFF}, {"2032-12-31", "2032-12-31", "2032-12-31"}},
    /* primary: "subject to safety guardrails" - the guardrail duty lasts as long as the right,
       through 2032. */
    {"post_agi_safety_guardrails", {EFF, EFF, EFF}, {"2032-12-31", "2032-12-31", "2032-12-31"}},
    /* history: "Microsoft's rights to *research* IP ... last until the panel verifies AGI or
       through 2030, whichever comes first." */
    {"research_ip", {EFF, EFF, EFF}, {"2030-12-31", PRE_VERIF, "2030-12-31"}},
    /* history: "Microsoft's IP rights exclude OpenAI's consumer hardware." - at all times. */
    {"consumer_hardware_excluded", {EFF, EFF, EFF}, {END, END, END}},
    /* history: "Microsoft may independently pursue AGI, alone or with third parties" - no end. */
    {"independent_agi", {EFF, EFF, EFF}, {END, END, END}},
    /* history: "if it uses OpenAI IP to do so before AGI is declared, its models are subject to
       compute thresholds ..." (R1: before the panel verifies) */
    {"agi_with_openai_ip", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* history: "its models are subject to compute thresholds far above today's largest training
       runs." - same window as agi_with_openai_ip. */
    {"agi_compute_threshold", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* history: "Revenue share continues until the panel verifies AGI; payments stretch over a
       longer period." */
    {"revenue_share", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* earlier (v2025-01): "revenue sharing both ways", which only the 2026-04-27 amendment ends
       ("Microsoft stops paying revenue share to OpenAI"): OpenAI's share, with the same end as
       Microsoft's, "until the panel verifies AGI" (reading C1). */
    {"revenue_share_to_openai", {EFF, EFF, EFF}, {END, PRE_VERIF, END}},
    /* earlier (v2025-01): "OpenAI may build additional capacity, mainly for research and
       training." - not mentioned by this agreement, carried over (reading C1); no end date. */
    {"build_additional_capacity", {EFF, EFF, EFF}, {END, END, END}},
    /* earlier (v2019): "The two jointly develop Azure AI supercomputing technologies" - carried
       over (reading C1); no end date. */
    {"joint_supercomputing_microsoft", {EFF, EFF, EFF}, {END, END, END}},
    {"joint_supercomputing_openai", {EFF, EFF, EFF}, {END, END, END}},
};
#define NWINDOWS (int)(sizeof windows / sizeof windows[0])

static int32_t sweep_first, sweep_last;
static int32_t exp_first[NWINDOWS][NHIST], exp_last[NWINDOWS][NHIST];

static int find_window(const char *clause) {
  for (int i = 0; i < NWINDOWS; i++)
    if (!strcmp(windows[i].clause, clause)) return i;
  return -1;
}

static int window_index(const char *clause) {
  int w = find_window(clause);
  if (w < 0) {
    fprintf(stderr, "test_sweep: no expected window for '%s'\n", clause);
    exit(2);
  }
  return w;
}

/* Whether clause `id` is expected to be in effect on day d in history h. */
static int E(const char *id, int h, int32_t d) {
  int w = window_index(id);
  if (exp_first[w][h] == DAY_MAX) return 0;
  return d >= exp_first[w][h] && d <= exp_last[w][h];
}

/* ---- Request shapes and their expected decisions ------------------------------------------ */

typedef struct expected {
  pactum_outcome outcome;
  const char *det, *over, *obl; /* comma-separated ids in file order */
} expected;

static expected X(pactum_outcome o, const char *det, const char *over, const char *obl) {
  expected e = {o, det, over, obl};
  return e;
}
static const expected NA = {PACTUM_NOT_APPLICABLE, "", "", ""};

typedef expected (*oracle_fn)(int h, int32_t d);

/* serve_api on aws, commercial: "Azure API exclusivity remain[s] in place until any AGI
   declaration" - deny while it is in effect, else nothing governs it. */
static expected o_api_aws(int h, int32_t d) {
  return E("azure_api_exclusivity", h, d) ? X(PACTUM_DENY, "azure_api_exclusivity", "", "") : NA;
}
static expected o_api_azure(int h, int32_t d) {
  return E("api_on_azure", h, d) ? X(PACTUM_ALLOW, "api_on_azure", "", "") : NA;
}
/* Built with a third party, on gcp: both the exclusivity and "must still run on Azure". */
static expected o_api_gcp_3p(int h, int32_t d) {
  if (E("azure_api_exclusivity", h, d) && E("third_party_api_on_azure", h, d))
    return X(PACTUM_DENY, "azure_api_exclusivity,third_party_api_on_azure", "", "");
  return NA;
}
/* National security on aws: the carve-out overrides the exclusivity while it is in effect. */
static expected o_api_aws_natsec(int h, int32_t d) {
  if (!E("national_security_any_cloud", h, d)) return NA;
  if (E("azure_api_exclusivity", h, d))
    return X(PACTUM_ALLOW, "national_security_any_cloud", "azure_api_exclusivity", "");
  return X(PACTUM_ALLOW, "national_security_any_cloud", "", "");
}
/* National security, built with a third party, on oracle: the carve-out reaches both. */
static expected o_api_oracle_3p_natsec(int h, int32_t d) {
  if (!E("national_security_any_cloud", h, d)) return NA;
  if (E("azure_api_exclusivity", h, d))
    return X(PACTUM_ALLOW, "national_security_any_cloud", "azure_api_exclusivity,third_party_api_on_azure", "");
  return X(PACTUM_ALLOW, "national_security_any_cloud", "", "");
}
static expected o_product_gcp(int h, int32_t d) {
  return E("non_api_products_any_cloud", h, d) ? X(PACTUM_ALLOW, "non_api_products_any_cloud", "", "") : NA;
}
static expected o_codevelop(int h, int32_t d) {
  return E("joint_development", h, d) ? X(PACTUM_ALLOW, "joint_development", "", "") : NA;
}
static expected o_weights_ok(int h, int32_t d) {
  return E("open_weight_models", h, d) ? X(PACTUM_ALLOW, "open_weight_models", "", "") : NA;
}
static expected o_weights_no(int h, int32_t d) {
  return E("open_weight_models", h, d) ? X(PACTUM_DENY, "open_weight_models", "", "") : NA;
}
static expected o_compute(int h, int32_t d) {
  return E("compute_any_provider", h, d) ? X(PACTUM_ALLOW, "compute_any_provider", "", "") : NA;
}
static expected o_license_google(int h, int32_t d) {
  return E("exclusive_model_ip", h, d) ? X(PACTUM_DENY, "exclusive_model_ip", "", "") : NA;
}
static expected o_license_microsoft(int h, int32_t d) {
  (void)h;
  (void)d;
  return NA;
}
static expected o_ip_model(int h, int32_t d) {
  return E("model_product_ip", h, d) ? X(PACTUM_ALLOW, "model_product_ip", "", "") : NA;
}
static expected o_ip_product(int h, int32_t d) { return o_ip_model(h, d); }
static expected o_ip_postagi_guarded(int h, int32_t d) {
  if (!E("post_agi_model_ip", h, d)) return NA;
  return X(PACTUM_ALLOW, "post_agi_model_ip", "model_product_ip", "post_agi_safety_guardrails");
}
static expected o_ip_postagi_unguarded(int h, int32_t d) {
  if (!E("post_agi_model_ip", h, d)) return NA;
  return X(PACTUM_DENY, "post_agi_model_ip", "model_product_ip", "post_agi_safety_guardrails");
}
/* Research IP: allow only while research_ip is in effect. */
static expected o_ip_research(int h, int32_t d) {
  return E("research_ip", h, d) ? X(PACTUM_ALLOW, "research_ip", "", "") : NA;
}
static expected o_ip_hardware(int h, int32_t d) {
  return E("consumer_hardware_excluded", h, d) ? X(PACTUM_DENY, "consumer_hardware_excluded", "", "") : NA;
}
static expected o_agi_alone(int h, int32_t d) {
  return E("independent_agi", h, d) ? X(PACTUM_ALLOW, "independent_agi", "", "") : NA;
}
static expected o_agi_ip_within(int h, int32_t d) {
  if (E("agi_with_openai_ip", h, d))
    return X(PACTUM_ALLOW, "agi_with_openai_ip", "independent_agi", "agi_compute_threshold");
  return o_agi_alone(h, d);
}
static expected o_agi_ip_beyond(int h, int32_t d) {
  if (E("agi_with_openai_ip", h, d))
    return X(PACTUM_DENY, "agi_with_openai_ip", "independent_agi", "agi_compute_threshold");
  return o_agi_alone(h, d);
}
static expected o_revenue(int h, int32_t d) {
  return E("revenue_share", h, d) ? X(PACTUM_ALLOW, "revenue_share", "", "") : NA;
}
static expected o_revenue_openai(int h, int32_t d) {
  return E("revenue_share_to_openai", h, d) ? X(PACTUM_ALLOW, "revenue_share_to_openai", "", "") : NA;
}
static expected o_build_capacity(int h, int32_t d) {
  return E("build_additional_capacity", h, d) ? X(PACTUM_ALLOW, "build_additional_capacity", "", "") : NA;
}
static expected o_supercomputing_microsoft(int h, int32_t d) {
  return E("joint_supercomputing_microsoft", h, d) ? X(PACTUM_ALLOW, "joint_supercomputing_microsoft", "", "") : NA;
}
static expected o_supercomputing_openai(int h, int32_t d) {
  return E("joint_supercomputing_openai", h, d) ? X(PACTUM_ALLOW, "joint_supercomputing_openai", "", "") : NA;
}

typedef struct shape {
  const char *name;
  const char *json; /* no date: the sweep sets the day */
  oracle_fn oracle;
} shape;

static const shape shapes[] = {
    {"serve_api aws", "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"cloud\":\"aws\"}}", o_api_aws},
    {"serve_api azure", "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"cloud\":\"azure\"}}", o_api_azure},
    {"serve_api gcp third-party",
     "{\"principal\":\"openai\",\"action\":\"serve_api\",\"resource\":{\"built_with_third_party\":true},"
     "\"context\":{\"cloud\":\"gcp\"}}",
     o_api_gcp_3p},
    {"serve_api aws national security",
     "{\"principal\":\"openai\",\"action\":\"serve_api\",\"context\":{\"cloud\":\"aws\","
     "\"customer_segment\":\"us_gov_national_security\"}}",
     o_api_aws_natsec},
    {"serve_api oracle third-party national security",
     "{\"principal\":\"openai\",\"action\":\"serve_api\",\"resource\":{\"built_with_third_party\":true},"
     "\"context\":{\"cloud\":\"oracle\",\"customer_segment\":\"us_gov_national_security\"}}",
     o_api_oracle_3p_natsec},
    {"serve_product gcp", "{\"principal\":\"openai\",\"action\":\"serve_product\",\"context\":{\"cloud\":\"gcp\"}}",
     o_product_gcp},
    {"codevelop_product", "{\"principal\":\"openai\",\"action\":\"codevelop_product\",\"context\":{\"partner\":\"apple\"}}",
     o_codevelop},
    {"release_open_weights meets criteria",
     "{\"principal\":\"openai\",\"action\":\"release_open_weights\",\"resource\":{\"meets_capability_criteria\":true}}",
     o_weights_ok},
    {"release_open_weights fails criteria", "{\"principal\":\"openai\",\"action\":\"release_open_weights\"}",
     o_weights_no},
    {"purchase_compute", "{\"principal\":\"openai\",\"action\":\"purchase_compute\",\"context\":{\"provider\":\"oracle\"}}",
     o_compute},
    {"license_model_ip google", "{\"principal\":\"openai\",\"action\":\"license_model_ip\",\"context\":{\"licensee\":\"google\"}}",
     o_license_google},
    {"license_model_ip microsoft",
     "{\"principal\":\"openai\",\"action\":\"license_model_ip\",\"context\":{\"licensee\":\"microsoft\"}}",
     o_license_microsoft},
    {"use_ip model", "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"model\"}}", o_ip_model},
    {"use_ip product", "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"product\"}}",
     o_ip_product},
    {"use_ip post-AGI model with guardrails",
     "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"model\",\"post_agi\":true},"
     "\"context\":{\"safety_guardrails\":true}}",
     o_ip_postagi_guarded},
    {"use_ip post-AGI model without guardrails",
     "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"model\",\"post_agi\":true}}",
     o_ip_postagi_unguarded},
    {"use_ip research", "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"research\"}}",
     o_ip_research},
    {"use_ip consumer_hardware",
     "{\"principal\":\"microsoft\",\"action\":\"use_ip\",\"resource\":{\"ip_kind\":\"consumer_hardware\"}}", o_ip_hardware},
    {"pursue_agi alone", "{\"principal\":\"microsoft\",\"action\":\"pursue_agi\"}", o_agi_alone},
    {"pursue_agi with OpenAI IP within threshold",
     "{\"principal\":\"microsoft\",\"action\":\"pursue_agi\",\"context\":{\"uses_openai_ip\":true,"
     "\"within_compute_threshold\":true}}",
     o_agi_ip_within},
    {"pursue_agi with OpenAI IP beyond threshold",
     "{\"principal\":\"microsoft\",\"action\":\"pursue_agi\",\"context\":{\"uses_openai_ip\":true}}", o_agi_ip_beyond},
    {"receive_revenue_share", "{\"principal\":\"microsoft\",\"action\":\"receive_revenue_share\"}", o_revenue},
    {"receive_revenue_share openai", "{\"principal\":\"openai\",\"action\":\"receive_revenue_share\"}",
     o_revenue_openai},
    {"build_capacity", "{\"principal\":\"openai\",\"action\":\"build_capacity\"}", o_build_capacity},
    {"develop_supercomputing microsoft", "{\"principal\":\"microsoft\",\"action\":\"develop_supercomputing\"}",
     o_supercomputing_microsoft},
    {"develop_supercomputing openai", "{\"principal\":\"openai\",\"action\":\"develop_supercomputing\"}",
     o_supercomputing_openai},
};
#define NSHAPES (int)(sizeof shapes / sizeof shapes[0])

/* "ids" of v[0..n) joined by commas, in the engine's (file) order. */
static void join_ids(const pactum_agreement *agr, const int32_t *v, int n, char *out, size_t cap) {
  size_t o = 0;
  out[0] = '\0';
  for (int i = 0; i < n && o < cap; i++)
    o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "," : "", agr->clauses[v[i]].id);
}

/* A decision as one comparable string: outcome, determining, overridden, obligations. */
static void decision_key(const pactum_decision *dec, char *out, size_t cap) {
  char det[IDS_LEN], over[IDS_LEN], obl[IDS_LEN];
  join_ids(dec->agr, dec->det, dec->ndet, det, sizeof det);
  join_ids(dec->agr, dec->over, dec->nover, over, sizeof over);
  join_ids(dec->agr, dec->obl, dec->nobl, obl, sizeof obl);
  snprintf(out, cap, "%s det=[%s] over=[%s] obl=[%s]", pactum_outcome_name(dec->outcome), det, over, obl);
}

static void expected_key(const expected *e, char *out, size_t cap) {
  snprintf(out, cap, "%s det=[%s] over=[%s] obl=[%s]", pactum_outcome_name(e->outcome), e->det, e->over, e->obl);
}

/* ---- The sweep ---------------------------------------------------------------------------- */

static pactum_timeline *build_history(const pactum_agreement *agr, int h) {
  pactum_timeline *tl = pactum_timeline_new(agr);
  if (!tl) exit(3);
  nevent_days[h] = 0;
  for (int i = 0; histories[h].events[i]; i++) {
    const char *ev = histories[h].events[i];
    pactum_error err;
    int rc = pactum_timeline_append_json(tl, ev, strlen(ev), &err);
    check(rc == PACTUM_OK, "%s: event %s rejected: %s [%s]", histories[h].name, ev, err.message, err.code);
    json_t *j = json_loads(ev, 0, NULL);
    const char *ds = json_string_value(json_object_get(j, "date"));
    event_days[h][nevent_days[h]++] = day_of(ds ? ds : "1970-01-01");
    json_decref(j);
  }
  return tl;
}

/* Checks 1 and 2, and 5: in-effect intervals per clause, and status_json agreeing with them. */
static void sweep_windows(const pactum_agreement *agr, const pactum_timeline *tl, int h) {
  int nc = agr->nclauses;
  int32_t *first = malloc(sizeof(int32_t) * (size_t)nc), *last = malloc(sizeof(int32_t) * (size_t)nc);
  long *count = calloc((size_t)nc, sizeof(long));
  int64_t *row = malloc(sizeof(int64_t) * ((size_t)(agr->nstates + agr->ncommits) + 1));
  if (!first || !last || !count || !row) exit(3);
  for (int c = 0; c < nc; c++) first[c] = last[c] = DAY_MAX;
  long status_mismatch = 0;
  int32_t status_first_bad = DAY_MAX;
  char status_what[MSG_LEN] = "";
  for (int32_t d = sweep_first; d <= sweep_last; d++) {
    const int64_t *st = timeline_at(agr, tl, d, row);
    char *js = pactum_status_json(agr, tl, d);
    json_t *root = js ? json_loads(js, 0, NULL) : NULL;
    json_t *cls = json_object_get(root, "clauses");
    for (int c = 0; c < nc; c++) {
      int on = clause_in_effect(agr, &agr->clauses[c], st, d) != 0;
      if (on) {
        if (first[c] == DAY_MAX) first[c] = d;
        last[c] = d;
        count[c]++;
      }
      /* status_json's clauses are in file order, one per clause. */
      json_t *jc = json_array_get(cls, (size_t)c);
      const char *jid = json_string_value(json_object_get(jc, "id"));
      json_t *jon = json_object_get(jc, "in_effect");
      if (!jid || strcmp(jid, agr->clauses[c].id) || !json_is_boolean(jon) || json_is_true(jon) != on) {
        if (!status_mismatch++) {
          status_first_bad = d;
          snprintf(status_what, sizeof status_what, "clause %s: clause_in_effect=%d, status_json says %s", agr->clauses[c].id,
                   on, jon ? (json_is_true(jon) ? "true" : "false") : "(missing)");
        }
      }
    }
    json_decref(root);
    pactum_string_free(js);
  }
  char b1[11], b2[11], b3[11], b4[11];
  check(status_mismatch == 0, "%s: pactum_status_json disagrees with clause_in_effect on %ld clause-days, first %s (%s)",
        histories[h].name, status_mismatch, fmt_day(status_first_bad, b1), status_what);

  for (int c = 0; c < nc; c++) {
    const char *id = agr->clauses[c].id;
    int w = find_window(id);
    if (w < 0) continue; /* reported once in main */
    long span = first[c] == DAY_MAX ? 0 : (long)last[c] - first[c] + 1;
    check(count[c] == span, "%s: %s: in-effect days are not one interval: %ld days in effect between %s and %s (%ld days)",
          histories[h].name, id, count[c], fmt_day(first[c], b1), fmt_day(last[c], b2), span);
    check(first[c] == exp_first[w][h] && last[c] == exp_last[w][h],
          "%s: %s: in effect %s .. %s, expected %s .. %s", histories[h].name, id, fmt_day(first[c], b1),
          fmt_day(last[c], b2), fmt_day(exp_first[w][h], b3), fmt_day(exp_last[w][h], b4));
  }
  free(first);
  free(last);
  free(count);
  free(row);
}

/* Checks 3 and 4 for one request shape under history h. */
static void sweep_shape(const pactum_agreement *agr, const pactum_timeline *tl, int h, const shape *s,
                        pactum_request *req, pactum_decision *dec, long *loose) {
  pactum_error err;
  int rc = pactum_request_parse_json(req, s->json, strlen(s->json), sweep_first, &err);
  if (rc != PACTUM_OK) {
    check(0, "%s: request '%s' does not parse: %s [%s]", histories[h].name, s->name, err.message, err.code);
    return;
  }
  size_t ndays = (size_t)(sweep_last - sweep_first + 1);
  char (*keys)[KEY_LEN] = malloc(ndays * KEY_LEN);
  int32_t *vu = malloc(sizeof(int32_t) * ndays);
  int32_t *change = malloc(sizeof(int32_t) * ndays);
  if (!keys || !vu || !change) exit(3);

  long mism = 0;
  int32_t mism_day = DAY_MAX;
  char mism_got[MSG_LEN] = "", mism_want[MSG_LEN] = "";
  long decide_err = 0;
  for (int32_t d = sweep_first; d <= sweep_last; d++) {
    size_t i = (size_t)(d - sweep_first);
    req->day = d; /* the shape is fixed; only its date moves */
    if (pactum_decide(agr, tl, req, dec) != PACTUM_OK) {
      decide_err++;
      snprintf(keys[i], KEY_LEN, "error");
      vu[i] = DAY_MAX;
      continue;
    }
    decision_key(dec, keys[i], KEY_LEN);
    vu[i] = dec->valid_until;
    expected e = s->oracle(h, d);
    char want[KEY_LEN];
    expected_key(&e, want, sizeof want);
    if (strcmp(want, keys[i]) != 0 && !mism++) {
      mism_day = d;
      snprintf(mism_got, sizeof mism_got, "%s", keys[i]);
      snprintf(mism_want, sizeof mism_want, "%s", want);
    }
  }
  char b1[11], b2[11], b3[11];
  check(decide_err == 0, "%s: %s: pactum_decide failed on %ld days", histories[h].name, s->name, decide_err);
  check(mism == 0, "%s: %s: decision differs from the expected on %ld days; first on %s: got {%s}, expected {%s}",
        histories[h].name, s->name, mism, fmt_day(mism_day, b1), mism_got, mism_want);

  /* change[i]: the first day after day i whose decision differs, DAY_MAX if none in the sweep. */
  change[ndays - 1] = DAY_MAX;
  for (size_t i = ndays - 1; i-- > 0;)
    change[i] = strcmp(keys[i], keys[i + 1]) ? sweep_first + (int32_t)(i + 1) : change[i + 1];

  long bad_order = 0, early = 0, nloose = 0, ncut = 0;
  int32_t bad_day = DAY_MAX, early_day = DAY_MAX, early_change = DAY_MAX, early_v = DAY_MAX;
  for (size_t i = 0; i < ndays; i++) {
    int32_t d = sweep_first + (int32_t)i, v = vu[i];
    if (v != DAY_MAX && v <= d && !bad_order++) bad_day = d;
    /* The decision must hold until valid_until (or, with none, for the rest of the sweep)
       unless an event lands first. */
    int32_t limit = v < next_event(h, d) ? v : next_event(h, d);
    if (change[i] < limit) {
      if (!early++) {
        early_day = d;
        early_change = change[i];
        early_v = v;
      }
    }
    /* A date the decision does not actually change on (and no event either) is allowed
       ("may turn") but counted, for the report. */
    if (v != DAY_MAX && v <= sweep_last && v != next_event(h, d) &&
        !strcmp(keys[(size_t)(v - sweep_first)], keys[(size_t)(v - 1 - sweep_first)]))
      nloose++;
    /* A decision that an event changes before its valid_until date: allowed (the date is only
       the next date boundary), but the JSON then shows the date alone, not the state it also
       depends on. Counted, for the report. */
    if (v != DAY_MAX && change[i] < v && change[i] >= next_event(h, d)) ncut++;
  }
  *loose += nloose;
  if (nloose || ncut)
    printf("note: %.3s %s: valid_until date with no change on it: %ld days; changed by an event before its"
           " valid_until date: %ld days\n", histories[h].name, s->name, nloose, ncut);
  check(bad_order == 0, "%s: %s: valid_until is not after the request's day on %ld days, first %s", histories[h].name,
        s->name, bad_order, fmt_day(bad_day, b1));
  check(early == 0,
        "%s: %s: decision changes before valid_until on %ld days; first: decided on %s, valid_until %s, but changes on %s",
        histories[h].name, s->name, early, fmt_day(early_day, b1), early_v == DAY_MAX ? "(none/state)" : fmt_day(early_v, b2),
        fmt_day(early_change, b3));
  free(keys);
  free(vu);
  free(change);
}

/* Named instances of check 3, so a failure reads as the rule it breaks. */
static void switch_checks(const pactum_agreement *agr, const pactum_timeline *tl, int h, pactum_request *req,
                          pactum_decision *dec) {
  pactum_error err;
  const char *aws = shapes[0].json;
  if (pactum_request_parse_json(req, aws, strlen(aws), sweep_first, &err) != PACTUM_OK) return;
  int32_t eff = day_of(EFF);
  int32_t verified = h == 1 ? day_of("2029-06-01") : DAY_MAX;
  long bad = 0;
  int32_t bad_day = DAY_MAX;
  int32_t switch_day = DAY_MAX;
  int prev_deny = -1;
  for (int32_t d = eff; d <= sweep_last; d++) {
    req->day = d;
    if (pactum_decide(agr, tl, req, dec) != PACTUM_OK) {
      bad++;
      continue;
    }
    int deny_excl = dec->outcome == PACTUM_DENY && dec->ndet == 1 &&
                    !strcmp(agr->clauses[dec->det[0]].id, "azure_api_exclusivity");
    int na = dec->outcome == PACTUM_NOT_APPLICABLE && dec->ndet == 0;
    if (deny_excl + na != 1 && !bad++) bad_day = d;
    if (prev_deny == 1 && na && switch_day == DAY_MAX) switch_day = d;
    prev_deny = deny_excl;
  }
  char b1[11], b2[11];
  check(bad == 0, "%s: serve_api aws: not exactly one of {deny by azure_api_exclusivity, not_applicable} on %ld days, first %s",
        histories[h].name, bad, fmt_day(bad_day, b1));
  check(switch_day == verified, "%s: serve_api aws: switches from deny to not_applicable on %s, expected %s",
        histories[h].name, fmt_day(switch_day, b1), fmt_day(verified, b2));

  /* Before the effective date nothing is in effect, so every shape is not_applicable. */
  for (int s = 0; s < NSHAPES; s++) {
    if (pactum_request_parse_json(req, shapes[s].json, strlen(shapes[s].json), sweep_first, &err) != PACTUM_OK) continue;
    long before = 0;
    for (int32_t d = sweep_first; d < eff; d++) {
      req->day = d;
      if (pactum_decide(agr, tl, req, dec) != PACTUM_OK || dec->outcome != PACTUM_NOT_APPLICABLE || dec->nobl || dec->nover)
        before++;
    }
    check(before == 0, "%s: %s: %ld days before %s decide something other than a bare not_applicable", histories[h].name,
          shapes[s].name, before, EFF);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_sweep AGREEMENT.pact\n");
    return 2;
  }
  pactum_agreement *agr = NULL;
  char *diag = NULL;
  if (pactum_agreement_load_file(argv[1], &agr, &diag) != PACTUM_OK) {
    fprintf(stderr, "test_sweep: cannot load %s\n%s", argv[1], diag ? diag : "");
    pactum_string_free(diag);
    return 2;
  }
  sweep_first = day_of("2025-10-01");
  sweep_last = day_of("2034-01-01");
  for (int w = 0; w < NWINDOWS; w++)
    for (int h = 0; h < NHIST; h++) {
      exp_first[w][h] = windows[w].first[h] ? day_of(windows[w].first[h]) : DAY_MAX;
      exp_last[w][h] = windows[w].last[h] ? day_of(windows[w].last[h]) : DAY_MAX;
    }
  /* The table must cover exactly the agreement's clauses. */
  check(agr->nclauses == NWINDOWS, "the agreement has %d clauses, the expected-window table %d", agr->nclauses, NWINDOWS);
  for (int c = 0; c < agr->nclauses; c++)
    check(find_window(agr->clauses[c].id) >= 0, "clause %s has no row in the expected-window table", agr->clauses[c].id);

  pactum_request *req = pactum_request_new(agr);
  pactum_decision *dec = pactum_decision_new(agr);
  if (!req || !dec) return 3;
  long loose = 0;
  for (int h = 0; h < NHIST; h++) {
    pactum_timeline *tl = build_history(agr, h);
    sweep_windows(agr, tl, h);
    for (int s = 0; s < NSHAPES; s++) sweep_shape(agr, tl, h, &shapes[s], req, dec, &loose);
    switch_checks(agr, tl, h, req, dec);
    pactum_timeline_free(tl);
  }
  printf("note: %ld decisions in all carry a valid_until date on which nothing changes (allowed: \"may turn\")\n",
         loose);
  pactum_decision_free(dec);
  pactum_request_free(req);
  pactum_agreement_free(agr);
  printf("%d passed, %d failed\n", npassed, nfailed);
  return nfailed ? 1 : 0;
}
