/*
** whatif.h: what changes if some events are added to an agreement's record. whatif.c folds the
** baseline events and the baseline with the hypothetical events merged in (by date), then
** compares the two: state, commitments, clauses in effect and decisions, on one day or on every
** stretch of days where they differ. Used by `pactum whatif` and `POST /v1/whatif`.
*/
#ifndef PACTUM_WHATIF_H
#define PACTUM_WHATIF_H

#include "agreement.h"

#include <jansson.h>
#include <stdint.h>

/* Requests generated per (principal, action) at most; the rest are left out and counted. */
#define WHATIF_MAX_PER_ACTION 4096

/*
** Parse the --add mini-syntax `TYPE [VALUE | FIELD=VALUE]... DATE` into a new event object
** {"type","date",fields...} owned by the caller. Positional values fill the fields not named,
** in declared order; values are read by the field's type (a ref field's is a seq). The word
** `recorded_by=NAME,NAME...` gives the event's "recorded_by" claim. NULL with *err set on bad
** input (or out of memory, code "out_of_memory").
*/
json_t *whatif_parse_add(const pactum_agreement *agr, const char *text, pactum_error *err /* OUT */);

struct store;
/*
** The events of a store with seq <= upto, in order, without the record's own events (key
** registrations and the like): *events gets a new array of event objects, *labels a new array of
** "seq N" strings and *seqs a new array of their seqs, all the caller's. The store's events were
** checked when they were appended (signatures too, where required).
*/
int whatif_store_events(struct store *st, int64_t upto, json_t **events /* OUT */, json_t **labels /* OUT */,
                        json_t **seqs /* OUT */, pactum_error *err /* OUT */);

/* The baseline and the hypothetical timelines. */
typedef struct whatif {
  const pactum_agreement *agr; /* borrowed */
  pactum_timeline *base, *hyp; /* owned */
  json_t *added;               /* owned: the added events, in the order folded (by date), each with its "seq" */
} whatif;

/*
** Fold base (an array of event objects, in date order; labels[i] names event i in messages, e.g.
** "events.jsonl:3"; seqs[i] is its seq, or i + 1 when seqs is NULL) into w->base, and the same
** events with `added` merged in (each added event after the baseline events of its day; added
** events sorted by date, stably) into w->hyp. Added event k (0-based, in the order given) gets
** seq last_seq + k + 1, last_seq being the baseline's last seq (at least the last of seqs). Each
** event's "recorded_by" is read as a claim. w->added holds copies of the added events, in the
** order folded, each with its "seq". Borrows base, labels, seqs and added. On a refused event,
** *err names it: an added event by its position and text, a baseline event by its label. On
** failure w holds nothing to release.
*/
int whatif_init(whatif *w, const pactum_agreement *agr, json_t *base, json_t *labels, json_t *seqs, int64_t last_seq,
                json_t *added, pactum_error *err /* OUT */);
void whatif_release(whatif *w);

/*
** One request per principal and action and per combination of the representative attribute
** values of the agreement's decision space (space.h: the values pactum verify explores), the
** first attribute varying fastest. Requests carry no date. A new array owned by the caller, NULL
** when out of memory; *left_out counts combinations beyond WHATIF_MAX_PER_ACTION.
*/
json_t *whatif_generate_requests(const pactum_agreement *agr, long *left_out /* OUT */);

/*
** Compare w->base with w->hyp over requests (an array of request objects; borrowed). With
** has_day, on `day` only (requests without a date are decided on it); otherwise on the first day
** of every stretch between the days where anything may change (events, clause bounds, the
** effective date), merging neighbouring stretches that differ alike; a request with its own date
** is decided on that day only. *out receives a new object (docs/cli.md#pactum-whatif gives its
** shape). PACTUM_EINPUT if a request is refused (err names its index), PACTUM_ENOMEM.
*/
int whatif_compare(const whatif *w, json_t *requests, int has_day, int32_t day, json_t **out /* OUT */,
                   pactum_error *err /* OUT */);

/*
** Limits on one comparison, and a hook that may stop it. Work is counted as the comparison runs:
** one unit for each stretch of days compared, each decision made and each decision difference
** listed. A decision is made again only when something it depends on changed (a state variable
** its clauses read, or a day past its valid_until), so the work is what the comparison really
** does, not stretches x requests. `work` starts at what the caller spent already (folding the
** events, say). The answer's size is counted apart: one for each change and one for each
** decision difference it lists.
*/
#define WHATIF_POLL 256       /* the stop hook is asked once every this many units of work */
#define WHATIF_OVER_WORK (-1)   /* stopped: more work than max_work */
#define WHATIF_OVER_ANSWER (-2) /* stopped: a longer answer than max_answer */
typedef struct whatif_budget {
  uint64_t max_work;        /* 0: no limit */
  uint64_t max_answer;      /* 0: no limit */
  int (*stop)(void *ctx);   /* NULL, or asked between units of work: a positive answer stops the comparison */
  void *ctx;                /* stop's */
  uint64_t work;            /* IN: work done before; OUT: work done in all */
  uint64_t answer;          /* OUT */
  int stopped;              /* OUT: 0, WHATIF_OVER_WORK, WHATIF_OVER_ANSWER, or what stop answered */
} whatif_budget;

/*
** whatif_compare within a budget (NULL: none). When the budget stops it: PACTUM_EINPUT, err's
** code "work_limit", "answer_limit" or "stopped", budget->stopped says which, and *out is NULL:
** an answer is never cut short.
*/
int whatif_compare_bounded(const whatif *w, json_t *requests, int has_day, int32_t day, whatif_budget *budget,
                           json_t **out /* OUT */, pactum_error *err /* OUT */);

/* The comparison as text for people. A new string the caller frees with px_free; NULL if out of memory. */
char *whatif_render_text(const pactum_agreement *agr, json_t *report);

#endif
