/* Command line parsing; filled in with main.c. */
#include "cli.h"

typedef int cli_placeholder_unused;
