/*
** lex.h: the `.pact` lexer. Turns source bytes into tokens, each with its location.
**
** Words are always TK_IDENT; keywords are contextual and recognised by the parser with
** lex_is. String literals are unescaped into the arena.
*/
#ifndef PACTUM_LEX_H
#define PACTUM_LEX_H

#include "arena.h"
#include "diag.h"

#include <stdint.h>

typedef enum tok_kind {
  TK_EOF,
  TK_IDENT,
  TK_STRING,
  TK_INT,
  TK_MONEY,
  TK_DATE,
  TK_LBRACE, TK_RBRACE, TK_LPAREN, TK_RPAREN, TK_LBRACKET, TK_RBRACKET,
  TK_COMMA, TK_COLON, TK_DOT, TK_ASSIGN,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  TK_DECIMAL,                          /* 10.5, 0.004, 20% */
  TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, /* arithmetic */
  TK_ERROR /* already reported; the parser skips it */
} tok_kind;

typedef struct token {
  tok_kind kind;
  loc at;
  const char *text; /* points into the source; at.len bytes */
  const char *str;  /* TK_STRING: unescaped, NUL-terminated, in the arena */
  size_t str_len;
  int64_t num;      /* TK_INT: value; TK_MONEY (dollars), TK_DECIMAL: value × 10^6 (num.h); TK_DATE: day number */
} token;

typedef struct lexer {
  const char *src;
  size_t len, pos;
  uint32_t line, line_start;
  arena *ar;
  diag_list *diags;
} lexer;

void lex_init(lexer *lx, const char *src, size_t len, arena *ar, diag_list *diags);
/* The next token. Errors are reported to diags and come back as TK_ERROR. */
token lex_next(lexer *lx);
/* 1 if t is the word w. */
int lex_is(const token *t, const char *w);
const char *lex_kind_name(tok_kind k);

#endif
