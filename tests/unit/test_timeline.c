/*
** test_timeline.c: the timeline's storage (src/timeline.c): the state after any number of
** events, materialised from each slot's changes, against a naive model that keeps a full row
** per event, folded by the agreement's own rules as written below (random event sequences,
** with truncations, across many chunks); views (timeline_view), which never see later appends
** or truncations, may be freed in any order and refuse appends; refused events, which leave the
** timeline and its views as they were; a view read by another thread while the writer appends;
** and every allocation failing in turn (px_alloc_fail_after).
*/
#include "unit.h"
#include "agreement.h"
#include "alloc.h"
#include "date.h"
#include "evt_agreement.h"

#include <jansson.h>
#include <pthread.h>

/* An agreement whose orders are referenced (test_refs.c's, smaller): the ref index in views. */
static const char refs_src[] =
    "agreement \"refs\" { version \"1\" effective 2025-01-01 }\n"
    "party buyer\n"
    "party seller\n"
    "state pending: ref order\n"
    "event order { amount: money }\n"
    "event acceptance { order: ref order }\n"
    "on order { set pending = event.seq }\n";

#define USD 1000000 /* one dollar in millionths (num.h) */

/* ---- The naive model: a full row per event, folded by the rules of agreement_src ------- */

typedef struct model {
  size_t n, cap;
  int64_t *rows;  /* [(n + 1) * WIDTH]: row 0 the initial state */
  int32_t *days;  /* [n] */
} model;

static void model_init(model *m) {
  m->n = 0;
  m->cap = 64;
  m->rows = calloc((m->cap + 1) * WIDTH, sizeof(int64_t)); /* every initial value is 0 */
  m->days = calloc(m->cap, sizeof(int32_t));
  assert_non_null(m->rows);
  assert_non_null(m->days);
}

static void model_free(model *m) {
  free(m->rows);
  free(m->days);
}

static const int64_t *model_row(const model *m, size_t k) { return m->rows + k * WIDTH; }

/* An event as the generator made it: what the model needs to fold it. */
typedef struct gen_event {
  int type; /* 0 start, 1 finish, 2 pay, 3 units, 4 mark, 5 strike */
  int32_t day;
  int64_t x;    /* pay.amount, units.n, mark.k */
  int flag, high;
  char json[256];
} gen_event;

/* Fold e into m by the agreement's rules: 1 if accepted, 0 if refused (m unchanged). */
static int model_fold(model *m, const gen_event *e) {
  if (m->n && e->day < m->days[m->n - 1]) return 0; /* out_of_order */
  int64_t r[WIDTH];
  memcpy(r, model_row(m, m->n), sizeof r);
  const int64_t *before = model_row(m, m->n);
  switch (e->type) {
  case 0:
    if (before[S_PHASE] != IDLE) return 0;
    r[S_PHASE] = ACTIVE;
    break;
  case 1:
    if (before[S_PHASE] != ACTIVE) return 0;
    r[S_PHASE] = DONE;
    break;
  case 2:
    if (e->x < 0) return 0;
    r[C_MONEY] += e->x * USD; /* money is kept in millionths of a dollar (num.h) */
    break;
  case 3:
    if (e->x < 0) return 0;
    r[S_LEVEL] = e->x;
    r[C_WIDGETS] += e->x;
    break;
  case 4:
    r[S_FLAGGED] = e->flag;
    if (e->high) r[S_LEVEL] = e->x;
    break;
  default:
    if (before[S_STRIKES] == 0) r[S_STRIKES] = 1;
    if (before[S_STRIKES] == 1) r[S_STRIKES] = 2;
    break;
  }
  if (m->n == m->cap) {
    m->cap *= 2;
    m->rows = realloc(m->rows, (m->cap + 1) * WIDTH * sizeof(int64_t));
    m->days = realloc(m->days, m->cap * sizeof(int32_t));
    assert_non_null(m->rows);
    assert_non_null(m->days);
  }
  m->days[m->n++] = e->day;
  memcpy(m->rows + m->n * WIDTH, r, sizeof r);
  return 1;
}

