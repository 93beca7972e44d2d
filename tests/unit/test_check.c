/*
** test_check.c: the checker of src/check.c, through pactum_agreement_load_buffer. Each error
** case gives the exact first line of the diagnostics; line and column are counted by hand in
** the source shown (BASE is lines 1-8, the text under test starts on line 9).
*/
#include "unit.h"

#define BASE                                                                                  \
  "agreement \"t\" { version \"1\" effective 2026-01-01 }\n"                                  \
  "party a\n"                                                                                 \
  "party b\n"                                                                                 \
  "source s official \"s.txt\"\n"                                                             \
  "action act by a { resource r: bool = false context c: string = \"x\" context n: integer = 0 " \
  "context k: enum { red, green } = red context d: date = 2026-01-01 }\n"                     \
  "action other by a, b\n"                                                                    \
  "state phase: enum { open, closed } = open\n"                                               \
  "event ev { amount: money }\n"

/* "permission p { principal a action act " is 38 bytes: what follows starts at column 39. */
#define P "permission p { principal a action act "
#define Q " quote s \"x\" }\n"

static void test_clean(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(BASE P "when resource.r and context.n > 3 and context.k == green" Q);
  pactum_agreement_free(agr);
  /* A string naming an enum member, a fact, date comparisons and `in`. */
  agr = unit_load_ok(BASE "fact limit = 5 { quote s \"five\" }\n"
                     "fact start = 2026-02-01 { quote s \"start\" }\n"
                     P "when context.k == \"green\" and context.n <= limit and date >= start "
                       "and context.d < 2027-01-01 and context.n in [1, 2] and context.c in [\"x\", \"y\"]"
                       " and green == context.k" Q);
  pactum_agreement_free(agr);
}

static void test_summary(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(
      BASE "on ev { set phase = closed }\n"
      "permission p1 { principal a action act quote s \"1\" }\n"
      "prohibition p2 { principal a action act when resource.r quote s \"2\" }\n"
      "permission p3 { principal a action act when context.n > 1 exception to p2 quote s \"3\" }\n"
      "obligation p4 { principal b action other quote s \"4\" }\n"
      "commitment m { owed_by a owed_to b what \"w\" total $10 counted from ev.amount quote s \"m\" }\n"
      "fact f = \"v\" { quote s \"f\" }\n");
  pactum_summary sum;
  memset(&sum, 0xff, sizeof sum);
  pactum_agreement_summary(agr, &sum);
  assert_int_equal(sum.parties, 2);
  assert_int_equal(sum.sources, 1);
  assert_int_equal(sum.actions, 2);
  assert_int_equal(sum.attributes, 5);
  assert_int_equal(sum.states, 1);
  assert_int_equal(sum.events, 1);
  assert_int_equal(sum.transitions, 1);
  assert_int_equal(sum.clauses, 4);
  assert_int_equal(sum.permissions, 2);
  assert_int_equal(sum.prohibitions, 1);
  assert_int_equal(sum.obligations, 1);
  assert_int_equal(sum.exceptions, 1);
  assert_int_equal(sum.commitments, 1);
  assert_int_equal(sum.facts, 1);
  pactum_agreement_free(agr);
}

static void test_names(void **state) {
  (void)state;
  assert_first_error(BASE "permission p { principal zz action act" Q, "t.pact:9:26: error: unknown party 'zz'");
  assert_first_error(BASE "permission p { principal a action nope" Q, "t.pact:9:35: error: unknown action 'nope'");
  assert_first_error(BASE "permission p { principal b action act" Q,
                     "t.pact:9:26: error: party 'b' is not a principal of action 'act'");
  assert_first_error(BASE P "when resource.zz" Q, "t.pact:9:44: error: unknown attribute 'resource.zz' of action 'act'");
  assert_first_error(BASE P "when context.r" Q, "t.pact:9:44: error: unknown attribute 'context.r' of action 'act'");
  assert_first_error(BASE P "when zz" Q, "t.pact:9:44: error: unknown name 'zz': not a state variable or a fact");
  assert_first_error(BASE P "when context.k == blue" Q, "t.pact:9:57: error: 'blue' is not a member of enum { red, green }");
  assert_first_error(BASE P "when context.k == \"blue\"" Q,
                     "t.pact:9:57: error: 'blue' is not a member of enum { red, green }");
  assert_first_error(BASE "action a2 by zz\n", "t.pact:9:14: error: unknown party 'zz'");
  assert_first_error(BASE "on zz { }\n", "t.pact:9:4: error: unknown event type 'zz'");
  assert_first_error(BASE "on ev { set zz = 1 }\n", "t.pact:9:13: error: unknown state variable 'zz'");
  assert_first_error(BASE "on ev { require event.zz else \"r\" }\n",
                     "t.pact:9:17: error: unknown field 'event.zz' of event 'ev'");
  assert_first_error(BASE P "when event.amount > $1" Q, "t.pact:9:44: error: 'event.amount' can only be used inside 'on'");
  assert_first_error(BASE P "while resource.r" Q,
                     "t.pact:9:45: error: 'resource.r' cannot be used in a window ('while'/'until'): request "
                     "attributes are not known there");
  assert_first_error(BASE P "until context.n > 1" Q,
                     "t.pact:9:45: error: 'context.n' cannot be used in a window ('while'/'until'): request "
                     "attributes are not known there");
  assert_first_error(BASE "on ev { require context.n > 1 else \"r\" }\n",
                     "t.pact:9:17: error: 'context.n' cannot be used in a transition: request attributes are not "
                     "known there");
}

