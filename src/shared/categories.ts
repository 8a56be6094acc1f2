/** What a message is (the `category` of the triage contract in DESIGN.md). */
export type Category =
  | 'invoice'
  | 'receipt'
  | 'document'
  | 'meeting'
  | 'request'
  | 'fyi'
  | 'newsletter'
  | 'spam'
  | 'auto_reply'
  | 'bounce';
