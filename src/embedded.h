/*
** embedded.h: files built into the pactum binary (generated at build time by
** cmake/embed.cmake and cmake/embed_web.cmake): the default agreement, its sample requests, and
** the dashboard.
*/
#ifndef PACTUM_EMBEDDED_H
#define PACTUM_EMBEDDED_H

#include <stddef.h>

extern const char embedded_agreement_name[];
extern const unsigned char embedded_agreement[];
extern const size_t embedded_agreement_len;
extern const unsigned char embedded_sample[];
extern const size_t embedded_sample_len;

/* The dashboard's files (web/), served by `pactum serve`. */
typedef struct embedded_file {
  const char *path; /* "/index.html" */
  const char *type; /* Content-Type */
  const unsigned char *data;
  size_t len;
} embedded_file;
extern const embedded_file embedded_web[];
extern const size_t embedded_web_count;

#endif
