#!/usr/bin/env bash
# Sourced by the test and example scripts: builds the sandbox and starts it on a free port,
# sets SANDBOX_URL (and SANDBOX_MAVA_WEBHOOK_KEY, the run's webhook signing key), and stops it
# when the calling script exits. Arguments go to the sandbox (e.g. --mava-webhook-url URL).
start_sandbox() {
  cargo build --quiet -p ticketwire-sandbox
  local log
  log=$(mktemp)
  ./target/debug/ticketwire-sandbox --port 0 "$@" > "$log" 2>&1 &
  SANDBOX_PID=$!
  trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    SANDBOX_URL=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$log")
    [ -n "$SANDBOX_URL" ] && break
    sleep 0.1
  done
  if [ -z "$SANDBOX_URL" ]; then
    cat "$log" >&2
    echo "the sandbox did not start" >&2
    return 1
  fi
  SANDBOX_BANNER=$(cat "$log")
  SANDBOX_MAVA_WEBHOOK_KEY=$(sed -n 's/^mava webhook signing key: //p' "$log")
  export SANDBOX_URL SANDBOX_BANNER SANDBOX_MAVA_WEBHOOK_KEY
}
