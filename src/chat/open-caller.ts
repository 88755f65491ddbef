import type { Caller } from '../auth/caller';

/** The caller when no auth guard has resolved one: open mode, as the Knowledge Agent contract defines it. */
export const OPEN_CALLER: Caller = Object.freeze({
  id: 'unauthenticated',
  via: 'open',
  roles: ['read', 'write'] as const,
});
