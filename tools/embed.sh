#!/bin/sh
# Writes on standard output a C file that holds data files as strings, so
# the files stay the one source of truth and are installed as well: the
# built-in scenarios (src/sim/sim.mk) and router profiles
# (src/formats/formats.mk) are made so.
#
#   embed.sh HEADER TYPE EXT SRCDIR FILE...
#
# The table is `const struct TYPE TYPEs[]`, struct TYPE being declared in
# HEADER (included as "HEADER"): a row { "name", "text" } a FILE, in the
# order given, name being the file's base name less EXT, then { 0, 0 }.
# Each FILE is read as SRCDIR/FILE (the build may be out of the tree).
set -e
if [ $# -lt 4 ]; then
	echo "usage: embed.sh HEADER TYPE EXT SRCDIR FILE..." >&2
	exit 2
fi
header=$1
type=$2
ext=$3
srcdir=$4
shift 4
tab=$(printf '\t')

echo "/* Generated from $(dirname "$1")/ by tools/embed.sh: do not edit. */"
echo "#include \"$header\""
echo "const struct $type ${type}s[] = {"
for f; do
	echo "$tab{ \"$(basename "$f" "$ext")\","
	# Backslashes and quotes escaped, each line a string ending in \n.
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/^/$tab  \"/" -e 's/$/\\n"/' "$srcdir/$f"
	echo "$tab},"
done
echo "$tab{ 0, 0 },"
echo "};"
