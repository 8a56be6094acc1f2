/**
 * What a contract, quote or statement is about beyond its amounts: the parties ("between A and B",
 * "Vermieter: …", "Le Client : …") and its key dates — start, end, "valid until", a statement
 * period, and the notice deadline that follows from an end date and a notice period ("Kündigungs-
 * frist 3 Monate", "30 days' notice"), which is the date that matters to the owner. Pure.
 */
import type { KeyDate } from '../extract.model.ts';
import { cleanName, nameLike } from './text.company.ts';
import { findDates } from './text.dates.ts';
import type { Doc } from './text.model.ts';

const ROLE_LABEL =
  /^(?:auftraggeber|auftragnehmer|vermieter|mieter|arbeitgeber|arbeitnehmer|kunde|lieferant|landlord|tenant|contractor|provider|supplier|customer|client|licensor|licensee|employer|employee|lessor|lessee|party\s*[ab12]|vertragspartner|le\s*prestataire|le\s*client|bailleur|locataire|opdrachtgever|opdrachtnemer|leverancier|klant|verhuurder|huurder|arrendador|arrendatario|prestador|proveedor|cliente)\s*:\s*(.*)$/;
const BETWEEN =
  /(?:^|\s)(?:between|zwischen|entre|tussen)\s+(.{2,120}?)\s+(?:and|und|et|en|y)\s+(.{2,120}?)(?:\s*\(|[;.]\s|,\s|$)/;

const DATE_LABELS: Array<[string, RegExp]> = [
  [
    'valid until',
    /(?:valid\s*until|gultig\s*bis|bindend\s*bis|valable\s*jusqu'?\s*au|geldig\s*tot|valido\s*hasta)\s*:?\s*$/,
  ],
  [
    'contract start',
    /(?:start\s*date|commencement\s*date|effective\s*(?:date|from|as\s*of)|(?:begins|starts|commences)\s*on|vertragsbeginn|beginnt\s*am|date\s*de\s*debut|prend\s*effet\s*le|ingangsdatum|ingaande|fecha\s*de\s*inicio)\s*:?\s*$/,
  ],
  [
    'contract end',
    /(?:end\s*date|expiry\s*date|expiration\s*date|(?:expires|ends|terminates)\s*on|vertragsende|endet\s*am|lauft\s*bis|befristet\s*bis|date\s*de\s*fin|expire\s*le|prend\s*fin\s*le|einddatum|eindigt\s*op|loopt\s*tot|fecha\s*de\s*(?:finalizacion|terminacion)|finaliza\s*el|vence\s*el)\s*:?\s*$/,
  ],
];
const PERIOD =
  /(?:statement\s*period|billing\s*period|period|abrechnungszeitraum|zeitraum|periode|periodo|laufzeit|term|du|vom|from|van|del)\s*:?\s*$/;
const RANGE_SEP = /^\s*(?:-|–|bis(?:\s*zum)?|to|au|tot|al|until|through)\s*$/;
const NOTICE =
  /(?:notice\s*period\s*(?:of\s*)?|kundigungsfrist\s*(?:von\s*|betragt\s*)?|frist\s*von\s*|preavis\s*(?:de\s*)?|opzegtermijn\s*(?:van\s*)?|preaviso\s*(?:de\s*)?)(\d{1,3})\s*([a-z]+)|(\d{1,3})\s*(days?|weeks?|months?)'?\s*(?:prior\s*)?(?:written\s*)?notice/;
const RENEWAL =
  /automatically\s*renew|renews?\s*automatically|verlangert\s*sich\s*(?:automatisch|jeweils|stillschweigend)|tacite\s*reconduction|renouvel\w*\s*tacitement|stilzwijgend\s*verlengd|automatisch\s*verlengd|se\s*renovara\s*automaticamente|prorroga\s*tacita/;

function unitDays(unit: string): 'day' | 'week' | 'month' | null {
  if (/^(?:days?|tage?n?|jours?|dagen|dias?)$/.test(unit)) return 'day';
  if (/^(?:weeks?|wochen?|semaines?|weken|semanas?)$/.test(unit)) return 'week';
  if (/^(?:months?|monate?n?|mois|maanden?|meses?)$/.test(unit)) return 'month';
  return null;
}

function minus(iso: string, n: number, unit: 'day' | 'week' | 'month'): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (unit === 'month') {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - n);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  } else d.setUTCDate(d.getUTCDate() - n * (unit === 'week' ? 7 : 1));
  return d.toISOString().slice(0, 10);
}

export function readParties(doc: Doc): string[] {
  const out: string[] = [];
  const add = (name: string) => {
    const clean = cleanName(
      name
        .replace(/\s*\(.*$/, '')
        .replace(/,.*$/, '')
        .replace(/^(?:der|die|das|dem|den|the|la|le|les|l'|de|het|el|los|las)\s+/i, ''),
    );
    if (nameLike(clean) && !out.includes(clean)) out.push(clean);
  };
  const head = doc.lines.slice(0, 40);
  const joined = head.map((l) => l.text).join(' ');
  const between = BETWEEN.exec(joined.replace(/\s+/g, ' '));
  if (between?.[1] && between[2]) {
    add(between[1]);
    add(between[2]);
  }
  for (const line of doc.lines) {
    const m = ROLE_LABEL.exec(doc.folded[line.index] ?? '');
    if (!m) continue;
    const value = line.text.slice(line.text.length - (m[1] ?? '').length);
    const next = doc.lines[line.index + 1];
    add(value.trim() !== '' ? value : (next?.text ?? ''));
  }
  return out.slice(0, 10);
}

export function readKeyDates(doc: Doc): { keyDates: KeyDate[]; warnings: string[] } {
  const keyDates: KeyDate[] = [];
  const warnings: string[] = [];
  const add = (label: string, date: string, evidence: string) => {
    const text = evidence.replace(/\t/g, ' ');
    if (!keyDates.some((k) => k.label === label && k.date === date))
      keyDates.push({ label, date, evidence: text });
  };
  let notice: { n: number; unit: 'day' | 'week' | 'month'; text: string } | null = null;
  let renews: string | null = null;
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    const dates = findDates(line.text, doc.order);
    for (const [i, d] of dates.entries()) {
      const before = folded.slice(0, d.start);
      if (!d.iso) {
        warnings.push(
          `date "${line.text.slice(d.start, d.end)}" is ambiguous (day/month order unknown); not read`,
        );
        continue;
      }
      for (const [label, re] of DATE_LABELS) if (re.test(before)) add(label, d.iso, line.text);
      const next = dates[i + 1];
      if (next?.iso && PERIOD.test(before) && RANGE_SEP.test(folded.slice(d.end, next.start))) {
        const what = /laufzeit|term/.test(before) ? 'contract' : 'period';
        add(`${what} start`, d.iso, line.text);
        add(`${what} end`, next.iso, line.text);
      }
    }
    const n = NOTICE.exec(folded);
    if (n && !notice) {
      const unit = unitDays(n[2] ?? n[4] ?? '');
      if (unit) notice = { n: Number(n[1] ?? n[3]), unit, text: line.text };
    }
    if (!renews && RENEWAL.test(folded)) renews = line.text;
  }
  const end = keyDates.find((k) => k.label === 'contract end');
  if (end && notice) add('notice deadline', minus(end.date, notice.n, notice.unit), notice.text);
  else if (notice && !end) warnings.push('notice period found but no end date to count back from');
  if (end && renews) add('renewal', end.date, renews);
  return { keyDates, warnings };
}