static void test_types(void **state) {
  (void)state;
  assert_first_error(BASE P "when resource.r == \"x\"" Q, "t.pact:9:55: error: type mismatch: cannot compare bool with string");
  assert_first_error(BASE P "when context.n > $5" Q, "t.pact:9:54: error: type mismatch: cannot compare integer with money");
  assert_first_error(BASE P "when context.d > 5" Q, "t.pact:9:54: error: type mismatch: cannot compare date with integer");
  assert_first_error(BASE P "when context.c" Q,
                     "t.pact:9:44: error: a condition must be a bool, but this is string; compare it with '==' or 'in'");
  assert_first_error(BASE P "when 1 == 1" Q, "t.pact:9:46: error: this comparison has a constant on both sides");
  assert_first_error(BASE P "when true" Q, "t.pact:9:44: error: a constant condition; drop it or the clause");
  assert_first_error(BASE P "when (resource.r == true) == true" Q,
                     "t.pact:9:65: error: comparisons take values on both sides, not conditions");
  assert_first_error(BASE P "when resource.r in [true]" Q, "t.pact:9:55: error: 'in' does not apply to bool values");
  assert_first_error(BASE P "when context.n in [1, \"2\"]" Q,
                     "t.pact:9:61: error: type mismatch: expected integer, found a string");
  assert_first_error(BASE "fact limit = 5 { quote s \"five\" }\n" P "when limit in [1, 2]" Q,
                     "t.pact:10:44: error: 'limit' is a fact, a constant: this condition never changes");
  assert_first_error(BASE P "when 3 in [1]" Q,
                     "t.pact:9:44: error: the left side of 'in' must be an attribute, state variable or date");
  assert_first_error(BASE "state m: money = 5\n", "t.pact:9:18: error: money amounts are written with '$': '$5'");
  assert_first_error(BASE "state s2: string = \"x\"\n", "t.pact:9:7: error: state variable 's2' cannot be a string; use an enum");
  assert_first_error(BASE "on ev { set phase = 5 }\n",
                     "t.pact:9:21: error: type mismatch: 'phase' is enum { open, closed }, but this value is integer");
  assert_first_error(BASE "on ev { set phase = event.amount > $1 }\n",
                     "t.pact:9:34: error: 'set' takes a value, not a condition");
  assert_first_error(BASE "fact f = zz { quote s \"x\" }\n",
                     "t.pact:9:10: error: a fact's value must be a string, number, money amount, date, duration or bool");
}

static void test_ordering_message(void **state) {
  (void)state;
  /* The operator is quoted once, as in the documented message "'<' orders integers, ...". */
  assert_first_error(BASE P "when context.c < \"y\"" Q,
                     "t.pact:9:54: error: '<' orders integers, decimals, money and dates, not string");
  assert_first_error(BASE P "when context.k >= green" Q,
                     "t.pact:9:54: error: '>=' orders integers, decimals, money and dates, not enum { red, green }");
  assert_first_error(BASE P "when resource.r > false" Q,
                     "t.pact:9:55: error: '>' orders integers, decimals, money and dates, not bool");
}

static void test_duplicate_clause_note(void **state) {
  (void)state;
  /* The note points at the first clause named 'p' (line 9, column 12). */
  char *d = unit_load_err(BASE P Q P Q);
  char line[512], note[512];
  assert_string_equal(unit_first_line(d, line, sizeof line), "t.pact:10:12: error: duplicate clause id 'p'");
  const char *n = strstr(d, ": note: ");
  assert_non_null(n);
  while (n > d && n[-1] != '\n') n--;
  unit_first_line(n, note, sizeof note);
  pactum_string_free(d);
  assert_string_equal(note, "t.pact:9:12: note: 'p' was first declared here");
}

