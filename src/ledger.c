/*
** ledger.c: the commitments ledger (`pactum ledger`, see ledger.h). For each commitment on a
** day: the total, what the events dated on or before that day have counted toward it, what
** remains (or the excess), the amounts month by month or quarter by quarter, and, when it
** has a deadline, the days left and the monthly pace that would still meet it.
**
** Amounts are exact int64 and every sum or difference is checked: nothing wraps. The amounts
** of a period are the changes of the commitment's sum in the timeline, so an
** event counts toward a commitment exactly when it changed that commitment's sum.
*/
#include "ledger.h"
#include "num.h"
#include "agreement.h"
#include "alloc.h"
#include "buf.h"
#include "date.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

enum { ST_OPEN, ST_MET, ST_MISSED };
static const char *const status_word[] = {"open", "met", "missed"};

/* ---- numbers ------------------------------------------------------------------------ */

/*
** v written into out[32] as the reports write amounts: money grouped with "$" after any sign
** ("$1,250,000", "-$5", "$0.004": money is in millionths of a dollar, num.h), anything else as
** plain digits. Returns the length; out is the caller's.
*/
static int fmt_amount(char out[32], int64_t v, int money) {
  if (!money) return snprintf(out, 32, "%lld", (long long)v);
  return num_format(out, v, 1);
}

/* v as a JSON amount: money in dollars (an integer, or an exact decimal string), else the count. */
static void put_json_amount(buf *b, int64_t v, int money) {
  if (money) num_json(b, v);
  else buf_i64(b, v);
}

/*
** 100 * done / total with two decimals, rounded half up, computed exactly (no floating
** point, no overflow: the long division only ever adds two numbers below total in uint64).
** total must be positive; a negative done is written with its sign.
*/
static void put_percent(buf *b, int64_t done, int64_t total) {
  uint64_t t = (uint64_t)total;
  uint64_t u = done < 0 ? (uint64_t)0 - (uint64_t)done : (uint64_t)done;
  uint64_t q = u / t, r = u % t;
  unsigned dig[5];
  for (int k = 0; k < 5; k++) {
    /* 10 * r = dig[k] * t + r', with r < t, without forming 10 * r. */
    uint64_t acc = 0;
    unsigned d = 0;
    for (int j = 0; j < 10; j++) {
      acc += r;
      if (acc >= t) {
        acc -= t;
        d++;
      }
    }
    dig[k] = d;
    r = acc;
  }
  unsigned frac = dig[0] * 1000 + dig[1] * 100 + dig[2] * 10 + dig[3] + (dig[4] >= 5);
  if (frac == 10000) {
    frac = 0;
    q++;
  }
  if (done < 0 && (q || frac)) buf_putc(b, '-');
  if (q) buf_printf(b, "%llu%02u.%02u", (unsigned long long)q, frac / 100, frac % 100);
  else buf_printf(b, "%u.%02u", frac / 100, frac % 100);
}

/* ---- calendar ----------------------------------------------------------------------- */

/* The period holding `day`: a month number y*12 + (m-1), or a quarter number y*4 + (m-1)/3. */
static int64_t period_of(int32_t day, int by_quarter) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return by_quarter ? (int64_t)y * 4 + (m - 1) / 3 : (int64_t)y * 12 + (m - 1);
}

/* Append the label of period p: "2026-02" or "2026-Q1". */
static void put_period(buf *b, int64_t p, int by_quarter) {
  if (by_quarter) buf_printf(b, "%04lld-Q%lld", (long long)(p / 4), (long long)(p % 4 + 1));
  else buf_printf(b, "%04lld-%02lld", (long long)(p / 12), (long long)(p % 12 + 1));
}

