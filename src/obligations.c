/*
** obligations.c: the instances of first-class obligations and their states on a day (see
** obligations.h), and the reports that list them. Everything is computed from the hidden slots
** the fold keeps (obligations_fold): a counter per triggering, fulfilling and discharging event
** type, whose changes give each such event's position and day, and the values read from them.
** Amounts are exact int64; sums are checked.
*/
#include "obligations.h"
#include "num.h"
#include "alloc.h"
#include "date.h"
#include "error.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

#define NONE DAY_MAX

/* ---- Folding -------------------------------------------------------------------------- */

void obligations_fold(const pactum_agreement *agr, int ei, const int64_t *fields, const xenv *env, int64_t *after) {
  for (int i = 0; i < agr->nobligs; i++) {
    const cobl *o = &agr->obligs[i];
    if (o->trig_event == ei && (o->trig_cond < 0 || eval_expr(agr, o->trig_cond, env))) {
      after[o->slot_trig]++;
      after[o->slot_trig_seq] = fields[agr->events[ei].nfields];
      if (o->slot_trig_key >= 0) after[o->slot_trig_key] = fields[o->trig_key];
      if (o->slot_trig_amount >= 0) after[o->slot_trig_amount] = fields[o->amount_field];
    }
    if (o->ful_event == ei) {
      after[o->slot_ful]++;
      if (o->slot_ful_key >= 0) after[o->slot_ful_key] = fields[o->ful_key];
      if (o->slot_ful_count >= 0) after[o->slot_ful_count] = fields[o->count_field];
    }
    if (o->dis_event == ei) after[o->slot_dis]++;
  }
}

/* ---- Dates ---------------------------------------------------------------------------- */

static int32_t last_day(void) { return date_from_ymd(DATE_MAX_YEAR, 12, 31); }

/*
** day + count units by date.c's date_add (months clamped to the month's last day, business days
** Monday to Friday); a count is never negative here, so a day past year 9999 is last_day().
*/
static int32_t add_units(int32_t day, int64_t count, int num_unit) {
  int64_t d;
  int32_t r = num_duration(count, num_unit, &d) == NUM_OK ? date_add(day, d) : DATE_NONE;
  return r == DATE_NONE ? last_day() : r;
}

/* day + k calendar months, or last_day(). */
static int32_t add_months(int32_t day, int64_t k) { return add_units(day, k, NUM_MONTHS); }

int32_t obligations_date_add(int32_t day, int64_t count, obl_unit unit) {
  static const int num_unit[] = {[OBU_DAY] = NUM_DAYS, [OBU_WEEK] = NUM_WEEKS, [OBU_MONTH] = NUM_MONTHS,
                                 [OBU_YEAR] = NUM_YEARS, [OBU_BDAY] = NUM_BUSINESS_DAYS};
  return add_units(day, count, num_unit[unit]);
}

/* The due day of an instance of o triggered on `trigger`. */
static int32_t due_of(const cobl *o, int32_t trigger) {
  return o->due_relative ? obligations_date_add(trigger, o->due_count, o->due_unit) : o->due_day;
}

/* ---- Reading the hidden slots ---------------------------------------------------------- */

/* The value of slot after the first p events. */
static int64_t value_at(const pactum_agreement *agr, const pactum_timeline *tl, int slot, size_t p) {
  size_t c = timeline_changes(tl, slot, p), after;
  return c ? timeline_change(tl, slot, c - 1, &after) : agr->init[slot];
}

/* ---- One obligation -------------------------------------------------------------------- */

/* An open-addressed map from a key to the chain of instances holding it (`where` matching). */
typedef struct keymap {
  int64_t *keys;
  size_t *head, *tail; /* instance indices + 1; 0: an empty slot */
  size_t mask;
} keymap;

static size_t key_slot(const keymap *m, int64_t k) {
  uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull;
  size_t i = (size_t)(h >> 17) & m->mask;
  while (m->head[i] && m->keys[i] != k) i = (i + 1) & m->mask;
  return i;
}

typedef struct walk {
  const pactum_agreement *agr;
  const pactum_timeline *tl;
  obligations_list *out;
  const cobl *o;
  int oi;
  size_t base;          /* the obligation's first instance in out->v */
  size_t nev;           /* events dated on or before the day */
  int has_disc;
  size_t disc_pos;      /* the first discharging event's position (1-based) */
  int32_t disc_day;
} walk;

