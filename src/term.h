/*
** term.h: the agreement's term (the `term` block; docs/language.md#term). check.c turns a term
** that events can end early into the state variable TERM_STATE and a window on every clause that
** does not survive; compile.c bounds those clauses by the term's days (term_bound_clause); events.c
** folds the events that end the term or give notice of non-renewal into TERM_STATE (term_fold).
*/
#ifndef PACTUM_TERM_H
#define PACTUM_TERM_H

#include "ast.h"

#include <stdint.h>

/* The state variable that holds the first day out of the term, or none (DAY_MAX) while no end is known. */
#define TERM_STATE "term_over_from"
/* The largest count of a renewal or notice period. */
#define TERM_MAX_COUNT 100000

struct pactum_agreement;

/*
** day plus count units (count may be negative). Months and years keep the day of the month,
** clamped to the last day of the month reached (2027-01-31 + 1 month = 2027-02-28); days and
** weeks are 1 and 7 days. A result after 9999-12-31 is DAY_MAX, before 0001-01-01 DAY_MIN.
** (Stream N's date_add will replace this; the rule is the same.)
*/
int32_t term_date_add(int32_t day, int64_t count, term_unit unit);
/* Fill agr->term from the checked tree f (after the state variables and event types are compiled). */
void term_compile(struct pactum_agreement *agr, const ast_file *f);
/* Narrow a clause's window [*from, *through] to the term's days (a clause that survives is not passed). */
void term_bound_clause(const struct pactum_agreement *agr, int32_t *from /* IN/OUT */, int32_t *through /* IN/OUT */);
/*
** The term's part of folding an event of type ev dated day: an event that terminates the
** agreement makes day the first day out of the term; a notice of non-renewal ends the term at the
** end of the first period whose notice deadline it meets. after is the state after the event's
** own statements; the term's slot only ever moves earlier.
*/
void term_fold(const struct pactum_agreement *agr, int ev, int32_t day, int64_t *after);
/* The first day out of the term when a notice of non-renewal is given on day (DAY_MAX: never). */
int32_t term_notice_ends(const struct pactum_agreement *agr, int32_t day);

#endif
