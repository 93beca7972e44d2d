/*
** replay.c: main() for a harness built without libFuzzer. Runs the harness once on every
** file named on the command line, and on every file of every directory named (not
** recursively, in name order, dot files skipped). Prints how many inputs ran; exits 0, or 2
** if a path cannot be read. A broken invariant aborts, as under libFuzzer.
*/
#include "fuzz.h"
#include "alloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "banned.h"

/* Run the harness on the file at path, from a buffer of exactly its size (so ASan sees over-reads). */
static int replay_file(const char *path) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    fprintf(stderr, "replay: cannot open '%s'\n", path);
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *data = px_malloc(cap);
  size_t got;
  while (data && (got = fread(data + n, 1, cap - n, fp)) > 0) {
    n += got;
    if (n == cap) {
      uint8_t *bigger = px_realloc(data, cap *= 2);
      if (!bigger) px_free(data);
      data = bigger;
    }
  }
  fclose(fp);
  if (!data) {
    fprintf(stderr, "replay: out of memory reading '%s'\n", path);
    return -1;
  }
  uint8_t *exact = px_malloc(n ? n : 1);
  if (!exact) {
    px_free(data);
    return -1;
  }
  memcpy(exact, data, n);
  px_free(data);
  LLVMFuzzerTestOneInput(exact, n);
  px_free(exact);
  return 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Replay every file of dir in name order; the count run goes to *count. */
static int replay_dir(const char *dir, long *count) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "replay: cannot open the directory '%s'\n", dir);
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      char **more = px_realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
      if (!more) {
        rc = -1;
        break;
      }
      names = more;
    }
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[n] = px_malloc(len))) {
      rc = -1;
      break;
    }
    snprintf(names[n++], len, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      if (replay_file(names[i])) rc = -1;
      else (*count)++;
    }
    px_free(names[i]);
  }
  px_free(names);
  return rc;
}

int main(int argc, char **argv) {
  long count = 0;
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
      rc = 2;
    } else if (S_ISDIR(st.st_mode)) {
      if (replay_dir(argv[i], &count)) rc = 2;
    } else if (replay_file(argv[i])) {
      rc = 2;
    } else {
      count++;
    }
  }
  printf("replayed %ld inputs\n", count);
  return rc;
}
