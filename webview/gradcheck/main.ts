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
import { el } from '../panel/dom';
import { button, singleSelect } from '../panel/elements';
import { t } from '../l10n';
import { math } from '../math';
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

// `label` names the inner combobox.
const picker = singleSelect([], '', { id: 'gallery', ariaLabel: t('Load an example'), label: t('Load an example') });
const checkButton = button(t('Check'), { id: 'check', title: t('Compare the gradient with finite differences (Ctrl+Enter)') });
const galleryDescription = el('p', { class: 'gallery-description' });

// `label` names the inner textarea.
const editor = el('vscode-textarea', {
  attrs: { id: 'editor', 'aria-label': t('gradcheck block') },
  props: {
    monospace: true,
    rows: 12,
    resize: 'vertical',
    placeholder: 'loss(w) = sum(log(1 + exp(-y .* (X * w))))\ngrad(w) = -X\' * (y .* sigmoid(-y .* (X * w)))',
    label: t('gradcheck block'),
    spellcheck: false,
  },
});

const preview = el('div', { class: 'preview', attrs: { id: 'preview', 'aria-live': 'polite' } });
const result = el('div', { class: 'result', attrs: { id: 'result' } });
const status = el('p', { class: 'status', attrs: { id: 'status', role: 'status' } });

app.append(
  el('header', { class: 'toolbar' }, el('h1', null, t('Gradient checker')), el('div', { class: 'toolbar-controls' }, picker, checkButton)),
  galleryDescription,
  el(
    'div',
    { class: 'columns' },
    el('section', { class: 'pane editor-pane' }, el('h2', null, t('Block')), editor, el('h2', null, t('Preview')), preview),
    el('section', { class: 'pane result-pane' }, el('h2', null, t('Result')), status, result),
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
  if (lines.length === 0) nodes.push(el('p', { class: 'muted' }, t('The TeX of your block appears here as you type.')));
  for (const line of lines) {
    if (line.kind === 'tex') {
      const node = math(line.tex, `math preview-line role-${line.role}`);
      node.dataset.line = String(line.line);
      nodes.push(node);
    } else {
      const node = el('p', { class: 'preview-error' }, t('Line {0}: {1}', line.line, line.message));
      node.dataset.line = String(line.line);
      nodes.push(node);
    }
  }
  preview.replaceChildren(...nodes);
}

function renderResult(): void {
  if (!state.checked) {
    result.replaceChildren(el('p', { class: 'muted' }, t('Write a block (or load an example) and press Check: the gradient is compared with central finite differences at the given point and at random perturbations.')));
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
  checkButton.textContent = busy ? t('Checking…') : t('Check');
}

function renderGallery(): void {
  const placeholder = el('vscode-option', { attrs: { value: '' } }, state.gallery.length > 0 ? t('Load an example…') : t('No examples'));
  const options = state.gallery.map((g) => el('vscode-option', { attrs: { value: g.id }, props: { description: g.description } }, g.title));
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
    setStatus(t('The block is empty: write a loss and its gradient, or load an example.'), 'error');
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
  setStatus(t('Loaded "{0}". Press Check to check it.', item.title));
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
      if (message.origin) setStatus(t('Python check: {0}', message.origin));
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
      setStatus(message.origin ? t('Python check: {0}', message.origin) : '');
      renderResult();
      return;
    }
    case 'didFail':
      setBusy(false);
      setStatus(message.line > 0 ? t('Line {0}, column {1}: {2}', message.line, message.column, message.message) : message.message, 'error');
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
