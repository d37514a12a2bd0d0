/* Placeholder until the modules land; replaced by the real main in this session. */
#include "config.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0)
		printf("routertop %s\n", PACKAGE_VERSION);
	return 0;
}
