/*
** test_lex.c: the `.pact` lexer of src/lex.c and the diagnostics it writes through src/diag.c.
** Locations are 1-based line and byte column, 0-based byte offset, and length in bytes.
*/
#include "unit.h"
#include "alloc.h"
#include "arena.h"
#include "diag.h"
#include "lex.h"

#define MAXTOK 256

typedef struct lexrun {
  arena ar;
  diag_list d;
  token t[MAXTOK];
  int n;
} lexrun;

/* Runs not yet released, freed by the teardown when an assertion ends a test early. */
static lexrun *live[16];

static void track(lexrun *r, lexrun *with) {
  for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
    if (live[i] == r) {
      live[i] = with;
      return;
    }
}

static lexrun *lex_buf(const char *src, size_t len) {
  lexrun *r = calloc(1, sizeof *r);
  assert_non_null(r);
  track(NULL, r);
  arena_init(&r->ar);
  diag_init(&r->d, "t.pact", src, len);
  lexer lx;
  lex_init(&lx, src, len, &r->ar, &r->d);
  for (;;) {
    token t = lex_next(&lx);
    r->t[r->n++] = t;
    if (t.kind == TK_EOF || r->n == MAXTOK) break;
  }
  return r;
}
#define LEX(s) lex_buf((s), sizeof(s) - 1)

static const char *diags(const lexrun *r) { return r->d.out.data ? r->d.out.data : ""; }

static void lex_done(lexrun *r) {
  track(r, NULL);
  diag_release(&r->d);
  arena_release(&r->ar);
  free(r);
}

static int release_all(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
    if (live[i]) lex_done(live[i]);
  return 0;
}

static void check_tok_(const lexrun *r, int i, tok_kind k, uint32_t line, uint32_t col, uint32_t off,
                       uint32_t len, int srcline) {
  if (i >= r->n) fail_msg("line %d: token %d missing (only %d tokens)", srcline, i, r->n);
  const token *t = &r->t[i];
  if (t->kind != k || t->at.line != line || t->at.col != col || t->at.off != off || t->at.len != len)
    fail_msg("line %d: token %d is %s at %u:%u off %u len %u; expected %s at %u:%u off %u len %u\ndiagnostics:\n%s",
             srcline, i, lex_kind_name(t->kind), t->at.line, t->at.col, t->at.off, t->at.len, lex_kind_name(k),
             line, col, off, len, diags(r));
}
#define check_tok(r, i, k, line, col, off, len) check_tok_((r), (i), (k), (line), (col), (off), (len), __LINE__)

static void no_errors(const lexrun *r) {
  if (r->d.errors) fail_msg("unexpected diagnostics:\n%s", diags(r));
}

static void first_error(const lexrun *r, const char *want) {
  char line[512];
  unit_first_line(diags(r), line, sizeof line);
  if (strcmp(line, want) != 0) print_error("diagnostics:\n%s", diags(r));
  assert_string_equal(line, want);
}

static void test_punctuation(void **state) {
  (void)state;
  /*          0         1         2         3
              0123456789012345678901234567890123456 */
  lexrun *r = LEX("{ } ( ) [ ] , : . = == != < <= > >=");
  no_errors(r);
  static const tok_kind k[] = {TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_LBRACKET, TK_RBRACKET,
                               TK_COMMA,  TK_COLON,  TK_DOT,    TK_ASSIGN, TK_EQ,       TK_NE,
                               TK_LT,     TK_LE,     TK_GT,     TK_GE};
  static const uint32_t off[] = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 23, 26, 28, 31, 33};
  static const uint32_t len[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 2, 1, 2};
  assert_int_equal(r->n, 17);
  for (int i = 0; i < 16; i++) check_tok(r, i, k[i], 1, off[i] + 1, off[i], len[i]);
  check_tok(r, 16, TK_EOF, 1, 36, 35, 1);
  for (int i = 0; i < 16; i++) assert_ptr_equal(r->t[i].text, r->d.src + off[i]);
  lex_done(r);
  /* Spaces split operators; no space joins them. */
  r = LEX("< = <==>=");
  no_errors(r);
  check_tok(r, 0, TK_LT, 1, 1, 0, 1);
  check_tok(r, 1, TK_ASSIGN, 1, 3, 2, 1);
  check_tok(r, 2, TK_LE, 1, 5, 4, 2);
  check_tok(r, 3, TK_ASSIGN, 1, 7, 6, 1);
  check_tok(r, 4, TK_GE, 1, 8, 7, 2);
  check_tok(r, 5, TK_EOF, 1, 10, 9, 1);
  lex_done(r);
}