/* The day k calendar months after y-m-d, the day of the month clamped to the month's length. */
static int64_t add_months(int y, int m, int d, int k) {
  int t = y * 12 + (m - 1) + k;
  int ny = t / 12, nm = t % 12 + 1;
  int32_t first = date_from_ymd(ny, nm, 1);
  int32_t next = nm == 12 ? date_from_ymd(ny + 1, 1, 1) : date_from_ymd(ny, nm + 1, 1);
  int len = (int)(next - first);
  return (int64_t)first + (d < len ? d : len) - 1;
}

/*
** The time from day a up to day b (a <= b): the largest number of whole calendar months m
** with a + m months <= b, and in *rest the days from a + m months to b.
*/
static int whole_months(int32_t a, int64_t b, int64_t *rest) {
  int y1, m1, d1, y2, m2, d2;
  date_to_ymd(a, &y1, &m1, &d1);
  date_to_ymd((int32_t)b, &y2, &m2, &d2);
  int m = (y2 * 12 + m2) - (y1 * 12 + m1);
  if (m < 0) m = 0;
  while (m > 0 && add_months(y1, m1, d1, m) > b) m--;
  while (add_months(y1, m1, d1, m + 1) <= b) m++;
  *rest = b - add_months(y1, m1, d1, m);
  return m;
}

/* ---- one commitment ----------------------------------------------------------------- */

typedef struct cline {
  int64_t done, left, excess;
  int status;
  int64_t days_to;     /* deadline - day; negative once it has passed */
  int has_pace;        /* an open commitment with a deadline: pace, months, rest are set */
  int64_t pace;        /* per month, rounded up */
  int64_t months;      /* the months the pace divides by: whole months, a part month counting as one */
  int whole;           /* whole months left */
  int64_t rest;        /* and days beyond them */
} cline;

/* Where commitment c stands on day, given its sum done. 0, or -1 if a difference overflows. */
static int commitment_line(const ccommit *c, int64_t done, int32_t day, cline *out) {
  memset(out, 0, sizeof *out);
  out->done = done;
  if (done < c->total) {
    if (__builtin_sub_overflow(c->total, done, &out->left)) return -1;
  } else if (__builtin_sub_overflow(done, c->total, &out->excess)) {
    return -1;
  }
  out->status = out->left == 0 ? ST_MET : ST_OPEN;
  if (!c->has_deadline) return 0;
  out->days_to = (int64_t)c->deadline - day;
  if (out->status == ST_MET) return 0;
  if (out->days_to < 0) {
    out->status = ST_MISSED;
    return 0;
  }
  /* Events dated on the deadline still count, so the time left runs through the end of it. */
  out->whole = whole_months(day, (int64_t)c->deadline + 1, &out->rest);
  out->months = out->whole + (out->rest > 0);
  /* Rounded up to a whole unit: a whole dollar for money (num.h), a whole unit otherwise. */
  int64_t unit = c->is_money ? NUM_SCALE : 1, per = out->months * unit;
  out->pace = (out->left / per + (out->left % per != 0)) * unit;
  out->has_pace = 1;
  return 0;
}

/*
** Walks one commitment's periods, from the first with an amount through the period of day. The
** amounts are the changes of its slot in the timeline: each event that counted toward it changed
** the sum by what it counted.
*/
typedef struct piter {
  const pactum_timeline *tl;
  size_t nch;          /* the slot's changes made by events dated on or before day */
  int slot;            /* the commitment's slot in the state */
  int by_quarter;
  size_t k;            /* the next change to count */
  int64_t p, last;     /* the next period, and the last */
  int64_t prev;        /* the sum before change k */
  int64_t cum;
} piter;

/* Change k's amount into *amount, and the period of the event that made it into *p. 0, or -1 on overflow. */
static int change_amount(const piter *it, size_t k, int64_t prev, int64_t *amount, int64_t *p) {
  size_t after;
  int64_t v = timeline_change(it->tl, it->slot, k, &after);
  *p = period_of(timeline_day(it->tl, after - 1), it->by_quarter);
  return __builtin_sub_overflow(v, prev, amount) ? -1 : 0;
}

