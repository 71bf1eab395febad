// Loads quorumq.proto at run time with the options the generated types in
// proto/generated/ were made for (see generate.sh): every process and test
// goes through here so the wire shapes and the TypeScript shapes never drift.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/quorumq.js';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

/** A .proto next to this module in the source tree, two levels up from dist/proto/. */
function findProto(rel: string): string {
  for (const base of ['./', '../../proto/']) {
    const p = fileURLToPath(new URL(base + rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`${rel} not found next to proto/load or in the source tree`);
}

export function protoPath(): string {
  return findProto('quorumq.proto');
}

let cached: ProtoGrpcType['quorumq']['v1'] | undefined;

/** The quorumq.v1 package: service constructors (Broker, Raft) and message definitions. */
export function quorumqV1(): ProtoGrpcType['quorumq']['v1'] {
  if (!cached) {
    const def = protoLoader.loadSync(protoPath(), LOADER_OPTIONS);
    cached = (grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType).quorumq.v1;
  }
  return cached;
}

/** The standard grpc.health.v1 package (proto/grpc/health/v1/health.proto): enums as strings. */
export function healthV1(): grpc.GrpcObject {
  healthCached ??= (grpc.loadPackageDefinition(protoLoader.loadSync(findProto('grpc/health/v1/health.proto'), LOADER_OPTIONS)) as { grpc: { health: { v1: grpc.GrpcObject } } }).grpc.health.v1;
  return healthCached;
}
let healthCached: grpc.GrpcObject | undefined;

/**
 * The client port's services as one package definition, for server
 * reflection: quorumq.v1 (of which only Broker is exposed there) and the
 * standard health service, so grpcurl and friends need no .proto file.
 */
export function clientPortDefinition(): protoLoader.PackageDefinition {
  return protoLoader.loadSync([protoPath(), findProto('grpc/health/v1/health.proto')], LOADER_OPTIONS);
}

/** What reflection on the client port lists. */
export const CLIENT_PORT_SERVICES = ['quorumq.v1.Broker', 'grpc.health.v1.Health'];
