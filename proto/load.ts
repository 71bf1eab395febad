// The wire definitions every process and test uses, with the options the
// generated types in proto/generated/ were made for (see generate.sh), so the
// wire shapes and the TypeScript shapes never drift.
//
// Services are built from proto/generated/descriptor.ts, the .proto files as
// protobufjs JSON made at build time (make-descriptor.mjs), with the codecs
// @grpc/proto-loader would give them: parsing quorumq.proto and building
// proto-loader's full package definition (a descriptor of every message, for
// reflection only) cost ~70-90 ms of CPU at every node's start. Reflection
// still loads the .proto files through proto-loader, on its first request
// (clientPortDefinition). A test checks these definitions against loadSync's.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type * as Protobuf from 'protobufjs';
import { DESCRIPTOR_JSON } from './generated/descriptor.js';
import type { ProtoGrpcType } from './generated/quorumq.js';

export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
} satisfies protoLoader.Options;

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

export function healthProtoPath(): string {
  return findProto('grpc/health/v1/health.proto');
}

/**
 * Modules as @grpc/proto-loader resolves them: its protobufjs (the same Type
 * codecs it would build) and its camelCase for originalName. Loaded on first
 * use; proto-loader itself only for reflection.
 */
const requireFromLoader = createRequire(createRequire(import.meta.url).resolve('@grpc/proto-loader'));
const requireHere = createRequire(import.meta.url);

/** @grpc/proto-loader, loaded on first call (reflection and tests need it; a node's start does not). */
export function protoLoaderModule(): typeof protoLoader {
  return requireHere('@grpc/proto-loader') as typeof protoLoader;
}

let root: Protobuf.Root | undefined;
/** protobufjs (the light build) and every type of the descriptor: built on the first encode or decode that needs them. */
function descriptorRoot(): Protobuf.Root {
  if (!root) {
    const pb = requireFromLoader('protobufjs/light') as typeof Protobuf;
    root = pb.Root.fromJSON(JSON.parse(DESCRIPTOR_JSON) as Protobuf.INamespace);
    root.resolveAll();
  }
  return root;
}

interface MethodJson {
  requestType: string;
  responseType: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

let descriptor: Protobuf.INamespace | undefined;
/** A service's methods as the descriptor lists them (plain JSON: no protobufjs). */
function methodsOf(fullName: string): Record<string, MethodJson> {
  descriptor ??= JSON.parse(DESCRIPTOR_JSON) as Protobuf.INamespace;
  let ns: { nested?: Record<string, unknown> } | undefined = descriptor;
  for (const part of fullName.split('.')) ns = ns?.nested?.[part] as typeof ns;
  const methods = (ns as { methods?: Record<string, MethodJson> } | undefined)?.methods;
  if (!methods) throw new Error(`no service ${fullName} in the descriptor`);
  return methods;
}

/**
 * A service's definition as proto-loader's createPackageDefinition makes it,
 * less the message descriptors (reflection's). Its paths and stream flags
 * come from the descriptor's JSON; its codecs are proto-loader's, built on
 * their first use: a node's start loads no protobufjs (~50 ms of CPU: the
 * module and the types), and the hot calls never need it (rpc/wire.ts,
 * raft/transport/batch-codec.ts).
 */
export function serviceDefinition(fullName: string): grpc.ServiceDefinition {
  const camelCase = requireFromLoader('lodash.camelcase') as (s: string) => string;
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(methodsOf(fullName))) {
    let types: { req: Protobuf.Type; res: Protobuf.Type } | undefined;
    const resolved = (): { req: Protobuf.Type; res: Protobuf.Type } => {
      if (!types) {
        const method = descriptorRoot().lookupService(fullName).methods[name]!;
        types = { req: method.resolvedRequestType!, res: method.resolvedResponseType! };
      }
      return types;
    };
    def[name] = {
      path: `/${fullName}/${name}`,
      requestStream: !!m.requestStream,
      responseStream: !!m.responseStream,
      requestSerialize: serializer(() => resolved().req),
      requestDeserialize: deserializer(() => resolved().req),
      responseSerialize: serializer(() => resolved().res),
      responseDeserialize: deserializer(() => resolved().res),
      originalName: camelCase(name),
    };
  }
  return def;
}

/** proto-loader's createSerializer (of the type `typeOf` resolves). */
function serializer(typeOf: () => Protobuf.Type): (value: unknown) => Buffer {
  return (value) => {
    const type = typeOf();
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
    return type.encode(type.fromObject(value as Record<string, unknown>)).finish() as Buffer;
  };
}

/** proto-loader's createDeserializer, with LOADER_OPTIONS (of the type `typeOf` resolves). */
function deserializer(typeOf: () => Protobuf.Type): (buf: Buffer) => unknown {
  return (buf) => {
    const type = typeOf();
    return type.toObject(type.decode(buf), LOADER_OPTIONS);
  };
}

/** The quorumq.v1 services. */
export type QuorumqV1 = Pick<ProtoGrpcType['quorumq']['v1'], 'Broker' | 'Raft'>;

let cached: QuorumqV1 | undefined;

/** The quorumq.v1 package's service constructors (Broker, Raft). */
export function quorumqV1(): QuorumqV1 {
  if (!cached) {
    const pkg = grpc.loadPackageDefinition({
      'quorumq.v1.Broker': serviceDefinition('quorumq.v1.Broker'),
      'quorumq.v1.Raft': serviceDefinition('quorumq.v1.Raft'),
    }) as unknown as ProtoGrpcType;
    cached = pkg.quorumq.v1;
  }
  return cached;
}

/** The standard grpc.health.v1 package (proto/grpc/health/v1/health.proto): enums as strings. */
export function healthV1(): grpc.GrpcObject {
  healthCached ??= (grpc.loadPackageDefinition({ 'grpc.health.v1.Health': serviceDefinition('grpc.health.v1.Health') }) as { grpc: { health: { v1: grpc.GrpcObject } } }).grpc.health.v1;
  return healthCached;
}
let healthCached: grpc.GrpcObject | undefined;

/**
 * The client port's services as one package definition, for server
 * reflection: quorumq.v1 (of which only Broker is exposed there) and the
 * standard health service, so grpcurl and friends need no .proto file. Parsed
 * from the .proto files (reflection answers with their file names).
 */
export function clientPortDefinition(): protoLoader.PackageDefinition {
  return protoLoaderModule().loadSync([protoPath(), healthProtoPath()], LOADER_OPTIONS);
}

/** What reflection on the client port lists. */
export const CLIENT_PORT_SERVICES = ['quorumq.v1.Broker', 'grpc.health.v1.Health'];
