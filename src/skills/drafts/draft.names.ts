import type { Address } from '../../ingest/message.model.ts';

/**
 * People's names as mail headers write them: "Dana Smith", "Smith, Dana", "'Dana' (ACME)".
 * Matching folds case and accents so the owner's "Renee" finds "Renée". Pure.
 */

/** Lower case, accents and quotes removed, whitespace collapsed. */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/["'’“”()<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Dana" from "Dana Smith" or "Smith, Dana"; '' when the display name is empty. */
export function firstName(displayName: string): string {
  const name = displayName
    .replace(/["“”]/g, '')
    .replace(/\(.*?\)/g, '')
    .trim();
  const comma = name.indexOf(',');
  const given = comma > 0 ? name.slice(comma + 1) : name;
  return given.trim().split(/\s+/)[0] ?? '';
}

/**
 * True when the owner's hint names this address: the whole display name, the first name, the
 * local part, or the local part's first segment (`dana` of `dana.smith@`); an address hint must
 * be the address itself.
 */
export function namesAddress(hint: string, a: Address): boolean {
  const key = foldName(hint);
  if (key === '') return false;
  const address = a.address.toLowerCase();
  if (key.includes('@')) return address === key.replace(/^<|>$/g, '');
  const local = foldName(address.slice(0, Math.max(0, address.lastIndexOf('@'))));
  const names = [
    foldName(a.name),
    foldName(givenFirst(a.name)),
    foldName(firstName(a.name)),
    local,
    local.split(/[._-]/)[0] ?? '',
  ];
  return names.some((n) => n.length >= 2 && n === key);
}

/** "Smith, Dana" → "Dana Smith"; other names as they are. */
function givenFirst(displayName: string): string {
  const [family, given] = displayName.split(/,(.*)/s);
  return given?.trim() ? `${given.trim()} ${family?.trim() ?? ''}` : displayName;
}

/** A first name fit to write in a greeting: letters, marks, apostrophes and hyphens only, or ''. */
export function greetingName(a: Address): string {
  const first = firstName(a.name);
  return /^[\p{L}\p{M}'’-]{1,40}$/u.test(first) ? first : '';
}
