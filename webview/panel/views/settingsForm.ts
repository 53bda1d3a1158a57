/**
 * The training settings form (vscode-elements controls). Defaults come from the host (the last
 * settings used, or DEFAULT_SETTINGS) and the preview's guessed target, so one click on Train works.
 * The form is built once per data preview and kept while runs come and go, so edits survive.
 */
import { expansionFields, type ExpansionFields } from './expansionFields';
import type { ColumnInfo } from '../../../src/core/data/dataset';
import type { DataPreview } from '../../../src/core/data/preview';
import { DEFAULT_SETTINGS, validateSettings, type ModelKind, type TrainSettings } from '../../../src/core/run/settings';
import { el, replace, type Child } from '../dom';

type Option = [value: string, label: string];

const MODEL_KINDS: Option[] = [
  ['auto', 'Auto (from the target)'],
  ['binary', 'Binary logistic (sigmoid)'],
  ['multinomial', 'Multinomial (softmax)'],
  ['ovr', 'One-vs-rest logistic'],
  ['multilabel', 'Multilabel (several 0/1 targets)'],
];
const SOLVERS: Option[] = [
  ['auto', 'Automatic (by the data\'s shape)'],
  ['lbfgs', 'L-BFGS (OWL-QN for L1)'],
  ['newton', 'Newton (L2 or none)'],
  ['newton-cholesky', 'Newton-Cholesky (L2 or none; rows ≫ features)'],
  ['gd', 'Gradient descent (full batch)'],
  ['minibatch', 'Mini-batch gradient descent'],
  ['sgd', 'Stochastic gradient descent'],
];
const OPTIMIZERS: Option[] = [
  ['adam', 'Adam'],
  ['momentum', 'Momentum'],
  ['sgd', 'Plain steps'],
];
const PENALTIES: Option[] = [
  ['l2', 'L2 (ridge)'],
  ['l1', 'L1 (lasso)'],
  ['elasticnet', 'Elastic net'],
  ['none', 'None'],
];
const SCHEDULES: Option[] = [
  ['constant', 'Constant'],
  ['invscaling', 'Inverse scaling'],
  ['exponential', 'Exponential decay'],
];
const ITERATIVE = new Set(['gd', 'minibatch', 'sgd']);

export interface SettingsFormOptions {
  preview: DataPreview;
  defaults: TrainSettings;
  onTrain(settings: TrainSettings): void;
  onCancel(): void;
  /** The target column changed (the Data summary's class balance and target badge follow it). */
  onTargetChange?(target: string): void;
}

function select(id: string, options: Option[], value: string): HTMLElement {
  const s = el('vscode-single-select', { attrs: { id, name: id } }, ...options.map(([v, label]) => el('vscode-option', { attrs: { value: v } }, label)));
  (s as HTMLElement & { value: string }).value = value;
  return s;
}

function textfield(id: string, value: string, placeholder = ''): HTMLElement {
  const t = el('vscode-textfield', { attrs: { id, name: id, placeholder } });
  (t as HTMLElement & { value: string }).value = value;
  return t;
}

function checkbox(id: string, label: string, checked: boolean): HTMLElement {
  return el('vscode-checkbox', { attrs: { id, name: id, label }, props: { checked } });
}

function field(label: string, control: HTMLElement, help?: string): HTMLElement {
  const id = control.getAttribute('id') ?? '';
  return el('div', { class: 'll-field', attrs: { 'data-field': id } }, el('vscode-label', { attrs: { for: id } }, label), control, help ? el('div', { class: 'll-help' }, help) : null);
}

/** The core's default: a categorical column with more levels is dropped as free text (dataset.ts maxCategories). */
const MAX_CATEGORIES = 50;
const usable = (c: ColumnInfo) => c.kind === 'numeric' || (c.kind === 'categorical' && c.distinct <= MAX_CATEGORIES);
/** Why a column will be ignored as a feature, in the words of the feature list. */
function ignoredReason(c: ColumnInfo): string {
  if (c.kind === 'categorical') return `ignored: free text (${c.distinct} distinct values)`;
  if (c.kind === 'id') return 'ignored: identifier-like';
  return `ignored: ${c.kind}`;
}

