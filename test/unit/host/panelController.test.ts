/**
 * PanelController with a fake webview panel: the ready handshake, the queue of messages posted before
 * the webview is ready (in order, after the snapshot, progress coalesced, bounded), validation of
 * incoming messages, and posting after dispose.
 */
import { describe, expect, it } from 'vitest';
import { MAX_QUEUED, PanelController, PanelRegistry } from '../../../src/host/panelController';
import { FakePanel } from './fakePanel';
import type { Checked } from '../../../src/protocol/validate';

type In = { type: 'ready' } | { type: 'ping'; n: number };
type Out = { type: 'init'; n: number } | { type: 'progress'; run: number; i: number } | { type: 'event'; n: number };

const validate = (m: unknown): Checked<In> => {
  const t = (m as { type?: unknown })?.type;
  if (t === 'ready') return { ok: true, message: m as In };
  if (t === 'ping' && typeof (m as { n?: unknown }).n === 'number') return { ok: true, message: m as In };
  return { ok: false, error: `bad ${JSON.stringify(m)}` };
};

class TestController extends PanelController<In, Out, FakePanel> {
  handled: In[] = [];
  warnings: string[] = [];
  snapshot = 0;
  /** Resolves the snapshot when the test says so (to post during the handshake). */
  gate: Promise<void> = Promise.resolve();
  constructor(panel: FakePanel) {
    const warnings: string[] = [];
    super(panel, { validate, warn: (m) => warnings.push(m) });
    this.warnings = warnings;
  }
  protected async initialMessages(): Promise<Out[]> {
    await this.gate;
    return [{ type: 'init', n: ++this.snapshot }];
  }
  protected async handle(message: Exclude<In, { type: 'ready' }>): Promise<void> {
    this.handled.push(message);
  }
  protected override coalesceKey(m: Out): string | undefined {
    return m.type === 'progress' ? `progress ${m.run}` : undefined;
  }
  say(m: Out) {
    this.post(m);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PanelController', () => {
  it('queues what is posted before ready and sends it after the snapshot, in order', async () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    c.say({ type: 'event', n: 1 });
    c.say({ type: 'progress', run: 1, i: 1 });
    c.say({ type: 'event', n: 2 });
    c.say({ type: 'progress', run: 1, i: 2 }); // replaces i: 1, at the end of the queue
    c.say({ type: 'progress', run: 2, i: 1 });
    expect(panel.posted).toEqual([]);
    expect(c.ready).toBe(false);
    panel.send({ type: 'ready' });
    await settle();
    expect(c.ready).toBe(true);
    expect(panel.posted).toEqual([
      { type: 'init', n: 1 },
      { type: 'event', n: 1 },
      { type: 'event', n: 2 },
      { type: 'progress', run: 1, i: 2 },
      { type: 'progress', run: 2, i: 1 },
    ]);
    c.say({ type: 'event', n: 3 });
    expect(panel.posted[panel.posted.length - 1]).toEqual({ type: 'event', n: 3 });
  });

  it('queues what is posted during the handshake behind the snapshot, and again while hidden', async () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    let open!: () => void;
    c.gate = new Promise((r) => (open = r));
    panel.send({ type: 'ready' });
    c.say({ type: 'event', n: 1 });
    await settle();
    expect(panel.posted).toEqual([]);
    open();
    await settle();
    expect(panel.posted).toEqual([{ type: 'init', n: 1 }, { type: 'event', n: 1 }]);
    panel.hide();
    c.say({ type: 'event', n: 2 });
    expect(panel.posted).toHaveLength(2);
    panel.send({ type: 'ready' });
    await settle();
    expect(panel.posted.slice(2)).toEqual([{ type: 'init', n: 2 }, { type: 'event', n: 2 }]);
  });

  it('keeps at most MAX_QUEUED messages, dropping the oldest', async () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    for (let n = 0; n < MAX_QUEUED + 5; n++) c.say({ type: 'event', n });
    panel.send({ type: 'ready' });
    await settle();
    expect(panel.posted).toHaveLength(MAX_QUEUED + 1);
    expect(panel.posted[1]).toEqual({ type: 'event', n: 5 });
    expect(panel.posted[MAX_QUEUED]).toEqual({ type: 'event', n: MAX_QUEUED + 4 });
  });

  it('checks every incoming message: malformed ones are logged and never handled', async () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    panel.send({ type: 'ping', n: 1 });
    panel.send({ type: 'ping', n: 'one' });
    panel.send('ready');
    await settle();
    expect(c.handled).toEqual([{ type: 'ping', n: 1 }]);
    expect(c.warnings).toEqual([
      'ignored a malformed message from the webview: bad {"type":"ping","n":"one"}',
      'ignored a malformed message from the webview: bad "ready"',
    ]);
    expect(c.journal.filter((j) => j.type === 'invalid')).toHaveLength(2);
  });

  it('posts nothing after dispose, and disposes once', async () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    panel.send({ type: 'ready' });
    await settle();
    c.dispose();
    c.dispose();
    expect(panel.disposed).toBe(1);
    expect(c.disposed).toBe(true);
    c.say({ type: 'event', n: 9 });
    panel.send({ type: 'ping', n: 2 });
    await settle();
    expect(panel.posted).toEqual([{ type: 'init', n: 1 }]);
    expect(c.handled).toEqual([]);
  });

  it('a disposed panel (closed by the user) disposes its controller', () => {
    const panel = new FakePanel();
    const c = new TestController(panel);
    panel.dispose();
    expect(c.disposed).toBe(true);
  });
});

describe('PanelRegistry', () => {
  it('finds panels by key, remembers the last one, and forgets disposed ones', () => {
    const registry = new PanelRegistry<TestController>();
    const a = new TestController(new FakePanel());
    const b = new TestController(new FakePanel());
    registry.add('a', a);
    registry.add('b', b);
    expect(registry.current()).toBe(b);
    registry.touch(a);
    expect(registry.current()).toBe(a);
    registry.remove('a', a);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.current()).toBe(b);
    registry.disposeAll();
    expect(b.disposed).toBe(true);
  });
});
