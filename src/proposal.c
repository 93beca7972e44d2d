/*
** proposal.c: events recorded by the votes of a body's members (see proposal.h).
*/
#include "proposal.h"
#include "body.h"
#include "alloc.h"
#include "error.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "banned.h"

#define fail(err, code, ...) error_set((err), PACTUM_EINPUT, (code), __VA_ARGS__)

static int oom(pactum_error *err) { return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory"); }

/* The recorder index of the body of ev that caller belongs to with a quorum above one, or -1. */
static int voting_body(const pactum_agreement *agr, int ev, const char *caller) {
  int member, b = sign_signer_body(agr, caller, &member);
  if (b < 0 || ev < 0) return -1;
  const cevent *e = &agr->events[ev];
  for (int i = 0; i < e->nrecorders; i++)
    if (e->recorders[i].is_body && e->recorders[i].index == b && agr->bodies[b].quorum > 1) return b;
  return -1;
}

int proposal_applies(const record *r, const char *caller, const char *type) {
  if (!caller || !type || r->set.require_signatures) return 0;
  return voting_body(r->agr, agreement_find_event(r->agr, type, strlen(type)), caller) >= 0;
}

typedef struct count_ctx {
  const pactum_agreement *agr;
  int body;
  signer_set voters;
  int64_t now;
} count_ctx;

static int count_vote(void *ctx, const store_vote *v) {
  count_ctx *c = ctx;
  int m;
  if (v->expires > c->now && sign_signer_body(c->agr, v->voter, &m) == c->body) signer_set_add(&c->voters, v->voter);
  return 0;
}

int proposal_vote(record *r, const char *voter, const char *text, size_t len, int64_t now, int64_t ttl,
                  proposal_result *out, pactum_error *err) {
  memset(out, 0, sizeof *out);
  json_error_t je;
  long failures = px_alloc_failures();
  json_t *ev = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!ev) return error_json(err, &je, failures);
  int rc = 0;
  size_t clen = 0;
  char *canon = NULL;
  const char *type = json_string_value(json_object_get(ev, "type"));
  int ei = type ? agreement_find_event(r->agr, type, strlen(type)) : -1;
  int body = voting_body(r->agr, ei, voter);
  if (!json_is_object(ev)) rc = fail(err, "wrong_type", "an event must be a JSON object");
  else if (json_object_get(ev, "signatures"))
    rc = fail(err, "signed_vote", "a vote is an unsigned event: an event signed by the quorum is recorded without votes");
  else if (body < 0)
    rc = fail(err, "not_allowed", "'%s' does not vote on '%s': only a member of a body that records it does",
              voter, type ? type : "");
  else if (!(canon = canon_json(ev, &clen)))
    rc = canon_has_real(ev) ? fail(err, "wrong_type", "the event holds a number with a fraction or exponent") : oom(err);
  json_decref(ev);
  if (rc) {
    px_free(canon);
    return rc;
  }
  uint8_t h[32];
  crypto_hash_sha256(h, (const unsigned char *)canon, clen);
  canon_hex(h, sizeof h, out->id);
  snprintf(out->body, sizeof out->body, "%s", r->agr->bodies[body].name);
  out->needed = r->agr->bodies[body].quorum;
  out->expires = now + ttl;

  if ((rc = record_begin(r, err))) goto done;
  const char *names[1] = {voter};
  record_caller me = {names, 1, 0};
  count_ctx cc;
  memset(&cc, 0, sizeof cc);
  cc.agr = r->agr;
  cc.body = body;
  cc.now = now;
  int64_t pending = 0;
  if ((rc = store_vote_expire(r->st, now, err)) || (rc = store_vote_count(r->st, voter, now, &pending, err)))
    goto abort;
  if (pending >= PROPOSAL_MAX_PENDING) {
    rc = fail(err, "too_many_proposals", "'%s' has %lld votes pending, the most one member may have (%d); wait for "
              "them to be decided or to lapse", voter, (long long)pending, PROPOSAL_MAX_PENDING);
    goto abort;
  }
  if ((rc = record_check(r, canon, clen, &me, NULL, err)) ||
      (rc = store_vote_put(r->st, out->id, voter, canon, clen, now, now + ttl, err)) ||
      (rc = store_vote_scan(r->st, out->id, count_vote, &cc, err)) < 0)
    goto abort;
  rc = 0;
  out->votes = cc.voters.n;
  /* The voters are distinct members of the body (count_vote keeps only those): is their set a quorum? */
  int members[sizeof cc.voters.names / sizeof cc.voters.names[0]];
  for (int i = 0; i < cc.voters.n; i++) sign_signer_body(r->agr, cc.voters.names[i], &members[i]);
  if (body_quorum_met(&r->agr->bodies[body], members, cc.voters.n)) {
    const char *voters[16];
    for (int i = 0; i < cc.voters.n; i++) voters[i] = cc.voters.names[i];
    record_caller all = {voters, cc.voters.n, 0};
    size_t bad;
    int64_t first, last;
    const char *texts[1] = {canon};
    if ((rc = record_append(r, texts, &clen, 1, NULL, 0, &all, &bad, &first, &last, err)) ||
        (rc = store_vote_drop(r->st, out->id, err)))
      goto abort;
    out->recorded = 1;
    out->seq = first;
  }
  rc = record_end(r, 1, err);
  if (rc) out->recorded = 0;
  goto done;
abort:
  record_end(r, 0, NULL);
done:
  px_free(canon);
  return rc;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of Unix seconds. */
static json_t *time_json(int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  char out[32];
  gmtime_r(&tt, &tm);
  strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return json_string(out);
}

typedef struct list_ctx {
  const pactum_agreement *agr;
  json_t *out, *cur;
  char cur_id[HASH_HEX];
  int64_t now;
  int failed;
} list_ctx;

static int list_vote(void *ctx, const store_vote *v) {
  list_ctx *c = ctx;
  if (v->expires <= c->now) return 0;
  if (!c->cur || strcmp(c->cur_id, v->id)) {
    json_t *ev = json_loadb(v->event, v->len, 0, NULL);
    const char *type = json_string_value(json_object_get(ev, "type"));
    int ei = type ? agreement_find_event(c->agr, type, strlen(type)) : -1;
    int m, body = sign_signer_body(c->agr, v->voter, &m);
    c->cur = json_pack("{s:s, s:s, s:i, s:o, s:[]}", "id", v->id, "body", body >= 0 ? c->agr->bodies[body].name : "",
                       "needed", body >= 0 && ei >= 0 ? c->agr->bodies[body].quorum : 0, "event", ev ? ev : json_null(),
                       "votes");
    if (!c->cur || json_array_append_new(c->out, c->cur)) {
      c->failed = 1;
      return 1;
    }
    snprintf(c->cur_id, sizeof c->cur_id, "%s", v->id);
  }
  json_t *one = json_pack("{s:s, s:o, s:o}", "voter", v->voter, "voted", time_json(v->voted), "expires",
                          time_json(v->expires));
  if (!one || json_array_append_new(json_object_get(c->cur, "votes"), one)) {
    c->failed = 1;
    return 1;
  }
  return 0;
}

int proposal_list(record *r, int64_t now, json_t **out, pactum_error *err) {
  *out = NULL;
  list_ctx c = {r->agr, json_array(), NULL, "", now, 0};
  if (!c.out) return oom(err);
  int rc = store_vote_scan(r->st, NULL, list_vote, &c, err);
  if (rc < 0 || c.failed) {
    json_decref(c.out);
    return rc < 0 ? rc : oom(err);
  }
  *out = c.out;
  return 0;
}
