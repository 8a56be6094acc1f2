/** One triage rule's answer: the value, how sure the rule is (0..1), and why (journaled). */
export interface Decision<T> {
  value: T;
  confidence: number;
  reasons: string[];
}

export function decision<T>(value: T, confidence: number, ...reasons: string[]): Decision<T> {
  return { value, confidence, reasons };
}