/* ---- Random events ------------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rng(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static int pick(int n) { return (int)(rng() % (uint64_t)n); }

/* A random event dated on or after last (now and then before it, to be refused). */
static void gen(gen_event *e, int32_t last) {
  memset(e, 0, sizeof *e);
  /* Pay and units most of the time, as in a record of purchases; the rest now and then. */
  static const int weights[] = {0, 0, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 1, 2, 3};
  e->type = weights[pick((int)(sizeof weights / sizeof weights[0]))];
  int r = pick(20);
  e->day = r == 0 ? last - 1 - pick(3) : r < 12 ? last : last + pick(4);
  char d[11];
  date_format(e->day, d);
  switch (e->type) {
  case 0: snprintf(e->json, sizeof e->json, "{\"type\":\"start\",\"date\":\"%s\",\"who\":\"x\"}", d); break;
  case 1: snprintf(e->json, sizeof e->json, "{\"type\":\"finish\",\"date\":\"%s\"}", d); break;
  case 2:
    e->x = pick(30) == 0 ? -1 - pick(5) : pick(1000);
    snprintf(e->json, sizeof e->json, "{\"type\":\"pay\",\"date\":\"%s\",\"amount\":%lld}", d, (long long)e->x);
    break;
  case 3:
    e->x = pick(30) == 0 ? -1 : pick(4); /* often 0: a fold that changes level alone, or nothing */
    snprintf(e->json, sizeof e->json, "{\"type\":\"units\",\"date\":\"%s\",\"n\":%lld}", d, (long long)e->x);
    break;
  case 4:
    e->flag = pick(2);
    e->high = pick(2);
    e->x = pick(7) - 3;
    snprintf(e->json, sizeof e->json,
             "{\"type\":\"mark\",\"date\":\"%s\",\"day\":\"2026-01-01\",\"flag\":%s,\"lvl\":\"%s\",\"k\":%lld}", d,
             e->flag ? "true" : "false", e->high ? "high" : "low", (long long)e->x);
    break;
  default: snprintf(e->json, sizeof e->json, "{\"type\":\"strike\",\"date\":\"%s\"}", d); break;
  }
}

static int append(pactum_timeline *tl, const char *json, pactum_error *err) {
  memset(err, 0, sizeof *err);
  return pactum_timeline_append_json(tl, json, strlen(json), err);
}

/* ---- Checking a timeline against the model ------------------------------------------- */

