/*
** http_info.c: the routes of `pactum serve` that say what the agreement and the record say: the
** health check, the metrics, the agreement, its vocabulary and clauses, the status and the
** ledger on a day, and the dashboard's files. Each reads the agreement or the current snapshot.
*/
#include "http_int.h"
#include "alloc.h"
#include "date.h"
#include "embedded.h"
#include "ledger.h"
#include "obligations.h"

#include <string.h>
#include "banned.h"

/* The `date` query argument, or today; *bad when it is given and not a real date. */
static int32_t query_day(req *q, int *bad) {
  const char *d = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "date");
  int32_t day = date_today();
  *bad = d && date_parse(d, strlen(d), &day) != 0;
  return day;
}

/* GET /healthz: always {"ok":true}, without touching the store. */
enum MHD_Result http_info_healthz(req *q) {
  static const char ok[] = "{\"ok\":true}";
  return http_send_text(q, 200, "application/json", ok, sizeof ok - 1);
}

/* GET /metrics: the counters and gauges, in Prometheus text format. */
enum MHD_Result http_info_metrics(req *q) {
  server *s = q->s;
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  buf b;
  buf_init(&b);
  buf_puts(&b, "# HELP pactum_decisions_total Decisions made, by outcome.\n# TYPE pactum_decisions_total counter\n");
  for (int o = 0; o < 4; o++)
    buf_printf(&b, "pactum_decisions_total{outcome=\"%s\"} %lld\n", pactum_outcome_name((pactum_outcome)o),
               (long long)atomic_load(&s->decisions[o]));
  buf_puts(&b, "# HELP pactum_decide_request_seconds Time to answer a /v1/decide request.\n"
               "# TYPE pactum_decide_request_seconds histogram\n");
  long long cum = 0;
  for (size_t i = 0; i < HTTP_NBUCKETS; i++) {
    cum += atomic_load(&s->latency[i]);
    buf_printf(&b, "pactum_decide_request_seconds_bucket{le=\"%g\"} %lld\n", http_buckets[i] / 1e6, cum);
  }
  cum += atomic_load(&s->latency[HTTP_NBUCKETS]);
  buf_printf(&b, "pactum_decide_request_seconds_bucket{le=\"+Inf\"} %lld\n", cum);
  buf_printf(&b, "pactum_decide_request_seconds_sum %.6f\n", (double)atomic_load(&s->latency_sum_us) / 1e6);
  buf_printf(&b, "pactum_decide_request_seconds_count %lld\n", (long long)atomic_load(&s->latency_count));
  buf_puts(&b, "# HELP pactum_events_appended_total Events recorded through this service.\n"
               "# TYPE pactum_events_appended_total counter\n");
  buf_printf(&b, "pactum_events_appended_total %lld\n", (long long)atomic_load(&s->events_appended));
  buf_puts(&b, "# HELP pactum_errors_total Requests answered with an error, by kind.\n# TYPE pactum_errors_total counter\n");
  for (int k = 0; k < NERR; k++)
    buf_printf(&b, "pactum_errors_total{kind=\"%s\"} %lld\n", http_err_kind[k], (long long)atomic_load(&s->errors[k]));
  buf_printf(&b, "# HELP pactum_http_requests_total HTTP requests begun.\n"
                 "# TYPE pactum_http_requests_total counter\npactum_http_requests_total %lld\n",
             (long long)atomic_load(&s->http_requests));
  snapshot *sn = http_snap_take(s);
  buf_printf(&b, "# HELP pactum_events_recorded The head of the events chain the answers are made on.\n"
                 "# TYPE pactum_events_recorded gauge\npactum_events_recorded %lld\n", (long long)sn->seq);
  http_snap_drop(sn);
  buf_printf(&b, "# HELP pactum_refreshes_total Folds of records another process appended.\n"
                 "# TYPE pactum_refreshes_total counter\npactum_refreshes_total %lld\n",
             (long long)atomic_load(&s->refreshes));
  if (s->log) {
    int64_t written, failures, waiting, last;
    declog_writer_stats(s->log, &written, &failures, &waiting, &last);
    buf_printf(&b, "# HELP pactum_decision_log_written_total Decisions written to the decision log.\n"
                   "# TYPE pactum_decision_log_written_total counter\npactum_decision_log_written_total %lld\n"
                   "# HELP pactum_decision_log_waiting Decisions waiting to be written.\n"
                   "# TYPE pactum_decision_log_waiting gauge\npactum_decision_log_waiting %lld\n"
                   "# HELP pactum_decision_log_failures_total Writes of the decision log that failed (and were tried again).\n"
                   "# TYPE pactum_decision_log_failures_total counter\npactum_decision_log_failures_total %lld\n"
                   "# HELP pactum_decision_log_refused_total Decisions refused (503) because the log stayed full.\n"
                   "# TYPE pactum_decision_log_refused_total counter\npactum_decision_log_refused_total %lld\n",
               (long long)written, (long long)waiting, (long long)failures, (long long)atomic_load(&s->log_refused));
  }
  buf_printf(&b, "# HELP pactum_connections Connections open.\n# TYPE pactum_connections gauge\npactum_connections %d\n"
                 "# HELP pactum_pool_requests Requests in the heavy pool and the writer's, running or waiting.\n"
                 "# TYPE pactum_pool_requests gauge\n",
             atomic_load(&s->nwires));
  http_pool *pools[2] = {s->pool, s->writer};
  for (int k = 0; k < 2; k++) {
    int queued, running;
    http_pool_load(pools[k], &queued, &running);
    const char *name = k ? "write" : "heavy";
    buf_printf(&b, "pactum_pool_requests{pool=\"%s\",state=\"running\"} %d\n"
                   "pactum_pool_requests{pool=\"%s\",state=\"waiting\"} %d\n", name, running, name, queued);
  }
  buf_puts(&b, "# HELP pactum_limits_total Requests cut or refused by a limit, by limit.\n# TYPE pactum_limits_total counter\n");
  for (int k = 0; k < NLIM; k++)
    buf_printf(&b, "pactum_limits_total{limit=\"%s\"} %lld\n", http_limit_name[k], (long long)atomic_load(&s->limits[k]));
  if (b.failed) return http_send_error(q, 500, ERR_INTERNAL, "internal", "out of memory");
  enum MHD_Result rc = http_send_text(q, 200, "text/plain; version=0.0.4", b.data, b.len);
  buf_release(&b);
  return rc;
}

