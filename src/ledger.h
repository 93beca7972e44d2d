/*
** ledger.h: the commitments ledger (`pactum ledger`): for each commitment, what has been
** counted toward it on a day, period by period, and the pace its deadline asks for.
*/
#ifndef PACTUM_LEDGER_H
#define PACTUM_LEDGER_H

#include "pactum.h"

#include <stdint.h>

/*
** The ledger of every commitment of agr on `day`, counting only the events of tl dated on or
** before it (tl may be NULL: no events). Amounts are given per calendar month (YYYY-MM), or per
** quarter (YYYY-Qn) when by_quarter is non-zero, from the first period in which an event
** counted toward the commitment through the period of `day`, empty periods included. Written
** as one line of JSON (see docs/formats.md) when as_json is non-zero, else as text tables.
**
** `day` is a day number (date.h); days outside the years 1..9999 are treated as the first or
** last day of that range. The caller owns the result and frees it with px_free (or
** pactum_string_free). NULL if memory ran out, or if a sum or difference of tl's amounts would
** leave the 64-bit range (a timeline built by events.c never holds such sums).
*/
char *ledger_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int by_quarter,
                    int as_json);

#endif
