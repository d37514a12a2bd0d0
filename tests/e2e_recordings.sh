# The recordings that ship (data/recordings/, see data/README): each reads
# as its description says, compressed as it is, with every row.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rec="$RT_SRCDIR/data/recordings"

calm_hour() {
	"$RT_BIN" replay "$rec/calm-hour.jsonl.zst" --once --format json >"$tmp/calm.json"
	[ $? -eq 0 ] && [ "$(jq '.snapshots' "$tmp/calm.json")" = 3600 ] &&
		[ "$(jq '(.end - .start) / 1000' "$tmp/calm.json")" = 3599 ] &&
		[ "$(jq -c '[.rows[].name]' "$tmp/calm.json")" = '["chat","embeddings","search","moderation"]' ] &&
		[ "$(jq '[.router, .rows[]] | map(.tripCount) | add' "$tmp/calm.json")" = 0 ]
}
check "calm-hour.jsonl.zst: an hour, four rows, no trip, every target met (exit 0)" calm_hour

incident() {
	"$RT_BIN" replay "$rec/incident.jsonl.gz" --once --format json >"$tmp/inc.json"
	[ $? -eq 2 ] &&
		[ "$(jq -r '.rows[] | select(.tripCount == 1) | .name' "$tmp/inc.json")" = search ] &&
		[ "$(jq '.rows[] | select(.name == "search") | .trips[0].durationMs > 0' "$tmp/inc.json")" = true ] &&
		[ "$(jq -r '.rows[] | select(.name == "chat") | .worst' "$tmp/inc.json")" = OK ]
}
check "incident.jsonl.gz: search's breaker trips and recovers; the rest stay healthy (exit 2)" incident

gate() {
	"$RT_BIN" compare "$rec/calm-hour.jsonl.zst" "$rec/incident.jsonl.gz" >"$tmp/cmp.txt"
	[ $? -eq 2 ] && grep -q "^row search" "$tmp/cmp.txt"
}
check "compare: the incident against the calm hour fails the gate (exit 2)" gate

scenario_remakes() {
	"$RT_BIN" sim --scenario "$rec/calm-hour.scenario.json" --seed 42 --speed max --duration 60s \
		--batch --format json >"$tmp/remade.json"
	[ $? -eq 0 ] && [ "$(wc -l <"$tmp/remade.json")" -eq 60 ]
}
check "calm-hour.scenario.json, the scenario it was made with, loads and runs" scenario_remakes

done_testing
