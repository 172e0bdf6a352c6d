#!/usr/bin/env bash
# Runs the Pulumi CLI on the dev stack with a local state backend and a generated passphrase, so a
# first deployment needs no Pulumi Cloud account and asks nothing. Users with their own backend run
# plain `pulumi` instead; this script only sets up what they would otherwise have set up themselves.
#
#   npm run deploy               -> pulumi up --yes on the dev stack
#   npm run pulumi -- <args>     -> any pulumi command on the same stack and backend
#
# State and passphrase live in .pulumi-local/ (git-ignored): keep the passphrase, it decrypts the
# stack's secrets. PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE(_FILE) and PULUMI_STACK, when set, win.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pulumi >/dev/null 2>&1; then
    echo "The Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/install/) and run this again." >&2
    exit 127
fi

local_dir="${VTM_LOCAL_DIR:-$PWD/.pulumi-local}"
stack="${PULUMI_STACK:-dev}"
mkdir -p "$local_dir/state"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$local_dir/state}"

if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    if [ ! -s "$local_dir/passphrase" ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 > "$local_dir/passphrase")
    fi
    export PULUMI_CONFIG_PASSPHRASE_FILE="$local_dir/passphrase"
fi

# Select the stack, creating it with the passphrase secrets provider the first time.
pulumi stack select "$stack" --create --secrets-provider passphrase --non-interactive >/dev/null
exec pulumi "$@"
