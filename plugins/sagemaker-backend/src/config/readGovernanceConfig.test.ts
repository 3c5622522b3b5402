import { ConfigReader } from '@backstage/config';
import { readEvidenceGates, readLifecycleConfig } from './readGovernanceConfig';

const lifecycle = readLifecycleConfig(undefined);
const gates = (value: object) =>
  readEvidenceGates(
    new ConfigReader({ gates: value }),
    'sagemaker.deploymentTargets[1]',
    lifecycle,
  );

describe('readLifecycleConfig', () => {
  it("defaults to SageMaker's staging-construct template", () => {
    expect(lifecycle).toEqual({
      stages: [
        'Proposal',
        'Development',
        'QA',
        'PreProduction',
        'Production',
        'Archived',
      ],
      statuses: [
        'PendingApproval',
        'InProgress',
        'OnHold',
        'Approved',
        'Rejected',
        'Retired',
      ],
    });
  });

  it('refuses a stage SageMaker would refuse, naming the key', () => {
    expect(() =>
      readLifecycleConfig(
        new ConfigReader({ lifecycle: { stages: ['Dev', 'Pre Prod'] } }),
      ),
    ).toThrow(
      "Invalid configuration at 'sagemaker.lifecycle.stages[1]': 'Pre Prod' must be 1-63 letters, digits or dashes (SageMaker's rule)",
    );
    expect(() =>
      readLifecycleConfig(
        new ConfigReader({ lifecycle: { statuses: ['A', 'A'] } }),
      ),
    ).toThrow("'sagemaker.lifecycle.statuses[1]': duplicate 'A'");
  });
});

describe('readEvidenceGates', () => {
  it('reads thresholds, a stage and separation of duties', () => {
    expect(
      gates({
        metrics: [{ metric: 'auc', min: 0.9 }],
        lifecycleStage: 'PreProduction',
        approverNotRegistrant: true,
      }),
    ).toEqual({
      metrics: [{ metric: 'auc', min: 0.9, max: undefined }],
      lifecycleStage: 'PreProduction',
      lifecycleStageStatus: undefined,
      approverNotRegistrant: true,
      deployerNotApprover: false,
    });
    expect(
      readEvidenceGates(new ConfigReader({}), 'target', lifecycle),
    ).toBeUndefined();
  });

  it.each([
    [
      { metrics: [{ metric: 'auc' }] },
      "'sagemaker.deploymentTargets[1].gates.metrics[0]': set min, max or both",
    ],
    [
      { metrics: [{ metric: 'auc', min: 0.9, max: 0.5 }] },
      "'sagemaker.deploymentTargets[1].gates.metrics[0].min': 0.9 is more than max 0.5",
    ],
    [
      { lifecycleStage: 'Prod' },
      "'sagemaker.deploymentTargets[1].gates.lifecycleStage': 'Prod' is not one of sagemaker.lifecycle.stages",
    ],
    [
      { lifecycleStageStatus: 'Approved' },
      "'sagemaker.deploymentTargets[1].gates.lifecycleStageStatus': needs lifecycleStage",
    ],
  ])('refuses %j naming the key', (value, message) => {
    expect(() => gates(value)).toThrow(message);
  });
});
