import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../functions/engine/ports.ts';
import { createProgress } from '../../../functions/cli/progress.ts';

function sink(isTTY: boolean) {
  const out = { text: '', isTTY, write(chunk: string) { this.text += chunk; return true; } };
  return { out, progress: createProgress(out) };
}

function plainLines(events: ProgressEvent[]): string[] {
  const { out, progress } = sink(false);
  for (const event of events) progress.emit(event);
  return out.text.split('\n').filter(Boolean);
}

describe('createProgress', () => {
  it('writes plain lines when not a terminal, skipping the steps every cluster goes through', () => {
    const { out, progress } = sink(false);
    progress.emit({ cluster: 'prod-1', phase: 'connecting' });
    progress.emit({ cluster: 'prod-1', phase: 'applying', message: 'update Config/cluster', wave: 'canary' });
    progress.emit({ cluster: 'prod-1', phase: 'healthy' });
    expect(out.text.split('\n').filter(Boolean)).toEqual(['  [canary]  prod-1           applying     update Config/cluster', '  prod-1           healthy']);
    expect(out.text).not.toContain('\u001b[');
  });

  it('redraws one line per cluster in place on a terminal', () => {
    const { out, progress } = sink(true);
    progress.emit({ cluster: 'a', phase: 'dry-run' });
    progress.emit({ cluster: 'b', phase: 'waiting' });
    progress.emit({ cluster: 'a', phase: 'failed', message: 'Degraded' });
    const last = out.text.slice(out.text.lastIndexOf('\u001b[2A'));
    expect(last).toContain('\u001b[2A');
    expect(last.split('\n').filter(Boolean)).toHaveLength(2);
    expect(last).toMatch(/a +\u001b\[31mfailed/);
    expect(last).toMatch(/b +waiting/);
  });
});

describe('createProgress plain lines', () => {
  it.each([
    {
      name: 'plan outcomes say planned / in-sync, not the health-gate word',
      events: [{ cluster: 'prod-eu-1', phase: 'planned', message: '1 to add, 3 to change, 0 to prune' }, { cluster: 'prod-us-1', phase: 'in-sync' }] as ProgressEvent[],
      lines: ['  prod-eu-1        planned      1 to add, 3 to change, 0 to prune', '  prod-us-1        in-sync'],
    },
    {
      name: 'drift outcomes say the drift state',
      events: [{ cluster: 'aws-canary-1', phase: 'drifted', message: '1 field' }, { cluster: 'edge-1', phase: 'unreachable', message: 'cluster edge-1: connect ECONNREFUSED' }] as ProgressEvent[],
      lines: ['  aws-canary-1     drifted      1 field', '  edge-1           unreachable  cluster edge-1: connect ECONNREFUSED'],
    },
    {
      name: 'a health-gate poll repeating the same operator message prints once',
      events: [
        { cluster: 'prod-eu-1', phase: 'progressing', message: 'Available=False NoReplicasAvailable', wave: 'prod' },
        { cluster: 'prod-eu-1', phase: 'progressing', message: 'Available=False NoReplicasAvailable', wave: 'prod' },
        { cluster: 'prod-eu-1', phase: 'healthy', wave: 'prod' },
      ] as ProgressEvent[],
      lines: ['  [prod]    prod-eu-1        progressing  Available=False NoReplicasAvailable', '  [prod]    prod-eu-1        healthy'],
    },
    {
      name: 'cluster names line up across waves of different name lengths',
      events: [{ cluster: 'a', phase: 'dry-run', wave: 'canary' }, { cluster: 'b', phase: 'dry-run', wave: 'main' }] as ProgressEvent[],
      lines: ['  [canary]  a                dry-run', '  [main]    b                dry-run'],
    },
    {
      name: 'the longest phase word keeps a space before its message',
      events: [{ cluster: 'lab-bm-1', phase: 'provisioning', message: 'bucket b (us-east-1)' }] as ProgressEvent[],
      lines: ['  lab-bm-1         provisioning bucket b (us-east-1)'],
    },
  ])('$name', ({ events, lines }) => {
    expect(plainLines(events)).toEqual(lines);
  });

  it('prints the same line again for another cluster, and after done() for the next command', () => {
    const { out, progress } = sink(false);
    progress.emit({ cluster: 'a', phase: 'in-sync' });
    progress.emit({ cluster: 'b', phase: 'in-sync' });
    progress.done();
    progress.emit({ cluster: 'a', phase: 'in-sync' });
    expect(out.text.split('\n').filter(Boolean)).toEqual(['  a                in-sync', '  b                in-sync', '  a                in-sync']);
  });

  it('never ends a line with spaces', () => {
    const lines = plainLines([{ cluster: 'a', phase: 'healthy' }, { cluster: 'b', phase: 'dry-run', wave: 'w' }, { cluster: 'c', phase: 'failed', message: 'x' }]);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });
});

describe('createProgress on a terminal with a big fleet', () => {
  it('stops redrawing past 30 clusters and prints only outcomes, one line each', () => {
    const { out, progress } = sink(true);
    for (let i = 0; i < 40; i += 1) progress.emit({ cluster: `c${i}`, phase: 'planning' });
    const drawnText = out.text;
    progress.emit({ cluster: 'c35', phase: 'applying' });
    progress.emit({ cluster: 'c35', phase: 'healthy' });
    progress.emit({ cluster: 'c36', phase: 'drifted', message: '2 fields' });
    const after = out.text.slice(drawnText.length);
    expect(after).not.toContain('\u001b[2K');
    expect(after.split('\n').filter(Boolean)).toHaveLength(2);
    expect(after).toMatch(/c35 +\u001b\[32mhealthy/);
    expect(after).toMatch(/c36 +\u001b\[33mdrifted/);
  });
});

describe('createProgress line width', () => {
  it('keeps redrawn lines inside the terminal width so the cursor math holds', () => {
    const out = { text: '', isTTY: true, columns: 50, write(chunk: string) { this.text += chunk; return true; } };
    const progress = createProgress(out);
    progress.emit({ cluster: 'prod-eu-1', phase: 'progressing', message: 'Progressing=True DeploymentNotCompleted: The deployment has not completed\nNodeCADaemonProgressing: deployed' });
    const visible = out.text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split('\n').filter(Boolean);
    expect(visible).toHaveLength(1);
    expect(visible[0]?.length).toBeLessThan(50);
    expect(visible[0]).toMatch(/^ {2}prod-eu-1 +progressing +Progressing=True/);
  });
});
