#!/usr/bin/env bash
# Regenerates the TypeScript types for quorumq.proto into proto/generated/ (or
# into the directory given as $1, which the regeneration test uses to check
# that the committed types are current). The flags must match the options
# proto/load.ts passes to @grpc/proto-loader at run time: camelCase fields,
# 64-bit integers as numbers, enums as strings, bytes as Buffer, defaults filled.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/proto/generated}"
rm -rf "$out"
mkdir -p "$out"
cd "$root"
node_modules/.bin/proto-loader-gen-types \
  --longs Number --enums String --bytes Buffer --defaults --oneofs \
  --includeComments --grpcLib @grpc/grpc-js --importFileExtension .js \
  -I proto -O "$out" quorumq.proto >/dev/null
# The same protos as protobufjs JSON, for proto/load.ts to build service
# definitions from at run time without parsing .proto files.
node proto/make-descriptor.mjs "$out"