static void test_identifiers_and_lines(void **state) {
  (void)state;
  const char src[] = "agreement \"x\" {\n  version_2 _a A9\n}";
  lexrun *r = LEX(src);
  no_errors(r);
  assert_int_equal(r->n, 8);
  check_tok(r, 0, TK_IDENT, 1, 1, 0, 9);
  assert_true(lex_is(&r->t[0], "agreement"));
  assert_false(lex_is(&r->t[0], "agree"));
  assert_false(lex_is(&r->t[0], "agreements"));
  assert_ptr_equal(r->t[0].text, r->d.src);
  check_tok(r, 1, TK_STRING, 1, 11, 10, 3);
  assert_string_equal(r->t[1].str, "x");
  assert_int_equal(r->t[1].str_len, 1);
  assert_false(lex_is(&r->t[1], "x")); /* a string is never a word */
  check_tok(r, 2, TK_LBRACE, 1, 15, 14, 1);
  check_tok(r, 3, TK_IDENT, 2, 3, 18, 9);
  assert_true(lex_is(&r->t[3], "version_2"));
  check_tok(r, 4, TK_IDENT, 2, 13, 28, 2);
  check_tok(r, 5, TK_IDENT, 2, 16, 31, 2);
  check_tok(r, 6, TK_RBRACE, 3, 1, 34, 1);
  check_tok(r, 7, TK_EOF, 3, 2, 35, 1);
  lex_done(r);
  assert_string_equal(lex_kind_name(TK_EOF), "end of file");
  assert_string_equal(lex_kind_name(TK_IDENT), "identifier");
  assert_string_equal(lex_kind_name(TK_GE), "'>='");
  assert_string_equal(lex_kind_name(TK_ERROR), "invalid token");
}

static void test_comments(void **state) {
  (void)state;
  /* line 1: 0..14 then '\n' at 15; line 2: 16..27, '\n' at 28; line 3 from 29. */
  lexrun *r = LEX("a # comment { \"\n# whole line\nb#c\n");
  no_errors(r);
  assert_int_equal(r->n, 3);
  check_tok(r, 0, TK_IDENT, 1, 1, 0, 1);
  check_tok(r, 1, TK_IDENT, 3, 1, 29, 1);
  check_tok(r, 2, TK_EOF, 4, 1, 33, 1);
  lex_done(r);
  /* A comment running to the end of input. */
  r = LEX("x # no newline");
  no_errors(r);
  assert_int_equal(r->n, 2);
  check_tok(r, 1, TK_EOF, 1, 15, 14, 1);
  lex_done(r);
  /* Empty input and input that is only a comment. */
  r = LEX("");
  no_errors(r);
  check_tok(r, 0, TK_EOF, 1, 1, 0, 1);
  lex_done(r);
}

static void test_crlf(void **state) {
  (void)state;
  lexrun *r = LEX("a\r\nbb\r\n  c\r\n");
  no_errors(r);
  check_tok(r, 0, TK_IDENT, 1, 1, 0, 1);
  check_tok(r, 1, TK_IDENT, 2, 1, 3, 2);
  check_tok(r, 2, TK_IDENT, 3, 3, 9, 1);
  check_tok(r, 3, TK_EOF, 4, 1, 12, 1);
  lex_done(r);
  /* The carriage return is not echoed in the diagnostic's source line. */
  r = LEX("x\r\nab !\r\ny");
  assert_string_equal(diags(r), "t.pact:2:4: error: unexpected '!'; write 'not' or '!='\n"
                                "    2 | ab !\n"
                                "      |    ^\n");
  /* A stray character is reported and skipped: the next token is the one after it. */
  check_tok(r, 1, TK_IDENT, 2, 1, 3, 2);
  check_tok(r, 2, TK_IDENT, 3, 1, 9, 1);
  check_tok(r, 3, TK_EOF, 3, 2, 10, 1);
  lex_done(r);
}

