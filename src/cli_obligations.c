/*
** cli_obligations.c: `pactum obligations`, every instance of the agreement's first-class
** obligations with its state, due day, amount owed and amount paid on a day (obligations.h).
*/
#include "cli.h"
#include "obligations.h"

#include <string.h>
#include "banned.h"

int cmd_obligations(opts *o) {
  int code = EXIT_OK;
  int32_t day;
  if (cli_day_option(o, &day)) return EXIT_INPUT;
  pactum_agreement *agr = cli_load_agreement(o, &code);
  if (!agr) return code;
  pactum_timeline *tl = cli_load_timeline(agr, o, &code);
  if (tl) {
    int as_json = o->format && !strcmp(o->format, "json");
    pactum_error err;
    memset(&err, 0, sizeof err);
    char *report = obligations_render(agr, tl, day, as_json, &err);
    if (!report && strcmp(err.code, "out_of_memory") != 0) {
      cli_error("%s", err.message);
      code = EXIT_INPUT;
    } else {
      code = cli_print_report(report, as_json);
    }
  }
  pactum_timeline_free(tl);
  pactum_agreement_free(agr);
  return code;
}
