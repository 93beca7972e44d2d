/*
** test_request.c: building requests (src/request.c) from JSON and through the set_* API.
*/
#include "unit.h"
#include "agreement.h"
#include "date.h"

static const char agreement_src[] =
    "agreement \"rq\" { version \"2\" effective 2025-01-01 }\n"
    "party a\n"
    "party b\n"
    "party c\n"
    "source s official \"s.txt\"\n"
    "action act by a {\n"
    "  resource flag: bool = true\n"
    "  resource count: integer = 3\n"
    "  resource price: money = $10\n"
    "  resource color: enum { red, green } = green\n"
    "  context tag: string = \"std\"\n"
    "  context tag2: string = \"\"\n"
    "  context due: date = 2026-01-01\n"
    "}\n"
    "action need by a, b {\n"
    "  resource must: integer\n"
    "  context deadline: date\n"
    "}\n"
    "permission p { principal a action act when context.tag == \"known\" quote s \"p\" }\n"
    "permission q { principal b action need when resource.must == 1 quote s \"q\" }\n";

enum { A_FLAG, A_COUNT, A_PRICE, A_COLOR, A_TAG, A_TAG2, A_DUE };

typedef struct fx {
  pactum_agreement *agr;
  pactum_request *req;
  pactum_decision *dec;
  pactum_error err;
} fx;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  if (!f) return -1;
  char *diag = NULL;
  if (pactum_agreement_load_buffer("rq.pact", agreement_src, sizeof agreement_src - 1, &f->agr, &diag)) {
    fprintf(stderr, "%s", diag ? diag : "load failed\n");
    pactum_string_free(diag);
    free(f);
    return -1;
  }
  f->req = pactum_request_new(f->agr);
  f->dec = pactum_decision_new(f->agr);
  *state = f;
  return f->req && f->dec ? 0 : -1;
}

static int teardown(void **state) {
  fx *f = *state;
  if (!f) return 0;
  pactum_decision_free(f->dec);
  pactum_request_free(f->req);
  pactum_agreement_free(f->agr);
  free(f);
  return 0;
}

static int parse(fx *f, const char *json, int32_t default_day) {
  memset(&f->err, 0, sizeof f->err);
  return pactum_request_parse_json(f->req, json, strlen(json), default_day, &f->err);
}

static int64_t sid(fx *f, const char *s) { return agreement_string_id(f->agr, s, strlen(s)); }

/* Parse must fail with `code`; if msg is not NULL the message must equal it. */
static void refused_(fx *f, const char *json, int32_t day, const char *code, const char *msg, int line) {
  int rc = parse(f, json, day);
  if (rc != PACTUM_EINPUT) fail_msg("line %d: %s: rc %d, expected PACTUM_EINPUT", line, json, rc);
  if (strcmp(f->err.code, code) != 0)
    fail_msg("line %d: %s: code '%s' (%s), expected '%s'", line, json, f->err.code, f->err.message, code);
  if (msg && strcmp(f->err.message, msg) != 0)
    fail_msg("line %d: %s: message '%s', expected '%s'", line, json, f->err.message, msg);
  /* A refused request cannot be decided. */
  assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_EINPUT);
}
#define refused(json, code, msg) refused_(f, (json), 0, (code), (msg), __LINE__)

static void test_defaults(void **state) {
  fx *f = *state;
  int32_t d = date_from_ymd(2026, 3, 1);
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\"}", d), PACTUM_OK);
  const pactum_request *r = f->req;
  assert_int_equal(r->action, 0);
  assert_int_equal(r->principal, 0);
  assert_int_equal(r->day, d);
  assert_true(r->set == 0);
  assert_int_equal(r->vals[A_FLAG], 1);
  assert_int_equal(r->vals[A_COUNT], 3);
  assert_int_equal(r->vals[A_PRICE], 10000000); /* $10 in millionths (num.h) */
  assert_int_equal(r->vals[A_COLOR], 1); /* green is member 1 */
  assert_true(sid(f, "std") >= 0);
  assert_int_equal(r->vals[A_TAG], sid(f, "std"));
  assert_int_equal(r->vals[A_TAG2], sid(f, ""));
  assert_int_equal(r->vals[A_DUE], date_from_ymd(2026, 1, 1));
  /* tag is "std", not "known": p does not apply. */
  assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_NOT_APPLICABLE);
}

