import { describe, expect, it } from 'vitest';
import { blockCalling, gradientFunctions, isNotesFile } from '../../../src/host/gradcheck/functionFiles';

describe('CodeLens for Octave function files', () => {
  it('finds functions returning a loss and a gradient, with their line', () => {
    const text = '% cost\nfunction [J, grad] = costFunctionReg(theta, X, y, lambda)\nJ = 0;\nend\nfunction g = sigmoid(z)\nend\n  function [J,g,H]=newton(t)\n';
    expect(gradientFunctions(text)).toEqual([
      { name: 'costFunctionReg', line: 1 },
      { name: 'newton', line: 6 },
    ]);
  });
  it('finds the gradcheck block that checks a function, by handle or anonymous function', () => {
    const notes = '# HW\n\n```gradcheck\nX = 1;\ncheck_gradient(@(t)(costFunctionReg(t, X, y, 1)), [0; 0])\n```\n\n```gradcheck\ncheck_gradient(@newton, 1)\n```\n';
    expect(blockCalling(notes, 'notes.md', 'costFunctionReg')!.line).toBe(4);
    expect(blockCalling(notes, 'notes.md', 'newton')!.line).toBe(9);
    expect(blockCalling(notes, 'notes.md', 'costFunction')).toBeUndefined();
    expect(blockCalling(notes, 'notes.md', 'X')).toBeUndefined();
  });
  it('reads notes files only', () => {
    expect(['a.md', 'b.tex', 'c.gradcheck', 'd.m', 'e.csv'].map(isNotesFile)).toEqual([true, true, true, false, false]);
  });
});
