# Every header compiles on its own: each one includes what it uses, so a
# module can include any header first without learning its dependencies.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

compiles_alone() { # HEADER (relative to src/)
	printf '#include "config.h"\n#include "%s"\n' "$1" >"$tmp/one.c"
	# shellcheck disable=SC2086
	$RT_CC $RT_HEADER_CFLAGS -fsyntax-only "$tmp/one.c" 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
}

for h in $(cd "$RT_SRCDIR/src" && find . -name '*.h' | sed 's|^\./||' | sort); do
	check "$h compiles on its own" compiles_alone "$h"
done
done_testing
