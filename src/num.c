/*
** num.c: exact fixed-point numbers and durations (see num.h).
*/
#include "num.h"

#include <string.h>
#include "banned.h"

__extension__ typedef __int128 num_i128;

#define NUM_DUR_MAX 10000000 /* the largest count of a duration */

static int is_digit(int c) { return c >= '0' && c <= '9'; }

int num_scale(int64_t whole, int64_t *out) {
  if (whole > INT64_MAX / NUM_SCALE || whole < INT64_MIN / NUM_SCALE) return NUM_EOVERFLOW;
  *out = whole * NUM_SCALE;
  return NUM_OK;
}

int num_parse(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (i < n && s[i] == '-') neg = 1, i++;
  if (i == n || !is_digit((unsigned char)s[i])) return NUM_EBAD;
  /* Accumulate the magnitude negatively, so INT64_MIN itself fits. */
  int64_t v = 0;
  int over = 0;
  for (; i < n && is_digit((unsigned char)s[i]); i++) {
    int d = s[i] - '0';
    if (v < (INT64_MIN + d) / 10) over = 1;
    else v = v * 10 - d;
  }
  int64_t frac = 0;
  int nf = 0;
  if (i < n && s[i] == '.') {
    i++;
    if (i == n || !is_digit((unsigned char)s[i])) return NUM_EBAD;
    int more = 0;
    for (; i < n && is_digit((unsigned char)s[i]); i++) {
      if (nf < NUM_DIGITS) frac = frac * 10 + (s[i] - '0'), nf++;
      else if (s[i] != '0') more = 1;
    }
    if (more) return NUM_EDIGITS;
  }
  if (i != n) return NUM_EBAD;
  for (; nf < NUM_DIGITS; nf++) frac *= 10;
  if (over || v < INT64_MIN / NUM_SCALE) return NUM_EOVERFLOW;
  v = v * NUM_SCALE;
  if (v < INT64_MIN + frac) return NUM_EOVERFLOW;
  v -= frac;
  if (!neg) {
    if (v == INT64_MIN) return NUM_EOVERFLOW;
    v = -v;
  }
  *out = v;
  return NUM_OK;
}

int num_from_json(const json_t *v, int64_t *out) {
  if (json_is_integer(v)) return num_scale((int64_t)json_integer_value(v), out);
  if (json_is_string(v)) return num_parse(json_string_value(v), json_string_length(v), out);
  return NUM_EBAD;
}

/* The digits of |v| / 10^6 and of its fraction (without trailing zeros, at least min_frac). */
static void split(int64_t v, char whole[24], char frac[8], int min_frac) {
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t w = u / NUM_SCALE, f = u % NUM_SCALE;
  char t[24];
  int n = 0;
  do {
    t[n++] = (char)('0' + w % 10);
    w /= 10;
  } while (w);
  for (int i = 0; i < n; i++) whole[i] = t[n - 1 - i];
  whole[n] = '\0';
  if (!f) {
    frac[0] = '\0';
    return;
  }
  for (int i = NUM_DIGITS - 1; i >= 0; i--) {
    frac[i] = (char)('0' + f % 10);
    f /= 10;
  }
  int k = NUM_DIGITS;
  while (k > min_frac && frac[k - 1] == '0') k--;
  frac[k] = '\0';
}

int num_format(char out[NUM_TEXT_MAX], int64_t v, int money) {
  char whole[24], frac[8];
  split(v, whole, frac, money ? 2 : 1);
  int o = 0;
  if (v < 0) out[o++] = '-';
  if (money) out[o++] = '$';
  int n = (int)strlen(whole);
  for (int i = 0; i < n; i++) {
    if (money && i && (n - i) % 3 == 0) out[o++] = ',';
    out[o++] = whole[i];
  }
  if (frac[0]) {
    out[o++] = '.';
    for (int i = 0; frac[i]; i++) out[o++] = frac[i];
  }
  out[o] = '\0';
  return o;
}

void num_text(buf *b, int64_t v, int money) {
  char t[NUM_TEXT_MAX];
  buf_puts(b, (num_format(t, v, money), t));
}

void num_json(buf *b, int64_t v) {
  char whole[24], frac[8];
  split(v, whole, frac, 1);
  if (!frac[0]) {
    buf_printf(b, "%s%s", v < 0 ? "-" : "", whole);
    return;
  }
  buf_printf(b, "\"%s%s.%s\"", v < 0 ? "-" : "", whole, frac);
}

