/**
 * The words owners answer approval emails with, in the languages our owners write (English,
 * German, French, Spanish, Dutch, Portuguese, Polish, Russian transliterated), lower-case, one
 * phrase per `|`. Kept apart from the matcher so a missed word is a one-line change here.
 *
 * Each phrase has a reach (see `reply.words.ts`): `solo` words are too ambiguous to count unless
 * they are the whole clause ("y", "si", "da"); `lead` words count at the start of a clause or in a
 * clause of up to three words ("ok", "no", "fine"); `free` phrases count anywhere in a clause of up
 * to eight words ("go ahead", "looks good"). Hedges and idioms count anywhere, and are matched
 * before everything else, so "no problem" is a yes and "I don't know" is not a no.
 */

export type Sense = 'yes' | 'no' | 'hedge' | 'neutral';
export type Reach = 'solo' | 'lead' | 'free' | 'any';

export interface Phrase {
  words: readonly string[];
  sense: Sense;
  reach: Reach;
}

const list = (sense: Sense, reach: Reach, phrases: string): Phrase[] =>
  phrases.split('|').map((p) => ({ words: p.trim().split(/\s+/), sense, reach }));

/** Matched first: they contain yes- or no-words that mean something else. */
export const IDIOMS: Phrase[] = [
  ...list(
    'yes',
    'free',
    'no problem|no problems|no problem at all|no prob|no probs|no problemo|no worries|not a problem|why not|' +
      "no objection|no objections|nothing against it|don't mind|dont mind|do not mind|don't see why not|" +
      "can't see why not|cant see why not|kein problem|kein thema|nichts dagegen|pas de problème|" +
      'pas de probleme|pas de souci|pas de soucis|sans problème|sans probleme|sin problema|no hay problema|' +
      'geen probleem|geen probleem hoor|sem problema',
  ),
  ...list(
    'hedge',
    'any',
    "don't know|dont know|do not know|not sure|unsure|no idea|not certain|maybe|perhaps|possibly|let me think|" +
      "let me check|i'll check|ill check|will check|need to check|have to check|need to think|think about it|" +
      'not decided|undecided|hold on|later|on second thought|only if|unless|as long as|provided that|' +
      'weiß nicht|weiss nicht|keine ahnung|vielleicht|eventuell|muss ich überlegen|nur wenn|sofern|vorausgesetzt|' +
      'je ne sais pas|sais pas|peut être|peut etre|seulement si|à condition|a condition|no sé|quizás|quizas|' +
      'tal vez|solo si|siempre que|weet niet|misschien|hmm|hm|hmmm|talvez|não sei|tomorrow|next week',
  ),
  ...list(
    'neutral',
    'any',
    'no rush|no hurry|keine eile|no need|no changes|no change|no edits|no corrections|nothing to change|' +
      "keine änderungen|pas de changement|sin cambios|don't worry|dont worry|no matter|whether or not|or not|" +
      'if not|thank you|thanks a lot|many thanks|merci beaucoup|vielen dank|muchas gracias',
  ),
];

/** "not", "don't" … right before a yes-phrase make it a no ("not ok", "don't send it", "nicht ok"). */
export const NEGATORS: readonly (readonly string[])[] = (
  "not|don't|dont|doesn't|doesnt|didn't|can't|cant|cannot|won't|wont|wouldn't|shouldn't|isn't|never|" +
  'do not|does not|did not|will not|would not|should not|is not|no need to|nicht|kein|keine|pas|niet|nie'
)
  .split('|')
  .map((n) => n.split(' '));

export const PHRASES: Phrase[] = [
  ...list(
    'yes',
    'free',
    'go ahead|go ahead and send|go for it|send it|send it out|send this|send that|send away|send as is|send now|' +
      'please send|ship it|do it|please do|sounds good|sound good|looks good|look good|looks great|sounds great|' +
      'looks fine|look fine|looks ok|looks okay|lgtm|fine by me|fine with me|works for me|all good|approve|' +
      'approved|agreed|confirmed|of course|absolutely|definitely|certainly|einverstanden|in ordnung|alles klar|' +
      "passt|geht klar|genehmigt|freigegeben|natürlich|selbstverständlich|d'accord|c'est bon|vas y|allez y|" +
      'ça marche|ca marche|bien sûr|bien sur|ja graag|de acuerdo|adelante|por supuesto|claro que sí|akkoord|' +
      'prima|jawohl',
  ),
  ...list(
    'yes',
    'lead',
    'yes|yep|yeah|yup|yea|yess|ok|okay|okey|okie|oki|kk|sure|fine|confirm|agree|alright|all right|ja|jep|jo|' +
      'oui|ouais|vale|claro|sim|tak|send',
  ),
  ...list(
    'yes',
    'solo',
    'y|k|go|si|sí|da|great|good|perfect|perfekt|parfait|super|top|gut|bien|excellent|correct|right|gerne|gern|' +
      'bitte schön|yes yes',
  ),
  ...list(
    'no',
    'free',
    "reject|rejected|decline|declined|hold off|not now|not yet|rather not|better not|let's not|lets not|" +
      "don't think so|dont think so|no thanks|no thank you|no gracias|non merci|nein danke|please don't|" +
      'please dont|please do not|abgelehnt|ablehnen|lieber nicht|bitte nicht|auf keinen fall|keinesfalls|' +
      'pas maintenant|surtout pas|refusé|refuse|refuser|cancel it|cancelled|canceled|denied|no way|niet doen|' +
      "do it myself|handle it myself|reply myself|answer myself|write it myself|i'll handle|i will handle|" +
      "i'll take care|i will take care|i'll answer|i'll reply|i'll write|mache ich selbst|mach ich selbst|" +
      "je m'en occupe|ne pas envoyer|ne pas payer|no enviar|no pagar",
  ),
  ...list(
    'no',
    'lead',
    "no|nope|nah|nay|nein|nö|non|nee|niet|nie|não|nao|stop|stopp|cancel|hold|wait|never|don't|dont|do not|" +
      'nicht|halt|abbrechen|annuler|warte|warten',
  ),
  ...list('no', 'solo', 'n|pas'),
];

/** Words that neither decide nor make a clause longer ("please", "thanks", "then"). */
export const FILLERS = new Set(
  (
    'please|pls|plz|bitte|merci|thanks|thank|you|thx|ty|cheers|danke|dank|gracias|obrigado|obrigada|grazie|' +
    'so|well|then|just|and|also|oh|ah|but|actually|und|et|dann|alors|donc|hi|hey|hello|hallo|dear|'
  ).split('|'),
);

/** Words that open a clause that adds a condition to a verdict ("yes, but change the greeting"). */
export const BUT = new Set(['but', 'aber', 'mais', 'pero', 'however', 'though', 'except', 'sauf', 'außer']);

/** After "send", these make it a request rather than a go-ahead ("send me the PDF first"). */
export const NOT_AFTER_SEND = new Set(
  'me|us|him|her|them|a|an|the|my|our|your|mir|uns|moi|nous|over'.split('|'),
);

/** Emoji verdicts, read as words. Skin-tone modifiers and variation selectors are removed first. */
export const EMOJI: ReadonlyArray<[RegExp, string]> = [
  [/[\u{1F44D}\u{2705}\u{2714}\u{2611}\u{1F44C}\u{1F197}]/gu, ' yes '],
  [/[\u{1F44E}\u{274C}\u{2716}\u{1F6AB}\u{26D4}\u{274E}]/gu, ' no '],
];
