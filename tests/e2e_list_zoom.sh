#!/bin/sh
# Select + Enter zooms the panels to the row (their titles name it and
# show its figures); Esc returns to the whole router.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/upstreams.json'"
check "the whole router's panels" wait_for "┌ Latency ms · last 16,104"
check "Down selects the next row" press_for "^▸chat " Down
check "the panels stay on the router until Enter" wait_for "┌ Latency ms · last 16,104"
check "Enter: the panels name the row" press_for "┌ chat · Latency ms · last 7,218" Enter
check "Enter: the row's P95 (in the warn band) and P99" wait_for "│ P95 +125.7! P99 +234.1 "
check "Enter: the row's targets" wait_for "chat · Targets"
check "Enter: the row's breaker" wait_for "chat · Circuit breaker"
check "Enter: the status line says how to go back" wait_for "upstream 2 of 4, zoomed \\(Esc: the whole router\\)"
check "a zoom follows the selection" press_for "┌ embeddings · Latency ms" Down
check "Esc: the whole router again" press_for "┌ Latency ms · last 16,104" Escape
check "Esc: no row named" no_match "embeddings · "
check "q exits 0" quit_ok
done_testing
