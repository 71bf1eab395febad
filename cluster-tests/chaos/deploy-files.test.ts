// The deployment files are kept right by reading them: no container engine
// runs here, so this test parses the systemd environment files, the compose
// files and the Kubernetes manifest, and checks that node ids, addresses and
// peer lists agree within and across them.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

type Y = string | number | boolean | null | Y[] | { [k: string]: Y };

/** A small YAML reader for the subset these files use: block maps and lists, scalars, [] and {} inline, comments, --- documents. */
export function parseYaml(text: string): Y[] {
  const docs = text.split(/^---\s*$/m);
  return docs.map((d) => {
    const lines = d
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, ''))
      .filter((l) => l.trim() !== '')
      .map((l) => ({ ind: l.length - l.trimStart().length, text: l.trim() }));
    let i = 0;
    const scalar = (s: string): Y => {
      if (s === '{}') return {};
      if (s === '[]') return [];
      if (s.startsWith('[') && s.endsWith(']')) return s.slice(1, -1).split(',').map((x) => scalar(x.trim()));
      if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
      if (/^-?\d+$/.test(s)) return Number(s);
      if (s === 'true' || s === 'false') return s === 'true';
      if (s === 'null' || s === '~') return null;
      return s;
    };
    const block = (ind: number): Y => {
      if (i >= lines.length) return null;
      if (lines[i]!.text.startsWith('- ') || lines[i]!.text === '-') {
        const arr: Y[] = [];
        while (i < lines.length && lines[i]!.ind === ind && lines[i]!.text.startsWith('-')) {
          const rest = lines[i]!.text.slice(1).trimStart();
          if (/^[\w.-]+:(\s|$)/.test(rest) && !rest.startsWith('"')) {
            // A map item: its first key sits at ind + 2.
            lines[i] = { ind: ind + 2, text: rest };
            arr.push(map(ind + 2));
          } else {
            arr.push(scalar(rest));
            i++;
          }
        }
        return arr;
      }
      return map(ind);
    };
    const map = (ind: number): { [k: string]: Y } => {
      const o: { [k: string]: Y } = {};
      while (i < lines.length && lines[i]!.ind === ind && !lines[i]!.text.startsWith('- ')) {
        const m = /^("[^"]*"|[^:]+):\s*(.*)$/.exec(lines[i]!.text);
        if (!m) throw new Error(`cannot parse line: ${lines[i]!.text}`);
        const key = m[1]!.replace(/^"|"$/g, '');
        i++;
        if (m[2] !== '') o[key] = scalar(m[2]!);
        else if (i < lines.length && (lines[i]!.ind > ind || (lines[i]!.ind === ind && lines[i]!.text.startsWith('- ')))) o[key] = block(lines[i]!.ind);
        else o[key] = null;
      }
      return o;
    };
    return lines.length ? block(lines[0]!.ind) : null;
  }).filter((d) => d !== null);
}

const obj = (y: Y | undefined): { [k: string]: Y } => y as { [k: string]: Y };

/** "1=a:7101,2=b:7101" → Map(1 → "a:7101") */
function members(s: string): Map<number, string> {
  return new Map(s.split(',').map((m) => {
    const [id, addr] = m.split('=');
    return [Number(id), addr!] as const;
  }));
}

