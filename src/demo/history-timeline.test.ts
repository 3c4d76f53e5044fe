import { describe, expect, it } from 'vitest';
import { Timeline } from './history-timeline.ts';

describe('the demo history timeline', () => {
  it('plays in time order, keeps what falls after the end and plays it when the end moves on', async () => {
    const played: string[] = [];
    const timeline = new Timeline(100);
    const at = (t: number, name: string) =>
      timeline.schedule(t, async () => {
        played.push(`${name}@${timeline.now}`);
        // an entry may schedule the next step, before or after the end
        if (name === 'a') timeline.schedule(timeline.now + 30, async () => void played.push('a2'));
      });
    at(50, 'b');
    at(10, 'a');
    at(120, 'late');
    at(50, 'c');
    await timeline.play(() => undefined);
    expect(played).toEqual(['a@10', 'a2', 'b@50', 'c@50']);
    expect(timeline.now).toBe(100);
    timeline.extend(110);
    await timeline.play(() => undefined);
    expect(played).toHaveLength(4);
    timeline.extend(130);
    await timeline.play(() => undefined);
    expect(played.at(-1)).toBe('late@120');
    expect(timeline.end).toBe(130);
  });
});
