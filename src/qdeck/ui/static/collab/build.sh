#!/usr/bin/env bash
# Builds qdeck-collab-<version>.js, the browser bundle for collaborative
# editing (Yjs + y-websocket client + CodeMirror 6 + y-codemirror.next).
#
# Why this exists: the bundle is built ONCE by a developer and the resulting
# .js file is committed as a versioned static asset, so neither CI nor users
# need npm/node at run time. node_modules/ is git-ignored.
#
# How to rebuild (needs node >= 18 and npm):
#   cd src/qdeck/ui/static/collab && bash build.sh
# To upgrade a dependency or change entry.js: edit package.json (exact
# versions), bump "version", run `npm install`, then this script; commit
# package.json, package-lock.json and the new qdeck-collab-<version>.js, and
# delete the old bundle (and update whatever references its file name).
set -euo pipefail
cd "$(dirname "$0")"
VERSION="$(node -p "require('./package.json').version")"
npm ci --no-audit --no-fund
npx esbuild entry.js --bundle --minify --format=iife --global-name=QdeckCollab \
  --outfile="qdeck-collab-${VERSION}.js"
echo "built qdeck-collab-${VERSION}.js ($(wc -c < "qdeck-collab-${VERSION}.js") bytes)"
