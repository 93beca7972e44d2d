/*
** num.h: exact numbers. Decimals and money are int64 fixed-point values with 6 fractional
** digits (value × 10^6: 0.004 is 4000, $1.50 is 1500000); integers are themselves. No binary
** floating point is used anywhere: parsing reads the decimal text, printing writes it, and
** multiplication and division round to 6 fractional digits, half away from zero.
**
** Durations are one int64 too: count × 8 + unit (NUM_DAYS .. NUM_BUSINESS_DAYS), so
** `30 days` is 240, `3 months` is 26 and `10 business days` is 84.
*/
#ifndef PACTUM_NUM_H
#define PACTUM_NUM_H

#include "buf.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define NUM_SCALE 1000000 /* 10^6: one unit of a decimal or one dollar */
#define NUM_DIGITS 6      /* fractional digits kept */

/* Results of the parsing and arithmetic functions (0 is success). */
enum {
  NUM_OK = 0,
  NUM_EBAD = -1,      /* not a number in the form asked for */
  NUM_EDIGITS = -2,   /* more than 6 fractional digits (that are not zeros) */
  NUM_EOVERFLOW = -3, /* outside the 64-bit range once scaled */
  NUM_EDIVZERO = -4   /* division by zero */
};

/*
** Parse the exact decimal text s[0..n): an optional '-', digits, and optionally '.' and more
** digits (JSON's form without an exponent). *out is the value × 10^6. Returns a NUM_* code.
*/
int num_parse(const char *s, size_t n, int64_t *out /* OUT */);
/* whole × 10^6 into *out; NUM_EOVERFLOW if it does not fit. */
int num_scale(int64_t whole, int64_t *out /* OUT */);
/*
** A money or decimal value from JSON: an integer (whole units) or a string holding an exact
** decimal ("0.004"). A JSON real is refused (NUM_EBAD): its text is gone, only a binary double
** is left. Returns a NUM_* code.
*/
int num_from_json(const json_t *v, int64_t *out /* OUT */);

/*
** v (× 10^6) as people read it: "$1,250,000", "$1,000.50", "$0.004", "-$5" for money (grouped,
** at least two fractional digits once there is a fraction), "10.5", "0.004", "-2" otherwise.
*/
void num_text(buf *b, int64_t v, int money);
/* The same into out, without allocating; returns its length. */
#define NUM_TEXT_MAX 32 /* "-$9,223,372,036,854.775808" and its NUL fit */
int num_format(char out[NUM_TEXT_MAX], int64_t v, int money);
/* v (× 10^6) as JSON: an integer when whole ("1250000"), else a string of the exact decimal ("\"0.004\""). */
void num_json(buf *b, int64_t v);
/* The same as a jansson value (NULL when out of memory); the caller owns it. */
json_t *num_json_value(int64_t v);

/*
** Arithmetic with overflow checks; each returns a NUM_* code and leaves *out unset on error.
** num_mul_scaled is (a × b) / 10^6 and num_div_scaled is (a × 10^6) / b, both rounded half away
** from zero; num_div_round is a / b rounded the same way.
*/
int num_add(int64_t a, int64_t b, int64_t *out /* OUT */);
int num_sub(int64_t a, int64_t b, int64_t *out /* OUT */);
int num_mul(int64_t a, int64_t b, int64_t *out /* OUT */);
int num_mul_scaled(int64_t a, int64_t b, int64_t *out /* OUT */);
int num_div_round(int64_t a, int64_t b, int64_t *out /* OUT */);
int num_div_scaled(int64_t a, int64_t b, int64_t *out /* OUT */);

/* Duration units. */
enum { NUM_DAYS = 0, NUM_WEEKS = 1, NUM_MONTHS = 2, NUM_YEARS = 3, NUM_BUSINESS_DAYS = 4 };
/* A duration of count units; NUM_EOVERFLOW when count is beyond ±10,000,000 (dates span 3.7 million days). */
int num_duration(int64_t count, int unit, int64_t *out /* OUT */);
int64_t num_duration_count(int64_t d);
int num_duration_unit(int64_t d);
/* "30 days", "1 month", "10 business days". */
void num_duration_text(buf *b, int64_t d);
/*
** Parse "N UNIT" (the words of the language: day(s), week(s), month(s), year(s), business
** day(s)) from s[0..n). Returns a NUM_* code.
*/
int num_duration_parse(const char *s, size_t n, int64_t *out /* OUT */);
/* The unit named by the word w[0..n) (singular or plural; "business" alone is -2), or -1. */
int num_unit_word(const char *w, size_t n);

/* A short message for a NUM_* code: "overflow", "division by zero", ... */
const char *num_strerror(int rc);

#endif
