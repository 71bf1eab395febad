import { afterEach, describe, expect, it, vi } from 'vitest';
import { Report } from './report.js';

describe('bench table', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints a feature figure beside the no-feature figure of the same run as a ratio, in row order', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const r = new Report();
    r.row({ section: 'Q', label: 'plain', metric: 'plain' });
    r.row({ section: 'Q', label: 'groups vs none', metric: 'groups', limit: 'plain', goal: 'ratio >= 0.8' });
    r.row({ section: 'Q', label: 'failover', metric: 'fo', limit: 'fo_limit', lowerIsBetter: true });
    r.row({ section: 'Q', label: 'never measured', metric: 'absent' });
    // Medians of the runs: 1000 (plain) and 850 (groups).
    r.record('plain', 'msg/s', [900, 1000, 1100]);
    r.record('groups', 'msg/s', [800, 850, 2000]);
    r.record('fo', 'ms', [400]);
    r.record('fo_limit', 'ms', [100]);
    const lines = r.table().split('\n');
    const line = (label: string): string => lines.find((l) => l.trimStart().startsWith(label))!;
    expect(line('groups vs none')).toMatch(/850\s+msg\/s\s+800\.\.2,000 \(3\)\s+1,000 msg\/s\s+85%\s+ratio >= 0\.8$/);
    // Lower is better: the limit over the value.
    expect(line('failover')).toMatch(/\s25%$/);
    expect(lines.some((l) => l.includes('never measured'))).toBe(false);
    expect(lines.indexOf(line('plain'))).toBeLessThan(lines.indexOf(line('groups vs none')));
  });
});
