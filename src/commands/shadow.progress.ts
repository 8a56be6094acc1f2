/** Where progress goes: standard error, a bar when it is a terminal. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressState {
  /** Messages done in this run. */
  done: number;
  /** Messages this run has to do, when known. */
  total: number | null;
  /** How far through the source, 0..1, when the source tells (bytes of an mbox). */
  fraction: number | null;
  /** Where `fraction` stood when this run started (a resumed mbox starts part-way). */
  startFraction: number;
  elapsedMs: number;
}

/** "1m05s", "42s", "2h03m". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** 0..1 of this run's work, from the count when known, else from the source's own position. */
function share(p: ProgressState): number | null {
  if (p.total !== null) return p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  if (p.fraction === null) return null;
  const span = 1 - p.startFraction;
  return span <= 0 ? 1 : Math.min(1, Math.max(0, (p.fraction - p.startFraction) / span));
}

/** The progress line, without a bar: "1,234/10,000 messages (12%) · 85.2 msg/s · ETA 1m43s". Pure. */
export function progressText(p: ProgressState): string {
  const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
  const part = share(p);
  const count =
    p.total !== null
      ? `${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')}`
      : p.done.toLocaleString('en');
  const pct = part !== null ? ` (${Math.floor(part * 100 + 1e-9)}%)` : '';
  const eta =
    part !== null && part > 0 && part < 1 ? ` · ETA ${duration((p.elapsedMs * (1 - part)) / part)}` : '';
  return `${count} messages${pct} · ${rate.toFixed(1)} msg/s${eta}`;
}

/**
 * Progress on a stream: on a terminal, a bar redrawn in place at most ten times a second; in a
 * log or a pipe, one plain line every `every` messages, so a long run's log stays short.
 */
export class ProgressReporter {
  private readonly out: ProgressStream;
  private readonly now: () => number;
  private readonly every: number;
  private readonly started: number;
  private lastDraw = 0;
  private lastLine = 0;
  private readonly resumed: boolean;
  private state: Omit<ProgressState, 'elapsedMs'>;

  /**
   * @param opts.total messages this run has to do, when known
   * @param opts.resumed the run continues part-way through the source: the first fraction seen is its start
   * @param opts.every without a terminal, a line every this many messages (default 500)
   */
  constructor(
    out: ProgressStream,
    opts: { total: number | null; resumed?: boolean; every?: number; now?: () => number },
  ) {
    this.out = out;
    this.now = opts.now ?? Date.now;
    this.every = opts.every ?? 500;
    this.resumed = opts.resumed ?? false;
    this.started = this.now();
    this.state = { done: 0, total: opts.total, fraction: null, startFraction: 0 };
  }

  get snapshot(): ProgressState {
    return { ...this.state, elapsedMs: this.now() - this.started };
  }

  update(done: number, fraction: number | null): void {
    if (this.resumed && this.state.fraction === null && fraction !== null)
      this.state = { ...this.state, startFraction: fraction };
    this.state = { ...this.state, done, fraction: fraction ?? this.state.fraction };
    if (this.out.isTTY) {
      const t = this.now();
      if (t - this.lastDraw < 100) return;
      this.lastDraw = t;
      this.out.write(`\r${this.bar()}`);
    } else if (done - this.lastLine >= this.every) {
      this.lastLine = done;
      this.out.write(`shadow: ${progressText(this.snapshot)}\n`);
    }
  }

  /** The last word: the final figures on their own line (unless the last plain line said it already). */
  finish(): void {
    if (this.out.isTTY) this.out.write(`\r${this.bar()}\n`);
    else if (this.lastLine !== this.state.done || this.state.done === 0)
      this.out.write(`shadow: ${progressText(this.snapshot)}\n`);
  }

  private bar(): string {
    const p = this.snapshot;
    const text = progressText(p);
    const part = share(p);
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - text.length - 4));
    if (part === null) return `${text}\x1b[K`;
    const filled = Math.round(part * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`;
  }
}
