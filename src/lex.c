/*
** lex.c: the `.pact` lexer (see lex.h).
*/
#include "lex.h"
#include "date.h"
#include "num.h"

#include <string.h>
#include "banned.h"

void lex_init(lexer *lx, const char *src, size_t len, arena *ar, diag_list *diags) {
  lx->src = src;
  lx->len = len;
  lx->pos = 0;
  lx->line = 1;
  lx->line_start = 0;
  lx->ar = ar;
  lx->diags = diags;
  /* A UTF-8 byte-order mark is allowed and skipped. */
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) lx->pos = lx->line_start = 3;
}

int lex_is(const token *t, const char *w) {
  size_t n = strlen(w);
  return t->kind == TK_IDENT && t->at.len == n && memcmp(t->text, w, n) == 0;
}

const char *lex_kind_name(tok_kind k) {
  static const char *names[] = {
      "end of file", "identifier", "string", "integer", "money amount", "date",
      "'{'", "'}'", "'('", "')'", "'['", "']'", "','", "':'", "'.'", "'='",
      "'=='", "'!='", "'<'", "'<='", "'>'", "'>='", "decimal number", "'+'", "'-'", "'*'", "'/'",
      "invalid token"};
  return names[k];
}

static loc here(const lexer *lx, size_t start) {
  loc l;
  l.line = lx->line;
  l.col = (uint32_t)(start - lx->line_start + 1);
  l.off = (uint32_t)start;
  l.len = (uint32_t)(lx->pos > start ? lx->pos - start : 1);
  return l;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_word(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c);
}

/* Skip blanks, newlines and comments; report stray bytes that cannot start a token. */
static void skip_space(lexer *lx) {
  while (lx->pos < lx->len) {
    char c = lx->src[lx->pos];
    if (c == '\n') {
      lx->pos++;
      lx->line++;
      lx->line_start = (uint32_t)lx->pos;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      lx->pos++;
    } else if (c == '#') {
      while (lx->pos < lx->len && lx->src[lx->pos] != '\n') lx->pos++;
    } else {
      return;
    }
  }
}

/* One string literal starting at the opening quote, appended to out. */
/* One string literal starting at the opening quote, appended to out; -1 after any error. */
static int lex_string_part(lexer *lx, buf *out) {
  size_t start = lx->pos++;
  int bad = 0;
  while (lx->pos < lx->len) {
    unsigned char c = (unsigned char)lx->src[lx->pos];
    if (c == '"') {
      lx->pos++;
      return bad ? -1 : 0;
    }
    if (c == '\n' || c == '\r') break;
    if (c == '\\') {
      size_t esc = lx->pos;
      unsigned char e = lx->pos + 1 < lx->len ? (unsigned char)lx->src[lx->pos + 1] : '\n';
      if (e == '\n' || e == '\r') {
        lx->pos++;
        break; /* a backslash ending the line (or the input): the string is unterminated */
      }
      const char *rep = e == '"' ? "\"" : e == '\\' ? "\\" : e == 'n' ? "\n" : e == 't' ? "\t" : NULL;
      if (rep) {
        buf_putc(out, rep[0]);
        lx->pos += 2;
        continue;
      }
      /* Skip the whole escaped character, so a multi-byte one gives one error, not two. */
      size_t k = e >= 0x80 ? utf8_seq_len((const unsigned char *)lx->src + lx->pos + 1, lx->len - lx->pos - 1) : 1;
      lx->pos += 1 + (k ? k : 1);
      loc l = here(lx, esc);
      if (e >= 0x20 && e < 0x7f)
        diag_error(lx->diags, l, "unknown escape '\\%c' in string", e);
      else if (k > 1)
        diag_error(lx->diags, l, "unknown escape '\\%.*s' in string", (int)k, lx->src + esc + 1);
      else
        diag_error(lx->diags, l, "unknown escape in string: byte 0x%02x after '\\'", e);
      bad = 1;
      continue;
    }
    if (c < 0x20 && c != '\t') {
      size_t at = lx->pos++;
      diag_error(lx->diags, here(lx, at), "control character 0x%02x in string", c);
      bad = 1;
      continue;
    }
    size_t k = utf8_seq_len((const unsigned char *)lx->src + lx->pos, lx->len - lx->pos);
    if (!k) {
      size_t at = lx->pos++;
      diag_error(lx->diags, here(lx, at), "invalid UTF-8 byte 0x%02x in string", c);
      bad = 1;
      continue;
    }
    buf_append(out, lx->src + lx->pos, k);
    lx->pos += k;
  }
  loc l = here(lx, start);
  l.len = 1;
  return diag_error(lx->diags, l, "unterminated string");
}

