import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/jobs/queues.ts';

describe('enqueues made together share one round trip', () => {
  it('flushes the ids of one turn of the event loop together, and later ones separately', async () => {
    const flushed: string[][] = [];
    const add = coalesce(async (ids) => void flushed.push(ids));
    await Promise.all([add(['1']), add(['2', '3']), add([])]);
    await add(['4']);
    expect(flushed).toEqual([['1', '2', '3'], ['4']]);
  });

  it('fails every caller of a batch whose flush failed, so each job is retried', async () => {
    let fail = true;
    const add = coalesce(async () => {
      if (fail) throw new Error('Redis unreachable');
    });
    const results = await Promise.allSettled([add(['1']), add(['2'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(add(['1'])).resolves.toBeUndefined();
  });

  it('starts a new batch for ids that arrive while a flush is under way', async () => {
    const flushed: string[][] = [];
    let release: () => void = () => undefined;
    const add = coalesce(async (ids) => {
      flushed.push(ids);
      if (ids[0] === '1') await new Promise<void>((r) => (release = r));
    });
    const first = add(['1']);
    await new Promise((r) => setImmediate(r));
    const second = add(['2']);
    await new Promise((r) => setImmediate(r));
    expect(flushed).toEqual([['1'], ['2']]);
    release();
    await Promise.all([first, second]);
  });
});
