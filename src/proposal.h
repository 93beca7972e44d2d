/*
** proposal.h: an event a body records by the votes of its members, over HTTP.
**
** A body's member who posts an event with the server's bearer token casts one vote for that
** event, identified by the SHA-256 of its canonical JSON. The vote is kept (in the store, so
** every server on the store counts it) until it expires; when the votes of distinct members
** reach the body's quorum, the event is recorded, its "recorded_by" naming the voters, and the
** votes are dropped. One member's token is never more than one member: a quorum of 3 needs 3
** members' tokens. Every vote is checked first against the record as it stands (signatures,
** replay, fields, date order, guards), so a vote for an event the record would refuse is
** refused at once.
*/
#ifndef PACTUM_PROPOSAL_H
#define PACTUM_PROPOSAL_H

#include "record.h"

#include <jansson.h>

/* Proposals one voter may have pending at once: a member cannot flood the store with them. */
#define PROPOSAL_MAX_PENDING 64

typedef struct proposal_result {
  int recorded;          /* 1: the quorum was reached and the event recorded at seq */
  int64_t seq;
  char id[HASH_HEX];     /* the proposal */
  char body[64];         /* the body voted in */
  int votes, needed;     /* distinct members in favour, and the quorum */
  int64_t expires;       /* when this vote lapses (Unix seconds) */
} proposal_result;

/*
** 1 if an event of type from caller is decided by votes: type is an agreement event recorded
** by a body with a quorum above one, of which caller (BODY.MEMBER) is a member, and the store
** does not require signatures (where it does, the members' signatures decide).
*/
int proposal_applies(const record *r, const char *caller, const char *type);

/*
** voter votes for the event text (unsigned: a signed event needs no votes) at time now (Unix
** seconds); the vote lapses after ttl seconds. All under the store's write lock: expired votes
** are dropped, the event is checked, the vote kept, and when the quorum is reached the event is
** recorded and its votes dropped. On a refusal nothing changes.
*/
int proposal_vote(record *r, const char *voter, const char *text, size_t len, int64_t now, int64_t ttl,
                  proposal_result *out /* OUT */, pactum_error *err);

/*
** The pending proposals at time now, as a new JSON array (the caller's):
**   [{"id","body","needed","event":{...},"votes":[{"voter","voted","expires"}...]}, ...]
*/
int proposal_list(record *r, int64_t now, json_t **out /* OUT */, pactum_error *err);

#endif