/**
 * A target the model cannot learn: more than 50 classes, or fewer than 5 rows per class on average
 * (302 names in 400 rows, a continuous measurement). Null when the target is plausible.
 */
export function nonsenseTarget(c: ColumnInfo, nRows: number): string | null {
  const rows = nRows - c.missing;
  if (c.kind === 'id' || c.distinct > MAX_CATEGORIES || c.distinct * 5 > rows) {
    return `target “${c.name}” has ${c.distinct} distinct values in ${rows} rows: too many classes to learn (at most ${MAX_CATEGORIES}, with at least 5 rows each). Choose another target column`;
  }
  if (c.distinct < 2) return `target “${c.name}” has a single value: there is nothing to predict`;
  return null;
}

export class SettingsForm {
  readonly element: HTMLElement;
  private readonly p: DataPreview;
  private readonly o: SettingsFormOptions;
  private readonly controls = new Map<string, HTMLElement>();
  private readonly featureBox = el('div', { class: 'll-feature-list', attrs: { role: 'group', 'aria-label': 'Feature columns' } });
  private readonly problems = el('div', { class: 'll-problems', attrs: { role: 'alert' } });
  private readonly trainButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private target: string[];
  private checkedFeatures: Set<string>;
  private readonly expansion: ExpansionFields;

