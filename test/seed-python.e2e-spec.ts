import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningApp, startApp } from './support/app-harness';
import { PNG_1X1 } from './support/images';

const run = promisify(execFile);

/** Debian's interpreter, where `apt-get install python3-websockets python3-httpx python3-requests` puts the libraries. */
const PYTHON = '/usr/bin/python3';
const MODULES = ['websockets', 'httpx', 'requests'];

function pythonReady(): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${MODULES.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ready = pythonReady();
if (!ready)
  console.warn(
    `${PYTHON} with ${MODULES.join(', ')} is missing: the seeds' Python examples are not run (.ci/run installs them).`,
  );
const describeWithPython = ready ? describe : describe.skip;

/**
 * The seeds' Python examples, run by a real Python interpreter against the real server. Only the
 * base URL in each script is changed, to the test server's.
 */
describeWithPython("The seeds' Python examples, run by Python (e2e)", () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'resync-python-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  /** Runs a fixture with `replace` applied to its text (the base URL, a key). */
  async function python(fixture: string, replace: Record<string, string>, ...args: string[]): Promise<string[]> {
    let source = await readFile(join(__dirname, 'fixtures', fixture), 'utf8');
    for (const [from, to] of Object.entries(replace)) source = source.replaceAll(from, to);
    const script = join(work, fixture);
    await writeFile(script, source);
    const { stdout } = await run(PYTHON, [script, ...args], {
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '*' },
    });
    return stdout.trim().split('\n');
  }

  describe('Resync examples (open mode)', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp();
    });
    afterAll(() => running.close());

    it('the websockets chat loop prints the greeting, the echo, the stream and stops at the final answer', async () => {
      const lines = await python('chat_with_agent.seed.py', {
        'ws://localhost:8000': running.url.replace(/^http/, 'ws'),
      });
      expect(lines[0]).toMatch(/^system: Connected to TWS Specialist/);
      expect(lines[1]).toBe("user: What's the status of the TWS system?");
      expect(lines.some((line) => line.startsWith('agent: Offline mode'))).toBe(true);
      expect(lines.join('\n')).toContain('[tws_status_tool]');
    });

    it('the httpx examples upload a document, read the TWS status and list the agents', async () => {
      const document = join(work, 'runbook.txt');
      await writeFile(document, 'PAYROLL ABEND RC=12: restore the input file, then rerun the job.\n');
      const lines = await python('httpx_examples.seed.py', { 'http://localhost:8000': running.url }, document);
      const status = (await (await fetch(`${running.url}/api/status`)).json()) as {
        workstations: unknown[];
        jobs: unknown[];
      };
      expect(lines).toEqual([
        'Uploaded: runbook.txt',
        `Workstations: ${status.workstations.length}`,
        `Jobs: ${status.jobs.length}`,
        'Agent: TWS Specialist - TWS Environment Expert',
        'Agent: TWS Troubleshooter - TWS Incident Analyst',
      ]);
      expect(status.jobs.length).toBeGreaterThan(0);
    });
  });

  describe('Knowledge Agent client (API key configured)', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        A2A_API_KEYS: JSON.stringify({ ka_rootagent: 'root-agent', ka_analytics: 'analytics-agent' }),
      });
    });
    afterAll(() => running.close());

    it('health, ingest_thread, query and query_with_image all succeed with raise_for_status', async () => {
      const image = join(work, 'error-screenshot.png');
      await writeFile(image, Buffer.from(PNG_1X1, 'base64'));
      const lines = await python('knowledge_agent_client.seed.py', { 'http://localhost:8081': running.url }, image);
      expect(lines[0]).toBe("Health: {'status': 'ok', 'service': 'resync'}");
      expect(lines[1]).toBe(
        "Ingest: {'success': True, 'message': 'Thread ingested successfully', 'memories_saved': 1}",
      );
      const answer = lines.slice(2).join('\n');
      expect(answer).toMatch(/^Answer: /);
      expect(answer).toContain('GitHub Actions with automatic rollback');
      expect(answer).toContain('Analysis: ');
    });

    it('without the key, the same client gets the HTTPError that raise_for_status raises on 401', async () => {
      await expect(
        python(
          'knowledge_agent_client.seed.py',
          { 'http://localhost:8081': running.url, "api_key='ka_rootagent'": "api_key='ka_wrong'" },
          join(work, 'none.png'),
        ),
      ).rejects.toThrow(/HTTPError: 401 Client Error/);
    });
  });
});