static void test_declarations(void **state) {
  (void)state;
  char line[512];
  char *d = unit_load_err(BASE "party a\n");
  assert_string_equal(unit_first_line(d, line, sizeof line), "t.pact:9:7: error: duplicate party 'a'");
  assert_non_null(strstr(d, "t.pact:2:7: note: 'a' was first declared here\n"));
  pactum_string_free(d);
  assert_first_error(BASE "source s press \"y\"\n", "t.pact:9:8: error: duplicate source 's'");
  assert_first_error(BASE "action other by a\n", "t.pact:9:8: error: duplicate action 'other'");
  assert_first_error(BASE "state phase: bool = false\n", "t.pact:9:7: error: duplicate state variable 'phase'");
  assert_first_error(BASE "event ev { }\n", "t.pact:9:7: error: duplicate event type 'ev'");
  assert_first_error(BASE "state s2: enum { x, y, x } = x\n", "t.pact:9:24: error: duplicate enum member 'x'");
  assert_first_error(BASE "action a2 by a { context date: date }\n",
                     "t.pact:9:26: error: 'context.date' is reserved for the request's date");
  assert_first_error(BASE "action a2 by a { context x: bool context x: bool }\n",
                     "t.pact:9:42: error: duplicate attribute 'context.x' of action 'a2'");
  assert_first_error(BASE "event e2 { date: date }\n",
                     "t.pact:9:12: error: 'date' is reserved in every event; choose another field name");
  assert_first_error(BASE "event e2 { x: bool x: integer }\n", "t.pact:9:20: error: duplicate field 'x' of event 'e2'");
  assert_first_error(BASE "on ev { }\non ev { }\n",
                     "t.pact:10:4: error: a second 'on ev'; put all of its statements in one block");
  /* check_facts runs before the states, so the clash is reported at the state. */
  assert_first_error(BASE "fact phase = 1 { quote s \"x\" }\n",
                     "t.pact:7:7: error: 'phase' names both a state variable and a fact");
  assert_first_error("agreement \"t\" { effective 2026-01-01 }\nparty a\n", "t.pact:1:1: error: agreement 't' has no version");
  assert_first_error("agreement \"t\" { version \"1\" }\nparty a\n",
                     "t.pact:1:1: error: agreement 't' has no effective date");
  assert_first_error("agreement \"t\" { version \"1\" effective 2026-01-01 }\n",
                     "t.pact:1:1: error: agreement 't' names no party");
  assert_first_error("agreement \"\" { version \"1\" effective 2026-01-01 }\nparty a\n",
                     "t.pact:1:1: error: the agreement id is empty");
}

static void test_clauses(void **state) {
  (void)state;
  assert_first_error(BASE "permission p { principal a action act }\n",
                     "t.pact:9:12: error: clause 'p' has no citation: add quote SOURCE \"verbatim text\"");
  assert_first_error(BASE P "quote zz \"x\" }\n", "t.pact:9:45: error: unknown source 'zz'");
  assert_first_error(BASE P "quote s \"\" }\n", "t.pact:9:47: error: empty quotation");
  assert_first_error(BASE P "from 2027 through 2026" Q,
                     "t.pact:9:57: error: clause 'p' closes on 2026-12-31, before it opens on 2027-01-01");
  assert_first_error(BASE P "through 2025" Q,
                     "t.pact:9:47: error: clause 'p' closes on 2025-12-31, before the agreement takes effect");
  /* Same-day window is fine; so is a `from` before the effective date. */
  pactum_agreement *agr = unit_load_ok(BASE P "from 2020 through 2026-01-01" Q);
  pactum_agreement_free(agr);
  assert_first_error(BASE "prohibition x { principal a action act requires resource.r" Q,
                     "t.pact:9:40: error: 'requires' belongs to permissions; clause 'x' is a prohibition");
  assert_first_error(BASE "obligation x { principal a action act requires resource.r" Q,
                     "t.pact:9:39: error: 'requires' belongs to permissions; clause 'x' is an obligation");
  assert_first_error(BASE P "exception to zz" Q, "t.pact:9:52: error: unknown clause 'zz'");
  assert_first_error(BASE P "exception to p" Q, "t.pact:9:52: error: clause 'p' cannot be an exception to itself");
  assert_first_error(BASE "permission x { principal a action other quote s \"x\" }\n"
                          "permission y { principal a action act exception to x quote s \"y\" }\n",
                     "t.pact:10:52: error: clause 'y' (a act) cannot be an exception to 'x' (a other): both must "
                     "govern the same principal and action");
  assert_first_error(BASE "permission x { principal a action other quote s \"x\" }\n"
                          "permission y { principal b action other exception to x quote s \"y\" }\n",
                     "t.pact:10:54: error: clause 'y' (b other) cannot be an exception to 'x' (a other): both must "
                     "govern the same principal and action");
  /* Obligations except only obligations; permissions and prohibitions only each other. */
  assert_first_error(BASE "obligation x { principal a action act quote s \"x\" }\n"
                          "permission y { principal a action act exception to x quote s \"y\" }\n",
                     "t.pact:10:52: error: permission 'y' cannot be an exception to obligation 'x': obligations "
                     "except only obligations, and permissions and prohibitions only each other");
  assert_first_error(BASE "prohibition x { principal a action act quote s \"x\" }\n"
                          "obligation y { principal a action act exception to x quote s \"y\" }\n",
                     "t.pact:10:52: error: obligation 'y' cannot be an exception to prohibition 'x': obligations "
                     "except only obligations, and permissions and prohibitions only each other");
  pactum_agreement *agr2 = unit_load_ok(BASE "obligation x { principal a action act quote s \"x\" }\n"
                                             "obligation y { principal a action act exception to x quote s \"y\" }\n"
                                             "prohibition z { principal a action act quote s \"z\" }\n"
                                             "permission w { principal a action act exception to z quote s \"w\" }\n");
  pactum_agreement_free(agr2);
  assert_first_error(BASE "permission x { principal a action act exception to y quote s \"x\" }\n"
                          "permission y { principal a action act exception to x quote s \"y\" }\n",
                     "t.pact:10:52: error: exception cycle: 'y' is an exception to 'x', which is (through its own "
                     "exceptions) an exception to 'y'");
  char *d = unit_load_err(BASE "permission x { principal a action act exception to y quote s \"x\" }\n"
                               "permission y { principal a action act exception to z quote s \"y\" }\n"
                               "permission z { principal a action act exception to x quote s \"z\" }\n");
  char line[512];
  assert_string_equal(unit_first_line(d, line, sizeof line),
                      "t.pact:11:52: error: exception cycle: 'z' is an exception to 'x', which is (through its own "
                      "exceptions) an exception to 'z'");
  assert_int_equal(unit_count(d, ": error: "), 1); /* each cycle once */
  pactum_string_free(d);
}

