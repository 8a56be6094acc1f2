import { afterEach, describe, expect, it } from 'vitest';
import { type Pausable, TriageFirst } from '../../src/jobs/triage-first.ts';

/** A skills worker that records what the policy asked of it. */
function fakeSkills(): Pausable & { log: string[] } {
  let paused = false;
  const log: string[] = [];
  return {
    log,
    isPaused: () => paused,
    pause: async () => {
      paused = true;
      log.push('pause');
    },
    resume: () => {
      paused = false;
      log.push('resume');
    },
  };
}

let policy: TriageFirst | null = null;
afterEach(() => policy?.stop());

function setup(backlog: { n: number }, clock: { t: number }) {
  const skills = fakeSkills();
  policy = new TriageFirst({
    skills,
    backlog: async () => backlog.n,
    now: () => clock.t,
    pollMs: 60_000, // checks are driven by the test
    maxPauseMs: 30_000,
  });
  return { skills, policy };
}

describe('triage first: the skills wait while mail is being triaged', () => {
  it('pauses the skills when a triage job starts and resumes them once triage is idle', async () => {
    const backlog = { n: 5 };
    const clock = { t: 0 };
    const { skills, policy } = setup(backlog, clock);
    policy.triageStarted();
    expect(skills.isPaused()).toBe(true);
    policy.triageStarted(); // more triage jobs start: still one pause
    clock.t = 1_000;
    await policy.check();
    expect(skills.isPaused()).toBe(true); // five still to triage
    backlog.n = 0;
    await policy.check();
    expect(skills.log).toEqual(['pause', 'resume']);
    // The next message's triage pauses them again at once.
    policy.triageStarted();
    expect(skills.log).toEqual(['pause', 'resume', 'pause']);
  });

  it('never holds the skills longer than the limit, and then lets them run as long before pausing again', async () => {
    const backlog = { n: 1_000 };
    const clock = { t: 0 };
    const { skills, policy } = setup(backlog, clock);
    policy.triageStarted();
    clock.t = 29_999;
    await policy.check();
    expect(skills.isPaused()).toBe(true);
    clock.t = 30_000;
    await policy.check();
    expect(skills.isPaused()).toBe(false);
    clock.t = 45_000;
    policy.triageStarted(); // triage still busy, but the skills' turn is not over
    expect(skills.isPaused()).toBe(false);
    clock.t = 60_000;
    policy.triageStarted();
    expect(skills.isPaused()).toBe(true);
  });

  it('keeps the skills paused when the backlog cannot be read, until the limit', async () => {
    const clock = { t: 0 };
    const skills = fakeSkills();
    const errors: unknown[] = [];
    policy = new TriageFirst({
      skills,
      backlog: async () => {
        throw new Error('Redis unreachable');
      },
      now: () => clock.t,
      pollMs: 60_000,
      onError: (e) => errors.push(e),
    });
    policy.triageStarted();
    await policy.check();
    expect(skills.isPaused()).toBe(true);
    expect(errors).toHaveLength(1);
    clock.t = 30_000;
    await policy.check();
    expect(skills.isPaused()).toBe(false);
  });

  it('once stopped, neither pauses nor resumes a worker that is being closed', async () => {
    const backlog = { n: 0 };
    const clock = { t: 0 };
    const { skills, policy } = setup(backlog, clock);
    policy.triageStarted();
    policy.stop();
    await policy.check();
    expect(skills.isPaused()).toBe(true);
    skills.resume();
    policy.triageStarted();
    expect(skills.log).toEqual(['pause', 'resume']);
  });
});