static void test_bom(void **state) {
  (void)state;
  lexrun *r = LEX("\xEF\xBB\xBFparty p");
  no_errors(r);
  check_tok(r, 0, TK_IDENT, 1, 1, 3, 5);
  check_tok(r, 1, TK_IDENT, 1, 7, 9, 1);
  lex_done(r);
  /* Only a leading BOM is skipped; elsewhere U+FEFF is a stray character. */
  r = LEX("a \xEF\xBB\xBF");
  first_error(r, "t.pact:1:3: error: unexpected character '\xEF\xBB\xBF'");
  check_tok(r, 1, TK_EOF, 1, 6, 5, 1);
  lex_done(r);
  /* A BOM alone. */
  r = LEX("\xEF\xBB\xBF");
  no_errors(r);
  check_tok(r, 0, TK_EOF, 1, 1, 3, 1);
  lex_done(r);
}

static void test_strings_side_by_side(void **state) {
  (void)state;
  /* Two strings side by side are two tokens: strings are never joined. */
  lexrun *r = LEX("\"ab\" \"cd\" x");
  no_errors(r);
  assert_int_equal(r->n, 4);
  check_tok(r, 0, TK_STRING, 1, 1, 0, 4);
  assert_string_equal(r->t[0].str, "ab");
  assert_int_equal(r->t[0].str_len, 2);
  check_tok(r, 1, TK_STRING, 1, 6, 5, 4);
  assert_string_equal(r->t[1].str, "cd");
  check_tok(r, 2, TK_IDENT, 1, 11, 10, 1);
  lex_done(r);

  /* Nor across newlines and comments. line 1: 0..8, '\n' at 9; line 2: 10..15, '\n' at 16;
     line 3 from 17. */
  r = LEX("\"ab\"  # c\n  \"cd\"\n\"ef\" x");
  no_errors(r);
  assert_int_equal(r->n, 5);
  check_tok(r, 0, TK_STRING, 1, 1, 0, 4);
  check_tok(r, 1, TK_STRING, 2, 3, 12, 4);
  check_tok(r, 2, TK_STRING, 3, 1, 17, 4);
  assert_string_equal(r->t[2].str, "ef");
  check_tok(r, 3, TK_IDENT, 3, 6, 22, 1);
  check_tok(r, 4, TK_EOF, 3, 7, 23, 1);
  lex_done(r);

  /* Empty strings. */
  r = LEX("\"\" \"\"");
  no_errors(r);
  check_tok(r, 0, TK_STRING, 1, 1, 0, 2);
  assert_string_equal(r->t[0].str, "");
  assert_int_equal(r->t[0].str_len, 0);
  check_tok(r, 1, TK_STRING, 1, 4, 3, 2);
  lex_done(r);

  /* A tab and UTF-8 are kept as they are. */
  r = LEX("\"a\tb caf\xc3\xa9 \xe2\x82\xac\"");
  no_errors(r);
  assert_string_equal(r->t[0].str, "a\tb caf\xc3\xa9 \xe2\x82\xac");
  assert_int_equal(r->t[0].str_len, 13);
  lex_done(r);
}

static void test_escapes(void **state) {
  (void)state;
  /* Source text: "q\"b\\s\nn\tt" (15 bytes). */
  lexrun *r = LEX("\"q\\\"b\\\\s\\nn\\tt\"");
  no_errors(r);
  check_tok(r, 0, TK_STRING, 1, 1, 0, 15);
  assert_string_equal(r->t[0].str, "q\"b\\s\nn\tt");
  assert_int_equal(r->t[0].str_len, 9);
  lex_done(r);

  r = LEX("\"a\\qb\"");
  assert_string_equal(diags(r), "t.pact:1:3: error: unknown escape '\\q' in string\n"
                                "    1 | \"a\\qb\"\n"
                                "      |   ^~\n");
  assert_int_equal(r->d.errors, 1);
  lex_done(r);

  /* \r, \u and \0 are not escapes in .pact. */
  r = LEX("\"\\r\\u0041\\0\"");
  assert_int_equal(r->d.errors, 3);
  first_error(r, "t.pact:1:2: error: unknown escape '\\r' in string");
  lex_done(r);
}

