/**
 * Localized words mail clients write above a forwarded or quoted message: the
 * separator line, the header labels of the embedded block, the "On … wrote:"
 * attribution, and subject prefixes. Shared by `forward.ts` (unwrap a forward)
 * and `reply.ts` (cut the quoted history). Data only: matching lives with the callers.
 *
 * Sources: the client formats in crisp-oss/email-forward-parser and
 * email-reply-parser, mailgun/talon, and the clients' own localizations
 * (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo, HubSpot, IONOS, mail.ru, Yandex).
 */

/** A `|`-separated word list, one or more per line (keeps these tables compact and diffable). */
function words(table: string): string[] {
  return table
    .split(/[|\n]/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** The field a header label stands for. */
export type HeaderField = 'from' | 'date' | 'to' | 'cc' | 'subject' | 'replyTo';

/** Header labels by field. Matched case-insensitively, followed by `:` (or `：`). */
export const HEADER_LABELS: Record<HeaderField, readonly string[]> = {
  from: words(`
  From|Von|De|De la|Van|Da|Fra|Från|Frá|Od|Lähettäjä|Feladó|От|Від|Від кого|Kimden|Gönderen|Mittente
  Nadawca|Saatja|Šalje|Expeditorul|Отправитель|Afzender|Avsändare|Avsender|Absender|Remitente
  Remetente|Expéditeur|Odesílatel|Αποστολέας|Από|差出人|送信元|发件人|寄件者|寄件人|보낸사람|보낸 사람|Người gửi|Dari
  Pengirim|מאת|من|Siuntėjas|Nuo
`),
  date: words(`
  Date|Sent|Datum|Dato|Data|Dată|Fecha|Päivämäärä|Päiväys|Dátum|Дата|Tarih|Gesendet|Sendt|Envoyé
  Envoyé le|Enviado|Enviada|Verzonden|Verstuurd|Inviato|Wysłano|Wysłane|Odesláno|Odoslané|Skickat
  Lähetetty|Elküldve|Küldve|Trimis|Отправлено|Надіслано|Gönderilme Tarihi|Poslano|Ημερομηνία|Στάλθηκε
  日付|送信日時|日期|发送时间|發送時間|날짜|보낸 날짜|Ngày|Tanggal|תאריך|التاريخ|Kuupäev
`),
  to: words(`
  To|An|À|A|Para|Aan|Til|Till|Do|Komu|Címzett|Кому|Vastaanottaja|Kime|Prima|Pre|Adresat|Destinatarul
  Către|Pour|Alıcı|Προς|宛先|送信先|收件人|收件者|받는사람|받는 사람|Đến|Kepada|אל|إلى|Saaja|Gavėjas
`),
  cc: words(`
  Cc|Kopie|Kopie (CC)|Copie à|Copie|Kopio|Másolat|Másolatot kap|Kopi|Dw|Копия|Kopia|Kópia|Bilgi|Копія
  Cópia|Κοιν.|Κοινοποίηση|抄送|副本|참조
`),
  subject: words(`
  Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|Emne|Ämne|Aihe|Temat|Assunto|Tárgy|Тема|Konu|Předmět
  Predmet|Sujet|Naslov|Subiectul|Subiect|Θέμα|件名|主题|主旨|제목|Chủ đề|Perihal|נושא|الموضوع|Teema|Tema|Tárgy
`),
  replyTo: words(`
  Reply-To|Antwort an|Répondre à|Responder a|Rispondi a|Antwoord aan|Svar til|Svara till|Odpowiedź-do
  Vastaus|Odgovori na|Odpověď na|Válaszcím|Răspuns către|Ответ-Кому|Odpovedať-Pre|Yanıt Adresi
  Кому відповісти
`),
};

/**
 * Separator phrases that only ever introduce a forward. Written between dashes
 * (Gmail, Yahoo, Thunderbird, HubSpot: `---------- Forwarded message ---------`)
 * or followed by a colon (Apple Mail: `Begin forwarded message:`, MailMate).
 */
export const FORWARD_PHRASES: readonly string[] = words(`
  Forwarded message|Forwarded Message|Begin forwarded message|Weitergeleitete Nachricht
  Anfang der weitergeleiteten Nachricht|Mensaje reenviado|Inicio del mensaje reenviado
  Message transféré|Message transmis|Début du message réexpédié|Début du message transféré
  Messaggio inoltrato|Inizio messaggio inoltrato|Doorgestuurd bericht|Begin doorgestuurd bericht
  Videresendt meddelelse|Videresendt melding|Start på videresendt besked|Vidarebefordrat meddelande
  Vidarebefordrat mejl|Edelleenlähetetty viesti|Välitetty viesti|Välitetty viesti / Fwd.Msg
  Välitetty viesti alkaa|Přeposlaná zpráva|Začátek přeposílané zprávy|Preposlaná správa
  Začiatok preposlanej správy|Preposlaná správa --- Forwarded Message|Przekazana wiadomość
  Wiadomość przekazana dalej|Treść przekazanej wiadomości|Wiadomość przesłana dalej
  Początek przekazywanej wiadomości|Továbbított üzenet|Továbbított levél|Továbbított levél kezdete
  Mensagem reencaminhada|Mensagem encaminhada|Início da mensagem reencaminhada
  Início da mensagem encaminhada|Mesaj redirecționat|Mesaj redirecţionat|Începe mesajul redirecționat
  Пересылаемое сообщение|Перенаправленное сообщение|Пересланное сообщение
  Начало переадресованного сообщения|Перенаправлене повідомлення|Переслане повідомлення
  Пересланий лист|Початок листа, що пересилається|İletilmiş Mesaj|İletilen İleti|Yönlendirilmiş ileti
  İleti başlangıcı|Proslijeđena poruka|Započni proslijeđenu poruku|Posredovano sporočilo
  Προωθημένο μήνυμα|メッセージを転送|転送メッセージ|転送されたメッセージ|已转发邮件|转发的邮件|轉寄的郵件|전달된 메시지|전달된 메일
  Tin nhắn đã chuyển tiếp|Pesan terusan|הודעה שהועברה|رسالة محولة
`);

/**
 * Separator phrases Outlook-family clients write above both replies and forwards
 * (`-----Original Message-----`). They prove a quote, not a forward.
 */
export const ORIGINAL_MESSAGE_PHRASES: readonly string[] = words(`
  Original Message|Original message|Reply Message|Ursprüngliche Nachricht|Originalnachricht
  Antwort Nachricht|Message d'origine|Message original|Mensaje original|Messaggio originale
  Oorspronkelijk bericht|Originalmeddelande|Oprindelig meddelelse|Oprindelig besked
  Opprinnelig melding|Alkuperäinen viesti|Wiadomość oryginalna|Oryginalna wiadomość|Mensagem original
  Исходное сообщение|Původní zpráva|Pôvodná správa|Eredeti üzenet|Orijinal Mesaj|Izvorna poruka
  Mesaj original|Αρχικό μήνυμα|原始邮件|原始郵件|元のメッセージ|원본 메시지|Tin nhắn gốc
`);

/** Words that open an attribution line ("On <date>, <name> wrote:"). */
export const ON_WORDS: readonly string[] = words(`
  On|Le|El|Il|In data|Em|Am|Op|W dniu|Dnia|Den|På|Dne|Vào|Στις|Dana
`);

/** Verbs that close an attribution line ("… wrote:", "… a écrit :", "… schrieb …:"). */
export const WROTE_WORDS: readonly string[] = words(`
  wrote|writes|sent|a écrit|écrit|escribió|ha scritto|scritto|escreveu|schrieb|schreef|geschreven
  het volgende geschreven|napisał|napisała|napisał\\(a\\)|pisze|napsal|napsala|napsal\\(a\\)|napísal
  skrev|skrev følgende|kirjoitti|написал|написала|написал\\(а\\)|пишет|написав|написала|đã viết|yazdı
  şunu yazdı|írta|ezt írta|έγραψε|kirjutas|rašė|rakstīja|napisao|napisala|написа|כתב|كتب|写道|寫道|작성
  のメッセージ
`);

/** Subject prefixes of a forward ("Fwd:", "TR:", "WG:" …), compared case-insensitively. */
export const FORWARD_SUBJECT_PREFIXES: readonly string[] = words(`
  fwd|fw|tr|wg|rv|i|vs|vb|vl|pd|enc|redir.|videresend|İlt|ilt|doorst|trs|pfw|πρθ|пересл|fwd.|转发|轉寄|전달
`);

/** Subject prefixes of a reply ("Re:", "AW:", "SV:" …), compared case-insensitively. */
export const REPLY_SUBJECT_PREFIXES: readonly string[] = words(`
  re|aw|sv|antw|antwort|r|rif|réf|ref|odp|ynt|vá|res|отв|ответ|απ|答复|回复|回覆|답장|odg|atb|vast
`);

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds one alternation of literal phrases, longest first so a longer label wins. */
export function alternation(phrases: readonly string[], literal = true): string {
  return [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((p) => (literal ? escapeRegExp(p) : p))
    .join('|');
}
