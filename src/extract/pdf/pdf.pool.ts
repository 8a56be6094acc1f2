/**
 * Worker threads that parse PDFs, kept warm between calls (starting one costs a few hundred
 * ms of module loading, about ten parses' worth) and replaced when a parse times out, blows its
 * memory budget or kills its thread. One parse per worker at a time, so stopping a hostile
 * document never takes another caller's document down with it.
 *
 * Memory: the budget (`maxMemoryMb`) is enforced by a watchdog that samples the worker's
 * `getHeapStatistics()` while a parse runs and stops it once heap plus ArrayBuffer memory
 * exceeds the budget. ArrayBuffers are the real bomb vector: pdf.js decodes streams into them,
 * outside the V8 heap, so a flate bomb grows `external_memory` by hundreds of MB while the heap
 * stays near 15 MB and V8's `resourceLimits` never fire. V8's own heap limit is kept as a hard
 * backstop at 2 GiB rather than at the budget, because V8 tunes its collector to the limit: at
 * 256 MB it grows the heap by a factor of 1.3 instead of 4 (heap-controller.cc,
 * MaxGrowingFactor), and the resulting ~4x more major GCs cost 15–20 % of throughput on the
 * invoice corpus. Ordinary invoices peak at 100–160 MB sampled; a 200-page text PDF at ~140 MB.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { classifyWorkerDeath, classifyWorkerFailure, outOfMemory, timedOut } from './pdf.errors.ts';
import type { PdfJob, PdfLimits, PdfWorkerMessage, PdfWorkerResult } from './pdf.model.ts';

const WORKER_URL = new URL('./pdf.worker.ts', import.meta.url);
const MIB = 1024 * 1024;
/** V8 stops shrinking its heap growing factor at 2 GiB (64-bit); see the module note. */
const DEFAULT_HEAP_CEILING_MB = 2048;

export interface PdfPoolOptions {
  /** Parses that may run at once, each in its own worker; more callers wait. Default: min(2, CPUs). */
  maxWorkers?: number;
  /** How often a running parse's memory is sampled, in ms. Default 50. */
  memoryPollMs?: number;
  /** V8's hard heap limit per worker (`resourceLimits.maxOldGenerationSizeMb`). Default: 2048, or the budget if larger. */
  heapCeilingMb?: number;
  /** A worker idle this long is stopped, returning its memory (pdf.js plus uncollected garbage). Default 30 000 ms. */
  idleMs?: number;
}

interface Running {
  id: number;
  source: string;
  limits: PdfLimits;
  resolve: (result: PdfWorkerResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  poll: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  /** V8 heap limit the worker was started with; a worker is only reused for jobs that want the same. */
  ceilingMb: number;
  /** Set once pdf-parse loaded; a death before that is our fault, not the document's. */
  ready: boolean;
  dead: boolean;
  sampling: boolean;
  job: Running | null;
  idleTimer: NodeJS.Timeout | null;
}

export class PdfWorkerPool {
  readonly #maxWorkers: number;
  readonly #pollMs: number;
  readonly #heapCeilingMb: number | undefined;
  readonly #idleMs: number;
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = [];
  readonly #waiting: Array<{ go: () => void; stop: (e: Error) => void }> = [];
  #busy = 0;
  #nextId = 1;
  #closed = false;

  constructor(options: PdfPoolOptions = {}) {
    // One core is left for the mailbox, triage and the database: a burst of PDFs must not starve them.
    this.#maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(2, availableParallelism() - 1));
    this.#pollMs = options.memoryPollMs ?? 50;
    this.#heapCeilingMb = options.heapCeilingMb;
    this.#idleMs = options.idleMs ?? 30_000;
  }

  /** Workers alive now, busy or idle (for health reports and tests). */
  get workers(): number {
    return this.#slots.size;
  }

  /** Parses one PDF in a worker. `data` is transferred (detached from the caller). Rejects with DocumentError. */
  async parse(
    data: Uint8Array,
    source: string,
    limits: PdfLimits,
    preferEInvoice = false,
  ): Promise<PdfWorkerResult> {
    await this.#acquire();
    const slot = this.#take(this.#heapCeilingMb ?? Math.max(DEFAULT_HEAP_CEILING_MB, limits.maxMemoryMb));
    try {
      return await this.#dispatch(
        slot,
        { id: this.#nextId++, data, maxPages: limits.maxPages, source, preferEInvoice },
        limits,
      );
    } finally {
      this.#release(slot);
    }
  }

