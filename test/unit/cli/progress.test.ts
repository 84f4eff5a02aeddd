import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../functions/cli/progress.ts';

function sink(isTTY: boolean) {
  const out = { text: '', isTTY, write(chunk: string) { this.text += chunk; return true; } };
  return { out, progress: createProgress(out) };
}

describe('createProgress', () => {
  it('writes plain lines when not a terminal, skipping the steps every cluster goes through', () => {
    const { out, progress } = sink(false);
    progress.emit({ cluster: 'prod-1', phase: 'connecting' });
    progress.emit({ cluster: 'prod-1', phase: 'applying', message: 'update Config/cluster', wave: 'canary' });
    progress.emit({ cluster: 'prod-1', phase: 'healthy' });
    expect(out.text.split('\n').filter(Boolean)).toEqual(['  [canary] prod-1           applying    update Config/cluster', '  prod-1           healthy    ']);
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

describe('createProgress on a terminal with a big fleet', () => {
  it('stops redrawing past 30 clusters and prints only outcomes, one line each', () => {
    const { out, progress } = sink(true);
    for (let i = 0; i < 40; i += 1) progress.emit({ cluster: `c${i}`, phase: 'planning' });
    const drawnText = out.text;
    progress.emit({ cluster: 'c35', phase: 'applying' });
    progress.emit({ cluster: 'c35', phase: 'healthy' });
    const after = out.text.slice(drawnText.length);
    expect(after).not.toContain('\u001b[2K');
    expect(after.split('\n').filter(Boolean)).toHaveLength(1);
    expect(after).toMatch(/c35 +\u001b\[32mhealthy/);
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
    expect(visible[0]).toMatch(/^ {2}prod-eu-1 +progressing Progressing=True/);
  });
});
