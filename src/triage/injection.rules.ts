/**
 * Injection rules that try to take over the model itself: override phrases ("ignore all
 * previous instructions"), role reassignment ("you are now …") and chat-template markup
 * (`<|im_start|>`, `### Instruction`). English, German, French, Spanish and Dutch.
 *
 * False positives: a person correcting themselves ("please disregard MY previous instructions
 * about the delivery") is not matched — an override addresses the reader's instructions
 * ("all", "your", "the previous"), not the writer's own; "you are now subscribed/chatting with"
 * is not a role.
 */
import { any, type InjectionRule, rx } from './injection.pattern.ts';

const OVERRIDE_EN = rx(
  String.raw`\b(?:ignore|disregard|forget|skip|override|bypass|discard|abandon|stop\s+following)\s+`,
  String.raw`(?:all\s+|any\s+|every\s+|each\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?`,
  String.raw`(?:(?:previous|prior|above|earlier|preceding|former|original|initial|old|existing|system|developer|safety|given|other)\s+)*`,
  String.raw`(?:instructions?|rules|directions|directives?|prompts?|guidelines|guidance|commands|orders|programming|constraints|restrictions|guardrails)\b`,
);
/** "Your earlier instructions are cancelled", "previous rules no longer apply". */
const OVERRIDE_EN_VOID = rx(
  String.raw`\b(?:your|all|the|any)?\s*(?:previous|prior|earlier|original|existing|old|other)\s+(?:instructions|rules|guidelines|directives|orders|guidance)\s+`,
  String.raw`(?:(?:are|is|have\s+been)\s+(?:now\s+)?(?:cancel+ed|void|revoked|superseded|obsolete|invalid|replaced|suspended|lifted)|(?:no\s+longer|do\s+not|don'?t)\s+apply)\b`,
);
const OVERRIDE_EN_ONLY = rx(
  String.raw`\b(?:follow|obey)\s+only\s+(?:the\s+)?(?:what\s+is\s+written|instructions?|rules|text|commands)\s+(?:below|in\s+this\s+(?:e-?mail|message))`,
);
const OVERRIDE_EN_ALL = rx(
  String.raw`\b(?:ignore|disregard|forget)\s+(?:all|everything)\s+(?:of\s+)?(?:the\s+)?`,
  // "ignore all previous" ends the clause; "ignore all previous emails about the order" is a correction.
  any(
    String.raw`(?:above|before|prior|previous(?:ly)?)(?=\s*(?:[.,;:!\n]|and\b|$))`,
    String.raw`you\s+(?:were|have\s+been)\s+told|you\s+know\b`,
  ),
);
const OVERRIDE_DE = rx(
  String.raw`\b(?:ignorier(?:e|en|t)?|vergiss|vergesst|vergessen|missachte(?:n|t)?|ubergeh(?:e|en|t))\s+(?:sie\s+)?(?:bitte\s+)?`,
  String.raw`(?:alle\s+|samtliche\s+|jegliche\s+)?`,
  String.raw`(?:(?:vorherigen|vorigen|bisherigen|fruheren|obigen|vorangegangenen|vorhergehenden|alten|ursprunglichen|deine|deinen|ihre|bestehenden)\s+)+`,
  String.raw`(?:anweisungen|instruktionen|regeln|befehle|vorgaben|anordnungen|richtlinien)\b`,
);
const FR_NOUN = '(?:instructions|consignes|regles|directives|ordres|commandes)';
const OVERRIDE_FR = rx(
  String.raw`\b(?:ignore[sz]?|oublie[sz]?|neglige[sz]?|ne\s+tien[st]?\s+pas\s+compte|ne\s+tenez\s+pas\s+compte|fai(?:s|tes)\s+abstraction)\s+(?:de\s+|des\s+)?`,
  any(
    String.raw`(?:toutes|tous)\s+(?:les|tes|vos|ces)\s+(?:\w+\s+)?${FR_NOUN}`,
    String.raw`(?:(?:les|tes|vos|ces)\s+)?${FR_NOUN}\s+(?:precedentes|anterieures|ci-dessus|initiales|d'origine|du\s+systeme)`,
  ),
);
const ES_NOUN = '(?:instrucciones|indicaciones|reglas|ordenes|directrices|normas|comandos)';
const OVERRIDE_ES = rx(
  String.raw`\b(?:ignora|ignore|ignoren|ignorad|olvida|olvide|olviden|olvidad|descarta|descarte|omite|omita|haz\s+caso\s+omiso\s+de|haga\s+caso\s+omiso\s+de|no\s+hagas\s+caso\s+(?:a|de))\s+`,
  any(
    String.raw`(?:todas\s+las|todos\s+los|todas\s+tus|todas\s+sus)\s+(?:\w+\s+)?${ES_NOUN}`,
    String.raw`(?:(?:las|tus|sus)\s+)?${ES_NOUN}\s+(?:anteriores|previas|precedentes|de\s+arriba|originales|del\s+sistema)`,
  ),
);
const NL_NOUN = `(?:instructies|regels|opdrachten|aanwijzingen|richtlijnen|commando's)`;
const NL_ADJ = '(?:vorige|eerdere|voorgaande|bovenstaande|oude|originele|oorspronkelijke)';
const OVERRIDE_NL = rx(
  String.raw`\b(?:negeer|negeert|vergeet|vergeten)\s+`,
  any(
    String.raw`(?:alle|al\s+je)\s+(?:de\s+|je\s+|jouw\s+|uw\s+)?(?:${NL_ADJ}\s+)?${NL_NOUN}`,
    String.raw`(?:de\s+|je\s+|jouw\s+|uw\s+)?${NL_ADJ}\s+${NL_NOUN}`,
  ),
);

