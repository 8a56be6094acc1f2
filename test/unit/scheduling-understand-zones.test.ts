import { describe, expect, it } from 'vitest';
import {
  offsetOfDateHeader,
  signatureZone,
  statedZone,
  zoneOfOffset,
  zoneSaidOf,
} from '../../src/skills/scheduling/understand/understand.zones.ts';

describe('stated zones', () => {
  it.each([
    ["I'm in New York.", 'America/New_York'],
    ["I'm based in London, so mornings are best.", 'Europe/London'],
    ["I'm on Pacific time.", 'America/Los_Angeles'],
    ["I'm on the East Coast", 'America/New_York'],
    ['Our office is in Amsterdam.', 'Europe/Amsterdam'],
    ["I'm CST.", 'America/Chicago'],
    ['CET works for me.', 'Europe/Berlin'],
    ['How about Thursday 2pm EST?', 'America/New_York'],
    ['after 2pm PT today', 'America/Los_Angeles'],
    ['My time zone is IST.', 'Asia/Kolkata'],
    ['Anything before 4pm London time.', 'Europe/London'],
    ['I’m in Tokyo this week', 'Asia/Tokyo'],
  ])('"%s" states %s', (text, zone) => {
    expect(statedZone(text)).toMatchObject({ zone, source: 'stated' });
  });

  it.each([
    'Can we meet in the office?',
    "We're all in the city.",
    'Remi is with the team in Brazil this week.',
    'Does 10am PST (your time) work?',
    'I live near the CT border.',
    'Mail me at the ET office.',
  ])('"%s" states nothing about the writer', (text) => {
    expect(statedZone(text)).toBeNull();
  });

  it('someone else\'s words about a person name their zone ("Dana is in Tokyo")', () => {
    expect(zoneSaidOf('Dana is in Tokyo until Friday.', 'Dana')).toMatchObject({
      zone: 'Asia/Tokyo',
      source: 'stated',
    });
    expect(zoneSaidOf("Sam's based in Seattle.", 'Sam')).toMatchObject({ zone: 'America/Los_Angeles' });
    expect(zoneSaidOf('Dana is in Tokyo.', 'Sam')).toBeNull();
  });
});

describe('signature zones', () => {
  it.each([
    ['Can we meet?\n\n— Sent from Berlin', 'Europe/Berlin'],
    ['Can we meet?\n\nBest,\nPriya\n--\nPriya Raman\nHead of Operations\nBengaluru, India', 'Asia/Kolkata'],
    ["Let's sync.\n\nThanks,\nJo\n\nJo Park\nSeoul", 'Asia/Seoul'],
    ['See you.\n\nRegards,\nAnna Kowalski\nWarsaw office', 'Europe/Warsaw'],
    ['Ok.\n--\nTom | Sales\n10115 Berlin', 'Europe/Berlin'],
  ])('the signature of %j names %s', (text, zone) => {
    expect(signatureZone(text)).toMatchObject({ zone, source: 'signature' });
  });

  it('two offices in different zones, "Sent from my iPhone", a state code or a city in a sentence name nothing', () => {
    expect(signatureZone('Hi.\n--\nAcme Corp\nLondon | New York')).toBeNull();
    expect(signatureZone('Can we meet?\n\nSent from my iPhone')).toBeNull();
    expect(signatureZone('Hi.\n--\nHartford, CT')).toBeNull();
    expect(signatureZone('Hope you had a great time in Paris.')).toBeNull();
  });

  it("a quoted earlier message's signature is not the writer's", () => {
    expect(
      signatureZone('Sure, Tuesday.\n\nOn Mon, 3 Mar 2025 Sam wrote:\n> Can we meet?\n> --\n> Tokyo'),
    ).toBeNull();
  });
});

describe('Date header offsets', () => {
  it('reads the RFC 5322 offset, its obsolete names, and treats -0000 as unknown', () => {
    expect(offsetOfDateHeader('Tue, 11 Mar 2025 10:00:00 -0500')).toBe(-300);
    expect(offsetOfDateHeader('Tue, 11 Mar 2025 10:00:00 +0530 (IST)')).toBe(330);
    expect(offsetOfDateHeader('Tue, 11 Mar 2025 10:00:00 PDT')).toBe(-420);
    expect(offsetOfDateHeader('Tue, 11 Mar 2025 10:00:00 -0000')).toBeNull();
    expect(offsetOfDateHeader(null)).toBeNull();
  });

  it('an offset is not a zone: -0500 is New York in January and Chicago in July, flagged as a guess', () => {
    expect(zoneOfOffset(-300, new Date('2025-01-15T12:00:00Z'))).toMatchObject({
      zone: 'America/New_York',
      source: 'date-offset',
    });
    const july = zoneOfOffset(-300, new Date('2025-07-15T12:00:00Z'));
    expect(july).toMatchObject({ zone: 'America/Chicago', source: 'date-offset' });
    expect(july?.why).toContain('is not a zone');
  });

  it('the zone taken depends on the moment, and an offset no listed zone has falls back to a fixed-offset zone', () => {
    expect(zoneOfOffset(-180, new Date('2025-01-15T12:00:00Z'))).toMatchObject({ zone: 'America/Sao_Paulo' });
    expect(zoneOfOffset(-180, new Date('2025-07-15T12:00:00Z'))).toMatchObject({ zone: 'America/Halifax' });
    expect(zoneOfOffset(-660, new Date('2025-07-15T12:00:00Z'))).toMatchObject({ zone: 'Etc/GMT+11' });
  });
});
