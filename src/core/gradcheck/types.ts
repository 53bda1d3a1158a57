/** Public types of the gradient checker, shared by the CLI, the editor integration and the webview. */

export interface GradcheckOptions {
  /** Random perturbations of the parameters checked besides the given point (default 3). */
  points?: number;
  /** Seed of randn/rand in the block and of the perturbations (default 0). */
  seed?: number;
  /** A parameter passes when every relative error is below this (default 1e-6). */
  tolerance?: number;
  /** Five-point (Richardson) differences instead of central ones. */
  fivePoint?: boolean;
  /** Time limit per block, in milliseconds (default 2000). */
  timeLimitMs?: number;
  /** Largest number of elements of any value (default 1e6). */
  maxElements?: number;
  /** Largest number of elements held by all live variables of an Octave block together (default 2e7). */
  maxLiveElements?: number;
  /**
   * Finds `name.m` for an Octave block, as Octave's path does (the document's folder). The core does
   * no I/O: the CLI and the editor provide this. Returns undefined when there is no such file.
   */
  resolve?: (name: string) => { source: string; fileName: string } | undefined;
  /** Relative-error bands: below `good` is good, above `wrong` is wrong, between is suspicious (1e-7, 1e-4). */
  bands?: { good: number; wrong: number };
}

export interface SourceBlock {
  /** 1-based line of the first line of block content in the document. */
  line: number;
  source: string;
  language: 'markdown' | 'latex' | 'plain';
}

export type Band = 'good' | 'suspicious' | 'wrong';

export interface ComponentRow {
  /** "3" for a vector entry, "2,1" for a matrix entry (1-based). */
  index: string;
  /** The component as the diagnosis names it: theta(2), W(3,1) (Octave), w[2] (block), W[2, 0] (NumPy); the parameter alone when scalar. */
  name: string;
  analytic: number;
  numeric: number;
  relError: number;
  band: Band;
}

export type DiagnosisKind = 'none' | 'sign' | 'scale' | 'transpose' | 'shape' | 'components' | 'other';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** For 'scale': the number the analytic gradient (or the named term) must be multiplied by to match. */
  factor?: number;
  /** For 'components': the wrong part, e.g. ["b"], ["W[3,:]"], ["w[2]"]. */
  components?: string[];
  /** One plain sentence. */
  message: string;
}

export interface ParamReport {
  name: string;
  verdict: 'pass' | 'fail' | 'error';
  /** Largest relative error over all points; Infinity when the shapes cannot be compared. */
  maxRelError: number;
  shapeAnalytic: [number, number];
  shapeExpected: [number, number];
  diagnosis: Diagnosis;
  /** Per component at the given point. */
  components: ComponentRow[];
  /** Document line of the grad (or hess) definition (of the check_gradient call in an Octave block). */
  line: number;
  /** Octave blocks: the function checked, e.g. "costFunctionReg". */
  what?: string;
  /** When the check failed: the parameter values (column-major) of the check point the components are shown at. */
  point?: number[];
}

export interface CheckReport {
  line: number;
  source: string;
  holds: boolean;
  maxError: number;
  message?: string;
}

export interface BlockReport {
  line: number;
  verdict: 'pass' | 'fail' | 'error';
  params: ParamReport[];
  hessian?: ParamReport[];
  checks: CheckReport[];
  /** The first error; `file` names the NAME.m file it is in when it is not in the block (then line and column are that file's). */
  error?: { line: number; column: number; message: string; file?: string };
  tex: { loss?: string; grads: Record<string, string>; hess?: string };
}