static int push(walk *w, const obl_instance *x, pactum_error *err) {
  obligations_list *l = w->out;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    obl_instance *v = px_realloc(l->v, cap * sizeof *v);
    if (!v) return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = *x;
  return PACTUM_OK;
}

static void instance_init(walk *w, obl_instance *x, int32_t number, int32_t trigger) {
  memset(x, 0, sizeof *x);
  x->obl = w->oi;
  x->number = number;
  x->trigger = trigger;
  x->due = due_of(w->o, trigger);
  x->fulfilled = x->discharged = NONE;
  x->next_same = -1;
  x->has_owed = w->o->amount != OBA_NONE;
  if (w->o->amount == OBA_LIT || w->o->amount == OBA_FACT) x->owed = w->o->amount_value;
}

/* The instances, in trigger order, up to the day (and, for a dated trigger, the first one after it). */
static int create_instances(walk *w, int32_t day, pactum_error *err) {
  const cobl *o = w->o;
  obl_instance x;
  if (o->trigger == OBT_EVENT) {
    size_t nt = w->tl ? timeline_changes(w->tl, o->slot_trig, w->nev) : 0;
    for (size_t k = 0; k < nt; k++) {
      size_t p;
      (void)timeline_change(w->tl, o->slot_trig, k, &p);
      instance_init(w, &x, (int32_t)(k + 1), timeline_day(w->tl, p - 1));
      x.pos = (int64_t)p;
      x.trigger_seq = value_at(w->agr, w->tl, o->slot_trig_seq, p);
      if (o->slot_trig_key >= 0) x.key = value_at(w->agr, w->tl, o->slot_trig_key, p);
      if (o->slot_trig_amount >= 0) x.owed = value_at(w->agr, w->tl, o->slot_trig_amount, p);
      if (w->has_disc && p > w->disc_pos) x.discharged = x.trigger; /* the obligation had ended */
      if (push(w, &x, err)) return PACTUM_ENOMEM;
    }
  } else if (o->trigger == OBT_AT) {
    instance_init(w, &x, 1, o->at_day);
    x.key = 1;
    if (w->has_disc && o->at_day > w->disc_day) x.discharged = w->disc_day;
    if (push(w, &x, err)) return PACTUM_ENOMEM;
  } else {
    for (int64_t k = 1;; k++) {
      int32_t start = add_months(o->from, (k - 1) * o->every_months);
      if (start > o->until || (k > 1 && start == last_day())) break;
      int32_t next = add_months(o->from, k * o->every_months);
      int32_t end = next == last_day() ? next : next - 1;
      if (end > o->until) end = o->until;
      if (w->has_disc && end > w->disc_day) break; /* the recurrence ended with the discharge */
      instance_init(w, &x, (int32_t)k, end);
      x.key = k;
      if (push(w, &x, err)) return PACTUM_ENOMEM;
      if (end > day || end == last_day()) break; /* the period in progress is the last listed */
    }
  }
  return PACTUM_OK;
}

static int closed(const obl_instance *x) { return x->fulfilled != NONE || x->discharged != NONE; }

/* The discharge: every instance then neither fulfilled, discharged nor past due. */
static void discharge(walk *w) {
  obligations_list *l = w->out;
  for (size_t i = w->base; i < l->n; i++) {
    obl_instance *x = &l->v[i];
    if (closed(x) || x->due < w->disc_day) continue;
    if (w->o->trigger == OBT_EVENT && (size_t)x->pos >= w->disc_pos) continue;
    x->discharged = w->disc_day;
  }
}

/* Count a fulfilling event (at position p, day pd, counting amount) toward instance x. */
static int credit(walk *w, obl_instance *x, int64_t amount, int32_t pd, pactum_error *err) {
  if (w->o->count_field >= 0) {
    if (__builtin_add_overflow(x->paid, amount, &x->paid))
      return error_set(err, PACTUM_EINPUT, "overflow", "what is paid toward obligation '%s' #%d leaves the 64-bit range",
                       w->o->id, x->number);
    if (!closed(x) && x->paid >= x->owed) x->fulfilled = pd;
  } else if (!closed(x)) {
    x->fulfilled = pd;
    x->paid = x->owed;
  }
  return PACTUM_OK;
}

