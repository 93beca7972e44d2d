/*
** pactum.h: the public interface of libpactum.
**
** pactum makes a business agreement executable. An agreement is a `.pact` file; loading
** it yields an immutable, compiled pactum_agreement. Events (declarations, verdicts,
** purchases) are folded into a pactum_timeline, which can answer "what was the state on
** day D". A pactum_request is decided against both into a pactum_decision.
**
** Ownership, in one place:
**  - Every pactum_*_new / pactum_agreement_load* result is owned by the caller and released
**    with the matching pactum_*_free. Passing NULL to a _free function is a no-op.
**  - Strings returned as `char *` (diagnostics, JSON) are malloc'd and owned by the caller;
**    release them with pactum_string_free.
**  - Strings returned as `const char *` belong to the object they came from and live as long
**    as it does. Clause texts and ids belong to the agreement.
**  - A timeline, request or decision borrows its agreement: free them before the agreement.
**
** Thread safety: a loaded agreement is immutable and may be shared by any number of
** threads. A timeline may be read concurrently once no thread appends to it. Requests and
** decisions belong to one thread at a time.
**
** Return codes: functions returning int give PACTUM_OK (0) on success and a negative
** PACTUM_E* code on failure.
*/
#ifndef PACTUM_H
#define PACTUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PACTUM_BUILDING) && defined(__GNUC__)
#define PACTUM_API __attribute__((visibility("default")))
#else
#define PACTUM_API
#endif

#define PACTUM_VERSION "0.1.0"

/* Return codes. */
#define PACTUM_OK 0
#define PACTUM_EINPUT (-1)    /* the input (file, JSON, request, event) is invalid */
#define PACTUM_ENOMEM (-2)    /* an allocation failed; nothing was changed */
#define PACTUM_EIO (-3)       /* a file could not be read */
#define PACTUM_EINTERNAL (-4) /* a bug in pactum */

typedef struct pactum_agreement pactum_agreement;
typedef struct pactum_timeline pactum_timeline;
typedef struct pactum_request pactum_request;
typedef struct pactum_decision pactum_decision;

/*
** An error about one input: a JSON line, a request, an event. `code` is a short stable
** identifier ("bad_json", "unknown_action", "guard_failed", ...) and `message` a lowercase
** sentence naming the subject in quotes. Filled by the function that fails; caller-owned.
*/
typedef struct pactum_error {
  char code[32];
  char message[480];
} pactum_error;

/* ---- Agreements -------------------------------------------------------------------- */

/*
** Load, check and compile an agreement. On success *out is a new agreement owned by the
** caller. On failure *out is NULL and, if diag is not NULL, *diag is a malloc'd text with
** every error found, each as "file:line:col: error: message", the source line, and a caret
** (free with pactum_string_free). `name` is the file name used in messages.
*/
PACTUM_API int pactum_agreement_load_file(const char *path, pactum_agreement **out /* OUT */,
                                          char **diag /* OUT */);
PACTUM_API int pactum_agreement_load_buffer(const char *name, const char *src, size_t len,
                                            pactum_agreement **out /* OUT */,
                                            char **diag /* OUT */);
PACTUM_API void pactum_agreement_free(pactum_agreement *agr);

/* Header fields; owned by the agreement. */
PACTUM_API const char *pactum_agreement_id(const pactum_agreement *agr);
PACTUM_API const char *pactum_agreement_version(const pactum_agreement *agr);
PACTUM_API const char *pactum_agreement_title(const pactum_agreement *agr);

/* Counts, as printed by `pactum check`. */
typedef struct pactum_summary {
  int parties, sources, actions, attributes, states, events, transitions;
  int clauses, permissions, prohibitions, obligations, exceptions, commitments, facts;
} pactum_summary;
PACTUM_API void pactum_agreement_summary(const pactum_agreement *agr,
                                         pactum_summary *out /* OUT */);

/* ---- Timelines: events folded into state ------------------------------------------ */

/* A new timeline holding only the initial state. Caller owns it. */
PACTUM_API pactum_timeline *pactum_timeline_new(const pactum_agreement *agr);
PACTUM_API void pactum_timeline_free(pactum_timeline *tl);

/*
** Validate one event (a JSON object {"type":T,"date":D,...fields}) and fold it in. The
** event must not be dated before the last one accepted. On failure the timeline is
** unchanged and *err says why (code "guard_failed" carries the agreement's own reason,
** "bad_reference" a ref field that names no earlier event of its type).
**
** The event's seq, which later events' ref fields name and its own `event.seq` reads, is the
** number of events accepted so far + 1 (so 1, 2, 3 ... when none is refused). The members
** "signatures" and "nonce" are passed over unverified; "recorded_by", an array of at most 64
** signer names (a party id, or BODY.MEMBER), is taken unverified as who recorded the event,
** which `recorded by` conditions read. Reads json; allocates nothing the caller owns.
*/
PACTUM_API int pactum_timeline_append_json(pactum_timeline *tl, const char *json, size_t len,
                                           pactum_error *err /* OUT */);

/*
** The same, with the event's seq given (a positive number, such as its seq in a store or
** its position in a file): for folding a record whose seqs are not 1, 2, 3 ... Seqs need
** not increase, and are not checked for uniqueness: a ref names the last event folded with
** that seq.
*/
PACTUM_API int pactum_timeline_append_seq(pactum_timeline *tl, const char *json, size_t len,
                                          int64_t seq, pactum_error *err /* OUT */);

