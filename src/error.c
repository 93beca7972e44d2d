/*
** error.c: filling a pactum_error (see error.h).
*/
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include "banned.h"

int error_set(pactum_error *err, int rc, const char *code, const char *fmt, ...) {
  if (err) {
    snprintf(err->code, sizeof err->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return rc;
}

const char *value_phrase(type_kind k) {
  switch (k) {
  case TY_BOOL: return "a bool";
  case TY_STRING: return "a string";
  case TY_INTEGER: return "an integer";
  case TY_MONEY: return "a whole number of dollars";
  case TY_DATE: return "a date (YYYY-MM-DD)";
  case TY_ENUM: return "one of its enum members";
  default: return "a value";
  }
}
