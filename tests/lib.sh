# What the shell test scripts share (sourced): counters of passed and failed
# checks, and the checks themselves. `check NAME CONDITION` evaluates the
# condition in this shell: quote it so that its $ expand at the check.
pass=0
fail=0
ok()    { pass=$((pass + 1)); echo "ok   $1"; }
bad()   { fail=$((fail + 1)); echo "FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
