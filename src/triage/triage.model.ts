import type { Address, ForwardedMessage } from '../ingest/message.model.ts';

export type Addressing = 'cc' | 'forward' | 'direct' | 'bcc' | 'owner_instruction' | 'approval_reply';

import type { Category } from '../shared/categories.ts';

export type { Category };
export type Requester = 'owner' | 'team' | 'external';

/** Who deskhand works for and what it is called; what the pure triage rules need to know. */
export interface TriageContext {
  ownerEmail: string;
  assistantEmail: string;
  teamDomains: readonly string[];
  /** Message-IDs / tokens of approval requests we sent; a reply to one is an approval reply. */
  isApprovalReference?: (messageIds: string[], plusTags: string[]) => boolean;
}

/** A triage decision with the reasons that produced it (journaled). */
export interface TriageResult {
  addressing: Addressing;
  category: Category;
  requester: Requester;
  from: string;
  /** Machine-sent mail (auto-reply, bounce, list, bulk, our own): never answered. */
  automatic: boolean;
  /** Mail we sent ourselves (a loop if answered). */
  ownMail: boolean;
  reasons: string[];
  /** 0..1: how sure the rules are; later the model is asked when low. */
  confidence: number;
  forwarded: ForwardedMessage | null;
  replyText: string;
  participants: Address[];
}