static void test_string_errors(void **state) {
  (void)state;
  lexrun *r = LEX("\"abc");
  assert_string_equal(diags(r), "t.pact:1:1: error: unterminated string\n"
                                "    1 | \"abc\n"
                                "      | ^\n");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 4);
  check_tok(r, 1, TK_EOF, 1, 5, 4, 1);
  lex_done(r);

  /* A string may not span lines; lexing resumes on the next line. */
  r = LEX("\"ab\ncd x");
  first_error(r, "t.pact:1:1: error: unterminated string");
  assert_int_equal(r->d.errors, 1);
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 3);
  check_tok(r, 1, TK_IDENT, 2, 1, 4, 2);
  check_tok(r, 2, TK_IDENT, 2, 4, 7, 1);
  lex_done(r);

  /* The control byte is not echoed: the source line shows '?' in its place. */
  r = LEX("\"a\x01" "b\"");
  assert_string_equal(diags(r), "t.pact:1:3: error: control character 0x01 in string\n"
                                "    1 | \"a?b\"\n"
                                "      |   ^\n");
  lex_done(r);

  r = LEX("\"a\xff\"");
  assert_string_equal(diags(r), "t.pact:1:3: error: invalid UTF-8 byte 0xff in string\n"
                                "    1 | \"a?\"\n"
                                "      |   ^\n");
  assert_int_equal(r->d.errors, 1);
  lex_done(r);

  /* An overlong encoding of '/' (C0 AF): both bytes are invalid on their own. */
  r = LEX("\"\xc0\xaf\"");
  first_error(r, "t.pact:1:2: error: invalid UTF-8 byte 0xc0 in string");
  assert_int_equal(r->d.errors, 2);
  lex_done(r);

  /* A UTF-16 surrogate (ED A0 80) is not UTF-8. */
  r = LEX("\"\xed\xa0\x80\"");
  first_error(r, "t.pact:1:2: error: invalid UTF-8 byte 0xed in string");
  lex_done(r);

  /* A sequence cut short by the closing quote. */
  r = LEX("\"\xe2\x82\"");
  first_error(r, "t.pact:1:2: error: invalid UTF-8 byte 0xe2 in string");
  lex_done(r);

  /* Beyond U+10FFFF. */
  r = LEX("\"\xf4\x90\x80\x80\"");
  first_error(r, "t.pact:1:2: error: invalid UTF-8 byte 0xf4 in string");
  lex_done(r);

  /* The largest code point is fine. */
  r = LEX("\"\xf4\x8f\xbf\xbf\"");
  no_errors(r);
  assert_int_equal(r->t[0].str_len, 4);
  lex_done(r);
}

static void test_backslash_at_end_of_input(void **state) {
  (void)state;
  /* A buffer holding exactly `"a\` with nothing after it: the lexer must not read past it. */
  char *src = malloc(3);
  assert_non_null(src);
  memcpy(src, "\"a\\", 3);
  lexrun *r = lex_buf(src, 3);
  int errors = r->d.errors, unterminated = strstr(diags(r), "unterminated string") != NULL;
  tok_kind first = r->t[0].kind, last = r->t[r->n - 1].kind;
  uint32_t eof_off = r->t[r->n - 1].at.off, first_end = r->t[0].at.off + r->t[0].at.len;
  lex_done(r);
  free(src);
  assert_true(errors >= 1);
  assert_true(unterminated);
  assert_int_equal(first, TK_ERROR);
  assert_int_equal(last, TK_EOF);
  /* Nothing lies past the 3 bytes of input: not the string token, not the end of file. */
  assert_true(first_end <= 3);
  assert_int_equal(eof_off, 3);
}

