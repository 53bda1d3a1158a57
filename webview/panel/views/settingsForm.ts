/**
 * The training settings form (vscode-elements controls). Defaults come from the host (the last
 * settings used, or DEFAULT_SETTINGS) and the preview's guessed target, so one click on Train works.
 * The form is built once per data preview and kept while runs come and go, so edits survive.
 */
import { expansionFields, type ExpansionFields } from './expansionFields';
import type { ColumnInfo } from '../../../src/core/data/dataset';
import type { DataPreview } from '../../../src/core/data/preview';
import { DEFAULT_SETTINGS, validateSettings, type ModelKind, type TrainSettings } from '../../../src/core/run/settings';
import { el, replace } from '../dom';
import { button, checkbox, collapsible, label, multiSelect, options, singleSelect, textField, type MultiSelect, type SingleSelect } from '../elements';
import { t } from '../../l10n';

type Option = readonly [value: string, label: string];

/** The options of the form's selects, localized when the form is built. */
function optionLists() {
  return {
    kinds: [
      ['auto', t('Auto (from the target)')],
      ['binary', t('Binary logistic (sigmoid)')],
      ['multinomial', t('Multinomial (softmax)')],
      ['ovr', t('One-vs-rest logistic')],
      ['multilabel', t('Multilabel (several 0/1 targets)')],
    ],
    solvers: [
      ['auto', t('Automatic (by the data\'s shape)')],
      ['lbfgs', t('L-BFGS (OWL-QN for L1)')],
      ['newton', t('Newton (L2 or none)')],
      ['newton-cholesky', t('Newton-Cholesky (L2 or none; rows ≫ features)')],
      ['gd', t('Gradient descent (full batch)')],
      ['minibatch', t('Mini-batch gradient descent')],
      ['sgd', t('Stochastic gradient descent')],
    ],
    optimizers: [
      ['adam', 'Adam'],
      ['momentum', t('Momentum')],
      ['sgd', t('Plain steps')],
    ],
    penalties: [
      ['l2', t('L2 (ridge)')],
      ['l1', t('L1 (lasso)')],
      ['elasticnet', t('Elastic net')],
      ['none', t('None')],
    ],
    schedules: [
      ['constant', t('Constant')],
      ['invscaling', t('Inverse scaling')],
      ['exponential', t('Exponential decay')],
    ],
    classWeights: [
      ['none', t('None')],
      ['balanced', t('Balanced (n / (K · n_k))')],
    ],
    missing: [
      ['impute', t('Impute with the training mean')],
      ['drop', t('Drop rows')],
    ],
  } satisfies Record<string, Option[]>;
}
const ITERATIVE = new Set(['gd', 'minibatch', 'sgd']);

export interface SettingsFormOptions {
  preview: DataPreview;
  defaults: TrainSettings;
  onTrain(settings: TrainSettings): void;
  onCancel(): void;
  /** The target column changed (the Data summary's class balance and target badge follow it). */
  onTargetChange?(target: string): void;
}

function select(id: string, pairs: readonly Option[], value: string): HTMLElement {
  return singleSelect(pairs, value, { id });
}

function textfield(id: string, value: string, placeholder = ''): HTMLElement {
  return textField({ id, value, placeholder });
}

function field(text: string, control: HTMLElement, help?: string): HTMLElement {
  const id = control.getAttribute('id') ?? '';
  return el('div', { class: 'll-field', attrs: { 'data-field': id } }, label(id, text), control, help ? el('div', { class: 'll-help' }, help) : null);
}

/** The core's default: a categorical column with more levels is dropped as free text (dataset.ts maxCategories). */
const MAX_CATEGORIES = 50;
const usable = (c: ColumnInfo) => c.kind === 'numeric' || (c.kind === 'categorical' && c.distinct <= MAX_CATEGORIES);
/** Why a column will be ignored as a feature, in the words of the feature list. */
function ignoredReason(c: ColumnInfo): string {
  if (c.kind === 'categorical') return t('ignored: free text ({0} distinct values)', c.distinct);
  if (c.kind === 'id') return t('ignored: identifier-like');
  return t('ignored: {0}', c.kind);
}

