/** What the policy needs from the skills worker (BullMQ's Worker has exactly these). */
export interface Pausable {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): unknown;
  isPaused(): boolean;
}

export interface TriageFirstOptions {
  skills: Pausable;
  /** Process jobs waiting or running, across all workers (the queue's counts). */
  backlog(): Promise<number>;
  /** A monotonic clock in ms (default `performance.now`: a wall-clock step cannot stretch a pause). */
  now?: () => number;
  /** How often a paused skills worker checks whether triage has caught up. */
  pollMs?: number;
  /** A pause never lasts longer than this: under steady load the skills still make progress. */
  maxPauseMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Triage first: while there is mail to triage, this process's skills worker pauses (jobs
 * already running finish, and a worker already blocked waiting for a job may still take that
 * one). On two cores, document extraction, approval mail and the model take the CPU that gets a
 * burst triaged and filed; the skills work off what waited once triage has nothing queued or
 * running. A pause starts the moment a triage job does (the
 * `triageStarted` hook), and ends at the first check that finds triage idle — or after
 * `maxPauseMs`, after which triage cannot pause the skills again for as long, so both make
 * progress under unending load. Nothing is lost: skills jobs stay queued in Redis.
 */
export class TriageFirst {
  /** When the current pause began; null when the last pause ended with triage idle. */
  private pausedAt: number | null = null;
  private checking = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;
  private readonly o: Required<Omit<TriageFirstOptions, 'onError'>> & Pick<TriageFirstOptions, 'onError'>;

  constructor(o: TriageFirstOptions) {
    this.o = { now: () => performance.now(), pollMs: 100, maxPauseMs: 30_000, ...o };
    this.timer = setInterval(() => void this.check(), this.o.pollMs);
    this.timer.unref();
  }

  /** Whether triage has work this policy is making the skills wait for. */
  get busy(): boolean {
    return this.o.skills.isPaused() && this.pausedAt !== null;
  }

  /** Call when a triage job becomes active. */
  triageStarted(): void {
    const now = this.o.now();
    const { skills } = this.o;
    if (this.stopped || skills.isPaused()) return;
    // After a pause that hit the limit, the skills get as long again before the next one.
    if (this.pausedAt !== null && now - this.pausedAt < this.o.maxPauseMs * 2) return;
    this.pausedAt = now;
    skills.pause(true).catch((err) => this.o.onError?.(err));
  }

  /** Resumes the skills when triage is idle or the pause has lasted long enough. */
  async check(): Promise<void> {
    const { skills } = this.o;
    if (this.checking || this.stopped || !skills.isPaused()) return;
    // The limit holds even when the backlog cannot be read (Redis away, or slow to answer).
    if (this.o.now() - (this.pausedAt ?? 0) >= this.o.maxPauseMs) {
      skills.resume();
      return;
    }
    this.checking = true;
    try {
      if ((await this.o.backlog()) === 0 && !this.stopped) {
        skills.resume();
        this.pausedAt = null;
      }
    } catch (err) {
      this.o.onError?.(err);
    } finally {
      this.checking = false;
    }
  }

  /**
   * Stops the policy. A paused worker stays paused: it is about to be closed, and resuming it
   * would only let it take a new job that the close then has to wait for.
   */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