  /** Stops every worker; parses still running reject. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.stop(new Error('the PDF reader was closed'));
    const slots = [...this.#slots];
    for (const slot of slots) this.#kill(slot, new Error('the PDF reader was closed'));
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  #acquire(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the PDF reader was closed'));
    if (this.#busy < this.#maxWorkers) {
      this.#busy++;
      return Promise.resolve();
    }
    return new Promise((go, stop) => this.#waiting.push({ go, stop }));
  }

  /** A warm worker with the same heap limit (fixed at spawn), or a new one. */
  #take(ceilingMb: number): Slot {
    const warm = this.#idle.findIndex((s) => s.ceilingMb === ceilingMb);
    if (warm !== -1) {
      const slot = this.#idle.splice(warm, 1)[0]!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      return slot;
    }
    while (this.#idle.length > 0 && this.#idle.length + this.#busy > this.#maxWorkers) {
      this.#kill(this.#idle.shift()!, null);
    }
    return this.#spawn(ceilingMb);
  }

  #release(slot: Slot): void {
    if (!slot.dead && !this.#closed) {
      slot.idleTimer = setTimeout(() => this.#kill(slot, null), this.#idleMs);
      slot.idleTimer.unref();
      this.#idle.push(slot);
    }
    const next = this.#waiting.shift();
    if (next) next.go();
    else this.#busy--;
  }

  #spawn(ceilingMb: number): Slot {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: ceilingMb },
      // The parser needs nothing from our environment (secrets live there).
      env: {},
    });
    // Idle workers must not keep the process alive; a running parse is held open by its timer.
    worker.unref();
    const slot: Slot = {
      worker,
      ceilingMb,
      ready: false,
      dead: false,
      sampling: false,
      job: null,
      idleTimer: null,
    };
    this.#slots.add(slot);
    worker.on('message', (message: PdfWorkerMessage) => this.#onMessage(slot, message));
    worker.on('error', (err) => this.#onDeath(slot, err));
    worker.on('exit', (code) => this.#onDeath(slot, new Error(`the worker exited with code ${code}`)));
    return slot;
  }

  #dispatch(slot: Slot, job: PdfJob, limits: PdfLimits): Promise<PdfWorkerResult> {
    const { id, source, data } = job;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#kill(slot, timedOut(source, limits.timeoutMs)), limits.timeoutMs);
      const poll = setInterval(() => this.#sampleMemory(slot), this.#pollMs);
      poll.unref();
      slot.job = { id, source, limits, resolve, reject, timer, poll };
      slot.worker.postMessage(job, [data.buffer as ArrayBuffer]);
    });
  }

  #onMessage(slot: Slot, message: PdfWorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    this.#finish(slot);
    if (message.type === 'done') job.resolve(message);
    else job.reject(classifyWorkerFailure(job.source, message.error, job.limits.maxMemoryMb));
  }

  #onDeath(slot: Slot, err: unknown): void {
    slot.dead = true;
    this.#forget(slot);
    const job = this.#finish(slot);
    if (!job) return;
    // A death by heap exhaustion hit V8's ceiling, not the (sampled) budget: name the ceiling.
    if (slot.ready) job.reject(classifyWorkerDeath(job.source, err, slot.ceilingMb));
    else job.reject(new Error(`the PDF reader could not start: ${err instanceof Error ? err.message : err}`));
  }

  /** Stops a worker for good; its parse, if any, rejects with `error`. */
  #kill(slot: Slot, error: Error | null): void {
    slot.dead = true;
    this.#forget(slot);
    const job = this.#finish(slot);
    if (job && error) job.reject(error);
    void slot.worker.terminate().catch(() => undefined);
  }

  #sampleMemory(slot: Slot): void {
    const job = slot.job;
    if (!job || slot.sampling) return;
    slot.sampling = true;
    slot.worker.getHeapStatistics().then(
      (stats) => {
        slot.sampling = false;
        const used = stats.used_heap_size + stats.external_memory;
        if (slot.job === job && used > job.limits.maxMemoryMb * MIB) {
          this.#kill(slot, outOfMemory(job.source, job.limits.maxMemoryMb));
        }
      },
      () => {
        slot.sampling = false;
      },
    );
  }

  #finish(slot: Slot): Running | null {
    const job = slot.job;
    if (!job) return null;
    slot.job = null;
    clearTimeout(job.timer);
    clearInterval(job.poll);
    return job;
  }

  #forget(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    this.#slots.delete(slot);
    const i = this.#idle.indexOf(slot);
    if (i !== -1) this.#idle.splice(i, 1);
  }
}