/* Start it at its first period (it->p > it->last when there is none). */
static void piter_start(piter *it, const pactum_agreement *agr, const pactum_timeline *tl, size_t nev, int slot,
                        int by_quarter, int32_t day) {
  memset(it, 0, sizeof *it);
  it->tl = tl;
  it->slot = slot;
  it->by_quarter = by_quarter;
  it->last = period_of(day, by_quarter);
  it->p = it->last + 1;
  it->cum = it->prev = agr->init[slot];
  if (!tl || !(it->nch = timeline_changes(tl, slot, nev))) return;
  size_t after;
  (void)timeline_change(tl, slot, 0, &after);
  it->p = period_of(timeline_day(tl, after - 1), by_quarter);
}

/* The next period: 1 with *p, *amount and *cum set; 0 when done; -1 on overflow. */
static int piter_next(piter *it, int64_t *p, int64_t *amount, int64_t *cum) {
  if (it->p > it->last) return 0;
  int64_t sum = 0;
  while (it->k < it->nch) {
    int64_t a, q;
    if (change_amount(it, it->k, it->prev, &a, &q)) return -1;
    if (q != it->p) break;
    if (__builtin_add_overflow(sum, a, &sum)) return -1;
    it->prev += a;
    it->k++;
  }
  if (__builtin_add_overflow(it->cum, sum, &it->cum)) return -1;
  *p = it->p++;
  *amount = sum;
  *cum = it->cum;
  return 1;
}

/* ---- rendering ---------------------------------------------------------------------- */

static void put_amount(buf *b, int64_t v, int money) {
  char s[32];
  fmt_amount(s, v, money);
  buf_puts(b, s);
}

/* An amount with the commitment's unit when it is not money: "$5,000,000" or "10 widgets". */
static void put_quantity(buf *b, const ccommit *c, int64_t v) {
  put_amount(b, v, c->is_money);
  if (!c->is_money && c->unit && c->unit[0]) buf_printf(b, " %s", c->unit);
}

static void put_days(buf *b, int64_t n) {
  buf_printf(b, "%lld day%s", (long long)n, n == 1 ? "" : "s");
}

/*
** The window of commitment c, as written after `counted from`: "volume_purchase.amount_usd since
** 2026-07-01 where ...", the `where` as its source text. Written only when c has a window (`since`
** or `where`); returns whether it has one.
*/
static int put_window(buf *b, const pactum_agreement *agr, const ccommit *c) {
  if (c->since == DAY_MIN && c->where < 0) return 0;
  const cevent *ev = &agr->events[c->event];
  buf_printf(b, "%s.%s", ev->name, ev->fields[c->field].name);
  if (c->since != DAY_MIN) {
    char d[11];
    date_format(c->since, d);
    buf_printf(b, " since %s", d);
  }
  if (c->where >= 0) {
    const xop *x = &agr->code[c->where];
    size_t st = x->start, en = x->end;
    if (en > agr->src_len) en = agr->src_len;
    if (st > en) st = en;
    buf_puts(b, " where ");
    buf_append(b, agr->src + st, en - st);
  }
  return 1;
}