/**
 * A target the model cannot learn: more than 50 classes, or fewer than 5 rows per class on average
 * (302 names in 400 rows, a continuous measurement). Null when the target is plausible.
 */
export function nonsenseTarget(c: ColumnInfo, nRows: number): string | null {
  const rows = nRows - c.missing;
  if (c.kind === 'id' || c.distinct > MAX_CATEGORIES || c.distinct * 5 > rows) {
    return t('target “{0}” has {1} distinct values in {2} rows: too many classes to learn (at most {3}, with at least 5 rows each). Choose another target column', c.name, c.distinct, rows, MAX_CATEGORIES);
  }
  if (c.distinct < 2) return t('target “{0}” has a single value: there is nothing to predict', c.name);
  return null;
}

export class SettingsForm {
  readonly element: HTMLElement;
  private readonly p: DataPreview;
  private readonly o: SettingsFormOptions;
  private readonly controls = new Map<string, HTMLElement>();
  private readonly featureBox = el('div', { class: 'll-feature-list', attrs: { role: 'group', 'aria-label': t('Feature columns') } });
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

    this.trainButton = button(t('Train'), { id: 'train', icon: 'play', onClick: () => this.submit() });
    this.cancelButton = button(t('Cancel'), { id: 'cancel', secondary: true, attrs: { hidden: true }, onClick: () => o.onCancel() });
    const lists = optionLists();

    const c = (id: string, node: HTMLElement) => this.control(id, node);
    const targetSelect = c('target', select('target', names.map((n) => [n, n]), this.target[0] ?? ''));
    targetSelect.addEventListener('change', () => {
      this.target = [this.value('target')];
      this.renderFeatures();
      this.renderPositive();
      o.onTargetChange?.(this.target[0]);
    });
    const kind = c('model', select('model', lists.kinds, d.model));
    kind.addEventListener('change', () => this.syncVisibility());
    const solver = c('solver', select('solver', lists.solvers, d.solver));
    solver.addEventListener('change', () => this.syncVisibility());
    const penalty = c('penalty', select('penalty', lists.penalties, d.penalty));
    penalty.addEventListener('change', () => this.syncVisibility());
    const earlyStopping = c('earlyStopping', checkbox({ id: 'earlyStopping', label: t('Stop early when the validation loss stops improving'), checked: d.earlyStopping }));
    earlyStopping.addEventListener('change', () => this.syncVisibility());

    const labels = multiSelect(names.map((n) => [n, n] as const), { id: 'labels' });
    this.controls.set('labels', labels);

    const basic = el(
      'div',
      { class: 'll-form-grid' },
      field(t('Target column'), targetSelect, t('The column to predict.')),
      field(t('Label columns'), labels, t('Multilabel: the 0/1 columns to predict, one model each.')),
      field(t('Model'), kind),
      field(t('Positive class'), c('positiveClass', singleSelect([], '', { id: 'positiveClass' })), t('Binary: the class whose probability the model reports.')),
      field(t('Solver'), solver),
      field(t('Penalty'), penalty),
      field(t('C (inverse strength)'), c('C', textfield('C', String(d.C))), t('Larger C = weaker penalty. scikit-learn’s C.')),
      field(t('λ (optional)'), c('lambda', textfield('lambda', d.lambda !== undefined ? String(d.lambda) : '', t('use C'))), t('If set, C = 1 / (λ · n_train).')),
      field(t('L1 ratio'), c('l1Ratio', textfield('l1Ratio', String(d.l1Ratio))), t('Elastic net mix: 0 = L2, 1 = L1.')),
      field(t('Class weight'), c('classWeight', select('classWeight', lists.classWeights, d.classWeight))),
      field(t('Test fraction'), c('testSize', textfield('testSize', String(d.testSize)))),
      field(t('Validation fraction'), c('valSize', textfield('valSize', String(d.valSize)))),
      field(t('Random seed'), c('seed', textfield('seed', String(d.seed)))),
      field(t('Oversample'), c('oversample', checkbox({ id: 'oversample', label: t('Randomly oversample the training rows to equal classes'), checked: d.oversample === true })), t('Training rows only; validation and test rows stay as sampled.')),
      field(t('Perceptron'), c('perceptron', checkbox({ id: 'perceptron', label: t('Also fit a perceptron on the same split'), checked: d.perceptron === true })), t('scikit-learn’s Perceptron: its accuracy and line beside the logistic model’s.')),
    );
    const advanced = this.advancedFields(d, lists, earlyStopping);