/* Every way of reading tl gives what m says, for tl's first m->n events (tl holds exactly those). */
static void check_against(const pactum_timeline *tl, const model *m) {
  assert_int_equal(pactum_timeline_count(tl), m->n);
  int64_t row[WIDTH];
  for (size_t k = 0; k <= m->n; k++) {
    if (k < m->n) assert_int_equal(timeline_day(tl, k), m->days[k]);
    timeline_row(tl, k, row);
    if (memcmp(row, model_row(m, k), sizeof row))
      fail_msg("after %zu of %zu events: row differs (level %lld, want %lld; money %lld, want %lld)", k, m->n,
               (long long)row[S_LEVEL], (long long)model_row(m, k)[S_LEVEL], (long long)row[C_MONEY],
               (long long)model_row(m, k)[C_MONEY]);
  }
  assert_memory_equal(timeline_now(tl), model_row(m, m->n), sizeof row);
  /* Days: before the first, each event's, between, after the last. */
  int32_t lo = m->n ? m->days[0] - 2 : 0, hi = m->n ? m->days[m->n - 1] + 2 : 0;
  for (int32_t d = lo; d <= hi; d++) {
    size_t want = 0;
    while (want < m->n && m->days[want] <= d) want++;
    assert_int_equal(timeline_count_until(tl, d), want);
    assert_memory_equal(timeline_at(tl->agr, tl, d, row), model_row(m, want), sizeof row);
  }
  assert_int_equal(timeline_count_until(tl, DAY_MIN), m->n && m->days[0] == DAY_MIN ? 1 : 0);
  assert_int_equal(timeline_count_until(tl, DAY_MAX), m->n);
  /* Some slots only, on a day: the others are left as they were. */
  for (int trial = 0; trial < 20; trial++) {
    int32_t slots[WIDTH];
    int nslots = 0;
    for (int s = 0; s < WIDTH; s++)
      if (pick(2)) slots[nslots++] = s;
    int32_t d = lo + pick(hi - lo + 1);
    size_t k = 0;
    while (k < m->n && m->days[k] <= d) k++;
    for (int s = 0; s < WIDTH; s++) row[s] = INT64_MIN + 7;
    timeline_slots(tl, d, slots, nslots, row);
    for (int s = 0, i = 0; s < WIDTH; s++) {
      if (i < nslots && slots[i] == s) {
        assert_int_equal(row[s], model_row(m, k)[s]);
        i++;
      } else {
        assert_true(row[s] == INT64_MIN + 7);
      }
    }
  }
  /* Each slot's changes: the events after which its value differs from the one before. */
  for (int s = 0; s < WIDTH; s++) {
    size_t nch = 0;
    for (size_t k = 1; k <= m->n; k++) {
      if (model_row(m, k)[s] == model_row(m, k - 1)[s]) continue;
      size_t after;
      assert_int_equal(timeline_change(tl, s, nch, &after), model_row(m, k)[s]);
      assert_int_equal(after, k);
      nch++;
      assert_int_equal(timeline_changes(tl, s, k), nch);
    }
    assert_int_equal(timeline_changes(tl, s, m->n), nch);
    assert_int_equal(timeline_changes(tl, s, 0), 0);
  }
}

/* A copy of m's first n events. */
static void model_prefix(model *to, const model *m, size_t n) {
  model_init(to);
  to->cap = n + 1;
  to->rows = realloc(to->rows, (to->cap + 1) * WIDTH * sizeof(int64_t));
  to->days = realloc(to->days, to->cap * sizeof(int32_t));
  assert_non_null(to->rows);
  assert_non_null(to->days);
  memcpy(to->rows, m->rows, (n + 1) * WIDTH * sizeof(int64_t));
  if (n) memcpy(to->days, m->days, n * sizeof(int32_t));
  to->n = n;
}