static int unmatched(walk *w, int64_t amount, pactum_error *err) {
  w->out->unmatched[w->oi]++;
  if (__builtin_add_overflow(w->out->unmatched_amount[w->oi], amount, &w->out->unmatched_amount[w->oi]))
    return error_set(err, PACTUM_EINPUT, "overflow", "what is paid toward obligation '%s' leaves the 64-bit range",
                     w->o->id);
  return PACTUM_OK;
}

/* Walk the fulfilling events in order, with the discharge at its place among them. */
static int apply_events(walk *w, pactum_error *err) {
  const cobl *o = w->o;
  obligations_list *l = w->out;
  size_t n = l->n - w->base;
  keymap m;
  memset(&m, 0, sizeof m);
  if (o->has_where && n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    m.mask = cap - 1;
    m.keys = px_malloc(cap * sizeof *m.keys);
    m.head = px_calloc(cap, sizeof *m.head);
    m.tail = px_malloc(cap * sizeof *m.tail);
    if (!m.keys || !m.head || !m.tail) {
      px_free(m.keys);
      px_free(m.head);
      px_free(m.tail);
      return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
    }
    for (size_t i = w->base; i < l->n; i++) {
      size_t s = key_slot(&m, l->v[i].key);
      if (!m.head[s]) {
        m.keys[s] = l->v[i].key;
        m.head[s] = i + 1;
      } else {
        l->v[m.tail[s] - 1].next_same = (int32_t)(i - w->base);
      }
      m.tail[s] = i + 1;
    }
  }
  int rc = PACTUM_OK, discharged = !w->has_disc;
  size_t fifo = w->base;
  size_t nf = w->tl ? timeline_changes(w->tl, o->slot_ful, w->nev) : 0;
  for (size_t j = 0; j < nf && rc == PACTUM_OK; j++) {
    size_t p;
    (void)timeline_change(w->tl, o->slot_ful, j, &p);
    int32_t pd = timeline_day(w->tl, p - 1);
    if (!discharged && w->disc_pos < p) {
      discharge(w);
      discharged = 1;
    }
    int64_t amount = o->slot_ful_count >= 0 ? value_at(w->agr, w->tl, o->slot_ful_count, p) : 0;
    obl_instance *target = NULL;
    if (o->has_where) {
      int64_t key = value_at(w->agr, w->tl, o->slot_ful_key, p);
      size_t s = n ? key_slot(&m, key) : 0;
      if (n && m.head[s]) {
        /* The head moves past closed instances: they never reopen. */
        while (m.head[s] && closed(&l->v[m.head[s] - 1])) {
          int32_t nx = l->v[m.head[s] - 1].next_same;
          m.head[s] = nx < 0 ? 0 : w->base + (size_t)nx + 1;
        }
        obl_instance *x = m.head[s] ? &l->v[m.head[s] - 1] : NULL;
        if (x && (o->trigger != OBT_EVENT || (size_t)x->pos < p)) target = x;
        else if (!x && o->count_field >= 0) {
          obl_instance *t = &l->v[m.tail[s] - 1];
          if (o->trigger != OBT_EVENT || (size_t)t->pos < p) target = t;
        }
      }
    } else {
      while (fifo < l->n && closed(&l->v[fifo])) fifo++;
      if (fifo < l->n) {
        obl_instance *x = &l->v[fifo];
        if (o->trigger == OBT_EVENT ? (size_t)x->pos < p : x->trigger <= pd) target = x;
      }
    }
    rc = target ? credit(w, target, amount, pd, err) : unmatched(w, amount, err);
  }
  if (rc == PACTUM_OK && !discharged) discharge(w);
  px_free(m.keys);
  px_free(m.head);
  px_free(m.tail);
  return rc;
}

static void set_states(obligations_list *l, size_t from, int32_t day) {
  for (size_t i = from; i < l->n; i++) {
    obl_instance *x = &l->v[i];
    x->next_same = -1;
    if (x->discharged != NONE) x->state = OBS_DISCHARGED;
    else if (x->fulfilled != NONE) {
      x->state = OBS_FULFILLED;
      x->on_time = x->fulfilled <= x->due;
    } else if (x->trigger > day) x->state = OBS_PENDING;
    else if (day > x->due) x->state = OBS_VIOLATED;
    else x->state = OBS_ACTIVE;
  }
}

