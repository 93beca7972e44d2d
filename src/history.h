/*
** history.h: the versions of one agreement, in the order they superseded one another.
**
** A history manifest (`.history`, see docs/formats.md#history-manifest) lists the versions of
** one agreement, oldest first, each with its version name, its effective date and its `.pact`
** file. Loading it compiles every version and checks the chain: each file is the agreement and
** version the manifest says, takes effect on the date it says, and (after the first) supersedes
** the entry before it; effective dates strictly increase.
**
** The version in effect on a day is the latest whose effective date is on or before it. A day
** before the first version has none: history_pick_request refuses it with the error code
** "no_version".
*/
#ifndef PACTUM_HISTORY_H
#define PACTUM_HISTORY_H

#include "agreement.h"

typedef struct history_version {
  const char *version;     /* as the manifest names it (and the file declares it) */
  int32_t effective;
  const char *file;        /* the .pact path, resolved against the manifest's directory */
  pactum_agreement *agr;   /* owned by the history */
} history_version;

typedef struct history {
  arena ar;                /* the manifest's copy, strings and the versions array */
  const char *file;        /* the manifest's path */
  const char *id;          /* the agreement id every version shares */
  int n;
  history_version *v;      /* [n], oldest first */
} history;

/*
** Load the manifest at path and every agreement it lists. On success *out is a new history
** owned by the caller (free it with history_free) and PACTUM_OK is returned. On failure *out is
** NULL, the return is PACTUM_EINPUT (a bad manifest or agreement), PACTUM_EIO (a file cannot be
** read) or PACTUM_ENOMEM, and *diag, when diag is not NULL, is a px_malloc'd text of every error
** (`file:line:col: error: ...` with the line and a caret) that the caller frees with
** pactum_string_free.
*/
int history_load(const char *path, history **out /* OUT */, char **diag /* OUT */);
void history_free(history *h);

/* The index of the version in effect on day, or -1 if day is before the first version. */
int history_at(const history *h, int32_t day);

/*
** The first day after version k's: the next version's effective date, or DAY_MAX for the last.
** A decision by version k holds at most until then.
*/
int32_t history_until(const history *h, int k);

/*
** Decide req with version k (its timeline tl, req filled for it) into dec, as pactum_decide
** does, then bring dec's valid_until no later than history_until(h, k).
*/
int history_decide(const history *h, int k, const pactum_timeline *tl, const pactum_request *req,
                   pactum_decision *dec /* OUT */);

/*
** Parse one JSON request, pick the version in effect on its date (context.date, else
** default_day), and fill reqs[that index] from it. reqs holds one request per version, each
** made for that version's agreement. Returns PACTUM_OK and sets *version, or an error code with
** *err filled: the request's own errors as pactum_request_parse_json gives them, or "no_version"
** for a date before the first version.
*/
int history_pick_request(const history *h, pactum_request **reqs, const char *json, size_t len,
                         int32_t default_day, int *version /* OUT */, pactum_error *err /* OUT */);

/*
** Fold one JSON event, whose seq is seq (see timeline_append_line), into the timeline of every
** version that declares its type (tls[i] is version i's); its "recorded_by" is read as a claim,
** by each version's parties and bodies. A record-level event is skipped. A type no version
** declares is refused ("unknown_event"). On another refusal *version says which version refused;
** the timelines already folded keep the event, so the caller should stop. Returns PACTUM_OK or
** an error code with *err filled.
*/
int history_append_event(const history *h, pactum_timeline **tls, const char *json, size_t len, int64_t seq,
                         int *version /* OUT */, pactum_error *err /* OUT */);

#endif
