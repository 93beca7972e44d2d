/*
** body.h: a body's quorum, the one rule of when the members of a body who signed, voted or are
** named record an event for it: at least its quorum of distinct members and, for each
** `including N from GROUP`, at least N of them from that group. events.c (recorders of an
** event, for `recorded by`), sign.c (signatures), proposal.c (votes over HTTP) and space.c
** (the signers verify claims) all ask here.
*/
#ifndef PACTUM_BODY_H
#define PACTUM_BODY_H

#include <stddef.h>

struct cbody;

/* Longest text body_quorum_text writes, NUL included. */
#define BODY_TEXT_MAX 400

/* 1 if members[0..n), distinct member indices of b, are a quorum of b; else 0. */
int body_quorum_met(const struct cbody *b, const int *members, int n);
/*
** A quorum of b with few members, into out (room for b->nmembers): for each requirement in
** turn, members of its group not yet chosen, then any members up to the quorum. Returns how
** many; body_quorum_met holds for them whenever the body's quorum can be met at all.
*/
int body_quorum_example(const struct cbody *b, int *out /* OUT */);
/*
** The first requirement of b that members[0..n) leave unmet, with how many of them are from its
** group in *have; -1 when every requirement is met.
*/
int body_quorum_unmet(const struct cbody *b, const int *members, int n, int *have /* OUT */);
/* "3 of the 4 members of 'board'", with ", including 1 from vendor_side and 1 from reseller_side" when it has requirements. */
void body_quorum_text(const struct cbody *b, char *out /* OUT */, size_t cap);

#endif
