/*
** http_whatif.c: POST /v1/whatif, what changes if hypothetical events are added to the record.
** The comparison is whatif.c's; this route reads the body, takes the baseline from the store up to
** the snapshot's seq, and keeps the work within bounds: the events folded and the comparison's
** work against --max-whatif-work, the answer against --max-whatif-answer, the time against
** --whatif-deadline, and it stops as soon as its client leaves. A limit passed is an error that
** names it and its value; an answer is never cut short.
*/
#include "http_int.h"
#include "alloc.h"
#include "date.h"
#include "error.h"
#include "whatif.h"

#include <string.h>
#include "banned.h"

/* Why a comparison was stopped by the server (whatif_budget.stopped). */
enum { STOP_DEADLINE = 1, STOP_GONE = 2, STOP_SHUTDOWN = 3 };

typedef struct watch {
  server *s;
  MHD_socket fd;
  double deadline_us;
} watch;

/* The budget's stop hook: the deadline, the client, the server stopping. */
static int should_stop(void *ctx) {
  watch *w = ctx;
  if (http_pool_stopping(w->s->pool)) return STOP_SHUTDOWN;
  if (http_now_us() > w->deadline_us) return STOP_DEADLINE;
  if (http_client_gone(w->fd)) return STOP_GONE;
  return 0;
}

/* The answer for a comparison the budget stopped. */
static enum MHD_Result refuse(req *q, const whatif_budget *b) {
  server *s = q->s;
  switch (b->stopped) {
  case WHATIF_OVER_WORK:
    return http_send_limit(q, 413, ERR_TOO_LARGE, LIM_WHATIF_WORK, "work_limit", "max-whatif-work",
                           (unsigned long long)s->cfg.max_whatif_work,
                           "the comparison needs more than %llu units of work (--max-whatif-work): compare on one "
                           "'date', or fewer requests or events",
                           (unsigned long long)s->cfg.max_whatif_work);
  case WHATIF_OVER_ANSWER:
    return http_send_limit(q, 413, ERR_TOO_LARGE, LIM_WHATIF_ANSWER, "answer_limit", "max-whatif-answer",
                           (unsigned long long)s->cfg.max_whatif_answer,
                           "the answer would list more than %llu changes and decision differences "
                           "(--max-whatif-answer): compare on one 'date', or fewer requests",
                           (unsigned long long)s->cfg.max_whatif_answer);
  case STOP_DEADLINE:
    return http_send_limit(q, 503, ERR_UNAVAILABLE, LIM_WHATIF_DEADLINE, "deadline", "whatif-deadline",
                           s->cfg.whatif_deadline_s,
                           "the comparison did not end within %u seconds (--whatif-deadline): compare on one 'date', "
                           "or fewer requests or events",
                           s->cfg.whatif_deadline_s);
  case STOP_GONE:
    atomic_fetch_add(&s->limits[LIM_CLIENT_GONE], 1);
    return MHD_NO; /* no one is left to answer */
  default:
    return http_send_error(q, 503, ERR_UNAVAILABLE, "shutting_down", "the service is stopping; try again when it is back");
  }
}