static void test_all_given(void **state) {
  fx *f = *state;
  const char *js = "{\"id\":\"r-1\",\"principal\":\"a\",\"action\":\"act\","
                   "\"resource\":{\"flag\":false,\"count\":-5,\"price\":7,\"color\":\"red\"},"
                   "\"context\":{\"tag\":\"known\",\"tag2\":\"\",\"due\":\"2030-12-31\",\"date\":\"2026-05-05\"}}";
  assert_int_equal(parse(f, js, date_from_ymd(2000, 1, 1)), PACTUM_OK);
  const pactum_request *r = f->req;
  /* context.date wins over the default day. */
  assert_int_equal(r->day, date_from_ymd(2026, 5, 5));
  assert_true(r->set == 0x7f);
  assert_int_equal(r->vals[A_FLAG], 0);
  assert_int_equal(r->vals[A_COUNT], -5);
  assert_int_equal(r->vals[A_PRICE], 7000000);
  assert_int_equal(r->vals[A_COLOR], 0);
  assert_int_equal(r->vals[A_TAG], sid(f, "known"));
  assert_int_equal(r->vals[A_TAG2], sid(f, ""));
  assert_int_equal(r->vals[A_DUE], date_from_ymd(2030, 12, 31));
  assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_ALLOW);
  /* 64-bit extremes pass through: for money, in millionths, -$9,223,372,036,854.775808 is INT64_MIN. */
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"count\":9223372036854775807,"
                            "\"price\":\"-9223372036854.775808\"}}", 0), PACTUM_OK);
  assert_true(f->req->vals[A_COUNT] == INT64_MAX);
  assert_true(f->req->vals[A_PRICE] == INT64_MIN);
}

static void test_unknown_strings(void **state) {
  fx *f = *state;
  /* Strings the agreement never names get negative ids, distinct per distinct string. */
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"x1\",\"tag2\":\"x2\"}}", 0),
                   PACTUM_OK);
  int64_t t1 = f->req->vals[A_TAG], t2 = f->req->vals[A_TAG2];
  assert_true(t1 < 0 && t2 < 0 && t1 != t2);
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"x1\",\"tag2\":\"x1\"}}", 0),
                   PACTUM_OK);
  assert_true(f->req->vals[A_TAG] < 0);
  assert_int_equal(f->req->vals[A_TAG], f->req->vals[A_TAG2]);
  /* A prefix or extension of a known string is another string. */
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"known \"}}", 0),
                   PACTUM_OK);
  assert_true(f->req->vals[A_TAG] < 0);
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"know\"}}", 0),
                   PACTUM_OK);
  assert_true(f->req->vals[A_TAG] < 0);
  /* A NUL inside a JSON string is refused by the JSON reader. */
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"known\\u0000\"}}", 0),
                   PACTUM_EINPUT);
  assert_string_equal(f->err.code, "bad_json");
}

