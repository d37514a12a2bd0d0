#!/bin/sh
# The screen on the simulator maps only what it uses: ncursesw (and its
# tinfo), cJSON, libm and libc. libcurl and libmicrohttpd, with the TLS
# stacks and the rest they pull in, are loaded only by the modes that speak
# HTTP, zlib and libzstd only by a replay of a compressed recording
# (src/dl/dl.h); the binary does not even list them as NEEDED.
# When one cannot be loaded, the mode that needs it stops with a one-line
# message naming the package to install.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# The libraries a plain build may map; sanitizer builds add their runtimes.
allowed='^(ld-linux[-a-z0-9_]*|libc|libm|libncursesw|libtinfo|libcjson|libasan|libubsan|libstdc\+\+|libgcc_s)\.so'
heavy='curl|microhttpd|gnutls|ssl|crypto|p11-kit|krb5|gssapi|nghttp|ssh|ldap|idn2|psl|brotli|rtmp|libz\.|zstd'

needed() { readelf -d "$RT_BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }
# Shared objects PID maps, one base name a line.
mapped() { awk '$6 ~ /\.so/ { n = split($6, p, "/"); print p[n] }' "/proc/$1/maps" | sort -u; }

needs_no_http_library() {
	out=$(needed)
	echo "$out" | grep -q ncursesw || { echo "# NEEDED: $out"; return 1; }
	! echo "$out" | grep -E -q "$heavy" || { echo "# NEEDED: $out"; return 1; }
}

screen_pid() { # the program under the pane's shell
	shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
	ps -o pid= --ppid "$shpid" | tr -d ' ' | head -n 1
}

maps_only_what_it_uses() {
	pid=$(screen_pid)
	[ -n "$pid" ] && [ -r "/proc/$pid/maps" ] || { echo "# no process under the pane"; return 1; }
	libs=$(mapped "$pid")
	echo "$libs" | grep -q '^libncursesw' || { echo "# mapped: $libs"; return 1; }
	extra=$(echo "$libs" | grep -E -v "$allowed")
	[ -z "$extra" ] || { echo "# mapped beyond what the screen uses: $extra"; return 1; }
}

check "the binary does not link libcurl, libmicrohttpd, zlib or libzstd" needs_no_http_library
start 80 24
check "the screen starts" wait_for "Circuit breaker"
check "the screen maps only ncursesw, tinfo, cJSON, libm, libc" maps_only_what_it_uses
check "q exits 0" quit_ok

# A stand-in for a library found first on LD_LIBRARY_PATH: an empty file
# (it cannot be loaded), or another library (it lacks the functions).
fake_lib_dir() { # SONAME empty|other
	d="$e2e_tmp/lib-$1-$2"
	mkdir -p "$d"
	if [ "$2" = empty ]; then
		: >"$d/$1"
	else
		cp "$(ldd "$RT_BIN" | awk '/libcjson/ { print $3 }')" "$d/$1"
	fi
	echo "$d"
}

# stops_with SONAME empty|other PATTERN ARGS...: exits 3, stderr one line matching PATTERN.
stops_with() {
	so=$1 kind=$2 pattern=$3
	shift 3
	dir=$(fake_lib_dir "$so" "$kind")
	LD_LIBRARY_PATH=$dir "$RT_BIN" "$@" >/dev/null 2>"$e2e_tmp/err" </dev/null
	rc=$?
	lines=$(wc -l <"$e2e_tmp/err")
	if [ "$rc" -ne 3 ] || [ "$lines" -ne 1 ] || ! grep -E -q "$pattern" "$e2e_tmp/err"; then
		echo "# exit $rc, stderr:"
		sed 's/^/#   /' "$e2e_tmp/err"
		return 1
	fi
}

# The SONAMEs and packages configure found.
conf() { sed -n "s/^#define $1 \"\(.*\)\"$/\1/p" "$RT_BUILDDIR/config.h"; }
re() { echo "$1" | sed 's/\./\\./g'; }
curl_so=$(conf RT_CURL_SONAME) curl_pkg=$(conf RT_CURL_PACKAGE)
mhd_so=$(conf RT_MHD_SONAME) mhd_pkg=$(conf RT_MHD_PACKAGE)
zlib_so=$(conf RT_ZLIB_SONAME) zlib_pkg=$(conf RT_ZLIB_PACKAGE)
zstd_so=$(conf RT_ZSTD_SONAME) zstd_pkg=$(conf RT_ZSTD_PACKAGE)
curl_re=$(re "$curl_so") mhd_re=$(re "$mhd_so") zlib_re=$(re "$zlib_so") zstd_re=$(re "$zstd_so")
url=http://127.0.0.1:9/metrics
check "watch without a loadable libcurl: one line naming the package" stops_with "$curl_so" empty \
	"^routertop: libcurl not available \\(.*$curl_re.*\\): install $curl_pkg\$" watch "$url" --once
check "watch with a libcurl lacking functions: one line naming the package" stops_with "$curl_so" other \
	"^routertop: libcurl not available \\($curl_re has no curl_[a-z_]+\\): install a newer $curl_pkg\$" \
	watch "$url" --once
check "serve without a loadable libmicrohttpd: one line naming the package" stops_with "$mhd_so" empty \
	"^routertop: libmicrohttpd not available \\(.*$mhd_re.*\\): install $mhd_pkg\$" \
	serve --listen 127.0.0.1:0
# Only the magic number matters: the library is loaded to decode what follows it.
echo '{}' | gzip -c >"$e2e_tmp/rec.jsonl.gz"
echo '{}' | zstd -q -c >"$e2e_tmp/rec.jsonl.zst"
check "replay of gzip without a loadable zlib: one line naming the package" stops_with "$zlib_so" empty \
	"^routertop: zlib not available \\(.*$zlib_re.*\\): install $zlib_pkg\$" \
	replay "$e2e_tmp/rec.jsonl.gz" --once
check "replay of zstd with a libzstd lacking functions: one line naming the package" \
	stops_with "$zstd_so" other \
	"^routertop: libzstd not available \\($zstd_re has no ZSTD_[A-Za-z_]+\\): install a newer $zstd_pkg\$" \
	replay "$e2e_tmp/rec.jsonl.zst" --once
done_testing
