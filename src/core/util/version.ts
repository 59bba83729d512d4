/** DriftCatcher's version (package.json; bundled into dist/ by esbuild), or 0.0.0 where package.json is not beside the code. */
export function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
