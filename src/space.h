/*
** space.h: the decision space of one agreement, or of two side by side (for diff), as a
** finite set of points that pactum verify and pactum diff enumerate; pactum whatif takes its
** generated requests from the attribute combinations (space_combo_json).
**
** A point is a request (principal, action, one value per attribute) on a day, after a
** history of events. Every domain is finite:
**  - bools and enums take every value;
**  - a string attribute takes every string a clause compares it with, its default, and one
**    string no clause mentions (the class of all other strings);
**  - integers, money and dates take k-1, k and k+1 for every constant k a clause compares
**    them with, and their default (dates also every segment's first day and its neighbours);
**  - days are cut into segments at every boundary the agreements mention (effective dates,
**    from, the day after through, every date a condition or transition compares with); a
**    segment is represented by its first day, and nothing before the earliest effective date
**    is explored;
**  - states are those reachable by events from the initial state, found breadth first
**    with event fields drawn from the same kind of representatives, each labelled with the
**    first segment on which some history of events dated up to it reaches it.
** With two agreements, requests and events are built by name from the union of the two
** vocabularies and given to each agreement in the part it knows (see docs/verify.md).
**
** Every decision goes through pactum_request_parse_json and pactum_decide, so a point is
** decided exactly as `pactum decide` would decide it.
*/
#ifndef PACTUM_SPACE_H
#define PACTUM_SPACE_H

#include "agreement.h"
#include "buf.h"

#include <stdint.h>

#define SPACE_MAX_SIDES 2
#define SPACE_MAX_STATES 1024          /* reachable states kept */
#define SPACE_MAX_EVENT_INSTANCES 256  /* field combinations tried per event type */
#define SPACE_MAX_TRANSITIONS 200000   /* events tried while searching for states */
#define SPACE_MAX_COMBOS 250000        /* attribute combinations per (principal, action) */
#define SPACE_MAX_POINTS 50000000      /* decisions per walk */
#define SPACE_MAX_WORK 200000000       /* clause visits (and request parses) over all walks */

/* A set of distinct JSON literals (each malloc'd). */
typedef struct space_vals {
  int n, cap;
  char **v;
} space_vals;

typedef struct space_attr {
  char *qname;         /* "context.cloud" */
  space_vals vals;
} space_attr;

typedef struct space_group {
  char *principal, *action;
  int present[SPACE_MAX_SIDES]; /* side s has this action with this principal */
  int nclauses[SPACE_MAX_SIDES];
  int exhaustive;      /* side 0 declares the action exhaustive */
  int nattrs;
  space_attr *attrs;
  uint64_t ncombos;    /* the product of the attribute domains (capped) */
} space_group;

typedef struct space_state {
  int seg;             /* the first segment on which it is reachable */
  int parent;          /* the state the last event was applied to; -1 for the initial state */
  char *event;         /* that event as JSON; NULL for the initial state */
  pactum_timeline *tl[SPACE_MAX_SIDES];
} space_state;

typedef struct space {
  int nsides;
  const pactum_agreement *agr[SPACE_MAX_SIDES];
  int32_t *days;       /* the first day of each segment, ascending */
  int ndays;
  space_state *states;
  int nstates, capstates;
  const char **kinds;  /* the event types of every side, merged by name; kind k's events have seq k + 1 */
  int nkinds;
  space_group *groups;
  int ngroups;
  int incomplete;      /* a limit was reached: the space was not explored in full */
  char limit[160];     /* which one */
  char approx[200];    /* "" or why the classes may not cover every request (docs/verify.md#limits) */
  uint64_t points;     /* decisions made by the last walk */
  uint64_t work;       /* clause visits so far, over all walks (bounded by SPACE_MAX_WORK) */
  pactum_request *req[SPACE_MAX_SIDES];
  pactum_decision *dec[SPACE_MAX_SIDES];
  buf json[SPACE_MAX_SIDES]; /* the current point's request, per side */
} space;

typedef struct space_point {
  int group;
  uint64_t combo;
  int seg, state;
  int ok[SPACE_MAX_SIDES];                 /* the request is valid in side s */
  const pactum_decision *dec[SPACE_MAX_SIDES]; /* its decision there, when ok */
} space_point;

/*
** Build the space of agrs[0..nsides) (borrowed; they must outlive sp). 0 on success; -1
** when out of memory (sp is then released). The caller releases sp with space_release.
*/
int space_init(space *sp /* OUT */, const pactum_agreement *const *agrs, int nsides);
void space_release(space *sp);

/*
** Decide every point of group g, in order: attribute combination, then segment, then state;
** call visit on each. visit returns 0 to go on, 1 to stop the walk early, -1 on failure.
** Returns 0, or -1 on failure (out of memory, or visit's -1). When a limit is reached the walk
** stops early and sp->incomplete is set.
*/
typedef int (*space_visit)(space *sp, const space_point *pt, void *user);
int space_walk(space *sp, int g, space_visit visit, void *user);

/* The request of pt (as side 0 sees it, or side s when only it knows the action) with its date, as JSON. */
void space_request_json(const space *sp, const space_point *pt, buf *out);
/*
** The request of attribute combination `combo` (0 <= combo < ncombos) of group g, without a date,
** as JSON appended to out: the attributes side 0 declares (side 1's when only it knows the
** action). Combinations are numbered with the first attribute varying fastest.
*/
void space_combo_json(const space *sp, int g, uint64_t combo, buf *out);
/* The events leading to state i, as a JSON array (oldest first). */
void space_events_json(const space *sp, int state, buf *out);
/* The state variables of side s in state i, as "a = x, b = y" ("" when there are none). */
void space_state_text(const space *sp, int side, int state, buf *out);
/* The group index of (principal, action), or -1. */
int space_find_group(const space *sp, const char *principal, const char *action);

#endif
