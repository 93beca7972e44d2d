/*
** embedded.h: files built into the pactum binary (generated at build time by
** cmake/embed.cmake from agreements/): the default agreement and its sample requests.
*/
#ifndef PACTUM_EMBEDDED_H
#define PACTUM_EMBEDDED_H

#include <stddef.h>

extern const char embedded_agreement_name[];
extern const unsigned char embedded_agreement[];
extern const size_t embedded_agreement_len;
extern const unsigned char embedded_sample[];
extern const size_t embedded_sample_len;

#endif
