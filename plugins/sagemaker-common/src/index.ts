/**
 * Types, annotation helpers and constants shared by the SageMaker frontend
 * and backend plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './guardrails';
export * from './historyChain';
export * from './historyCsv';
export * from './historyExport';
export * from './historyFields';
export * from './metrics';
export * from './permissions';
export * from './readiness';
export * from './schemas';
export * from './types';