  constructor(o: SettingsFormOptions) {
    this.o = o;
    this.p = o.preview;
    const d = o.defaults;
    this.expansion = expansionFields(d);
    const names = this.p.columns.map((c) => c.name);
    const target = d.target.filter((t) => names.includes(t));
    this.target = target.length ? target : this.p.guessedTarget ? [this.p.guessedTarget] : [];
    const usableNames = this.p.columns.filter(usable).map((c) => c.name);
    const chosen = d.features.filter((f) => usableNames.includes(f));
    this.checkedFeatures = new Set(chosen.length ? chosen : usableNames);

    this.trainButton = el('vscode-button', { attrs: { id: 'train', icon: 'play' }, on: { click: () => this.submit() } }, 'Train');
    this.cancelButton = el('vscode-button', { attrs: { id: 'cancel', secondary: true, hidden: true }, on: { click: () => o.onCancel() } }, 'Cancel');

    const c = (id: string, node: HTMLElement) => {
      this.controls.set(id, node);
      return node;
    };
    const targetSelect = c('target', select('target', names.map((n) => [n, n]), this.target[0] ?? ''));
    targetSelect.addEventListener('change', () => {
      this.target = [this.value('target')];
      this.renderFeatures();
      this.renderPositive();
      o.onTargetChange?.(this.target[0]);
    });
    const kind = c('model', select('model', MODEL_KINDS, d.model));
    kind.addEventListener('change', () => this.syncVisibility());
    const solver = c('solver', select('solver', SOLVERS, d.solver));
    solver.addEventListener('change', () => this.syncVisibility());
    const penalty = c('penalty', select('penalty', PENALTIES, d.penalty));
    penalty.addEventListener('change', () => this.syncVisibility());
    const earlyStopping = c('earlyStopping', checkbox('earlyStopping', 'Stop early when the validation loss stops improving', d.earlyStopping));
    earlyStopping.addEventListener('change', () => this.syncVisibility());

    const labels = el('vscode-multi-select', { attrs: { id: 'labels', name: 'labels' } }, ...names.map((n) => el('vscode-option', { attrs: { value: n } }, n)));
    this.controls.set('labels', labels);

    const basic = el(
      'div',
      { class: 'll-form-grid' },
      field('Target column', targetSelect, 'The column to predict.'),
      field('Label columns', labels, 'Multilabel: the 0/1 columns to predict, one model each.'),
      field('Model', kind),
      field('Positive class', c('positiveClass', el('vscode-single-select', { attrs: { id: 'positiveClass' } })), 'Binary: the class whose probability the model reports.'),
      field('Solver', solver),
      field('Penalty', penalty),
      field('C (inverse strength)', c('C', textfield('C', String(d.C))), 'Larger C = weaker penalty. scikit-learn’s C.'),
      field('λ (optional)', c('lambda', textfield('lambda', d.lambda !== undefined ? String(d.lambda) : '', 'use C')), 'If set, C = 1 / (λ · n_train).'),
      field('L1 ratio', c('l1Ratio', textfield('l1Ratio', String(d.l1Ratio))), 'Elastic net mix: 0 = L2, 1 = L1.'),
      field('Class weight', c('classWeight', select('classWeight', [['none', 'None'], ['balanced', 'Balanced (n / (K · n_k))']], d.classWeight))),
      field('Test fraction', c('testSize', textfield('testSize', String(d.testSize)))),
      field('Validation fraction', c('valSize', textfield('valSize', String(d.valSize)))),
      field('Random seed', c('seed', textfield('seed', String(d.seed)))),
      field('Oversample', c('oversample', checkbox('oversample', 'Randomly oversample the training rows to equal classes', d.oversample === true)), 'Training rows only; validation and test rows stay as sampled.'),
      field('Perceptron', c('perceptron', checkbox('perceptron', 'Also fit a perceptron on the same split', d.perceptron === true)), 'scikit-learn’s Perceptron: its accuracy and line beside the logistic model’s.'),
    );
    const advanced = el(
      'div',
      { class: 'll-form-grid' },
      field('Optimizer', c('optimizer', select('optimizer', OPTIMIZERS, d.optimizer)), 'Step rule of the gradient solvers.'),
      field('Learning rate', c('learningRate', textfield('learningRate', d.learningRate !== undefined ? String(d.learningRate) : '', 'automatic'))),
      field('Schedule', c('schedule', select('schedule', SCHEDULES, d.schedule))),
      field('Batch size', c('batchSize', textfield('batchSize', String(d.batchSize)))),
      field('Max iterations', c('maxIter', textfield('maxIter', String(d.maxIter)))),
      field('Tolerance', c('tol', textfield('tol', String(d.tol)))),
      field('Early stopping', earlyStopping),
      field('Patience', c('patience', textfield('patience', String(d.patience))), 'Iterations without validation improvement.'),
      field('Standardize', c('standardize', checkbox('standardize', 'Scale features to mean 0, sd 1 (training rows)', d.standardize))),
      field('Missing values', c('missing', select('missing', [['impute', 'Impute with the training mean'], ['drop', 'Drop rows']], d.missing))),
      field('Points to plot', c('maxPoints', textfield('maxPoints', String(d.maxPoints))), 'Size of the stratified sample drawn on the decision boundary.'),
      field('Stream from disk', c('stream', checkbox('stream', 'Stream from disk (larger than memory)', d.stream === true)), 'Mini-batch SGD over blocks of the file in bounded memory; binary or multinomial. Types, categories and classes come from the first 4 MB.'),
      field('Epochs (streaming)', c('epochs', textfield('epochs', String(d.epochs ?? DEFAULT_SETTINGS.epochs))), 'Passes over the file when streaming.'),
    );

    this.element = el(
      'form',
      { class: 'll-settings', attrs: { 'aria-label': 'Training settings', novalidate: true }, on: { submit: (e) => (e.preventDefault(), this.submit()) } },
      el('h2', null, 'Settings'),
      basic,
      el('h3', null, 'Features'),
      el(
        'div',
        { class: 'll-row' },
        el('vscode-button', { attrs: { secondary: true, id: 'features-all', 'aria-label': 'Select all features' }, on: { click: () => this.setAllFeatures(true) } }, 'All'),
        el('vscode-button', { attrs: { secondary: true, id: 'features-none', 'aria-label': 'Select no features' }, on: { click: () => this.setAllFeatures(false) } }, 'None'),
      ),
      this.featureBox,
      el('vscode-collapsible', { attrs: { title: 'Feature engineering: polynomial, log, bins', id: 'expansion-group' }, props: { open: !!d.expansion } }, this.expansion.element),
      el('vscode-collapsible', { attrs: { title: 'Advanced: optimizer, iterations, preprocessing' } }, advanced),
      this.problems,
      el('div', { class: 'll-actions' }, this.trainButton, this.cancelButton),
    );
    if (d.model === 'multilabel' && target.length) (labels as HTMLElement & { value: string[] }).value = target;
    this.renderFeatures();
    this.renderPositive();
    this.syncVisibility();
  }

