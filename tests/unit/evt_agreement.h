/*
** evt_agreement.h: the agreement of the timeline's unit tests (test_events.c, test_timeline.c):
** four state variables (phase, flagged, level, strikes), two commitments (money_owed counted from
** pay.amount, widgets from units.n) and transitions with guards, so that events change one slot,
** several, or none.
*/
#ifndef PACTUM_EVT_AGREEMENT_H
#define PACTUM_EVT_AGREEMENT_H

static const char agreement_src[] =
    "agreement \"evt\" { version \"3\" effective 2025-01-01 }\n"
    "party a \"A\"\n"
    "party b \"B\"\n"
    "source s official \"s.txt\"\n"
    "state phase: enum { idle, active, done } = idle\n"
    "state flagged: bool = false\n"
    "state level: integer = 0\n"
    "event start { who: string }\n"
    "event finish { }\n"
    "event pay { amount: money }\n"
    "event units { n: integer }\n"
    "event mark { day: date, flag: bool, lvl: enum { low, high }, k: integer }\n"
    "event strike { }\n"
    "state strikes: enum { none, one, two } = none\n"
    "on start { require phase == idle else \"already started\" set phase = active }\n"
    "on finish { require phase == active else \"not active\" set phase = done }\n"
    "on units { set level = event.n }\n"
    "on mark { set flagged = event.flag set level = event.k when event.lvl == high }\n"
    "on strike { set strikes = one when strikes == none set strikes = two when strikes == one }\n"
    "commitment money_owed { owed_by a owed_to b what \"Pay $1000\" total $1000 counted from pay.amount deadline 2027 quote s \"pay\" }\n"
    "commitment widgets { owed_by b owed_to a what \"Ship widgets\" total 10 unit \"widgets\" counted from units.n quote s \"ship\" }\n"
    "action go by a\n"
    "permission act_active { principal a action go while phase == active quote s \"go\" }\n"
    "fact answer = 42 { unit \"things\" quote s \"f\" }\n";

/* Slots in a state row: the states in declaration order, then the commitments. */
enum { S_PHASE, S_FLAGGED, S_LEVEL, S_STRIKES, C_MONEY, C_WIDGETS, WIDTH };
enum { IDLE, ACTIVE, DONE };

#endif
