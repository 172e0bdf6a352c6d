#!/usr/bin/env bash
# Runs the Pulumi CLI with a local state backend and a generated passphrase, so that a first deployment
# needs no Pulumi Cloud account and asks nothing. Users with their own backend run plain `pulumi`
# instead; this script only sets up what they would otherwise have set up themselves.
#
#   npm run deploy [-- --stack NAME]    -> pulumi up --yes on the stack
#   npm run pulumi -- <args>            -> any pulumi command, on the same backend
#
# The stack: as scripts/stack.sh decides for every command (--stack NAME or -s NAME, else PULUMI_STACK,
# else the stack selected in this backend, else dev). It is created, with
# the passphrase secrets provider, the first time it is used. `npm run pulumi -- stack …` commands are
# passed on as they are.
#
# State and passphrase live in .pulumi-local/ (git-ignored): keep the passphrase, it decrypts the
# stack's secrets. PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE(_FILE) and PULUMI_STACK, when set, win.
set -euo pipefail
cd "$(dirname "$0")/.."

# Object-typed keys in Pulumi.yaml's config block need this version (README: Prerequisites).
MIN_PULUMI_VERSION=3.187.0

if ! command -v pulumi >/dev/null 2>&1; then
    echo "The Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/install/) and run this again." >&2
    exit 127
fi
version=$(pulumi version 2>/dev/null | sed -e 's/^v//' -e 's/[-+].*//')
if [ "$(printf '%s\n%s\n' "$MIN_PULUMI_VERSION" "$version" | sort -V | head -n 1)" != "$MIN_PULUMI_VERSION" ]; then
    echo "The Pulumi CLI is ${version:-of an unknown version}; this project needs $MIN_PULUMI_VERSION or later (pulumi's object-typed project configuration): upgrade it (https://www.pulumi.com/docs/install/)." >&2
    exit 1
fi

# shellcheck source=scripts/stack.sh
source scripts/stack.sh
local_backend
mkdir -p "$local_dir/state"

if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
    if [ ! -s "$local_dir/passphrase" ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 > "$local_dir/passphrase")
    fi
    export PULUMI_CONFIG_PASSPHRASE_FILE="$local_dir/passphrase"
fi

# Stack management (init, select, ls, rm, …) is the user's own business.
if [ "${1:-}" = "stack" ]; then
    exec pulumi "$@"
fi

stack=$(stack_name "$@")

# Select the stack, creating it with the passphrase secrets provider the first time.
pulumi stack select "$stack" --create --secrets-provider passphrase --non-interactive >/dev/null
echo "Stack: $stack (backend $PULUMI_BACKEND_URL)" >&2
exec pulumi "$@"