/** A role an attacker assigns to the model. */
const ROLE = String.raw`(?:\w+[ -]){0,2}(?:assistant|assistent|assistente|asistente|ai|ki|ia|chatbot|bot|model|modele|modelo|dan|persona|admin|administrator|administrateur|administrador|hacker|jailbroken|unrestricted|unfiltered|uncensored|mode)\b`;
/** Ordinary mail says "you are now subscribed / chatting with / connected to …". */
const NOT_A_ROLE = String.raw`(?!(?:chatting|speaking|talking|connected|subscribed|registered|signed|logged|enrolled|eligible|able|ready|set|all|part|on|a\s+member|a\s+customer|in\s+the\s+queue)\b)`;
/** The owner, as an attacker refers to them when asking the assistant to impersonate or bypass them. */
const OWNER_ROLE = String.raw`(?:the\s+owner|your\s+(?:boss|owner|user|employer|principal|manager)|the\s+(?:user|account\s+holder|mailbox\s+owner))`;
const ARTICLE = String.raw`(?:(?:a|an|the|my|in|no\s+longer)\s+)?`;

const ROLE_REASSIGNMENT = [
  rx(String.raw`\byou\s+are\s+now\s+`, NOT_A_ROLE, ARTICLE, ROLE),
  rx(String.raw`\bfrom\s+now\s+on,?\s+you\s+(?:are|will\s+(?:act|behave|respond)\s+as)\s+`, ARTICLE, ROLE),
  rx(String.raw`\bpretend\s+(?:to\s+be|you\s+are|that\s+you\s+are)\s+`, ARTICLE, ROLE),
  rx(
    String.raw`\b(?:act|pose|sign(?:\s+off)?|reply|respond|write)\s+as\s+(?:if\s+you\s+were\s+)?${OWNER_ROLE}\b`,
  ),
  rx(
    String.raw`\bact\s+as\s+(?:if\s+you\s+were\s+)?(?:an?\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|different)\s+`,
    ROLE,
  ),
  // "Act as Maya and sign …": a capitalised name followed by an action (case-sensitive on purpose).
  /\b[Aa]ct as [A-Z][a-z]{1,20} and (?:sign|approve|reply|send|confirm|pay|forward)\b/g,
  rx(
    String.raw`\b(?:enter|enable|activate|switch\s+to)\s+(?:developer|god|admin|dan|jailbreak|debug|unrestricted)\s+mode\b`,
  ),
  rx(String.raw`\bdu\s+bist\s+(?:jetzt|nun|ab\s+sofort)\s+(?:(?:ein|eine|der|die|mein|meine)\s+)?`, ROLE),
  rx(
    String.raw`\b(?:tu\s+es|vous\s+etes)\s+(?:maintenant|desormais|dorenavant)\s+(?:(?:un|une|le|la|mon|ma)\s+)?`,
    ROLE,
  ),
  rx(
    String.raw`\b(?:ahora|a\s+partir\s+de\s+ahora)\s+(?:eres|sos|es\s+usted)\s+(?:(?:un|una|el|la|mi)\s+)?`,
    ROLE,
  ),
  rx(
    String.raw`\b(?:je|jij|u)\s+(?:bent|is)\s+(?:nu|vanaf\s+nu|voortaan)\s+(?:(?:een|de|het|mijn)\s+)?`,
    ROLE,
  ),
];

const PROMPT_MARKUP = [
  /<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>/gi,
  /\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|instructions?)>/gi,
  /^[ \t]*#{2,}[ \t]*(?:new[ \t]+)?(?:instructions?|system(?:[ \t]+prompt)?)\b/gim,
  /\bBEGIN[ \t]+SYSTEM\b/g,
  rx(String.raw`\bbegin\s+(?:system|admin|developer)\s+(?:prompt|message|instructions?|override)\b`),
  rx(String.raw`\bsystem\s+prompt\b`),
  // At the start of a line or sentence: "… ships with new instructions: see page 4" is a manual.
  rx(String.raw`(?:^|[.!?]\s+|\n)\s*(?:new|updated|revised|additional)\s+(?:system\s+)?instructions?\s*:`),
  rx(String.raw`\b(?:system|admin|developer)\s+(?:message|override|instruction)s?\s*:`),
  rx(String.raw`\b(?:neue|aktualisierte)\s+(?:anweisungen|instruktionen)\s*:`),
  rx(String.raw`\bnouvelles?\s+(?:instructions|consignes)\s*:`),
  rx(String.raw`\bnuevas\s+(?:instrucciones|indicaciones)\s*:`),
  rx(String.raw`\bnieuwe\s+(?:instructies|opdrachten)\s*:`),
  rx(
    String.raw`\b(?:reveal|print|show|output|repeat|display)\s+(?:me\s+)?(?:your|the)\s+`,
    String.raw`(?:system\s+prompt|(?:initial|original|hidden|secret)\s+instructions|instructions\s+verbatim)\b`,
  ),
];

export const MODEL_RULES: InjectionRule[] = [
  {
    name: 'override',
    patterns: [
      OVERRIDE_EN,
      OVERRIDE_EN_ALL,
      OVERRIDE_EN_VOID,
      OVERRIDE_EN_ONLY,
      OVERRIDE_DE,
      OVERRIDE_FR,
      OVERRIDE_ES,
      OVERRIDE_NL,
    ],
  },
  { name: 'role-reassignment', patterns: ROLE_REASSIGNMENT },
  { name: 'prompt-markup', patterns: PROMPT_MARKUP },
];
