/** The workflows this worker runs (bundled for Temporal's deterministic sandbox). */
export { journeyWorkflow } from './journey.workflow';