/* The request's members, checked: *add, *rqs (or NULL), *has_day and *day. 0, or an error in *err. */
static int read_body(server *s, json_t *root, json_t **add, json_t **rqs, int *has_day, int32_t *day, int *status,
                     pactum_error *err) {
  const char *key;
  json_t *v;
  *status = 400;
  if (!json_is_object(root))
    return error_set(err, PACTUM_EINPUT, "wrong_type", "the body must be a JSON object {\"add\": [...]}");
  json_object_foreach(root, key, v) if (strcmp(key, "add") && strcmp(key, "date") && strcmp(key, "requests")) {
    return error_set(err, PACTUM_EINPUT, "unknown_field", "unknown member '%.64s' (the body has add, date and requests)",
                     key);
  }
  *add = json_object_get(root, "add");
  *rqs = json_object_get(root, "requests");
  json_t *jd = json_object_get(root, "date");
  if (!json_is_array(*add) || !json_array_size(*add))
    return error_set(err, PACTUM_EINPUT, "missing_field", "'add' must be a non-empty array of events");
  if (json_array_size(*add) > s->cfg.max_batch || json_array_size(*rqs) > s->cfg.max_batch) {
    *status = 413;
    return error_set(err, PACTUM_EINPUT, "batch_too_large", "'add' and 'requests' hold at most %zu items each",
                     s->cfg.max_batch);
  }
  if (jd && (!json_is_string(jd) || date_parse(json_string_value(jd), json_string_length(jd), day)))
    return error_set(err, PACTUM_EINPUT, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  *has_day = jd != NULL;
  if (*rqs && !json_is_array(*rqs)) return error_set(err, PACTUM_EINPUT, "wrong_type", "'requests' must be an array of requests");
  return 0;
}

/*
** POST /v1/whatif: {"add":[event or "TYPE VALUES... DATE", ...], "date"?: D, "requests"?: [...]}.
** The baseline is the snapshot's events, read back from the store up to the snapshot's seq.
*/
enum MHD_Result http_whatif_compare(req *q) {
  server *s = q->s;
  double started = http_now_us();
  enum MHD_Result refused;
  json_t *root = http_body_json(q, &refused);
  if (!root) return refused;
  json_t *add = NULL, *rqs = NULL, *added = NULL, *base = NULL, *labels = NULL, *seqs = NULL, *report = NULL, *gen = NULL;
  pactum_error err;
  int status = 400, rc = PACTUM_EINPUT, has_day = 0, inited = 0;
  int32_t day = 0;
  snapshot *sn = NULL;
  whatif w;
  watch wt = {s, q->cn->fd, started + (double)s->cfg.whatif_deadline_s * 1e6};
  whatif_budget budget = {s->cfg.max_whatif_work, s->cfg.max_whatif_answer, should_stop, &wt, 0, 0, 0};
  enum MHD_Result out;
  if (read_body(s, root, &add, &rqs, &has_day, &day, &status, &err)) goto fail;
  if (!(added = json_array())) goto oom;
  size_t i;
  json_t *v;
  json_array_foreach(add, i, v) {
    json_t *ev = json_is_string(v) ? whatif_parse_add(s->agr, json_string_value(v), &err) : json_incref(v);
    if (!ev) {
      if (!strcmp(err.code, "out_of_memory")) goto oom;
      pactum_error e = err;
      error_set(&err, rc, e.code, "added event %zu: %s", i + 1, e.message);
      goto fail;
    }
    json_array_append_new(added, ev);
  }
  if (http_fresh(q, &out)) goto done; /* answered: the store could not be read */
  sn = http_snap_take(s);
  /* Folding comes first and is not interrupted: the baseline's events, twice (the baseline and the
     what-if record), and the added ones count before any is read. */
  budget.work = 2 * (uint64_t)sn->seq + json_array_size(added);
  if (budget.work > budget.max_work) {
    budget.stopped = WHATIF_OVER_WORK;
    out = refuse(q, &budget);
    goto done;
  }
  store *st = http_thread_store(s, &err);
  if (!st || whatif_store_events(st, sn->seq, &base, &labels, &seqs, &err)) {
    status = 500;
    goto fail;
  }
  if ((rc = whatif_init(&w, s->agr, base, labels, seqs, sn->seq, added, &err))) {
    if (rc == PACTUM_ENOMEM) goto oom;
    goto fail;
  }
  inited = 1;
  if (!rqs && !(gen = whatif_generate_requests(s->agr, &(long){0}))) goto oom;
  rc = whatif_compare_bounded(&w, rqs ? rqs : gen, has_day, day, &budget, &report, &err);
  if (rc == PACTUM_ENOMEM) goto oom;
  if (rc && budget.stopped) {
    out = refuse(q, &budget);
    goto done;
  }
  if (rc) goto fail;
  if (gen) json_object_set_new(report, "generated_requests", json_true());
  char *text = json_dumps(report, JSON_COMPACT);
  out = text ? http_send_text(q, 200, "application/json", text, strlen(text))
             : http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  px_free(text);
  goto done;
oom:
  status = 500;
  error_set(&err, PACTUM_ENOMEM, "internal", "out of memory");
fail:
  out = http_send_error(q, (unsigned)status, status == 400 ? ERR_BAD_REQUEST : status == 413 ? ERR_TOO_LARGE : ERR_INTERNAL,
                        err.code, "%s", err.message);
done:
  if (inited) whatif_release(&w);
  json_decref(gen);
  json_decref(report);
  json_decref(added);
  json_decref(base);
  json_decref(labels);
  json_decref(seqs);
  json_decref(root);
  http_snap_drop(sn);
  return out;
}
