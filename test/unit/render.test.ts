import { describe, expect, it } from 'vitest';
import { gauge, Samples } from '../../src/metrics/family.js';
import { renderSamples, textOf as join, type GroupCache } from '../../src/metrics/render.js';
const F = gauge('x_value', 'A value.', ['waba_id']);
const G = gauge('x_other', 'Other.', ['waba_id', 'state']);

function build(values: Record<string, number>, sig: (k: string) => string): Samples {
  const s = new Samples();
  s.add(F, { waba_id: 'loose' }, -1);
  for (const [k, v] of Object.entries(values)) {
    s.group(k, sig(k), () => {
      s.add(F, { waba_id: k }, v);
      s.stateSet(G, { waba_id: k }, 'state', ['A', 'B'], v > 1 ? 'A' : 'B');
    });
  }
  return s;
}

describe('renderSamples with groups', () => {
  it('one contiguous block per family, header once, in group order', async () => {
    const text = join(await renderSamples(build({ w1: 1, w2: 2 }, () => 's')));
    expect(text).toBe(
      [
        '# HELP x_value A value.',
        '# TYPE x_value gauge',
        'x_value{waba_id="loose"} -1',
        'x_value{waba_id="w1"} 1',
        'x_value{waba_id="w2"} 2',
        '# HELP x_other Other.',
        '# TYPE x_other gauge',
        'x_other{waba_id="w1",state="A"} 0',
        'x_other{waba_id="w1",state="B"} 1',
        'x_other{waba_id="w2",state="A"} 1',
        'x_other{waba_id="w2",state="B"} 0',
        '',
      ].join('\n'),
    );
  });

  it('reuses a group while its signature holds, re-renders it when the signature changes, forgets vanished groups', async () => {
    const cache: GroupCache = new Map();
    await renderSamples(
      build({ w1: 1, w2: 2 }, () => 'v1'),
      cache,
    );
    // Same signature, different values: the cached text is served (proof that nothing was re-rendered).
    const reused = join(
      await renderSamples(
        build({ w1: 5, w2: 2 }, () => 'v1'),
        cache,
      ),
    );
    expect(reused).toContain('x_value{waba_id="w1"} 1');
    // A cached group's samples are never built; a new one's are built once, at render time.
    let built = 0;
    const lazy = new Samples();
    lazy.group('w2', 'v1', () => built++);
    lazy.group('w9', 'new', () => built++);
    expect(built).toBe(0);
    const probe: GroupCache = new Map([['w2', { sig: 'v1', text: new Map() }]]);
    await renderSamples(lazy, probe);
    expect(built).toBe(1);
    const changed = join(
      await renderSamples(
        build({ w1: 5, w2: 2 }, (k) => (k === 'w1' ? 'v2' : 'v1')),
        cache,
      ),
    );
    expect(changed).toContain('x_value{waba_id="w1"} 5');
    expect(changed).toContain('x_other{waba_id="w1",state="A"} 1');
    await renderSamples(
      build({ w2: 2 }, () => 'v1'),
      cache,
    );
    expect([...cache.keys()]).toEqual(['w2']);
  });
});
