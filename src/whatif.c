/* whatif.c: placeholder while the what-if module is written. */
#include "banned.h"
typedef int whatif_placeholder;
