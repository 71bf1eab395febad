// gRPC server reflection on the client port (v1 and v1alpha), built on first
// use. @grpc/reflection's ReflectionService indexes every file, type and
// service of the package definition in its constructor: measured at 240-300 ms
// of a node's start on this machine (a quarter of a restart), paid by every
// start although only grpcurl-like tools ever ask. So the node registers the
// two reflection services with handlers of its own at start (their .proto
// files are small) and builds the real index when the first request arrives.
// Not even those files are parsed at start: the services' shape (one bidi
// method each) is written here, and their codecs, proto-loader and
// protobufjs's parser are loaded on the first reflection message
// (lazyReflectionService; a test checks the shape against the library's).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type { ReflectionService } from '@grpc/reflection';
import { protoLoaderModule } from '../../../proto/load.js';

/** What a reflection stream handler is: one request in, one response out. */
type ReflectionHandler = grpc.handleBidiStreamingCall<unknown, unknown>;

/** The reflection versions served, by package name. */
export const VERSIONS = ['v1', 'v1alpha'] as const;

/** The loader options the library's handlers are written for (its PROTO_LOADER_OPTS): requests and responses must be shaped alike. */
const LIBRARY_LOADER_OPTIONS: protoLoader.Options = { longs: String, enums: String, bytes: Array, defaults: true, oneofs: true };

/** Where @grpc/reflection keeps its .proto files (resolved through the package, not a guessed path). */
function reflectionProto(version: (typeof VERSIONS)[number]): string {
  const pkgJson = createRequire(import.meta.url).resolve('@grpc/reflection/package.json');
  return join(dirname(pkgJson), 'build', 'proto', 'grpc', 'reflection', version, 'reflection.proto');
}

/**
 * @grpc/reflection's index of `def` for `services`, added to `recorder`: the
 * library (~140 ms to load on this machine, with proto-loader and protobufjs's
 * parser) is loaded here, on the first reflection request, not at start.
 */
export function libraryReflection(def: protoLoader.PackageDefinition, services: string[], recorder: Pick<grpc.Server, 'addService'>): void {
  const library = createRequire(import.meta.url)('@grpc/reflection') as { ReflectionService: typeof ReflectionService };
  new library.ReflectionService(def, { services }).addToServer(recorder);
}

/** The library's ServerReflection service of one version, parsed from its .proto (what the codecs come from). */
export function libraryReflectionService(version: (typeof VERSIONS)[number]): grpc.ServiceDefinition {
  const pkg = grpc.loadPackageDefinition(protoLoaderModule().loadSync(reflectionProto(version), LIBRARY_LOADER_OPTIONS)) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
  };
  return pkg.grpc.reflection[version]!.ServerReflection.service;
}

/**
 * The ServerReflection service of one version as registered at start: its
 * one method's path and streaming, with codecs that parse the library's
 * .proto on first use (once per version).
 */
export function lazyReflectionService(version: (typeof VERSIONS)[number]): grpc.ServiceDefinition {
  let real: grpc.MethodDefinition<unknown, unknown> | undefined;
  const method = (): grpc.MethodDefinition<unknown, unknown> => (real ??= libraryReflectionService(version).ServerReflectionInfo!);
  return {
    ServerReflectionInfo: {
      path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      requestStream: true,
      responseStream: true,
      originalName: 'serverReflectionInfo',
      requestSerialize: (v: unknown) => method().requestSerialize(v),
      requestDeserialize: (b: Buffer) => method().requestDeserialize(b),
      responseSerialize: (v: unknown) => method().responseSerialize(v),
      responseDeserialize: (b: Buffer) => method().responseDeserialize(b),
    },
  };
}

/**
 * Adds the reflection services to `server`. `definition` and `build` are
 * called once, on the first reflection request: `build` turns the package
 * definition into the library's handlers (by letting it add itself to a
 * recorder), keyed by method path.
 */
export function addLazyReflection(
  server: Pick<grpc.Server, 'addService'>,
  definition: () => protoLoader.PackageDefinition,
  build: (def: protoLoader.PackageDefinition, recorder: Pick<grpc.Server, 'addService'>) => void,
): void {
  let handlers: Map<string, ReflectionHandler> | undefined;
  const real = (path: string): ReflectionHandler => {
    if (!handlers) {
      const found = new Map<string, ReflectionHandler>();
      build(definition(), {
        addService(service: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation) {
          for (const [name, method] of Object.entries(service)) found.set(method.path, impl[name] as ReflectionHandler);
        },
      });
      handlers = found;
    }
    const h = handlers.get(path);
    if (!h) throw new Error(`server reflection: no handler for ${path}`);
    return h;
  };
  for (const version of VERSIONS) {
    const service = lazyReflectionService(version);
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service)) {
      impl[name] = ((call: grpc.ServerDuplexStream<unknown, unknown>) => {
        let h: ReflectionHandler;
        try {
          h = real(method.path);
        } catch (e) {
          call.emit('error', { code: grpc.status.INTERNAL, details: (e as Error).message });
          return;
        }
        h(call);
      }) as grpc.UntypedHandleCall;
    }
    server.addService(service, impl);
  }
}
