/** Text helpers shared by the corpus scorers. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpora, relative to the repository root. */
export const CORPORA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpora');

export function readCorpus(...parts: string[]): string {
  return readFileSync(join(CORPORA, ...parts), 'utf8');
}

export function readCorpusJson<T>(...parts: string[]): T {
  return JSON.parse(readCorpus(...parts)) as T;
}

/** The corpora README's normalisation: CRLF→LF, trailing whitespace of each line stripped, trimmed. */
export function norm(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** All whitespace removed (talon's HTML comparisons). */
export function noSpace(text: string): string {
  return text.replace(/\s+/g, '');
}

export function pct(ok: number, total: number): string {
  return total === 0 ? '   -  ' : `${((100 * ok) / total).toFixed(1).padStart(5)}%`;
}

/** Median wall time of `runs` calls, in ms. */
export function timeMs(fn: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/**
 * JSON laid out as biome formats it (objects expanded, short primitive arrays on one line,
 * 110 columns), so the written report passes `biome check` untouched.
 */
export function toJson(value: unknown, indent = 0, prefix = 0): string {
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = value.every((v) => v === null || typeof v !== 'object');
    const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (flat && prefix + inline.length + 1 <= 110) return inline;
    const items = value.map((v) => `${pad}${toJson(v, indent + 2, pad.length)}`);
    return `[\n${items.join(',\n')}\n${' '.repeat(indent)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => {
      const key = `${pad}${JSON.stringify(k)}: `;
      return `${key}${toJson(v, indent + 2, key.length)}`;
    });
    return `{\n${items.join(',\n')}\n${' '.repeat(indent)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
