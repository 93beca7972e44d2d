/*
** banned.h: library calls pactum does not use, made compile errors.
**
** Included last by every .c file of pactum, after the system headers. Unbounded copies
** and formatting are the usual suspects; use snprintf, memcpy with a length, or buf.h.
*/
#ifndef PACTUM_BANNED_H
#define PACTUM_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_pactum

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)

/* Every allocation goes through the hook of alloc.h (px_malloc and friends), so that tests can
   make any one of them fail. */
#undef malloc
#define malloc(n) BANNED(malloc)
#undef calloc
#define calloc(n, s) BANNED(calloc)
#undef realloc
#define realloc(p, n) BANNED(realloc)
#undef free
#define free(p) BANNED(free)
#undef strdup
#define strdup(s) BANNED(strdup)
#undef strndup
#define strndup(s, n) BANNED(strndup)

#endif