/*
** Random sequences of events, folded into a timeline and into the model, with truncations now and
** then (to a random earlier length, as a refused batch is undone) and views taken along the way;
** at the end, the timeline and each view read as the model did when it was taken.
*/
static void test_random_against_model(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  for (uint64_t seed = 1; seed <= 12; seed++) {
    rng_state = seed * 7919;
    pactum_timeline *tl = pactum_timeline_new(agr);
    assert_non_null(tl);
    model m;
    model_init(&m);
    enum { NVIEWS = 6 };
    pactum_timeline *views[NVIEWS];
    model seen[NVIEWS];
    int nviews = 0;
    int events = seed % 3 == 0 ? 5000 : 1200;
    int32_t last = date_from_ymd(2026, 1, 1);
    for (int i = 0; i < events; i++) {
      gen_event e;
      gen(&e, last);
      pactum_error err;
      int rc = append(tl, e.json, &err);
      int accepted = model_fold(&m, &e);
      if (accepted != (rc == PACTUM_OK))
        fail_msg("seed %llu, event %d %s: pactum %s (%s), the model %s", (unsigned long long)seed, i, e.json,
                 rc ? "refused it" : "accepted it", rc ? err.message : "", accepted ? "accepts it" : "refuses it");
      if (rc) assert_int_equal(rc, PACTUM_EINPUT);
      if (accepted) last = e.day;
      if (pick(150) == 0 && m.n) { /* undo a batch */
        size_t to = (size_t)pick((int)m.n + 1);
        if (pick(4) == 0) to = m.n - (m.n > 3 ? 3 : m.n);
        timeline_truncate(tl, to, (int64_t)to);
        m.n = to;
        last = to ? m.days[to - 1] : date_from_ymd(2026, 1, 1);
      }
      if (pick(300) == 0 && nviews < NVIEWS) {
        assert_non_null(views[nviews] = timeline_view(tl));
        model_prefix(&seen[nviews++], &m, m.n);
      }
    }
    check_against(tl, &m);
    /* A copy reads the same, and so does a copy of a view. */
    pactum_timeline *copy = timeline_copy(tl);
    assert_non_null(copy);
    check_against(copy, &m);
    pactum_timeline_free(copy);
    for (int v = 0; v < nviews; v++) {
      check_against(views[v], &seen[v]);
      if (v % 2) { /* free some views before their timeline, some after */
        pactum_timeline_free(views[v]);
        model_free(&seen[v]);
        views[v] = NULL;
      }
    }
    pactum_timeline_free(tl);
    for (int v = 0; v < nviews; v++) {
      if (!views[v]) continue;
      pactum_timeline *vc = timeline_copy(views[v]);
      assert_non_null(vc);
      check_against(vc, &seen[v]);
      pactum_timeline_free(vc);
      check_against(views[v], &seen[v]);
      pactum_timeline_free(views[v]);
      model_free(&seen[v]);
    }
    model_free(&m);
  }
  pactum_agreement_free(agr);
}

/* ---- Views ---------------------------------------------------------------------------- */

/* Fold `count` pays of 1, 2, 3, ... (the sum after k of them is k(k+1)/2, plus base) on one day each. */
static void pays(pactum_timeline *tl, int first, int count) {
  for (int i = first; i < first + count; i++) {
    char js[128], d[11];
    date_format(date_from_ymd(2026, 1, 1) + i, d);
    snprintf(js, sizeof js, "{\"type\":\"pay\",\"date\":\"%s\",\"amount\":%d}", d, i + 1);
    pactum_error err;
    if (append(tl, js, &err)) fail_msg("%s refused: %s", js, err.message);
  }
}

/* The money owed after k of the pays 1, 2, 3, ... */
static int64_t tri(size_t k) { return (int64_t)(k * (k + 1) / 2); }

