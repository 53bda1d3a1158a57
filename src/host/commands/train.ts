import { ModelPanel, type PanelServices, type TrainSummary } from '../modelPanel';
import { resolveDataFile } from './resolveDataFile';

/**
 * `logitLab.train`: opens (or reveals) the model panel for the file and trains with the
 * `logitLab.*` defaults. Resolves with the run's summary once it finished, failed or was cancelled.
 */
export async function trainCommand(services: PanelServices, arg?: unknown): Promise<TrainSummary | undefined> {
  const fileUri = await resolveDataFile(arg);
  if (!fileUri) return undefined;
  const panel = ModelPanel.createOrShow(services, fileUri, true);
  return panel.train();
}