static void test_errors(void **state) {
  fx *f = *state;
  refused("{", "bad_json", NULL);
  assert_true(strncmp(f->err.message, "malformed JSON", 14) == 0);
  refused("", "bad_json", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\"} x", "bad_json", NULL);
  /* Duplicate keys are rejected, at any depth. */
  refused("{\"principal\":\"a\",\"principal\":\"a\",\"action\":\"act\"}", "bad_json", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"x\",\"tag\":\"y\"}}", "bad_json", NULL);
  /* An integer beyond 64 bits is not valid input either. */
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"count\":9223372036854775808}}", "bad_json", NULL);
  refused("[]", "wrong_type", "a request must be a JSON object");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"extra\":1}", "unknown_field", "unknown request field 'extra'");
  refused("{\"action\":\"act\"}", "missing_field", "the request has no 'principal'");
  refused("{\"principal\":\"a\"}", "missing_field", "the request has no 'action'");
  refused("{\"principal\":5,\"action\":\"act\"}", "wrong_type", "'principal' must be a string");
  refused("{\"principal\":\"a\",\"action\":\"fly\"}", "unknown_action", "unknown action 'fly'");
  refused("{\"principal\":\"zz\",\"action\":\"act\"}", "unknown_principal", "unknown principal 'zz'");
  refused("{\"principal\":\"b\",\"action\":\"act\"}", "bad_principal",
          "'b' may not be the principal of action 'act' (its principal: a)");
  refused("{\"principal\":\"c\",\"action\":\"need\"}", "bad_principal",
          "'c' may not be the principal of action 'need' (its principal: a, b)");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"zz\":1}}", "unknown_attribute",
          "unknown attribute 'resource.zz' of action 'act'");
  /* resource and context are separate scopes. */
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"flag\":true}}", "unknown_attribute",
          "unknown attribute 'context.flag' of action 'act'");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"date\":\"2026-01-01\"}}", "unknown_attribute",
          "unknown attribute 'resource.date' of action 'act'");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":[]}", "wrong_type", "'resource' must be an object");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"flag\":1}}", "wrong_type",
          "attribute 'resource.flag' must be a bool");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"flag\":null}}", "wrong_type", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"count\":\"3\"}}", "wrong_type",
          "attribute 'resource.count' must be an integer");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"count\":1.5}}", "wrong_type", NULL);
  /* Money: a JSON integer of dollars, or an exact decimal in a string; never a JSON real. */
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"price\":\"ten\"}}", "wrong_type",
          "attribute 'resource.price' must be an amount of dollars (a JSON integer, or an exact decimal in a string: \"0.004\")");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"price\":0.5}}", "wrong_type", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"price\":\"0.0000005\"}}", "wrong_type",
          "attribute 'resource.price' has more than 6 fractional digits");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"price\":-9223372036855}}", "overflow",
          "attribute 'resource.price' is out of range (at most 9223372036854.775807)");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"color\":\"blue\"}}", "wrong_type",
          "'blue' is not a member of attribute 'resource.color'");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"color\":1}}", "wrong_type",
          "attribute 'resource.color' must be one of its enum members");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"color\":\"green\\u0000\"}}", "bad_json", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"resource\":{\"color\":\"Green\"}}", "wrong_type", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":5}}", "wrong_type",
          "attribute 'context.tag' must be a string");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"due\":20260101}}", "wrong_type",
          "attribute 'context.due' must be a date (YYYY-MM-DD)");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"due\":\"2026-13-01\"}}", "bad_date",
          "attribute 'context.due': '2026-13-01' is not a real date (YYYY-MM-DD)");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":\"2026-02-30\"}}", "bad_date",
          "'context.date' is not a real date: '2026-02-30'");
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":\"2026-1-1\"}}", "bad_date", NULL);
  refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":20260101}}", "bad_date",
          "'context.date' must be a string YYYY-MM-DD");
  refused("{\"principal\":\"a\",\"action\":\"need\",\"context\":{\"deadline\":\"2026-02-02\"}}", "missing_attribute",
          "attribute 'resource.must' of action 'need' has no default and must be given");
  refused("{\"principal\":\"a\",\"action\":\"need\",\"resource\":{\"must\":1}}", "missing_attribute",
          "attribute 'context.deadline' of action 'need' has no default and must be given");
  /* With PACTUM_NO_DAY the date is required. */
  refused_(f, "{\"principal\":\"a\",\"action\":\"act\"}", PACTUM_NO_DAY, "missing_date",
           "the request has no 'context.date'", __LINE__);
  /* err may be NULL. */
  assert_int_equal(pactum_request_parse_json(f->req, "{", 1, 0, NULL), PACTUM_EINPUT);
  /* Only len bytes are read. */
  const char *js = "{\"principal\":\"a\",\"action\":\"act\"}garbage";
  assert_int_equal(pactum_request_parse_json(f->req, js, strlen(js) - 7, 0, &f->err), PACTUM_OK);
}

static void test_no_day(void **state) {
  fx *f = *state;
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":\"2026-02-28\"}}", PACTUM_NO_DAY),
                   PACTUM_OK);
  assert_int_equal(f->req->day, date_from_ymd(2026, 2, 28));
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\"}", 12345), PACTUM_OK);
  assert_int_equal(f->req->day, 12345);
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":\"0001-01-01\"}}", PACTUM_NO_DAY),
                   PACTUM_OK);
  assert_int_equal(f->req->day, -719162);
}