static void test_view_does_not_see_later_appends(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_timeline *empty = timeline_view(tl);
  assert_non_null(empty);
  pays(tl, 0, 40); /* chunks of 16 and 32: the view of 40 ends inside the second */
  pactum_timeline *v40 = timeline_view(tl);
  assert_non_null(v40);
  pays(tl, 40, 200);
  assert_int_equal(pactum_timeline_count(tl), 240);
  assert_int_equal(pactum_timeline_count(v40), 40);
  assert_int_equal(pactum_timeline_count(empty), 0);
  int64_t row[WIDTH];
  assert_int_equal(timeline_at(agr, v40, DAY_MAX, row)[C_MONEY], USD * (tri(40)));
  assert_int_equal(timeline_now(v40)[C_MONEY], USD * (tri(40)));
  assert_int_equal(timeline_at(agr, tl, DAY_MAX, row)[C_MONEY], USD * (tri(240)));
  assert_int_equal(timeline_at(agr, empty, DAY_MAX, row)[C_MONEY], USD * (0));
  assert_int_equal(timeline_count_until(v40, DAY_MAX), 40);
  assert_int_equal(timeline_changes(v40, C_MONEY, 1000), 40);
  for (size_t k = 0; k <= 40; k++) assert_int_equal(timeline_row(v40, k, row)[C_MONEY], USD * (tri(k)));
  /* A view of a view, and a copy of a view, which can be appended to on its own. */
  pactum_timeline *vv = timeline_view(v40);
  pactum_timeline *c40 = timeline_copy(v40);
  assert_non_null(vv);
  assert_non_null(c40);
  pays(c40, 500, 1);
  assert_int_equal(timeline_now(c40)[C_MONEY], USD * (tri(40) + 501));
  assert_int_equal(timeline_now(vv)[C_MONEY], USD * (tri(40)));
  assert_int_equal(timeline_now(v40)[C_MONEY], USD * (tri(40)));
  assert_int_equal(pactum_timeline_count(tl), 240);
  /* A view refuses an append: a bug in its caller, reported as internal, and nothing changes. */
  pactum_error err;
  assert_int_equal(append(v40, "{\"type\":\"pay\",\"date\":\"2027-01-01\",\"amount\":1}", &err), PACTUM_EINTERNAL);
  assert_string_equal(err.code, "internal");
  assert_int_equal(append(vv, "{\"type\":\"pay\",\"date\":\"2027-01-01\",\"amount\":1}", &err), PACTUM_EINTERNAL);
  assert_int_equal(pactum_timeline_count(v40), 40);
  int64_t after[WIDTH] = {0};
  assert_int_equal(timeline_push(v40, 0, after, 1, -1), -1);
  /* Free in every order: the timeline first, then the views, which still read. */
  pactum_timeline_free(tl);
  for (size_t k = 0; k <= 40; k++) assert_int_equal(timeline_row(vv, k, row)[C_MONEY], USD * (tri(k)));
  pactum_timeline_free(v40);
  assert_int_equal(timeline_at(agr, vv, DAY_MAX, row)[C_MONEY], USD * (tri(40)));
  pactum_timeline_free(c40);
  pactum_timeline_free(vv);
  pactum_timeline_free(empty);
  pactum_agreement_free(agr);
}

/* The ref index of a view is the timeline's when the view was made. */
static void test_view_refs(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(refs_src);
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  assert_int_equal(append(tl, "{\"type\":\"order\",\"date\":\"2026-01-01\",\"amount\":5}", &err), PACTUM_OK);
  pactum_timeline *v = timeline_view(tl);
  assert_non_null(v);
  assert_int_equal(append(tl, "{\"type\":\"order\",\"date\":\"2026-01-02\",\"amount\":6}", &err), PACTUM_OK);
  int order = agreement_find_event(agr, "order", 5);
  assert_int_equal(timeline_ref_type(tl, 2), order);
  assert_int_equal(timeline_ref_type(v, 2), -1);
  assert_int_equal(timeline_ref_type(v, 1), order);
  assert_int_equal(v->ref_n, 1);
  /* A copy of the view can name seq 1 but not seq 2, which the view never saw. */
  pactum_timeline *c = timeline_copy(v);
  assert_non_null(c);
  const char *names2 = "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":2}";
  const char *names1 = "{\"type\":\"acceptance\",\"date\":\"2026-01-03\",\"order\":1}";
  assert_int_equal(pactum_timeline_append_seq(c, names2, strlen(names2), 3, &err), PACTUM_EINPUT);
  assert_string_equal(err.code, "bad_reference");
  assert_int_equal(pactum_timeline_append_seq(c, names1, strlen(names1), 3, &err), PACTUM_OK);
  /* Truncating the timeline drops seq 2 from its index, not from the view's; seq 1 stays. */
  timeline_truncate(tl, 1, 1);
  assert_int_equal(timeline_ref_type(tl, 2), -1);
  assert_int_equal(timeline_ref_type(tl, 1), order);
  assert_int_equal(timeline_ref_type(v, 1), order);
  assert_int_equal(timeline_now(tl)[0], 1); /* pending: seq 1 again */
  pactum_timeline_free(c);
  pactum_timeline_free(tl);
  pactum_timeline_free(v);
  pactum_agreement_free(agr);
}

