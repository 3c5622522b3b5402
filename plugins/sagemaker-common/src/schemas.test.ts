import { historyPageQuerySchema } from './schemas';

describe('history filters', () => {
  it('take words as people type them', () => {
    expect(
      historyPageQuerySchema.parse({
        action: 'Deploy',
        outcome: ' Succeeded',
        target: 'Staging',
        entity: 'fraud-detection',
        actor: 'guest ',
        source: 'Agent',
      }),
    ).toMatchObject({
      action: 'deploy',
      outcome: 'succeeded',
      target: 'staging',
      entity: 'fraud-detection',
      actor: 'guest',
      source: 'agent',
    });
  });

  it('refuse what is neither an entity name nor a ref, naming the field', () => {
    const result = historyPageQuerySchema.safeParse({
      entity: 'fraud detection!',
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result)).toContain(
      'must be an entity name or ref, like fraud-detection or component:default/fraud-detection',
    );
    expect(historyPageQuerySchema.safeParse({ action: 'Launch' }).success).toBe(
      false,
    );
    expect(historyPageQuerySchema.safeParse({ source: 'mcp' }).success).toBe(
      false,
    );
  });
});
