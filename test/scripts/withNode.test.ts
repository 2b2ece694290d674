import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Issue 11 point 7: the project runs on a Node.js LTS in support (24), whatever the machine's own
 * `node` is: scripts/with-node.mjs puts the one scripts/setup-node.mjs brought first on PATH.
 * These run the wrapper with the machine's own `node` (the one npm scripts start), as npm does.
 */
const root = path.resolve(__dirname, '..', '..');
const withNode = path.join(root, 'scripts', 'with-node.mjs');
const run = (args: string[]) =>
  spawnSync('node', [withNode, ...args], { cwd: root, encoding: 'utf8', env: process.env });

describe('with-node: every command on the project’s Node.js', () => {
  it('the command, and every node it starts, is Node.js 24 or later', () => {
    const direct = run(['node', '-p', 'process.versions.node']);
    expect(direct.status).toBe(0);
    expect(Number(direct.stdout.trim().split('.')[0])).toBeGreaterThanOrEqual(24);
    // A grandchild started by name (as npm, npx and jest start theirs) gets the same one.
    const nested = run([
      'node',
      '-e',
      "process.stdout.write(require('child_process').execSync('node -p process.version').toString())",
    ]);
    expect(nested.stdout.trim()).toMatch(/^v(2[4-9]|[3-9]\d)\./);
  });

  it('passes the exit code on, and says when a command does not exist', () => {
    expect(run(['node', '-e', 'process.exit(3)']).status).toBe(3);
    const missing = run(['no-such-command-here']);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toContain('no-such-command-here');
  });

  it('passes SIGINT on: the command stops as Ctrl-C would stop it, and so does the wrapper', async () => {
    const child = spawn(
      'node',
      [
        withNode,
        'node',
        '-e',
        "process.on('SIGINT', () => { console.log('stopping'); process.exit(0) }); console.log('up'); setInterval(() => {}, 1000)",
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('up') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('stopping');
  });
});
