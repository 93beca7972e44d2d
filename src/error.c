/*
** error.c: filling a pactum_error (see error.h).
*/
#include "error.h"
#include "alloc.h"

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

int error_json(pactum_error *err, const json_error_t *je, long failures_before) {
  /* The count first: when jansson fails to allocate its lexer it leaves je's code unset. */
  if (px_alloc_failures() != failures_before || json_error_code(je) == json_error_out_of_memory)
    return error_set(err, PACTUM_ENOMEM, "out_of_memory", "out of memory");
  return error_set(err, PACTUM_EINPUT, "bad_json", "malformed JSON at column %d: %s", je->column, je->text);
}

const char *value_phrase(type_kind k) {
  switch (k) {
  case TY_BOOL: return "a bool";
  case TY_STRING: return "a string";
  case TY_INTEGER: return "an integer";
  case TY_MONEY: return "an amount of dollars (a JSON integer, or an exact decimal in a string: \"0.004\")";
  case TY_DECIMAL: return "a number (a JSON integer, or an exact decimal in a string: \"10.5\")";
  case TY_DURATION: return "a duration (a string such as \"30 days\")";
  case TY_DATE: return "a date (YYYY-MM-DD)";
  case TY_ENUM: return "one of its enum members";
  case TY_REF: return "the seq of an earlier event (a whole number above 0)";
  default: return "a value";
  }
}
