/*
** testrun.h: agreement tests, the files `pactum test` runs. X.test.jsonl, beside X.pact, holds
** one test per line: {"name", "events"?, "rejected"?, "request"?, "expect"?, "status"?}, which
** checks a decision, the status on dates, or which events are refused. The format is in
** docs/cli.md#pactum-test; testrun.c runs one file against its agreement and reports failures
** and clause coverage.
*/
#ifndef PACTUM_TESTRUN_H
#define PACTUM_TESTRUN_H

#include "agreement.h"

/* What one test file came to. */
typedef struct testrun_counts {
  int passed, failed;
  int errors;        /* lines that are not a test, or a file that could not be run at all */
} testrun_counts;

/*
** The agreement a test file belongs to: "DIR/X.test.jsonl" gives "DIR/X.pact" in *out, which
** the caller releases. -1 if test_path does not end in ".test.jsonl".
*/
int testrun_agreement_path(const char *test_path, buf *out /* OUT */);

/*
** Run every test of test_path against agr (loaded from pact_path; NULL when it could not be
** loaded, then `load_error` says why and the file counts one error). Appends to `report` the
** failures and coverage as text lines, or, with as_json, one JSON object for the file (no
** newline). Input errors (a malformed line, a duplicate name, an unknown clause) are also
** appended to `errors` as "FILE:LINE: error: ..." lines in text mode. Adds to *totals.
** Returns 0, or -1 when out of memory.
*/
int testrun_file(const pactum_agreement *agr, const char *pact_path, const char *load_error, const char *test_path,
                 int as_json, buf *report, buf *errors, testrun_counts *totals);

#endif
