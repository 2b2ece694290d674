/** The floor's workflows, bundled on their own (bundleWorkflowCode) for the floor's worker. */
export { floorWorkflow } from './floorWorkflow';
