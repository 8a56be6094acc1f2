/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices of a few common models (USD per 1M input/output tokens, as published by their
 * vendors in 2025). A convenience for the ledger, not billing: self-hosted or unknown models have
 * no entry and their cost is recorded as null rather than guessed.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
});

/**
 * The price of a model by exact name, else by its longest known prefix, so dated snapshots
 * ("gpt-4o-mini-2024-07-18") find their family. Returns undefined for unknown models.
 */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>> = MODEL_PRICES) {
  if (prices[model]) return prices[model];
  const family = Object.keys(prices)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family ? prices[family] : undefined;
}

/** Cost in USD of one call, or null when the model's price is unknown. Pure. */
export function costUsd(
  model: string,
  usage: { prompt: number; completion: number },
  prices: Readonly<Record<string, ModelPrice>> = MODEL_PRICES,
): number | null {
  const p = priceOf(model, prices);
  if (!p) return null;
  return (usage.prompt * p.input + usage.completion * p.output) / 1_000_000;
}
