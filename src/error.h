/*
** error.h: filling a pactum_error, the one way every module reports a refused input.
*/
#ifndef PACTUM_ERROR_H
#define PACTUM_ERROR_H

#include "pactum.h"

/* Write code and the formatted message into *err (when err is not NULL); return rc. */
int error_set(pactum_error *err, int rc, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
