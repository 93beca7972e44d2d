/*
** error.h: filling a pactum_error, the one way every module reports a refused input.
*/
#ifndef PACTUM_ERROR_H
#define PACTUM_ERROR_H

#include <jansson.h>
#include "ast.h"
#include "pactum.h"

/* Write code and the formatted message into *err (when err is not NULL); return rc. */
int error_set(pactum_error *err, int rc, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
** Report a JSON text jansson refused, from its json_error_t: PACTUM_ENOMEM and "out_of_memory"
** when an allocation failed while it parsed (px_alloc_failures() is no longer failures_before,
** or jansson says so), else PACTUM_EINPUT and "bad_json" with the column.
*/
int error_json(pactum_error *err, const json_error_t *je, long failures_before);

/* What a value of type k looks like in JSON, for messages: "an integer", "a date (YYYY-MM-DD)". */
const char *value_phrase(type_kind k);

#endif