/*
** Truncating below what a view sees, then appending other events: the writer writes copies of
** the chunks the view reads, and the view still reads what it saw. Truncation points inside a
** chunk, on a chunk's first element, and to nothing.
*/
static void test_truncate_after_view(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  const size_t cuts[] = {20, 16, 48, 0, 47, 100};
  for (size_t t = 0; t < sizeof cuts / sizeof cuts[0]; t++) {
    size_t cut = cuts[t];
    pactum_timeline *tl = pactum_timeline_new(agr);
    pays(tl, 0, 100);
    pactum_timeline *v = timeline_view(tl);
    assert_non_null(v);
    timeline_truncate(tl, cut, (int64_t)cut);
    assert_int_equal(pactum_timeline_count(tl), cut);
    assert_int_equal(timeline_now(tl)[C_MONEY], USD * (tri(cut)));
    /* Other events where the dropped ones were: units, then pays of 1000 each. */
    char js[128], d[11];
    pactum_error err;
    for (int i = 0; i < 150; i++) {
      date_format(date_from_ymd(2026, 1, 1) + (int32_t)cut + i, d);
      if (i % 3 == 0) snprintf(js, sizeof js, "{\"type\":\"units\",\"date\":\"%s\",\"n\":2}", d);
      else snprintf(js, sizeof js, "{\"type\":\"pay\",\"date\":\"%s\",\"amount\":1000}", d);
      assert_int_equal(append(tl, js, &err), PACTUM_OK);
    }
    int64_t row[WIDTH];
    for (size_t k = 0; k <= 100; k++) {
      timeline_row(v, k, row);
      assert_int_equal(row[C_MONEY], USD * (tri(k)));
      assert_int_equal(row[C_WIDGETS], 0);
      if (k < 100) assert_int_equal(timeline_day(v, k), date_from_ymd(2026, 1, 1) + (int32_t)k);
    }
    /* The timeline: the first cut pays, then the new events. */
    for (size_t k = 0; k <= cut + 150; k++) {
      timeline_row(tl, k, row);
      size_t extra = k > cut ? k - cut : 0, units = (extra + 2) / 3, paid = extra - units;
      assert_int_equal(row[C_MONEY], USD * (tri(k < cut ? k : cut) + 1000 * (int64_t)paid));
      assert_int_equal(row[C_WIDGETS], 2 * (int64_t)units);
      assert_int_equal(row[S_LEVEL], units ? 2 : 0);
    }
    /* A second view after the truncation, and a second truncation below both. */
    pactum_timeline *v2 = timeline_view(tl);
    assert_non_null(v2);
    timeline_truncate(tl, cut / 2, 0);
    pays(tl, 1000, 10);
    assert_int_equal(pactum_timeline_count(v2), cut + 150);
    assert_int_equal(timeline_row(v2, cut + 150, row)[C_WIDGETS], 100);
    assert_int_equal(timeline_row(v, 100, row)[C_MONEY], USD * (tri(100)));
    pactum_timeline_free(tl);
    pactum_timeline_free(v2);
    pactum_timeline_free(v);
  }
  pactum_agreement_free(agr);
}

