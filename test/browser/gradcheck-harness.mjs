// Browser-side harness for test/browser/gradcheck.mjs: it plays the extension host for the gradient
// checker webview. It defines a fake acquireVsCodeApi that records every posted message (window.__posted)
// and answers like GradcheckPanel does: `ready` -> didInitialize (with the engine's gallery), `runCheck`
// -> the real engine's checkBlock -> didCheck. Saved state lives in sessionStorage so a reload restores
// it, as VS Code does. CSP violations are collected in window.__cspViolations.
// Bundled by esbuild (with the engine) into test-results/gradcheck/site/harness.js.
import { checkBlock, gallery } from '../../src/core/gradcheck/index';

const posted = [];
const violations = [];
window.__posted = posted;
window.__cspViolations = violations;
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
});

const send = (message) => setTimeout(() => window.postMessage(message, '*'), 5);
window.__send = send;

function handle(message) {
  switch (message.type) {
    case 'ready':
      send({ type: 'didInitialize', source: null, report: null, checkedSource: null, gallery: gallery.map((g) => ({ ...g })) });
      break;
    case 'runCheck': {
      const report = checkBlock({ line: 1, source: message.source, language: 'plain' }, { seed: 0 });
      send({ type: 'didCheck', source: message.source, report });
      break;
    }
    default:
      break;
  }
}

/** Checks `source` as if it sat at `line` of a document, rebased to line 1 (what the command does). */
window.__checkAsHost = (source) => {
  const report = checkBlock({ line: 1, source, language: 'plain' }, { seed: 0 });
  send({ type: 'didCheck', source, report });
};

let acquired = false;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  return {
    postMessage(message) {
      posted.push(JSON.parse(JSON.stringify(message)));
      handle(message);
    },
    getState() {
      const raw = sessionStorage.getItem('gradcheck-state');
      return raw === null ? undefined : JSON.parse(raw);
    },
    setState(state) {
      sessionStorage.setItem('gradcheck-state', JSON.stringify(state));
    },
  };
};
