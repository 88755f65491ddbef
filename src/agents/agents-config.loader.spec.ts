import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataParsingError, InvalidConfigError, MissingConfigError } from './agents.errors';
import { loadAgentsFromConfig } from './agents-config.loader';

const agent = (overrides: Record<string, unknown> = {}) => ({
  id: 'tws-specialist',
  name: 'TWS Specialist',
  role: 'TWS Environment Expert',
  goal: 'Help with TWS troubleshooting and monitoring',
  backstory: 'Expert in TWS operations and job scheduling',
  tools: ['tws_status_tool'],
  ...overrides,
});

describe(loadAgentsFromConfig.name, () => {
  let dir: string;
  const write = async (content: unknown) => {
    const path = join(dir, 'agents.json');
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const known = (name: string) => ['tws_status_tool', 'search_memory'].includes(name);

  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'agents-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads the seed's example and applies its defaults", async () => {
    const agents = await loadAgentsFromConfig(await write({ agents: [agent()] }), known);
    expect(agents).toEqual([
      expect.objectContaining({ ...agent(), model_name: 'llama3:latest', memory: true, verbose: false }),
    ]);
  });

  it('reads the repository agents.json', async () => {
    const agents = await loadAgentsFromConfig('agents.json');
    expect(agents.map((a) => a.id)).toContain('tws-specialist');
  });

  it('fails with MissingConfigError when the file is absent', async () => {
    await expect(loadAgentsFromConfig(join(dir, 'nope.json'))).rejects.toThrow(MissingConfigError);
  });

  it('fails with DataParsingError on broken JSON', async () => {
    await expect(loadAgentsFromConfig(await write('{"agents": ['))).rejects.toThrow(DataParsingError);
  });

  it.each([
    [{ nope: [] }, 'file, field "agents"'],
    [{ agents: [agent({ name: '' })] }, 'agent "tws-specialist", field "name"'],
    [{ agents: [agent({ role: undefined })] }, 'agent "tws-specialist", field "role": role must be a string'],
    [{ agents: [agent({ id: undefined })] }, 'agent "#0", field "id"'],
    [{ agents: [agent({ model_name: 7 })] }, 'agent "tws-specialist", field "model_name"'],
    [{ agents: [agent({ memory: 'yes' })] }, 'agent "tws-specialist", field "memory"'],
    [{ agents: [agent({ id: 'bad id!' })] }, 'field "id"'],
    [{ agents: [agent({ tools: 'tws_status_tool' })] }, 'field "tools"'],
    [{ agents: [agent({ surprise: 1 })] }, 'field "surprise"'],
    [{ agents: [agent(), agent()] }, 'is used by more than one agent'],
    [{ agents: [agent({ tools: ['tws_status_tool', 'rm_rf_tool'] })] }, 'field "tools": unknown tool "rm_rf_tool"'],
  ])('fails with InvalidConfigError naming the agent and field (%#)', async (content, expected) => {
    const error = await loadAgentsFromConfig(await write(content), known).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toContain(expected);
  });
});
