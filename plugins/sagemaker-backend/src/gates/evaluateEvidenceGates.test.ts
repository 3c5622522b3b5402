import { evaluateEvidenceGates, identityKey } from './evaluateEvidenceGates';

const ALL = {
  metrics: [
    { metric: 'auc', min: 0.9 },
    { metric: 'latency_ms', max: 50 },
  ],
  lifecycleStage: 'PreProduction',
  lifecycleStageStatus: 'Approved',
  approverNotRegistrant: true,
  deployerNotApprover: true,
};

describe('evaluateEvidenceGates', () => {
  it('passes a version that meets every gate, naming what it found', () => {
    const results = evaluateEvidenceGates(ALL, {
      metrics: { auc: 0.93, latency_ms: 20 },
      lifecycle: { stage: 'PreProduction', stageStatus: 'Approved' },
      registrant: 'pipeline (SageMakerPipelineRole)',
      approver: 'user:default/ana',
      deployer: 'user:default/ben',
    });
    expect(results.every(r => r.passed)).toBe(true);
    expect(results.map(r => `${r.rule}: ${r.found}`)).toEqual([
      'auc >= 0.9: auc is 0.93',
      'latency_ms <= 50: latency_ms is 20',
      'lifecycle stage PreProduction (Approved): the version is in PreProduction (Approved)',
      'the approver is not who registered the version: registered by pipeline (SageMakerPipelineRole), approved by user:default/ana',
      'the deployer is not who approved the version: approved by user:default/ana, deployed by user:default/ben',
    ]);
  });

  it('fails each unmet gate with the value found', () => {
    const results = evaluateEvidenceGates(ALL, {
      metrics: { auc: 0.87 },
      lifecycle: { stage: 'PreProduction', stageStatus: 'OnHold' },
      registrant: 'ana@default (BackstageSageMakerAccess)',
      approver: 'user:default/ana',
      deployer: 'user:default/ana',
    });
    expect(results.filter(r => !r.passed).map(r => r.found)).toEqual([
      'auc is 0.87',
      'the version has no latency_ms metric',
      'the version is in PreProduction (OnHold)',
      'registered by ana@default (BackstageSageMakerAccess), approved by user:default/ana',
      'approved by user:default/ana, deployed by user:default/ana',
    ]);
  });

  it('fails separation of duties when the approver is unknown', () => {
    const [gate] = evaluateEvidenceGates(
      { metrics: [], approverNotRegistrant: true, deployerNotApprover: false },
      { metrics: {}, registrant: 'someone' },
    );
    expect(gate).toMatchObject({
      passed: false,
      found: 'registered by someone, approved by unknown',
    });
  });

  it('has nothing to check for a target without gates', () => {
    expect(evaluateEvidenceGates(undefined, { metrics: {} })).toEqual([]);
  });

  it('names one person the same way from a user ref, a session and a profile', () => {
    expect(identityKey('user:default/Ana')).toBe(identityKey('ana@default'));
    expect(identityKey('ana@default (BackstageSageMakerAccess)')).toBe(
      'ana@default',
    );
    expect(identityKey('user:default/ana')).not.toBe(
      identityKey('user:default/ben'),
    );
  });
});