static void test_numbers(void **state) {
  (void)state;
  lexrun *r = LEX("1_000 12 0 007 1_000_000");
  no_errors(r);
  check_tok(r, 0, TK_INT, 1, 1, 0, 5);
  assert_int_equal(r->t[0].num, 1000);
  check_tok(r, 1, TK_INT, 1, 7, 6, 2);
  assert_int_equal(r->t[1].num, 12);
  check_tok(r, 2, TK_INT, 1, 10, 9, 1);
  assert_int_equal(r->t[2].num, 0);
  check_tok(r, 3, TK_INT, 1, 12, 11, 3);
  assert_int_equal(r->t[3].num, 7);
  check_tok(r, 4, TK_INT, 1, 16, 15, 9);
  assert_int_equal(r->t[4].num, 1000000);
  lex_done(r);

  /* An underscore only between digits. */
  r = LEX("1__0");
  first_error(r, "t.pact:1:1: error: malformed number '1__0'");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 4);
  lex_done(r);
  r = LEX("1_ x");
  first_error(r, "t.pact:1:1: error: malformed number '1_'");
  check_tok(r, 1, TK_IDENT, 1, 4, 3, 1);
  lex_done(r);
  r = LEX("12abc");
  first_error(r, "t.pact:1:1: error: malformed number '12abc'");
  assert_int_equal(r->n, 2);
  lex_done(r);
  r = LEX("_1");
  no_errors(r);
  check_tok(r, 0, TK_IDENT, 1, 1, 0, 2);
  lex_done(r);
  /* A dot between digits makes a decimal, kept in millionths (num.h); before a letter it separates. */
  r = LEX("1.5");
  no_errors(r);
  check_tok(r, 0, TK_DECIMAL, 1, 1, 0, 3);
  assert_true(r->t[0].num == 1500000);
  lex_done(r);
  r = LEX("1.x");
  no_errors(r);
  check_tok(r, 0, TK_INT, 1, 1, 0, 1);
  check_tok(r, 1, TK_DOT, 1, 2, 1, 1);
  check_tok(r, 2, TK_IDENT, 1, 3, 2, 1);
  lex_done(r);
}

static void test_decimals(void **state) {
  (void)state;
  /* 0.004 = 4000 millionths; 10.5 = 10500000; 20% = 0.2 = 200000; 0.5% = 0.005 = 5000. */
  lexrun *r = LEX("0.004 10.5 20% 0.5% 1_000.25 12.345678");
  no_errors(r);
  check_tok(r, 0, TK_DECIMAL, 1, 1, 0, 5);
  assert_true(r->t[0].num == 4000);
  check_tok(r, 1, TK_DECIMAL, 1, 7, 6, 4);
  assert_true(r->t[1].num == 10500000);
  check_tok(r, 2, TK_DECIMAL, 1, 12, 11, 3);
  assert_true(r->t[2].num == 200000);
  check_tok(r, 3, TK_DECIMAL, 1, 16, 15, 4);
  assert_true(r->t[3].num == 5000);
  assert_true(r->t[4].num == 1000250000);
  assert_true(r->t[5].num == 12345678);
  lex_done(r);
  /* Trailing zeros past the sixth digit change nothing; other digits there are an error. */
  r = LEX("1.50000000");
  no_errors(r);
  assert_true(r->t[0].num == 1500000);
  lex_done(r);
  r = LEX("0.0000001");
  assert_string_equal(diags(r), "t.pact:1:1: error: '0.0000001' has more than 6 fractional digits\n"
                                "    1 | 0.0000001\n"
                                "      | ^~~~~~~~~\n");
  lex_done(r);
  /* 12.34567% is 0.1234567: seven digits once divided by 100. */
  r = LEX("12.34567%");
  first_error(r, "t.pact:1:1: error: '12.34567%' has more than 6 fractional digits once divided by 100");
  lex_done(r);
  /* The largest decimal is 9223372036854.775807. */
  r = LEX("9223372036854.775807 9223372036854.775808");
  first_error(r, "t.pact:1:22: error: number '9223372036854.775808' is out of range (at most 9223372036854.775807)");
  assert_true(r->t[0].num == INT64_MAX);
  lex_done(r);
  r = LEX("+ - * /");
  no_errors(r);
  check_tok(r, 0, TK_PLUS, 1, 1, 0, 1);
  check_tok(r, 1, TK_MINUS, 1, 3, 2, 1);
  check_tok(r, 2, TK_STAR, 1, 5, 4, 1);
  check_tok(r, 3, TK_SLASH, 1, 7, 6, 1);
  lex_done(r);
}

