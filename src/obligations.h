/*
** obligations.h: first-class obligations. An `obligation NAME { owed_by ... }` declares a duty
** that arises again and again: once per accepted triggering event (`on EVENT [when C]`), once
** per period (`every month|quarter|year from DAY [until DAY]`), or once (`at DAY`). Each
** instance has a deadline, maybe an amount, and a state on any day, computed here as a pure
** function of the agreement and the events dated on or before that day:
**
**   pending     its trigger is later than the day (a period not yet closed, an `at` day to come)
**   active      triggered, not fulfilled, and the day is on or before its due day
**   fulfilled   a fulfilling event (or payments summing to the amount) on or before the day;
**               on time when that event is dated on or before the due day, late otherwise
**   violated    the day is after its due day and it is not fulfilled
**   discharged  a discharging event came while it was neither fulfilled nor past due
**
** The timeline keeps what this needs in hidden slots (agreement.h, cobl), so every surface that
** folds events (an --events file, a store, the server's snapshots, what-if) has it for free.
*/
#ifndef PACTUM_OBLIGATIONS_H
#define PACTUM_OBLIGATIONS_H

#include "agreement.h"
#include "buf.h"

#include <stdint.h>

/*
** Instances one report lists at most (`pactum obligations`, GET /v1/obligations, status): the
** ones after it are not listed but counted, in "omitted" (text: a line saying how many). The
** work and memory of the computation itself are bounded by the record: one instance per
** triggering event, or per period up to the asked day (years 1..9999), at
** sizeof(obl_instance) bytes each (72 on x86-64), and, while an obligation with `where` is
** matched, a map of 24 bytes a slot with 2 to 4 slots per instance of it (48 to 96 bytes). The
** timeline keeps 12 bytes per hidden slot an event changes (obligations_fold): at most 48 for a
** triggering event, 36 for a fulfilling one, 12 for a discharging one.
*/
#define OBLIGATIONS_REPORT_MAX ((size_t)100000)

typedef enum obl_state { OBS_PENDING, OBS_ACTIVE, OBS_FULFILLED, OBS_VIOLATED, OBS_DISCHARGED } obl_state;

/* One instance of an obligation on the asked day. Days are day numbers (date.h); DAY_MAX: none. */
typedef struct obl_instance {
  int64_t owed;         /* the amount owed (has_owed), else 0 */
  int64_t paid;         /* what fulfilling events counted toward it (or owed, once fulfilled, without `counting`) */
  int64_t key;          /* the value `where ... == trigger.G` matches: the trigger's field, or the period's number */
  int64_t trigger_seq;  /* the triggering event's seq; 0 for a dated trigger */
  int64_t pos;          /* the triggering event's position in the timeline (1-based); 0 for a dated trigger */
  int32_t obl;          /* index into agr->obligs */
  int32_t number;       /* 1, 2, ... in trigger order within its obligation */
  int32_t trigger;      /* the trigger's day: the event's date, the period's last day, or the `at` day */
  int32_t due;          /* the deadline: the last day on which fulfilling is on time */
  int32_t fulfilled;    /* the day it was fulfilled, or DAY_MAX */
  int32_t discharged;   /* the day it was discharged, or DAY_MAX */
  int32_t next_same;    /* (during the computation) the next instance with the same key, or -1 */
  uint8_t has_owed;
  uint8_t state;        /* obl_state */
  uint8_t on_time;      /* OBS_FULFILLED: fulfilled on or before the due day */
} obl_instance;

/* The instances of every obligation on one day, in declaration order, then trigger order. */
typedef struct obligations_list {
  int32_t day;
  obl_instance *v;
  size_t n, cap;
  int64_t *unmatched;        /* [nobligs] fulfilling events that found no open instance to count toward */
  int64_t *unmatched_amount; /* [nobligs] and what they counted (with `counting`) */
} obligations_list;

/*
** Compute every instance of every obligation of agr and its state on `day`, from the events of tl
** dated on or before it (tl may be NULL: no events). out is the caller's, filled here and released
** with obligations_release (also after a failure). Returns PACTUM_OK; PACTUM_ENOMEM
** ("out_of_memory"), or PACTUM_EINPUT ("overflow") when what is paid toward one instance would
** leave the 64-bit range.
**
** How fulfilling events find their instance: with `where event.F == trigger.G`, the oldest
** instance with that key that is neither fulfilled nor discharged (with `counting`, once all are,
** the latest one with that key takes the excess); without `where`, the oldest instance triggered
** on or before the event that is neither fulfilled nor discharged. An event that finds none is
** counted in out->unmatched. A discharging event (the first one counts) discharges every instance
** then neither fulfilled nor past due; later instances of an `on` or `at` obligation are
** discharged when they arise, and an `every` obligation has no instance after it.
*/
int obligations_compute(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day,
                        obligations_list *out /* OUT */, pactum_error *err);
void obligations_release(obligations_list *l);

/* The word of a state: "pending", "active", "fulfilled", "violated", "discharged". */
const char *obligations_state_word(int state);

/*
** Append to b the JSON array of the first `limit` instances of l, each
** {"id","instance","state","due","owed","paid","unit","owed_by","owed_to","trigger","trigger_seq",
** "fulfilled_on","on_time","discharged_on"}; returns how many instances were left out.
*/
size_t obligations_put_json(buf *b, const pactum_agreement *agr, const obligations_list *l, size_t limit);

/*
** The whole report on `day` (`pactum obligations`, GET /v1/obligations): as JSON
** {"date","agreement":{"id","version"},"obligations":[...],"omitted":N,"unmatched":[...]}, or as
** text. The caller frees it with px_free. NULL when memory ran out or a sum overflowed (err says
** which; err may be NULL).
*/
char *obligations_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int as_json,
                         pactum_error *err);

/*
** events.c: fold event ei (its fields, then its seq at fields[nfields]) into the hidden slots of
** `after`, the row being built; env is the state before the event, for a trigger's `when`.
*/
void obligations_fold(const pactum_agreement *agr, int ei, const int64_t *fields, const xenv *env, int64_t *after);

/*
** day + count units, for a relative deadline: days and weeks as days; months and years keep the
** day of the month, clamped to the month's last day (2027-01-31 + 1 month = 2027-02-28);
** business days count Monday to Friday, not the start day. Clamped to 9999-12-31. (date.c's
** date_add does the arithmetic.)
*/
int32_t obligations_date_add(int32_t day, int64_t count, obl_unit unit);

#endif
