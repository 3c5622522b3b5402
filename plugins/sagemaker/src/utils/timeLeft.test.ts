import { timeLeft } from './timeLeft';

const END = '2026-11-30T14:05:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('timeLeft', () => {
  it('counts minutes and seconds down to the end', () => {
    expect(timeLeft(END, at('2026-11-30T14:00:30.000Z'))).toBe(
      '4 min 30 s left',
    );
    expect(timeLeft(END, at('2026-11-30T14:01:00.000Z'))).toBe('4 min left');
    expect(timeLeft(END, at('2026-11-30T14:04:48.000Z'))).toBe('12 s left');
  });

  it('rounds a part second up, so it never reads 0 s left early', () => {
    expect(timeLeft(END, at('2026-11-30T14:04:59.400Z'))).toBe('1 s left');
  });

  it('says ending once the end is due or passed, or unreadable', () => {
    expect(timeLeft(END, at(END))).toBe('ending');
    expect(timeLeft(END, at('2026-11-30T14:06:00.000Z'))).toBe('ending');
    expect(timeLeft('not a date', at(END))).toBe('ending');
  });
});