static void test_overflow(void **state) {
  (void)state;
  lexrun *r = LEX("9223372036854775807 9_223_372_036_854_775_807");
  no_errors(r);
  assert_int_equal(r->t[0].kind, TK_INT);
  assert_true(r->t[0].num == INT64_MAX);
  assert_true(r->t[1].num == INT64_MAX);
  lex_done(r);
  r = LEX("9223372036854775808");
  first_error(r, "t.pact:1:1: error: number '9223372036854775808' does not fit in 64 bits");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 19);
  lex_done(r);
  r = LEX("x 99999999999999999999999");
  first_error(r, "t.pact:1:3: error: number '99999999999999999999999' does not fit in 64 bits");
  lex_done(r);
  /* Money is kept in millionths of a dollar (num.h): at most $9,223,372,036,854.775807. */
  r = LEX("$9223372036854.775807");
  no_errors(r);
  assert_int_equal(r->t[0].kind, TK_MONEY);
  assert_true(r->t[0].num == INT64_MAX);
  lex_done(r);
  r = LEX("$9223372036855");
  first_error(r, "t.pact:1:1: error: money amount '$9223372036855' is out of range (at most $9,223,372,036,854.775807)");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 14);
  lex_done(r);
  r = LEX("$9223372036854775808");
  first_error(r, "t.pact:1:1: error: money amount '$9223372036854775808' is out of range (at most $9,223,372,036,854.775807)");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 20);
  lex_done(r);
}

static void test_money(void **state) {
  (void)state;
  lexrun *r = LEX("$250_000_000_000 $0 $7");
  no_errors(r);
  check_tok(r, 0, TK_MONEY, 1, 1, 0, 16);
  assert_true(r->t[0].num == 250000000000LL * 1000000);
  check_tok(r, 1, TK_MONEY, 1, 18, 17, 2);
  assert_int_equal(r->t[1].num, 0);
  check_tok(r, 2, TK_MONEY, 1, 21, 20, 2);
  assert_int_equal(r->t[2].num, 7000000);
  lex_done(r);
  /* Sub-dollar amounts: $0.004 is 4000 millionths, $1_000.50 is 1000500000. */
  r = LEX("$0.004 $1_000.50");
  no_errors(r);
  check_tok(r, 0, TK_MONEY, 1, 1, 0, 6);
  assert_int_equal(r->t[0].num, 4000);
  check_tok(r, 1, TK_MONEY, 1, 8, 7, 9);
  assert_true(r->t[1].num == 1000500000LL);
  lex_done(r);
  r = LEX("$5%");
  first_error(r, "t.pact:1:1: error: malformed number '$5%'");
  lex_done(r);
  r = LEX("$");
  assert_string_equal(diags(r), "t.pact:1:1: error: expected digits after '$'\n"
                                "    1 | $\n"
                                "      | ^\n");
  check_tok(r, 0, TK_ERROR, 1, 1, 0, 1);
  check_tok(r, 1, TK_EOF, 1, 2, 1, 1);
  lex_done(r);
  r = LEX("$x");
  first_error(r, "t.pact:1:1: error: expected digits after '$'");
  check_tok(r, 1, TK_IDENT, 1, 2, 1, 1);
  lex_done(r);
  r = LEX("$1_000x");
  first_error(r, "t.pact:1:1: error: malformed number '$1_000x'");
  lex_done(r);
  /* A money amount is never a date. */
  r = LEX("$2025-10-28");
  assert_int_equal(r->t[0].kind, TK_MONEY);
  assert_int_equal(r->t[0].num, 2025000000); /* $2025, in millionths */
  lex_done(r);
}

