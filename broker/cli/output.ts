// Human output: aligned tables and a progress bar (redrawn in place on a
// terminal, a line every few seconds otherwise, always on stderr so stdout
// stays clean for --json and pipes).

export function table(headers: string[], rows: (string | number | boolean)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly start = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  tick(n = 1): void {
    this.done += n;
    const now = Date.now();
    if (now - this.lastDraw < (this.tty ? 100 : 2000) && this.done < this.total) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const frac = this.total ? this.done / this.total : 1;
    const secs = (Date.now() - this.start) / 1000;
    const rate = secs > 0 ? Math.round(this.done / secs) : 0;
    if (this.tty) {
      const width = 30;
      const full = Math.round(frac * width);
      process.stderr.write(`\r${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${this.done}/${this.total} ${rate}/s `);
    } else {
      process.stderr.write(`${this.label}: ${this.done}/${this.total} (${Math.round(frac * 100)}%, ${rate}/s)\n`);
    }
  }

  finish(): void {
    this.draw();
    if (this.tty) process.stderr.write('\n');
  }
}
