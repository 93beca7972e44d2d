/*
** diag.c: formatting of `.pact` diagnostics with the source line and a caret (see diag.h).
*/
#include "diag.h"

#include "pactum.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

void diag_init(diag_list *d, const char *file, const char *src, size_t len) {
  d->file = file;
  d->src = src;
  d->src_len = len;
  buf_init(&d->out);
  d->errors = 0;
  d->max_errors = 100;
  d->oom = 0;
}

int diag_oom(diag_list *d, loc l) {
  if (!d->oom) diag_error(d, l, "out of memory");
  d->oom = 1;
  return -1;
}

void diag_release(diag_list *d) { buf_release(&d->out); }

/* Print the line holding l, then a caret under l and tildes across the rest of its span. */
static void show_line(diag_list *d, loc l) {
  if (!d->src || l.off > d->src_len) return;
  size_t start = l.off, end = l.off;
  while (start > 0 && d->src[start - 1] != '\n') start--;
  /* A byte-order mark is not part of the line as an editor shows it. */
  if (start == 0 && d->src_len >= 3 && memcmp(d->src, "\xEF\xBB\xBF", 3) == 0 && l.off >= 3) start = 3;
  while (end < d->src_len && d->src[end] != '\n' && d->src[end] != '\r') end++;
  /* On a very long line, show a window around the spot rather than the whole line. */
  const size_t width = 160;
  size_t from = start, col = l.off - start;
  int clipped = 0;
  if (col > width / 2) {
    from = l.off - width / 2;
    clipped = 1;
  }
  size_t to = end - from > width ? from + width : end;
  /* The gutter is 5 wide, wider for line 100000 on, and the caret line's matches it. */
  int gutter = 5;
  for (unsigned n = l.line / 100000; n; n /= 10) gutter++;
  buf_printf(&d->out, "%*u | %s", gutter, l.line, clipped ? "..." : "");
  for (size_t i = from; i < to;) {
    unsigned char c = (unsigned char)d->src[i];
    size_t k = c >= 0x80 ? utf8_seq_len((const unsigned char *)d->src + i, to - i) : 1;
    if (c == '\t') {
      buf_putc(&d->out, '\t');
    } else if (c < 0x20 || c == 0x7f || k == 0) {
      buf_putc(&d->out, '?'); /* control bytes and invalid UTF-8 are not echoed */
      k = 1;
    } else {
      buf_append(&d->out, d->src + i, k);
    }
    i += k;
  }
  buf_printf(&d->out, "\n%*s | ", gutter, "");
  if (clipped) buf_puts(&d->out, "   ");
  /* One blank per character before the spot, keeping tabs so the caret lines up. */
  for (size_t i = from; i < l.off && i < to;) {
    unsigned char c = (unsigned char)d->src[i];
    size_t k = c >= 0x80 ? utf8_seq_len((const unsigned char *)d->src + i, to - i) : 1;
    buf_putc(&d->out, c == '\t' ? '\t' : ' ');
    i += k ? k : 1;
  }
  buf_putc(&d->out, '^');
  /* One tilde per further character of the token, not per byte. */
  size_t end_tok = l.off + l.len < to ? l.off + l.len : to;
  size_t i = l.off;
  if (i < end_tok) {
    size_t k0 = (unsigned char)d->src[i] >= 0x80 ? utf8_seq_len((const unsigned char *)d->src + i, to - i) : 1;
    i += k0 ? k0 : 1;
  }
  while (i < end_tok) {
    size_t k = (unsigned char)d->src[i] >= 0x80 ? utf8_seq_len((const unsigned char *)d->src + i, to - i) : 1;
    buf_putc(&d->out, '~');
    i += k ? k : 1;
  }
  buf_putc(&d->out, '\n');
}

static void emit(diag_list *d, loc l, const char *what, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  buf_printf(&d->out, "%s:%u:%u: %s: %s\n", d->file, l.line, l.col, what, msg);
  show_line(d, l);
}

int diag_error(diag_list *d, loc l, const char *fmt, ...) {
  d->errors++;
  if (d->max_errors && d->errors > d->max_errors) {
    if (d->errors == d->max_errors + 1)
      buf_printf(&d->out, "%s: error: too many errors, stopping\n", d->file);
    return -1;
  }
  va_list ap;
  va_start(ap, fmt);
  emit(d, l, "error", fmt, ap);
  va_end(ap);
  return -1;
}

void diag_note(diag_list *d, loc l, const char *fmt, ...) {
  if (d->max_errors && d->errors > d->max_errors) return;
  va_list ap;
  va_start(ap, fmt);
  emit(d, l, "note", fmt, ap);
  va_end(ap);
}

int diag_read_file(const char *path, buf *text, char **diag) {
  int rd = buf_read_file(text, path);
  if (!rd) return PACTUM_OK;
  if (rd != -2 && diag) { /* -1: it cannot be opened; -3: it opens but cannot be read (a directory) */
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s: error: cannot %s '%s': %s\n", path, rd == -1 ? "open" : "read", path, strerror(errno));
    *diag = buf_detach(&b);
  }
  buf_release(text);
  return rd == -2 ? PACTUM_ENOMEM : PACTUM_EIO;
}
