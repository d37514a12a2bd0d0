# Shared by the hostile end-to-end scripts (tests/e2e_hostile_*.sh): a
# router, a command, a recording or the command line brings escape
# sequences (OSC that sets the terminal's title, CSI colours), C1 controls,
# bytes that are not UTF-8, a right-to-left override and a '|' with forged
# perfdata, and the scripts check that none of it reaches any output: the
# screen, standard output and error in every format, recordings.
#
# Sources e2e_lib.sh (tmux, the pane helpers, $e2e_tmp) and adds:
#   $hostile, $hostile_json  the text, raw and as JSON string content
#   clean FILE               FILE is not empty and holds none of it
#   start_hostile SEQUENCE   the fault server in hostile mode; sets $url
#   wait_lines FILE PATTERN N  until N lines of FILE match
#   title                    the pane's title (an OSC 0/2 would change it)
. "$RT_SRCDIR/tests/e2e_lib.sh"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

# The same bytes as FAULT_HOSTILE_TEXT in tests/fault_http.h.
hostile=$(printf '\033]0;PWNED\007\033[31mred\033[0m\302\23331m\302\2350;PWNED\302\234\377\376\342\200\256desrever\177 | fake_perf=0;1;2')
hostile_json=$(printf '\\u001b]0;PWNED\\u0007\\u001b[31mred\\u001b[0m\302\23331m\302\2350;PWNED\302\234\377\376\342\200\256desrever\177 | fake_perf=0;1;2')

c1_re=$(printf '\302[\200-\237]')
bidi_re1=$(printf '\342\200[\252-\256]')
bidi_re2=$(printf '\342\201[\246-\251]')

# clean FILE: not empty; no ESC byte, no C1 control, no bidirectional
# override, and well-formed UTF-8 throughout.
clean() {
	[ -s "$1" ] || { echo "# $1 is empty or missing"; return 1; }
	for re in "$esc" "$c1_re" "$bidi_re1" "$bidi_re2"; do
		if LC_ALL=C grep -q -- "$re" "$1"; then
			echo "# $1 holds a control or override sequence:"
			LC_ALL=C grep -- "$re" "$1" | head -3 | od -c | head -8 | sed 's/^/#   /'
			return 1
		fi
	done
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 || { echo "# $1 is not UTF-8"; return 1; }
}

fault_pid=
hostile_cleanup() {
	[ -n "$fault_pid" ] && kill "$fault_pid" 2>/dev/null
	e2e_cleanup
}
trap hostile_cleanup EXIT

# wait_lines FILE PATTERN N: until N lines of FILE match the extended regex.
wait_lines() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		[ "$(grep -Eac -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for $3 lines /$2/ in $1:"
	sed 's/^/#   /' "$1" 2>/dev/null | head -20
	return 1
}

# start_hostile SEQUENCE: (re)start the fault server in hostile mode with
# these answers (tests/fault_server.c), then good ones; $url is its /metrics.
fault_n=0
start_hostile() {
	[ -n "$fault_pid" ] && kill "$fault_pid" 2>/dev/null && wait "$fault_pid" 2>/dev/null
	# A log of its own each time: the previous one says "listening" already.
	fault_n=$((fault_n + 1))
	fault_log="$e2e_tmp/fs.$fault_n"
	"$RT_BUILDDIR/tests/fault_server" --max-seconds 300 "$1" >"$fault_log" 2>"$fault_log.err" &
	fault_pid=$!
	wait_lines "$fault_log" '^listening$' 1 || bail_out "the fault server did not start"
	url="http://127.0.0.1:$(sed -n 's/^port //p' "$fault_log")/metrics"
}

title() { T display-message -p -t "$cur" '#{pane_title}'; }