/* Commitment i as a JSON object. 0, or -1 on overflow. */
static int render_json(buf *b, const pactum_agreement *agr, int i, const cline *l, piter *it) {
  const ccommit *c = &agr->commits[i];
  buf_puts(b, "{\"id\":");
  buf_json_cstr(b, c->id);
  buf_puts(b, ",\"owed_by\":");
  buf_json_cstr(b, agr->parties[c->owed_by].name);
  buf_puts(b, ",\"owed_to\":");
  buf_json_cstr(b, agr->parties[c->owed_to].name);
  buf_puts(b, ",\"unit\":");
  buf_json_cstr(b, c->unit ? c->unit : "");
  buf_puts(b, ",\"total\":");
  put_json_amount(b, c->total, c->is_money);
  buf_puts(b, ",\"fulfilled\":");
  put_json_amount(b, l->done, c->is_money);
  buf_puts(b, ",\"remaining\":");
  put_json_amount(b, l->left, c->is_money);
  buf_puts(b, ",\"excess\":");
  put_json_amount(b, l->excess, c->is_money);
  buf_puts(b, ",\"percent\":");
  put_percent(b, l->done, c->total);
  buf window;
  buf_init(&window);
  if (put_window(&window, agr, c)) {
    buf_puts(b, ",\"counted\":");
    buf_json_str(b, window.data, window.len);
  }
  buf_release(&window);
  buf_puts(b, ",\"deadline\":");
  if (c->has_deadline) {
    char dl[11];
    date_format(c->deadline, dl);
    buf_printf(b, "\"%s\",\"days_left\":%lld,\"pace_per_month\":", dl,
               (long long)(l->days_to > 0 ? l->days_to : 0));
    if (l->has_pace) put_json_amount(b, l->pace, c->is_money);
    else buf_puts(b, l->status == ST_MET ? "0" : "null");
  } else {
    buf_puts(b, "null,\"days_left\":null,\"pace_per_month\":null");
  }
  buf_printf(b, ",\"status\":\"%s\",\"periods\":[", status_word[l->status]);
  int64_t p, amount, cum;
  int rc, n = 0;
  while ((rc = piter_next(it, &p, &amount, &cum)) == 1) {
    if (n++) buf_putc(b, ',');
    buf_puts(b, "{\"period\":\"");
    put_period(b, p, it->by_quarter);
    buf_puts(b, "\",\"amount\":");
    put_json_amount(b, amount, c->is_money);
    buf_puts(b, ",\"cumulative\":");
    put_json_amount(b, cum, c->is_money);
    buf_putc(b, '}');
  }
  buf_puts(b, "]}");
  return rc;
}

/* Commitment i as a text block ending in its table of periods. 0, or -1 on overflow. */
static int render_text(buf *b, const pactum_agreement *agr, int i, const cline *l, piter *it, int32_t day) {
  const ccommit *c = &agr->commits[i];
  buf_printf(b, "\n%s: %s owes %s: %s\n", c->id, agr->parties[c->owed_by].name, agr->parties[c->owed_to].name,
             c->what);
  buf_puts(b, "  total      ");
  put_quantity(b, c, c->total);
  buf window;
  buf_init(&window);
  if (put_window(&window, agr, c)) {
    buf_puts(b, "\n  counted    ");
    buf_append(b, window.data, window.len);
  }
  buf_release(&window);
  buf_puts(b, "\n  fulfilled  ");
  put_quantity(b, c, l->done);
  buf_puts(b, " (");
  put_percent(b, l->done, c->total);
  buf_puts(b, "%)\n  remaining  ");
  put_quantity(b, c, l->left);
  if (l->excess) {
    buf_puts(b, "\n  excess     ");
    put_quantity(b, c, l->excess);
  }
  buf_puts(b, "\n  deadline   ");
  if (c->has_deadline) {
    char dl[11];
    date_format(c->deadline, dl);
    buf_puts(b, dl);
    if (l->days_to > 0) {
      buf_puts(b, " (");
      put_days(b, l->days_to);
      buf_puts(b, " away)");
    } else if (l->days_to == 0) {
      buf_puts(b, " (today)");
    } else {
      buf_puts(b, " (passed ");
      put_days(b, -l->days_to);
      buf_puts(b, " ago)");
    }
  } else {
    buf_puts(b, "none");
  }
  buf_puts(b, "\n  pace       ");
  if (l->has_pace) {
    put_quantity(b, c, l->pace);
    buf_puts(b, " a month (");
    if (l->whole) buf_printf(b, "%d month%s", l->whole, l->whole == 1 ? "" : "s");
    if (l->whole && l->rest) buf_puts(b, " and ");
    if (l->rest) put_days(b, l->rest);
    buf_puts(b, " left");
    if (l->rest) buf_printf(b, ", counted as %lld month%s", (long long)l->months, l->months == 1 ? "" : "s");
    buf_puts(b, ")");
  } else if (l->status == ST_MET) {
    buf_puts(b, "none needed: met");
  } else if (l->status == ST_MISSED) {
    buf_puts(b, "none possible: the deadline has passed");
  } else {
    buf_puts(b, "none required: no deadline");
  }
  buf_printf(b, "\n  status     %s\n\n", status_word[l->status]);

  if (it->p > it->last) {
    char d[11];
    date_format(day, d);
    buf_printf(b, "  (nothing counted on or before %s)\n", d);
    return 0;
  }
  /* Column widths: the widest amount or cumulative of any row, found by a first pass. */
  piter probe = *it;
  int64_t p, amount, cum;
  int rc, wa = 6, wc = 10; /* "amount", "cumulative" */
  while ((rc = piter_next(&probe, &p, &amount, &cum)) == 1) {
    char s[32];
    int n = fmt_amount(s, amount, c->is_money);
    if (n > wa) wa = n;
    n = fmt_amount(s, cum, c->is_money);
    if (n > wc) wc = n;
  }
  if (rc < 0) return -1;
  /* Period labels, "2026-02" and "2026-Q1", are 7 wide, as is "quarter". */
  buf_printf(b, "  %-7s  %*s  %*s", it->by_quarter ? "quarter" : "month", wa, "amount", wc, "cumulative");
  if (!c->is_money && c->unit && c->unit[0]) buf_printf(b, "  (%s)", c->unit);
  buf_putc(b, '\n');
  while ((rc = piter_next(it, &p, &amount, &cum)) == 1) {
    char sa[32], sc[32];
    fmt_amount(sa, amount, c->is_money);
    fmt_amount(sc, cum, c->is_money);
    buf_puts(b, "  ");
    put_period(b, p, it->by_quarter);
    buf_printf(b, "  %*s  %*s\n", wa, sa, wc, sc);
  }
  return rc;
}

