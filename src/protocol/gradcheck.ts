/**
 * Messages between the gradient checker's webview and the extension host. Webview-to-host messages
 * are imperatives; host-to-webview messages are past-tense notifications. Host and webview ship
 * together, so the wire format carries no version (the webview's saved UI state does: { v: 1, source }).
 *
 * The TeX preview is computed in the webview (the engine's toTex is pure), so typing needs no round trip.
 */
import type { BlockReport } from '../core/gradcheck/types';

/** One ready-made example from the engine's gallery. */
export interface GalleryItem {
  id: string;
  title: string;
  description: string;
  source: string;
}

export type GradcheckWebviewToHost =
  /** The webview has loaded and listens; the host answers with `didInitialize`. */
  | { type: 'ready' }
  /** Check this block source (the text of the panel's editor). */
  | { type: 'runCheck'; source: string };

export type GradcheckHostToWebview =
  /**
   * Sent after `ready` (a complete snapshot: a hidden panel misses messages). `source` is a block a
   * command asked to show that the webview has not received yet, or null (the webview then keeps its
   * saved source, or starts empty). `report` is the last check, of `checkedSource`. `gallery` is the
   * engine's list of examples.
   */
  | { type: 'didInitialize'; source: string | null; report: BlockReport | null; checkedSource: string | null; gallery: GalleryItem[]; origin?: string }
  /**
   * The result of a check: of `runCheck`, or of the "Check gradient" command on a document block.
   * `origin` marks a Python check ("homework.py, line 25"): its source is Python, so the webview
   * keeps its editor and shows the report with where it comes from.
   */
  | { type: 'didCheck'; source: string; report: BlockReport; origin?: string }
  /** The check could not run at all (the engine failed to load or threw unexpectedly). */
  | { type: 'didFail'; message: string; line: number; column: number };
