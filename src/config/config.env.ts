import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { type Config, loadConfig } from './config.ts';

/**
 * The environment as deskhand sees it: `.env` in the working directory (if any) under
 * the real environment (real variables win, as with every dotenv tool).
 */
export function readEnvironment(cwd = process.cwd()): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = existsSync(file) ? parse(readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

export function configFromEnvironment(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...readEnvironment(), ...overrides });
}
