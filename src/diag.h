/*
** diag.h: diagnostics for `.pact` files, printed as
**
**   file:line:col: error: message
**      12 |   principal opnai
**         |             ^~~~~
**
** A diag list collects every error of a load so that checking reports all of them.
*/
#ifndef PACTUM_DIAG_H
#define PACTUM_DIAG_H

#include "buf.h"

#include <stdint.h>

/* A position in a source text; line and col are 1-based, col counts bytes. */
typedef struct loc {
  uint32_t line, col, off, len;
} loc;

typedef struct diag_list {
  const char *file;  /* name used in messages; borrowed */
  const char *src;   /* the source text; borrowed */
  size_t src_len;
  buf out;           /* formatted messages so far */
  int errors;
  int max_errors;    /* stop recording past this many; 0: no limit */
  int oom;           /* an allocation failed: the load ends in PACTUM_ENOMEM, not a syntax error */
} diag_list;

void diag_init(diag_list *d, const char *file, const char *src, size_t len);
void diag_release(diag_list *d);
/* Record an error at l; always returns -1 so callers can `return diag_error(...)`. */
int diag_error(diag_list *d, loc l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Record that memory ran out at l; returns -1. */
int diag_oom(diag_list *d, loc l);
/*
** Append the whole file at path to text (which the caller has initialised). PACTUM_OK; else
** text is released and the result is PACTUM_ENOMEM, or PACTUM_EIO when the file cannot be
** opened or read, with *diag (when diag is not NULL) set to "PATH: error: cannot open 'PATH':
** REASON" (or "cannot read"), owned by the caller, who frees it with px_free.
*/
int diag_read_file(const char *path, buf *text, char **diag /* OUT */);
/* A note attached to the previous error, e.g. where a duplicate was first declared. */
void diag_note(diag_list *d, loc l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