describe('deployment files agree', () => {
  it('systemd: every node env file names itself in the same member list, with its own addresses', () => {
    const unit = read('deploy/systemd/quorumq@.service');
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/quorumq\/%i\.env$/m);
    expect(unit).toMatch(/^ExecStart=.*dist\/broker\/cli\/main\.js server$/m);
    const envs = [1, 2, 3].map((i) => Object.fromEntries(read(`deploy/systemd/env/node${i}.env`).split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) as Record<string, string>);
    const list = envs[0]!.QUORUMQ_MEMBERS!;
    envs.forEach((e, k) => {
      const id = Number(e.QUORUMQ_ID);
      expect(id).toBe(k + 1);
      expect(e.QUORUMQ_MEMBERS).toBe(list);
      expect(members(list).get(id)).toBe(e.QUORUMQ_PEER);
      expect(e.QUORUMQ_CLIENT!.split(':')[0]).toBe(e.QUORUMQ_PEER!.split(':')[0]);
      expect(e.QUORUMQ_DATA_DIR).toMatch(new RegExp(`node${id}$`));
      // TLS on every port with this node's own certificate, and client authentication.
      expect([e.QUORUMQ_TLS, e.QUORUMQ_AUTH, e.QUORUMQ_TLS_CERT, e.QUORUMQ_TLS_KEY]).toEqual(['all', 'on', `/etc/quorumq/tls/node-${id}.pem`, `/etc/quorumq/tls/node-${id}-key.pem`]);
      expect(e.QUORUMQ_TLS_CA).toBe(envs[0]!.QUORUMQ_TLS_CA);
      expect(e.QUORUMQ_ADMIN_TOKEN_FILE).toBe(envs[0]!.QUORUMQ_ADMIN_TOKEN_FILE);
    });
    expect([...members(list).keys()]).toEqual([1, 2, 3]);
  });

  it.each([3, 5])('compose-%i: one service per node, ids 1..N, one member list naming each service, distinct host ports and volumes', (n) => {
    const [doc] = parseYaml(read(`deploy/docker/compose-${n}.yaml`));
    const services = obj(obj(doc).services);
    expect(Object.keys(services)).toEqual(Array.from({ length: n }, (_, i) => `node${i + 1}`));
    const lists = new Set<string>();
    const ports = new Set<string>();
    const volumes = new Set<string>();
    for (const [name, s] of Object.entries(services)) {
      const env = obj(obj(s).environment) as Record<string, string>;
      const id = Number(env.QUORUMQ_ID);
      expect(name).toBe(`node${id}`);
      expect(obj(s).hostname).toBe(name);
      lists.add(env.QUORUMQ_MEMBERS!);
      expect(members(env.QUORUMQ_MEMBERS!).get(id)).toBe(env.QUORUMQ_PEER);
      expect(env.QUORUMQ_PEER).toBe(`${name}:7101`);
      expect([env.QUORUMQ_TLS, env.QUORUMQ_AUTH, env.QUORUMQ_TLS_CERT, env.QUORUMQ_TLS_KEY]).toEqual(['all', 'on', `/etc/quorumq/tls/node-${id}.pem`, `/etc/quorumq/tls/node-${id}-key.pem`]);
      expect(obj(s).volumes as string[]).toContain('./certs:/etc/quorumq/tls:ro');
      for (const p of obj(s).ports as string[]) {
        expect(ports.has(p.split(':')[0]!)).toBe(false);
        ports.add(p.split(':')[0]!);
      }
      const vol = (obj(s).volumes as string[])[0]!.split(':')[0]!;
      expect(volumes.has(vol)).toBe(false);
      volumes.add(vol);
      expect(Object.keys(obj(obj(doc).volumes))).toContain(vol);
    }
    expect(lists.size).toBe(1);
    expect([...members([...lists][0]!).keys()]).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('the Dockerfile builds dist and runs the server as an unprivileged user', () => {
    const d = read('deploy/docker/Dockerfile');
    expect(d).toMatch(/npx tsc -p tsconfig\.json/);
    expect(d).toMatch(/^USER quorumq$/m);
    expect(d).toMatch(/^EXPOSE 7001 7101 7201$/m);
    expect(d).toMatch(/ENTRYPOINT \["node", "\/opt\/quorumq\/dist\/broker\/cli\/main\.js"\]/);
  });

  it('Kubernetes: headless service, StatefulSet whose member list names every replica through it, and a PDB keeping a majority', () => {
    const docs = parseYaml(read('deploy/k8s/quorumq.yaml')).map(obj);
    const kind = (k: string): { [k: string]: Y }[] => docs.filter((d) => d.kind === k);
    const headless = kind('Service').find((s) => obj(s.spec).clusterIP === 'None')!;
    expect(headless).toBeDefined();
    const sts = kind('StatefulSet')[0]!;
    const spec = obj(sts.spec);
    const name = obj(sts.metadata).name as string;
    const svc = obj(headless.metadata).name as string;
    expect(spec.serviceName).toBe(svc);
    const replicas = spec.replicas as number;
    const container = (obj(obj(spec.template).spec).containers as Y[]).map(obj)[0]!;
    const env = Object.fromEntries((container.env as Y[]).map(obj).map((e) => [e.name, e.value])) as Record<string, string>;
    const m = members(env.QUORUMQ_MEMBERS!);
    expect([...m.keys()]).toEqual(Array.from({ length: replicas }, (_, i) => i + 1));
    for (const [id, addr] of m) expect(addr).toBe(`${name}-${id - 1}.${svc}.default.svc.cluster.local:7101`);
    // The pod computes its id as ordinal + 1 and its peer address through the headless service.
    expect(String((container.args as Y[])[0])).toMatch(/QUORUMQ_ID=\$\(\( \$\{HOSTNAME##\*-\} \+ 1 \)\)/);
    expect(String((container.args as Y[])[0])).toContain(`QUORUMQ_PEER=\${HOSTNAME}.${svc}.\${POD_NAMESPACE}.svc.cluster.local:7101`);
    // TLS and auth on: each pod picks its own certificate from the Secret by its id; probes over HTTPS.
    expect([env.QUORUMQ_TLS, env.QUORUMQ_AUTH, env.QUORUMQ_TLS_CA]).toEqual(['all', 'on', '/etc/quorumq/tls/ca.pem']);
    expect(String((container.args as Y[])[0])).toContain('QUORUMQ_TLS_CERT=/etc/quorumq/tls/node-${QUORUMQ_ID}.pem QUORUMQ_TLS_KEY=/etc/quorumq/tls/node-${QUORUMQ_ID}-key.pem');
    const vols = Object.fromEntries((obj(obj(spec.template).spec).volumes as Y[]).map(obj).map((v) => [v.name, obj(v.secret).secretName]));
    const mounts = Object.fromEntries((container.volumeMounts as Y[]).map(obj).map((v) => [v.mountPath, vols[v.name as string]]));
    expect(mounts['/etc/quorumq/tls']).toBe('quorumq-tls');
    expect(mounts['/etc/quorumq/admin']).toBe('quorumq-admin');
    expect(env.QUORUMQ_ADMIN_TOKEN_FILE).toBe('/etc/quorumq/admin/admin.token');
    for (const probe of [container.readinessProbe, container.livenessProbe]) expect(obj(obj(probe).httpGet).scheme).toBe('HTTPS');
    const peerPort = (obj(headless.spec).ports as Y[]).map(obj).find((p) => p.name === 'peer')!;
    expect(peerPort.port).toBe(7101);
    const pdb = kind('PodDisruptionBudget')[0]!;
    const maxUnavailable = obj(pdb.spec).maxUnavailable as number;
    expect(replicas - maxUnavailable).toBeGreaterThan(replicas / 2);
    expect(obj(obj(pdb.spec).selector)).toEqual(obj(spec.selector));
  });
});
