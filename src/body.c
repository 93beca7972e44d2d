/*
** body.c: a body's quorum (see body.h).
*/
#include "body.h"
#include "agreement.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

/* How many of members[0..n) belong to group g of b. */
static int in_group_count(const cbody *b, int g, const int *members, int n) {
  int k = 0;
  for (int i = 0; i < n; i++)
    if (members[i] >= 0 && members[i] < b->nmembers && b->in_group[(size_t)g * (size_t)b->nmembers + (size_t)members[i]])
      k++;
  return k;
}

int body_quorum_unmet(const cbody *b, const int *members, int n, int *have) {
  for (int r = 0; r < b->nneeds; r++) {
    *have = in_group_count(b, b->need_group[r], members, n);
    if (*have < b->need_count[r]) return r;
  }
  *have = 0;
  return -1;
}

int body_quorum_met(const cbody *b, const int *members, int n) {
  int have;
  return n >= b->quorum && body_quorum_unmet(b, members, n, &have) < 0;
}

int body_quorum_example(const cbody *b, int *out) {
  int n = 0;
  for (int r = 0; r < b->nneeds; r++) {
    int g = b->need_group[r];
    for (int m = 0; m < b->nmembers && in_group_count(b, g, out, n) < b->need_count[r]; m++) {
      int taken = 0;
      for (int i = 0; i < n && !taken; i++) taken = out[i] == m;
      if (!taken && b->in_group[(size_t)g * (size_t)b->nmembers + (size_t)m]) out[n++] = m;
    }
  }
  for (int m = 0; m < b->nmembers && n < b->quorum; m++) {
    int taken = 0;
    for (int i = 0; i < n && !taken; i++) taken = out[i] == m;
    if (!taken) out[n++] = m;
  }
  return n;
}

void body_quorum_text(const cbody *b, char *out, size_t cap) {
  size_t at = 0;
  int w = snprintf(out, cap, "%d of the %d members of '%s'", b->quorum, b->nmembers, b->name);
  if (w < 0 || (size_t)w >= cap) return;
  at = (size_t)w;
  for (int r = 0; r < b->nneeds && at < cap; r++) {
    w = snprintf(out + at, cap - at, "%s%d from %s", r == 0 ? ", including " : r == b->nneeds - 1 ? " and " : ", ",
                 b->need_count[r], b->groups[b->need_group[r]]);
    if (w < 0) return;
    at += (size_t)w;
  }
}