/* A type's name as /v1/vocabulary says it. */
static const char *type_name(type_kind k) {
  switch (k) {
  case TY_BOOL: return "bool";
  case TY_STRING: return "string";
  case TY_INTEGER: return "integer";
  case TY_MONEY: return "money";
  case TY_DATE: return "date";
  case TY_ENUM: return "enum";
  case TY_REF: return "ref";
  case TY_DECIMAL: return "decimal";
  case TY_DURATION: return "duration";
  default: return "none";
  }
}

/* A body's ,"groups":[{"id","members"}] and ,"including":[{"group","count"}], each only when it has them. */
static void put_body_groups(buf *b, const cbody *bd) {
  if (bd->ngroups) {
    buf_puts(b, ",\"groups\":[");
    for (int g = 0; g < bd->ngroups; g++) {
      buf_puts(b, g ? ",{\"id\":" : "{\"id\":");
      buf_json_cstr(b, bd->groups[g]);
      buf_puts(b, ",\"members\":[");
      int k = 0;
      for (int m = 0; m < bd->nmembers; m++)
        if (bd->in_group[(size_t)g * (size_t)bd->nmembers + (size_t)m]) {
          if (k++) buf_putc(b, ',');
          buf_json_cstr(b, bd->members[m]);
        }
      buf_puts(b, "]}");
    }
    buf_putc(b, ']');
  }
  if (bd->nneeds) {
    buf_puts(b, ",\"including\":[");
    for (int r = 0; r < bd->nneeds; r++) {
      buf_puts(b, r ? ",{\"group\":" : "{\"group\":");
      buf_json_cstr(b, bd->groups[bd->need_group[r]]);
      buf_printf(b, ",\"count\":%d}", bd->need_count[r]);
    }
    buf_putc(b, ']');
  }
}

