#!/usr/bin/env bash
# The one rule for which stack a command works on (npm run deploy, npm run pulumi, render, verify):
# --stack NAME (or -s NAME, --stack=NAME) among the arguments, else PULUMI_STACK, else the stack selected
# in the local backend (npm run pulumi -- stack select NAME), else dev.
#
#   source scripts/stack.sh; local_backend; stack=$(stack_name "$@")   (scripts/pulumi-local.sh)
#   bash scripts/stack.sh [args...]   prints the stack's name, run in the project folder (render, verify)

# The local state backend of npm run deploy, unless PULUMI_BACKEND_URL names another.
local_backend() {
    local_dir="${VTM_LOCAL_DIR:-$PWD/.pulumi-local}"
    export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$local_dir/state}"
}

stack_name() {
    local stack="" args=("$@") i
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[$i]}" in
            --stack | -s) stack="${args[$((i + 1))]:-}" ;;
            --stack=*) stack="${args[$i]#--stack=}" ;;
        esac
    done
    stack="${stack:-${PULUMI_STACK:-}}"
    # Without the Pulumi CLI, or a local backend that holds nothing yet, no stack can have been selected.
    local asked=yes
    command -v pulumi >/dev/null 2>&1 || asked=""
    case "$PULUMI_BACKEND_URL" in file://*) [ -d "${PULUMI_BACKEND_URL#file://}" ] || asked="" ;; esac
    if [ -z "$stack" ] && [ -n "$asked" ]; then
        stack="$(pulumi stack --show-name 2>/dev/null || true)"
    fi
    echo "${stack:-dev}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    local_backend
    stack_name "$@"
fi
