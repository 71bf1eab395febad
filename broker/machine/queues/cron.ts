// Cron expressions for schedules: five fields (minute, hour, day of month,
// month, day of week), evaluated in UTC only — a schedule's due times come
// from the leader time in the log, never from a node's zone, and UTC has no
// daylight-saving gaps or repeats to define away. Pure and deterministic.
//
// Per field: `*`, a value, a range `a-b`, a step `*/s`, `a-b/s` or `a/s`
// (from a to the field's maximum), and lists of those joined by commas.
// Months and days of week also take names (JAN-DEC, SUN-SAT); day of week
// 0 and 7 are both Sunday. As in Vixie cron, when both day of month and day
// of week are restricted (neither is `*`), a day matches if either does.

export interface Cron {
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly days: readonly boolean[];
  readonly months: readonly boolean[];
  /** 0 (Sunday) to 6. */
  readonly weekdays: readonly boolean[];
  readonly dayStar: boolean;
  readonly weekdayStar: boolean;
}

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Due times are looked for this far ahead: 29 February comes back within 8 years (2100 is not a leap year). */
const SEARCH_YEARS = 9;
const MINUTE = 60_000;

/** Parse a five-field cron expression; a string says what is wrong, naming the field and the rule. */
export function parseCron(expr: string): Cron | string {
  const parts = expr.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return `cron must have 5 fields (minute hour day-of-month month day-of-week, in UTC), got ${parts.length} in "${expr}"`;
  const sets: boolean[][] = [];
  for (let i = 0; i < 5; i++) {
    const set = parseField(parts[i]!, FIELDS[i]!);
    if (typeof set === 'string') return `cron field ${i + 1} (${FIELDS[i]!.name}) "${parts[i]}": ${set}`;
    sets.push(set);
  }
  const weekdays = sets[4]!.slice(0, 7);
  if (sets[4]![7]) weekdays[0] = true;
  const c: Cron = { minutes: sets[0]!, hours: sets[1]!, days: sets[2]!, months: sets[3]!, weekdays, dayStar: parts[2] === '*', weekdayStar: parts[4] === '*' };
  // 30 February and the like: refused rather than never due.
  if (nextCron(c, daysFromCivil(2000, 1, 1) * DAY - 1) === undefined) return `cron "${expr}" is never due (no such day in any month it names)`;
  return c;
}

const parsed = new Map<string, Cron>();

/** A valid expression's parsed form, kept for the next due times (a few distinct schedules per node). */
export function cronOf(expr: string): Cron {
  let c = parsed.get(expr);
  if (!c) {
    const p = parseCron(expr);
    if (typeof p === 'string') throw new Error(`cron expression stored unchecked: ${p}`);
    if (parsed.size >= 256) parsed.clear();
    parsed.set(expr, (c = p));
  }
  return c;
}

function parseField(text: string, f: Field): boolean[] | string {
  const set = new Array<boolean>(f.max + 1).fill(false);
  for (const item of text.split(',')) {
    const m = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/([0-9]+))?$/.exec(item);
    if (!m) return `"${item}" is not *, a value, a range a-b, or one of those with /step`;
    let lo = f.min;
    let hi = f.max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-') as [string, string | undefined];
      const va = value(a, f);
      if (typeof va === 'string') return va;
      lo = va;
      if (b !== undefined) {
        const vb = value(b, f);
        if (typeof vb === 'string') return vb;
        hi = vb;
        if (hi < lo) return `range ${item} runs backwards`;
      } else if (m[2] === undefined) hi = lo;
    }
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (!Number.isSafeInteger(step) || step < 1 || step > f.max) return `step must be between 1 and ${f.max}, got ${m[2]}`;
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  return set;
}

function value(s: string, f: Field): number | string {
  const named = f.names?.indexOf(s.toUpperCase()) ?? -1;
  if (named >= 0) return named + (f.min === 1 ? 1 : 0);
  if (!/^[0-9]+$/.test(s)) return `"${s}" is not a number${f.names ? ` or a name (${f.names[0]}-${f.names[f.names.length - 1]})` : ''}`;
  const v = Number(s);
  if (v < f.min || v > f.max) return `values must be between ${f.min} and ${f.max}, got ${v}`;
  return v;
}

function dayMatches(c: Cron, t: Civil): boolean {
  const dom = c.days[t.day]!;
  const dow = c.weekdays[t.weekday]!;
  if (c.dayStar || c.weekdayStar) return dom && dow;
  return dom || dow;
}

/** A UTC time's calendar fields (month 1-12, weekday 0 = Sunday), computed without Date (the machine reads no clock). */
interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const DAY = 24 * 60 * MINUTE;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; day may run past the month's end). */
function daysFromCivil(y: number, m: number, d: number): number {
  y += Math.floor((m - 1) / 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civil(t: number): Civil {
  const days = Math.floor(t / DAY);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const inDay = t - days * DAY;
  return { year, month, day, hour: Math.floor(inDay / (60 * MINUTE)), minute: Math.floor((inDay % (60 * MINUTE)) / MINUTE), weekday: (((days + 4) % 7) + 7) % 7 };
}

/** The first due time strictly after `after` (ms since the epoch, UTC), on a whole minute; undefined if none within SEARCH_YEARS. */
export function nextCron(c: Cron, after: number): number | undefined {
  let t = (Math.floor(after / MINUTE) + 1) * MINUTE;
  const limit = t + SEARCH_YEARS * 366 * DAY;
  while (t <= limit) {
    const d = civil(t);
    if (!c.months[d.month]) {
      t = daysFromCivil(d.year, d.month + 1, 1) * DAY;
      continue;
    }
    if (!dayMatches(c, d)) {
      t = (Math.floor(t / DAY) + 1) * DAY;
      continue;
    }
    if (!c.hours[d.hour]) {
      t = (Math.floor(t / (60 * MINUTE)) + 1) * 60 * MINUTE;
      continue;
    }
    if (!c.minutes[d.minute]) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}