/* GET /v1/agreement: id, version, parties, bodies, sources, the source text and its hash. */
enum MHD_Result http_info_agreement(req *q) {
  const pactum_agreement *agr = q->s->agr;
  char day[11];
  date_format(agr->effective, day);
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"id\":");
  buf_json_cstr(&b, agr->id);
  buf_puts(&b, ",\"version\":");
  buf_json_cstr(&b, agr->version);
  buf_puts(&b, ",\"title\":");
  buf_json_cstr(&b, agr->title);
  buf_printf(&b, ",\"effective\":\"%s\",\"hash\":\"%s\",\"parties\":[", day, q->s->agr_hash);
  for (int i = 0; i < agr->nparties; i++) {
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, agr->parties[i].name);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, agr->parties[i].title);
    buf_putc(&b, '}');
  }
  buf_puts(&b, "],\"bodies\":[");
  for (int i = 0; i < agr->nbodies; i++) {
    const cbody *bd = &agr->bodies[i];
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, bd->name);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, bd->title);
    buf_puts(&b, ",\"members\":[");
    for (int m = 0; m < bd->nmembers; m++) {
      if (m) buf_putc(&b, ',');
      buf_json_cstr(&b, bd->members[m]);
    }
    buf_printf(&b, "],\"quorum\":%d", bd->quorum);
    put_body_groups(&b, bd);
    buf_putc(&b, '}');
  }
  buf_puts(&b, "],\"sources\":[");
  static const char *const conf[] = {"official", "press", "seed"};
  for (int i = 0; i < agr->nsources; i++) {
    const csource *src = &agr->sources[i];
    buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(&b, src->name);
    buf_printf(&b, ",\"confidence\":\"%s\",\"ref\":", conf[src->conf]);
    buf_json_cstr(&b, src->ref);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, src->title);
    buf_putc(&b, '}');
  }
  buf_puts(&b, "],\"source\":");
  buf_json_str(&b, agr->src, agr->src_len);
  buf_putc(&b, '}');
  return http_send_json(q, 200, &b);
}

/* An enum's ,"members":[...]; nothing for other types. */
static void put_members(buf *b, type_ref t) {
  if (t.kind == TY_REF) {
    buf_puts(b, ",\"event\":");
    buf_json_cstr(b, t.target);
    return;
  }
  if (t.kind != TY_ENUM) return;
  buf_puts(b, ",\"members\":[");
  for (int m = 0; m < t.en->n; m++) {
    if (m) buf_putc(b, ',');
    buf_json_cstr(b, t.en->names[m]);
  }
  buf_putc(b, ']');
}

/* GET /v1/vocabulary: the actions with their principals and attributes, and the event types. */
enum MHD_Result http_info_vocabulary(req *q) {
  const pactum_agreement *agr = q->s->agr;
  buf b;
  buf_init(&b);
  buf_puts(&b, "{\"actions\":[");
  for (int a = 0; a < agr->nactions; a++) {
    const caction *act = &agr->actions[a];
    buf_puts(&b, a ? ",{\"name\":" : "{\"name\":");
    buf_json_cstr(&b, act->name);
    buf_puts(&b, ",\"principals\":[");
    int n = 0;
    for (int p = 0; p < agr->nparties; p++)
      if (act->principal_ok[p]) {
        if (n++) buf_putc(&b, ',');
        buf_json_cstr(&b, agr->parties[p].name);
      }
    buf_puts(&b, "],\"attributes\":[");
    for (int i = 0; i < act->nattrs; i++) {
      const cattr *at = &act->attrs[i];
      buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
      buf_json_cstr(&b, at->name);
      buf_printf(&b, ",\"scope\":\"%s\",\"type\":\"%s\"", at->is_context ? "context" : "resource",
                 type_name(at->type.kind));
      put_members(&b, at->type);
      buf_puts(&b, ",\"default\":");
      if (!at->has_default) {
        buf_puts(&b, "null");
      } else {
        switch (at->type.kind) {
        case TY_BOOL: buf_puts(&b, at->def ? "true" : "false"); break;
        case TY_ENUM: buf_json_cstr(&b, at->type.en->names[at->def]); break;
        case TY_STRING:
          if (at->def >= 0 && at->def < agr->nstrs) buf_json_str(&b, agr->strs[at->def], agr->str_lens[at->def]);
          else buf_puts(&b, "null");
          break;
        case TY_DATE: {
          char d[11];
          date_format((int32_t)at->def, d);
          buf_printf(&b, "\"%s\"", d);
          break;
        }
        default: report_value(&b, agr, at->type, at->def, 1); break; /* numbers, money (num.h) */
        }
      }
      buf_putc(&b, '}');
    }
    buf_puts(&b, "]}");
  }
  /* The event types and their fields, for the dashboard's what-if form. */
  buf_puts(&b, "],\"events\":[");
  for (int e = 0; e < agr->nevents; e++) {
    const cevent *ev = &agr->events[e];
    buf_puts(&b, e ? ",{\"name\":" : "{\"name\":");
    buf_json_cstr(&b, ev->name);
    buf_puts(&b, ",\"fields\":[");
    for (int f = 0; f < ev->nfields; f++) {
      const cfield *fd = &ev->fields[f];
      buf_puts(&b, f ? ",{\"name\":" : "{\"name\":");
      buf_json_cstr(&b, fd->name);
      buf_printf(&b, ",\"type\":\"%s\"", type_name(fd->type.kind));
      put_members(&b, fd->type);
      buf_putc(&b, '}');
    }
    buf_puts(&b, "]}");
  }
  buf_puts(&b, "]}");
  return http_send_json(q, 200, &b);
}

