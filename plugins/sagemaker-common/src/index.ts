/**
 * Types, annotation helpers and constants shared by the SageMaker frontend
 * and backend plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './evidenceGates';
export * from './guardrails';
export * from './historyChain';
export * from './historyCsv';
export * from './historyExport';
export * from './historyFields';
export * from './lifecycle';
export * from './metrics';
export * from './modelCard';
export * from './modelReports';
export * from './permissions';
export * from './readiness';
export * from './registration';
export * from './schemas';
export * from './signals';
export * from './types';
