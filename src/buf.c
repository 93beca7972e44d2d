/*
** buf.c: growable text buffers (see buf.h).
*/
#include "buf.h"

#include <errno.h>
#include "alloc.h"

#include <stdio.h>
#include <string.h>
#include "banned.h"

void buf_init(buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void buf_release(buf *b) {
  px_free(b->data);
  buf_init(b);
}

static int grow(buf *b, size_t extra) {
  if (b->failed) return -1;
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) {
    if (cap > SIZE_MAX / 2) {
      b->failed = 1;
      return -1;
    }
    cap *= 2;
  }
  char *p = px_realloc(b->data, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

void buf_append(buf *b, const char *s, size_t n) {
  if (grow(b, n)) return;
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s) { buf_append(b, s, strlen(s)); }
void buf_putc(buf *b, char c) { buf_append(b, &c, 1); }

void buf_printf(buf *b, const char *fmt, ...) {
  va_list ap;
  char small[256];
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    buf_append(b, small, (size_t)n);
    return;
  }
  if (grow(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void buf_json_str(buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_putc(b, '"');
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      /* Valid UTF-8 is copied; a byte that starts no valid sequence becomes U+FFFD, so the
         literal is always valid JSON even when s comes from a URL or a header. */
      size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
      if (k) {
        i += k - 1;
        continue;
      }
      buf_append(b, s + start, i - start);
      start = i + 1;
      buf_append(b, "\\ufffd", 6);
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_append(b, s + start, i - start);
    start = i + 1;
    switch (c) {
    case '"': buf_append(b, "\\\"", 2); break;
    case '\\': buf_append(b, "\\\\", 2); break;
    case '\n': buf_append(b, "\\n", 2); break;
    case '\t': buf_append(b, "\\t", 2); break;
    case '\r': buf_append(b, "\\r", 2); break;
    default: {
      char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      buf_append(b, esc, 6);
    }
    }
  }
  buf_append(b, s + start, n - start);
  buf_putc(b, '"');
}

void buf_json_cstr(buf *b, const char *s) { buf_json_str(b, s, strlen(s)); }

void buf_i64(buf *b, int64_t v) { buf_printf(b, "%lld", (long long)v); }

char *buf_detach(buf *b) {
  if (b->failed) {
    buf_release(b);
    return NULL;
  }
  if (!b->data && grow(b, 0)) return NULL;
  if (!b->data) return NULL;
  b->data[b->len] = '\0';
  char *p = b->data;
  buf_init(b);
  return p;
}

size_t utf8_seq_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t k;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) k = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) k = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) k = 4, min = 0x10000;
  else return 0;
  if (n < k) return 0;
  unsigned cp = c & (0xFFu >> (k + 1));
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return k;
}

int buf_read_file(buf *b, const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return -1;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(b, chunk, n);
  int err = ferror(fp) ? errno : 0;
  fclose(fp);
  if (err) {
    errno = err; /* what the read failed with, not what fclose may have left */
    return -3;
  }
  return b->failed ? -2 : 0;
}
