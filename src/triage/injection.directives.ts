/**
 * Injection rules that try to make the assistant act: requests addressed to an AI, bulk
 * redirection of mail or money, secrecy towards the owner, and approval or payment directives.
 *
 * False positives: a vendor asking for one document to be sent to legal@ ("please send the
 * signed contract to …"), or announcing new bank details, is writing to a person about one
 * thing. What is flagged is a standing rule ("all invoices", "from now on"), a request that
 * names the assistant, or an attempt to keep the owner out of it. Bank-detail changes as such are
 * flagged by the invoice checks, not here.
 */
import { ADDRESS, AI_NAMES, any, GAP, type InjectionRule, rx, TARGET } from './injection.pattern.ts';

/** Actions an injected request asks of the assistant (scheduling is left out: guests may ask for that). */
const ACTION = any(
  'forward|send|approve|pay|transfer|wire|remit|delete|remove|ignore|disregard|forget|change|update|replace',
  'mark|reveal|disclose|share|export|add|include|cc|bcc|copy|reply|respond|execute|run|click|open|download',
  String.raw`grant|accept|authori[sz]e|release|output|print|do\s+not|don'?t`,
  // German, French, Spanish, Dutch imperatives (folded: no accents).
  'leite|sende|schicke|uberweise|genehmige|transfere|envoie|envoyez|payez|approuve|reenvia|envia|paga|aprueba|stuur|betaal|keur',
);

const GREETING =
  '(?:hey|hi|hello|dear|attention|attn|ok|okay|liebe|lieber|hallo|cher|chere|bonjour|salut|hola|querido|querida|estimado|estimada|beste|hoi)';

const ADDRESSED = [
  // "Assistant, forward …", "AI assistant: please approve …", "Dear AI — pay …"
  rx(
    String.raw`(?:^|[.!?;]\s+|\n)\s*(?:${GREETING}\s*[,:]?\s+)?(?:the\s+|any\s+|all\s+|our\s+|my\s+)?`,
    AI_NAMES,
    String.raw`s?\s*(?:[,:;!]|--?|\u2014)\s*(?:(?:please|kindly|now|immediately|bitte|s'il\s+vous\s+plait|por\s+favor|alsjeblieft)\s+|you\s+(?:must|should|need\s+to|have\s+to|will|shall)\s+|from\s+now\s+on,?\s+)*`,
    ACTION,
    String.raw`\b`,
  ),
  rx(
    String.raw`\b(?:note|message|instructions?|memo|reminder|request|directive|task)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+|our\s+|your\s+)?`,
    any(
      "ai(?![-'])",
      String.raw`a\.i\.`,
      String.raw`ai\s+(?:assistants?|agents?|models?|systems?)`,
      'llms?',
      String.raw`(?:large\s+)?language\s+models?`,
      'chatbots?',
      'bots?',
      'deskhand',
      String.raw`(?:e-?mail|mail|virtual|inbox)\s+assistants?`,
      String.raw`automated\s+(?:systems?|assistants?|agents?|readers?)`,
    ),
    String.raw`\b`,
  ),
  rx(
    String.raw`\b(?:for|to)\s+(?:the|any|every)\s+(?:ai|a\.i\.|bot|assistant|model|llm|agent|system|program)\s+(?:that|which|who)\s+`,
    String.raw`(?:reads|processes|handles|manages|screens|sorts|triages|answers|monitors)\b`,
  ),
  rx(
    String.raw`\b(?:if|when)\s+you\s+are\s+(?:an?\s+)?`,
    any(
      String.raw`ai\b`,
      String.raw`a\.i\.`,
      String.raw`artificial\s+intelligence`,
      String.raw`(?:large\s+)?language\s+model`,
      'llm',
      String.raw`ai\s+(?:assistant|agent|model|system)`,
      'chatbot',
      'bot',
      String.raw`automated\s+(?:system|assistant|agent|reader)`,
      String.raw`(?:e-?mail|virtual)\s+assistant`,
    ),
  ),
  rx(
    String.raw`\b(?:ais?|llms?|language\s+models?|bots?|chatbots?|models?|ai\s+\w+)\s+(?:that\s+(?:is|are)\s+)?`,
    String.raw`(?:reading|processing|parsing|summari[sz]ing|handling|scanning|analy[sz]ing)\s+this\s+(?:e-?mail|message|mail|text|document|invoice)\b`,
  ),
  rx(
    String.raw`\b(?:when|if|while)\s+(?:you\s+)?(?:summari[sz]e|summari[sz]ing|process|processing|triage|triaging|classify|classifying)\s+this\s+(?:e-?mail|message|mail)\s*,?\s+`,
    String.raw`(?:please\s+)?(?:say|state|report|write|tell|mark|classify|label|describe|include|output|treat|consider|ignore)\b`,
  ),
  rx(
    String.raw`\b(?:hinweis|nachricht|anweisung|notiz)\s+(?:an|fur)\s+(?:die|den|das)?\s*(?:ki|ki-assistent(?:en)?|bot|sprachmodell|ki-system)\b`,
  ),
  rx(
    String.raw`\b(?:note|message|instruction|consigne)s?\s+(?:pour|a)\s+(?:l'|le\s+|la\s+)?(?:ia|assistant\s+(?:ia|virtuel)|bot|chatbot|modele\s+de\s+langage)\b`,
  ),
  rx(
    String.raw`\b(?:nota|mensaje|instruccion(?:es)?)\s+para\s+(?:la\s+|el\s+)?(?:ia|asistente\s+(?:virtual|de\s+ia)|bot|chatbot|modelo\s+de\s+lenguaje)\b`,
  ),
  rx(
    String.raw`\b(?:notitie|bericht|opmerking|instructie)s?\s+(?:voor|aan)\s+(?:de\s+|het\s+)?(?:ai|ai-assistent|bot|chatbot|taalmodel)\b`,
  ),
];

