import { sessionNameFor } from './sessionName';

describe('sessionNameFor', () => {
  it('names the user and namespace', () => {
    expect(sessionNameFor('user:default/guest')).toBe('guest@default');
    expect(sessionNameFor('user:ml/ana.moreau')).toBe('ana.moreau@ml');
  });

  it('keeps only characters STS accepts', () => {
    expect(sessionNameFor('user:default/ana moreau#1')).toBe(
      'ana-moreau-1@default',
    );
  });

  it('cuts long names to 64 characters, keeping them distinct', () => {
    const a = sessionNameFor(`user:default/${'a'.repeat(80)}x`);
    const b = sessionNameFor(`user:default/${'a'.repeat(80)}y`);
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
