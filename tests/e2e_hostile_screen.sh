#!/bin/sh
# A hostile router on the screen: its words show as inert text (the escape
# sequence's letters, no colour, no title change), nothing of its control
# text is on the pane, and the terminal's title is the one it had.
. "$RT_SRCDIR/tests/hostile_lib.sh"

# Ten snapshots with a hostile recommendation, then faults with a hostile reason.
seq=$(printf 'hostile-json,%.0s' 1 2 3 4 5 6 7 8 9 10)$(printf 'hostile-reason,%.0s' 1 2 3 4 5 6 7 8 9 10)
start_hostile "${seq%,}"
start_shell 160 40 || bail_out "no shell in the pane"
T select-pane -t "$cur" -T rt-untouched
shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN watch '$url' --interval 0.5; echo EXIT=\$?"

title_kept() { [ "$(title)" = rt-untouched ] || { echo "# the title is now '$(title)'"; return 1; }; }
pane_clean() { pane >"$e2e_tmp/pane" && clean "$e2e_tmp/pane"; }
# With escapes: only tmux's own colour codes (ESC [ ... m), and none before the router's "red".
escapes_inert() {
	pane -e >"$e2e_tmp/pane.e" || return 1
	! sed "s/${esc}\\[[0-9;]*m//g" "$e2e_tmp/pane.e" | grep -q "$esc" &&
	grep -qF '[31mred' "$e2e_tmp/pane.e"
}

check "the recommendation shows, defanged" wait_for '" \]0;PWNED  \[31mred'
check "the title is unchanged" title_kept
check "the pane is clean" pane_clean
check "the pane's escapes are tmux's colours only" escapes_inert
check "the fault shows, defanged" wait_for 'HTTP 503  \]0;PWNED  \[31mred'
check "the title is still unchanged" title_kept
check "the pane is still clean" pane_clean
check "the pane's escapes are still tmux's colours only" escapes_inert
check "q exits 0" quit_ok
done_testing
