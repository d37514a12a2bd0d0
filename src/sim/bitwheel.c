/* The bitmaps of a timing wheel (see bitwheel.h); the hot operations are inline there. */
#include "sim/bitwheel.h"

#include <stdlib.h>

#include "util.h"

void bitwheel_init(struct bitwheel *bw, size_t slots)
{
	bw->words = xcalloc(slots / 64, sizeof(*bw->words));
	bw->summary = xcalloc(slots / 4096, sizeof(*bw->summary));
	bw->mask = slots - 1;
}

void bitwheel_free(struct bitwheel *bw)
{
	free(bw->words);
	free(bw->summary);
	bw->words = bw->summary = NULL;
}