static void test_set_api(void **state) {
  fx *f = *state;
  pactum_request *r = pactum_request_new(f->agr);
  assert_non_null(r);
  pactum_error err;
  memset(&err, 0, sizeof err);
  /* Nothing can be set before the action is known. */
  assert_int_equal(pactum_request_set_bool(r, "resource.flag", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "no_action");
  assert_int_equal(pactum_request_init(r, "a", "fly", 0, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_action");
  assert_int_equal(pactum_request_init(r, "zz", "act", 0, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_principal");
  assert_int_equal(pactum_request_init(r, "b", "act", 0, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_principal");
  assert_int_equal(pactum_request_init(r, "a", "act", PACTUM_NO_DAY, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "missing_date");
  assert_string_equal(err.message, "the request has no date");
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);

  int32_t d = date_from_ymd(2026, 4, 4);
  assert_int_equal(pactum_request_init(r, "a", "act", d, &err), PACTUM_OK);
  assert_int_equal(r->day, d);
  assert_int_equal(r->vals[A_COUNT], 3); /* defaults */
  assert_true(r->set == 0);

  assert_int_equal(pactum_request_set_bool(r, "resource.flag", 0, &err), PACTUM_OK);
  assert_int_equal(r->vals[A_FLAG], 0);
  assert_int_equal(pactum_request_set_bool(r, "resource.flag", 42, &err), PACTUM_OK);
  assert_int_equal(r->vals[A_FLAG], 1);
  assert_int_equal(pactum_request_set_bool(r, "resource.count", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_string_equal(err.message, "attribute 'resource.count' must be an integer");

  assert_int_equal(pactum_request_set_int(r, "resource.count", -7, &err), PACTUM_OK);
  assert_int_equal(r->vals[A_COUNT], -7);
  assert_int_equal(pactum_request_set_int(r, "resource.price", 99, &err), PACTUM_OK);
  assert_int_equal(r->vals[A_PRICE], 99000000); /* whole dollars in, millionths kept */
  assert_int_equal(pactum_request_set_string(r, "resource.price", "0.004", &err), PACTUM_OK);
  assert_int_equal(r->vals[A_PRICE], 4000);
  assert_int_equal(pactum_request_set_int(r, "context.due", 20000, &err), PACTUM_OK);
  assert_int_equal(r->vals[A_DUE], 20000);
  assert_int_equal(pactum_request_set_int(r, "resource.flag", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_string_equal(err.message, "attribute 'resource.flag' must be a bool");
  assert_int_equal(pactum_request_set_int(r, "context.tag", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_int_equal(pactum_request_set_int(r, "resource.color", 0, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");

  assert_int_equal(pactum_request_set_string(r, "resource.color", "red", &err), PACTUM_OK);
  assert_int_equal(r->vals[A_COLOR], 0);
  assert_int_equal(pactum_request_set_string(r, "resource.color", "purple", &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_int_equal(r->vals[A_COLOR], 0); /* unchanged */
  assert_int_equal(pactum_request_set_string(r, "context.due", "2027-02-03", &err), PACTUM_OK);
  assert_int_equal(r->vals[A_DUE], date_from_ymd(2027, 2, 3));
  assert_int_equal(pactum_request_set_string(r, "context.due", "2027-02-30", &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_date");
  assert_int_equal(pactum_request_set_string(r, "context.due", "tomorrow", &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_date");
  assert_int_equal(pactum_request_set_string(r, "context.tag", "new1", &err), PACTUM_OK);
  assert_true(r->vals[A_TAG] < 0);
  assert_int_equal(pactum_request_set_string(r, "resource.flag", "true", &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");
  assert_int_equal(pactum_request_set_string(r, "resource.count", "3", &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "wrong_type");

  /* Attributes are named with their scope. */
  assert_int_equal(pactum_request_set_bool(r, "resource.nope", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_attribute");
  assert_string_equal(err.message, "unknown attribute 'resource.nope' of action 'act'");
  assert_int_equal(pactum_request_set_bool(r, "flag", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_attribute");
  assert_int_equal(pactum_request_set_bool(r, "context.flag", 1, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "unknown_attribute");

  /* flag, count, price, color, tag and due were set; tag2 was not. */
  assert_true(r->set == ((1u << A_FLAG) | (1u << A_COUNT) | (1u << A_PRICE) | (1u << A_COLOR) | (1u << A_TAG) | (1u << A_DUE)));
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_NOT_APPLICABLE);
  assert_int_equal(pactum_request_set_string(r, "context.tag", "known", &err), PACTUM_OK);
  assert_int_equal(r->vals[A_TAG], sid(f, "known"));
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_ALLOW);

  /* Every attribute without a default must be set before deciding. */
  assert_int_equal(pactum_request_init(r, "b", "need", d, &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  assert_int_equal(pactum_request_set_int(r, "resource.must", 1, &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  assert_int_equal(pactum_request_set_string(r, "context.deadline", "2026-09-09", &err), PACTUM_OK);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_OK);
  assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_ALLOW);
  /* init starts over: nothing set, defaults back. */
  assert_int_equal(pactum_request_init(r, "b", "need", d, &err), PACTUM_OK);
  assert_true(r->set == 0);
  assert_int_equal(pactum_decide(f->agr, NULL, r, f->dec), PACTUM_EINPUT);
  /* err may be NULL. */
  assert_int_equal(pactum_request_set_bool(r, "resource.zz", 1, NULL), PACTUM_EINPUT);
  pactum_request_free(r);
  pactum_request_free(NULL);
}

static void check_id(fx *f, const char *want) {
  size_t len = 12345;
  const char *id = pactum_request_id_json(f->req, &len);
  if (!want) {
    assert_null(id);
    return;
  }
  assert_non_null(id);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(id, want, len);
}

static void test_request_id(void **state) {
  fx *f = *state;
  assert_int_equal(parse(f, "{\"id\":\"r-1\",\"principal\":\"a\",\"action\":\"act\"}", 0), PACTUM_OK);
  check_id(f, "\"r-1\"");
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"id\":42}", 0), PACTUM_OK);
  check_id(f, "42");
  /* Compact JSON, escapes kept. */
  assert_int_equal(parse(f, "{\"id\": \"a\\\"b\",\"principal\":\"a\",\"action\":\"act\"}", 0), PACTUM_OK);
  check_id(f, "\"a\\\"b\"");
  /* No id: none, even right after a request that had one. */
  assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\"}", 0), PACTUM_OK);
  check_id(f, NULL);
  /* The id and strings the agreement does not know share storage without clobbering. */
  assert_int_equal(parse(f, "{\"id\":\"zz\",\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"x1\",\"tag2\":\"x2\"}}", 0),
                   PACTUM_OK);
  check_id(f, "\"zz\"");
  assert_true(f->req->vals[A_TAG] < 0 && f->req->vals[A_TAG2] < 0 && f->req->vals[A_TAG] != f->req->vals[A_TAG2]);
  refused("{\"id\":[1],\"principal\":\"a\",\"action\":\"act\"}", "wrong_type", "'id' must be a string or an integer");
  refused("{\"id\":1.5,\"principal\":\"a\",\"action\":\"act\"}", "wrong_type", NULL);
  refused("{\"id\":null,\"principal\":\"a\",\"action\":\"act\"}", "wrong_type", NULL);
  check_id(f, NULL);
}

static void test_reuse(void **state) {
  fx *f = *state;
  char js[256];
  for (int i = 0; i < 3000; i++) {
    switch (i % 3) {
    case 0: /* a string the agreement does not know */
      snprintf(js, sizeof js,
               "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"date\":\"2026-01-01\",\"tag\":\"unknown-%d\","
               "\"tag2\":\"other-%d\"}}", i, i);
      assert_int_equal(parse(f, js, PACTUM_NO_DAY), PACTUM_OK);
      assert_int_equal(f->req->nunknown, 2);
      assert_int_equal(f->req->vals[A_TAG], -1);
      assert_int_equal(f->req->vals[A_TAG2], -2);
      assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_OK);
      assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_NOT_APPLICABLE);
      break;
    case 1: /* the known string, and another action */
      assert_int_equal(parse(f, "{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"known\"}}", 20454),
                       PACTUM_OK); /* 2026-01-01 */
      assert_int_equal(f->req->nunknown, 0);
      assert_int_equal(f->req->day, 20454);
      assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_OK);
      assert_int_equal(pactum_decision_outcome(f->dec), PACTUM_ALLOW);
      snprintf(js, sizeof js, "{\"principal\":\"b\",\"action\":\"need\",\"resource\":{\"must\":%d},"
                              "\"context\":{\"deadline\":\"2026-01-01\",\"date\":\"2026-01-01\"}}", i % 2);
      assert_int_equal(parse(f, js, PACTUM_NO_DAY), PACTUM_OK);
      assert_int_equal(pactum_decide(f->agr, NULL, f->req, f->dec), PACTUM_OK);
      assert_int_equal(pactum_decision_outcome(f->dec), i % 2 ? PACTUM_ALLOW : PACTUM_NOT_APPLICABLE);
      break;
    default: /* a failure in between leaves nothing behind */
      refused("{\"principal\":\"a\",\"action\":\"act\",\"context\":{\"tag\":\"x\",\"due\":\"nope\"}}", "bad_date", NULL);
      break;
    }
  }
  /* The unknown strings of old requests are dropped, not accumulated. */
  assert_true(f->req->strings.cap < 4096);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),        cmocka_unit_test(test_all_given),
      cmocka_unit_test(test_unknown_strings), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_no_day),          cmocka_unit_test(test_set_api),
      cmocka_unit_test(test_request_id),      cmocka_unit_test(test_reuse),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
