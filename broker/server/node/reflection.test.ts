import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_PORT_SERVICES, clientPortDefinition } from '../../../proto/load.js';
import { askReflection as ask, reflectionClient as clientFor } from '../../../proto/reflection-client.js';
import { VERSIONS, addLazyReflection, lazyReflectionService, libraryReflectionService } from './reflection.js';

describe('lazy server reflection', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
  });

  it('builds the index on the first request, once, and answers both versions as the library does', async () => {
    const server = new grpc.Server();
    let builds = 0;
    addLazyReflection(
      server,
      () => {
        builds++;
        return clientPortDefinition();
      },
      (def, recorder) => new ReflectionService(def, { services: CLIENT_PORT_SERVICES }).addToServer(recorder),
    );
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    cleanup.push(() => server.forceShutdown());
    expect(builds).toBe(0);

    for (const version of ['v1', 'v1alpha'] as const) {
      const client = clientFor(version, `127.0.0.1:${port}`);
      cleanup.push(() => client.close());
      const list = (await ask(client, { list_services: '' })) as { list_services_response: { service: { name: string }[] } };
      expect(list.list_services_response.service.map((s) => s.name).sort()).toEqual(['grpc.health.v1.Health', 'quorumq.v1.Broker']);
      const file = (await ask(client, { file_containing_symbol: 'quorumq.v1.Broker' })) as { file_descriptor_response: { file_descriptor_proto: Buffer[] } };
      expect(Buffer.concat(file.file_descriptor_response.file_descriptor_proto).toString('latin1')).toContain('PublishStream');
    }
    expect(builds).toBe(1);
  });
});

describe('the reflection services registered at start', () => {
  it.each(VERSIONS)('%s has the library service\'s shape (path, streaming, name) without parsing its .proto', (version) => {
    const lazy = lazyReflectionService(version);
    const library = libraryReflectionService(version);
    expect(Object.keys(lazy)).toEqual(Object.keys(library));
    for (const [name, m] of Object.entries(library)) {
      const l = lazy[name]!;
      expect({ path: l.path, requestStream: l.requestStream, responseStream: l.responseStream, originalName: l.originalName }).toEqual({
        path: m.path,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        originalName: m.originalName,
      });
      // Its codecs are the library's, once loaded.
      const req = { host: 'h', list_services: '' };
      expect(l.requestSerialize(req)).toEqual(m.requestSerialize(req));
      expect(l.requestDeserialize(m.requestSerialize(req))).toEqual(m.requestDeserialize(m.requestSerialize(req)));
    }
  });
});
