import type { Response } from 'express';

/** Aborted when the client disconnects before the response is sent: the model stops working for nobody. */
export function abortWhenClientLeaves(response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
