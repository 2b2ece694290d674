import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devServerArgs, startDevServer, type DevServerHandle } from '../../runtime/devServer';
import { temporalCliPath } from '../../scripts/temporalBinaries';
import { loadConfig } from '../../temporal.config';

/**
 * The embedded dev server's Web UI decodes payloads through the API's codec server (issue 14
 * point 2): `npm start` gives `temporal server start-dev` the endpoint, and the UI tells the
 * browser to use it.
 */

jest.setTimeout(60_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let server: DevServerHandle | undefined;
afterAll(async () => server?.stop());

it('gives the Web UI the codec endpoint, which the UI then hands to the browser', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'care-dev-codec-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const endpoint = 'http://127.0.0.1:3999/codec';
  const options = {
    cliPath: temporalCliPath(loadConfig()),
    port,
    uiPort,
    dbFile: path.join(dir, 'temporal.sqlite'),
    namespace: 'default',
    uiCodecEndpoint: endpoint,
    ui: true,
  };
  expect(devServerArgs(options)).toEqual(expect.arrayContaining(['--ui-codec-endpoint', endpoint]));
  expect(devServerArgs({ ...options, ui: false })).not.toContain('--ui-codec-endpoint');
  server = await startDevServer(options);
  // the UI's own settings, which its pages read to decide where to decode payloads
  let settings: { Codec?: { Endpoint?: string } } | undefined;
  for (let i = 0; i < 40 && !settings; i++) {
    try {
      const answer = await fetch(`${server.uiUrl}/api/v1/settings`);
      if (answer.ok) settings = (await answer.json()) as typeof settings;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  expect(settings?.Codec?.Endpoint).toBe(endpoint);
});

describe('the Web UI (it has no sign-in)', () => {
  const options = {
    cliPath: 'temporal',
    port: 7233,
    uiPort: 8233,
    dbFile: '/tmp/care-journeys-args/temporal.sqlite',
    namespace: 'default',
    uiCodecEndpoint: 'http://127.0.0.1:3000/codec',
  };

  it('is off unless asked for: the dev server is started --headless', () => {
    const args = devServerArgs(options);
    expect(args).toContain('--headless');
    expect(args).not.toContain('--ui-port');
    expect(args).not.toContain('--ui-codec-endpoint');
    // and so is what configuration gives the start command by default
    expect(loadConfig({}).devServer.ui).toBe(false);
    expect(loadConfig({ CARE_TEMPORAL_UI: '1' }).devServer.ui).toBe(true);
    expect(() => loadConfig({ CARE_TEMPORAL_UI: 'yes please' })).toThrow(/CARE_TEMPORAL_UI/);
  });

  it('when asked for (CARE_TEMPORAL_UI=1), listens on 127.0.0.1 only, even with the server on another address', () => {
    const args = devServerArgs({ ...options, ui: true, ip: '0.0.0.0' });
    expect(args).not.toContain('--headless');
    expect(args.slice(args.indexOf('--ui-ip'), args.indexOf('--ui-ip') + 2)).toEqual([
      '--ui-ip',
      '127.0.0.1',
    ]);
  });
});
