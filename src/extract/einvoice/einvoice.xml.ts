/**
 * A small, safe XML tree for e-invoices. fast-xml-parser does the tokenising; we keep it from
 * ever expanding entities (`processEntities: false`: no DTD entities, so no billion laughs and
 * no external entities, and callers refuse any DOCTYPE before we get here) and decode the five
 * predefined XML entities and character references ourselves (XML 1.0 §4.1, §4.6). Namespace
 * prefixes are dropped: e-invoice generators use all sorts of prefixes for the same namespaces,
 * and the root namespace was already checked (einvoice.sniff.ts). Every node carries its path,
 * which becomes the evidence of the value read from it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  /** Local name, without namespace prefix. */
  name: string;
  /** `/Root/Child/Leaf`, with a 1-based `[n]` where an element repeats. */
  path: string;
  /** The element's own text, entities decoded, trimmed; '' when none. */
  text: string;
  /** Attributes by local name, entities decoded. */
  attrs: Record<string, string>;
  children: XmlNode[];
}

const TEXT = '#text';
const CDATA = '#cdata';
const ATTR = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references, in one pass (no double decoding). */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

type Raw = string | { [key: string]: unknown };

function toNode(name: string, raw: Raw, path: string): XmlNode {
  if (typeof raw !== 'object' || raw === null) {
    return { name, path, text: decodeEntities(String(raw ?? '')).trim(), attrs: {}, children: [] };
  }
  const attrs: Record<string, string> = {};
  const children: XmlNode[] = [];
  let text = '';
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(ATTR)) attrs[key.slice(ATTR.length)] = decodeEntities(String(value));
    else if (key === TEXT) text += decodeEntities(String(value));
    else if (key === CDATA) text += (value as unknown[]).map(String).join('');
    else {
      const items = value as Raw[];
      items.forEach((item, i) => {
        children.push(toNode(key, item, `${path}/${key}${items.length > 1 ? `[${i + 1}]` : ''}`));
      });
    }
  }
  return { name, path, text: text.trim(), attrs, children };
}

/**
 * The root element of a well-formed document. Throws an Error saying what is wrong (with line)
 * when the XML is not well-formed; callers turn that into a DocumentError.
 */
export function parseXmlTree(xml: string): XmlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  const parsed = parser.parse(xml) as Record<string, Raw[]>;
  const roots = Object.entries(parsed).filter(([key]) => !key.startsWith('?') && !key.startsWith('#'));
  const [name, items] = roots[0] ?? [];
  if (!name || !items || roots.length !== 1 || items.length !== 1)
    throw new Error('not exactly one root element');
  return toNode(name, items[0]!, `/${name}`);
}

/** The first node along a path of child names, or undefined. */
export function child(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let at = node;
  for (const name of names) at = at?.children.find((c) => c.name === name);
  return at;
}

/** Every node along a path of child names (fanning out where elements repeat). */
export function all(node: XmlNode | undefined, ...names: string[]): XmlNode[] {
  let level = node ? [node] : [];
  for (const name of names) level = level.flatMap((n) => n.children.filter((c) => c.name === name));
  return level;
}
