// --selector read as Kubernetes reads a label selector. Every row's expectation (clusters matched,
// or refused) was produced by the real parser, k8s.io/apimachinery v0.35.4 labels.Parse + Matches,
// on these labels (a throwaway Go program run once; the table pins its answers).
import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../../functions/core/model.ts';
import { formatLabelSelector, LabelSelectorError, matchesLabelRequirements, parseLabelSelector } from '../../../functions/core/parse-label-selector.ts';
import { selectClusters } from '../../../functions/core/select-clusters.ts';

const clusters: Record<string, Record<string, string>> = {
  'prod-us-1': { env: 'prod', platform: 'aws', tier: '3' },
  'prod-eu-1': { env: 'prod', platform: 'aws', 'example.com/team': 'red' },
  'lab-1': { env: 'lab', platform: 'vsphere', tier: 'x' },
  'bm-1': { env: '', platform: 'baremetal', tier: '10' },
  bare: {},
};

function matching(selector: string): string[] {
  const requirements = parseLabelSelector(selector);
  return Object.entries(clusters).filter(([, labels]) => matchesLabelRequirements(labels, requirements)).map(([name]) => name).sort();
}

describe('parseLabelSelector + matchesLabelRequirements (Kubernetes semantics)', () => {
  it.each([
    ['', ['bare', 'bm-1', 'lab-1', 'prod-eu-1', 'prod-us-1']],
    ['env=prod', ['prod-eu-1', 'prod-us-1']],
    ['env==prod', ['prod-eu-1', 'prod-us-1']],
    ['env = prod', ['prod-eu-1', 'prod-us-1']],
    // != and notin also match clusters without the label (regops used to match nothing)
    ['env!=prod', ['bare', 'bm-1', 'lab-1']],
    ['env in (prod,lab)', ['lab-1', 'prod-eu-1', 'prod-us-1']],
    ['env notin (prod, lab)', ['bare', 'bm-1']],
    ['env', ['bm-1', 'lab-1', 'prod-eu-1', 'prod-us-1']],
    ['!env', ['bare']],
    ['platform=aws,env!=lab', ['prod-eu-1', 'prod-us-1']],
    // conflicting values: both must hold, so nothing (regops used to keep the last)
    ['env=prod,env=lab', []],
    ['env=', ['bm-1']],
    ['env in ()', ['bm-1']],
    ['tier>2', ['bm-1', 'prod-us-1']],
    ['tier<5', ['prod-us-1']],
    ['example.com/team=red', ['prod-eu-1']],
    ['example.com/team', ['prod-eu-1']],
    ['!example.com/team,platform', ['bm-1', 'lab-1', 'prod-us-1']],
    ['env in (prod)', ['prod-eu-1', 'prod-us-1']],
    ['platform notin (aws),!tier', ['bare']],
    // a valid key no cluster carries; must not meet Object.prototype.constructor
    ['constructor', []],
  ])('%j selects %j', (selector, expected) => {
    expect(matching(selector)).toEqual(expected);
  });

  it.each([
    ['__proto__=x', 'is not a label key'],
    ['env=prod,', 'expected a label key, found the end'],
    [',env=prod', 'expected a label key, found ","'],
    ['env=pr od', 'expected ",", found "od"'],
    ['env=a=b', 'expected ",", found "="'],
    ['env in prod', 'expected "(" after in, found "prod"'],
    ['env in (prod', 'expected "," or ")" in the value list, found the end'],
    ['env notin (a b)', 'expected "," or ")" in the value list, found "b"'],
    ['=prod', 'expected a label key, found "="'],
    ['!', 'expected a label key after "!", found the end'],
    ['env!', 'expected an operator after "env"'],
    ['tier>x', 'expected an integer after ">", found "x"'],
    ['tier>', 'expected an integer after ">", found the end'],
    ['-env=prod', '"-env" is not a label key'],
    ['env=-prod', '"-prod" is not a label value for env'],
    ['Example.com/team=red', '"Example.com/team" is not a label key'],
    ['a/b/c=d', '"a/b/c" is not a label key'],
    ['env=prod x', 'expected ",", found "x"'],
    ['env >< 2', 'expected an integer after ">", found "<"'],
    ['env in (prod),(', 'expected a label key, found "("'],
    [`x=${'y'.repeat(64)}`, 'is not a label value for x'],
  ])('refuses %j (Kubernetes does too): %s', (selector, message) => {
    let thrown: unknown;
    try {
      parseLabelSelector(selector);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LabelSelectorError);
    expect(thrown).toMatchObject({ code: 'select.bad-selector', context: { selector } });
    expect((thrown as Error).message).toContain(`--selector ${selector}: `);
    expect((thrown as Error).message).toContain(message);
  });

  it('writes requirements back as a selector for messages', () => {
    expect(formatLabelSelector(parseLabelSelector('env==prod, tier notin (b,a), !x, y, n>3'))).toBe('env=prod,tier notin (a,b),!x,y,n>3');
  });

  it('selectClusters applies parsed requirements together with names and matchLabels', () => {
    const fleet: Fleet = {
      apiVersion: 'regops/v1', kind: 'Fleet', groups: [], waves: [], policies: [], defaultPolicy: 'inform',
      clusters: Object.entries(clusters).map(([name, labels]) => ({ name, labels, connection: {} })),
    };
    const pick = (names: string[], selector: string): string[] => selectClusters(fleet, { names, selector: {}, requirements: parseLabelSelector(selector) }).map((c) => c.name);
    expect(pick([], 'env!=prod')).toEqual(['bare', 'bm-1', 'lab-1']);
    expect(pick(['bare', 'prod-us-1'], 'env!=prod')).toEqual(['bare']);
  });
});
