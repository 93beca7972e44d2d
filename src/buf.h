/*
** buf.h: a growable byte buffer for building text (diagnostics, JSON, traces).
**
** A buf owns its bytes (malloc'd through alloc.h). After an allocation failure the buffer
** is marked failed: later appends do nothing and buf_detach returns NULL, so callers can
** append freely and check once at the end.
*/
#ifndef PACTUM_BUF_H
#define PACTUM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
  char *data;
  size_t len, cap;
  int failed;
} buf;

void buf_init(buf *b);
void buf_release(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s[0..n) as a JSON string literal, quotes included; bytes that are not valid UTF-8 become U+FFFD. */
void buf_json_str(buf *b, const char *s, size_t n);
void buf_json_cstr(buf *b, const char *s);
void buf_i64(buf *b, int64_t v);
/* Length of the valid UTF-8 sequence at s (n bytes available), or 0 if it is invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/*
** Append the whole content of the file at path. Returns 0; -1 if the file cannot be opened
** (errno says why); -2 if memory ran out (b is then marked failed); -3 if reading it failed (errno says why).
*/
int buf_read_file(buf *b, const char *path);
/* Hand the NUL-terminated text to the caller (who frees it with px_free); b is emptied. */
char *buf_detach(buf *b);

#endif
