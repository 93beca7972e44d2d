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
