#!/usr/bin/env bash
# The quick start: installs what is missing, builds, starts the reference server on a free
# loopback port with a throw-away database, shows a request answered, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh --target scimulator

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
token=quickstart-token
build/tools/scimulator serve --port 0 --data "$work/reference.db" --token "$token" --quiet >"$work/serve.out" &
pid=$!
for _ in $(seq 1 100); do
  base=$(sed -n 's/^scimulator serve: listening on //p' "$work/serve.out")
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "${base:-}" ]] || { echo "start: the server did not come up" >&2; cat "$work/serve.out" >&2; exit 2; }
echo "== scimulator serve is listening on $base"
echo "== POST $base/Users"
curl -sS -X POST "$base/Users" -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
  -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Barbara.Jensen@example.com","name":{"givenName":"Barbara","familyName":"Jensen"},"emails":[{"value":"barbara.jensen@example.com","type":"work","primary":true}],"active":true}'
echo
echo "== GET $base/Users?filter=userName eq \"barbara.jensen@example.com\""
curl -sS -G "$base/Users" -H "Authorization: Bearer $token" --data-urlencode 'filter=userName eq "barbara.jensen@example.com"'
echo
