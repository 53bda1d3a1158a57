/**
 * The model panel's messages with their numbers as binary (src/protocol/packNumbers.ts): what the
 * webview unpacks is exactly what JSON would have given it, for real run reports (binary and
 * 10-class) and the edge cases JSON changes (-0, NaN, ±Infinity), and the packing takes the bulk of
 * a report out of the JSON text.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random';
import { trainFromBytes } from '../../../src/core/run/train';
import type { HostToWebview, RunRecord } from '../../../src/protocol/panel';
import { deserialize, serialize } from 'node:v8';
import { MIN_PACKED, ownBuffers, packInts, packNumbers, packReport, unpackNumbers } from '../../../src/protocol/packNumbers';

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * A message through VS Code's webview messaging: JSON, except typed arrays, which go as buffers beside
 * it and come back as typed arrays. Returns what the webview gets and the sizes of both parts.
 */
function overTheWire(message: unknown): { received: unknown; json: number; buffers: number } {
  const sent: Float64Array[] = [];
  const text = JSON.stringify(message, (_k, v: unknown) => {
    if (v instanceof Float64Array) return { $buffer: sent.push(v) - 1 };
    return v;
  });
  const received = JSON.parse(text, (_k, v: unknown) => (v && typeof v === 'object' && '$buffer' in v ? new Float64Array(sent[(v as { $buffer: number }).$buffer]) : v)) as unknown;
  return { received, json: text.length, buffers: sent.reduce((n, b) => n + b.byteLength, 0) };
}

