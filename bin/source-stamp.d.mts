// Types of bin/source-stamp.mjs for infra/build-cli.ts and the tests.
export interface SourceStamp {
  newestMs: number;
  newestFile: string;
  files: number;
}
export function readSourceStamp(dir: string): SourceStamp;
export function describeStaleBuild(built: SourceStamp | undefined, now: SourceStamp): string | undefined;