int obligations_compute(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, obligations_list *out,
                        pactum_error *err) {
  memset(out, 0, sizeof *out);
  out->day = day;
  if (tl && tl->n == 0) tl = NULL;
  out->unmatched = px_calloc((size_t)(agr->nobligs ? agr->nobligs : 1), sizeof(int64_t));
  out->unmatched_amount = px_calloc((size_t)(agr->nobligs ? agr->nobligs : 1), sizeof(int64_t));
  if (!out->unmatched || !out->unmatched_amount) return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  size_t nev = tl ? timeline_count_until(tl, day) : 0;
  for (int i = 0; i < agr->nobligs; i++) {
    walk w;
    memset(&w, 0, sizeof w);
    w.agr = agr;
    w.tl = tl;
    w.out = out;
    w.o = &agr->obligs[i];
    w.oi = i;
    w.base = out->n;
    w.nev = nev;
    if (tl && w.o->slot_dis >= 0 && timeline_changes(tl, w.o->slot_dis, nev)) {
      (void)timeline_change(tl, w.o->slot_dis, 0, &w.disc_pos);
      w.disc_day = timeline_day(tl, w.disc_pos - 1);
      w.has_disc = 1;
    }
    int rc = create_instances(&w, day, err);
    if (rc == PACTUM_OK) rc = apply_events(&w, err);
    if (rc != PACTUM_OK) return rc;
    set_states(out, w.base, day);
  }
  return PACTUM_OK;
}

void obligations_release(obligations_list *l) {
  if (!l) return;
  px_free(l->v);
  px_free(l->unmatched);
  px_free(l->unmatched_amount);
  memset(l, 0, sizeof *l);
}

/* ---- Reports --------------------------------------------------------------------------- */

const char *obligations_state_word(int state) {
  static const char *const w[] = {"pending", "active", "fulfilled", "violated", "discharged"};
  return state >= 0 && state <= OBS_DISCHARGED ? w[state] : "?";
}

static void put_day_json(buf *b, int32_t day) {
  if (day == NONE) {
    buf_puts(b, "null");
    return;
  }
  char d[11];
  date_format(day, d);
  buf_printf(b, "\"%s\"", d);
}

/* An amount in JSON: money in dollars (num_json: an integer when whole, else an exact decimal string), an integer as itself. */
static void put_amount_json(buf *b, int64_t v, int money) {
  if (money) num_json(b, v);
  else buf_i64(b, v);
}

size_t obligations_put_json(buf *b, const pactum_agreement *agr, const obligations_list *l, size_t limit) {
  size_t shown = l->n < limit ? l->n : limit;
  buf_putc(b, '[');
  for (size_t i = 0; i < shown; i++) {
    const obl_instance *x = &l->v[i];
    const cobl *o = &agr->obligs[x->obl];
    buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
    buf_json_cstr(b, o->id);
    buf_printf(b, ",\"instance\":%d,\"state\":\"%s\",\"due\":", x->number, obligations_state_word(x->state));
    put_day_json(b, x->due);
    if (x->has_owed) {
      buf_puts(b, ",\"owed\":");
      put_amount_json(b, x->owed, o->is_money);
      buf_puts(b, ",\"paid\":");
      put_amount_json(b, x->paid, o->is_money);
    } else buf_puts(b, ",\"owed\":null,\"paid\":null");
    buf_printf(b, ",\"unit\":\"%s\"", x->has_owed && o->is_money ? "USD" : "");
    buf_puts(b, ",\"owed_by\":");
    buf_json_cstr(b, agr->parties[o->owed_by].name);
    buf_puts(b, ",\"owed_to\":");
    buf_json_cstr(b, agr->parties[o->owed_to].name);
    buf_puts(b, ",\"trigger\":");
    put_day_json(b, x->trigger);
    buf_puts(b, ",\"trigger_seq\":");
    if (x->trigger_seq) buf_i64(b, x->trigger_seq);
    else buf_puts(b, "null");
    buf_puts(b, ",\"fulfilled_on\":");
    put_day_json(b, x->fulfilled);
    buf_printf(b, ",\"on_time\":%s,\"discharged_on\":",
               x->state != OBS_FULFILLED ? "null" : x->on_time ? "true" : "false");
    put_day_json(b, x->discharged);
    buf_putc(b, '}');
  }
  buf_putc(b, ']');
  return l->n - shown;
}

