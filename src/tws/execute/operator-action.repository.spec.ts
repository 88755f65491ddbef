import { databaseTargets, type OpenedDatabase } from '../../../test/support/database-targets';
import { type CommandResult, type NewOperatorAction, OperatorActionRepository } from './operator-action.repository';

const newAction = (over: Partial<NewOperatorAction> = {}): NewOperatorAction => ({
  command: 'hold MASTER#PAYROLL.PAY_CALC',
  verb: 'hold',
  scope: 'job',
  target: 'MASTER#PAYROLL.PAY_CALC',
  ...over,
});

const done: CommandResult = {
  targetId: 'job-1',
  outcome: 'ok',
  message: 'The job has been put on hold.',
  errorCode: null,
};

describe.each(databaseTargets())(`${OperatorActionRepository.name} on $name`, (target) => {
  let opened: OpenedDatabase;
  let sut: OperatorActionRepository;

  beforeAll(async () => {
    opened = await target.open();
    sut = new OperatorActionRepository(opened.database);
  });
  afterAll(() => opened.dispose());

  it('records who ran what before it runs, settles it once with the result, and lists newest first in pages', async () => {
    const pending = await sut.begin({ id: 'ops-1', via: 'api-key' }, newAction());
    expect(pending).toMatchObject({
      callerId: 'ops-1',
      callerVia: 'api-key',
      verb: 'hold',
      targetId: null,
      outcome: 'pending',
    });
    expect(Date.parse(pending.createdAt)).not.toBeNaN();
    const first = await sut.settle(pending.id, done);
    expect(first).toMatchObject({
      id: pending.id,
      targetId: 'job-1',
      outcome: 'ok',
      errorCode: null,
      createdAt: pending.createdAt,
    });
    await expect(sut.settle(pending.id, { ...done, outcome: 'error' })).rejects.toThrow(/pending/);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const next = await sut.begin({ id: `ops-${i + 2}`, via: 'internal-token' }, newAction({ verb: 'kill' }));
      await sut.settle(next.id, {
        outcome: 'error',
        errorCode: 'TWS_REJECTED',
        targetId: null,
        message: `refused ${i}`,
      });
    }
    const all = await sut.list(10, 0);
    expect(all.total).toBe(5);
    expect(all.actions.map((a) => a.callerId)).toEqual(['ops-5', 'ops-4', 'ops-3', 'ops-2', 'ops-1']);
    expect(all.actions[0]).toMatchObject({
      outcome: 'error',
      errorCode: 'TWS_REJECTED',
      targetId: null,
      message: 'refused 3',
    });
    expect(all.actions[4]).toMatchObject({ outcome: 'ok', targetId: 'job-1' });
    const page = await sut.list(2, 1);
    expect(page).toMatchObject({ total: 5 });
    expect(page.actions.map((a) => a.callerId)).toEqual(['ops-4', 'ops-3']);
  });

  it('refuses a scope outside the schema', async () => {
    await expect(sut.begin({ id: 'x', via: 'open' }, newAction({ scope: 'shell' as 'job' }))).rejects.toThrow();
  });
});
