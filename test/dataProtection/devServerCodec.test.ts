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
  };
  expect(devServerArgs(options)).toEqual(expect.arrayContaining(['--ui-codec-endpoint', endpoint]));
  expect(devServerArgs({ ...options, headless: true })).not.toContain('--ui-codec-endpoint');
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