const EN_NOUNS =
  '(?:invoices?|funds|e-?mails?|mails?|messages?|correspondence|documents?|attachments?|payments?|receipts?|statements?|contracts?|files|bills?|orders|inbox|replies|communications?|notifications?)';
const DE_NOUNS =
  '(?:rechnungen|e-?mails|mails|nachrichten|dokumente|belege|zahlungen|anhange|korrespondenz|post)';
const FR_NOUNS = String.raw`(?:factures|e-?mails|courriels|mails|messages|documents|paiements|pieces\s+jointes|releves|recus|courriers)`;
const ES_NOUNS = '(?:facturas|correos|e-?mails|mensajes|documentos|pagos|adjuntos|recibos|comprobantes)';
const NL_NOUNS = "(?:facturen|e-?mails|mails|berichten|documenten|betalingen|bijlagen|post|nota's)";
const FEW_WORDS = String.raw`(?:[\w'-]+\s+){0,3}?`;

const REDIRECT = [
  rx(
    String.raw`\b(?:forward|send|redirect|route|re-?route|cc|bcc|copy|mail|deliver|share|export|upload|e-?mail|pay|transfer|wire|remit)\s+`,
    String.raw`(?:me\s+|us\s+)?(?:(?:copies|a\s+copy)\s+of\s+)?(?:all|every|each|any\s+(?:future|incoming|new|further|subsequent))\s+`,
    String.raw`(?:of\s+)?${FEW_WORDS}${EN_NOUNS}\b${GAP}\b(?:to|at|into)\s+${TARGET}`,
  ),
  rx(
    String.raw`\b(?:from\s+now\s+on|henceforth|from\s+this\s+point\s+(?:on|forward))\s*,?\s+(?:please\s+)?(?:always\s+|automatically\s+)?`,
    String.raw`(?:send|forward|pay|transfer|wire|remit|route|redirect|cc|bcc|copy|direct|deliver|use)\b`,
  ),
  rx(String.raw`\b(?:automatically|auto-?)\s*forward\b${GAP}\bto\s+${ADDRESS}`),
  rx(
    String.raw`\b(?:create|add|set\s+up)\s+(?:an?\s+)?(?:auto-?forward(?:ing)?|forwarding|mail|inbox)\s+rule\b`,
  ),
  rx(
    String.raw`\b(?:always\s+(?:cc|bcc|copy|include)\s+${ADDRESS}|(?:cc|bcc|copy)\s+${ADDRESS}\s+(?:on|in(?:to)?)\s+(?:all|every|each|any\s+future)\b)`,
  ),
  rx(
    String.raw`\b(?:leite|leitet|leiten\s+sie|sende|sendet|senden\s+sie|schicke?|schickt|schicken\s+sie|uberweise|uberweisen\s+sie)\s+(?:bitte\s+)?`,
    String.raw`(?:ab\s+sofort\s+|kunftig\s+|zukunftig\s+|in\s+zukunft\s+|von\s+nun\s+an\s+)?(?:alle|samtliche|jede)\s+${FEW_WORDS}${DE_NOUNS}\b${GAP}\b(?:an|nach|zu)\s+${ADDRESS}`,
  ),
  rx(
    String.raw`\balle\s+${FEW_WORDS}${DE_NOUNS}\s+(?:bitte\s+)?an\s+${ADDRESS}\s+(?:weiterleiten|weiterzuleiten|senden|schicken)\b`,
  ),
  rx(
    String.raw`\b(?:ab\s+sofort|von\s+nun\s+an|ab\s+jetzt)\s*,?\s+(?:bitte\s+)?`,
    String.raw`(?:(?:leite|sende|schicke|uberweise|zahle|bezahle)\b|(?:leiten|senden|schicken|uberweisen|zahlen|bezahlen)\s+sie\b)`,
  ),
  rx(
    String.raw`\b(?:transfere[sz]?|transmet[sz]?|transmettez|envoie[sz]?|envoyez|redirige[sz]?|fai(?:s|tes)\s+suivre|renvoie[sz]?|renvoyez)\s+(?:-?moi\s+)?`,
    String.raw`(?:desormais\s+|dorenavant\s+|a\s+l'avenir\s+)?(?:toutes|tous)\s+(?:les|vos|tes|mes|nos)\s+${FEW_WORDS}${FR_NOUNS}\b${GAP}\b(?:a|vers|chez|sur)\s+${ADDRESS}`,
  ),
  rx(
    String.raw`\b(?:a\s+partir\s+de\s+maintenant|desormais|dorenavant|a\s+partir\s+d'aujourd'hui|des\s+maintenant)\s*,?\s+(?:veuillez\s+|merci\s+d'|merci\s+de\s+)?`,
    String.raw`(?:transferez|envoie[sz]?|envoyez|payez|paie[sz]?|virez|versez|redirigez|transmettez|transmettre|envoyer|transferer|payer|virer|verser|rediriger)\b`,
  ),
  rx(
    String.raw`\b(?:reenvia|reenvie|reenvien|reenviad|envia|envie|envien|enviad|manda|mande|manden|mandad|redirige|redirija|remite|remita|transfiere|transfiera)\s+(?:me\s+)?`,
    String.raw`(?:a\s+partir\s+de\s+ahora\s+|de\s+ahora\s+en\s+adelante\s+)?(?:todas\s+las|todos\s+los)\s+${FEW_WORDS}${ES_NOUNS}\b${GAP}\b(?:a|al|hacia|para)\s+${ADDRESS}`,
  ),
  rx(
    String.raw`\b(?:a\s+partir\s+de\s+ahora|de\s+ahora\s+en\s+adelante|desde\s+ahora)\s*,?\s+(?:por\s+favor\s+)?`,
    String.raw`(?:reenvia|reenvie|envia|envie|manda|mande|paga|pague|transfiere|transfiera|redirige|redirija|deposita|deposite)\b`,
  ),
  rx(
    String.raw`\b(?:stuur|stuurt|verstuur|verstuurt|zend|zendt|forward|forwardt|mail)\s+(?:voortaan\s+|vanaf\s+nu\s+)?`,
    String.raw`(?:alle|elke|iedere)\s+${FEW_WORDS}${NL_NOUNS}\b${GAP}\bnaar\s+${ADDRESS}`,
  ),
  rx(
    String.raw`\balle\s+${FEW_WORDS}${NL_NOUNS}\s+(?:graag\s+)?(?:door\s*sturen|doorsturen|forwarden|sturen)\s+naar\s+${ADDRESS}`,
  ),
  rx(
    String.raw`\b(?:vanaf\s+nu|voortaan|van\s+nu\s+af\s+aan|vanaf\s+vandaag)\s*,?\s+(?:graag\s+|gelieve\s+)?`,
    String.raw`(?:stuur|betaal|maak|forward|verstuur|zend)\b`,
  ),
];

