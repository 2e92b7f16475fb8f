#!/usr/bin/env bash
# A five-minute tour of journal in a throw-away git repository: init, add with evidence,
# list, search (entries and commits), tags, show.
# Usage: scripts/tour.sh [DIR]   (default: a new temporary folder)
set -euo pipefail

journal=${JOURNAL_BIN:-journal}
command -v "$journal" >/dev/null || { echo "error: $journal not found: run 'cargo install --path .' first" >&2; exit 1; }
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/journal-tour.XXXXXX")}
mkdir -p "$dir" && cd "$dir"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

git init -q -b main
git config user.name "Tour Operator"
git config user.email "tour@example.org"
mkdir -p modules/terranix && echo '{ resource.hcloud_server.web = { server_type = "cx22"; }; }' > modules/terranix/hetzner.nix
git add modules && git commit -q -m "terranix: hetzner web server"

step "$journal" init
step "$journal" add "LUKS unlock over SSH works on Hetzner" --provider hetzner \
  --pattern luks,disko --confidence proven --kind easy --story 1.4 --commit HEAD --tag region=fsn1
printf 'GCP firewall blocks zerotier until UDP 9993 is open\n\nThe default VPC drops inbound UDP.\n' |
  step "$journal" add - --provider gcp --pattern zerotier --confidence uncertain --kind hard
step "$journal" list
step "$journal" list --provider gcp --json
step "$journal" search "udp OR luks"
step "$journal" search --commits terranix
step "$journal" tags
step "$journal" show "$("$journal" list --json --limit 1 | sed 's/.*"id":"\([^"]*\)".*/\1/')"
step git log --oneline
printf '\nThe tour journal is in %s\n' "$dir"