char *ledger_render(const pactum_agreement *agr, const pactum_timeline *tl, int32_t day, int by_quarter,
                    int as_json) {
  const int32_t lo = date_from_ymd(DATE_MIN_YEAR, 1, 1), hi = date_from_ymd(DATE_MAX_YEAR, 12, 31);
  if (day < lo) day = lo;
  if (day > hi) day = hi;
  if (tl && tl->n == 0) tl = NULL;
  size_t nev = tl ? timeline_count_until(tl, day) : 0; /* events dated on or before day: the first nev */
  char d[11];
  date_format(day, d);
  const char *by = by_quarter ? "quarter" : "month";
  buf b;
  buf_init(&b);
  if (as_json) buf_printf(&b, "{\"date\":\"%s\",\"by\":\"%s\",\"commitments\":[", d, by);
  else buf_printf(&b, "%s %s: commitments on %s, by %s\n", agr->id, agr->version, d, by);
  if (!as_json && !agr->ncommits) buf_puts(&b, "\n(no commitments)\n");
  for (int i = 0; i < agr->ncommits; i++) {
    int slot = agr->nstates + i;
    cline l;
    piter it;
    piter_start(&it, agr, tl, nev, slot, by_quarter, day);
    size_t after;
    int64_t done = it.nch ? timeline_change(tl, slot, it.nch - 1, &after) : agr->init[slot]; /* the sum on day */
    if (commitment_line(&agr->commits[i], done, day, &l)) {
      buf_release(&b);
      return NULL;
    }
    if (as_json && i) buf_putc(&b, ',');
    if (as_json ? render_json(&b, agr, i, &l, &it) : render_text(&b, agr, i, &l, &it, day)) {
      buf_release(&b);
      return NULL;
    }
  }
  if (as_json) buf_puts(&b, "]}");
  return buf_detach(&b);
}
