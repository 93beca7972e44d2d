/*
** verify.h: static verification of an agreement over its decision space (space.h), and
** queries in the style of Cedar's analyzer. Used by `pactum verify` (cli_analysis.c);
** docs/verify.md describes the method and its limits.
*/
#ifndef PACTUM_VERIFY_H
#define PACTUM_VERIFY_H

#include "agreement.h"
#include "buf.h"

/*
** Explore agr's decision space and append the report to out, as text or JSON. *nfindings
** receives the number of findings (conflicts, gaps, dead clauses, shadowed exceptions,
** windows that never open). Returns 0, or -1 when out of memory.
*/
int verify_report(const pactum_agreement *agr, const char *label, int as_json, buf *out, int *nfindings /* OUT */);

typedef enum verify_query_kind { VQ_CAN, VQ_ALWAYS, VQ_NEVER } verify_query_kind;

/*
** A copy of agr with `where` added as a condition the queries can test, for principal and
** action (names). NULL on failure: *diag (malloc'd, pactum_string_free) then holds the errors,
** given as `--where:1:COL: error: ...` with the condition and a caret, or is NULL when the
** principal or action is unknown (then *why says which) or memory ran out.
*/
pactum_agreement *verify_with_where(const pactum_agreement *agr, const char *principal, const char *action,
                                    const char *where, char **diag /* OUT */, char *why, size_t why_cap);

/*
** Answer a query about (principal, action) of agr: can a request be allowed, is every request
** allowed, is none? With has_where, agr is a verify_with_where copy and only requests meeting the
** condition count. *yes receives the answer; the report, with a witness, is appended to out.
** Returns 0, or -1 when out of memory or the principal and action name no group (reported in out).
*/
int verify_query(const pactum_agreement *agr, verify_query_kind kind, const char *principal, const char *action,
                 int has_where, const char *where_text, int as_json, buf *out, int *yes /* OUT */);

#endif
