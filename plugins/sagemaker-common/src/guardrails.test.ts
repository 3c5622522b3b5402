import { alarmsNamedIn, describeGuardrails } from './guardrails';

describe('describeGuardrails', () => {
  it('says what an update does without guardrails', () => {
    expect(describeGuardrails(undefined)).toBe(
      'An update switches all traffic at once, with no baking period and no automatic rollback.',
    );
  });

  it('names the canary, the bake and the alarms', () => {
    expect(
      describeGuardrails({
        blueGreen: {
          trafficRouting: 'CANARY',
          canarySize: { type: 'CAPACITY_PERCENT', value: 10 },
          waitIntervalSeconds: 300,
        },
        autoRollbackAlarms: ['fraud-5xx', 'fraud-latency'],
      }),
    ).toBe(
      'An update is blue/green: a canary of 10% of traffic bakes for 5 min, then the rest shifts and bakes for 5 min; it rolls back if CloudWatch alarm fraud-5xx, fraud-latency goes into ALARM.',
    );
  });

  it('describes linear steps and rolling batches', () => {
    expect(
      describeGuardrails({
        blueGreen: {
          trafficRouting: 'LINEAR',
          linearStepSize: { type: 'INSTANCE_COUNT', value: 1 },
          waitIntervalSeconds: 30,
        },
        autoRollbackAlarms: [],
      }),
    ).toBe(
      'An update is blue/green: traffic shifts in steps of 1 instance, each baking for 30 s; no alarm rolls it back.',
    );
    expect(
      describeGuardrails({
        rollingUpdate: {
          maximumBatchSize: { type: 'CAPACITY_PERCENT', value: 25 },
          waitIntervalSeconds: 0,
        },
        autoRollbackAlarms: ['a'],
      }),
    ).toMatch(/^An update is rolling: batches of 25%, each baking for 0 s; /);
  });
});

describe('alarmsNamedIn', () => {
  const guardrails = {
    blueGreen: {
      trafficRouting: 'ALL_AT_ONCE' as const,
      waitIntervalSeconds: 60,
    },
    autoRollbackAlarms: ['fraud-5xx', 'fraud-latency'],
  };

  it("finds the configured alarms in SageMaker's rollback message", () => {
    expect(
      alarmsNamedIn(
        guardrails,
        'Rolled back because CloudWatch alarm(s) [fraud-latency] went into ALARM state',
      ),
    ).toEqual(['fraud-latency']);
  });

  it('finds none without guardrails, message or a match', () => {
    expect(alarmsNamedIn(undefined, 'fraud-5xx')).toEqual([]);
    expect(alarmsNamedIn(guardrails, undefined)).toEqual([]);
    expect(alarmsNamedIn(guardrails, 'health check failed')).toEqual([]);
  });
});