static void test_commitments(void **state) {
  (void)state;
  assert_first_error(BASE "commitment m { owed_by a owed_to b what \"w\" total 5 unit \"u\" counted from ev.amount"
                          " quote s \"x\" }\n",
                     "t.pact:9:78: error: field 'ev.amount' must be an integer to count toward 'm'");
  assert_first_error(BASE "commitment m { owed_to b what \"w\" total $5 counted from ev.amount quote s \"x\" }\n",
                     "t.pact:9:12: error: commitment 'm' has no 'owed_by'");
  assert_first_error(BASE "commitment m { owed_by a owed_to b total $0 counted from ev.amount quote s \"x\" }\n",
                     "t.pact:9:42: error: commitment 'm' must owe a positive total");
  assert_first_error(BASE "commitment m { owed_by a owed_to b total $5 counted from ev.zz quote s \"x\" }\n",
                     "t.pact:9:61: error: unknown field 'zz' of event 'ev'");
  assert_first_error(BASE "commitment m { owed_by a owed_to b total $5 counted from ev.amount }\n",
                     "t.pact:9:12: error: commitment 'm' has no citation: add quote SOURCE \"verbatim text\"");
  assert_first_error(BASE "fact f = 1 { }\n", "t.pact:9:6: error: fact 'f' has no citation: add quote SOURCE \"verbatim text\"");
}

static void test_every_error_reported(void **state) {
  (void)state;
  /* Three independent errors, in three different checker passes. */
  char *d = unit_load_err(BASE "permission p { principal zz action act quote s \"x\" }\n"
                               "state s2: string = \"x\"\n"
                               "party a\n");
  assert_int_equal(unit_count(d, ": error: "), 3);
  assert_non_null(strstr(d, "t.pact:9:26: error: unknown party 'zz'\n"));
  assert_non_null(strstr(d, "t.pact:10:7: error: state variable 's2' cannot be a string; use an enum\n"));
  assert_non_null(strstr(d, "t.pact:11:7: error: duplicate party 'a'\n"));
  pactum_string_free(d);
  /* Several errors inside one clause. */
  d = unit_load_err(BASE "prohibition x { principal a action act when zz requires resource.r exception to nope }\n");
  assert_int_equal(unit_count(d, ": error: "), 4); /* zz, requires, nope, no citation */
  pactum_string_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clean),        cmocka_unit_test(test_summary),
      cmocka_unit_test(test_names),        cmocka_unit_test(test_types),
      cmocka_unit_test(test_declarations), cmocka_unit_test(test_clauses),
      cmocka_unit_test(test_commitments),  cmocka_unit_test(test_every_error_reported),
      cmocka_unit_test(test_ordering_message), cmocka_unit_test(test_duplicate_clause_note),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
