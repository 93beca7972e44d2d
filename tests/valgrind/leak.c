/*
** leak.c: a program that leaks one block and reads one uninitialised byte, on purpose, so that
** selftest.py can prove the valgrind pass (run.py) fails when valgrind finds something.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  char *lost = malloc(64);
  if (!lost) return 3;
  memcpy(lost, "lost", 5);
  lost = NULL; /* the only pointer to the block is gone: "definitely lost" */
  if (argc > 1 && strcmp(argv[1], "clean") == 0) return 0;
  char *u = malloc(4);
  if (!u) return 3;
  int r = u[2] == 'x'; /* a conditional jump on an uninitialised value */
  free(u);
  printf("%d\n", r);
  return 0;
}
