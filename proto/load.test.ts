// The service definitions built from the build-time descriptor
// (generated/descriptor.ts, kept current by generated.test.ts) must be what
// @grpc/proto-loader makes from the .proto files: same methods, paths,
// streaming and names, and codecs that give the same bytes and objects.

import * as protoLoader from '@grpc/proto-loader';
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { LOADER_OPTIONS, healthProtoPath, protoPath, serviceDefinition } from './load.js';

const loaded = protoLoader.loadSync([protoPath(), healthProtoPath()], LOADER_OPTIONS);

/** A type name as the descriptor spells it (relative to `from`'s scope), fully qualified; undefined for a type nested in a message (proto-loader lists none). */
function resolveType(from: string, name: string): string | undefined {
  if (name.startsWith('.')) return name.slice(1);
  for (let scope = from; scope; scope = scope.slice(0, Math.max(0, scope.lastIndexOf('.')))) {
    if (loaded[`${scope}.${name}`]) return `${scope}.${name}`;
  }
  return loaded[name] ? name : undefined;
}

/** A message of `type` with every field set: scalars, repeated fields, nested messages (a level deep), enums, bytes, maps. */
function filled(typeName: string, depth = 0): Record<string, unknown> {
  const t = (loaded[typeName] as protoLoader.MessageTypeDefinition<unknown, unknown>).type as unknown as {
    field: Array<{ name: string; jsonName?: string; label: string; type: string; typeName: string; oneofIndex?: number }>;
  };
  const out: Record<string, unknown> = {};
  const seenOneofs = new Set<number>();
  for (const f of t.field) {
    if (f.oneofIndex !== undefined && f.oneofIndex !== null && (f as { proto3Optional?: boolean }).proto3Optional !== true) {
      if (seenOneofs.has(f.oneofIndex)) continue;
      seenOneofs.add(f.oneofIndex);
    }
    const name = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    let v: unknown;
    switch (f.type) {
      case 'TYPE_STRING':
        v = `s-${name}`;
        break;
      case 'TYPE_BYTES':
        v = Buffer.from([1, 2, 3]);
        break;
      case 'TYPE_BOOL':
        v = true;
        break;
      case 'TYPE_ENUM': {
        const name = resolveType(typeName, f.typeName);
        // A nested enum by number (fromObject takes both): its last value by name otherwise.
        const e = name ? ((loaded[name] as protoLoader.EnumTypeDefinition).type as unknown as { value: Array<{ name: string }> }) : undefined;
        v = e ? e.value[e.value.length - 1]!.name : 1;
        break;
      }
      case 'TYPE_MESSAGE': {
        const name = resolveType(typeName, f.typeName);
        if (depth > 1 || !name) continue;
        v = filled(name, depth + 1);
        break;
      }
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT':
        v = 1.5;
        break;
      default:
        v = 7;
    }
    out[name] = f.label === 'LABEL_REPEATED' && !(f.type === 'TYPE_MESSAGE' && /Entry$/.test(f.typeName)) ? [v, v] : v;
  }
  return out;
}

describe('service definitions from the build-time descriptor', () => {
  it.each(['quorumq.v1.Broker', 'quorumq.v1.Raft', 'grpc.health.v1.Health'])('%s matches proto-loader', (name) => {
    const ours = serviceDefinition(name);
    const theirs = loaded[name] as grpc.ServiceDefinition;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [method, m] of Object.entries(theirs)) {
      const o = ours[method]!;
      expect({ path: o.path, requestStream: o.requestStream, responseStream: o.responseStream, originalName: o.originalName }).toEqual({
        path: m.path,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        originalName: m.originalName,
      });
      const types = m as unknown as { requestType: { type: { name: string } }; responseType: { type: { name: string } } };
      const pkg = name.slice(0, name.lastIndexOf('.'));
      for (const [side, typeName] of [
        ['request', `${pkg}.${types.requestType.type.name}`],
        ['response', `${pkg}.${types.responseType.type.name}`],
      ] as const) {
        const ser = side === 'request' ? ['requestSerialize', 'requestDeserialize'] : ['responseSerialize', 'responseDeserialize'];
        for (const value of [{}, filled(typeName)]) {
          const bytes = (m[ser[0] as 'requestSerialize'] as (v: unknown) => Buffer)(value);
          expect((o[ser[0] as 'requestSerialize'] as (v: unknown) => Buffer)(value), `${method} ${side} bytes`).toEqual(bytes);
          expect((o[ser[1] as 'requestDeserialize'] as (b: Buffer) => unknown)(bytes), `${method} ${side} object`).toEqual(
            (m[ser[1] as 'requestDeserialize'] as (b: Buffer) => unknown)(bytes),
          );
          if (Object.keys(value).length > 0) expect(bytes.length, `${method} ${side}: the filled message encodes something`).toBeGreaterThan(0);
        }
      }
    }
  });
});