  private value(id: string): string {
    const node = this.controls.get(id) as (HTMLElement & { value?: string }) | undefined;
    return String(node?.value ?? '').trim();
  }

  private checked(id: string): boolean {
    return Boolean((this.controls.get(id) as (HTMLElement & { checked?: boolean }) | undefined)?.checked);
  }

  private show(id: string, visible: boolean): void {
    const f = this.element.querySelector(`[data-field="${id}"]`);
    if (f) (f as HTMLElement).hidden = !visible;
  }

  private syncVisibility(): void {
    const kind = this.value('model') as ModelKind;
    const iterative = ITERATIVE.has(this.value('solver'));
    const penalty = this.value('penalty');
    this.show('labels', kind === 'multilabel');
    this.show('target', kind !== 'multilabel');
    this.show('positiveClass', kind === 'auto' || kind === 'binary');
    this.show('l1Ratio', penalty === 'elasticnet');
    this.show('C', penalty !== 'none');
    this.show('lambda', penalty !== 'none');
    for (const id of ['optimizer', 'learningRate', 'schedule', 'batchSize']) this.show(id, iterative);
    this.show('patience', this.checked('earlyStopping'));
  }

  private renderFeatures(): void {
    const cols = this.p.columns.filter((c) => !this.target.includes(c.name));
    replace(
      this.featureBox,
      ...cols.map((col) => {
        if (!usable(col)) {
          const reason = ignoredReason(col);
          return el(
            'div',
            { class: 'll-feature-ignored' },
            el('vscode-checkbox', { attrs: { label: col.name, 'data-feature': col.name, disabled: true, title: col.reason ?? reason }, props: { checked: false } }),
            el('span', { class: 'll-help' }, reason),
          );
        }
        const cb = el('vscode-checkbox', { attrs: { label: col.name, 'data-feature': col.name }, props: { checked: this.checkedFeatures.has(col.name) } });
        cb.addEventListener('change', () => {
          if ((cb as HTMLElement & { checked: boolean }).checked) this.checkedFeatures.add(col.name);
          else this.checkedFeatures.delete(col.name);
        });
        return cb;
      }),
    );
  }

  /** The target column chosen in the form (single-target models). */
  get currentTarget(): string {
    return this.target[0] ?? '';
  }

  private renderPositive(): void {
    const node = this.controls.get('positiveClass')!;
    const labels = (this.p.targetBalances[this.target[0] ?? ''] ?? []).map((b) => b.label);
    const options: Child[] = [el('vscode-option', { attrs: { value: '' } }, labels.length === 2 ? `Default (${labels[1]})` : 'Default (second in sorted order)')];
    if (labels.length === 2) options.push(...labels.map((l) => el('vscode-option', { attrs: { value: l } }, l)));
    replace(node, ...options);
    const wanted = this.o.defaults.positiveClass;
    (node as HTMLElement & { value: string }).value = wanted && labels.includes(wanted) ? wanted : '';
  }

  private setAllFeatures(on: boolean): void {
    for (const col of this.p.columns) {
      if (!usable(col) || this.target.includes(col.name)) continue;
      if (on) this.checkedFeatures.add(col.name);
      else this.checkedFeatures.delete(col.name);
    }
    this.renderFeatures();
  }

