import { escapeRegExp } from '../../../ingest/forward.labels.ts';

/**
 * Names people use for where they are, mapped to IANA zones: cities, single-zone countries,
 * US regions ("East Coast", "Pacific time") and zone abbreviations ("PST", "CET"). An
 * abbreviation names a region, not a season: "EST" written in July still means New York.
 * Ambiguous abbreviations take their most common reading in business mail (CST: US Central, not
 * China; IST: India, not Ireland or Israel); the reason text says which was taken. Lookups are
 * lower-case. Data and its lookup tables only.
 */

export const ABBREVIATIONS: Record<string, string> = {
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pt: 'America/Los_Angeles',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mt: 'America/Denver',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  ct: 'America/Chicago',
  est: 'America/New_York',
  edt: 'America/New_York',
  et: 'America/New_York',
  akst: 'America/Anchorage',
  hst: 'Pacific/Honolulu',
  gmt: 'Europe/London',
  bst: 'Europe/London',
  utc: 'UTC',
  wet: 'Europe/Lisbon',
  cet: 'Europe/Berlin',
  cest: 'Europe/Berlin',
  eet: 'Europe/Athens',
  eest: 'Europe/Athens',
  msk: 'Europe/Moscow',
  gst: 'Asia/Dubai',
  ist: 'Asia/Kolkata',
  sgt: 'Asia/Singapore',
  hkt: 'Asia/Hong_Kong',
  jst: 'Asia/Tokyo',
  kst: 'Asia/Seoul',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
  awst: 'Australia/Perth',
  nzst: 'Pacific/Auckland',
  nzdt: 'Pacific/Auckland',
};

const ZONES: Record<string, string> = {
  'America/New_York':
    'new york|nyc|manhattan|brooklyn|boston|washington dc|washington, dc|dc|philadelphia|atlanta|miami|new jersey|east coast|eastern time|eastern|us eastern',
  'America/Toronto': 'toronto|montreal|ottawa',
  'America/Chicago':
    'chicago|houston|dallas|austin|minneapolis|st. louis|kansas city|new orleans|nashville|mexico city|winnipeg|central time|us central',
  'America/Denver': 'denver|salt lake city|boulder|calgary|edmonton|mountain time',
  'America/Phoenix': 'phoenix|arizona',
  'America/Los_Angeles':
    'los angeles|la|san francisco|sf|bay area|silicon valley|palo alto|san jose|oakland|seattle|portland|san diego|vancouver|las vegas|west coast|pacific time|pacific',
  'America/Anchorage': 'anchorage|alaska',
  'Pacific/Honolulu': 'honolulu|hawaii',
  'America/Sao_Paulo': 'são paulo|sao paulo|rio de janeiro|rio|brazil',
  'America/Argentina/Buenos_Aires': 'buenos aires|argentina',
  'America/Bogota': 'bogotá|bogota|colombia',
  'America/Lima': 'lima|peru',
  'America/Santiago': 'santiago|chile',
  'Europe/London':
    'london|manchester|edinburgh|glasgow|bristol|uk|united kingdom|england|scotland|wales|britain',
  'Europe/Dublin': 'dublin|ireland',
  'Europe/Lisbon': 'lisbon|porto|portugal',
  'Europe/Madrid': 'madrid|barcelona|valencia|seville|spain',
  'Europe/Paris': 'paris|lyon|marseille|toulouse|france',
  'Europe/Brussels': 'brussels|antwerp|belgium',
  'Europe/Amsterdam': 'amsterdam|rotterdam|the hague|utrecht|eindhoven|netherlands|holland',
  'Europe/Berlin':
    'berlin|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart|düsseldorf|dusseldorf|leipzig|dresden|germany|central european time|central europe',
  'Europe/Zurich': 'zurich|zürich|geneva|basel|bern|lausanne|switzerland',
  'Europe/Vienna': 'vienna|wien|austria',
  'Europe/Rome': 'rome|milan|turin|florence|naples|italy',
  'Europe/Copenhagen': 'copenhagen|denmark',
  'Europe/Oslo': 'oslo|norway',
  'Europe/Stockholm': 'stockholm|gothenburg|sweden',
  'Europe/Helsinki': 'helsinki|finland',
  'Europe/Warsaw': 'warsaw|krakow|kraków|wroclaw|wrocław|poland',
  'Europe/Prague': 'prague|czech republic|czechia',
  'Europe/Budapest': 'budapest|hungary',
  'Europe/Athens': 'athens|greece',
  'Europe/Bucharest': 'bucharest|romania',
  'Europe/Kyiv': 'kyiv|kiev|ukraine',
  'Europe/Istanbul': 'istanbul|ankara|turkey',
  'Europe/Moscow': 'moscow|st petersburg|saint petersburg',
  'Asia/Jerusalem': 'tel aviv|jerusalem|israel',
  'Asia/Dubai': 'dubai|abu dhabi|uae|united arab emirates',
  'Asia/Riyadh': 'riyadh|saudi arabia',
  'Africa/Cairo': 'cairo|egypt',
  'Africa/Lagos': 'lagos|nigeria',
  'Africa/Nairobi': 'nairobi|kenya',
  'Africa/Johannesburg': 'johannesburg|cape town|south africa',
  'Asia/Karachi': 'karachi|lahore|pakistan',
  'Asia/Kolkata': 'mumbai|bombay|delhi|new delhi|bangalore|bengaluru|chennai|hyderabad|pune|kolkata|india',
  'Asia/Dhaka': 'dhaka|bangladesh',
  'Asia/Bangkok': 'bangkok|thailand',
  'Asia/Ho_Chi_Minh': 'ho chi minh city|saigon|hanoi|vietnam',
  'Asia/Jakarta': 'jakarta|indonesia',
  'Asia/Singapore': 'singapore|kuala lumpur|malaysia',
  'Asia/Manila': 'manila|philippines',
  'Asia/Hong_Kong': 'hong kong',
  'Asia/Shanghai': 'shanghai|beijing|shenzhen|guangzhou|china',
  'Asia/Taipei': 'taipei|taiwan',
  'Asia/Seoul': 'seoul|korea|south korea',
  'Asia/Tokyo': 'tokyo|osaka|kyoto|japan',
  'Australia/Perth': 'perth',
  'Australia/Brisbane': 'brisbane|queensland',
  'Australia/Adelaide': 'adelaide',
  'Australia/Sydney': 'sydney|melbourne|canberra',
  'Pacific/Auckland': 'auckland|wellington|new zealand',
};

/** Place name → zone. */
export const PLACES: Record<string, string> = {};
for (const [zone, names] of Object.entries(ZONES)) {
  for (const n of names.split('|')) if (n !== '' && PLACES[n] === undefined) PLACES[n] = zone;
}

/** Place names, longest first, for one alternation ("new york" before "york"). */
export const PLACE_PATTERN = Object.keys(PLACES)
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');

/** Abbreviations as written: upper case only, so "et" and "pt" in words never match. */
export const ABBREVIATION_PATTERN = Object.keys(ABBREVIATIONS)
  .map((a) => a.toUpperCase())
  .join('|');

/**
 * Zones a bare UTC offset most likely means, in order: the first whose offset at the message's
 * moment matches is taken. Ordered by how many people mail from them.
 */
export const OFFSET_CANDIDATES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Denver',
  'America/Phoenix',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Halifax',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Helsinki',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
];
