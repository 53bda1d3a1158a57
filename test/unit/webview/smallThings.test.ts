/** Issue 18 item 18: the report's Runs tab start time, and the top-level help naming gradcheck's options. */
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../src/cli/main';
import { fmtStarted } from '../../../webview/panel/viewModel/format';

describe('small things', () => {
  it('a report opened alone shows no start time, not 1/1/1970', () => {
    expect(fmtStarted('')).toBe('—');
    expect(fmtStarted(new Date(0).toISOString())).toBe('—');
    expect(fmtStarted('2026-12-01T10:00:00.000Z')).toBe(new Date('2026-12-01T10:00:00.000Z').toLocaleString());
  });

  it('the top-level help lists gradcheck --tolerance and --five-point', () => {
    expect(USAGE).toMatch(/--tolerance t/);
    expect(USAGE).toMatch(/--five-point/);
  });
});
