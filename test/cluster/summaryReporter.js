// The cluster suite's closing summary: the server tested, how long its build took (or that it was
// reused), each check passed or failed with its time, what each check measured (from the results
// file the tests write, test/cluster/results.ts), and the whole run's time.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: Jest loads this file with require() */
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const resultsFile = () =>
  process.env.CARE_CLUSTER_RESULTS ?? path.resolve(__dirname, '..', '..', '.data', 'cluster', 'latest.json');

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

class ClusterSummaryReporter {
  onRunComplete(contexts, aggregated) {
    // a fault here must not stop Jest before its global teardown (PostgreSQL would be left running)
    try {
      this.summarise(aggregated);
    } catch (err) {
      process.stdout.write(`\ncluster summary: could not be printed: ${err.message}\n`);
    }
  }

  summarise(aggregated) {
    const results = existsSync(resultsFile()) ? JSON.parse(readFileSync(resultsFile(), 'utf8')) : undefined;
    const lines = ['', 'Cluster suite summary'];
    if (results?.server) {
      const s = results.server;
      lines.push(
        `Temporal server ${s.reportedVersion ?? s.version} (go.temporal.io/server v${s.version}, ${s.go}), ` +
          (s.built === 'built'
            ? `built from the Go module proxy in ${s.buildSeconds} s this run`
            : `reused from the cache (its first build took ${s.buildSeconds} s, ${s.builtAt})`),
      );
      if (s.schemaVersions) lines.push(`Temporal schemas: ${JSON.stringify(s.schemaVersions)}`);
    }
    if (results?.postgres) lines.push(`PostgreSQL: ${results.postgres}`);
    if (results?.machine) lines.push(`Machine: ${results.machine}`);
    const checks = aggregated.testResults.flatMap((file) =>
      file.testResults.map((a) => [
        [...a.ancestorTitles, a.title].join(' › '),
        a.status === 'passed' ? 'pass' : a.status.toUpperCase(),
        a.duration === undefined || a.duration === null ? '-' : (a.duration / 1000).toFixed(1),
      ]),
    );
    const suiteErrors = aggregated.testResults
      .filter((f) => f.testExecError)
      .map((f) => f.testExecError.message);
    lines.push('', table(['check', 'result', 'seconds'], checks));
    for (const error of suiteErrors) lines.push(`suite error: ${error.split('\n')[0]}`);
    if (results?.timings && Object.keys(results.timings).length) {
      lines.push(
        '',
        table(
          ['start-up step', 'seconds'],
          Object.entries(results.timings).map(([step, seconds]) => [step, seconds]),
        ),
      );
    }
    if (results?.rows?.length) {
      lines.push(
        '',
        table(
          ['check', 'measured'],
          results.rows.map((r) => [
            r.check,
            Object.entries(r.cells)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          ]),
        ),
      );
    }
    // from the global setup's start: the build (or the cache check) and PostgreSQL included
    const since = results?.startedAt ? Date.parse(results.startedAt) : aggregated.startTime;
    const runSeconds = Math.round((Date.now() - since) / 1000);
    lines.push(
      '',
      `${aggregated.numFailedTests + aggregated.numRuntimeErrorTestSuites === 0 ? 'all checks passed' : 'FAILED'}: ` +
        `${aggregated.numPassedTests} passed, ${aggregated.numFailedTests} failed; the run took ${runSeconds} s` +
        (results?.server?.built === 'built'
          ? `, the server's build ${results.server.buildSeconds} s of it`
          : ''),
      `results: ${path.relative(process.cwd(), resultsFile())}`,
      '',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

module.exports = ClusterSummaryReporter;
