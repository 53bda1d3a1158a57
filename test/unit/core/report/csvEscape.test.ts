import { describe, expect, it } from 'vitest';
import { csvTextCell, neutralizeFormula } from '../../../../src/core/report/csvEscape';
import { probabilityText } from '../../../../src/core/run/predict';

describe('neutralizeFormula (OWASP CSV injection)', () => {
  it('prefixes text cells a spreadsheet would run', () => {
    expect(neutralizeFormula('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutralizeFormula("+cmd|' /C calc'!A0")).toBe(`'+cmd|' /C calc'!A0`);
    expect(neutralizeFormula('@SUM(1+1)')).toBe("'@SUM(1+1)");
    expect(neutralizeFormula('-2+3')).toBe("'-2+3");
    expect(neutralizeFormula('\tx')).toBe("'\tx");
    expect(neutralizeFormula('\rx')).toBe("'\rx");
  });
  it('leaves numbers and ordinary labels alone', () => {
    for (const s of ['-0.5', '-1', '+1', '-1e-7', '.5', 'setosa', 'a=b', '']) expect(neutralizeFormula(s)).toBe(s);
  });
  it('quotes after neutralizing, and keeps raw cells raw', () => {
    expect(csvTextCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvTextCell('=1,2', true)).toBe('"=1,2"');
  });
});

describe('probabilityText', () => {
  it('writes small probabilities in one notation', () => {
    expect(probabilityText(8.3e-7)).toBe('8.3e-7');
    expect(probabilityText(0.0000024884716441862575)).toBe('2.4884716441862575e-6');
    expect(probabilityText(0.25)).toBe('0.25');
    expect(probabilityText(0)).toBe('0');
    expect(Number(probabilityText(0.00012345678901234567))).toBe(0.00012345678901234567);
  });
});