static token lex_string(lexer *lx, size_t start) {
  token t;
  memset(&t, 0, sizeof t);
  buf s;
  buf_init(&s);
  int bad = lex_string_part(lx, &s) != 0;
  t.at = here(lx, start);
  t.text = lx->src + start;
  if (bad || s.failed) {
    if (s.failed) diag_oom(lx->diags, t.at);
    buf_release(&s);
    t.kind = TK_ERROR;
    return t;
  }
  t.kind = TK_STRING;
  t.str_len = s.len;
  t.str = arena_strndup(lx->ar, s.data ? s.data : "", s.len);
  buf_release(&s);
  if (!t.str) {
    diag_oom(lx->diags, t.at);
    t.kind = TK_ERROR;
  }
  return t;
}

/* Digits with single underscores between them; returns -1 on overflow. */
static int lex_digits(lexer *lx, int64_t *out) {
  int64_t v = 0;
  int over = 0;
  while (lx->pos < lx->len) {
    char c = lx->src[lx->pos];
    if (c == '_' && lx->pos + 1 < lx->len && is_digit(lx->src[lx->pos + 1]) &&
        is_digit(lx->src[lx->pos - 1])) {
      lx->pos++;
      continue;
    }
    if (!is_digit(c)) break;
    int d = c - '0';
    if (v > (INT64_MAX - d) / 10) over = 1;
    else v = v * 10 + d;
    lx->pos++;
  }
  *out = v;
  return over ? -1 : 0;
}

static token lex_number(lexer *lx, size_t start, int money) {
  token t;
  memset(&t, 0, sizeof t);
  const char *s = lx->src + start;
  size_t avail = lx->len - start;
  /* A date: exactly YYYY-MM-DD. */
  int date_shape = !money && avail >= 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
                   is_digit(s[3]) && s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' &&
                   is_digit(s[8]) && is_digit(s[9]);
  if (date_shape && avail > 10 && is_word((unsigned char)s[10])) {
    lx->pos = start + 10;
    while (lx->pos < lx->len && is_word((unsigned char)lx->src[lx->pos])) lx->pos++;
    t.at = here(lx, start);
    t.text = s;
    diag_error(lx->diags, t.at, "malformed date '%.*s'", (int)(t.at.len > 40 ? 40 : t.at.len), s);
    t.kind = TK_ERROR;
    return t;
  }
  if (date_shape) {
    lx->pos = start + 10;
    t.at = here(lx, start);
    t.text = s;
    int32_t day;
    int rc = date_parse(s, 10, &day);
    if (rc) {
      diag_error(lx->diags, t.at, "impossible date '%.10s'", s);
      t.kind = TK_ERROR;
      return t;
    }
    t.kind = TK_DATE;
    t.num = day;
    return t;
  }
  if (money && (lx->pos >= lx->len || !is_digit(lx->src[lx->pos]))) {
    t.at = here(lx, start);
    t.text = s;
    diag_error(lx->diags, t.at, "expected digits after '$'");
    t.kind = TK_ERROR;
    return t;
  }
  int over = lex_digits(lx, &t.num) ? 1 : 0;
  /* A fraction: '.' and digits ("10.5", "$0.004"), then for a plain number an optional '%'. */
  size_t frac_at = 0, frac_end = 0;
  int percent = 0;
  if (lx->pos + 1 < lx->len && lx->src[lx->pos] == '.' && is_digit(lx->src[lx->pos + 1])) {
    frac_at = ++lx->pos;
    while (lx->pos < lx->len && is_digit(lx->src[lx->pos])) lx->pos++;
    frac_end = lx->pos;
  }
  if (lx->pos < lx->len && lx->src[lx->pos] == '%') {
    percent = 1;
    lx->pos++;
  }
  /* A number glued to letters ("12abc") is one bad token, not two. */
  while (lx->pos < lx->len && is_word((unsigned char)lx->src[lx->pos])) {
    over = 2;
    lx->pos++;
  }
  if (money && percent) over = 2; /* "$5%": a percentage of money is written 5% * $1 */
  t.at = here(lx, start);
  t.text = s;
  int n40 = (int)(t.at.len > 40 ? 40 : t.at.len);
  if (over == 2) {
    diag_error(lx->diags, t.at, "malformed number '%.*s'", n40, s);
    t.kind = TK_ERROR;
    return t;
  }
  if (!money && !frac_at && !percent) {
    if (over) {
      diag_error(lx->diags, t.at, "number '%.*s' does not fit in 64 bits", n40, s);
      t.kind = TK_ERROR;
    } else {
      t.kind = TK_INT;
    }
    return t;
  }
  /*
  ** Money and decimals are fixed-point with 6 fractional digits (num.h): the whole part is
  ** scaled, the fraction added, and a percentage divided by 100, all exactly.
  */
  int64_t whole = t.num, v = 0, f = 0;
  int shift = percent ? 2 : 0, nf = 0, rc = over ? NUM_EOVERFLOW : num_scale(whole, &v);
  for (size_t i = frac_at; frac_at && i < frac_end; i++) {
    if (nf < NUM_DIGITS) f = f * 10 + (lx->src[i] - '0'), nf++;
    else if (lx->src[i] != '0' && !rc) rc = NUM_EDIGITS;
  }
  for (int k = nf; k < NUM_DIGITS; k++) f *= 10;
  if (!rc && v > INT64_MAX - f) rc = NUM_EOVERFLOW;
  if (!rc) v += f;
  if (!rc && shift) {
    /* The digits a percentage drops must be zeros: 12.3456789% has 9 fractional digits. */
    if (v % 100 != 0) rc = NUM_EDIGITS;
    else v /= 100;
  }
  if (rc == NUM_EDIGITS) {
    diag_error(lx->diags, t.at, "'%.*s' has more than %d fractional digits%s", n40, s, NUM_DIGITS,
               percent ? " once divided by 100" : "");
    t.kind = TK_ERROR;
  } else if (rc) {
    if (money)
      diag_error(lx->diags, t.at, "money amount '%.*s' is out of range (at most $9,223,372,036,854.775807)", n40, s);
    else
      diag_error(lx->diags, t.at, "number '%.*s' is out of range (at most 9223372036854.775807)", n40, s);
    t.kind = TK_ERROR;
  } else {
    t.kind = money ? TK_MONEY : TK_DECIMAL;
    t.num = v;
  }
  return t;
}