/* Number of events accepted so far. */
PACTUM_API size_t pactum_timeline_count(const pactum_timeline *tl);

/*
** The state on `day` (events dated on or before it) as a JSON object:
** {"date":..,"state":{..},"commitments":[..],"facts":{..},"clauses":[..]}.
** Caller frees the result with pactum_string_free. NULL on allocation failure.
*/
PACTUM_API char *pactum_status_json(const pactum_agreement *agr, const pactum_timeline *tl,
                                    int32_t day);

/* ---- Requests ---------------------------------------------------------------------- */

/* A reusable request buffer sized for this agreement. Caller owns it. */
PACTUM_API pactum_request *pactum_request_new(const pactum_agreement *agr);
PACTUM_API void pactum_request_free(pactum_request *req);

/*
** Fill req from a request JSON object. Missing attributes take their defaults. If the
** request gives no date, `default_day` is used; pass PACTUM_NO_DAY to make the date
** required. On failure *err says what was wrong and req is left unusable until refilled.
*/
#define PACTUM_NO_DAY INT32_MIN
PACTUM_API int pactum_request_parse_json(pactum_request *req, const char *json, size_t len,
                                         int32_t default_day, pactum_error *err /* OUT */);

/*
** The request's "id" as compact JSON text (a string or an integer), or NULL if it has none.
** *len receives its length. Owned by req; valid until req is refilled or freed.
*/
PACTUM_API const char *pactum_request_id_json(const pactum_request *req, size_t *len /* OUT */);

/*
** Build a request without JSON: set principal, action and day, then attributes by name
** ("resource.x" or "context.x"). Attributes left unset take their defaults; an attribute
** with no default must be set before deciding.
*/
PACTUM_API int pactum_request_init(pactum_request *req, const char *principal,
                                   const char *action, int32_t day, pactum_error *err);
PACTUM_API int pactum_request_set_bool(pactum_request *req, const char *attr, int v,
                                       pactum_error *err);
/*
** set_int takes whole units: dollars for money, units for a decimal. set_string also takes money
** and decimals as exact decimal text ("0.004"), and durations as "30 days".
*/
PACTUM_API int pactum_request_set_int(pactum_request *req, const char *attr, int64_t v,
                                      pactum_error *err);
PACTUM_API int pactum_request_set_string(pactum_request *req, const char *attr, const char *v,
                                         pactum_error *err);

/* ---- Decisions --------------------------------------------------------------------- */

typedef enum pactum_outcome {
  PACTUM_ALLOW = 0,
  PACTUM_DENY = 1,
  PACTUM_NOT_APPLICABLE = 2,
  PACTUM_CONFLICT = 3
} pactum_outcome;

/* A reusable decision buffer sized for this agreement. Caller owns it. */
PACTUM_API pactum_decision *pactum_decision_new(const pactum_agreement *agr);
PACTUM_API void pactum_decision_free(pactum_decision *dec);

/*
** Decide req against agr and the events of tl dated on or before the request's day (tl
** may be NULL: no events). Pure: the same inputs give the same decision. Does not allocate.
** Returns PACTUM_OK, or PACTUM_EINPUT if a required attribute was never set or a clause's
** arithmetic failed (overflow, division by zero: see pactum_decision_error).
*/
PACTUM_API int pactum_decide(const pactum_agreement *agr, const pactum_timeline *tl,
                             const pactum_request *req, pactum_decision *dec /* OUT */);
/*
** Why the last pactum_decide on dec gave PACTUM_EINPUT, into err: code "overflow" or
** "division_by_zero" with a message naming the clause and quoting its expression, or
** "missing_attribute" when no arithmetic failed (an attribute without a default was not given).
** Returns the same PACTUM_EINPUT, for `return pactum_decision_error(dec, err);`.
*/
PACTUM_API int pactum_decision_error(const pactum_decision *dec, pactum_error *err /* OUT */);

PACTUM_API pactum_outcome pactum_decision_outcome(const pactum_decision *dec);
PACTUM_API const char *pactum_outcome_name(pactum_outcome o);

/* The determining clauses; ids, kinds and texts are owned by the agreement. */
PACTUM_API size_t pactum_decision_determining_count(const pactum_decision *dec);
PACTUM_API const char *pactum_decision_determining_id(const pactum_decision *dec, size_t i);

/*
** Append the decision as one JSON object (the documented Decision format, no newline) to
** buf, which has room for cap bytes. Returns the length written, or the length needed if
** it is >= cap (then buf holds nothing useful), like snprintf.
*/
PACTUM_API size_t pactum_decision_to_json(const pactum_decision *dec, char *buf, size_t cap);

/*
** The readable trace of how req was decided: every clause considered, which conditions
** held, which exceptions fired, the quoted text, the outcome. As text, or as JSON when
** as_json is non-zero. Caller frees with pactum_string_free. NULL on allocation failure.
*/
PACTUM_API char *pactum_explain(const pactum_agreement *agr, const pactum_timeline *tl,
                                const pactum_request *req, int as_json);

/* ---- Dates and strings ------------------------------------------------------------- */

/* Parse "YYYY-MM-DD" (a real day, years 1..9999) into days since 1970-01-01. */
PACTUM_API int pactum_day_parse(const char *s, size_t len, int32_t *day /* OUT */);
/* Format a day as "YYYY-MM-DD" into buf (at least 11 bytes). */
PACTUM_API void pactum_day_format(int32_t day, char *buf /* OUT */);

PACTUM_API void pactum_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif /* PACTUM_H */
