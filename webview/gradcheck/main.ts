/**
 * The gradient checker webview: an editor for one gradcheck block with a live KaTeX preview, the
 * gallery picker, and the result of the last check (verdict, diagnosis, per-component table).
 * Talks to the host only through the messages of src/protocol/gradcheck.ts.
 */
import 'katex/dist/katex.min.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { BlockReport } from '../../src/core/gradcheck/types';
import type { GalleryItem, GradcheckHostToWebview, GradcheckWebviewToHost } from '../../src/protocol/gradcheck';
import { el, math } from './dom';
import { blockPreview } from './preview';
import { renderReport } from './report';
import { gradcheckState, parseGradcheckState } from './state';
import { getVsCodeApi } from '../vscodeApi';

const api = getVsCodeApi<GradcheckWebviewToHost>();

interface ViewState {
  source: string;
  gallery: GalleryItem[];
  checked: { source: string; report: BlockReport; origin?: string } | null;
  busy: boolean;
}

const state: ViewState = {
  source: parseGradcheckState(api.getState())?.source ?? '',
  gallery: [],
  checked: null,
  busy: false,
};

// ---- layout -------------------------------------------------------------------------------------

const app = document.getElementById('app') ?? document.body.appendChild(el('main'));
app.id = 'app';

const picker = document.createElement('vscode-single-select');
picker.id = 'gallery';
picker.setAttribute('aria-label', 'Load an example');
picker.setAttribute('label', 'Load an example'); // names the inner combobox
const checkButton = document.createElement('vscode-button');
checkButton.id = 'check';
checkButton.textContent = 'Check';
checkButton.title = 'Compare the gradient with finite differences (Ctrl+Enter)';
const galleryDescription = el('p', 'gallery-description');

const editor = document.createElement('vscode-textarea');
editor.id = 'editor';
editor.monospace = true;
editor.rows = 12;
editor.resize = 'vertical';
editor.placeholder = 'loss(w) = sum(log(1 + exp(-y .* (X * w))))\ngrad(w) = -X\' * (y .* sigmoid(-y .* (X * w)))';
editor.setAttribute('aria-label', 'gradcheck block');
editor.label = 'gradcheck block'; // names the inner textarea
editor.spellcheck = false;

const preview = el('div', 'preview');
preview.id = 'preview';
preview.setAttribute('aria-live', 'polite');
const result = el('div', 'result');
result.id = 'result';
const status = el('p', 'status');
status.id = 'status';
status.setAttribute('role', 'status');

app.append(
  el('header', 'toolbar', el('h1', undefined, 'Gradient checker'), el('div', 'toolbar-controls', picker, checkButton)),
  galleryDescription,
  el(
    'div',
    'columns',
    el('section', 'pane editor-pane', el('h2', undefined, 'Block'), editor, el('h2', undefined, 'Preview'), preview),
    el('section', 'pane result-pane', el('h2', undefined, 'Result'), status, result),
  ),
);

// ---- rendering ----------------------------------------------------------------------------------

let previewQueued = false;

function schedulePreview(): void {
  if (previewQueued) return;
  previewQueued = true;
  requestAnimationFrame(() => {
    previewQueued = false;
    renderPreview();
  });
}

function renderPreview(): void {
  const lines = blockPreview(state.source);
  const nodes: Node[] = [];
  if (lines.length === 0) nodes.push(el('p', 'muted', 'The TeX of your block appears here as you type.'));
  for (const line of lines) {
    if (line.kind === 'tex') {
      const node = math(line.tex, `math preview-line role-${line.role}`);
      node.dataset.line = String(line.line);
      nodes.push(node);
    } else {
      const node = el('p', 'preview-error', `Line ${line.line}: ${line.message}`);
      node.dataset.line = String(line.line);
      nodes.push(node);
    }
  }
  preview.replaceChildren(...nodes);
}

function renderResult(): void {
  if (!state.checked) {
    result.replaceChildren(el('p', 'muted', 'Write a block (or load an example) and press Check: the gradient is compared with central finite differences at the given point and at random perturbations.'));
    return;
  }
  // A Python check's source is not the editor's block: never stale.
  result.replaceChildren(renderReport(state.checked.report, { stale: !state.checked.origin && state.checked.source !== state.source }));
}

function setStatus(text: string, kind: 'info' | 'error' = 'info'): void {
  status.textContent = text;
  status.className = `status status-${kind}`;
  status.hidden = text === '';
}

function setBusy(busy: boolean): void {
  state.busy = busy;
  checkButton.disabled = busy;
  checkButton.textContent = busy ? 'Checking…' : 'Check';
}

function renderGallery(): void {
  const placeholder = document.createElement('vscode-option');
  placeholder.value = '';
  placeholder.textContent = state.gallery.length > 0 ? 'Load an example…' : 'No examples';
  const options = state.gallery.map((g) => {
    const option = document.createElement('vscode-option');
    option.value = g.id;
    option.textContent = g.title;
    option.description = g.description;
    return option;
  });
  picker.replaceChildren(placeholder, ...options);
  picker.disabled = state.gallery.length === 0;
}

function setSource(source: string): void {
  state.source = source;
  editor.value = source;
  api.setState(gradcheckState(source));
  schedulePreview();
}

// ---- events -------------------------------------------------------------------------------------

function runCheck(): void {
  if (state.busy) return;
  if (state.source.trim() === '') {
    setStatus('The block is empty: write a loss and its gradient, or load an example.', 'error');
    return;
  }
  setBusy(true);
  setStatus('');
  api.postMessage({ type: 'runCheck', source: state.source });
}

editor.addEventListener('input', () => {
  state.source = editor.value;
  api.setState(gradcheckState(state.source));
  schedulePreview();
  if (state.checked) renderResult();
});

editor.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    runCheck();
  }
});

checkButton.addEventListener('click', runCheck);

picker.addEventListener('change', () => {
  const item = state.gallery.find((g) => g.id === picker.value);
  if (!item) return;
  galleryDescription.textContent = item.description;
  setSource(item.source);
  setStatus(`Loaded "${item.title}". Press Check to check it.`);
  renderResult();
});

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as GradcheckHostToWebview;
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
  switch (message.type) {
    case 'didInitialize':
      state.gallery = message.gallery;
      renderGallery();
      if (message.source !== null) setSource(message.source);
      state.checked = message.report && message.checkedSource !== null ? { source: message.checkedSource, report: message.report, origin: message.origin } : null;
      if (message.origin) setStatus(`Python check: ${message.origin}`);
      renderResult();
      return;
    case 'didCheck':
    {
      // The answer to our runCheck keeps the editor (the user may have typed meanwhile); a check the
      // host started from a document block loads that block.
      const answered = state.busy;
      setBusy(false);
      if (!answered && !message.origin && message.source !== state.source) setSource(message.source);
      state.checked = { source: message.source, report: message.report, origin: message.origin };
      setStatus(message.origin ? `Python check: ${message.origin}` : '');
      renderResult();
      return;
    }
    case 'didFail':
      setBusy(false);
      setStatus(message.line > 0 ? `Line ${message.line}, column ${message.column}: ${message.message}` : message.message, 'error');
      return;
    default: {
      const unexpected: never = message;
      void unexpected;
    }
  }
});

// ---- start --------------------------------------------------------------------------------------

editor.value = state.source;
setStatus('');
renderGallery();
renderPreview();
renderResult();
api.postMessage({ type: 'ready' });