/* GET /v1/clauses: as `pactum clauses --format json`. */
enum MHD_Result http_info_clauses(req *q) { return http_send_owned(q, clauses_render(q->s->agr, 1)); }

/* GET /v1/status?date=D: as `pactum status --format json`, on the snapshot. */
enum MHD_Result http_info_status(req *q) {
  int bad;
  int32_t day = query_day(q, &bad);
  if (bad) return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  snapshot *sn = http_snap_take(q->s);
  char *text = status_render(q->s->agr, sn->tl, day, 1);
  http_snap_drop(sn);
  return http_send_owned(q, text);
}

/* GET /v1/ledger?date=D&by=month|quarter: as `pactum ledger --format json`, on the snapshot. */
enum MHD_Result http_info_ledger(req *q) {
  int bad;
  int32_t day = query_day(q, &bad);
  if (bad) return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  const char *by = MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, "by");
  if (by && strcmp(by, "month") && strcmp(by, "quarter"))
    return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_argument", "'by' is month or quarter");
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  snapshot *sn = http_snap_take(q->s);
  char *text = ledger_render(q->s->agr, sn->tl, day, by && !strcmp(by, "quarter"), 1);
  http_snap_drop(sn);
  return http_send_owned(q, text);
}

/*
** GET /v1/obligations?date=D: as `pactum obligations --format json`, on the snapshot. A sum that
** leaves the 64-bit range is a 422 with its code ("overflow"); memory running out, a 500.
*/
enum MHD_Result http_info_obligations(req *q) {
  int bad;
  int32_t day = query_day(q, &bad);
  if (bad) return http_send_error(q, 400, ERR_BAD_REQUEST, "bad_date", "'date' is not a real date (YYYY-MM-DD)");
  enum MHD_Result refused;
  if (http_fresh(q, &refused)) return refused;
  snapshot *sn = http_snap_take(q->s);
  pactum_error err;
  memset(&err, 0, sizeof err);
  char *text = obligations_render(q->s->agr, sn->tl, day, 1, &err);
  http_snap_drop(sn);
  if (!text && strcmp(err.code, "out_of_memory") != 0)
    return http_send_error(q, 422, ERR_BAD_REQUEST, err.code, "%s", err.message);
  return http_send_owned(q, text);
}

/* ---- The dashboard --------------------------------------------------------------------- */

enum MHD_Result http_info_static(req *q, const char *path) {
  for (size_t i = 0; i < embedded_web_count; i++)
    if (!strcmp(embedded_web[i].path, path))
      return http_send_text(q, 200, embedded_web[i].type, (const char *)embedded_web[i].data, embedded_web[i].len);
  return http_send_error(q, 404, ERR_NOT_FOUND, "not_found", "no such page '%s'", path);
}