static void test_dates(void **state) {
  (void)state;
  lexrun *r = LEX("2025-10-28 2025 20251028 2024-02-29)");
  no_errors(r);
  check_tok(r, 0, TK_DATE, 1, 1, 0, 10);
  assert_int_equal(r->t[0].num, 20389);
  check_tok(r, 1, TK_INT, 1, 12, 11, 4);
  assert_int_equal(r->t[1].num, 2025);
  check_tok(r, 2, TK_INT, 1, 17, 16, 8);
  assert_int_equal(r->t[2].num, 20251028);
  check_tok(r, 3, TK_DATE, 1, 26, 25, 10);
  /* 2024-02-29: 2024-03-01 is 60 days after 2024-01-01 = day 19723 (54 years, 13 leap). */
  assert_int_equal(r->t[3].num, 19723 + 59);
  check_tok(r, 4, TK_RPAREN, 1, 36, 35, 1);
  lex_done(r);

  r = LEX("from  2025-02-30");
  assert_string_equal(diags(r), "t.pact:1:7: error: impossible date '2025-02-30'\n"
                                "    1 | from  2025-02-30\n"
                                "      |       ^~~~~~~~~~\n");
  check_tok(r, 1, TK_ERROR, 1, 7, 6, 10);
  check_tok(r, 2, TK_EOF, 1, 17, 16, 1);
  lex_done(r);
  r = LEX("2025-02-29");
  first_error(r, "t.pact:1:1: error: impossible date '2025-02-29'");
  lex_done(r);
  r = LEX("0000-01-01");
  first_error(r, "t.pact:1:1: error: impossible date '0000-01-01'");
  lex_done(r);
  r = LEX("2025-13-01");
  first_error(r, "t.pact:1:1: error: impossible date '2025-13-01'");
  lex_done(r);
  /* A date glued to a letter or digit is an error, never a date. */
  r = LEX("2026-01-01x");
  assert_true(r->d.errors >= 1);
  for (int i = 0; i < r->n; i++) assert_int_not_equal(r->t[i].kind, TK_DATE);
  lex_done(r);
  r = LEX("2026-01-011");
  assert_true(r->d.errors >= 1);
  for (int i = 0; i < r->n; i++) assert_int_not_equal(r->t[i].kind, TK_DATE);
  lex_done(r);
  /* Not the date shape: an integer, a minus (arithmetic, which the parser refuses here), ... */
  r = LEX("2025-1-01");
  no_errors(r);
  check_tok(r, 0, TK_INT, 1, 1, 0, 4);
  check_tok(r, 1, TK_MINUS, 1, 5, 4, 1);
  check_tok(r, 2, TK_INT, 1, 6, 5, 1);
  lex_done(r);
}

static void test_bang_and_stray_bytes(void **state) {
  (void)state;
  lexrun *r = LEX("a ! b");
  assert_string_equal(diags(r), "t.pact:1:3: error: unexpected '!'; write 'not' or '!='\n"
                                "    1 | a ! b\n"
                                "      |   ^\n");
  check_tok(r, 1, TK_IDENT, 1, 5, 4, 1);
  assert_int_equal(r->n, 3);
  lex_done(r);
  r = LEX("!");
  first_error(r, "t.pact:1:1: error: unexpected '!'; write 'not' or '!='");
  check_tok(r, 0, TK_EOF, 1, 2, 1, 1);
  lex_done(r);
  r = LEX("a!=b");
  no_errors(r);
  check_tok(r, 1, TK_NE, 1, 2, 1, 2);
  lex_done(r);

  r = LEX("\xff x");
  first_error(r, "t.pact:1:1: error: invalid UTF-8 byte 0xff");
  check_tok(r, 0, TK_IDENT, 1, 3, 2, 1);
  lex_done(r);
  r = LEX("x caf\xc3\xa9");
  first_error(r, "t.pact:1:6: error: unexpected character '\xc3\xa9'");
  check_tok(r, 1, TK_IDENT, 1, 3, 2, 3);
  check_tok(r, 2, TK_EOF, 1, 8, 7, 1);
  lex_done(r);
  r = LEX("@");
  first_error(r, "t.pact:1:1: error: unexpected character '@'");
  lex_done(r);
  r = LEX("\x01");
  first_error(r, "t.pact:1:1: error: unexpected control character 0x01");
  lex_done(r);
  /* A run of junk is one error, not one per byte. */
  r = LEX("@@@;;; x");
  assert_int_equal(r->d.errors, 1);
  check_tok(r, 0, TK_IDENT, 1, 8, 7, 1);
  lex_done(r);
}