token lex_next(lexer *lx) {
  token t;
  for (;;) {
    skip_space(lx);
    memset(&t, 0, sizeof t);
    size_t start = lx->pos;
    if (lx->pos >= lx->len) {
      t.kind = TK_EOF;
      t.at = here(lx, start);
      t.at.len = 1;
      t.text = lx->src + start;
      return t;
    }
    unsigned char c = (unsigned char)lx->src[lx->pos];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      while (lx->pos < lx->len && is_word((unsigned char)lx->src[lx->pos])) lx->pos++;
      t.kind = TK_IDENT;
      t.at = here(lx, start);
      t.text = lx->src + start;
      return t;
    }
    if (is_digit(c)) return lex_number(lx, start, 0);
    if (c == '$') {
      lx->pos++;
      return lex_number(lx, start, 1);
    }
    if (c == '"') return lex_string(lx, start);
    lx->pos++;
    tok_kind k = TK_ERROR;
    char n = lx->pos < lx->len ? lx->src[lx->pos] : '\0';
    switch (c) {
    case '{': k = TK_LBRACE; break;
    case '}': k = TK_RBRACE; break;
    case '(': k = TK_LPAREN; break;
    case ')': k = TK_RPAREN; break;
    case '[': k = TK_LBRACKET; break;
    case ']': k = TK_RBRACKET; break;
    case ',': k = TK_COMMA; break;
    case ':': k = TK_COLON; break;
    case '.': k = TK_DOT; break;
    case '+': k = TK_PLUS; break;
    case '-': k = TK_MINUS; break;
    case '*': k = TK_STAR; break;
    case '/': k = TK_SLASH; break;
    case '=': if (n == '=') lx->pos++, k = TK_EQ; else k = TK_ASSIGN; break;
    case '!': if (n == '=') lx->pos++, k = TK_NE; break;
    case '<': if (n == '=') lx->pos++, k = TK_LE; else k = TK_LT; break;
    case '>': if (n == '=') lx->pos++, k = TK_GE; else k = TK_GT; break;
    default: break;
    }
    t.kind = k;
    t.at = here(lx, start);
    t.text = lx->src + start;
    if (k != TK_ERROR) return t;
    if (c == '!') {
      diag_error(lx->diags, t.at, "unexpected '!'; write 'not' or '!='");
    } else if (c >= 0x80) {
      size_t k8 = utf8_seq_len((const unsigned char *)lx->src + start, lx->len - start);
      if (k8) {
        lx->pos = start + k8;
        t.at = here(lx, start);
        diag_error(lx->diags, t.at, "unexpected character '%.*s'", (int)k8, lx->src + start);
      } else {
        diag_error(lx->diags, t.at, "invalid UTF-8 byte 0x%02x", c);
      }
    } else if (c < 0x20 || c == 0x7f) {
      diag_error(lx->diags, t.at, "unexpected control character 0x%02x", c);
    } else {
      diag_error(lx->diags, t.at, "unexpected character '%c'", c);
    }
    /* Skip the rest of a run of junk so binary input yields a few errors, not thousands. */
    while (lx->pos < lx->len) {
      unsigned char j = (unsigned char)lx->src[lx->pos];
      if (j == '\n' || j == ' ' || j == '\t' || is_word(j) || j == '"' || j == '{' || j == '}') break;
      lx->pos++;
    }
  }
}
