/*
** term.c: the agreement's term (see term.h): its date arithmetic, its compiled form, the bounds
** it puts on clauses, and the state its events fold.
*/
#include "term.h"
#include "agreement.h"
#include "date.h"

#include <string.h>
#include "banned.h"

int32_t term_date_add(int32_t day, int64_t count, term_unit unit) {
  const int64_t first = date_from_ymd(DATE_MIN_YEAR, 1, 1), last = date_from_ymd(DATE_MAX_YEAR, 12, 31);
  if (count > TERM_MAX_COUNT * (int64_t)100 || count < -TERM_MAX_COUNT * (int64_t)100)
    return count > 0 ? DAY_MAX : DAY_MIN; /* beyond the calendar whatever the unit */
  if (unit == TU_DAY || unit == TU_WEEK) {
    int64_t d = (int64_t)day + count * (unit == TU_WEEK ? 7 : 1);
    return d > last ? DAY_MAX : d < first ? DAY_MIN : (int32_t)d;
  }
  int y, m, dd;
  date_to_ymd(day, &y, &m, &dd);
  int64_t months = (int64_t)y * 12 + (m - 1) + count * (unit == TU_YEAR ? 12 : 1);
  if (months < (int64_t)DATE_MIN_YEAR * 12) return DAY_MIN;
  if (months > (int64_t)DATE_MAX_YEAR * 12 + 11) return DAY_MAX;
  int ny = (int)(months / 12), nm = (int)(months % 12) + 1;
  while (dd > 28 && !date_valid(ny, nm, dd)) dd--; /* clamp to the month's last day */
  return date_from_ymd(ny, nm, dd);
}

void term_compile(pactum_agreement *agr, const ast_file *f) {
  cterm *t = &agr->term;
  memset(t, 0, sizeof *t);
  t->slot = t->ended_by = t->notice_event = -1;
  const term_decl *d = f->term;
  if (!d) return;
  t->present = 1;
  t->start = d->from; /* check.c made it the effective date when the term says so or says nothing */
  t->until = d->has_until ? d->until : DAY_MAX;
  t->renews = d->renews;
  t->every = d->every.count;
  t->every_unit = d->every.unit;
  t->notice = d->notice.count;
  t->notice_unit = d->notice.unit;
  t->ended_by = d->ended_by.name ? d->ended_by.index : -1;
  t->notice_event = d->renews ? d->notice_event.index : -1;
  for (int s = 0; s < agr->nstates; s++)
    if (strcmp(agr->states[s].name, TERM_STATE) == 0) t->slot = s;
}

void term_bound_clause(const pactum_agreement *agr, int32_t *from, int32_t *through) {
  const cterm *t = &agr->term;
  if (!t->present) return;
  if (*from < t->start) *from = t->start;
  if (!t->renews && *through > t->until) *through = t->until;
}

/* The first day after the k-th renewal period (k = 0: the first period), DAY_MAX past the calendar. */
static int32_t period_after(const cterm *t, int64_t k) {
  if (t->until >= date_from_ymd(DATE_MAX_YEAR, 12, 31)) return DAY_MAX;
  return term_date_add(t->until + 1, k * t->every, t->every_unit);
}

/* The last day on which notice ending the term after the k-th period may be given, or DAY_MIN. */
static int32_t notice_deadline(const cterm *t, int64_t k) {
  int32_t after = period_after(t, k);
  if (after == DAY_MAX) return DAY_MAX;
  return term_date_add(after - 1, -t->notice, t->notice_unit);
}

int32_t term_notice_ends(const pactum_agreement *agr, int32_t day) {
  const cterm *t = &agr->term;
  /* Deadlines never decrease with k: find the first period whose deadline is on or after day. */
  int64_t lo = 0, hi = 4000000; /* every period is at least one day: past hi, the calendar has ended */
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (notice_deadline(t, mid) >= day) hi = mid;
    else lo = mid + 1;
  }
  return period_after(t, lo);
}

void term_fold(const pactum_agreement *agr, int ev, int32_t day, int64_t *after) {
  const cterm *t = &agr->term;
  if (t->slot < 0) return;
  int64_t *over = &after[t->slot];
  if (ev == t->ended_by && day < *over) *over = day;
  if (ev == t->notice_event) {
    int32_t end = term_notice_ends(agr, day);
    if (end < *over) *over = end;
  }
}