/* Refused events leave the timeline and its views as they were: count, days, rows, changes. */
static void test_refused_events_change_nothing(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  pactum_timeline *tl = pactum_timeline_new(agr);
  pactum_error err;
  assert_int_equal(append(tl, "{\"type\":\"start\",\"date\":\"2026-01-01\",\"who\":\"x\"}", &err), PACTUM_OK);
  pays(tl, 1, 30);
  assert_int_equal(append(tl, "{\"type\":\"units\",\"date\":\"2026-02-01\",\"n\":9223372036854775807}", &err),
                   PACTUM_OK);
  pactum_timeline *v = timeline_view(tl);
  assert_non_null(v);
  int64_t before[WIDTH], row[WIDTH];
  memcpy(before, timeline_now(tl), sizeof before);
  size_t n = pactum_timeline_count(tl), ch[WIDTH];
  for (int s = 0; s < WIDTH; s++) ch[s] = timeline_changes(tl, s, n);
  const char *const bad[] = {
      "{\"type\":\"start\",\"date\":\"2026-02-02\",\"who\":\"y\"}",                 /* guard_failed */
      "{\"type\":\"pay\",\"date\":\"2025-06-01\",\"amount\":1}",                    /* out_of_order */
      "{\"type\":\"pay\",\"date\":\"2026-02-02\",\"amount\":-1}",                   /* negative_amount */
      "{\"type\":\"units\",\"date\":\"2026-02-02\",\"n\":1}",                       /* overflow, after `set level` */
      "{\"type\":\"pay\",\"date\":\"2026-02-02\",\"amount\":1,\"extra\":1}",         /* unknown_field */
      "{\"type\":\"mark\",\"date\":\"2026-02-02\",\"flag\":true,\"lvl\":\"mid\",\"k\":1,\"day\":\"2026-01-01\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(append(tl, bad[i], &err), PACTUM_EINPUT);
    assert_int_equal(pactum_timeline_count(tl), n);
    assert_memory_equal(timeline_now(tl), before, sizeof before);
    assert_memory_equal(timeline_row(tl, n, row), before, sizeof before);
    for (int s = 0; s < WIDTH; s++) assert_int_equal(timeline_changes(tl, s, n + 5), ch[s]);
    assert_int_equal(timeline_day(tl, n - 1), date_from_ymd(2026, 2, 1));
    assert_int_equal(pactum_timeline_count(v), n);
    assert_memory_equal(timeline_now(v), before, sizeof before);
  }
  /* And the timeline goes on. */
  assert_int_equal(append(tl, "{\"type\":\"finish\",\"date\":\"2026-02-02\"}", &err), PACTUM_OK);
  assert_int_equal(timeline_now(tl)[S_PHASE], DONE);
  assert_int_equal(timeline_now(v)[S_PHASE], ACTIVE);
  pactum_timeline_free(v);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* ---- A view read by another thread while the writer appends ---------------------------- */

typedef struct shared {
  pthread_mutex_t lock;
  pactum_timeline *latest; /* the last view published */
  int done;
  long checked;
  int bad;
} shared;

static pactum_timeline *take(shared *sh) {
  pthread_mutex_lock(&sh->lock);
  pactum_timeline *v = sh->latest ? timeline_view(sh->latest) : NULL;
  pthread_mutex_unlock(&sh->lock);
  return v;
}

static void *reader(void *p) {
  shared *sh = p;
  int64_t row[WIDTH];
  for (;;) {
    pthread_mutex_lock(&sh->lock);
    int done = sh->done;
    pthread_mutex_unlock(&sh->lock);
    pactum_timeline *v = take(sh);
    if (v) {
      size_t n = pactum_timeline_count(v);
      if (timeline_now(v)[C_MONEY] != USD * tri(n)) sh->bad = 1;
      size_t k = n / 2 + (size_t)(sh->checked % 7);
      if (k <= n && timeline_row(v, k, row)[C_MONEY] != USD * tri(k)) sh->bad = 1;
      if (k < n && timeline_day(v, k) != date_from_ymd(2026, 1, 1) + (int32_t)k) sh->bad = 1;
      sh->checked++;
      pactum_timeline_free(v);
    }
    if (done) return NULL;
  }
}

static void test_view_read_while_appending(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  pactum_timeline *tl = pactum_timeline_new(agr);
  shared sh = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, reader, &sh), 0);
  for (int i = 0; i < 3000; i++) {
    pays(tl, i, 1);
    if (i % 10 == 0) {
      pactum_timeline *v = timeline_view(tl);
      assert_non_null(v);
      pthread_mutex_lock(&sh.lock);
      pactum_timeline *old = sh.latest;
      sh.latest = v;
      pthread_mutex_unlock(&sh.lock);
      pactum_timeline_free(old);
    }
  }
  pthread_mutex_lock(&sh.lock);
  sh.done = 1;
  pthread_mutex_unlock(&sh.lock);
  pthread_join(th, NULL);
  assert_int_equal(sh.bad, 0);
  assert_true(sh.checked > 0);
  pactum_timeline_free(sh.latest);
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
}