function csv(rows: number, features: number, classes: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const lines = [[...Array.from({ length: features }, (_, j) => `x${j + 1}`), 'y'].join(',')];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: features }, () => rng.normal());
    const y = classes === 2 ? (rng.next() < 1 / (1 + Math.exp(-(x[0] - x[1]))) ? 1 : 0) : Math.floor(rng.next() * classes);
    lines.push([...x.map((v) => v.toFixed(6)), String(y)].join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function finished(classes: number): Extract<HostToWebview, { type: 'didFinishTraining' }> {
  const report = trainFromBytes(csv(3000, 5, classes, 7 + classes), { target: ['y'] }, { fileName: 'data.csv' });
  const run: RunRecord = { id: 1, label: '#1', startedAt: '2026-12-02T05:00:00.000Z', durationMs: 1, settings: report.model.settings, report };
  return { type: 'didFinishTraining', run };
}

describe('packNumbers / unpackNumbers', () => {
  for (const classes of [2, 10]) {
    it(`a ${classes}-class report packed in the worker (packReport) reaches the webview and the saved history as JSON would`, () => {
      const message = finished(classes);
      const { report } = message.run;
      const before = JSON.stringify(report);
      // The worker's post and the process's IPC ('advanced' serialization): V8's serializer.
      const atHost = deserialize(serialize(packReport(report))) as typeof report;
      expect(JSON.stringify(report)).toBe(before);
      const test = atHost.evaluation.test;
      expect((classes === 2 ? test?.curves : test?.perClassCurves?.[0])?.roc.fpr).toBeInstanceOf(Float64Array);
      // What the host reads stays as it was.
      expect(atHost.model).toEqual(report.model);
      expect(atHost.convergence).toEqual(report.convergence);
      // The host posts it (packNumbers passes the packed parts through) and the webview unpacks it.
      const run = { ...message.run, report: atHost };
      const posted = packNumbers({ type: 'didFinishTraining', run });
      // Every typed array posted is the whole of its buffer (the IPC's are views into one: ownBuffer).
      const views: ArrayBufferView[] = [];
      JSON.stringify(posted, (_k, v: unknown) => (ArrayBuffer.isView(v) ? (views.push(v), 0) : v));
      expect(views.length).toBeGreaterThan(10);
      for (const v of views) expect([v.byteOffset, v.byteLength]).toEqual([0, v.buffer.byteLength]);
      expect(new Set(views.map((v) => v.buffer)).size).toBe(views.length);
      const w = overTheWire(posted);
      expect(unpackNumbers(w.received)).toEqual(viaJson(message));
      expect(w.json).toBeLessThan(JSON.stringify(message).length / 2);
      // The HTML report: the same JSON text as the unpacked report's.
      expect(JSON.stringify(unpackNumbers({ runs: [run] }))).toBe(JSON.stringify({ runs: [message.run] }));
      expect(JSON.stringify(unpackNumbers(atHost))).toBe(before);
    });
  }

  it("ownBuffers: a report from the IPC keeps only its arrays' bytes (the message's buffer freed), the same numbers, and packNumbers then copies nothing", () => {
    const message = finished(10);
    const atHost = deserialize(serialize(packReport(message.run.report))) as typeof message.run.report;
    const viewsOf = (x: unknown) => {
      const views: ArrayBufferView[] = [];
      JSON.stringify(x, (_k, v: unknown) => (ArrayBuffer.isView(v) ? (views.push(v), 0) : v));
      return views;
    };
    const bytes = (views: ArrayBufferView[]) => ({
      arrays: views.reduce((n, v) => n + v.byteLength, 0),
      buffers: [...new Set(views.map((v) => v.buffer))].reduce((n, b) => n + b.byteLength, 0),
    });
    const received = viewsOf(atHost);
    expect(received.length).toBeGreaterThan(50);
    // As V8's deserializer gives them: views into the message's buffer, which they keep alive whole.
    const before = bytes(received);
    expect(before.buffers).toBeGreaterThan(before.arrays * 1.5);
    const copies = received.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'));
    expect(ownBuffers(atHost)).toBe(atHost);
    const kept = viewsOf(atHost);
    expect(kept).toHaveLength(received.length);
    for (const v of kept) expect([v.byteOffset, v.byteLength]).toEqual([0, v.buffer.byteLength]);
    expect(bytes(kept)).toEqual({ arrays: before.arrays, buffers: before.arrays });
    expect(kept.map((v) => Buffer.from(v.buffer).toString('hex'))).toEqual(copies);
    expect(JSON.stringify(unpackNumbers(atHost))).toBe(JSON.stringify(message.run.report));
    // Posting it copies none of its arrays any more.
    const posted = viewsOf(packNumbers({ type: 'didFinishTraining', run: { ...message.run, report: atHost } }));
    expect(posted.filter((v) => kept.includes(v))).toHaveLength(kept.length);
  });

  for (const classes of [2, 10]) {
    it(`gives the webview exactly what JSON would for a ${classes}-class run's report, with most of it as binary`, () => {
      const message = finished(classes);
      const before = JSON.stringify(message);
      const packed = packNumbers(message);
      // The message itself is not changed.
      expect(JSON.stringify(message)).toBe(before);
      const w = overTheWire(packed);
      expect(unpackNumbers(w.received)).toEqual(viaJson(message));
      expect(w.buffers).toBeGreaterThan(0);
      // The JSON text left is a fraction of the whole message's.
      expect(w.json).toBeLessThan(before.length / 2);
    });
  }

  it('packs arrays and matrices of finite numbers, and leaves what JSON changes to JSON', () => {
    const long = Array.from({ length: MIN_PACKED }, (_, i) => i / 3);
    const message = {
      type: 'x',
      long,
      short: long.slice(0, MIN_PACKED - 1),
      negativeZero: [-0, ...long.slice(1)],
      withNaN: [NaN, ...long.slice(1)],
      withInfinity: [Infinity, ...long.slice(1)],
      matrix: [long.slice(0, 8), long.slice(8, 16)],
      ragged: [long.slice(0, 8), long.slice(0, 7)],
      mixed: ['a', ...long],
      nested: [{ v: long }],
    };
    const packed = packNumbers(message) as Record<string, unknown>;
    expect(packed.long).toBeInstanceOf(Float64Array);
    expect(packed.negativeZero).toBeInstanceOf(Float64Array);
    expect(Array.isArray(packed.short)).toBe(true);
    expect(Array.isArray(packed.withNaN)).toBe(true);
    expect(Array.isArray(packed.withInfinity)).toBe(true);
    expect(Array.isArray(packed.ragged)).toBe(true);
    expect(Array.isArray(packed.mixed)).toBe(true);
    expect((packed.matrix as { data: unknown }).data).toBeInstanceOf(Float64Array);
    expect(((packed.nested as { v: unknown }[])[0]).v).toBeInstanceOf(Float64Array);
    const back = unpackNumbers(overTheWire(packed).received) as typeof message;
    expect(back).toEqual(viaJson(message));
    expect(Object.is(back.negativeZero[0], 0)).toBe(true);
    expect(back.withNaN[0]).toBeNull();
  });

  it('packs arrays of small non-negative integers several to a double, and gives back exactly what JSON would', () => {
    const counts = Array.from({ length: 4096 }, (_, i) => Math.floor((i * 70_000) / 4095)); // 0 … 70,000: 17 bits, 3 a double
    const message = {
      counts,
      classes: Array.from({ length: 2000 }, (_, i) => (i * 7) % 10), // 4 bits: 13 a double
      zeros: [-0, ...Array.from({ length: MIN_PACKED }, () => 0)], // 1 bit: 52 a double, -0 as JSON gives it (0)
      widest: Array.from({ length: MIN_PACKED + 1 }, (_, i) => (i % 2 ? 2 ** 26 - 1 : i)), // 26 bits: 2 a double
      tooWide: Array.from({ length: MIN_PACKED }, (_, i) => (i ? 2 ** 26 : 0)),
      negative: Array.from({ length: MIN_PACKED }, (_, i) => i - 1),
      fractional: Array.from({ length: MIN_PACKED }, (_, i) => i + 0.5),
    };
    const packed = packNumbers(message) as unknown as Record<string, { $logitLabInts?: number; bits?: number; data?: Float64Array }>;
    expect([packed.counts.bits, packed.counts.data?.length]).toEqual([17, Math.ceil(4096 / 3)]);
    expect([packed.classes.bits, packed.classes.data?.length]).toEqual([4, Math.ceil(2000 / 13)]);
    expect([packed.zeros.bits, packed.zeros.data?.length]).toEqual([1, 1]);
    expect([packed.widest.bits, packed.widest.data?.length]).toEqual([26, Math.ceil((MIN_PACKED + 1) / 2)]);
    for (const k of ['tooWide', 'negative', 'fractional']) expect(packed[k]).toBeInstanceOf(Float64Array);
    // The first integer in the lowest bits: [1, 2, 3] in 17 bits is 1 + 2 * 2^17 + 3 * 2^34.
    expect(packInts([1, 2, 3, 4], 17).data).toEqual(new Float64Array([1 + 2 * 2 ** 17 + 3 * 2 ** 34, 4]));
    const back = unpackNumbers(overTheWire(packed).received) as typeof message;
    expect(back).toEqual(viaJson(message));
    expect(Object.is(back.zeros[0], 0)).toBe(true);
    expect(JSON.stringify(unpackNumbers(packed))).toBe(JSON.stringify(message));
  });

  it("packs a 10-class report's cumulative counts as integers: its buffers a quarter smaller", () => {
    const message = finished(10);
    const packed = packNumbers(message);
    const sweep = packed.run.report.evaluation.test!.perClassCurves![0].sweep as unknown as Record<string, { bits?: number }>;
    expect(sweep.tp.bits).toBeGreaterThan(0);
    expect(sweep.fp.bits).toBeGreaterThan(0);
    expect(sweep.thresholds).toBeInstanceOf(Float64Array);
    const w = overTheWire(packed);
    expect(unpackNumbers(w.received)).toEqual(viaJson(message));
    // Every array as Float64 (the packing before integers): the buffers' bytes then.
    let asDoubles = 0;
    JSON.stringify(packed, (_k, v: unknown) => {
      if (v instanceof Float64Array) asDoubles += v.byteLength;
      else if (v && typeof v === 'object' && '$logitLabInts' in v) return void (asDoubles += 8 * (v as { $logitLabInts: number }).$logitLabInts);
      return v;
    });
    expect(w.buffers).toBeLessThan(asDoubles * 0.8);
  });
});
