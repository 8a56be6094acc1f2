/** Text on one line (whitespace runs collapsed), clipped to `max` characters with an ellipsis. Pure. */
export function oneLine(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