static void test_too_many_errors(void **state) {
  (void)state;
  char src[300];
  for (int i = 0; i < 150; i++) {
    src[2 * i] = '@';
    src[2 * i + 1] = ' ';
  }
  lexrun *r = lex_buf(src, 300);
  assert_int_equal(r->d.errors, 150);
  /* 100 recorded errors, then one line saying the rest were dropped. */
  assert_int_equal(unit_count(diags(r), ": error: "), 101);
  assert_non_null(strstr(diags(r), "t.pact: error: too many errors, stopping\n"));
  lex_done(r);
}

static void test_diag_long_line(void **state) {
  (void)state;
  /* 100 letters, a space, then '!' at offset 101: the line is shown from 80 characters before
     the error, behind "...", and the caret stays under the '!'. */
  char src[103];
  memset(src, 'a', 100);
  src[100] = ' ';
  src[101] = '!';
  src[102] = '\0';
  lexrun *r = lex_buf(src, 102);
  char want[512];
  size_t o = (size_t)snprintf(want, sizeof want, "t.pact:1:102: error: unexpected '!'; write 'not' or '!='\n    1 | ...");
  memset(want + o, 'a', 79);
  o += 79;
  o += (size_t)snprintf(want + o, sizeof want - o, " !\n      | ");
  memset(want + o, ' ', 83);
  o += 83;
  snprintf(want + o, sizeof want - o, "^\n");
  assert_string_equal(diags(r), want);
  lex_done(r);
}

static void test_diag_caret_after_utf8_and_tab(void **state) {
  (void)state;
  /* "é" (two bytes, one character) then a tab before the error: the caret line must reproduce
     the tab where the source line has it, after one space for each of '"', 'é', '"'. */
  lexrun *r = LEX("\"\xc3\xa9\"\tx !");
  assert_string_equal(diags(r), "t.pact:1:8: error: unexpected '!'; write 'not' or '!='\n"
                                "    1 | \"\xc3\xa9\"\tx !\n"
                                "      |    \t  ^\n");
  lex_done(r);
  /* Without the multi-byte character the tab is placed right. */
  r = LEX("\"e\"\tx !");
  assert_string_equal(diags(r), "t.pact:1:7: error: unexpected '!'; write 'not' or '!='\n"
                                "    1 | \"e\"\tx !\n"
                                "      |    \t  ^\n");
  lex_done(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_punctuation, release_all),
      cmocka_unit_test_teardown(test_identifiers_and_lines, release_all),
      cmocka_unit_test_teardown(test_comments, release_all),
      cmocka_unit_test_teardown(test_crlf, release_all),
      cmocka_unit_test_teardown(test_bom, release_all),
      cmocka_unit_test_teardown(test_strings_side_by_side, release_all),
      cmocka_unit_test_teardown(test_escapes, release_all),
      cmocka_unit_test_teardown(test_string_errors, release_all),
      cmocka_unit_test_teardown(test_numbers, release_all),
      cmocka_unit_test_teardown(test_overflow, release_all),
      cmocka_unit_test_teardown(test_decimals, release_all),
      cmocka_unit_test_teardown(test_money, release_all),
      cmocka_unit_test_teardown(test_dates, release_all),
      cmocka_unit_test_teardown(test_bang_and_stray_bytes, release_all),
      cmocka_unit_test_teardown(test_too_many_errors, release_all),
      cmocka_unit_test_teardown(test_backslash_at_end_of_input, release_all),
      cmocka_unit_test_teardown(test_diag_long_line, release_all),
      cmocka_unit_test_teardown(test_diag_caret_after_utf8_and_tab, release_all),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