  /** The settings as typed; numbers parsed, blanks for optional fields left undefined. */
  read(): { settings: TrainSettings; problems: string[] } {
    const problems: string[] = [];
    const num = (id: string, label: string, fallback: number): number => {
      const raw = this.value(id);
      if (raw === '') return fallback;
      const v = Number(raw);
      if (!Number.isFinite(v)) problems.push(`${label} must be a number, got “${raw}”`);
      return v;
    };
    const optional = (id: string, label: string): number | undefined => (this.value(id) === '' ? undefined : num(id, label, NaN));
    const d = this.o.defaults;
    const kind = this.value('model') as ModelKind;
    const labels = ((this.controls.get('labels') as HTMLElement & { value?: string[] }).value ?? []).filter(Boolean);
    const target = kind === 'multilabel' ? labels : this.target;
    if (kind === 'multilabel' && labels.length < 2) problems.push('a multilabel model needs at least two label columns');
    const usableCount = this.p.columns.filter((c) => usable(c) && !target.includes(c.name)).length;
    const targetInfo = kind === 'multilabel' ? undefined : this.p.columns.find((c) => c.name === target[0]);
    const nonsense = targetInfo && !this.p.sample ? nonsenseTarget(targetInfo, this.p.nRows) : null;
    if (nonsense) problems.push(nonsense);
    const features = [...this.checkedFeatures].filter((f) => !target.includes(f));
    if (features.length === 0) problems.push('choose at least one feature column');
    const settings: TrainSettings = {
      ...d,
      target,
      features: features.length === usableCount ? [] : this.p.columns.map((c) => c.name).filter((n) => features.includes(n)),
      model: kind,
      solver: this.value('solver') as TrainSettings['solver'],
      optimizer: this.value('optimizer') as TrainSettings['optimizer'],
      learningRate: optional('learningRate', 'learning rate'),
      schedule: this.value('schedule') as TrainSettings['schedule'],
      batchSize: num('batchSize', 'batch size', d.batchSize),
      penalty: this.value('penalty') as TrainSettings['penalty'],
      C: num('C', 'C', d.C),
      lambda: optional('lambda', 'λ'),
      l1Ratio: num('l1Ratio', 'L1 ratio', d.l1Ratio),
      classWeight: this.value('classWeight') as TrainSettings['classWeight'],
      standardize: this.checked('standardize'),
      missing: this.value('missing') as TrainSettings['missing'],
      testSize: num('testSize', 'test fraction', d.testSize),
      valSize: num('valSize', 'validation fraction', d.valSize),
      seed: num('seed', 'seed', d.seed),
      maxIter: num('maxIter', 'max iterations', d.maxIter),
      tol: num('tol', 'tolerance', d.tol),
      earlyStopping: this.checked('earlyStopping'),
      patience: num('patience', 'patience', d.patience),
      positiveClass: this.value('positiveClass') || undefined,
      maxPoints: num('maxPoints', 'points to plot', d.maxPoints),
      stream: this.checked('stream'),
      epochs: num('epochs', 'epochs', d.epochs ?? DEFAULT_SETTINGS.epochs),
    };
    if (settings.lambda === undefined) delete settings.lambda;
    if (settings.learningRate === undefined) delete settings.learningRate;
    if (settings.positiveClass === undefined) delete settings.positiveClass;
    const expansion = this.expansion.read();
    problems.push(...expansion.problems);
    if (expansion.spec) settings.expansion = expansion.spec;
    else delete settings.expansion;
    if (this.checked('oversample')) settings.oversample = true;
    else delete settings.oversample;
    if (this.checked('perceptron')) settings.perceptron = true;
    else delete settings.perceptron;
    if (problems.length === 0) problems.push(...validateSettings(settings));
    return { settings, problems };
  }

  private submit(): void {
    const { settings, problems } = this.read();
    replace(this.problems, ...(problems.length ? [el('ul', null, ...problems.map((p) => el('li', null, p)))] : []));
    if (problems.length === 0) this.o.onTrain(settings);
  }

  /** "Use this C" (Model selection tab): C and the penalty into the form, λ cleared, then Train as if pressed. */
  applyC(C: number, penalty: TrainSettings['penalty']): void {
    (this.controls.get('C') as HTMLElement & { value: string }).value = String(C);
    (this.controls.get('lambda') as HTMLElement & { value: string }).value = '';
    (this.controls.get('penalty') as HTMLElement & { value: string }).value = penalty;
    this.syncVisibility();
    this.submit();
  }

  setTraining(training: boolean): void {
    this.trainButton.toggleAttribute('disabled', training);
    this.cancelButton.hidden = !training;
  }
}
