/**
 * The slice of HWA's Orchestration Query Language the simulator understands:
 * `field = 'v'`, `field != 'v'`, `field IN ['a','b']`, `field = true|false|123`, joined by AND,
 * with an optional `ORDER BY field [ASC|DESC]`. Fields are dotted paths; a path through an array
 * (e.g. `jobruns.commonStatus`) matches when any element matches.
 */
export interface OqlQuery {
  filters: Array<(item: unknown) => boolean>;
  orderBy?: { path: string; descending: boolean };
}

export class OqlError extends Error {}

type Literal = string | number | boolean;

const CONDITION = /^([A-Za-z][\w.]*)\s*(=|!=|IN|LIKE)\s*(.+)$/i;

function parseLiteral(text: string): Literal {
  const t = text.trim();
  if (/^'(?:[^']|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new OqlError(`Cannot read the value ${t}`);
}

function parseList(text: string): Literal[] {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) throw new OqlError(`IN needs a list in brackets, got ${t}`);
  const inner = t.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.match(/'(?:[^']|'')*'|[^,\s]+/g)!.map(parseLiteral);
}

export function valuesAt(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  for (const key of path.split('.')) {
    current = current.flatMap((value) => {
      if (value === null || value === undefined) return [];
      const next = (value as Record<string, unknown>)[key];
      return Array.isArray(next) ? (next as unknown[]) : [next];
    });
  }
  return current.filter((v) => v !== undefined && v !== null);
}

/** HWA's LIKE uses `@` as the wildcard. */
function likeMatcher(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/@/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  const tokens = text.split(/(\s+AND\s+|')/i);
  for (const token of tokens) {
    if (token === "'") quoted = !quoted;
    if (!quoted && /^\s+AND\s+$/i.test(token)) {
      parts.push(current);
      current = '';
    } else current += token;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseOql(text: string | null | undefined): OqlQuery {
  const query: OqlQuery = { filters: [] };
  let source = (text ?? '').trim();
  const order = /\s*ORDER\s+BY\s+([A-Za-z][\w.]*)(\s+(ASC|DESC))?\s*$/i.exec(source);
  if (order) {
    query.orderBy = { path: order[1], descending: (order[3] ?? 'ASC').toUpperCase() === 'DESC' };
    source = source.slice(0, order.index).trim();
  }
  if (source === '') return query;
  for (const condition of splitAnd(source)) {
    const match = CONDITION.exec(condition);
    if (!match) throw new OqlError(`Cannot read the condition ${condition}`);
    const [, path, op, rest] = match;
    const operator = op.toUpperCase();
    if (operator === 'IN') {
      const list = parseList(rest);
      query.filters.push((item) => valuesAt(item, path).some((v) => list.includes(v as Literal)));
    } else if (operator === 'LIKE') {
      const pattern = likeMatcher(String(parseLiteral(rest)));
      query.filters.push((item) => valuesAt(item, path).some((v) => pattern.test(String(v))));
    } else {
      const literal = parseLiteral(rest);
      const equal = (item: unknown) => valuesAt(item, path).some((v) => v === literal);
      query.filters.push(operator === '=' ? equal : (item) => !equal(item));
    }
  }
  return query;
}

export function applyOql<T>(items: T[], query: OqlQuery): T[] {
  const selected = items.filter((item) => query.filters.every((f) => f(item)));
  if (query.orderBy) {
    const { path, descending } = query.orderBy;
    const key = (item: T) => {
      const value = valuesAt(item, path)[0];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    };
    selected.sort((a, b) => (descending ? -1 : 1) * key(a).localeCompare(key(b)));
  }
  return selected;
}