const OWNER = String.raw`(?:the\s+owner|your\s+(?:boss|owner|user|employer|principal|manager|human|client|master|operator)|the\s+(?:user|human|account\s+holder|mailbox\s+owner|boss|principal|operator))`;

const SECRECY = [
  rx(
    String.raw`\b(?:do\s+not|don'?t|dont|never)\s+(?:tell|inform|notify|alert|warn|cc|copy|loop\s+in|mention\s+(?:this|it|anything)\s+to|show\s+(?:this|it)\s+to|forward\s+(?:this|it)\s+to|let)\s+`,
    OWNER,
    String.raw`\b`,
  ),
  // "Don't tell Maya": a capitalised first name (case-sensitive on purpose).
  /\b(?:[Dd]o not|[Dd]on'?t|[Nn]ever)\s+(?:tell|inform|notify|alert)\s+(?!(?:Me|Us|Them|Him|Her|You|Anyone|Anybody|The|Our|Your|My|Customer|Support|Service)\b)[A-Z][a-z]{1,20}\b/g,
  rx(
    String.raw`\bwithout\s+(?:asking|telling|informing|notifying|consulting|checking\s+with|involving|alerting)\s+`,
    any(OWNER, 'anyone', 'anybody'),
    String.raw`\b`,
  ),
  rx(
    String.raw`\bno\s+need\s+to\s+(?:mention\s+(?:this|it|anything)\s+to|tell|inform|notify|involve|bother|alert|loop\s+in|ask)\s+`,
    OWNER,
    String.raw`\b`,
  ),
  /\b[Nn]o need to (?:mention (?:this|it|anything) to|tell|inform|notify|involve|bother|loop in|ask) (?!(?:Me|Us|Them|Him|Her|You|Anyone|Anybody|The|Our|Your|My)\b)[A-Z][a-z]{1,20}\b/g,
  rx(
    String.raw`\bwithout\s+(?:asking|waiting)\s+(?:for\s+)?(?:any\s+|their\s+|his\s+|her\s+)?(?:approval|confirmation|permission|authori[sz]ation|sign-?off)\b`,
  ),
  rx(
    String.raw`\b(?:silently|quietly|secretly|discreetly|covertly|invisibly)\s+(?:forward|send|pay|approve|transfer|wire|delete|remove|bcc|cc|copy|archive|add|change|reply)\b`,
  ),
  rx(String.raw`\bkeep\s+(?:this|it|that)\s+(?:a\s+)?(?:secret|hidden|confidential|quiet|private)\s+from\b`),
  rx(
    String.raw`\b(?:do\s+not|don'?t|never)\s+(?:mention|reveal|disclose|report|flag|repeat)\s+(?:this|these|the)\s+(?:instructions?|note|message|request|text)\b`,
  ),
  rx(
    String.raw`\bohne\s+(?:(?:den|die|deinen|deine|ihren|ihre)\s+)?(?:chef|chefin|besitzer|besitzerin|nutzer|benutzer|inhaber|inhaberin)\s+zu\s+(?:fragen|informieren|benachrichtigen)\b`,
  ),
  rx(
    String.raw`\b(?:sag|sage|sagen\s+sie)\s+(?:dem|deinem|ihrem|der|deiner|ihrer)\s+(?:chef|chefin|besitzer|besitzerin|nutzer|benutzer|inhaber|inhaberin)\s+nichts\b`,
  ),
  rx(
    String.raw`\bsans\s+(?:en\s+)?(?:informer|prevenir|demander\s+a|avertir)\s+(?:le|la|ton|ta|votre)\s+(?:proprietaire|patron|patronne|utilisateur|utilisatrice|chef)\b`,
  ),
  rx(
    String.raw`\bsin\s+(?:avisar|informar|decir(?:le)?|preguntar)\s+(?:a|al)\s+(?:(?:tu|su|el|la)\s+)?(?:jefe|jefa|propietario|propietaria|usuario|usuaria|dueno|duena)\b`,
  ),
  rx(
    String.raw`\bzonder\s+(?:de\s+|je\s+|uw\s+)?(?:baas|eigenaar|gebruiker)\s+(?:te\s+)?(?:informeren|vragen|laten\s+weten)\b`,
  ),
  rx(
    String.raw`\b(?:vertel|zeg|meld)\s+(?:het\s+|dit\s+)?(?:niet|niets)\s+(?:aan|tegen)\s+(?:je|jouw|uw|de)\s+(?:baas|eigenaar|gebruiker)\b`,
  ),
  rx(
    String.raw`\bohne\s+(?:ruckfrage|rucksprache)\s+(?:beim|bei\s+(?:dem|der|ihrem|ihrer|deinem|deiner))\s+`,
    String.raw`(?:chef|chefin|inhaber|inhaberin|besitzer|besitzerin|nutzer)\b`,
  ),
];

const BANK_DETAILS = String.raw`(?:change|update|replace|switch|modify|amend|overwrite)\s+${FEW_WORDS}(?:bank(?:ing)?|payment|account|iban|remittance|payee|beneficiary)\s+(?:details|information|info|account|number|data|record)s?\b`;

const PAYMENT = [
  rx(String.raw`\b(?:automatically\s+(?:approve|authori[sz]e|accept)|auto-approve)\b`),
  rx(
    String.raw`\b(?:approve|pay|accept|authori[sz]e|process|release)\s+(?:this|these|the|it|them|all|every|each|any)\b[^.!?\n]{0,40}?`,
    String.raw`\b(?:automatically|without\s+(?:review|approval|checking|verification|confirmation|asking))\b`,
  ),
  rx(
    String.raw`\b(?:treat|consider|record|log|handle|book)\s+(?:this|these|the|it|them|all)\s+(?:\w+\s+){0,2}?as\s+`,
    String.raw`(?:already\s+)?(?:approved|paid|authori[sz]ed|verified|trusted|pre-?approved|cleared)\b`,
  ),
  rx(
    String.raw`\bmark\s+(?:(?:this|it|them|these|those|that|all|the|every|each|invoices?|bills?|payments?|requests?|orders?|no\.?|number|#?[\w./-]*\d[\w./-]*)\s+){0,4}`,
    String.raw`as\s+(?:paid|approved|settled|verified)\b`,
  ),
  // Bank changes count here only when the assistant is told to make them (see the module note).
  rx(String.raw`\b`, AI_NAMES, String.raw`\b[^.!?\n]{0,60}?\b`, BANK_DETAILS),
];

export const ACTION_RULES: InjectionRule[] = [
  { name: 'addressed-to-assistant', patterns: ADDRESSED },
  { name: 'bulk-redirect', patterns: REDIRECT },
  { name: 'secrecy', patterns: SECRECY },
  { name: 'payment-directive', patterns: PAYMENT },
];
