/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`, or node:inspector's Profiler.stop) for the benches:
 * self time per function (samples landing in it, not in what it calls), and per area (regops' own
 * functions/, @kubernetes/client-node, node-fetch and the other libraries, node's own JavaScript, and
 * V8's pseudo-frames: (garbage collector), (program) = native code outside JavaScript such as
 * OpenSSL's handshake work, (idle) = waiting on I/O). Used by cli.bench.ts and drift.bench.ts (issue 12).
 * Run on a file: npx tsx test/bench/profile-summary.ts FILE.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  frame: string;
  area: string;
  ms: number;
}

/** Where a frame's code lives, from its script URL (bundled CLI chunks keep no package paths: 'bundle'). */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return modules[1] as string;
  if (url.includes('/functions/')) return 'regops functions/';
  if (url.includes('/dist/cli/')) return 'bundled CLI (regops and libraries)';
  return 'other';
}

/** Self time (ms) by frame and by area, largest first. */
export function summarizeProfile(profile: CpuProfile): { totalMs: number; frames: FrameTime[]; areas: FrameTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const frames = new Map<string, FrameTime>();
  const areas = new Map<string, FrameTime>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const area = areaOf(url, functionName);
    const file = url === '' ? '' : ` ${url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/(functions|dist)\//, '$1/')}:${lineNumber + 1}`;
    const frame = `${functionName === '' ? '(anonymous)' : functionName}${file}`;
    const entry = frames.get(frame) ?? { frame, area, ms: 0 };
    entry.ms += us / 1000;
    frames.set(frame, entry);
    const total = areas.get(area) ?? { frame: area, area, ms: 0 };
    total.ms += us / 1000;
    areas.set(area, total);
  }
  const sorted = (m: Map<string, FrameTime>): FrameTime[] => [...m.values()].sort((a, b) => b.ms - a.ms);
  return { totalMs: (profile.endTime - profile.startTime) / 1000, frames: sorted(frames), areas: sorted(areas) };
}

/** The summary as indented lines: areas, then the top `top` frames by self time. */
export function formatProfileSummary(profile: CpuProfile, top = 20, indent = '    '): string {
  const { totalMs, frames, areas } = summarizeProfile(profile);
  const pct = (ms: number): string => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  const lines = [`${indent}profile ${totalMs.toFixed(0)} ms; self time by area:`];
  for (const a of areas) lines.push(`${indent}  ${a.ms.toFixed(0).padStart(6)} ms ${pct(a.ms)}  ${a.frame}`);
  lines.push(`${indent}top ${top} frames by self time:`);
  for (const f of frames.slice(0, top)) lines.push(`${indent}  ${f.ms.toFixed(0).padStart(6)} ms ${pct(f.ms)}  ${f.frame}  [${f.area}]`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top = '25'] = process.argv.slice(2);
  if (file === undefined) throw new Error('profile-summary: give a .cpuprofile file');
  console.log(formatProfileSummary(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top), ''));
}