json_t *num_json_value(int64_t v) {
  if (v % NUM_SCALE == 0) return json_integer(v / NUM_SCALE);
  char whole[24], frac[8], t[40];
  split(v, whole, frac, 1);
  size_t o = 0;
  if (v < 0) t[o++] = '-';
  memcpy(t + o, whole, strlen(whole));
  o += strlen(whole);
  t[o++] = '.';
  memcpy(t + o, frac, strlen(frac) + 1);
  return json_string(t);
}

int num_add(int64_t a, int64_t b, int64_t *out) {
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return NUM_EOVERFLOW;
  *out = a + b;
  return NUM_OK;
}

int num_sub(int64_t a, int64_t b, int64_t *out) {
  if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) return NUM_EOVERFLOW;
  *out = a - b;
  return NUM_OK;
}

static int fit(num_i128 r, int64_t *out) {
  if (r > (num_i128)INT64_MAX || r < (num_i128)INT64_MIN) return NUM_EOVERFLOW;
  *out = (int64_t)r;
  return NUM_OK;
}

/* n / d rounded half away from zero (d != 0). */
static num_i128 div_round(num_i128 n, num_i128 d) {
  num_i128 q = n / d, r = n % d;
  num_i128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
  if (2 * ar >= ad) q += (n < 0) != (d < 0) ? -1 : 1;
  return q;
}

int num_mul(int64_t a, int64_t b, int64_t *out) { return fit((num_i128)a * b, out); }

int num_mul_scaled(int64_t a, int64_t b, int64_t *out) {
  return fit(div_round((num_i128)a * b, NUM_SCALE), out);
}

int num_div_round(int64_t a, int64_t b, int64_t *out) {
  if (!b) return NUM_EDIVZERO;
  return fit(div_round(a, b), out);
}

int num_div_scaled(int64_t a, int64_t b, int64_t *out) {
  if (!b) return NUM_EDIVZERO;
  return fit(div_round((num_i128)a * NUM_SCALE, b), out);
}

int num_duration(int64_t count, int unit, int64_t *out) {
  if (count > NUM_DUR_MAX || count < -NUM_DUR_MAX || unit < NUM_DAYS || unit > NUM_BUSINESS_DAYS) return NUM_EOVERFLOW;
  *out = count * 8 + unit;
  return NUM_OK;
}

int num_duration_unit(int64_t d) { return (int)(d & 7); }
int64_t num_duration_count(int64_t d) { return (d - (d & 7)) / 8; }

void num_duration_text(buf *b, int64_t d) {
  static const char *const one[] = {"day", "week", "month", "year", "business day"};
  int u = num_duration_unit(d);
  int64_t n = num_duration_count(d);
  if (u > NUM_BUSINESS_DAYS) u = NUM_DAYS;
  buf_printf(b, "%lld %s%s", (long long)n, one[u], n == 1 || n == -1 ? "" : "s");
}

int num_unit_word(const char *w, size_t n) {
  static const char *const words[] = {"day", "days", "week", "weeks", "month", "months", "year", "years"};
  for (int i = 0; i < 8; i++)
    if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0) return i / 2;
  if (n == 8 && memcmp(w, "business", 8) == 0) return -2;
  return -1;
}

int num_duration_parse(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int64_t count = 0;
  if (i == n || !is_digit((unsigned char)s[i])) return NUM_EBAD;
  for (; i < n && is_digit((unsigned char)s[i]); i++) {
    count = count * 10 + (s[i] - '0');
    if (count > NUM_DUR_MAX) return NUM_EOVERFLOW;
  }
  if (i == n || s[i] != ' ') return NUM_EBAD;
  i++;
  size_t w = i;
  while (i < n && s[i] != ' ') i++;
  int unit = num_unit_word(s + w, i - w);
  if (unit == -2) {
    if (i == n) return NUM_EBAD;
    i++;
    if (num_unit_word(s + i, n - i) != NUM_DAYS) return NUM_EBAD;
    unit = NUM_BUSINESS_DAYS;
  } else if (unit < 0 || i != n) {
    return NUM_EBAD;
  }
  return num_duration(count, unit, out);
}

const char *num_strerror(int rc) {
  switch (rc) {
  case NUM_EBAD: return "not a number";
  case NUM_EDIGITS: return "more than 6 fractional digits";
  case NUM_EOVERFLOW: return "overflow";
  case NUM_EDIVZERO: return "division by zero";
  default: return "no error";
  }
}