/* ---- Allocation failures ------------------------------------------------------------- */

/*
** For every n, the nth allocation from the start and every later one fail, through a run that
** appends across chunks, makes views, truncates below a view and appends again, and copies: each
** step succeeds, or fails with ENOMEM (NULL) and changes nothing; views keep what they saw.
*/
static void test_allocation_failures(void **state) {
  (void)state;
  pactum_agreement *agr = unit_load_ok(agreement_src);
  for (long n = 1;; n++) {
    px_alloc_reset_count();
    px_alloc_fail_after(n);
    int failed = 0;
    pactum_timeline *tl = pactum_timeline_new(agr), *v = NULL, *v2 = NULL, *c = NULL;
    if (!tl) failed = 1;
    int64_t row[WIDTH];
    size_t folded = 0;
    for (int i = 0; !failed && i < 70; i++) {
      if (i == 20 && !(v = timeline_view(tl))) failed = 1;
      if (i == 50) {
        timeline_truncate(tl, 10, 10);
        folded = 10;
      }
      if (failed) break;
      char js[128], d[11];
      date_format(date_from_ymd(2026, 1, 1) + (int32_t)folded, d);
      snprintf(js, sizeof js, "{\"type\":\"pay\",\"date\":\"%s\",\"amount\":%zu}", d, folded + 1);
      pactum_error err;
      int64_t before = timeline_now(tl)[C_MONEY];
      int rc = append(tl, js, &err);
      if (rc) {
        assert_int_equal(rc, PACTUM_ENOMEM);
        assert_string_equal(err.code, "out_of_memory");
        assert_int_equal(pactum_timeline_count(tl), folded);
        assert_int_equal(timeline_now(tl)[C_MONEY], before);
        assert_int_equal(timeline_row(tl, folded, row)[C_MONEY], USD * (tri(folded)));
        if (folded) assert_int_equal(timeline_day(tl, folded - 1), date_from_ymd(2026, 1, 1) + (int32_t)folded - 1);
        failed = 1;
      } else {
        folded++;
      }
    }
    if (!failed && !(v2 = timeline_view(tl))) failed = 1;
    if (!failed && !(c = timeline_copy(tl))) failed = 1;
    px_alloc_fail_after(0);
    /* Whatever failed, what exists reads right. */
    if (tl)
      for (size_t k = 0; k <= folded; k++) assert_int_equal(timeline_row(tl, k, row)[C_MONEY], USD * (tri(k)));
    if (v) {
      assert_int_equal(pactum_timeline_count(v), 20);
      for (size_t k = 0; k <= 20; k++) assert_int_equal(timeline_row(v, k, row)[C_MONEY], USD * (tri(k)));
    }
    if (c) assert_memory_equal(timeline_now(c), timeline_now(tl), sizeof row);
    if (v2) assert_int_equal(pactum_timeline_count(v2), folded);
    pactum_timeline_free(tl);
    pactum_timeline_free(v);
    pactum_timeline_free(v2);
    pactum_timeline_free(c);
    if (!failed) break;
  }
  pactum_agreement_free(agr);
}

int main(void) {
  px_alloc_init(); /* jansson's allocations fail with the others */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_against_model),
      cmocka_unit_test(test_view_does_not_see_later_appends),
      cmocka_unit_test(test_view_refs),
      cmocka_unit_test(test_truncate_after_view),
      cmocka_unit_test(test_refused_events_change_nothing),
      cmocka_unit_test(test_view_read_while_appending),
      cmocka_unit_test(test_allocation_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