/* An amount as the reports write it: money as "$1,250" or "$0.004" (num_text), an integer as itself. */
static void put_amount(buf *b, int64_t v, int money) {
  if (money) num_text(b, v, 1);
  else buf_i64(b, v);
}

static void render_text(buf *b, const pactum_agreement *agr, const obligations_list *l, size_t limit) {
  char d[11];
  date_format(l->day, d);
  buf_printf(b, "%s %s: obligations on %s (%zu instance%s)\n", agr->id, agr->version, d, l->n, l->n == 1 ? "" : "s");
  if (!agr->nobligs) buf_puts(b, "\n(no obligations)\n");
  size_t i = 0;
  for (int k = 0; k < agr->nobligs; k++) {
    const cobl *o = &agr->obligs[k];
    buf_printf(b, "\n%s: %s owes %s: %s\n", o->id, agr->parties[o->owed_by].name, agr->parties[o->owed_to].name, o->what);
    size_t first = i;
    for (; i < l->n && l->v[i].obl == k; i++) {
      if (i >= limit) continue;
      const obl_instance *x = &l->v[i];
      char t[11], u[11];
      date_format(x->trigger, t);
      date_format(x->due, u);
      buf_printf(b, "  #%-4d triggered %s  due %s  ", x->number, t, u);
      if (x->has_owed) {
        buf_puts(b, "owed ");
        put_amount(b, x->owed, o->is_money);
        buf_puts(b, "  paid ");
        put_amount(b, x->paid, o->is_money);
        buf_puts(b, "  ");
      }
      buf_puts(b, obligations_state_word(x->state));
      if (x->state == OBS_FULFILLED) {
        date_format(x->fulfilled, t);
        buf_printf(b, " %s on %s", x->on_time ? "on time" : "late", t);
      } else if (x->state == OBS_DISCHARGED) {
        date_format(x->discharged, t);
        buf_printf(b, " on %s", t);
      }
      buf_putc(b, '\n');
    }
    if (i == first) buf_puts(b, "  (no instances)\n");
    if (l->unmatched[k]) {
      buf_printf(b, "  %lld fulfilling event%s matched no open instance", (long long)l->unmatched[k],
                 l->unmatched[k] == 1 ? "" : "s");
      if (o->count_field >= 0) {
        buf_puts(b, " (");
        put_amount(b, l->unmatched_amount[k], o->is_money);
        buf_puts(b, ")");
      }
      buf_putc(b, '\n');
    }
  }
  if (l->n > limit)
    buf_printf(b, "\n%zu more instances are not listed: a report lists at most %zu\n", l->n - limit, limit);
}

char *obligations_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int as_json,
                         pactum_error *err) {
  pactum_error scratch;
  if (!err) err = &scratch;
  obligations_list l;
  if (obligations_compute(agr, tl, day, &l, err) != PACTUM_OK) {
    obligations_release(&l);
    return NULL;
  }
  buf b;
  buf_init(&b);
  if (as_json) {
    char d[11];
    date_format(day, d);
    buf_printf(&b, "{\"date\":\"%s\",\"agreement\":{\"id\":", d);
    buf_json_cstr(&b, agr->id);
    buf_puts(&b, ",\"version\":");
    buf_json_cstr(&b, agr->version);
    buf_puts(&b, "},\"obligations\":");
    size_t omitted = obligations_put_json(&b, agr, &l, OBLIGATIONS_REPORT_MAX);
    buf_printf(&b, ",\"omitted\":%zu,\"unmatched\":[", omitted);
    int n = 0;
    for (int k = 0; k < agr->nobligs; k++) {
      if (!l.unmatched[k]) continue;
      buf_puts(&b, n++ ? ",{\"id\":" : "{\"id\":");
      buf_json_cstr(&b, agr->obligs[k].id);
      buf_printf(&b, ",\"events\":%lld,\"amount\":%lld}", (long long)l.unmatched[k], (long long)l.unmatched_amount[k]);
    }
    buf_puts(&b, "]}");
  } else {
    render_text(&b, agr, &l, OBLIGATIONS_REPORT_MAX);
  }
  obligations_release(&l);
  char *s = buf_detach(&b);
  if (!s) error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  return s;
}