    this.element = el(
      'form',
      { class: 'll-settings', attrs: { 'aria-label': t('Training settings'), novalidate: true }, on: { submit: (e) => (e.preventDefault(), this.submit()) } },
      el('h2', null, t('Settings')),
      basic,
      el('h3', null, t('Features')),
      el(
        'div',
        { class: 'll-row' },
        button(t('All'), { secondary: true, id: 'features-all', ariaLabel: t('Select all features'), onClick: () => this.setAllFeatures(true) }),
        button(t('None'), { secondary: true, id: 'features-none', ariaLabel: t('Select no features'), onClick: () => this.setAllFeatures(false) }),
      ),
      this.featureBox,
      el('vscode-collapsible', { attrs: { title: t('Feature engineering: polynomial, log, bins'), id: 'expansion-group' }, props: { open: !!d.expansion } }, this.expansion.element),
      collapsible(t('Advanced: optimizer, iterations, preprocessing'), advanced),
      this.problems,
      el('div', { class: 'll-actions' }, this.trainButton, this.cancelButton),
    );
    if (d.model === 'multilabel' && target.length) labels.value = target;
    this.renderFeatures();
    this.renderPositive();
    this.syncVisibility();
  }

  /** Registers a control under its id (read back by value() / checked()). */
  private control(id: string, node: HTMLElement): HTMLElement {
    this.controls.set(id, node);
    return node;
  }

  /** The Advanced section: optimizer, iterations, preprocessing, streaming. */
  private advancedFields(d: TrainSettings, lists: ReturnType<typeof optionLists>, earlyStopping: HTMLElement): HTMLElement {
    const c = (id: string, node: HTMLElement) => this.control(id, node);
    return el(
      'div',
      { class: 'll-form-grid' },
      field(t('Optimizer'), c('optimizer', select('optimizer', lists.optimizers, d.optimizer)), t('Step rule of the gradient solvers.')),
      field(t('Learning rate'), c('learningRate', textfield('learningRate', d.learningRate !== undefined ? String(d.learningRate) : '', t('automatic')))),
      field(t('Schedule'), c('schedule', select('schedule', lists.schedules, d.schedule))),
      field(t('Batch size'), c('batchSize', textfield('batchSize', String(d.batchSize)))),
      field(t('Max iterations'), c('maxIter', textfield('maxIter', String(d.maxIter)))),
      field(t('Tolerance'), c('tol', textfield('tol', String(d.tol)))),
      field(t('Early stopping'), earlyStopping),
      field(t('Patience'), c('patience', textfield('patience', String(d.patience))), t('Iterations without validation improvement.')),
      field(t('Standardize'), c('standardize', checkbox({ id: 'standardize', label: t('Scale features to mean 0, sd 1 (training rows)'), checked: d.standardize }))),
      field(t('Missing values'), c('missing', select('missing', lists.missing, d.missing))),
      field(t('Points to plot'), c('maxPoints', textfield('maxPoints', String(d.maxPoints))), t('Size of the stratified sample drawn on the decision boundary.')),
      field(t('Stream from disk'), c('stream', checkbox({ id: 'stream', label: t('Stream from disk (larger than memory)'), checked: d.stream === true })), t('Mini-batch SGD over blocks of the file in bounded memory; binary or multinomial. Types, categories and classes come from the first 4 MB.')),
      field(t('Epochs (streaming)'), c('epochs', textfield('epochs', String(d.epochs ?? DEFAULT_SETTINGS.epochs))), t('Passes over the file when streaming.')),
    );

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
            checkbox({ label: col.name, checked: false, disabled: true, title: col.reason ?? reason, attrs: { 'data-feature': col.name } }),
            el('span', { class: 'll-help' }, reason),
          );
        }
        return checkbox({
          label: col.name,
          checked: this.checkedFeatures.has(col.name),
          attrs: { 'data-feature': col.name },
          onChange: (on) => {
            if (on) this.checkedFeatures.add(col.name);
            else this.checkedFeatures.delete(col.name);
          },
        });
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
    const pairs: Option[] = [['', labels.length === 2 ? t('Default ({0})', labels[1]) : t('Default (second in sorted order)')], ...(labels.length === 2 ? labels.map((l) => [l, l] as const) : [])];
    replace(node, ...options(pairs));
    const wanted = this.o.defaults.positiveClass;
    (node as SingleSelect).value = wanted && labels.includes(wanted) ? wanted : '';
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
      if (!Number.isFinite(v)) problems.push(t('{0} must be a number, got “{1}”', label, raw));
      return v;
    };
    const optional = (id: string, label: string): number | undefined => (this.value(id) === '' ? undefined : num(id, label, NaN));
    const d = this.o.defaults;
    const kind = this.value('model') as ModelKind;
    const labels = ((this.controls.get('labels') as MultiSelect).value ?? []).filter(Boolean);
    const target = kind === 'multilabel' ? labels : this.target;
    if (kind === 'multilabel' && labels.length < 2) problems.push(t('a multilabel model needs at least two label columns'));
    const usableCount = this.p.columns.filter((c) => usable(c) && !target.includes(c.name)).length;
    const targetInfo = kind === 'multilabel' ? undefined : this.p.columns.find((c) => c.name === target[0]);
    const nonsense = targetInfo && !this.p.sample ? nonsenseTarget(targetInfo, this.p.nRows) : null;
    if (nonsense) problems.push(nonsense);
    const features = [...this.checkedFeatures].filter((f) => !target.includes(f));
    if (features.length === 0) problems.push(t('choose at least one feature column'));
    const settings: TrainSettings = {
      ...d,
      target,
      features: features.length === usableCount ? [] : this.p.columns.map((c) => c.name).filter((n) => features.includes(n)),
      model: kind,
      solver: this.value('solver') as TrainSettings['solver'],
      optimizer: this.value('optimizer') as TrainSettings['optimizer'],
      learningRate: optional('learningRate', t('learning rate')),
      schedule: this.value('schedule') as TrainSettings['schedule'],
      batchSize: num('batchSize', t('batch size'), d.batchSize),
      penalty: this.value('penalty') as TrainSettings['penalty'],
      C: num('C', 'C', d.C),
      lambda: optional('lambda', 'λ'),
      l1Ratio: num('l1Ratio', t('L1 ratio'), d.l1Ratio),
      classWeight: this.value('classWeight') as TrainSettings['classWeight'],
      standardize: this.checked('standardize'),
      missing: this.value('missing') as TrainSettings['missing'],
      testSize: num('testSize', t('test fraction'), d.testSize),
      valSize: num('valSize', t('validation fraction'), d.valSize),
      seed: num('seed', t('seed'), d.seed),
      maxIter: num('maxIter', t('max iterations'), d.maxIter),
      tol: num('tol', t('tolerance'), d.tol),
      earlyStopping: this.checked('earlyStopping'),
      patience: num('patience', t('patience'), d.patience),
      positiveClass: this.value('positiveClass') || undefined,
      maxPoints: num('maxPoints', t('points to plot'), d.maxPoints),
      stream: this.checked('stream'),
      epochs: num('epochs', t('epochs'), d.epochs ?? DEFAULT_SETTINGS.epochs),
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
